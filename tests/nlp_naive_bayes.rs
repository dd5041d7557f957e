//! Naive Bayes against the lecture's worked example (golden values: the lecture slide, recomputed by
//! hand below), plus smoothing, zero probabilities, overflow fallback and bad inputs.
//!
//! Hand calculation (lecture example, lower-cased, no smoothing):
//! CV documents: "image recognition uses convolutional neural networks" (6 words) +
//! "transformer can be used for image classification task" (8) = 14 words.
//! NLP: "language modeling uses transformer" (4) + "document classification task is language task" (6)
//! = 10 words. Test: classification, task, uses, transformer.
//! CV: each test word occurs once → 1/14 each; NLP: 1/10, 2/10, 1/10, 1/10.
//! Priors 2/4 = 1/2. CV: 1/2 · 1/14⁴ = 1/76832. NLP: 1/2 · 2/10⁴ = 1/10000. Decision NLP.
//! Posterior P(NLP | d) = (1/10000) / (1/10000 + 1/76832) = 76832 / 86832 = 4802/5427.
//!
//! With Laplace smoothing (k = 1): |V| = 17 distinct words (image recognition uses convolutional
//! neural networks transformer can be used for classification task language modeling document is).
//! CV denominator 14 + 17 = 31; NLP 10 + 17 = 27.
//! CV: 1/2 · (2/31)⁴ = 16/(2·923521) = 8/923521.
//! NLP: 1/2 · 2/27 · 3/27 · 2/27 · 2/27 = 24/(2·531441) = 12/531441.

use rnn_lab::core::nlp::naive_bayes::{classify, LabeledDocument, NaiveBayesConfig};
use rnn_lab::core::nlp::ratio::Ratio;

fn r(n: i128, d: i128) -> Ratio {
    Ratio::new(n, d).unwrap()
}

#[test]
fn lecture_example_exact_fractions() {
    let rep = classify(&NaiveBayesConfig::default()).unwrap();
    assert_eq!(rep.classes.len(), 2);
    assert_eq!(rep.classes[0].name, "CV");
    assert_eq!(rep.classes[0].word_count, 14);
    assert_eq!(rep.classes[1].word_count, 10);
    assert_eq!(rep.classes[0].prior.unreduced, "2/4");
    assert_eq!(rep.classes[0].prior.reduced, r(1, 2));
    assert_eq!(rep.vocabulary.len(), 17);
    assert_eq!(
        rep.test_tokens,
        vec!["classification", "task", "uses", "transformer"]
    );
    let cv = &rep.scores[0];
    let nlp = &rep.scores[1];
    let cv_f: Vec<&str> = cv.factors.iter().map(|f| f.unreduced.as_str()).collect();
    let nlp_f: Vec<&str> = nlp.factors.iter().map(|f| f.unreduced.as_str()).collect();
    assert_eq!(cv_f, vec!["1/14"; 4]);
    assert_eq!(nlp_f, vec!["1/10", "2/10", "1/10", "1/10"]);
    assert_eq!(nlp.factors[1].reduced, r(1, 5));
    assert_eq!(cv.expression, "2/4 × 1/14 × 1/14 × 1/14 × 1/14");
    assert_eq!(nlp.expression, "2/4 × 1/10 × 2/10 × 1/10 × 1/10");
    assert_eq!(cv.product, Some(r(1, 76832)));
    assert_eq!(nlp.product, Some(r(1, 10000)));
    assert!(rep.exact);
    assert_eq!(rep.decision.as_deref(), Some("NLP"));
    let ep = rep.exact_posteriors.as_ref().unwrap();
    assert_eq!(ep[1], r(4802, 5427));
    assert_eq!(ep[0], r(625, 5427));
    // The table row for "task".
    let task = rep.table.iter().find(|w| w.word == "task").unwrap();
    assert_eq!(task.counts, vec![1, 2]);
    assert_eq!(task.probs[1].unreduced, "2/10");
    assert!(rep.ignored_words.is_empty());
}

#[test]
fn laplace_smoothing_fractions() {
    let cfg = NaiveBayesConfig {
        smoothing: true,
        k: 1.0,
        ..Default::default()
    };
    let rep = classify(&cfg).unwrap();
    assert_eq!(rep.classes[0].denominator, "14 + 1×17 = 31");
    assert_eq!(rep.scores[0].factors[0].unreduced, "2/31");
    assert_eq!(rep.scores[1].factors[1].unreduced, "3/27");
    assert_eq!(rep.scores[1].factors[1].reduced, r(1, 9));
    assert_eq!(rep.scores[0].product, Some(r(8, 923521)));
    assert_eq!(rep.scores[1].product, Some(r(12, 531441)));
    assert_eq!(rep.decision.as_deref(), Some("NLP"));
    // Every column of the smoothed table sums to exactly 1.
    for c in 0..2 {
        let mut s = Ratio::ZERO;
        for row in &rep.table {
            s = s.checked_add(row.probs[c].reduced).unwrap();
        }
        assert_eq!(s, Ratio::ONE);
    }
    // Add-0.5: numerators become decimals.
    let half = classify(&NaiveBayesConfig {
        smoothing: true,
        k: 0.5,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(half.scores[1].factors[1].unreduced, "2.5/18.5");
    assert_eq!(half.scores[1].factors[1].reduced, r(5, 37));
}

#[test]
fn zero_probability_problem_and_its_fix() {
    // "convolutional" occurs only in CV, so without smoothing P(d | NLP) = 0 exactly.
    let cfg = NaiveBayesConfig {
        test_document: "language task uses convolutional".into(),
        ..Default::default()
    };
    let rep = classify(&cfg).unwrap();
    let nlp = &rep.scores[1];
    assert_eq!(nlp.product, Some(Ratio::ZERO));
    assert_eq!(nlp.log_product, None);
    assert_eq!(nlp.zero_words, vec!["convolutional"]);
    // CV has no "language" either: both products are 0 and there is no decision.
    assert_eq!(rep.scores[0].zero_words, vec!["language"]);
    assert_eq!(rep.decision, None);
    assert!(rep.posteriors.is_none());
    assert!(rep.notes.iter().any(|n| n.contains("zero-probability")));
    // With smoothing both are positive and a decision exists.
    // CV (den 31): language 1/31, task 2/31, uses 2/31, convolutional 2/31 → 1/2 · 8/31⁴.
    // NLP (den 27): 3/27 · 3/27 · 2/27 · 1/27 → 1/2 · 18/27⁴; 9/27⁴ > 4/31⁴, so NLP.
    let fixed = classify(&NaiveBayesConfig {
        smoothing: true,
        ..cfg
    })
    .unwrap();
    assert_eq!(fixed.scores[0].product, Some(r(4, 923521)));
    assert_eq!(fixed.scores[1].product, Some(r(9, 531441)));
    assert_eq!(fixed.decision.as_deref(), Some("NLP"));
}

#[test]
fn unknown_test_words_are_ignored_and_reported() {
    let rep = classify(&NaiveBayesConfig {
        test_document: "Quantum task".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(rep.ignored_words, vec!["quantum"]);
    assert_eq!(rep.scores[0].expression, "2/4 × 1/14");
    assert_eq!(rep.scores[1].product, Some(r(1, 10)));
}

#[test]
fn overflow_falls_back_to_logs() {
    // 40 test words: (1/14)^40 does not fit in 128 bits, but the decision still comes out.
    let test = vec!["task"; 40].join(" ");
    let rep = classify(&NaiveBayesConfig {
        test_document: test,
        ..Default::default()
    })
    .unwrap();
    assert!(!rep.exact);
    assert!(rep.scores[0].product.is_none());
    assert!(rep.notes.iter().any(|n| n.contains("log-probabilities")));
    // ln(1/2) + 40 ln(1/14) vs ln(1/2) + 40 ln(2/10): NLP wins.
    let l0 = rep.scores[0].log_product.unwrap();
    let want = 0.5f64.ln() + 40.0 * (1.0f64 / 14.0).ln();
    assert!((l0 - want).abs() < 1e-9);
    assert_eq!(rep.decision.as_deref(), Some("NLP"));
    let p = rep.posteriors.unwrap();
    assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
}

#[test]
fn bad_inputs_are_clear_errors() {
    let empty = NaiveBayesConfig {
        documents: vec![],
        ..Default::default()
    };
    assert!(classify(&empty).unwrap_err().to_string().contains("empty"));
    let no_label = NaiveBayesConfig {
        documents: vec![LabeledDocument::new("some words", " ")],
        ..Default::default()
    };
    assert!(classify(&no_label).is_err());
    let no_words = NaiveBayesConfig {
        documents: vec![LabeledDocument::new("...", "A")],
        ..Default::default()
    };
    assert!(classify(&no_words).is_err());
    // A class whose only document has no words: 0/0 without smoothing.
    let hollow = NaiveBayesConfig {
        documents: vec![
            LabeledDocument::new("real words", "A"),
            LabeledDocument::new("!!", "B"),
        ],
        ..Default::default()
    };
    assert!(classify(&hollow).unwrap_err().to_string().contains("0/0"));
    let bad_k = NaiveBayesConfig {
        smoothing: true,
        k: f64::NAN,
        ..Default::default()
    };
    assert!(classify(&bad_k).is_err());
    let zero_k = NaiveBayesConfig {
        smoothing: true,
        k: 0.0,
        ..Default::default()
    };
    assert!(classify(&zero_k).is_err());
}

#[test]
fn korean_documents() {
    let cfg = NaiveBayesConfig {
        documents: vec![
            LabeledDocument::new("이미지 인식 모델", "CV"),
            LabeledDocument::new("언어 모델 문장", "NLP"),
        ],
        test_document: "언어 모델".into(),
        ..Default::default()
    };
    let rep = classify(&cfg).unwrap();
    // CV: 언어 0/3 → product 0; NLP: 1/3 · 1/3 · 1/2 = 1/18.
    assert_eq!(rep.scores[0].product, Some(Ratio::ZERO));
    assert_eq!(rep.scores[1].product, Some(r(1, 18)));
    assert_eq!(rep.decision.as_deref(), Some("NLP"));
}

#[test]
fn config_round_trips_through_json() {
    let cfg = NaiveBayesConfig::default();
    let json = serde_json::to_string(&cfg).unwrap();
    let back: NaiveBayesConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(cfg, back);
    // Missing fields take their defaults.
    let partial: NaiveBayesConfig = serde_json::from_str(r#"{"smoothing": true}"#).unwrap();
    assert!(partial.smoothing);
    assert_eq!(partial.documents.len(), 4);
    let rep = classify(&cfg).unwrap();
    assert!(serde_json::to_string(&rep).unwrap().contains("\"1/76832\""));
}
