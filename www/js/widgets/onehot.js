// Widget "onehot": the cosine similarity of one-hot vectors (개, 강아지, 고양이, 선생님, 학생: every
// pair 0, all orthogonal) beside that of dense GloVe vectors (dog, puppy, cat, teacher, student).
// The user can edit both word lists and add words. All numbers and charts come from Rust
// (`OneHotWidget`, `WordVectorsHandle`); this module only builds the DOM inside its root.

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { toggle, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { textField } from '../nlp/fields.js';
import { vectorPanel, unknownWordMessage } from '../nlp/vector_ui.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '원-핫 벡터와 밀집 벡터의 코사인 유사도',
    onehotTitle: '원-핫 벡터 (어휘 = 이 {n}개 단어)',
    denseTitle: '밀집 벡터 (GloVe, 100차원)',
    onehot: '원-핫 쪽 단어 (쉼표로 구분)',
    dense: 'GloVe 쪽 단어 (영어 소문자)',
    add: '단어 추가',
    addButton: '추가',
    addPlaceholder: '예: kitten',
    values: '칸에 숫자 쓰기',
    chartOne: '원-핫 벡터의 코사인 유사도 행렬: 대각선만 1, 나머지는 모두 0',
    chartDense: 'GloVe 벡터의 코사인 유사도 행렬',
    cell: 'cos({a}, {b}) = {v}',
    vectors: '원-핫 벡터',
    point: '원-핫 벡터는 서로 다른 두 단어마다 내적이 0 이라서 코사인 유사도가 항상 0 입니다. “개”는 “강아지”와도 “선생님”과도 똑같이 멀어서, 의미가 비슷한지를 전혀 담지 못합니다. 밀집 벡터(GloVe)에서는 dog–puppy 의 코사인이 dog–teacher 보다 훨씬 큽니다. 원-핫 벡터는 어휘 크기만큼 차원이 늘어나지만, 밀집 벡터는 100차원으로 고정입니다.',
    unknownHead: '벡터에 없는 단어는 행렬에서 뺐습니다:',
    alreadyThere: '“{word}”은(는) 이미 목록에 있습니다.',
    tooMany: '한쪽에 최대 12개 단어까지 넣을 수 있습니다.',
    empty: '추가할 단어를 입력하세요.',
    added: '“{word}”을(를) 추가했습니다.',
    waitVectors: '벡터를 불러온 뒤에 확인할 수 있습니다.',
  },
  en: {
    title: 'Cosine similarity: one-hot vs dense word vectors',
    onehotTitle: 'One-hot vectors (vocabulary = these {n} words)',
    denseTitle: 'Dense vectors (GloVe, 100 dimensions)',
    onehot: 'One-hot words (comma-separated)',
    dense: 'GloVe words (lower-case English)',
    add: 'Add a word',
    addButton: 'Add',
    addPlaceholder: 'e.g. kitten',
    values: 'Numbers in the cells',
    chartOne: 'Cosine-similarity matrix of one-hot vectors: 1 on the diagonal, 0 everywhere else',
    chartDense: 'Cosine-similarity matrix of GloVe vectors',
    cell: 'cos({a}, {b}) = {v}',
    vectors: 'One-hot vectors',
    point: 'Two different one-hot vectors have inner product 0, so their cosine similarity is always 0: “개” (dog) is exactly as far from “강아지” (puppy) as from “선생님” (teacher), and the representation says nothing about meaning. With dense GloVe vectors, cos(dog, puppy) is far larger than cos(dog, teacher). One-hot vectors also grow with the vocabulary; dense ones stay at 100 dimensions.',
    unknownHead: 'Words the vectors do not have are left out of the matrix:',
    alreadyThere: '“{word}” is already in the list.',
    tooMany: 'At most 12 words per side.',
    empty: 'Type a word to add.',
    added: 'Added “{word}”.',
    waitVectors: 'Words can be checked once the vectors are loaded.',
  },
};

/** Names accepted in `hide`. */
export const controls = ['onehot', 'dense', 'add', 'values', 'vectors', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 980;

const split = (s) => s.split(/[\s,;、]+/).map((w) => w.trim()).filter(Boolean);

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.OneHotWidget.parseConfig(ctx.pairs);
  const widget = new wasm.OneHotWidget({ ...parsed.config, lang: ctx.lang.get() });
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  let vectors = null;
  let applyError = null;

  // The shared GloVe vectors: loaded when the widget comes into view.
  const panel = vectorPanel(wasm, {
    lang: ctx.lang, watch: root,
    onReady: (handle) => { vectors = handle; update(); },
  });

  // Two matrices side by side.
  let oneData = null;
  let denseData = null;
  const cellText = (data, x, y) => {
    if (!data) return null;
    const n = data.words.length;
    const i = Math.floor(y);
    const j = Math.floor(x);
    if (i < 0 || j < 0 || i >= n || j >= n) return null;
    return t('cell', { a: data.words[i], b: data.words[j], v: fmt(data.values[i * n + j], 3) });
  };
  const oneChart = createChart({
    label: () => t('chartOne'),
    aspect: 0.78, minHeight: 260, maxHeight: 520,
    draw: (c, s) => widget.drawOneHot(c, s),
    readout: (x, y) => cellText(oneData, x, y),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const denseChart = createChart({
    label: () => t('chartDense'),
    aspect: 0.78, minHeight: 260, maxHeight: 520,
    draw: (c, s) => (vectors ? widget.drawDense(c, s, vectors) : widget.drawWaiting(c, s, panel.t('waiting'))),
    readout: (x, y) => cellText(denseData?.matrix, x, y),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const oneHead = h('h4', { class: 'rl-subtitle' });
  const denseHead = h('h4', { class: 'rl-subtitle' });
  // Gets the message classes only while shown (hidden messages must not count as messages).
  const unknownBox = h('div', { class: 'rl-inline', role: 'alert', hidden: true });
  shell.figure.append(h('div', { class: 'rl-two' },
    h('div', {}, oneHead, oneChart.el),
    h('div', {}, denseHead, denseChart.el, unknownBox)));

  // Controls.
  const apply = (change) => {
    const next = { ...widget.config(), ...change, lang: ctx.lang.get() };
    try {
      widget.setConfig(next);
    } catch (e) {
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
      return false;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    update();
    return true;
  };
  const cfg = widget.config();
  const onehotField = textField({ name: 'onehot', label: () => t('onehot'), value: cfg.onehot, hide: ctx.hide, onCommit: (v) => onehotField.invalid(apply({ onehot: v }) ? null : 'bad') });
  const denseField = textField({ name: 'dense', label: () => t('dense'), value: cfg.dense, hide: ctx.hide, onCommit: (v) => denseField.invalid(apply({ dense: v }) ? null : 'bad') });
  const addNote = h('p', { class: 'rl-hint', role: 'status' });
  const addWord = () => {
    const w = addField.input.value.trim();
    const list = split(widget.config().dense);
    if (!w) { addNote.textContent = t('empty'); return; }
    if (!vectors) { addNote.textContent = t('waitVectors'); return; }
    const word = vectors.has(w) ? w : vectors.has(w.toLowerCase()) ? w.toLowerCase() : null;
    if (!word) { addNote.textContent = unknownWordMessage(vectors, w, ctx.lang.get()); return; }
    if (list.includes(word)) { addNote.textContent = t('alreadyThere', { word }); return; }
    if (list.length >= 12) { addNote.textContent = t('tooMany'); return; }
    const next = [...list, word].join(',');
    if (apply({ dense: next })) {
      denseField.set(next);
      addField.set('');
      addNote.textContent = t('added', { word });
    }
  };
  const addField = textField({ name: 'add', label: () => t('add'), value: '', hide: ctx.hide, placeholder: () => t('addPlaceholder'), delay: 1e9, onCommit: () => {} });
  addField.input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) addWord(); });
  const addButton = button({ name: 'add-button', label: () => t('addButton'), onClick: addWord });
  addButton.el.hidden = ctx.hide.has('add');
  const valuesToggle = toggle({ name: 'values', label: () => t('values'), checked: cfg.values, hide: ctx.hide, onChange: (on) => apply({ values: on }) });
  panel.el.hidden = ctx.hide.has('vectors');
  shell.controls.append(onehotField.el, denseField.el, h('div', { class: 'rl-add' }, addField.el, addButton.el), addNote, valuesToggle.el, panel.el);

  // Below: the one-hot vectors written out, the lecture's point, the credit line.
  const vecHead = h('h4', { class: 'rl-subtitle' });
  const vecList = h('div', { class: 'rl-mono', dataset: { role: 'onehot-vectors' } });
  const point = h('p', { class: 'rl-point' });
  shell.below.append(vecHead, vecList, point, panel.credit);

  function update() {
    try {
      oneData = widget.oneHot();
    } catch (e) {
      oneData = null;
      shell.banner.show('error', e.message);
    }
    vecList.replaceChildren(...(oneData?.words ?? []).map((w, i) => h('div', { text: `${w} = [${oneData.vectors[i].join(', ')}]` })));
    if (vectors) {
      try {
        denseData = widget.denseView(vectors);
      } catch (e) {
        denseData = null;
        shell.banner.show('error', e.message);
      }
    }
    const unknown = denseData?.unknown ?? [];
    unknownBox.hidden = !unknown.length;
    unknownBox.className = unknown.length ? 'rl-message rl-error rl-inline' : 'rl-inline';
    unknownBox.replaceChildren(h('div', { text: t('unknownHead') }),
      ...unknown.map((u) => h('div', { text: unknownWordMessage(vectors, u.word, ctx.lang.get()) })));
    denseField.invalid(unknown.length ? 'unknown' : null);
    refreshTexts();
    oneChart.redraw();
    denseChart.redraw();
  }

  function refreshTexts() {
    shell.refresh();
    for (const c of [onehotField, denseField, addField, addButton, valuesToggle]) c.refresh();
    panel.refresh();
    oneHead.textContent = t('onehotTitle', { n: oneData?.words.length ?? 0 });
    denseHead.textContent = t('denseTitle');
    vecHead.textContent = t('vectors');
    point.textContent = t('point');
    oneChart.refresh();
    denseChart.refresh();
  }

  update();
  ctx.track(widget.urlPairs(), widget.config());
  const unsubscribe = ctx.lang.subscribe((lang) => {
    try { widget.setConfig({ ...widget.config(), lang }); } catch (e) { shell.banner.show('error', e.message); }
    update();
  });

  return {
    destroy() {
      unsubscribe();
      panel.destroy();
      oneChart.destroy();
      denseChart.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
