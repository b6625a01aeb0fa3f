// Campaigns: delivery, pacing and CTR from the seeded week; search, filters and sort; the detail
// view with targeting and image previews; and rule contents shown as text, never as HTML.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertClean, go, launch, openConsole, shot, signIn } from './helpers.mjs';

const HOSTILE = '<img src=x onerror="document.title=\'XSS\'">';
let browser;
let page;
before(async () => {
  browser = await launch();
  page = await openConsole(browser.context);
  await signIn(page);
});
after(async () => { await browser?.close(); });

const row = (id) => page.locator(`[data-testid=campaigns-table] tr[data-campaign="${id}"]`);

test('the table shows delivery against goal, pacing state and CTR', async () => {
  await go(page, '#/campaigns', '[data-testid=campaigns-table] tr[data-campaign="c-telkonusa-roaming"]');
  const pacing = async (id) => row(id).locator('[data-pacing]').getAttribute('data-pacing');
  assert.equal(await pacing('c-telkonusa-roaming'), 'on-track', '21 of 40 at half-time');
  assert.equal(await pacing('c-sepatucakra-timnas'), 'ahead', '28 of 40 at half-time');
  assert.equal(await pacing('c-banksamudra-investasi'), 'behind', '7 of 1000 at half-time');
  assert.equal(await pacing('h-kn-aplikasi'), 'none', 'no goal');
  assert.match(await row('c-telkonusa-roaming').locator('td.delivery').innerText(), /21 \/ 40/);
  assert.match(await row('c-sepatucakra-timnas').locator('td.delivery').innerText(), /28 \/ 40/);
  const ctr = await row('c-telkonusa-roaming').locator('td').nth(8).innerText();
  assert.match(ctr, /^\d+\.\d\d%$/);
  assert.notEqual(ctr, '0.00%', 'the seeded clicks give a CTR');
  await shot(page, 'campaigns');
  assertClean(page);
});

test('search, filters and sort narrow and order the table', async () => {
  await go(page, '#/campaigns', '[data-testid=campaigns-table] tbody tr');
  const ids = () => page.locator('[data-testid=campaigns-table] tbody tr[data-campaign]')
    .evaluateAll((rows) => rows.map((r) => r.dataset.campaign));

  await page.fill('[data-testid=search]', 'samudra');
  assert.deepEqual(await ids(), ['c-banksamudra-investasi']);
  await page.fill('[data-testid=search]', '');

  // (manage.test.mjs pauses and resumes c-voltaandalas-ev, perhaps at the same time: check the
  // rows against their own status rather than against a fixed list.)
  await page.selectOption('[data-testid=filter-status]', 'active');
  const statuses = await page.locator('[data-testid=campaigns-table] tbody tr[data-campaign] td:nth-child(3)').allInnerTexts();
  assert.ok(statuses.length >= 6 && statuses.every((s) => s === 'active'), statuses.join());
  await page.selectOption('[data-testid=filter-status]', '');

  await page.selectOption('[data-testid=filter-tier]', 'remnant');
  assert.deepEqual((await ids()).sort(), ['c-dompetkita-remnant', 'c-iseng-hiburan']);
  await page.selectOption('[data-testid=filter-tier]', '');

  await page.selectOption('[data-testid=filter-advertiser]', 'TelkoNusa');
  assert.deepEqual(await ids(), ['c-telkonusa-roaming']);
  await page.selectOption('[data-testid=filter-advertiser]', '');

  await page.click('button[data-sort=cpm]');
  const sorted = await ids();
  assert.equal(sorted[0], 'c-banksamudra-investasi', 'highest CPM first');
  assert.equal(sorted.at(-1), 'h-kn-aplikasi', 'house at CPM 0 last');
  await page.click('button[data-sort=cpm]');
  assert.equal((await ids())[0], 'h-kn-aplikasi', 'a second click reverses');
  assertClean(page);
});

test('a hostile advertiser name renders as text, in the table and in the detail view', async () => {
  await go(page, '#/campaigns', '[data-testid=campaigns-table] tr[data-campaign="c-iseng-hiburan"]');
  await page.fill('[data-testid=search]', 'iseng');
  const cell = row('c-iseng-hiburan').locator('td.advertiser');
  assert.equal(await cell.textContent(), HOSTILE);
  assert.equal(await cell.locator('img').count(), 0, 'no element made from the name');
  await shot(page, 'hostile-table');
  await page.fill('[data-testid=search]', '');

  await go(page, '#/campaign/c-iseng-hiburan', '.creative');
  assert.equal(await page.locator('h1.advertiser').textContent(), HOSTILE);
  await page.getByText('<img src=x onerror="window.__xss = 2">', { exact: true }).waitFor();
  await page.getByText('<b>tebal?</b>', { exact: true }).waitFor();
  await page.getByText('<script>window.__xss = 1</script>', { exact: true }).first().waitFor();
  const injected = await page.evaluate(() => ({
    xss: window.__xss,
    title: document.title,
    imgX: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
    scripts: [...document.scripts].map((s) => s.src),
    bold: document.querySelectorAll('.view b, .view i').length,
  }));
  assert.equal(injected.xss, undefined, 'no injected script ran');
  assert.notEqual(injected.title, 'XSS');
  assert.equal(injected.imgX, 0);
  assert.equal(injected.bold, 0, 'no markup from the rules');
  assert.deepEqual(injected.scripts.map((s) => new URL(s).pathname), ['/console/js/app.js']);
  await shot(page, 'hostile');
  assertClean(page);
});

test('the detail view shows targeting and creatives with image previews', async () => {
  await go(page, '#/campaign/c-telkonusa-roaming', '.creative img.creative-img');
  assert.equal(await page.locator('h1.advertiser').textContent(), 'TelkoNusa');
  const targeting = await page.locator('section.card', { hasText: 'Targeting' }).innerText();
  assert.match(targeting, /internasional/);
  assert.match(targeting, /bencana/);
  assert.match(targeting, /ID-PA/);
  assert.equal(await page.locator('.creative').count(), 2);
  const image = page.locator('.creative[data-creative="cr-telkonusa-728x90"] img.creative-img');
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  assert.equal(await image.getAttribute('alt'), 'Paket roaming TelkoNusa');
  await page.locator('.creative[data-creative="cr-telkonusa-native"] .native-title', { hasText: 'Tetap terhubung di luar negeri' }).waitFor();
  const delivery = await page.locator('section.card', { hasText: 'Delivery' }).innerText();
  assert.match(delivery, /21 of 40/);
  assert.match(delivery, /on track/);
  await shot(page, 'campaign');
  assertClean(page);
});
