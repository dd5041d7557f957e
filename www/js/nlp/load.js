// Fetching corpora, models and word vectors with a progress report and a cancel switch, and
// running long computations in chunks between animation frames so the page never freezes.
// Everything is served by the static server that serves the page (no other network).

/** The served repository root (…/www/js/nlp/load.js → …/). */
export const ROOT = new URL('../../../', import.meta.url);

/** An AbortError (what a cancelled fetch or run rejects with). */
export function abortError() {
  return new DOMException('cancelled', 'AbortError');
}

/** True for the error a cancelled fetch or run rejects with. */
export function isAbort(e) {
  return e?.name === 'AbortError';
}

/**
 * Reads a response body with progress callbacks.
 * @param {Response} res
 * @param {(received: number, total: number) => void} [onProgress] total = 0 when unknown
 * @param {number} [expected] size to assume when the server sends no Content-Length
 * @returns {Promise<Uint8Array>}
 */
export async function readBody(res, onProgress, expected = 0) {
  const total = Number(res.headers.get('Content-Length')) || expected;
  if (!res.body?.getReader) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onProgress?.(buf.length, total || buf.length);
    return buf;
  }
  const reader = res.body.getReader();
  const parts = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onProgress?.(received, total);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Fetches a file of the repository as bytes, with progress and cancel.
 * @param {string} path relative to the repository root, e.g. "data/corpora/war_and_peace.txt"
 * @param {{signal?: AbortSignal, onProgress?: (received: number, total: number) => void,
 *   expected?: number}} [opts]
 * @returns {Promise<Uint8Array>}
 */
export async function fetchBytes(path, opts = {}) {
  const url = new URL(path, ROOT);
  const res = await fetch(url, { signal: opts.signal });
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return readBody(res, opts.onProgress, opts.expected);
}

const texts = new Map();

/**
 * Fetches a text file (UTF-8) with progress and cancel; a finished file is kept for the page, so
 * a second widget that needs it gets it at once.
 * @param {string} path
 * @param {{signal?: AbortSignal, onProgress?: (received: number, total: number) => void}} [opts]
 * @returns {Promise<string>}
 */
export async function fetchText(path, opts = {}) {
  if (texts.has(path)) {
    const t = texts.get(path);
    opts.onProgress?.(t.length, t.length);
    return t;
  }
  const bytes = await fetchBytes(path, opts);
  const text = new TextDecoder('utf-8').decode(bytes);
  texts.set(path, text);
  return text;
}

/**
 * Runs `step(units)` repeatedly, about 10 ms of work per animation frame, until it reports done.
 * The number of units per call adapts to how long a call takes, so slow machines stay smooth;
 * when a step reports a different `stage` (another kind of work, e.g. tokenising → counting), the
 * adaptation starts again from `units`.
 * @param {{step: (units: number) => {done: boolean, stage?: string, fraction?: number}, units?: number,
 *   signal?: AbortSignal, onProgress?: (r: any) => void, frameMs?: number}} job
 * @returns {Promise<any>} the last step's result; rejects with an AbortError when cancelled
 */
export function runInFrames(job) {
  const frameMs = job.frameMs ?? 10;
  const initial = Math.max(1, job.units ?? 1000);
  let units = initial;
  let stage;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (job.signal?.aborted) { reject(abortError()); return; }
      const t0 = performance.now();
      let last;
      try {
        do {
          const s0 = performance.now();
          last = job.step(units);
          const took = performance.now() - s0;
          if (last.stage !== stage) {
            if (stage !== undefined) units = initial;
            stage = last.stage;
            continue;
          }
          // Aim for about frameMs/2 per call so a frame holds one or two calls.
          if (took > 0.05) units = Math.max(1, Math.round(units * Math.min(4, Math.max(0.25, (frameMs / 2) / took))));
          else units = Math.min(units * 4, 1e9);
        } while (!last.done && performance.now() - t0 < frameMs && !job.signal?.aborted);
      } catch (e) {
        reject(e);
        return;
      }
      job.onProgress?.(last);
      if (last.done) resolve(last);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * Calls `fn` once when `el` first comes near the viewport (or at once where
 * IntersectionObserver is missing). Returns a function that stops watching.
 * @param {Element} el
 * @param {() => void} fn
 */
export function whenVisible(el, fn) {
  if (typeof IntersectionObserver === 'undefined') { fn(); return () => {}; }
  let done = false;
  const io = new IntersectionObserver((entries) => {
    if (!done && entries.some((e) => e.isIntersecting)) {
      done = true;
      io.disconnect();
      fn();
    }
  }, { rootMargin: '200px' });
  io.observe(el);
  return () => io.disconnect();
}
