// Loads the RNN Lab WebAssembly module once per page. Every widget awaits the same promise, so a
// page with ten widgets still has one wasm instance (and one memory); each widget then creates
// its own handle (e.g. `new wasm.ActivationsWidget(config)`).

let wasmPromise = null;

/**
 * Initialises `pkg/rnn_lab.js` (the wasm-bindgen output) on first call; later calls return the
 * same promise.
 * @returns {Promise<typeof import('../../pkg/rnn_lab.js')>} the module's exports
 */
export function loadWasm() {
  if (!wasmPromise) {
    wasmPromise = (async () => {
      const js = new URL('../../pkg/rnn_lab.js', import.meta.url);
      const wasm = new URL('../../pkg/rnn_lab_bg.wasm', import.meta.url);
      let mod;
      try {
        mod = await import(js.href);
      } catch (e) {
        throw new Error(`cannot load ${js.pathname} (build it with: bash scripts/build.sh): ${e.message}`);
      }
      await mod.default({ module_or_path: wasm });
      return mod;
    })();
  }
  return wasmPromise;
}
