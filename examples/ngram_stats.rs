//! Prints the n-gram sparsity and storage table (n = 1 … 5) and add-k perplexities for a corpus,
//! holding out its last 10 % of lines.
//!
//! ```text
//! cargo run --release --example ngram_stats -- [data/corpora/tinyshakespeare.txt] [word|char]
//! ```

use rnn_lab::core::nlp::ngram::{split_lines, NgramConfig, NgramModel, NgramUnit};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/corpora/tinyshakespeare.txt".into());
    let unit = match args.next().as_deref() {
        Some("char") => NgramUnit::Char,
        _ => NgramUnit::Word,
    };
    let run = || -> Result<(), String> {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let (train, heldout) = split_lines(&text, 0.1).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let cfg = NgramConfig {
            n: 5,
            unit,
            ..Default::default()
        };
        let m = NgramModel::train(&train, &cfg).map_err(|e| e.to_string())?;
        println!(
            "{path} ({unit:?}): |V| = {}, {} training tokens, counted in {:.2} s",
            m.vocab_size(),
            m.training_tokens(),
            t.elapsed().as_secs_f64()
        );
        println!(" n  distinct n-grams  held-out  unseen  unseen share");
        for p in m.sparsity(&heldout).map_err(|e| e.to_string())? {
            println!(
                " {}  {:>16}  {:>8}  {:>6}  {:>11.1}%",
                p.n,
                p.distinct,
                p.heldout,
                p.unseen,
                100.0 * p.unseen_share
            );
        }
        for n in 1..=5 {
            for k in [0.0, 0.01, 1.0] {
                let c = NgramConfig {
                    n,
                    k,
                    unit,
                    ..Default::default()
                };
                let m = NgramModel::train(&train, &c).map_err(|e| e.to_string())?;
                let r = m.perplexity(&heldout).map_err(|e| e.to_string())?;
                println!(
                    "n = {n}, k = {k:<4}: perplexity {}",
                    r.perplexity
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_else(|| format!(
                            "∞ ({} zero-probability tokens)",
                            r.zero_probability
                        ))
                );
            }
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
