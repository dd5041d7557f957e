// The standard frame of a widget: title + share tools, message banner, figure and controls side
// by side (stacked on phones), an area below for equations and text, and the aria-live narrator.
// Everything is created inside the widget's own root element.

import { h } from './dom.js';
import { createBanner, createNarrator } from './banner.js';
import { createShareTools } from './copy.js';
import { COMMON, makeT } from '../i18n.js';

/**
 * @param {HTMLElement} root the widget's [data-widget] element
 * @param {import('../embed.js').WidgetContext} ctx
 * @param {{title: () => string}} opts
 */
export function createShell(root, ctx, opts) {
  const title = h('h3', { class: 'rl-title' });
  const narrator = createNarrator();
  const share = createShareTools({ getLang: ctx.lang.get, share: ctx.share, hide: ctx.hide, say: narrator.say });
  const banner = createBanner();
  const figure = h('div', { class: 'rl-figure' });
  const controls = h('div', { class: 'rl-controls' });
  const below = h('div', { class: 'rl-below' });
  const section = h('section', { class: 'rl-widget' },
    h('header', { class: 'rl-header' }, title, share.el),
    share.panel, banner.el,
    h('div', { class: 'rl-body' }, figure, controls),
    below, narrator.el);
  root.replaceChildren(section);
  const t = makeT(COMMON, ctx.lang.get);
  for (const note of ctx.notes) banner.show('info', () => note(t));
  const refresh = () => {
    title.textContent = opts.title();
    section.setAttribute('aria-label', opts.title());
    share.refresh();
    banner.refresh();
  };
  refresh();
  return { section, title, banner, narrator, share, figure, controls, below, refresh };
}

/**
 * Shows the `errors` of a Rust `parseConfig` call ({key, value, message}[]) as notes.
 * @param {ReturnType<typeof createBanner>} banner
 * @param {{key: string, value: string, message: string}[]} errors
 * @param {() => string} getLang
 */
export function showFieldErrors(banner, errors, getLang) {
  const t = makeT(COMMON, getLang);
  for (const e of errors) {
    banner.show('error', () => (e.key && e.value !== ''
      ? t('badSetting', { key: e.key, value: e.value, message: e.message })
      : t('badAll', { message: e.message })));
  }
}
