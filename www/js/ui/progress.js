// A progress bar with a cancel button, for long computations (training runs) split into chunks.

import { h } from './dom.js';

/**
 * @param {{label: () => string, cancelLabel: () => string, onCancel: () => void}} opts
 * @returns {{el: HTMLElement, set: (fraction: number, text?: string) => void,
 *   done: () => void, refresh: () => void, cancelButton: HTMLButtonElement}}
 */
export function createProgress(opts) {
  const text = h('span', { class: 'rl-progress-text' });
  const bar = h('progress', { max: 1, value: 0 });
  const cancelButton = h('button', { type: 'button', class: 'rl-button rl-plain', on: { click: () => opts.onCancel() } });
  const el = h('div', { class: 'rl-progress', hidden: true, role: 'group' }, text, bar, cancelButton);
  const refresh = () => {
    cancelButton.textContent = opts.cancelLabel();
    bar.setAttribute('aria-label', opts.label());
  };
  refresh();
  return {
    el,
    cancelButton,
    refresh,
    set(fraction, label) {
      el.hidden = false;
      bar.value = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      text.textContent = label ?? `${opts.label()} ${Math.round(bar.value * 100)}%`;
    },
    done() { el.hidden = true; },
  };
}
