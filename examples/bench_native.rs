//! Native (x86-64) counterpart of `bench/train_bench.mjs`: training steps per second and generated
//! characters per second for the three benchmark models, on tiny-shakespeare.
//!
//! `cargo run --release --example bench_native [-- SECONDS]`

use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::bptt::LossReduction;
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::data::{Corpus, TokenKind};
use rnn_lab::core::train::optim::OptimizerKind;
use rnn_lab::core::train::sample::{Decode, Generator};
use rnn_lab::core::train::trainer::{TrainConfig, Trainer};
use std::time::Instant;

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/corpora/tinyshakespeare.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| {
        std::fs::read_to_string("../shared/data/tinyshakespeare.txt").expect("tinyshakespeare")
    });
    let corpus = Corpus::build(&text, TokenKind::Char, 256, 0.0, 1000).unwrap();
    println!("model | cell | H | T | steps/s | chars/s");
    for (name, cell, h, t) in [
        ("A", CellKind::Lstm, 128, 25),
        ("B", CellKind::Rnn, 128, 25),
        ("C", CellKind::Lstm, 512, 50),
    ] {
        let cfg = TrainConfig {
            cell,
            hidden: h,
            seq_len: t,
            optimizer: OptimizerKind::RmsProp,
            lr: 0.002,
            rms_decay: 0.95,
            eps: 1e-8,
            clip: true,
            clip_threshold: 5.0,
            reduction: LossReduction::Sum,
            seed: 1,
            ..Default::default()
        };
        let mut tr =
            Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train.clone(), vec![]).unwrap();
        tr.step().unwrap();
        let start = Instant::now();
        let mut n = 0;
        let mut last = 0.0;
        while start.elapsed().as_secs_f64() < secs || n < 5 {
            last = tr.step().unwrap().loss;
            n += 1;
        }
        let sps = n as f64 / start.elapsed().as_secs_f64();
        let mut g = Generator::new(&tr.model);
        let mut rng = Rng::new(1);
        g.feed(&tr.model, 0).unwrap();
        let start = Instant::now();
        let mut c = 0;
        while start.elapsed().as_secs_f64() < secs / 2.0 || c < 100 {
            let id = g
                .choose(Decode::Sample { temperature: 1.0 }, &mut rng)
                .unwrap();
            g.feed(&tr.model, id).unwrap();
            c += 1;
        }
        let cps = c as f64 / start.elapsed().as_secs_f64();
        println!(
            "{name} | {} | {h} | {t} | {sps:.1} | {cps:.0}   (loss {last:.3})",
            cell.name()
        );
    }
}
