// The tag's page context and JavaScript API, on a publisher's pages that load the tag from the
// ad server (another origin, as in production).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  articlePage, IKLAN_URL, launch, openPage, publisher, rendered, scrollThrough, slotStates,
} from './helpers.mjs';

const LONG_TEXT = Array.from({ length: 400 }, (_, i) =>
  `Kalimat ke-${i + 1} dari laporan panjang tentang jalur logistik Rusia dan Korea Utara.`).join(' ');
let browser, site;

before(async () => {
  browser = await launch();
  site = await publisher({
    // Slots declared in script before the tag has loaded, with a setting, through the queue.
    '/antrean': articlePage({
      before: `<script>
        window.iklan = window.iklan || { cmd: [] };
        iklan.cmd.push(function () {
          iklan.setConfig({ tmax: 800 });
          iklan.defineSlot('kotak-samping', { id: 'samping', sizes: [[300, 250], '300x600'] });
        });
      </script>`,
      slots: `<div data-iklan-slot="atas" data-sizes="728x90"></div>
              <div id="kotak-samping"></div>`,
    }),
    // The article text, opted in: an article with an ad and its label inside.
    '/teks': articlePage({
      head: `<meta name="iklan:text" content="on">
             <meta name="iklan:keywords" content=" Rusia , korea utara,, ">`,
      slots: '<div data-iklan-slot="atas" data-sizes="728x90"></div>',
      body: `<article><h2>Laporan</h2><p>${LONG_TEXT}</p>
               <div class="iklan-label">Iklan</div><div data-iklan-slot="tengah" data-sizes="300x250"></div>
               <script>var bukanTeks = 1;</script></article>`,
    }),
    '/teks-pilihan': articlePage({
      head: '<meta name="iklan:text" content="on">',
      slots: '<div data-iklan-slot="atas" data-sizes="728x90"></div>',
      body: '<nav>Menu situs</nav><div data-iklan-article><p>Hanya  isi\n artikel ini.</p></div><article>Bukan ini.</article>',
    }),
    '/tanpa-teks': articlePage({
      slots: '<div data-iklan-slot="atas" data-sizes="728x90"></div>',
      body: `<article><p>${LONG_TEXT}</p></article>`,
    }),
    // A single-page site: it changes the article in place, then asks again.
    '/spa': articlePage({
      slots: `<div data-iklan-slot="atas" data-sizes="728x90"></div>
              <div data-iklan-slot="kotak" data-sizes="300x250"></div>`,
    }),
    // Slot markup with mistakes that the server would refuse for the whole page.
    '/salah-tulis': articlePage({
      slots: `<div data-iklan-slot="atas" data-sizes="728x90, 1x99999, besar"></div>
              <div data-iklan-slot="atas" data-sizes="300x250"></div>
              <div data-iklan-slot="video" data-formats="video"></div>
              <div data-iklan-slot="baca" data-formats="Native, image"></div>
              <div data-iklan-slot="${'x'.repeat(129)}" data-sizes="300x250"></div>
              <div data-iklan-slot="" data-sizes="300x250"></div>`,
    }),
    // The tag twice: it must run once.
    '/dua-kali': articlePage({
      head: `<script async src="${IKLAN_URL}/iklan.js"></script>`,
      slots: '<div data-iklan-slot="atas" data-sizes="728x90"></div>',
    }),
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** A page of the publisher's site, or of the ad server's demo when `url` is absolute. */
async function open(t, url, options) {
  const opened = await openPage(browser, options);
  t.after(() => opened.context.close());
  await opened.page.goto(url.startsWith('http') ? url : site.url + url);
  return opened;
}

test('slots defined in script through iklan.cmd join the first request, with its settings', async (t) => {
  const { page, traffic } = await open(t, '/antrean');
  await rendered(page, ['atas', 'samping']);
  assert.equal(traffic.adRequests.length, 1);
  const { body } = traffic.adRequests[0];
  assert.deepEqual(body.slots, [
    { id: 'atas', sizes: [[728, 90]] },
    { id: 'samping', sizes: [[300, 250], [300, 600]] },
  ]);
  assert.equal(body.tmax, 800);
  assert.equal(await page.locator('#kotak-samping').getAttribute('data-iklan-slot'), 'samping');
  // Once the tag runs, a pushed command runs at once.
  assert.equal(await page.evaluate(() => new Promise((resolve) => iklan.cmd.push(() => resolve('jalan')))), 'jalan');
  assert.deepEqual(traffic.errors, []);
});

test('the page context: canonical URL, section, keywords, language, and the opted-in article text', async (t) => {
  const { page, traffic } = await open(t, '/teks');
  await rendered(page, ['atas']);
  const { page: context } = traffic.adRequests[0].body;
  assert.equal(context.url, 'https://kabarnusantara.example/internasional/2026/11/28/halaman-uji');
  assert.equal(context.section, 'internasional');
  assert.deepEqual(context.keywords, ['Rusia', 'korea utara']);
  assert.equal(context.language, 'id');
  assert.equal(context.title, 'Halaman uji Iklan');
  assert.equal(context.text.length, 20_000, 'trimmed to 20,000 characters');
  assert.ok(context.text.startsWith('Laporan Kalimat ke-1 dari laporan panjang'), context.text.slice(0, 60));
  assert.ok(!context.text.includes('Iklan'), 'the ad label is not article text');
  assert.ok(!context.text.includes('bukanTeks'), 'nor are scripts');
});

test('the article text comes from [data-iklan-article] when the page marks it', async (t) => {
  const { page, traffic } = await open(t, '/teks-pilihan');
  await rendered(page, ['atas']);
  assert.equal(traffic.adRequests[0].body.page.text, 'Hanya isi artikel ini.');
});

test('without <meta name="iklan:text" content="on"> neither the title nor the text is sent', async (t) => {
  const { page, traffic } = await open(t, '/tanpa-teks');
  await rendered(page, ['atas']);
  const { page: context } = traffic.adRequests[0].body;
  assert.equal(context.text, undefined);
  assert.equal(context.title, undefined);
});

test('iklan.display() asks only for the slots that are new (infinite scroll on the demo page)', async (t) => {
  const { page, traffic } = await open(t, `${IKLAN_URL}/demo/`);
  await scrollThrough(page);
  await rendered(page, ['top', 'mid-1', 'mid-2', 'read-next', 'sidebar', 'bottom']);
  await page.waitForTimeout(300);
  await traffic.settled();
  const before = traffic.adRequests.length;

  await page.click('#muat-berikutnya');
  await rendered(page, ['lanjutan-1']);
  assert.equal(traffic.adRequests.length, before + 1);
  assert.deepEqual(traffic.adRequests[before].body.slots, [{ id: 'lanjutan-1', sizes: [[300, 250]] }]);
  assert.equal(await page.locator('[data-iklan-slot="lanjutan-1"]').getAttribute('class'),
    'iklan-slot berikutnya-slot iklan-filled');
  assert.ok(await page.locator('[data-iklan-slot="lanjutan-1"] a > img').isVisible());
  assert.deepEqual(traffic.errors, []);
});

test('iklan.refresh() after iklan.setPage() asks again for every slot, with the new page (single-page sites)', async (t) => {
  const { page, traffic } = await open(t, '/spa');
  await rendered(page, ['atas', 'kotak']);
  await traffic.settled();
  const first = traffic.ad('atas');

  await page.evaluate(() => {
    iklan.setPage({ url: 'https://kabarnusantara.example/otomotif/2026/11/28/motor-listrik',
      section: 'otomotif', keywords: ['motor listrik'] });
    iklan.refresh();
  });
  await page.waitForFunction(() => window.__iklanEvents.filter((e) => e.type === 'render').length >= 4);
  await traffic.settled();
  assert.equal(traffic.adRequests.length, 2);
  const second = traffic.adRequests[1].body;
  assert.equal(second.page.section, 'otomotif');
  assert.equal(second.page.url, 'https://kabarnusantara.example/otomotif/2026/11/28/motor-listrik');
  assert.deepEqual(second.slots.map((s) => s.id), ['atas', 'kotak']);
  assert.equal(traffic.ad('atas').campaignId, 'c-motorgaruda-roadblock');
  assert.notEqual(traffic.ad('atas').impressionUrl, first.impressionUrl);
  assert.equal(await page.locator('[data-iklan-slot="atas"] img').getAttribute('alt'), traffic.ad('atas').alt);

  // refresh(ids): only those slots.
  await page.evaluate(() => iklan.refresh(['kotak']));
  await page.waitForFunction(() => window.__iklanEvents.filter((e) => e.type === 'render').length >= 5);
  assert.deepEqual(traffic.adRequests[2].body.slots.map((s) => s.id), ['kotak']);
  assert.deepEqual(traffic.errors, []);
});

test('slot markup the server would refuse is left out, so the other slots still get ads', async (t) => {
  const { page, traffic } = await open(t, '/salah-tulis');
  await rendered(page, ['atas', 'baca']);
  assert.deepEqual(traffic.adRequests[0].body.slots, [
    { id: 'atas', sizes: [[728, 90]] },
    { id: 'baca', formats: ['native'] },
  ]);
  const atas = page.locator('[data-iklan-slot="atas"]');
  assert.equal(await atas.nth(0).getAttribute('class'), 'iklan-filled');
  assert.equal(await atas.nth(1).getAttribute('class'), null, 'the second "atas" is left alone');
  assert.equal((await slotStates(page)).baca, 'filled');
  assert.deepEqual(traffic.errors, []);
});

test('a page that includes the tag twice gets it once', async (t) => {
  const { page, traffic } = await open(t, '/dua-kali');
  await rendered(page, ['atas']);
  await page.waitForTimeout(500);
  assert.equal(traffic.adRequests.length, 1);
  assert.equal(await page.locator('[data-iklan-slot="atas"] img').count(), 1);
});
