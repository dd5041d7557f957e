//! `NgramWidget`: n-gram models, sparsity, perplexity and the comparison with the char-LSTM (see
//! [`crate::viz::nlp::ngram`]).

use super::super::convert::{config_from_js, core_err, pairs_to_js, parse_pairs, to_js};
use super::{budget, draw_on};
use crate::core::config::WidgetConfig;
use crate::core::nlp::ngram::lecture_preset;
use crate::viz::nlp::ngram::{
    corpus_text, draw_compare, CompareSession, NgramSession, NgramWidgetConfig, HELDOUT_CHARS,
    LSTM_PATH,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle of one `ngram` widget: the counted model (once started) and the LSTM comparison.
#[wasm_bindgen]
pub struct NgramWidget {
    config: NgramWidgetConfig,
    session: Option<NgramSession>,
    compare: Option<CompareSession>,
}

#[derive(Serialize)]
struct Changed {
    recount: bool,
    compare: bool,
}

#[wasm_bindgen]
impl NgramWidget {
    /// Builds the widget from a config object (counting starts with `start`).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<NgramWidget, JsError> {
        Ok(NgramWidget {
            config: config_from_js(config)?,
            session: None,
            compare: None,
        })
    }

    /// The default config.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&NgramWidgetConfig::default())
    }

    /// `[[key, value], …]` → `{config, errors}`.
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<NgramWidgetConfig>(pairs)
    }

    /// The lecture's table for "students opened their" (1000 / 400 / 100):
    /// `{context, context_count, rows: [{word, count, prob, fraction}], other: [count, prob]}`.
    #[wasm_bindgen(js_name = lecturePreset)]
    pub fn lecture_preset() -> Result<JsValue, JsError> {
        to_js(&lecture_preset().map_err(core_err)?)
    }

    /// Files: `{corpus: path | null, lstm, heldout_chars}`.
    pub fn files(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct F {
            corpus: Option<&'static str>,
            shakespeare: &'static str,
            lstm: &'static str,
            heldout_chars: u32,
        }
        to_js(&F {
            corpus: self.config.corpus.path(),
            shakespeare: "data/corpora/tinyshakespeare.txt",
            lstm: LSTM_PATH,
            heldout_chars: HELDOUT_CHARS,
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

    /// Replaces the config. n, k and backoff apply at once; a new corpus, text or unit drops the
    /// model (count again: `recount`); a new comparison length drops the comparison, a new k of
    /// the comparison re-scores its n-grams. Returns `{recount, compare}`.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<JsValue, JsError> {
        let next: NgramWidgetConfig = config_from_js(config)?;
        next.validate().map_err(core_err)?;
        let recount = next.corpus != self.config.corpus
            || next.unit != self.config.unit
            || (next.corpus == crate::viz::nlp::ngram::NgramCorpus::Custom
                && next.text != self.config.text);
        let compare = next.cmp_chars != self.config.cmp_chars;
        if recount {
            self.session = None;
        } else if let Some(s) = self.session.as_mut() {
            s.set_query(&next).map_err(core_err)?;
        }
        if compare {
            self.compare = None;
        } else if next.cmp_k != self.config.cmp_k {
            if let Some(c) = self.compare.as_mut() {
                c.set_k(next.cmp_k).map_err(core_err)?;
            }
        }
        self.config = next;
        to_js(&Changed { recount, compare })
    }

    /// Starts counting the corpus (`file` = the fetched corpus file; ignored for typed text).
    pub fn start(&mut self, file: &str) -> Result<(), JsError> {
        let text = corpus_text(&self.config, file);
        self.session = Some(NgramSession::new(&self.config, &text).map_err(core_err)?);
        Ok(())
    }

    /// Counts about `units` more (bytes, then tokens): `{phase, fraction, …}`.
    pub fn step(&mut self, units: f64) -> Result<JsValue, JsError> {
        let s = self
            .session
            .as_mut()
            .ok_or_else(|| JsError::new("nothing to count: start first"))?;
        to_js(&s.step(budget(units), &self.config).map_err(core_err)?)
    }

    /// True when the model is counted.
    pub fn ready(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.ready())
    }

    /// Drops the model (e.g. after a cancelled count).
    pub fn clear(&mut self) {
        self.session = None;
    }

    fn session(&self) -> Result<&NgramSession, JsError> {
        self.session
            .as_ref()
            .filter(|s| s.ready())
            .ok_or_else(|| JsError::new("the model is not counted yet"))
    }

    /// `{vocab, training_tokens, heldout_lines}`.
    pub fn info(&self) -> Result<JsValue, JsError> {
        to_js(&self.session()?.info().map_err(core_err)?)
    }

    /// P(w | context) for the configured context (an error when the context was never seen and
    /// neither backoff nor smoothing is on).
    pub fn conditional(&self) -> Result<JsValue, JsError> {
        to_js(
            &self
                .session()?
                .conditional(&self.config.context)
                .map_err(core_err)?,
        )
    }

    /// Generates `length` tokens after the context: `{tokens, text, ended}`.
    pub fn generate(&self) -> Result<JsValue, JsError> {
        let c = &self.config;
        to_js(
            &self
                .session()?
                .generate(&c.context, c.length, c.seed)
                .map_err(core_err)?,
        )
    }

    /// Held-out perplexity report (`null` when the text has no held-out lines).
    pub fn perplexity(&self) -> Result<JsValue, JsError> {
        to_js(&self.session()?.perplexity().map_err(core_err)?)
    }

    /// Sparsity and storage by n: `[{n, distinct, heldout, unseen, unseen_share}]` (`null` without
    /// held-out lines) and the distinct counts `[…5]`.
    pub fn sparsity(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct S<'a> {
            points: Option<&'a [crate::core::nlp::ngram::SparsityPoint]>,
            distinct: &'a [usize],
        }
        let s = self.session()?;
        to_js(&S {
            points: s.sparsity(),
            distinct: s.distinct(),
        })
    }

    /// Draws the unseen share by n.
    #[wasm_bindgen(js_name = drawSparsity)]
    pub fn draw_sparsity(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let lang = self.config.lang;
        draw_on(canvas, scale, |a, s| match &self.session {
            Some(ses) => ses.draw_sparsity(a, lang, s),
            None => crate::viz::nlp::draw_placeholder(a, lang.pick("세는 중…", "counting…"), s),
        })
    }

    /// Draws the distinct n-grams by n.
    #[wasm_bindgen(js_name = drawStorage)]
    pub fn draw_storage(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let lang = self.config.lang;
        draw_on(canvas, scale, |a, s| match &self.session {
            Some(ses) => ses.draw_storage(a, lang, s),
            None => crate::viz::nlp::draw_placeholder(a, lang.pick("세는 중…", "counting…"), s),
        })
    }

    /// Starts the comparison: tiny-shakespeare's text and the LSTM model file (JSON text).
    #[wasm_bindgen(js_name = compareStart)]
    pub fn compare_start(&mut self, shakespeare: &str, lstm_json: &str) -> Result<(), JsError> {
        self.compare =
            Some(CompareSession::new(&self.config, shakespeare, lstm_json).map_err(core_err)?);
        Ok(())
    }

    /// Does about `units` of comparison work: `{phase, fraction, result}`.
    #[wasm_bindgen(js_name = compareStep)]
    pub fn compare_step(&mut self, units: f64) -> Result<JsValue, JsError> {
        let c = self
            .compare
            .as_mut()
            .ok_or_else(|| JsError::new("no comparison: start one first"))?;
        to_js(&c.step(budget(units)).map_err(core_err)?)
    }

    /// The comparison's results so far (`null` without one).
    #[wasm_bindgen(js_name = compareResult)]
    pub fn compare_result(&self) -> Result<JsValue, JsError> {
        to_js(&self.compare.as_ref().map(|c| c.current()))
    }

    /// True when the comparison is complete.
    #[wasm_bindgen(js_name = compareDone)]
    pub fn compare_done(&self) -> bool {
        self.compare.as_ref().is_some_and(|c| c.is_done())
    }

    /// Drops the comparison.
    #[wasm_bindgen(js_name = compareClear)]
    pub fn compare_clear(&mut self) {
        self.compare = None;
    }

    /// Draws the per-character perplexities (`waiting` before results exist).
    #[wasm_bindgen(js_name = drawCompare)]
    pub fn draw_compare(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        waiting: &str,
    ) -> Result<JsValue, JsError> {
        let r = self.compare.as_ref().map(|c| c.current());
        draw_on(canvas, scale, |a, s| {
            draw_compare(a, r.as_ref(), self.config.lang, waiting, s)
        })
    }
}
