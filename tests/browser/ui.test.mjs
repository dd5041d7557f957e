// Shared UI helpers in isolation (tests/browser/fixtures/ui.html): controls respect `hide`,
// the progress bar reports and cancels, step keys, banner, chart wrapper, KaTeX helper.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasIsNonBlank, openPage } from './lib.mjs';

const FIXTURE = 'tests/browser/fixtures/ui.html';
const ready = (page) => page.waitForFunction(() => document.body.dataset.ready === 'true');

test('controls: labels, values, hide and refresh', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false });
  await ready(page);
  const r = await page.evaluate(() => {
    const { slider, select, toggle, button } = window.rl.controls;
    const host = document.getElementById('host');
    const log = [];
    let lang = 'en';
    const hide = new Set(['secret']);
    const s = slider({ name: 'lr', label: () => (lang === 'en' ? 'Learning rate' : '학습률'), min: 0, max: 1, step: 0.1, value: 0.3, onChange: (v) => log.push(['lr', v]) });
    const sel = select({ name: 'cell', label: () => 'Cell', value: 'gru', options: [{ value: 'lstm', label: () => 'LSTM' }, { value: 'gru', label: () => 'GRU' }], onChange: (v) => log.push(['cell', v]) });
    const tg = toggle({ name: 'secret', label: () => 'Secret', checked: true, hide, onChange: (v) => log.push(['secret', v]) });
    const b = button({ name: 'go', label: () => 'Go', onClick: () => log.push(['go']) });
    host.append(s.el, sel.el, tg.el, b.el);
    s.input.value = '0.7';
    s.input.dispatchEvent(new Event('input'));
    sel.input.value = 'lstm';
    sel.input.dispatchEvent(new Event('change'));
    b.input.click();
    const before = s.el.textContent;
    lang = 'ko';
    s.refresh();
    s.set(0.2);
    return { log, before, after: s.el.textContent, hidden: tg.el.hidden, hiddenVisible: tg.el.offsetParent !== null, cell: sel.input.value, sliderHidden: s.el.hidden };
  });
  assert.deepEqual(r.log, [['lr', 0.7], ['cell', 'lstm'], ['go']]);
  assert.equal(r.before, 'Learning rate0.7');
  assert.equal(r.after, '학습률0.2');
  assert.equal(r.hidden, true);
  assert.equal(r.hiddenVisible, false);
  assert.equal(r.sliderHidden, false);
});

test('progress bar shows progress and its cancel button calls back', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false });
  await ready(page);
  await page.evaluate(() => {
    const p = window.rl.progress.createProgress({ label: () => 'Training', cancelLabel: () => 'Cancel', onCancel: () => { document.body.dataset.cancelled = 'yes'; } });
    document.getElementById('host').append(p.el);
    p.set(0.25);
  });
  const bar = page.locator('progress');
  assert.equal(await bar.evaluate((b) => b.value), 0.25);
  assert.equal(await page.locator('.rl-progress-text').textContent(), 'Training 25%');
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.evaluate(() => document.body.dataset.cancelled), 'yes');
});

test('step keys: ←/→/space act on the element, not inside form fields', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false });
  await ready(page);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.tabIndex = 0;
    box.id = 'box';
    const input = document.createElement('input');
    input.id = 'field';
    box.append(input);
    document.getElementById('host').append(box);
    window.keyLog = [];
    window.rl.keys.bindStepKeys(box, { prev: () => keyLog.push('prev'), next: () => keyLog.push('next'), toggle: () => keyLog.push('toggle') });
  });
  await page.focus('#box');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await page.focus('#field');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  assert.deepEqual(await page.evaluate(() => window.keyLog), ['next', 'prev', 'toggle']);
  assert.equal(await page.inputValue('#field'), ' ');
});

test('banner: errors are alerts, notes are status, texts follow the language, dismiss works', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false });
  await ready(page);
  await page.evaluate(() => {
    const b = window.rl.banner.createBanner();
    document.getElementById('host').append(b.el);
    window.lang = 'en';
    b.show('error', 'Bad value');
    b.show('info', () => (window.lang === 'en' ? 'Note' : '알림'));
    window.bannerApi = b;
  });
  assert.equal(await page.locator('[role="alert"]').textContent(), 'Bad value×');
  await page.evaluate(() => { window.lang = 'ko'; window.bannerApi.refresh(); });
  assert.equal(await page.locator('[role="status"] .rl-message-text').textContent(), '알림');
  await page.locator('[role="alert"] .rl-dismiss').click();
  assert.equal(await page.locator('[role="alert"]').count(), 0);
});

test('chart wrapper sizes the canvas for devicePixelRatio and maps pointer to data', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false, deviceScaleFactor: 2 });
  await ready(page);
  const r = await page.evaluate(() => {
    const { createChart, toData, toPixel } = window.rl.chart;
    // A stand-in for a Rust draw: fills the plot area and returns its mapping.
    const chart = createChart({
      label: () => 'test chart',
      draw: (canvas, scale) => {
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = '#0072b2';
        ctx.fillRect(100, 50, canvas.width - 200, canvas.height - 100);
        return { width: canvas.width, height: canvas.height, left: 100, right: canvas.width - 100, top: 50, bottom: canvas.height - 50, x_min: 0, x_max: 10, y_min: -1, y_max: 1, scale };
      },
      readout: (x, y) => `x=${x.toFixed(1)} y=${y.toFixed(1)}`,
    });
    document.getElementById('host').append(chart.el);
    chart.redraw();
    const m = chart.mapping();
    const mid = toData(m, (m.left + m.right) / 2, (m.top + m.bottom) / 2);
    const back = toPixel(m, 10, 1);
    return { cssW: chart.canvas.clientWidth, w: chart.canvas.width, scale: m.scale, mid, back, right: m.right, outside: toData(m, 10, 10), label: chart.canvas.getAttribute('aria-label'), at: chart.showAt(5, 0) };
  });
  assert.equal(r.scale, 2);
  assert.equal(r.w, r.cssW * 2);
  assert.deepEqual(r.mid, { x: 5, y: 0 });
  assert.deepEqual(r.back, { px: r.right, py: 50 });
  assert.equal(r.outside, null);
  assert.equal(r.label, 'test chart');
  assert.equal(r.at, 'x=5.0 y=0.0');
  assert.ok((await canvasIsNonBlank(page.locator('canvas'))).nonBlank);
  // Pointer over the middle of the plot → readout at x = 5.
  const box = await page.locator('canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.equal(await page.locator('.rl-readout').textContent(), 'x=5.0 y=0.0');
});

test('renderMath typesets with the local KaTeX and shows the source on a TeX error', async () => {
  const { page } = await openPage(FIXTURE, { waitForWidgets: false });
  await ready(page);
  const r = await page.evaluate(async () => {
    const host = document.getElementById('host');
    const ok = document.createElement('div');
    const bad = document.createElement('div');
    host.append(ok, bad);
    await window.rl.math.renderMath(ok, String.raw`h_t=\tanh(W_{hh}h_{t-1}+W_{xh}x_t)`);
    let error = '';
    try { await window.rl.math.renderMath(bad, String.raw`\frac{1}{`); } catch (e) { error = e.message; }
    return { katex: ok.querySelector('.katex') !== null, mathml: ok.querySelector('math') !== null, badText: bad.textContent, error, css: document.querySelectorAll('link[data-rnnlab-katex]').length };
  });
  assert.ok(r.katex && r.mathml);
  assert.equal(r.badText, '\\frac{1}{');
  assert.match(r.error, /KaTeX parse error/);
  assert.equal(r.css, 1);
  // Every KaTeX font the page asked for came from our server (no CDN): checked by the harness's
  // failed-request rule; here, that fonts actually loaded.
  const fonts = await page.evaluate(async () => { await document.fonts.ready; return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length; });
  assert.ok(fonts >= 1, 'no KaTeX font loaded');
});
