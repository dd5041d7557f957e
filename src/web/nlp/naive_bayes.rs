//! `NaiveBayesWidget`: the lecture's Naive Bayes example (see [`crate::viz::nlp::naive_bayes`]).

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::draw_on;
use crate::core::nlp::naive_bayes::lecture_documents;
use crate::viz::nlp::naive_bayes::{self, docs_text, NaiveBayesWidgetConfig};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `naivebayes` widget.
#[wasm_bindgen]
pub struct NaiveBayesWidget {
    config: NaiveBayesWidgetConfig,
}

#[wasm_bindgen]
impl NaiveBayesWidget {
    /// Builds the widget from a config object (missing fields take their defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<NaiveBayesWidget, JsError> {
        Ok(NaiveBayesWidget {
            config: config_from_js(config)?,
        })
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&NaiveBayesWidgetConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}`.
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<NaiveBayesWidgetConfig>(pairs)
    }

    /// The lecture's documents as `class | text` lines.
    #[wasm_bindgen(js_name = lectureDocs)]
    pub fn lecture_docs() -> String {
        docs_text(&lecture_documents())
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

    /// Everything the page shows: `{report, classes}` (see `NaiveBayesView`). Errors (a class
    /// whose documents have no words, …) are clear messages.
    pub fn view(&self) -> Result<JsValue, JsError> {
        to_js(&naive_bayes::view(&self.config).map_err(core_err)?)
    }

    /// Draws log₁₀ of each class's score.
    pub fn draw(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| naive_bayes::draw(a, &self.config, s))
    }
}
