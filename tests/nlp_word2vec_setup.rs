//! Word2Vec prepared in small steps (what the browser does with War and Peace between animation
//! frames) is the model prepared in one go, and its vocabulary is the one `Vocab::build` gives for
//! the same tokens (the construction used before the set-up was chunked).

use rnn_lab::core::nlp::tokenize::{is_punctuation, sentences, words, TokenizerConfig};
use rnn_lab::core::nlp::vocab::{Vocab, VocabOrder};
use rnn_lab::core::nlp::word2vec::{OutputLayer, Word2Vec, Word2VecConfig, Word2VecSetup};

fn shakespeare(chars: usize) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap()
    .chars()
    .take(chars)
    .collect()
}

/// The vocabulary as `with_corpus` built it before: all tokens, sentences cut, punctuation
/// dropped, `Vocab::build` by frequency (first appearance for ≤ 50 tokens), then pruned.
fn oracle_vocab(cfg: &Word2VecConfig, text: &str) -> Vocab {
    let tok = TokenizerConfig {
        lowercase: cfg.lowercase,
        keep_punctuation: true,
    };
    let toks: Vec<String> = sentences(&words(text, &tok))
        .into_iter()
        .flatten()
        .filter(|t| cfg.keep_punctuation || !is_punctuation(t))
        .collect();
    let order = if toks.len() <= 50 {
        VocabOrder::FirstSeen
    } else {
        VocabOrder::Frequency
    };
    let full = Vocab::build(toks.iter().map(|s| s.as_str()), &order).unwrap();
    if full.len() > cfg.max_vocab || cfg.min_count > 1 {
        full.pruned(cfg.min_count, cfg.max_vocab).unwrap()
    } else {
        full
    }
}

#[test]
fn stepped_set_up_equals_one_go_and_the_vocabulary_is_unchanged() {
    let text = shakespeare(20_000);
    for cfg in [
        Word2VecConfig {
            lowercase: true,
            output: OutputLayer::NegativeSampling,
            dim: 8,
            window: 2,
            max_vocab: 300,
            min_count: 2,
            subsample: 1e-3,
            seed: 3,
            ..Default::default()
        },
        Word2VecConfig {
            keep_punctuation: true,
            dim: 4,
            ..Default::default()
        },
    ] {
        let whole = Word2Vec::<f64>::with_corpus(&cfg, &text).unwrap();
        let mut setup = Word2VecSetup::new(&cfg, text.clone()).unwrap();
        let mut last = 0.0;
        while !setup.is_done() {
            let p = setup.step(333).unwrap();
            assert!(p.fraction >= last && p.fraction <= 1.0);
            last = p.fraction;
        }
        assert_eq!(last, 1.0);
        let mut stepped: Word2Vec<f64> = setup.finish().unwrap();
        let want = oracle_vocab(&cfg, &text);
        assert_eq!(stepped.vocab().tokens(), want.tokens());
        assert_eq!(stepped.vocab().counts(), want.counts());
        assert_eq!(whole.vocab().tokens(), want.tokens());
        assert_eq!(stepped.examples().unwrap(), whole.examples().unwrap());
        // Same seed, same corpus: training follows the same path.
        let mut whole = whole;
        whole.train_steps(500);
        stepped.train_steps(500);
        assert_eq!(stepped.w1t(), whole.w1t());
        assert_eq!(stepped.history(), whole.history());
    }
}

#[test]
fn the_toy_keeps_the_lecture_order_and_bad_corpora_are_clear_errors() {
    let m = Word2Vec::<f64>::new(&Word2VecConfig::default()).unwrap();
    assert_eq!(m.vocab().tokens(), &["I", "study", "math"]);
    let e = |t: &str| {
        Word2Vec::<f64>::with_corpus(&Word2VecConfig::default(), t)
            .unwrap_err()
            .to_string()
    };
    assert!(e(" \n ").contains("no words"), "{}", e(" \n "));
    assert!(e("...").contains("no words"));
    assert!(e("one. two. three.").contains("training pairs"));
}
