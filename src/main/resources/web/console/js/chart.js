// Charts as plain SVG: bars for one daily series, lines for several. Colours come from CSS
// classes (series-0 … series-7), so the CSP needs no inline style.

import { h, svg } from './dom.js';
import { fmtCompact, fmtDayShort } from './format.js';

const W = 860;
const H = 280;
const PAD = { top: 16, right: 16, bottom: 36, left: 56 };

/** Round numbers for the y axis: 0 … max in about 4 steps. */
function ticks(max) {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

/**
 * A daily chart. days: ['YYYY-MM-DD', …]; series: [{name, values: number[]}] (one value per
 * day); format: number → text for tooltips. Returns a figure (SVG and legend).
 */
export function dailyChart({ days, series, format = String, label = '' }) {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const yTicks = ticks(max);
  const top = yTicks[yTicks.length - 1];
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const band = innerW / Math.max(days.length, 1);
  const x = (i) => PAD.left + band * (i + 0.5);
  const y = (v) => PAD.top + innerH - (v / top) * innerH;

  const grid = yTicks.map((v) => svg('g', { class: 'tick' },
    svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'gridline' }),
    svg('text', { x: PAD.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis-label', text: fmtCompact(v) })));
  const every = Math.max(1, Math.ceil(days.length / 12));
  const xLabels = days.map((day, i) => (i % every === 0 || i === days.length - 1) && (i === days.length - 1 || days.length - 1 - i >= every / 2)
    ? svg('text', { x: x(i), y: H - PAD.bottom + 18, 'text-anchor': 'middle', class: 'axis-label', text: fmtDayShort(day) })
    : null);

  let marks;
  if (series.length === 1) {
    const barW = Math.max(2, Math.min(48, band * 0.7));
    marks = series[0].values.map((v, i) => svg('rect', {
      x: x(i) - barW / 2, y: y(v), width: barW, height: Math.max(0, PAD.top + innerH - y(v)), class: "col series-0",
    }, svg('title', { text: `${days[i]} · ${series[0].name}: ${format(v)}` })));
  } else {
    marks = series.map((s, k) => svg('g', { class: `series series-${k % 8}` },
      svg('polyline', { points: s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '), class: 'line' }),
      s.values.map((v, i) => svg('circle', { cx: x(i), cy: y(v), r: 3, class: 'dot' },
        svg('title', { text: `${days[i]} · ${s.name}: ${format(v)}` })))));
  }
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet',
  }, svg('title', { text: label }), grid,
  svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: 'axis' }), xLabels, marks);
  const legend = h('ul', { class: 'legend' }, series.map((s, k) => h('li', null,
    h('span', { class: ['swatch', `series-${k % 8}`] }), h('span', { text: s.name }))));
  return h('figure', { class: 'chart-figure', dataset: { testid: 'chart', points: String(days.length), series: String(series.length) } }, chart, legend);
}

/** Horizontal bars for a ranking (by campaign, by section). */
export function barList(items, format = String) {
  const max = Math.max(0, ...items.map((i) => i.value)) || 1;
  return h('ul', { class: 'barlist' }, items.map((item) => {
    const fill = h('span', { class: 'barlist-fill' });
    fill.style.width = `${(item.value / max) * 100}%`;
    return h('li', null, h('span', { class: 'barlist-name', text: item.name, title: item.name }),
      h('span', { class: 'barlist-track' }, fill), h('span', { class: 'barlist-value', text: format(item.value) }));
  }));
}
