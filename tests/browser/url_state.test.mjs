// Pure functions of www/js/url_state.js and www/js/i18n.js, run in Node (no browser needed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, replaceWidgetState, serialiseHash, setPageKey, splitList, widgetState } from '../../www/js/url_state.js';
import { createLangState, makeT, normaliseLang } from '../../www/js/i18n.js';

test('parseHash decodes, keeps order, keeps "+" and survives bad escapes', () => {
  assert.deepEqual(parseHash('#act1.seed=3&act1.hide=range&lang=ko'), [['act1.seed', '3'], ['act1.hide', 'range'], ['lang', 'ko']]);
  assert.deepEqual(parseHash('#x=1e+3&label=a%20b%26c&flag&bad=%E0%A4%A'), [['x', '1e+3'], ['label', 'a b&c'], ['flag', ''], ['bad', '%E0%A4%A']]);
  assert.deepEqual(parseHash(''), []);
  assert.deepEqual(parseHash('#'), []);
});

test('serialiseHash round-trips through parseHash and keeps commas readable', () => {
  const pairs = [['act1.hide', 'range,derivative'], ['label', 'a b&c=d#e'], ['x', '-0.5'], ['lang', 'en']];
  const s = serialiseHash(pairs);
  assert.equal(s, '#act1.hide=range,derivative&label=a%20b%26c%3Dd%23e&x=-0.5&lang=en');
  assert.deepEqual(parseHash(s), pairs);
  assert.equal(serialiseHash([]), '');
});

test('widgetState picks one namespace (or plain keys on embed.html) and splits hide', () => {
  const all = parseHash('#widget=activations&act1.x_min=-2&act1.hide=range, tanh&act2.relu=true&x_max=3&hide=derivative&lang=en');
  assert.deepEqual(widgetState(all, 'act1'), { pairs: [['x_min', '-2']], hide: ['range', 'tanh'] });
  assert.deepEqual(widgetState(all, 'act2'), { pairs: [['relu', 'true']], hide: null });
  assert.deepEqual(widgetState(all, 'act3'), { pairs: [], hide: null });
  assert.deepEqual(widgetState(all, null), { pairs: [['x_max', '3']], hide: ['derivative'] });
  // "act10" must not match the "act1" namespace.
  assert.deepEqual(widgetState(parseHash('#act10.x=1'), 'act1').pairs, []);
});

test('replaceWidgetState rewrites one widget in place and leaves the rest alone', () => {
  const all = parseHash('#lang=ko&act1.x=1&act1.y=2&act2.x=5');
  assert.deepEqual(replaceWidgetState(all, 'act1', [['x', '3'], ['z', 'q']], ['range']),
    [['lang', 'ko'], ['act1.x', '3'], ['act1.z', 'q'], ['act1.hide', 'range'], ['act2.x', '5']]);
  assert.deepEqual(replaceWidgetState(all, 'act3', [['x', '0']], []), [...all, ['act3.x', '0']]);
  const plain = parseHash('#widget=activations&x=1&lang=en');
  assert.deepEqual(replaceWidgetState(plain, null, [['x', '2']], []), [['widget', 'activations'], ['x', '2'], ['lang', 'en']]);
});

test('setPageKey sets, replaces in place and removes', () => {
  const all = parseHash('#a.x=1&lang=ko&b.y=2');
  assert.deepEqual(setPageKey(all, 'lang', 'en'), [['a.x', '1'], ['lang', 'en'], ['b.y', '2']]);
  assert.deepEqual(setPageKey(parseHash('#a.x=1'), 'lang', 'en'), [['a.x', '1'], ['lang', 'en']]);
  assert.deepEqual(setPageKey(all, 'lang', null), [['a.x', '1'], ['b.y', '2']]);
  assert.deepEqual(splitList(' a, ,b '), ['a', 'b']);
  assert.deepEqual(splitList(['x', ' y ']), ['x', 'y']);
});

test('i18n: normaliseLang, makeT fallbacks and placeholders, observable language', () => {
  assert.equal(normaliseLang('ko-KR'), 'ko');
  assert.equal(normaliseLang('EN'), 'en');
  assert.equal(normaliseLang('fr'), null);
  assert.equal(normaliseLang(undefined), null);
  const state = createLangState('ko');
  const t = makeT({ ko: { hi: '안녕 {name}' }, en: { hi: 'Hi {name}', only: 'English only' } }, state.get);
  assert.equal(t('hi', { name: 'RNN' }), '안녕 RNN');
  assert.equal(t('only'), 'English only');
  assert.equal(t('missing'), 'missing');
  const seen = [];
  const off = state.subscribe((l) => seen.push(l));
  assert.equal(state.set('en'), true);
  assert.equal(state.set('en'), false);
  assert.equal(state.set('de'), false);
  off();
  state.set('ko');
  assert.deepEqual(seen, ['en']);
  assert.equal(t('hi', { name: 'x' }), '안녕 x');
});
