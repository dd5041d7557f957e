// Widget "glove": the lecture's co-occurrence matrix reproduced exactly from its corpus ("I like
// deep learning. I like NLP. I enjoy flying.", window 1, 8 × 8), the weighting f(x), the objective
// J = ½ Σ f(X_ij)(u_iᵀv_j − log X_ij)² trained live, and how the matrix grows with the vocabulary
// (the lecture's "problem"). All numbers and charts come from Rust (`GloveWidget`).

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, select, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { createProgress } from '../ui/progress.js';
import { block, textField } from '../nlp/fields.js';
import { fetchText, isAbort, runInFrames, whenVisible } from '../nlp/load.js';

const LECTURE = 'I like deep learning. I like NLP. I enjoy flying.';
const TOY_PATH = 'data/lecture/sentences.txt';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: 'GloVe: 동시 등장 행렬에서 단어 벡터로',
    matrix: '동시 등장 행렬 X (창 {w})',
    corpus: '말뭉치',
    lecturePreset: '강의 문장 3개',
    toyPreset: '장난감 말뭉치 (95줄)',
    window: '창 크기 (양쪽)',
    summary: 'V = {v}개 단어, 토큰 {tokens}개, 0이 아닌 칸 {nnz} / {cells} ({pct}%)',
    truncated: '단어가 많아 가장 자주 나오는 {n}개만 보여 줍니다.',
    rowCol: '{r} 다음/앞 {c}: {x}',
    weight: '가중치 함수 f(x)',
    xmax: 'x_max',
    alpha: 'α',
    objective: '목적 함수와 학습',
    objectiveSel: '목적 함수',
    lectureObj: '강의: ½ Σ f (uᵀv − log X)²',
    paperObj: '논문: Σ f (wᵀw̃ + b + b̃ − log X)²',
    dim: '벡터 크기 D',
    lr: '학습률 (AdaGrad)',
    train: '학습 (+{n} 에포크)',
    stop: '멈춤',
    restart: '처음부터',
    trainState: '에포크 {e} (칸 업데이트 {steps}번) · J = {j}',
    probe: '이웃을 볼 단어',
    nearest: '“{w}”에 가까운 단어 (u + v, 코사인): {list}',
    nearestNote: '말뭉치가 이렇게 작으면 이웃은 아직 의미가 없습니다. GloVe 는 수십억 토큰으로 학습합니다.',
    growth: '문제: 어휘가 늘면 행렬은 V² 으로 커진다',
    growthSel: '말뭉치',
    shakespeare: 'tiny-shakespeare',
    warandpeace: '전쟁과 평화',
    text: '위의 말뭉치',
    growthSummary: 'V = {v}개 단어일 때 V² = {cells}칸 = float32 로 {dense}, 그중 0이 아닌 칸은 {nnz}개 ({pct}%) = (i, j, x) 로 {sparse}.',
    fetching: '말뭉치를 내려받는 중 ({mb} MB)',
    progress: '진행',
    cancel: '취소',
    weightChart: 'GloVe 가중치 함수 f(x) 그래프',
    objChart: '에포크에 따른 목적 함수 J (로그 눈금)',
    growthChart: '어휘 크기 V 에 따른 행렬의 칸 수 (로그-로그)',
    matrixPoint: '창 1 이면 바로 옆 단어만 셉니다. “I like” 가 두 번 나오므로 X(I, like) = 2, “I enjoy” 는 한 번이라 X(I, enjoy) = 1 입니다. 창은 문장 끝(.)을 넘지 않습니다.',
    weightPoint: 'f 는 자주 함께 나오는 쌍(x ≥ x_max)이 목적 함수를 지배하지 않게 1 로 자르고, 드문 쌍은 작게 봅니다. X = 0 인 칸은 log 0 이 없으므로 합에서 빠집니다.',
    growthPoint: '행렬은 V × V 이므로 어휘가 10배가 되면 칸은 100배가 됩니다. 대부분의 칸은 0 이라 실제로는 0 이 아닌 칸만 저장하지만, 그래도 크고 희소한 행렬입니다 — GloVe 가 행렬 자체 대신 작은 벡터 u, v 를 학습하는 이유입니다.',
    readoutF: 'x = {x}: f = {y}',
    readoutJ: '에포크 {x}: J ≈ {y}',
    readoutG: 'V ≈ {x}',
  },
  en: {
    title: 'GloVe: from the co-occurrence matrix to word vectors',
    matrix: 'Co-occurrence matrix X (window {w})',
    corpus: 'Corpus',
    lecturePreset: 'the lecture’s 3 sentences',
    toyPreset: 'toy corpus (95 lines)',
    window: 'Window (each side)',
    summary: 'V = {v} words, {tokens} tokens, {nnz} non-zero cells of {cells} ({pct}%)',
    truncated: 'Many words: only the {n} most frequent are shown.',
    rowCol: '{r} next to {c}: {x}',
    weight: 'The weighting f(x)',
    xmax: 'x_max',
    alpha: 'α',
    objective: 'The objective and training',
    objectiveSel: 'Objective',
    lectureObj: 'lecture: ½ Σ f (uᵀv − log X)²',
    paperObj: 'paper: Σ f (wᵀw̃ + b + b̃ − log X)²',
    dim: 'Vector size D',
    lr: 'Learning rate (AdaGrad)',
    train: 'Train (+{n} epochs)',
    stop: 'Stop',
    restart: 'Restart',
    trainState: 'epoch {e} ({steps} cell updates) · J = {j}',
    probe: 'Word to watch',
    nearest: 'Nearest to “{w}” (u + v, cosine): {list}',
    nearestNote: 'With a corpus this small the neighbours mean nothing yet; GloVe is trained on billions of tokens.',
    growth: 'The problem: the matrix grows as V²',
    growthSel: 'Corpus',
    shakespeare: 'tiny-shakespeare',
    warandpeace: 'War and Peace',
    text: 'the corpus above',
    growthSummary: 'At V = {v} words, V² = {cells} cells = {dense} as float32; {nnz} of them are non-zero ({pct}%) = {sparse} as (i, j, x) triples.',
    fetching: 'Downloading the corpus ({mb} MB)',
    progress: 'Progress',
    cancel: 'Cancel',
    weightChart: 'Graph of the GloVe weighting f(x)',
    objChart: 'Objective J by epoch (log scale)',
    growthChart: 'Cells of the matrix against the vocabulary size V (log–log)',
    matrixPoint: 'With window 1 only direct neighbours count. “I like” occurs twice, so X(I, like) = 2; “I enjoy” once, so X(I, enjoy) = 1. Windows stop at a sentence end (.).',
    weightPoint: 'f caps frequent pairs (x ≥ x_max) at 1 so they do not dominate the objective, and weighs rare pairs down. Cells with X = 0 are left out of the sum (log 0 does not exist).',
    growthPoint: 'The matrix is V × V, so ten times the vocabulary means a hundred times the cells. Most cells are 0, so in practice only the non-zero ones are stored — still a large, sparse matrix, which is why GloVe learns small vectors u, v instead of keeping the matrix.',
    readoutF: 'x = {x}: f = {y}',
    readoutJ: 'epoch {x}: J ≈ {y}',
    readoutG: 'V ≈ {x}',
  },
};

/** Names accepted in `hide`. */
export const controls = ['corpus', 'window', 'x_max', 'alpha', 'objective', 'dim', 'lr', 'probe', 'growth', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 2300;

const TEX_F = String.raw`f(x)=\begin{cases}(x/x_{\max})^{\alpha} & x<x_{\max}\\ 1 & \text{otherwise}\end{cases}`;
const TEX_J = String.raw`J=\tfrac12\sum_{i,j:\,X_{ij}>0} f(X_{ij})\,\bigl(u_i^\top v_j-\log X_{ij}\bigr)^2`;
const EPOCHS = 2000;

const bytes = (b) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : b >= 1e3 ? `${(b / 1e3).toFixed(1)} kB` : `${b} B`);

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.GloveWidget.parseConfig(ctx.pairs);
  let widget;
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  try {
    widget = new wasm.GloveWidget({ ...parsed.config, lang: ctx.lang.get() });
  } catch (e) {
    // A corpus that cannot be trained on (no pair of neighbours): start from the defaults.
    shell.banner.show('error', e.message);
    widget = new wasm.GloveWidget({ ...wasm.GloveWidget.defaultConfig(), lang: ctx.lang.get() });
  }
  const hide = ctx.hide;
  let applyError = null;
  let matrix = null;

  const apply = (change) => {
    let restarted;
    try {
      restarted = widget.setConfig({ ...widget.config(), ...change, lang: ctx.lang.get() });
    } catch (e) {
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
      sync();
      return null;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    if (restarted) stopTrain();
    update();
    if (widget.needsGrowthText()) loadGrowth();
    return { restarted };
  };

  // ---- Matrix -------------------------------------------------------------------------------
  const cfg = widget.config();
  const corpusField = textField({ name: 'corpus', label: () => t('corpus'), value: cfg.corpus, hide, multiline: true, rows: 3, onCommit: (v) => corpusField.invalid(apply({ corpus: v }) ? null : 'bad') });
  const lectureBtn = button({ name: 'preset-lecture', label: () => t('lecturePreset'), hide, onClick: () => { corpusField.set(LECTURE); apply({ corpus: LECTURE }); } });
  const toyBtn = button({ name: 'preset-toy', label: () => t('toyPreset'), hide, onClick: async () => {
    try {
      const text = await fetchText(TOY_PATH);
      corpusField.set(text);
      apply({ corpus: text });
    } catch (e) { shell.banner.show('error', e.message); }
  } });
  lectureBtn.el.hidden = toyBtn.el.hidden = hide.has('corpus');
  const windowSl = slider({ name: 'window', label: () => t('window'), min: 1, max: 5, step: 1, value: cfg.window, hide, onChange: (v) => apply({ window: v }) });
  const matrixBox = h('div', { class: 'rl-scroll', dataset: { role: 'cooccurrence' } });
  const matrixSummary = h('p', { class: 'rl-status' });
  const matrixPoint = h('p', { class: 'rl-point' });
  const matrixBlock = block(() => t('matrix', { w: widget.config().window }), matrixBox, matrixSummary, matrixPoint);
  shell.figure.append(matrixBlock.el);
  shell.controls.append(corpusField.el, h('div', { class: 'rl-buttons' }, lectureBtn.el, toyBtn.el), windowSl.el);

  function renderMatrix() {
    try {
      matrix = widget.matrix(12);
    } catch (e) {
      matrix = null;
      shell.banner.show('error', e.message);
      return;
    }
    const n = matrix.words.length;
    const head = h('tr', {}, h('th', { text: 'X', scope: 'col' }), ...matrix.words.map((w) => h('th', { text: w, scope: 'col' })));
    const rows = matrix.words.map((r, i) => h('tr', {}, h('th', { text: r, scope: 'row' }),
      ...matrix.words.map((c, j) => {
        const k = i * n + j;
        return h('td', { class: 'rl-num', text: fmt(matrix.values[k], Number.isInteger(matrix.values[k]) ? 0 : 2), title: t('rowCol', { r, c, x: matrix.values[k] }),
          dataset: { row: r, col: c }, style: { background: matrix.background[k], color: matrix.foreground[k] } });
      })));
    matrixBox.replaceChildren(h('table', { class: 'rl-table rl-matrix' }, h('thead', {}, head), h('tbody', {}, ...rows)));
    const cells = matrix.vocab * matrix.vocab;
    matrixSummary.textContent = t('summary', { v: matrix.vocab, tokens: matrix.tokens, nnz: matrix.nonzeros, cells, pct: fmt(100 * matrix.nonzeros / cells, 1) })
      + (matrix.truncated ? ` ${t('truncated', { n })}` : '');
  }

  // ---- Weighting ----------------------------------------------------------------------------
  const xmaxSl = slider({ name: 'x_max', label: () => t('xmax'), min: 1, max: 200, step: 1, value: cfg.x_max, hide, onChange: (v) => apply({ x_max: v }) });
  const alphaSl = slider({ name: 'alpha', label: () => t('alpha'), min: 0, max: 1, step: 0.05, value: cfg.alpha, hide, format: (v) => fmt(v, 2), onChange: (v) => apply({ alpha: Math.round(v * 100) / 100 }) });
  const weightChart = createChart({
    label: () => t('weightChart'), aspect: 0.42, minHeight: 220, maxHeight: 340,
    draw: (c, s) => widget.drawWeight(c, s),
    readout: (x, y) => t('readoutF', { x: fmt(x, 1), y: fmt(y, 3) }),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const fMath = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const weightPoint = h('p', { class: 'rl-point' });
  const weightBlock = block(() => t('weight'), fMath, h('div', { class: 'rl-control-grid' }, xmaxSl.el, alphaSl.el), weightChart.el, weightPoint);

  // ---- Objective and training ---------------------------------------------------------------
  const objSel = select({ name: 'objective', label: () => t('objectiveSel'), value: cfg.objective, hide, options: [{ value: 'lecture', label: () => t('lectureObj') }, { value: 'paper', label: () => t('paperObj') }], onChange: (v) => apply({ objective: v }) });
  const dimSl = slider({ name: 'dim', label: () => t('dim'), min: 2, max: 50, step: 1, value: cfg.dim, hide, onChange: (v) => apply({ dim: v }) });
  const lrSl = slider({ name: 'lr', label: () => t('lr'), min: 0.01, max: 1, step: 0.01, value: cfg.lr, hide, format: (v) => fmt(v, 2), onChange: (v) => apply({ lr: Math.round(v * 100) / 100 }) });
  const probeField = textField({ name: 'probe', label: () => t('probe'), value: cfg.probe, hide, onCommit: (v) => { if (apply({ probe: v })) renderTraining(); } });
  let controller = null;
  const trainBtn = button({ name: 'train', kind: 'primary', label: () => t('train', { n: EPOCHS }), onClick: () => train() });
  const restartBtn = button({ name: 'restart', label: () => t('restart'), onClick: () => { stopTrain(); widget.restart(); renderTraining(); objChart.redraw(); } });
  const progress = createProgress({ label: () => t('progress'), cancelLabel: () => t('stop'), onCancel: () => stopTrain() });
  const trainState = h('p', { class: 'rl-status', role: 'status', dataset: { role: 'train-state' } });
  const nearest = h('p', { class: 'rl-hint', dataset: { role: 'nearest' } });
  const objChart = createChart({
    label: () => t('objChart'), aspect: 0.42, minHeight: 220, maxHeight: 340,
    draw: (c, s) => widget.drawObjective(c, s),
    readout: (x, y) => t('readoutJ', { x: Math.round(x), y: Number(10 ** y).toPrecision(3) }),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const jMath = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const objBlock = block(() => t('objective'), jMath, h('div', { class: 'rl-control-grid' }, objSel.el, dimSl.el, lrSl.el, probeField.el),
    h('div', { class: 'rl-buttons' }, trainBtn.el, restartBtn.el), progress.el, trainState, objChart.el, nearest);

  function renderTraining() {
    const p = widget.progress();
    trainState.textContent = t('trainState', { e: p.epochs, steps: p.steps.toLocaleString('en'), j: Number(p.objective).toPrecision(4) });
    try {
      const list = widget.nearest().map((n) => `${n.word} ${fmt(n.cosine, 2)}`).join(', ');
      nearest.textContent = `${t('nearest', { w: widget.config().probe, list })} ${t('nearestNote')}`;
    } catch (e) {
      nearest.textContent = e.message;
    }
  }
  function stopTrain() { controller?.abort(); controller = null; }
  async function train() {
    if (controller) return;
    controller = new AbortController();
    trainBtn.input.disabled = true;
    const start = widget.progress().epochs;
    let last = 0;
    try {
      await runInFrames({
        units: 200, signal: controller.signal,
        step: (n) => {
          const now = widget.progress();
          const left = (start + EPOCHS) * now.steps_per_epoch - now.steps;
          const p = left > 0 ? widget.train(Math.min(n, left)) : now;
          return { done: p.epochs >= start + EPOCHS, p };
        },
        onProgress: (r) => {
          progress.set((r.p.epochs - start) / EPOCHS, t('trainState', { e: r.p.epochs, steps: r.p.steps.toLocaleString('en'), j: Number(r.p.objective).toPrecision(4) }));
          const now = performance.now();
          if (now - last > 150) { last = now; objChart.redraw(); renderTraining(); }
        },
      });
    } catch (e) {
      if (!isAbort(e)) shell.banner.show('error', e.message);
    } finally {
      controller = null;
      trainBtn.input.disabled = false;
      progress.done();
      objChart.redraw();
      renderTraining();
    }
  }

  // ---- Growth -------------------------------------------------------------------------------
  const growthSel = select({ name: 'growth', label: () => t('growthSel'), value: cfg.growth, hide, options: ['shakespeare', 'warandpeace', 'text'].map((v) => ({ value: v, label: () => t(v) })), onChange: (v) => apply({ growth: v }) });
  const growthProgress = createProgress({ label: () => t('progress'), cancelLabel: () => t('cancel'), onCancel: () => growthController?.abort() });
  let growthController = null;
  const growthChart = createChart({
    label: () => t('growthChart'), aspect: 0.45, minHeight: 240, maxHeight: 380,
    draw: (c, s) => widget.drawGrowth(c, s),
    readout: (x) => t('readoutG', { x: Math.round(10 ** x).toLocaleString('en') }),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const growthSummary = h('p', { class: 'rl-status', dataset: { role: 'growth-summary' } });
  const growthPoint = h('p', { class: 'rl-point' });
  const growthBlock = block(() => t('growth'), growthSel.el, growthProgress.el, growthChart.el, growthSummary, growthPoint);
  shell.below.append(weightBlock.el, objBlock.el, growthBlock.el);

  function renderGrowth() {
    const g = widget.growth();
    const p = g.at(-1);
    growthSummary.textContent = p ? t('growthSummary', { v: p.vocab.toLocaleString('en'), cells: p.cells.toLocaleString('en'), dense: bytes(p.dense_bytes), nnz: p.nonzeros.toLocaleString('en'), pct: fmt(100 * p.density, 2), sparse: bytes(p.sparse_bytes) }) : '';
    growthChart.redraw();
  }
  let growthVisible = false;
  async function loadGrowth() {
    if (!growthVisible || !widget.needsGrowthText()) { renderGrowth(); return; }
    growthController?.abort();
    const c = new AbortController();
    growthController = c;
    try {
      const path = widget.growthPath();
      const text = await fetchText(path, { signal: c.signal, onProgress: (r, total) => growthProgress.set(total ? r / total : 0, t('fetching', { mb: (r / 1e6).toFixed(1) })) });
      if (!c.signal.aborted && widget.growthPath() === path) widget.setGrowthText(text);
    } catch (e) {
      if (!isAbort(e)) shell.banner.show('error', e.message);
    } finally {
      if (growthController === c) growthController = null;
      growthProgress.done();
      renderGrowth();
    }
  }
  const unwatch = whenVisible(growthBlock.el, () => { growthVisible = true; loadGrowth(); });

  const sync = () => {
    const c = widget.config();
    windowSl.set(c.window); xmaxSl.set(c.x_max); alphaSl.set(c.alpha); objSel.set(c.objective); dimSl.set(c.dim); lrSl.set(c.lr); growthSel.set(c.growth);
  };

  renderMath(fMath, TEX_F).catch((e) => shell.banner.show('error', e.message));
  renderMath(jMath, TEX_J).catch((e) => shell.banner.show('error', e.message));

  function update() {
    renderMatrix();
    matrixBlock.refresh();
    weightChart.redraw();
    objChart.redraw();
    renderTraining();
    renderGrowth();
  }
  function refresh() {
    shell.refresh();
    for (const c of [corpusField, lectureBtn, toyBtn, windowSl, xmaxSl, alphaSl, objSel, dimSl, lrSl, probeField, trainBtn, restartBtn, progress, growthSel, growthProgress]) c.refresh();
    for (const b of [matrixBlock, weightBlock, objBlock, growthBlock]) b.refresh();
    matrixPoint.textContent = t('matrixPoint');
    weightPoint.textContent = t('weightPoint');
    growthPoint.textContent = t('growthPoint');
    for (const c of [weightChart, objChart, growthChart]) c.refresh();
  }
  refresh();
  update();
  ctx.track(widget.urlPairs(), widget.config());
  const unsubscribe = ctx.lang.subscribe((lang) => {
    try { widget.setConfig({ ...widget.config(), lang }); } catch (e) { shell.banner.show('error', e.message); }
    refresh();
    update();
  });
  return {
    destroy() {
      unsubscribe();
      unwatch();
      stopTrain();
      growthController?.abort();
      for (const c of [weightChart, objChart, growthChart]) c.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
