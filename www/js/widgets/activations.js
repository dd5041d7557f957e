// Widget "activations": f(a) and f′(a) for tanh, ReLU, σ and identity, with the lecture's point
// that σ′ ≤ ¼ and tanh′ ≤ 1 make gradients shrink through time. All numbers and the chart come
// from Rust (`ActivationsWidget`); this module only builds the DOM inside its root.
//
// This is the reference widget: later widgets copy its shape (strings table, `controls`,
// `mount(root, ctx)` returning `{destroy}`).

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { slider, toggle } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { bindStepKeys } from '../ui/keys.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '활성화 함수와 도함수',
    tanh: 'tanh',
    relu: 'ReLU',
    sigmoid: '시그모이드 σ',
    identity: '항등 함수',
    x_min: 'a 최솟값',
    x_max: 'a 최댓값',
    derivative: '도함수 f′(a) 보기',
    chart: '활성화 함수 그래프 ({names}): 가로축 a, 세로축 f(a) 와 점선 f′(a)',
    point: '역전파는 시간 단계마다 f′(a) 를 한 번씩 곱합니다. σ′ ≤ ¼, tanh′ ≤ 1 이므로 이 곱은 단계가 늘어날수록 작아지고, 먼 과거로 가는 기울기가 사라집니다 (vanishing gradient).',
    keys: '그래프를 누르거나 Tab 으로 고른 뒤 ← / → 로 a 를 옮기면 값을 읽어 줍니다.',
    changed: '{what}: {value}',
    on: '켬',
    off: '끔',
  },
  en: {
    title: 'Activation functions and their derivatives',
    tanh: 'tanh',
    relu: 'ReLU',
    sigmoid: 'sigmoid σ',
    identity: 'identity',
    x_min: 'a minimum',
    x_max: 'a maximum',
    derivative: 'Show derivative f′(a)',
    chart: 'Chart of activation functions ({names}): a across, f(a) and dashed f′(a) up',
    point: 'Backpropagation through time multiplies one factor f′(a) per step. Since σ′ ≤ ¼ and tanh′ ≤ 1, the product shrinks as the number of steps grows, and the gradient reaching the distant past vanishes.',
    keys: 'Click or Tab to the chart, then use ← / → to move a and hear the values.',
    changed: '{what}: {value}',
    on: 'on',
    off: 'off',
  },
};

/** Names accepted in `hide`. */
export const controls = ['tanh', 'relu', 'sigmoid', 'identity', 'x_min', 'x_max', 'range', 'derivative', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px) for the embed snippet. */
export const embedHeight = 760;

const ACTS = ['tanh', 'relu', 'sigmoid', 'identity'];
const TEX = String.raw`\begin{gathered}\sigma'(a)=\sigma(a)\,\bigl(1-\sigma(a)\bigr)\le\tfrac14\\ \tanh'(a)=1-\tanh^2(a)\le 1\end{gathered}`;

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 * @returns {Promise<{destroy: () => void}>}
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.ActivationsWidget.parseConfig(ctx.pairs);
  const widget = new wasm.ActivationsWidget({ ...parsed.config, lang: ctx.lang.get() });
  const colours = wasm.ActivationsWidget.colours();
  const hidden = (name) => ctx.hide.has(name) || ((name === 'x_min' || name === 'x_max') && ctx.hide.has('range'));
  const hideSet = new Set(controls.filter(hidden));

  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  let applyError = null;

  const shownNames = () => ACTS.filter((a) => widget.config()[a]).map((a) => t(a)).join(', ');
  const chart = createChart({
    label: () => t('chart', { names: shownNames() }),
    draw: (canvas, scale) => widget.draw(canvas, scale),
    readout: (a) => readoutText(a),
    onError: (e) => { shell.banner.show('error', e.message); },
  });
  const readoutText = (a) => {
    const rows = widget.readout(a);
    return [`a = ${fmt(a, 2)}`, ...rows.map((r) => `${r.symbol}(a) = ${fmt(r.f)},  ${r.symbol}′(a) = ${fmt(r.df)}`)].join('\n');
  };

  // Keyboard: ←/→ move a probe along a and narrate the values there.
  let probe = null;
  const figure = h('div', { class: 'rl-focusable', tabindex: '0' }, chart.el);
  const stepProbe = (dir) => {
    const c = widget.config();
    const step = (c.x_max - c.x_min) / 40;
    probe = Math.min(c.x_max, Math.max(c.x_min, (probe ?? 0) + dir * step));
    const text = chart.showAt(probe);
    if (text) shell.narrator.say(text.replace(/\n/g, '; '));
  };
  const unbindKeys = bindStepKeys(figure, { prev: () => stepProbe(-1), next: () => stepProbe(1) });
  figure.addEventListener('blur', () => chart.hideReadout());
  const keysHint = h('p', { class: 'rl-hint' });
  shell.figure.append(figure, keysHint);

  const apply = (change, what, valueText) => {
    const next = { ...widget.config(), ...change, lang: ctx.lang.get() };
    try {
      widget.setConfig(next);
    } catch (e) {
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
      sync();
      return;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    chart.redraw();
    chart.refresh();
    if (probe !== null) chart.showAt(Math.min(next.x_max, Math.max(next.x_min, probe)));
    shell.narrator.say(t('changed', { what, value: valueText }));
  };

  const cfg = widget.config();
  const toggles = ACTS.map((a) => toggle({
    name: a, label: () => t(a), checked: cfg[a], hide: hideSet, swatch: colours[a],
    onChange: (on) => apply({ [a]: on }, t(a), on ? t('on') : t('off')),
  }));
  const sliders = ['x_min', 'x_max'].map((k) => slider({
    name: k, label: () => t(k), min: k === 'x_min' ? -20 : -19.5, max: k === 'x_min' ? 19.5 : 20, step: 0.5,
    value: cfg[k], hide: hideSet, format: (v) => fmt(v, 1),
    onChange: (v) => apply({ [k]: v }, t(k), fmt(v, 1)),
  }));
  const derivative = toggle({
    name: 'derivative', label: () => t('derivative'), checked: cfg.derivative, hide: hideSet,
    onChange: (on) => apply({ derivative: on }, t('derivative'), on ? t('on') : t('off')),
  });
  const all = [...toggles, ...sliders, derivative];
  const sync = () => {
    const c = widget.config();
    for (const ctl of all) ctl.set(c[ctl.input.name]);
  };
  shell.controls.append(
    h('fieldset', { class: 'rl-group' }, ...toggles.map((c) => c.el)),
    ...sliders.map((c) => c.el),
    derivative.el,
  );

  const math = h('div', { dataset: { control: 'math' }, hidden: hideSet.has('math') });
  const point = h('p', { class: 'rl-point' });
  shell.below.append(math, point);
  renderMath(math, TEX).catch((e) => shell.banner.show('error', e.message));

  const refresh = () => {
    shell.refresh();
    for (const c of all) c.refresh();
    chart.refresh();
    point.textContent = t('point');
    keysHint.textContent = t('keys');
  };
  refresh();
  chart.redraw();
  ctx.track(widget.urlPairs(), widget.config());

  const unsubscribe = ctx.lang.subscribe((lang) => {
    try {
      widget.setConfig({ ...widget.config(), lang });
    } catch (e) {
      shell.banner.show('error', e.message);
    }
    refresh();
    chart.redraw();
  });

  return {
    destroy() {
      unsubscribe();
      unbindKeys();
      chart.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
