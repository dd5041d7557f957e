//! Widget `glove`: the lecture's co-occurrence matrix (CS224n corpus, window 1, 8 × 8), the
//! weighting f(x), the objective J = ½ Σ f(X_ij)(u_iᵀv_j − log X_ij)² trained live, and how the
//! matrix grows with the vocabulary (the lecture's "problem": V² cells, almost all of them 0).
//! The math is [`crate::core::nlp::glove`].

use super::charts::{draw_lines, fmt_si, LineChart, Marker, Series};
use super::check_len;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::nlp::glove::{
    growth_curve, weight, Combine, CooccurrenceConfig, GloveConfig, GloveModel, GloveObjective,
    GloveOptimizer, GloveProgress, GrowthPoint, LECTURE_CORPUS,
};
use crate::core::nlp::vectors::Neighbour;
use crate::core::nlp::vocab::VocabOrder;
use crate::viz::{axis_label, palette, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// The corpus of the growth chart (URL values `shakespeare`, `warandpeace`, `text`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GrowthCorpus {
    /// tiny-shakespeare (1.1 MB).
    #[default]
    Shakespeare,
    /// War and Peace (3.2 MB).
    Warandpeace,
    /// The widget's own corpus text.
    Text,
}

impl GrowthCorpus {
    /// The file under the repository root (`None` for the widget's text).
    pub fn path(self) -> Option<&'static str> {
        match self {
            GrowthCorpus::Shakespeare => Some("data/corpora/tinyshakespeare.txt"),
            GrowthCorpus::Warandpeace => Some("data/corpora/war_and_peace.txt"),
            GrowthCorpus::Text => None,
        }
    }
}

/// Most characters of the widget's corpus (it travels in the URL).
pub const MAX_CORPUS: usize = 20_000;

/// Settings of the `glove` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GloveWidgetConfig {
    /// The corpus counted and trained on (≤ 20 000 characters). Default the lecture's
    /// "I like deep learning. I like NLP. I enjoy flying."
    pub corpus: String,
    /// Context words on each side, 1–5. Default 1 (the lecture).
    pub window: usize,
    /// x_max of the weighting, 1–200. Default 100.
    pub x_max: f64,
    /// α of the weighting, 0–1. Default 0.75.
    pub alpha: f64,
    /// `lecture` (½ Σ f (uᵀv − log X)², no biases) or `paper` (with biases). Default lecture.
    pub objective: GloveObjective,
    /// Vector size D, 2–50. Default 10.
    pub dim: usize,
    /// AdaGrad learning rate, 0.001–1. Default 0.05 (glove.c).
    pub lr: f64,
    /// Seed of the initial vectors and the shuffles. Default 1.
    pub seed: u32,
    /// Corpus of the growth chart. Default tiny-shakespeare.
    pub growth: GrowthCorpus,
    /// Word whose nearest neighbours are listed after training. Default "like".
    pub probe: String,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

impl Default for GloveWidgetConfig {
    fn default() -> Self {
        GloveWidgetConfig {
            corpus: LECTURE_CORPUS.into(),
            window: 1,
            x_max: 100.0,
            alpha: 0.75,
            objective: GloveObjective::Lecture,
            dim: 10,
            lr: 0.05,
            seed: 1,
            growth: GrowthCorpus::Shakespeare,
            probe: "like".into(),
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for GloveWidgetConfig {
    fn validate(&self) -> Result<()> {
        check_len("corpus", &self.corpus, MAX_CORPUS)?;
        if self.corpus.trim().is_empty() {
            return Err(CoreError::invalid("corpus", "type a few sentences"));
        }
        let range = |ok: bool, f: &str, why: &str| {
            if ok {
                Ok(())
            } else {
                Err(CoreError::invalid(f, why))
            }
        };
        range(
            (1..=5).contains(&self.window),
            "window",
            "must be between 1 and 5",
        )?;
        range(
            (1.0..=200.0).contains(&self.x_max),
            "x_max",
            "must be between 1 and 200",
        )?;
        range(
            (0.0..=1.0).contains(&self.alpha),
            "alpha",
            "must be between 0 and 1",
        )?;
        range(
            (2..=50).contains(&self.dim),
            "dim",
            "must be between 2 and 50",
        )?;
        range(
            (0.001..=1.0).contains(&self.lr),
            "lr",
            "must be between 0.001 and 1",
        )?;
        check_len("probe", &self.probe, 40)?;
        Ok(())
    }
}

impl GloveWidgetConfig {
    /// How co-occurrences are counted: the lecture's rules (no distance weighting, windows stop at
    /// sentence ends, case kept, the slide's row order first).
    pub fn cooccurrence(&self) -> CooccurrenceConfig {
        CooccurrenceConfig {
            window: self.window,
            ..Default::default()
        }
    }

    /// The core training configuration (AdaGrad as glove.c).
    pub fn core(&self) -> GloveConfig {
        GloveConfig {
            corpus: self.corpus.clone(),
            cooccurrence: self.cooccurrence(),
            dim: self.dim,
            x_max: self.x_max,
            alpha: self.alpha,
            objective: self.objective,
            optimizer: GloveOptimizer::AdaGrad,
            learning_rate: self.lr,
            seed: u64::from(self.seed),
        }
    }
}

/// The part of the co-occurrence matrix the page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixView {
    /// Row/column words shown.
    pub words: Vec<String>,
    /// X_ij of the shown words, (n, n) row-major.
    pub values: Vec<f64>,
    /// Vocabulary size V of the whole matrix.
    pub vocab: usize,
    /// Non-zero cells of the whole matrix.
    pub nonzeros: usize,
    /// Tokens counted.
    pub tokens: usize,
    /// True when only the most frequent words are shown.
    pub truncated: bool,
}

/// A GloVe model of the widget's corpus, trained in steps.
pub struct GloveSession {
    model: GloveModel,
    objective_trace: Vec<(u64, f64)>, // (epoch, J) after each completed epoch, J at epoch 0
}

impl GloveSession {
    /// Counts the corpus and initialises the vectors.
    pub fn new(cfg: &GloveWidgetConfig) -> Result<GloveSession> {
        let model = GloveModel::new(&cfg.core())?;
        let j0 = model.objective();
        Ok(GloveSession {
            model,
            objective_trace: vec![(0, j0)],
        })
    }

    /// The model.
    pub fn model(&self) -> &GloveModel {
        &self.model
    }

    /// The matrix restricted to at most `limit` words (the most frequent, kept in matrix order).
    pub fn matrix_view(&self, limit: usize) -> Result<MatrixView> {
        let m = self.model.cooccurrence();
        let v = m.len();
        let mut ids: Vec<usize> = (0..v).collect();
        let truncated = v > limit;
        if truncated {
            ids.sort_by_key(|&i| std::cmp::Reverse(m.word_counts[i]));
            ids.truncate(limit);
            ids.sort_unstable();
        }
        let values = ids
            .iter()
            .flat_map(|&i| ids.iter().map(move |&j| m.get(i, j)))
            .collect();
        Ok(MatrixView {
            words: ids.iter().map(|&i| m.words[i].clone()).collect(),
            values,
            vocab: v,
            nonzeros: m.cells.len(),
            tokens: m.tokens,
            truncated,
        })
    }

    /// Trains `n` cell updates; records J = ½ Σ f (…)² (the full objective) after each epoch.
    pub fn train(&mut self, n: usize) -> GloveProgress {
        let per_epoch = self.model.progress().steps_per_epoch.max(1);
        let mut left = n;
        while left > 0 {
            let done_in_epoch = (self.model.progress().steps % per_epoch as u64) as usize;
            let chunk = left.min(per_epoch - done_in_epoch);
            let p = self.model.train_steps(chunk);
            left -= chunk;
            if p.steps % per_epoch as u64 == 0 {
                self.objective_trace
                    .push((p.epochs, self.model.objective()));
            }
        }
        self.model.progress()
    }

    /// J after each completed epoch (epoch 0 = before training).
    pub fn objective_trace(&self) -> &[(u64, f64)] {
        &self.objective_trace
    }

    /// The `k` nearest words to `probe` by cosine of u + v.
    pub fn nearest(&self, probe: &str, k: usize) -> Result<Vec<Neighbour>> {
        self.model
            .word_vectors(Combine::Sum)?
            .nearest(probe.trim(), k)
    }

    /// Draws J against the epoch (log scale).
    pub fn draw_objective<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lang: Lang,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        let last = self.objective_trace.last().map_or(1, |p| p.0).max(10) as f64;
        let chart = LineChart {
            series: vec![Series {
                label: lang.pick("목적 함수 J", "objective J").into(),
                colour: palette::BLUE,
                dashed: false,
                points: self
                    .objective_trace
                    .iter()
                    .map(|&(e, j)| (e as f64, j))
                    .collect(),
                dots: self.objective_trace.len() < 30,
            }],
            x_label: axis_label(
                lang.pick(
                    "에포크 (0이 아닌 칸 전체 한 번)",
                    "epoch (one pass over the non-zero cells)",
                ),
                Unit::Steps,
                lang,
            ),
            y_label: axis_label("J", Unit::Dimensionless, lang),
            x_log: false,
            y_log: true,
            x_range: Some((0.0, last)),
            y_range: None,
            markers: vec![],
            empty_message: None,
        };
        draw_lines(area, &chart, style)
    }
}

/// Draws f(x) = (x / x_max)^α (x < x_max), else 1, for the configured α and for α = 1, with the
/// counts of `counts` (e.g. the matrix's non-zero values) as dots on the curve.
pub fn draw_weight<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfg: &GloveWidgetConfig,
    counts: &[f64],
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let lang = cfg.lang;
    let x_end = cfg.x_max * 1.5;
    let curve = |alpha: f64| -> Vec<(f64, f64)> {
        (0..=300)
            .map(|k| {
                let x = x_end * k as f64 / 300.0;
                (x, weight(x, cfg.x_max, alpha))
            })
            .collect()
    };
    let mut dots: Vec<(f64, f64)> = counts
        .iter()
        .filter(|x| **x > 0.0 && **x <= x_end)
        .map(|&x| (x, weight(x, cfg.x_max, cfg.alpha)))
        .collect();
    dots.sort_by(|a, b| a.0.total_cmp(&b.0));
    dots.dedup();
    let mut series = vec![
        Series {
            label: format!("f(x), α = {}", trim(cfg.alpha)),
            colour: palette::BLUE,
            dashed: false,
            points: curve(cfg.alpha),
            dots: false,
        },
        Series {
            label: "α = 1".into(),
            colour: palette::REFERENCE,
            dashed: true,
            points: curve(1.0),
            dots: false,
        },
    ];
    if !dots.is_empty() {
        series.push(Series {
            label: lang.pick("이 말뭉치의 X_ij", "X_ij of this corpus").into(),
            colour: palette::VERMILLION,
            dashed: false,
            points: dots,
            dots: true,
        });
    }
    let chart = LineChart {
        series,
        x_label: axis_label(
            lang.pick("동시 등장 횟수 x = X_ij", "co-occurrence count x = X_ij"),
            Unit::Named(lang.pick("회", "count")),
            lang,
        ),
        y_label: axis_label(
            lang.pick("가중치 f(x)", "weight f(x)"),
            Unit::Dimensionless,
            lang,
        ),
        x_log: false,
        y_log: false,
        x_range: Some((0.0, x_end)),
        y_range: Some((0.0, 1.08)),
        markers: vec![Marker {
            x: cfg.x_max,
            label: format!("x_max = {}", trim(cfg.x_max)),
        }],
        empty_message: None,
    };
    draw_lines(area, &chart, style)
}

fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The growth of the co-occurrence matrix over prefixes of `text` (40 points), with the widget's
/// counting rules.
pub fn growth(text: &str, cfg: &GloveWidgetConfig) -> Result<Vec<GrowthPoint>> {
    let c = CooccurrenceConfig {
        order: VocabOrder::FirstSeen,
        ..cfg.cooccurrence()
    };
    growth_curve(text, &c, 40)
}

/// Draws V² (all cells of the matrix) and the non-zero cells against the vocabulary size V,
/// log–log.
pub fn draw_growth<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[GrowthPoint],
    lang: Lang,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let last = points.last();
    let chart = LineChart {
        series: vec![
            Series {
                label: lang
                    .pick("V² (밀집 행렬의 칸)", "V² (cells of the dense matrix)")
                    .into(),
                colour: palette::VERMILLION,
                dashed: false,
                points: points
                    .iter()
                    .map(|p| (p.vocab as f64, p.cells as f64))
                    .collect(),
                dots: false,
            },
            Series {
                label: lang.pick("0이 아닌 칸", "non-zero cells").into(),
                colour: palette::BLUE,
                dashed: true,
                points: points
                    .iter()
                    .map(|p| (p.vocab as f64, p.nonzeros as f64))
                    .collect(),
                dots: false,
            },
        ],
        x_label: axis_label(
            lang.pick("어휘 크기 V", "vocabulary size V"),
            Unit::Named(lang.pick("단어", "words")),
            lang,
        ),
        y_label: axis_label(
            lang.pick("칸 수", "cells"),
            Unit::Named(lang.pick("개", "count")),
            lang,
        ),
        x_log: true,
        y_log: true,
        x_range: None,
        y_range: None,
        markers: last
            .map(|p| {
                vec![Marker {
                    x: p.vocab as f64,
                    label: format!("V = {}", fmt_si(p.vocab as f64)),
                }]
            })
            .unwrap_or_default(),
        empty_message: Some(
            lang.pick("말뭉치를 불러오는 중…", "loading the corpus…")
                .into(),
        ),
    };
    draw_lines(area, &chart, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    #[test]
    fn the_lecture_matrix_is_shown_whole_in_the_slide_order() {
        let s = GloveSession::new(&GloveWidgetConfig::default()).unwrap();
        let v = s.matrix_view(12).unwrap();
        assert_eq!(
            v.words,
            ["I", "like", "enjoy", "deep", "learning", "NLP", "flying", "."]
        );
        assert!(!v.truncated);
        // Row I of the slide: 0 2 1 0 0 0 0 0.
        assert_eq!(&v.values[..8], &[0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        // Row . : 0 0 0 0 1 1 1 0.
        assert_eq!(&v.values[56..], &[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0]);
        // Non-zeros per row of the slide: 2 + 3 + 2 + 2 + 2 + 2 + 2 + 3 = 18; tokens: "I like deep
        // learning ." (5) + "I like NLP ." (4) + "I enjoy flying ." (4) = 13.
        assert_eq!((v.vocab, v.nonzeros, v.tokens), (8, 18, 13));
    }

    #[test]
    fn training_lowers_j_and_the_trace_has_one_point_per_epoch() {
        let mut s = GloveSession::new(&GloveWidgetConfig::default()).unwrap();
        let j0 = s.objective_trace()[0].1;
        let p = s.train(18 * 2000 + 5); // 18 non-zero cells = 18 updates per epoch
        assert_eq!(p.epochs, 2000);
        assert_eq!(s.objective_trace().len(), 2001);
        // With x_max = 100 the lecture's counts (1 and 2) weigh f = 0.03–0.05, so J falls slowly
        // at first, then to almost 0 (only X = 2 cells have a non-zero target, log 2).
        let j = s.objective_trace().last().unwrap().1;
        assert!(j < j0 / 10.0, "J {j0} → {j}");
        assert!(s.nearest("like", 3).unwrap().len() == 3);
        assert!(s.nearest("likes", 3).is_err());
    }

    #[test]
    fn a_larger_corpus_shows_its_most_frequent_words() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lecture/sentences.txt"),
        )
        .unwrap();
        let cfg = GloveWidgetConfig {
            corpus: text.clone(),
            ..Default::default()
        };
        let s = GloveSession::new(&cfg).unwrap();
        let v = s.matrix_view(12).unwrap();
        assert!(v.truncated && v.words.len() == 12 && v.vocab > 12);
        assert!(v.words.contains(&"the".to_string()));
        let g = growth(&text, &cfg).unwrap();
        let last = g.last().unwrap();
        assert_eq!(last.cells, (last.vocab * last.vocab) as u64);
        assert!(last.nonzeros < last.cells / 10);
    }

    #[test]
    fn charts_and_config() {
        let cfg = GloveWidgetConfig {
            lang: Lang::En,
            ..Default::default()
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (700, 400)).into_drawing_area();
            draw_weight(&root, &cfg, &[1.0, 2.0], &ChartStyle::for_canvas(700, 1.0)).unwrap();
        }
        assert!(svg.contains("x_max = 100") && svg.contains("weight f(x) (unitless)"));
        let (c, errs) = from_url_pairs::<GloveWidgetConfig, _, _>(&[
            ("alpha", "3"),
            ("objective", "paper"),
            ("corpus", "  "),
        ]);
        assert_eq!(c.objective, GloveObjective::Paper);
        assert_eq!(c.alpha, 0.75);
        assert_eq!(errs.len(), 2);
        let d = GloveWidgetConfig::default();
        let (back, errs) = from_url_pairs::<GloveWidgetConfig, _, _>(&to_url_pairs(&d).unwrap());
        assert!(errs.is_empty());
        assert_eq!(back, d);
    }
}
