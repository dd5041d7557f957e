// Labelled form controls (slider, select, toggle, button) that respect the widget's `hide` set.
// A hidden control still exists (so its value keeps driving the config) but is not shown.
// Labels are functions, re-read by `refresh()` when the page language changes.

import { h } from './dom.js';

/**
 * @typedef {object} Control
 * @property {HTMLElement} el        the outer element (has data-control = name)
 * @property {HTMLInputElement|HTMLSelectElement|HTMLButtonElement} input the form element
 * @property {() => void} refresh    re-reads label texts (after a language change)
 * @property {(value: any) => void} set  sets the value without firing the change callback
 */

function outer(name, hide, kind, ...children) {
  return h('label', { class: `rl-control rl-${kind}`, dataset: { control: name }, hidden: hide?.has(name) }, ...children);
}

/**
 * A labelled range slider with its current value shown beside the label.
 * @param {{name: string, label: () => string, min: number, max: number, step: number,
 *   value: number, format?: (v: number) => string, hide?: Set<string>,
 *   onChange: (v: number) => void}} opts `onChange` fires on `input` (while dragging).
 * @returns {Control}
 */
export function slider(opts) {
  const format = opts.format ?? String;
  const text = h('span', { class: 'rl-label-text' });
  const out = h('output', { class: 'rl-value' });
  const input = h('input', {
    type: 'range', name: opts.name, min: opts.min, max: opts.max, step: opts.step, value: opts.value,
    on: { input: () => { out.textContent = format(Number(input.value)); opts.onChange(Number(input.value)); } },
  });
  const el = outer(opts.name, opts.hide, 'slider', h('span', { class: 'rl-label-row' }, text, out), input);
  const refresh = () => { text.textContent = opts.label(); out.textContent = format(Number(input.value)); };
  refresh();
  return { el, input, refresh, set: (v) => { input.value = String(v); out.textContent = format(Number(input.value)); } };
}

/**
 * A labelled drop-down.
 * @param {{name: string, label: () => string, options: {value: string, label: () => string}[],
 *   value: string, hide?: Set<string>, onChange: (v: string) => void}} opts
 * @returns {Control}
 */
export function select(opts) {
  const text = h('span', { class: 'rl-label-text' });
  const input = h('select', { name: opts.name, on: { change: () => opts.onChange(input.value) } },
    ...opts.options.map((o) => h('option', { value: o.value })));
  const el = outer(opts.name, opts.hide, 'select', text, input);
  const refresh = () => {
    text.textContent = opts.label();
    opts.options.forEach((o, i) => { input.options[i].textContent = o.label(); });
  };
  refresh();
  input.value = opts.value;
  return { el, input, refresh, set: (v) => { input.value = String(v); } };
}

/**
 * A labelled checkbox.
 * @param {{name: string, label: () => string, checked: boolean, hide?: Set<string>,
 *   swatch?: string, onChange: (on: boolean) => void}} opts `swatch` = CSS colour shown beside it
 * @returns {Control}
 */
export function toggle(opts) {
  const text = h('span', { class: 'rl-label-text' });
  const input = h('input', { type: 'checkbox', name: opts.name, checked: opts.checked, on: { change: () => opts.onChange(input.checked) } });
  const swatch = opts.swatch ? h('span', { class: 'rl-swatch', style: { background: opts.swatch }, 'aria-hidden': 'true' }) : null;
  const el = outer(opts.name, opts.hide, 'toggle', input, swatch, text);
  const refresh = () => { text.textContent = opts.label(); };
  refresh();
  return { el, input, refresh, set: (v) => { input.checked = Boolean(v); } };
}

/**
 * A button (not inside a label).
 * @param {{name: string, label: () => string, hide?: Set<string>, onClick: () => void,
 *   kind?: 'primary'|'plain'}} opts
 * @returns {Control}
 */
export function button(opts) {
  const input = h('button', { type: 'button', class: `rl-button rl-${opts.kind ?? 'plain'}`, name: opts.name, dataset: { control: opts.name }, hidden: opts.hide?.has(opts.name), on: { click: () => opts.onClick() } });
  const refresh = () => { input.textContent = opts.label(); };
  refresh();
  return { el: input, input, refresh, set: () => {} };
}
