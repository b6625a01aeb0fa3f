// The demo article pages with the shipped demo rules, as a reader sees them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  IKLAN_URL, launch, openPage, rendered, screenshotPath, scrollThrough, slotStates,
} from './helpers.mjs';

const ALL_SLOTS = ['top', 'mid-1', 'mid-2', 'read-next', 'sidebar', 'bottom'];
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Slot ids whose element starts within one viewport height below the fold, at scroll 0. */
function nearSlots(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-iklan-slot]')]
    .filter((e) => e.getBoundingClientRect().top < 2 * innerHeight)
    .map((e) => e.dataset.iklanSlot));
}

test('the demo article shows an ad in every declared slot', async () => {
  const { context, page, traffic } = await openPage(browser);
  await page.goto(`${IKLAN_URL}/demo/`);
  await rendered(page, ['top', 'mid-1', 'sidebar']);
  await scrollThrough(page);
  await rendered(page, ALL_SLOTS);
  await traffic.settled();

  assert.deepEqual(await slotStates(page), Object.fromEntries(ALL_SLOTS.map((id) => [id, 'filled'])));
  for (const id of ['top', 'mid-1', 'mid-2', 'sidebar', 'bottom']) {
    const ad = traffic.ad(id);
    assert.equal(ad.format, 'image', `slot ${id}: ${JSON.stringify(ad)}`);
    const link = page.locator(`[data-iklan-slot="${id}"] > a`);
    assert.equal(await link.getAttribute('href'), ad.clickUrl);
    assert.ok(ad.clickUrl.startsWith(`${IKLAN_URL}/v1/click?t=`), ad.clickUrl);
    const img = link.locator('img');
    assert.equal(await img.getAttribute('alt'), ad.alt);
    assert.deepEqual([Number(await img.getAttribute('width')), Number(await img.getAttribute('height'))], ad.size);
    await img.evaluate((e) => e.decode());
    assert.ok(await img.evaluate((e) => e.naturalWidth > 0), `image of ${id} loaded`);
    assert.ok(await page.locator(`[data-iklan-slot="${id}"]`).isVisible());
  }
  const native = page.locator('[data-iklan-slot="read-next"] .iklan-native');
  const ad = traffic.ad('read-next');
  assert.equal(ad.format, 'native');
  assert.equal(await native.getAttribute('href'), ad.clickUrl);
  assert.equal(await native.locator('.iklan-native-title').textContent(), ad.title);
  assert.equal(await native.locator('.iklan-native-sponsor').textContent(), `Disponsori oleh ${ad.sponsor}`);
  assert.ok(await page.locator('section.read-next .iklan-label').isVisible(), 'the "Iklan" label shows');
  assert.deepEqual(traffic.errors, []);
  assert.deepEqual(traffic.console, [], 'a clean console: every image and script loaded, no warning');

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath('demo-internasional.png'), fullPage: true });
  await context.close();
});

test('one ad request for the slots near the viewport; the others once they come near', async () => {
  const { context, page, traffic } = await openPage(browser);
  await page.goto(`${IKLAN_URL}/demo/`);
  await rendered(page, ['top', 'mid-1', 'sidebar']);
  const near = await nearSlots(page);
  await page.waitForTimeout(1500); // nothing else is asked for while the reader stays on top

  assert.equal(traffic.adRequests.length, 1, JSON.stringify(traffic.adRequests.map((r) => r.slots)));
  const first = traffic.adRequests[0];
  assert.deepEqual([...first.slots].sort(), [...near].sort());
  assert.deepEqual([...first.slots].sort(), ['mid-1', 'sidebar', 'top']);
  assert.deepEqual(first.body.slots.find((s) => s.id === 'top'), { id: 'top', sizes: [[728, 90], [970, 250]] });
  assert.equal(first.body.page.url,
    'https://kabarnusantara.example/internasional/2026/11/28/delegasi-rusia-kunjungi-pyongyang-bahas-jalur-logistik-dan-beasiswa');
  assert.equal(first.body.page.section, 'internasional');
  assert.deepEqual(first.body.page.keywords, ['rusia', 'korea utara', 'diplomasi']);
  assert.equal(first.body.device.type, 'desktop');
  assert.match(first.body.user.id, /^[0-9a-f]{32}$/);
  assert.equal(first.body.tmax, 1000);
  assert.deepEqual(await slotStates(page), {
    top: 'filled', 'mid-1': 'filled', 'mid-2': 'pending', 'read-next': 'pending', sidebar: 'filled', bottom: 'pending',
  });

  await scrollThrough(page);
  await rendered(page, ALL_SLOTS);
  await traffic.settled();
  const later = traffic.adRequests.slice(1).flatMap((r) => r.slots);
  assert.deepEqual([...later].sort(), ['bottom', 'mid-2', 'read-next']);
  assert.ok(traffic.adRequests.length <= 3, `slots coming near together share requests: ${traffic.adRequests.length}`);
  assert.deepEqual(traffic.errors, []);
  await context.close();
});

test('a demo page of another section shows other ads', async () => {
  const campaigns = {};
  for (const [name, path] of [['internasional', '/demo/'], ['otomotif', '/demo/otomotif.html']]) {
    const { context, page, traffic } = await openPage(browser);
    await page.goto(IKLAN_URL + path);
    await scrollThrough(page);
    await rendered(page, ALL_SLOTS);
    await traffic.settled();
    assert.equal(traffic.adRequests[0].body.page.section, name);
    campaigns[name] = new Set(ALL_SLOTS.map((id) => traffic.ad(id)?.campaignId));
    if (name === 'otomotif') {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotPath('demo-otomotif.png'), fullPage: true });
    }
    await context.close();
  }
  // Motor Garuda's roadblock takes the otomotif page; the internasional page has TelkoNusa.
  assert.ok(campaigns.otomotif.has('c-motorgaruda-roadblock'), [...campaigns.otomotif].join());
  assert.ok(!campaigns.internasional.has('c-motorgaruda-roadblock'), [...campaigns.internasional].join());
  assert.ok(campaigns.internasional.has('c-telkonusa-roaming'), [...campaigns.internasional].join());
  assert.ok(!campaigns.otomotif.has('c-telkonusa-roaming'), [...campaigns.otomotif].join());
});

test('on a phone the demo article asks as a mobile device and still fills its slots', async () => {
  const { context, page, traffic } = await openPage(browser, {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  await page.goto(`${IKLAN_URL}/demo/`);
  await rendered(page, ['top']);
  assert.equal(traffic.adRequests[0].body.device.type, 'mobile');
  await scrollThrough(page);
  await rendered(page, ALL_SLOTS);
  const states = await slotStates(page);
  assert.equal(states.top, 'filled');
  assert.equal(states['read-next'], 'filled');
  assert.deepEqual(traffic.errors, []);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath('demo-internasional-mobile.png'), fullPage: true });
  await context.close();
});
