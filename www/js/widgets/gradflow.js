// Widget "gradflow": vanishing and exploding gradients. It plots log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ against t for
// several cells run on the same inputs (same seed), with W_hh rescaled exactly to the chosen
// spectral radius, beside the chain-rule bound (the product of the per-step Jacobian norms), and a
// clipping panel with the lecture's Algorithm 1. The experiment runs in Rust (`GradFlowWidget`) in
// slices: this module asks for about 30 ms of work at a time and yields in between, so the page
// stays responsive while the bound of a large LSTM is computed, and shows progress.

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, select, toggle } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { bindStepKeys } from '../ui/keys.js';
import { createProgress } from '../ui/progress.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '기울기 흐름: 소실과 폭주',
    curves: '곡선',
    tanh: 'RNN tanh',
    relu: 'RNN ReLU',
    sigmoid: 'RNN σ',
    identity: 'RNN 항등(선형)',
    residual: '잔차 RNN (tanh)',
    lstm: 'LSTM',
    gru: 'GRU',
    radius: 'W_hh 의 스펙트럼 반지름 ρ',
    input_scale: '입력 크기 s (x ~ U(−s, s))',
    seq_len: '시퀀스 길이 T',
    hidden: '은닉 유닛 수 H',
    forget_bias: 'LSTM 망각 게이트 편향 b_f',
    seed: '시드',
    nextSeed: '다음 시드',
    bound: '연쇄 법칙 상한 (야코비안 노름의 곱) 계산',
    chart: '로그 기울기 노름 그래프: 가로축 t, 세로축 log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ ({names})',
    jacChart: '단계별 야코비안 노름 그래프: 가로축 t, 세로축 log₁₀ ‖∂h_t/∂h_t−1‖',
    jacTitle: '한 단계의 배율: 상한은 이 값들의 합 (로그)',
    jacNote: '상한 계산이 꺼져 있거나 아직 계산 중입니다',
    computing: '상한 계산 중',
    stop: '멈춤',
    stopped: '상한 계산을 멈췄습니다. 설정을 바꾸면 다시 계산합니다.',
    clipTitle: '기울기 클리핑 (알고리즘 1)',
    clip_curve: '클리핑에 쓸 곡선',
    clip_threshold: '임계값',
    lr: '학습률 η',
    clipChart: '클리핑 전후의 기울기 노름과 갱신 크기 (로그 눈금)',
    rowLoss: '손실 J (갱신 전)',
    rowNorm: '기울기 노름 ‖g‖ → 클리핑 후 ‖ĝ‖',
    rowScale: '배율 임계값/‖g‖',
    rowStep: '갱신 크기 η‖g‖ → η‖ĝ‖',
    rowAfter: '갱신 뒤 손실 J: 클리핑 없이 → 클리핑',
    notClipped: '(‖g‖ < 임계값: 그대로)',
    radiusNote: '각 곡선의 W_hh 를 스펙트럼 반지름 {rho} 로 정확히 맞췄습니다 (원래 ρ: {before}).',
    overflow: '{names}: 순전파가 발산(오버플로)해 상한을 계산하지 않았습니다.',
    keys: '그래프를 누르거나 Tab 으로 고른 뒤 ← / → 로 t 를 옮기면 값을 읽어 줍니다.',
    point: '역전파는 단계마다 야코비안 ∂h_t/∂h_t−1 을 곱합니다. 그 노름이 1보다 작으면 로그 곡선이 직선으로 내려가고 (소실), 1보다 크면 올라갑니다 (폭주). 점선은 노름들의 곱으로 만든 상한입니다. LSTM 의 셀 상태와 잔차 연결은 배율을 1 가까이 유지합니다.',
    done: '계산 완료: t = 1 에서 {values}',
    probe: 't = {t}: {values}',
    changed: '{what}: {value}',
    on: '켬',
    off: '끔',
  },
  en: {
    title: 'Gradient flow: vanishing and exploding',
    curves: 'Curves',
    tanh: 'RNN tanh',
    relu: 'RNN ReLU',
    sigmoid: 'RNN σ',
    identity: 'RNN identity',
    residual: 'residual RNN (tanh)',
    lstm: 'LSTM',
    gru: 'GRU',
    radius: 'Spectral radius ρ of W_hh',
    input_scale: 'Input scale s (x ~ U(−s, s))',
    seq_len: 'Sequence length T',
    hidden: 'Hidden units H',
    forget_bias: 'LSTM forget-gate bias b_f',
    seed: 'Seed',
    nextSeed: 'Next seed',
    bound: 'Compute the chain-rule bound (product of Jacobian norms)',
    chart: 'Chart of log gradient norms: t across, log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ up ({names})',
    jacChart: 'Chart of per-step Jacobian norms: t across, log₁₀ ‖∂h_t/∂h_t−1‖ up',
    jacTitle: 'One step’s factor: the bound adds these up (in log)',
    jacNote: 'The bound is off or still being computed',
    computing: 'Computing the bound',
    stop: 'Stop',
    stopped: 'Computing the bound was stopped. Change a setting to compute again.',
    clipTitle: 'Gradient clipping (Algorithm 1)',
    clip_curve: 'Curve to clip',
    clip_threshold: 'Threshold',
    lr: 'Learning rate η',
    clipChart: 'Gradient norm and update size before and after clipping (log scale)',
    rowLoss: 'Loss J (before the update)',
    rowNorm: 'Gradient norm ‖g‖ → clipped ‖ĝ‖',
    rowScale: 'Scale threshold/‖g‖',
    rowStep: 'Update size η‖g‖ → η‖ĝ‖',
    rowAfter: 'Loss J after the update: unclipped → clipped',
    notClipped: '(‖g‖ < threshold: unchanged)',
    radiusNote: 'Every curve’s W_hh was rescaled to spectral radius exactly {rho} (it was ρ: {before}).',
    overflow: '{names}: the forward pass overflowed, so no bound was computed.',
    keys: 'Click or Tab to the chart, then use ← / → to move t and hear the values.',
    point: 'Backpropagation multiplies one Jacobian ∂h_t/∂h_t−1 per step. When its norm stays below 1 the log curve falls along a straight line (vanishing); above 1 it rises (exploding). The dashed lines are the bound made from the product of those norms. The LSTM’s cell state and the residual connection keep the factor near 1.',
    done: 'Computed: at t = 1, {values}',
    probe: 't = {t}: {values}',
    changed: '{what}: {value}',
    on: 'on',
    off: 'off',
  },
};

/** Names accepted in `hide`. */
export const controls = ['curves', 'tanh', 'relu', 'sigmoid', 'identity', 'residual', 'lstm', 'gru', 'radius', 'input_scale', 'seq_len',
  'hidden', 'forget_bias', 'seed', 'bound', 'jacobians', 'clip', 'clip_curve', 'clip_threshold', 'lr', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px) for the embed snippet. */
export const embedHeight = 1500;

const CURVES = ['tanh', 'relu', 'sigmoid', 'identity', 'residual', 'lstm', 'gru'];
/** Target length of one slice of computation (ms) before yielding to the browser. */
const SLICE_MS = 30;
// Two short lines each, so they fit a phone without sideways scrolling.
const TEX_CHAIN = String.raw`\begin{gathered}\frac{\partial J^{(T)}}{\partial h_t} = \frac{\partial J^{(T)}}{\partial h_T}\prod_{k=t+1}^{T}\frac{\partial h_k}{\partial h_{k-1}}\\ \Bigl\lVert\frac{\partial J^{(T)}}{\partial h_t}\Bigr\rVert \le \Bigl\lVert\frac{\partial J^{(T)}}{\partial h_T}\Bigr\rVert\prod_{k=t+1}^{T}\Bigl\lVert\frac{\partial h_k}{\partial h_{k-1}}\Bigr\rVert_2\end{gathered}`;
const TEX_CLIP = String.raw`\begin{aligned}&\hat g \leftarrow \frac{\partial J}{\partial \theta}\\ &\text{if } \lVert \hat g\rVert \ge \text{threshold}:\ \hat g \leftarrow \tfrac{\text{threshold}}{\lVert \hat g\rVert}\,\hat g\\ &\theta \leftarrow \theta - \eta\,\hat g\end{aligned}`;

const log10 = (v) => Math.log10(v);
const pow10 = (v) => Number((10 ** v).toPrecision(2));

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 * @returns {Promise<{destroy: () => void}>}
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.GradFlowWidget.parseConfig(ctx.pairs);
  const w = new wasm.GradFlowWidget({ ...parsed.config, lang: ctx.lang.get() });
  const colours = wasm.GradFlowWidget.colours();
  const hidden = (name) => ctx.hide.has(name) || (CURVES.includes(name) && ctx.hide.has('curves'))
    || (['clip_curve', 'clip_threshold', 'lr'].includes(name) && ctx.hide.has('clip'));
  const hideSet = new Set(controls.filter(hidden));

  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  let applyError = null;
  let overflowNote = null;
  const showError = (text) => {
    applyError?.remove();
    applyError = shell.banner.show('error', text);
  };

  // --- charts ----------------------------------------------------------------------------------
  /** True once the handle has measured curves to draw (a resize before that draws nothing). */
  let measured = false;
  const shownNames = () => CURVES.filter((c) => w.config()[c]).map((c) => t(c)).join(', ');
  const valuesAt = (tt) => w.readout(tt).map((r) => {
    const bound = r.log10_bound === null || r.log10_bound === undefined ? '' : ` (≤ ${fmt(r.log10_bound, 2)})`;
    return `${r.label}: ${fmt(r.log10_grad, 2)}${bound}`;
  });
  const mainChart = createChart({
    label: () => t('chart', { names: shownNames() }),
    draw: (c, s) => (measured ? w.draw(c, s) : null),
    readout: (x) => {
      const tt = Math.round(x);
      return [`t = ${tt}   log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖`, ...valuesAt(tt)].join('\n');
    },
    aspect: 0.56, minHeight: 320, maxHeight: 560,
    onError: (e) => showError(e.message),
  });
  const jacChart = createChart({
    label: () => t('jacChart'),
    draw: (c, s) => (measured ? w.drawJacobians(c, s, t('jacNote')) : null),
    readout: (x) => {
      const tt = Math.round(x);
      const rows = w.readout(tt).filter((r) => r.log10_jacobian !== null && r.log10_jacobian !== undefined);
      if (!rows.length) return null;
      return [`t = ${tt}   log₁₀ ‖∂h_t/∂h_t−1‖`, ...rows.map((r) => `${r.label}: ${fmt(r.log10_jacobian, 3)}`)].join('\n');
    },
    aspect: 0.42, minHeight: 300, maxHeight: 420,
    onError: (e) => showError(e.message),
  });
  const clipChart = createChart({
    label: () => t('clipChart'),
    draw: (c, s) => (measured ? w.drawClip(c, s) : null),
    readout: () => null,
    aspect: 0.5, minHeight: 260, maxHeight: 360,
    onError: (e) => showError(e.message),
  });

  let stopped = null;
  const progress = createProgress({
    label: () => t('computing'),
    cancelLabel: () => t('stop'),
    onCancel: () => {
      generation++;
      root.dataset.computing = 'false';
      progress.done();
      stopped?.remove();
      stopped = shell.banner.show('info', () => t('stopped'));
    },
  });

  let probe = null;
  const figure = h('div', { class: 'rl-focusable', tabindex: '0' }, mainChart.el);
  const stepProbe = (dir) => {
    if (!mainChart.mapping()) return;
    const T = w.config().seq_len;
    const step = Math.max(1, Math.round(T / 40));
    probe = Math.min(T, Math.max(1, (probe ?? T) + dir * step));
    const text = mainChart.showAt(probe);
    if (text) shell.narrator.say(t('probe', { t: probe, values: valuesAt(probe).join('; ') }));
  };
  const unbindKeys = bindStepKeys(figure, { prev: () => stepProbe(-1), next: () => stepProbe(1) });
  figure.addEventListener('blur', () => mainChart.hideReadout());
  const keysHint = h('p', { class: 'rl-hint' });
  const radiusNote = h('p', { class: 'rl-hint rl-radius-note' });
  const jacTitle = h('h4', { class: 'rl-subtitle' });
  const jacBox = h('div', { dataset: { control: 'jacobians' }, hidden: hideSet.has('jacobians') }, jacTitle, jacChart.el);
  shell.figure.append(figure, progress.el, keysHint, radiusNote, jacBox);

  // --- controls --------------------------------------------------------------------------------
  let cfg = w.config();
  let timer = 0;
  const pending = {};
  const DRAG_MS = 120;
  /** Applies a change now (toggles) or once a slider has rested for DRAG_MS (drags); changes
   * made in between are merged. */
  const apply = (change, what, valueText, delay = 0) => {
    Object.assign(pending, change);
    clearTimeout(timer);
    const run = () => {
      const merged = { ...pending };
      for (const k of Object.keys(pending)) delete pending[k];
      try {
        w.setConfig({ ...w.config(), ...merged, lang: ctx.lang.get() });
      } catch (e) {
        showError(e.message);
        sync();
        return;
      }
      applyError?.remove();
      applyError = null;
      stopped?.remove();
      stopped = null;
      ctx.save(w.urlPairs(), w.config());
      shell.narrator.say(t('changed', { what, value: valueText }));
      recompute();
    };
    if (delay) timer = setTimeout(run, delay);
    else run();
  };

  const curveToggles = CURVES.map((c) => toggle({
    name: c, label: () => t(c), checked: cfg[c], hide: hideSet, swatch: colours[c],
    onChange: (on) => apply({ [c]: on }, t(c), on ? t('on') : t('off')),
  }));
  const curveGroup = h('fieldset', { class: 'rl-group', dataset: { control: 'curves' }, hidden: hideSet.has('curves') },
    h('legend', { class: 'rl-legend' }), ...curveToggles.map((c) => c.el));
  const num = (name, min, max, step, digits) => slider({
    name, label: () => t(name), min, max, step, value: cfg[name], hide: hideSet, format: (v) => fmt(v, digits),
    onChange: (v) => apply({ [name]: v }, t(name), fmt(v, digits), DRAG_MS),
  });
  const radius = num('radius', 0.05, 4, 0.05, 2);
  const inputScale = num('input_scale', 0, 10, 0.1, 1);
  const seqLen = num('seq_len', 2, 200, 1, 0);
  const hiddenSl = num('hidden', 2, 64, 1, 0);
  const forgetBias = num('forget_bias', -10, 10, 0.5, 1);
  const seedText = h('span', { class: 'rl-label-text' });
  const seedInput = h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, step: 1, value: cfg.seed, inputmode: 'numeric',
    on: { change: () => apply({ seed: Number(seedInput.value) }, t('seed'), seedInput.value) } });
  const seedMore = h('button', { type: 'button', class: 'rl-button rl-plain',
    on: { click: () => apply({ seed: Number(seedInput.value) + 1 }, t('seed'), String(Number(seedInput.value) + 1)) } });
  const seed = h('div', { class: 'rl-control rl-seed', dataset: { control: 'seed' }, hidden: hideSet.has('seed') },
    h('label', { class: 'rl-seed-label' }, seedText, seedInput), seedMore);
  const bound = toggle({ name: 'bound', label: () => t('bound'), checked: cfg.bound, hide: hideSet,
    onChange: (on) => apply({ bound: on }, t('bound'), on ? t('on') : t('off')) });
  shell.controls.append(curveGroup, radius.el, inputScale.el, seqLen.el, hiddenSl.el, forgetBias.el, seed, bound.el);

  // Clipping panel (below the main figure): its chart, controls and numbers.
  const clipCurve = select({ name: 'clip_curve', label: () => t('clip_curve'), value: cfg.clip_curve, hide: hideSet,
    options: CURVES.map((c) => ({ value: c, label: () => t(c) })),
    onChange: (v) => apply({ clip_curve: v }, t('clip_curve'), t(v)) });
  // Log-scale sliders: the position is log₁₀ of the value. While the position is the config's own
  // value (which need not lie on the slider's grid), that exact value is shown.
  const logSlider = (name, min, max) => slider({
    name, label: () => t(name), min, max, step: 0.05, value: log10(cfg[name]), hide: hideSet,
    format: (v) => fmtNum(Math.abs(v - log10(w.config()[name])) < 0.025 ? w.config()[name] : pow10(v)),
    onChange: (v) => apply({ [name]: pow10(v) }, t(name), String(pow10(v)), DRAG_MS),
  });
  const threshold = logSlider('clip_threshold', -3, 6);
  const lr = logSlider('lr', -3, 2);
  const table = h('table', { class: 'rl-table' });
  const clipTitle = h('h4', { class: 'rl-subtitle' });
  const clipMath = h('div', { dataset: { control: 'math' }, hidden: hideSet.has('math') });
  const clipBox = h('section', { class: 'rl-clip', dataset: { control: 'clip' }, hidden: hideSet.has('clip') },
    clipTitle, clipMath,
    h('div', { class: 'rl-clip-body' }, clipChart.el, h('div', { class: 'rl-controls' }, clipCurve.el, threshold.el, lr.el, table)));
  const chainMath = h('div', { dataset: { control: 'math' }, hidden: hideSet.has('math') });
  const point = h('p', { class: 'rl-point' });
  shell.below.append(chainMath, point, clipBox);
  renderMath(chainMath, TEX_CHAIN).catch((e) => showError(e.message));
  renderMath(clipMath, TEX_CLIP).catch((e) => showError(e.message));

  const sliders = [radius, inputScale, seqLen, hiddenSl, forgetBias];
  const all = [...curveToggles, ...sliders, bound, clipCurve, threshold, lr];
  function sync() {
    cfg = w.config();
    for (const c of [...curveToggles, ...sliders, bound, clipCurve]) c.set(cfg[c.input.name]);
    threshold.set(log10(cfg.clip_threshold));
    lr.set(log10(cfg.lr));
    seedInput.value = String(cfg.seed);
  }

  // --- computing in slices ---------------------------------------------------------------------
  let generation = 0;
  const fillTable = () => {
    const c = w.clipPanel();
    const clipped = c.scale < 1;
    const rows = [
      [t('rowLoss'), fmt(c.loss, 4)],
      [t('rowNorm'), `${fmtNum(c.norm_before)} → ${fmtNum(c.norm_after)}${clipped ? '' : ` ${t('notClipped')}`}`],
      [t('rowScale'), fmtNum(c.scale)],
      [t('rowStep'), `${fmtNum(c.step_unclipped)} → ${fmtNum(c.step_clipped)}`],
      [t('rowAfter'), `${fmtNum(c.loss_after_unclipped)} → ${fmtNum(c.loss_after_clipped)}`],
    ];
    table.replaceChildren(...rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row', text: k }), h('td', { text: v }))));
  };
  const notes = () => {
    const s = w.summary();
    const before = [...new Set(s.map((c) => fmt(c.radius_before, 2)))].join(', ');
    radiusNote.textContent = t('radiusNote', { rho: fmt(w.config().radius, 2), before });
    overflowNote?.remove();
    overflowNote = null;
    const bad = s.filter((c) => !c.finite).map((c) => c.label);
    if (bad.length) overflowNote = shell.banner.show('info', () => t('overflow', { names: bad.join(', ') }));
  };
  const drawAll = () => {
    mainChart.refresh();
    mainChart.redraw();
    jacChart.redraw();
    clipChart.redraw();
    if (probe !== null) mainChart.showAt(Math.min(probe, w.config().seq_len));
  };

  let firstDrawn = () => {};
  const firstDraw = new Promise((resolve) => { firstDrawn = resolve; });
  /** Runs the experiment in slices of about SLICE_MS, drawing as results arrive. */
  async function recompute() {
    const mine = ++generation;
    measured = false;
    root.dataset.computing = 'true';
    let drawnBounds = -1;
    const started = performance.now();
    for (;;) {
      let st;
      try {
        // About SLICE_MS of work (timed by the handle itself), then back to the browser.
        st = w.computeFor(SLICE_MS);
      } catch (e) {
        showError(e.message);
        progress.done();
        firstDrawn();
        root.dataset.computing = 'false';
        return;
      }
      measured = st.measured;
      if (st.measured && (drawnBounds < 0 || st.bounds !== drawnBounds || st.done)) {
        if (drawnBounds < 0) { fillTable(); notes(); }
        drawnBounds = st.bounds;
        drawAll();
        firstDrawn();
      }
      if (st.done) break;
      if (performance.now() - started > 150) progress.set(st.progress);
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== generation) return;
    }
    progress.done();
    // For tests and measurements: when the last computation finished and how long it took.
    root.dataset.computeMs = String(Math.round(performance.now() - started));
    root.dataset.computing = 'false';
    shell.narrator.say(t('done', { values: valuesAt(1).join('; ') }));
  }

  const refresh = () => {
    shell.refresh();
    for (const c of all) c.refresh();
    curveGroup.querySelector('legend').textContent = t('curves');
    seedText.textContent = t('seed');
    seedMore.textContent = t('nextSeed');
    jacTitle.textContent = t('jacTitle');
    clipTitle.textContent = t('clipTitle');
    keysHint.textContent = t('keys');
    point.textContent = t('point');
    progress.refresh();
    mainChart.refresh();
    jacChart.refresh();
    clipChart.refresh();
  };
  refresh();
  ctx.track(w.urlPairs(), w.config());
  // Mounted once the measured curves are drawn; the bounds keep arriving in the background.
  recompute();
  await firstDraw;

  const unsubscribe = ctx.lang.subscribe((lang) => {
    try {
      w.setConfig({ ...w.config(), lang });
    } catch (e) {
      showError(e.message);
    }
    refresh();
    if (w.status().measured) { fillTable(); notes(); drawAll(); }
  });

  return {
    destroy() {
      generation++;
      clearTimeout(timer);
      unsubscribe();
      unbindKeys();
      for (const c of [mainChart, jacChart, clipChart]) c.destroy();
      w.free();
      root.replaceChildren();
    },
  };
}

/** A positive number with 3 significant digits (exponent form when very large or small). */
function fmtNum(x) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2).replace('-', '−');
  return fmt(x, a >= 100 ? 1 : a >= 1 ? 3 : 4);
}
