// The embed contract's edge cases (tests/browser/fixtures/contract.html): a bad data-config, an
// unknown widget name, a duplicate data-id and unknown hide names each give a visible message in
// their own element while every other widget keeps working; embed.js injects its stylesheet; the
// harness itself catches console errors and failed requests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasIsNonBlank, openPage, screenshot } from './lib.mjs';
import { WIDGET_NAMES } from '../../www/js/embed.js';

const FIXTURE = 'tests/browser/fixtures/contract.html';

test('a bad widget never takes the others down', async () => {
  const { page } = await openPage(FIXTURE);
  const els = page.locator('[data-widget]');
  assert.equal(await els.count(), 5);
  const [good, badjson, unknown, duplicate, hidden] = await els.all();

  assert.equal(await good.getAttribute('data-ready'), 'true');
  assert.equal(await good.locator('.rl-message').count(), 0);
  assert.ok((await canvasIsNonBlank(good.locator('canvas'))).nonBlank);

  assert.equal(await badjson.getAttribute('data-ready'), 'true');
  assert.match(await badjson.locator('.rl-message').textContent(), /data-config is not valid JSON/);
  assert.equal(await badjson.locator('[name="relu"]').isChecked(), false, 'defaults are used');
  assert.ok((await canvasIsNonBlank(badjson.locator('canvas'))).nonBlank);

  assert.equal(await unknown.getAttribute('data-ready'), 'error');
  // The message lists exactly the registry's names (it grows as widgets are added).
  const known = await page.evaluate(async () => (await import('/www/js/embed.js')).WIDGET_NAMES.join(', '));
  assert.ok(known.startsWith('activations'), known);
  assert.equal(await unknown.textContent(), `Unknown widget "no-such-widget" (known: ${known})`);
  assert.ok(await unknown.locator('[role="alert"]').isVisible());

  assert.equal(await duplicate.getAttribute('data-ready'), 'true');
  assert.match(await duplicate.locator('.rl-message').textContent(), /data-id=good/);

  assert.equal(await hidden.getAttribute('data-ready'), 'true');
  assert.equal(await hidden.locator('[name="tanh"]').isVisible(), false);
  assert.equal(await hidden.locator('[name="relu"]').isVisible(), false);
  assert.equal(await hidden.locator('[name="sigmoid"]').isVisible(), true);
  assert.equal(Number(await hidden.locator('[name="x_max"]').inputValue()), 2);
  assert.match(await hidden.locator('.rl-message').textContent(), /hide names unknown controls: bogus/);

  // No <link> in the fixture: embed.js added the stylesheet (the widget frame has its border).
  assert.equal(await page.locator('link[data-rnnlab-css]').count(), 1);
  assert.notEqual(await good.locator('.rl-widget').evaluate((e) => getComputedStyle(e).borderTopStyle), 'none');
  await screenshot(page, 'contract-fixture');
});

test('embed.html without a known widget name says so', async () => {
  const { page } = await openPage('embed.html#widget=nope');
  const root = page.locator('[data-embed-root]');
  assert.equal(await root.getAttribute('data-ready'), 'error');
  assert.match(await root.textContent(), /"nope"/);
});

test('a hash edited by hand re-mounts the widgets with the new state', async () => {
  const { page } = await openPage('index.html');
  await page.evaluate(() => { window.location.hash = '#act1.relu=true&act1.x_min=-1&lang=en'; });
  await page.waitForFunction(() => document.querySelector('[data-id="act1"] [name="relu"]')?.checked === true);
  const root = page.locator('[data-id="act1"]');
  assert.equal(Number(await root.locator('[name="x_min"]').inputValue()), -1);
  assert.equal(await root.locator('.rl-title').textContent(), 'Activation functions and their derivatives');
  assert.equal(await page.locator('[data-id="act1"] .rl-widget').count(), 1, 'old widget left behind');
});

test('the harness reports console errors, page errors and failed requests', async () => {
  const { page, problems } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false, allowErrors: true });
  await page.evaluate(async () => {
    console.error('deliberate console error');
    await fetch('/no-such-file.js').catch(() => {});
    setTimeout(() => { throw new Error('deliberate page error'); }, 0);
  });
  await page.waitForTimeout(100);
  const text = problems.join('\n');
  assert.match(text, /console error: deliberate console error/);
  assert.match(text, /HTTP 404: .*no-such-file\.js/);
  assert.match(text, /page error: deliberate page error/);
});

test('registry: every widget name mounts on embed.html from its defaults with a non-blank chart', async () => {
  const { page } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  const names = await page.evaluate(async () => (await import('/www/js/embed.js')).WIDGET_NAMES);
  assert.ok(names.includes('activations'));
  for (const name of names) {
    const { page: p } = await openPage(`embed.html#widget=${name}`);
    const root = p.locator('[data-embed-root]');
    assert.equal(await root.getAttribute('data-ready'), 'true', name);
    assert.equal(await root.locator('.rl-message').count(), 0, `${name} shows a message on defaults`);
    for (const c of await root.locator('canvas').all()) assert.ok((await canvasIsNonBlank(c)).nonBlank, name);
    assert.equal(await root.locator('[data-control="copy-link"]').count(), 1, `${name} has no copy-link button`);
    assert.equal(await root.locator('[data-control="embed-code"]').count(), 1, `${name} has no embed-code button`);
  }
});
