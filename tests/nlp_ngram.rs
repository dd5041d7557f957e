//! n-gram language models on a hand-checked corpus.
//!
//! Corpus (Jurafsky and Martin, SLP3 §3.1), one sequence per line, case kept:
//!
//! ```text
//! I am Sam
//! Sam I am
//! I do not like green eggs and ham
//! ```
//!
//! Bigram counts by hand (each line padded as <s> … </s>):
//! c(<s>) = 3: <s> I 2, <s> Sam 1 → P(I | <s>) = 2/3, P(Sam | <s>) = 1/3 (SLP3: .67, .33).
//! c(I) = 3: I am 2, I do 1 → P(am | I) = 2/3, P(do | I) = 1/3 (SLP3: .67, .33).
//! c(Sam) = 2: Sam </s> 1, Sam I 1 → P(</s> | Sam) = 1/2 (SLP3: 0.5).
//! c(am) = 2: am Sam 1, am </s> 1 → P(Sam | am) = 1/2 (SLP3: .5).
//! Unigrams: I 3, am 2, Sam 2, </s> 3, and 7 words once: N = 17 predicted tokens, 11 distinct.
//! Distinct bigrams: <s> I, <s> Sam, I am, am Sam, Sam </s>, Sam I, am </s>, I do, do not, not like,
//! like green, green eggs, eggs and, and ham, ham </s> = 15.
//! V = 10 words + </s> + <unk> = 12. Add-1: P(am | I) = (2 + 1)/(3 + 12) = 1/5.
//! Perplexity of "I am Sam": P = 2/3 · 2/3 · 1/2 · 1/2 = 1/9 over 4 tokens → 9^(1/4) = √3.

use rnn_lab::core::nlp::ngram::{
    lecture_preset, split_lines, Boundaries, ConditionalTable, NgramConfig, NgramModel, NgramUnit,
};

const SAM: &str = "I am Sam\nSam I am\nI do not like green eggs and ham\n";

fn sam(n: usize, k: f64, backoff: bool) -> NgramModel {
    NgramModel::train(
        SAM,
        &NgramConfig {
            n,
            k,
            backoff,
            lowercase: false,
            ..Default::default()
        },
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn hand_checked_bigram_counts_and_probabilities() {
    let m = sam(2, 0.0, false);
    assert_eq!(m.vocab_size(), 12);
    assert_eq!(m.training_tokens(), 17);
    assert_eq!(m.distinct_ngrams(), vec![11, 15]);
    assert_eq!(m.count(&["<s>", "I"]), 2);
    assert_eq!(m.count(&["I", "am"]), 2);
    assert_eq!(m.count(&["I"]), 3);
    assert_eq!(m.count(&["</s>"]), 3);
    assert_eq!(m.count(&["green", "ham"]), 0);
    let p = |ctx: &str, w: &str| m.prob(&[ctx], w).unwrap();
    assert!(close(p("<s>", "I"), 2.0 / 3.0));
    assert!(close(p("<s>", "Sam"), 1.0 / 3.0));
    assert!(close(p("I", "am"), 2.0 / 3.0));
    assert!(close(p("I", "do"), 1.0 / 3.0));
    assert!(close(p("Sam", "</s>"), 0.5));
    assert!(close(p("am", "Sam"), 0.5));
    assert_eq!(p("I", "ham"), 0.0);
    let t = m.conditional("I", 10).unwrap();
    assert_eq!(t.context_count, 3);
    assert_eq!(t.rows[0].word, "am");
    assert_eq!(t.rows[0].fraction, "2/3");
    assert_eq!(t.rows[1].fraction, "1/3");
    assert!(t.other.is_none());
    // Add-1.
    let s = sam(2, 1.0, false);
    assert!(close(s.prob(&["I"], "am").unwrap(), 0.2));
    assert!(close(s.prob(&["I"], "ham").unwrap(), 1.0 / 15.0));
    assert_eq!(
        s.conditional("I", 1).unwrap().rows[0].fraction,
        "(2 + 1)/(3 + 1×12)"
    );
}

#[test]
fn trigram_counts_and_backoff() {
    let m = sam(3, 0.0, true);
    assert_eq!(m.count(&["<s>", "<s>", "I"]), 2);
    assert_eq!(m.count(&["I", "am", "Sam"]), 1);
    assert_eq!(m.count(&["I", "am", "</s>"]), 1);
    assert!(close(m.prob(&["green", "eggs"], "and").unwrap(), 1.0));
    // "Sam Sam" was never a context: back off to "Sam" (bigram): </s> 1/2, I 1/2.
    assert!(close(m.prob(&["Sam", "Sam"], "I").unwrap(), 0.5));
    let t = m.conditional("Sam Sam", 10).unwrap();
    assert!(t.backed_off);
    assert_eq!(t.context, vec!["Sam"]);
    assert_eq!(t.order_used, 2);
    assert!(t.notes[0].contains("backs off"));
    // An unknown word in the context: "<unk> Sam" is unseen, back off to "Sam".
    assert!(close(m.prob(&["zebra", "Sam"], "I").unwrap(), 0.5));
    // Both context words unknown: back off to the unigram distribution: P(I) = 3/17.
    assert!(close(m.prob(&["zebra", "yak"], "I").unwrap(), 3.0 / 17.0));
    // Without backoff and smoothing the unseen context has no distribution.
    let nb = sam(3, 0.0, false);
    assert_eq!(nb.prob(&["Sam", "Sam"], "I"), None);
    assert!(nb
        .conditional("Sam Sam", 10)
        .unwrap_err()
        .to_string()
        .contains("never seen"));
    // With add-k and no backoff it is uniform: 1/12.
    let u = sam(3, 0.5, false);
    assert!(close(u.prob(&["Sam", "Sam"], "I").unwrap(), 1.0 / 12.0));
}

#[test]
fn every_distribution_sums_to_one() {
    let contexts: [&[&str]; 6] = [
        &["<s>", "<s>"],
        &["I", "am"],
        &["Sam", "Sam"],
        &["zebra", "yak"],
        &["do", "not"],
        &["am"],
    ];
    for (k, backoff) in [(0.0, true), (1.0, true), (0.01, false), (1.0, false)] {
        let m = sam(3, k, backoff);
        for ctx in contexts {
            if let Some(d) = m.distribution(ctx) {
                assert_eq!(d.len(), 12);
                let s: f64 = d.iter().map(|p| p.1).sum();
                assert!(
                    (s - 1.0).abs() < 1e-12,
                    "k={k} backoff={backoff} {ctx:?}: Σ = {s}"
                );
            } else {
                assert!(k == 0.0 && !backoff);
            }
        }
    }
    // Character model on Hangul.
    let c = NgramModel::train(
        "학생들이 책을 폈다\n학생들이 시험지를 폈다",
        &NgramConfig {
            n: 3,
            unit: NgramUnit::Char,
            k: 0.1,
            ..Default::default()
        },
    )
    .unwrap();
    let d = c.distribution(&["학", "생"]).unwrap();
    assert!((d.iter().map(|p| p.1).sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn perplexity_by_hand_and_uniform_model() {
    let m = sam(2, 0.0, false);
    let r = m.perplexity("I am Sam").unwrap();
    assert_eq!(r.tokens, 4);
    assert!((r.perplexity.unwrap() - 3f64.sqrt()).abs() < 1e-12);
    assert!((r.log_likelihood - (1.0f64 / 9.0).ln()).abs() < 1e-12);
    // An unseen bigram ("Sam am") makes the perplexity infinite without smoothing.
    let inf = m.perplexity("Sam am").unwrap();
    assert_eq!(inf.perplexity, None);
    assert_eq!(inf.zero_probability, 1);
    assert!(inf.note.unwrap().contains("infinite"));

    // Uniform model: unigram over "a b c" without <unk>: V = {a, b, c, </s>}, each 1/4.
    // Perplexity of any text over V = |V| = 4.
    let u = NgramModel::train(
        "a b c",
        &NgramConfig {
            n: 1,
            unk: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(u.vocab_size(), 4);
    let r = u.perplexity("c b a\nb").unwrap();
    assert_eq!(r.tokens, 6);
    assert!((r.perplexity.unwrap() - 4.0).abs() < 1e-12);
    assert!((r.bits_per_token.unwrap() - 2.0).abs() < 1e-12);
    // Unknown word without <unk>: probability 0.
    assert_eq!(u.perplexity("d").unwrap().perplexity, None);
    // With <unk> and add-1: V = 5, P(<unk>) = 1/9, P(</s>) = 2/9 → PP = (1/9 · 2/9)^(−1/2) = 9/√2.
    let k1 = NgramModel::train(
        "a b c",
        &NgramConfig {
            n: 1,
            k: 1.0,
            ..Default::default()
        },
    )
    .unwrap();
    let r = k1.perplexity("d").unwrap();
    assert_eq!(r.unknown, 1);
    assert!((r.perplexity.unwrap() - 9.0 / 2f64.sqrt()).abs() < 1e-12);
}

#[test]
fn lecture_preset_and_the_same_numbers_from_text() {
    let t = lecture_preset().unwrap();
    assert_eq!(t.context, vec!["students", "opened", "their"]);
    assert_eq!(t.context_count, 1000);
    assert_eq!(t.rows[0].word, "books");
    assert_eq!(t.rows[0].fraction, "400/1000");
    assert!(close(t.rows[0].prob, 0.4));
    assert_eq!(t.rows[1].fraction, "100/1000");
    assert!(close(t.rows[1].prob, 0.1));
    let (oc, op) = t.other.unwrap();
    assert_eq!(oc, 500);
    assert!(close(op, 0.5));
    // A corpus with the same proportions (÷100) gives the same table through the model.
    let mut text = String::new();
    for (w, k) in [("books", 4), ("exams", 1), ("minds", 5)] {
        for _ in 0..k {
            text.push_str(&format!("students opened their {w}\n"));
        }
    }
    let m = NgramModel::train(
        &text,
        &NgramConfig {
            n: 4,
            ..Default::default()
        },
    )
    .unwrap();
    let t = m.conditional("Students opened their", 10).unwrap();
    assert_eq!(t.context_count, 10);
    let p = |w: &str| t.rows.iter().find(|r| r.word == w).unwrap().prob;
    assert!(close(p("books"), 0.4) && close(p("exams"), 0.1) && close(p("minds"), 0.5));
    // Bad preset counts.
    assert!(ConditionalTable::from_counts(&[], 10, &[("a".into(), 11)], 0.0, None, 5).is_err());
    assert!(ConditionalTable::from_counts(&[], 0, &[], 0.0, None, 5).is_err());
    assert!(ConditionalTable::from_counts(&[], 10, &[], 1.0, None, 5).is_err());
}

#[test]
fn hangul_words_and_characters() {
    let text = "학생들이 책을 폈다\n학생들이 책을 폈다\n학생들이 시험지를 폈다";
    let w = NgramModel::train(
        text,
        &NgramConfig {
            n: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(close(w.prob(&["학생들이"], "책을").unwrap(), 2.0 / 3.0));
    assert!(close(w.prob(&["학생들이"], "시험지를").unwrap(), 1.0 / 3.0));
    let t = w.conditional("학생들이", 5).unwrap();
    assert_eq!(t.rows[0].word, "책을");
    let c = NgramModel::train(
        text,
        &NgramConfig {
            n: 2,
            unit: NgramUnit::Char,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(c.count(&["학", "생"]), 3);
    assert!(close(c.prob(&["학"], "생").unwrap(), 1.0));
    // 폈 is always followed by 다; 다 always ends the line.
    assert!(close(c.prob(&["다"], "</s>").unwrap(), 1.0));
    let g = c.generate("학", 20, 1).unwrap();
    assert!(g.text.starts_with("학생들이 "), "{}", g.text);
}

#[test]
fn generation_is_seeded_and_follows_the_counts() {
    // "a b" once: from <s> the only continuation is a, then b, then </s>.
    let m = NgramModel::train("a b", &NgramConfig::default()).unwrap();
    let g = m.generate("", 10, 0).unwrap();
    assert_eq!(g.tokens, vec!["a", "b"]);
    assert!(g.ended);
    let s = sam(2, 0.0, false);
    let a = s.generate("", 30, 42).unwrap();
    let b = s.generate("", 30, 42).unwrap();
    assert_eq!(a, b);
    // Every generated bigram exists in the training text (maximum likelihood never invents one).
    let mut prev = "<s>".to_string();
    for t in &a.tokens {
        assert!(s.count(&[prev.as_str(), t.as_str()]) > 0, "{prev} {t}");
        prev = t.clone();
    }
    assert!(s.generate("", 20_000, 0).is_err());
}

#[test]
fn sparsity_and_storage_by_hand() {
    // Train "a b c", held out "a b d" (n = 2). Held-out tokens a, b, d→<unk>, </s>.
    // Unigrams unseen: <unk> → 1/4. Bigrams unseen: (b, <unk>), (<unk>, </s>) → 2/4.
    let m = NgramModel::train(
        "a b c",
        &NgramConfig {
            n: 2,
            ..Default::default()
        },
    )
    .unwrap();
    let s = m.sparsity("a b d").unwrap();
    assert_eq!(
        (s[0].n, s[0].distinct, s[0].heldout, s[0].unseen),
        (1, 4, 4, 1)
    );
    assert_eq!((s[1].n, s[1].distinct, s[1].unseen), (2, 4, 2));
    assert!(close(s[1].unseen_share, 0.5));
}

#[test]
fn tiny_shakespeare_sparsity_grows_with_n() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap();
    let (train, heldout) = split_lines(&text, 0.1).unwrap();
    let m = NgramModel::train(
        &train,
        &NgramConfig {
            n: 5,
            ..Default::default()
        },
    )
    .unwrap();
    let s = m.sparsity(&heldout).unwrap();
    // A seen (m+1)-gram has a seen m-gram suffix, so the unseen share can only grow with n;
    // for real text it grows strictly, and most held-out 5-grams were never seen.
    for w in s.windows(2) {
        assert!(w[1].unseen > w[0].unseen, "{:?}", s);
        assert!(w[1].distinct > w[0].distinct, "{:?}", s);
    }
    assert!(s[4].unseen_share > 0.5, "{:?}", s);
    // Add-1 perplexity is finite; maximum likelihood with unseen events is not.
    let k = NgramModel::train(
        &train,
        &NgramConfig {
            n: 2,
            k: 1.0,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(k.perplexity(&heldout).unwrap().perplexity.is_some());
    let ml = NgramModel::train(
        &train,
        &NgramConfig {
            n: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(ml.perplexity(&heldout).unwrap().perplexity.is_none());
}

#[test]
fn boundaries_and_bad_inputs() {
    let cfg = NgramConfig {
        n: 2,
        boundaries: Boundaries::Sentences,
        lowercase: false,
        keep_punctuation: false,
        ..Default::default()
    };
    let m = NgramModel::train("I like NLP. I enjoy flying.", &cfg).unwrap();
    // Two sentences, punctuation removed after splitting: "NLP" ends a sentence.
    assert!(close(m.prob(&["NLP"], "</s>").unwrap(), 1.0));
    assert!(close(m.prob(&["<s>"], "I").unwrap(), 1.0));
    let e = |t: &str, c: NgramConfig| NgramModel::train(t, &c).unwrap_err().to_string();
    assert!(e("", NgramConfig::default()).contains("empty"));
    assert!(e(
        "...",
        NgramConfig {
            keep_punctuation: false,
            ..Default::default()
        }
    )
    .contains("empty"));
    assert!(e(
        "a",
        NgramConfig {
            n: 6,
            ..Default::default()
        }
    )
    .contains("n"));
    assert!(e(
        "a",
        NgramConfig {
            k: f64::NAN,
            ..Default::default()
        }
    )
    .contains("k"));
    assert!(sam(2, 0.0, true).perplexity("  \n ").is_err());
    assert!(split_lines("one line", 0.1).is_err());
    assert!(split_lines("a\nb", 1.5).is_err());
    let cfg: NgramConfig = serde_json::from_str(r#"{"n": 2, "unit": "char"}"#).unwrap();
    assert_eq!(cfg.unit, NgramUnit::Char);
    assert!(cfg.backoff);
}
