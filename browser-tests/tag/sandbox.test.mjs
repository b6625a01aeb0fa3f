// An html creative runs in a sandboxed iframe: it cannot read the article, its cookies or its
// storage, nor take the reader away; its clicks still go through the signed click URL.
// The creative is a real campaign, uploaded through the admin API for a section of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  admin, adminToken, articlePage, clickThrough, launch, openPage, publisher, rendered,
} from './helpers.mjs';

const CAMPAIGN = 't-uji-sandbox';
const token = adminToken();
const skip = token ? false : 'needs the admin token of IKLAN_URL: set IKLAN_ADMIN_TOKEN';

// What a hostile creative would try. It reports what it could read to the page by postMessage,
// the one channel the sandbox leaves open.
const PROBE = `<style>html,body{margin:0}</style>
<a id="cta" href="%%CLICK_URL%%" target="_blank" style="display:block;width:300px;height:250px;background:#0b3d91;color:#fff">Klik di sini</a>
<script>
  var r = {};
  function tryRead(name, f) { try { r[name] = String(f()); } catch (e) { r[name] = 'blocked: ' + e.name; } }
  tryRead('title', function () { return parent.document.title; });
  tryRead('headline', function () { return top.document.querySelector('h1').textContent; });
  tryRead('cookie', function () { return document.cookie; });
  tryRead('storage', function () { return localStorage.getItem('rahasia'); });
  tryRead('parentStorage', function () { return parent.localStorage.getItem('rahasia'); });
  r.origin = String(self.origin);
  parent.postMessage({ iklanProbe: r }, '*');
  try { top.location.href = 'https://penipu.example/'; } catch (e) {}
</script>`;

let browser, site;

before(async () => {
  if (skip) return;
  browser = await launch();
  site = await publisher({
    '/artikel': articlePage({
      section: 'uji-sandbox',
      before: `<script>
        document.cookie = 'sesi=rahasia-redaksi; path=/';
        localStorage.setItem('rahasia', 'naskah-belum-terbit');
        window.__probe = null;
        addEventListener('message', function (e) { if (e.data && e.data.iklanProbe) window.__probe = e.data.iklanProbe; });
      </script>`,
      slots: '<div data-iklan-slot="kotak" data-sizes="300x250"></div>',
      body: '<p>Isi artikel yang tidak boleh dibaca iklan.</p>',
    }),
    '/landing': '<!doctype html><title>Halaman pengiklan</title><h1>Terima kasih sudah berkunjung</h1>',
  });
  await admin('POST', '/v1/admin/campaigns', {
    id: CAMPAIGN, advertiser: 'Uji Sandbox', tier: 'sponsorship', cpm: 1,
    start: '2026-01-01T00:00:00+07:00',
    targeting: { sections: { include: ['uji-sandbox'] } },
    creatives: [{ id: 'cr-uji-sandbox', format: 'html', size: [300, 250], html: PROBE,
      clickUrl: `${site.url}/landing` }],
  });
});

after(async () => {
  if (skip) return;
  await admin('DELETE', `/v1/admin/campaigns/${CAMPAIGN}`).catch(() => {});
  await browser?.close();
  await site?.close();
});

test('an html creative cannot read the article, its cookies or its storage, nor navigate it', { skip }, async (t) => {
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  await page.goto(`${site.url}/artikel`);
  await rendered(page, ['kotak']);
  await traffic.settled();
  assert.equal(traffic.ad('kotak').campaignId, CAMPAIGN);

  const frame = page.locator('[data-iklan-slot="kotak"] iframe');
  assert.equal(await frame.getAttribute('sandbox'), 'allow-scripts allow-popups allow-popups-to-escape-sandbox');
  await page.waitForFunction(() => window.__probe !== null, null, { timeout: 10_000 });
  const probe = await page.evaluate(() => window.__probe);
  assert.match(probe.title, /^blocked: SecurityError/, JSON.stringify(probe));
  assert.match(probe.headline, /^blocked: SecurityError/);
  assert.match(probe.cookie, /^blocked: SecurityError/);
  assert.match(probe.storage, /^blocked: SecurityError/);
  assert.match(probe.parentStorage, /^blocked: SecurityError/);
  assert.equal(probe.origin, 'null', 'an opaque origin');

  await page.waitForTimeout(500);
  assert.equal(page.url(), `${site.url}/artikel`, 'the reader stays on the article');
  assert.equal(await page.locator('h1').textContent(), 'Halaman uji');
  assert.deepEqual(traffic.errors, []);
});

test("a click in an html creative goes through the signed click URL to the advertiser's page", { skip }, async (t) => {
  const { context, page, traffic } = await openPage(browser);
  t.after(() => context.close());
  await page.goto(`${site.url}/artikel`);
  await rendered(page, ['kotak']);
  await traffic.settled();
  const ad = traffic.ad('kotak');
  const cta = page.frameLocator('[data-iklan-slot="kotak"] iframe').locator('#cta');
  assert.equal(await cta.getAttribute('href'), ad.clickUrl, '%%CLICK_URL%% is the signed click URL');

  const landing = await clickThrough(context, () => cta.click(), ad.clickUrl, `${site.url}/landing`);
  await landing.waitForLoadState();
  assert.equal(landing.url(), `${site.url}/landing`);
  assert.equal(await landing.locator('h1').textContent(), 'Terima kasih sudah berkunjung');

  // The server counted the click (and the impression: the ad was in view for a second).
  const report = await admin('GET', '/v1/admin/report?by=campaign');
  const row = report.rows.find((r) => r.campaign === CAMPAIGN);
  assert.ok(row && row.clicks >= 1, JSON.stringify(report.rows));
});
