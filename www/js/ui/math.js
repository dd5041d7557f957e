// Equations with KaTeX, served from pkg/vendor/katex/ (copied from node_modules by
// scripts/build.sh): no CDN, works offline. The module and its stylesheet load on first use.

import { h } from './dom.js';

const KATEX_BASE = new URL('../../../pkg/vendor/katex/', import.meta.url);
let katexPromise = null;

function loadKatex() {
  if (!katexPromise) {
    if (!document.querySelector('link[data-rnnlab-katex]')) {
      document.head.append(h('link', { rel: 'stylesheet', href: new URL('katex.min.css', KATEX_BASE).href, 'data-rnnlab-katex': true }));
    }
    katexPromise = import(new URL('katex.mjs', KATEX_BASE).href).then((m) => m.default);
  }
  return katexPromise;
}

/**
 * Renders TeX into `el` (display style by default). The TeX must be a string from our own code,
 * never user input. On failure the TeX source is shown as plain text and the error rethrown.
 * @param {HTMLElement} el
 * @param {string} tex
 * @param {{display?: boolean}} [opts]
 * @returns {Promise<void>}
 */
export async function renderMath(el, tex, opts = {}) {
  el.classList.add('rl-math');
  try {
    const katex = await loadKatex();
    katex.render(tex, el, { displayMode: opts.display ?? true, throwOnError: true, output: 'htmlAndMathml' });
  } catch (e) {
    el.textContent = tex;
    throw e;
  }
}
