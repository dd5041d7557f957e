//! The step-through view: one recurrent layer run over a short sentence, one frame per timestep,
//! with every number a student needs to check the lecture's equations by hand.
//!
//! For each gate q and unit k, a frame holds the three terms of the pre-activation
//!
//! ```text
//! a_q[k] = (W_hq h_{t−1})[k] + (W_xq x_t)[k] + b_q[k]        (rec + inp + bias)
//! ```
//!
//! and the gate value after its nonlinearity, plus h_{t−1}, h_t (and c for the LSTM), the next-token
//! distribution ŷ_t, the teacher-forced target (the next word of the sentence) and the loss term
//! J⁽ᵗ⁾ = −log ŷ_t(target). For the lecture's GRU the candidate's recurrent term is W_hn (r_t ⊙ h_{t−1});
//! for PyTorch's GRU it is r_t ⊙ (W_hn h_{t−1} + b_hn) and `bias` is b_xn alone.

use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rnn::format::ModelFile;
use crate::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec};
use crate::core::rnn::{gru_gate, CellKind, GruVariant, Input, StepCache};
use crate::core::train::data::{split_words, TokenKind, Vocab, UNK};
use crate::core::train::sample::entropy;
use serde::{Deserialize, Serialize};

/// Longest sentence the view accepts, in tokens.
pub const MAX_TOKENS: usize = 64;

/// Where the weights come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    /// Seeded random weights; the vocabulary is the sentence's own tokens.
    #[default]
    Random,
    /// A small model trained on the lecture's sentences (shipped in `data/models/`).
    Trained,
}

/// Settings of the step-through view (configs are data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepperConfig {
    /// The sentence, 1..=64 tokens. Default "the students opened their".
    pub text: String,
    /// Word or character tokens. Default word.
    pub tokens: TokenKind,
    /// Cell type. Default LSTM.
    pub cell: CellKind,
    /// GRU convention. Default lecture.
    pub gru: GruVariant,
    /// Hidden units H, 2..=32 (random weights; a trained model has its own). Default 8.
    pub hidden: usize,
    /// Seed of the random weights. Default 1.
    pub seed: u32,
    /// Random or trained weights. Default trained.
    pub weights: Weights,
}

impl Default for StepperConfig {
    fn default() -> Self {
        StepperConfig {
            text: "the students opened their".into(),
            tokens: TokenKind::Word,
            cell: CellKind::Lstm,
            gru: GruVariant::Lecture,
            hidden: 8,
            seed: 1,
            weights: Weights::Trained,
        }
    }
}

impl StepperConfig {
    /// Checks the ranges (the text itself is checked when it is tokenised).
    pub fn validate(&self) -> Result<()> {
        if !(2..=32).contains(&self.hidden) {
            return Err(CoreError::invalid(
                "hidden",
                format!("{} is outside 2..=32", self.hidden),
            ));
        }
        if self.text.chars().count() > 2000 {
            return Err(CoreError::invalid("text", "is longer than 2000 characters"));
        }
        Ok(())
    }
}

/// One gate's numbers at one step; every vector has H entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateFrame {
    /// Gate name: `h` (vanilla RNN), `i f o g` (LSTM), `z r n` (GRU).
    pub name: String,
    /// Recurrent term (W_hq h_{t−1}; see the module docs for the GRU candidate).
    pub rec: Vec<f64>,
    /// Input term W_xq x_t (a column of W_xq for a token id).
    pub inp: Vec<f64>,
    /// Bias b_xq + b_hq.
    pub bias: Vec<f64>,
    /// Pre-activation rec + inp + bias.
    pub pre: Vec<f64>,
    /// Value after the gate's nonlinearity.
    pub val: Vec<f64>,
}

/// One candidate next token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Token id.
    pub id: usize,
    /// Token text.
    pub token: String,
    /// ŷ_t(id), the probability of this token.
    pub p: f64,
}

/// Everything shown at timestep t.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// The timestep (0-based).
    pub t: usize,
    /// The input token x_t.
    pub token: String,
    /// Its id.
    pub id: usize,
    /// Gate numbers.
    pub gates: Vec<GateFrame>,
    /// h_{t−1}.
    pub h_prev: Vec<f64>,
    /// h_t.
    pub h: Vec<f64>,
    /// c_{t−1} (LSTM; else empty).
    pub c_prev: Vec<f64>,
    /// c_t (LSTM; else empty).
    pub c: Vec<f64>,
    /// The ten most probable next tokens, most probable first.
    pub top: Vec<Candidate>,
    /// The teacher-forced target (the sentence's next token); `None` at the last step.
    pub target: Option<Candidate>,
    /// Rank of the target among all tokens (1 = most probable).
    pub target_rank: Option<usize>,
    /// J⁽ᵗ⁾ = −log ŷ_t(target) in nats.
    pub loss: Option<f64>,
    /// Entropy of ŷ_t in nats.
    pub entropy: f64,
}

/// A sentence run through one layer, all frames precomputed (stepping back reads a cached frame).
#[derive(Clone, Debug)]
pub struct Stepper {
    config: StepperConfig,
    model: Model<f64>,
    vocab: Vocab,
    frames: Vec<Frame>,
    unknown: Vec<String>,
}

/// The tokens the view steps through: characters (without line breaks) or words and punctuation.
/// The widget checks a sentence's length with it before building a [`Stepper`].
pub fn tokenize(text: &str, kind: TokenKind) -> Vec<String> {
    match kind {
        TokenKind::Char => text
            .trim()
            .chars()
            .filter(|c| *c != '\n' && *c != '\r')
            .map(String::from)
            .collect(),
        TokenKind::Word => split_words(text)
            .filter(|w| *w != "\n")
            .map(String::from)
            .collect(),
    }
}

impl Stepper {
    /// Builds the view. With `Weights::Trained`, `trained` must hold the shipped model for this cell
    /// and token kind (its vocabulary decides the ids; unknown words become `<unk>` and are listed).
    pub fn new(config: StepperConfig, trained: Option<&ModelFile<f64>>) -> Result<Self> {
        config.validate()?;
        let toks = tokenize(&config.text, config.tokens);
        if toks.is_empty() {
            return Err(CoreError::empty("sentence"));
        }
        if toks.len() > MAX_TOKENS {
            return Err(CoreError::invalid(
                "sentence",
                format!(
                    "{} tokens; at most {MAX_TOKENS} can be stepped through",
                    toks.len()
                ),
            ));
        }
        let (model, mut vocab) = match (config.weights, trained) {
            (Weights::Random, _) => {
                let mut uniq: Vec<String> = Vec::new();
                for t in &toks {
                    if !uniq.contains(t) {
                        uniq.push(t.clone());
                    }
                }
                let vocab = Vocab::from_tokens(config.tokens, uniq)?;
                let spec = ModelSpec {
                    cell: config.cell,
                    input: InputKind::OneHot,
                    input_size: vocab.len(),
                    hidden: config.hidden,
                    layers: 1,
                    vocab: vocab.len(),
                    gru: config.gru,
                    ..ModelSpec::default()
                };
                (
                    Model::init(&spec, &InitSpec::default(), config.seed as u64)?,
                    vocab,
                )
            }
            (Weights::Trained, None) => {
                return Err(CoreError::invalid(
                    "weights",
                    "the trained model is not loaded",
                ))
            }
            (Weights::Trained, Some(file)) => {
                let tk = file
                    .tokens
                    .as_ref()
                    .ok_or_else(|| CoreError::invalid("trained model", "has no vocabulary"))?;
                let kind = if tk.kind == "char" {
                    TokenKind::Char
                } else {
                    TokenKind::Word
                };
                if kind != config.tokens
                    || file.model.spec().cell != config.cell
                    || file.model.spec().layers != 1
                {
                    return Err(CoreError::invalid(
                        "trained model",
                        "does not match the chosen cell and token type",
                    ));
                }
                (
                    file.model.clone(),
                    Vocab::from_tokens(kind, tk.list.clone())?,
                )
            }
        };
        let unk = vocab.id(UNK);
        let mut unknown = Vec::new();
        let mut ids = Vec::with_capacity(toks.len());
        for t in &toks {
            let id = vocab
                .encode(t)
                .ok()
                .and_then(|v| (v.len() == 1).then(|| v[0]));
            match (id, unk) {
                (Some(i), _) if vocab.tokens[i] == *t => ids.push(i),
                (_, Some(u)) => {
                    unknown.push(t.clone());
                    ids.push(u);
                }
                _ => {
                    return Err(CoreError::invalid(
                        "sentence",
                        format!("{t:?} is not in the trained model's vocabulary (use random weights for any text)"),
                    ))
                }
            }
        }
        let frames = Self::run(&model, &vocab, &toks, &ids)?;
        Ok(Stepper {
            config,
            model,
            vocab,
            frames,
            unknown,
        })
    }

    fn run(
        model: &Model<f64>,
        vocab: &Vocab,
        toks: &[String],
        ids: &[usize],
    ) -> Result<Vec<Frame>> {
        let cell = &model.cells()[0];
        let (g, h) = (cell.gates(), cell.hidden());
        let p = &model.params;
        let names = cell.spec.kind.gate_names();
        let mut state = model.zero_state();
        let mut frames = Vec::with_capacity(ids.len());
        let mut probs = vec![0.0; model.spec().vocab];
        for (t, &id) in ids.iter().enumerate() {
            let (next, caches) = model.step(Input::Id(id), &state)?;
            let cache: &StepCache<f64> = &caches[0];
            let h_prev = &state.h[0];
            let mut gates = Vec::with_capacity(g);
            let (wx, bx, bh) = (cell.w_x(p), cell.b_x(p), cell.b_h(p));
            let d = cell.input();
            for q in 0..g {
                let w_hq = cell.w_h_block(p, q);
                let mut rec = vec![0.0; h];
                let mut bias: Vec<f64> = (0..h).map(|k| bx[q * h + k] + bh[q * h + k]).collect();
                if cell.spec.kind == CellKind::Gru && q == gru_gate::N {
                    match cell.spec.gru {
                        GruVariant::Lecture => f64::gemv_acc(w_hq, &cache.aux, &mut rec),
                        GruVariant::Torch => {
                            let r = cache.gate(gru_gate::R);
                            for k in 0..h {
                                rec[k] = r[k] * cache.aux[k];
                                bias[k] = bx[q * h + k];
                            }
                        }
                    }
                } else {
                    f64::gemv_acc(w_hq, h_prev, &mut rec);
                }
                let inp: Vec<f64> = (0..h).map(|k| wx[(q * h + k) * d + id]).collect();
                let pre: Vec<f64> = (0..h).map(|k| rec[k] + inp[k] + bias[k]).collect();
                let name = if names[q].is_empty() { "h" } else { names[q] };
                gates.push(GateFrame {
                    name: name.into(),
                    rec,
                    inp,
                    bias,
                    pre,
                    val: cache.gate(q).to_vec(),
                });
            }
            model.readout().logits(p, &cache.h, &mut probs);
            let logits = probs.clone();
            crate::core::rnn::bptt::softmax_into(&logits, &mut probs);
            let mut order: Vec<usize> = (0..probs.len()).collect();
            order.sort_by(|a, b| probs[*b].total_cmp(&probs[*a]).then(a.cmp(b)));
            let cand = |i: usize| Candidate {
                id: i,
                token: vocab.tokens[i].clone(),
                p: probs[i],
            };
            let target_id = ids.get(t + 1).copied();
            frames.push(Frame {
                t,
                token: toks[t].clone(),
                id,
                gates,
                h_prev: h_prev.clone(),
                h: cache.h.clone(),
                c_prev: state.c[0].clone(),
                c: cache.c.clone(),
                top: order.iter().take(10).map(|&i| cand(i)).collect(),
                target: target_id.map(cand),
                target_rank: target_id
                    .and_then(|y| order.iter().position(|&i| i == y).map(|r| r + 1)),
                loss: target_id.map(|y| -probs[y].ln()),
                entropy: entropy(&probs),
            });
            state = next;
        }
        Ok(frames)
    }

    /// The settings.
    pub fn config(&self) -> &StepperConfig {
        &self.config
    }
    /// The model.
    pub fn model(&self) -> &Model<f64> {
        &self.model
    }
    /// The vocabulary.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }
    /// Number of timesteps T.
    pub fn len(&self) -> usize {
        self.frames.len()
    }
    /// True when there are no steps (never for a constructed view).
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
    /// Frame t, if it exists.
    pub fn frame(&self, t: usize) -> Option<&Frame> {
        self.frames.get(t)
    }
    /// Words of the sentence that the trained vocabulary does not know (read as `<unk>`).
    pub fn unknown_words(&self) -> &[String] {
        &self.unknown
    }
    /// Gate `q`'s values over time, (T, H) row-major — a heatmap's data.
    pub fn gate_matrix(&self, q: usize) -> Vec<f64> {
        self.frames
            .iter()
            .flat_map(|f| f.gates.get(q).map(|g| g.val.clone()).unwrap_or_default())
            .collect()
    }
    /// h_t over time, (T, H).
    pub fn h_matrix(&self) -> Vec<f64> {
        self.frames.iter().flat_map(|f| f.h.clone()).collect()
    }
    /// c_t over time, (T, H) (LSTM; else empty).
    pub fn c_matrix(&self) -> Vec<f64> {
        self.frames.iter().flat_map(|f| f.c.clone()).collect()
    }
    /// Mean of the loss terms J⁽ᵗ⁾ over the steps that have a target (the lecture's J).
    pub fn mean_loss(&self) -> Option<f64> {
        let ls: Vec<f64> = self.frames.iter().filter_map(|f| f.loss).collect();
        (!ls.is_empty()).then(|| ls.iter().sum::<f64>() / ls.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::activations::{sigmoid, Activation};

    #[test]
    fn frames_reproduce_the_gate_values() {
        for (cell, gru) in [
            (CellKind::Rnn, GruVariant::Lecture),
            (CellKind::Lstm, GruVariant::Lecture),
            (CellKind::Gru, GruVariant::Lecture),
            (CellKind::Gru, GruVariant::Torch),
        ] {
            let cfg = StepperConfig {
                cell,
                gru,
                weights: Weights::Random,
                hidden: 5,
                ..Default::default()
            };
            let s = Stepper::new(cfg, None).unwrap();
            assert_eq!(s.len(), 4);
            for f in (0..4).map(|t| s.frame(t).unwrap()) {
                for g in &f.gates {
                    for k in 0..5 {
                        assert!((g.pre[k] - (g.rec[k] + g.inp[k] + g.bias[k])).abs() < 1e-15);
                        let want = match (cell, g.name.as_str()) {
                            (CellKind::Rnn, _) => Activation::Tanh.f(g.pre[k]),
                            (CellKind::Lstm, "g") | (CellKind::Gru, "n") => g.pre[k].tanh(),
                            _ => sigmoid(g.pre[k]),
                        };
                        assert!((g.val[k] - want).abs() < 1e-14, "{cell:?} {}", g.name);
                    }
                }
                let total: f64 = f.top.iter().map(|c| c.p).sum();
                assert!(total <= 1.0 + 1e-12);
            }
            // The last step has no teacher-forced target; the others do, with J = −log p.
            assert!(s.frame(3).unwrap().target.is_none());
            let f0 = s.frame(0).unwrap();
            assert_eq!(f0.target.as_ref().unwrap().token, "students");
            assert!((f0.loss.unwrap() + f0.target.as_ref().unwrap().p.ln()).abs() < 1e-15);
        }
    }

    #[test]
    fn bad_sentences() {
        let empty = StepperConfig {
            text: "  ".into(),
            weights: Weights::Random,
            ..Default::default()
        };
        assert!(matches!(
            Stepper::new(empty, None),
            Err(CoreError::Empty { .. })
        ));
        let long = StepperConfig {
            text: "a ".repeat(70),
            weights: Weights::Random,
            ..Default::default()
        };
        assert!(Stepper::new(long, None)
            .unwrap_err()
            .to_string()
            .contains("at most 64"));
        let trained_missing = StepperConfig::default();
        assert!(Stepper::new(trained_missing, None).is_err());
        let hangul = StepperConfig {
            text: "오늘 수업이 1교시인데".into(),
            tokens: TokenKind::Char,
            weights: Weights::Random,
            ..Default::default()
        };
        let s = Stepper::new(hangul, None).unwrap();
        assert_eq!(s.frame(0).unwrap().token, "오");
        assert_eq!(s.len(), 12);
    }
}
