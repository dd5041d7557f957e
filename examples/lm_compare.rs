//! Per-character perplexity of character n-grams (n = 1…5, add-k with backoff) and of the shipped
//! char-LSTM on the same held-out characters of tiny-shakespeare (the last 10 %, the LSTM's own
//! held-out split), natively — the numbers behind the `ngram` widget's comparison.
//!
//! ```text
//! cargo run --release --example lm_compare [-- CHARS]      # CHARS: held-out prefix (default all)
//! ```

use rnn_lab::core::nlp::ngram::{split_chars, Boundaries, NgramConfig, NgramModel, NgramUnit};
use rnn_lab::core::nlp::rnn_lm::CharLmScorer;
use rnn_lab::core::rnn::format::from_json;
use std::time::Instant;

fn main() {
    let chars: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let run = || -> Result<(), String> {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |p: &str| {
            std::fs::read_to_string(format!("{root}/{p}")).map_err(|e| format!("{p}: {e}"))
        };
        let text = read("data/corpora/tinyshakespeare.txt")?;
        let file = from_json::<f32>(&read("data/models/shakespeare-char-lstm.json")?)
            .map_err(|e| e.to_string())?;
        let (train, held) = split_chars(&text, 0.1).map_err(|e| e.to_string())?;
        let held: String = held.chars().take(chars).collect();
        let n_held = held.chars().count();
        let t = Instant::now();
        let mut s = CharLmScorer::new(&file, &held, 100).map_err(|e| e.to_string())?;
        let lstm = s.step(usize::MAX).map_err(|e| e.to_string())?;
        println!(
            "char-LSTM: perplexity {:.3} per char ({:.4} nats/char) over {} predictions, {:.1} s",
            lstm.perplexity.unwrap_or(f64::NAN),
            lstm.nats_per_char.unwrap_or(f64::NAN),
            lstm.predicted,
            t.elapsed().as_secs_f64()
        );
        let cfg = NgramConfig {
            n: 5,
            unit: NgramUnit::Char,
            boundaries: Boundaries::Text,
            lowercase: false,
            ..Default::default()
        };
        let mut m = NgramModel::train(&train, &cfg).map_err(|e| e.to_string())?;
        println!("char n-grams on the same {n_held} held-out characters (backoff on):");
        for k in [0.001, 0.01, 0.1, 1.0] {
            let mut row = format!("  k = {k:<5}");
            for n in 1..=5 {
                m.set_query(n, k, true).map_err(|e| e.to_string())?;
                let p = m.perplexity(&held).map_err(|e| e.to_string())?;
                row += &match p.perplexity {
                    Some(pp) => format!("  n={n}: {pp:7.3}"),
                    None => format!("  n={n}:       ∞"),
                };
            }
            println!("{row}");
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
