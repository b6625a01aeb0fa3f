// Shared by the ad tag's browser tests: Debian's Chromium driven by playwright-core, a recorder
// of the tag's traffic, and a small "publisher" web server for pages that are not the demo.
//
// Environment:
//   IKLAN_URL          the running Iklan server (default http://127.0.0.1:8080)
//   IKLAN_STOPPED_URL  an address where an Iklan server was and is no longer (default: a port
//                      that was free a moment ago)
//   IKLAN_ADMIN_TOKEN  the admin token of IKLAN_URL (default: data/admin-token, when present)
import { chromium } from 'playwright-core';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const IKLAN_URL = (process.env.IKLAN_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SCREENSHOTS = path.join(ROOT, 'target', 'screenshots');
/** The demo rules creatives' images are addressed to the default port. */
const DEMO_IMAGE_ORIGIN = 'http://localhost:8080';
/** The shipped demo rules: creative id -> the advertiser's own clickUrl. */
export const DEMO_CLICK_URLS = new Map(
  JSON.parse(readFileSync(path.join(ROOT, 'config', 'demo-rules.json'), 'utf8')).campaigns
    .flatMap((c) => c.creatives.map((cr) => [cr.id, cr.clickUrl])));

export function demoFile(name) {
  return readFileSync(path.join(ROOT, 'src', 'main', 'resources', 'web', 'demo', name), 'utf8');
}

export function adminToken() {
  if (process.env.IKLAN_ADMIN_TOKEN) return process.env.IKLAN_ADMIN_TOKEN;
  const file = path.join(ROOT, 'data', 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/** An http:// address where nothing listens: IKLAN_STOPPED_URL, or a port just freed. */
export async function stoppedServerUrl() {
  if (process.env.IKLAN_STOPPED_URL) return process.env.IKLAN_STOPPED_URL.replace(/\/+$/, '');
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium, with no browser download. Playwright starts every launch on a new, empty
 * profile (a fresh --user-data-dir under the temp directory, removed when the browser closes).
 */
export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * A new context and page with the tag's traffic recorded. The demo creatives' images
 * (http://localhost:8080/demo/img/…) are fetched from IKLAN_URL, so they show on any port.
 */
export async function openPage(browser, { viewport = { width: 1280, height: 800 }, ...options } = {}) {
  const context = await browser.newContext({ viewport, ...options });
  if (!IKLAN_URL.startsWith(DEMO_IMAGE_ORIGIN)) {
    await context.route(`${DEMO_IMAGE_ORIGIN}/demo/img/**`,
      (route) => route.continue({ url: IKLAN_URL + route.request().url().slice(DEMO_IMAGE_ORIGIN.length) }));
  }
  const page = await context.newPage();
  const traffic = new Traffic(page);
  // What the tag reports to the page, with the page's own clock.
  await page.addInitScript(() => {
    window.__iklanEvents = [];
    for (const type of ['render', 'impression']) {
      document.addEventListener('iklan:' + type, (e) => window.__iklanEvents.push(
        { type, t: performance.now(), ...e.detail }));
    }
  });
  return { context, page, traffic };
}

/** The tag's requests as the browser sent them: ad requests, answers, beacons; page errors. */
export class Traffic {
  constructor(page) {
    this.adRequests = []; // {slots: [ids], body, answer (parsed JSON or null), at}
    this.beacons = []; // impression URLs, in order
    this.errors = []; // uncaught page errors
    this.console = []; // console errors and warnings (failed loads, the tag's warnings)
    this.pending = new Set();
    page.on('pageerror', (e) => this.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.console.push(`${m.type()}: ${m.text()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (request.method() === 'POST' && url.endsWith('/v1/ads')) {
        const body = JSON.parse(request.postData());
        const entry = { slots: body.slots.map((s) => s.id), body, answer: null, at: Date.now() };
        this.adRequests.push(entry);
        const done = request.response().then(async (response) => {
          try { entry.answer = response ? await response.json() : null; } catch { entry.answer = null; }
        }).catch(() => {}).finally(() => this.pending.delete(done));
        this.pending.add(done);
      } else if (url.includes('/v1/imp?')) {
        this.beacons.push(url);
      }
    });
  }

  async settled() {
    await Promise.all([...this.pending]);
  }

  /** The ad served to a slot, from the answers so far (the latest one that named it). */
  ad(slotId) {
    for (const r of [...this.adRequests].reverse()) {
      const ad = r.answer?.slots?.[slotId];
      if (ad !== undefined) return ad;
    }
    return undefined;
  }

  beaconsFor(slotId) {
    const ad = this.ad(slotId);
    return ad ? this.beacons.filter((u) => u === ad.impressionUrl).length : 0;
  }
}

/** Waits until the tag has rendered (filled or collapsed) each of the slots. */
export async function rendered(page, ids, timeout = 10_000) {
  await page.waitForFunction((ids) => ids.every((id) => {
    const e = document.querySelector(`[data-iklan-slot="${id}"]`);
    return e && (e.classList.contains('iklan-filled') || e.classList.contains('iklan-empty'));
  }), ids, { timeout });
}

/** Slot id -> "filled" | "empty" | "pending". */
export async function slotStates(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-iklan-slot]')]
    .map((e) => [e.dataset.iklanSlot, e.classList.contains('iklan-filled') ? 'filled'
      : e.classList.contains('iklan-empty') ? 'empty' : 'pending'])));
}

/** Scrolls the page so that the element's top is at `offset` px from the viewport's top. */
export async function scrollTo(page, selector, offset = 100) {
  await page.evaluate(({ selector, offset }) => {
    const e = document.querySelector(selector);
    window.scrollTo(0, window.scrollY + e.getBoundingClientRect().top - offset);
  }, { selector, offset });
}

/** Scrolls down a viewport at a time to the end of the page, pausing on the way. */
export async function scrollThrough(page, pauseMs = 120) {
  for (;;) {
    const more = await page.evaluate(() => {
      const before = window.scrollY;
      window.scrollBy(0, window.innerHeight * 0.8);
      return window.scrollY > before;
    });
    if (!more) return;
    await page.waitForTimeout(pauseMs);
  }
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/**
 * A publisher's web server on localhost (a real one: Chromium treats pages that a test route
 * made up as public, and would not let them call a loopback ad server). `pages` maps a path to
 * HTML or to a function (req, res); anything else is 404.
 */
export async function publisher(pages) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    if (typeof page === 'function') return page(req, res);
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': page.startsWith('<') ? 'text/html; charset=utf-8' : 'text/css' });
    res.end(page);
  });
  server.listen(0, '127.0.0.1').unref(); // never what keeps a test process alive
  await once(server, 'listening');
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://localhost:${server.address().port}`,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      server.close();
      await once(server, 'close');
    },
  };
}

/** A minimal article page of a publisher, with the tag from `tag` and the given slots. */
export function articlePage({ tag = `${IKLAN_URL}/iklan.js`, head = '', section = 'internasional',
  slots = '', body = '', before = '' } = {}) {
  return `<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <title>Halaman uji Iklan</title>
  <link rel="canonical" href="https://kabarnusantara.example/${section}/2026/11/28/halaman-uji">
  <meta name="iklan:section" content="${section}">
  <style>body { margin: 0; font: 16px sans-serif } .spacer { height: 2400px }</style>
  ${head}
  ${before}
  <script async src="${tag}"></script>
</head>
<body>
  <h1>Halaman uji</h1>
  ${slots}
  ${body}
</body>
</html>`;
}

/** Calls the admin API of IKLAN_URL. */
export async function admin(method, pathname, body) {
  const token = adminToken();
  const response = await fetch(IKLAN_URL + pathname, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Runs `click` and follows the reader: the new tab's navigation must start at `clickUrl` (the
 * ad server's click endpoint), be redirected there with a 302, and land on `landingUrl`.
 * Returns the new tab.
 */
export async function clickThrough(context, click, clickUrl, landingUrl) {
  const [tab, landingRequest] = await Promise.all([
    context.waitForEvent('page'),
    context.waitForEvent('request', (r) => r.url() === landingUrl && r.isNavigationRequest()),
    click(),
  ]);
  const hop = landingRequest.redirectedFrom();
  if (!hop) throw new Error(`${landingUrl} was opened directly, not through ${clickUrl}`);
  if (hop.url() !== clickUrl) throw new Error(`redirected from ${hop.url()}, not ${clickUrl}`);
  const hopResponse = await hop.response();
  if (hopResponse.status() !== 302) throw new Error(`the click endpoint answered ${hopResponse.status()}`);
  if (hopResponse.headers().location !== landingUrl) {
    throw new Error(`the click endpoint sent the reader to ${hopResponse.headers().location}`);
  }
  return tab;
}
