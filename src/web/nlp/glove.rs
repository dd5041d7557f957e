//! `GloveWidget`: co-occurrence matrix, weighting, objective and growth (see
//! [`crate::viz::nlp::glove`]).

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::{budget, draw_on};
use crate::core::config::WidgetConfig;
use crate::core::nlp::glove::GrowthPoint;
use crate::viz::nlp::charts::text_colour_on;
use crate::viz::nlp::glove::{self, GloveSession, GloveWidgetConfig, GrowthCorpus, MatrixView};
use crate::viz::palette;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `glove` widget.
#[wasm_bindgen]
pub struct GloveWidget {
    config: GloveWidgetConfig,
    session: GloveSession,
    growth: Vec<GrowthPoint>,
}

/// The matrix with a background and a text colour per cell (viridis by count).
#[derive(Serialize)]
struct ColouredMatrix {
    #[serde(flatten)]
    view: MatrixView,
    background: Vec<String>,
    foreground: Vec<String>,
}

fn session_key(c: &GloveWidgetConfig) -> String {
    format!(
        "{}|{}|{}|{}|{:?}|{}|{}|{}",
        c.corpus, c.window, c.x_max, c.alpha, c.objective, c.dim, c.lr, c.seed
    )
}

#[wasm_bindgen]
impl GloveWidget {
    /// Builds the widget and counts its corpus.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<GloveWidget, JsError> {
        let config: GloveWidgetConfig = config_from_js(config)?;
        let session = GloveSession::new(&config).map_err(core_err)?;
        let mut w = GloveWidget {
            config,
            session,
            growth: Vec::new(),
        };
        if w.config.growth == GrowthCorpus::Text {
            w.growth = glove::growth(&w.config.corpus, &w.config).map_err(core_err)?;
        }
        Ok(w)
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&GloveWidgetConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}`.
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<GloveWidgetConfig>(pairs)
    }

    /// The file of the growth corpus (`null` for the widget's own text).
    #[wasm_bindgen(js_name = growthPath)]
    pub fn growth_path(&self) -> Option<String> {
        self.config.growth.path().map(str::to_string)
    }

    /// The current config.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }

    /// The config as URL pairs.
    #[wasm_bindgen(js_name = urlPairs)]
    pub fn url_pairs(&self) -> Result<JsValue, JsError> {
        pairs_to_js(&self.config)
    }

    /// Replaces the config; a change that affects counting or training recounts and restarts
    /// training (returns `true` then). On error (e.g. a corpus without any pair of neighbours)
    /// the old config and model stay.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<bool, JsError> {
        let next: GloveWidgetConfig = config_from_js(config)?;
        next.validate().map_err(core_err)?;
        let restart = session_key(&next) != session_key(&self.config);
        if restart {
            self.session = GloveSession::new(&next).map_err(core_err)?;
        }
        let growth_changed = next.growth != self.config.growth
            || (next.growth == GrowthCorpus::Text
                && (next.corpus != self.config.corpus || next.window != self.config.window));
        let window_changed = next.window != self.config.window;
        self.config = next;
        if growth_changed || window_changed {
            self.growth.clear();
            if self.config.growth == GrowthCorpus::Text {
                self.growth = glove::growth(&self.config.corpus, &self.config).map_err(core_err)?;
            }
        }
        Ok(restart)
    }

    /// True when the growth chart needs the growth corpus file (call `setGrowthText`).
    #[wasm_bindgen(js_name = needsGrowthText)]
    pub fn needs_growth_text(&self) -> bool {
        self.growth.is_empty() && self.config.growth != GrowthCorpus::Text
    }

    /// Computes the growth curve over `text` (the fetched growth corpus).
    #[wasm_bindgen(js_name = setGrowthText)]
    pub fn set_growth_text(&mut self, text: &str) -> Result<(), JsError> {
        self.growth = glove::growth(text, &self.config).map_err(core_err)?;
        Ok(())
    }

    /// The growth points `[{tokens, vocab, cells, nonzeros, dense_bytes, sparse_bytes, density}]`.
    pub fn growth(&self) -> Result<JsValue, JsError> {
        to_js(&self.growth)
    }

    /// The matrix (at most `limit` most frequent words) with cell colours.
    pub fn matrix(&self, limit: u32) -> Result<JsValue, JsError> {
        let view = self
            .session
            .matrix_view(limit.clamp(2, 40) as usize)
            .map_err(core_err)?;
        let max = view.values.iter().cloned().fold(1.0f64, f64::max);
        let colours: Vec<_> = view
            .values
            .iter()
            .map(|&x| {
                // Zero cells stay white so the sparsity is visible; counts run through viridis
                // from its light end (small) to its dark end (largest).
                if x == 0.0 {
                    plotters::style::RGBColor(255, 255, 255)
                } else {
                    palette::sequential(1.0 - 0.85 * x / max)
                }
            })
            .collect();
        to_js(&ColouredMatrix {
            background: colours.iter().map(|&c| palette::hex(c)).collect(),
            foreground: colours
                .iter()
                .map(|&c| palette::hex(text_colour_on(c)))
                .collect(),
            view,
        })
    }

    /// Trains `n` cell updates; returns `{steps, epochs, steps_per_epoch, last_epoch_cost,
    /// objective}` (objective = J now).
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let p = self.session.train(budget(n));
        self.progress_with(p)
    }

    /// The training progress (as `train` returns it).
    pub fn progress(&self) -> Result<JsValue, JsError> {
        self.progress_with(self.session.model().progress())
    }

    fn progress_with(&self, p: crate::core::nlp::glove::GloveProgress) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct P {
            #[serde(flatten)]
            p: crate::core::nlp::glove::GloveProgress,
            objective: f64,
        }
        to_js(&P {
            p,
            objective: self.session.model().objective(),
        })
    }

    /// Starts training again from fresh vectors.
    pub fn restart(&mut self) -> Result<(), JsError> {
        self.session = GloveSession::new(&self.config).map_err(core_err)?;
        Ok(())
    }

    /// The 5 nearest words to the probe word (`u + v` vectors).
    pub fn nearest(&self) -> Result<JsValue, JsError> {
        to_js(
            &self
                .session
                .nearest(&self.config.probe, 5)
                .map_err(core_err)?,
        )
    }

    /// Draws f(x) with the matrix's counts on it.
    #[wasm_bindgen(js_name = drawWeight)]
    pub fn draw_weight(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let counts: Vec<f64> = self
            .session
            .model()
            .cooccurrence()
            .cells
            .iter()
            .map(|c| c.x)
            .collect();
        draw_on(canvas, scale, |a, s| {
            glove::draw_weight(a, &self.config, &counts, s)
        })
    }

    /// Draws J against the epoch.
    #[wasm_bindgen(js_name = drawObjective)]
    pub fn draw_objective(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
    ) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            self.session.draw_objective(a, self.config.lang, s)
        })
    }

    /// Draws V² and the non-zero cells against V.
    #[wasm_bindgen(js_name = drawGrowth)]
    pub fn draw_growth(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            glove::draw_growth(a, &self.growth, self.config.lang, s)
        })
    }
}
