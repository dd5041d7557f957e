//! GloVe: word vectors from global co-occurrence counts (Pennington, Socher and Manning, "GloVe:
//! Global Vectors for Word Representation", EMNLP 2014; CS224n lecture 2).
//!
//! # Co-occurrence matrix
//!
//! X_ij counts how often word j appears within `window` words of word i. The lecture's example
//! (CS224n slide), window 1, "." a token, windows never cross a sentence end:
//!
//! ```text
//! corpus: I like deep learning. I like NLP. I enjoy flying.
//!
//!            I  like enjoy deep learning NLP flying  .
//! I          0    2    1    0     0      0    0     0
//! like       2    0    0    1     0      1    0     0
//! enjoy      1    0    0    0     0      0    1     0
//! deep       0    1    0    0     1      0    0     0
//! learning   0    0    0    1     0      0    0     1
//! NLP        0    1    0    0     0      0    0     1
//! flying     0    0    1    0     0      0    0     1
//! .          0    0    0    0     1      1    1     0
//! ```
//!
//! The "problem" the lecture points at: the matrix has V² cells, growing quadratically with the
//! vocabulary, while most cells stay 0 ([`growth_curve`]).
//!
//! # Objective
//!
//! With the weighting f(x) = (x / x_max)^α for x < x_max, else 1 (x_max = 100, α = 3/4), and sums
//! over the non-zero cells only (log 0 is undefined):
//!
//! ```text
//! lecture: J = ½ Σ_ij f(X_ij) (u_iᵀ v_j − log X_ij)²
//! paper:   J =   Σ_ij f(X_ij) (w_iᵀ w̃_j + b_i + b̃_j − log X_ij)²      (eq. 8, with biases)
//!
//! per cell, with e = f(X_ij)·(u_iᵀ v_j [+ b_i + b̃_j] − log X_ij) and c = 1 (lecture) or 2 (paper):
//! ∂J/∂u_i = c·e·v_j    ∂J/∂v_j = c·e·u_i    ∂J/∂b_i = ∂J/∂b̃_j = c·e
//! ```
//!
//! Training visits the non-zero cells in a freshly shuffled order each epoch and updates the two
//! vectors (and biases) of the cell with AdaGrad as in the reference `glove.c` (accumulators start
//! at 1: θ ← θ − η g / √G, then G ← G + g²) or with plain SGD. The final word vector is u_i + v_i
//! (the paper's choice), or either half.

use super::tokenize::{sentences, words, TokenizerConfig};
use super::vectors::WordVectors;
use super::vocab::{Vocab, VocabOrder};
use crate::core::error::{CoreError, Result};
use crate::core::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The lecture's corpus (CS224n).
pub const LECTURE_CORPUS: &str = "I like deep learning. I like NLP. I enjoy flying.";

/// The row/column order of the CS224n slide.
pub const LECTURE_ORDER: [&str; 8] = [
    "I", "like", "enjoy", "deep", "learning", "NLP", "flying", ".",
];

const MAX_TOKENS: usize = 2_000_000;
const MAX_DENSE: usize = 2000;

/// How co-occurrences are counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CooccurrenceConfig {
    /// Words on each side that count as context, 1 to 10. Default 1 (the lecture).
    pub window: usize,
    /// Weight a pair at distance d by 1/d (the GloVe paper) instead of 1 (the lecture). Default off.
    pub distance_weighting: bool,
    /// Let windows run across sentence ends. Default off (the lecture counts no ". I" pairs).
    pub cross_sentences: bool,
    /// Lower-case the corpus. Default off (the lecture writes "I" and "NLP").
    pub lowercase: bool,
    /// Row/column order. Default: the lecture's order first, then other words as they appear.
    pub order: VocabOrder,
    /// Keep only the `max_vocab` most frequent words (1 to 50 000; others are removed from the
    /// token stream before windowing, as `glove.c` does). Default 10 000.
    pub max_vocab: usize,
    /// Keep only words seen at least this often (≥ 1). Default 1.
    pub min_count: u64,
}

impl Default for CooccurrenceConfig {
    fn default() -> Self {
        CooccurrenceConfig {
            window: 1,
            distance_weighting: false,
            cross_sentences: false,
            lowercase: false,
            order: VocabOrder::Preferred(LECTURE_ORDER.iter().map(|s| s.to_string()).collect()),
            max_vocab: 10_000,
            min_count: 1,
        }
    }
}

impl CooccurrenceConfig {
    /// Checks ranges.
    pub fn validate(&self) -> Result<()> {
        if !(1..=10).contains(&self.window) {
            return Err(CoreError::invalid("window", "must be between 1 and 10"));
        }
        if !(1..=50_000).contains(&self.max_vocab) {
            return Err(CoreError::invalid(
                "max_vocab",
                "must be between 1 and 50000",
            ));
        }
        if self.min_count == 0 {
            return Err(CoreError::invalid("min_count", "must be at least 1"));
        }
        Ok(())
    }

    fn tokenizer(&self) -> TokenizerConfig {
        TokenizerConfig {
            lowercase: self.lowercase,
            keep_punctuation: true,
        }
    }
}

/// One non-zero cell X_ij.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Row (centre word id).
    pub i: u32,
    /// Column (context word id).
    pub j: u32,
    /// The (possibly distance-weighted) count.
    pub x: f64,
}

/// A sparse, symmetric co-occurrence matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CooccurrenceMatrix {
    /// Row/column words, in id order.
    pub words: Vec<String>,
    /// Corpus count of each word.
    pub word_counts: Vec<u64>,
    /// Non-zero cells sorted by (i, j).
    pub cells: Vec<Cell>,
    /// Tokens kept after vocabulary pruning.
    pub tokens: usize,
}

impl CooccurrenceMatrix {
    /// Counts co-occurrences in `text` (see [`CooccurrenceConfig`]).
    pub fn from_text(text: &str, cfg: &CooccurrenceConfig) -> Result<CooccurrenceMatrix> {
        cfg.validate()?;
        let toks = words(text, &cfg.tokenizer());
        if toks.is_empty() {
            return Err(CoreError::empty("corpus (no words)"));
        }
        if toks.len() > MAX_TOKENS {
            return Err(CoreError::invalid(
                "corpus",
                format!("at most {MAX_TOKENS} tokens, got {}", toks.len()),
            ));
        }
        let full = Vocab::build(toks.iter().map(|s| s.as_str()), &cfg.order)?;
        let vocab = keep_frequent(&full, cfg.max_vocab, cfg.min_count)?;
        let sents: Vec<Vec<String>> = if cfg.cross_sentences {
            vec![toks]
        } else {
            sentences(&toks)
        };
        let mut map: HashMap<u64, f64> = HashMap::new();
        let mut kept = 0usize;
        for s in &sents {
            // Out-of-vocabulary tokens are removed before windowing.
            let ids: Vec<u32> = s
                .iter()
                .filter_map(|t| vocab.id(t))
                .map(|i| i as u32)
                .collect();
            kept += ids.len();
            for p in 0..ids.len() {
                for q in p + 1..(p + 1 + cfg.window).min(ids.len()) {
                    let w = if cfg.distance_weighting {
                        1.0 / (q - p) as f64
                    } else {
                        1.0
                    };
                    let (a, b) = (ids[p] as u64, ids[q] as u64);
                    *map.entry(a << 32 | b).or_insert(0.0) += w;
                    *map.entry(b << 32 | a).or_insert(0.0) += w;
                }
            }
        }
        let mut cells: Vec<Cell> = map
            .into_iter()
            .map(|(k, x)| Cell {
                i: (k >> 32) as u32,
                j: k as u32,
                x,
            })
            .collect();
        cells.sort_by_key(|c| (c.i, c.j));
        Ok(CooccurrenceMatrix {
            words: vocab.tokens().to_vec(),
            word_counts: vocab.counts().to_vec(),
            cells,
            tokens: kept,
        })
    }

    /// Vocabulary size V.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there are no words (never for a built matrix).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// X_ij (0 for an empty cell or out of range).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let key = (i as u64, j as u64);
        self.cells
            .binary_search_by_key(&key, |c| (c.i as u64, c.j as u64))
            .map(|k| self.cells[k].x)
            .unwrap_or(0.0)
    }

    /// X_ij by word; an error names an unknown word.
    pub fn get_words(&self, a: &str, b: &str) -> Result<f64> {
        let id = |w: &str| {
            self.words.iter().position(|x| x == w).ok_or_else(|| {
                CoreError::invalid(
                    "word",
                    format!("\"{w}\" is not in the co-occurrence vocabulary"),
                )
            })
        };
        Ok(self.get(id(a)?, id(b)?))
    }

    /// The full matrix (V, V) row-major, for display; errors when V > 2000.
    pub fn dense(&self) -> Result<Vec<f64>> {
        let v = self.len();
        if v > MAX_DENSE {
            return Err(CoreError::invalid(
                "co-occurrence matrix",
                format!(
                    "{v} words is too many to show as a dense {v}×{v} table (limit {MAX_DENSE})"
                ),
            ));
        }
        let mut out = vec![0.0; v * v];
        for c in &self.cells {
            out[c.i as usize * v + c.j as usize] = c.x;
        }
        Ok(out)
    }
}

/// Keeps the `max` most frequent words with count ≥ `min_count`, preserving the vocabulary order.
fn keep_frequent(v: &Vocab, max: usize, min_count: u64) -> Result<Vocab> {
    if v.len() <= max && min_count <= 1 {
        return Ok(v.clone());
    }
    let mut ids: Vec<usize> = (0..v.len())
        .filter(|&i| v.counts()[i] >= min_count)
        .collect();
    ids.sort_by_key(|&i| std::cmp::Reverse(v.counts()[i]));
    ids.truncate(max);
    ids.sort_unstable();
    if ids.is_empty() {
        return Err(CoreError::empty(format!(
            "vocabulary after keeping words seen at least {min_count} times"
        )));
    }
    Vocab::from_parts(
        ids.iter().map(|&i| v.token(i).to_string()).collect(),
        ids.iter().map(|&i| v.counts()[i]).collect(),
    )
}

/// GloVe's weighting f(x) = (x / x_max)^α for x < x_max, else 1.
pub fn weight(x: f64, x_max: f64, alpha: f64) -> f64 {
    if x < x_max {
        (x / x_max).powf(alpha)
    } else {
        1.0
    }
}

/// Which objective is minimised (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GloveObjective {
    /// ½ Σ f(X_ij)(u_iᵀ v_j − log X_ij)², no biases (the lecture).
    #[default]
    Lecture,
    /// Σ f(X_ij)(w_iᵀ w̃_j + b_i + b̃_j − log X_ij)² (the paper, eq. 8).
    Paper,
}

/// The update rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GloveOptimizer {
    /// AdaGrad as in glove.c: θ ← θ − η g/√G, G ← G + g², G starting at 1.
    #[default]
    AdaGrad,
    /// Plain SGD: θ ← θ − η g.
    Sgd,
}

/// How the final word vector is formed from the two halves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// u_i + v_i (the paper).
    #[default]
    Sum,
    /// u_i only (word / centre vectors).
    Center,
    /// v_i only (context vectors).
    Context,
}

/// GloVe training configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GloveConfig {
    /// The corpus (≤ 2 000 000 tokens). Default: the lecture's three sentences.
    pub corpus: String,
    /// Co-occurrence counting options.
    pub cooccurrence: CooccurrenceConfig,
    /// Vector size D, 1 to 300. Default 10.
    pub dim: usize,
    /// x_max of the weighting, > 0. Default 100.
    pub x_max: f64,
    /// α of the weighting, in [0, 2]. Default 0.75.
    pub alpha: f64,
    /// Objective. Default: the lecture's (no biases).
    pub objective: GloveObjective,
    /// Update rule. Default AdaGrad.
    pub optimizer: GloveOptimizer,
    /// Learning rate η, in (0, 10]. Default 0.05 (glove.c).
    pub learning_rate: f64,
    /// Seed of the initialisation and the shuffles.
    pub seed: u64,
}

impl Default for GloveConfig {
    fn default() -> Self {
        GloveConfig {
            corpus: LECTURE_CORPUS.to_string(),
            cooccurrence: CooccurrenceConfig::default(),
            dim: 10,
            x_max: 100.0,
            alpha: 0.75,
            objective: GloveObjective::Lecture,
            optimizer: GloveOptimizer::AdaGrad,
            learning_rate: 0.05,
            seed: 0,
        }
    }
}

impl GloveConfig {
    /// Checks ranges.
    pub fn validate(&self) -> Result<()> {
        self.cooccurrence.validate()?;
        if !(1..=300).contains(&self.dim) {
            return Err(CoreError::invalid("dim", "must be between 1 and 300"));
        }
        if !(self.x_max.is_finite() && self.x_max > 0.0) {
            return Err(CoreError::invalid("x_max", "must be a positive number"));
        }
        if !(self.alpha.is_finite() && (0.0..=2.0).contains(&self.alpha)) {
            return Err(CoreError::invalid("alpha", "must be between 0 and 2"));
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 10.0)
        {
            return Err(CoreError::invalid("learning_rate", "must be in (0, 10]"));
        }
        Ok(())
    }
}

/// Full-batch gradients of J (same shapes as the parameters).
#[derive(Clone, Debug, PartialEq)]
pub struct GloveGrads {
    /// ∂J/∂u (V, D).
    pub du: Vec<f64>,
    /// ∂J/∂v (V, D).
    pub dv: Vec<f64>,
    /// ∂J/∂b (V,), zero for the lecture objective.
    pub dbu: Vec<f64>,
    /// ∂J/∂b̃ (V,), zero for the lecture objective.
    pub dbv: Vec<f64>,
}

/// Progress after [`GloveModel::train_steps`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GloveProgress {
    /// Cell updates done so far.
    pub steps: u64,
    /// Completed epochs (passes over all non-zero cells).
    pub epochs: u64,
    /// Non-zero cells = steps per epoch.
    pub steps_per_epoch: usize,
    /// Cost of the last completed epoch: Σ of each cell's cost just before its update (as glove.c
    /// reports), `None` before the first epoch ends.
    pub last_epoch_cost: Option<f64>,
}

/// A GloVe model with its co-occurrence matrix and optimiser state.
#[derive(Clone, Debug)]
pub struct GloveModel {
    cfg: GloveConfig,
    cooc: CooccurrenceMatrix,
    fx: Vec<f64>,   // f(X_ij) per cell
    logx: Vec<f64>, // log X_ij per cell
    u: Vec<f64>,    // (V, D) word (centre) vectors
    v: Vec<f64>,    // (V, D) context vectors
    bu: Vec<f64>,   // (V,)
    bv: Vec<f64>,   // (V,)
    gu: Vec<f64>,   // AdaGrad accumulators, same shapes
    gv: Vec<f64>,
    gbu: Vec<f64>,
    gbv: Vec<f64>,
    order: Vec<usize>, // visiting order of the cells in this epoch
    pos: usize,
    steps: u64,
    epochs: u64,
    epoch_cost: f64,
    history: Vec<f64>,
    rng: Rng,
}

impl GloveModel {
    /// Counts co-occurrences and initialises the vectors uniformly in [−0.5, 0.5)/D (glove.c).
    pub fn new(cfg: &GloveConfig) -> Result<GloveModel> {
        GloveModel::with_corpus(cfg, &cfg.corpus)
    }

    /// Like [`GloveModel::new`] but counts `corpus` instead of `cfg.corpus` (for corpora too large
    /// to travel in a config).
    pub fn with_corpus(cfg: &GloveConfig, corpus: &str) -> Result<GloveModel> {
        cfg.validate()?;
        let cooc = CooccurrenceMatrix::from_text(corpus, &cfg.cooccurrence)?;
        GloveModel::from_cooccurrence(cfg, cooc)
    }

    /// A model over a given co-occurrence matrix (`cfg.corpus` and `cfg.cooccurrence` are unused).
    pub fn from_cooccurrence(cfg: &GloveConfig, cooc: CooccurrenceMatrix) -> Result<GloveModel> {
        cfg.validate()?;
        if cooc.cells.is_empty() {
            return Err(CoreError::empty(
                "co-occurrence matrix (no word has a neighbour; use longer sentences)",
            ));
        }
        if let Some(c) = cooc.cells.iter().find(|c| !(c.x.is_finite() && c.x > 0.0)) {
            return Err(CoreError::invalid(
                "co-occurrence matrix",
                format!("cell ({}, {}) = {} is not a positive count", c.i, c.j, c.x),
            ));
        }
        let (n, d) = (cooc.len(), cfg.dim);
        if cooc
            .cells
            .iter()
            .any(|c| c.i as usize >= n || c.j as usize >= n)
        {
            return Err(CoreError::invalid(
                "co-occurrence matrix",
                "cell index out of range",
            ));
        }
        let mut rng = Rng::new(cfg.seed);
        let mut init = |len: usize| -> Vec<f64> {
            (0..len)
                .map(|_| rng.uniform(-0.5, 0.5) / d as f64)
                .collect()
        };
        let (u, v, bu, bv) = (init(n * d), init(n * d), init(n), init(n));
        let fx = cooc
            .cells
            .iter()
            .map(|c| weight(c.x, cfg.x_max, cfg.alpha))
            .collect();
        let logx = cooc.cells.iter().map(|c| c.x.ln()).collect();
        let nnz = cooc.cells.len();
        let mut m = GloveModel {
            cfg: cfg.clone(),
            fx,
            logx,
            u,
            v,
            bu,
            bv,
            gu: vec![1.0; n * d],
            gv: vec![1.0; n * d],
            gbu: vec![1.0; n],
            gbv: vec![1.0; n],
            order: (0..nnz).collect(),
            pos: 0,
            steps: 0,
            epochs: 0,
            epoch_cost: 0.0,
            history: Vec::new(),
            rng: Rng::fork(cfg.seed, 1),
            cooc,
        };
        m.rng.shuffle(&mut m.order);
        Ok(m)
    }

    /// The co-occurrence matrix.
    pub fn cooccurrence(&self) -> &CooccurrenceMatrix {
        &self.cooc
    }

    /// The configuration.
    pub fn config(&self) -> &GloveConfig {
        &self.cfg
    }

    /// Word (centre) vectors u (V, D).
    pub fn u(&self) -> &[f64] {
        &self.u
    }

    /// Context vectors v (V, D).
    pub fn v(&self) -> &[f64] {
        &self.v
    }

    /// Biases b and b̃ (V,) each (unused by the lecture objective).
    pub fn biases(&self) -> (&[f64], &[f64]) {
        (&self.bu, &self.bv)
    }

    /// Mutable parameter access for gradient checks: (u, v, b, b̃).
    pub fn params_mut(&mut self) -> [&mut Vec<f64>; 4] {
        [&mut self.u, &mut self.v, &mut self.bu, &mut self.bv]
    }

    /// Cost of each completed epoch (see [`GloveProgress::last_epoch_cost`]).
    pub fn history(&self) -> &[f64] {
        &self.history
    }

    fn uses_biases(&self) -> bool {
        self.cfg.objective == GloveObjective::Paper
    }

    /// Prediction minus target for cell k: u_iᵀ v_j [+ b_i + b̃_j] − log X_ij.
    fn diff(&self, k: usize) -> f64 {
        let c = self.cooc.cells[k];
        let d = self.cfg.dim;
        let (i, j) = (c.i as usize, c.j as usize);
        let mut s: f64 = self.u[i * d..(i + 1) * d]
            .iter()
            .zip(&self.v[j * d..(j + 1) * d])
            .map(|(a, b)| a * b)
            .sum();
        if self.uses_biases() {
            s += self.bu[i] + self.bv[j];
        }
        s - self.logx[k]
    }

    /// 1 for the lecture objective (½ in front), 2 for the paper's (no ½).
    fn grad_factor(&self) -> f64 {
        if self.uses_biases() {
            2.0
        } else {
            1.0
        }
    }

    /// The exact objective J at the current parameters.
    pub fn objective(&self) -> f64 {
        let half = if self.uses_biases() { 1.0 } else { 0.5 };
        (0..self.cooc.cells.len())
            .map(|k| {
                let e = self.diff(k);
                half * self.fx[k] * e * e
            })
            .sum()
    }

    /// Full-batch gradient of [`GloveModel::objective`].
    pub fn gradient(&self) -> GloveGrads {
        let (n, d) = (self.cooc.len(), self.cfg.dim);
        let mut g = GloveGrads {
            du: vec![0.0; n * d],
            dv: vec![0.0; n * d],
            dbu: vec![0.0; n],
            dbv: vec![0.0; n],
        };
        let c2 = self.grad_factor();
        for (k, c) in self.cooc.cells.iter().enumerate() {
            let (i, j) = (c.i as usize, c.j as usize);
            let e = c2 * self.fx[k] * self.diff(k);
            for t in 0..d {
                g.du[i * d + t] += e * self.v[j * d + t];
                g.dv[j * d + t] += e * self.u[i * d + t];
            }
            if self.uses_biases() {
                g.dbu[i] += e;
                g.dbv[j] += e;
            }
        }
        g
    }

    /// Performs `n` cell updates (a step = one non-zero cell) and returns the progress. An epoch
    /// ends after every cell has been visited once; the order is reshuffled for the next epoch.
    pub fn train_steps(&mut self, n: usize) -> GloveProgress {
        let d = self.cfg.dim;
        let eta = self.cfg.learning_rate;
        let c2 = self.grad_factor();
        let half = if self.uses_biases() { 1.0 } else { 0.5 };
        let ada = self.cfg.optimizer == GloveOptimizer::AdaGrad;
        let mut gu_row = vec![0.0; d]; // (D,)
        let mut gv_row = vec![0.0; d]; // (D,)
        for _ in 0..n {
            let k = self.order[self.pos];
            let c = self.cooc.cells[k];
            let (i, j) = (c.i as usize, c.j as usize);
            let diff = self.diff(k);
            self.epoch_cost += half * self.fx[k] * diff * diff;
            let e = c2 * self.fx[k] * diff;
            for t in 0..d {
                gu_row[t] = e * self.v[j * d + t];
                gv_row[t] = e * self.u[i * d + t];
            }
            for t in 0..d {
                let (a, b) = (i * d + t, j * d + t);
                if ada {
                    self.u[a] -= eta * gu_row[t] / self.gu[a].sqrt();
                    self.gu[a] += gu_row[t] * gu_row[t];
                    self.v[b] -= eta * gv_row[t] / self.gv[b].sqrt();
                    self.gv[b] += gv_row[t] * gv_row[t];
                } else {
                    self.u[a] -= eta * gu_row[t];
                    self.v[b] -= eta * gv_row[t];
                }
            }
            if self.uses_biases() {
                if ada {
                    self.bu[i] -= eta * e / self.gbu[i].sqrt();
                    self.gbu[i] += e * e;
                    self.bv[j] -= eta * e / self.gbv[j].sqrt();
                    self.gbv[j] += e * e;
                } else {
                    self.bu[i] -= eta * e;
                    self.bv[j] -= eta * e;
                }
            }
            self.steps += 1;
            self.pos += 1;
            if self.pos == self.order.len() {
                self.pos = 0;
                self.epochs += 1;
                self.history.push(self.epoch_cost);
                self.epoch_cost = 0.0;
                self.rng.shuffle(&mut self.order);
            }
        }
        self.progress()
    }

    /// Runs `n` whole epochs.
    pub fn train_epochs(&mut self, n: usize) -> GloveProgress {
        let left = self.order.len() - self.pos;
        let steps = if n == 0 {
            0
        } else {
            left.saturating_add((n - 1).saturating_mul(self.order.len()))
        };
        self.train_steps(steps)
    }

    /// The current progress.
    pub fn progress(&self) -> GloveProgress {
        GloveProgress {
            steps: self.steps,
            epochs: self.epochs,
            steps_per_epoch: self.order.len(),
            last_epoch_cost: self.history.last().copied(),
        }
    }

    /// The trained vectors as a [`WordVectors`] set (for neighbours and PCA).
    pub fn word_vectors(&self, combine: Combine) -> Result<WordVectors> {
        let rows: Vec<f64> = match combine {
            Combine::Sum => self.u.iter().zip(&self.v).map(|(a, b)| a + b).collect(),
            Combine::Center => self.u.clone(),
            Combine::Context => self.v.clone(),
        };
        WordVectors::from_rows_f64(self.cooc.words.clone(), &rows, self.cfg.dim)
    }
}

/// One point of the "the matrix grows with the vocabulary" chart.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GrowthPoint {
    /// Corpus tokens read so far.
    pub tokens: usize,
    /// Distinct words V so far.
    pub vocab: usize,
    /// V² cells of the dense matrix.
    pub cells: u64,
    /// Non-zero cells.
    pub nonzeros: u64,
    /// Bytes of a dense float32 matrix: 4·V².
    pub dense_bytes: u64,
    /// Bytes of a sparse list of (u32 i, u32 j, f32 x) triples: 12·non-zeros.
    pub sparse_bytes: u64,
    /// nonzeros / cells.
    pub density: f64,
}

/// Size of the co-occurrence matrix as the corpus prefix grows, at `points` evenly spaced token
/// counts (2 to 500). Every word counts (no vocabulary limit); `cfg.window`, `cross_sentences` and
/// `lowercase` apply.
pub fn growth_curve(
    text: &str,
    cfg: &CooccurrenceConfig,
    points: usize,
) -> Result<Vec<GrowthPoint>> {
    cfg.validate()?;
    if !(2..=500).contains(&points) {
        return Err(CoreError::invalid("points", "must be between 2 and 500"));
    }
    let toks = words(text, &cfg.tokenizer());
    if toks.is_empty() {
        return Err(CoreError::empty("corpus (no words)"));
    }
    if toks.len() > MAX_TOKENS {
        return Err(CoreError::invalid(
            "corpus",
            format!("at most {MAX_TOKENS} tokens, got {}", toks.len()),
        ));
    }
    let total = toks.len();
    let checkpoints: Vec<usize> = (1..=points).map(|k| (k * total).div_ceil(points)).collect();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut pairs: HashSet<u64> = HashSet::new();
    let mut sent: Vec<u32> = Vec::new(); // ids of the current sentence
    let mut out = Vec::with_capacity(points);
    let mut next_cp = 0;
    for (p, t) in toks.iter().enumerate() {
        let next = ids.len() as u32;
        let id = *ids.entry(t.as_str()).or_insert(next);
        // Pair with the previous `window` tokens of the same sentence.
        for &prev in sent.iter().rev().take(cfg.window) {
            pairs.insert((id as u64) << 32 | prev as u64);
            pairs.insert((prev as u64) << 32 | id as u64);
        }
        sent.push(id);
        if sent.len() > cfg.window {
            sent.remove(0);
        }
        if !cfg.cross_sentences && super::tokenize::is_sentence_end(t) {
            sent.clear();
        }
        while next_cp < checkpoints.len() && checkpoints[next_cp] <= p + 1 {
            next_cp += 1;
            if out.last().is_some_and(|g: &GrowthPoint| g.tokens == p + 1) {
                continue;
            }
            let v = ids.len() as u64;
            let nnz = pairs.len() as u64;
            out.push(GrowthPoint {
                tokens: p + 1,
                vocab: v as usize,
                cells: v * v,
                nonzeros: nnz,
                dense_bytes: 4 * v * v,
                sparse_bytes: 12 * nnz,
                density: nnz as f64 / (v * v) as f64,
            });
        }
    }
    Ok(out)
}
