// One campaign: targeting, creatives with previews, delivery; pause, resume and delete.

import { ApiError, admin, describe } from './api.js';
import { badge, button, chips, dl, externalLink, h, notice, replace, safeUrl, toast } from './dom.js';
import { PACING_LABELS, deliveryOf, loadDelivery, statusOf } from './delivery.js';
import { fmtInt, fmtMoney, fmtNum, fmtPct, fmtRuleTime } from './format.js';
import { progressBar } from './campaigns.js';

/**
 * Sets a campaign's status ('active' or 'paused'): reads its stored JSON, changes status, and
 * posts it back with If-Match of the version the person was looking at, so that a change made
 * meanwhile by someone else is not silently overwritten. True when it was written.
 */
export async function setStatus(id, status, seenVersion) {
  try {
    const { data } = await admin.campaign(id);
    const result = await admin.putCampaign({ ...data, status }, seenVersion);
    toast(`${status === 'paused' ? 'Paused' : 'Resumed'} ${id}: rules version ${result.version}.`, 'ok');
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 412) {
      toast(`The rules changed since this page was loaded, so ${id} was not changed. `
        + 'The page has been reloaded: check the campaign and try again.', 'warn');
    } else {
      toast(`Could not change ${id}: ${describe(e)}`, 'error');
    }
    return false;
  }
}

export async function showCampaign(view, id) {
  const loading = h('p', { class: 'muted', text: `Loading ${id}…` });
  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/campaigns', text: '← Campaigns' })), loading);
  let c;
  let version;
  let loaded;
  try {
    [{ data: c, version }, loaded] = await Promise.all([admin.campaign(id), loadDelivery()]);
  } catch (e) {
    replace(loading, notice('error', e.status === 404 ? `There is no campaign "${id}" in the live rules.` : describe(e)));
    return;
  }
  loading.remove();
  const reload = () => showCampaign(view, id);
  const status = statusOf(c);
  const life = loaded.lifetime.get(c.id);
  const d = deliveryOf(c, life?.served ?? 0, Date.now(), loaded.zone);
  const [pacingText, pacingKind] = PACING_LABELS[d.state];

  const toggle = button(status === 'paused' ? 'Resume' : 'Pause', async () => {
    await setStatus(c.id, status === 'paused' ? 'active' : 'paused', version);
    reload();
  }, { kind: status === 'paused' ? 'primary' : 'secondary', testid: 'toggle-status' });
  const remove = button('Delete…', async () => {
    if (!window.confirm(`Delete campaign ${c.id}? This makes a new rules version; it can be undone by restoring the version before it.`)) return;
    try {
      const result = await admin.deleteCampaign(c.id, version);
      toast(`Deleted ${c.id}: rules version ${result.version}.`, 'ok');
      location.hash = '#/campaigns';
    } catch (e) {
      toast(e.status === 412 ? 'The rules changed since this page was loaded; nothing was deleted. Reloaded.' : describe(e), e.status === 412 ? 'warn' : 'error');
      reload();
    }
  }, { kind: 'danger' });

  const t = c.targeting || {};
  view.append(
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', { class: 'advertiser', text: String(c.advertiser ?? '') }),
        h('p', { class: 'mono muted', text: String(c.id) })),
      h('div', { class: 'head-actions' }, badge(status, status === 'active' ? 'ok' : 'paused'), toggle, remove)),
    h('div', { class: 'cards' },
      h('section', { class: 'card' }, h('h2', { text: 'Campaign' }), dl([
        ['Tier', badge(String(c.tier ?? ''), `tier-${String(c.tier ?? '').toLowerCase()}`)],
        ['CPM', fmtMoney(Number(c.cpm ?? 0), c.currency)],
        ['Weight', fmtNum(c.weight ?? 1)],
        ['Category', c.category ? String(c.category) : null],
        ['Start', fmtRuleTime(c.start)],
        ['End', c.end ? fmtRuleTime(c.end) : 'open-ended'],
        ['Goal', c.goal?.impressions != null ? `${fmtInt(c.goal.impressions)} impressions, ${c.goal.pacing ?? 'asap'} pacing` : 'none'],
        ['Frequency cap', c.frequencyCap ? `${c.frequencyCap.count} per ${c.frequencyCap.window}` : 'none'],
        ['Roadblock', c.roadblock ? 'yes: takes every later slot it fits' : 'no'],
      ])),
      h('section', { class: 'card' }, h('h2', { text: 'Delivery' }), dl([
        ['Served', d.goal ? h('div', null, progressBar(d.progress), `${fmtInt(d.served)} of ${fmtInt(d.goal)} (${fmtPct(d.progress, 1)})`) : fmtInt(d.served)],
        ['Pacing', h('span', null, badge(pacingText, pacingKind), d.expected != null ? h('span', { class: 'muted small', text: ` expected about ${fmtInt(d.expected)} by now` }) : null)],
        ['Served today', fmtInt(loaded.todays.get(c.id)?.served ?? 0)],
        ['Impressions', fmtInt(life?.impressions ?? 0)],
        ['Clicks', fmtInt(life?.clicks ?? 0)],
        ['CTR', fmtPct(life?.ctr ?? 0)],
        ['Revenue', fmtMoney(life?.revenue ?? 0, c.currency)],
      ]), h('p', { class: 'muted small', text: `Over ${loaded.from} to ${loaded.today} (${loaded.zone}).` })),
      h('section', { class: 'card' }, h('h2', { text: 'Targeting' }), dl([
        ['Sections', includeExclude(t.sections)],
        ['Keywords', keywords(t.keywords)],
        ['Geography', includeExclude(t.geo)],
        ['Devices', chips(t.devices, 'every device')],
        ['Schedule', schedule(t.schedule)],
      ]))),
    h('section', null, h('h2', { text: `Creatives (${(c.creatives || []).length})` }),
      h('div', { class: 'creatives' }, (c.creatives || []).map(creativeCard))),
    h('details', { class: 'raw' }, h('summary', { text: 'Stored JSON' }), h('pre', { class: 'code', text: JSON.stringify(c, null, 2) })),
  );
}

function includeExclude(dimension) {
  if (!dimension || (!dimension.include?.length && !dimension.exclude?.length)) return h('span', { class: 'muted', text: 'everywhere' });
  return h('div', null,
    dimension.include?.length ? h('div', null, h('span', { class: 'label', text: 'only ' }), chips(dimension.include)) : null,
    dimension.exclude?.length ? h('div', null, h('span', { class: 'label', text: 'not ' }), chips(dimension.exclude)) : null);
}

function keywords(k) {
  if (!k || (!k.any?.length && !k.all?.length && !k.none?.length)) return h('span', { class: 'muted', text: 'any page' });
  return h('div', null,
    k.any?.length ? h('div', null, h('span', { class: 'label', text: 'any of ' }), chips(k.any)) : null,
    k.all?.length ? h('div', null, h('span', { class: 'label', text: 'all of ' }), chips(k.all)) : null,
    k.none?.length ? h('div', null, h('span', { class: 'label', text: 'none of ' }), chips(k.none)) : null);
}

function schedule(s) {
  if (!s || (!s.days?.length && !s.hours)) return h('span', { class: 'muted', text: 'all week, all day' });
  return h('div', null,
    s.days?.length ? chips(s.days) : h('span', { text: 'every day' }),
    s.hours ? h('span', { text: `, ${s.hours[0]}:00 to ${s.hours[1]}:00` }) : null);
}

function creativeCard(cr) {
  const format = String(cr.format ?? '').toLowerCase();
  const size = Array.isArray(cr.size) ? `${cr.size[0]}×${cr.size[1]}` : null;
  return h('article', { class: 'creative', dataset: { creative: String(cr.id) } },
    h('header', null, h('span', { class: 'mono strong', text: String(cr.id) }), ' ', badge(format, 'neutral'), size ? h('span', { class: 'muted', text: ` ${size}` }) : null),
    h('div', { class: 'preview' }, preview(cr, format)),
    dl([
      ['Click URL', externalLink(cr.clickUrl)],
      format === 'image' ? ['Alt text', cr.alt != null ? String(cr.alt) : h('span', { class: 'muted', text: 'the advertiser' })] : null,
      cr.imageUrl ? ['Image', externalLink(cr.imageUrl)] : null,
      ['Weight', fmtNum(cr.weight ?? 1)],
    ], 'facts compact'));
}

/** A preview: an image, a native card, or an HTML creative's markup as text. */
export function preview(cr, format) {
  if (format === 'image') {
    const src = safeUrl(cr.imageUrl);
    if (!src) return h('span', { class: 'muted', text: 'no previewable image' });
    const img = h('img', { src, alt: String(cr.alt ?? ''), loading: 'lazy', referrerpolicy: 'no-referrer', class: 'creative-img' });
    if (Array.isArray(cr.size)) {
      img.width = cr.size[0];
      img.height = cr.size[1];
    }
    return img;
  }
  if (format === 'native') {
    const src = safeUrl(cr.imageUrl);
    return h('div', { class: 'native' },
      src ? h('img', { src, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer', class: 'native-img' }) : null,
      h('div', null,
        h('div', { class: 'native-title', text: String(cr.title ?? '') }),
        cr.body ? h('div', { class: 'native-body', text: String(cr.body) }) : null,
        h('div', { class: 'native-sponsor', text: `Sponsored by ${cr.sponsor ?? ''}` })));
  }
  if (format === 'html') {
    return h('div', null,
      h('p', { class: 'muted small', text: 'HTML creative, shown as its markup. Pages render it in a sandboxed iframe.' }),
      h('pre', { class: 'code', text: String(cr.html ?? '') }));
  }
  return h('span', { class: 'muted', text: 'no preview' });
}
