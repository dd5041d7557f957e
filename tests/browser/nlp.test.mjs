// Browser tests of the six widgets of lecture section 1 (word vectors and language models):
// onehot, naivebayes, word2vec, glove, analogy, ngram. Expected numbers come from the lecture
// (the Naive Bayes fractions, the GloVe counts, king − man + woman = queen, 1000/400/100) or from
// the definitions (one-hot cosines are 0), never from the code under test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, canvasIsNonBlank, hashPairs, openPage, screenshot, widgetsSettled } from './lib.mjs';

const NAMES = ['onehot', 'naivebayes', 'word2vec', 'glove', 'analogy', 'ngram'];
const IDS = { onehot: 'onehot1', naivebayes: 'nb1', word2vec: 'w2v1', glove: 'glove1', analogy: 'analogy1', ngram: 'ngram1' };
const embedRoot = (page) => page.locator('[data-embed-root]');
const byId = (page, id) => page.locator(`[data-widget][data-id="${id}"]`);
const control = (root, name) => root.locator(`[name="${name}"]`);

/** Types into a text field and commits it (Enter for inputs, leaving the field for textareas). */
async function commitText(root, name, text) {
  const el = control(root, name);
  await el.fill(text);
  if (await el.evaluate((e) => e.tagName === 'TEXTAREA')) await el.evaluate((e) => e.dispatchEvent(new Event('change')));
  else await el.press('Enter');
}

async function allCanvasesNonBlank(root, label) {
  const canvases = await root.locator('canvas').all();
  assert.ok(canvases.length > 0, `${label}: no canvas`);
  for (const [i, c] of canvases.entries()) {
    if (!(await c.isVisible())) continue;
    const r = await canvasIsNonBlank(c);
    assert.ok(r.nonBlank, `${label}: canvas ${i} (${r.width}×${r.height}) is one colour`);
  }
}

async function vectorsReady(root) {
  await root.locator('[data-vectors="ready"]').waitFor({ state: 'attached', timeout: 60000 });
}

test('index.html section 1: the six widgets mount, draw, load their data and show no message', async () => {
  const { page, longTasks } = await openPage('index.html#lang=en');
  for (const name of NAMES) {
    const root = byId(page, IDS[name]);
    assert.equal(await root.getAttribute('data-ready'), 'true', name);
    await root.scrollIntoViewIfNeeded();
  }
  // The vector widgets load (once, shared) as they come into view; the n-gram widget counts.
  await vectorsReady(byId(page, 'onehot1'));
  await vectorsReady(byId(page, 'analogy1'));
  await byId(page, 'ngram1').locator('[data-role="perplexity"]').filter({ hasText: /perplexity/ }).waitFor({ timeout: 60000 });
  for (const name of NAMES) {
    const root = byId(page, IDS[name]);
    await allCanvasesNonBlank(root, name);
    assert.equal(await root.locator('.rl-message').count(), 0, `${name} shows a message: ${await root.locator('.rl-message').allTextContents()}`);
  }
  // One download of the vectors for both widgets.
  const loads = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('glove.6B.100d.top50k.i8.rlwv')).length);
  assert.equal(loads, 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'nlp-index-1280x720');
  const tasks = await longTasks();
  console.log(`# index.html with section 1: ${tasks.length} long task(s), longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms`);
});

test('onehot: one-hot cosines are 0, GloVe ones are not; words can be added; unknown words get suggestions; Hangul works', async () => {
  const { page } = await openPage('embed.html#widget=onehot&lang=en');
  const root = embedRoot(page);
  await vectorsReady(root);
  // e_i · e_j = 0 for i ≠ j: the vectors are written out.
  const vecs = await root.locator('[data-role="onehot-vectors"]').textContent();
  for (const line of ['개 = [1, 0, 0, 0, 0]', '강아지 = [0, 1, 0, 0, 0]', '학생 = [0, 0, 0, 0, 1]']) assert.ok(vecs.includes(line), vecs);
  // Hover readouts: every one-hot cosine is exactly 0 or 1; a dense one is anything in [−1, 1].
  const charts = await root.locator('canvas').all();
  const readAt = async (canvas, fx, fy) => {
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
    return root.locator('.rl-readout:visible').textContent();
  };
  const one = await readAt(charts[0], 0.45, 0.45);
  assert.match(one, /^cos\((개|강아지|고양이|선생님|학생), (개|강아지|고양이|선생님|학생)\) = (0\.000|1\.000)$/);
  const [, a, b, v] = one.match(/^cos\((.+), (.+)\) = (.+)$/);
  assert.equal(v, a === b ? '1.000' : '0.000');
  const dense = await readAt(charts[1], 0.4, 0.45);
  assert.match(dense, /^cos\((dog|puppy|cat|teacher|student), (dog|puppy|cat|teacher|student)\) = −?[01]\.\d{3}$/);
  await allCanvasesNonBlank(root, 'onehot');
  // Add a word through the UI.
  await control(root, 'add').fill('kitten');
  await control(root, 'add-button').click();
  assert.match(await control(root, 'dense').inputValue(), /dog,puppy,cat,teacher,student,kitten/);
  assert.equal(Object.fromEntries(await hashPairs(page)).dense, 'dog,puppy,cat,teacher,student,kitten');
  // A misspelled word: a clear message with suggestions, the rest keeps working.
  await commitText(root, 'dense', 'dog, teachr, cat');
  const msg = await root.locator('.rl-message').allTextContents();
  assert.ok(msg.some((m) => m.includes('“teachr” is not in the vocabulary') && m.includes('teacher')), JSON.stringify(msg));
  assert.equal(await control(root, 'dense').inputValue(), 'dog, teachr, cat', 'typed text was lost');
  await allCanvasesNonBlank(root, 'onehot after a bad word');
  // Hangul on the one-hot side: any words work (a one-hot vector needs no data).
  await commitText(root, 'onehot', '사과, 바나나, 포도');
  assert.ok((await root.locator('[data-role="onehot-vectors"]').textContent()).includes('바나나 = [0, 1, 0]'));
  // Hangul on the GloVe side: not in these English vectors, said plainly.
  await control(root, 'add').fill('강아지');
  await control(root, 'add-button').click();
  assert.match(await root.locator('.rl-add + .rl-hint').textContent(), /“강아지” is not in the vocabulary/);
  await screenshot(page, 'nlp-onehot');
});

test('naivebayes: the page shows the lecture’s exact fractions, products and decision; smoothing fixes a zero', async () => {
  const { page } = await openPage('embed.html#widget=naivebayes&lang=en');
  const root = embedRoot(page);
  const rows = await root.locator('[data-role="pwc"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  // word, P(w|CV), P(w|NLP) as the lecture writes them
  assert.deepEqual(rows, [
    ['classification', '1/14', '1/10'],
    ['task', '1/14', '2/10'],
    ['uses', '1/14', '1/10'],
    ['transformer', '1/14', '1/10'],
  ]);
  assert.deepEqual(await root.locator('[data-role="pwc"] thead th').allTextContents(), ['word w', 'P(w | CV)', 'P(w | NLP)']);
  const products = await root.locator('[data-role="products"]').textContent();
  assert.ok(products.includes('1/2 × 1/14 × 1/14 × 1/14 × 1/14 = 1/2 × (1/14)⁴ = 1/76832'), products);
  assert.ok(products.includes('1/2 × 1/10 × 2/10 × 1/10 × 1/10 = 1/10000'), products);
  assert.match(await root.locator('[data-role="decision"]').textContent(), /^Decision: NLP/);
  assert.match(await root.locator('[data-role="priors"]').textContent(), /P\(CV\) = 2\/4 = 1\/2/);
  await allCanvasesNonBlank(root, 'naivebayes');
  await screenshot(page, 'nlp-naivebayes');
  // A word seen only in CV: P(image | NLP) = 0 makes NLP's product 0 …
  await commitText(root, 'test', 'image classification');
  assert.match(await root.locator('[data-role="notes"]').textContent(), /The score of NLP is 0: image never appear/);
  assert.match(await root.locator('[data-role="products"]').textContent(), /0\/10/);
  // … and add-one smoothing fixes it: (0 + 1)/(10 + 17).
  await control(root, 'smoothing').check();
  assert.doesNotMatch(await root.locator('[data-role="notes"]').textContent(), /The score of \S+ is 0/);
  assert.match(await root.locator('[data-role="products"]').textContent(), /1\/27/);
  assert.equal(Object.fromEntries(await hashPairs(page)).smoothing, 'true');
  // Documents in Korean (Hangul typed into the document cells).
  await commitText(root, 'class1', '긍정');
  await commitText(root, 'doc1', '영화가 정말 좋았다');
  await commitText(root, 'test', '정말 좋았다');
  const table = await root.locator('[data-role="pwc"]').textContent();
  assert.ok(table.includes('정말') && table.includes('좋았다'), table);
  assert.match(await root.locator('[data-role="decision"]').textContent(), /Decision: 긍정/);
  // A malformed document line is refused with a message; the editor keeps what was typed.
  await commitText(root, 'class2', ' ');
  assert.ok((await root.locator('.rl-message').allTextContents()).some((m) => /line 2 has no class/.test(m)));
  assert.equal(await control(root, 'doc1').inputValue(), '영화가 정말 좋았다');
});

test('word2vec: the toy’s inner product rises; a real corpus trains live with neighbours, loss and PCA', async () => {
  const { page } = await openPage('embed.html#widget=word2vec&lang=en&corpus=shakespeare&steps=500000&probes=king,love&pca=king,queen,lord,lady,love,hate,day,night');
  const root = embedRoot(page);
  const state = () => root.locator('[data-role="toy-state"]').textContent();
  const num = (s, re) => Number(s.match(re)[1].replace('−', '-'));
  const s0 = await state();
  assert.match(s0, /^Step 0:/);
  const inner = (s) => num(s, /study\] = (−?[\d.]+)/);
  const prob = (s) => num(s, /P\(math \| study\) = ([\d.]+)/);
  for (let i = 0; i < 20; i++) await control(root, 'toy-step').click();
  const s20 = await state();
  for (let i = 0; i < 20; i++) await control(root, 'toy-step').click();
  const s1 = await state();
  assert.match(s1, /^Step 40:/);
  // The lecture's point: training raises W₂[math]·W₁[:, study], and P(math | study) with it.
  assert.ok(inner(s0) < inner(s20) && inner(s20) < inner(s1), `${s0} → ${s20} → ${s1}`);
  assert.ok(prob(s0) < 0.4 && prob(s1) > 0.6, `${s0} → ${s1}`);
  // Keyboard: → steps the toy.
  await root.locator('.rl-focusable').focus();
  await page.keyboard.press('ArrowRight');
  assert.match(await state(), /^Step 41:/);
  await control(root, 'train').click();
  await root.locator('[data-role="run-state"]').filter({ hasText: /500,000 steps/ }).waitFor({ timeout: 90000 });
  await page.waitForFunction(() => !document.querySelector('[name="train"]').disabled);
  // Five neighbours per probe word, with cosines (their quality after 500 000 steps of a small
  // corpus is not asserted: early in training all vectors share a large common direction).
  const rows = await root.locator('[data-role="neighbours"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['king', 'love']);
  for (const r of rows) assert.match(r[1], /^(\S+ −?[01]\.\d{3}, ){4}\S+ −?[01]\.\d{3}$/, r[1]);
  await allCanvasesNonBlank(root, 'word2vec');
  await screenshot(page, 'nlp-word2vec');
  // A Hangul probe word is not in an English corpus: said plainly in the table.
  await commitText(root, 'probes', '왕, king');
  assert.match(await root.locator('[data-role="neighbours"]').textContent(), /"왕" is not in the vocabulary/);
});

test('glove: the lecture’s matrix is in the page (I–like = 2, I–enjoy = 1); J falls; the growth chart loads', async () => {
  const { page } = await openPage('embed.html#widget=glove&lang=en');
  const root = embedRoot(page);
  const cell = (r, c) => root.locator(`[data-role="cooccurrence"] td[data-row="${r}"][data-col="${c}"]`).textContent();
  assert.equal(await cell('I', 'like'), '2');
  assert.equal(await cell('I', 'enjoy'), '1');
  assert.equal(await cell('like', 'I'), '2');
  assert.equal(await cell('I', 'deep'), '0');
  assert.equal(await cell('.', 'flying'), '1');
  const headers = await root.locator('[data-role="cooccurrence"] thead th').allTextContents();
  assert.deepEqual(headers, ['X', 'I', 'like', 'enjoy', 'deep', 'learning', 'NLP', 'flying', '.']);
  const j = async () => Number((await root.locator('[data-role="train-state"]').textContent()).match(/J = ([\d.e+-]+)/)[1]);
  const j0 = await j();
  await control(root, 'train').click();
  await page.waitForFunction(() => /epoch 2000 /.test(document.querySelector('[data-role="train-state"]').textContent), null, { timeout: 60000 });
  assert.ok(await j() < j0, `J ${j0} → ${await j()}`);
  await root.locator('[data-role="growth-summary"]').scrollIntoViewIfNeeded();
  await root.locator('[data-role="growth-summary"]').filter({ hasText: /V = / }).waitFor({ timeout: 60000 });
  await allCanvasesNonBlank(root, 'glove');
  await screenshot(page, 'nlp-glove');
  // Hangul corpus: counted the same way.
  await commitText(root, 'corpus', '나는 딥러닝을 좋아한다. 나는 수학을 좋아한다.');
  assert.equal(await cell('나는', '딥러닝을'), '1');
  assert.equal(await cell('딥러닝을', '좋아한다'), '1');
  // A corpus without any pair of neighbours is refused clearly, the old matrix stays.
  await commitText(root, 'corpus', 'hello');
  assert.ok((await root.locator('.rl-message').allTextContents()).some((m) => /neighbour/.test(m)));
  assert.equal(await cell('나는', '딥러닝을'), '1');
  assert.equal(await control(root, 'corpus').inputValue(), 'hello');
});

test('analogy: vectors load with visible progress (and cancel), king − man + woman = queen, company–CEO fails, unknown words get suggestions', async () => {
  // Cancelling aborts the vector download on purpose: that one failed request is the only
  // problem allowed on this page (checked at the end of the test).
  const { page, problems } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false, allowErrors: true });
  // Slow the network so the progress bar is seen, then open the widget.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: 1_500_000, uploadThroughput: -1 });
  await page.goto(new URL('embed.html#widget=analogy&lang=en', baseUrl()).href);
  await widgetsSettled(page);
  const root = embedRoot(page);
  const bar = root.locator('.rl-vectors progress');
  await page.waitForFunction(() => { const p = document.querySelector('.rl-vectors progress'); return p && p.value > 0.05 && p.value < 0.9 && p.offsetParent !== null; }, null, { timeout: 30000 });
  assert.match(await root.locator('.rl-vectors .rl-progress-text').textContent(), /Loading the GloVe word vectors \([\d.]+ \/ 5\.6 MB\)/);
  assert.ok((await bar.boundingBox()).width > 100, 'the progress bar is too narrow to be seen');
  await screenshot(page, 'nlp-analogy-loading');
  // Cancel, then load again.
  await root.locator('.rl-vectors .rl-progress button').click();
  await root.locator('[data-vectors="cancelled"]').waitFor({ state: 'attached' });
  assert.match(await root.locator('.rl-vectors .rl-status').textContent(), /cancelled/);
  assert.equal(await bar.isVisible(), false);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await root.locator('[data-control="load"]').click();
  await vectorsReady(root);
  const result = root.locator('[data-role="analogy-result"]');
  assert.match(await result.textContent(), /king − man \+ woman ≈ \? ✓ Solved: the top answer is “queen”/);
  assert.equal(await result.getAttribute('data-solved'), 'true');
  assert.equal(await root.locator('[data-role="answers"] tbody tr').first().locator('td').nth(1).textContent(), 'queen');
  await allCanvasesNonBlank(root, 'analogy');
  await screenshot(page, 'nlp-analogy');
  // The lecture's company–CEO preset fails with these vectors, and says so.
  await control(root, 'preset').selectOption('company-ceo');
  assert.match(await result.textContent(), /ballmer − microsoft \+ apple ≈ \? ✗ This analogy FAILS: the top answer is “[^”]+”; “jobs” is ranked \d+/);
  assert.equal(await result.getAttribute('data-solved'), 'false');
  assert.deepEqual(Object.fromEntries(await hashPairs(page)).preset, 'company-ceo');
  // 3CosMul and the exclusion toggle.
  await control(root, 'preset').selectOption('king-queen');
  await control(root, 'method').selectOption('cosmul');
  assert.match(await result.textContent(), /queen/);
  await control(root, 'exclude').uncheck();
  assert.match(await root.locator('[data-role="exclude-note"]').textContent(), /may be answers/);
  // Unknown words: suggestions, nothing else breaks.
  await commitText(root, 'expected', 'quen');
  assert.ok((await root.locator('.rl-message').allTextContents()).some((m) => /“quen” is not in the vocabulary.*Did you mean: .*queen/.test(m)));
  await commitText(root, 'b', '왕');
  assert.ok((await root.locator('.rl-message').allTextContents()).some((m) => /“왕” is not in the vocabulary/.test(m)));
  await commitText(root, 'word', 'Frog');
  assert.match(await root.locator('[data-role="neighbours"]').textContent(), /1frog|frogs|toad/);
  await allCanvasesNonBlank(root, 'analogy with bad words');
  const unexpected = problems.filter((p) => !/^request failed: .*glove\.6B\.100d\.top50k\.i8\.rlwv \(net::ERR_ABORTED\)$/.test(p));
  assert.deepEqual(unexpected, [], JSON.stringify(problems));
  assert.equal(problems.length, 1, JSON.stringify(problems));
});

test('analogy: the vectors come from the browser cache on the next visit', async () => {
  const { page } = await openPage('embed.html#widget=analogy&lang=en');
  const root = embedRoot(page);
  await vectorsReady(root);
  assert.match(await root.locator('.rl-vectors .rl-status').textContent(), /\(downloaded\)/);
  await page.reload();
  await widgetsSettled(page);
  await vectorsReady(embedRoot(page));
  assert.match(await embedRoot(page).locator('.rl-vectors .rl-status').textContent(), /from the browser cache/);
  assert.match(await embedRoot(page).locator('[data-role="analogy-result"]').textContent(), /queen/);
});

test('ngram: the lecture’s preset table, counts from a corpus, Korean context typed with an IME, generation, perplexity, sparsity', async () => {
  const { page } = await openPage('embed.html#widget=ngram&lang=en&corpus=korean&n=3');
  const root = embedRoot(page);
  const lecture = await root.locator('[data-role="lecture-table"]').textContent();
  assert.ok(lecture.includes('count(students opened their) = 1000'), lecture);
  assert.ok(lecture.includes('books400400/10000.40') && lecture.includes('exams100100/10000.10'), lecture);
  await root.locator('[data-role="perplexity"]').filter({ hasText: /perplexity/ }).waitFor({ timeout: 60000 });
  // Type the lecture's Korean context the way an IME does: composition events, then commit.
  const ctxInput = control(root, 'context');
  await ctxInput.evaluate((el) => {
    el.focus();
    el.value = '';
    el.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
    el.value = '늦잠을 자서 수업';
    el.dispatchEvent(new InputEvent('input', { isComposing: true, data: '수업' }));
  });
  await page.waitForTimeout(900);
  assert.notEqual(Object.fromEntries(await hashPairs(page)).context, '늦잠을 자서 수업', 'committed in the middle of a composition');
  await ctxInput.evaluate((el) => {
    el.value = '늦잠을 자서 수업에';
    el.dispatchEvent(new InputEvent('input', { isComposing: true, data: '에' }));
    el.dispatchEvent(new CompositionEvent('compositionend', { data: '에' }));
  });
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('context=늦잠을 자서 수업에'));
  const table = await root.locator('[data-role="conditional"]').textContent();
  assert.ok(table.includes('늦었다') && table.includes('지각했다'), table);
  assert.match(await root.locator('[data-role="conditional-note"]').textContent(), /Context used: “자서 수업에” \(3-gram counts/);
  await control(root, 'generate').click();
  assert.match(await root.locator('[data-role="generated"]').textContent(), /^늦잠을 자서 수업에 \S+/);
  assert.match(await root.locator('[data-role="perplexity"]').textContent(), /perplexity = (∞|[\d.]+)/);
  await allCanvasesNonBlank(root, 'ngram');
  // Add-k makes held-out perplexity finite; n and k change without recounting.
  await control(root, 'k').selectOption('1');
  assert.match(await root.locator('[data-role="perplexity"]').textContent(), /perplexity = [\d.]+ \(per word/);
  await control(root, 'unit').selectOption('char');
  await root.locator('[data-role="perplexity"]').filter({ hasText: /per character/ }).waitFor({ timeout: 60000 });
  // A context never seen, without backoff or smoothing: a clear message.
  await control(root, 'k').selectOption('0');
  await control(root, 'backoff').uncheck();
  await commitText(root, 'context', 'zzz');
  assert.match(await root.locator('[data-role="conditional-note"]').textContent(), /never seen in the training text/);
  await screenshot(page, 'nlp-ngram');
});

test('ngram: the char-LSTM and the character n-grams on the same held-out characters', async () => {
  const { page } = await openPage('embed.html#widget=ngram&lang=en&cmp_chars=1000');
  const root = embedRoot(page);
  await control(root, 'compare-run').click();
  await page.waitForFunction(() => /LSTM/.test(document.querySelector('[data-role="compare"]')?.textContent ?? '') && !document.querySelector('[name="compare-run"]').disabled, null, { timeout: 120000 });
  const rows = await root.locator('[data-role="compare"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['1-gram', '2-gram', '3-gram', '4-gram', '5-gram', 'LSTM']);
  const pp = rows.map((r) => Number(r[1]));
  assert.ok(pp.every((p) => Number.isFinite(p) && p > 1), JSON.stringify(rows));
  assert.ok(pp[5] < Math.min(...pp.slice(0, 5)), `the LSTM should beat every n-gram: ${JSON.stringify(rows)}`);
  assert.equal(rows[5][2], '999 / 999');
  assert.equal(rows[0][2], '1,001');
  assert.match(await root.locator('[data-control="compare"] .rl-hint').first().textContent(), /same characters/);
  await allCanvasesNonBlank(root, 'ngram compare');
  await root.locator('[data-role="compare"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'nlp-ngram-compare');
});

test('URL state round-trips for every widget, and a changed setting is written back', async () => {
  // [widget, hash, expected control values, one change made through the UI: [name, value]]
  const cases = [
    ['onehot', 'dense=dog,wolf&values=false', { dense: 'dog,wolf', values: 'false' }, ['values', 'true']],
    ['naivebayes', 'smoothing=true&k=0.5&test=task%20task', { smoothing: 'true', k: '0.5', test: 'task task' }, ['lowercase', 'false']],
    ['word2vec', 'arch=cbow&toy_dim=3&corpus=shakespeare', { arch: 'cbow', toy_dim: '3', corpus: 'shakespeare' }, ['toy_data', 'sentence']],
    ['glove', 'window=2&alpha=0.5&objective=paper', { window: '2', alpha: '0.5', objective: 'paper' }, ['objective', 'lecture']],
    ['analogy', 'preset=comparative&a=good&b=better&c=bad&expected=worse&method=cosmul&exclude=false', { preset: 'comparative', method: 'cosmul', exclude: 'false' }, ['exclude', 'true']],
    ['ngram', 'n=2&k=0.1&unit=char&context=the%20king&corpus=korean', { n: '2', k: '0.1', unit: 'char', context: 'the king' }, ['backoff', 'false']],
  ];
  const read = (root, k) => control(root, k).evaluate((e) => (e.type === 'checkbox' ? String(e.checked) : e.value));
  for (const [name, hash, want, [key, value]] of cases) {
    const { page } = await openPage(`embed.html#widget=${name}&${hash}&lang=en`);
    const root = embedRoot(page);
    assert.equal(await root.locator('.rl-message').count(), 0, `${name}: ${await root.locator('.rl-message').allTextContents()}`);
    for (const [k, v] of Object.entries(want)) assert.equal(await read(root, k), v, `${name}.${k}`);
    // Change one setting through the UI: the hash follows, and a fresh page opens that state.
    const el = control(root, key);
    if (await el.evaluate((e) => e.type === 'checkbox')) await el.setChecked(value === 'true');
    else await el.selectOption(value);
    assert.equal(Object.fromEntries(await hashPairs(page))[key], value, `${name}: ${key} not written to the URL`);
    const { page: again } = await openPage(page.url().slice(baseUrl().length));
    for (const [k, v] of Object.entries({ ...want, [key]: value })) assert.equal(await read(embedRoot(again), k), v, `${name}.${k} after reload`);
  }
  // index.html namespaces: a change in one widget writes only its keys.
  const { page } = await openPage('index.html#lang=en');
  await control(byId(page, 'nb1'), 'smoothing').check();
  await control(byId(page, 'ngram1'), 'n').evaluate((el) => { el.value = '2'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['nb1.smoothing'], 'true');
  assert.equal(pairs['ngram1.n'], '2');
  assert.ok(!Object.keys(pairs).some((k) => k.startsWith('analogy1.')), 'analogy1 wrote its state');
});

test('invalid URL values: a visible message per widget, defaults kept, the widget still works', async () => {
  const cases = [
    ['onehot', 'onehot=%EA%B0%9C%20%EA%B0%9C', /onehot=개 개/],
    ['naivebayes', 'docs=no%20bar&k=0', /docs=no bar/],
    ['word2vec', 'dim=1000&corpus=bible', /dim=1000/],
    ['glove', 'window=9&objective=magic', /window=9/],
    ['analogy', 'preset=nope&restrict=5', /preset=nope/],
    ['ngram', 'n=9&cmp_chars=1', /n=9/],
  ];
  for (const [name, hash, re] of cases) {
    const { page } = await openPage(`embed.html#widget=${name}&${hash}&lang=en`);
    const root = embedRoot(page);
    const texts = await root.locator('.rl-message').allTextContents();
    assert.ok(texts.some((t) => re.test(t)), `${name}: ${JSON.stringify(texts)}`);
    await allCanvasesNonBlank(root, `${name} with bad URL values`);
  }
});

test('embed.html hide= hides exactly those controls', async () => {
  const cases = [
    ['onehot', ['add', 'values', 'lang'], ['onehot', 'dense']],
    ['naivebayes', ['docs', 'k', 'math'], ['test', 'smoothing']],
    ['word2vec', ['real', 'toy_lr', 'seed'], ['arch', 'toy_data']],
    ['glove', ['growth', 'alpha', 'corpus'], ['window', 'x_max']],
    ['analogy', ['method', 'restrict', 'bench'], ['preset', 'exclude']],
    ['ngram', ['compare', 'k', 'generate'], ['n', 'backoff']],
  ];
  for (const [name, hidden, shown] of cases) {
    const { page } = await openPage(`embed.html#widget=${name}&hide=${hidden.join(',')}&lang=en`);
    const root = embedRoot(page);
    for (const c of hidden.filter((x) => x !== 'lang')) {
      const el = root.locator(`[data-control="${c}"]`);
      assert.ok(await el.count() > 0, `${name}: no element for control ${c}`);
      for (const e of await el.all()) assert.equal(await e.isVisible(), false, `${name}: ${c} visible`);
    }
    for (const c of shown) assert.equal(await root.locator(`[data-control="${c}"]`).first().isVisible(), true, `${name}: ${c} hidden`);
    if (hidden.includes('lang')) assert.equal(await page.locator('[data-lang-switch]').isVisible(), false);
    assert.equal(await root.locator('.rl-message').count(), 0, `${name}: ${await root.locator('.rl-message').allTextContents()}`);
  }
});

test('the language switch changes the strings of all six widgets (ko ↔ en)', async () => {
  const { page } = await openPage('index.html');
  const titles = async () => Promise.all(NAMES.map((n) => byId(page, IDS[n]).locator('.rl-title').textContent()));
  const ko = await titles();
  assert.deepEqual(ko, ['원-핫 벡터와 밀집 벡터의 코사인 유사도', '나이브 베이즈 문서 분류 (강의 예제)', 'Word2Vec: 단어로 주변 단어 예측하기', 'GloVe: 동시 등장 행렬에서 단어 벡터로', '단어 유추와 임베딩 공간 (GloVe 6B)', 'n-gram 언어 모델']);
  const nbDecision = byId(page, 'nb1').locator('[data-role="decision"]');
  assert.match(await nbDecision.textContent(), /^판정: NLP/);
  await page.locator('[data-lang-switch] button[data-lang="en"]').click();
  assert.deepEqual(await titles(), ['Cosine similarity: one-hot vs dense word vectors', 'Naive Bayes document classification (the lecture’s example)', 'Word2Vec: predicting the words around a word', 'GloVe: from the co-occurrence matrix to word vectors', 'Word analogies and the embedding space (GloVe 6B)', 'n-gram language models']);
  assert.match(await nbDecision.textContent(), /^Decision: NLP/);
  assert.match(await byId(page, 'glove1').locator('[data-control="window"]').textContent(), /Window/);
  await page.locator('[data-lang-switch] button[data-lang="ko"]').click();
  assert.deepEqual(await titles(), ko);
});

test('phone (390 px) and projector (1280×720): section 1 fits without sideways scrolling', async () => {
  for (const [name, viewport, scale] of [['phone-390', { width: 390, height: 844 }, 2], ['projector-1280', { width: 1280, height: 720 }, 1]]) {
    const { page } = await openPage('index.html#lang=ko', { viewport, deviceScaleFactor: scale });
    for (const n of NAMES) await byId(page, IDS[n]).scrollIntoViewIfNeeded();
    await vectorsReady(byId(page, 'analogy1'));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: page scrolls sideways by ${overflow}px`);
    for (const n of NAMES) {
      await byId(page, IDS[n]).screenshot({ path: `target/screenshots/nlp-${n}-${name}.png` });
    }
  }
});

test('benchmark (reported, not asserted): top-10 neighbours over 50k × 100 in the browser', async () => {
  const { page } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  const r = await page.evaluate(async () => {
    const wasm = await import('/pkg/rnn_lab.js');
    await wasm.default({ module_or_path: '/pkg/rnn_lab_bg.wasm' });
    const t0 = performance.now();
    const bytes = new Uint8Array(await (await fetch('/data/glove/glove.6B.100d.top50k.i8.rlwv')).arrayBuffer());
    const t1 = performance.now();
    const v = new wasm.WordVectorsHandle(bytes);
    const t2 = performance.now();
    const words = Array.from({ length: 200 }, (_, i) => v.word((i * 2477) % v.words()));
    for (const w of words.slice(0, 20)) v.nearest(w, 10);
    const times = [];
    for (let round = 0; round < 5; round++) {
      for (const w of words) { const s = performance.now(); v.nearest(w, 10); times.push(performance.now() - s); }
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    v.free();
    return { fetch: t1 - t0, parse: t2 - t1, median: q(0.5), min: times[0], max: times[times.length - 1], p95: q(0.95), n: times.length };
  });
  console.log(`# browser (Chromium) top-10 over 50,000 × 100: median ${r.median.toFixed(3)} ms, min ${r.min.toFixed(3)}, p95 ${r.p95.toFixed(3)}, max ${r.max.toFixed(3)} ms (${r.n} queries); fetch ${r.fetch.toFixed(0)} ms, parse ${r.parse.toFixed(0)} ms`);
  assert.ok(r.n === 1000);
});

test('two analogy widgets and a onehot widget on one page: one vector download, independent settings', async () => {
  const { page } = await openPage('tests/browser/fixtures/blank.html', { waitForWidgets: false });
  await page.evaluate(() => {
    document.documentElement.lang = 'en';
    document.body.innerHTML = '<div data-widget="analogy" data-id="x1"></div>'
      + '<div data-widget="analogy" data-id="x2" data-config=\'{"preset": "comparative", "a": "good", "b": "better", "c": "bad", "expected": "worse"}\'></div>'
      + '<div data-widget="onehot" data-id="x3"></div>';
    const s = document.createElement('script');
    s.type = 'module';
    s.src = '/www/js/embed.js';
    document.body.append(s);
  });
  await widgetsSettled(page);
  for (const id of ['x1', 'x2', 'x3']) await vectorsReady(byId(page, id));
  assert.match(await byId(page, 'x1').locator('[data-role="analogy-result"]').textContent(), /“queen”/);
  assert.match(await byId(page, 'x2').locator('[data-role="analogy-result"]').textContent(), /better − good \+ bad/);
  await control(byId(page, 'x1'), 'method').selectOption('cosmul');
  assert.equal(await control(byId(page, 'x2'), 'method').inputValue(), 'cosadd');
  const loads = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('.rlwv')).length);
  assert.equal(loads, 1);
  const pairs = Object.fromEntries(await hashPairs(page));
  assert.equal(pairs['x1.method'], 'cosmul');
  assert.ok(!('x2.method' in pairs));
});
