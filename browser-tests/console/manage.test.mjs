// Changing the rules from the console: upload with problems, fix and apply, rollback, pause and
// resume, downloads. The only test file that writes rules; its tests run in order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { BASE, api, assertClean, clearToasts, go, launch, openConsole, shot, signIn, tempFile } from './helpers.mjs';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await openConsole(browser.context);
  await signIn(page);
});
after(async () => { await browser?.close(); });

const day = 24 * 3600 * 1000;
const start = new Date(Date.now() - day).toISOString().replace(/\.\d+Z$/, 'Z');
const end = new Date(Date.now() + 30 * day).toISOString().replace(/\.\d+Z$/, 'Z');
const HEADER = 'id,advertiser,tier,cpm,currency,start,end,goal_impressions,sections_include,creative_id,format,size,image_url,alt,click_url';
const line = (creative, size, image, click) =>
  `c-pulsa-kilat,Pulsa Kilat,standard,30000,IDR,${start},${end},500,teknologi,${creative},image,${size},${BASE}/demo/img/${image},"Pulsa murah, kuota besar",${click}`;
const BROKEN = [HEADER,
  line('cr-pulsa-300x250', '300x250', 'sinyalprima-300x250.svg', 'https://pulsakilat.example/promo'),
  line('cr-pulsa-320x50', '320x50', 'sinyalprima-320x50.svg', 'pulsakilat.example/promo')].join('\r\n');
const FIXED = BROKEN.replace(',pulsakilat.example/promo', ',https://pulsakilat.example/promo');

const campaignRow = (id) => page.locator(`[data-testid=campaigns-table] tr[data-campaign="${id}"]`);

let versionBefore;

test('upload a CSV with an error: the problem names its line, and nothing changes', async () => {
  versionBefore = (await api('GET', '/v1/admin/versions')).json.current;
  await go(page, '#/upload', '[data-testid=versions] tr[data-version]');
  await page.setInputFiles('[data-testid=upload-file]', tempFile('kampanye-pulsa.csv', BROKEN));

  const problems = page.locator('[data-testid=problems] tbody tr');
  await problems.first().waitFor();
  assert.equal(await problems.count(), 1);
  const cells = await problems.first().locator('td').allInnerTexts();
  assert.equal(cells[0], 'Line 3');
  assert.equal(cells[1], 'c-pulsa-kilat');
  assert.equal(cells[2], 'click_url');
  assert.match(cells[3], /http/);
  await page.getByText('Nothing was changed').waitFor();
  assert.equal((await api('GET', '/v1/admin/versions')).json.current, versionBefore, 'no new version');
  await shot(page, 'upload-problems');
  assertClean(page);
});

test('the fixed file shows its dry-run diff, applies, and the campaign appears', async () => {
  await page.setInputFiles('[data-testid=upload-file]', tempFile('kampanye-pulsa.csv', FIXED));
  const added = page.locator('[data-testid=upload-result] [data-testid=diff-added]');
  await added.getByText('c-pulsa-kilat').waitFor();
  const result = page.locator('[data-testid=upload-result]');
  assert.match(await result.locator('[data-testid=diff-changed]').innerText(), /\(0\)/);
  assert.match(await result.locator('[data-testid=diff-removed]').innerText(), /\(0\)/);
  assert.equal((await api('GET', '/v1/admin/versions')).json.current, versionBefore, 'a dry run changes nothing');
  await shot(page, 'upload-diff');

  await page.click('[data-testid=apply]');
  await page.locator('[data-testid=upload-result]').getByText(`the rules are now version ${versionBefore + 1}`).waitFor();
  await page.locator(`[data-testid=versions] tr[data-version="${versionBefore + 1}"]`).getByText('live').waitFor();
  await shot(page, 'upload-applied');

  await go(page, '#/campaigns', '[data-testid=campaigns-table] tr[data-campaign="c-pulsa-kilat"]');
  assert.equal(await campaignRow('c-pulsa-kilat').locator('td.advertiser').textContent(), 'Pulsa Kilat');
  const stored = await api('GET', '/v1/admin/campaigns/c-pulsa-kilat');
  assert.equal(stored.status, 200);
  assert.equal(stored.json.creatives.length, 2);
  assertClean(page);
});

test('a JSON file dropped on the zone is checked the same way; problems without an id name the item', async () => {
  await go(page, '#/upload', '[data-testid=dropzone]');
  const drop = async (name, content) => {
    const transfer = await page.evaluateHandle(([n, c]) => {
      const data = new DataTransfer();
      data.items.add(new File([c], n, { type: 'application/json' }));
      return data;
    }, [name, content]);
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: transfer });
  };
  const current = (await api('GET', '/v1/admin/campaigns/c-sepatucakra-timnas')).json;
  await drop('sepatu.json', JSON.stringify({ campaigns: [{ ...current, cpm: 36000 }] }));
  await page.locator('[data-testid=upload-result] [data-testid=diff-changed]').getByText('c-sepatucakra-timnas').waitFor();
  await page.getByRole('button', { name: 'Discard' }).click();

  await drop('tanpa-id.json', JSON.stringify([{ advertiser: 'Tanpa Id', tier: 'gold' }]));
  const first = page.locator('[data-testid=problems] tbody tr').first();
  await first.waitFor();
  assert.equal(await first.locator('td').first().innerText(), 'Item 1 (index 0)');
  assert.equal((await api('GET', '/v1/admin/campaigns/c-sepatucakra-timnas')).json.cpm, 35000, 'dry runs only');
  assertClean(page);
});

test('rollback restores the previous version', async () => {
  const applied = versionBefore + 1;
  await go(page, '#/upload', `[data-testid=versions] tr[data-version="${applied}"]`);
  await page.click(`[data-testid=restore-${versionBefore}]`);
  const confirm = page.locator('[data-testid=restore-confirm]');
  await confirm.locator('[data-testid=diff-removed]').getByText('c-pulsa-kilat').waitFor();
  await shot(page, 'versions-rollback');
  await page.click('[data-testid=restore-apply]');
  await page.locator(`[data-testid=versions] tr[data-version="${applied + 1}"]`).getByText(`restore ${versionBefore}`).waitFor();

  const history = (await api('GET', '/v1/admin/versions')).json;
  assert.equal(history.current, applied + 1);
  assert.deepEqual(history.versions[0].changes.removed, ['c-pulsa-kilat']);
  assert.equal((await api('GET', '/v1/admin/campaigns/c-pulsa-kilat')).status, 404);
  await go(page, '#/campaigns', '[data-testid=campaigns-table] tr[data-campaign="c-telkonusa-roaming"]');
  assert.equal(await campaignRow('c-pulsa-kilat').count(), 0, 'the campaign is gone again');
  await shot(page, 'versions');
  assertClean(page);
});

test('pause and resume; a change made meanwhile by someone else is not overwritten', async () => {
  const status = async () => (await api('GET', '/v1/admin/campaigns/c-voltaandalas-ev')).json.status;
  assert.equal(await status(), 'paused');
  await go(page, '#/campaign/c-voltaandalas-ev', '[data-testid=toggle-status]');
  assert.equal(await page.locator('[data-testid=toggle-status]').innerText(), 'Resume');
  await clearToasts(page);
  await page.click('[data-testid=toggle-status]');
  await page.locator('.toast', { hasText: 'Resumed c-voltaandalas-ev' }).waitFor();
  await page.locator('[data-testid=toggle-status]', { hasText: 'Pause' }).waitFor();
  assert.equal(await status(), 'active');

  // Someone else writes while the page is open: the console's pause must not undo it blindly.
  const other = await api('POST', '/v1/admin/campaigns', {
    body: { ...(await api('GET', '/v1/admin/campaigns/c-voltaandalas-ev')).json, cpm: 39000 },
  });
  assert.equal(other.status, 200);
  await clearToasts(page);
  await page.click('[data-testid=toggle-status]');
  await page.locator('.toast', { hasText: 'The rules changed since this page was loaded' }).waitFor();
  assert.equal(await status(), 'active', 'nothing was written on the stale version');
  await page.locator('section.card', { hasText: 'IDR 39,000' }).waitFor(); // reloaded

  await clearToasts(page);
  await page.click('[data-testid=toggle-status]');
  await page.locator('.toast', { hasText: 'Paused c-voltaandalas-ev' }).waitFor();
  await page.locator('[data-testid=toggle-status]', { hasText: 'Resume' }).waitFor();
  const stored = (await api('GET', '/v1/admin/campaigns/c-voltaandalas-ev')).json;
  assert.equal(stored.status, 'paused');
  assert.equal(stored.cpm, 39000, 'the other person\'s change is kept');

  await go(page, '#/campaigns', '[data-testid=campaigns-table] tr[data-campaign="c-voltaandalas-ev"]');
  await clearToasts(page);
  await page.click('[data-testid="toggle-c-voltaandalas-ev"]');
  await page.locator('.toast', { hasText: 'Resumed c-voltaandalas-ev' }).waitFor();
  assert.equal(await status(), 'active');
  await page.locator('[data-testid=campaigns-table] tr[data-campaign="c-voltaandalas-ev"] [data-testid="toggle-c-voltaandalas-ev"]', { hasText: 'Pause' }).waitFor();
  await clearToasts(page);
  await page.click('[data-testid="toggle-c-voltaandalas-ev"]');
  await page.locator('.toast', { hasText: 'Paused c-voltaandalas-ev' }).waitFor();
  assert.equal(await status(), 'paused');
  assertClean(page);
});

test('the live rules download as CSV for a spreadsheet', async () => {
  await go(page, '#/upload', '[data-testid=download-csv]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-csv]')]);
  const version = (await api('GET', '/v1/admin/versions')).json.current;
  assert.equal(download.suggestedFilename(), `iklan-rules-v${version}.csv`);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^id,advertiser,/);
  assert.match(csv, /c-telkonusa-roaming,TelkoNusa,/);
  assertClean(page);
});
