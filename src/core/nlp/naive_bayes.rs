//! Multinomial Naive Bayes document classification with exact fractions (lecture: "Bag-of-Words and
//! Naive Bayes").
//!
//! For a document d = (w₁, …, w_n) and classes c:
//!
//! ```text
//! ĉ = argmax_c P(c) · Π_i P(w_i | c)
//! P(c)     = (#documents of class c) / (#documents)
//! P(w | c) = count(w, c) / Σ_w' count(w', c)                    (no smoothing, the lecture)
//! P(w | c) = (count(w, c) + k) / (Σ_w' count(w', c) + k·|V|)     (add-k; k = 1 is Laplace)
//! ```
//!
//! |V| is the vocabulary of the training documents. Test words that never occur in any training
//! document are dropped from the product (Jurafsky and Martin, SLP3 §4.2) and listed in
//! [`NaiveBayesReport::ignored_words`]. A word that occurs in training but never in class c gives
//! P(w | c) = 0 without smoothing, so the whole product for c is 0 whatever the other words say:
//! the *zero-probability problem* that add-k smoothing fixes.
//!
//! The lecture's example (its numbers are the golden values of the tests):
//!
//! | # | document | class |
//! | --- | --- | --- |
//! | 1 | Image recognition uses convolutional neural networks | CV |
//! | 2 | Transformer can be used for image classification task | CV |
//! | 3 | Language modeling uses transformer | NLP |
//! | 4 | Document classification task is language task | NLP |
//! | 5 | Classification task uses transformer | ? |
//!
//! CV has 14 words, each test word once: P(w | CV) = 1/14. NLP has 10 words: classification 1/10,
//! task 2/10, uses 1/10, transformer 1/10. P(CV | d) ∝ 1/2 × (1/14)⁴ = 1/76832 and
//! P(NLP | d) ∝ 1/2 × 1/10 × 2/10 × 1/10 × 1/10 = 1/10000, so the decision is NLP.
//!
//! All probabilities are exact [`Ratio`]s; when a product overflows 128-bit integers the report
//! says so and falls back to log-probabilities (sums of ln P), which decide the same argmax.

use super::ratio::{Fraction, Ratio};
use super::tokenize::{words, TokenizerConfig};
use crate::core::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One training document with its class label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledDocument {
    /// The document text (tokenised into lower-case words; punctuation dropped).
    pub text: String,
    /// The class label (any non-empty string, e.g. "CV").
    pub class: String,
}

impl LabeledDocument {
    /// Convenience constructor.
    pub fn new(text: &str, class: &str) -> Self {
        LabeledDocument {
            text: text.to_string(),
            class: class.to_string(),
        }
    }
}

/// The Naive Bayes widget's configuration. Defaults reproduce the lecture's example exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NaiveBayesConfig {
    /// Training documents, 1 to 200, each at most 10 000 characters. Default: the lecture's four.
    pub documents: Vec<LabeledDocument>,
    /// The document to classify (≤ 10 000 characters). Default: "Classification task uses
    /// transformer".
    pub test_document: String,
    /// Apply add-k smoothing. Default `false` (the lecture's table is unsmoothed).
    pub smoothing: bool,
    /// The k of add-k smoothing, in [0.001, 100], a multiple of 0.001 so fractions stay exact.
    /// Default 1 (Laplace). Ignored when `smoothing` is off.
    pub k: f64,
    /// Lower-case all words before counting. Default `true` (the lecture lower-cases).
    pub lowercase: bool,
}

impl Default for NaiveBayesConfig {
    fn default() -> Self {
        NaiveBayesConfig {
            documents: lecture_documents(),
            test_document: "Classification task uses transformer".to_string(),
            smoothing: false,
            k: 1.0,
            lowercase: true,
        }
    }
}

/// The lecture's four training documents (two CV, two NLP).
pub fn lecture_documents() -> Vec<LabeledDocument> {
    vec![
        LabeledDocument::new("Image recognition uses convolutional neural networks", "CV"),
        LabeledDocument::new(
            "Transformer can be used for image classification task",
            "CV",
        ),
        LabeledDocument::new("Language modeling uses transformer", "NLP"),
        LabeledDocument::new("Document classification task is language task", "NLP"),
    ]
}

const MAX_DOCS: usize = 200;
const MAX_CHARS: usize = 10_000;

impl NaiveBayesConfig {
    /// Checks sizes and ranges; returns a clear error for the first problem found.
    pub fn validate(&self) -> Result<()> {
        if self.documents.is_empty() {
            return Err(CoreError::empty("training documents"));
        }
        if self.documents.len() > MAX_DOCS {
            return Err(CoreError::invalid(
                "training documents",
                format!("at most {MAX_DOCS} documents, got {}", self.documents.len()),
            ));
        }
        for (i, d) in self.documents.iter().enumerate() {
            if d.class.trim().is_empty() {
                return Err(CoreError::invalid(
                    format!("document {}", i + 1),
                    "the class label is empty",
                ));
            }
            if d.text.chars().count() > MAX_CHARS {
                return Err(CoreError::invalid(
                    format!("document {}", i + 1),
                    format!("at most {MAX_CHARS} characters"),
                ));
            }
        }
        if self.test_document.chars().count() > MAX_CHARS {
            return Err(CoreError::invalid(
                "test document",
                format!("at most {MAX_CHARS} characters"),
            ));
        }
        if self.smoothing {
            let k = Ratio::from_decimal(self.k, "k")?;
            if k.is_zero() || k.to_f64() > 100.0 {
                return Err(CoreError::invalid("k", "must be between 0.001 and 100"));
            }
        }
        Ok(())
    }
}

/// Per-class summary: prior and the denominator of P(w | c).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassSummary {
    /// Class label.
    pub name: String,
    /// Number of training documents of this class.
    pub documents: usize,
    /// P(c) = documents / total documents, e.g. 2/4 = 1/2.
    pub prior: Fraction,
    /// Σ_w count(w, c): number of word tokens in the class (14 for CV in the lecture).
    pub word_count: u64,
    /// The denominator of P(w | c) as text: "14", or "14 + 1×17" style with smoothing ("31").
    pub denominator: String,
}

/// One row of the P(w | c) table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WordRow {
    /// The word.
    pub word: String,
    /// count(w, c) per class, in class order.
    pub counts: Vec<u64>,
    /// P(w | c) per class, in class order.
    pub probs: Vec<Fraction>,
}

/// The score of one class for the test document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassScore {
    /// Class label.
    pub class: String,
    /// P(w_i | c) for each kept test word, in document order.
    pub factors: Vec<Fraction>,
    /// The product as the lecture writes it: "1/2 × 1/14 × 1/14 × 1/14 × 1/14".
    pub expression: String,
    /// P(c) · Π P(w_i | c) exactly, or `None` if it overflowed 128-bit integers.
    pub product: Option<Ratio>,
    /// ln P(c) + Σ ln P(w_i | c); `None` when the product is exactly 0 (ln 0 = −∞).
    pub log_product: Option<f64>,
    /// Test words with P(w | c) = 0 (they make the product 0).
    pub zero_words: Vec<String>,
}

/// Everything the Naive Bayes widget shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NaiveBayesReport {
    /// Classes in order of first appearance in the training documents.
    pub classes: Vec<ClassSummary>,
    /// Training vocabulary V in order of first appearance.
    pub vocabulary: Vec<String>,
    /// P(w | c) for every vocabulary word.
    pub table: Vec<WordRow>,
    /// The tokenised test document.
    pub test_tokens: Vec<String>,
    /// Test words not in V (dropped from the products).
    pub ignored_words: Vec<String>,
    /// Smoothing used.
    pub smoothing: bool,
    /// The k used (0 when smoothing is off).
    pub k: Ratio,
    /// One score per class.
    pub scores: Vec<ClassScore>,
    /// True when every product is an exact fraction; false when some overflowed (logs used).
    pub exact: bool,
    /// P(c | d) per class, normalised (from exact fractions if possible, else log-sum-exp);
    /// `None` when every product is 0.
    pub posteriors: Option<Vec<f64>>,
    /// Exact P(c | d) per class, when all products and their sum are representable.
    pub exact_posteriors: Option<Vec<Ratio>>,
    /// The predicted class, `None` on a tie or when every product is 0.
    pub decision: Option<String>,
    /// Notes in plain words: overflow fallback, ties, zero products, ignored words.
    pub notes: Vec<String>,
}

/// Trains on `cfg.documents` and classifies `cfg.test_document`.
pub fn classify(cfg: &NaiveBayesConfig) -> Result<NaiveBayesReport> {
    cfg.validate()?;
    let tok = TokenizerConfig {
        lowercase: cfg.lowercase,
        keep_punctuation: false,
    };
    let k = if cfg.smoothing {
        Ratio::from_decimal(cfg.k, "k")?
    } else {
        Ratio::ZERO
    };

    // Classes and vocabulary in order of first appearance.
    let mut classes: Vec<String> = Vec::new();
    let mut class_docs: Vec<usize> = Vec::new();
    let mut vocab: Vec<String> = Vec::new();
    let mut vocab_id: HashMap<String, usize> = HashMap::new();
    let mut counts: Vec<Vec<u64>> = Vec::new(); // (|V|, C) grown row by row
    let mut doc_tokens = Vec::new();
    for d in &cfg.documents {
        let name = d.class.trim().to_string();
        let c = match classes.iter().position(|x| *x == name) {
            Some(c) => c,
            None => {
                classes.push(name);
                class_docs.push(0);
                classes.len() - 1
            }
        };
        class_docs[c] += 1;
        doc_tokens.push((c, words(&d.text, &tok)));
    }
    let n_classes = classes.len();
    let mut word_count = vec![0u64; n_classes];
    for (c, toks) in &doc_tokens {
        for t in toks {
            let id = *vocab_id.entry(t.clone()).or_insert_with(|| {
                vocab.push(t.clone());
                counts.push(vec![0; n_classes]);
                vocab.len() - 1
            });
            counts[id][*c] += 1;
            word_count[*c] += 1;
        }
    }
    if vocab.is_empty() {
        return Err(CoreError::empty("training documents (no words)"));
    }
    let v = vocab.len() as i64;
    let n_docs = cfg.documents.len() as i64;

    let overflow = || CoreError::invalid("numbers", "too large for exact fractions");
    let kv = k.checked_mul(Ratio::from_int(v)).ok_or_else(overflow)?;
    let mut class_summaries = Vec::with_capacity(n_classes);
    let mut dens = Vec::with_capacity(n_classes);
    for c in 0..n_classes {
        let den = Ratio::from_int(word_count[c] as i64)
            .checked_add(kv)
            .ok_or_else(overflow)?;
        if den.is_zero() {
            return Err(CoreError::invalid(
                format!("class \"{}\"", classes[c]),
                "its documents contain no words, so P(w | c) = 0/0; add words or turn on smoothing",
            ));
        }
        dens.push(den);
        let prior = Fraction::new(
            Ratio::from_int(class_docs[c] as i64),
            Ratio::from_int(n_docs),
        )
        .ok_or_else(overflow)?;
        let denominator = if cfg.smoothing {
            format!(
                "{} + {}×{} = {}",
                word_count[c],
                super::ratio::decimal_text(k),
                v,
                super::ratio::decimal_text(den)
            )
        } else {
            word_count[c].to_string()
        };
        class_summaries.push(ClassSummary {
            name: classes[c].clone(),
            documents: class_docs[c],
            prior,
            word_count: word_count[c],
            denominator,
        });
    }
    let prob = |id: usize, c: usize| -> Result<Fraction> {
        let num = Ratio::from_int(counts[id][c] as i64)
            .checked_add(k)
            .ok_or_else(overflow)?;
        Fraction::new(num, dens[c]).ok_or_else(overflow)
    };
    let mut table = Vec::with_capacity(vocab.len());
    for (id, w) in vocab.iter().enumerate() {
        table.push(WordRow {
            word: w.clone(),
            counts: counts[id].clone(),
            probs: (0..n_classes)
                .map(|c| prob(id, c))
                .collect::<Result<Vec<_>>>()?,
        });
    }

    // Score the test document.
    let test_tokens = words(&cfg.test_document, &tok);
    let mut kept = Vec::new();
    let mut ignored = Vec::new();
    for t in &test_tokens {
        match vocab_id.get(t) {
            Some(&id) => kept.push((t.clone(), id)),
            None => ignored.push(t.clone()),
        }
    }
    let mut scores = Vec::with_capacity(n_classes);
    let mut exact = true;
    for c in 0..n_classes {
        let prior = class_summaries[c].prior.clone();
        let mut expression = prior.unreduced.clone();
        let mut product = Some(prior.reduced);
        let mut log = prior.reduced.ln();
        let mut factors = Vec::with_capacity(kept.len());
        let mut zero_words = Vec::new();
        for (w, id) in &kept {
            let f = prob(*id, c)?;
            expression.push_str(" × ");
            expression.push_str(&f.unreduced);
            product = product.and_then(|p| p.checked_mul(f.reduced));
            log += f.reduced.ln();
            if f.reduced.is_zero() {
                zero_words.push(w.clone());
            }
            factors.push(f);
        }
        if !zero_words.is_empty() {
            // The exact product is 0 even if an intermediate step overflowed.
            product = Some(Ratio::ZERO);
        }
        exact &= product.is_some();
        scores.push(ClassScore {
            class: classes[c].clone(),
            factors,
            expression,
            product,
            log_product: if log == f64::NEG_INFINITY {
                None
            } else {
                Some(log)
            },
            zero_words,
        });
    }

    let mut notes = Vec::new();
    if !ignored.is_empty() {
        notes.push(format!(
            "Words never seen in training are left out of the product: {}.",
            ignored.join(", ")
        ));
    }
    if !exact {
        notes.push(
            "The exact fractions grew beyond 128-bit integers, so the products are compared as \
             log-probabilities (ln P(c) + Σ ln P(w|c))."
                .to_string(),
        );
    }
    for s in &scores {
        if !s.zero_words.is_empty() {
            notes.push(format!(
                "P(d | {}) = 0 because {} never appear(s) in class {} — the zero-probability \
                 problem; add-k smoothing gives unseen words a small probability.",
                s.class,
                s.zero_words.join(", "),
                s.class
            ));
        }
    }

    // Posteriors: exact if possible, else from logs.
    let logs: Vec<f64> = scores
        .iter()
        .map(|s| s.log_product.unwrap_or(f64::NEG_INFINITY))
        .collect();
    let max_log = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let all_zero = max_log == f64::NEG_INFINITY;
    let mut exact_posteriors = None;
    if exact && !all_zero {
        let mut sum = Some(Ratio::ZERO);
        for s in &scores {
            sum = match (sum, s.product) {
                (Some(a), Some(b)) => a.checked_add(b),
                _ => None,
            };
        }
        if let Some(sum) = sum {
            exact_posteriors = scores
                .iter()
                .map(|s| s.product.and_then(|p| p.checked_div(sum)))
                .collect::<Option<Vec<_>>>();
        }
    }
    let posteriors = if all_zero {
        None
    } else if let Some(ep) = &exact_posteriors {
        Some(ep.iter().map(|r| r.to_f64()).collect())
    } else {
        let z: f64 = logs.iter().map(|l| (l - max_log).exp()).sum();
        Some(logs.iter().map(|l| (l - max_log).exp() / z).collect())
    };

    // Decision: exact comparison when possible, else logs.
    let decision = if all_zero {
        notes.push(
            "Every class has probability 0, so there is no decision; turn on smoothing.".into(),
        );
        None
    } else {
        let best = best_class(&scores, &logs);
        match best {
            Some(c) => Some(classes[c].clone()),
            None => {
                notes.push("Two or more classes tie for the highest probability.".into());
                None
            }
        }
    };

    Ok(NaiveBayesReport {
        classes: class_summaries,
        vocabulary: vocab,
        table,
        test_tokens,
        ignored_words: ignored,
        smoothing: cfg.smoothing,
        k,
        scores,
        exact,
        posteriors,
        exact_posteriors,
        decision,
        notes,
    })
}

/// The unique best class; `None` on a tie.
fn best_class(scores: &[ClassScore], logs: &[f64]) -> Option<usize> {
    let mut best = 0usize;
    let mut tie = false;
    for c in 1..scores.len() {
        let ord = match (scores[c].product, scores[best].product) {
            (Some(a), Some(b)) => a.checked_cmp(b),
            _ => None,
        }
        .or_else(|| logs[c].partial_cmp(&logs[best]))
        .unwrap_or(std::cmp::Ordering::Equal);
        match ord {
            std::cmp::Ordering::Greater => {
                best = c;
                tie = false;
            }
            std::cmp::Ordering::Equal => tie = true,
            std::cmp::Ordering::Less => {}
        }
    }
    if tie {
        None
    } else {
        Some(best)
    }
}
