// Impressions: counted once, when at least half of the ad has been in view for one continuous
// second (MRC display viewability). The page is a publisher's, with the tag from the ad server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { articlePage, launch, openPage, publisher, rendered, scrollTo } from './helpers.mjs';

const SLOTS = ['atas', 'tengah', 'bawah'];
let browser, site;

before(async () => {
  browser = await launch();
  site = await publisher({
    '/artikel': articlePage({
      head: '<style>[data-iklan-slot] { width: 300px; margin: 0 auto }</style>',
      // 'tengah' and 'bawah' are far below the fold, but asked for at once (data-iklan-lazy="off"),
      // so that their ads are on the page, out of view, before the tests scroll to them.
      slots: `
        <div data-iklan-slot="atas" data-sizes="300x250"></div>
        <div class="spacer"></div>
        <div data-iklan-slot="tengah" data-sizes="300x250" data-iklan-lazy="off"></div>
        <div class="spacer"></div>
        <div data-iklan-slot="bawah" data-sizes="300x250" data-iklan-lazy="off"></div>
        <div class="spacer"></div>`,
    }),
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function load() {
  const opened = await openPage(browser);
  await opened.page.goto(`${site.url}/artikel`);
  await rendered(opened.page, SLOTS);
  await opened.traffic.settled();
  for (const id of SLOTS) assert.equal(opened.traffic.ad(id)?.format, 'image', `slot ${id} filled`);
  assert.equal(opened.traffic.adRequests.length, 1);
  return opened;
}

async function until(condition, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The tag's own events for a slot, with the page's clock. */
function events(page, slot) {
  return page.evaluate((slot) => window.__iklanEvents.filter((e) => e.slot === slot), slot);
}

test('an ad in view from the start sends its beacon after one second, and only once', async () => {
  const { context, page, traffic } = await load();
  await until(() => traffic.beaconsFor('atas') === 1, 5000, 'the beacon of "atas"');
  const [render, impression] = await events(page, 'atas');
  assert.equal(render.type, 'render');
  assert.equal(impression.type, 'impression');
  const waited = impression.t - render.t;
  assert.ok(waited >= 1000 && waited < 4000, `beacon ${waited} ms after the ad was shown`);

  await scrollTo(page, '[data-iklan-slot="tengah"]');
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1600);
  assert.equal(traffic.beaconsFor('atas'), 1, 'seen again: not counted again');
  assert.equal(traffic.beaconsFor('tengah'), 0);
  assert.equal(traffic.beaconsFor('bawah'), 0);
  await context.close();
});

test('an ad scrolled into view for one second sends its beacon once', async () => {
  const { context, page, traffic } = await load();
  await page.waitForTimeout(1200);
  assert.equal(traffic.beaconsFor('tengah'), 0, 'out of view: no beacon');

  await scrollTo(page, '[data-iklan-slot="tengah"]');
  await until(() => traffic.beaconsFor('tengah') === 1, 4000, 'the beacon of "tengah"');
  const [, impression] = await events(page, 'tengah');
  assert.equal(impression.type, 'impression');
  assert.equal(impression.campaignId, traffic.ad('tengah').campaignId);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await scrollTo(page, '[data-iklan-slot="tengah"]');
  await page.waitForTimeout(1600);
  assert.equal(traffic.beaconsFor('tengah'), 1, 'once per ad');
  assert.equal(traffic.beaconsFor('bawah'), 0);
  await context.close();
});

test('an ad that only flashes by sends no beacon', async () => {
  const { context, page, traffic } = await load();
  // Three glimpses of 300 ms, timed in the page (not from here, where a busy machine could
  // stretch them): the ad in view, then a screen above it.
  await page.evaluate(async () => {
    const ad = document.querySelector('[data-iklan-slot="bawah"]');
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    for (let i = 0; i < 3; i++) {
      window.scrollTo(0, window.scrollY + ad.getBoundingClientRect().top - 100);
      await sleep(300);
      window.scrollTo(0, window.scrollY + ad.getBoundingClientRect().top - 2 * innerHeight);
      await sleep(300);
    }
  });
  await page.waitForTimeout(1500);
  assert.equal(traffic.beaconsFor('bawah'), 0, 'three glimpses of 300 ms are not one second');
  assert.equal(traffic.beaconsFor('tengah'), 0);
  assert.deepEqual((await events(page, 'bawah')).map((e) => e.type), ['render']);
  await context.close();
});

test('an ad less than half in view is not counted; more than half for a second is', async () => {
  const { context, page, traffic } = await load();
  const height = await page.evaluate(() => innerHeight);
  // 100 of its 250 px in view (40%), for two seconds.
  await scrollTo(page, '[data-iklan-slot="bawah"] img', height - 100);
  await page.waitForTimeout(2000);
  assert.equal(traffic.beaconsFor('bawah'), 0, '40% in view');
  // 150 of 250 px (60%).
  await scrollTo(page, '[data-iklan-slot="bawah"] img', height - 150);
  await until(() => traffic.beaconsFor('bawah') === 1, 4000, 'the beacon at 60% in view');
  await context.close();
});

test('an ad in a tab in the background is counted only once the tab is back', async () => {
  const { context, page, traffic } = await load();
  await page.evaluate(() => {
    window.__hidden = true;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await scrollTo(page, '[data-iklan-slot="tengah"]');
  await page.waitForTimeout(1800);
  assert.equal(traffic.beaconsFor('tengah'), 0, 'in view but the tab is hidden');
  await page.evaluate(() => {
    window.__hidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await until(() => traffic.beaconsFor('tengah') === 1, 4000, 'the beacon once the tab is back');
  await context.close();
});
