// "Copy link / embed code" tools: a button that copies a link to the current state, and a button
// that opens a panel with both embed snippets (a <div data-widget> + module script, and an
// <iframe src="embed.html#…"> for platforms that strip scripts), each with its own copy button.
// If the clipboard is unavailable the panel stays open so the text can be copied by hand.

import { h } from './dom.js';
import { COMMON, makeT } from '../i18n.js';

async function writeClipboard(text) {
  if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
  await navigator.clipboard.writeText(text);
}

/**
 * @param {{getLang: () => string, share: () => {link: string, div: string, iframe: string},
 *   hide?: Set<string>, say?: (text: string) => void}} opts
 * @returns {{el: HTMLElement, panel: HTMLElement, refresh: () => void}}
 */
export function createShareTools(opts) {
  const t = makeT(COMMON, opts.getLang);
  const field = (kind, rows) => {
    const box = h(rows ? 'textarea' : 'input', { class: 'rl-snippet', readonly: true, dataset: { snippet: kind }, rows: rows || undefined, spellcheck: 'false' });
    const label = h('span', { class: 'rl-label-text' });
    const btn = h('button', { type: 'button', class: 'rl-button rl-plain', on: { click: () => copy(box.value, btn, box) } });
    return { box, label, btn, el: h('label', { class: 'rl-snippet-row' }, label, box, btn) };
  };
  const link = field('link', 0);
  const div = field('div', 3);
  const iframe = field('iframe', 3);
  const panel = h('div', { class: 'rl-share-panel', hidden: true }, link.el, div.el, iframe.el);

  const fill = () => {
    const s = opts.share();
    link.box.value = s.link;
    div.box.value = s.div;
    iframe.box.value = s.iframe;
  };

  async function copy(text, btn, box) {
    try {
      await writeClipboard(text);
      const old = btn.textContent;
      btn.textContent = t('copied');
      opts.say?.(t('copied'));
      setTimeout(() => { btn.textContent = old; }, 1500);
    } catch {
      fill();
      panel.hidden = false;
      opts.say?.(t('copyFailed'));
      box?.focus();
      box?.select();
    }
  }

  const copyLink = h('button', { type: 'button', class: 'rl-button rl-plain', dataset: { control: 'copy-link' },
    on: { click: () => { fill(); copy(link.box.value, copyLink, link.box); } } });
  const embedBtn = h('button', { type: 'button', class: 'rl-button rl-plain', 'aria-expanded': 'false', dataset: { control: 'embed-code' },
    on: { click: () => { fill(); panel.hidden = !panel.hidden; embedBtn.setAttribute('aria-expanded', String(!panel.hidden)); } } });
  const el = h('div', { class: 'rl-share', dataset: { control: 'copy' }, hidden: opts.hide?.has('copy') }, copyLink, embedBtn);

  const refresh = () => {
    copyLink.textContent = t('copyLink');
    embedBtn.textContent = t('embedCode');
    link.label.textContent = t('linkLabel');
    div.label.textContent = t('divLabel');
    iframe.label.textContent = t('iframeLabel');
    for (const f of [link, div, iframe]) f.btn.textContent = t('copy');
    if (!panel.hidden) fill();
  };
  refresh();
  return { el, panel, refresh, fill };
}
