// Mounts RNN Lab widgets. One module script does everything:
//
//   <div data-widget="activations" data-id="act1" data-config='{"relu": true}'></div>
//   <script type="module" src="…/www/js/embed.js"></script>
//
// Every [data-widget] element is looked up in a fixed registry (never an import path taken from
// the page), its data-config JSON is merged with the URL hash (URL wins) and its `hide` list,
// and the widget module's `mount(root, ctx)` is called. Widgets are independent: a bad config or
// a failing widget shows a message in its own element and the others keep working. On
// embed.html (<body data-embed-page>) exactly one widget is mounted from `#widget=name&…`.
// Any [data-lang-switch] element gets the page's ko/en switch.

import { loadWasm } from './loader.js';
import { h } from './ui/dom.js';
import { COMMON, buildLangSwitch, createLangState, makeT, normaliseLang } from './i18n.js';
import { hashStore, replaceWidgetState, serialiseHash, setPageKey, splitList, widgetState } from './url_state.js';

/** name → loader. The only way a page can pick widget code. */
const REGISTRY = Object.freeze({
  activations: () => import('./widgets/activations.js'),
  stepper: () => import('./widgets/stepper.js'),
  gradflow: () => import('./widgets/gradflow.js'),
  train_lab: () => import('./widgets/train_lab.js'),
  onehot: () => import('./widgets/onehot.js'),
  naivebayes: () => import('./widgets/naivebayes.js'),
  word2vec: () => import('./widgets/word2vec.js'),
  glove: () => import('./widgets/glove.js'),
  analogy: () => import('./widgets/analogy.js'),
  ngram: () => import('./widgets/ngram.js'),
});

/** Names of all widgets, for messages and tests. */
export const WIDGET_NAMES = Object.freeze(Object.keys(REGISTRY));

/** The served repository root (…/www/js/embed.js → …/). */
const BASE = new URL('../../', import.meta.url);

const ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * @typedef {object} WidgetContext  What `mount(root, ctx)` receives.
 * @property {string} name            registry name, e.g. "activations"
 * @property {string|null} id         data-id (URL namespace), null on embed.html
 * @property {[string, string][]} pairs  settings as text: data-config then URL (later wins);
 *   feed them to the Rust handle's static `parseConfig(pairs)`. `lang` and `hide` are not in it.
 * @property {Set<string>} hide       control names to hide
 * @property {{get: () => 'ko'|'en', subscribe: (fn: (lang: string) => void) => () => void}} lang
 * @property {((t: Function) => string)[]} notes  problems found before mount (show them)
 * @property {(pairs: [string, string][], config: object) => void} save  call after every user
 *   change: writes the URL hash and remembers the state for the share tools
 * @property {(pairs: [string, string][], config: object) => void} track  remember without writing
 *   the URL (call once after mount)
 * @property {() => {link: string, div: string, iframe: string}} share  current snippets
 * @property {() => Promise<object>} wasm  the initialised wasm module (one per page)
 */

/**
 * Page-level state: language, hash store, mounted widgets.
 * @param {Window} win
 * @param {{embed?: boolean, lang?: ReturnType<typeof createLangState>}} [opts] `lang`: keep an
 *   existing language state (re-mount after a hash change)
 */
export function createPage(win, opts = {}) {
  const doc = win.document;
  const store = hashStore(win);
  const notes = [];
  const fromHash = store.read().find(([k]) => k === 'lang')?.[1];
  if (fromHash !== undefined && !normaliseLang(fromHash)) {
    notes.push((t) => t('badSetting', { key: 'lang', value: fromHash, message: 'expected ko or en' }));
  }
  const initial = normaliseLang(fromHash) ?? normaliseLang(doc.documentElement.lang) ?? 'ko';
  let lang = opts.lang;
  if (lang) {
    lang.set(initial);
  } else {
    lang = createLangState(initial);
    lang.subscribe((l) => {
      doc.documentElement.lang = l;
      store.write(setPageKey(store.read(), 'lang', l));
    });
  }
  doc.documentElement.lang = lang.get();
  return { win, doc, store, lang, notes, embed: Boolean(opts.embed), mounted: [] };
}

function escapeAttr(s) {
  return s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
}

function snippets(page, name, state, hide, height) {
  const lang = page.lang.get();
  const plain = [['widget', name], ...state.pairs];
  if (hide.size) plain.push(['hide', [...hide].join(',')]);
  plain.push(['lang', lang]);
  const embedUrl = new URL('embed.html', BASE);
  embedUrl.hash = serialiseHash(plain);
  const config = { ...(state.config ?? {}) };
  delete config.lang;
  if (hide.size) config.hide = [...hide].join(',');
  const script = new URL('www/js/embed.js', BASE).href;
  return {
    link: page.win.location.href,
    div: `<div data-widget="${name}" data-config='${escapeAttr(JSON.stringify(config))}'></div>\n` +
      `<script type="module" src="${script}"></script>`,
    iframe: `<iframe src="${escapeAttr(embedUrl.href)}" title="RNN Lab: ${name}" width="100%" height="${height}" ` +
      `style="border:0" loading="lazy"></iframe>`,
  };
}

function showFailure(el, text) {
  el.replaceChildren(h('div', { class: 'rl-message rl-error', role: 'alert', text }));
  el.dataset.ready = 'error';
}

/**
 * Mounts one widget element. Never throws: failures become a message inside `el`.
 * @param {HTMLElement} el
 * @param {ReturnType<typeof createPage>} page
 * @param {string|null} id URL namespace (null on embed.html)
 * @param {((t: Function) => string)[]} [extraNotes]
 * @returns {Promise<{destroy: () => void}|null>}
 */
export async function mountWidget(el, page, id, extraNotes = []) {
  const t = makeT(COMMON, page.lang.get);
  const name = el.dataset.widget ?? '';
  el.dataset.ready = 'loading';
  if (!Object.hasOwn(REGISTRY, name)) {
    showFailure(el, t('unknownWidget', { name, known: WIDGET_NAMES.join(', ') }));
    return null;
  }
  const notes = [...page.notes, ...extraNotes];
  const base = [];
  let baseHide = [];
  const raw = el.dataset.config;
  if (raw && raw.trim()) {
    try {
      const obj = JSON.parse(raw);
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('expected an object {…}');
      for (const [k, v] of Object.entries(obj)) {
        if (k === 'hide') baseHide = splitList(v);
        else if (k !== 'lang') base.push([k, typeof v === 'string' ? v : JSON.stringify(v)]);
      }
    } catch (e) {
      notes.push((tt) => tt('badConfigJson', { message: e.message }));
    }
  }
  const url = widgetState(page.store.read(), id);
  const pairs = [...base, ...url.pairs.filter(([k]) => k !== 'lang')];
  const hide = new Set(url.hide ?? baseHide);
  try {
    const mod = await REGISTRY[name]();
    const known = mod.controls ?? [];
    const unknown = [...hide].filter((n) => !known.includes(n));
    if (unknown.length) {
      notes.push((tt) => tt('unknownHide', { names: unknown.join(', '), known: known.join(', ') }));
    }
    let state = { pairs: [], config: null };
    const clean = (p) => p.filter(([k]) => k !== 'lang' && k !== 'hide');
    /** @type {WidgetContext} */
    const ctx = {
      name, id, pairs, hide, notes,
      lang: { get: page.lang.get, subscribe: page.lang.subscribe },
      save(p, config) {
        state = { pairs: clean(p), config };
        page.store.write(replaceWidgetState(page.store.read(), id, state.pairs, [...hide]));
      },
      track(p, config) { state = { pairs: clean(p), config }; },
      share: () => snippets(page, name, state, hide, mod.embedHeight ?? 640),
      wasm: loadWasm,
    };
    const handle = await mod.mount(el, ctx);
    el.dataset.ready = 'true';
    page.mounted.push(handle);
    return handle;
  } catch (e) {
    showFailure(el, t('loadFailed', { message: e?.message ?? String(e) }));
    return null;
  }
}

/**
 * Mounts every [data-widget] under `root` (several per page, each with its own URL namespace:
 * its data-id, or "<name><n>" for the n-th widget of that name without one).
 * @param {ReturnType<typeof createPage>} page
 * @param {ParentNode} [root]
 */
export async function mountAll(page, root = page.doc) {
  const els = [...root.querySelectorAll('[data-widget]')];
  const used = new Set();
  const counts = {};
  const jobs = els.map((el) => {
    const name = el.dataset.widget ?? '';
    counts[name] = (counts[name] ?? 0) + 1;
    const notes = [];
    let id = el.dataset.id ?? '';
    if (id && (!ID_RE.test(id) || used.has(id))) {
      const bad = id;
      notes.push((t) => t('badSetting', { key: 'data-id', value: bad, message: 'must be unique, start with a letter and use only A–Z a–z 0–9 _ -' }));
      id = '';
    }
    if (!id) {
      id = `${name.replace(/[^A-Za-z0-9_-]/g, '') || 'w'}${counts[name]}`;
      while (used.has(id)) id += '_';
    }
    used.add(id);
    return mountWidget(el, page, id, notes);
  });
  return Promise.all(jobs);
}

/**
 * embed.html: mounts the one widget named by `#widget=…` into [data-embed-root].
 * @param {ReturnType<typeof createPage>} page
 */
export async function mountEmbedPage(page) {
  const el = page.doc.querySelector('[data-embed-root]');
  if (!el) return [];
  const pairs = page.store.read();
  const name = pairs.find(([k]) => k === 'widget')?.[1] ?? '';
  el.dataset.widget = name;
  const hide = widgetState(pairs, null).hide ?? [];
  for (const sw of page.doc.querySelectorAll('[data-lang-switch]')) sw.hidden = hide.includes('lang');
  return [await mountWidget(el, page, null)];
}

function ensureCss(doc) {
  if (doc.querySelector('link[data-rnnlab-css]')) return;
  doc.head.append(h('link', { rel: 'stylesheet', href: new URL('../css/rnnlab.css', import.meta.url).href, 'data-rnnlab-css': true }));
}

async function main() {
  const doc = document;
  ensureCss(doc);
  const embed = doc.body.hasAttribute('data-embed-page');
  let page = createPage(window, { embed });
  for (const sw of doc.querySelectorAll('[data-lang-switch]')) sw.replaceChildren(buildLangSwitch(page.lang));
  const mount = () => (embed ? mountEmbedPage(page) : mountAll(page));
  await mount();
  // A hash edited by hand or a followed link (replaceState never fires this): mount afresh.
  window.addEventListener('hashchange', async () => {
    for (const w of page.mounted) w?.destroy();
    page = createPage(window, { embed, lang: page.lang });
    await mount();
  });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => { main(); }, { once: true });
  else main();
}
