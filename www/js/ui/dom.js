// Tiny DOM builder shared by every widget. Text always goes in through textContent, never as
// HTML, so user- or URL-supplied strings cannot inject markup.

/**
 * Creates an element.
 * @param {string} tag element name
 * @param {Record<string, any>} [props] `class`, `text`, `dataset` (object), `style` (object),
 *   `on` (object of event → handler), attributes (`aria-*`, `role`, `type`, …; `true` = empty,
 *   `false`/`null`/`undefined` = absent) and DOM properties for `value`, `checked`, `hidden`.
 * @param {...(Node|string|null|undefined|false)} children nodes or text
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') Object.assign(el.style, value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'value' || key === 'checked' || key === 'hidden' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/**
 * Formats a number for readouts: fixed decimals, a real minus sign, no "-0".
 * @param {number} x
 * @param {number} [digits=3]
 * @returns {string}
 */
export function fmt(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const s = (Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x).toFixed(digits);
  return s.startsWith('-') ? '\u2212' + s.slice(1) : s;
}
