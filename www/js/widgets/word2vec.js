// Widget "word2vec": the lecture's toy ("I study math", V = {I, study, math}: input "study" →
// output "math"), showing the columns of W₁, the rows of W₂ and their inner product rising as SGD
// trains (full softmax); then skip-gram or CBOW with negative sampling on a real corpus (War and
// Peace or tiny-shakespeare) trained live: loss curve, nearest neighbours that change as it
// learns, and a 2-D PCA picture. All math and charts come from Rust (`Word2VecWidget`).

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, select, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { bindStepKeys } from '../ui/keys.js';
import { createProgress } from '../ui/progress.js';
import { block, table, textField } from '../nlp/fields.js';
import { fetchText, isAbort, runInFrames } from '../nlp/load.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: 'Word2Vec: 단어로 주변 단어 예측하기',
    toy: '강의 예제: “I study math” (V = 3)',
    real: '실제 말뭉치: 음성 샘플링(negative sampling)으로 학습',
    arch: '구조',
    skipgram: 'skip-gram (가운데 → 주변)',
    cbow: 'CBOW (주변 → 가운데)',
    toyData: '학습 데이터',
    pair: 'study → math 한 쌍 (강의)',
    sentence: '문장의 모든 쌍 (창 1)',
    toyDim: '은닉 크기 D',
    toyLr: '학습률',
    seed: '시드',
    step: '한 스텝',
    play: '재생',
    pause: '일시정지',
    reset: '처음으로',
    w1: 'W₁ (D × V): 열 = 입력 단어의 벡터',
    w2: 'W₂ (V × D): 행 = 출력 단어의 벡터',
    probs: 'P(o | i) = softmax(W₂ W₁)',
    trace: '내적 W₂[math]·W₁[:, study] 와 P(math | study)',
    toyState: '스텝 {step}: W₂[math]·W₁[:, study] = {inner}, P(math | study) = {prob}',
    toyPoint: '입력 “study”의 원-핫 벡터 x 에 W₁ 을 곱하면 W₁ 의 study 열 h 가 나오고, W₂ h 는 단어마다 점수를 줍니다. math 의 점수는 W₂ 의 math 행과 W₁ 의 study 열의 내적입니다. 학습이 이 내적을 키우면 softmax 확률 P(math | study) 가 1 에 가까워집니다 (주황 테두리).',
    corpus: '말뭉치',
    warandpeace: '전쟁과 평화 (3.2 MB)',
    shakespeare: 'tiny-shakespeare (1.1 MB)',
    dim: '벡터 크기 D',
    window: '창 크기 (양쪽)',
    negatives: '음성 샘플 수 K',
    lr: '학습률',
    steps: '학습 스텝 수',
    probes: '이웃을 볼 단어',
    pca: 'PCA 그림의 단어',
    train: '불러와서 학습',
    continue: '이어서 학습',
    stop: '멈춤',
    clear: '지우기',
    progress: '진행',
    cancel: '취소',
    fetching: '말뭉치를 내려받는 중 ({mb} MB)',
    preparing: '단어로 나누는 중 {pct}%',
    training: '학습 중: {steps} / {target} 스텝 (에포크 {epochs})',
    ready: '어휘 {vocab}개 단어 · {steps} 스텝 · 에포크 {epochs} · 손실 {loss} · 초당 {rate} 스텝',
    waitingLoss: '“불러와서 학습”을 누르세요',
    waitingPca: '학습을 시작하면 그립니다',
    lossChart: '학습 손실 곡선',
    pcaChart: '단어 벡터의 2차원 PCA 그림',
    neighbours: '가장 가까운 단어 (코사인)',
    probe: '단어',
    nearest: '이웃 (코사인)',
    pcaUnknown: '이 말뭉치의 어휘에 없어 그림에서 뺀 단어: {words}',
    cancelled: '취소했습니다. 학습한 만큼은 남아 있습니다.',
    realPoint: '어휘가 수천 개면 모든 단어에 대한 softmax 는 너무 비쌉니다. 음성 샘플링은 정답 단어 하나와, 단어 빈도^0.75 로 뽑은 K 개의 “가짜” 단어만 로지스틱 손실로 구분합니다. 학습이 진행되면 said 의 이웃이 replied, answered 처럼 바뀌고, 비슷한 단어가 PCA 그림에서 모입니다. 작은 말뭉치로 수백만 스텝만 학습했으므로 GloVe 같은 큰 벡터만큼 좋지는 않습니다.',
    readoutMatrix: '{r}, {c}: {v}',
    readoutTrace: '스텝 {x}',
    readoutLoss: '스텝 {x}: 손실 ≈ {y}',
  },
  en: {
    title: 'Word2Vec: predicting the words around a word',
    toy: 'The lecture’s toy: “I study math” (V = 3)',
    real: 'A real corpus, trained with negative sampling',
    arch: 'Architecture',
    skipgram: 'skip-gram (centre → context)',
    cbow: 'CBOW (context → centre)',
    toyData: 'Training data',
    pair: 'the pair study → math (lecture)',
    sentence: 'every pair of the sentence (window 1)',
    toyDim: 'Hidden size D',
    toyLr: 'Learning rate',
    seed: 'Seed',
    step: 'One step',
    play: 'Play',
    pause: 'Pause',
    reset: 'Reset',
    w1: 'W₁ (D × V): columns = input word vectors',
    w2: 'W₂ (V × D): rows = output word vectors',
    probs: 'P(o | i) = softmax(W₂ W₁)',
    trace: 'Inner product W₂[math]·W₁[:, study] and P(math | study)',
    toyState: 'Step {step}: W₂[math]·W₁[:, study] = {inner}, P(math | study) = {prob}',
    toyPoint: 'Multiplying the one-hot vector x of the input “study” by W₁ picks the study column h of W₁; W₂ h gives every word a score. The score of math is the inner product of W₂’s math row and W₁’s study column. Training raises that inner product, so the softmax probability P(math | study) approaches 1 (orange outlines).',
    corpus: 'Corpus',
    warandpeace: 'War and Peace (3.2 MB)',
    shakespeare: 'tiny-shakespeare (1.1 MB)',
    dim: 'Vector size D',
    window: 'Window (each side)',
    negatives: 'Negative samples K',
    lr: 'Learning rate',
    steps: 'Training steps',
    probes: 'Words to watch',
    pca: 'Words in the PCA picture',
    train: 'Load and train',
    continue: 'Continue training',
    stop: 'Stop',
    clear: 'Clear',
    progress: 'Progress',
    cancel: 'Cancel',
    fetching: 'Downloading the corpus ({mb} MB)',
    preparing: 'Splitting into words {pct}%',
    training: 'Training: {steps} / {target} steps (epoch {epochs})',
    ready: 'vocabulary {vocab} words · {steps} steps · epoch {epochs} · loss {loss} · {rate} steps/s',
    waitingLoss: 'press “Load and train”',
    waitingPca: 'drawn once training starts',
    lossChart: 'Training loss curve',
    pcaChart: '2-D PCA picture of word vectors',
    neighbours: 'Nearest words (cosine)',
    probe: 'word',
    nearest: 'neighbours (cosine)',
    pcaUnknown: 'Left out of the picture (not in this corpus’s vocabulary): {words}',
    cancelled: 'Cancelled. What was learned so far is kept.',
    realPoint: 'With thousands of words, a softmax over the whole vocabulary is too expensive. Negative sampling only tells the true word apart from K “noise” words drawn from the unigram distribution raised to 0.75, with logistic losses. As training goes on, the neighbours of said become words like replied and answered, and similar words gather in the PCA picture. A small corpus and a few million steps do not give vectors as good as GloVe’s.',
    readoutMatrix: '{r}, {c}: {v}',
    readoutTrace: 'step {x}',
    readoutLoss: 'step {x}: loss ≈ {y}',
  },
};

/** Names accepted in `hide`. */
export const controls = ['arch', 'toy_data', 'toy_dim', 'toy_lr', 'seed', 'corpus', 'dim', 'window', 'negatives', 'lr', 'steps', 'probes', 'pca', 'real', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 2100;

const TEX = String.raw`h=W_1x,\;\; \hat y=\operatorname{softmax}(W_2h),\;\; J=-\log\hat y_{\text{math}},\;\; s_{\text{math}}=W_2[\text{math},:]\cdot W_1[:,\text{study}]`;
const TEX_NS = String.raw`J=-\log\sigma(v_o^\top h)-\sum_{k=1}^{K}\log\sigma(-v_{n_k}^\top h),\quad n_k\sim P(w)^{3/4}`;

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.Word2VecWidget.parseConfig(ctx.pairs);
  const widget = new wasm.Word2VecWidget({ ...parsed.config, lang: ctx.lang.get() });
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  const hide = ctx.hide;
  let applyError = null;
  let frame = widget.toyFrame();

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
    if (changed.toy) {
      stopToy();
      const before = shape('w1').join();
      frame = widget.toyFrame();
      if (shape('w1').join() !== before) reshape();
      drawToy();
    }
    if (changed.corpus) { stopRun(); corpusUi(); }
    return changed;
  };

  // ---- The toy ------------------------------------------------------------------------------
  const matrixReadout = (which) => (x, y) => {
    const f = frame.frame;
    const v = f.words.length;
    const d = f.w1.length / v;
    const i = Math.floor(y);
    const j = Math.floor(x);
    const dims = Array.from({ length: d }, (_, k) => `h${k + 1}`);
    if (which === 'w1' && i >= 0 && i < d && j >= 0 && j < v) return t('readoutMatrix', { r: dims[i], c: f.words[j], v: fmt(f.w1[i * v + j], 3) });
    if (which === 'w2' && i >= 0 && i < v && j >= 0 && j < d) return t('readoutMatrix', { r: f.words[i], c: dims[j], v: fmt(f.w2[i * d + j], 3) });
    if (which === 'probs' && i >= 0 && i < v && j >= 0 && j < v) return `P(${f.words[i]} | ${f.words[j]}) = ${fmt(f.probs[i * v + j], 3)}`;
    return null;
  };
  // Height follows the matrix's shape (rows × columns plus room for labels and the colour bar),
  // so a 2 × 3 matrix does not sit in a tall empty box.
  const shape = (which) => {
    const v = frame.frame.words.length;
    const d = frame.frame.w1.length / v;
    return which === 'w1' ? [d, v] : which === 'w2' ? [v, d] : [v, v];
  };
  const mk = (which) => {
    const [rows, cols] = shape(which);
    return createChart({
      label: () => t(which), aspect: Math.min(1.1, Math.max(0.45, (rows + 1.6) / (cols + 2.6))), minHeight: 180, maxHeight: 420,
      draw: (c, s) => widget.drawToy(c, s, which),
      readout: matrixReadout(which),
      onError: (e) => shell.banner.show('error', e.message),
    });
  };
  let w1Chart = mk('w1');
  let w2Chart = mk('w2');
  const pChart = mk('probs');
  const reshape = () => {
    for (const [old, which] of [[w1Chart, 'w1'], [w2Chart, 'w2']]) {
      const fresh = mk(which);
      old.el.replaceWith(fresh.el);
      old.destroy();
      if (which === 'w1') w1Chart = fresh; else w2Chart = fresh;
      fresh.refresh();
    }
  };
  const traceChart = createChart({
    label: () => t('trace'), aspect: 0.35, minHeight: 200, maxHeight: 320,
    draw: (c, s) => widget.drawTrace(c, s),
    readout: (x) => t('readoutTrace', { x: Math.round(x) }),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const heads = ['w1', 'w2', 'probs'].map(() => h('h4', { class: 'rl-subtitle rl-small-title' }));
  const toyState = h('p', { class: 'rl-status', role: 'status', dataset: { role: 'toy-state' } });
  let playing = 0;
  const stepBtn = button({ name: 'toy-step', label: () => t('step'), onClick: () => { stopToy(); toyStep(1); } });
  const playBtn = button({ name: 'toy-play', label: () => (playing ? t('pause') : t('play')), kind: 'primary', onClick: () => (playing ? stopToy() : playToy()) });
  const resetBtn = button({ name: 'toy-reset', label: () => t('reset'), onClick: () => { stopToy(); widget.toyReset(); frame = widget.toyFrame(); drawToy(); } });
  const toyFigure = h('div', { class: 'rl-focusable', tabindex: '0' },
    h('div', { class: 'rl-three' }, h('div', {}, heads[0], w1Chart.el), h('div', {}, heads[1], w2Chart.el), h('div', {}, heads[2], pChart.el)),
    traceChart.el);
  const toyMath = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const toyPoint = h('p', { class: 'rl-point' });
  const toyControls = h('div', { class: 'rl-control-grid' });
  const toyBlock = block(() => t('toy'), toyControls, toyFigure, h('div', { class: 'rl-buttons' }, stepBtn.el, playBtn.el, resetBtn.el), toyState, toyMath, toyPoint);
  const unbindKeys = bindStepKeys(toyFigure, { next: () => { stopToy(); toyStep(1); }, toggle: () => (playing ? stopToy() : playToy()) });

  function drawToy() {
    const last = frame.last;
    toyState.textContent = t('toyState', { step: last.step, inner: fmt(last.inner, 3), prob: fmt(last.prob, 3) });
    for (const c of [w1Chart, w2Chart, pChart, traceChart]) c.redraw();
  }
  function toyStep(n) {
    try {
      widget.toyStep(n);
    } catch (e) {
      shell.banner.show('error', e.message);
    }
    frame = widget.toyFrame();
    drawToy();
    shell.narrator.say(toyState.textContent);
  }
  function playToy() {
    const end = widget.toySteps() + 200;
    const tick = () => {
      if (!playing) return;
      if (widget.toySteps() >= end || widget.toySteps() >= 2000) { stopToy(); return; }
      toyStep(2);
      playing = requestAnimationFrame(tick);
    };
    playing = requestAnimationFrame(tick);
    playBtn.refresh();
  }
  function stopToy() {
    if (playing) cancelAnimationFrame(playing);
    playing = 0;
    playBtn.refresh();
  }

  // Toy controls (right column).
  const cfg = widget.config();
  const archSel = select({ name: 'arch', label: () => t('arch'), value: cfg.arch, hide, options: [{ value: 'skipgram', label: () => t('skipgram') }, { value: 'cbow', label: () => t('cbow') }], onChange: (v) => apply({ arch: v }) });
  const dataSel = select({ name: 'toy_data', label: () => t('toyData'), value: cfg.toy_data, hide, options: [{ value: 'pair', label: () => t('pair') }, { value: 'sentence', label: () => t('sentence') }], onChange: (v) => apply({ toy_data: v }) });
  const dimSl = slider({ name: 'toy_dim', label: () => t('toyDim'), min: 2, max: 6, step: 1, value: cfg.toy_dim, hide, onChange: (v) => apply({ toy_dim: v }) });
  const lrSl = slider({ name: 'toy_lr', label: () => t('toyLr'), min: 0.01, max: 1, step: 0.01, value: cfg.toy_lr, hide, format: (v) => fmt(v, 2), onChange: (v) => apply({ toy_lr: Math.round(v * 100) / 100 }) });
  const seedSl = slider({ name: 'seed', label: () => t('seed'), min: 1, max: 20, step: 1, value: cfg.seed, hide, onChange: (v) => apply({ seed: v }) });
  toyControls.append(archSel.el, dataSel.el, dimSl.el, lrSl.el, seedSl.el);
  // Both parts use the whole width: the matrices need it more than a side column.
  shell.figure.parentElement.classList.add('rl-wide');
  shell.controls.hidden = true;

  // ---- The real corpus ----------------------------------------------------------------------
  const corpusSel = select({ name: 'corpus', label: () => t('corpus'), value: cfg.corpus, hide, options: [{ value: 'warandpeace', label: () => t('warandpeace') }, { value: 'shakespeare', label: () => t('shakespeare') }], onChange: (v) => {
    // New corpus: its own default words, unless the user had typed others.
    const old = wasm.Word2VecWidget.corpusInfo(widget.config().corpus);
    const fresh = wasm.Word2VecWidget.corpusInfo(v);
    const change = { corpus: v };
    if (widget.config().probes === old.probes) change.probes = fresh.probes;
    if (widget.config().pca === old.pca) change.pca = fresh.pca;
    if (apply(change)) { probesField.set(widget.config().probes); pcaField.set(widget.config().pca); }
  } });
  const cDim = slider({ name: 'dim', label: () => t('dim'), min: 10, max: 100, step: 10, value: cfg.dim, hide, onChange: (v) => apply({ dim: v }) });
  const cWin = slider({ name: 'window', label: () => t('window'), min: 1, max: 5, step: 1, value: cfg.window, hide, onChange: (v) => apply({ window: v }) });
  const cNeg = slider({ name: 'negatives', label: () => t('negatives'), min: 1, max: 15, step: 1, value: cfg.negatives, hide, onChange: (v) => apply({ negatives: v }) });
  const cLr = slider({ name: 'lr', label: () => t('lr'), min: 0.005, max: 0.1, step: 0.005, value: cfg.lr, hide, format: (v) => fmt(v, 3), onChange: (v) => apply({ lr: Math.round(v * 1000) / 1000 }) });
  const cSteps = select({ name: 'steps', label: () => t('steps'), value: String(cfg.steps), hide,
    options: ['500000', '1000000', '2000000', '4000000', '8000000'].concat(['500000', '1000000', '2000000', '4000000', '8000000'].includes(String(cfg.steps)) ? [] : [String(cfg.steps)]).map((v) => ({ value: v, label: () => Number(v).toLocaleString('en') })),
    onChange: (v) => apply({ steps: Number(v) }) });
  const probesField = textField({ name: 'probes', label: () => t('probes'), value: cfg.probes, hide, onCommit: (v) => { if (apply({ probes: v })) corpusUi(); } });
  const pcaField = textField({ name: 'pca', label: () => t('pca'), value: cfg.pca, hide, multiline: true, rows: 2, onCommit: (v) => { if (apply({ pca: v })) corpusUi(); } });
  const trainBtn = button({ name: 'train', label: () => (widget.hasCorpus() ? t('continue') : t('train')), kind: 'primary', onClick: () => startRun() });
  const clearBtn = button({ name: 'clear', label: () => t('clear'), onClick: () => { stopRun(); widget.corpusClear(); corpusUi(); } });
  let controller = null;
  const progress = createProgress({ label: () => t('progress'), cancelLabel: () => t('stop'), onCancel: () => stopRun() });
  const runState = h('p', { class: 'rl-status', role: 'status', dataset: { role: 'run-state' } });
  const lossChart = createChart({
    label: () => t('lossChart'), aspect: 0.45, minHeight: 220, maxHeight: 360,
    draw: (c, s) => widget.drawLoss(c, s, t('waitingLoss')),
    readout: (x, y) => t('readoutLoss', { x: Math.round(x).toLocaleString('en'), y: fmt(y, 3) }),
    onError: (e) => shell.banner.show('error', e.message),
  });
  const pcaChart = createChart({
    label: () => t('pcaChart'), aspect: 0.7, minHeight: 260, maxHeight: 520,
    draw: (c, s) => widget.drawPca(c, s, t('waitingPca')),
    readout: () => null,
    onError: (e) => shell.banner.show('error', e.message),
  });
  const neighbourBox = h('div', { class: 'rl-scroll', dataset: { role: 'neighbours' } });
  const pcaNote = h('p', { class: 'rl-hint' });
  const nsMath = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const realPoint = h('p', { class: 'rl-point' });
  const realControls = h('div', { class: 'rl-control-grid' }, corpusSel.el, cDim.el, cWin.el, cNeg.el, cLr.el, cSteps.el, probesField.el, pcaField.el);
  const neighbourHead = h('h4', { class: 'rl-subtitle' });
  const realBlock = block(() => t('real'), realControls,
    h('div', { class: 'rl-buttons' }, trainBtn.el, clearBtn.el), progress.el, runState,
    h('div', { class: 'rl-two' }, lossChart.el, h('div', {}, neighbourHead, neighbourBox)),
    pcaChart.el, pcaNote, nsMath, realPoint);
  realBlock.el.dataset.control = 'real';
  realBlock.el.hidden = hide.has('real');
  shell.figure.append(toyBlock.el);
  shell.below.append(realBlock.el);

  let rate = 0;
  function corpusUi() {
    const st = widget.corpusState();
    trainBtn.refresh();
    if (!st) runState.textContent = '';
    else if (st.phase === 'ready') {
      const tr = st.training;
      runState.textContent = t('ready', { vocab: st.vocab.toLocaleString('en'), steps: tr.steps.toLocaleString('en'), epochs: tr.epochs, loss: tr.last_loss === null ? '–' : fmt(tr.last_loss, 3), rate: Math.round(rate).toLocaleString('en') });
    }
    const rows = widget.neighbours();
    neighbourBox.replaceChildren(rows.length ? table([t('probe'), t('nearest')], rows.map((r) => [r.word, r.error ?? r.neighbours.map((n) => `${n.word} ${fmt(n.cosine, 3)}`).join(', ')]), { rowHeaders: true }) : h('p', { class: 'rl-hint', text: t('waitingPca') }));
    const unknown = widget.pcaUnknown();
    pcaNote.textContent = unknown.length ? t('pcaUnknown', { words: unknown.join(', ') }) : '';
    lossChart.redraw();
    pcaChart.redraw();
  }

  function stopRun() {
    controller?.abort();
    controller = null;
  }

  async function startRun() {
    if (controller) return;
    controller = new AbortController();
    const signal = controller.signal;
    trainBtn.input.disabled = true;
    try {
      if (!widget.hasCorpus()) {
        const info = wasm.Word2VecWidget.corpusInfo(widget.config().corpus);
        const text = await fetchText(info.path, { signal, onProgress: (r, total) => progress.set(total ? r / total : 0, t('fetching', { mb: (r / 1e6).toFixed(1) })) });
        widget.corpusStart(text);
        await runInFrames({
          units: 16 * 1024, signal,
          step: (units) => {
            const st = widget.corpusPrepare(units);
            return { done: st.phase === 'ready', st };
          },
          onProgress: (r) => progress.set(r.st.setup.fraction, t('preparing', { pct: Math.round(100 * r.st.setup.fraction) })),
        });
        corpusUi();
      }
      let lastDraw = performance.now();
      const t0 = performance.now();
      const s0 = widget.corpusState().training.steps;
      await runInFrames({
        units: 2000, signal,
        step: (units) => {
          const target = widget.config().steps;
          const st = widget.corpusState();
          const n = Math.min(units, Math.max(0, target - st.training.steps));
          const next = n > 0 ? widget.corpusTrain(n) : st;
          return { done: next.training.steps >= target, st: next };
        },
        onProgress: (r) => {
          const tr = r.st.training;
          progress.set(tr.steps / r.st.target, t('training', { steps: tr.steps.toLocaleString('en'), target: r.st.target.toLocaleString('en'), epochs: tr.epochs }));
          const now = performance.now();
          if (now - t0 > 300) rate = (tr.steps - s0) / ((now - t0) / 1000);
          if (now - lastDraw > 500) { lastDraw = now; corpusUi(); }
        },
      });
    } catch (e) {
      if (isAbort(e)) {
        if (!widget.corpusState() || widget.corpusState().phase !== 'ready') widget.corpusClear();
        shell.narrator.say(t('cancelled'));
      } else {
        shell.banner.show('error', e.message);
      }
    } finally {
      progress.done();
      controller = null;
      trainBtn.input.disabled = false;
      corpusUi();
    }
  }

  const sync = () => {
    const c = widget.config();
    archSel.set(c.arch); dataSel.set(c.toy_data); dimSl.set(c.toy_dim); lrSl.set(c.toy_lr); seedSl.set(c.seed);
    corpusSel.set(c.corpus); cDim.set(c.dim); cWin.set(c.window); cNeg.set(c.negatives); cLr.set(c.lr); cSteps.set(String(c.steps));
  };

  renderMath(toyMath, TEX).catch((e) => shell.banner.show('error', e.message));
  renderMath(nsMath, TEX_NS).catch((e) => shell.banner.show('error', e.message));

  function refresh() {
    shell.refresh();
    for (const c of [archSel, dataSel, dimSl, lrSl, seedSl, stepBtn, playBtn, resetBtn, corpusSel, cDim, cWin, cNeg, cLr, cSteps, probesField, pcaField, trainBtn, clearBtn, progress]) c.refresh();
    toyBlock.refresh();
    realBlock.refresh();
    heads[0].textContent = t('w1');
    heads[1].textContent = t('w2');
    heads[2].textContent = t('probs');
    neighbourHead.textContent = t('neighbours');
    toyPoint.textContent = t('toyPoint');
    realPoint.textContent = t('realPoint');
    for (const c of [w1Chart, w2Chart, pChart, traceChart, lossChart, pcaChart]) c.refresh();
  }
  refresh();
  drawToy();
  corpusUi();
  ctx.track(widget.urlPairs(), widget.config());
  const unsubscribe = ctx.lang.subscribe((lang) => {
    try { widget.setConfig({ ...widget.config(), lang }); } catch (e) { shell.banner.show('error', e.message); }
    refresh();
    drawToy();
    corpusUi();
  });
  return {
    destroy() {
      unsubscribe();
      unbindKeys();
      stopToy();
      stopRun();
      for (const c of [w1Chart, w2Chart, pChart, traceChart, lossChart, pcaChart]) c.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
