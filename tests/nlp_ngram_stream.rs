//! The n-gram model counted in pieces (what the browser does between animation frames) is the
//! model counted in one go; a model counted up to n = 5 answers like one counted with a lower n;
//! `Boundaries::Text` keeps every character of the text; `split_chars` is the RNN trainer's split.
//!
//! The oracle for tokenisation is the previous one-shot `sequences` implementation, copied here
//! verbatim from the commit before the splitter was introduced (its behaviour is what the
//! hand-checked tests in `nlp_ngram.rs` were written against).

use rnn_lab::core::nlp::ngram::{
    piece_end, sequences, split_chars, split_lines, Boundaries, NgramConfig, NgramModel,
    NgramTrainer, NgramUnit, SequenceSink, SequenceSplitter, TrainPhase,
};
use rnn_lab::core::nlp::tokenize::{
    chars, is_punctuation, is_sentence_end, words, TokenizerConfig,
};
use rnn_lab::core::train::data::{Corpus, TokenKind};

/// The one-shot tokeniser as it was (oracle).
fn old_sequences(text: &str, cfg: &NgramConfig) -> Vec<Vec<String>> {
    let tok = |s: &str| -> Vec<String> {
        match cfg.unit {
            NgramUnit::Word => words(
                s,
                &TokenizerConfig {
                    lowercase: cfg.lowercase,
                    keep_punctuation: cfg.keep_punctuation
                        || cfg.boundaries == Boundaries::Sentences,
                },
            ),
            NgramUnit::Char => {
                let mut c = chars(s, cfg.lowercase);
                while c.first().is_some_and(|t| t == " ") {
                    c.remove(0);
                }
                while c.last().is_some_and(|t| t == " ") {
                    c.pop();
                }
                c
            }
        }
    };
    let mut out = Vec::new();
    match cfg.boundaries {
        Boundaries::Lines => {
            for line in text.lines() {
                let t = tok(line);
                if !t.is_empty() {
                    out.push(t);
                }
            }
        }
        Boundaries::None => {
            let t = tok(&text.replace(['\n', '\r'], " "));
            if !t.is_empty() {
                out.push(t);
            }
        }
        Boundaries::Sentences => {
            let all = tok(&text.replace(['\n', '\r'], " "));
            let mut cur: Vec<String> = Vec::new();
            for t in all {
                let end = is_sentence_end(&t);
                if !(cfg.unit == NgramUnit::Char && cur.is_empty() && t == " ") {
                    cur.push(t);
                }
                if end {
                    out.push(std::mem::take(&mut cur));
                }
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            if cfg.unit == NgramUnit::Word && !cfg.keep_punctuation {
                for s in &mut out {
                    s.retain(|t| !is_punctuation(t));
                }
                out.retain(|s| !s.is_empty());
            }
        }
        Boundaries::Text => unreachable!("not in the old tokeniser"),
    }
    out
}

#[derive(Default)]
struct Collect(Vec<Vec<String>>, Vec<String>);

impl SequenceSink for Collect {
    fn token(&mut self, t: String) {
        self.1.push(t);
    }
    fn end(&mut self) {
        self.0.push(std::mem::take(&mut self.1));
    }
}

/// Feeds `text` to a splitter in pieces of about `size` bytes cut by `piece_end`.
fn in_pieces(text: &str, cfg: &NgramConfig, size: usize) -> Vec<Vec<String>> {
    let mut s = SequenceSplitter::new(cfg);
    let mut out = Collect::default();
    let mut pos = 0;
    while pos < text.len() {
        let end = piece_end(text, pos, size);
        assert!(end > pos, "no progress at {pos}");
        s.feed(&text[pos..end], &mut out);
        pos = end;
    }
    s.finish(&mut out);
    assert!(out.1.is_empty(), "tokens left after finish");
    out.0
}

const AWKWARD: &[&str] = &[
    "",
    "\n\n",
    "   ",
    "I like deep learning. I like NLP. I enjoy flying.",
    "  Hello,  world!  \n\n  How are you?  I'm fine.\r\nOK  ",
    "학생들이 책을 폈다.\n학생들이 시험지를 폈다!\n오늘 수업에 늦었다   ",
    "no end mark\nsecond line . \n  third  ",
    "...\n!!!\n",
    "a\tb  c\n\n\nd. e? f! g",
    "The students' books, they don't 공부해요!\n",
];

fn configs() -> Vec<NgramConfig> {
    let mut out = Vec::new();
    for unit in [NgramUnit::Word, NgramUnit::Char] {
        for boundaries in [Boundaries::Lines, Boundaries::Sentences, Boundaries::None] {
            for keep_punctuation in [true, false] {
                for lowercase in [true, false] {
                    out.push(NgramConfig {
                        unit,
                        boundaries,
                        keep_punctuation,
                        lowercase,
                        ..Default::default()
                    });
                }
            }
        }
    }
    out
}

#[test]
fn the_splitter_cuts_like_the_old_one_shot_tokeniser_whatever_the_pieces() {
    let shakespeare = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap();
    let excerpt: String = shakespeare.chars().take(6000).collect();
    let mut texts: Vec<String> = AWKWARD.iter().map(|s| s.to_string()).collect();
    texts.push(excerpt);
    for cfg in configs() {
        for text in &texts {
            let want = old_sequences(text, &cfg);
            assert_eq!(sequences(text, &cfg), want, "{cfg:?} on {text:?}");
            for size in [1, 7, 64, 1000] {
                assert_eq!(
                    in_pieces(text, &cfg, size),
                    want,
                    "{cfg:?}, pieces of {size} bytes, on {:?}",
                    &text[..text.len().min(60)]
                );
            }
        }
    }
}

#[test]
fn piece_end_cuts_after_line_breaks_and_never_inside_a_character() {
    let t = "ab\ncd\n한국어\nz";
    assert_eq!(piece_end(t, 0, 4), 3); // "ab\n"
    assert_eq!(piece_end(t, 3, 4), 6); // "cd\n"
                                       // A window ending inside 한 (3 bytes) with no line break in it extends to the next one.
    assert_eq!(piece_end(t, 6, 2), 16);
    assert_eq!(piece_end(t, 16, 100), t.len());
    assert_eq!(piece_end(t, t.len(), 5), t.len());
    assert_eq!(piece_end("no breaks at all", 0, 3), 16);
}

#[test]
fn text_boundaries_keep_every_character_including_line_breaks() {
    let cfg = NgramConfig {
        unit: NgramUnit::Char,
        boundaries: Boundaries::Text,
        lowercase: false,
        ..Default::default()
    };
    let text = " Ab\r\n\n 한 \n";
    let s = sequences(text, &cfg);
    // One sequence, nothing trimmed, \r dropped (a control character), \n kept.
    let want: Vec<&str> = vec![" ", "A", "b", "\n", "\n", " ", "한", " ", "\n"];
    assert_eq!(
        s,
        vec![want.iter().map(|x| x.to_string()).collect::<Vec<_>>()]
    );
    for size in [1, 3, 100] {
        assert_eq!(in_pieces(text, &cfg, size), s);
    }
    // Words: line breaks are tokens too.
    let w = NgramConfig {
        boundaries: Boundaries::Text,
        ..Default::default()
    };
    assert_eq!(
        sequences("I like NLP\n\nI enjoy flying", &w),
        vec![vec!["i", "like", "nlp", "\n", "\n", "i", "enjoy", "flying"]]
    );
    // A character model over Text sequences predicts every character once, plus </s>:
    // "ab\nab\n" has 6 characters → 7 predicted tokens; c(b, \n) = 2.
    let m = NgramModel::train(
        "ab\nab\n",
        &NgramConfig {
            n: 2,
            ..cfg.clone()
        },
    )
    .unwrap();
    assert_eq!(m.training_tokens(), 7);
    assert_eq!(m.count(&["b", "\n"]), 2);
    assert_eq!(m.count(&["\n", "a"]), 1);
}

/// Everything a widget reads from a model, for comparing two models.
fn fingerprint(m: &NgramModel, heldout: &str, contexts: &[&str]) -> String {
    let mut out = format!(
        "V={} N={} distinct={:?}\n",
        m.vocab_size(),
        m.training_tokens(),
        m.distinct_ngrams()
    );
    out += &format!("pp={:?}\n", m.perplexity(heldout).unwrap());
    out += &format!("sparsity={:?}\n", m.sparsity(heldout).unwrap());
    for c in contexts {
        out += &format!(
            "{c}: {:?}\n",
            m.conditional(c, 50).map(|t| (t.rows, t.other, t.notes))
        );
        out += &format!("gen: {:?}\n", m.generate(c, 30, 7).unwrap());
    }
    out
}

#[test]
fn counting_in_small_steps_gives_the_same_model_as_counting_in_one_go() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap();
    let text: String = text.chars().take(40_000).collect();
    let (train, heldout) = split_lines(&text, 0.1).unwrap();
    for cfg in [
        NgramConfig {
            n: 3,
            ..Default::default()
        },
        NgramConfig {
            n: 4,
            unit: NgramUnit::Char,
            boundaries: Boundaries::Text,
            lowercase: false,
            k: 0.5,
            ..Default::default()
        },
        NgramConfig {
            n: 2,
            boundaries: Boundaries::Sentences,
            keep_punctuation: false,
            min_count: 2,
            ..Default::default()
        },
    ] {
        let whole = NgramModel::train(&train, &cfg).unwrap();
        let mut t = NgramTrainer::new(train.clone(), &cfg).unwrap();
        let mut last = -1.0;
        let mut phases = Vec::new();
        loop {
            let p = t.step(997).unwrap();
            assert!(p.fraction >= last && p.fraction <= 1.0, "{p:?}");
            last = p.fraction;
            if phases.last() != Some(&p.phase) {
                phases.push(p.phase);
            }
            if p.phase == TrainPhase::Done {
                assert_eq!(p.fraction, 1.0);
                assert_eq!(p.tokens_done, p.tokens_total);
                break;
            }
        }
        assert_eq!(
            phases,
            [
                TrainPhase::Tokenizing,
                TrainPhase::Counting,
                TrainPhase::Done
            ]
        );
        let stepped = t.into_model().unwrap();
        let ctx = ["the king", "first citizen", "", "zzz qqq"];
        assert_eq!(
            fingerprint(&stepped, &heldout, &ctx),
            fingerprint(&whole, &heldout, &ctx),
            "{cfg:?}"
        );
    }
}

#[test]
fn a_model_counted_to_five_answers_like_one_counted_to_n() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap();
    let text: String = text.chars().take(30_000).collect();
    let (train, heldout) = split_lines(&text, 0.1).unwrap();
    for unit in [NgramUnit::Word, NgramUnit::Char] {
        let mut five = NgramModel::train(
            &train,
            &NgramConfig {
                n: 5,
                unit,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(five.max_order(), 5);
        for n in 1..=5 {
            for (k, backoff) in [(0.0, true), (0.0, false), (0.1, true), (1.0, false)] {
                let direct = NgramModel::train(
                    &train,
                    &NgramConfig {
                        n,
                        k,
                        backoff,
                        unit,
                        ..Default::default()
                    },
                )
                .unwrap();
                five.set_query(n, k, backoff).unwrap();
                let ctx = ["the king", "to be or", "", "th"];
                assert_eq!(
                    fingerprint(&five, &heldout, &ctx),
                    fingerprint(&direct, &heldout, &ctx),
                    "{unit:?} n={n} k={k} backoff={backoff}"
                );
            }
        }
        // Asking for more than was counted, or bad values, is a clear error and changes nothing.
        five.set_query(2, 0.0, true).unwrap();
        let too_high = NgramModel::train(
            "a b",
            &NgramConfig {
                n: 2,
                ..Default::default()
            },
        )
        .unwrap()
        .set_query(3, 0.0, true)
        .unwrap_err()
        .to_string();
        assert!(too_high.contains("up to n = 2"), "{too_high}");
        assert!(five.set_query(0, 0.0, true).is_err());
        assert!(five.set_query(2, f64::NAN, true).is_err());
        assert_eq!(five.config().n, 2);
    }
}

#[test]
fn split_chars_is_the_split_of_the_rnn_trainer() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/tinyshakespeare.txt"),
    )
    .unwrap();
    let (train, held) = split_chars(&text, 0.1).unwrap();
    assert_eq!(format!("{train}{held}"), text);
    // 1,115,394 characters (all ASCII): ⌊111,539.4⌋ = 111,539 held out.
    assert_eq!(held.chars().count(), 111_539);
    let corpus = Corpus::build(&text, TokenKind::Char, 256, 0.1, 1000).unwrap();
    assert_eq!(corpus.vocab.decode(&corpus.heldout), held);
    assert_eq!(corpus.vocab.decode(&corpus.train), train);
    // Hangul counts as one character each: "가나다라마바사아자차" (10) → 1 held out.
    let (a, b) = split_chars("가나다라마바사아자차", 0.1).unwrap();
    assert_eq!((a.as_str(), b.as_str()), ("가나다라마바사아자", "차"));
    assert!(split_chars("abc", 0.1).is_err()); // ⌊0.3⌋ = 0 characters to hold out
    assert!(split_chars("abcdef", 0.9).is_err());
    assert!(split_chars("abcdef", f64::NAN).is_err());
}

#[test]
fn trainer_errors_are_clear() {
    let e = NgramTrainer::new("   \n ".into(), &NgramConfig::default())
        .unwrap()
        .run()
        .unwrap_err()
        .to_string();
    assert!(e.contains("no tokens"), "{e}");
    assert!(NgramTrainer::new(
        "a".into(),
        &NgramConfig {
            n: 9,
            ..Default::default()
        }
    )
    .is_err());
}
