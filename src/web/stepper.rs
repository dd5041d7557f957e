//! `StepperWidget`: the wasm handle of the step-through widget (RNN, LSTM, GRU over a sentence,
//! one timestep at a time). The math is `crate::core::stepper`; the charts and equations are
//! `crate::viz::{gate_heatmap, cell_trace, token_bars, stepper_view}`.
//!
//! Trained weights are fetched by the page (`data/models/stepper-{word,char}-{cell}.json`) and
//! handed over with `loadModel(name, json)`; until the model a config needs has arrived the handle
//! has no frames (`ready()` is false). Every frame is precomputed, so stepping back reads a cached
//! frame and returns exactly the same numbers.

use super::convert::{
    config_from_js, core_err, draw_err, f32_array, pairs_to_js, parse_pairs, to_js,
};
use crate::core::activations::Activation;
use crate::core::rnn::format::{from_json, ModelFile};
use crate::core::rnn::model::ModelSpec;
use crate::core::rnn::CellKind;
use crate::core::stepper::{Stepper, StepperConfig, Weights};
use crate::core::train::data::TokenKind;
use crate::viz::gate_heatmap::{self, ColourScale, Heatmap};
use crate::viz::stepper_view::{self, StepperViewConfig};
use crate::viz::{cell_trace, token_bars, ChartMapping, ChartStyle, DrawError, Lang};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle for one step-through widget.
#[wasm_bindgen]
pub struct StepperWidget {
    config: StepperViewConfig,
    models: HashMap<String, ModelFile<f64>>,
    stepper: Option<Stepper>,
}

/// The shipped model file a config needs, e.g. `stepper-word-lstm.json` (`None` for random weights).
fn model_file(c: &StepperConfig) -> Option<String> {
    (c.weights == Weights::Trained).then(|| {
        let tokens = match c.tokens {
            TokenKind::Word => "word",
            TokenKind::Char => "char",
        };
        format!("stepper-{tokens}-{}.json", c.cell.name())
    })
}

/// What the page shows about the model in use.
#[derive(Serialize)]
struct ModelInfo {
    cell: CellKind,
    gru: crate::core::rnn::GruVariant,
    activation: Activation,
    residual: bool,
    hidden: usize,
    vocab: usize,
    trained: bool,
    file: Option<String>,
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

/// Legend text of gate `name` of a cell.
fn gate_label(spec: &ModelSpec, name: &str, lang: Lang) -> String {
    let (sym, ko, en) = match (spec.cell, name) {
        (CellKind::Lstm, "i") => ("i_t", "입력 게이트", "input gate"),
        (CellKind::Lstm, "f") => ("f_t", "망각 게이트", "forget gate"),
        (CellKind::Lstm, "o") => ("o_t", "출력 게이트", "output gate"),
        (CellKind::Lstm, _) => ("g_t", "후보 (tanh)", "candidate (tanh)"),
        (CellKind::Gru, "z") => ("z_t", "업데이트 게이트", "update gate"),
        (CellKind::Gru, "r") => ("r_t", "리셋 게이트", "reset gate"),
        (CellKind::Gru, _) if spec.gru == crate::core::rnn::GruVariant::Lecture => {
            ("h̃_t", "후보 (tanh)", "candidate (tanh)")
        }
        (CellKind::Gru, _) => ("n_t", "후보 (tanh)", "candidate (tanh)"),
        (CellKind::Rnn, _) => ("h_t", "은닉 상태", "hidden state"),
    };
    format!("{sym} — {}", lang.pick(ko, en))
}

/// The colour scale of gate `name`: σ gates in [0, 1], tanh in [−1, 1], else symmetric to the data.
fn gate_scale(spec: &ModelSpec, name: &str, values: &[f64]) -> ColourScale {
    match (spec.cell, name) {
        (CellKind::Lstm, "g") | (CellKind::Gru, "n") => ColourScale::Signed(1.0),
        (CellKind::Lstm, _) | (CellKind::Gru, _) => ColourScale::Gate01,
        (CellKind::Rnn, _) => match spec.activation {
            Activation::Tanh if !spec.residual => ColourScale::Signed(1.0),
            Activation::Sigmoid if !spec.residual => ColourScale::Gate01,
            _ => ColourScale::symmetric(values),
        },
    }
}

impl StepperWidget {
    fn build(&self, config: &StepperViewConfig) -> Result<Option<Stepper>, JsError> {
        let core = config.model.clone();
        match model_file(&core) {
            None => Ok(Some(Stepper::new(core, None).map_err(core_err)?)),
            Some(name) => match self.models.get(&name) {
                Some(file) => Ok(Some(Stepper::new(core, Some(file)).map_err(core_err)?)),
                None => Ok(None),
            },
        }
    }

    fn stepper(&self) -> Result<&Stepper, JsError> {
        self.stepper.as_ref().ok_or_else(|| {
            JsError::new(&format!(
                "the trained model {} is not loaded yet",
                model_file(&self.config.model).unwrap_or_default()
            ))
        })
    }

    fn clamp(&mut self) {
        if let Some(s) = &self.stepper {
            let units = s.model().spec().hidden;
            self.config.clamp_to(s.len(), units);
        }
    }

    /// 0-based current step and unit.
    fn cursor(&self) -> (usize, usize) {
        (self.config.step - 1, self.config.unit - 1)
    }
}

#[wasm_bindgen]
impl StepperWidget {
    /// Builds a widget from a config object (missing fields take their defaults). With trained
    /// weights the frames appear once `loadModel` has supplied the model (see `modelFile`).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<StepperWidget, JsError> {
        let config: StepperViewConfig = config_from_js(config)?;
        let mut w = StepperWidget {
            config: config.clone(),
            models: HashMap::new(),
            stepper: None,
        };
        w.stepper = w.build(&config)?;
        w.clamp();
        Ok(w)
    }

    /// The default config as a plain object.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&StepperViewConfig::default())
    }

    /// Parses `[[key, value], …]` into `{config, errors}` (bad values keep their defaults).
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<StepperViewConfig>(pairs)
    }

    /// The model file a config needs (`"stepper-word-lstm.json"`), or `undefined` for random
    /// weights. Throws on an invalid config.
    #[wasm_bindgen(js_name = modelFileFor)]
    pub fn model_file_for(config: JsValue) -> Result<Option<String>, JsError> {
        let c: StepperViewConfig = config_from_js(config)?;
        Ok(model_file(&c.model))
    }

    /// True when the model file `name` has been loaded into this handle.
    #[wasm_bindgen(js_name = hasModel)]
    pub fn has_model(&self, name: &str) -> bool {
        self.models.contains_key(name)
    }

    /// Parses a model file (the text of `data/models/<name>`) and keeps it; if the current config
    /// was waiting for it, the frames are computed now.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, name: &str, json: &str) -> Result<(), JsError> {
        let file: ModelFile<f64> = from_json(json)
            .map_err(|e| JsError::new(&format!("cannot read the model {name}: {e}")))?;
        self.models.insert(name.to_string(), file);
        if self.stepper.is_none() {
            let config = self.config.clone();
            self.stepper = self.build(&config)?;
            self.clamp();
        }
        Ok(())
    }

    /// True when the frames are computed (false while a trained model is missing).
    pub fn ready(&self) -> bool {
        self.stepper.is_some()
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

    /// Replaces the config. The new frames are computed first; on any error (bad value, a
    /// sentence the trained vocabulary cannot read, a model not loaded yet) the old state stays.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<(), JsError> {
        let config: StepperViewConfig = config_from_js(config)?;
        let stepper = self.build(&config)?.ok_or_else(|| {
            JsError::new(&format!(
                "the trained model {} is not loaded yet",
                model_file(&config.model).unwrap_or_default()
            ))
        })?;
        self.config = config;
        self.stepper = Some(stepper);
        self.clamp();
        Ok(())
    }

    /// The model file the current config uses, or `undefined` for random weights.
    #[wasm_bindgen(js_name = modelFile)]
    pub fn model_file(&self) -> Option<String> {
        model_file(&self.config.model)
    }

    /// Number of timesteps T.
    pub fn steps(&self) -> Result<usize, JsError> {
        Ok(self.stepper()?.len())
    }

    /// Number of hidden units H of the model in use (a trained model has its own).
    pub fn units(&self) -> Result<usize, JsError> {
        Ok(self.stepper()?.model().spec().hidden)
    }

    /// The current step t (1-based).
    pub fn step(&self) -> usize {
        self.config.step
    }

    /// The selected unit k (1-based).
    pub fn unit(&self) -> usize {
        self.config.unit
    }

    /// Moves to step `t` (1-based, clamped to 1 … T) and returns the step now shown.
    pub fn seek(&mut self, t: f64) -> Result<usize, JsError> {
        let n = self.stepper()?.len();
        let t = if t.is_finite() {
            t.round().max(1.0) as usize
        } else {
            1
        };
        self.config.step = t.clamp(1, n);
        Ok(self.config.step)
    }

    /// Selects unit `k` (1-based, clamped to 1 … H) and returns the unit now selected.
    #[wasm_bindgen(js_name = setUnit)]
    pub fn set_unit(&mut self, k: f64) -> Result<usize, JsError> {
        let h = self.stepper()?.model().spec().hidden;
        let k = if k.is_finite() {
            k.round().max(1.0) as usize
        } else {
            1
        };
        self.config.unit = k.clamp(1, h);
        Ok(self.config.unit)
    }

    /// The frame of the current step: `{t, token, id, gates: [{name, rec, inp, bias, pre, val}],
    /// h_prev, h, c_prev, c, top: [{id, token, p}], target, target_rank, loss, entropy}` (t 0-based).
    pub fn frame(&self) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let f = s
            .frame(self.config.step - 1)
            .ok_or_else(|| JsError::new("no such step"))?;
        to_js(f)
    }

    /// The input tokens x_1 … x_T as shown in the sentence strip.
    pub fn tokens(&self) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let toks: Vec<&str> = (0..s.len())
            .filter_map(|t| s.frame(t).map(|f| f.token.as_str()))
            .collect();
        to_js(&toks)
    }

    /// Words of the sentence that the trained vocabulary does not know (read as `<unk>`).
    #[wasm_bindgen(js_name = unknownWords)]
    pub fn unknown_words(&self) -> Result<JsValue, JsError> {
        to_js(self.stepper()?.unknown_words())
    }

    /// `{cell, gru, activation, residual, hidden, vocab, trained, file}` of the model in use.
    #[wasm_bindgen(js_name = modelInfo)]
    pub fn model_info(&self) -> Result<JsValue, JsError> {
        let spec = self.stepper()?.model().spec();
        to_js(&ModelInfo {
            cell: spec.cell,
            gru: spec.gru,
            activation: spec.activation,
            residual: spec.residual,
            hidden: spec.hidden,
            vocab: spec.vocab,
            trained: self.config.model.weights == Weights::Trained,
            file: model_file(&self.config.model),
        })
    }

    /// Mean of the loss terms J⁽ᵗ⁾ over the steps with a target (the lecture's J), or `undefined`.
    #[wasm_bindgen(js_name = meanLoss)]
    pub fn mean_loss(&self) -> Result<Option<f64>, JsError> {
        Ok(self.stepper()?.mean_loss())
    }

    /// The cell's equations (KaTeX source).
    pub fn equations(&self) -> Result<String, JsError> {
        Ok(stepper_view::equations_tex(self.stepper()?.model().spec()))
    }

    /// The equations of the selected unit at the current step with the numbers substituted
    /// (KaTeX source); `wrap` puts the numbers on their own line (narrow screens).
    #[wasm_bindgen(js_name = liveEquations)]
    pub fn live_equations(&self, wrap: bool) -> Result<String, JsError> {
        let s = self.stepper()?;
        let (t, k) = self.cursor();
        let f = s.frame(t).ok_or_else(|| JsError::new("no such step"))?;
        stepper_view::live_tex(s.model().spec(), f, k, wrap).map_err(core_err)
    }

    /// Gate names in storage order: `["h"]`, `["i","f","o","g"]` or `["z","r","n"]`.
    #[wasm_bindgen(js_name = gateNames)]
    pub fn gate_names(&self) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let names: Vec<String> = s
            .frame(0)
            .map(|f| f.gates.iter().map(|g| g.name.clone()).collect())
            .unwrap_or_default();
        to_js(&names)
    }

    /// Gate `q`'s values over the whole sentence, (T, H) row-major, as a Float32Array.
    #[wasm_bindgen(js_name = gateMatrix)]
    pub fn gate_matrix(&self, q: usize) -> Result<js_sys::Float32Array, JsError> {
        let m = self.stepper()?.gate_matrix(q);
        Ok(f32_array(m.into_iter()))
    }

    /// `"h"` or `"c"` over the whole sentence, (T, H) row-major (c is empty except for the LSTM).
    #[wasm_bindgen(js_name = stateMatrix)]
    pub fn state_matrix(&self, which: &str) -> Result<js_sys::Float32Array, JsError> {
        let s = self.stepper()?;
        let m = match which {
            "h" => s.h_matrix(),
            "c" => s.c_matrix(),
            _ => return Err(JsError::new(&format!("unknown state {which:?} (h or c)"))),
        };
        Ok(f32_array(m.into_iter()))
    }

    /// The probability bars of the current step, top to bottom: `[{label, p, rank, target}]`.
    #[wasm_bindgen(js_name = probRows)]
    pub fn prob_rows(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Row {
            label: String,
            p: f64,
            rank: usize,
            target: bool,
        }
        let s = self.stepper()?;
        let f = s
            .frame(self.config.step - 1)
            .ok_or_else(|| JsError::new("no such step"))?;
        let rows: Vec<Row> = token_bars::bars(f)
            .into_iter()
            .map(|b| Row {
                label: b.label,
                p: b.p,
                rank: b.rank,
                target: b.target,
            })
            .collect();
        to_js(&rows)
    }

    /// Draws gate `q`'s heatmap (x = t, y = unit k, both 1-based) up to the current step.
    #[wasm_bindgen(js_name = drawGate)]
    pub fn draw_gate(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        q: usize,
    ) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let spec = s.model().spec();
        let names = spec.cell.gate_names();
        if q >= names.len() {
            return Err(JsError::new(&format!("no gate {q}")));
        }
        let name = if names[q].is_empty() { "h" } else { names[q] };
        let values = s.gate_matrix(q);
        let (t, k) = self.cursor();
        let map = Heatmap {
            values: &values,
            steps: s.len(),
            units: spec.hidden,
            shown: t + 1,
            cursor: (t, k),
            scale: gate_scale(spec, name, &values),
            label: gate_label(spec, name, self.config.lang),
            lang: self.config.lang,
        };
        with_canvas(canvas, scale, |area, style| {
            gate_heatmap::draw(area, &map, style)
        })
    }

    /// Draws the traces of `"h"` or `"c"` (x = t, 1-based) up to the current step.
    #[wasm_bindgen(js_name = drawState)]
    pub fn draw_state(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        which: &str,
    ) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let spec = s.model().spec();
        let (values, symbol, bounded) = match which {
            "h" => (
                s.h_matrix(),
                "h",
                spec.cell != CellKind::Rnn
                    || (spec.activation == Activation::Tanh && !spec.residual),
            ),
            "c" if spec.cell == CellKind::Lstm => (s.c_matrix(), "c", false),
            _ => return Err(JsError::new(&format!("no state {which:?} for this cell"))),
        };
        let (t, k) = self.cursor();
        let tr = cell_trace::Traces {
            values: &values,
            steps: s.len(),
            units: spec.hidden,
            shown: t + 1,
            unit: k,
            symbol,
            y_range: bounded.then_some((-1.0, 1.0)),
            lang: self.config.lang,
        };
        with_canvas(canvas, scale, |area, style| {
            cell_trace::draw(area, &tr, style)
        })
    }

    /// Draws the next-token probability bars of the current step.
    #[wasm_bindgen(js_name = drawProbs)]
    pub fn draw_probs(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let s = self.stepper()?;
        let f = s
            .frame(self.config.step - 1)
            .ok_or_else(|| JsError::new("no such step"))?;
        let lang = self.config.lang;
        with_canvas(canvas, scale, |area, style| {
            token_bars::draw(area, f, lang, style)
        })
    }
}
