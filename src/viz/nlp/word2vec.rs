//! Widget `word2vec`: the lecture's toy ("I study math": W₁ columns and W₂ rows, their inner
//! product rising as the single pair study → math is trained) and live training on a real corpus
//! (War and Peace or tiny-shakespeare) with negative sampling: the loss, nearest neighbours that
//! change as it learns, and a 2-D PCA picture. The model is [`crate::core::nlp::word2vec`].
//!
//! ```text
//! h = W₁ x (the column of "study"),  s = W₂ h,  ŷ = softmax(s),  J = −log ŷ_math
//! s_math = W₂[math, :] · W₁[:, study]  — the inner product the toy watches grow
//! ```

use super::charts::{
    draw_lines, draw_matrix, draw_scatter, ColourScale, LineChart, MatrixChart, ScatterChart,
    ScatterPoint, Series,
};
use super::{check_word_list, draw_placeholder};
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::nlp::vectors::{Neighbour, WordProjection};
use crate::core::nlp::word2vec::{
    Architecture, Example, OutputLayer, SetupProgress, ToyFrame, Word2Vec, Word2VecConfig,
    Word2VecProgress, Word2VecSetup, TOY_CORPUS,
};
use crate::viz::{axis_label, palette, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Skip-gram or CBOW (URL values `skipgram`, `cbow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// Centre word → each context word.
    #[default]
    Skipgram,
    /// Mean of the context words → centre word.
    Cbow,
}

impl Arch {
    fn core(self) -> Architecture {
        match self {
            Arch::Skipgram => Architecture::SkipGram,
            Arch::Cbow => Architecture::Cbow,
        }
    }
}

/// What the toy trains on (URL values `pair`, `sentence`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToyData {
    /// Only the lecture's pair: input "study" → output "math".
    #[default]
    Pair,
    /// Every (input, output) pair of "I study math" with window 1, shuffled each epoch.
    Sentence,
}

/// The real corpus (URL values `warandpeace`, `shakespeare`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Corpus {
    /// Tolstoy, *War and Peace* (English, 3.2 MB).
    #[default]
    Warandpeace,
    /// tiny-shakespeare (1.1 MB).
    Shakespeare,
}

impl Corpus {
    /// The file under the repository root.
    pub fn path(self) -> &'static str {
        match self {
            Corpus::Warandpeace => "data/corpora/war_and_peace.txt",
            Corpus::Shakespeare => "data/corpora/tinyshakespeare.txt",
        }
    }

    /// Probe words whose neighbours are listed, and words for the PCA picture, that occur often
    /// enough in this corpus.
    pub fn default_words(self) -> (&'static str, &'static str) {
        match self {
            Corpus::Warandpeace => (
                "prince,war,said,moscow",
                "prince,princess,count,countess,emperor,napoleon,moscow,petersburg,france,russia,said,replied,asked,answered,army,regiment,soldiers,battle",
            ),
            Corpus::Shakespeare => (
                "king,love,death,lord",
                "king,queen,duke,lord,lady,love,hate,life,death,heaven,day,night,father,mother,son,daughter",
            ),
        }
    }
}

/// Settings of the `word2vec` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Word2VecWidgetConfig {
    /// Skip-gram or CBOW (toy and corpus). Default skip-gram.
    pub arch: Arch,
    /// The toy's training data. Default the lecture's pair study → math.
    pub toy_data: ToyData,
    /// The toy's hidden size D, 2–6. Default 2.
    pub toy_dim: usize,
    /// The toy's learning rate, 0.01–2. Default 0.1.
    pub toy_lr: f64,
    /// Seed of the initial weights, the shuffles and the negatives. Default 1.
    pub seed: u32,
    /// The real corpus. Default War and Peace.
    pub corpus: Corpus,
    /// Vector size D for the corpus, 10–100. Default 50.
    pub dim: usize,
    /// Context words on each side, 1–5. Default 3.
    pub window: usize,
    /// Negative samples K per pair, 1–15. Default 5.
    pub negatives: usize,
    /// SGD learning rate for the corpus, 0.001–0.2. Default 0.025 (word2vec.c).
    pub lr: f64,
    /// Training steps (one (input, output) pair each) of a run, 100 000 – 20 000 000.
    /// Default 4 000 000 (about 3.5 epochs of War and Peace).
    pub steps: u32,
    /// Words whose nearest neighbours are listed (1–6). Default "prince,war,said,moscow".
    pub probes: String,
    /// Words of the PCA picture (2–30).
    pub pca: String,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

impl Default for Word2VecWidgetConfig {
    fn default() -> Self {
        let (probes, pca) = Corpus::Warandpeace.default_words();
        Word2VecWidgetConfig {
            arch: Arch::Skipgram,
            toy_data: ToyData::Pair,
            toy_dim: 2,
            toy_lr: 0.1,
            seed: 1,
            corpus: Corpus::Warandpeace,
            dim: 50,
            window: 3,
            negatives: 5,
            lr: 0.025,
            steps: 4_000_000,
            probes: probes.into(),
            pca: pca.into(),
            lang: Lang::Ko,
        }
    }
}

fn in_range<T: PartialOrd>(field: &str, v: T, lo: T, hi: T, why: &str) -> Result<()> {
    if v >= lo && v <= hi {
        Ok(())
    } else {
        Err(CoreError::invalid(field, why))
    }
}

impl WidgetConfig for Word2VecWidgetConfig {
    fn validate(&self) -> Result<()> {
        in_range("toy_dim", self.toy_dim, 2, 6, "must be between 2 and 6")?;
        in_range(
            "toy_lr",
            self.toy_lr,
            0.01,
            2.0,
            "must be between 0.01 and 2",
        )?;
        in_range("dim", self.dim, 10, 100, "must be between 10 and 100")?;
        in_range("window", self.window, 1, 5, "must be between 1 and 5")?;
        in_range(
            "negatives",
            self.negatives,
            1,
            15,
            "must be between 1 and 15",
        )?;
        in_range("lr", self.lr, 0.001, 0.2, "must be between 0.001 and 0.2")?;
        in_range(
            "steps",
            self.steps,
            100_000,
            20_000_000,
            "must be between 100000 and 20000000",
        )?;
        check_word_list("probes", &self.probes, 6)?;
        let p = check_word_list("pca", &self.pca, 30)?;
        if p.len() < 2 {
            return Err(CoreError::invalid("pca", "needs at least 2 words"));
        }
        Ok(())
    }
}

impl Word2VecWidgetConfig {
    /// The toy model's core configuration (full softmax, window 1, "I study math").
    pub fn toy_core(&self) -> Word2VecConfig {
        Word2VecConfig {
            corpus: TOY_CORPUS.into(),
            architecture: self.arch.core(),
            output: OutputLayer::FullSoftmax,
            dim: self.toy_dim,
            window: 1,
            learning_rate: self.toy_lr,
            seed: u64::from(self.seed),
            ..Default::default()
        }
    }

    /// The corpus model's core configuration: negative sampling, lower-case, the 10 000 most
    /// frequent words seen at least 5 times, subsampling t = 10⁻⁴ (as in word2vec.c's examples).
    pub fn corpus_core(&self) -> Word2VecConfig {
        Word2VecConfig {
            corpus: String::new(),
            lowercase: true,
            keep_punctuation: false,
            architecture: self.arch.core(),
            output: OutputLayer::NegativeSampling,
            dim: self.dim,
            window: self.window,
            negatives: self.negatives,
            ns_power: 0.75,
            learning_rate: self.lr,
            max_vocab: 10_000,
            min_count: 5,
            subsample: 1e-4,
            loss_every: 20_000,
            seed: u64::from(self.seed),
        }
    }
}

/// One point of the toy's trace.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ToyPoint {
    /// Steps so far.
    pub step: u64,
    /// W₂[math, :] · W₁[:, study].
    pub inner: f64,
    /// P(math | study) = softmax(W₂ W₁[:, study])_math.
    pub prob: f64,
}

/// The toy model and the trace of its inner product.
pub struct ToySession {
    model: Word2Vec<f64>,
    data: ToyData,
    study: usize,
    math: usize,
    trace: Vec<ToyPoint>,
}

/// Most toy steps kept in the trace (the toy converges long before).
pub const TOY_MAX_STEPS: u64 = 2000;

impl ToySession {
    /// A fresh toy model for `cfg`.
    pub fn new(cfg: &Word2VecWidgetConfig) -> Result<ToySession> {
        let model = Word2Vec::<f64>::new(&cfg.toy_core())?;
        let study = model.vocab().require("study")?;
        let math = model.vocab().require("math")?;
        let mut s = ToySession {
            model,
            data: cfg.toy_data,
            study,
            math,
            trace: Vec::new(),
        };
        s.record()?;
        Ok(s)
    }

    fn record(&mut self) -> Result<()> {
        let f = self.model.toy_frame()?;
        let v = f.words.len();
        self.trace.push(ToyPoint {
            step: f.steps,
            inner: f.scores[self.math * v + self.study],
            prob: f.probs[self.math * v + self.study],
        });
        Ok(())
    }

    /// Trains `n` more SGD steps (at most [`TOY_MAX_STEPS`] in all) and returns the last point.
    pub fn step(&mut self, n: usize) -> Result<ToyPoint> {
        for _ in 0..n {
            if self.steps() >= TOY_MAX_STEPS {
                break;
            }
            match self.data {
                ToyData::Pair => {
                    self.model.train_example(&Example {
                        inputs: vec![self.study],
                        output: self.math,
                    })?;
                }
                ToyData::Sentence => {
                    self.model.train_steps(1);
                }
            }
            self.record()?;
        }
        self.last()
    }

    /// Steps so far.
    pub fn steps(&self) -> u64 {
        self.model.progress().steps
    }

    /// The latest trace point.
    pub fn last(&self) -> Result<ToyPoint> {
        self.trace
            .last()
            .copied()
            .ok_or_else(|| CoreError::empty("toy trace"))
    }

    /// The trace so far.
    pub fn trace(&self) -> &[ToyPoint] {
        &self.trace
    }

    /// W₁, W₂, the scores and the softmax columns now.
    pub fn frame(&self) -> Result<ToyFrame> {
        self.model.toy_frame()
    }

    fn scale(f: &ToyFrame) -> f64 {
        let m =
            f.w1.iter()
                .chain(&f.w2)
                .fold(0.0f64, |a, &x| a.max(x.abs()));
        // Round up to a multiple of 0.5 so the colours do not flicker every step.
        ((m / 0.5).ceil() * 0.5).max(0.5)
    }

    /// Which matrix a toy chart shows.
    fn chart(&self, which: ToyMatrix, lang: Lang) -> Result<MatrixChart> {
        let f = self.frame()?;
        let d = f.w1.len() / f.words.len().max(1);
        // Plain digits: canvas fonts (a Korean face in particular) draw subscript digits poorly.
        let dims: Vec<String> = (1..=d).map(|k| format!("h{k}")).collect();
        let unit = Unit::Named(lang.pick("단어", "word"));
        let scale = ColourScale::Diverging {
            max_abs: Self::scale(&f),
        };
        Ok(match which {
            ToyMatrix::W1 => MatrixChart {
                row_labels: dims,
                col_labels: f.words.clone(),
                values: f.w1.clone(),
                scale,
                x_label: axis_label(
                    lang.pick("입력 단어 (열)", "input word (column)"),
                    unit,
                    lang,
                ),
                y_label: axis_label(
                    lang.pick("은닉 차원", "hidden unit"),
                    Unit::Dimensionless,
                    lang,
                ),
                colour_label: axis_label(lang.pick("W1 값", "W1 value"), Unit::Dimensionless, lang),
                decimals: 2,
                show_values: true,
                highlight_rows: vec![],
                highlight_cols: vec![self.study],
            },
            ToyMatrix::W2 => MatrixChart {
                row_labels: f.words.clone(),
                col_labels: dims,
                values: f.w2.clone(),
                scale,
                x_label: axis_label(
                    lang.pick("은닉 차원", "hidden unit"),
                    Unit::Dimensionless,
                    lang,
                ),
                y_label: axis_label(lang.pick("출력 단어 (행)", "output word (row)"), unit, lang),
                colour_label: axis_label(lang.pick("W2 값", "W2 value"), Unit::Dimensionless, lang),
                decimals: 2,
                show_values: true,
                highlight_rows: vec![self.math],
                highlight_cols: vec![],
            },
            ToyMatrix::Probs => MatrixChart {
                row_labels: f.words.clone(),
                col_labels: f.words.clone(),
                values: f.probs.clone(),
                scale: ColourScale::Sequential { min: 0.0, max: 1.0 },
                x_label: axis_label(lang.pick("입력 단어 i", "input word i"), unit, lang),
                y_label: axis_label(lang.pick("출력 단어 o", "output word o"), unit, lang),
                colour_label: axis_label("P(o | i)", Unit::Dimensionless, lang),
                decimals: 2,
                show_values: true,
                highlight_rows: vec![self.math],
                highlight_cols: vec![self.study],
            },
        })
    }

    /// Draws W₁ (D × V), W₂ (V × D) or P(o | i) = softmax(W₂ W₁) (V × V).
    pub fn draw_matrix<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        which: ToyMatrix,
        lang: Lang,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        draw_matrix(area, &self.chart(which, lang)?, style)
    }

    /// Draws the inner product and P(math | study) against the step.
    pub fn draw_trace<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lang: Lang,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        let last = self.steps().max(10) as f64;
        let chart = LineChart {
            series: vec![
                Series {
                    label: "W2[math]·W1[:, study]".into(),
                    colour: palette::BLUE,
                    dashed: false,
                    points: self
                        .trace
                        .iter()
                        .map(|p| (p.step as f64, p.inner))
                        .collect(),
                    dots: false,
                },
                Series {
                    label: "P(math | study)".into(),
                    colour: palette::VERMILLION,
                    dashed: true,
                    points: self.trace.iter().map(|p| (p.step as f64, p.prob)).collect(),
                    dots: false,
                },
            ],
            x_label: axis_label(lang.pick("학습 스텝", "training step"), Unit::Steps, lang),
            y_label: axis_label(lang.pick("값", "value"), Unit::Dimensionless, lang),
            x_log: false,
            y_log: false,
            x_range: Some((0.0, last)),
            y_range: None,
            markers: vec![],
            empty_message: None,
        };
        draw_lines(area, &chart, style)
    }
}

/// The three matrices of the toy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToyMatrix {
    /// W₁ (D × V).
    W1,
    /// W₂ (V × D).
    W2,
    /// softmax(W₂ W₁) (V × V).
    Probs,
}

/// The neighbours of one probe word (or why there are none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProbeRow {
    /// The probe word.
    pub word: String,
    /// Its nearest words by cosine, best first.
    pub neighbours: Vec<Neighbour>,
    /// Why the list is empty (unknown word, with suggestions).
    pub error: Option<String>,
}

/// State of a corpus run for the page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorpusState {
    /// `"preparing"` while tokenising, `"ready"` when training can run.
    pub phase: &'static str,
    /// Tokenising progress.
    pub setup: SetupProgress,
    /// Training progress (once ready).
    pub training: Option<Word2VecProgress>,
    /// Steps of a full run.
    pub target: u64,
    /// Vocabulary size V (once ready).
    pub vocab: usize,
}

/// A Word2Vec model on a real corpus, prepared and trained in steps.
pub struct CorpusSession {
    setup: Option<Word2VecSetup>,
    last_setup: SetupProgress,
    model: Option<Word2Vec<f32>>,
    target: u64,
}

impl CorpusSession {
    /// Starts preparing `text` with the corpus settings of `cfg`.
    pub fn new(cfg: &Word2VecWidgetConfig, text: String) -> Result<CorpusSession> {
        let setup = Word2VecSetup::new(&cfg.corpus_core(), text)?;
        Ok(CorpusSession {
            last_setup: setup.progress(),
            setup: Some(setup),
            model: None,
            target: u64::from(cfg.steps),
        })
    }

    /// Tokenises about `budget_bytes` more; when the text is done, builds the model.
    pub fn prepare(&mut self, budget_bytes: usize) -> Result<CorpusState> {
        if let Some(s) = self.setup.as_mut() {
            self.last_setup = s.step(budget_bytes)?;
            if s.is_done() {
                if let Some(s) = self.setup.take() {
                    self.model = Some(s.finish()?);
                }
            }
        }
        Ok(self.state())
    }

    /// Trains `n` steps (no-op before the model is ready).
    pub fn train(&mut self, n: usize) -> CorpusState {
        if let Some(m) = self.model.as_mut() {
            m.train_steps(n);
        }
        self.state()
    }

    /// Changes the length of the run (the x range of the loss chart).
    pub fn set_target(&mut self, steps: u64) {
        self.target = steps;
    }

    /// Where the run is.
    pub fn state(&self) -> CorpusState {
        CorpusState {
            phase: if self.model.is_some() {
                "ready"
            } else {
                "preparing"
            },
            setup: self.last_setup.clone(),
            training: self.model.as_ref().map(|m| m.progress()),
            target: self.target,
            vocab: self.model.as_ref().map_or(0, |m| m.vocab().len()),
        }
    }

    /// The model, once ready.
    pub fn model(&self) -> Option<&Word2Vec<f32>> {
        self.model.as_ref()
    }

    /// The `k` nearest neighbours of each probe word.
    pub fn neighbours(&self, probes: &str, k: usize) -> Result<Vec<ProbeRow>> {
        let words = check_word_list("probes", probes, 6)?;
        let Some(m) = &self.model else {
            return Ok(Vec::new());
        };
        let v = m.word_vectors()?;
        Ok(words
            .into_iter()
            .map(|w| match v.nearest(&w.to_lowercase(), k) {
                Ok(n) => ProbeRow {
                    word: w,
                    neighbours: n,
                    error: None,
                },
                Err(e) => ProbeRow {
                    word: w,
                    neighbours: Vec::new(),
                    error: Some(e.to_string()),
                },
            })
            .collect())
    }

    /// PCA of the known `words` (unknown ones are listed separately).
    pub fn projection(&self, words: &str) -> Result<(Option<WordProjection>, Vec<String>)> {
        let words = check_word_list("pca", words, 30)?;
        let Some(m) = &self.model else {
            return Ok((None, Vec::new()));
        };
        let v = m.word_vectors()?;
        let (known, unknown): (Vec<String>, Vec<String>) = words
            .into_iter()
            .map(|w| w.to_lowercase())
            .partition(|w| v.index_of(w).is_some());
        let p = if known.len() >= 2 {
            Some(v.pca_of_words(&known)?)
        } else {
            None
        };
        Ok((p, unknown))
    }

    /// Draws the loss curve (mean negative-sampling loss per 20 000 steps).
    pub fn draw_loss<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lang: Lang,
        waiting: &str,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        let points: Vec<(f64, f64)> = self
            .model
            .as_ref()
            .map(|m| {
                m.history()
                    .iter()
                    .map(|p| (p.step as f64, p.loss))
                    .collect()
            })
            .unwrap_or_default();
        let chart = LineChart {
            series: vec![Series {
                label: lang
                    .pick(
                        "음성 샘플링 손실 (2만 스텝 평균)",
                        "negative-sampling loss (mean of 20 000 steps)",
                    )
                    .into(),
                colour: palette::BLUE,
                dashed: false,
                points,
                dots: false,
            }],
            x_label: axis_label(lang.pick("학습 스텝", "training step"), Unit::Steps, lang),
            y_label: axis_label(lang.pick("손실", "loss"), Unit::Named("nats"), lang),
            x_log: false,
            y_log: false,
            x_range: Some((0.0, self.target as f64)),
            y_range: None,
            markers: vec![],
            empty_message: Some(waiting.to_string()),
        };
        draw_lines(area, &chart, style)
    }

    /// Draws the PCA picture of `words`.
    pub fn draw_pca<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        words: &str,
        lang: Lang,
        waiting: &str,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        let (p, _) = self.projection(words)?;
        let Some(p) = p else {
            return draw_placeholder(area, waiting, style);
        };
        pca_chart(area, &p, &[], lang, style)
    }
}

/// A PCA scatter of a projection, dots coloured in groups of `groups` (or all blue), with arrows.
pub fn pca_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &WordProjection,
    arrows: &[(usize, usize)],
    lang: Lang,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let ratio = |k: usize| {
        p.pca
            .explained_ratio
            .get(k)
            .map_or(String::new(), |r| format!(" {:.0}%", 100.0 * r))
    };
    let chart = ScatterChart {
        points: p
            .words
            .iter()
            .zip(&p.points)
            .map(|(w, xy)| ScatterPoint {
                label: w.clone(),
                x: xy[0],
                y: xy[1],
                colour: palette::BLUE,
            })
            .collect(),
        arrows: arrows
            .iter()
            .map(|&(a, b)| (a, b, palette::REFERENCE))
            .collect(),
        legend: vec![crate::viz::LegendEntry {
            label: lang
                .pick(
                    "단어 (벡터를 두 주성분에 투영)",
                    "word (its vector projected on two components)",
                )
                .into(),
            colour: palette::BLUE,
            dashed: false,
        }],
        x_label: axis_label(
            &format!("{}{}", lang.pick("주성분 1", "PC 1"), ratio(0)),
            Unit::Dimensionless,
            lang,
        ),
        y_label: axis_label(
            &format!("{}{}", lang.pick("주성분 2", "PC 2"), ratio(1)),
            Unit::Dimensionless,
            lang,
        ),
        equal_aspect: true,
        empty_message: None,
    };
    draw_scatter(area, &chart, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    #[test]
    fn config_round_trips_and_rejects_bad_values() {
        let c = Word2VecWidgetConfig::default();
        c.validate().unwrap();
        let (back, errs) = from_url_pairs::<Word2VecWidgetConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
        let (c, errs) = from_url_pairs::<Word2VecWidgetConfig, _, _>(&[
            ("dim", "1000"),
            ("arch", "cbow"),
            ("corpus", "bible"),
            ("pca", "one"),
        ]);
        assert_eq!(c.arch, Arch::Cbow);
        assert_eq!(c.dim, 50);
        let keys: Vec<_> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["corpus", "dim", "pca"]);
    }

    #[test]
    fn the_toy_inner_product_rises_and_the_probability_follows() {
        let mut s = ToySession::new(&Word2VecWidgetConfig::default()).unwrap();
        let first = s.last().unwrap();
        assert_eq!(first.step, 0);
        let f = s.frame().unwrap();
        assert_eq!(f.words, ["I", "study", "math"]);
        // The trace point is the inner product of W₂'s math row and W₁'s study column.
        let d = 2;
        let inner: f64 = (0..d).map(|k| f.w2[2 * d + k] * f.w1[k * 3 + 1]).sum();
        assert!((inner - first.inner).abs() < 1e-12);
        let after = s.step(100).unwrap();
        assert_eq!(after.step, 100);
        assert!(after.inner > first.inner + 2.0, "{first:?} → {after:?}");
        assert!(after.prob > 0.95, "{after:?}");
        // P(math | study) = e^{s_math} / Σ_j e^{s_j}, from the frame's scores.
        let f = s.frame().unwrap();
        let z: f64 = (0..3).map(|j| f.scores[j * 3 + 1].exp()).sum();
        assert!((f.scores[2 * 3 + 1].exp() / z - after.prob).abs() < 1e-12);
        assert_eq!(s.trace().len(), 101);
        let mut sent = ToySession::new(&Word2VecWidgetConfig {
            toy_data: ToyData::Sentence,
            arch: Arch::Cbow,
            ..Default::default()
        })
        .unwrap();
        sent.step(40).unwrap();
        assert_eq!(sent.steps(), 40);
    }

    #[test]
    fn toy_charts_highlight_study_and_math() {
        let s = ToySession::new(&Word2VecWidgetConfig::default()).unwrap();
        let c = s.chart(ToyMatrix::W1, Lang::En).unwrap();
        assert_eq!(c.highlight_cols, [1]);
        assert_eq!(c.row_labels, ["h1", "h2"]);
        let c = s.chart(ToyMatrix::W2, Lang::En).unwrap();
        assert_eq!(c.highlight_rows, [2]);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
            s.draw_trace(&root, Lang::En, &ChartStyle::for_canvas(600, 1.0))
                .unwrap();
        }
        assert!(svg.contains("P(math | study)") && svg.contains("training step (steps)"));
    }

    #[test]
    fn a_small_corpus_session_prepares_trains_and_answers() {
        let text: String = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(Corpus::Shakespeare.path()),
        )
        .unwrap()
        .chars()
        .take(60_000)
        .collect();
        let cfg = Word2VecWidgetConfig {
            dim: 10,
            steps: 100_000,
            ..Default::default()
        };
        let mut s = CorpusSession::new(&cfg, text).unwrap();
        let mut st = s.prepare(100).unwrap();
        assert_eq!(st.phase, "preparing");
        while st.phase == "preparing" {
            st = s.prepare(100).unwrap();
        }
        assert!(st.vocab >= 4, "{st:?}");
        let st = s.train(5000);
        assert_eq!(st.training.unwrap().steps, 5000);
        let rows = s.neighbours("citizen, citizn", 3).unwrap();
        assert!(rows[0].error.is_none(), "{rows:?}");
        assert_eq!(rows[0].neighbours.len(), 3);
        assert!(rows[1].error.as_deref().unwrap().contains("citizen"));
        let (p, unknown) = s.projection("you citizen first zebra").unwrap();
        assert_eq!(p.unwrap().words, ["you", "citizen", "first"]);
        assert_eq!(unknown, ["zebra"]);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
            s.draw_pca(
                &root,
                "you citizen first",
                Lang::En,
                "",
                &ChartStyle::for_canvas(600, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("citizen") && svg.contains("PC 1"));
    }
}
