// Reports: the seeded week as a daily chart, by campaign and by section, with CSV downloads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { assertClean, go, launch, openConsole, serverToday, shot, signIn } from './helpers.mjs';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await openConsole(browser.context);
  await signIn(page);
});
after(async () => { await browser?.close(); });

test('the daily chart and the tables by campaign and by section show the week', async () => {
  await go(page, '#/reports', '[data-testid=chart] svg');
  const chart = page.locator('[data-testid=chart]');
  assert.equal(await chart.getAttribute('data-points'), '14', 'the last 14 days by default');
  const bars = await chart.locator('rect.col title').allTextContents();
  const today = await serverToday();
  assert.equal(bars.length, 14);
  const servedToday = bars.find((t) => t.startsWith(today));
  assert.match(servedToday, /: (1[1-9]|[2-9]\d)$/, 'at least the 11 seeded serves of today');
  const nonZero = bars.filter((t) => !t.endsWith(': 0'));
  assert.ok(nonZero.length >= 7, `the 7 seeded days have bars (${nonZero.length})`);

  const byCampaign = await page.locator('[data-testid=report-campaign] table').innerText();
  for (const id of ['c-telkonusa-roaming', 'c-sepatucakra-timnas', 'c-banksamudra-investasi', 'h-kn-aplikasi']) {
    assert.match(byCampaign, new RegExp(id));
  }
  const bySection = await page.locator('[data-testid=report-section] table').innerText();
  for (const section of ['internasional', 'olahraga', 'ekonomi']) assert.match(bySection, new RegExp(section));
  assert.match(await page.locator('[data-testid=kpis]').innerText(), /Revenue/);
  await shot(page, 'reports');
  assertClean(page);
});

test('lines by campaign and by section, and other metrics', async () => {
  await go(page, '#/reports', '[data-testid=chart] svg');
  await page.selectOption('[data-testid=split]', 'campaign');
  await page.locator('[data-testid=chart] .legend', { hasText: 'c-sepatucakra-timnas' }).waitFor();
  assert.ok(Number(await page.locator('[data-testid=chart]').getAttribute('data-series')) >= 4);
  await shot(page, 'reports-by-campaign');

  await page.selectOption('[data-testid=split]', 'section');
  await page.locator('[data-testid=chart] .legend', { hasText: 'olahraga' }).waitFor();
  assert.ok(Number(await page.locator('[data-testid=chart]').getAttribute('data-series')) >= 3);

  await page.selectOption('[data-testid=split]', 'total');
  await page.selectOption('[data-testid=metric]', 'revenue');
  await page.locator('[data-testid=chart] svg title', { hasText: 'Revenue per day' }).waitFor({ state: 'attached' });
  assertClean(page);
});

test('each table downloads as CSV', async () => {
  await go(page, '#/reports', '[data-testid=csv-day]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-day]')]);
  assert.match(download.suggestedFilename(), /^iklan-report-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d-day\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^day,served,impressions,clicks,ctr,revenue\r\n/);
  assert.ok(csv.trim().split('\n').length >= 8, 'a header and the 7 seeded days');

  const [bySection] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-section]')]);
  assert.match(fs.readFileSync(await bySection.path(), 'utf8'), /^section,served/);
  assertClean(page);
});
