//! `OneHotWidget`: one-hot vs dense cosine matrices (see [`crate::viz::nlp::onehot`]).

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::draw_on;
use super::vectors::WordVectorsHandle;
use crate::viz::nlp::onehot::OneHotConfig;
use crate::viz::nlp::{draw_placeholder, onehot};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `onehot` widget.
#[wasm_bindgen]
pub struct OneHotWidget {
    config: OneHotConfig,
}

#[wasm_bindgen]
impl OneHotWidget {
    /// Builds the widget from a config object (missing fields take their defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<OneHotWidget, JsError> {
        Ok(OneHotWidget {
            config: config_from_js(config)?,
        })
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&OneHotConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}` (bad values keep their defaults).
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<OneHotConfig>(pairs)
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

    /// Replaces the config (validated; on error the old one stays).
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<(), JsError> {
        self.config = config_from_js(config)?;
        Ok(())
    }

    /// The one-hot words, their vectors and cosines: `{words, values, vectors}`.
    #[wasm_bindgen(js_name = oneHot)]
    pub fn one_hot(&self) -> Result<JsValue, JsError> {
        to_js(&onehot::onehot_matrix(&self.config).map_err(core_err)?)
    }

    /// The dense side: `{matrix: {words, values, vectors} | null, unknown: [{word, message}]}`.
    #[wasm_bindgen(js_name = denseView)]
    pub fn dense_view(&self, vectors: &WordVectorsHandle) -> Result<JsValue, JsError> {
        to_js(&onehot::dense_view(&self.config, &vectors.vectors).map_err(core_err)?)
    }

    /// Draws the one-hot cosine matrix.
    #[wasm_bindgen(js_name = drawOneHot)]
    pub fn draw_one_hot(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            onehot::draw_onehot(a, &self.config, s)
        })
    }

    /// Draws the dense cosine matrix of the known words.
    #[wasm_bindgen(js_name = drawDense)]
    pub fn draw_dense(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        vectors: &WordVectorsHandle,
    ) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            onehot::draw_dense(a, &self.config, Some(&vectors.vectors), "", s)
        })
    }

    /// Draws an empty frame with `message` (while the vectors load).
    #[wasm_bindgen(js_name = drawWaiting)]
    pub fn draw_waiting(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        message: &str,
    ) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| draw_placeholder(a, message, s))
    }
}
