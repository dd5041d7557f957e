//! The word-vector and language-modelling widgets (lecture section 1, "Sequential data and
//! language models"): each file holds one widget's URL config, its pure state (sessions that train
//! in steps) and its charts, built on [`crate::core::nlp`]. The wasm handles in `src/web/nlp/` are
//! thin wrappers over these, so everything here is tested natively.
//!
//! | widget | file | lecture content |
//! | --- | --- | --- |
//! | `onehot` | [`onehot`] | one-hot vectors are orthogonal; dense GloVe vectors are not |
//! | `naivebayes` | [`naive_bayes`] | the lecture's Naive Bayes example with exact fractions; add-k |
//! | `word2vec` | [`word2vec`] | W₁/W₂ of "I study math"; skip-gram/CBOW on a real corpus |
//! | `glove` | [`glove`] | the 8 × 8 co-occurrence matrix, f(x), J, the V² problem |
//! | `analogy` | [`analogy`] | b − a + c with real GloVe 6B vectors, 3CosAdd/3CosMul, PCA |
//! | `ngram` | [`ngram`] | counts, P(w \| context), sparsity, smoothing, perplexity vs an RNN |

pub mod analogy;
pub mod charts;
pub mod glove;
pub mod naive_bayes;
pub mod ngram;
pub mod onehot;
pub mod word2vec;

use super::{ChartMapping, ChartStyle, DrawError};
use crate::core::error::{CoreError, Result};
use crate::viz::palette;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Splits a typed word list at commas, semicolons and white space (`"dog, puppy cat"` → three
/// words); empty pieces are dropped. Korean words work the same way (`"개, 강아지"`).
pub fn parse_word_list(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == ';' || c == '、' || c.is_whitespace())
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks a word-list field: 1 to `max` distinct words of at most 40 characters each.
pub fn check_word_list(field: &str, s: &str, max: usize) -> Result<Vec<String>> {
    let words = parse_word_list(s);
    if words.is_empty() {
        return Err(CoreError::invalid(field, "type at least one word"));
    }
    if words.len() > max {
        return Err(CoreError::invalid(
            field,
            format!("at most {max} words (got {})", words.len()),
        ));
    }
    for (i, w) in words.iter().enumerate() {
        if w.chars().count() > 40 {
            return Err(CoreError::invalid(
                field,
                format!("word {} is longer than 40 characters", i + 1),
            ));
        }
        if words[..i].contains(w) {
            return Err(CoreError::invalid(field, format!("\"{w}\" appears twice")));
        }
    }
    Ok(words)
}

/// Checks that a free-text field holds at most `max` characters.
pub fn check_len(field: &str, s: &str, max: usize) -> Result<()> {
    let n = s.chars().count();
    if n > max {
        return Err(CoreError::invalid(
            field,
            format!("at most {max} characters (got {n})"),
        ));
    }
    Ok(())
}

/// A framed, empty chart area with a message in the middle (before data exist, e.g. while the
/// word vectors load). The mapping covers the frame with a unit data range.
pub fn draw_placeholder<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let m = style.margin_px() as i32;
    let (x1, y1) = (width as i32 - m, height as i32 - m);
    area.draw(&Rectangle::new(
        [(m, m), (x1, y1)],
        RGBColor(244, 246, 248).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(m, m), (x1, y1)],
        palette::GRID.stroke_width(1.max(style.scale.round() as u32)),
    ))?;
    area.draw(&Text::new(
        message.to_string(),
        ((m + x1) / 2, (m + y1) / 2),
        (ChartStyle::FONT_FAMILY, style.label_px())
            .into_font()
            .color(&palette::REFERENCE)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    area.present()?;
    Ok(ChartMapping {
        width,
        height,
        left: f64::from(m),
        right: f64::from(x1),
        top: f64::from(m),
        bottom: f64::from(y1),
        x_min: 0.0,
        x_max: 1.0,
        y_min: 0.0,
        y_max: 1.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists() {
        assert_eq!(
            parse_word_list(" dog, puppy  cat;teacher\n학생 ,, "),
            ["dog", "puppy", "cat", "teacher", "학생"]
        );
        assert!(check_word_list("w", " , ", 5).is_err());
        assert!(check_word_list("w", "a a", 5)
            .unwrap_err()
            .to_string()
            .contains("twice"));
        assert!(check_word_list("w", "a b c", 2).is_err());
        assert_eq!(
            check_word_list("w", "개,강아지", 5).unwrap(),
            ["개", "강아지"]
        );
        assert!(check_len("t", "한국어", 3).is_ok());
        assert!(check_len("t", "한국어!", 3).is_err());
    }

    #[test]
    fn placeholder_draws_its_message() {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (400, 200)).into_drawing_area();
            draw_placeholder(&root, "loading…", &ChartStyle::for_canvas(400, 1.0)).unwrap();
        }
        assert!(s.contains("loading…"));
    }
}
