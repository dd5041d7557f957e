// Korean/English strings. Each widget keeps one table `{ko: {...}, en: {...}}`; `makeT` turns it
// into a `t(key, vars)` function bound to the page language. The page language is one small
// observable value: the language switch (and `#lang=`) sets it, every mounted widget listens.

import { h } from './ui/dom.js';

/** Supported languages; the first is the default (the lecture is Korean). */
export const LANGS = Object.freeze(['ko', 'en']);

/**
 * @param {unknown} v e.g. "en", "ko-KR"
 * @returns {'ko'|'en'|null}
 */
export function normaliseLang(v) {
  const s = String(v ?? '').trim().toLowerCase().slice(0, 2);
  return LANGS.includes(s) ? /** @type {'ko'|'en'} */ (s) : null;
}

/**
 * Makes a translator for one table. Missing keys fall back to English, then to the key itself.
 * `{name}` placeholders are filled from `vars`.
 * @param {Record<string, Record<string, string>>} table
 * @param {() => string} getLang
 * @returns {(key: string, vars?: Record<string, unknown>) => string}
 */
export function makeT(table, getLang) {
  return (key, vars = {}) => {
    const s = table[getLang()]?.[key] ?? table.en?.[key] ?? key;
    return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  };
}

/**
 * An observable page language.
 * @param {'ko'|'en'} initial
 * @returns {{get: () => 'ko'|'en', set: (lang: string) => boolean,
 *   subscribe: (fn: (lang: 'ko'|'en') => void) => () => void}}
 */
export function createLangState(initial) {
  let lang = normaliseLang(initial) ?? LANGS[0];
  const subs = new Set();
  return {
    get: () => lang,
    set(next) {
      const n = normaliseLang(next);
      if (!n || n === lang) return false;
      lang = n;
      for (const fn of [...subs]) fn(lang);
      return true;
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

/** Strings shared by all widgets (share tools, messages). */
export const COMMON = Object.freeze({
  ko: {
    copyLink: '링크 복사',
    embedCode: '임베드 코드',
    copied: '복사했습니다',
    copyFailed: '자동 복사가 막혀 있습니다. 아래 칸에서 직접 복사하세요.',
    linkLabel: '이 상태로 여는 링크',
    divLabel: '웹페이지에 넣기 (<div> + 스크립트)',
    iframeLabel: '학습 플랫폼에 넣기 (<iframe>)',
    copy: '복사',
    badSetting: '설정 {key}={value} 을(를) 쓸 수 없어 기본값을 씁니다: {message}',
    badAll: '설정을 쓸 수 없어 모두 기본값으로 되돌렸습니다: {message}',
    badConfigJson: 'data-config 가 올바른 JSON 이 아닙니다 ({message}). 기본 설정을 씁니다.',
    unknownHide: 'hide 에 모르는 컨트롤 이름이 있습니다: {names} (가능: {known})',
    unknownWidget: '모르는 위젯입니다: "{name}" (가능: {known})',
    loadFailed: '위젯을 불러오지 못했습니다: {message}',
    language: '언어',
  },
  en: {
    copyLink: 'Copy link',
    embedCode: 'Embed code',
    copied: 'Copied',
    copyFailed: 'Automatic copying is blocked here. Copy from the boxes below.',
    linkLabel: 'Link that opens this state',
    divLabel: 'In a web page (<div> + script)',
    iframeLabel: 'In a learning platform (<iframe>)',
    copy: 'Copy',
    badSetting: 'Setting {key}={value} cannot be used; the default is used instead: {message}',
    badAll: 'The settings cannot be used; all were reset to defaults: {message}',
    badConfigJson: 'data-config is not valid JSON ({message}). Using the default settings.',
    unknownHide: 'hide names unknown controls: {names} (known: {known})',
    unknownWidget: 'Unknown widget "{name}" (known: {known})',
    loadFailed: 'The widget could not be loaded: {message}',
    language: 'Language',
  },
});

/**
 * Builds a two-button language switch bound to `state`.
 * @param {ReturnType<typeof createLangState>} state
 * @returns {HTMLElement}
 */
export function buildLangSwitch(state) {
  const names = { ko: '한국어', en: 'English' };
  const buttons = LANGS.map((l) => h('button', {
    type: 'button', class: 'rl-button rl-plain', lang: l, dataset: { lang: l }, text: names[l],
    on: { click: () => state.set(l) },
  }));
  const el = h('div', { class: 'rl-lang-switch', role: 'group' }, ...buttons);
  const sync = (lang) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    el.setAttribute('aria-label', makeT(COMMON, () => lang)('language'));
  };
  sync(state.get());
  state.subscribe(sync);
  return el;
}
