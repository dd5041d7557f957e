//! Trains skip-gram with negative sampling on a real corpus and prints the loss curve, the nearest
//! neighbours of a few words as training goes on, and the speed (to size the UI's step chunks).
//!
//! ```text
//! cargo run --release --example word2vec_train -- [data/corpora/war_and_peace.txt] [STEPS]
//! ```

use rnn_lab::core::nlp::word2vec::{OutputLayer, Word2Vec, Word2VecConfig};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/corpora/war_and_peace.txt".into());
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000_000);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    };
    let cfg = Word2VecConfig {
        corpus: String::new(),
        lowercase: true,
        output: OutputLayer::NegativeSampling,
        dim: 50,
        window: 3,
        negatives: 5,
        learning_rate: 0.025,
        max_vocab: 10_000,
        min_count: 5,
        subsample: 1e-4,
        loss_every: 10_000,
        seed: 1,
        ..Default::default()
    };
    let t = Instant::now();
    let mut m = match Word2Vec::<f32>::with_corpus(&cfg, &text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "vocabulary {} words, {} examples in the first epoch, set-up {:.2} s",
        m.vocab().len(),
        m.progress().examples_in_epoch,
        t.elapsed().as_secs_f64()
    );
    let probes = ["prince", "war", "said", "moscow", "horse"];
    let chunk = (steps / 5).max(1);
    let t = Instant::now();
    let mut done = 0;
    while done < steps {
        let p = m.train_steps(chunk.min(steps - done));
        done += chunk.min(steps - done);
        println!(
            "step {:>8}  epoch {}  loss {:.4}  ({:.0} steps/s)",
            p.steps,
            p.epochs,
            p.last_loss.unwrap_or(f64::NAN),
            done as f64 / t.elapsed().as_secs_f64()
        );
        for w in probes {
            if let Ok(nn) = m.nearest(w, 6) {
                let list: Vec<String> = nn
                    .iter()
                    .map(|n| format!("{} {:.2}", n.word, n.cosine))
                    .collect();
                println!("    {w:>8}: {}", list.join(", "));
            }
        }
    }
}
