//! Word2Vec: learning word vectors by predicting neighbours (Mikolov et al., "Efficient Estimation
//! of Word Representations in Vector Space", 2013, and "Distributed Representations of Words and
//! Phrases and their Compositionality", 2013).
//!
//! The lecture's toy: sentence "I study math", vocabulary {I, study, math} (V = 3), hidden size D.
//! The input word is a one-hot x; W₁ (D × V) and W₂ (V × D):
//!
//! ```text
//! h = W₁ x            the column of W₁ for the input word       (D,)
//! s = W₂ h            one score per vocabulary word             (V,)
//! ŷ = softmax(s)      P(output word | input word)               (V,)
//! J = −log ŷ_o        o = the true output word ("math" for input "study")
//!
//! ∂J/∂s = ŷ − e_o      ∂J/∂W₂ = (ŷ − e_o) hᵀ      ∂J/∂h = W₂ᵀ (ŷ − e_o)      ∂J/∂W₁[:, input] = ∂J/∂h
//! ```
//!
//! Training raises s_o = W₂[o, :] · W₁[:, input]: the inner product of "math"'s row of W₂ with
//! "study"'s column of W₁ grows, which is what the toy widget animates.
//!
//! Variants:
//! * **skip-gram** predicts each context word from the centre word (input = centre, output = one
//!   context word); **CBOW** predicts the centre word from the mean of its context words
//!   (h = (1/C) Σ_c W₁[:, c], and each context column receives ∂J/∂h / C).
//! * **full softmax** (above) costs O(V) per example; **negative sampling** replaces it by
//!   `J = −log σ(W₂[o]·h) − Σ_{k=1..K} log σ(−W₂[n_k]·h)` with K negatives n_k drawn from the unigram
//!   distribution raised to 3/4 (a drawn negative equal to o is skipped, as in word2vec.c).
//!
//! Storage: `w1` holds W₁ *transposed*, (V, D) row-major, so "the column of W₁ for word i" is the
//! contiguous row i of `w1`; `w2` is W₂ itself, (V, D). Both start uniform in [−0.5, 0.5)/D from the
//! seed (word2vec.c starts W₂ at zero; random W₂ makes the toy's first frames more telling).
//! Windows are fixed (no random shrinking) and never cross a sentence end; training examples are
//! visited in a freshly shuffled order each epoch; optional frequent-word subsampling uses
//! word2vec.c's keep probability (√(f/t) + 1)·t/f, redrawn every epoch.

use super::ngram::piece_end;
use super::tokenize::{is_punctuation, is_sentence_end, words, TokenizerConfig};
use super::vectors::{Neighbour, WordVectors};
use super::vocab::Vocab;
use crate::core::activations::sigmoid;
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The lecture's toy corpus.
pub const TOY_CORPUS: &str = "I study math";

/// Which word predicts which.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// Centre word → each context word.
    #[default]
    SkipGram,
    /// Mean of the context words → centre word.
    Cbow,
}

/// The output layer and its loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputLayer {
    /// Softmax over the whole vocabulary, cross-entropy loss (O(V) per example).
    #[default]
    FullSoftmax,
    /// One positive and K sampled negatives with logistic losses (O(K) per example).
    NegativeSampling,
}

/// Word2Vec configuration. Defaults are the lecture's toy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Word2VecConfig {
    /// Training text (≤ 2 000 000 tokens; sentences end at . ! ?). Default "I study math".
    pub corpus: String,
    /// Lower-case the text. Default `false` (the lecture writes "I").
    pub lowercase: bool,
    /// Keep punctuation as tokens. Default `false`.
    pub keep_punctuation: bool,
    /// Skip-gram or CBOW. Default skip-gram.
    pub architecture: Architecture,
    /// Full softmax or negative sampling. Default full softmax.
    pub output: OutputLayer,
    /// Vector size D, 1 to 300. Default 2.
    pub dim: usize,
    /// Context words on each side, 1 to 10. Default 1.
    pub window: usize,
    /// Negatives per example K, 1 to 25 (negative sampling only). Default 5.
    pub negatives: usize,
    /// Exponent of the unigram distribution for negatives, in [0, 1]. Default 0.75.
    pub ns_power: f64,
    /// SGD learning rate, in (0, 10]. Default 0.1.
    pub learning_rate: f64,
    /// Keep only the `max_vocab` most frequent words (1 to 100 000; others are removed). Default 10 000.
    pub max_vocab: usize,
    /// Keep only words seen at least this often (≥ 1). Default 1.
    pub min_count: u64,
    /// Subsampling threshold t for frequent words (0 = off, else in [1e-6, 1e-1]). Default 0.
    pub subsample: f64,
    /// Record the mean loss every this many steps (1 to 1 000 000). Default 1.
    pub loss_every: usize,
    /// Seed of initialisation, shuffling, subsampling and negatives.
    pub seed: u64,
}

impl Default for Word2VecConfig {
    fn default() -> Self {
        Word2VecConfig {
            corpus: TOY_CORPUS.to_string(),
            lowercase: false,
            keep_punctuation: false,
            architecture: Architecture::SkipGram,
            output: OutputLayer::FullSoftmax,
            dim: 2,
            window: 1,
            negatives: 5,
            ns_power: 0.75,
            learning_rate: 0.1,
            max_vocab: 10_000,
            min_count: 1,
            subsample: 0.0,
            loss_every: 1,
            seed: 0,
        }
    }
}

const MAX_TOKENS: usize = 2_000_000;

impl Word2VecConfig {
    /// Checks ranges.
    pub fn validate(&self) -> Result<()> {
        let range = |ok: bool, what: &str, why: &str| {
            if ok {
                Ok(())
            } else {
                Err(CoreError::invalid(what, why))
            }
        };
        range(
            (1..=300).contains(&self.dim),
            "dim",
            "must be between 1 and 300",
        )?;
        range(
            (1..=10).contains(&self.window),
            "window",
            "must be between 1 and 10",
        )?;
        range(
            (1..=25).contains(&self.negatives),
            "negatives",
            "must be between 1 and 25",
        )?;
        range(
            self.ns_power.is_finite() && (0.0..=1.0).contains(&self.ns_power),
            "ns_power",
            "must be between 0 and 1",
        )?;
        range(
            self.learning_rate.is_finite()
                && self.learning_rate > 0.0
                && self.learning_rate <= 10.0,
            "learning_rate",
            "must be in (0, 10]",
        )?;
        range(
            (1..=100_000).contains(&self.max_vocab),
            "max_vocab",
            "must be between 1 and 100000",
        )?;
        range(self.min_count >= 1, "min_count", "must be at least 1")?;
        range(
            self.subsample == 0.0 || (1e-6..=1e-1).contains(&self.subsample),
            "subsample",
            "must be 0 (off) or between 0.000001 and 0.1",
        )?;
        range(
            (1..=1_000_000).contains(&self.loss_every),
            "loss_every",
            "must be between 1 and 1000000",
        )?;
        Ok(())
    }
}

/// One training example: `inputs` (the centre word for skip-gram, the context words for CBOW)
/// predict `output`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// Input word ids (h is the mean of their W₁ columns).
    pub inputs: Vec<usize>,
    /// The word to predict.
    pub output: usize,
}

/// The gradient of one example's loss in sparse form:
/// ∂J/∂W₁[:, x] = `dh` / |inputs| for each input x, and ∂J/∂W₂[r, :] = `coef_r` · h for each
/// (r, coef_r) in `w2_rows` (all V rows for the full softmax, the positive and the negatives for
/// negative sampling).
#[derive(Clone, Debug, PartialEq)]
pub struct SparseGrad<F> {
    /// h, the hidden vector (D,).
    pub h: Vec<F>,
    /// ∂J/∂h (D,).
    pub dh: Vec<F>,
    /// (row of W₂, ∂J/∂s_row).
    pub w2_rows: Vec<(usize, F)>,
}

/// Progress after [`Word2Vec::train_steps`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Word2VecProgress {
    /// Examples processed so far.
    pub steps: u64,
    /// Completed epochs.
    pub epochs: u64,
    /// Examples in the current epoch.
    pub examples_in_epoch: usize,
    /// Mean loss of the most recent complete `loss_every` block, if any.
    pub last_loss: Option<f64>,
}

/// A point of the loss curve: the mean loss of the `loss_every` steps ending at `step`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LossPoint {
    /// Step count at the end of the block.
    pub step: u64,
    /// Mean loss over the block (cross-entropy for the full softmax, the negative-sampling loss
    /// otherwise).
    pub loss: f64,
}

/// A snapshot of a small model for the toy widget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToyFrame {
    /// Vocabulary in id order.
    pub words: Vec<String>,
    /// W₁ (D, V), row-major: column i is word i's input vector.
    pub w1: Vec<f64>,
    /// W₂ (V, D), row-major: row j is word j's output vector.
    pub w2: Vec<f64>,
    /// Inner products S = W₂ W₁ (V, V): S[j, i] = W₂[j, :] · W₁[:, i] (score of output j for input i).
    pub scores: Vec<f64>,
    /// Softmax of each column of S (V, V): P(output j | input i) at `probs[j * V + i]`.
    pub probs: Vec<f64>,
    /// Steps so far.
    pub steps: u64,
}

/// A Word2Vec model with its corpus, vocabulary and training state.
#[derive(Clone, Debug)]
pub struct Word2Vec<F: Real> {
    cfg: Word2VecConfig,
    vocab: Vocab,
    sentences: Vec<Vec<u32>>, // token ids per sentence (out-of-vocabulary tokens removed)
    w1: Vec<F>,               // (V, D): W₁ transposed
    w2: Vec<F>,               // (V, D)
    neg_cdf: Vec<f64>,        // (V,) cumulative unigram^power distribution
    rng: Rng,
    epoch: Epoch,
    steps: u64,
    epochs: u64,
    loss_acc: f64,
    loss_n: usize,
    history: Vec<LossPoint>,
}

impl<F: Real> Word2Vec<F> {
    /// Tokenises the corpus, builds the vocabulary (by frequency), initialises W₁ and W₂ and the
    /// first epoch. Errors: invalid config, empty corpus, no training pair (a single word).
    pub fn new(cfg: &Word2VecConfig) -> Result<Word2Vec<F>> {
        Word2Vec::with_corpus(cfg, &cfg.corpus)
    }

    /// Like [`Word2Vec::new`] but trains on `corpus` instead of `cfg.corpus`, so a config that
    /// travels in a URL need not carry a whole novel (the stored config keeps `cfg.corpus`).
    pub fn with_corpus(cfg: &Word2VecConfig, corpus: &str) -> Result<Word2Vec<F>> {
        Word2VecSetup::new(cfg, corpus.to_string())?.finish()
    }

    /// The model over a vocabulary and its sentences of ids (from [`Word2VecSetup::finish`]).
    fn from_vocab(cfg: &Word2VecConfig, vocab: Vocab, sents: Vec<Vec<u32>>) -> Result<Word2Vec<F>> {
        if sents.is_empty() {
            return Err(CoreError::empty(
                "training pairs (every sentence has fewer than two known words)",
            ));
        }
        let (v, d) = (vocab.len(), cfg.dim);
        let mut rng = Rng::new(cfg.seed);
        let scale = 1.0 / d as f64;
        let w1 = (0..v * d)
            .map(|_| F::c(rng.uniform(-0.5, 0.5) * scale))
            .collect();
        let w2 = (0..v * d)
            .map(|_| F::c(rng.uniform(-0.5, 0.5) * scale))
            .collect();
        let mut acc = 0.0;
        let neg_cdf = vocab
            .counts()
            .iter()
            .map(|&c| {
                acc += (c as f64).powf(cfg.ns_power);
                acc
            })
            .collect();
        let mut m = Word2Vec {
            cfg: cfg.clone(),
            vocab,
            sentences: sents,
            w1,
            w2,
            neg_cdf,
            rng: Rng::fork(cfg.seed, 1),
            epoch: Epoch::default(),
            steps: 0,
            epochs: 0,
            loss_acc: 0.0,
            loss_n: 0,
            history: Vec::new(),
        };
        m.new_epoch();
        if m.epoch.examples == 0 {
            return Err(CoreError::empty("training examples"));
        }
        Ok(m)
    }

    /// The configuration.
    pub fn config(&self) -> &Word2VecConfig {
        &self.cfg
    }

    /// The vocabulary (ids index the rows of W₁ᵀ and W₂).
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// W₁ transposed (V, D): row i is word i's input vector (the lecture's column i of W₁).
    pub fn w1t(&self) -> &[F] {
        &self.w1
    }

    /// W₂ (V, D): row j is word j's output vector.
    pub fn w2(&self) -> &[F] {
        &self.w2
    }

    /// Mutable (W₁ᵀ, W₂) for gradient checks and hand-set examples.
    pub fn params_mut(&mut self) -> (&mut Vec<F>, &mut Vec<F>) {
        (&mut self.w1, &mut self.w2)
    }

    /// The loss curve so far.
    pub fn history(&self) -> &[LossPoint] {
        &self.history
    }

    /// `W₂[output] · W₁[:, input]` for two words: the score the toy widget watches rise.
    pub fn inner_product(&self, input: &str, output: &str) -> Result<f64> {
        let (i, o) = (self.vocab.require(input)?, self.vocab.require(output)?);
        let d = self.cfg.dim;
        Ok(F::dot(&self.w1[i * d..(i + 1) * d], &self.w2[o * d..(o + 1) * d]).f64())
    }

    /// All training examples of the corpus (before shuffling and without subsampling), in corpus
    /// order. Meant for small corpora (the toy); errors above 100 000 examples.
    pub fn examples(&self) -> Result<Vec<Example>> {
        let mut out = Vec::new();
        for s in &self.sentences {
            push_examples(s, self.cfg.window, self.cfg.architecture, &mut out);
            if out.len() > 100_000 {
                return Err(CoreError::invalid(
                    "examples",
                    "more than 100000; list them only for small corpora",
                ));
            }
        }
        Ok(out)
    }

    /// Builds the next epoch: subsampled token stream, shuffled centre positions.
    fn new_epoch(&mut self) {
        let keep: Option<Vec<f64>> = (self.cfg.subsample > 0.0).then(|| {
            let total: u64 = self.vocab.counts().iter().sum();
            let t = self.cfg.subsample;
            self.vocab
                .counts()
                .iter()
                .map(|&c| {
                    let f = c as f64 / total as f64;
                    ((f / t).sqrt() + 1.0) * t / f
                })
                .collect()
        });
        let w = self.cfg.window;
        let mut e = Epoch::default();
        for s in &self.sentences {
            let start = e.stream.len();
            for &t in s {
                let kept = match &keep {
                    None => true,
                    Some(k) => self.rng.next_f64() < k[t as usize],
                };
                if kept {
                    e.stream.push(t);
                }
            }
            let end = e.stream.len();
            if end - start < 2 {
                e.stream.truncate(start); // no pair in this sentence this epoch
                continue;
            }
            for p in start..end {
                e.bounds.push((start as u32, end as u32));
                e.order.push(p as u32);
                let (lo, hi) = (p.saturating_sub(w).max(start), (p + w + 1).min(end));
                e.examples += match self.cfg.architecture {
                    Architecture::SkipGram => hi - lo - 1,
                    Architecture::Cbow => 1,
                };
            }
        }
        self.rng.shuffle(&mut e.order);
        e.cursor = NO_CURSOR;
        self.epoch = e;
    }

    /// The next example of the current epoch, or `None` at its end.
    fn next_example(&mut self) -> Option<Example> {
        let w = self.cfg.window;
        let e = &mut self.epoch;
        while e.next < e.order.len() {
            let p = e.order[e.next] as usize;
            let (start, end) = e.bounds[p];
            let (lo, hi) = (
                p.saturating_sub(w).max(start as usize),
                (p + w + 1).min(end as usize),
            );
            match self.cfg.architecture {
                Architecture::Cbow => {
                    e.next += 1;
                    return Some(Example {
                        inputs: (lo..hi)
                            .filter(|&q| q != p)
                            .map(|q| e.stream[q] as usize)
                            .collect(),
                        output: e.stream[p] as usize,
                    });
                }
                Architecture::SkipGram => {
                    if e.cursor == NO_CURSOR {
                        e.cursor = lo;
                    }
                    if e.cursor == p {
                        e.cursor += 1;
                    }
                    if e.cursor < hi {
                        let ex = Example {
                            inputs: vec![e.stream[p] as usize],
                            output: e.stream[e.cursor] as usize,
                        };
                        e.cursor += 1;
                        return Some(ex);
                    }
                    e.next += 1;
                    e.cursor = NO_CURSOR;
                }
            }
        }
        None
    }

    /// Draws `k` negatives for `output` from unigram^power (a draw equal to `output` is dropped).
    pub fn sample_negatives(&mut self, output: usize) -> Vec<usize> {
        let total = self.neg_cdf.last().copied().unwrap_or(0.0);
        let mut out = Vec::with_capacity(self.cfg.negatives);
        for _ in 0..self.cfg.negatives {
            let u = self.rng.next_f64() * total;
            let n = self
                .neg_cdf
                .partition_point(|&c| c <= u)
                .min(self.neg_cdf.len() - 1);
            if n != output {
                out.push(n);
            }
        }
        out
    }

    /// Loss of one example and its gradient (full softmax, or negative sampling with the given
    /// negatives). Errors on ids out of range or an empty input list.
    pub fn loss_and_grad(&self, ex: &Example, negatives: &[usize]) -> Result<(F, SparseGrad<F>)> {
        let (v, d) = (self.vocab.len(), self.cfg.dim);
        if ex.inputs.is_empty() {
            return Err(CoreError::empty("example inputs"));
        }
        if ex.output >= v || ex.inputs.iter().chain(negatives).any(|&i| i >= v) {
            return Err(CoreError::invalid("example", "word id out of range"));
        }
        // h = (1/C) Σ W₁[:, x]   (D,)
        let mut h = vec![F::zero(); d];
        let inv_c = F::one() / F::c(ex.inputs.len() as f64);
        for &x in &ex.inputs {
            F::axpy(inv_c, &self.w1[x * d..(x + 1) * d], &mut h);
        }
        let mut dh = vec![F::zero(); d]; // (D,)
        let mut rows = Vec::new();
        let loss = match self.cfg.output {
            OutputLayer::FullSoftmax => {
                let mut s = vec![F::zero(); v]; // s = W₂ h   (V,)
                F::gemv_acc(&self.w2, &h, &mut s);
                let max = s.iter().copied().fold(F::neg_infinity(), F::max);
                let shifted_o = s[ex.output] - max;
                let mut z = F::zero();
                for x in &mut s {
                    *x = (*x - max).exp();
                    z += *x;
                }
                // J = −log ŷ_o = log z − (s_o − max)
                let loss = z.ln() - shifted_o;
                for (j, x) in s.iter_mut().enumerate() {
                    *x /= z; // ŷ_j
                    let ds = if j == ex.output { *x - F::one() } else { *x };
                    rows.push((j, ds));
                }
                // ∂J/∂h = W₂ᵀ (ŷ − e_o)
                let ds: Vec<F> = rows.iter().map(|r| r.1).collect();
                F::gemv_t_acc(&self.w2, &ds, &mut dh);
                loss
            }
            OutputLayer::NegativeSampling => {
                let mut loss = F::zero();
                let targets = std::iter::once((ex.output, F::one()))
                    .chain(negatives.iter().map(|&n| (n, F::zero())));
                for (t, label) in targets {
                    let w = &self.w2[t * d..(t + 1) * d];
                    let score = F::dot(w, &h);
                    // −log σ(score) for the positive, −log σ(−score) for a negative.
                    let signed = if label == F::one() { score } else { -score };
                    loss -= log_sigmoid(signed);
                    let g = sigmoid(score) - label; // ∂J/∂score
                    F::axpy(g, w, &mut dh);
                    rows.push((t, g));
                }
                loss
            }
        };
        Ok((
            loss,
            SparseGrad {
                h,
                dh,
                w2_rows: rows,
            },
        ))
    }

    /// Expands a [`SparseGrad`] into dense (∂J/∂W₁ᵀ (V, D), ∂J/∂W₂ (V, D)), for gradient checks.
    pub fn dense_grad(&self, ex: &Example, g: &SparseGrad<F>) -> (Vec<F>, Vec<F>) {
        let (v, d) = (self.vocab.len(), self.cfg.dim);
        let mut dw1 = vec![F::zero(); v * d];
        let mut dw2 = vec![F::zero(); v * d];
        let inv_c = F::one() / F::c(ex.inputs.len() as f64);
        for &x in &ex.inputs {
            F::axpy(inv_c, &g.dh, &mut dw1[x * d..(x + 1) * d]);
        }
        for &(r, coef) in &g.w2_rows {
            F::axpy(coef, &g.h, &mut dw2[r * d..(r + 1) * d]);
        }
        (dw1, dw2)
    }

    /// Runs `n` SGD steps (one example each) and returns the progress. Epochs roll over
    /// automatically with a new shuffle (and new subsampling draws).
    pub fn train_steps(&mut self, n: usize) -> Word2VecProgress {
        for _ in 0..n {
            let ex = match self.next_example() {
                Some(ex) => ex,
                None => {
                    self.epochs += 1;
                    self.new_epoch();
                    match self.next_example() {
                        Some(ex) => ex,
                        // Subsampling removed every pair this epoch; try again next step.
                        None => continue,
                    }
                }
            };
            // Ids come from the vocabulary, so this cannot fail.
            let _ = self.train_example(&ex);
        }
        self.progress()
    }

    /// One SGD step on a given example (e.g. the lecture's single pair study → math), with fresh
    /// negatives for negative sampling. Counts as a step and enters the loss curve. Returns the
    /// example's loss before the update.
    pub fn train_example(&mut self, ex: &Example) -> Result<f64> {
        let d = self.cfg.dim;
        let lr = F::c(self.cfg.learning_rate);
        let negs = match self.cfg.output {
            OutputLayer::FullSoftmax => Vec::new(),
            OutputLayer::NegativeSampling => self.sample_negatives(ex.output),
        };
        let (loss, g) = self.loss_and_grad(ex, &negs)?;
        // W₂[r] ← W₂[r] − η coef_r h
        for &(r, coef) in &g.w2_rows {
            F::axpy(-lr * coef, &g.h, &mut self.w2[r * d..(r + 1) * d]);
        }
        // W₁[:, x] ← W₁[:, x] − η ∂J/∂h / C
        let step = -lr / F::c(ex.inputs.len() as f64);
        for &x in &ex.inputs {
            F::axpy(step, &g.dh, &mut self.w1[x * d..(x + 1) * d]);
        }
        self.steps += 1;
        self.loss_acc += loss.f64();
        self.loss_n += 1;
        if self.loss_n == self.cfg.loss_every {
            self.history.push(LossPoint {
                step: self.steps,
                loss: self.loss_acc / self.loss_n as f64,
            });
            self.loss_acc = 0.0;
            self.loss_n = 0;
        }
        Ok(loss.f64())
    }

    /// The current progress.
    pub fn progress(&self) -> Word2VecProgress {
        Word2VecProgress {
            steps: self.steps,
            epochs: self.epochs,
            examples_in_epoch: self.epoch.examples,
            last_loss: self.history.last().map(|p| p.loss),
        }
    }

    /// The input vectors (columns of W₁) as a [`WordVectors`] set.
    pub fn word_vectors(&self) -> Result<WordVectors> {
        let rows: Vec<f32> = self.w1.iter().map(|x| x.f64() as f32).collect();
        WordVectors::from_rows_owned(self.vocab.tokens().to_vec(), rows, self.cfg.dim)
    }

    /// The `k` nearest neighbours of `word` by cosine of the input vectors.
    /// Unknown words give an error with spelling suggestions.
    pub fn nearest(&self, word: &str, k: usize) -> Result<Vec<Neighbour>> {
        self.word_vectors()?.nearest(word, k)
    }

    /// W₁, W₂, all inner products and softmax columns, for vocabularies of at most 50 words.
    pub fn toy_frame(&self) -> Result<ToyFrame> {
        let (v, d) = (self.vocab.len(), self.cfg.dim);
        if v > 50 {
            return Err(CoreError::invalid(
                "toy view",
                format!("only for vocabularies of at most 50 words (this one has {v})"),
            ));
        }
        let mut w1 = vec![0.0; d * v]; // (D, V)
        for i in 0..v {
            for k in 0..d {
                w1[k * v + i] = self.w1[i * d + k].f64();
            }
        }
        let w2: Vec<f64> = self.w2.iter().map(|x| x.f64()).collect();
        let mut scores = vec![0.0; v * v]; // (V, V)
        for j in 0..v {
            for i in 0..v {
                scores[j * v + i] =
                    F::dot(&self.w2[j * d..(j + 1) * d], &self.w1[i * d..(i + 1) * d]).f64();
            }
        }
        let mut probs = vec![0.0; v * v];
        for i in 0..v {
            let max = (0..v)
                .map(|j| scores[j * v + i])
                .fold(f64::NEG_INFINITY, f64::max);
            let z: f64 = (0..v).map(|j| (scores[j * v + i] - max).exp()).sum();
            for j in 0..v {
                probs[j * v + i] = (scores[j * v + i] - max).exp() / z;
            }
        }
        Ok(ToyFrame {
            words: self.vocab.tokens().to_vec(),
            w1,
            w2,
            scores,
            probs,
            steps: self.steps,
        })
    }
}

/// Progress of a [`Word2VecSetup`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetupProgress {
    /// Bytes of the corpus tokenised so far.
    pub bytes_done: usize,
    /// Bytes of the corpus.
    pub bytes_total: usize,
    /// Tokens kept so far (punctuation removed unless kept).
    pub tokens: usize,
    /// Share done, 0 to 1.
    pub fraction: f64,
}

/// Prepares a Word2Vec model from a large corpus a little at a time (tokenising is the slow part:
/// a browser does War and Peace between animation frames). [`Word2Vec::with_corpus`] is this run
/// to the end, so both give the same model.
///
/// Sentences end after `.`, `!`, `?` (and their CJK forms); punctuation is then dropped unless
/// `keep_punctuation`. The vocabulary is ordered by first appearance for a corpus of at most 50
/// tokens (the toy: I, study, math) and by descending count otherwise (ties by first appearance),
/// then pruned to `max_vocab` words seen at least `min_count` times.
pub struct Word2VecSetup {
    cfg: Word2VecConfig,
    text: String,
    pos: usize,
    words: Vec<String>,
    index: HashMap<String, u32>,
    counts: Vec<u64>,
    sents: Vec<Vec<u32>>, // provisional ids (first appearance)
    cur: Vec<u32>,
    total: usize,
}

impl Word2VecSetup {
    /// A set-up for `text` with `cfg` (validated now).
    pub fn new(cfg: &Word2VecConfig, text: String) -> Result<Word2VecSetup> {
        cfg.validate()?;
        Ok(Word2VecSetup {
            cfg: cfg.clone(),
            text,
            pos: 0,
            words: Vec::new(),
            index: HashMap::new(),
            counts: Vec::new(),
            sents: Vec::new(),
            cur: Vec::new(),
            total: 0,
        })
    }

    /// The progress so far.
    pub fn progress(&self) -> SetupProgress {
        SetupProgress {
            bytes_done: self.pos,
            bytes_total: self.text.len(),
            tokens: self.total,
            fraction: if self.text.is_empty() {
                1.0
            } else {
                self.pos as f64 / self.text.len() as f64
            },
        }
    }

    /// True when the whole corpus is tokenised.
    pub fn is_done(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// Tokenises about `budget_bytes` more of the corpus (whole lines).
    pub fn step(&mut self, budget_bytes: usize) -> Result<SetupProgress> {
        if self.is_done() {
            return Ok(self.progress());
        }
        let end = piece_end(&self.text, self.pos, budget_bytes);
        // Punctuation is needed to find sentence ends; it is dropped afterwards unless kept.
        let tok = TokenizerConfig {
            lowercase: self.cfg.lowercase,
            keep_punctuation: true,
        };
        for t in words(&self.text[self.pos..end], &tok) {
            let end_of_sentence = is_sentence_end(&t);
            if self.cfg.keep_punctuation || !is_punctuation(&t) {
                let id = match self.index.get(&t) {
                    Some(&i) => i,
                    None => {
                        let i = self.words.len() as u32;
                        self.words.push(t.clone());
                        self.index.insert(t, i);
                        self.counts.push(0);
                        i
                    }
                };
                self.counts[id as usize] += 1;
                self.cur.push(id);
                self.total += 1;
            }
            if end_of_sentence {
                self.sents.push(std::mem::take(&mut self.cur));
            }
        }
        self.pos = end;
        if self.total > MAX_TOKENS {
            return Err(CoreError::invalid(
                "corpus",
                format!("at most {MAX_TOKENS} tokens"),
            ));
        }
        Ok(self.progress())
    }

    /// Tokenises whatever is left, builds the vocabulary and initialises the model. Errors: empty
    /// corpus, no training pair (no sentence with two known words).
    pub fn finish<F: Real>(mut self) -> Result<Word2Vec<F>> {
        while !self.is_done() {
            self.step(1 << 20)?;
        }
        if !self.cur.is_empty() {
            self.sents.push(std::mem::take(&mut self.cur));
        }
        if self.total == 0 {
            return Err(CoreError::empty("corpus (no words)"));
        }
        // First-seen order for the toy (I, study, math as the lecture lists them); otherwise by
        // frequency so that the most frequent words come first (a stable sort keeps first-seen
        // order among equal counts, as `Vocab::build` does).
        let mut order: Vec<usize> = (0..self.words.len()).collect();
        if self.total > 50 {
            order.sort_by_key(|&i| std::cmp::Reverse(self.counts[i]));
        }
        let full = Vocab::from_parts(
            order.iter().map(|&i| self.words[i].clone()).collect(),
            order.iter().map(|&i| self.counts[i]).collect(),
        )?;
        let cfg = &self.cfg;
        let vocab = if full.len() > cfg.max_vocab || cfg.min_count > 1 {
            full.pruned(cfg.min_count, cfg.max_vocab)?
        } else {
            full
        };
        let remap: Vec<Option<u32>> = self
            .words
            .iter()
            .map(|w| vocab.id(w).map(|i| i as u32))
            .collect();
        let sents: Vec<Vec<u32>> = self
            .sents
            .iter()
            .map(|s| s.iter().filter_map(|&t| remap[t as usize]).collect())
            .filter(|s: &Vec<u32>| s.len() >= 2)
            .collect();
        Word2Vec::from_vocab(cfg, vocab, sents)
    }
}

const NO_CURSOR: usize = usize::MAX;

/// One epoch's data, compact enough for a whole novel: 12 bytes per token.
#[derive(Clone, Debug, Default)]
struct Epoch {
    stream: Vec<u32>,        // token ids after subsampling, sentences concatenated
    bounds: Vec<(u32, u32)>, // per position: [start, end) of its sentence in `stream`
    order: Vec<u32>,         // centre positions in visiting order
    next: usize,             // index into `order` of the current centre
    cursor: usize,           // skip-gram: next context position of the current centre
    examples: usize,         // examples in this epoch
}

/// log σ(x), stable for large |x|: −(max(−x, 0) + ln(1 + e^{−|x|})).
fn log_sigmoid<F: Real>(x: F) -> F {
    let zero = F::zero();
    -((-x).max(zero) + (-x.abs()).exp().ln_1p())
}

fn push_examples(s: &[u32], window: usize, arch: Architecture, out: &mut Vec<Example>) {
    for p in 0..s.len() {
        let lo = p.saturating_sub(window);
        let hi = (p + window + 1).min(s.len());
        let ctx = (lo..hi).filter(|&q| q != p).map(|q| s[q] as usize);
        match arch {
            Architecture::SkipGram => {
                for c in ctx {
                    out.push(Example {
                        inputs: vec![s[p] as usize],
                        output: c,
                    });
                }
            }
            Architecture::Cbow => {
                let inputs: Vec<usize> = ctx.collect();
                if !inputs.is_empty() {
                    out.push(Example {
                        inputs,
                        output: s[p] as usize,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sigmoid_values() {
        assert!((log_sigmoid(0.0f64) - 0.5f64.ln()).abs() < 1e-15);
        assert!((log_sigmoid(-800.0f64) + 800.0).abs() < 1e-9);
        assert!(log_sigmoid(800.0f64).abs() < 1e-300);
    }

    #[test]
    fn toy_examples() {
        // "I study math", window 1: skip-gram pairs I→study, study→I, study→math, math→study.
        let m = Word2Vec::<f64>::new(&Word2VecConfig::default()).unwrap();
        assert_eq!(m.vocab().tokens(), &["I", "study", "math"]);
        let ex = m.examples().unwrap();
        let pairs: Vec<(usize, usize)> = ex.iter().map(|e| (e.inputs[0], e.output)).collect();
        assert_eq!(pairs, vec![(0, 1), (1, 0), (1, 2), (2, 1)]);
        let cbow = Word2Vec::<f64>::new(&Word2VecConfig {
            architecture: Architecture::Cbow,
            ..Default::default()
        })
        .unwrap();
        let ex = cbow.examples().unwrap();
        assert_eq!(ex[1].inputs, vec![0, 2]);
        assert_eq!(ex[1].output, 1);
    }

    #[test]
    fn an_epoch_visits_every_example_once() {
        // Two sentences, window 2: the shuffled epoch must yield exactly the corpus examples.
        for arch in [Architecture::SkipGram, Architecture::Cbow] {
            let mut m = Word2Vec::<f64>::new(&Word2VecConfig {
                corpus: "a b c d e. f g. h".into(),
                window: 2,
                architecture: arch,
                ..Default::default()
            })
            .unwrap();
            let mut want = m.examples().unwrap();
            let mut got = Vec::new();
            while let Some(ex) = m.next_example() {
                got.push(ex);
            }
            assert_eq!(m.epoch.examples, want.len());
            let key = |e: &Example| (e.inputs.clone(), e.output);
            want.sort_by_key(key);
            got.sort_by_key(key);
            assert_eq!(got, want, "{arch:?}");
        }
    }
}
