// A chart canvas that Rust draws on. The wrapper sizes the canvas for devicePixelRatio (sharp on
// phones and projectors), redraws on resize, and turns pointer positions into data coordinates
// with the mapping that the Rust draw call returned (plot-area pixels + data ranges), so the
// page can show a hover readout without doing any of the chart's math itself.

import { h } from './dom.js';

/**
 * @typedef {{width: number, height: number, left: number, right: number, top: number,
 *   bottom: number, x_min: number, x_max: number, y_min: number, y_max: number}} Mapping
 *   Device-pixel plot area and data ranges, as returned by every Rust `draw`.
 */

/**
 * Data coordinates of a device pixel, or null outside the plot area.
 * @param {Mapping} m
 * @param {number} px
 * @param {number} py
 * @returns {{x: number, y: number}|null}
 */
export function toData(m, px, py) {
  if (!m || px < m.left || px > m.right || py < m.top || py > m.bottom) return null;
  return {
    x: m.x_min + ((px - m.left) / (m.right - m.left)) * (m.x_max - m.x_min),
    y: m.y_min + ((m.bottom - py) / (m.bottom - m.top)) * (m.y_max - m.y_min),
  };
}

/**
 * Device-pixel position of a data point.
 * @param {Mapping} m
 * @param {number} x
 * @param {number} y
 * @returns {{px: number, py: number}}
 */
export function toPixel(m, x, y) {
  return {
    px: m.left + ((x - m.x_min) / (m.x_max - m.x_min)) * (m.right - m.left),
    py: m.bottom - ((y - m.y_min) / (m.y_max - m.y_min)) * (m.bottom - m.top),
  };
}

/** The performance mark set when the page's first chart has been drawn (time to first widget). */
export const FIRST_DRAW_MARK = 'rnnlab:first-chart-drawn';

function markFirstDraw() {
  if (typeof performance !== 'undefined' && performance.getEntriesByName(FIRST_DRAW_MARK).length === 0) {
    performance.mark(FIRST_DRAW_MARK);
  }
}

/**
 * Creates the chart element.
 * @param {{label: () => string, draw: (canvas: HTMLCanvasElement, scale: number) => Mapping,
 *   readout: (x: number, y: number) => string|null, aspect?: number, minHeight?: number,
 *   maxHeight?: number, onError?: (e: Error) => void}} opts `draw` is the Rust handle's draw;
 *   `readout` returns the text to show at data (x, y); `aspect` = height / width.
 * @returns {{el: HTMLElement, canvas: HTMLCanvasElement, redraw: () => void,
 *   mapping: () => Mapping|null, showAt: (x: number, y?: number) => string|null,
 *   hideReadout: () => void, refresh: () => void, destroy: () => void}}
 */
export function createChart(opts) {
  const aspect = opts.aspect ?? 0.55;
  const canvas = h('canvas', { role: 'img', class: 'rl-canvas' });
  const crosshair = h('div', { class: 'rl-crosshair', hidden: true, 'aria-hidden': 'true' });
  const readout = h('div', { class: 'rl-readout', hidden: true, 'aria-hidden': 'true' });
  const wrap = h('div', { class: 'rl-canvas-wrap' }, canvas, crosshair, readout);
  const el = h('figure', { class: 'rl-chart' }, wrap);
  let mapping = null;
  let drawnFor = '';
  let frame = 0;

  const size = () => {
    const cssW = Math.max(200, Math.round(wrap.clientWidth || 600));
    const cssH = Math.round(Math.min(opts.maxHeight ?? 560, Math.max(opts.minHeight ?? 240, cssW * aspect)));
    const dpr = Math.min(4, Math.max(1, window.devicePixelRatio || 1));
    return { cssW, cssH, dpr };
  };

  const redraw = () => {
    const { cssW, cssH, dpr } = size();
    canvas.style.height = `${cssH}px`;
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
    drawnFor = `${cssW}x${cssH}@${dpr}`;
    try {
      mapping = opts.draw(canvas, dpr);
      markFirstDraw();
    } catch (e) {
      mapping = null;
      if (opts.onError) opts.onError(e);
      else throw e;
    }
  };

  const place = (m, data, cssX, cssY) => {
    const text = opts.readout(data.x, data.y);
    if (text === null) return hide();
    const scale = canvas.clientWidth / canvas.width;
    crosshair.hidden = false;
    crosshair.style.left = `${cssX}px`;
    crosshair.style.top = `${m.top * scale}px`;
    crosshair.style.height = `${(m.bottom - m.top) * scale}px`;
    readout.hidden = false;
    readout.textContent = text;
    const w = wrap.clientWidth;
    const rw = readout.offsetWidth;
    readout.style.left = `${Math.max(0, Math.min(w - rw, cssX + 12))}px`;
    readout.style.top = `${Math.max(0, cssY - readout.offsetHeight - 8)}px`;
    return text;
  };

  const hide = () => {
    crosshair.hidden = true;
    readout.hidden = true;
    return null;
  };

  const onMove = (e) => {
    if (!mapping) return;
    const rect = canvas.getBoundingClientRect();
    const sx = canvas.width / rect.width;
    const sy = canvas.height / rect.height;
    const data = toData(mapping, (e.clientX - rect.left) * sx, (e.clientY - rect.top) * sy);
    if (!data) return hide();
    place(mapping, data, e.clientX - rect.left, e.clientY - rect.top);
  };
  canvas.addEventListener('pointermove', onMove);
  canvas.addEventListener('pointerleave', hide);

  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const { cssW, cssH, dpr } = size();
      if (`${cssW}x${cssH}@${dpr}` !== drawnFor) redraw();
    });
  });
  observer.observe(wrap);

  const refresh = () => canvas.setAttribute('aria-label', opts.label());
  refresh();

  return {
    el,
    canvas,
    redraw,
    refresh,
    mapping: () => mapping,
    /** Shows the readout at data x (and y, default: middle of the plot), e.g. for keyboard use. */
    showAt(x, y) {
      if (!mapping) return null;
      const yy = y ?? (mapping.y_min + mapping.y_max) / 2;
      const { px, py } = toPixel(mapping, x, yy);
      const scale = canvas.clientWidth / canvas.width;
      return place(mapping, { x, y: yy }, px * scale, py * scale);
    },
    hideReadout: hide,
    destroy() {
      observer.disconnect();
      cancelAnimationFrame(frame);
    },
  };
}
