//! The shipped step-through models (trained by `examples/train_stepper_models.rs` on
//! `data/lecture/sentences.txt`) load, validate and predict what their corpus says: after "the
//! students opened their" the corpus continues with "books" 8 times out of 17, so that must be the
//! most probable next word; "늦잠을 자서 수업에" continues with "늦었다" 4 times out of 7.

use rnn_lab::core::rnn::format::{from_json, ModelFile};
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::stepper::{Stepper, StepperConfig, Weights};
use rnn_lab::core::train::data::TokenKind;

fn load(kind: &str, cell: CellKind) -> ModelFile<f64> {
    let path = format!(
        "{}/data/models/stepper-{kind}-{}.json",
        env!("CARGO_MANIFEST_DIR"),
        cell.name()
    );
    from_json(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn trained_word_models_predict_the_lecture_continuations() {
    for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
        let file = load("word", cell);
        let cfg = StepperConfig {
            cell,
            weights: Weights::Trained,
            ..Default::default()
        };
        let s = Stepper::new(cfg, Some(&file)).unwrap();
        let last = s.frame(s.len() - 1).unwrap();
        assert_eq!(last.top[0].token, "books", "{cell:?}: {:?}", last.top);
        let ko = StepperConfig {
            cell,
            text: "오늘 수업이 1교시인데 늦잠을 자서 수업에".into(),
            weights: Weights::Trained,
            ..Default::default()
        };
        let s = Stepper::new(ko, Some(&file)).unwrap();
        assert_eq!(
            s.frame(s.len() - 1).unwrap().top[0].token,
            "늦었다",
            "{cell:?}"
        );
        // Unknown words are read as <unk> and reported.
        let odd = StepperConfig {
            cell,
            text: "the zebras opened their".into(),
            weights: Weights::Trained,
            ..Default::default()
        };
        let s = Stepper::new(odd, Some(&file)).unwrap();
        assert_eq!(s.unknown_words(), &["zebras".to_string()]);
    }
}

#[test]
fn trained_char_models_continue_hello() {
    for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
        let file = load("char", cell);
        let cfg = StepperConfig {
            cell,
            text: "hell".into(),
            tokens: TokenKind::Char,
            weights: Weights::Trained,
            ..Default::default()
        };
        let s = Stepper::new(cfg, Some(&file)).unwrap();
        assert_eq!(s.frame(3).unwrap().top[0].token, "o", "{cell:?}");
        let bad = StepperConfig {
            cell,
            text: "héllo".into(),
            tokens: TokenKind::Char,
            weights: Weights::Trained,
            ..Default::default()
        };
        assert!(Stepper::new(bad, Some(&file))
            .unwrap_err()
            .to_string()
            .contains("vocabulary"));
    }
}
