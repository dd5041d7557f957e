// The training lab's Web Worker: it owns the models (`TrainerHandle`s from its own wasm instance),
// trains them in chunks of a few milliseconds, and sends the page batches of step reports a few
// times per second, so the page never waits for training. It also fetches the corpora and the
// pretrained model (with progress, cancellable), generates text, and saves/loads model files.
//
// Protocol (page → worker). Requests with an `id` get exactly one reply
// `{type: 'reply', id, ok: true, …}` or `{type: 'reply', id, ok: false, error}`:
//   {type: 'build', id, config, data, tokens, heldout, maxVocab, cells}    fresh model(s)
//   {type: 'load', id, config, data, heldout, model}                        model file (JSON)
//       data = {url} | {text};  model = {url} | {json};  cells = ['lstm'] or ['rnn','lstm','gru']
//   {type: 'play'} {type: 'pause'} {type: 'step', n}                        training
//   {type: 'set', id, lr, clip, clip_threshold, teacher_forcing}           live settings
//   {type: 'restore', id, runs}                                            back to checkpoints
//   {type: 'prime', id, run, text, seed, temperature}                      reset + feed the prime
//   {type: 'dist', id, run, temperature}                                   next-token distribution
//   {type: 'token', id, run, temperature, greedy}                          generate one token
//   {type: 'generate', id, run, n, temperature, greedy}                    n tokens, streamed
//   {type: 'stopgen'}                                                      stop streaming
//   {type: 'exposure', id, run, offset, len, prime}                        exposure-bias view
//   {type: 'save', id, run}                                                model file (JSON)
//   {type: 'cancel'}                                                       abort a download
// Worker → page, unsolicited:
//   {type: 'ready'} once the wasm is initialised (or {type: 'fatal', error})
//   {type: 'progress', what: 'data'|'model', loaded, total}                download progress
//   {type: 'report', runs: [{run, packed, evals, steps, diverged, checkpoint}], stepsPerSec, playing}
//       packed = Float64Array [step, loss, grad_norm, grad_norm_after, clipped, finite] × k
//   {type: 'gen', id, text, done, probs?, entropy?}                         streamed generation

import init, { TrainerHandle } from '../../../pkg/rnn_lab.js';

/** Milliseconds of training per chunk between message checks. */
const BUDGET_MS = 12;
/** Milliseconds between report batches to the page. */
const REPORT_MS = 200;
/** Steps between held-out measurements (at multiples of this, so curves are reproducible). */
const EVAL_EVERY = 200;
/** Held-out tokens per measurement (each mode). */
const EVAL_TOKENS = 1000;

const texts = new Map(); // url → text (the corpora are fetched once)
let runs = []; // {cell, handle, pending: Float64Array[], evals: [], diverged, nextEval}
let playing = false;
let abort = null;
let genJob = null;
let lastFlush = 0;
let rate = { t0: 0, steps: 0, perSec: 0 };
let roundMs = 5; // compare mode: measured milliseconds for one step of every run
let buildSeq = 0; // the newest build/load wins; an older one that finishes later is dropped

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const reply = (id, body, transfer) => post({ type: 'reply', id, ok: true, ...body }, transfer);
const fail = (id, e) => post({ type: 'reply', id, ok: false, error: e?.message ?? String(e), name: e?.name });

// A zero-delay scheduler (setTimeout(0) is clamped to 4 ms once nested).
const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => { scheduled = false; tick(); };
function schedule() {
  if (!scheduled) { scheduled = true; channel.port2.postMessage(null); }
}

/** Fetches a text with progress messages; cached by URL. */
async function fetchText(url, what) {
  if (texts.has(url)) return texts.get(url);
  abort?.abort();
  const ctrl = new AbortController();
  abort = ctrl;
  try {
    const res = await fetch(url, { signal: ctrl.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
    const total = Number(res.headers.get('content-length')) || 0;
    const decoder = new TextDecoder('utf-8');
    let out = '';
    let loaded = 0;
    let lastPost = 0;
    post({ type: 'progress', what, loaded, total });
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      out += decoder.decode(value, { stream: true });
      const now = performance.now();
      if (now - lastPost > 80) { lastPost = now; post({ type: 'progress', what, loaded, total }); }
    }
    out += decoder.decode();
    post({ type: 'progress', what, loaded, total: total || loaded });
    if (what === 'data') texts.set(url, out);
    return out;
  } finally {
    if (abort === ctrl) abort = null;
  }
}

const dataText = (data) => (typeof data?.text === 'string' ? data.text : fetchText(String(data?.url), 'data'));

function freeRuns() {
  for (const r of runs) r.handle.free();
  runs = [];
}

function nextEvalAfter(steps) {
  return (Math.floor(steps / EVAL_EVERY) + 1) * EVAL_EVERY;
}

function evaluate(r) {
  const step = r.handle.steps();
  const teacher = r.handle.heldoutLoss(EVAL_TOKENS, 'teacher');
  const free = r.handle.heldoutLoss(EVAL_TOKENS, 'free');
  r.evals.push({ step, teacher, free });
  r.lastEval = step;
  r.nextEval = nextEvalAfter(step);
}

/** When training stops, the table should describe the model as it is now. */
function evaluateIfStale() {
  for (const r of runs) if (!r.diverged && r.lastEval !== r.handle.steps()) evaluate(r);
}

function adopt(handles, cells) {
  playing = false;
  genJob = null;
  freeRuns();
  runs = handles.map((handle, i) => ({ cell: cells[i], handle, pending: [], evals: [], diverged: null, nextEval: 0, lastEval: -1 }));
  for (const r of runs) evaluate(r);
  rate = { t0: performance.now(), steps: 0, perSec: 0 };
}

function info() {
  const h = runs[0].handle;
  return {
    runs: runs.map((r) => ({ cell: r.cell, steps: r.handle.steps(), config: r.handle.config() })),
    vocab: h.vocab(),
    tokenKind: h.tokenKind(),
    trainTokens: h.trainTokens(),
    heldoutTokens: h.heldoutTokens(),
  };
}

/** Sends everything not yet reported. */
function flush() {
  lastFlush = performance.now();
  const transfer = [];
  const out = runs.map((r, run) => {
    const n = r.pending.reduce((s, a) => s + a.length, 0);
    const packed = new Float64Array(n);
    let o = 0;
    for (const a of r.pending) { packed.set(a, o); o += a.length; }
    r.pending = [];
    transfer.push(packed.buffer);
    const evals = r.evals;
    r.evals = [];
    return { run, packed, evals, steps: r.handle.steps(), diverged: r.diverged, checkpoint: r.handle.checkpointStep() };
  });
  post({ type: 'report', runs: out, stepsPerSec: rate.perSec, playing }, transfer);
}

/** Trains run `r` for up to `n` steps within `budget` ms, stopping at the next evaluation. */
function trainChunk(r, n, budget) {
  const steps = r.handle.steps();
  const packed = r.handle.train(Math.max(1, Math.min(n, r.nextEval - steps)), budget);
  if (packed.length) r.pending.push(packed);
  const k = packed.length / 6;
  rate.steps += k;
  if (k && packed[packed.length - 1] === 0) {
    r.diverged = r.handle.diverged();
    return;
  }
  if (r.handle.steps() >= r.nextEval) evaluate(r);
}

function generateChunk() {
  const job = genJob;
  const r = runs[job.run];
  if (!r) { genJob = null; return; }
  const t0 = performance.now();
  let text = '';
  while (job.remaining > 0 && performance.now() - t0 < BUDGET_MS / 2) {
    r.handle.genStep(job.temperature, job.greedy);
    text += r.handle.lastTokenPiece();
    job.remaining -= 1;
  }
  const done = job.remaining === 0;
  const msg = { type: 'gen', id: job.id, text, done };
  const transfer = [];
  if (done) {
    genJob = null;
    const probs = r.handle.nextDistribution(job.temperature);
    msg.probs = probs;
    msg.entropy = r.handle.nextEntropy(job.temperature);
    transfer.push(probs.buffer);
  }
  post(msg, transfer);
}

function tick() {
  try {
    if (genJob) generateChunk();
    if (playing) {
      const active = runs.filter((r) => !r.diverged);
      if (!active.length) {
        playing = false;
        evaluateIfStale();
        flush();
        return;
      }
      if (active.length === 1) {
        trainChunk(active[0], 100000, BUDGET_MS);
      } else {
        // Compare mode: the runs advance in lockstep (the same steps each), so the curves compare
        // the cells at equal numbers of updates, not at equal wall-clock time.
        const k = Math.max(1, Math.floor(BUDGET_MS / roundMs));
        const t0 = performance.now();
        for (const r of active) trainChunk(r, k, Infinity);
        roundMs = 0.7 * roundMs + 0.3 * Math.max(0.05, (performance.now() - t0) / k);
      }
      const now = performance.now();
      if (now - rate.t0 >= 1000) {
        rate.perSec = rate.steps / ((now - rate.t0) / 1000);
        rate = { t0: now, steps: 0, perSec: rate.perSec };
      }
      if (runs.some((r) => r.diverged && r.pending.length) || now - lastFlush >= REPORT_MS) flush();
    }
    if (playing || genJob) schedule();
  } catch (e) {
    playing = false;
    genJob = null;
    post({ type: 'fatal', error: e?.message ?? String(e) });
  }
}

function superseded(seq) {
  if (seq !== buildSeq) {
    const e = new Error('superseded by a newer request');
    e.name = 'Superseded';
    throw e;
  }
}

const run = (i) => {
  const r = runs[i ?? 0];
  if (!r) throw new Error('there is no model yet');
  return r;
};

async function handle(msg) {
  switch (msg.type) {
    case 'build': {
      const seq = ++buildSeq;
      const text = await dataText(msg.data);
      superseded(seq);
      const handles = [];
      try {
        for (const cell of msg.cells) {
          handles.push(new TrainerHandle({ ...msg.config, cell }, text, msg.tokens, msg.heldout, msg.maxVocab));
        }
      } catch (e) {
        for (const h of handles) h.free();
        throw e;
      }
      adopt(handles, msg.cells);
      reply(msg.id, info());
      return flush(); // after the reply: the page resets its history when the reply arrives
    }
    case 'load': {
      const seq = ++buildSeq;
      const json = typeof msg.model?.json === 'string' ? msg.model.json : await fetchText(String(msg.model?.url), 'model');
      superseded(seq);
      const text = await dataText(msg.data);
      superseded(seq);
      const h = TrainerHandle.fromModel(json, msg.config, text, msg.heldout);
      const cell = h.config().cell;
      adopt([h], [cell]);
      reply(msg.id, info());
      return flush();
    }
    case 'play':
      if (runs.length && runs.some((r) => !r.diverged)) {
        playing = true;
        rate = { t0: performance.now(), steps: 0, perSec: rate.perSec };
        schedule();
      }
      return flush();
    case 'pause':
      playing = false;
      evaluateIfStale();
      return flush();
    case 'step':
      playing = false;
      for (const r of runs) if (!r.diverged) trainChunk(r, msg.n ?? 1, Infinity);
      evaluateIfStale();
      return flush();
    case 'set':
      for (const r of runs) {
        r.handle.setLr(msg.lr);
        r.handle.setClip(msg.clip, msg.clip_threshold);
        r.handle.setTeacherForcing(msg.teacher_forcing);
      }
      return reply(msg.id, {});
    case 'restore': {
      const steps = [];
      for (const i of msg.runs) {
        const r = run(i);
        const step = r.handle.restoreCheckpoint();
        r.diverged = null;
        r.pending = [];
        r.nextEval = nextEvalAfter(step);
        steps.push({ run: i, step });
      }
      evaluateIfStale();
      reply(msg.id, { steps });
      return flush();
    }
    case 'prime': {
      const r = run(msg.run);
      genJob = null;
      r.handle.genPrime(msg.text, msg.seed >>> 0);
      const probs = r.handle.nextDistribution(msg.temperature);
      return reply(msg.id, { probs, entropy: r.handle.nextEntropy(msg.temperature) }, [probs.buffer]);
    }
    case 'dist': {
      const r = run(msg.run);
      const probs = r.handle.nextDistribution(msg.temperature);
      return reply(msg.id, { probs, entropy: r.handle.nextEntropy(msg.temperature) }, [probs.buffer]);
    }
    case 'token': {
      const r = run(msg.run);
      const drawnFrom = r.handle.genStep(msg.temperature, msg.greedy);
      const id = r.handle.lastToken();
      const token = r.handle.lastTokenText();
      const probs = r.handle.nextDistribution(msg.temperature);
      return reply(msg.id, {
        token, piece: r.handle.lastTokenPiece(), p: drawnFrom[id], kind: r.handle.tokenKind(), probs, entropy: r.handle.nextEntropy(msg.temperature),
      }, [probs.buffer]);
    }
    case 'generate': {
      run(msg.run);
      genJob = {
        id: msg.id, run: msg.run ?? 0, remaining: Math.max(0, msg.n | 0), temperature: msg.temperature, greedy: Boolean(msg.greedy),
      };
      return schedule();
    }
    case 'stopgen':
      if (genJob) {
        post({ type: 'gen', id: genJob.id, text: '', done: true, stopped: true });
        genJob = null;
      }
      return undefined;
    case 'exposure': {
      const r = run(msg.run);
      genJob = null;
      return reply(msg.id, { view: r.handle.exposureView(msg.offset >>> 0, msg.len >>> 0, msg.prime >>> 0), kind: r.handle.tokenKind() });
    }
    case 'save':
      return reply(msg.id, { json: run(msg.run).handle.save(), steps: run(msg.run).handle.steps() });
    case 'cancel':
      abort?.abort();
      return undefined;
    default:
      throw new Error(`unknown message ${msg.type}`);
  }
}

const ready = init().then(
  () => post({ type: 'ready' }),
  (e) => { post({ type: 'fatal', error: `cannot start WebAssembly in the worker: ${e?.message ?? e}` }); throw e; },
);

self.onmessage = (e) => {
  const msg = e.data ?? {};
  ready.then(() => handle(msg)).catch((err) => {
    if (msg.id !== undefined) fail(msg.id, err);
    else post({ type: 'fatal', error: err?.message ?? String(err) });
  });
};
