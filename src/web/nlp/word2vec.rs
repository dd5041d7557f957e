//! `Word2VecWidget`: the lecture's toy and live training on a corpus (see
//! [`crate::viz::nlp::word2vec`]).

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::{budget, draw_on};
use crate::core::config::WidgetConfig;
use crate::viz::nlp::draw_placeholder;
use crate::viz::nlp::word2vec::{
    Corpus, CorpusSession, ToyMatrix, ToySession, Word2VecWidgetConfig,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `word2vec` widget: the toy session and, once started, a corpus session.
#[wasm_bindgen]
pub struct Word2VecWidget {
    config: Word2VecWidgetConfig,
    toy: ToySession,
    corpus: Option<CorpusSession>,
}

#[derive(Serialize)]
struct Changed {
    toy: bool,
    corpus: bool,
}

fn toy_key(c: &Word2VecWidgetConfig) -> (String, f64) {
    (
        format!("{:?}{:?}{}{}", c.arch, c.toy_data, c.toy_dim, c.seed),
        c.toy_lr,
    )
}

fn corpus_key(c: &Word2VecWidgetConfig) -> String {
    format!(
        "{:?}{:?}{}{}{}{}{}",
        c.arch, c.corpus, c.dim, c.window, c.negatives, c.lr, c.seed
    )
}

#[wasm_bindgen]
impl Word2VecWidget {
    /// Builds the widget (and a fresh toy model) from a config object.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Word2VecWidget, JsError> {
        let config: Word2VecWidgetConfig = config_from_js(config)?;
        let toy = ToySession::new(&config).map_err(core_err)?;
        Ok(Word2VecWidget {
            config,
            toy,
            corpus: None,
        })
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&Word2VecWidgetConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}`.
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<Word2VecWidgetConfig>(pairs)
    }

    /// The file of a corpus (`"warandpeace"`, `"shakespeare"`) and its default probe and PCA words:
    /// `{path, probes, pca}`.
    #[wasm_bindgen(js_name = corpusInfo)]
    pub fn corpus_info(corpus: &str) -> Result<JsValue, JsError> {
        let c: Corpus = serde_json::from_value(serde_json::Value::String(corpus.into()))
            .map_err(|_| JsError::new(&format!("unknown corpus {corpus:?}")))?;
        let (probes, pca) = c.default_words();
        #[derive(Serialize)]
        struct Info {
            path: &'static str,
            probes: &'static str,
            pca: &'static str,
        }
        to_js(&Info {
            path: c.path(),
            probes,
            pca,
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

    /// Replaces the config. A change to the toy's settings restarts the toy; a change to the
    /// corpus settings drops the corpus run (start it again). Returns `{toy, corpus}`: what was
    /// reset.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<JsValue, JsError> {
        let next: Word2VecWidgetConfig = config_from_js(config)?;
        next.validate().map_err(core_err)?;
        let toy = toy_key(&next) != toy_key(&self.config);
        let corpus = corpus_key(&next) != corpus_key(&self.config);
        let had_run = self.corpus.is_some();
        if toy {
            self.toy = ToySession::new(&next).map_err(core_err)?;
        }
        if corpus {
            self.corpus = None;
        } else if let Some(s) = self.corpus.as_mut() {
            s.set_target(u64::from(next.steps));
        }
        self.config = next;
        to_js(&Changed {
            toy,
            corpus: corpus && had_run,
        })
    }

    /// Starts the toy again from its initial weights.
    #[wasm_bindgen(js_name = toyReset)]
    pub fn toy_reset(&mut self) -> Result<(), JsError> {
        self.toy = ToySession::new(&self.config).map_err(core_err)?;
        Ok(())
    }

    /// Trains the toy `n` SGD steps; returns the last point `{step, inner, prob}`.
    #[wasm_bindgen(js_name = toyStep)]
    pub fn toy_step(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.toy.step(budget(n)).map_err(core_err)?)
    }

    /// The toy's steps so far.
    #[wasm_bindgen(js_name = toySteps)]
    pub fn toy_steps(&self) -> f64 {
        self.toy.steps() as f64
    }

    /// The toy now: `{words, w1, w2, scores, probs, steps}` and the last trace point.
    #[wasm_bindgen(js_name = toyFrame)]
    pub fn toy_frame(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Frame {
            frame: crate::core::nlp::word2vec::ToyFrame,
            last: crate::viz::nlp::word2vec::ToyPoint,
        }
        to_js(&Frame {
            frame: self.toy.frame().map_err(core_err)?,
            last: self.toy.last().map_err(core_err)?,
        })
    }

    /// Draws a toy matrix: `"w1"`, `"w2"` or `"probs"`.
    #[wasm_bindgen(js_name = drawToy)]
    pub fn draw_toy(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        which: &str,
    ) -> Result<JsValue, JsError> {
        let which: ToyMatrix = serde_json::from_value(serde_json::Value::String(which.into()))
            .map_err(|_| JsError::new(&format!("unknown matrix {which:?}")))?;
        draw_on(canvas, scale, |a, s| {
            self.toy.draw_matrix(a, which, self.config.lang, s)
        })
    }

    /// Draws the toy's inner product and P(math | study) against the step.
    #[wasm_bindgen(js_name = drawTrace)]
    pub fn draw_trace(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        draw_on(canvas, scale, |a, s| {
            self.toy.draw_trace(a, self.config.lang, s)
        })
    }

    /// Starts a corpus run on `text` (the fetched corpus file).
    #[wasm_bindgen(js_name = corpusStart)]
    pub fn corpus_start(&mut self, text: String) -> Result<JsValue, JsError> {
        let s = CorpusSession::new(&self.config, text).map_err(core_err)?;
        let st = s.state();
        self.corpus = Some(s);
        to_js(&st)
    }

    /// Drops the corpus run.
    #[wasm_bindgen(js_name = corpusClear)]
    pub fn corpus_clear(&mut self) {
        self.corpus = None;
    }

    /// True while a corpus run exists.
    #[wasm_bindgen(js_name = hasCorpus)]
    pub fn has_corpus(&self) -> bool {
        self.corpus.is_some()
    }

    /// Tokenises about `bytes` more of the corpus; returns the state.
    #[wasm_bindgen(js_name = corpusPrepare)]
    pub fn corpus_prepare(&mut self, bytes: f64) -> Result<JsValue, JsError> {
        let s = self
            .corpus
            .as_mut()
            .ok_or_else(|| JsError::new("no corpus run: start one first"))?;
        to_js(&s.prepare(budget(bytes)).map_err(core_err)?)
    }

    /// Trains `n` steps; returns the state.
    #[wasm_bindgen(js_name = corpusTrain)]
    pub fn corpus_train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let s = self
            .corpus
            .as_mut()
            .ok_or_else(|| JsError::new("no corpus run: start one first"))?;
        to_js(&s.train(budget(n)))
    }

    /// The state of the corpus run (`null` without one).
    #[wasm_bindgen(js_name = corpusState)]
    pub fn corpus_state(&self) -> Result<JsValue, JsError> {
        to_js(&self.corpus.as_ref().map(|s| s.state()))
    }

    /// Nearest neighbours of the probe words: `[{word, neighbours: [{word, cosine}], error}]`.
    pub fn neighbours(&self) -> Result<JsValue, JsError> {
        match &self.corpus {
            Some(s) => to_js(&s.neighbours(&self.config.probes, 5).map_err(core_err)?),
            None => to_js(&Vec::<()>::new()),
        }
    }

    /// PCA words the model does not know.
    #[wasm_bindgen(js_name = pcaUnknown)]
    pub fn pca_unknown(&self) -> Result<JsValue, JsError> {
        match &self.corpus {
            Some(s) => to_js(&s.projection(&self.config.pca).map_err(core_err)?.1),
            None => to_js(&Vec::<String>::new()),
        }
    }

    /// Draws the loss curve (`waiting` is shown before training).
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        waiting: &str,
    ) -> Result<JsValue, JsError> {
        let lang = self.config.lang;
        draw_on(canvas, scale, |a, s| match &self.corpus {
            Some(c) => c.draw_loss(a, lang, waiting, s),
            None => draw_placeholder(a, waiting, s),
        })
    }

    /// Draws the PCA picture of the configured words.
    #[wasm_bindgen(js_name = drawPca)]
    pub fn draw_pca(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        waiting: &str,
    ) -> Result<JsValue, JsError> {
        let lang = self.config.lang;
        draw_on(canvas, scale, |a, s| match &self.corpus {
            Some(c) => c.draw_pca(a, &self.config.pca, lang, waiting, s),
            None => draw_placeholder(a, waiting, s),
        })
    }
}
