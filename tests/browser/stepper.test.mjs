// Browser tests of the step-through widget "stepper" (issue 3): the wasm handle's numbers checked
// against the cell equations recomputed with the browser's own Math.exp/Math.tanh, the trained
// model's lecture predictions, stepping forward and back, keyboard and play, URL state, two
// widgets per page, embed.html with hide=, language switch, invalid URL values, and the time to
// the first drawn chart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, canvasIsNonBlank, hashPairs, openPage, screenshot } from './lib.mjs';

const widget = (page, id) => page.locator(`[data-widget][data-id="${id}"]`);
const control = (root, name) => root.locator(`[name="${name}"]`);
const canvases = async (root) => Promise.all((await root.locator('canvas').all()).map((c) => c.evaluate((x) => x.toDataURL())));
const stepText = (root) => root.locator('.rl-step-of').textContent();
const liveTex = (root) => root.locator('.rl-eq-live annotation[encoding="application/x-tex"]').textContent();

/** Waits until the live equations show step t (KaTeX renders asynchronously). */
async function liveAt(root, t, k) {
  await root.locator('.rl-eq-live').evaluate((el, [tt, kk]) => new Promise((resolve, reject) => {
    const want = `t = ${tt},\\; k = ${kk}`;
    const ok = () => el.querySelector('annotation')?.textContent.includes(want);
    if (ok()) return resolve();
    const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(); } });
    obs.observe(el, { childList: true, subtree: true, characterData: true });
    setTimeout(() => { obs.disconnect(); reject(new Error(`live equations never showed ${want}: ${el.textContent.slice(0, 80)}`)); }, 5000);
  }), [t, k]);
}

/** Everything a frame shows: every canvas, the live TeX, the status line and the step counter. */
async function snapshot(root) {
  return { canvases: await canvases(root), tex: await liveTex(root), status: await root.locator('.rl-status').textContent(), step: await stepText(root) };
}

test('stepper: mounts on index.html with zero console errors, non-blank charts and both equation blocks', async () => {
  const { page } = await openPage('index.html#lang=en');
  const root = widget(page, 'step1');
  assert.equal(await root.getAttribute('data-ready'), 'true');
  assert.equal(await root.locator('.rl-message').count(), 0, await root.locator('.rl-message').allTextContents().then(String));
  const cs = await root.locator('canvas').all();
  // LSTM: probabilities + 4 gate heatmaps + h and c traces.
  assert.equal(cs.length, 7);
  for (const c of cs) {
    const r = await canvasIsNonBlank(c);
    assert.ok(r.nonBlank && r.colours >= 4, `canvas ${r.width}×${r.height}: ${r.colours} colours`);
  }
  await liveAt(root, 1, 1);
  assert.match(await liveTex(root), /i_t\[k\] &= \\sigma\(/);
  assert.match(await root.locator('.rl-eq-general annotation').textContent(), /c_t &= f_t \\odot c_\{t-1\} \+ i_t \\odot g_t/);
  assert.equal(await stepText(root), 't = 1 / 4');
  // The trained model is in use: H is the model's (16), the slider is disabled.
  assert.equal(await control(root, 'hidden').isDisabled(), true);
  assert.equal(await control(root, 'hidden').inputValue(), '16');
  assert.match(await root.locator('.rl-model-note').textContent(), /stepper-word-lstm\.json: LSTM, H = 16/);
  await screenshot(page, 'stepper-index-1280x720');
  await root.screenshot({ path: 'target/screenshots/stepper-widget-1280x720.png' });
});

test('stepper handle: frames obey the cell equations (checked with the browser\'s own math)', async () => {
  const { page } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  const r = await page.evaluate(async () => {
    const wasm = await import('/pkg/rnn_lab.js');
    await wasm.default({ module_or_path: '/pkg/rnn_lab_bg.wasm' });
    const sig = (x) => 1 / (1 + Math.exp(-x));
    const out = { err: {}, T: {}, H: {} };
    for (const cell of ['rnn', 'lstm', 'gru']) {
      for (const gru of cell === 'gru' ? ['lecture', 'torch'] : ['lecture']) {
        const name = `${cell}-${gru}`;
        const w = new wasm.StepperWidget({ cell, gru, weights: 'random', hidden: 5, seed: 9, text: 'a b c a b' });
        out.T[name] = w.steps();
        out.H[name] = w.units();
        let err = 0;
        let hPrev = [0, 0, 0, 0, 0];
        for (let t = 1; t <= w.steps(); t++) {
          w.seek(t);
          const f = w.frame();
          const g = Object.fromEntries(f.gates.map((x) => [x.name, x]));
          const pre = (q, k) => g[q].rec[k] + g[q].inp[k] + g[q].bias[k];
          for (let k = 0; k < 5; k++) {
            err = Math.max(err, Math.abs(f.h_prev[k] - hPrev[k]));
            if (cell === 'rnn') {
              err = Math.max(err, Math.abs(f.h[k] - Math.tanh(pre('h', k))));
            } else if (cell === 'lstm') {
              for (const q of ['i', 'f', 'o']) err = Math.max(err, Math.abs(g[q].val[k] - sig(pre(q, k))));
              err = Math.max(err, Math.abs(g.g.val[k] - Math.tanh(pre('g', k))));
              const c = g.f.val[k] * f.c_prev[k] + g.i.val[k] * g.g.val[k];
              err = Math.max(err, Math.abs(c - f.c[k]), Math.abs(g.o.val[k] * Math.tanh(c) - f.h[k]));
            } else {
              const z = sig(pre('z', k));
              const n = Math.tanh(pre('n', k));
              err = Math.max(err, Math.abs(g.z.val[k] - z), Math.abs(g.r.val[k] - sig(pre('r', k))), Math.abs(g.n.val[k] - n));
              // Lecture: z weights the new candidate; PyTorch: z weights the old state.
              const h = gru === 'lecture' ? (1 - z) * f.h_prev[k] + z * n : (1 - z) * n + z * f.h_prev[k];
              err = Math.max(err, Math.abs(h - f.h[k]));
            }
          }
          if (f.target) err = Math.max(err, Math.abs(f.loss + Math.log(f.target.p)));
          hPrev = f.h;
        }
        out.err[name] = err;
        if (cell === 'lstm') {
          const m = w.gateMatrix(1);
          out.gateMatrix = { f32: m instanceof Float32Array, length: m.length };
          w.seek(2);
          out.fAt2 = Math.abs(m[1 * 5 + 3] - w.frame().gates[1].val[3]);
          out.seekHigh = w.seek(99);
          out.seekLow = w.seek(-3);
          out.unitHigh = w.setUnit(50);
          try { w.setConfig({ ...w.config(), text: '   ' }); } catch (e) { out.badText = e.message; }
          out.textAfter = w.config().text;
        }
        w.free();
      }
    }
    try { new wasm.StepperWidget({ hidden: 99 }); } catch (e) { out.badHidden = e.message; }
    // Trained weights: nothing to show until the model arrives, then the lecture's prediction.
    const w2 = new wasm.StepperWidget({});
    out.ready0 = w2.ready();
    out.file = w2.modelFile();
    w2.loadModel(out.file, await (await fetch(`/data/models/${out.file}`)).text());
    out.ready1 = w2.ready();
    out.H2 = w2.units();
    w2.seek(4);
    out.top = w2.frame().top[0].token;
    w2.free();
    return out;
  });
  for (const [name, err] of Object.entries(r.err)) assert.ok(err < 1e-12, `${name}: max error ${err}`);
  assert.deepEqual(r.T, { 'rnn-lecture': 5, 'lstm-lecture': 5, 'gru-lecture': 5, 'gru-torch': 5 });
  assert.deepEqual(r.gateMatrix, { f32: true, length: 5 * 5 });
  assert.ok(r.fAt2 < 1e-6);
  assert.deepEqual([r.seekHigh, r.seekLow, r.unitHigh], [5, 1, 5]);
  assert.match(r.badText, /text/);
  assert.equal(r.textAfter, 'a b c a b', 'a refused config must not replace the old one');
  assert.match(r.badHidden, /hidden/);
  assert.deepEqual([r.ready0, r.file, r.ready1, r.H2], [false, 'stepper-word-lstm.json', true, 16]);
  // The lecture's example: after "the students opened their" the trained LSTM expects "books".
  assert.equal(r.top, 'books');
});

test('stepper: keyboard → → then ← ← returns the identical frame; the aria-live region narrates', async () => {
  const { page } = await openPage('index.html#lang=en');
  const root = widget(page, 'step1');
  await liveAt(root, 1, 1);
  const first = await snapshot(root);
  await root.locator('.rl-stepper-figure').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await liveAt(root, 3, 1);
  assert.equal(await stepText(root), 't = 3 / 4');
  assert.match(await root.locator('[aria-live="polite"]').textContent(), /^Step 3 of 4: input “opened”\. Target “their” has probability 0\.\d{3}, J = \d\.\d{3}\./);
  assert.equal(Object.fromEntries(await hashPairs(page))['step1.step'], '3');
  assert.equal(await root.locator('.rl-token[aria-current="step"]').textContent(), 'opened');
  const third = await snapshot(root);
  assert.notDeepEqual(third.canvases, first.canvases);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft'); // already at t = 1: stays
  await liveAt(root, 1, 1);
  assert.deepEqual(await snapshot(root), first);
  // Clicking a token jumps there; the last step has no target and names the prediction.
  await root.locator('.rl-token[data-t="4"]').click();
  await liveAt(root, 4, 1);
  assert.match(await root.locator('.rl-status').textContent(), /Last step: there is no next token/);
  // Arrows also step while a token or a step button has the focus.
  await page.keyboard.press('ArrowLeft');
  await liveAt(root, 3, 1);
  await page.keyboard.press('ArrowRight');
  await liveAt(root, 4, 1);
  assert.match(await root.locator('[aria-live="polite"]').textContent(), /Last step\. Most probable: “books”\./);
});

test('stepper: hovering a heatmap cell reads it out, clicking it picks that step and unit', async () => {
  const { page } = await openPage('index.html#step1.step=4&lang=en');
  const root = widget(page, 'step1');
  await liveAt(root, 4, 1);
  const heat = root.locator('[data-gate="f"]');
  await heat.scrollIntoViewIfNeeded();
  const box = await heat.locator('canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.55);
  const text = await heat.locator('.rl-readout').textContent();
  const m = text.match(/^t = (\d) “(\S+)”, k = (\d+)\nf_t\[k\] = (−?\d\.\d{3})$/);
  assert.ok(m, text);
  const [tt, k] = [Number(m[1]), Number(m[3])];
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.55);
  await liveAt(root, tt, k);
  assert.equal(await control(root, 'unit').inputValue(), String(k));
  // The live equations show the same forget-gate value the readout gave.
  assert.match(await liveTex(root), new RegExp(`f_t\\[k\\] &= .* = ${m[4].replace('−', '-')}\\\\`));
});

test('stepper: space plays and pauses', async () => {
  const { page } = await openPage('index.html#lang=en');
  const root = widget(page, 'step1');
  await root.locator('.rl-stepper-figure').focus();
  await page.keyboard.press(' ');
  const play = root.locator('button[name="play"]');
  assert.equal(await play.getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => document.querySelector('[data-id="step1"] .rl-step-of').textContent.startsWith('t = 2'), null, { timeout: 4000 });
  await page.keyboard.press(' ');
  assert.equal(await play.getAttribute('aria-pressed'), 'false');
  const at = await stepText(root);
  await page.waitForTimeout(1400);
  assert.equal(await stepText(root), at, 'kept playing after pause');
});

test('stepper: the URL hash reproduces the state, and user changes write it back', async () => {
  const hash = '#step1.cell=gru&step1.weights=random&step1.seed=7&step1.hidden=12&step1.step=3&step1.unit=5'
    + '&step1.text=hello%20world%20again%20hello&lang=en';
  const { page } = await openPage(`index.html${hash}`);
  const root = widget(page, 'step1');
  assert.equal(await root.locator('.rl-message').count(), 0);
  assert.equal(await control(root, 'cell').inputValue(), 'gru');
  assert.equal(await control(root, 'weights').inputValue(), 'random');
  assert.equal(await control(root, 'hidden').inputValue(), '12');
  assert.equal(await control(root, 'seed').inputValue(), '7');
  assert.equal(await control(root, 'text').inputValue(), 'hello world again hello');
  assert.equal(await stepText(root), 't = 3 / 4');
  await liveAt(root, 3, 5);
  assert.match(await liveTex(root), /\\tilde h_t\[k\]/);
  assert.equal(await root.locator('canvas').count(), 1 + 3 + 1, 'GRU: probabilities, z r h̃ heatmaps, h traces');
  // Step forward and pick unit 2 through the UI; the hash follows.
  await root.locator('button[name="next"]').click();
  await control(root, 'unit').evaluate((el) => { el.value = '2'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await liveAt(root, 4, 2);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['step1.step'], '4');
  assert.equal(pairs['step1.unit'], '2');
  assert.equal(pairs['step1.seed'], '7');
  assert.ok(!Object.keys(pairs).some((k) => k.startsWith('flow1.')), 'other widgets wrote keys');
  const want = await snapshot(root);
  const { page: again } = await openPage(page.url().slice(baseUrl().length));
  const root2 = widget(again, 'step1');
  await liveAt(root2, 4, 2);
  assert.deepEqual(await snapshot(root2), want);
});

test('stepper: two widgets on one page are independent', async () => {
  const { page } = await openPage('tests/browser/fixtures/two-of-each.html');
  const a = widget(page, 'sa');
  const b = widget(page, 'sb');
  await liveAt(a, 1, 1);
  await liveAt(b, 1, 1);
  assert.equal(await stepText(b), 't = 1 / 5');
  const before = { a: await snapshot(a), b: await snapshot(b) };
  await a.locator('button[name="next"]').click();
  await liveAt(a, 2, 1);
  assert.notDeepEqual((await snapshot(a)).canvases, before.a.canvases);
  assert.deepEqual(await snapshot(b), before.b);
  await control(b, 'cell').selectOption('lstm');
  await page.waitForFunction(() => document.querySelectorAll('[data-id="sb"] canvas').length === 7);
  assert.equal(await stepText(a), 't = 2 / 4');
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['sa.step'], '2');
  assert.equal(pairs['sb.cell'], 'lstm');
  assert.equal(pairs['sb.text'], 'hello');
  await screenshot(page, 'two-of-each');
});

test('embed.html#widget=stepper&hide=… hides exactly those controls', async () => {
  const { page } = await openPage('embed.html#widget=stepper&hide=preset,text,seed,lang&cell=rnn&weights=random&hidden=4');
  const root = page.locator('[data-embed-root]');
  assert.equal(await root.getAttribute('data-ready'), 'true');
  for (const name of ['preset', 'text', 'seed']) assert.equal(await root.locator(`[data-control="${name}"]`).isVisible(), false, `${name} visible`);
  for (const name of ['tokens', 'cell', 'gru', 'weights', 'hidden', 'unit']) assert.equal(await root.locator(`[data-control="${name}"]`).isVisible(), true, `${name} hidden`);
  assert.equal(await page.locator('[data-lang-switch]').isVisible(), false);
  assert.equal(await root.locator('.rl-message').count(), 0);
  for (const c of await root.locator('canvas').all()) assert.ok((await canvasIsNonBlank(c)).nonBlank);
  assert.equal(await root.locator('canvas').count(), 3, 'RNN: probabilities, one h heatmap, h traces');
  await root.locator('button[name="next"]').click();
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs.widget, 'stepper');
  assert.equal(pairs.step, '2');
  assert.equal(pairs.hide, 'preset,text,seed,lang');
  await screenshot(page, 'stepper-embed-hide');
});

test('stepper: the language switch changes the visible strings and the charts', async () => {
  const { page } = await openPage('index.html');
  const root = widget(page, 'step1');
  const title = root.locator('.rl-title');
  assert.equal(await title.textContent(), '시간을 따라 한 단계씩: RNN · LSTM · GRU');
  const ko = await canvases(root);
  await page.locator('[data-lang-switch] button[data-lang="en"]').click();
  assert.equal(await title.textContent(), 'Step through time: RNN · LSTM · GRU');
  assert.match(await root.locator('[data-control="weights"]').textContent(), /Weights/);
  assert.equal(await root.locator('button[name="next"]').getAttribute('aria-label'), 'Next step');
  assert.match(await root.locator('.rl-status').textContent(), /^input x_t = “the”/);
  assert.notDeepEqual(await canvases(root), ko, 'chart labels were not redrawn');
  await page.locator('[data-lang-switch] button[data-lang="ko"]').click();
  assert.deepEqual(await canvases(root), ko);
});

test('stepper: invalid URL values, unknown words and unreadable text give visible messages', async () => {
  const { page } = await openPage('index.html#step1.hidden=99&step1.cell=cnn&step1.step=0&step1.unit=abc&lang=en');
  const root = widget(page, 'step1');
  const texts = await root.locator('.rl-message').allTextContents();
  for (const key of ['hidden=99', 'cell=cnn', 'step=0', 'unit=abc']) {
    assert.ok(texts.some((t) => t.includes(key)), `no message about ${key} in ${JSON.stringify(texts)}`);
  }
  assert.equal(await control(root, 'cell').inputValue(), 'lstm');
  assert.equal(await stepText(root), 't = 1 / 4');
  for (const c of await root.locator('canvas').all()) assert.ok((await canvasIsNonBlank(c)).nonBlank);

  const { page: unk } = await openPage('index.html#step1.text=the%20zebras%20opened%20their&lang=en');
  const note = widget(unk, 'step1').locator('.rl-message[data-kind="info"]');
  assert.match(await note.textContent(), /read as <unk>: zebras/);

  // "é" is not in the trained char model's vocabulary: random weights, with the reason shown.
  const { page: bad } = await openPage('index.html#step1.tokens=char&step1.text=h%C3%A9llo&lang=en');
  const broot = widget(bad, 'step1');
  assert.match(await broot.locator('.rl-message[data-kind="error"]').textContent(), /cannot read this sentence; using random weights.*vocabulary/);
  assert.equal(await control(broot, 'weights').inputValue(), 'random');
  assert.equal(await stepText(broot), 't = 1 / 5');
  // Changing it to text the model reads, then back to trained weights, works again.
  await control(broot, 'text').fill('hello');
  await control(broot, 'text').press('Enter');
  await control(broot, 'weights').selectOption('trained');
  await bad.waitForFunction(() => document.querySelector('[data-id="step1"] .rl-model-note')?.textContent.includes('stepper-char-lstm.json'));
  await screenshot(bad, 'stepper-invalid');
});

test('stepper: the lecture\'s Korean sentence — the trained model expects 늦었다', async () => {
  const { page } = await openPage('index.html#lang=ko');
  const root = widget(page, 'step1');
  await control(root, 'preset').selectOption('korean');
  await page.waitForFunction(() => document.querySelector('[data-id="step1"] .rl-step-of').textContent === 't = 1 / 6');
  await root.locator('button[name="last"]').click();
  await root.locator('.rl-stepper-figure').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  assert.match(await root.locator('[aria-live="polite"]').textContent(), /가장 높은 후보 “늦었다”/);
  assert.equal(Object.fromEntries(await hashPairs(page))['step1.text'], '오늘 수업이 1교시인데 늦잠을 자서 수업에');
  await root.screenshot({ path: 'target/screenshots/stepper-korean.png' });
});

test('stepper: phone layout (390×844) does not scroll sideways', async () => {
  const { page } = await openPage('embed.html#widget=stepper', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
  for (const c of await page.locator('canvas').all()) assert.ok((await canvasIsNonBlank(c)).nonBlank);
  await screenshot(page, 'stepper-phone-390x844');
});

test('time from navigation to the first drawn chart (median of 5 loads)', async () => {
  const results = {};
  for (const path of ['index.html', 'embed.html#widget=stepper', 'embed.html#widget=gradflow']) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const { page } = await openPage(path);
      times.push(await page.evaluate(() => performance.getEntriesByName('rnnlab:first-chart-drawn')[0]?.startTime ?? NaN));
    }
    assert.ok(times.every(Number.isFinite), `${path}: no first-chart mark: ${times}`);
    times.sort((x, y) => x - y);
    results[path] = times;
    console.log(`# ${path}: first chart drawn after ${times[2].toFixed(0)} ms (median; all: ${times.map((x) => x.toFixed(0)).join(', ')})`);
  }
});
