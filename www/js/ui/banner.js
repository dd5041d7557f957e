// A message area for one widget: errors (role=alert) and notes (role=status), each dismissable.
// Messages are plain text; a message given as a function is re-read on `refresh()` (language
// change). Also the aria-live narrator used for keyboard and state-change announcements.

import { h } from './dom.js';

/**
 * @returns {{el: HTMLElement, show: (kind: 'error'|'info', text: string|(() => string)) => HTMLElement,
 *   clear: (kind?: 'error'|'info') => void, count: () => number, refresh: () => void}}
 */
export function createBanner() {
  const el = h('div', { class: 'rl-banner' });
  const texts = new Map();
  const show = (kind, text) => {
    const span = h('span', { class: 'rl-message-text' });
    const item = h('div', { class: `rl-message rl-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { kind } },
      span,
      h('button', { type: 'button', class: 'rl-dismiss', 'aria-label': '×', text: '×', on: { click: () => { texts.delete(item); item.remove(); } } }));
    const get = typeof text === 'function' ? text : () => text;
    texts.set(item, { span, get });
    span.textContent = get();
    el.append(item);
    return item;
  };
  const clear = (kind) => {
    for (const item of [...el.children]) {
      if (!kind || item.dataset.kind === kind) { texts.delete(item); item.remove(); }
    }
  };
  const refresh = () => { for (const { span, get } of texts.values()) span.textContent = get(); };
  return { el, show, clear, refresh, count: () => el.children.length };
}

/**
 * A visually hidden aria-live region that narrates changes to screen readers.
 * @returns {{el: HTMLElement, say: (text: string) => void}}
 */
export function createNarrator() {
  const el = h('div', { class: 'rl-sr-only rl-live', 'aria-live': 'polite', 'aria-atomic': 'true' });
  return { el, say: (text) => { el.textContent = text; } };
}
