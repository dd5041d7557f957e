//! The perplexity of a trained character RNN on held-out text, computed a little at a time, so it
//! can stand next to a character n-gram model's perplexity on the same characters (lecture: "RNN
//! language models beat n-gram models on perplexity").
//!
//! ```text
//! J = −(1/N) Σ_t log ŷ_t(x_{t+1})      nats per character (teacher forcing: the true x_t is fed)
//! PP = exp(J)                           perplexity per character;  bits per character = J / ln 2
//! ```
//!
//! The text is read in windows of `window` characters with the state carried from one window to
//! the next (no truncation of the forward pass, so the result does not depend on the window); the
//! first character is only read, so N = len − 1 predictions. This is exactly
//! `Trainer::heldout_loss` with teacher forcing, over any text and in steps.
//!
//! Per-character perplexities of two models are comparable when both predict the same characters;
//! a per-word perplexity is not comparable with a per-character one (a word is several
//! characters: PP_word = PP_char^(characters per word), roughly).

use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rnn::bptt::{forward, SeqInput, Workspace};
use crate::core::rnn::format::ModelFile;
use crate::core::rnn::model::{InputKind, Model, State};
use serde::Serialize;
use std::collections::HashMap;

/// Where a [`CharLmScorer`] is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LmScore {
    /// Characters predicted so far.
    pub predicted: usize,
    /// Characters to predict (text length − 1).
    pub total: usize,
    /// Mean cross-entropy so far, nats per character (`None` before the first window).
    pub nats_per_char: Option<f64>,
    /// exp(nats per character).
    pub perplexity: Option<f64>,
    /// Bits per character.
    pub bits_per_char: Option<f64>,
    /// predicted / total.
    pub fraction: f64,
}

/// Scores a text with a character model in steps (see the module docs).
pub struct CharLmScorer<F: Real> {
    model: Model<F>,
    ids: Vec<usize>, // (N + 1,)
    window: usize,
    pos: usize, // the next window starts reading here
    state: State<F>,
    ws: Workspace<F>,
    sum: f64,
    count: usize,
}

impl<F: Real> CharLmScorer<F> {
    /// A scorer of `text` with the model of `file`, which must carry a character token list
    /// (`"tokens": {"kind": "char", …}`) and take one-hot inputs. Errors name the first character
    /// of the text that the model does not know. `window` ≥ 1 (100 is the trainer's).
    pub fn new(file: &ModelFile<F>, text: &str, window: usize) -> Result<CharLmScorer<F>> {
        let tokens = file.tokens.as_ref().ok_or_else(|| {
            CoreError::invalid("model", "has no token list, so text cannot be fed to it")
        })?;
        if tokens.kind != "char" {
            return Err(CoreError::invalid(
                "model",
                format!("is a {} model; a character model is needed", tokens.kind),
            ));
        }
        let spec = file.model.spec();
        if spec.input != InputKind::OneHot || tokens.list.len() != spec.input_size {
            return Err(CoreError::invalid(
                "model",
                "must read one-hot tokens from its own token list",
            ));
        }
        if window == 0 {
            return Err(CoreError::invalid("window", "must be at least 1"));
        }
        let index: HashMap<&str, usize> = tokens
            .list
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let mut ids = Vec::with_capacity(text.len());
        let mut buf = [0u8; 4];
        for (pos, c) in text.chars().enumerate() {
            match index.get(&*c.encode_utf8(&mut buf)) {
                Some(&i) => ids.push(i),
                None => {
                    return Err(CoreError::invalid(
                        "text",
                        format!(
                        "character {} ({c:?}) is not in the model's vocabulary of {} characters",
                        pos + 1,
                        tokens.list.len()
                    ),
                    ))
                }
            }
        }
        if ids.len() < 2 {
            return Err(CoreError::invalid(
                "text",
                "needs at least two characters (one to read, one to predict)",
            ));
        }
        Ok(CharLmScorer {
            state: file.model.zero_state(),
            model: file.model.clone(),
            ids,
            window,
            pos: 0,
            ws: Workspace::new(),
            sum: 0.0,
            count: 0,
        })
    }

    /// The score so far.
    pub fn score(&self) -> LmScore {
        let total = self.ids.len() - 1;
        let j = (self.count > 0).then(|| self.sum / self.count as f64);
        LmScore {
            predicted: self.count,
            total,
            nats_per_char: j,
            perplexity: j.map(f64::exp),
            bits_per_char: j.map(|j| j / std::f64::consts::LN_2),
            fraction: self.count as f64 / total as f64,
        }
    }

    /// True when every character is predicted.
    pub fn is_done(&self) -> bool {
        self.pos + 1 >= self.ids.len()
    }

    /// Reads whole windows until at least `max_chars` more characters are predicted (or the text
    /// ends) and returns the score so far. A non-finite loss is an error.
    pub fn step(&mut self, max_chars: usize) -> Result<LmScore> {
        let n = self.ids.len();
        let mut done = 0;
        while done < max_chars.max(1) && !self.is_done() {
            let s = self.pos;
            let e = (s + self.window).min(n - 1);
            let out = forward(
                &self.model,
                &mut self.ws,
                SeqInput::Ids(&self.ids[s..e]),
                Some(&self.ids[s + 1..e + 1]),
                &self.state,
            )?;
            if !out.finite {
                return Err(CoreError::non_finite("the model's loss"));
            }
            self.sum += out.sum_loss;
            self.count += e - s;
            done += e - s;
            self.ws.final_state_into(&mut self.state);
            self.pos = e;
        }
        Ok(self.score())
    }
}
