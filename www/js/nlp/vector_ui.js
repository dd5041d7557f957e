// The word-vector panel shared by the widgets that need GloVe (`onehot`, `analogy`): status line,
// progress bar with cancel, a load button (after a cancel or an error, or before the widget is
// shown), and the credit line for the vectors with a link to data/SOURCES.md.

import { h } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createProgress } from '../ui/progress.js';
import { ROOT, whenVisible } from './load.js';
import { vectorStore } from './vectors.js';

/** Strings of the panel (both languages). */
export const VECTOR_STRINGS = {
  ko: {
    loading: 'GloVe 단어 벡터를 불러오는 중 ({mb} / {total} MB)',
    parsing: '벡터 파일을 검사하는 중…',
    ready: 'GloVe 6B 100차원: 단어 {words}개 × {dim}차원, {ms} ms 만에 준비 ({where})',
    cache: '브라우저 캐시에서',
    network: '서버에서 내려받아',
    idle: 'GloVe 단어 벡터(5.6 MB)는 이 위젯이 화면에 보이면 불러옵니다.',
    cancelled: '불러오기를 취소했습니다.',
    error: '벡터를 불러오지 못했습니다: {message}',
    load: '벡터 불러오기',
    retry: '다시 불러오기',
    cancel: '취소',
    progress: '벡터 불러오기',
    credit: '단어 벡터: GloVe (Pennington, Socher, Manning, 2014, PDDL 1.0) 6B 100차원, 자주 쓰는 5만 단어를 8비트로 줄인 것.',
    sources: '출처와 라이선스',
    waiting: '벡터를 기다리는 중…',
  },
  en: {
    loading: 'Loading the GloVe word vectors ({mb} / {total} MB)',
    parsing: 'Checking the vector file…',
    ready: 'GloVe 6B 100d: {words} words × {dim} dimensions, ready in {ms} ms ({where})',
    cache: 'from the browser cache',
    network: 'downloaded',
    idle: 'The GloVe word vectors (5.6 MB) load when this widget comes into view.',
    cancelled: 'Loading was cancelled.',
    error: 'The vectors could not be loaded: {message}',
    load: 'Load the vectors',
    retry: 'Load again',
    cancel: 'Cancel',
    progress: 'Loading the vectors',
    credit: 'Word vectors: GloVe (Pennington, Socher and Manning, 2014, PDDL 1.0), 6B 100d, the 50,000 most frequent words stored as 8-bit integers.',
    sources: 'sources and licences',
    waiting: 'waiting for the vectors…',
  },
};

/**
 * Builds the panel and starts loading when `watch` comes into view.
 * @param {object} wasm
 * @param {{lang: {get: () => string}, watch: Element, hide?: Set<string>,
 *   onReady: (handle: object) => void, onChange?: () => void}} opts
 * @returns {{el: HTMLElement, credit: HTMLElement, refresh: () => void, t: Function,
 *   store: ReturnType<typeof vectorStore>, destroy: () => void}}
 */
export function vectorPanel(wasm, opts) {
  const t = makeT(VECTOR_STRINGS, opts.lang.get);
  const store = vectorStore(wasm);
  const status = h('p', { class: 'rl-status', role: 'status' });
  const progress = createProgress({ label: () => t('progress'), cancelLabel: () => t('cancel'), onCancel: () => store.cancel() });
  const load = h('button', { type: 'button', class: 'rl-button rl-primary', dataset: { control: 'load' }, on: { click: () => start() } });
  const el = h('div', { class: 'rl-vectors', dataset: { vectors: 'idle' } }, status, progress.el, load);
  const link = h('a', { href: new URL('data/SOURCES.md', ROOT).href, target: '_blank', rel: 'noopener' });
  const creditText = h('span');
  const credit = h('p', { class: 'rl-credit' }, creditText, ' (', link, ')');
  let announced = false;

  const start = () => {
    store.ensure().then((handle) => {
      if (!announced) { announced = true; opts.onReady(handle); }
    }).catch(() => { /* shown through the state */ });
  };

  const render = () => {
    const s = store.get();
    el.dataset.vectors = s.status;
    // Whoever started the load, every panel hands the vectors to its widget once they are ready.
    if (s.status === 'ready' && !announced && store.handle()) {
      announced = true;
      queueMicrotask(() => opts.onReady(store.handle()));
    }
    const mb = (x) => (x / 1e6).toFixed(1);
    load.hidden = !['idle', 'cancelled', 'error'].includes(s.status);
    load.textContent = s.status === 'idle' ? t('load') : t('retry');
    if (s.status === 'loading') {
      progress.set(s.total ? s.received / s.total : 0, t('loading', { mb: mb(s.received), total: mb(s.total) }));
      progress.cancelButton.hidden = false;
    } else if (s.status === 'parsing') {
      progress.set(1, t('parsing'));
      progress.cancelButton.hidden = true;
    } else {
      progress.done();
    }
    if (s.status === 'ready') {
      const hnd = store.handle();
      const ms = Math.round((s.timing.fetchMs ?? 0) + (s.timing.parseMs ?? 0));
      status.textContent = t('ready', { words: hnd.words().toLocaleString('en'), dim: hnd.dim(), ms, where: s.fromCache ? t('cache') : t('network') });
    } else if (s.status === 'idle') status.textContent = t('idle');
    else if (s.status === 'cancelled') status.textContent = t('cancelled');
    else if (s.status === 'error') status.textContent = t('error', { message: s.error ?? '' });
    else status.textContent = '';
    opts.onChange?.();
  };
  const unsub = store.subscribe(render);
  const refresh = () => {
    creditText.textContent = t('credit');
    link.textContent = t('sources');
    progress.refresh();
    render();
  };
  refresh();
  if (store.handle()) {
    announced = true;
    queueMicrotask(() => opts.onReady(store.handle()));
  } else if (store.get().status === 'loading' || store.get().status === 'parsing') {
    start();
  }
  const unwatch = store.handle() ? () => {} : whenVisible(opts.watch, () => { if (store.get().status === 'idle') start(); });
  return { el, credit, refresh, t, store, destroy() { unsub(); unwatch(); } };
}

/**
 * A localised "not in the vocabulary" message with suggestions.
 * @param {object} handle WordVectorsHandle
 * @param {string} word
 * @param {'ko'|'en'} lang
 */
export function unknownWordMessage(handle, word, lang) {
  const help = handle.suggest(word);
  const ko = lang === 'ko';
  let s = ko ? `“${word}”은(는) 어휘(5만 단어)에 없습니다.` : `“${word}” is not in the vocabulary (50,000 words).`;
  if (help.lower) s += ko ? ` 이 벡터는 소문자입니다: “${help.lower}”을(를) 써 보세요.` : ` These vectors are lower-case: try “${help.lower}”.`;
  if (help.suggestions.length) s += ko ? ` 혹시: ${help.suggestions.join(', ')}?` : ` Did you mean: ${help.suggestions.join(', ')}?`;
  else if (!help.lower) s += ko ? ' 비슷한 철자의 단어도 없습니다.' : ' No word with a similar spelling either.';
  return s;
}
