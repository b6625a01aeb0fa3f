// Shared by the console's browser tests: the server under test (IKLAN_URL, IKLAN_ADMIN_TOKEN),
// a fresh Chromium per test file, sign-in, screenshots and calls to the admin API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.IKLAN_URL || '').replace(/\/+$/, '');
export const TOKEN = process.env.IKLAN_ADMIN_TOKEN || '';
if (!BASE || !TOKEN) {
  throw new Error('set IKLAN_URL (e.g. http://127.0.0.1:8080) and IKLAN_ADMIN_TOKEN to run the console browser tests');
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'target', 'screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A Chromium with a fresh, empty profile. Returns {context, close}. Every page opened in it
 * records Content-Security-Policy violations and script errors in page.problems.
 */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iklan-console-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function watch(page) {
  page.problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) page.problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => page.problems.push(`script error: ${error.message}`));
}

/** A new page of the console (not signed in). */
export async function openConsole(context, hash = '') {
  const page = await context.newPage();
  await page.goto(`${BASE}/console/${hash}`);
  await page.waitForSelector('#main :is(form.signin, .view)');
  return page;
}

/** Signs in with the admin token and waits for the campaigns page. */
export async function signIn(page, token = TOKEN) {
  await page.fill('[data-testid=token]', token);
  await page.click('[data-testid=signin]');
  await page.waitForSelector('#topbar:not([hidden])');
}

/** Goes to a console page (#/campaigns …) and waits for it to finish loading. */
export async function go(page, hash, ready) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  if (ready) await page.waitForSelector(ready);
}

/** A full-page screenshot at target/screenshots/console-<name>.png. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });
}

/** No CSP violation and no script error on the page so far. */
export function assertClean(page) {
  assert.deepEqual(page.problems, [], 'no CSP violation or script error in the page');
}

/** A call to the server from the test (not the browser), with the admin token. */
export async function api(method, pathname, { body, type = 'application/json', ifMatch, headers = {} } = {}) {
  const sent = { Authorization: `Bearer ${TOKEN}`, ...headers };
  if (body !== undefined) sent['Content-Type'] = type;
  if (ifMatch !== undefined) sent['If-Match'] = `"${ifMatch}"`;
  const response = await fetch(`${BASE}${pathname}`, {
    method, headers: sent, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: response.status, headers: response.headers, text, json };
}

/** Today's day in the publisher time zone, as the server sees it. */
export async function serverToday() {
  return (await api('GET', '/v1/admin/report?by=day')).json.to;
}

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary file with content, removed when the test process ends; returns its path. */
export function tempFile(name, content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iklan-upload-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Removes the messages shown so far, so that a wait finds the next one. */
export async function clearToasts(page) {
  await page.evaluate(() => document.getElementById('toasts')?.replaceChildren());
}
