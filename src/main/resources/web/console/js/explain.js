// Explain: runs an explained ad request (POST /v1/ads with "explain": true and the admin token)
// and shows, per slot, the winner and the first rule every other campaign failed.

import { admin, describe } from './api.js';
import { badge, button, h, notice, replace } from './dom.js';
import { preview } from './campaign.js';

/** The server's reasons, in the order it checks them (SPEC §2), with what they mean. */
export const REASONS = [
  ['inactive', 'the campaign is paused'],
  ['flight', 'now is outside its start and end'],
  ['section', 'the page section is not included, or is excluded'],
  ['keywords', 'the page keywords do not meet its any / all / none lists'],
  ['geo', 'the reader\'s location is not included, or is excluded'],
  ['device', 'the device type is missing or not in its list'],
  ['schedule', 'outside its days or hours (publisher time zone)'],
  ['no-fitting-creative', 'no creative fits this slot\'s sizes or formats'],
  ['frequency-cap', 'this user reached the cap, or the request has no user id'],
  ['goal-reached', 'it has served its goal'],
  ['pacing', 'even pacing holds it back for now'],
  ['page-exclusion', 'an earlier slot went to the same campaign, advertiser or competitive category'],
  ['outranked', 'it could have run here, but another campaign won'],
];
const MEANING = new Map(REASONS);
const ORDER = new Map(REASONS.map(([r], i) => [r, i]));

const DEFAULTS = {
  url: 'https://kabarnusantara.example/internasional/2026/11/28/contoh-artikel',
  section: 'internasional', keywords: '', title: '', text: '',
  country: 'ID', region: 'ID-JK', city: 'Jakarta', device: 'desktop', user: 'pembaca-console',
  slots: 'top 728x90 970x250\nmid-1 300x250\nread-next native',
};
const form = { ...DEFAULTS };

export async function showExplain(view) {
  const field = (name, label, control, hint) => h('label', { class: 'field' },
    h('span', { class: 'field-label', text: label }), control, hint ? h('span', { class: 'hint', text: hint }) : null);
  const input = (name, props = {}) => h('input', { name, value: form[name], dataset: { testid: `explain-${name}` }, ...props });
  const url = input('url', { type: 'url', required: true });
  const section = input('section', { list: 'sections' });
  const keywords = input('keywords', { placeholder: 'rusia, korea utara' });
  const title = input('title');
  const text = h('textarea', { name: 'text', rows: 3, dataset: { testid: 'explain-text' }, text: form.text });
  const country = input('country', { placeholder: 'ID', size: 4 });
  const region = input('region', { placeholder: 'ID-JB', size: 7 });
  const city = input('city', { placeholder: 'Bandung', size: 12 });
  const device = h('select', { name: 'device', dataset: { testid: 'explain-device' } },
    ['', 'desktop', 'mobile', 'tablet'].map((d) => h('option', { value: d, text: d || '(none)', selected: d === form.device })));
  const user = input('user', { placeholder: 'opaque user id' });
  const slots = h('textarea', { name: 'slots', rows: 4, class: 'mono', dataset: { testid: 'explain-slots' }, text: form.slots });
  const sections = h('datalist', { id: 'sections' });
  const out = h('div', { dataset: { testid: 'explain-result' } });

  const run = async (event) => {
    event.preventDefault();
    Object.assign(form, {
      url: url.value.trim(), section: section.value.trim(), keywords: keywords.value, title: title.value,
      text: text.value, country: country.value.trim(), region: region.value.trim(), city: city.value.trim(),
      device: device.value, user: user.value.trim(), slots: slots.value,
    });
    let request;
    try {
      request = buildRequest(form);
    } catch (e) {
      replace(out, notice('error', e.message));
      return;
    }
    replace(out, h('p', { class: 'muted', text: 'Asking…' }));
    try {
      const [answer, rules] = await Promise.all([
        admin.explain(request, { country: form.country, region: form.region, city: form.city }),
        admin.rules().catch(() => null)]);
      const names = new Map((rules?.data.campaigns || []).map((c) => [String(c.id), String(c.advertiser ?? '')]));
      replace(out, result(request, answer, names));
    } catch (e) {
      replace(out, notice('error', describe(e)));
    }
  };

  replace(view,
    h('div', { class: 'page-head' }, h('h1', { text: 'Why did (or didn\'t) an ad serve?' })),
    h('form', { class: 'card explain-form', onsubmit: run, dataset: { testid: 'explain-form' } },
      h('div', { class: 'form-grid' },
        field('url', 'Page URL', url),
        field('section', 'Section', section),
        field('keywords', 'Keywords', keywords, 'comma-separated'),
        field('title', 'Article title', title),
        field('text', 'Article text', text, 'sent as page.text, for contextual keywords'),
        h('div', { class: 'field' }, h('span', { class: 'field-label', text: 'Geography' }),
          h('div', { class: 'inline' }, country, region, city),
          h('span', { class: 'hint', text: 'country, region (ID-JB), city: sent as the X-Geo-Country, X-Geo-Region and X-Geo-City headers a CDN would set' })),
        field('device', 'Device', device),
        field('user', 'User id', user, 'for frequency caps'),
        field('slots', 'Slots', slots, 'one per line: id, then sizes (728x90) and/or native')),
      sections,
      h('div', { class: 'actions-row' },
        h('button', { type: 'submit', class: 'button primary', text: 'Explain', dataset: { testid: 'explain-run' } }),
        button('Reset', () => {
          Object.assign(form, DEFAULTS);
          showExplain(view);
        }, { kind: 'subtle' }),
        h('span', { class: 'muted small', text: 'An explained request is a real request: what it serves is counted.' }))),
    out);

  admin.rules().then(({ data }) => {
    const names = new Set();
    for (const c of data.campaigns) for (const s of c.targeting?.sections?.include || []) names.add(String(s));
    replace(sections, [...names].sort().map((s) => h('option', { value: s })));
  }).catch(() => {});
}

/** The ad request of the form; throws with a message for a person. */
export function buildRequest(f) {
  if (!f.url) throw new Error('Enter the page URL (an absolute http:// or https:// address).');
  const slots = f.slots.split('\n').map((line) => line.trim()).filter(Boolean).map((line, i) => {
    const [id, ...rest] = line.split(/[\s,]+/);
    const slot = { id };
    for (const token of rest) {
      const size = /^(\d+)[x×](\d+)$/i.exec(token);
      if (size) (slot.sizes ||= []).push([Number(size[1]), Number(size[2])]);
      else if (token.toLowerCase() === 'native') slot.formats = ['native'];
      else throw new Error(`Slot line ${i + 1}: "${token}" is neither a size such as 300x250 nor native.`);
    }
    if (!slot.sizes && !slot.formats) throw new Error(`Slot line ${i + 1}: give "${id}" a size such as 300x250, or native.`);
    return slot;
  });
  if (!slots.length) throw new Error('Add at least one slot, such as: top 728x90');
  const page = { url: f.url };
  if (f.section) page.section = f.section;
  const keywords = f.keywords.split(',').map((k) => k.trim()).filter(Boolean);
  if (keywords.length) page.keywords = keywords;
  if (f.title.trim()) page.title = f.title.trim();
  if (f.text.trim()) page.text = f.text;
  const request = { page, slots };
  if (f.user) request.user = { id: f.user };
  if (f.device) request.device = { type: f.device };
  return request;
}

function result(request, answer, names) {
  if (!answer.explain) {
    return notice('warn', 'The answer has no explanation: the server did not accept the admin token for explain.');
  }
  return h('div', { class: 'slots' },
    h('p', { class: 'muted small', text: `Request ${answer.requestId}` }),
    request.slots.map((slot) => slotCard(slot, answer.slots[slot.id], answer.explain[slot.id], names)));
}

function slotCard(slot, ad, explanation, names) {
  const wants = [...(slot.sizes || []).map(([w, hh]) => `${w}×${hh}`), ...(slot.formats || [])].join(', ');
  const lost = Object.entries(explanation?.lost || {})
    .sort(([, a], [, b]) => (ORDER.get(b) ?? -1) - (ORDER.get(a) ?? -1));
  const counts = new Map();
  for (const [, reason] of lost) counts.set(reason, (counts.get(reason) || 0) + 1);
  const winner = explanation?.winner;
  return h('section', { class: 'card slot', dataset: { slot: slot.id } },
    h('div', { class: 'card-head' }, h('h2', null, h('span', { class: 'mono', text: slot.id }), h('span', { class: 'muted small', text: ` ${wants}` })),
      h('span', { class: 'muted', text: `${explanation?.candidates ?? 0} candidate${explanation?.candidates === 1 ? '' : 's'}` })),
    winner
      ? h('div', { class: 'winner', dataset: { testid: 'winner' } },
        h('div', null, badge('winner', 'ok'), ' ',
          h('a', { href: `#/campaign/${encodeURIComponent(winner)}`, class: 'mono strong', text: winner }),
          h('span', { class: 'advertiser', text: ` ${names.get(winner) ?? ad?.advertiser ?? ''}` }),
          ad ? h('span', { class: 'muted small', text: ` · ${ad.creativeId} (${ad.format}${ad.size ? ` ${ad.size[0]}×${ad.size[1]}` : ''})` }) : null),
        ad ? h('div', { class: 'preview small-preview' }, preview(ad, ad.format)) : null)
      : notice('warn', 'No fill: no campaign could take this slot.'),
    h('p', { class: 'reasons' }, [...counts].sort(([a], [b]) => ORDER.get(b) - ORDER.get(a))
      .map(([reason, n]) => h('span', null, badge(`${reason} ${n}`, `reason-${reason}`), ' '))),
    lost.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'grid lost', dataset: { testid: 'lost' } },
      h('thead', null, h('tr', null, ['Campaign', 'Advertiser', 'Lost on', 'Meaning'].map((t) => h('th', { text: t })))),
      h('tbody', null, lost.map(([id, reason]) => h('tr', { dataset: { campaign: id, reason } },
        h('td', null, h('a', { href: `#/campaign/${encodeURIComponent(id)}`, class: 'mono', text: id })),
        h('td', { class: 'advertiser', text: names.get(id) ?? '' }),
        h('td', null, badge(reason, `reason-${reason}`)),
        h('td', { class: 'muted', text: MEANING.get(reason) ?? '' }))))))
      : h('p', { class: 'muted', text: 'No other campaign in the rules.' }));
}
