// Browser tests of the gradient-flow widget "gradflow" (issue 3): the wasm handle's numbers
// checked with the browser's own arithmetic (the bound is the running sum of the logged Jacobian
// norms and never below the measured norm; Algorithm 1), the heaviest setting's compute time and
// responsiveness (reported, not asserted), URL state, two widgets per page, embed.html with hide=,
// language switch, invalid URL values and the keyboard probe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, canvasIsNonBlank, hashPairs, openPage, screenshot } from './lib.mjs';

const widget = (page, id) => page.locator(`[data-widget][data-id="${id}"]`);
const control = (root, name) => root.locator(`[name="${name}"]`);
const canvases = async (root) => Promise.all((await root.locator('canvas').all()).map((c) => c.evaluate((x) => x.toDataURL())));

/** Waits until the widget in `root` has finished computing (bounds included). */
async function computed(root, timeout = 60000) {
  await root.evaluate((el, ms) => new Promise((resolve, reject) => {
    const done = () => el.dataset.computing === 'false';
    if (done()) return resolve();
    const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
    obs.observe(el, { attributes: true, attributeFilter: ['data-computing'] });
    setTimeout(() => { obs.disconnect(); reject(new Error('still computing')); }, ms);
  }), timeout);
}

async function setSlider(root, name, value) {
  await control(root, name).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

test('gradflow: mounts on index.html with zero console errors, non-blank charts, KaTeX and the clipping numbers', async () => {
  const { page } = await openPage('index.html#lang=en');
  const root = widget(page, 'flow1');
  await computed(root);
  assert.equal(await root.locator('.rl-message').count(), 0, String(await root.locator('.rl-message').allTextContents()));
  const cs = await root.locator('canvas').all();
  assert.equal(cs.length, 3);
  for (const c of cs) {
    const r = await canvasIsNonBlank(c);
    assert.ok(r.nonBlank && r.colours >= 4, `canvas ${r.width}×${r.height}: ${r.colours} colours`);
  }
  const tex = await root.locator('annotation[encoding="application/x-tex"]').allTextContents();
  assert.ok(tex.some((t) => t.includes(String.raw`\prod_{k=t+1}^{T}`)), 'chain rule');
  assert.ok(tex.some((t) => t.includes('threshold')), 'Algorithm 1');
  const rows = await root.locator('.rl-table tr').allTextContents();
  assert.equal(rows.length, 5);
  // The default threshold 0.25 is below the default gradient's norm: clipping is at work.
  assert.match(rows[1], /Gradient norm ‖g‖ → clipped ‖ĝ‖0\.4\d+ → 0\.2500$/);
  assert.match(await root.locator('.rl-radius-note').textContent(), /rescaled to spectral radius exactly 1\.00/);
  await root.screenshot({ path: 'target/screenshots/gradflow-widget-1280x720.png' });
});

test('gradflow handle: the bound is the product of the Jacobian norms and never below the measured norm; clipping is Algorithm 1', async () => {
  const { page } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  const r = await page.evaluate(async () => {
    const wasm = await import('/pkg/rnn_lab.js');
    await wasm.default({ module_or_path: '/pkg/rnn_lab_bg.wasm' });
    const T = 40;
    const w = new wasm.GradFlowWidget({ seq_len: T, hidden: 8, radius: 1.3, tanh: true, relu: false, sigmoid: true, identity: true,
      residual: false, lstm: true, gru: true, clip_threshold: 0.05, lr: 0.5, clip_curve: 'identity' });
    const progress = [];
    let st;
    do { st = w.compute(50); progress.push(st.progress); } while (!st.done);
    const out = { progressMonotone: progress.every((p, i) => i === 0 || p >= progress[i - 1]), calls: progress.length, last: progress.at(-1) };
    out.curves = w.summary().map((c) => c.kind);
    out.worstBelow = 0; // how far a measured value exceeds its bound (log10), should be ≤ f32 rounding
    out.sumErr = 0; // |bound[t] − (bound[t+1] + log jac[t+1])|
    out.lastErr = 0;
    for (const kind of ['tanh', 'sigmoid', 'identity', 'gru']) {
      const s = w.series(kind);
      out.isF32 = s instanceof Float32Array && s.length === 3 * T;
      for (let t = 0; t < T; t++) {
        const [g, b] = [s[3 * t], s[3 * t + 1]];
        if (Number.isFinite(g)) out.worstBelow = Math.max(out.worstBelow, g - b);
        if (t < T - 1) out.sumErr = Math.max(out.sumErr, Math.abs(b - (s[3 * (t + 1) + 1] + s[3 * (t + 1) + 2])));
      }
      out.lastErr = Math.max(out.lastErr, Math.abs(s[3 * (T - 1)] - s[3 * (T - 1) + 1]));
    }
    const c = w.clipPanel();
    out.clip = c;
    const rows = w.readout(1);
    out.readoutKinds = rows.map((x) => x.kind);
    out.lstmHasC = rows.find((x) => x.kind === 'lstm').log10_grad_c !== null;
    try { w.setConfig({ ...w.config(), radius: 5 }); } catch (e) { out.badRadius = e.message; }
    out.radiusAfter = w.config().radius;
    try { new wasm.GradFlowWidget({ tanh: false, relu: false, residual: false, lstm: false, gru: false }); } catch (e) { out.noCurves = e.message; }
    w.free();
    return out;
  });
  assert.ok(r.progressMonotone && r.last === 1 && r.calls > 3, JSON.stringify({ calls: r.calls, last: r.last }));
  assert.deepEqual(r.curves, ['tanh', 'sigmoid', 'identity', 'lstm', 'gru']);
  assert.equal(r.isF32, true);
  assert.ok(r.worstBelow < 1e-5, `a measured norm exceeds its bound by 10^${r.worstBelow}`);
  assert.ok(r.sumErr < 1e-4, `bound is not the running sum of the log Jacobian norms: ${r.sumErr}`);
  assert.ok(r.lastErr < 1e-5, 'at t = T the bound is the measured value');
  // Algorithm 1 with threshold 0.05 and η = 0.5, redone here.
  const c = r.clip;
  assert.equal(c.kind, 'identity');
  assert.ok(c.norm_before > 0.05);
  assert.ok(Math.abs(c.norm_after - 0.05) < 1e-12);
  assert.ok(Math.abs(c.scale - 0.05 / c.norm_before) < 1e-12);
  assert.ok(Math.abs(c.step_unclipped - 0.5 * c.norm_before) < 1e-12);
  assert.ok(Math.abs(c.step_clipped - 0.5 * 0.05) < 1e-12);
  assert.deepEqual(r.readoutKinds, r.curves);
  assert.equal(r.lstmHasC, true);
  assert.match(r.badRadius, /radius/);
  assert.equal(r.radiusAfter, 1.3);
  assert.match(r.noCurves, /tanh/);
});

test('gradflow: the heaviest setting (T = 200, H = 64, all seven curves with bounds) — compute time and responsiveness', async () => {
  const path = 'embed.html#widget=gradflow&seq_len=200&hidden=64&sigmoid=true&identity=true&lang=en';
  const { page, longTasks } = await openPage(path);
  const root = page.locator('[data-embed-root]');
  // Mounted (measured curves drawn) long before the bounds are done; the progress bar shows.
  const mountedWhileComputing = await root.evaluate((el) => el.dataset.computing === 'true');
  await page.waitForFunction(() => !document.querySelector('.rl-progress')?.hidden || document.querySelector('[data-embed-root]').dataset.computing === 'false');
  const progressSeen = await page.evaluate(() => document.querySelector('.rl-progress') !== null);
  await computed(root, 120000);
  const ms = Number(await root.getAttribute('data-compute-ms'));
  const tasks = await longTasks();
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  console.log(`# gradflow T=200 H=64, 7 curves + bounds: ${ms} ms in wasm; ${tasks.length} long task(s) on the page, longest ${longest.toFixed(0)} ms; mounted while computing: ${mountedWhileComputing}`);
  assert.ok(progressSeen);
  assert.ok(ms > 0);
  for (const c of await root.locator('canvas').all()) assert.ok((await canvasIsNonBlank(c)).nonBlank);
  assert.equal(await root.locator('.rl-message').count(), 0);
  await screenshot(page, 'gradflow-heaviest');
});

test('gradflow: the URL hash reproduces the state, and user changes write it back', async () => {
  const hash = '#flow1.radius=1.5&flow1.seq_len=100&flow1.sigmoid=true&flow1.lstm=false&flow1.clip_threshold=0.1&flow1.seed=4&lang=en';
  const { page } = await openPage(`index.html${hash}`);
  const root = widget(page, 'flow1');
  await computed(root);
  assert.equal(await root.locator('.rl-message').count(), 0);
  assert.equal(Number(await control(root, 'radius').inputValue()), 1.5);
  assert.equal(Number(await control(root, 'seq_len').inputValue()), 100);
  assert.equal(await control(root, 'sigmoid').isChecked(), true);
  assert.equal(await control(root, 'lstm').isChecked(), false);
  assert.equal(await control(root, 'seed').inputValue(), '4');
  assert.match(await root.locator('[data-control="clip_threshold"]').textContent(), /Threshold0\.1000/);
  await setSlider(root, 'radius', 0.8);
  await control(root, 'identity').check();
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('flow1.radius') === '0.8');
  await computed(root);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['flow1.identity'], 'true');
  assert.equal(pairs['flow1.seed'], '4');
  assert.ok(!Object.keys(pairs).some((k) => k.startsWith('step1.')), 'other widgets wrote keys');
  const want = await canvases(root);
  const { page: again } = await openPage(page.url().slice(baseUrl().length));
  const root2 = widget(again, 'flow1');
  await computed(root2);
  assert.deepEqual(await canvases(root2), want);
});

test('gradflow: two widgets on one page are independent', async () => {
  const { page } = await openPage('tests/browser/fixtures/two-of-each.html');
  const a = widget(page, 'fa');
  const b = widget(page, 'fb');
  await computed(a);
  await computed(b);
  const before = { a: await canvases(a), b: await canvases(b) };
  await setSlider(a, 'radius', 2);
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('fa.radius') === '2');
  await computed(a);
  assert.notDeepEqual(await canvases(a), before.a);
  assert.deepEqual(await canvases(b), before.b);
  assert.equal(Number(await control(b, 'radius').inputValue()), 1.5);
  // fb computes no bound: its Jacobian chart says so.
  assert.equal(await control(b, 'bound').isChecked(), false);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.ok(!Object.keys(pairs).some((k) => k.startsWith('fb.')));
});

test('embed.html#widget=gradflow&hide=… hides exactly those controls', async () => {
  const { page } = await openPage('embed.html#widget=gradflow&hide=curves,clip,seed,jacobians&seq_len=30');
  const root = page.locator('[data-embed-root]');
  await computed(root);
  for (const name of ['curves', 'clip', 'seed', 'jacobians']) assert.equal(await root.locator(`[data-control="${name}"]`).isVisible(), false, `${name} visible`);
  for (const name of ['tanh', 'lstm', 'clip_threshold', 'lr']) assert.equal(await control(root, name).isVisible(), false, `${name} visible`);
  for (const name of ['radius', 'input_scale', 'seq_len', 'hidden', 'forget_bias', 'bound']) assert.equal(await control(root, name).isVisible(), true, `${name} hidden`);
  assert.equal(await root.locator('.rl-message').count(), 0);
  assert.ok((await canvasIsNonBlank(root.locator('canvas').first())).nonBlank);
  await setSlider(root, 'forget_bias', 3);
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('forget_bias') === '3');
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs.widget, 'gradflow');
  assert.equal(pairs.hide, 'curves,clip,seed,jacobians');
  await screenshot(page, 'gradflow-embed-hide');
});

test('gradflow: language switch, keyboard probe and invalid URL values', async () => {
  const { page } = await openPage('index.html#flow1.radius=9&flow1.seq_len=1&flow1.clip_curve=cnn&flow1.seq_len=50');
  const root = widget(page, 'flow1');
  await computed(root);
  const texts = await root.locator('.rl-message').allTextContents();
  for (const key of ['radius=9', 'clip_curve=cnn']) assert.ok(texts.some((t) => t.includes(key)), `no message about ${key}: ${JSON.stringify(texts)}`);
  // The later seq_len=50 wins over the invalid seq_len=1, which is not reported.
  assert.equal(Number(await control(root, 'seq_len').inputValue()), 50);
  assert.equal(Number(await control(root, 'radius').inputValue()), 1);
  const title = root.locator('.rl-title');
  assert.equal(await title.textContent(), '기울기 흐름: 소실과 폭주');
  const ko = await canvases(root);
  await page.locator('[data-lang-switch] button[data-lang="en"]').click();
  assert.equal(await title.textContent(), 'Gradient flow: vanishing and exploding');
  assert.match(await root.locator('.rl-table').textContent(), /Loss J \(before the update\)/);
  assert.notDeepEqual(await canvases(root), ko);
  // Keyboard: the probe starts at t = T and moves left; values are announced.
  await root.locator('.rl-focusable').focus();
  await page.keyboard.press('ArrowLeft');
  const readout = root.locator('.rl-readout').first();
  assert.ok(await readout.isVisible());
  assert.match(await readout.textContent(), /^t = 49 {3}log₁₀ ‖∂J⁽ᵀ⁾\/∂h_t‖\nRNN tanh: −?\d+\.\d\d/);
  assert.match(await root.locator('[aria-live="polite"]').textContent(), /^t = 49: RNN tanh: /);
  await screenshot(page, 'gradflow-en');
});

test('gradflow: phone layout (390×844) does not scroll sideways', async () => {
  const { page } = await openPage('embed.html#widget=gradflow', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await computed(page.locator('[data-embed-root]'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
  await screenshot(page, 'gradflow-phone-390x844');
});
