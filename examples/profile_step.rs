//! Runs a fixed number of training steps of one benchmark model, for profilers
//! (`valgrind --tool=callgrind target/release/examples/profile_step lstm 128 25 30`).

use rnn_lab::core::rnn::bptt::LossReduction;
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::data::{Corpus, TokenKind};
use rnn_lab::core::train::optim::OptimizerKind;
use rnn_lab::core::train::trainer::{TrainConfig, Trainer};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let cell = if a.get(1).map(String::as_str) == Some("rnn") {
        CellKind::Rnn
    } else {
        CellKind::Lstm
    };
    let h: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(128);
    let t: usize = a.get(3).and_then(|s| s.parse().ok()).unwrap_or(25);
    let n: usize = a.get(4).and_then(|s| s.parse().ok()).unwrap_or(30);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/corpora/tinyshakespeare.txt"
    ))
    .unwrap();
    let corpus = Corpus::build(&text[..200_000], TokenKind::Char, 256, 0.0, 1000).unwrap();
    let cfg = TrainConfig {
        cell,
        hidden: h,
        seq_len: t,
        optimizer: OptimizerKind::RmsProp,
        reduction: LossReduction::Sum,
        ..Default::default()
    };
    let mut tr = Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train, vec![]).unwrap();
    let mut l = 0.0;
    for _ in 0..n {
        l += tr.step().unwrap().loss;
    }
    println!("{}", l / n as f64);
}
