//! The character-RNN scorer: the windowed, stepped cross-entropy equals the one computed token by
//! token with the sampling `Generator` (an independent code path: one `feed` per character and the
//! softmax of its logits), whatever the window and the step sizes; the shipped tiny-shakespeare
//! LSTM scores its own held-out text as the trainer reported when it saved the model.

use rnn_lab::core::nlp::ngram::split_chars;
use rnn_lab::core::nlp::rnn_lm::CharLmScorer;
use rnn_lab::core::rnn::format::{from_json, ModelFile, Tokens};
use rnn_lab::core::rnn::model::{InitSpec, Model, ModelSpec};
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::sample::Generator;

/// −(1/N) Σ log softmax(logits after x_t)[x_{t+1}], one character at a time.
fn by_generator<F: rnn_lab::core::real::Real>(file: &ModelFile<F>, text: &str) -> f64 {
    let list = &file.tokens.as_ref().unwrap().list;
    let ids: Vec<usize> = text
        .chars()
        .map(|c| list.iter().position(|t| *t == c.to_string()).unwrap())
        .collect();
    let mut g = Generator::new(&file.model);
    let mut sum = 0.0;
    for w in ids.windows(2) {
        g.feed(&file.model, w[0]).unwrap();
        let p = g.distribution(1.0).unwrap();
        sum -= p[w[1]].f64().ln();
    }
    sum / (ids.len() - 1) as f64
}

fn toy(cell: CellKind) -> ModelFile<f64> {
    let list: Vec<String> = ["a", "b", "c", " ", "\n", "한"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let spec = ModelSpec {
        cell,
        input_size: list.len(),
        hidden: 7,
        layers: 2,
        vocab: list.len(),
        ..Default::default()
    };
    ModelFile {
        model: Model::init(&spec, &InitSpec::default(), 5).unwrap(),
        tokens: Some(Tokens {
            kind: "char".into(),
            list,
        }),
        meta: None,
    }
}

#[test]
fn windows_and_steps_do_not_change_the_score() {
    let text = "abc a\nb한 cab\n\n한 한한 abcabc\n a b c ";
    for cell in [CellKind::Lstm, CellKind::Gru, CellKind::Rnn] {
        let file = toy(cell);
        let want = by_generator(&file, text);
        for (window, step) in [(1, 1), (3, 2), (7, 5), (100, 1), (1000, 1000)] {
            let mut s = CharLmScorer::new(&file, text, window).unwrap();
            let mut last = 0;
            while !s.is_done() {
                let sc = s.step(step).unwrap();
                assert!(sc.predicted > last);
                last = sc.predicted;
            }
            let sc = s.score();
            assert_eq!(sc.total, text.chars().count() - 1);
            assert_eq!(sc.predicted, sc.total);
            assert_eq!(sc.fraction, 1.0);
            let j = sc.nats_per_char.unwrap();
            assert!(
                (j - want).abs() < 1e-12,
                "{cell:?} w={window}: {j} vs {want}"
            );
            assert!((sc.perplexity.unwrap() - want.exp()).abs() < 1e-12);
            assert!((sc.bits_per_char.unwrap() - want / std::f64::consts::LN_2).abs() < 1e-12);
        }
    }
}

#[test]
fn bad_inputs_are_clear_errors() {
    let file = toy(CellKind::Lstm);
    let e = |t: &str, w: usize| CharLmScorer::new(&file, t, w).err().unwrap().to_string();
    assert!(
        e("abz", 10).contains("character 3 ('z')"),
        "{}",
        e("abz", 10)
    );
    assert!(e("a", 10).contains("two characters"));
    assert!(e("", 10).contains("two characters"));
    assert!(e("ab", 0).contains("window"));
    let mut no_tokens = toy(CellKind::Gru);
    no_tokens.tokens = None;
    assert!(CharLmScorer::new(&no_tokens, "ab", 5).is_err());
    let mut words = toy(CellKind::Gru);
    words.tokens.as_mut().unwrap().kind = "word".into();
    assert!(CharLmScorer::new(&words, "ab", 5).is_err());
}

#[test]
fn the_shipped_lstm_scores_its_held_out_text_like_the_generator() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = from_json::<f32>(
        &std::fs::read_to_string(root.join("data/models/shakespeare-char-lstm.json")).unwrap(),
    )
    .unwrap();
    let text = std::fs::read_to_string(root.join("data/corpora/tinyshakespeare.txt")).unwrap();
    let (_, held) = split_chars(&text, 0.1).unwrap();
    let prefix: String = held.chars().take(400).collect();
    let mut s = CharLmScorer::new(&file, &prefix, 100).unwrap();
    let j = s.step(usize::MAX).unwrap().nats_per_char.unwrap();
    let want = by_generator(&file, &prefix);
    // f32 arithmetic along two different loops: agreement to float precision.
    assert!((j - want).abs() < 1e-4, "{j} vs {want}");
    // The model file says 1.562 nats/char over all 111,539 held-out characters; a 400-character
    // prefix is a sample of the same text, so it lands near it (well below the unigram's ~3.3).
    assert!(j > 1.0 && j < 2.3, "{j}");
}
