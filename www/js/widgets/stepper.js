// Widget "stepper": step through time with a vanilla RNN, an LSTM or a GRU over a sentence. At
// step t it shows the cell's equations with the live numbers of one unit, the gates as heatmaps
// over time × units, h_t (and c_t) as traces, and the next-token probabilities with the
// teacher-forced target and its loss term J⁽ᵗ⁾. All numbers, charts and equation sources come
// from Rust (`StepperWidget`); this module builds the DOM inside its root, fetches the trained
// models on demand, and handles stepping, playing and the keyboard.

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, select, button } from '../ui/controls.js';
import { createChart, toData } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { bindStepKeys } from '../ui/keys.js';
import { createProgress } from '../ui/progress.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '시간을 따라 한 단계씩: RNN · LSTM · GRU',
    preset: '예문',
    presetStudents: 'the students opened their (단어)',
    presetKorean: '오늘 수업이 1교시인데 늦잠을 자서 수업에 (단어)',
    presetHello: 'hello (문자)',
    presetCustom: '직접 입력',
    text: '입력 문장 (Enter 로 적용)',
    tokens: '토큰 단위',
    word: '단어',
    char: '문자',
    cell: '셀 종류',
    gru: 'GRU 방식',
    gruLecture: '강의 (리셋 먼저)',
    gruTorch: 'PyTorch (리셋 나중)',
    weights: '가중치',
    trained: '학습된 작은 모델',
    random: '무작위 (시드)',
    hidden: '은닉 유닛 수 H',
    seed: '시드',
    nextSeed: '다음 시드',
    unit: '살펴볼 유닛 k',
    first: '처음',
    prev: '이전 단계',
    prevShort: '이전',
    nextShort: '다음',
    play: '재생',
    pause: '멈춤',
    next: '다음 단계',
    last: '마지막',
    stepOf: 't = {t} / {T}',
    sentence: '문장의 토큰 (누르면 그 단계로 이동)',
    input: '입력 x_t = “{token}”',
    target: '정답 x_t+1 = “{target}”: 확률 {p}, 순위 {rank}, J⁽ᵗ⁾ = {loss}',
    targetMark: '정답',
    noTarget: '마지막 단계라 정답(다음 토큰)이 없습니다.',
    meanLoss: '문장 전체 평균 손실 J = {J}',
    probs: '다음 토큰 확률 막대 그래프 (단계 {t})',
    gateChart: '{gate} 히트맵: 가로축 시간 t, 세로축 유닛 k',
    traceChart: '{state} 시간에 따른 값: 유닛 k = {k} 강조',
    notYet: '아직 계산하지 않은 단계',
    liveTitle: '단계 t, 유닛 k 의 실제 값',
    eqTitle: '셀의 식',
    gatesTitle: '게이트 (시간 × 유닛)',
    hiddenMapTitle: '은닉 상태 (시간 × 유닛)',
    statesTitle: '상태의 흐름',
    keys: '위젯을 누르거나 Tab 으로 고른 뒤 ← / → 로 한 단계씩, 스페이스로 재생/멈춤. 히트맵 칸을 누르면 그 단계와 유닛을 고릅니다.',
    point: '같은 가중치가 매 단계 다시 쓰입니다. 정답 토큰의 확률이 높을수록 J⁽ᵗ⁾ = −log ŷ_t(x_t+1) 가 작아지고, 문장의 손실 J 는 J⁽ᵗ⁾ 들의 평균입니다.',
    narrate: '단계 {t} / {T}: 입력 “{token}”. {rest}',
    narrateTarget: '정답 “{target}” 확률 {p}, J = {loss}. 가장 높은 후보 “{top}”.',
    narrateLast: '마지막 단계. 가장 높은 후보 “{top}”.',
    loading: '학습된 모델을 불러오는 중',
    cancel: '취소',
    modelFailed: '학습된 모델 {name} 을(를) 불러오지 못해 무작위 가중치를 씁니다: {message}',
    modelCancelled: '모델 불러오기를 취소해 무작위 가중치를 씁니다.',
    vocabFallback: '학습된 모델로 읽을 수 없는 문장이라 무작위 가중치를 씁니다: {message}',
    unknown: '학습된 어휘에 없는 단어는 <unk> 로 읽습니다: {words}',
    modelTrained: '학습된 모델 {file}: {cell}, H = {H}, 어휘 {V}개 (data/lecture/sentences.txt 로 학습). H 는 모델이 정합니다.',
    modelRandom: '무작위 가중치 (시드 {seed}): {cell}, H = {H}, 어휘 = 문장의 토큰 {V}개. 예측에는 의미가 없습니다.',
    changed: '{what}: {value}',
  },
  en: {
    title: 'Step through time: RNN · LSTM · GRU',
    preset: 'Example',
    presetStudents: 'the students opened their (words)',
    presetKorean: '오늘 수업이 1교시인데 늦잠을 자서 수업에 (words)',
    presetHello: 'hello (characters)',
    presetCustom: 'your own text',
    text: 'Input sentence (Enter to apply)',
    tokens: 'Tokens',
    word: 'words',
    char: 'characters',
    cell: 'Cell',
    gru: 'GRU convention',
    gruLecture: 'lecture (reset before)',
    gruTorch: 'PyTorch (reset after)',
    weights: 'Weights',
    trained: 'small trained model',
    random: 'random (seeded)',
    hidden: 'Hidden units H',
    seed: 'Seed',
    nextSeed: 'Next seed',
    unit: 'Unit k to inspect',
    first: 'First',
    prev: 'Previous step',
    prevShort: 'back',
    nextShort: 'next',
    play: 'Play',
    pause: 'Pause',
    next: 'Next step',
    last: 'Last',
    stepOf: 't = {t} / {T}',
    sentence: 'Tokens of the sentence (click to go to that step)',
    input: 'input x_t = “{token}”',
    target: 'target x_t+1 = “{target}”: probability {p}, rank {rank}, J⁽ᵗ⁾ = {loss}',
    targetMark: 'target',
    noTarget: 'Last step: there is no next token (target).',
    meanLoss: 'mean loss over the sentence J = {J}',
    probs: 'Bar chart of next-token probabilities (step {t})',
    gateChart: 'Heatmap of {gate}: time t across, unit k up',
    traceChart: '{state} over time, unit k = {k} highlighted',
    notYet: 'step not computed yet',
    liveTitle: 'Live numbers at step t, unit k',
    eqTitle: 'The cell’s equations',
    gatesTitle: 'Gates (time × units)',
    hiddenMapTitle: 'Hidden state (time × units)',
    statesTitle: 'States over time',
    keys: 'Click or Tab to the widget, then ← / → step one timestep and space plays/pauses. Click a heatmap cell to pick that step and unit.',
    point: 'The same weights are reused at every step. The more probability the target gets, the smaller J⁽ᵗ⁾ = −log ŷ_t(x_t+1); the sentence’s loss J is the mean of the J⁽ᵗ⁾.',
    narrate: 'Step {t} of {T}: input “{token}”. {rest}',
    narrateTarget: 'Target “{target}” has probability {p}, J = {loss}. Most probable: “{top}”.',
    narrateLast: 'Last step. Most probable: “{top}”.',
    loading: 'Loading the trained model',
    cancel: 'Cancel',
    modelFailed: 'Could not load the trained model {name}; using random weights: {message}',
    modelCancelled: 'Loading the model was cancelled; using random weights.',
    vocabFallback: 'The trained model cannot read this sentence; using random weights: {message}',
    unknown: 'Words the trained vocabulary does not know are read as <unk>: {words}',
    modelTrained: 'Trained model {file}: {cell}, H = {H}, vocabulary of {V} (trained on data/lecture/sentences.txt). The model fixes H.',
    modelRandom: 'Random weights (seed {seed}): {cell}, H = {H}, vocabulary = the sentence’s {V} tokens. Its predictions mean nothing.',
    changed: '{what}: {value}',
  },
};

/** Names accepted in `hide`. */
export const controls = ['preset', 'text', 'tokens', 'cell', 'gru', 'weights', 'hidden', 'seed', 'unit', 'nav', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px) for the embed snippet. */
export const embedHeight = 1700;

const PRESETS = Object.freeze([
  { id: 'students', text: 'the students opened their', tokens: 'word' },
  { id: 'korean', text: '오늘 수업이 1교시인데 늦잠을 자서 수업에', tokens: 'word' },
  { id: 'hello', text: 'hello', tokens: 'char' },
]);
const PRESET_KEYS = { students: 'presetStudents', korean: 'presetKorean', hello: 'presetHello', custom: 'presetCustom' };
const CELL_NAMES = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };
const GATE_NAMES = {
  h: 'h_t', i: 'i_t', f: 'f_t', o: 'o_t', g: 'g_t', z: 'z_t', r: 'r_t', n: 'h̃_t',
};
const PLAY_MS = 1100;

/** The shipped models, relative to this module (served from the repository root). */
const MODEL_BASE = new URL('../../../data/models/', import.meta.url);
/** Model texts already fetched on this page (name → text), shared by every stepper widget. */
const modelTexts = new Map();

/**
 * Fetches a model file, reporting progress (0–1) when the size is known.
 * @param {string} name e.g. "stepper-word-lstm.json"
 * @param {(fraction: number) => void} onProgress
 * @param {AbortSignal} signal
 * @returns {Promise<string>}
 */
async function fetchModel(name, onProgress, signal) {
  if (modelTexts.has(name)) return modelTexts.get(name);
  const res = await fetch(new URL(name, MODEL_BASE), { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status} (${name})`);
  const total = Number(res.headers.get('content-length')) || 0;
  let text;
  if (res.body && total > 0) {
    const reader = res.body.getReader();
    const parts = [];
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      got += value.length;
      onProgress(got / total);
    }
    const all = new Uint8Array(got);
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    text = new TextDecoder().decode(all);
  } else {
    text = await res.text();
  }
  modelTexts.set(name, text);
  return text;
}

/** A loss or probability: 3 decimals, or 3 significant digits when smaller than 0.01. */
function fmtSmall(x) {
  return Number.isFinite(x) && x !== 0 && Math.abs(x) < 0.01 ? x.toExponential(2).replace('-', '−') : fmt(x, 3);
}

/** A labelled single-line text field (the value is set as a property: never parsed as HTML). */
function textField({ name, label, value, hide, onChange }) {
  const text = h('span', { class: 'rl-label-text' });
  const input = h('input', { type: 'text', name, value, maxlength: 2000, spellcheck: 'false', autocomplete: 'off', on: { change: () => onChange(input.value) } });
  const el = h('label', { class: 'rl-control rl-text', dataset: { control: name }, hidden: hide.has(name) }, text, input);
  const refresh = () => { text.textContent = label(); };
  refresh();
  return { el, input, refresh, set: (v) => { input.value = String(v); } };
}

/** A labelled whole-number field with a button that adds 1. */
function seedField({ label, nextLabel, value, hide, onChange }) {
  const text = h('span', { class: 'rl-label-text' });
  const input = h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, step: 1, value, inputmode: 'numeric',
    on: { change: () => onChange(Number(input.value)) } });
  const more = h('button', { type: 'button', class: 'rl-button rl-plain', on: { click: () => onChange(Number(input.value) + 1) } });
  const el = h('div', { class: 'rl-control rl-seed', dataset: { control: 'seed' }, hidden: hide.has('seed') },
    h('label', { class: 'rl-seed-label' }, text, input), more);
  const refresh = () => { text.textContent = label(); more.textContent = nextLabel(); };
  refresh();
  return { el, input, more, refresh, set: (v) => { input.value = String(v); } };
}

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 * @returns {Promise<{destroy: () => void}>}
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const hideSet = new Set(controls.filter((n) => ctx.hide.has(n)));
  const parsed = wasm.StepperWidget.parseConfig(ctx.pairs);
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  const w = new wasm.StepperWidget({ ...parsed.config, lang: ctx.lang.get() });

  let destroyed = false;
  let applyError = null;
  let notice = null; // the <unk> / fallback message of the current sentence
  const showError = (text) => {
    applyError?.remove();
    applyError = shell.banner.show('error', text);
  };

  // --- trained models --------------------------------------------------------------------------
  let abort = null;
  const progress = createProgress({
    label: () => t('loading'),
    cancelLabel: () => t('cancel'),
    onCancel: () => abort?.abort(),
  });
  /** Loads `name` into the handle (fetching it if this page has not yet). */
  const loadModel = async (name) => {
    if (w.hasModel(name)) return;
    abort = new AbortController();
    const shown = setTimeout(() => progress.set(0), 120);
    try {
      const text = await fetchModel(name, (f) => progress.set(f), abort.signal);
      if (!destroyed) w.loadModel(name, text);
    } finally {
      clearTimeout(shown);
      progress.done();
      abort = null;
    }
  };
  /** Falls back to random weights (keeping the sentence) with a visible reason, which stays until
   * the next successful change. */
  const toRandom = (message) => {
    w.setConfig({ ...w.config(), weights: 'random', lang: ctx.lang.get() });
    showError(message);
  };
  const first = w.modelFile();
  if (first) {
    try {
      await loadModel(first);
      if (!w.ready()) throw new Error('the model did not load');
    } catch (e) {
      const msg = e?.message ?? String(e);
      const isVocab = w.hasModel(first);
      try {
        toRandom(() => (e?.name === 'AbortError' ? t('modelCancelled')
          : isVocab ? t('vocabFallback', { message: msg }) : t('modelFailed', { name: first, message: msg })));
      } catch (e2) {
        showError(e2.message);
      }
    }
  }
  if (destroyed) return { destroy() {} };

  // --- layout ----------------------------------------------------------------------------------
  const btn = (name, key, symbol, onClick) => {
    const b = h('button', { type: 'button', class: 'rl-button rl-plain rl-nav-button', name, dataset: { control: `nav-${name}` }, on: { click: onClick } },
      h('span', { 'aria-hidden': 'true', text: symbol }));
    return { el: b, refresh: () => { b.setAttribute('aria-label', t(key)); b.title = t(key); } };
  };
  const go = (to) => { stopPlay(); seek(to); };
  const navFirst = btn('first', 'first', '|◀', () => go(1));
  const navPrev = btn('prev', 'prev', '◀', () => go(w.step() - 1));
  const navPlay = btn('play', 'play', '▶', () => togglePlay());
  const navNext = btn('next', 'next', '▶', () => go(w.step() + 1));
  const navLast = btn('last', 'last', '▶|', () => go(w.steps()));
  // Prev/next/play also carry a word, so ▶ (next) and ▶ (play) cannot be confused.
  for (const [b, key] of [[navPrev, 'prevShort'], [navNext, 'nextShort']]) {
    const word = h('span', { class: 'rl-nav-word' });
    if (b === navPrev) b.el.append(' ', word); else b.el.prepend(word, ' ');
    b.word = word;
    b.wordKey = key;
  }
  const playWord = h('span', { class: 'rl-nav-word' });
  navPlay.el.append(' ', playWord);
  const stepText = h('span', { class: 'rl-step-of', 'aria-hidden': 'true' });
  const nav = h('div', { class: 'rl-stepper-nav', dataset: { control: 'nav' }, hidden: hideSet.has('nav') },
    navFirst.el, navPrev.el, navPlay.el, navNext.el, navLast.el, stepText);
  const tokenStrip = h('div', { class: 'rl-tokens', role: 'group' });
  const status = h('p', { class: 'rl-status' });
  const liveTitle = h('h4', { class: 'rl-subtitle' });
  const live = h('div', { class: 'rl-eq-live', dataset: { control: 'math' }, hidden: hideSet.has('math') });
  const liveBox = h('div', { class: 'rl-live-box', hidden: hideSet.has('math') }, liveTitle, live);
  const gatesTitle = h('h4', { class: 'rl-subtitle' });
  const gateGrid = h('div', { class: 'rl-grid-2 rl-gates' });
  const statesTitle = h('h4', { class: 'rl-subtitle' });
  const stateGrid = h('div', { class: 'rl-grid-2 rl-states' });
  const keysHint = h('p', { class: 'rl-hint' });
  const figure = h('div', { class: 'rl-focusable rl-stepper-figure', tabindex: '0' });
  shell.figure.append(figure);

  const chartError = (e) => showError(e.message);
  const probChart = createChart({
    label: () => t('probs', { t: w.step() }),
    draw: (c, s) => w.drawProbs(c, s),
    readout: (x, y) => probReadout(y),
    aspect: 0.5, minHeight: 320, maxHeight: 460,
    onError: chartError,
  });
  figure.append(nav, tokenStrip, status, liveBox, probChart.el, gatesTitle, gateGrid, statesTitle, stateGrid, keysHint, progress.el);

  let tokens = [];
  let gateNames = [];
  let gateCharts = [];
  let stateCharts = [];
  let matrices = { gates: [], h: null };
  let probRows = [];

  const probReadout = (y) => {
    const i = probRows.length - 1 - Math.round(y);
    const r = probRows[i];
    if (!r) return null;
    return `“${r.label}”: ŷ = ${fmt(r.p, 4)} (#${r.rank})${r.target ? ` ◀ ${t('targetMark')}` : ''}`;
  };

  const cellAt = (x, y) => ({ t: Math.round(x), k: Math.round(y) });
  const gateReadout = (q, x, y) => {
    const { t: tt, k } = cellAt(x, y);
    const H = w.units();
    if (tt < 1 || tt > tokens.length || k < 1 || k > H) return null;
    const head = `t = ${tt} “${tokens[tt - 1]}”, k = ${k}`;
    if (tt > w.step()) return `${head}\n${t('notYet')}`;
    return `${head}\n${GATE_NAMES[gateNames[q]] ?? gateNames[q]}[k] = ${fmt(matrices.gates[q][(tt - 1) * H + (k - 1)])}`;
  };
  const stateReadout = (which, x) => {
    const tt = Math.round(x);
    if (tt < 1 || tt > tokens.length) return null;
    const head = `t = ${tt} “${tokens[tt - 1]}”`;
    if (tt > w.step()) return `${head}\n${t('notYet')}`;
    const H = w.units();
    const m = which === 'h' ? matrices.h : matrices.c;
    return `${head}\n${which}_t[${w.unit()}] = ${fmt(m[(tt - 1) * H + (w.unit() - 1)])}`;
  };
  /** Clicking a heatmap cell picks its step and unit; clicking a trace picks its step. */
  const onChartClick = (chart, pickUnit) => (e) => {
    const m = chart.mapping();
    if (!m) return;
    const rect = chart.canvas.getBoundingClientRect();
    const d = toData(m, (e.clientX - rect.left) * (chart.canvas.width / rect.width), (e.clientY - rect.top) * (chart.canvas.height / rect.height));
    if (!d) return;
    stopPlay();
    if (pickUnit) w.setUnit(Math.round(d.y));
    seek(Math.round(d.x));
  };

  /** (Re)creates the per-gate and per-state charts for the current cell. */
  const rebuildCharts = () => {
    for (const c of [...gateCharts, ...stateCharts]) c.destroy();
    gateNames = w.gateNames();
    gateCharts = gateNames.map((name, q) => {
      const c = createChart({
        label: () => t('gateChart', { gate: GATE_NAMES[name] ?? name }),
        draw: (cv, s) => w.drawGate(cv, s, q),
        readout: (x, y) => gateReadout(q, x, y),
        aspect: 0.72, minHeight: 260, maxHeight: 420,
        onError: chartError,
      });
      c.canvas.addEventListener('click', onChartClick(c, true));
      c.el.dataset.gate = name;
      return c;
    });
    gateGrid.replaceChildren(...gateCharts.map((c) => c.el));
    gateGrid.classList.toggle('rl-grid-1', gateCharts.length === 1);
    const states = w.modelInfo().cell === 'lstm' ? ['h', 'c'] : ['h'];
    gatesTitle.textContent = t(w.modelInfo().cell === 'rnn' ? 'hiddenMapTitle' : 'gatesTitle');
    stateCharts = states.map((which) => {
      const c = createChart({
        label: () => t('traceChart', { state: `${which}_t`, k: w.unit() }),
        draw: (cv, s) => w.drawState(cv, s, which),
        readout: (x) => stateReadout(which, x),
        aspect: 0.6, minHeight: 240, maxHeight: 380,
        onError: chartError,
      });
      c.canvas.addEventListener('click', onChartClick(c, false));
      c.el.dataset.state = which;
      return c;
    });
    stateGrid.replaceChildren(...stateCharts.map((c) => c.el));
    stateGrid.classList.toggle('rl-grid-1', stateCharts.length === 1);
  };

  /** Rebuilds everything that depends on the sentence and model (after a config change). */
  const rebuild = () => {
    tokens = w.tokens();
    matrices = {
      gates: w.gateNames().map((_, q) => w.gateMatrix(q)),
      h: w.stateMatrix('h'),
      c: w.stateMatrix('c'),
    };
    tokenStrip.replaceChildren(...tokens.map((tok, i) => h('button', {
      type: 'button', class: 'rl-token', dataset: { t: i + 1 },
      on: { click: () => { stopPlay(); seek(i + 1); } },
    }, tok === ' ' ? '␣' : tok)));
    rebuildCharts();
    notice?.remove();
    notice = null;
    const unk = w.unknownWords();
    if (unk.length) notice = shell.banner.show('info', () => t('unknown', { words: unk.join(', ') }));
    syncControls();
  };

  // --- controls --------------------------------------------------------------------------------
  let cfg = w.config();
  const presetOf = (c) => PRESETS.find((p) => p.text === c.text && p.tokens === c.tokens)?.id ?? 'custom';
  const preset = select({
    name: 'preset', label: () => t('preset'), value: presetOf(cfg), hide: hideSet,
    options: [...PRESETS.map((p) => p.id), 'custom'].map((id) => ({ value: id, label: () => t(PRESET_KEYS[id]) })),
    onChange: (v) => {
      const p = PRESETS.find((x) => x.id === v);
      if (p) apply({ text: p.text, tokens: p.tokens }, t('preset'), t(PRESET_KEYS[v]));
    },
  });
  const text = textField({ name: 'text', label: () => t('text'), value: cfg.text, hide: hideSet,
    onChange: (v) => apply({ text: v }, t('text'), v) });
  const tokensSel = select({ name: 'tokens', label: () => t('tokens'), value: cfg.tokens, hide: hideSet,
    options: ['word', 'char'].map((v) => ({ value: v, label: () => t(v) })),
    onChange: (v) => apply({ tokens: v }, t('tokens'), t(v)) });
  const cellSel = select({ name: 'cell', label: () => t('cell'), value: cfg.cell, hide: hideSet,
    options: ['rnn', 'lstm', 'gru'].map((v) => ({ value: v, label: () => CELL_NAMES[v] })),
    onChange: (v) => apply({ cell: v }, t('cell'), CELL_NAMES[v]) });
  const gruSel = select({ name: 'gru', label: () => t('gru'), value: cfg.gru, hide: hideSet,
    options: [{ value: 'lecture', label: () => t('gruLecture') }, { value: 'torch', label: () => t('gruTorch') }],
    onChange: (v) => apply({ gru: v }, t('gru'), v) });
  const weightsSel = select({ name: 'weights', label: () => t('weights'), value: cfg.weights, hide: hideSet,
    options: ['trained', 'random'].map((v) => ({ value: v, label: () => t(v) })),
    onChange: (v) => apply({ weights: v }, t('weights'), t(v)) });
  const hidden = slider({ name: 'hidden', label: () => t('hidden'), min: 2, max: 32, step: 1, value: cfg.hidden, hide: hideSet,
    format: (v) => String(v), onChange: (v) => apply({ hidden: v }, t('hidden'), String(v)) });
  const seed = seedField({ label: () => t('seed'), nextLabel: () => t('nextSeed'), value: cfg.seed, hide: hideSet,
    onChange: (v) => apply({ seed: v }, t('seed'), String(v)) });
  const unit = slider({ name: 'unit', label: () => t('unit'), min: 1, max: 32, step: 1, value: cfg.unit, hide: hideSet,
    format: (v) => String(v), onChange: (v) => { w.setUnit(v); afterMove(); } });
  const modelNote = h('p', { class: 'rl-hint rl-model-note' });
  const allControls = [preset, text, tokensSel, cellSel, gruSel, weightsSel, hidden, seed, unit];
  shell.controls.append(preset.el, text.el, tokensSel.el, cellSel.el, gruSel.el, weightsSel.el, hidden.el, seed.el, unit.el, modelNote);

  /** Puts the handle's config (and the model's fixed sizes) back into the controls. */
  function syncControls() {
    cfg = w.config();
    const info = w.ready() ? w.modelInfo() : null;
    preset.set(presetOf(cfg));
    text.set(cfg.text);
    tokensSel.set(cfg.tokens);
    cellSel.set(cfg.cell);
    gruSel.set(cfg.gru);
    weightsSel.set(cfg.weights);
    const trained = cfg.weights === 'trained';
    hidden.set(trained && info ? info.hidden : cfg.hidden);
    hidden.input.disabled = trained;
    seed.set(cfg.seed);
    seed.input.disabled = trained;
    seed.more.disabled = trained;
    gruSel.input.disabled = trained || cfg.cell !== 'gru';
    if (info) {
      unit.input.max = String(info.hidden);
      unit.set(w.unit());
    }
  }

  // --- stepping --------------------------------------------------------------------------------
  let playTimer = null;
  function stopPlay() {
    if (playTimer === null) return;
    clearInterval(playTimer);
    playTimer = null;
    refreshPlay();
  }
  function togglePlay() {
    if (playTimer !== null) { stopPlay(); return; }
    if (w.step() >= w.steps()) seek(1);
    playTimer = setInterval(() => {
      if (w.step() >= w.steps()) stopPlay();
      else seek(w.step() + 1);
      if (w.step() >= w.steps()) stopPlay();
    }, PLAY_MS);
    refreshPlay();
  }
  function refreshPlay() {
    const playing = playTimer !== null;
    navPlay.el.firstChild.textContent = playing ? '❚❚' : '▶';
    playWord.textContent = playing ? t('pause') : t('play');
    navPlay.el.setAttribute('aria-pressed', String(playing));
    const label = playing ? t('pause') : t('play');
    navPlay.el.setAttribute('aria-label', label);
    navPlay.el.title = label;
  }

  function seek(to) {
    const before = w.step();
    w.seek(to);
    if (w.step() !== before) afterMove();
  }

  let liveJob = Promise.resolve();
  /** Redraws what depends on the step and unit, writes the URL and narrates. */
  function afterMove({ narrate = true } = {}) {
    renderStep();
    ctx.save(w.urlPairs(), w.config());
    if (narrate) shell.narrator.say(narration());
  }

  function narration() {
    const f = w.frame();
    const top = f.top[0]?.token ?? '';
    const rest = f.target
      ? t('narrateTarget', { target: f.target.token, p: fmtSmall(f.target.p), loss: fmtSmall(f.loss), top })
      : t('narrateLast', { top });
    return t('narrate', { t: w.step(), T: w.steps(), token: f.token, rest });
  }

  function renderStep() {
    const step = w.step();
    const T = w.steps();
    const f = w.frame();
    stepText.textContent = t('stepOf', { t: step, T });
    navFirst.el.disabled = step <= 1;
    navPrev.el.disabled = step <= 1;
    navNext.el.disabled = step >= T;
    navLast.el.disabled = step >= T;
    for (const b of tokenStrip.children) {
      const i = Number(b.dataset.t);
      b.classList.toggle('rl-future', i > step);
      if (i === step) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    }
    const parts = [t('input', { token: f.token })];
    parts.push(f.target
      ? t('target', { target: f.target.token, p: fmtSmall(f.target.p), rank: f.target_rank, loss: fmtSmall(f.loss) })
      : t('noTarget'));
    const mean = w.meanLoss();
    if (mean !== undefined && mean !== null) parts.push(t('meanLoss', { J: fmtSmall(mean) }));
    status.replaceChildren(...parts.map((p) => h('span', { text: p })));
    probRows = w.probRows();
    unit.set(w.unit());
    probChart.refresh();
    probChart.redraw();
    for (const c of [...gateCharts, ...stateCharts]) { c.refresh(); c.redraw(); }
    if (!hideSet.has('math')) {
      // Narrow (phone) boxes get each equation on two lines: symbols, then numbers.
      const tex = w.liveEquations(liveBox.clientWidth > 0 && liveBox.clientWidth < 600);
      liveJob = liveJob.then(() => renderMath(live, tex)).catch((e) => showError(e.message));
    }
  }

  // --- applying changes ------------------------------------------------------------------------
  let applying = 0;
  async function apply(change, what, valueText) {
    stopPlay();
    const mine = ++applying;
    const next = { ...w.config(), ...change, lang: ctx.lang.get() };
    try {
      const name = wasm.StepperWidget.modelFileFor(next);
      if (name && !w.hasModel(name)) await loadModel(name);
      if (mine !== applying || destroyed) return;
      w.setConfig(next);
    } catch (e) {
      if (mine !== applying || destroyed) return;
      showError(e?.name === 'AbortError' ? t('modelCancelled') : e.message);
      syncControls();
      return;
    }
    applyError?.remove();
    applyError = null;
    rebuild();
    renderGeneral();
    afterMove({ narrate: false });
    shell.narrator.say(t('changed', { what, value: valueText }));
  }

  // --- keyboard, text, language ----------------------------------------------------------------
  const unbindKeys = bindStepKeys(shell.section, {
    prev: () => go(w.step() - 1),
    next: () => go(w.step() + 1),
    toggle: () => togglePlay(),
  });
  // bindStepKeys leaves keys on buttons alone (space and Enter press them); on the step buttons
  // and the sentence's tokens the arrows still step.
  const arrows = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || !(e.target instanceof HTMLButtonElement)) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      go(w.step() + (e.key === 'ArrowLeft' ? -1 : 1));
      const current = tokenStrip.querySelector('[aria-current="step"]');
      if (tokenStrip.contains(e.target) && current) current.focus();
    }
  };
  nav.addEventListener('keydown', arrows);
  tokenStrip.addEventListener('keydown', arrows);

  const eqTitle = h('h4', { class: 'rl-subtitle' });
  const general = h('div', { class: 'rl-eq-general' });
  const eqBox = h('div', { class: 'rl-eq-box', dataset: { control: 'math' }, hidden: hideSet.has('math') }, eqTitle, general);
  const point = h('p', { class: 'rl-point' });
  shell.below.append(eqBox, point);

  function renderGeneral() {
    const info = w.modelInfo();
    const c = w.config();
    modelNote.textContent = info.trained
      ? t('modelTrained', { file: info.file, cell: CELL_NAMES[info.cell], H: info.hidden, V: info.vocab })
      : t('modelRandom', { seed: c.seed, cell: CELL_NAMES[info.cell], H: info.hidden, V: info.vocab });
    if (!hideSet.has('math')) renderMath(general, w.equations()).catch((e) => showError(e.message));
  }

  const refreshTexts = () => {
    shell.refresh();
    for (const c of allControls) c.refresh();
    for (const b of [navFirst, navPrev, navNext, navLast]) b.refresh();
    navPrev.word.textContent = t('prevShort');
    navNext.word.textContent = t('nextShort');
    refreshPlay();
    tokenStrip.setAttribute('aria-label', t('sentence'));
    liveTitle.textContent = t('liveTitle');
    gatesTitle.textContent = t(w.modelInfo().cell === 'rnn' ? 'hiddenMapTitle' : 'gatesTitle');
    statesTitle.textContent = t('statesTitle');
    eqTitle.textContent = t('eqTitle');
    keysHint.textContent = t('keys');
    point.textContent = t('point');
    progress.refresh();
  };

  refreshTexts();
  rebuild();
  renderGeneral();
  renderStep();
  ctx.track(w.urlPairs(), w.config());

  const unsubscribe = ctx.lang.subscribe((lang) => {
    try {
      w.setConfig({ ...w.config(), lang });
    } catch (e) {
      showError(e.message);
    }
    refreshTexts();
    renderGeneral();
    renderStep();
  });

  return {
    destroy() {
      destroyed = true;
      stopPlay();
      abort?.abort();
      unsubscribe();
      unbindKeys();
      for (const c of [probChart, ...gateCharts, ...stateCharts]) c.destroy();
      w.free();
      root.replaceChildren();
    },
  };
}
