// Browser tests of the reference widget "activations" and of the widget contract it exercises
// (mounting, URL state, hide, language, share snippets, several widgets per page, keyboard,
// viewports). They are the template for every later widget's browser tests. Expected numbers
// come from the browser's own Math.tanh / Math.exp, independent of the Rust code under test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, canvasIsNonBlank, hashPairs, openPage, screenshot, widgetsSettled } from './lib.mjs';

const widget = (page, id) => page.locator(`[data-widget][data-id="${id}"]`);
const control = (root, name) => root.locator(`[name="${name}"]`);
const canvasData = (root) => root.locator('canvas').evaluate((c) => c.toDataURL());

/** Reads the visible state of an activations widget back from its controls. */
async function readControls(root) {
  const out = {};
  for (const name of ['tanh', 'relu', 'sigmoid', 'identity', 'derivative']) out[name] = await control(root, name).isChecked();
  for (const name of ['x_min', 'x_max']) out[name] = Number(await control(root, name).inputValue());
  return out;
}

/** Sets a range input the way a user drag ends: value + input event. */
async function setSlider(root, name, value) {
  await control(root, name).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

test('index.html: two widgets mount with zero console errors, non-blank charts and the KaTeX bound', async () => {
  const { page, longTasks } = await openPage('index.html');
  assert.equal(await page.locator('[data-widget="activations"]').count(), 2);
  for (const id of ['act1', 'act2']) {
    const root = widget(page, id);
    assert.equal(await root.getAttribute('data-ready'), 'true');
    const canvases = await root.locator('canvas').all();
    assert.ok(canvases.length >= 1);
    for (const c of canvases) {
      const r = await canvasIsNonBlank(c);
      assert.ok(r.nonBlank, `${id}: canvas ${r.width}×${r.height} is one colour`);
      assert.ok(r.colours >= 4, `${id}: only ${r.colours} colours drawn`);
    }
    assert.equal(await root.locator('.rl-message').count(), 0, `${id} shows a message`);
  }
  // act2's data-config was applied.
  assert.deepEqual(await readControls(widget(page, 'act2')),
    { tanh: false, relu: true, sigmoid: true, identity: false, derivative: true, x_min: -6, x_max: 6 });
  // KaTeX rendered the lecture's bound (the MathML annotation carries the TeX source).
  const tex = await widget(page, 'act1').locator('annotation[encoding="application/x-tex"]').textContent();
  assert.match(tex, /\\sigma'\(a\)=\\sigma\(a\).*\\le\\tfrac14/);
  assert.ok(await widget(page, 'act1').locator('.katex-html').isVisible());
  await screenshot(page, 'index-1280x720');
  const tasks = await longTasks();
  console.log(`# index.html load: ${tasks.length} long task(s), longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms`);
});

test('the URL hash reproduces the state, and user changes write it back', async () => {
  const hash = '#act1.x_min=-6.5&act1.x_max=2&act1.relu=true&act1.sigmoid=false&act1.derivative=false&lang=en';
  const { page } = await openPage(`index.html${hash}`);
  const want = { tanh: true, relu: true, sigmoid: false, identity: false, derivative: false, x_min: -6.5, x_max: 2 };
  assert.deepEqual(await readControls(widget(page, 'act1')), want);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

  // Change three settings through the UI, then carry the resulting URL to a fresh page.
  const root = widget(page, 'act1');
  const historyBefore = await page.evaluate(() => history.length);
  await control(root, 'identity').check();
  await setSlider(root, 'x_max', 3.5);
  await control(root, 'derivative').check();
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['act1.identity'], 'true');
  assert.equal(pairs['act1.x_max'], '3.5');
  assert.equal(pairs['act1.derivative'], 'true');
  assert.equal(pairs.lang, 'en');
  assert.ok(!Object.keys(pairs).some((k) => k.startsWith('act2.')), 'act2 keys were written');
  // replaceState, not pushState: no history entries from moving controls.
  assert.equal(await page.evaluate(() => history.length), historyBefore);

  const url = page.url();
  const { page: again } = await openPage(url.slice(baseUrl().length));
  assert.deepEqual(await readControls(widget(again, 'act1')), { ...want, identity: true, x_max: 3.5, derivative: true });
  // The same state draws the same pixels.
  assert.equal(await canvasData(widget(again, 'act1')), await canvasData(root));
});

test('two widgets on one page change independently', async () => {
  const { page } = await openPage('index.html');
  const a = widget(page, 'act1');
  const b = widget(page, 'act2');
  const before = { a: await canvasData(a), b: await canvasData(b), bControls: await readControls(b) };
  await control(a, 'relu').check();
  await setSlider(a, 'x_min', -2);
  assert.notEqual(await canvasData(a), before.a, 'act1 did not redraw');
  assert.equal(await canvasData(b), before.b, 'act2 redrew');
  assert.deepEqual(await readControls(b), before.bControls);
  await control(b, 'tanh').check();
  assert.equal(await control(a, 'tanh').isChecked(), true);
  assert.equal(await control(a, 'relu').isChecked(), true);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['act1.x_min'], '-2');
  assert.equal(pairs['act2.tanh'], 'true');
  assert.equal(pairs['act2.x_min'], '-6');
});

test('embed.html#widget=activations&hide=… hides exactly those controls', async () => {
  const { page } = await openPage('embed.html#widget=activations&hide=range,derivative,lang&relu=true');
  const root = page.locator('[data-embed-root]');
  assert.equal(await root.getAttribute('data-ready'), 'true');
  for (const name of ['x_min', 'x_max', 'derivative']) assert.equal(await control(root, name).isVisible(), false, `${name} visible`);
  for (const name of ['tanh', 'relu', 'sigmoid', 'identity']) assert.equal(await control(root, name).isVisible(), true, `${name} hidden`);
  assert.equal(await control(root, 'relu').isChecked(), true);
  assert.equal(await page.locator('[data-lang-switch]').isVisible(), false);
  assert.ok((await canvasIsNonBlank(root.locator('canvas'))).nonBlank);
  assert.equal(await root.locator('.rl-message').count(), 0);
  // Plain keys on embed.html: a change writes x_min=…, not a namespaced key.
  await control(root, 'sigmoid').uncheck();
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs.widget, 'activations');
  assert.equal(pairs.sigmoid, 'false');
  assert.equal(pairs.hide, 'range,derivative,lang');
  await screenshot(page, 'embed-hide-range');
});

test('invalid URL values show a visible message and fall back to the defaults', async () => {
  const { page } = await openPage('index.html#act1.x_min=abc&act1.x_max=99&act1.relu=maybe&act1.colour=red&act1.sigmoid=false&lang=fr');
  const root = widget(page, 'act1');
  const messages = root.locator('.rl-message');
  const texts = await messages.allTextContents();
  for (const key of ['x_min=abc', 'x_max=99', 'relu=maybe', 'colour=red', 'lang=fr']) {
    assert.ok(texts.some((t) => t.includes(key)), `no message about ${key} in ${JSON.stringify(texts)}`);
  }
  for (const m of await messages.all()) assert.ok(await m.isVisible());
  // Bad fields keep their defaults; the good one (sigmoid=false) applies.
  assert.deepEqual(await readControls(root),
    { tanh: true, relu: false, sigmoid: false, identity: false, derivative: true, x_min: -4, x_max: 4 });
  assert.ok((await canvasIsNonBlank(root.locator('canvas'))).nonBlank);
  // The other widget only shares the page-level lang=fr note.
  const other = await widget(page, 'act2').locator('.rl-message').allTextContents();
  assert.ok(other.every((t) => t.includes('lang=fr')), JSON.stringify(other));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  await screenshot(page, 'invalid-url');
});

test('an impossible range from the controls is refused with a message and the slider reverts', async () => {
  const { page } = await openPage('index.html');
  const root = widget(page, 'act1');
  const before = await canvasData(root);
  await setSlider(root, 'x_min', 19.5);
  const msg = root.locator('.rl-message[data-kind="error"]');
  assert.match(await msg.textContent(), /x_min/);
  assert.equal(Number(await control(root, 'x_min').inputValue()), -4);
  assert.equal(await canvasData(root), before);
  await setSlider(root, 'x_min', -3);
  assert.equal(await msg.count(), 0, 'the error stays after a valid change');
});

test('the language switch changes visible strings (ko ↔ en), the chart and the URL', async () => {
  const { page } = await openPage('index.html');
  const root = widget(page, 'act1');
  const title = root.locator('.rl-title');
  assert.equal(await title.textContent(), '활성화 함수와 도함수');
  const koCanvas = await canvasData(root);
  await page.locator('[data-lang-switch] button[data-lang="en"]').click();
  assert.equal(await title.textContent(), 'Activation functions and their derivatives');
  assert.equal(await widget(page, 'act2').locator('.rl-title').textContent(), 'Activation functions and their derivatives');
  assert.match(await root.locator('[data-control="derivative"]').textContent(), /Show derivative/);
  assert.match(await root.locator('[data-control="copy-link"]').textContent(), /Copy link/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(Object.fromEntries(await hashPairs(page)).lang, 'en');
  assert.notEqual(await canvasData(root), koCanvas, 'axis labels were not redrawn');
  assert.equal(await page.locator('[data-lang-switch] button[data-lang="en"]').getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'index-en-1280x720');
  await page.locator('[data-lang-switch] button[data-lang="ko"]').click();
  assert.equal(await title.textContent(), '활성화 함수와 도함수');
  assert.equal(await canvasData(root), koCanvas);
});

test('copy link and embed code: the snippets reproduce the widget elsewhere', async () => {
  const { page } = await openPage('index.html#lang=en');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  const root = widget(page, 'act2');
  await control(root, 'identity').check();
  await root.locator('[data-control="copy-link"]').click();
  await page.waitForFunction(async () => (await navigator.clipboard.readText()).length > 0);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

  await root.locator('[data-control="embed-code"]').click();
  const panel = root.locator('.rl-share-panel');
  assert.ok(await panel.isVisible());
  const div = await panel.locator('[data-snippet="div"]').inputValue();
  const iframe = await panel.locator('[data-snippet="iframe"]').inputValue();
  assert.match(div, /^<div data-widget="activations" data-config='[^']+'><\/div>\n<script type="module" src="[^"]+\/www\/js\/embed\.js"><\/script>$/);
  const config = JSON.parse(div.match(/data-config='([^']+)'/)[1].replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
  assert.deepEqual(config, { derivative: true, identity: true, relu: true, sigmoid: true, tanh: false, x_max: 6, x_min: -6 });
  const src = iframe.match(/<iframe src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  assert.ok(src.startsWith(`${baseUrl()}embed.html#widget=activations&`), src);

  // The iframe URL opens the same state on embed.html …
  const { page: framed } = await openPage(src.slice(baseUrl().length));
  const e = framed.locator('[data-embed-root]');
  assert.deepEqual(await readControls(e), await readControls(root));
  assert.equal(await e.locator('.rl-title').textContent(), 'Activation functions and their derivatives');

  // … and the <div> snippet, pasted into an unrelated page, mounts the same state.
  const { page: host } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  await host.evaluate((html) => {
    const tpl = document.createElement('template');
    tpl.innerHTML = html;
    for (const node of [...tpl.content.childNodes]) {
      if (node.nodeName === 'SCRIPT') {
        const s = document.createElement('script');
        s.type = 'module';
        s.src = node.getAttribute('src');
        document.body.append(s);
      } else {
        document.body.append(node);
      }
    }
  }, div);
  await widgetsSettled(host);
  const pasted = host.locator('[data-widget="activations"]');
  assert.deepEqual(await readControls(pasted), await readControls(root));
  assert.ok((await canvasIsNonBlank(pasted.locator('canvas'))).nonBlank);
  await screenshot(host, 'pasted-div-snippet');
});

test('keyboard: ←/→ move a probe along a, the readout and the aria-live region report f and f′', async () => {
  const { page } = await openPage('index.html#lang=en');
  const root = widget(page, 'act1');
  await root.locator('.rl-focusable').focus();
  // Default range [-4, 4] → step 8/40 = 0.2; two steps right from 0 gives a = 0.4.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const readout = root.locator('.rl-readout');
  assert.ok(await readout.isVisible());
  const text = await readout.textContent();
  const a = 0.4;
  const tanh = Math.tanh(a);
  const sig = 1 / (1 + Math.exp(-a));
  assert.match(text, /^a = 0\.40\n/);
  assert.ok(text.includes(`tanh(a) = ${tanh.toFixed(3)},  tanh′(a) = ${(1 - tanh * tanh).toFixed(3)}`), text);
  assert.ok(text.includes(`σ(a) = ${sig.toFixed(3)},  σ′(a) = ${(sig * (1 - sig)).toFixed(3)}`), text);
  const live = await root.locator('[aria-live="polite"]').textContent();
  assert.ok(live.startsWith('a = 0.40; tanh(a) ='), live);
  await page.keyboard.press('ArrowLeft');
  assert.match(await readout.textContent(), /^a = 0\.20\n/);
  // Arrow keys on a focused slider keep their normal meaning.
  await control(root, 'x_max').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await control(root, 'x_max').inputValue()), 4.5);
});

test('hover readout: the mapping returned by Rust puts the pointer on the right a', async () => {
  const { page } = await openPage('index.html#lang=en');
  const canvas = widget(page, 'act1').locator('canvas');
  await canvas.scrollIntoViewIfNeeded(); // section 1's widgets sit above it on index.html
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  const text = await widget(page, 'act1').locator('.rl-readout').textContent();
  const a = Number(text.match(/^a = (−?[\d.]+)/)[1].replace('−', '-'));
  assert.ok(a > -4 && a < 4, text);
  // The readout's values belong to the a it shows (to display rounding).
  const tanhShown = Number(text.match(/tanh\(a\) = (−?[\d.]+)/)[1].replace('−', '-'));
  assert.ok(Math.abs(tanhShown - Math.tanh(a)) < 0.006, `${text}`);
  // Outside the plot area there is no readout.
  await page.mouse.move(box.x + 2, box.y + 2);
  assert.equal(await widget(page, 'act1').locator('.rl-readout').isVisible(), false);
});

test('bulk numbers cross the boundary as Float32Array and match the browser\'s own math', async () => {
  const { page } = await openPage('index.html');
  const result = await page.evaluate(async () => {
    const wasm = await import('/pkg/rnn_lab.js');
    await wasm.default({ module_or_path: '/pkg/rnn_lab_bg.wasm' });
    const w = new wasm.ActivationsWidget({ x_min: -3, x_max: 5 });
    const s = w.samples('sigmoid');
    const out = { isF32: s instanceof Float32Array, length: s.length, maxErr: 0, first: s[0], last: s[s.length - 3] };
    for (let i = 0; i < s.length; i += 3) {
      const a = s[i];
      const sig = 1 / (1 + Math.exp(-a));
      out.maxErr = Math.max(out.maxErr, Math.abs(s[i + 1] - sig), Math.abs(s[i + 2] - sig * (1 - sig)));
    }
    let bad = '';
    try { new wasm.ActivationsWidget({ x_min: 3, x_max: 1 }); } catch (e) { bad = e.message; }
    let unknown = '';
    try { w.samples('softmax'); } catch (e) { unknown = e.message; }
    w.free();
    return { ...out, bad, unknown };
  });
  assert.equal(result.isF32, true);
  assert.equal(result.length, 3 * 401);
  assert.equal(result.first, -3);
  assert.equal(result.last, 5);
  assert.ok(result.maxErr < 1e-6, `max error ${result.maxErr}`);
  assert.match(result.bad, /x_min/);
  assert.match(result.unknown, /unknown activation "softmax"/);
});

test('phone (390×844) and projector (1280×720) layouts fit without horizontal scrolling', async () => {
  for (const [name, viewport, scale] of [['phone-390x844', { width: 390, height: 844 }, 3], ['projector-1280x720', { width: 1280, height: 720 }, 1]]) {
    const { page } = await openPage('index.html', { viewport, deviceScaleFactor: scale });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: page scrolls sideways by ${overflow}px`);
    const canvas = widget(page, 'act1').locator('canvas');
    const r = await canvasIsNonBlank(canvas);
    assert.ok(r.nonBlank);
    const cssWidth = (await canvas.boundingBox()).width;
    assert.equal(r.width, Math.round(cssWidth * scale), `${name}: canvas not sized for devicePixelRatio`);
    await screenshot(page, name);
    await widget(page, 'act1').screenshot({ path: `target/screenshots/${name}-widget.png` });
  }
});
