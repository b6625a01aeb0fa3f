// Campaigns: the table of the live rules with delivery, pacing and CTR; search, filters, sort;
// pause and resume.

import { describe } from './api.js';
import { badge, button, h, notice, replace } from './dom.js';
import { PACING_LABELS, deliveryOf, loadDelivery, statusOf } from './delivery.js';
import { fmtInt, fmtMoney, fmtPct } from './format.js';

const dateOf = (text) => (typeof text === 'string' ? text.slice(0, 10) : '—');
import { setStatus } from './campaign.js';

const TIERS = ['sponsorship', 'standard', 'remnant', 'house'];

const COLUMNS = [
  { key: 'id', label: 'Campaign', sort: (r) => r.id },
  { key: 'advertiser', label: 'Advertiser', sort: (r) => r.advertiser.toLowerCase() },
  { key: 'status', label: 'Status', sort: (r) => r.status },
  { key: 'tier', label: 'Tier', sort: (r) => TIERS.indexOf(r.tier) },
  { key: 'cpm', label: 'CPM', sort: (r) => r.cpm, numeric: true },
  { key: 'flight', label: 'Flight', sort: (r) => r.delivery.start ?? 0 },
  { key: 'delivery', label: 'Delivery', sort: (r) => r.delivery.progress ?? -1, numeric: true, left: true },
  { key: 'pacing', label: 'Pacing', sort: (r) => r.delivery.state },
  { key: 'ctr', label: 'CTR', sort: (r) => r.ctr, numeric: true },
  { key: 'actions', label: '' },
];

/** What the filters were, kept while the tab is open. */
const state = { search: '', status: '', tier: '', advertiser: '', sort: null, desc: false };

export async function showCampaigns(view) {
  const status = h('p', { class: 'muted', text: 'Loading campaigns…' });
  replace(view, h('div', { class: 'page-head' }, h('h1', { text: 'Campaigns' })), status);
  let loaded;
  try {
    loaded = await loadDelivery();
  } catch (e) {
    replace(status, notice('error', describe(e)));
    return;
  }
  const now = Date.now();
  const rows = loaded.campaigns.map((c, index) => {
    const life = loaded.lifetime.get(c.id);
    const todays = loaded.todays.get(c.id);
    return {
      campaign: c, index, id: String(c.id), advertiser: String(c.advertiser ?? ''),
      status: statusOf(c), tier: String(c.tier ?? '').toLowerCase(), cpm: Number(c.cpm ?? 0),
      currency: c.currency, category: c.category ? String(c.category) : '',
      served: life?.served ?? 0, servedToday: todays?.served ?? 0,
      impressions: life?.impressions ?? 0, clicks: life?.clicks ?? 0, ctr: life?.ctr ?? 0,
      delivery: deliveryOf(c, life?.served ?? 0, now, loaded.zone),
    };
  });

  const search = h('input', { type: 'search', placeholder: 'Search id, advertiser, category', value: state.search, 'aria-label': 'Search campaigns', dataset: { testid: 'search' } });
  const statusFilter = select('Status', ['active', 'paused'], state.status, 'filter-status');
  const tierFilter = select('Tier', TIERS, state.tier, 'filter-tier');
  const advertisers = [...new Set(rows.map((r) => r.advertiser))].sort((a, b) => a.localeCompare(b));
  const advertiserFilter = select('Advertiser', advertisers, state.advertiser, 'filter-advertiser');
  const summary = h('p', { class: 'summary' });
  const table = h('table', { class: 'grid campaigns', dataset: { testid: 'campaigns-table' } });
  const wrap = h('div', { class: 'table-wrap' }, table);

  const render = () => {
    state.search = search.value;
    state.status = statusFilter.value;
    state.tier = tierFilter.value;
    state.advertiser = advertiserFilter.value;
    const needle = state.search.trim().toLowerCase();
    let shown = rows.filter((r) => (!needle || r.id.toLowerCase().includes(needle)
        || r.advertiser.toLowerCase().includes(needle) || r.category.toLowerCase().includes(needle))
      && (!state.status || r.status === state.status)
      && (!state.tier || r.tier === state.tier)
      && (!state.advertiser || r.advertiser === state.advertiser));
    const column = COLUMNS.find((c) => c.key === state.sort && c.sort);
    if (column) {
      shown = [...shown].sort((a, b) => {
        const x = column.sort(a);
        const y = column.sort(b);
        const order = x < y ? -1 : x > y ? 1 : a.index - b.index;
        return state.desc ? -order : order;
      });
    }
    const active = rows.filter((r) => r.status === 'active').length;
    const servedToday = rows.reduce((sum, r) => sum + r.servedToday, 0);
    replace(summary,
      `${shown.length} of ${rows.length} campaigns · ${active} active · rules version ${loaded.version} · `,
      `served today ${fmtInt(servedToday)} · time zone ${loaded.zone}`);
    replace(table, header(render), h('tbody', null, shown.length
      ? shown.map((r) => row(r, loaded.version, () => showCampaigns(view)))
      : h('tr', null, h('td', { colspan: COLUMNS.length, class: 'empty', text: 'No campaign matches these filters.' }))));
  };
  for (const control of [search, statusFilter, tierFilter, advertiserFilter]) control.addEventListener('input', render);
  const reset = button('Clear filters', () => {
    search.value = '';
    statusFilter.value = '';
    tierFilter.value = '';
    advertiserFilter.value = '';
    render();
  }, { kind: 'subtle' });

  replace(status);
  view.append(
    h('div', { class: 'toolbar' }, search, statusFilter, tierFilter, advertiserFilter, reset),
    summary, wrap,
    h('p', { class: 'footnote muted' },
      'Delivery: ads served over the flight against the goal. Pacing compares served with goal × elapsed ÷ flight; ',
      'within ±10 % is on track. CTR: clicks ÷ impressions over the flight.'),
  );
  render();
}

function select(label, values, current, testid) {
  return h('select', { 'aria-label': label, dataset: { testid } },
    h('option', { value: '', text: `${label}: all` }),
    values.map((v) => h('option', { value: v, text: v, selected: v === current })));
}

function header(rerender) {
  return h('thead', null, h('tr', null, COLUMNS.map((c) => {
    if (!c.sort) return h('th', { text: c.label });
    const sorted = state.sort === c.key;
    return h('th', { class: c.numeric && !c.left ? 'num' : null, 'aria-sort': sorted ? (state.desc ? 'descending' : 'ascending') : null },
      h('button', {
        type: 'button', class: 'sort', dataset: { sort: c.key },
        onclick: () => {
          if (state.sort === c.key) state.desc = !state.desc;
          else {
            state.sort = c.key;
            state.desc = !!c.numeric;
          }
          rerender();
        },
      }, c.label, h('span', { class: 'sort-mark', text: sorted ? (state.desc ? ' ▼' : ' ▲') : '' })));
  })));
}

function row(r, version, reload) {
  const d = r.delivery;
  const [pacingText, pacingKind] = PACING_LABELS[d.state];
  const pacingTitle = d.expected != null ? `expected about ${fmtInt(d.expected)} by now` : null;
  const toggle = r.status === 'paused' ? 'Resume' : 'Pause';
  return h('tr', { dataset: { campaign: r.id } },
    h('td', null, h('a', { href: `#/campaign/${encodeURIComponent(r.id)}`, class: 'mono strong', text: r.id }),
      r.category ? h('div', { class: 'muted small', text: r.category }) : null),
    h('td', { class: 'advertiser', text: r.advertiser }),
    h('td', null, badge(r.status, r.status === 'active' ? 'ok' : 'paused')),
    h('td', null, badge(r.tier, `tier-${r.tier}`)),
    h('td', { class: 'num', text: fmtMoney(r.cpm, r.currency) }),
    h('td', { class: 'small nowrap', title: `${r.campaign.start ?? ''} → ${r.campaign.end ?? 'open-ended'}` },
      h('div', { text: dateOf(r.campaign.start) }), h('div', { class: 'muted', text: r.campaign.end ? `→ ${dateOf(r.campaign.end)}` : '→ open-ended' })),
    h('td', { class: 'delivery' },
      d.goal ? progressBar(d.progress) : null,
      h('div', { class: 'small', text: d.goal ? `${fmtInt(r.served)} / ${fmtInt(d.goal)} (${fmtPct(d.progress, 0)})` : `${fmtInt(r.served)} served` })),
    h('td', { dataset: { pacing: d.state } }, badge(pacingText, pacingKind, pacingTitle)),
    h('td', { class: 'num', title: `${fmtInt(r.clicks)} clicks / ${fmtInt(r.impressions)} impressions`, text: fmtPct(r.ctr) }),
    h('td', { class: 'actions' }, button(toggle, async () => {
      const target = r.status === 'paused' ? 'active' : 'paused';
      await setStatus(r.id, target, version);
      reload();
    }, { kind: 'small', testid: `toggle-${r.id}` })),
  );
}

/** A bar for a fraction 0..1 (over 1 is shown full, and marked). */
export function progressBar(fraction) {
  const fill = h('div', { class: ['bar-fill', fraction >= 1 ? 'full' : null] });
  fill.style.width = `${Math.max(0, Math.min(1, fraction || 0)) * 100}%`; // CSSOM: allowed by the CSP
  return h('div', { class: 'bar', role: 'img', 'aria-label': fmtPct(fraction, 0) }, fill);
}

