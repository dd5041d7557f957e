//! Widget `naivebayes`: the lecture's Naive Bayes example with exact fractions, editable
//! documents and add-k smoothing (lecture: "Bag-of-Words and Naive Bayes"; the math and the
//! golden numbers are in [`crate::core::nlp::naive_bayes`]).
//!
//! The widget writes the products the way the lecture does — the prior reduced, each P(w|c) as
//! counted: `1/2 × 1/14 × 1/14 × 1/14 × 1/14 = 1/2 × (1/14)⁴` for CV and
//! `1/2 × 1/10 × 2/10 × 1/10 × 1/10` for NLP — and draws log₁₀ of each class's score, where a
//! zero probability (a word never seen in a class) is a bar going to −∞.

use super::charts::{draw_bars, fmt_num, BarChart, BarValue};
use super::check_len;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::nlp::naive_bayes::{
    classify, lecture_documents, LabeledDocument, NaiveBayesConfig, NaiveBayesReport,
};
use crate::core::nlp::ratio::Ratio;
use crate::viz::{axis_label, palette, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Most training documents.
pub const MAX_DOCS: usize = 40;
/// Most characters per document line and in the test document.
pub const MAX_LINE: usize = 500;

/// Settings of the `naivebayes` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NaiveBayesWidgetConfig {
    /// Training documents, one per line as `class | text` (1–40 lines, each ≤ 500 characters).
    /// Default: the lecture's four documents (two CV, two NLP).
    pub docs: String,
    /// The document to classify (≤ 500 characters). Default "Classification task uses
    /// transformer".
    pub test: String,
    /// Add-k smoothing on/off. Default off (the lecture's table).
    pub smoothing: bool,
    /// k of add-k smoothing, 0.001–100 in steps of 0.001 (1 = Laplace). Default 1.
    pub k: f64,
    /// Lower-case before counting. Default on (the lecture counts "Transformer" and "transformer"
    /// as one word).
    pub lowercase: bool,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

/// The documents as `class | text` lines.
pub fn docs_text(docs: &[LabeledDocument]) -> String {
    docs.iter()
        .map(|d| format!("{} | {}", d.class, d.text))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Default for NaiveBayesWidgetConfig {
    fn default() -> Self {
        NaiveBayesWidgetConfig {
            docs: docs_text(&lecture_documents()),
            test: "Classification task uses transformer".into(),
            smoothing: false,
            k: 1.0,
            lowercase: true,
            lang: Lang::Ko,
        }
    }
}

/// Parses `class | text` lines (blank lines skipped). Errors name the line.
pub fn parse_docs(s: &str) -> Result<Vec<LabeledDocument>> {
    let mut out = Vec::new();
    for (i, line) in s.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.chars().count() > MAX_LINE {
            return Err(CoreError::invalid(
                "docs",
                format!("line {} is longer than {MAX_LINE} characters", i + 1),
            ));
        }
        let Some((class, text)) = line.split_once('|') else {
            return Err(CoreError::invalid(
                "docs",
                format!(
                    "line {} needs a class, a bar and the text, e.g. \"CV | image recognition\"",
                    i + 1
                ),
            ));
        };
        if class.trim().is_empty() {
            return Err(CoreError::invalid(
                "docs",
                format!("line {} has no class before the bar", i + 1),
            ));
        }
        out.push(LabeledDocument::new(text.trim(), class.trim()));
    }
    if out.is_empty() {
        return Err(CoreError::invalid(
            "docs",
            "add at least one training document",
        ));
    }
    if out.len() > MAX_DOCS {
        return Err(CoreError::invalid(
            "docs",
            format!("at most {MAX_DOCS} documents (got {})", out.len()),
        ));
    }
    Ok(out)
}

impl NaiveBayesWidgetConfig {
    /// The core configuration.
    pub fn core(&self) -> Result<NaiveBayesConfig> {
        Ok(NaiveBayesConfig {
            documents: parse_docs(&self.docs)?,
            test_document: self.test.clone(),
            smoothing: self.smoothing,
            k: self.k,
            lowercase: self.lowercase,
        })
    }
}

impl WidgetConfig for NaiveBayesWidgetConfig {
    fn validate(&self) -> Result<()> {
        parse_docs(&self.docs)?;
        check_len("test", &self.test, MAX_LINE)?;
        let k = Ratio::from_decimal(self.k, "k")?;
        if k.is_zero() || k.to_f64() > 100.0 {
            return Err(CoreError::invalid("k", "must be between 0.001 and 100"));
        }
        Ok(())
    }
}

/// One class's score written out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassView {
    /// Class name.
    pub name: String,
    /// P(c) reduced, e.g. "1/2".
    pub prior: String,
    /// P(c) as counted, e.g. "2/4".
    pub prior_counted: String,
    /// The product as the lecture writes it: "1/2 × 1/14 × 1/14 × 1/14 × 1/14".
    pub expression: String,
    /// Equal factors as a power: "1/2 × (1/14)⁴" (`None` unless every factor is the same and there
    /// are at least two).
    pub power: Option<String>,
    /// The exact product in lowest terms ("1/76832"), or `None` after an overflow.
    pub exact: Option<String>,
    /// The product as a decimal in scientific notation ("1.30 × 10⁻⁵"); "0" for zero.
    pub decimal: String,
    /// log₁₀ of the product; `None` when it is 0 (−∞).
    pub log10: Option<f64>,
    /// P(c | d) when defined.
    pub posterior: Option<f64>,
    /// Exact P(c | d) ("10000/86832" reduced), when representable.
    pub posterior_exact: Option<String>,
    /// Test words with P(w | c) = 0.
    pub zero_words: Vec<String>,
}

/// Everything the page shows: the core report plus the lecture-style expressions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NaiveBayesView {
    /// The core report (table of P(w | c), scores, decision, notes).
    pub report: NaiveBayesReport,
    /// One entry per class, in report order.
    pub classes: Vec<ClassView>,
}

/// n written with superscript digits: 4 → "⁴".
pub fn superscript(n: usize) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|c| SUP[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// x in scientific notation with 3 significant digits and a superscript exponent.
pub fn scientific(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return fmt_num(x, 0);
    }
    let e = x.abs().log10().floor() as i32;
    if (-2..=3).contains(&e) {
        return fmt_num(x, (2 - e).max(0) as usize);
    }
    let m = x / 10f64.powi(e);
    let exp = if e < 0 {
        format!("⁻{}", superscript(e.unsigned_abs() as usize))
    } else {
        superscript(e as usize)
    };
    format!("{} × 10{exp}", fmt_num(m, 2))
}

/// Classifies and writes the products out.
pub fn view(cfg: &NaiveBayesWidgetConfig) -> Result<NaiveBayesView> {
    let report = classify(&cfg.core()?)?;
    let mut classes = Vec::with_capacity(report.classes.len());
    for (c, (summary, score)) in report.classes.iter().zip(&report.scores).enumerate() {
        let prior = summary.prior.reduced.to_string();
        let mut expression = prior.clone();
        for f in &score.factors {
            expression.push_str(" × ");
            expression.push_str(&f.unreduced);
        }
        let power = match score.factors.first() {
            Some(first)
                if score.factors.len() >= 2
                    && score.factors.iter().all(|f| f.unreduced == first.unreduced) =>
            {
                Some(format!(
                    "{prior} × ({}){}",
                    first.unreduced,
                    superscript(score.factors.len())
                ))
            }
            _ => None,
        };
        let value = match score.product {
            Some(p) => p.to_f64(),
            None => score.log_product.map_or(0.0, f64::exp),
        };
        classes.push(ClassView {
            name: summary.name.clone(),
            prior,
            prior_counted: summary.prior.unreduced.clone(),
            expression,
            power,
            exact: score.product.map(|p| p.to_string()),
            decimal: match (score.product, score.log_product) {
                (Some(p), _) => scientific(p.to_f64()),
                (None, Some(l)) => {
                    // Too small or too large for exact fractions: 10^(l / ln 10).
                    let l10 = l / std::f64::consts::LN_10;
                    let e = l10.floor();
                    format!(
                        "{} × 10{}",
                        fmt_num(10f64.powf(l10 - e), 2),
                        if e < 0.0 {
                            format!("⁻{}", superscript((-e) as usize))
                        } else {
                            superscript(e as usize)
                        }
                    )
                }
                (None, None) => scientific(value),
            },
            log10: score.log_product.map(|l| l / std::f64::consts::LN_10),
            posterior: report.posteriors.as_ref().and_then(|p| p.get(c).copied()),
            posterior_exact: report
                .exact_posteriors
                .as_ref()
                .and_then(|p| p.get(c))
                .map(|r| r.to_string()),
            zero_words: score.zero_words.clone(),
        });
    }
    Ok(NaiveBayesView { report, classes })
}

/// Draws log₁₀ P(c)·Π P(w | c) per class (−∞ for a zero product).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfg: &NaiveBayesWidgetConfig,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let v = view(cfg)?;
    let lang = cfg.lang;
    let chart = BarChart {
        categories: v.classes.iter().map(|c| c.name.clone()).collect(),
        groups: vec![(lang.pick("log10 점수", "log10 score").into(), palette::BLUE)],
        values: v
            .classes
            .iter()
            .map(|c| {
                vec![match c.log10 {
                    Some(l) => BarValue::Value(l),
                    None => BarValue::NegInfinite,
                }]
            })
            .collect(),
        x_label: axis_label(
            lang.pick("클래스 c", "class c"),
            Unit::Named(lang.pick("이름", "name")),
            lang,
        ),
        y_label: axis_label("log10 P(c)·Π P(w|c)", Unit::Dimensionless, lang),
        y_log: false,
        y_range: None,
        decimals: Some(2),
        empty_message: None,
    };
    draw_bars(area, &chart, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    #[test]
    fn the_lecture_numbers() {
        let v = view(&NaiveBayesWidgetConfig::default()).unwrap();
        let cv = &v.classes[0];
        let nlp = &v.classes[1];
        assert_eq!(cv.name, "CV");
        assert_eq!(cv.expression, "1/2 × 1/14 × 1/14 × 1/14 × 1/14");
        assert_eq!(cv.power.as_deref(), Some("1/2 × (1/14)⁴"));
        assert_eq!(cv.prior_counted, "2/4");
        // 1/2 × (1/14)⁴ = 1/(2 × 38416) = 1/76832 = 1.3015…e-5.
        assert_eq!(cv.exact.as_deref(), Some("1/76832"));
        assert_eq!(cv.decimal, "1.30 × 10⁻⁵");
        assert_eq!(nlp.expression, "1/2 × 1/10 × 2/10 × 1/10 × 1/10");
        assert_eq!(nlp.power, None);
        // 1/2 × 2/10⁴ = 1/10000.
        assert_eq!(nlp.exact.as_deref(), Some("1/10000"));
        assert_eq!(nlp.decimal, "1.00 × 10⁻⁴");
        assert!((nlp.log10.unwrap() + 4.0).abs() < 1e-12);
        assert_eq!(v.report.decision.as_deref(), Some("NLP"));
        // Posterior of NLP: (1/10000) / (1/10000 + 1/76832) = 76832/86832 = 4802/5427.
        assert_eq!(nlp.posterior_exact.as_deref(), Some("4802/5427"));
    }

    #[test]
    fn smoothing_fixes_a_zero_product() {
        // "image" occurs only in CV, so without smoothing P(image | NLP) = 0.
        let cfg = NaiveBayesWidgetConfig {
            test: "image classification".into(),
            ..Default::default()
        };
        let v = view(&cfg).unwrap();
        assert_eq!(v.classes[1].log10, None);
        assert_eq!(v.classes[1].decimal, "0");
        assert_eq!(v.classes[1].zero_words, ["image"]);
        let s = view(&NaiveBayesWidgetConfig {
            smoothing: true,
            ..cfg
        })
        .unwrap();
        assert!(s
            .classes
            .iter()
            .all(|c| c.log10.is_some() && c.zero_words.is_empty()));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 360)).into_drawing_area();
            draw(
                &root,
                &NaiveBayesWidgetConfig {
                    test: "image classification".into(),
                    lang: Lang::En,
                    ..Default::default()
                },
                &ChartStyle::for_canvas(640, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("−∞") && svg.contains("log10 P(c)·Π P(w|c) (unitless)"));
    }

    #[test]
    fn documents_parse_with_clear_errors_and_hangul() {
        let d = parse_docs("긍정 | 영화가 정말 좋았다\n\n부정| 지루했다 ").unwrap();
        assert_eq!(d[0].class, "긍정");
        assert_eq!(d[1].text, "지루했다");
        assert!(parse_docs("no bar here")
            .unwrap_err()
            .to_string()
            .contains("line 1"));
        assert!(parse_docs(" | text")
            .unwrap_err()
            .to_string()
            .contains("no class"));
        assert!(parse_docs("\n \n").is_err());
        let (c, errs) = from_url_pairs::<NaiveBayesWidgetConfig, _, _>(&[
            ("docs", "nonsense"),
            ("k", "0"),
            ("smoothing", "true"),
        ]);
        assert_eq!(c.docs, NaiveBayesWidgetConfig::default().docs);
        assert!(c.smoothing);
        assert_eq!(
            errs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["docs", "k"]
        );
        let c = NaiveBayesWidgetConfig::default();
        let (back, errs) =
            from_url_pairs::<NaiveBayesWidgetConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty());
        assert_eq!(back, c);
    }

    #[test]
    fn scientific_notation() {
        assert_eq!(scientific(1.0 / 76832.0), "1.30 × 10⁻⁵");
        assert_eq!(scientific(0.25), "0.250");
        assert_eq!(scientific(12345678.0), "1.23 × 10⁷");
        assert_eq!(superscript(10), "¹⁰");
    }
}
