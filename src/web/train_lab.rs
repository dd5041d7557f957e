//! `TrainLabWidget`: the page-side handle of the training lab. It owns the lab's settings
//! (`crate::viz::train_lab::TrainLabConfig`, the URL state), the training history the page
//! receives from the Web Worker (which owns the `TrainerHandle`s, see `www/js/widgets/`), and
//! draws the three charts (`crate::viz::train_charts`) on canvases the page provides.

use super::convert::{config_from_js, core_err, draw_err, pairs_to_js, parse_pairs, to_js};
use crate::core::rnn::CellKind;
use crate::core::train::sample::entropy;
use crate::viz::train_charts::{self, draw_bars, draw_lines, BarTexts};
use crate::viz::train_lab::{
    self, grad_series, loss_series, nearest, token_bars, ChartSeries, EvalPoint, Metric,
    RunHistory, TokenBar, TrainLabConfig,
};
use crate::viz::{axis_label, palette, ChartStyle, Unit};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one training lab (see the module docs).
#[wasm_bindgen]
pub struct TrainLabWidget {
    config: TrainLabConfig,
    runs: Vec<RunHistory>,
    vocab: Vec<String>,
    probs: Vec<f32>,
    loss: Option<ChartSeries>,
    grad: Option<ChartSeries>,
    bars: Vec<TokenBar>,
}

/// One value under the cursor.
#[derive(Serialize)]
struct ReadoutRow {
    label: String,
    step: f64,
    value: f64,
}

/// The status of one run, for the page's table.
#[derive(Serialize)]
struct RunSummary {
    cell: &'static str,
    step: f64,
    recent_loss: Option<f64>,
    eval_step: Option<f64>,
    heldout_teacher: Option<f64>,
    heldout_free: Option<f64>,
    diverged: usize,
}

fn parse_cell(s: &str) -> Result<CellKind, JsError> {
    match s {
        "rnn" => Ok(CellKind::Rnn),
        "lstm" => Ok(CellKind::Lstm),
        "gru" => Ok(CellKind::Gru),
        _ => Err(JsError::new(&format!(
            "unknown cell {s:?} (rnn, lstm or gru)"
        ))),
    }
}

fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    Ok(CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("cannot get a 2D context from the canvas"))?
        .into_drawing_area())
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[wasm_bindgen]
impl TrainLabWidget {
    /// Builds the handle from a config object (missing fields take their defaults; errors name
    /// the bad field). There is one (empty) run of `config.cells()`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<TrainLabWidget, JsError> {
        let config: TrainLabConfig = config_from_js(config)?;
        let runs = config.cells().into_iter().map(RunHistory::new).collect();
        Ok(TrainLabWidget {
            config,
            runs,
            vocab: Vec::new(),
            probs: Vec::new(),
            loss: None,
            grad: None,
            bars: Vec::new(),
        })
    }

    /// The default config as a plain object.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&TrainLabConfig::default())
    }

    /// Parses `[[key, value], …]` into `{config, errors}` (bad pairs keep their defaults).
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<TrainLabConfig>(pairs)
    }

    /// The current config.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }

    /// The config as `[[key, value], …]` for the URL hash.
    #[wasm_bindgen(js_name = urlPairs)]
    pub fn url_pairs(&self) -> Result<JsValue, JsError> {
        pairs_to_js(&self.config)
    }

    /// Replaces the config (validated first; on error the old one stays). The history is kept.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<(), JsError> {
        self.config = config_from_js(config)?;
        Ok(())
    }

    /// The trainer settings for `TrainerHandle` (a plain object).
    #[wasm_bindgen(js_name = trainConfig)]
    pub fn train_config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config.train_config())
    }

    /// The cells trained under the current config, e.g. `["lstm"]` or `["rnn", "lstm", "gru"]`.
    pub fn cells(&self) -> Result<JsValue, JsError> {
        let names: Vec<String> = self
            .config
            .cells()
            .into_iter()
            .map(|c| train_lab::cell_name(c).to_lowercase())
            .collect();
        to_js(&names)
    }

    /// The chart colours as CSS hex, so the page's table and swatches match the lines:
    /// `{rnn, lstm, gru, train, heldout, free, before, after, bar, pick}`.
    pub fn colours() -> Result<JsValue, JsError> {
        let c = |x| palette::hex(x);
        to_js(&serde_json::json!({
            "rnn": c(train_lab::cell_colour(CellKind::Rnn)),
            "lstm": c(train_lab::cell_colour(CellKind::Lstm)),
            "gru": c(train_lab::cell_colour(CellKind::Gru)),
            "train": c(train_lab::TRAIN_COLOUR),
            "heldout": c(train_lab::HELDOUT_COLOUR),
            "free": c(train_lab::FREE_COLOUR),
            "before": c(train_lab::BEFORE_COLOUR),
            "after": c(train_lab::AFTER_COLOUR),
            "bar": c(train_charts::BAR_COLOUR),
            "pick": c(train_charts::PICK_COLOUR),
        }))
    }

    /// Starts empty histories for `cells` (names as in [`TrainLabWidget::cells`]).
    #[wasm_bindgen(js_name = resetRuns)]
    pub fn reset_runs(&mut self, cells: Vec<String>) -> Result<(), JsError> {
        let kinds = cells
            .iter()
            .map(|s| parse_cell(s))
            .collect::<Result<Vec<_>, _>>()?;
        if kinds.is_empty() {
            return Err(JsError::new("at least one run is needed"));
        }
        self.runs = kinds.into_iter().map(RunHistory::new).collect();
        self.loss = None;
        self.grad = None;
        Ok(())
    }

    fn run(&mut self, run: u32) -> Result<&mut RunHistory, JsError> {
        let n = self.runs.len();
        self.runs
            .get_mut(run as usize)
            .ok_or_else(|| JsError::new(&format!("run {run} does not exist (there are {n})")))
    }

    /// Appends a batch of `TrainerHandle.train` reports (`[step, loss, grad_norm,
    /// grad_norm_after, clipped, finite] × k`) to run `run`.
    #[wasm_bindgen(js_name = pushReports)]
    pub fn push_reports(&mut self, run: u32, packed: &[f64]) -> Result<(), JsError> {
        self.run(run)?.push_packed(packed).map_err(core_err)
    }

    /// Records held-out losses (teacher-forced and free-running, nats/token) at `step`.
    #[wasm_bindgen(js_name = pushEval)]
    pub fn push_eval(
        &mut self,
        run: u32,
        step: f64,
        teacher: f64,
        free: f64,
    ) -> Result<(), JsError> {
        self.run(run)?.push_eval(EvalPoint {
            step,
            teacher,
            free,
        });
        Ok(())
    }

    /// Run `run` went back to its checkpoint at `step`: later entries are dropped.
    pub fn restored(&mut self, run: u32, step: f64) -> Result<(), JsError> {
        self.run(run)?.truncate_after(step);
        Ok(())
    }

    /// Per run: `{cell, step, recent_loss (mean of the last 50 steps), eval_step,
    /// heldout_teacher, heldout_free, diverged (count)}`; missing values are null.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let rows: Vec<RunSummary> = self
            .runs
            .iter()
            .map(|r| {
                let e = r.evals.last();
                RunSummary {
                    cell: train_lab::cell_name(r.cell),
                    step: r.last_step(),
                    recent_loss: r.recent_loss(50),
                    eval_step: e.map(|e| e.step),
                    heldout_teacher: e.and_then(|e| finite(e.teacher)),
                    heldout_free: e.and_then(|e| finite(e.free)),
                    diverged: r.diverged.len(),
                }
            })
            .collect();
        to_js(&rows)
    }

    /// Draws the loss (or perplexity) chart; returns the mapping (x = step).
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&mut self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let width = canvas.width();
        let style = ChartStyle::for_canvas(width, scale);
        let buckets = ((f64::from(width) / style.scale) / 3.0).max(50.0) as usize;
        let series = loss_series(&self.runs, &self.config, buckets);
        let lang = self.config.lang;
        let y_desc = match self.config.metric {
            Metric::Loss => axis_label(
                lang.pick("교차 엔트로피", "cross-entropy"),
                Unit::Named(lang.pick("nats/토큰", "nats/token")),
                lang,
            ),
            Metric::Perplexity => axis_label(
                lang.pick("퍼플렉서티 e^손실", "perplexity e^loss"),
                Unit::Dimensionless,
                lang,
            ),
        };
        let area = canvas_area(canvas)?;
        let m = draw_lines(
            &area,
            &series,
            &axis_label(
                lang.pick("파라미터 업데이트", "parameter updates"),
                Unit::Steps,
                lang,
            ),
            &y_desc,
            lang.pick(
                "▶ 학습을 누르면 곡선이 그려집니다",
                "Press ▶ Train to draw the curves",
            ),
            &style,
            lang,
        )
        .map_err(draw_err)?;
        self.loss = Some(series);
        to_js(&m)
    }

    /// Draws the gradient-norm chart (log scale; the mapping's y is log10 ‖g‖).
    #[wasm_bindgen(js_name = drawGrad)]
    pub fn draw_grad(&mut self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let width = canvas.width();
        let style = ChartStyle::for_canvas(width, scale);
        let buckets = ((f64::from(width) / style.scale) / 3.0).max(50.0) as usize;
        let series = grad_series(&self.runs, &self.config, buckets);
        let lang = self.config.lang;
        let area = canvas_area(canvas)?;
        let m = draw_lines(
            &area,
            &series,
            &axis_label(
                lang.pick("파라미터 업데이트", "parameter updates"),
                Unit::Steps,
                lang,
            ),
            &axis_label(
                lang.pick("‖g‖₂, 로그 눈금", "‖g‖₂, log scale"),
                Unit::Dimensionless,
                lang,
            ),
            lang.pick("아직 기울기가 없습니다", "No gradients yet"),
            &style,
            lang,
        )
        .map_err(draw_err)?;
        self.grad = Some(series);
        to_js(&m)
    }

    fn readout(series: &Option<ChartSeries>, x: f64) -> Result<JsValue, JsError> {
        let Some(s) = series else {
            return to_js(&Vec::<ReadoutRow>::new());
        };
        let rows: Vec<ReadoutRow> = s
            .lines
            .iter()
            .filter_map(|l| {
                nearest(&l.points, x).map(|(step, y)| ReadoutRow {
                    label: l.label.clone(),
                    step,
                    value: if s.log_y { 10f64.powf(y) } else { y },
                })
            })
            .collect();
        to_js(&rows)
    }

    /// The drawn loss-chart values nearest to step `x`: `[{label, step, value}]` per line.
    #[wasm_bindgen(js_name = lossReadout)]
    pub fn loss_readout(&self, x: f64) -> Result<JsValue, JsError> {
        Self::readout(&self.loss, x)
    }

    /// The drawn gradient-chart values nearest to step `x` (values, not log10).
    #[wasm_bindgen(js_name = gradReadout)]
    pub fn grad_readout(&self, x: f64) -> Result<JsValue, JsError> {
        Self::readout(&self.grad, x)
    }

    /// Sets the vocabulary (token texts in id order) used to label the bars.
    #[wasm_bindgen(js_name = setVocab)]
    pub fn set_vocab(&mut self, tokens: Vec<String>) {
        self.vocab = tokens;
        self.probs.clear();
    }

    /// Sets the next-token distribution (V probabilities at the current temperature) and returns
    /// `{entropy, max_entropy}` in nats (max = ln V, the uniform distribution).
    #[wasm_bindgen(js_name = setDistribution)]
    pub fn set_distribution(&mut self, probs: &[f32]) -> Result<JsValue, JsError> {
        if probs.iter().any(|p| !p.is_finite() || *p < 0.0) {
            return Err(JsError::new("the probabilities are not finite"));
        }
        self.probs = probs.to_vec();
        to_js(&serde_json::json!({
            "entropy": entropy(probs),
            "max_entropy": (probs.len().max(1) as f64).ln(),
        }))
    }

    /// Draws the bars of the current distribution (top 10, or 8 on a phone, plus the rest), the
    /// greedy choice highlighted when `config.greedy`. Returns the mapping (y = bar slot, slot 0
    /// at the bottom).
    #[wasm_bindgen(js_name = drawBars)]
    pub fn draw_bars(&mut self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let style = ChartStyle::for_canvas(canvas.width(), scale);
        let lang = self.config.lang;
        let k = if style.compact { 8 } else { 10 };
        self.bars = token_bars(&self.probs, &self.vocab, k, lang);
        let h = entropy(&self.probs);
        let legend = format!(
            "p_τ, τ = {} · {} H = {:.2} nats",
            train_lab::trim_number(self.config.temperature),
            lang.pick("엔트로피", "entropy"),
            h
        );
        let y_desc = format!(
            "{} ({} {} / V = {})",
            lang.pick("다음 토큰", "next token"),
            lang.pick("상위", "top"),
            self.bars.iter().filter(|b| b.id.is_some()).count(),
            self.probs.len()
        );
        let highlight = (self.config.greedy && !self.bars.is_empty()).then_some(0);
        let area = canvas_area(canvas)?;
        let m = draw_bars(
            &area,
            &self.bars,
            highlight,
            &BarTexts {
                legend: &legend,
                pick: lang.pick("탐욕적 선택 (argmax)", "greedy pick (argmax)"),
                y_desc: &y_desc,
                empty: lang.pick(
                    "“생성” 또는 “다음 토큰 하나”를 누르면 다음 토큰의 확률이 보입니다",
                    "Press “Generate” or “Next token” to see the next-token probabilities",
                ),
            },
            &style,
            lang,
        )
        .map_err(draw_err)?;
        to_js(&m)
    }

    /// The bar in slot `y` of the last drawn bar chart: `{label, p, id}` or null.
    #[wasm_bindgen(js_name = barAt)]
    pub fn bar_at(&self, y: f64) -> Result<JsValue, JsError> {
        let k = self.bars.len();
        if !(y.is_finite() && y >= 0.0 && (y as usize) < k) {
            return Ok(JsValue::NULL);
        }
        to_js(&self.bars[k - 1 - y as usize])
    }
}
