//! Trains the small models that the step-through widget ships with, on RNN Lab's own toy corpus
//! `data/lecture/sentences.txt` (the lecture's example sentences in English and Korean), and writes
//! them to `data/models/stepper-{word,char}-{rnn,lstm,gru}.json`.
//!
//! Each sentence is one sequence from the zero state (as the widget steps it), targets are the next
//! tokens and a final newline; mean cross-entropy, full BPTT, clipping at 5 (Algorithm 1), Adam.
//!
//! `cargo run --release --example train_stepper_models`

use rnn_lab::core::grad::clip::{clip_grad_norm, ClipRule};
use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::bptt::{
    backward, forward, BackwardOptions, Gradients, SeqInput, Workspace,
};
use rnn_lab::core::rnn::format::{to_json, Encoding, ModelFile, Tokens};
use rnn_lab::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec};
use rnn_lab::core::rnn::{CellKind, GruVariant};
use rnn_lab::core::train::data::{split_words, TokenKind, Vocab};
use rnn_lab::core::train::optim::{OptimConfig, Optimizer, OptimizerKind};

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/data/lecture/sentences.txt"))
        .expect("sentences.txt");
    for kind in [TokenKind::Word, TokenKind::Char] {
        let mut vocab = match kind {
            TokenKind::Word => Vocab::words_of(&text, 1000).unwrap(),
            TokenKind::Char => Vocab::chars_of(&text).unwrap(),
        };
        let lines: Vec<Vec<usize>> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut ids = match kind {
                    TokenKind::Word => split_words(l)
                        .map(|w| vocab.id(w).unwrap())
                        .collect::<Vec<_>>(),
                    TokenKind::Char => vocab.encode(l).unwrap(),
                };
                ids.push(vocab.id("\n").unwrap());
                ids
            })
            .collect();
        let hidden = if kind == TokenKind::Word { 16 } else { 32 };
        for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
            let spec = ModelSpec {
                cell,
                input: InputKind::OneHot,
                input_size: vocab.len(),
                hidden,
                layers: 1,
                vocab: vocab.len(),
                gru: GruVariant::Lecture,
                ..ModelSpec::default()
            };
            let mut m = Model::<f64>::init(&spec, &InitSpec::default(), 2024).unwrap();
            let epochs = if kind == TokenKind::Word { 300 } else { 200 };
            let cfg = OptimConfig {
                kind: OptimizerKind::Adam,
                lr: 0.01,
                ..Default::default()
            };
            let mut opt = Optimizer::<f64>::new(cfg, m.layout().len).unwrap();
            let mut ws = Workspace::new();
            let mut g = Gradients::new(&m);
            let mut rng = Rng::new(7);
            let mut order: Vec<usize> = (0..lines.len()).collect();
            let mut last = 0.0;
            for _ in 0..epochs {
                rng.shuffle(&mut order);
                let mut sum = 0.0;
                for &i in &order {
                    let l = &lines[i];
                    let (xs, ys) = (&l[..l.len() - 1], &l[1..]);
                    let out =
                        forward(&m, &mut ws, SeqInput::Ids(xs), Some(ys), &m.zero_state()).unwrap();
                    g.zero();
                    backward(
                        &m,
                        &mut ws,
                        SeqInput::Ids(xs),
                        ys,
                        &BackwardOptions::default(),
                        &mut g,
                    )
                    .unwrap();
                    clip_grad_norm(&mut g.params, 5.0, ClipRule::Lecture);
                    opt.step(&mut m.params, &g.params).unwrap();
                    sum += out.mean_loss;
                }
                last = sum / lines.len() as f64;
            }
            let kind_name = if kind == TokenKind::Word {
                "word"
            } else {
                "char"
            };
            let meta = serde_json::json!({
                "trained_on": "data/lecture/sentences.txt",
                "script": "examples/train_stepper_models.rs",
                "epochs": epochs,
                "optimizer": "adam lr 0.01, clip 5, mean cross-entropy, one sentence per sequence",
                "final_mean_loss": last,
            });
            let file = ModelFile {
                model: m.cast::<f32>(),
                tokens: Some(Tokens {
                    kind: kind_name.into(),
                    list: vocab.tokens.clone(),
                }),
                meta: Some(meta),
            };
            let path = format!(
                "{root}/data/models/stepper-{kind_name}-{}.json",
                cell.name()
            );
            std::fs::write(&path, to_json(&file, Encoding::Base64F32).unwrap()).unwrap();
            println!(
                "{path}: V = {}, H = {hidden}, final mean loss {last:.3}",
                vocab.len()
            );
        }
    }
}
