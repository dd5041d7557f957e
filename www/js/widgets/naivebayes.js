// Widget "naivebayes": the lecture's Naive Bayes example, exactly — documents 1–4 (CV, NLP), test
// document 5 "Classification task uses transformer", the table P(w|c) with the fractions as
// counted (1/14 under CV; 1/10, 2/10, 1/10, 1/10 under NLP), the products 1/2 × (1/14)⁴ and
// 1/2 × 1/10 × 2/10 × 1/10 × 1/10, and the decision. Documents are editable; add-k smoothing shows
// the zero-probability problem it fixes. Numbers and the chart come from Rust (`NaiveBayesWidget`).

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, toggle, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { bareInput, block, table, textField } from '../nlp/fields.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '나이브 베이즈 문서 분류 (강의 예제)',
    docs: '학습 문서',
    docNo: '#',
    cls: '클래스',
    text: '문서',
    classLabel: '문서 {n}의 클래스',
    textLabel: '문서 {n}의 내용',
    remove: '삭제',
    removeLabel: '문서 {n} 삭제',
    addDoc: '문서 추가',
    lecture: '강의 예제로 되돌리기',
    test: '분류할 문서 (5번)',
    smoothing: 'add-k 스무딩',
    k: 'k (1 = 라플라스)',
    lowercase: '소문자로 바꾸어 세기',
    tableTitle: '5번 문서 단어의 P(w | c) (센 그대로의 분수)',
    word: '단어 w',
    countOf: 'count(w, {c})',
    probOf: 'P(w | {c})',
    vocabTitle: '전체 어휘의 표 ({n}개 단어)',
    priorsTitle: '사전 확률 P(c) = (c 문서 수) / (전체 문서 수)',
    prior: 'P({c}) = {counted} = {reduced}',
    denominator: '{c}: 단어 수 {n}{smooth}',
    smoothDen: ', 분모 = {den}',
    productsTitle: '점수 P(c) × Π P(w | c)',
    decision: '판정: {c}',
    noDecision: '판정할 수 없습니다 (모든 클래스의 점수가 같거나 0).',
    posterior: 'P({c} | 문서 5) = {p}',
    ignored: '학습 문서에 없는 단어는 곱에서 뺐습니다: {words}',
    zero: '{c} 의 점수가 0 입니다: {words} 이(가) {c} 문서에 한 번도 나오지 않아 P(w | {c}) = 0 이고, 곱 전체가 0 이 됩니다 (0 확률 문제). add-k 스무딩을 켜 보세요.',
    zeroFixed: '스무딩을 켜면 처음 보는 단어도 k / (단어 수 + k|V|) 의 작은 확률을 받아 곱이 0 이 되지 않습니다.',
    overflow: '분수가 너무 커져서(128비트 정수 초과) 로그 확률의 합으로 비교했습니다.',
    chart: '클래스별 log₁₀ 점수 막대 그래프 (0 확률은 −∞)',
    point: '나이브 베이즈는 단어들이 서로 독립이라고 가정하고 P(c) 와 각 단어의 P(w | c) 를 곱합니다. 한 단어라도 어떤 클래스에서 본 적이 없으면 그 클래스의 곱이 0 이 되므로, 실제로는 add-k (라플라스) 스무딩과 로그 확률을 씁니다.',
    readout: '{c}: log₁₀ 점수 = {v}',
  },
  en: {
    title: 'Naive Bayes document classification (the lecture’s example)',
    docs: 'Training documents',
    docNo: '#',
    cls: 'Class',
    text: 'Document',
    classLabel: 'Class of document {n}',
    textLabel: 'Text of document {n}',
    remove: 'Remove',
    removeLabel: 'Remove document {n}',
    addDoc: 'Add a document',
    lecture: 'Back to the lecture’s example',
    test: 'Document to classify (no. 5)',
    smoothing: 'Add-k smoothing',
    k: 'k (1 = Laplace)',
    lowercase: 'Lower-case before counting',
    tableTitle: 'P(w | c) for the words of document 5 (fractions as counted)',
    word: 'word w',
    countOf: 'count(w, {c})',
    probOf: 'P(w | {c})',
    vocabTitle: 'The whole vocabulary ({n} words)',
    priorsTitle: 'Priors P(c) = (documents of c) / (all documents)',
    prior: 'P({c}) = {counted} = {reduced}',
    denominator: '{c}: {n} words{smooth}',
    smoothDen: ', denominator = {den}',
    productsTitle: 'Scores P(c) × Π P(w | c)',
    decision: 'Decision: {c}',
    noDecision: 'No decision (the classes tie, or every score is 0).',
    posterior: 'P({c} | document 5) = {p}',
    ignored: 'Words never seen in training are left out of the products: {words}',
    zero: 'The score of {c} is 0: {words} never appear(s) in a {c} document, so P(w | {c}) = 0 and the whole product is 0 (the zero-probability problem). Turn on add-k smoothing.',
    zeroFixed: 'With smoothing, an unseen word gets the small probability k / (words + k|V|), so no product is 0.',
    overflow: 'The fractions grew beyond 128-bit integers, so the scores are compared as sums of log-probabilities.',
    chart: 'Bar chart of log₁₀ score per class (a zero probability is −∞)',
    point: 'Naive Bayes assumes the words are independent given the class and multiplies P(c) by each word’s P(w | c). One word never seen in a class makes that class’s product 0, which is why practice uses add-k (Laplace) smoothing and log-probabilities.',
    readout: '{c}: log₁₀ score = {v}',
  },
};

/** Names accepted in `hide`. */
export const controls = ['docs', 'test', 'smoothing', 'k', 'lowercase', 'lecture', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 1500;

const TEX = String.raw`\hat c=\arg\max_c\,P(c)\prod_i P(w_i\mid c),\qquad P(w\mid c)=\frac{\mathrm{count}(w,c)+k}{\sum_{w'}\mathrm{count}(w',c)+k\,|V|}`;

/** `class | text` lines ↔ [{cls, text}] (the Rust side checks them again). */
const parseDocs = (s) => s.split('\n').filter((l) => l.trim()).map((l) => {
  const i = l.indexOf('|');
  return i < 0 ? { cls: '', text: l.trim() } : { cls: l.slice(0, i).trim(), text: l.slice(i + 1).trim() };
});
const joinDocs = (docs) => docs.map((d) => `${d.cls.replace(/[|\n]/g, ' ').trim()} | ${d.text.replace(/\n/g, ' ').trim()}`).join('\n');

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.NaiveBayesWidget.parseConfig(ctx.pairs);
  const widget = new wasm.NaiveBayesWidget({ ...parsed.config, lang: ctx.lang.get() });
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  let applyError = null;
  let view = null;
  const hide = ctx.hide;

  const apply = (change) => {
    try {
      widget.setConfig({ ...widget.config(), ...change, lang: ctx.lang.get() });
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

  // Documents editor: one row per document (class, text, remove).
  let docs = parseDocs(widget.config().docs);
  const docRows = h('tbody');
  const docHead = h('thead');
  const docsTable = h('table', { class: 'rl-table rl-docs' }, docHead, docRows);
  const commitDocs = () => apply({ docs: joinDocs(docs) });
  const renderDocs = () => {
    // Keep what is typed but not yet committed (e.g. across a language switch).
    docRows.querySelectorAll('tr').forEach((tr, i) => {
      const [c, x] = tr.querySelectorAll('input');
      if (docs[i] && c && x) { docs[i].cls = c.value; docs[i].text = x.value; }
    });
    docHead.replaceChildren(h('tr', {}, h('th', { text: t('docNo'), scope: 'col' }), h('th', { text: t('cls'), scope: 'col' }), h('th', { text: t('text'), scope: 'col' }), h('th', { text: '', scope: 'col' })));
    docRows.replaceChildren(...docs.map((d, i) => {
      const n = i + 1;
      const c = bareInput({ name: `class${n}`, ariaLabel: () => t('classLabel', { n }), value: d.cls, size: 6, onCommit: (v) => { docs[i].cls = v; commitDocs(); } });
      const x = bareInput({ name: `doc${n}`, ariaLabel: () => t('textLabel', { n }), value: d.text, onCommit: (v) => { docs[i].text = v; commitDocs(); } });
      const rm = h('button', { type: 'button', class: 'rl-button rl-plain rl-small', 'aria-label': t('removeLabel', { n }), text: '×',
        on: { click: () => { docs.splice(i, 1); renderDocs(); commitDocs(); } } });
      return h('tr', {}, h('td', { text: String(n) }), h('td', { class: 'rl-cls' }, c.input), h('td', { class: 'rl-doc' }, x.input), h('td', {}, rm));
    }));
  };
  const addDoc = button({ name: 'add-doc', label: () => t('addDoc'), onClick: () => { docs.push({ cls: docs.at(-1)?.cls ?? 'A', text: '' }); renderDocs(); docRows.querySelector('tr:last-child input[name^="doc"]')?.focus(); } });
  const lectureButton = button({ name: 'lecture', label: () => t('lecture'), hide, onClick: () => {
    docs = parseDocs(wasm.NaiveBayesWidget.lectureDocs());
    renderDocs();
    testField.set('Classification task uses transformer');
    apply({ docs: joinDocs(docs), test: 'Classification task uses transformer', smoothing: false, k: 1, lowercase: true });
    smoothToggle.set(false); kSlider.set(1); lowerToggle.set(true);
  } });
  const docsBlock = block(() => t('docs'), h('div', { class: 'rl-scroll' }, docsTable), h('div', { class: 'rl-buttons' }, addDoc.el, lectureButton.el));
  docsBlock.el.dataset.control = 'docs';
  docsBlock.el.hidden = hide.has('docs');
  const testField = textField({ name: 'test', label: () => t('test'), value: widget.config().test, hide, onCommit: (v) => apply({ test: v }) });

  // Results.
  const tableBox = h('div', { class: 'rl-scroll', dataset: { role: 'pwc' } });
  const tableBlock = block(() => t('tableTitle'), tableBox);
  const priors = h('div', { dataset: { role: 'priors' } });
  const priorsBlock = block(() => t('priorsTitle'), priors);
  const products = h('div', { dataset: { role: 'products' } });
  const decision = h('p', { class: 'rl-result', role: 'status', dataset: { role: 'decision' } });
  const notes = h('div', { dataset: { role: 'notes' } });
  const productsBlock = block(() => t('productsTitle'), products, decision, notes);
  const vocabSummary = h('summary');
  const vocabBox = h('div', { class: 'rl-scroll' });
  const vocab = h('details', { class: 'rl-block' }, vocabSummary, vocabBox);
  const chart = createChart({
    label: () => t('chart'),
    aspect: 0.5, minHeight: 220, maxHeight: 360,
    draw: (c, s) => widget.draw(c, s),
    readout: (x) => {
      const c = view?.classes[Math.floor(x)];
      return c ? t('readout', { c: c.name, v: c.log10 === null ? '−∞' : fmt(c.log10, 3) }) : null;
    },
    onError: (e) => shell.banner.show('error', e.message),
  });
  shell.figure.append(docsBlock.el, testField.el, tableBlock.el, priorsBlock.el, productsBlock.el, chart.el, vocab);

  // Controls.
  const cfg = widget.config();
  const smoothToggle = toggle({ name: 'smoothing', label: () => t('smoothing'), checked: cfg.smoothing, hide, onChange: (on) => apply({ smoothing: on }) });
  const kSlider = slider({ name: 'k', label: () => t('k'), min: 0.1, max: 3, step: 0.1, value: cfg.k, hide, format: (v) => fmt(v, 1), onChange: (v) => apply({ k: Math.round(v * 10) / 10 }) });
  const lowerToggle = toggle({ name: 'lowercase', label: () => t('lowercase'), checked: cfg.lowercase, hide, onChange: (on) => apply({ lowercase: on }) });
  const math = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  shell.controls.append(smoothToggle.el, kSlider.el, lowerToggle.el);
  renderMath(math, TEX).catch((e) => shell.banner.show('error', e.message));
  const point = h('p', { class: 'rl-point' });
  shell.below.append(math, point);

  function render() {
    if (!view) {
      for (const el of [tableBox, priors, products, notes, vocabBox]) el.replaceChildren();
      decision.textContent = '';
      decision.className = 'rl-result';
      decision.hidden = true;
      return;
    }
    const { report, classes } = view;
    const cls = classes.map((c) => c.name);
    const testWords = report.test_tokens.filter((w) => !report.ignored_words.includes(w));
    const rowOf = (w) => report.table.find((r) => r.word === w);
    const probCell = (p) => ({ text: p.unreduced, class: p.reduced.num === '0' ? 'rl-zero' : undefined, title: p.reduced.text });
    // The lecture's table: one fraction per class, written as counted (count / words of c).
    tableBox.replaceChildren(table([t('word'), ...cls.map((c) => t('probOf', { c }))], testWords.map((w) => {
      const r = rowOf(w);
      return [w, ...r.probs.map(probCell)];
    }), { rowHeaders: true }));
    const head = [t('word'), ...cls.flatMap((c) => [t('countOf', { c }), t('probOf', { c })])];
    priors.replaceChildren(...report.classes.map((c) => h('div', { text: t('prior', { c: c.name, counted: c.prior.unreduced, reduced: c.prior.reduced.text }) })),
      ...report.classes.map((c) => h('div', { class: 'rl-hint', text: t('denominator', { c: c.name, n: c.word_count, smooth: report.smoothing ? t('smoothDen', { den: c.denominator }) : '' }) })));
    products.replaceChildren(...classes.map((c) => {
      const parts = [`P(${c.name}) × Π = ${c.expression}`];
      if (c.power) parts.push(c.power);
      if (c.exact !== null) parts.push(c.exact);
      return h('p', { class: 'rl-product', dataset: { cls: c.name } }, h('span', { text: `${parts.join(' = ')} ≈ ${c.decimal}` }));
    }));
    decision.hidden = false;
    decision.className = `rl-result ${report.decision ? 'rl-ok' : 'rl-fail'}`;
    const post = classes.filter((c) => c.posterior !== null).map((c) => t('posterior', { c: c.name, p: c.posterior_exact ? `${c.posterior_exact} ≈ ${fmt(c.posterior, 4)}` : fmt(c.posterior, 4) }));
    decision.textContent = [report.decision ? t('decision', { c: report.decision }) : t('noDecision'), ...post].join(' · ');
    const noteList = [];
    if (report.ignored_words.length) noteList.push(t('ignored', { words: report.ignored_words.join(', ') }));
    for (const c of classes) if (c.zero_words.length) noteList.push(t('zero', { c: c.name, words: c.zero_words.join(', ') }));
    if (report.smoothing) noteList.push(t('zeroFixed'));
    if (!report.exact) noteList.push(t('overflow'));
    notes.replaceChildren(...noteList.map((n) => h('p', { class: 'rl-hint', text: n })));
    vocabSummary.textContent = t('vocabTitle', { n: report.vocabulary.length });
    vocabBox.replaceChildren(table(head, report.table.map((r) => [
      { text: r.word, class: testWords.includes(r.word) ? 'rl-hit' : undefined },
      ...r.counts.flatMap((n, k) => [String(n), probCell(r.probs[k])]),
    ]), { rowHeaders: true }));
  }

  function update() {
    kSlider.input.disabled = !widget.config().smoothing;
    try {
      view = widget.view();
    } catch (e) {
      view = null;
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
    }
    render();
    chart.redraw();
  }

  function refresh() {
    shell.refresh();
    for (const c of [testField, smoothToggle, kSlider, lowerToggle, addDoc, lectureButton]) c.refresh();
    for (const b of [docsBlock, tableBlock, priorsBlock, productsBlock]) b.refresh();
    point.textContent = t('point');
    chart.refresh();
    renderDocs();
    render();
  }

  refresh();
  update();
  ctx.track(widget.urlPairs(), widget.config());
  const unsubscribe = ctx.lang.subscribe((lang) => {
    try { widget.setConfig({ ...widget.config(), lang }); } catch (e) { shell.banner.show('error', e.message); }
    refresh();
    chart.redraw();
  });
  return {
    destroy() {
      unsubscribe();
      chart.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
