// Text fields for the NLP widgets: an <input> or <textarea> with a label that commits its value
// on Enter, on leaving the field, and after a short pause in typing — never in the middle of a
// Hangul (IME) composition, so 한글 can be typed everywhere text is accepted. What the user typed
// stays in the field even when it is rejected (the widget shows why).

import { h } from '../ui/dom.js';

/**
 * @param {{name: string, label: () => string, value: string, hide?: Set<string>,
 *   multiline?: boolean, rows?: number, placeholder?: () => string, delay?: number,
 *   onCommit: (value: string) => void}} opts
 * @returns {{el: HTMLElement, input: HTMLInputElement|HTMLTextAreaElement, refresh: () => void,
 *   set: (v: string) => void, invalid: (msg: string|null) => void}}
 */
export function textField(opts) {
  const text = h('span', { class: 'rl-label-text' });
  const input = opts.multiline
    ? h('textarea', { name: opts.name, rows: opts.rows ?? 4, spellcheck: 'false', class: 'rl-text' })
    : h('input', { type: 'text', name: opts.name, spellcheck: 'false', autocomplete: 'off', class: 'rl-text' });
  input.value = opts.value;
  let composing = false;
  let timer = 0;
  let committed = opts.value;
  const commit = () => {
    clearTimeout(timer);
    if (composing || input.value === committed) return;
    committed = input.value;
    opts.onCommit(input.value);
  };
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; clearTimeout(timer); timer = setTimeout(commit, opts.delay ?? 600); });
  input.addEventListener('input', (e) => {
    if (e.isComposing || composing) return;
    clearTimeout(timer);
    timer = setTimeout(commit, opts.delay ?? 600);
  });
  input.addEventListener('change', commit);
  if (!opts.multiline) {
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); commit(); } });
  }
  const el = h('label', { class: 'rl-control rl-field', dataset: { control: opts.name }, hidden: opts.hide?.has(opts.name) }, text, input);
  const refresh = () => {
    text.textContent = opts.label();
    if (opts.placeholder) input.placeholder = opts.placeholder();
  };
  refresh();
  return {
    el,
    input,
    refresh,
    set(v) { input.value = v; committed = v; },
    invalid(msg) {
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

/**
 * An unlabelled single-line input (inside a table row, say) with the same commit rules as
 * `textField`: Enter, leaving the field, or a pause in typing outside an IME composition.
 * @param {{name: string, ariaLabel: () => string, value: string, onCommit: (v: string) => void,
 *   delay?: number, size?: number}} opts
 * @returns {{input: HTMLInputElement, refresh: () => void, set: (v: string) => void}}
 */
export function bareInput(opts) {
  const input = h('input', { type: 'text', name: opts.name, spellcheck: 'false', autocomplete: 'off', class: 'rl-text', size: opts.size });
  input.value = opts.value;
  let composing = false;
  let timer = 0;
  let committed = opts.value;
  const commit = () => {
    clearTimeout(timer);
    if (composing || input.value === committed) return;
    committed = input.value;
    opts.onCommit(input.value);
  };
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; clearTimeout(timer); timer = setTimeout(commit, opts.delay ?? 600); });
  input.addEventListener('input', (e) => {
    if (e.isComposing || composing) return;
    clearTimeout(timer);
    timer = setTimeout(commit, opts.delay ?? 600);
  });
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); commit(); } });
  const refresh = () => input.setAttribute('aria-label', opts.ariaLabel());
  refresh();
  return { input, refresh, set(v) { input.value = v; committed = v; } };
}

/**
 * A small table from rows of cells (all text via textContent).
 * @param {string[]} head header cells
 * @param {(string|{text: string, class?: string, style?: object, title?: string})[][]} rows
 * @param {{caption?: string, class?: string, rowHeaders?: boolean}} [opts] `rowHeaders`: the
 *   first cell of each row is a row header
 * @returns {HTMLTableElement}
 */
export function table(head, rows, opts = {}) {
  // Numbers (and fractions such as 400/1000) are right-aligned, words left-aligned.
  const num = (s) => /^[\s−\-+\d.,/%∞–]+$/.test(String(s)) || /^\(.*\)\/\(.*\)$/.test(String(s));
  const cell = (tag, c) => {
    const o = typeof c === 'string' || typeof c === 'number' ? { text: String(c) } : c;
    const cls = [o.class, num(o.text) ? 'rl-num' : ''].filter(Boolean).join(' ') || undefined;
    return h(tag, { text: o.text, class: cls, style: o.style, title: o.title, scope: o.scope });
  };
  return h('table', { class: `rl-table ${opts.class ?? ''}` },
    opts.caption ? h('caption', { text: opts.caption }) : null,
    h('thead', {}, h('tr', {}, ...head.map((c) => cell('th', typeof c === 'string' ? { text: c, scope: 'col' } : c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => (i === 0 && opts.rowHeaders ? cell('th', typeof c === 'string' ? { text: c, scope: 'row' } : { ...c, scope: 'row' }) : cell('td', c)))))));
}

/**
 * A titled block inside a widget (a sub-heading and its content).
 * @param {() => string} title
 * @param {...(Node|null)} children
 * @returns {{el: HTMLElement, refresh: () => void}}
 */
export function block(title, ...children) {
  const head = h('h4', { class: 'rl-subtitle' });
  const el = h('div', { class: 'rl-block' }, head, ...children);
  return { el, refresh: () => { head.textContent = title(); } };
}
