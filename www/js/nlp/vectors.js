// The page's one copy of the GloVe vectors (data/glove/glove.6B.100d.top50k.i8.rlwv, 5.6 MB):
// loaded lazily (when a widget that needs them is shown), with progress and cancel, kept in the
// browser's Cache API so the next visit reads them from disk (falling back to the network where
// the Cache API is missing or refuses), parsed and checked once in Rust, and shared by every
// widget of the page (`onehot`, `analogy`).

import { fetchBytes, isAbort, readBody, ROOT } from './load.js';

const CACHE_NAME = 'rnnlab-glove-v1';

/**
 * @typedef {object} VectorState
 * @property {'idle'|'loading'|'parsing'|'ready'|'error'|'cancelled'} status
 * @property {number} received  bytes so far
 * @property {number} total     bytes expected
 * @property {boolean} fromCache
 * @property {string} [error]
 * @property {{fetchMs?: number, parseMs?: number}} timing
 */

let store = null;

/**
 * The page's vector store (created on first use).
 * @param {object} wasm the initialised wasm module
 */
export function vectorStore(wasm) {
  if (store) return store;
  const file = wasm.AnalogyWidget.vectorFile();
  const url = new URL(file.path, ROOT);
  /** @type {VectorState} */
  let state = { status: 'idle', received: 0, total: file.bytes, fromCache: false, timing: {} };
  let handle = null;
  let controller = null;
  let pending = null;
  const subs = new Set();
  const set = (patch) => {
    state = { ...state, ...patch };
    for (const fn of [...subs]) fn(state);
  };

  async function fromCache() {
    if (typeof caches === 'undefined') return null;
    try {
      const cache = await caches.open(CACHE_NAME);
      const hit = await cache.match(url.href);
      if (!hit) return null;
      return new Uint8Array(await hit.arrayBuffer());
    } catch {
      return null; // no Cache API here (e.g. an insecure origin): use the network
    }
  }

  async function toCache(bytes) {
    if (typeof caches === 'undefined') return;
    try {
      const cache = await caches.open(CACHE_NAME);
      await cache.put(url.href, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
    } catch { /* quota or policy: the page still works, it just downloads next time */ }
  }

  async function dropCache() {
    try { if (typeof caches !== 'undefined') await (await caches.open(CACHE_NAME)).delete(url.href); } catch { /* ignore */ }
  }

  async function load() {
    controller = new AbortController();
    const signal = controller.signal;
    set({ status: 'loading', received: 0, fromCache: false, error: undefined, timing: {} });
    const t0 = performance.now();
    let bytes = await fromCache();
    const cached = Boolean(bytes);
    if (!bytes) {
      const res = await fetch(url, { signal });
      if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
      bytes = await readBody(res, (received, total) => set({ received, total: total || state.total }), file.bytes);
    }
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const fetchMs = performance.now() - t0;
    set({ status: 'parsing', received: bytes.length, total: bytes.length, fromCache: cached });
    // Let the page paint "checking…" before the (≈0.1 s) parse.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const t1 = performance.now();
    let h;
    try {
      h = new wasm.WordVectorsHandle(bytes);
    } catch (e) {
      if (cached) {
        // A damaged cached copy: forget it and fetch a fresh one.
        await dropCache();
        const fresh = await fetchBytes(file.path, { signal, onProgress: (received, total) => set({ status: 'loading', received, total }) });
        h = new wasm.WordVectorsHandle(fresh);
        await toCache(fresh);
      } else {
        throw e;
      }
    }
    const parseMs = performance.now() - t1;
    if (!cached) await toCache(bytes);
    handle = h;
    set({ status: 'ready', timing: { fetchMs, parseMs } });
    return h;
  }

  store = {
    /** @returns {VectorState} */
    get: () => state,
    /** The parsed vectors (null until ready). */
    handle: () => handle,
    /**
     * Starts loading unless loading or loaded; resolves with the handle.
     * @returns {Promise<object>}
     */
    ensure() {
      if (handle) return Promise.resolve(handle);
      if (!pending) {
        pending = load().catch((e) => {
          pending = null;
          if (isAbort(e)) set({ status: 'cancelled' });
          else set({ status: 'error', error: e?.message ?? String(e) });
          throw e;
        });
      }
      return pending;
    },
    /** Cancels a load in progress. */
    cancel() { controller?.abort(); },
    /** @param {(s: VectorState) => void} fn  @returns {() => void} */
    subscribe(fn) { subs.add(fn); return () => subs.delete(fn); },
    url: url.href,
  };
  return store;
}
