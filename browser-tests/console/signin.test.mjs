// Sign-in: a wrong token is refused; the right one is kept in this tab's session storage only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TOKEN, assertClean, launch, openConsole, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('sign-in with a wrong token fails and keeps nothing', async () => {
  const page = await openConsole(browser.context);
  await shot(page, 'signin');
  await page.fill('[data-testid=token]', 'not-the-token');
  await page.click('[data-testid=signin]');

  const error = page.locator('[data-testid=signin-error]');
  await error.getByText('The server refused this token').waitFor();
  assert.equal(await page.locator('#topbar').isHidden(), true, 'the console stays closed');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing is stored');
  await shot(page, 'signin-refused');
  assertClean(page);
  await page.close();
});

test('the right token opens the console; it lives in this tab only, without cookies', async () => {
  const page = await openConsole(browser.context);
  await signIn(page);
  await page.waitForSelector('[data-testid=campaigns-table] tbody tr');
  const stored = await page.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)));
  assert.deepEqual(stored, [TOKEN], 'the token is in session storage');
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in local storage');
  assert.deepEqual(await browser.context.cookies(), [], 'no cookies');

  const other = await openConsole(browser.context);
  assert.equal(await other.locator('form.signin').count(), 1, 'a new tab must sign in again');
  await other.close();

  await page.click('#sign-out');
  await page.waitForSelector('form.signin');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'sign-out forgets the token');
  assertClean(page);
  await page.close();
});

test('a token revoked during the session sends the person back to sign-in', async () => {
  const page = await openConsole(browser.context);
  await signIn(page);
  await page.waitForSelector('[data-testid=campaigns-table] tbody tr');
  await page.evaluate(() => sessionStorage.setItem(sessionStorage.key(0), 'revoked-token'));
  await page.click('[data-nav=upload]');
  await page.getByText('The server refused the token of this session').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.close();
});
