// Speed benchmark of RNN Lab's training and generation, on the project's real wasm (pkg/), in
// Node 20. Import it and call the two functions, or run `node bench/train_bench.mjs [reps]` for the
// table of the three models (A: LSTM H=128 T=25, B: tanh RNN H=128 T=25, C: LSTM H=512
// T=50) on tiny-shakespeare, with min–max over repetitions.
//
// One training step (the same code the training lab's Web Worker runs, `TrainerHandle.trainStep`):
// a window of T+1 characters at a seeded offset, zero initial state, forward over T characters with
// one-hot inputs, cross-entropy summed over the T steps, full BPTT, the global L2 gradient norm
// computed and read back to JS every step, clipped at `clip` (Algorithm 1), one RMSProp update.
// Generation (`genStep`): one character at a time, state carried, sampled from the softmax, the
// probabilities read back to JS (a Float32Array of V values) for every character.
//
// Models live in module state between calls, keyed by their settings: each call continues training
// the same model. Rates are measured inside the call; model construction is excluded.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The benchmark's character vocabulary, in index order (tiny-shakespeare's 65 characters). */
export const VOCAB = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

let wasmPromise = null;
/** Loads and initialises pkg/rnn_lab.js once. */
async function wasm() {
  if (!wasmPromise) {
    wasmPromise = (async () => {
      const mod = await import(path.join(ROOT, 'pkg', 'rnn_lab.js'));
      const bytes = await readFile(path.join(ROOT, 'pkg', 'rnn_lab_bg.wasm'));
      await mod.default({ module_or_path: bytes });
      return mod;
    })();
  }
  return wasmPromise;
}

const models = new Map();

function trainConfig(c) {
  if (c.kind !== 'lstm' && c.kind !== 'rnn') throw new Error(`kind must be 'lstm' or 'rnn', not ${c.kind}`);
  if (c.optimizer !== undefined && c.optimizer !== 'rmsprop') throw new Error('only the rmsprop optimizer is benchmarked');
  return {
    cell: c.kind,
    activation: 'tanh',
    hidden: c.hidden,
    layers: 1,
    seq_len: c.seqLen,
    bptt_window: 0,
    optimizer: 'rmsprop',
    lr: c.lr ?? 0.002,
    rms_decay: c.rmsDecay ?? 0.95,
    eps: c.eps ?? 1e-8,
    clip: true,
    clip_threshold: c.clip ?? 5,
    clip_rule: 'lecture',
    reduction: 'sum',
    teacher_forcing: 1,
    seed: c.seed ?? 1,
    checkpoint_every: 100000,
  };
}

async function model(config) {
  const w = await wasm();
  if ((config.vocab ?? VOCAB.length) !== VOCAB.length) throw new Error(`vocab must be ${VOCAB.length}`);
  const cfg = trainConfig(config);
  const key = JSON.stringify(cfg);
  let m = models.get(key);
  if (!m) {
    if (typeof config.text !== 'string' || config.text.length < config.seqLen + 1) {
      throw new Error('config.text must be a string of at least seqLen + 1 characters from VOCAB');
    }
    m = w.TrainerHandle.withVocab(cfg, VOCAB, config.text);
    models.set(key, m);
  }
  return m;
}

/**
 * Trains the model for `config` for at least `minSeconds` and `minSteps` steps, continuing from
 * previous calls with the same settings.
 * @returns {Promise<{stepsPerSec: number, loss: number, gradNorm: number, steps: number}>}
 */
export async function trainStepsPerSec(config) {
  const m = await model(config);
  const minSeconds = config.minSeconds ?? 2;
  const minSteps = config.minSteps ?? 10;
  let steps = 0;
  let loss = NaN;
  let gradNorm = NaN;
  const t0 = performance.now();
  let elapsed = 0;
  while (steps < minSteps || elapsed < minSeconds * 1000) {
    loss = m.trainStep();
    gradNorm = m.lastGradNorm();
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new Error(`training diverged at step ${steps}`);
    steps += 1;
    elapsed = performance.now() - t0;
  }
  return { stepsPerSec: steps / (elapsed / 1000), loss, gradNorm, steps };
}

/**
 * Generates characters one at a time from the model for `config` (created untrained if no
 * training call came first) for at least `minSeconds` seconds and `minSteps` characters.
 * @returns {Promise<number>} characters per second
 */
export async function generateCharsPerSec(config) {
  const m = await model(config);
  const minSeconds = config.minSeconds ?? 2;
  const minSteps = config.minSteps ?? 100;
  m.genPrime('\n', config.seed ?? 1);
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (n < minSteps || elapsed < minSeconds * 1000) {
    const probs = m.genStep(config.temperature ?? 1, false);
    sink += probs[m.lastToken()];
    n += 1;
    elapsed = performance.now() - t0;
  }
  if (!(sink > 0)) throw new Error('generation read back no probabilities');
  return n / (elapsed / 1000);
}

const MODELS = [
  { name: 'A', kind: 'lstm', hidden: 128, seqLen: 25, target: 320, peer: '~20' },
  { name: 'B', kind: 'rnn', hidden: 128, seqLen: 25, target: 1100, peer: '~44' },
  { name: 'C', kind: 'lstm', hidden: 512, seqLen: 50, target: 13, peer: '~1.0', genTarget: 3200 },
];

async function main() {
  const reps = Number(process.argv[2] ?? 5);
  const text = await readFile(path.join(ROOT, 'data', 'corpora', 'tinyshakespeare.txt'), 'utf8');
  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const rows = [];
  for (const spec of MODELS) {
    const config = {
      kind: spec.kind, hidden: spec.hidden, seqLen: spec.seqLen, vocab: 65, clip: 5, text,
      lr: 0.002, optimizer: 'rmsprop', rmsDecay: 0.95, eps: 1e-8, seed: 1, minSeconds: 2, minSteps: 5,
    };
    await trainStepsPerSec({ ...config, minSeconds: 0.5 }); // warm-up (JIT, caches)
    const rates = [];
    let last;
    for (let r = 0; r < reps; r += 1) {
      last = await trainStepsPerSec(config);
      rates.push(last.stepsPerSec);
    }
    const gen = [];
    for (let r = 0; r < reps; r += 1) gen.push(await generateCharsPerSec({ ...config, minSeconds: 1 }));
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push([
      spec.name, spec.kind === 'rnn' ? 'RNN (tanh)' : 'LSTM', spec.hidden, spec.seqLen,
      `${fmt(med(rates))} (${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))})`, `≥ ${spec.target}`,
      `${fmt(med(gen))} (${fmt(Math.min(...gen))}–${fmt(Math.max(...gen))})`, spec.genTarget ? `≥ ${spec.genTarget}` : '',
      last.loss.toFixed(3), spec.peer,
    ]);
  }
  const head = ['model', 'cell', 'H', 'T', 'train steps/s median (min–max)', 'target', 'gen chars/s median (min–max)', 'gen target', 'last loss', 'best JS peer'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n${reps} repetitions per model; Node ${process.version}; wasm ${path.join('pkg', 'rnn_lab_bg.wasm')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
