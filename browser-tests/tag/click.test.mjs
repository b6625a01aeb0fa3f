// A click on an ad goes through the ad server's signed click URL (which counts it) and lands on
// the advertiser's own address from the rules. The advertisers' .example sites do not exist, so
// the landing page itself does not load: what is checked is where the browser was sent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  clickThrough, DEMO_CLICK_URLS, IKLAN_URL, launch, openPage, rendered, scrollTo,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [slot, selector] of [['top', 'a > img'], ['read-next', 'a.iklan-native']]) {
  test(`a click on the ${slot} ad lands on the advertiser's URL through the click endpoint`, async (t) => {
    const { context, page, traffic } = await openPage(browser);
    t.after(() => context.close());
    await page.goto(`${IKLAN_URL}/demo/`);
    await scrollTo(page, `[data-iklan-slot="${slot}"]`, 200);
    await rendered(page, [slot]);
    await traffic.settled();
    const ad = traffic.ad(slot);
    const landing = DEMO_CLICK_URLS.get(ad.creativeId);
    assert.ok(landing, `the demo rules have creative ${ad.creativeId}`);
    assert.ok(ad.clickUrl.startsWith(`${IKLAN_URL}/v1/click?t=`), ad.clickUrl);

    const tab = await clickThrough(context,
      () => page.locator(`[data-iklan-slot="${slot}"] ${selector}`).click(), ad.clickUrl, landing);
    assert.ok(tab !== page, 'the ad opens in a new tab; the article stays');
    assert.equal(page.url(), `${IKLAN_URL}/demo/`);
    const rel = await page.locator(`[data-iklan-slot="${slot}"] a`).getAttribute('rel');
    assert.equal(rel, 'noopener sponsored');
  });
}
