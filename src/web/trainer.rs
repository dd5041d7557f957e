//! `TrainerHandle`: a language model being trained, for the training lab's Web Worker and for the
//! speed benchmark (`bench/train_bench.mjs`). It owns a `core::train::trainer::Trainer<f32>`, the
//! vocabulary and a text generator; every call is small (a step, a chunk of steps, one generated
//! token) so the worker can interleave them with messages and never block for long.

use super::convert::{config_from_js, core_err, to_js};
use crate::core::rng::Rng;
use crate::core::rnn::format::{from_json, to_json, Encoding, ModelFile, Tokens};
use crate::core::train::data::{Corpus, TokenKind, Vocab};
use crate::core::train::exposure::exposure_view;
use crate::core::train::sample::{entropy, Decode, Generator};
use crate::core::train::trainer::{EvalMode, StepReport, TrainConfig, Trainer};
use js_sys::{Float32Array, Float64Array};
use wasm_bindgen::prelude::*;

/// Largest text accepted for training (characters).
const MAX_TEXT_CHARS: usize = 20_000_000;

/// A language model in training (see the module docs).
#[wasm_bindgen]
pub struct TrainerHandle {
    trainer: Trainer<f32>,
    vocab: Vocab,
    gen: Generator<f32>,
    gen_rng: Rng,
    last: Option<StepReport>,
    last_token: usize,
    /// The token fed before `last_token` (the spacing of generated text depends on it).
    prev_token: Option<usize>,
}

fn token_kind(s: &str) -> Result<TokenKind, JsError> {
    match s {
        "char" => Ok(TokenKind::Char),
        "word" => Ok(TokenKind::Word),
        _ => Err(JsError::new("tokens must be \"char\" or \"word\"")),
    }
}

fn check_text(text: &str) -> Result<(), JsError> {
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        return Err(JsError::new(&format!(
            "the text is longer than {MAX_TEXT_CHARS} characters"
        )));
    }
    Ok(())
}

impl TrainerHandle {
    fn build(trainer: Trainer<f32>, vocab: Vocab) -> TrainerHandle {
        let seed = trainer.config().seed as u64;
        let gen = Generator::new(&trainer.model);
        TrainerHandle {
            trainer,
            vocab,
            gen,
            gen_rng: Rng::fork(seed, 0x6E4),
            last: None,
            last_token: 0,
            prev_token: None,
        }
    }
}

#[wasm_bindgen]
impl TrainerHandle {
    /// A fresh model for `text`: the vocabulary is built from the text (`tokens` = "char" or
    /// "word", at most `max_vocab` tokens), the last `heldout_fraction` is held out.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: JsValue,
        text: &str,
        tokens: &str,
        heldout_fraction: f64,
        max_vocab: u32,
    ) -> Result<TrainerHandle, JsError> {
        let cfg: TrainConfig = config_from_js(config)?;
        check_text(text)?;
        let corpus = Corpus::build(
            text,
            token_kind(tokens)?,
            max_vocab as usize,
            heldout_fraction,
            cfg.seq_len + 1,
        )
        .map_err(core_err)?;
        let trainer = Trainer::new(cfg, corpus.vocab.len(), corpus.train, corpus.heldout)
            .map_err(core_err)?;
        Ok(Self::build(trainer, corpus.vocab))
    }

    /// A fresh char model over a given character vocabulary (token k = the k-th character of
    /// `vocab`), trained on all of `text` (every character must be in the vocabulary).
    #[wasm_bindgen(js_name = withVocab)]
    pub fn with_vocab(config: JsValue, vocab: &str, text: &str) -> Result<TrainerHandle, JsError> {
        let cfg: TrainConfig = config_from_js(config)?;
        check_text(text)?;
        let mut v = Vocab::from_tokens(TokenKind::Char, vocab.chars().map(String::from).collect())
            .map_err(core_err)?;
        let ids = v.encode(text).map_err(core_err)?;
        let trainer = Trainer::new(cfg, v.len(), ids, vec![]).map_err(core_err)?;
        Ok(Self::build(trainer, v))
    }

    /// Continues from a saved model file (JSON, validated) on `text`, which is encoded with the
    /// model's own vocabulary; the last `heldout_fraction` is held out. The architecture comes from
    /// the file; the training settings from `config`.
    #[wasm_bindgen(js_name = fromModel)]
    pub fn from_model(
        json: &str,
        config: JsValue,
        text: &str,
        heldout_fraction: f64,
    ) -> Result<TrainerHandle, JsError> {
        let mut cfg: TrainConfig = config_from_js(config)?;
        check_text(text)?;
        let file: ModelFile<f32> = from_json(json).map_err(core_err)?;
        let tk = file.tokens.ok_or_else(|| {
            JsError::new("the model file has no vocabulary (\"tokens\"), so it cannot read text")
        })?;
        let kind = if tk.kind == "word" {
            TokenKind::Word
        } else {
            TokenKind::Char
        };
        let mut vocab = Vocab::from_tokens(kind, tk.list).map_err(core_err)?;
        let spec = file.model.spec().clone();
        cfg.cell = spec.cell;
        cfg.hidden = spec.hidden;
        cfg.layers = spec.layers;
        cfg.activation = spec.activation;
        cfg.residual = spec.residual;
        cfg.gru = spec.gru;
        cfg.validate().map_err(core_err)?;
        let ids = vocab.encode(text).map_err(core_err)?;
        if !(0.0..=0.5).contains(&heldout_fraction) {
            return Err(JsError::new(
                "the held-out fraction must be between 0 and 0.5",
            ));
        }
        let split = ids.len() - ((ids.len() as f64) * heldout_fraction) as usize;
        let trainer = Trainer::with_model(
            cfg,
            file.model,
            ids[..split].to_vec(),
            ids[split..].to_vec(),
        )
        .map_err(core_err)?;
        Ok(Self::build(trainer, vocab))
    }

    /// The settings (the architecture fields reflect the model).
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(self.trainer.config())
    }

    /// The default settings.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&TrainConfig::default())
    }

    /// One training step; returns its mean loss per token (nats). NaN when the step diverged.
    #[wasm_bindgen(js_name = trainStep)]
    pub fn train_step(&mut self) -> Result<f64, JsError> {
        let r = self.trainer.step().map_err(core_err)?;
        self.last = Some(r);
        Ok(if r.finite { r.loss } else { f64::NAN })
    }

    /// Global gradient norm (before clipping) of the last step.
    #[wasm_bindgen(js_name = lastGradNorm)]
    pub fn last_grad_norm(&self) -> f64 {
        self.last.map_or(f64::NAN, |r| r.grad_norm)
    }

    /// Up to `n` steps, stopping early once `budget_ms` milliseconds have passed (wall clock,
    /// `Date.now`) or at divergence, so a worker can keep its message loop responsive. Returns the
    /// reports packed as
    /// `[step, loss, grad_norm, grad_norm_after, clipped (0/1), finite (0/1)] × k`.
    pub fn train(&mut self, n: u32, budget_ms: f64) -> Result<Float64Array, JsError> {
        let start = js_sys::Date::now();
        let mut out = Vec::with_capacity(n as usize * 6);
        for _ in 0..n {
            let r = self.trainer.step().map_err(core_err)?;
            self.last = Some(r);
            out.extend_from_slice(&[
                r.step as f64,
                r.loss,
                r.grad_norm,
                r.grad_norm_after,
                r.clipped as u8 as f64,
                r.finite as u8 as f64,
            ]);
            if !r.finite || js_sys::Date::now() - start >= budget_ms {
                break;
            }
        }
        Ok(Float64Array::from(&out[..]))
    }

    /// Steps done so far.
    pub fn steps(&self) -> f64 {
        self.trainer.steps() as f64
    }

    /// `null`, or why training diverged: `{step, what, recent_max_grad_norm, clipping, lr}`.
    pub fn diverged(&self) -> Result<JsValue, JsError> {
        match self.trainer.diverged() {
            None => Ok(JsValue::NULL),
            Some(d) => to_js(d),
        }
    }

    /// Goes back to the last checkpoint; returns its step.
    #[wasm_bindgen(js_name = restoreCheckpoint)]
    pub fn restore_checkpoint(&mut self) -> Result<f64, JsError> {
        Ok(self.trainer.restore_checkpoint().map_err(core_err)? as f64)
    }

    /// Sets the learning rate.
    #[wasm_bindgen(js_name = setLr)]
    pub fn set_lr(&mut self, lr: f64) -> Result<(), JsError> {
        self.trainer.set_lr(lr).map_err(core_err)
    }

    /// Turns clipping on/off and sets its threshold.
    #[wasm_bindgen(js_name = setClip)]
    pub fn set_clip(&mut self, on: bool, threshold: f64) -> Result<(), JsError> {
        self.trainer.set_clip(on, threshold).map_err(core_err)
    }

    /// Sets the teacher-forcing ratio ρ ∈ [0, 1].
    #[wasm_bindgen(js_name = setTeacherForcing)]
    pub fn set_teacher_forcing(&mut self, ratio: f64) -> Result<(), JsError> {
        self.trainer.set_teacher_forcing(ratio).map_err(core_err)
    }

    /// Mean cross-entropy per token on the first `max_tokens` held-out tokens; `mode` is
    /// "teacher" (true previous tokens) or "free" (the model's own argmax predictions). NaN when
    /// there is no held-out text.
    #[wasm_bindgen(js_name = heldoutLoss)]
    pub fn heldout_loss(&mut self, max_tokens: u32, mode: &str) -> Result<f64, JsError> {
        let m = match mode {
            "teacher" => EvalMode::TeacherForcing,
            "free" => EvalMode::FreeRunning,
            _ => return Err(JsError::new("mode must be \"teacher\" or \"free\"")),
        };
        Ok(self
            .trainer
            .heldout_loss(max_tokens as usize, m)
            .unwrap_or(f64::NAN))
    }

    /// The step of the last automatic checkpoint (what `restoreCheckpoint()` goes back to), or
    /// NaN before the first one.
    #[wasm_bindgen(js_name = checkpointStep)]
    pub fn checkpoint_step(&self) -> f64 {
        self.trainer
            .checkpoint_step()
            .map_or(f64::NAN, |s| s as f64)
    }

    /// Number of training tokens.
    #[wasm_bindgen(js_name = trainTokens)]
    pub fn train_tokens(&self) -> f64 {
        self.trainer.train_len() as f64
    }

    /// Number of held-out tokens.
    #[wasm_bindgen(js_name = heldoutTokens)]
    pub fn heldout_tokens(&self) -> f64 {
        self.trainer.heldout().len() as f64
    }

    /// Exposure bias on one held-out passage (`core::train::exposure`): the `len` held-out tokens
    /// from `offset` (wrapped to fit), the first `prime` read by both modes, the rest predicted
    /// greedily with teacher forcing and free running. Returns
    /// `{prime, truth, teacher, free}` as arrays of token texts plus `teacher_correct` and
    /// `free_correct`. Resets the generator (prime again before generating).
    #[wasm_bindgen(js_name = exposureView)]
    pub fn exposure_view(&mut self, offset: u32, len: u32, prime: u32) -> Result<JsValue, JsError> {
        let held = self.trainer.heldout();
        let len = (len as usize).min(held.len());
        if len < 2 {
            return Err(JsError::new(
                "there is too little held-out text for this view (raise the held-out fraction)",
            ));
        }
        let start = (offset as usize) % (held.len() - len + 1);
        let ids = held[start..start + len].to_vec();
        let prime = (prime as usize).clamp(1, len - 1);
        let v = exposure_view(&self.trainer.model, &mut self.gen, &ids, prime).map_err(core_err)?;
        let texts = |ids: &[usize]| -> Vec<String> {
            ids.iter().map(|&i| self.vocab.decode(&[i])).collect()
        };
        to_js(&serde_json::json!({
            "prime": texts(&v.prime),
            "truth": texts(&v.truth),
            "teacher": texts(&v.teacher),
            "free": texts(&v.free),
            "teacher_correct": v.teacher_correct,
            "free_correct": v.free_correct,
        }))
    }

    /// The vocabulary, in id order.
    pub fn vocab(&self) -> Result<JsValue, JsError> {
        to_js(&self.vocab.tokens)
    }

    /// "char" or "word".
    #[wasm_bindgen(js_name = tokenKind)]
    pub fn token_kind(&self) -> String {
        match self.vocab.kind {
            TokenKind::Char => "char".into(),
            TokenKind::Word => "word".into(),
        }
    }

    /// Resets the generator to the zero state and feeds `prime` (encoded with the vocabulary;
    /// unknown characters are an error naming them, unknown words become `<unk>`).
    #[wasm_bindgen(js_name = genPrime)]
    pub fn gen_prime(&mut self, prime: &str, seed: u32) -> Result<(), JsError> {
        let ids = self.vocab.encode(prime).map_err(core_err)?;
        if ids.is_empty() {
            return Err(JsError::new("the priming text is empty"));
        }
        self.gen.reset();
        self.gen_rng = Rng::fork(seed as u64, 0x6E4);
        for &id in &ids {
            self.gen.feed(&self.trainer.model, id).map_err(core_err)?;
        }
        self.last_token = ids[ids.len() - 1];
        self.prev_token = None;
        Ok(())
    }

    /// One generated token: picks the next token from the current distribution (greedy, or sampled
    /// at `temperature`), feeds it back, and returns the distribution it was drawn from (V floats).
    /// `lastToken()` / `lastTokenText()` tell which token was chosen.
    #[wasm_bindgen(js_name = genStep)]
    pub fn gen_step(&mut self, temperature: f64, greedy: bool) -> Result<Float32Array, JsError> {
        let decode = if greedy {
            Decode::Greedy
        } else {
            Decode::Sample { temperature }
        };
        let id = self
            .gen
            .choose(decode, &mut self.gen_rng)
            .map_err(core_err)?;
        let probs = Float32Array::from(&self.gen.probs[..]);
        self.gen.feed(&self.trainer.model, id).map_err(core_err)?;
        self.prev_token = Some(self.last_token);
        self.last_token = id;
        Ok(probs)
    }

    /// The next-token distribution at `temperature` without choosing (for the bars and entropy).
    #[wasm_bindgen(js_name = nextDistribution)]
    pub fn next_distribution(&mut self, temperature: f64) -> Result<Float32Array, JsError> {
        let p = self.gen.distribution(temperature).map_err(core_err)?;
        Ok(Float32Array::from(p))
    }

    /// Entropy (nats) of the next-token distribution at `temperature`.
    #[wasm_bindgen(js_name = nextEntropy)]
    pub fn next_entropy(&mut self, temperature: f64) -> Result<f64, JsError> {
        Ok(entropy(
            self.gen.distribution(temperature).map_err(core_err)?,
        ))
    }

    /// Id of the token chosen by the last `genStep`.
    #[wasm_bindgen(js_name = lastToken)]
    pub fn last_token(&self) -> u32 {
        self.last_token as u32
    }

    /// Text of the token chosen by the last `genStep`.
    #[wasm_bindgen(js_name = lastTokenText)]
    pub fn last_token_text(&self) -> String {
        self.vocab.decode(&[self.last_token])
    }

    /// Text of the token chosen by the last `genStep` as it is appended to the generated text so
    /// far (word tokens get their leading space by the vocabulary's one spacing rule,
    /// `Vocab::piece`; the prime's last token counts as the previous one).
    #[wasm_bindgen(js_name = lastTokenPiece)]
    pub fn last_token_piece(&self) -> String {
        self.vocab.piece(self.prev_token, self.last_token)
    }

    /// Generates `n` tokens after `prime` and returns them as text.
    pub fn generate(
        &mut self,
        prime: &str,
        n: u32,
        temperature: f64,
        greedy: bool,
        seed: u32,
    ) -> Result<String, JsError> {
        self.gen_prime(prime, seed)?;
        let mut ids = Vec::with_capacity(n as usize);
        for _ in 0..n {
            self.gen_step(temperature, greedy)?;
            ids.push(self.last_token);
        }
        Ok(self.vocab.decode(&ids))
    }

    /// The model as an RNN Lab model file (JSON; f32 weights in base64) with its vocabulary.
    pub fn save(&self) -> Result<String, JsError> {
        let meta = serde_json::json!({
            "steps": self.trainer.steps(),
            "config": self.trainer.config(),
            "saved_by": "RNN Lab training lab",
        });
        let kind = if self.vocab.kind == TokenKind::Word {
            "word"
        } else {
            "char"
        };
        let file = ModelFile {
            model: self.trainer.model.clone(),
            tokens: Some(Tokens {
                kind: kind.into(),
                list: self.vocab.tokens.clone(),
            }),
            meta: Some(meta),
        };
        to_json(&file, Encoding::Base64F32).map_err(core_err)
    }
}
