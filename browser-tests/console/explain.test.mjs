// Explain: an explained ad request from the form shows, per slot, the winner and why each other
// campaign lost; here a campaign only for Bandung loses on geo for a reader in Jakarta.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertClean, go, launch, openConsole, shot, signIn } from './helpers.mjs';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await openConsole(browser.context);
  await signIn(page);
});
after(async () => { await browser?.close(); });

async function explain({ region, city }) {
  await go(page, '#/explain', '[data-testid=explain-form]');
  await page.fill('[data-testid=explain-url]', 'https://kabarnusantara.example/nasional/2026/11/28/harga-beras');
  await page.fill('[data-testid=explain-section]', 'nasional');
  await page.fill('[data-testid=explain-keywords]', 'harga beras, pangan');
  await page.fill('[data-testid=explain-text]', 'Harga beras di pasar tradisional turun menjelang panen raya.');
  await page.fill('[data-testid=explain-country]', 'ID');
  await page.fill('[data-testid=explain-region]', region);
  await page.fill('[data-testid=explain-city]', city);
  await page.selectOption('[data-testid=explain-device]', 'desktop');
  await page.fill('[data-testid=explain-user]', 'pembaca-uji');
  await page.fill('[data-testid=explain-slots]', 'mid-1 300x250\nread-next native');
  await page.click('[data-testid=explain-run]');
  await page.waitForSelector('[data-testid=explain-result] section.slot[data-slot="mid-1"]');
}

const slot = (id) => page.locator(`[data-testid=explain-result] section.slot[data-slot="${id}"]`);
const reason = (slotId, campaign) => slot(slotId).locator(`tr[data-campaign="${campaign}"]`).getAttribute('data-reason');

test('a reader in Jakarta: the Bandung-only campaign loses on geo', async () => {
  await explain({ region: 'ID-JK', city: 'Jakarta' });
  assert.equal(await slot('mid-1').locator('[data-testid=winner] a').innerText(), 'h-kn-aplikasi');
  assert.equal(await reason('mid-1', 'c-kopisenja-bandung'), 'geo');
  assert.equal(await reason('mid-1', 'c-dompetkita-remnant'), 'device');
  assert.equal(await reason('mid-1', 'c-telkonusa-roaming'), 'section');
  const row = await slot('mid-1').locator('tr[data-campaign="c-kopisenja-bandung"]').innerText();
  assert.match(row, /Kopi Senja/);
  assert.match(row, /location is not included/);
  await slot('mid-1').locator('[data-testid=winner] img').waitFor();
  await shot(page, 'explain');
  assertClean(page);
});

test('the same page in Bandung: the campaign wins', async () => {
  await explain({ region: 'ID-JB', city: 'Bandung' });
  assert.equal(await slot('mid-1').locator('[data-testid=winner] a').innerText(), 'c-kopisenja-bandung');
  assert.equal(await reason('mid-1', 'h-kn-aplikasi'), 'outranked');
  assert.equal(await reason('read-next', 'c-kopisenja-bandung'), 'page-exclusion');
  assertClean(page);
});

test('a slot line that is neither a size nor native is refused before any request', async () => {
  await go(page, '#/explain', '[data-testid=explain-form]');
  await page.fill('[data-testid=explain-slots]', 'top 728x90 banner');
  await page.click('[data-testid=explain-run]');
  await page.locator('[data-testid=explain-result]').getByText('"banner" is neither a size').waitFor();
});
