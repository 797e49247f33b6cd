// Shared set-up for the browser tests and benchmarks: Debian's Chromium driven by
// playwright-core, the built app served on 127.0.0.1, and a record of every request and console
// error so tests can assert that nothing left the page and nothing went wrong.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(ROOT, 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Everything that could phone home is off: the no-request assertion is about the page only.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Start the server (unless KUBEPLAY_URL points at one) and the browser. */
export async function start() {
  let url = process.env.KUBEPLAY_URL;
  let server = null;
  if (!url) {
    const dist = join(ROOT, 'dist');
    if (!existsSync(join(dist, 'index.html'))) {
      throw new Error('dist/index.html is missing: run scripts/app-build.sh (trunk build --release) first');
    }
    server = await serve(dist);
    url = server.url;
  }
  if (!url.endsWith('/')) url += '/';
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(join(ARTIFACTS, 'views'), { recursive: true });
  return {
    url,
    origin: new URL(url).origin,
    browser,
    async stop() {
      await browser.close();
      if (server) await server.close();
    },
  };
}

/** A fresh context and page with request and console recording. */
export async function open(env, { url = env.url, colorScheme = 'light', viewport = { width: 1440, height: 900 }, hasTouch = false } = {}) {
  const context = await env.browser.newContext({ acceptDownloads: true, colorScheme, viewport, hasTouch });
  const page = await context.newPage();
  const record = { requests: [], errors: [] };
  page.on('request', (r) => record.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') record.errors.push(m.text());
  });
  page.on('pageerror', (e) => record.errors.push(String(e)));
  // The preset picker asks before replacing edited values.
  page.on('dialog', (d) => d.accept());
  await page.goto(url);
  await ready(page);
  return { context, page, record };
}

/** Wait until the wasm app has mounted and rendered once. */
export async function ready(page) {
  await page.waitForSelector('#editor', { state: 'attached', timeout: 30_000 });
}

/** CSS selector for an element by id (the form's ids contain dots). */
export const byId = (id) => `[id="${id}"]`;

/** Requests that went anywhere but this page's own origin (blob: URLs of the page are its own). */
export function foreignRequests(record, origin) {
  return record.requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith(`blob:${origin}/`) || u.startsWith('data:')));
}
