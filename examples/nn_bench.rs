//! Micro-benchmark: top-10 nearest neighbours over 50 000 × 100 unit rows (one `gemv` through
//! `Real::gemv_acc` plus a partial selection), and one 3CosAdd analogy.
//!
//! ```text
//! cargo run --release --example nn_bench [-- data/glove/glove.6B.100d.top50k.i8.rlwv]
//! ```
//!
//! The browser target is ≤ 2 ms per top-10 query; this native figure is the baseline (the wasm
//! benchmark is run separately in a browser).

use rnn_lab::core::nlp::vectors::{AnalogyQuery, WordVectors};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/glove/glove.6B.100d.top50k.i8.rlwv".to_string());
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    };
    let t = Instant::now();
    let v = match WordVectors::from_compact(&bytes) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "parse + validate {} ({} words × {} dims, {:.2} MB): {:.1} ms",
        path,
        v.len(),
        v.dim(),
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3
    );
    let queries: Vec<usize> = (0..200).map(|i| (i * 2477) % v.len()).collect();
    // Warm up.
    for &q in queries.iter().take(20) {
        black_box(v.nearest(v.word(q), 10).ok());
    }
    let mut times = Vec::new();
    for _round in 0..5 {
        for &q in &queries {
            let t = Instant::now();
            black_box(v.nearest(v.word(q), 10).ok());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "top-10 neighbours over {} rows: median {:.3} ms, mean {:.3} ms, p95 {:.3} ms ({} queries)",
        v.len(),
        times[times.len() / 2],
        mean,
        times[times.len() * 95 / 100],
        times.len()
    );
    let q = AnalogyQuery::default();
    let mut at = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        black_box(v.analogy(&q).ok());
        at.push(t.elapsed().as_secs_f64() * 1e3);
    }
    at.sort_by(f64::total_cmp);
    println!(
        "3CosAdd analogy (king − man + woman, top 10): median {:.3} ms",
        at[at.len() / 2]
    );
}
