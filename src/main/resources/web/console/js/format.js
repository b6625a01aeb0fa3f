// Numbers, money, dates and time zones.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export const fmtInt = (n) => (n == null || Number.isNaN(n) ? '—' : integer.format(n));
export const fmtNum = (n) => (n == null || Number.isNaN(n) ? '—' : decimal.format(n));
export const fmtMoney = (n, currency) => (n == null ? '—' : `${currency ? `${currency} ` : ''}${decimal.format(n)}`);

/** A fraction as a percentage: 0.0123 → "1.23%". */
export function fmtPct(fraction, digits = 2) {
  if (fraction == null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A compact number for chart axes: 1.2k, 3.4M. */
export function fmtCompact(n) {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}
const trim = (n) => String(Number(n.toFixed(n >= 10 || n <= -10 ? 0 : 1)));

/** Date and time of an instant, in the browser's zone, for "saved at". */
export function fmtDateTime(ms) {
  if (ms == null || Number.isNaN(ms)) return '—';
  return new Date(ms).toLocaleString('en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** "2026-11-18" → "18 Nov 2026". */
export function fmtDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** "2026-11-18" → "18 Nov". */
export function fmtDayShort(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
}

/** The offset of zone at the instant ms, in ms (local − UTC). */
function zoneOffset(ms, zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * An ISO-8601 time of the rules as epoch ms. Times without an offset are read in the
 * publisher's time zone, as the server reads them (SPEC §5).
 */
export function parseInstant(text, zone = 'Asia/Jakarta') {
  if (typeof text !== 'string' || text === '') return null;
  if (/([zZ]|[+-]\d\d(:?\d\d)?)$/.test(text) && text.includes('T')) return Date.parse(text);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?$/.exec(text);
  if (!m) return Date.parse(text);
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0));
  try {
    return asUtc - zoneOffset(asUtc, zone);
  } catch {
    return asUtc;
  }
}

/** The day (YYYY-MM-DD) of the instant ms in zone. */
export function dayIn(ms, zone = 'Asia/Jakarta') {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

/** day ± n days. */
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Every day from from to to, both included. */
export function daysBetween(from, to) {
  const days = [];
  for (let day = from; day <= to && days.length < 3700; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A time of the rules, as written, shortened for tables: "2026-11-01 00:00 +07:00". */
export function fmtRuleTime(text) {
  if (!text) return '—';
  const m = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?)?(.*)$/.exec(text);
  if (!m) return text;
  return [m[1], m[2], m[3] && m[3] !== 'Z' ? m[3] : m[3] === 'Z' ? 'UTC' : ''].filter(Boolean).join(' ');
}
