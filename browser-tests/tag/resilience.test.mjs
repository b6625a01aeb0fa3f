// The tag never breaks the article: whatever the ad server does (stopped, hanging, failing,
// answering nonsense), the article renders fully and the tag gives up after tmax.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, test } from 'node:test';
import {
  IKLAN_URL, demoFile, launch, openPage, publisher, rendered, screenshotPath, slotStates,
  stoppedServerUrl,
} from './helpers.mjs';

const ARTICLE = demoFile('index.html');
const PARAGRAPHS = (ARTICLE.replace(/<template[\s\S]*?<\/template>/g, '').match(/<p[ >]/g) || []).length;
const NEAR = ['top', 'mid-1', 'sidebar'];
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The demo article as a publisher serves it, with the tag loaded from `tag`. */
async function publisherWithTagAt(tag) {
  const page = ARTICLE.replace('<script async src="/iklan.js"></script>', `<script async src="${tag}"></script>`);
  assert.notEqual(page, ARTICLE, 'the demo page loads /iklan.js');
  return publisher({ '/artikel': page, '/demo/demo.css': demoFile('demo.css') });
}

/** The article is all there: headline, every paragraph, the footer; and no script error. */
async function assertArticleIntact(page, traffic) {
  assert.equal(await page.locator('h1').textContent(),
    'Delegasi Rusia Kunjungi Pyongyang, Bahas Jalur Logistik dan Beasiswa');
  assert.equal(await page.locator('p').count(), PARAGRAPHS);
  assert.ok(await page.locator('.article-body p').first().isVisible());
  assert.ok(await page.locator('.editor').isVisible());
  assert.ok(await page.locator('footer.site-footer').isVisible());
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
  assert.deepEqual(traffic.errors, []);
}

test('with the ad server stopped, the article still renders fully', async (t) => {
  const stopped = await stoppedServerUrl();
  const site = await publisherWithTagAt(`${stopped}/iklan.js`);
  t.after(() => site.close());
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  const started = Date.now();
  await page.goto(`${site.url}/artikel`, { waitUntil: 'load', timeout: 10_000 });
  const loadedMs = Date.now() - started;

  await assertArticleIntact(page, traffic);
  assert.ok(loadedMs < 8000, `loaded in ${loadedMs} ms`);
  assert.equal(traffic.adRequests.length, 0);
  // Without ads, no "Iklan" label is left standing (the page's CSS hides labels of empty slots).
  assert.equal(await page.locator('.iklan-label:visible').count(), 0);
  await page.screenshot({ path: screenshotPath('demo-ad-server-stopped.png'), fullPage: true });
});

test('a tag script that never arrives holds up neither the article nor DOMContentLoaded', async (t) => {
  const hanging = net.createServer(() => {}); // accepts, never answers
  const sockets = new Set();
  hanging.on('connection', (s) => sockets.add(s));
  hanging.listen(0, '127.0.0.1').unref();
  await once(hanging, 'listening');
  t.after(() => {
    hanging.close();
    sockets.forEach((s) => s.destroy());
  });
  const site = await publisherWithTagAt(`http://127.0.0.1:${hanging.address().port}/iklan.js`);
  t.after(() => site.close());
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  const started = Date.now();
  await page.goto(`${site.url}/artikel`, { waitUntil: 'domcontentloaded', timeout: 10_000 });
  const readyMs = Date.now() - started;

  await assertArticleIntact(page, traffic);
  assert.ok(readyMs < 8000, `DOMContentLoaded after ${readyMs} ms`);
});

test('an ad server that does not answer in time: the tag gives up after tmax and collapses its slots', async (t) => {
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  const held = [];
  await page.route(`${IKLAN_URL}/v1/ads`, (route) => { held.push(route); }); // never answered
  await page.goto(`${IKLAN_URL}/demo/`);
  await page.waitForFunction(() => window.__iklanEvents.length > 0, null, { timeout: 10_000 });
  await rendered(page, NEAR);

  const events = await page.evaluate(() => window.__iklanEvents);
  const request = traffic.adRequests[0];
  assert.equal(request.body.tmax, 1000);
  const gaveUpAfter = events[0].t - (await page.evaluate(() => performance
    .getEntriesByType('resource').find((e) => e.name.endsWith('/v1/ads')).startTime));
  // measured from the request's resource entry, which a busy browser may start some ms after
  // the tag's timer (set just before fetch): 984 ms was seen on CI, so 900 is the floor; a tag
  // that gave up early (before tmax) would still land well below it
  assert.ok(gaveUpAfter >= 900 && gaveUpAfter < 5000, `gave up after ${gaveUpAfter} ms`);
  assert.deepEqual(events.map((e) => [e.slot, e.filled]).sort(), NEAR.map((id) => [id, false]).sort());
  const states = await slotStates(page);
  for (const id of NEAR) assert.equal(states[id], 'empty');
  assert.ok(!(await page.locator('[data-iklan-slot="top"]').isVisible()), 'collapsed');
  await assertArticleIntact(page, traffic);
  await Promise.all(held.map((r) => r.abort().catch(() => {})));
});

const BAD_ANSWERS = {
  'a 500 problem': { status: 500, contentType: 'application/problem+json',
    body: '{"type":"about:blank","title":"Internal server error","status":500}' },
  'a 503 without a body': { status: 503, body: '' },
  'text that is not JSON': { status: 200, contentType: 'application/json', body: '<html>502 Bad Gateway' },
  'JSON that is not an object': { status: 200, contentType: 'application/json', body: '[1, 2, 3]' },
  'slots of the wrong type': { status: 200, contentType: 'application/json', body: '{"slots": "rusak"}' },
  'ads that are unusable or hostile': { status: 200, contentType: 'application/json', body: JSON.stringify({
    slots: {
      top: { format: 'image', imageUrl: 'javascript:alert(1)', clickUrl: 'javascript:alert(2)', size: [728, 90] },
      'mid-1': { format: 'html', html: 42, size: [300, 250] },
      sidebar: { format: 'native', title: { toString: 1 }, clickUrl: 'data:text/html,<script>alert(3)</script>' },
    },
  }) },
};

for (const [name, answer] of Object.entries(BAD_ANSWERS)) {
  test(`an ad server answering ${name}: the page stays intact and the slots collapse`, async (t) => {
    const { context, page, traffic } = await openPage(browser);
    t.after(() => context.close());
    await page.route(`${IKLAN_URL}/v1/ads`, (route) => route.fulfill(
      { ...answer, headers: { 'access-control-allow-origin': '*' } }));
    await page.goto(`${IKLAN_URL}/demo/`);
    await rendered(page, NEAR);
    const states = await slotStates(page);
    for (const id of NEAR) assert.equal(states[id], 'empty', `slot ${id}`);
    await assertArticleIntact(page, traffic);
  });
}

test('an answer with some usable ads: those are shown, the others collapse', async (t) => {
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  await page.route(`${IKLAN_URL}/v1/ads`, (route) => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ requestId: 'x', slots: {
      top: { format: 'image', imageUrl: `${IKLAN_URL}/demo/img/kn-aplikasi-728x90.svg`, alt: 'Unduh aplikasi',
        size: [728, '90; position: fixed'], clickUrl: 'https://kabarnusantara.example/aplikasi', onclick: 'alert(1)' },
      'mid-1': 'bukan iklan',
      // sidebar: missing
    } }) }));
  await page.goto(`${IKLAN_URL}/demo/`);
  await rendered(page, NEAR);
  assert.deepEqual(Object.fromEntries(Object.entries(await slotStates(page)).filter(([id]) => NEAR.includes(id))),
    { top: 'filled', 'mid-1': 'empty', sidebar: 'empty' });
  const img = page.locator('[data-iklan-slot="top"] a > img');
  assert.equal(await img.getAttribute('alt'), 'Unduh aplikasi');
  assert.equal(await img.getAttribute('width'), '728');
  assert.equal(await img.getAttribute('height'), null, 'a malformed height is left out');
  assert.equal(await page.locator('[onclick]').count(), 0);
  await assertArticleIntact(page, traffic);
});
