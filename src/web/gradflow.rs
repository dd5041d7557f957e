//! `GradFlowWidget`: the wasm handle of the gradient-flow widget (vanishing and exploding
//! gradients, the chain-rule bound, gradient clipping). The experiment is
//! `crate::core::flow::FlowJob`, computed in slices the page asks for with `compute(budget)` so the
//! page stays responsive (the bound of an LSTM at T = 200, H = 64 takes about a second); the charts
//! are `crate::viz::{grad_norm_chart, clip_chart}`.

use super::convert::{
    config_from_js, core_err, draw_err, f32_array, pairs_to_js, parse_pairs, to_js,
};
use crate::core::flow::{CurveKind, FlowJob, FlowResult};
use crate::viz::grad_norm_chart::{self, FlowViewConfig};
use crate::viz::{clip_chart, ChartMapping, ChartStyle, DrawError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle for one gradient-flow widget.
#[wasm_bindgen]
pub struct GradFlowWidget {
    config: FlowViewConfig,
    job: FlowJob,
    /// The latest result: measured curves once they exist, bounds as they complete.
    result: Option<FlowResult>,
}

/// What `compute` reports.
#[derive(Serialize)]
struct Status {
    /// Everything is computed.
    done: bool,
    /// Measured curves and the clipping panel are ready (bounds may be pending).
    measured: bool,
    /// Fraction of the work done, 0 to 1.
    progress: f64,
    /// Curves whose bound is finished.
    bounds: usize,
}

/// One curve's summary for the page.
#[derive(Serialize)]
struct CurveSummary {
    kind: CurveKind,
    label: String,
    colour: String,
    finite: bool,
    radius_before: f64,
    has_bound: bool,
}

fn with_canvas<F>(canvas: HtmlCanvasElement, scale: f64, f: F) -> Result<JsValue, JsError>
where
    F: FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartStyle) -> Result<ChartMapping, DrawError>,
{
    let width = canvas.width();
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("cannot get a 2D context from the canvas"))?;
    let area = backend.into_drawing_area();
    let mapping = f(&area, &ChartStyle::for_canvas(width, scale)).map_err(draw_err)?;
    to_js(&mapping)
}

impl GradFlowWidget {
    fn bounds_done(&self) -> usize {
        self.result.as_ref().map_or(0, |r| {
            r.curves
                .iter()
                .filter(|c| !c.log10_bound.is_empty())
                .count()
        })
    }

    fn result(&self) -> Result<&FlowResult, JsError> {
        self.result
            .as_ref()
            .ok_or_else(|| JsError::new("nothing computed yet: call compute() first"))
    }
}

#[wasm_bindgen]
impl GradFlowWidget {
    /// Builds a widget from a config object (missing fields take their defaults). Nothing is
    /// computed until `compute` is called.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<GradFlowWidget, JsError> {
        let config: FlowViewConfig = config_from_js(config)?;
        let job = FlowJob::new(&config.flow).map_err(core_err)?;
        Ok(GradFlowWidget {
            config,
            job,
            result: None,
        })
    }

    /// The default config as a plain object.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&FlowViewConfig::default())
    }

    /// Parses `[[key, value], …]` into `{config, errors}` (bad values keep their defaults).
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<FlowViewConfig>(pairs)
    }

    /// The fixed chart colour of each curve as CSS hex, `{tanh: "#0072b2", …}`.
    pub fn colours() -> Result<JsValue, JsError> {
        let map: std::collections::BTreeMap<&str, String> =
            grad_norm_chart::colours_hex().into_iter().collect();
        to_js(&map)
    }

    /// The current config as a plain object.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }

    /// The current config as `[[key, value], …]` for the URL hash.
    #[wasm_bindgen(js_name = urlPairs)]
    pub fn url_pairs(&self) -> Result<JsValue, JsError> {
        pairs_to_js(&self.config)
    }

    /// Replaces the config (validated first; on error the old config and results stay). Only the
    /// language changed: the results are kept. Otherwise the computation starts over.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<(), JsError> {
        let config: FlowViewConfig = config_from_js(config)?;
        if config.flow != self.config.flow {
            self.job = FlowJob::new(&config.flow).map_err(core_err)?;
            self.result = None;
        }
        self.config = config;
        Ok(())
    }

    /// Computes about `budget` cost units more (at least one piece; a measured curve costs about
    /// 2·T·G, one bound step about S/H·G·H) and returns `{done, measured, progress, bounds}`.
    pub fn compute(&mut self, budget: f64) -> Result<JsValue, JsError> {
        let budget = if budget.is_finite() && budget > 0.0 {
            budget
        } else {
            1.0
        };
        self.job.advance(budget).map_err(core_err)?;
        // A copy of at most 7 curves × 4 vectors × T ≤ 200 numbers: cheap next to the work.
        if self.job.measured() {
            self.result = self.job.partial();
        }
        self.status()
    }

    /// Computes piece after piece for about `ms` milliseconds of wall-clock time (at least one
    /// piece; a piece is one curve's forward and backward pass or one step's Jacobian norm, at
    /// most tens of ms) and returns `{done, measured, progress, bounds}`. Timing by the clock
    /// rather than by cost units keeps slices short even where pieces are slow to converge.
    #[wasm_bindgen(js_name = computeFor)]
    pub fn compute_for(&mut self, ms: f64) -> Result<JsValue, JsError> {
        let start = js_sys::Date::now();
        loop {
            if self.job.advance(0.0).map_err(core_err)? || js_sys::Date::now() - start >= ms {
                break;
            }
        }
        if self.job.measured() {
            self.result = self.job.partial();
        }
        self.status()
    }

    /// `{done, measured, progress, bounds}` without computing.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&Status {
            done: self.job.is_done(),
            measured: self.result.is_some(),
            progress: self.job.progress(),
            bounds: self.bounds_done(),
        })
    }

    /// Per curve: `{kind, label, colour, finite, radius_before, has_bound}`.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let lang = self.config.lang;
        let rows: Vec<CurveSummary> = self
            .result()?
            .curves
            .iter()
            .map(|c| CurveSummary {
                kind: c.kind,
                label: grad_norm_chart::curve_label(c.kind, lang).to_string(),
                colour: crate::viz::palette::hex(grad_norm_chart::curve_colour(c.kind)),
                finite: c.finite,
                radius_before: c.radius_before,
                has_bound: !c.log10_bound.is_empty(),
            })
            .collect();
        to_js(&rows)
    }

    /// The clipping panel: `{kind, loss, norm_before, norm_after, scale, step_unclipped,
    /// step_clipped, loss_after_unclipped, loss_after_clipped}`.
    #[wasm_bindgen(js_name = clipPanel)]
    pub fn clip_panel(&self) -> Result<JsValue, JsError> {
        to_js(&self.result()?.clip)
    }

    /// Every curve's numbers at step `t` (1-based): `[{kind, label, log10_grad, log10_grad_c,
    /// log10_bound, log10_jacobian}]` (absent values are `null`).
    pub fn readout(&self, t: f64) -> Result<JsValue, JsError> {
        let t = if t.is_finite() {
            t.round().max(1.0) as usize
        } else {
            1
        };
        to_js(&grad_norm_chart::readout(
            self.result()?,
            t,
            self.config.lang,
        ))
    }

    /// One curve as a Float32Array, per step t: `[log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖, log₁₀ bound,
    /// log₁₀ ‖∂h_t/∂h_{t−1}‖]` (3·T numbers; NaN where not computed).
    pub fn series(&self, kind: &str) -> Result<js_sys::Float32Array, JsError> {
        let c = self
            .result()?
            .curves
            .iter()
            .find(|c| c.kind.name() == kind)
            .ok_or_else(|| JsError::new(&format!("no curve {kind:?} in the result")))?;
        let at = |v: &Vec<f64>, t: usize| v.get(t).copied().unwrap_or(f64::NAN);
        let flat: Vec<f64> = (0..c.grad_norm.len())
            .flat_map(|t| {
                [
                    c.grad_norm[t].log10(),
                    at(&c.log10_bound, t),
                    at(&c.jacobian_norm, t).log10(),
                ]
            })
            .collect();
        Ok(f32_array(flat.into_iter()))
    }

    /// Draws log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ against t with the bounds computed so far.
    pub fn draw(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let r = self.result()?;
        let lang = self.config.lang;
        with_canvas(canvas, scale, |area, style| {
            grad_norm_chart::draw(area, r, lang, style)
        })
    }

    /// Draws the per-step Jacobian norms; `note` is shown while there are none.
    #[wasm_bindgen(js_name = drawJacobians)]
    pub fn draw_jacobians(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        note: &str,
    ) -> Result<JsValue, JsError> {
        let r = self.result()?;
        let lang = self.config.lang;
        with_canvas(canvas, scale, |area, style| {
            grad_norm_chart::draw_jacobians(area, r, lang, note, style)
        })
    }

    /// Draws the clipping chart (norms and update steps, log scale).
    #[wasm_bindgen(js_name = drawClip)]
    pub fn draw_clip(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let r = self.result()?;
        let (threshold, lang) = (self.config.flow.clip_threshold, self.config.lang);
        with_canvas(canvas, scale, |area, style| {
            clip_chart::draw(area, &r.clip, threshold, lang, style)
        })
    }
}
