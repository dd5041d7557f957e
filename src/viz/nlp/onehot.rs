//! Widget `onehot`: cosine similarity of one-hot vectors beside that of dense GloVe vectors
//! (lecture: "Word Embedding" — one-hot vs distributed representation).
//!
//! With one-hot vectors e_i, e_j over a vocabulary of the listed words, cos(e_i, e_j) = 0 for every
//! i ≠ j: 개 is exactly as far from 강아지 as from 선생님, so the representation says nothing about
//! meaning. Dense GloVe vectors give cos(dog, puppy) ≫ cos(dog, teacher). The numbers come from
//! [`crate::core::nlp::similarity`].

use super::charts::{draw_matrix, ColourScale, MatrixChart};
use super::{check_word_list, draw_placeholder};
use crate::core::config::WidgetConfig;
use crate::core::error::Result;
use crate::core::nlp::similarity::{self, SimilarityMatrix, LECTURE_EN, LECTURE_KO};
use crate::core::nlp::vectors::WordVectors;
use crate::viz::{axis_label, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Most words per side (beyond 12 the numbers no longer fit in the cells on a projector).
pub const MAX_WORDS: usize = 12;

/// Settings of the `onehot` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OneHotConfig {
    /// Words of the one-hot side, separated by commas or spaces (1–12 distinct words). Default
    /// the lecture's "개,강아지,고양이,선생님,학생".
    pub onehot: String,
    /// Words of the dense (GloVe, lower-case English) side (1–12 distinct words). Default
    /// "dog,puppy,cat,teacher,student".
    pub dense: String,
    /// Write the cosines in the cells. Default `true`.
    pub values: bool,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

impl Default for OneHotConfig {
    fn default() -> Self {
        OneHotConfig {
            onehot: LECTURE_KO.join(","),
            dense: LECTURE_EN.join(","),
            values: true,
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for OneHotConfig {
    fn validate(&self) -> Result<()> {
        check_word_list("onehot", &self.onehot, MAX_WORDS)?;
        check_word_list("dense", &self.dense, MAX_WORDS)?;
        Ok(())
    }
}

/// A word of the dense list that the vectors do not have, with the message (and suggestions).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownWord {
    /// The word as typed.
    pub word: String,
    /// Why it is missing, with spelling suggestions.
    pub message: String,
}

/// The dense side: the matrix of the known words and the unknown ones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DenseView {
    /// Cosines of the known words (`None` when none is known).
    pub matrix: Option<SimilarityMatrix>,
    /// Words not in the vectors.
    pub unknown: Vec<UnknownWord>,
}

/// The one-hot matrix of the configured words.
pub fn onehot_matrix(cfg: &OneHotConfig) -> Result<SimilarityMatrix> {
    similarity::one_hot(&check_word_list("onehot", &cfg.onehot, MAX_WORDS)?)
}

/// The dense matrix of the configured words that `vectors` knows (lower-case forms are tried as
/// the vectors are lower-case), and a message for each unknown word.
pub fn dense_view(cfg: &OneHotConfig, vectors: &WordVectors) -> Result<DenseView> {
    let words = check_word_list("dense", &cfg.dense, MAX_WORDS)?;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for w in words {
        let lower = w.to_lowercase();
        if vectors.index_of(&w).is_some() {
            known.push(w);
        } else if vectors.index_of(&lower).is_some() {
            if !known.contains(&lower) {
                known.push(lower);
            }
        } else {
            let message = match vectors.lookup(&w) {
                Err(e) => e.to_string(),
                Ok(_) => String::new(),
            };
            unknown.push(UnknownWord { word: w, message });
        }
    }
    let matrix = if known.is_empty() {
        None
    } else {
        Some(similarity::dense(vectors, &known)?)
    };
    Ok(DenseView { matrix, unknown })
}

fn chart(m: &SimilarityMatrix, cfg: &OneHotConfig) -> MatrixChart {
    let lang = cfg.lang;
    MatrixChart {
        row_labels: m.words.clone(),
        col_labels: m.words.clone(),
        values: m.values.clone(),
        scale: ColourScale::Diverging { max_abs: 1.0 },
        x_label: axis_label(
            lang.pick("단어 j", "word j"),
            Unit::Named(lang.pick("단어", "word")),
            lang,
        ),
        y_label: axis_label(
            lang.pick("단어 i", "word i"),
            Unit::Named(lang.pick("단어", "word")),
            lang,
        ),
        colour_label: axis_label("cos(i, j)", Unit::Dimensionless, lang),
        decimals: 2,
        show_values: cfg.values,
        highlight_rows: vec![],
        highlight_cols: vec![],
    }
}

/// Draws the one-hot cosine matrix (the identity).
pub fn draw_onehot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfg: &OneHotConfig,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let m = onehot_matrix(cfg)?;
    draw_matrix(area, &chart(&m, cfg), style)
}

/// Draws the dense cosine matrix, or a placeholder with `waiting` while there are no vectors (or
/// no known word).
pub fn draw_dense<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfg: &OneHotConfig,
    vectors: Option<&WordVectors>,
    waiting: &str,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let Some(v) = vectors else {
        return draw_placeholder(area, waiting, style);
    };
    match dense_view(cfg, v)?.matrix {
        Some(m) => draw_matrix(area, &chart(&m, cfg), style),
        None => draw_placeholder(
            area,
            cfg.lang
                .pick("아는 단어가 없습니다", "none of these words is known"),
            style,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    fn toy_vectors() -> WordVectors {
        // dog ≈ puppy (cos 0.98), teacher ⟂ dog.
        WordVectors::from_rows(
            ["dog", "puppy", "teacher"].map(String::from).to_vec(),
            &[1.0, 0.0, 1.0, 0.2, 0.0, 1.0],
            2,
        )
        .unwrap()
    }

    #[test]
    fn defaults_are_the_lecture_words_and_round_trip() {
        let c = OneHotConfig::default();
        c.validate().unwrap();
        assert_eq!(c.onehot, "개,강아지,고양이,선생님,학생");
        let (back, errs) = from_url_pairs::<OneHotConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty());
        assert_eq!(back, c);
        let (bad, errs) =
            from_url_pairs::<OneHotConfig, _, _>(&[("onehot", "개 개"), ("dense", " ")]);
        assert_eq!(bad, OneHotConfig::default());
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn one_hot_is_orthogonal_and_dense_is_not() {
        let m = onehot_matrix(&OneHotConfig::default()).unwrap();
        for i in 0..5 {
            for j in 0..5 {
                assert_eq!(m.get(i, j), if i == j { 1.0 } else { 0.0 });
            }
        }
        let cfg = OneHotConfig {
            dense: "Dog, puppy, teachr, teacher".into(),
            ..Default::default()
        };
        let v = dense_view(&cfg, &toy_vectors()).unwrap();
        let d = v.matrix.unwrap();
        // "Dog" is found as "dog"; cos(dog, puppy) = 1/√1.04 = 0.98058…; cos(dog, teacher) = 0.
        assert_eq!(d.words, ["dog", "puppy", "teacher"]);
        assert!((d.get(0, 1) - 1.0 / 1.04f64.sqrt()).abs() < 1e-6);
        assert!(d.get(0, 2).abs() < 1e-7);
        assert_eq!(v.unknown.len(), 1);
        assert_eq!(v.unknown[0].word, "teachr");
        assert!(
            v.unknown[0].message.contains("teacher"),
            "{}",
            v.unknown[0].message
        );
    }

    #[test]
    fn charts_draw_and_wait_for_vectors() {
        let style = ChartStyle::for_canvas(700, 1.0);
        let cfg = OneHotConfig {
            lang: Lang::En,
            ..Default::default()
        };
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (700, 420)).into_drawing_area();
            draw_onehot(&root, &cfg, &style).unwrap();
        }
        assert!(s.contains("강아지") && s.contains("cos(i, j) (unitless)"));
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (700, 420)).into_drawing_area();
            draw_dense(&root, &cfg, None, "loading GloVe…", &style).unwrap();
        }
        assert!(s.contains("loading GloVe…"));
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (700, 420)).into_drawing_area();
            draw_dense(&root, &cfg, Some(&toy_vectors()), "", &style).unwrap();
        }
        assert!(s.contains("0.98") && s.contains("puppy"));
    }
}
