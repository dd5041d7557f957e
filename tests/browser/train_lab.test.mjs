// Browser tests of the training lab ("train_lab"): training in a Web Worker keeps the page
// responsive (no long task over 50 ms on the main thread while training), the charts and the table
// update, a diverging run is explained and recovers, user text is only ever text, the pretrained
// model generates sensible text, downloads cancel, bad inputs give messages, compare mode, layouts.
//
// Expected values come from outside the code under test: ln V for a uniform guess, the corpus's
// own unigram entropy and word list (computed here from data/corpora/tinyshakespeare.txt), and
// mathematical facts (entropy of softmax(z/τ) grows with τ).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canvasIsNonBlank, hashPairs, openPage, screenshot } from './lib.mjs';

const SHAKESPEARE = readFileSync(new URL('../../data/corpora/tinyshakespeare.txt', import.meta.url), 'utf8');
const LN_65 = Math.log(65); // uniform over tiny-shakespeare's 65 characters

/** Unigram (character-frequency) entropy of a text, in nats. */
function unigramEntropy(text) {
  const counts = new Map();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  let h = 0;
  for (const k of counts.values()) h -= (k / n) * Math.log(k / n);
  return h;
}

const lab = (page) => page.locator('.rl-tl');
const modelReady = (page) => page.waitForSelector('.rl-tl[data-model="ready"]', { timeout: 60000 });
const parseNum = (s) => Number(String(s).replace(/,/g, '').replace('−', '-'));
const stepOf = async (root) => Number(await root.locator('.rl-tl-status').getAttribute('data-step'));
const cell = async (root, run, col) => parseNum(await root.locator(`tr[data-run="${run}"] td[data-col="${col}"]`).textContent());
const canvasData = (loc) => loc.evaluate((c) => c.toDataURL());
const chart = (root, name) => root.locator(`[data-chart="${name}"] canvas`);

/** Sets a range input the way a drag does (value + input event). */
async function setSlider(root, name, value) {
  await root.locator(`input[name="${name}"]`).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Waits until the worker reports that training runs (or stopped), which also means the table
 * and the step count are final after a pause. */
const workerState = (page, state) => page.waitForFunction((s) => document.querySelector('.rl-tl-status')?.dataset.worker === s, state);

async function trainFor(page, root, ms) {
  await root.locator('button[name="train"]').click();
  await workerState(page, 'playing');
  await page.waitForTimeout(ms);
  await root.locator('button[name="train"]').click();
  await workerState(page, 'stopped');
}

const entropyOf = async (root) => Number((await root.locator('.rl-tl-entropy').textContent()).match(/H = ([\d.]+)/)[1]);

test('train_lab on index.html: training updates charts and table, and no main-thread task exceeds 50 ms', async () => {
  const { page, longTasks } = await openPage('index.html#lang=en');
  const root = page.locator('[data-widget="train_lab"]');
  assert.equal(await root.getAttribute('data-ready'), 'true');
  await modelReady(page);
  assert.match(await root.locator('.rl-tl-source').textContent(), /V = 65 \(characters\)/);
  const loss = chart(root, 'loss');
  const before = await canvasData(loss);
  const beforeGrad = await canvasData(chart(root, 'grad'));
  const start = await page.evaluate(() => performance.now());

  await root.locator('button[name="train"]').click();
  assert.equal(await root.locator('button[name="train"]').getAttribute('aria-pressed'), 'true');
  await page.waitForTimeout(1200);
  const mid = await stepOf(root);
  // Reading the canvas back (PNG encoding) is the test's own main-thread work: its interval is
  // left out of the long-task check below.
  const probe0 = await page.evaluate(() => performance.now());
  const midCanvas = await canvasData(loss);
  const probe1 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(2500);
  // The held-out loss is first measured at step 200: train until then however slow the machine is.
  await page.waitForFunction(() => Number(document.querySelector('.rl-tl-status')?.dataset.step) >= 200, null, { timeout: 60000 });
  const status = await root.locator('.rl-tl-status').textContent();
  const after = await stepOf(root);
  const rate = parseNum(status.match(/([\d,]+) steps\/s/)[1]);
  await root.locator('button[name="train"]').click();
  const end = await page.evaluate(() => performance.now());

  assert.ok(mid > 0 && after > mid, `steps did not advance: ${mid} → ${after}`);
  assert.notEqual(midCanvas, before, 'the loss chart did not change while training');
  assert.notEqual(await canvasData(loss), midCanvas, 'the loss chart stopped updating');
  assert.notEqual(await canvasData(chart(root, 'grad')), beforeGrad, 'the gradient chart did not change');
  for (const c of [loss, chart(root, 'grad')]) assert.ok((await canvasIsNonBlank(c)).colours >= 4);
  // After ≥ 200 updates the model beats a uniform guess over the 65 characters, on training
  // windows and on held-out text (first held-out measurement at step 200).
  assert.ok(after >= 200, `only ${after} steps`);
  const train = await cell(root, 'lstm', 'train');
  const held = await cell(root, 'lstm', 'heldout');
  assert.ok(train < LN_65 - 0.5, `train loss ${train} vs ln 65 = ${LN_65}`);
  assert.ok(held < LN_65 - 0.5, `held-out loss ${held}`);
  assert.ok(Math.abs(await cell(root, 'lstm', 'ppl') - Math.exp(held)) / Math.exp(held) < 0.01, 'perplexity ≠ e^loss');

  const tasks = (await longTasks()).filter((t) => t.start >= start && t.start <= end
    && !(t.start < probe1 && t.start + t.duration > probe0));
  const worst = Math.max(0, ...tasks.map((t) => t.duration));
  console.log(`# train_lab: ${after} steps, ${rate} steps/s in the browser (LSTM H=128 T=50); long tasks while training: ${tasks.length}, longest ${worst.toFixed(0)} ms`);
  const ours = await page.evaluate(() => ['train_lab draw', 'train_lab report'].flatMap((n) => performance.getEntriesByName(n))
    .map((e) => ({ name: e.name, start: Math.round(e.startTime), duration: Math.round(e.duration) })));
  const worstOwn = Math.max(0, ...ours.filter((e) => e.start >= start && e.start <= end).map((e) => e.duration));
  console.log(`# train_lab: the widget's own main-thread work per report / chart draw: at most ${worstOwn} ms`);
  const overlapping = (t) => ours.filter((e) => e.start < t.start + t.duration && e.start + e.duration > t.start);
  // The machine is shared (2 cores): another process can take the CPU from Chromium's main thread
  // and stretch a task past 50 ms that the page did not cause. So when the first window has long
  // tasks, up to two more training windows are measured; the page passes when one whole window of
  // training has no task over 50 ms. Jank the page causes itself shows up in every window.
  const windows = [tasks];
  while (windows.at(-1).some((t) => t.duration > 50) && windows.length < 3) {
    await workerState(page, 'stopped');
    const w0 = await page.evaluate(() => performance.now());
    await root.locator('button[name="train"]').click();
    await workerState(page, 'playing');
    await page.waitForTimeout(3000);
    await root.locator('button[name="train"]').click();
    const w1 = await page.evaluate(() => performance.now());
    windows.push((await longTasks()).filter((t) => t.start >= w0 && t.start <= w1));
    console.log(`# train_lab: extra 3 s window ${windows.length}: long tasks ${windows.at(-1).length}, longest ${Math.max(0, ...windows.at(-1).map((t) => t.duration)).toFixed(0)} ms`);
  }
  assert.ok(windows.some((w) => w.every((t) => t.duration <= 50)),
    `main-thread long tasks while training in every window: ${JSON.stringify(windows.map((w) => w.map((t) => ({ ...t, ours: overlapping(t) }))))}`);
  await workerState(page, 'stopped');

  // The hover readout reads the drawn values back.
  await loss.scrollIntoViewIfNeeded();
  const box = await loss.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
  assert.match(await root.locator('[data-chart="loss"] .rl-readout').textContent(), /^Step ≈ [\d,]+\ntrain: \d\.\d{3}/);
  await root.scrollIntoViewIfNeeded();
  await screenshot(page, 'train-lab-index-1280x720');
});

test('a diverging run (clipping off, huge learning rate) explains why and goes back to the last good checkpoint', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&lang=en&cell=rnn&activation=relu&optimizer=sgd&lr=10&clip=false');
  const root = lab(page);
  await modelReady(page);
  await root.locator('button[name="train"]').click();
  const panel = root.locator('.rl-tl-diverged');
  await panel.waitFor({ state: 'visible', timeout: 20000 });
  const text = await panel.textContent();
  assert.match(text, /Training diverged/);
  assert.match(text, /RNN: at step \d+ the (loss|gradient) became infinite or NaN/);
  assert.match(text, /Gradient clipping is off/);
  assert.match(text, /exploding gradient/);
  assert.match(text, /lower the learning rate \(now 10\)/);
  assert.match(text, /ReLU RNN has no bound/);
  assert.match(await root.locator('.rl-tl-status').textContent(), /^Diverged/);
  assert.equal(await root.locator('button[name="train"]').isDisabled(), true, 'training a diverged model is offered');
  const checkpoint = Number((await root.locator('button[name="restore"]').textContent()).match(/step (\d+)/)[1]);
  const divergedAt = Number(text.match(/at step (\d+)/)[1]);
  assert.ok(checkpoint < divergedAt);
  await root.locator('.rl-figure').screenshot({ path: 'target/screenshots/train-lab-diverged.png' });

  // One click: back to the checkpoint, with the safer settings (clipping on, lr 10 → 0.1 for SGD).
  await root.locator('button[name="restore"]').click();
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await stepOf(root), checkpoint);
  assert.equal(await root.locator('input[name="clip"]').isChecked(), true);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs.clip, 'true');
  assert.equal(pairs.lr, '0.1');
  await trainFor(page, root, 1500);
  assert.ok(await stepOf(root) > checkpoint + 20, 'training did not resume');
  assert.equal(await panel.isVisible(), false, 'diverged again with the safer settings');
  assert.ok(Number.isFinite(await cell(root, 'rnn', 'train')));
});

test('pasted <img onerror> text is shown as text and never run; the own text survives a reload and stays out of the URL', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&lang=en&seq_len=20&hidden=32');
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  const root = lab(page);
  await modelReady(page);
  const payload = '<img src=x onerror=alert(1)>';
  await root.locator('select[name="data"]').selectOption('own');
  // Empty own text: a clear message, and the previous model stays usable.
  assert.match(await root.locator('.rl-message[data-kind="error"]').last().textContent(), /The text is empty/);
  const own = `${payload}\n`.repeat(40);
  await root.locator('textarea[name="own_text"]').fill(own);
  await root.locator('button[name="own_use"]').click();
  // 1160 characters, the last 10 % (116) held out; V = the distinct characters of the payload + ⏎.
  const v = new Set(own).size;
  const train = (own.length - Math.floor(own.length * 0.1)).toLocaleString('en-US');
  await page.waitForFunction((want) => (document.querySelector('.rl-tl-source')?.textContent ?? '').includes(want),
    `V = ${v} (characters) · ${train} training tokens · 116 held-out tokens`);
  await modelReady(page);
  assert.equal(await root.locator('.rl-message[data-kind="error"]').count(), 0, 'the empty-text error stayed after a good text');
  await trainFor(page, root, 800);
  await root.locator('input[name="prime"]').fill(payload);
  await root.locator('button[name="generate"]').click();
  await page.waitForFunction(() => document.querySelector('.rl-tl-out-gen')?.textContent.length >= 100);
  assert.equal(await root.locator('.rl-tl-out-prime').textContent(), payload);
  await root.locator('button[name="exposure_show"]').click();
  await root.locator('.rl-tl-exp-truth').waitFor();
  assert.match(await root.locator('.rl-tl-exp').textContent(), /onerror=alert\(1\)/);
  assert.equal(await page.locator('img').count(), 0, 'an <img> element was created');
  assert.equal(dialogs, 0, 'a dialog was opened');
  const hash = decodeURIComponent(await page.evaluate(() => window.location.hash));
  assert.match(hash, /data=own/);
  assert.ok(!hash.includes('onerror') && !hash.includes('img'), `the text went into the URL: ${hash}`);
  await screenshot(page, 'train-lab-own-text');

  await page.reload();
  await modelReady(page);
  assert.equal(await page.locator('.rl-tl textarea[name="own_text"]').inputValue(), `${payload}\n`.repeat(40));
  assert.equal(await page.locator('.rl-tl input[name="prime"]').inputValue(), payload);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(dialogs, 0);
});

test('the pretrained char-LSTM writes sensible text at once; temperature, greedy decoding and the exposure-bias view', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&lang=en');
  const root = lab(page);
  await modelReady(page);
  const t0 = Date.now();
  await root.locator('button[name="pretrained"]').click();
  await page.waitForFunction(() => document.querySelector('.rl-tl-out-gen')?.textContent.length >= 200, null, { timeout: 30000 });
  const ms = Date.now() - t0;
  console.log(`# train_lab: pretrained model downloaded, loaded and generating after ${ms} ms`);
  assert.match(await root.locator('.rl-tl-source').textContent(), /Pretrained Shakespeare char-LSTM/);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs.pretrained, 'true');
  assert.equal(pairs.hidden, '256');

  // Held-out loss far below the corpus's unigram entropy (what a model that only knew character
  // frequencies would get) and far below ln 65.
  const held = await cell(root, 'lstm', 'heldout');
  const h1 = unigramEntropy(SHAKESPEARE);
  assert.ok(held < 0.7 * h1 && held < 2, `held-out ${held} nats/char vs unigram entropy ${h1.toFixed(3)}`);
  // Sensible text: most generated words are words of the corpus.
  const vocab = new Set(SHAKESPEARE.toLowerCase().match(/[a-z']+/g));
  const words = (await root.locator('.rl-tl-out-gen').textContent()).toLowerCase().match(/[a-z']{2,}/g) ?? [];
  const known = words.filter((w) => vocab.has(w)).length / words.length;
  assert.ok(words.length >= 20 && known >= 0.6, `${(100 * known).toFixed(0)}% of ${words.length} generated words are Shakespeare's`);

  // Temperature: the entropy of softmax(z/τ) grows with τ; the bars are redrawn.
  const bars = chart(root, 'bars');
  const h08 = await entropyOf(root);
  const bars08 = await canvasData(bars);
  await setSlider(root, 'temperature', 0.3);
  await page.waitForFunction((h) => !document.querySelector('.rl-tl-entropy').textContent.includes(`H = ${h.toFixed(2)} `), h08);
  const h03 = await entropyOf(root);
  await setSlider(root, 'temperature', 1.5);
  await page.waitForFunction((h) => !document.querySelector('.rl-tl-entropy').textContent.includes(`H = ${h.toFixed(2)} `), h03);
  const h15 = await entropyOf(root);
  assert.ok(h03 < h08 && h08 < h15, `entropy at τ = 0.3, 0.8, 1.5: ${h03}, ${h08}, ${h15}`);
  assert.ok(h15 <= Math.log(65) + 1e-9);
  assert.notEqual(await canvasData(bars), bars08);
  assert.equal(Object.fromEntries(await hashPairs(page)).temperature, '1.5');

  // Greedy decoding is deterministic and highlights the argmax bar; one token at a time reports
  // the probability it was drawn with.
  await root.locator('input[name="greedy"]').check();
  await setSlider(root, 'gen_len', 100);
  const generateText = async () => {
    const done = Number(await root.locator('.rl-tl-output').getAttribute('data-done'));
    await root.locator('button[name="generate"]').click();
    await page.waitForFunction((n) => Number(document.querySelector('.rl-tl-output').dataset.done) > n, done);
    return root.locator('.rl-tl-out-gen').textContent();
  };
  const g1 = await generateText();
  const g2 = await generateText();
  assert.equal(g1, g2);
  await root.locator('button[name="next_token"]').click();
  await page.waitForFunction(() => /^Picked “.+” \(argmax; probability 0\.\d{3} at τ = 1\)$/.test(document.querySelector('.rl-tl-drew').textContent));
  await root.locator('input[name="greedy"]').uncheck();
  await root.locator('button[name="next_token"]').click();
  await page.waitForFunction(() => /^Drew “.+” \(probability [01]\.\d{3}\)$/.test(document.querySelector('.rl-tl-drew').textContent));

  // Exposure bias: on held-out text, predicting from the true prefix beats predicting from the
  // model's own previous predictions.
  await root.locator('button[name="exposure_show"]').click();
  await root.locator('.rl-tl-exp-free').waitFor();
  const acc = async (cls) => parseNum((await root.locator(`.${cls} .rl-tl-exp-acc`).textContent()).split('/')[0]);
  const teacher = await acc('rl-tl-exp-teacher');
  const free = await acc('rl-tl-exp-free');
  assert.ok(teacher > free, `teacher forcing ${teacher} right vs free running ${free}`);
  assert.ok(await root.locator('.rl-tl-exp-free .rl-tl-wrong').count() > 0);
  await root.locator('.rl-below').screenshot({ path: 'target/screenshots/train-lab-generation.png' });
});

test('downloads cancel, broken model files and bad settings give messages, and save → load round-trips', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&lang=en&hidden=32&seq_len=25', { allowErrors: true });
  const root = lab(page);
  await modelReady(page);
  await trainFor(page, root, 600);
  let steps = await stepOf(root);

  // Cancel the pretrained download (held back by the test): the previous model stays.
  await page.route('**/shakespeare-char-lstm.json', async (route) => {
    await new Promise((r) => setTimeout(r, 4000));
    await route.continue().catch(() => {});
  });
  await root.locator('button[name="pretrained"]').click();
  const progress = root.locator('.rl-progress');
  await progress.waitFor({ state: 'visible' });
  assert.match(await progress.textContent(), /Downloading the pretrained model/);
  await progress.locator('button').click();
  await root.locator('.rl-message[data-kind="info"]', { hasText: 'Loading was cancelled' }).waitFor();
  await modelReady(page);
  assert.equal(await stepOf(root), steps);
  assert.match(await root.locator('.rl-tl-source').textContent(), /Fresh model/);
  assert.equal(Object.fromEntries(await hashPairs(page)).pretrained, 'false');
  await page.unroute('**/shakespeare-char-lstm.json');

  // A broken model file: a clear message, and the lab keeps working.
  await root.locator('input[name="model_file"]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "rnn-lab-model", "spec": {') });
  const err = root.locator('.rl-message[data-kind="error"]', { hasText: 'Cannot load the model file' });
  await err.waitFor();
  const first = await err.textContent();
  console.log(`# broken model file: ${first}`);
  await root.locator('input[name="model_file"]').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await page.waitForFunction((old) => [...document.querySelectorAll('.rl-message[data-kind="error"]')]
    .some((m) => m.textContent.includes('Cannot load the model file') && m.textContent !== old), first);
  console.log(`# not a model file: ${await err.last().textContent()}`);
  assert.equal(await stepOf(root), steps);
  await root.locator('button[name="step"]').click();
  await page.waitForFunction((s) => Number(document.querySelector('.rl-tl-status').dataset.step) === s + 1, steps);
  steps += 1;

  // A huge own text: refused with a message before anything is sent to the worker.
  await root.locator('textarea[name="own_text"]').evaluate((el) => {
    el.value = 'ab'.repeat(1_000_001);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await root.locator('select[name="data"]').selectOption('own');
  await root.locator('.rl-message[data-kind="error"]', { hasText: 'The text is too long (2,000,002 characters)' }).waitFor();
  assert.equal(await stepOf(root), steps);
  assert.match(await root.locator('.rl-tl-source').textContent(), /Fresh model .* V = 65 \(characters\)/);
  await root.locator('select[name="data"]').selectOption('shakespeare');
  await page.waitForFunction(() => document.querySelector('.rl-tl-status').dataset.step === '0');
  await modelReady(page);
  await trainFor(page, root, 300);
  steps = await stepOf(root);

  // A seed that is not a whole number ≥ 0: refused with a message, the field reverts.
  await root.locator('input[name="seed"]').fill('-5');
  await root.locator('input[name="seed"]').dispatchEvent('change');
  await root.locator('.rl-message[data-kind="error"]', { hasText: 'seed = -5' }).waitFor();
  assert.equal(await root.locator('input[name="seed"]').inputValue(), '1');

  // Save → load: the same model gives the same held-out loss on the same text.
  const heldBefore = await root.locator('tr[data-run="lstm"] td[data-col="heldout"]').textContent();
  const [download] = await Promise.all([page.waitForEvent('download'), root.locator('button[name="save"]').click()]);
  assert.match(download.suggestedFilename(), /^rnn-lab-lstm-h32-\d+steps\.json$/);
  const file = await download.path();
  const json = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(json.format, 'rnn-lab-model');
  assert.equal(json.spec.hidden, 32);
  await root.locator('select[name="cell"]').selectOption('gru');
  await modelReady(page);
  await page.waitForFunction(() => document.querySelector('tr[data-run="gru"]'));
  await root.locator('input[name="model_file"]').setInputFiles(file);
  await page.waitForFunction(() => document.querySelector('.rl-tl-source').textContent.startsWith('Model loaded from a file'));
  assert.equal(await root.locator('select[name="cell"]').inputValue(), 'lstm');
  assert.equal(await root.locator('tr[data-run="lstm"] td[data-col="heldout"]').textContent(), heldBefore);
});

test('compare mode trains RNN, LSTM and GRU in lockstep from the same seed, curves overlaid', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&lang=en&compare=true&hidden=32&seq_len=25');
  const root = lab(page);
  await modelReady(page);
  assert.equal(await root.locator('tbody tr').count(), 3);
  await trainFor(page, root, 2500);
  const steps = await Promise.all(['rnn', 'lstm', 'gru'].map((c) => cell(root, c, 'step')));
  assert.ok(steps[0] >= 200, `only ${steps[0]} steps`);
  assert.deepEqual(steps, [steps[0], steps[0], steps[0]], `runs not in lockstep: ${steps}`);
  for (const c of ['rnn', 'lstm', 'gru']) assert.ok(await cell(root, c, 'heldout') < LN_65, `${c} did not learn`);
  assert.ok((await canvasIsNonBlank(chart(root, 'loss'))).colours >= 6);
  await root.locator('.rl-figure').screenshot({ path: 'target/screenshots/train-lab-compare.png' });
});

test('bad URL values are reported; word tokens on the Korean lecture sentences; language switch and keyboard', async () => {
  const { page } = await openPage('embed.html#widget=train_lab&hidden=99999&lr=abc&data=wiki&bptt_window=500&temperature=0&data2=x&lang=ko');
  const root = lab(page);
  const texts = await root.locator('.rl-message').allTextContents();
  for (const k of ['hidden=99999', 'lr=abc', 'data=wiki', 'bptt_window=500', 'temperature=0', 'data2=x']) {
    assert.ok(texts.some((t) => t.includes(k)), `no message about ${k}: ${JSON.stringify(texts)}`);
  }
  await modelReady(page);
  assert.equal(await root.locator('.rl-title').textContent(), 'RNN 언어 모델 학습 실험실');

  // Keyboard: Space trains and pauses, → takes one step.
  const charts = root.locator('.rl-tl-charts');
  await charts.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => Number(document.querySelector('.rl-tl-status').dataset.step) > 5);
  await page.keyboard.press('Space');
  await workerState(page, 'stopped');
  const s = await stepOf(root);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => Number(document.querySelector('.rl-tl-status').dataset.step) === n + 1, s);

  // Korean sentences with word tokens: Hangul words in the vocabulary and in generated text.
  await root.locator('select[name="data"]').selectOption('lecture');
  await root.locator('select[name="tokens"]').selectOption('word');
  await page.waitForFunction(() => /\(단어\)/.test(document.querySelector('.rl-tl-source').textContent));
  await modelReady(page);
  await trainFor(page, root, 1000);
  await root.locator('button[name="generate"]').click();
  await page.waitForFunction(() => Number(document.querySelector('.rl-tl-output').dataset.done) > 0);
  const generated = await root.locator('.rl-tl-out-gen').textContent();
  assert.match(generated, /[가-힣]{2,}/, `no Hangul word in ${JSON.stringify(generated)}`);
  assert.equal(await root.locator('input[name="prime"]').inputValue(), '학생들이');

  await page.locator('[data-lang-switch] button[data-lang="en"]').click();
  assert.equal(await root.locator('.rl-title').textContent(), 'RNN language-model training lab');
  assert.match(await root.locator('.rl-tl-source').textContent(), /\(words\)/);
  assert.match(await root.locator('button[name="generate"]').textContent(), /^Generate$/);
});

test('train_lab layouts: phone (390×844) and projector (1280×720) without sideways scrolling', async () => {
  for (const [name, viewport, scale] of [['phone-390x844', { width: 390, height: 844 }, 3], ['projector-1280x720', { width: 1280, height: 720 }, 1]]) {
    const { page } = await openPage('embed.html#widget=train_lab&lang=ko', { viewport, deviceScaleFactor: scale });
    const root = lab(page);
    await modelReady(page);
    await trainFor(page, root, 1200);
    await root.locator('button[name="generate"]').click();
    await page.waitForFunction(() => Number(document.querySelector('.rl-tl-output').dataset.done) > 0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
    for (const c of ['loss', 'grad', 'bars']) {
      const r = await canvasIsNonBlank(chart(root, c));
      assert.ok(r.nonBlank, `${name}: ${c} chart blank`);
      const css = (await chart(root, c).boundingBox()).width;
      assert.equal(r.width, Math.round(css * scale), `${name}: ${c} canvas not sized for devicePixelRatio`);
    }
    await root.locator('.rl-figure').screenshot({ path: `target/screenshots/train-lab-${name}-figure.png` });
    await root.locator('.rl-below').screenshot({ path: `target/screenshots/train-lab-${name}-below.png` });
    await page.screenshot({ path: `target/screenshots/train-lab-${name}.png` });
  }
});
