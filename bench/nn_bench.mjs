// Benchmark of the word-vector widgets' hot paths in WebAssembly, in Node 20 with the real wasm
// from pkg/ (build it first: bash scripts/build.sh). Prints figures; asserts nothing (speed
// targets are checked by benchmarks, never by timed tests).
//
//   node bench/nn_bench.mjs            # everything (about a minute)
//   node bench/nn_bench.mjs --quick    # vectors and neighbours only
//
// 1. Parsing and checking the compact GloVe file (data/glove/glove.6B.100d.top50k.i8.rlwv).
// 2. Top-10 nearest neighbours over 50 000 × 100 (target ≤ 2 ms in the browser): the call the
//    widget makes (strings back to JS) and the core alone (row indices back).
// 3. One 3CosAdd analogy (king − man + woman).
// 4. Analogy accuracy of the compact vectors on questions-words.txt (R = 30 000, 3CosAdd), in
//    wasm — data/SOURCES.md gives 10033/15276 for the same file natively.
// 5. Word2Vec skip-gram with negative sampling on War and Peace: steps per second.
// 6. The char-LSTM's scoring speed (characters per second) in the n-gram comparison.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const wasm = await import(pathToFileURL(join(ROOT, 'pkg', 'rnn_lab.js')).href);
await wasm.default({ module_or_path: readFileSync(join(ROOT, 'pkg', 'rnn_lab_bg.wasm')) });

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), min: s[0], p95: q(0.95), max: s[s.length - 1], n: s.length };
};
const ms = (x) => `${x.toFixed(3)} ms`;
const line = (name, st) => console.log(`${name}: median ${ms(st.median)}, min ${ms(st.min)}, p95 ${ms(st.p95)}, max ${ms(st.max)} (${st.n} runs)`);

console.log(`RNN Lab wasm benchmark — Node ${process.version}, ${new Date().toISOString()}`);

// 1. Parse.
const bytes = readFileSync(join(ROOT, 'data/glove/glove.6B.100d.top50k.i8.rlwv'));
const parse = [];
let v = null;
for (let i = 0; i < 5; i++) {
  v?.free();
  const t = performance.now();
  v = new wasm.WordVectorsHandle(bytes);
  parse.push(performance.now() - t);
}
line(`parse + check ${bytes.length.toLocaleString('en')} bytes (${v.words()} words × ${v.dim()})`, stats(parse));

// 2. Top-10.
const rows = Array.from({ length: 200 }, (_, i) => (i * 2477) % v.words());
const words = rows.map((r) => v.word(r));
for (const w of words.slice(0, 20)) v.nearest(w, 10);
const full = [];
const core = [];
for (let round = 0; round < 5; round++) {
  for (const w of words) { const t = performance.now(); v.nearest(w, 10); full.push(performance.now() - t); }
  for (const r of rows) { const t = performance.now(); v.nearestRows(r, 10); core.push(performance.now() - t); }
}
line('top-10 neighbours, as the widget calls it (words back)', stats(full));
line('top-10 neighbours, core only (row indices back)', stats(core));

// 3. One analogy.
const a = new wasm.AnalogyWidget({});
for (let i = 0; i < 10; i++) a.analogy(v);
const an = [];
for (let i = 0; i < 100; i++) { const t = performance.now(); a.analogy(v); an.push(performance.now() - t); }
const res = a.analogy(v);
line(`3CosAdd analogy ${res.query} ≈ ${res.answers[0].word}`, stats(an));

if (!quick) {
  // 4. Analogy accuracy.
  const questions = readFileSync(join(ROOT, 'data/glove/questions-words.txt'), 'utf8');
  let t = performance.now();
  const b = new wasm.AnalogyBenchmark(v, questions, 30000, 'cosadd');
  while (!b.isDone()) b.step(v, 500);
  const r = b.report();
  console.log(`analogy accuracy (R = 30000, 3CosAdd, compact int8 vectors, in wasm): ${r.correct}/${r.total} = ${(100 * r.correct / r.total).toFixed(2)}% (semantic ${r.semantic[0]}/${r.semantic[1]}, syntactic ${r.syntactic[0]}/${r.syntactic[1]}), ${r.skipped} skipped, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  b.free();

  // 5. Word2Vec on War and Peace.
  const text = readFileSync(join(ROOT, 'data/corpora/war_and_peace.txt'), 'utf8');
  const w = new wasm.Word2VecWidget({});
  t = performance.now();
  w.corpusStart(text);
  let st;
  do { st = w.corpusPrepare(1 << 20); } while (st.phase !== 'ready');
  console.log(`word2vec set-up (War and Peace, ${text.length.toLocaleString('en')} chars → V = ${st.vocab}): ${(performance.now() - t).toFixed(0)} ms`);
  w.corpusTrain(20000);
  t = performance.now();
  st = w.corpusTrain(1_000_000);
  const secs = (performance.now() - t) / 1000;
  console.log(`word2vec skip-gram, negative sampling (D = 50, window 3, K = 5): ${Math.round(1e6 / secs).toLocaleString('en')} steps/s (loss ${st.training.last_loss.toFixed(3)})`);
  w.free();

  // 6. The LSTM in the n-gram comparison.
  const shakespeare = readFileSync(join(ROOT, 'data/corpora/tinyshakespeare.txt'), 'utf8');
  const json = readFileSync(join(ROOT, 'data/models/shakespeare-char-lstm.json'), 'utf8');
  const n = new wasm.NgramWidget({ cmp_chars: 5000 });
  t = performance.now();
  n.compareStart(shakespeare, json);
  let p;
  let scoreStart = 0;
  while (!n.compareDone()) {
    p = n.compareStep(1 << 16);
    if (p.stage === 'scoring' && !scoreStart) scoreStart = performance.now();
  }
  const scored = (performance.now() - scoreStart) / 1000;
  const cmp = n.compareResult();
  console.log(`char-LSTM (H = 256) scoring: ${Math.round(cmp.lstm.predicted / scored).toLocaleString('en')} chars/s; perplexity per char on ${cmp.chars} held-out chars: LSTM ${cmp.lstm.perplexity.toFixed(3)}, char n-grams (k = 0.01, backoff) ${cmp.ngram.map((x, i) => `${i + 1}: ${x?.toFixed(3) ?? '∞'}`).join(', ')}`);
  n.free();
}
v.free();
