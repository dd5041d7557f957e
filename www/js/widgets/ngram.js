// Widget "ngram": n-gram language models counted from a corpus (tiny-shakespeare, the lecture's
// Korean sentences, or the user's text), n = 1…5: P(w | context) for a typed context (the
// lecture's "students opened their" with 1000 / 400 / 100 as a preset table), sparsity and storage
// by n, add-k smoothing and backoff, generation, held-out perplexity — and, on the same held-out
// characters, a character n-gram against the character LSTM of the training lab. All counting,
// math and charts are Rust (`NgramWidget`); long work runs in chunks between frames.

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, select, toggle, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { createProgress } from '../ui/progress.js';
import { block, table, textField } from '../nlp/fields.js';
import { fetchText, isAbort, runInFrames, whenVisible } from '../nlp/load.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: 'n-gram 언어 모델',
    corpus: '말뭉치',
    shakespeare: 'tiny-shakespeare (영어, 1.1 MB)',
    korean: '강의의 한국어 문장',
    custom: '직접 입력한 글',
    text: '글 (한 줄에 한 문장, 마지막 10% 줄은 검증용)',
    textPlaceholder: '예: 나는 수학을 공부한다',
    unit: '단위',
    word: '단어',
    char: '글자',
    n: 'n (차수)',
    k: 'add-k 의 k (0 = 최대우도)',
    backoff: '백오프 (처음 보는 문맥이면 더 짧은 문맥 사용)',
    length: '생성할 토큰 수',
    seed: '시드',
    context: '문맥 (앞 단어들)',
    presets: '예시 문맥',
    counting: '세는 중 {pct}%',
    fetching: '말뭉치를 내려받는 중 ({mb} MB)',
    progress: '진행',
    cancel: '취소',
    info: '|V| = {v} (</s>, <unk> 포함) · 학습 토큰 {n}개 · 검증 {h}줄',
    lectureTitle: '강의 예제: “students opened their ___” (슬라이드의 횟수)',
    lectureLine: 'count(students opened their) = {c}',
    live: 'P(w | 문맥): 이 말뭉치에서 센 값',
    used: '사용한 문맥: “{ctx}” ({n}-gram 횟수, 문맥 횟수 {c})',
    next: '다음 토큰 w',
    count: '횟수',
    fraction: '분수',
    prob: 'P(w | 문맥)',
    other: '(그 밖의 모든 토큰)',
    backedOff: '“{req}”은(는) 학습 글에 문맥으로 나온 적이 없어 “{used}”(으)로 백오프했습니다.',
    unseenCtx: '“{req}”은(는) 학습 글에 없는 문맥이라 P(w | 문맥) = 0/0 입니다. 백오프나 스무딩을 켜세요.',
    generate: '이어서 생성',
    generated: '생성한 글',
    ppTitle: '검증 글의 perplexity',
    pp: 'perplexity = {pp} ({unit}당, 예측 토큰 {n}개, 처음 보는 토큰 {u}개) · {bits} 비트/{unit}',
    ppInf: 'perplexity = ∞: 확률 0 인 토큰 {z}개, 분포가 없는 문맥 {d}개. add-k 스무딩을 켜면 유한해집니다.',
    ppNone: '검증용 줄이 없습니다 (두 줄 이상 필요).',
    perWord: '단어',
    perChar: '글자',
    ppNote: '단어당 perplexity 와 글자당 perplexity 는 비교할 수 없습니다: 단어 하나는 여러 글자이므로 대략 PP(단어) ≈ PP(글자)^(단어당 글자 수) 입니다. 같은 것을 예측하는 모델끼리만 비교하세요.',
    sparsity: '희소성: 학습에 없던 검증 n-gram 의 비율',
    storage: '저장: 서로 다른 n-gram 의 수',
    sparsityChart: 'n 에 따른, 학습에서 본 적 없는 검증 n-gram 의 비율 막대 그래프',
    storageChart: 'n 에 따른 서로 다른 n-gram 수 막대 그래프 (로그 눈금)',
    compare: 'RNN 과 비교: 같은 검증 글자에서 글자당 perplexity',
    compareRun: '글자 LSTM 과 비교하기',
    compareChars: '검증 글자 수 (앞부분)',
    cmpK: '글자 n-gram 의 k',
    loadingModel: 'LSTM 모델을 내려받는 중 ({mb} MB)',
    cmpCounting: '글자 n-gram 을 세는 중 {pct}%',
    cmpScoring: 'LSTM 이 글자 {done} / {total} 를 예측하는 중',
    cmpChart: '글자 n-gram (n = 1…5) 과 LSTM 의 글자당 perplexity 막대 그래프',
    cmpWaiting: '“글자 LSTM 과 비교하기”를 누르세요',
    cmpModel: '모델',
    cmpPP: '글자당 perplexity',
    cmpN: '예측한 글자 수',
    cmpNote: '둘 다 tiny-shakespeare 의 앞 90% 글자로 학습했고, 뒤 10% 중 앞 {chars}글자에서 잽니다 (대소문자와 줄바꿈 포함, 같은 글자들). n-gram 은 첫 글자(<s> 다음)와 </s> 도 예측해서 N 이 2 많습니다. LSTM 은 H = 256, 4만 스텝 학습 (data/models/shakespeare-char-lstm.json). 글자 n-gram 은 백오프 + add-k.',
    point: 'n 을 키우면 문맥을 더 많이 보지만, 가능한 n-gram 의 수가 |V|ⁿ 으로 늘어 대부분을 한 번도 보지 못합니다 (희소성) — 저장할 n-gram 도 늘어납니다. 처음 보는 n-gram 은 확률 0 이라 perplexity 가 ∞ 가 되므로 스무딩과 백오프가 필요합니다. RNN 은 고정된 크기의 은닉 상태로 앞의 모든 글자를 요약해서, 같은 글자에서 n-gram 보다 낮은 perplexity 를 얻습니다.',
    readoutBar: '{n}-gram',
  },
  en: {
    title: 'n-gram language models',
    corpus: 'Corpus',
    shakespeare: 'tiny-shakespeare (English, 1.1 MB)',
    korean: 'the lecture’s Korean sentences',
    custom: 'my own text',
    text: 'Text (one sentence per line; the last 10% of lines are held out)',
    textPlaceholder: 'e.g. the students opened their books',
    unit: 'Unit',
    word: 'words',
    char: 'characters',
    n: 'n (order)',
    k: 'k of add-k (0 = maximum likelihood)',
    backoff: 'Backoff (an unseen context uses a shorter one)',
    length: 'Tokens to generate',
    seed: 'Seed',
    context: 'Context (the words before)',
    presets: 'Example contexts',
    counting: 'Counting {pct}%',
    fetching: 'Downloading the corpus ({mb} MB)',
    progress: 'Progress',
    cancel: 'Cancel',
    info: '|V| = {v} (with </s>, <unk>) · {n} training tokens · {h} held-out lines',
    lectureTitle: 'The lecture’s example: “students opened their ___” (counts from the slide)',
    lectureLine: 'count(students opened their) = {c}',
    live: 'P(w | context), counted in this corpus',
    used: 'Context used: “{ctx}” ({n}-gram counts, context count {c})',
    next: 'next token w',
    count: 'count',
    fraction: 'fraction',
    prob: 'P(w | context)',
    other: '(all other tokens)',
    backedOff: '“{req}” never occurs as a context in the training text, so the model backs off to “{used}”.',
    unseenCtx: '“{req}” is a context never seen in the training text, so P(w | context) = 0/0. Turn on backoff or smoothing.',
    generate: 'Generate',
    generated: 'Generated text',
    ppTitle: 'Perplexity of the held-out text',
    pp: 'perplexity = {pp} (per {unit}; {n} tokens predicted, {u} unknown) · {bits} bits per {unit}',
    ppInf: 'perplexity = ∞: {z} token(s) with probability 0, {d} context(s) without a distribution. Add-k smoothing makes it finite.',
    ppNone: 'No held-out lines (needs two or more lines).',
    perWord: 'word',
    perChar: 'character',
    ppNote: 'A per-word perplexity is not comparable with a per-character one: a word is several characters, roughly PP(word) ≈ PP(char)^(characters per word). Compare only models that predict the same things.',
    sparsity: 'Sparsity: held-out n-grams never seen in training',
    storage: 'Storage: distinct n-grams',
    sparsityChart: 'Bar chart of the share of held-out n-grams never seen in training, by n',
    storageChart: 'Bar chart of the number of distinct n-grams by n (log scale)',
    compare: 'Against an RNN: perplexity per character on the same held-out characters',
    compareRun: 'Compare with the character LSTM',
    compareChars: 'Held-out characters (prefix)',
    cmpK: 'k of the character n-grams',
    loadingModel: 'Downloading the LSTM model ({mb} MB)',
    cmpCounting: 'Counting character n-grams {pct}%',
    cmpScoring: 'LSTM predicting character {done} / {total}',
    cmpChart: 'Bar chart of per-character perplexity: character n-grams (n = 1…5) and the LSTM',
    cmpWaiting: 'press “Compare with the character LSTM”',
    cmpModel: 'model',
    cmpPP: 'perplexity per character',
    cmpN: 'characters predicted',
    cmpNote: 'Both learned from the first 90% of tiny-shakespeare’s characters and are scored on the first {chars} characters of the last 10% (case and line breaks kept: the same characters). The n-grams also predict the first character (after <s>) and </s>, so their N is 2 larger. The LSTM has H = 256 and 40,000 training steps (data/models/shakespeare-char-lstm.json). The character n-grams use backoff and add-k.',
    point: 'A larger n sees more context, but the number of possible n-grams grows as |V|ⁿ and most are never seen (sparsity) — and more distinct n-grams must be stored. An unseen n-gram has probability 0 and makes the perplexity infinite, hence smoothing and backoff. An RNN sums up all previous characters in a hidden state of fixed size and reaches a lower perplexity than any n-gram on the same characters.',
    readoutBar: '{n}-gram',
  },
};

/** Names accepted in `hide`. */
export const controls = ['corpus', 'text', 'unit', 'n', 'k', 'backoff', 'context', 'length', 'seed', 'generate', 'compare', 'cmp_chars', 'cmp_k', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 2400;

const TEX = String.raw`P(w\mid w_{t-n+1:t-1})=\frac{\mathrm{count}(w_{t-n+1:t-1},\,w)+k}{\mathrm{count}(w_{t-n+1:t-1})+k\,|V|},\qquad \mathrm{PP}=\exp\Bigl(-\tfrac1N\sum_t\log P(w_t\mid\cdot)\Bigr)`;
const CONTEXTS = ['students opened their', '늦잠을 자서 수업에', 'the king', 'to be or not to', 'first citizen', '학생들이'];
const K_VALUES = ['0', '0.001', '0.01', '0.1', '0.5', '1'];
const CMP_CHARS = ['1000', '5000', '10000', '30000', '111539'];
const CMP_K = ['0.001', '0.01', '0.1', '1'];

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.NgramWidget.parseConfig(ctx.pairs);
  const widget = new wasm.NgramWidget({ ...parsed.config, lang: ctx.lang.get() });
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  const hide = ctx.hide;
  let applyError = null;
  let countError = null;
  let countController = null;

  const apply = (change) => {
    let changed;
    try {
      changed = widget.setConfig({ ...widget.config(), ...change, lang: ctx.lang.get() });
    } catch (e) {
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
      sync();
      return null;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    if (changed.recount) count();
    else render();
    if (changed.compare) { cmpController?.abort(); renderCompare(); }
    else if ('cmp_k' in change) renderCompare();
    return changed;
  };

  const opts = (values, label) => values.map((v) => ({ value: v, label: () => label(v) }));
  const withCurrent = (values, v) => (values.includes(String(v)) ? values : [...values, String(v)]);
  const cfg = widget.config();

  // ---- Corpus and counting ------------------------------------------------------------------
  const corpusSel = select({ name: 'corpus', label: () => t('corpus'), value: cfg.corpus, hide, options: opts(['shakespeare', 'korean', 'custom'], t), onChange: (v) => { textField_.el.hidden = v !== 'custom' || hide.has('text'); apply({ corpus: v }); } });
  const textField_ = textField({ name: 'text', label: () => t('text'), value: cfg.text, hide, multiline: true, rows: 5, placeholder: () => t('textPlaceholder'), onCommit: (v) => textField_.invalid(apply({ text: v }) ? null : 'bad') });
  textField_.el.hidden = cfg.corpus !== 'custom' || hide.has('text');
  const unitSel = select({ name: 'unit', label: () => t('unit'), value: cfg.unit, hide, options: opts(['word', 'char'], t), onChange: (v) => apply({ unit: v }) });
  const nSl = slider({ name: 'n', label: () => t('n'), min: 1, max: 5, step: 1, value: cfg.n, hide, onChange: (v) => apply({ n: v }) });
  const kSel = select({ name: 'k', label: () => t('k'), value: String(cfg.k), hide, options: opts(withCurrent(K_VALUES, cfg.k), (v) => v), onChange: (v) => apply({ k: Number(v) }) });
  const backoffTg = toggle({ name: 'backoff', label: () => t('backoff'), checked: cfg.backoff, hide, onChange: (on) => apply({ backoff: on }) });
  const lengthSl = slider({ name: 'length', label: () => t('length'), min: 5, max: 300, step: 5, value: cfg.length, hide, onChange: (v) => apply({ length: v }) });
  const seedSl = slider({ name: 'seed', label: () => t('seed'), min: 1, max: 50, step: 1, value: cfg.seed, hide, onChange: (v) => apply({ seed: v }) });
  const countProgress = createProgress({ label: () => t('progress'), cancelLabel: () => t('cancel'), onCancel: () => countController?.abort() });
  const info = h('p', { class: 'rl-status', role: 'status', dataset: { role: 'corpus-info' } });
  shell.controls.append(corpusSel.el, textField_.el, unitSel.el, nSl.el, kSel.el, backoffTg.el, lengthSl.el, seedSl.el);

  // ---- Context, tables, generation, perplexity ------------------------------------------------
  const contextField = textField({ name: 'context', label: () => t('context'), value: cfg.context, hide, onCommit: (v) => apply({ context: v }) });
  const chipsLabel = h('span', { class: 'rl-hint' });
  const chips = h('div', { class: 'rl-chip-row', dataset: { control: 'context' }, hidden: hide.has('context') }, chipsLabel,
    ...CONTEXTS.map((c) => h('button', { type: 'button', class: 'rl-chip', text: c, on: { click: () => { contextField.set(c); apply({ context: c }); } } })));
  const lectureBox = h('div', { class: 'rl-scroll', dataset: { role: 'lecture-table' } });
  const lectureBlock = block(() => t('lectureTitle'), lectureBox);
  const liveBox = h('div', { class: 'rl-scroll', dataset: { role: 'conditional' } });
  const liveNote = h('div', { dataset: { role: 'conditional-note' } });
  const liveBlock = block(() => t('live'), liveNote, liveBox);
  const genBtn = button({ name: 'generate', label: () => t('generate'), kind: 'primary', hide, onClick: () => renderGenerated() });
  const genOut = h('p', { class: 'rl-generated', dataset: { role: 'generated' }, hidden: true });
  const genBlock = block(() => t('generated'), genBtn.el, genOut);
  genBlock.el.hidden = hide.has('generate');
  const ppOut = h('p', { class: 'rl-status', dataset: { role: 'perplexity' } });
  const ppNote = h('p', { class: 'rl-hint' });
  const ppBlock = block(() => t('ppTitle'), ppOut, ppNote);
  shell.figure.append(countProgress.el, info, contextField.el, chips, lectureBlock.el, liveBlock.el, genBlock.el, ppBlock.el);

  // ---- Sparsity and storage charts ----------------------------------------------------------
  const barReadout = (x) => t('readoutBar', { n: Math.floor(x) + 1 });
  const sparsityChart = createChart({ label: () => t('sparsityChart'), aspect: 0.6, minHeight: 220, maxHeight: 340, draw: (c, s) => widget.drawSparsity(c, s), readout: barReadout, onError: (e) => shell.banner.show('error', e.message) });
  const storageChart = createChart({ label: () => t('storageChart'), aspect: 0.6, minHeight: 220, maxHeight: 340, draw: (c, s) => widget.drawStorage(c, s), readout: barReadout, onError: (e) => shell.banner.show('error', e.message) });
  const sparsityHead = h('h4', { class: 'rl-subtitle' });
  const storageHead = h('h4', { class: 'rl-subtitle' });
  const chartsRow = h('div', { class: 'rl-two' }, h('div', {}, sparsityHead, sparsityChart.el), h('div', {}, storageHead, storageChart.el));

  // ---- LSTM comparison ----------------------------------------------------------------------
  let cmpController = null;
  const cmpCharsSel = select({ name: 'cmp_chars', label: () => t('compareChars'), value: String(cfg.cmp_chars), hide, options: opts(withCurrent(CMP_CHARS, cfg.cmp_chars), (v) => Number(v).toLocaleString('en')), onChange: (v) => apply({ cmp_chars: Number(v) }) });
  const cmpKSel = select({ name: 'cmp_k', label: () => t('cmpK'), value: String(cfg.cmp_k), hide, options: opts(withCurrent(CMP_K, cfg.cmp_k), (v) => v), onChange: (v) => apply({ cmp_k: Number(v) }) });
  const cmpBtn = button({ name: 'compare-run', label: () => t('compareRun'), kind: 'primary', onClick: () => runCompare() });
  const cmpProgress = createProgress({ label: () => t('progress'), cancelLabel: () => t('cancel'), onCancel: () => cmpController?.abort() });
  const cmpChart = createChart({ label: () => t('cmpChart'), aspect: 0.45, minHeight: 240, maxHeight: 380, draw: (c, s) => widget.drawCompare(c, s, t('cmpWaiting')), readout: () => null, onError: (e) => shell.banner.show('error', e.message) });
  const cmpTable = h('div', { class: 'rl-scroll', dataset: { role: 'compare' } });
  const cmpNote = h('p', { class: 'rl-hint' });
  const cmpBlock = block(() => t('compare'), h('div', { class: 'rl-control-grid' }, cmpCharsSel.el, cmpKSel.el), h('div', { class: 'rl-buttons' }, cmpBtn.el), cmpProgress.el, cmpChart.el, cmpTable, cmpNote);
  cmpBlock.el.dataset.control = 'compare';
  cmpBlock.el.hidden = hide.has('compare');
  const math = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const point = h('p', { class: 'rl-point' });
  shell.below.append(chartsRow, cmpBlock.el, math, point);
  renderMath(math, TEX).catch((e) => shell.banner.show('error', e.message));

  function renderLecture() {
    const p = wasm.NgramWidget.lecturePreset();
    const rows = p.rows.map((r) => [r.word, String(r.count), r.fraction, fmt(r.prob, 2)]);
    if (p.other) rows.push([t('other'), String(p.other[0]), `${p.other[0]}/${p.context_count}`, fmt(p.other[1], 2)]);
    lectureBox.replaceChildren(h('p', { class: 'rl-mono', text: t('lectureLine', { c: p.context_count }) }),
      table([t('next'), t('count'), t('fraction'), t('prob')], rows, { rowHeaders: true }));
  }

  function render() {
    const ready = widget.ready();
    if (!ready) {
      info.textContent = '';
      liveBox.replaceChildren();
      liveNote.replaceChildren();
      ppOut.textContent = '';
      genOut.hidden = true;
      sparsityChart.redraw();
      storageChart.redraw();
      return;
    }
    const c = widget.config();
    try {
      const i = widget.info();
      info.textContent = t('info', { v: i.vocab.toLocaleString('en'), n: i.training_tokens.toLocaleString('en'), h: i.heldout_lines.toLocaleString('en') });
    } catch (e) { info.textContent = e.message; }
    // Conditional table.
    try {
      const tb = widget.conditional();
      const req = tb.requested.join(c.unit === 'char' ? '' : ' ');
      const used = tb.context.join(c.unit === 'char' ? '' : ' ');
      const notes = [h('p', { class: 'rl-mono', text: t('used', { ctx: used, n: tb.order_used, c: tb.context_count.toLocaleString('en') }) })];
      if (tb.backed_off) notes.push(h('p', { class: 'rl-hint', text: t('backedOff', { req, used }) }));
      liveNote.replaceChildren(...notes);
      const show = (w) => (w === '\n' ? '⏎' : w === ' ' ? '␣' : w);
      const rows = tb.rows.map((r) => [show(r.word), r.count.toLocaleString('en'), r.fraction, fmt(r.prob, 4)]);
      if (tb.other) rows.push([t('other'), tb.other[0].toLocaleString('en'), '', fmt(tb.other[1], 4)]);
      liveBox.replaceChildren(table([t('next'), t('count'), t('fraction'), t('prob')], rows, { rowHeaders: true }));
    } catch (e) {
      const req = c.context;
      liveNote.replaceChildren(h('div', { class: 'rl-message rl-error rl-inline', role: 'alert', text: /0\/0/.test(e.message) ? t('unseenCtx', { req }) : e.message }));
      liveBox.replaceChildren();
    }
    // Perplexity.
    try {
      const p = widget.perplexity();
      const unit = c.unit === 'char' ? t('perChar') : t('perWord');
      if (!p) ppOut.textContent = t('ppNone');
      else if (p.perplexity === null) ppOut.textContent = t('ppInf', { z: p.zero_probability.toLocaleString('en'), d: p.undefined.toLocaleString('en') });
      else ppOut.textContent = t('pp', { pp: fmt(p.perplexity, 2), unit, n: p.tokens.toLocaleString('en'), u: p.unknown.toLocaleString('en'), bits: fmt(p.bits_per_token, 2) });
    } catch (e) { ppOut.textContent = e.message; }
    ppNote.textContent = t('ppNote');
    if (!genOut.hidden) renderGenerated();
    sparsityChart.redraw();
    storageChart.redraw();
  }

  function renderGenerated() {
    if (!widget.ready()) return;
    try {
      const g = widget.generate();
      genOut.hidden = false;
      genOut.textContent = g.text + (g.ended ? ' </s>' : ' …');
    } catch (e) {
      genOut.hidden = false;
      genOut.textContent = e.message;
    }
  }

  async function count() {
    countController?.abort();
    const c = new AbortController();
    countController = c;
    countError?.remove();
    countError = null;
    widget.clear();
    render();
    try {
      const files = widget.files();
      let file = '';
      if (files.corpus) {
        file = await fetchText(files.corpus, { signal: c.signal, onProgress: (r, total) => countProgress.set(total ? 0.2 * r / total : 0, t('fetching', { mb: (r / 1e6).toFixed(1) })) });
      }
      if (c.signal.aborted) return;
      widget.start(file);
      await runInFrames({
        units: 32768, signal: c.signal,
        step: (n) => { const p = widget.step(n); return { done: widget.ready(), stage: p.phase, p }; },
        onProgress: (r) => countProgress.set(0.2 + 0.8 * r.p.fraction, t('counting', { pct: Math.round(100 * r.p.fraction) })),
      });
    } catch (e) {
      if (!isAbort(e)) countError = shell.banner.show('error', e.message);
      if (countController === c) widget.clear();
    } finally {
      if (countController === c) {
        countController = null;
        countProgress.done();
        render();
      }
    }
  }

  function renderCompare() {
    const r = widget.compareResult();
    cmpNote.textContent = t('cmpNote', { chars: widget.config().cmp_chars.toLocaleString('en') });
    if (!r) { cmpTable.replaceChildren(); cmpChart.redraw(); return; }
    const rows = r.ngram.map((p, i) => [`${i + 1}-gram`, p === null ? '∞' : fmt(p, 3), (r.chars + 1).toLocaleString('en')]);
    if (r.lstm) rows.push(['LSTM', r.lstm.perplexity === null ? '–' : fmt(r.lstm.perplexity, 3), `${r.lstm.predicted.toLocaleString('en')} / ${r.lstm.total.toLocaleString('en')}`]);
    cmpTable.replaceChildren(table([t('cmpModel'), t('cmpPP'), t('cmpN')], rows, { rowHeaders: true }));
    cmpChart.redraw();
  }

  async function runCompare() {
    if (cmpController) return;
    const c = new AbortController();
    cmpController = c;
    cmpBtn.input.disabled = true;
    try {
      const files = widget.files();
      const text = await fetchText(files.shakespeare, { signal: c.signal, onProgress: (r, total) => cmpProgress.set(total ? 0.05 * r / total : 0, t('fetching', { mb: (r / 1e6).toFixed(1) })) });
      const json = await fetchText(files.lstm, { signal: c.signal, onProgress: (r, total) => cmpProgress.set(0.05 + (total ? 0.05 * r / total : 0), t('loadingModel', { mb: (r / 1e6).toFixed(1) })) });
      widget.compareStart(text, json);
      let last = 0;
      await runInFrames({
        units: 32768, signal: c.signal,
        step: (n) => { const p = widget.compareStep(n); return { done: widget.compareDone(), stage: p.stage, p }; },
        onProgress: (r) => {
          const p = r.p;
          const label = p.phase === 'counting'
            ? t('cmpCounting', { pct: Math.min(100, Math.round(100 * p.fraction / 0.25)) })
            : t('cmpScoring', { done: (p.result.lstm?.predicted ?? 0).toLocaleString('en'), total: (p.result.chars - 1).toLocaleString('en') });
          cmpProgress.set(0.1 + 0.9 * p.fraction, label);
          const now = performance.now();
          if (now - last > 300) { last = now; renderCompare(); }
        },
      });
    } catch (e) {
      if (!isAbort(e)) shell.banner.show('error', e.message);
      else widget.compareClear();
    } finally {
      cmpController = null;
      cmpBtn.input.disabled = false;
      cmpProgress.done();
      renderCompare();
    }
  }

  const sync = () => {
    const c = widget.config();
    corpusSel.set(c.corpus); unitSel.set(c.unit); nSl.set(c.n); kSel.set(String(c.k)); backoffTg.set(c.backoff);
    lengthSl.set(c.length); seedSl.set(c.seed); cmpCharsSel.set(String(c.cmp_chars)); cmpKSel.set(String(c.cmp_k));
    textField_.el.hidden = c.corpus !== 'custom' || hide.has('text');
  };

  function refresh() {
    shell.refresh();
    for (const x of [corpusSel, textField_, unitSel, nSl, kSel, backoffTg, lengthSl, seedSl, contextField, genBtn, cmpCharsSel, cmpKSel, cmpBtn, countProgress, cmpProgress]) x.refresh();
    for (const b of [lectureBlock, liveBlock, genBlock, ppBlock, cmpBlock]) b.refresh();
    chipsLabel.textContent = t('presets');
    sparsityHead.textContent = t('sparsity');
    storageHead.textContent = t('storage');
    point.textContent = t('point');
    for (const ch of [sparsityChart, storageChart, cmpChart]) ch.refresh();
    renderLecture();
  }
  refresh();
  render();
  renderCompare();
  ctx.track(widget.urlPairs(), widget.config());
  // Count when the widget comes into view (a lecture page has many widgets).
  const unwatch = whenVisible(root, () => count());
  const unsubscribe = ctx.lang.subscribe((lang) => {
    try { widget.setConfig({ ...widget.config(), lang }); } catch (e) { shell.banner.show('error', e.message); }
    refresh();
    render();
    renderCompare();
  });
  return {
    destroy() {
      unsubscribe();
      unwatch();
      countController?.abort();
      cmpController?.abort();
      for (const ch of [sparsityChart, storageChart, cmpChart]) ch.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
