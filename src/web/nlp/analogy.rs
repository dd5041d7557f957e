//! `AnalogyWidget`: analogies, neighbours and PCA pictures with GloVe 6B (see
//! [`crate::viz::nlp::analogy`]); `AnalogyBenchmark`: the word2vec analogy test set, in steps.

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::vectors::WordVectorsHandle;
use super::{budget, draw_on};
use crate::core::nlp::analogy_eval::{parse_questions, EvalConfig, Evaluator};
use crate::core::nlp::vectors::{preset, AnalogyMethod};
use crate::viz::nlp::analogy::{self, AnalogyWidgetConfig};
use crate::viz::nlp::draw_placeholder;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `analogy` widget.
#[wasm_bindgen]
pub struct AnalogyWidget {
    config: AnalogyWidgetConfig,
}

#[wasm_bindgen]
impl AnalogyWidget {
    /// Builds the widget from a config object.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<AnalogyWidget, JsError> {
        Ok(AnalogyWidget {
            config: config_from_js(config)?,
        })
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&AnalogyWidgetConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}`.
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<AnalogyWidgetConfig>(pairs)
    }

    /// The lecture presets: `[{id, title_ko, title_en, a, b, c, expected}]`.
    pub fn presets() -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct P {
            id: &'static str,
            title_ko: &'static str,
            title_en: &'static str,
            a: &'static str,
            b: &'static str,
            c: &'static str,
            expected: &'static str,
        }
        let list: Vec<P> = analogy::preset_list()
            .into_iter()
            .filter_map(|(id, _, _)| preset(id).ok())
            .map(|p| P {
                id: p.id,
                title_ko: p.title_ko,
                title_en: p.title_en,
                a: p.a,
                b: p.b,
                c: p.c,
                expected: p.expected,
            })
            .collect();
        to_js(&list)
    }

    /// The path and size of the vector file: `{path, bytes}`.
    #[wasm_bindgen(js_name = vectorFile)]
    pub fn vector_file() -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct F {
            path: &'static str,
            bytes: u32,
        }
        to_js(&F {
            path: analogy::VECTORS_PATH,
            bytes: analogy::VECTORS_BYTES,
        })
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

    /// Solves b − a + c: `{query, method, answers: [{word, index, score, cosine}], expected:
    /// {word, rank, score, cosine} | null, solved, message}`. Unknown words are errors with
    /// suggestions.
    pub fn analogy(&self, vectors: &WordVectorsHandle) -> Result<JsValue, JsError> {
        to_js(&analogy::analogy(&self.config, &vectors.vectors).map_err(core_err)?)
    }

    /// The ten nearest neighbours of the configured word.
    pub fn neighbours(&self, vectors: &WordVectorsHandle) -> Result<JsValue, JsError> {
        to_js(&analogy::neighbours(&self.config, &vectors.vectors).map_err(core_err)?)
    }

    /// Words of the PCA picture that the vectors do not have.
    #[wasm_bindgen(js_name = pcaUnknown)]
    pub fn pca_unknown(&self, vectors: &WordVectorsHandle) -> Result<JsValue, JsError> {
        let v = analogy::pca_view(&self.config, &vectors.vectors).map_err(core_err)?;
        to_js(&v.map(|v| v.unknown).unwrap_or_default())
    }

    /// Draws the PCA picture.
    #[wasm_bindgen(js_name = drawPca)]
    pub fn draw_pca(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        vectors: &WordVectorsHandle,
    ) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            analogy::draw_pca(a, &self.config, Some(&vectors.vectors), "", s)
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

/// The word2vec analogy test set (`questions-words.txt`) scored in steps, exactly as gensim does
/// (see [`crate::core::nlp::analogy_eval`]).
#[wasm_bindgen]
pub struct AnalogyBenchmark {
    eval: Evaluator,
}

#[wasm_bindgen]
impl AnalogyBenchmark {
    /// Prepares the questions of `questions` for `vectors`, searching the `restrict` most frequent
    /// words with `method` (`"cosadd"` or `"cosmul"`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        vectors: &WordVectorsHandle,
        questions: &str,
        restrict: u32,
        method: &str,
    ) -> Result<AnalogyBenchmark, JsError> {
        let method: AnalogyMethod =
            serde_json::from_value(serde_json::Value::String(method.into()))
                .map_err(|_| JsError::new(&format!("unknown method {method:?}")))?;
        let qs = parse_questions(questions).map_err(core_err)?;
        let cfg = EvalConfig {
            restrict: restrict.max(1) as usize,
            method,
        };
        Ok(AnalogyBenchmark {
            eval: Evaluator::new(&vectors.vectors, &qs, &cfg).map_err(core_err)?,
        })
    }

    /// Answers the next `n` questions: `{done, total, correct}`.
    pub fn step(&mut self, vectors: &WordVectorsHandle, n: f64) -> Result<JsValue, JsError> {
        to_js(
            &self
                .eval
                .step(&vectors.vectors, budget(n).max(1))
                .map_err(core_err)?,
        )
    }

    /// True when every question is answered.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.eval.is_done()
    }

    /// The report: `{sections, correct, total, skipped, semantic, syntactic}`.
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js(&self.eval.report())
    }
}
