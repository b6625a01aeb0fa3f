// Reports: daily served, impressions, clicks and revenue as a chart, in total or by campaign or
// section; tables by campaign, section and day with CSV downloads.

import { admin, describe, download } from './api.js';
import { barList, dailyChart } from './chart.js';
import { button, h, notice, replace, toast } from './dom.js';
import { addDays, daysBetween, fmtDay, fmtInt, fmtNum, fmtPct } from './format.js';

const METRICS = {
  served: { label: 'Served', format: fmtInt },
  impressions: { label: 'Impressions', format: fmtInt },
  clicks: { label: 'Clicks', format: fmtInt },
  revenue: { label: 'Revenue', format: fmtNum },
};
const MAX_BREAKDOWN_DAYS = 92;
const TOP_SERIES = 6;

const state = { from: null, to: null, metric: 'served', split: 'total' };

export async function showReports(view) {
  const loading = h('p', { class: 'muted', text: 'Loading the report…' });
  replace(view, h('div', { class: 'page-head' }, h('h1', { text: 'Reports' })), loading);
  let today;
  try {
    today = await admin.report({ by: 'day' });
  } catch (e) {
    replace(loading, notice('error', describe(e)));
    return;
  }
  loading.remove();
  const zone = today.timeZone;
  if (!state.to) {
    state.to = today.to;
    state.from = addDays(today.to, -13);
  }
  const from = h('input', { type: 'date', value: state.from, max: today.to, 'aria-label': 'From', dataset: { testid: 'from' } });
  const to = h('input', { type: 'date', value: state.to, max: today.to, 'aria-label': 'To', dataset: { testid: 'to' } });
  const metric = h('select', { 'aria-label': 'Metric', dataset: { testid: 'metric' } },
    Object.entries(METRICS).map(([k, m]) => h('option', { value: k, text: m.label, selected: k === state.metric })));
  const split = h('select', { 'aria-label': 'Lines', dataset: { testid: 'split' } },
    [['total', 'All campaigns'], ['campaign', 'By campaign'], ['section', 'By section']]
      .map(([k, t]) => h('option', { value: k, text: t, selected: k === state.split })));
  const preset = (label, days) => button(label, () => {
    to.value = today.to;
    from.value = addDays(today.to, -(days - 1));
    load();
  }, { kind: 'subtle' });
  const body = h('div');
  const form = h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('label', null, 'From ', from), h('label', null, 'To ', to),
    h('label', null, 'Metric ', metric), h('label', null, 'Lines ', split),
    h('button', { type: 'submit', class: 'button primary', text: 'Show' }),
    preset('Today', 1), preset('7 days', 7), preset('30 days', 30));
  metric.addEventListener('change', () => load());
  split.addEventListener('change', () => load());
  view.append(form, h('p', { class: 'muted small', text: `Days of the publisher time zone (${zone}), both included.` }), body);

  async function load() {
    if (!from.value || !to.value || from.value > to.value) {
      replace(body, notice('error', 'Choose a first day that is not after the last day.'));
      return;
    }
    Object.assign(state, { from: from.value, to: to.value, metric: metric.value, split: split.value });
    replace(body, h('p', { class: 'muted', text: 'Loading…' }));
    try {
      replace(body, await render(state));
    } catch (e) {
      replace(body, notice('error', describe(e)));
    }
  }
  await load();
}

async function render({ from, to, metric, split }) {
  const [byDay, byCampaign, bySection] = await Promise.all(
    ['day', 'campaign', 'section'].map((by) => admin.report({ from, to, by })));
  const days = daysBetween(from, to);
  const m = METRICS[metric];
  const totals = byDay.rows.reduce((t, r) => {
    for (const k of ['served', 'impressions', 'clicks', 'revenue']) t[k] += Number(r[k]);
    return t;
  }, { served: 0, impressions: 0, clicks: 0, revenue: 0 });

  let chart;
  if (split === 'total') {
    const perDay = new Map(byDay.rows.map((r) => [r.day, Number(r[metric])]));
    chart = dailyChart({ days, series: [{ name: `${m.label}, all campaigns`, values: days.map((d) => perDay.get(d) ?? 0) }], format: m.format, label: `${m.label} per day` });
  } else if (days.length > MAX_BREAKDOWN_DAYS) {
    chart = notice('info', `Lines by ${split} are drawn for up to ${MAX_BREAKDOWN_DAYS} days; choose a shorter range.`);
  } else {
    const ranking = (split === 'campaign' ? byCampaign : bySection).rows
      .map((r) => ({ name: r[split], value: Number(r[metric]) }))
      .sort((a, b) => b.value - a.value).slice(0, TOP_SERIES);
    const perDay = await mapLimited(days, 4, (day) => admin.report({ from: day, to: day, by: split }));
    const series = ranking.map((g) => ({
      name: g.name === '' ? '(no section)' : g.name,
      values: perDay.map((report) => Number(report.rows.find((r) => r[split] === g.name)?.[metric] ?? 0)),
    }));
    chart = series.length ? dailyChart({ days, series, format: m.format, label: `${m.label} per day by ${split}` })
      : notice('info', 'Nothing to report in these days.');
  }

  const kpi = (label, value) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-value', text: value }), h('div', { class: 'kpi-label', text: label }));
  return h('div', null,
    h('div', { class: 'kpis', dataset: { testid: 'kpis' } },
      kpi('Served', fmtInt(totals.served)), kpi('Impressions', fmtInt(totals.impressions)),
      kpi('Clicks', fmtInt(totals.clicks)), kpi('CTR', fmtPct(totals.impressions ? totals.clicks / totals.impressions : 0)),
      kpi('Revenue', fmtNum(totals.revenue))),
    h('section', { class: 'card' }, h('h2', { text: `${m.label} per day, ${fmtDay(from)} to ${fmtDay(to)}` }), chart),
    h('div', { class: 'cards two' },
      table('By campaign', 'campaign', byCampaign, { from, to }, metric),
      table('By section', 'section', bySection, { from, to }, metric)),
    table('By day', 'day', byDay, { from, to }, metric),
    h('p', { class: 'muted small', text: 'Revenue is served × CPM ÷ 1000 at the CPM of each serve, in the campaigns\' currency; rows of campaigns in different currencies are added as plain numbers.' }));
}

function table(title, by, report, range, metric) {
  const rows = report.rows;
  const csv = button('Download CSV', async () => {
    try {
      toast(`Downloaded ${await download(admin.reportPath({ ...range, by }), 'text/csv', `iklan-report-${by}.csv`)}.`, 'ok');
    } catch (e) {
      toast(describe(e), 'error');
    }
  }, { kind: 'small', testid: `csv-${by}` });
  const name = (r) => (by === 'section' && r.section === '' ? '(no section)' : r[by]);
  return h('section', { class: 'card', dataset: { testid: `report-${by}` } },
    h('div', { class: 'card-head' }, h('h2', { text: title }), csv),
    rows.length === 0 ? h('p', { class: 'muted', text: 'Nothing to report in these days.' }) : [
      by === 'day' ? null : barList(rows.map((r) => ({ name: String(name(r)), value: Number(r[metric]) }))
        .sort((a, b) => b.value - a.value), METRICS[metric].format),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid' },
        h('thead', null, h('tr', null, [by[0].toUpperCase() + by.slice(1), 'Served', 'Impressions', 'Clicks', 'CTR', 'Revenue']
          .map((t, i) => h('th', { class: i ? 'num' : null, text: t })))),
        h('tbody', null, rows.map((r) => h('tr', null,
          h('td', { class: by === 'campaign' ? 'mono' : null }, by === 'campaign'
            ? h('a', { href: `#/campaign/${encodeURIComponent(r.campaign)}`, text: r.campaign })
            : String(name(r))),
          h('td', { class: 'num', text: fmtInt(r.served) }),
          h('td', { class: 'num', text: fmtInt(r.impressions) }),
          h('td', { class: 'num', text: fmtInt(r.clicks) }),
          h('td', { class: 'num', text: fmtPct(r.ctr) }),
          h('td', { class: 'num', text: fmtNum(Number(r.revenue)) }))))))]);
}

/** fn over items with at most limit calls in flight; results in item order. */
async function mapLimited(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
