//! Trains the char-LSTM that the training lab ships pretrained, on tiny-shakespeare, with RNN Lab's
//! own trainer (f32, the same code the browser runs), and writes
//! `data/models/shakespeare-char-lstm.json`.
//!
//! Settings: 1-layer LSTM, H = 256, T = 100, summed cross-entropy, full BPTT, clipping at 5
//! (Algorithm 1), Adam (lr 2e-3, then 1e-3 for the last third), seed 1, the last 10% of the text
//! held out. `cargo run --release --example train_shakespeare [-- STEPS]` (default 40000).

use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::format::{to_json, Encoding, ModelFile, Tokens};
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::data::{Corpus, TokenKind};
use rnn_lab::core::train::optim::OptimizerKind;
use rnn_lab::core::train::sample::{Decode, Generator};
use rnn_lab::core::train::trainer::{EvalMode, TrainConfig, Trainer};
use std::time::Instant;

fn main() {
    let steps: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(40000);
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/data/corpora/tinyshakespeare.txt"))
        .expect("tinyshakespeare");
    let corpus = Corpus::build(&text, TokenKind::Char, 256, 0.1, 1000).unwrap();
    let cfg = TrainConfig {
        cell: CellKind::Lstm,
        hidden: 256,
        seq_len: 100,
        optimizer: OptimizerKind::Adam,
        lr: 2e-3,
        seed: 1,
        checkpoint_every: 1000,
        ..Default::default()
    };
    let mut tr = Trainer::<f32>::new(
        cfg.clone(),
        corpus.vocab.len(),
        corpus.train.clone(),
        corpus.heldout.clone(),
    )
    .unwrap();
    let start = Instant::now();
    let mut avg = 0.0;
    for s in 1..=steps {
        if s == steps * 2 / 3 {
            tr.set_lr(1e-3).unwrap();
        }
        let r = tr.step().unwrap();
        assert!(r.finite, "diverged at step {s}");
        avg = if s == 1 {
            r.loss
        } else {
            0.99 * avg + 0.01 * r.loss
        };
        if s % 1000 == 0 || s == steps {
            let held = tr.heldout_loss(20_000, EvalMode::TeacherForcing).unwrap();
            println!(
                "step {s}: train loss (EMA) {avg:.3}, held-out {held:.3} nats/char, {:.0} s",
                start.elapsed().as_secs_f64()
            );
        }
    }
    let held = tr
        .heldout_loss(usize::MAX, EvalMode::TeacherForcing)
        .unwrap();
    println!(
        "final held-out loss over all {} held-out chars: {held:.4} nats/char (perplexity {:.2})",
        corpus.heldout.len(),
        held.exp()
    );
    let meta = serde_json::json!({
        "trained_on": "data/corpora/tinyshakespeare.txt (first 90%)",
        "script": "examples/train_shakespeare.rs",
        "steps": steps,
        "config": cfg,
        "heldout_loss_nats_per_char": held,
    });
    let file = ModelFile {
        model: tr.model.clone(),
        tokens: Some(Tokens {
            kind: "char".into(),
            list: corpus.vocab.tokens.clone(),
        }),
        meta: Some(meta),
    };
    let mut g = Generator::new(&tr.model);
    let mut rng = Rng::new(1);
    let mut v = corpus.vocab.clone();
    let prime = v.encode("ROMEO:").unwrap();
    let ids = g
        .generate(
            &tr.model,
            &prime,
            400,
            Decode::Sample { temperature: 0.8 },
            &mut rng,
        )
        .unwrap();
    println!("sample (τ = 0.8):\nROMEO:{}", corpus.vocab.decode(&ids));
    let path = format!("{root}/data/models/shakespeare-char-lstm.json");
    std::fs::write(&path, to_json(&file, Encoding::Base64F32).unwrap()).unwrap();
    println!("wrote {path}");
}
