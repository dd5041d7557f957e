// Shared browser-test helpers: one static server and one headless Debian Chromium for the whole
// run (started by run.mjs), a fresh browser context per page, and strict error collection — any
// console error, uncaught page error, failed request or HTTP error status on any page fails the
// test that opened it (checked in run.mjs's afterEach).

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT, startServer } from '../../scripts/serve.mjs';

/** Where screenshots go (gitignored with target/). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'target', 'screenshots');

/** The flags this machine's headless Chromium needs (no network, no GPU, root without sandbox). */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

const state = { server: null, browser: null, open: [] };

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium not found: run bash scripts/ensure-tools.sh --browser');
  }
}

/** Starts the server (free port) and the browser. Playwright's `launch` gives every run a fresh,
 * empty user-data-dir of its own (deleted on close). */
export async function setup() {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  state.server = await startServer({ port: 0, quiet: true });
  state.browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS] });
}

/** Closes everything setup() started. */
export async function teardown() {
  await state.browser?.close();
  await state.server?.close();
}

/** Base URL of the test server, e.g. http://127.0.0.1:41234/ */
export function baseUrl() {
  return state.server.url;
}

/**
 * Opens `path` (relative to the repository root) in a fresh context and collects every problem.
 * @param {string} path e.g. "index.html#lang=en"
 * @param {{viewport?: {width: number, height: number}, deviceScaleFactor?: number,
 *   waitForWidgets?: boolean, allowErrors?: boolean}} [opts] `waitForWidgets` (default true)
 *   waits until no [data-widget] is still loading; `allowErrors` is for tests that provoke one.
 * @returns {Promise<{page: import('playwright-core').Page, problems: string[], longTasks: () => Promise<{start: number, duration: number}[]>}>}
 */
export async function openPage(path, opts = {}) {
  const context = await state.browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 720 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.addInitScript(() => {
    const tasks = [];
    Object.defineProperty(window, '__rnnlabLongTasks', { value: tasks });
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch { /* longtask not supported: the list stays empty */ }
  });
  const entry = { context, page, problems, allowErrors: Boolean(opts.allowErrors), path };
  state.open.push(entry);
  await page.goto(new URL(path, state.server.url).href);
  if (opts.waitForWidgets ?? true) await widgetsSettled(page);
  return { page, problems, longTasks: () => page.evaluate(() => [...window.__rnnlabLongTasks]) };
}

/** Waits until every [data-widget] has finished mounting (data-ready is "true" or "error"). */
export async function widgetsSettled(page) {
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('[data-widget]')];
    return els.length > 0 && els.every((el) => el.dataset.ready === 'true' || el.dataset.ready === 'error');
  }, null, { timeout: 20000 });
}

/**
 * Closes every page opened since the last call and returns their problems (those of pages
 * opened with allowErrors are dropped). run.mjs calls it after each test.
 * @returns {Promise<string[]>}
 */
export async function closePages() {
  const found = [];
  for (const e of state.open.splice(0)) {
    if (!e.allowErrors) for (const p of e.problems) found.push(`${e.path}: ${p}`);
    await e.context.close();
  }
  return found;
}

/**
 * Reads a canvas back and reports whether it is more than one colour.
 * @param {import('playwright-core').Locator} locator a <canvas>
 * @returns {Promise<{nonBlank: boolean, colours: number, width: number, height: number}>}
 */
export async function canvasIsNonBlank(locator) {
  return locator.evaluate((canvas) => {
    const { width, height } = canvas;
    if (!width || !height) return { nonBlank: false, colours: 0, width, height };
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const seen = new Set();
    for (let i = 0; i < data.length && seen.size < 64; i += 4) {
      seen.add((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]);
    }
    return { nonBlank: seen.size > 1, colours: seen.size, width, height };
  });
}

/**
 * Saves a full-page screenshot to target/screenshots/<name>.png.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @returns {Promise<string>} the file path
 */
export async function screenshot(page, name) {
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Reads the location hash of a page as [key, value] pairs.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<[string, string][]>}
 */
export async function hashPairs(page) {
  return page.evaluate(() => window.location.hash.replace(/^#/, '').split('&').filter(Boolean)
    .map((p) => { const i = p.indexOf('='); return [decodeURIComponent(p.slice(0, i)), decodeURIComponent(p.slice(i + 1))]; }));
}
