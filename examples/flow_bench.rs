//! Native timing of the gradient-flow experiment (`core::flow::run`) at its heaviest settings
//! (T = 200, H = 64), one curve at a time, with and without the chain-rule bound. The bound costs
//! O(T·G·H³) (one H×H or 2H×2H Jacobian and its spectral norm per step), so the LSTM dominates.
//! The browser test `tests/browser/gradflow.test.mjs` prints the same numbers for wasm.
//!
//! `cargo run --release --example flow_bench`

use rnn_lab::core::flow::{run, CurveKind, FlowConfig};
use std::time::Instant;

fn main() {
    println!("curve | bound | ms (T = 200, H = 64)");
    for bound in [false, true] {
        for kind in CurveKind::ALL {
            let cfg = FlowConfig {
                seq_len: 200,
                hidden: 64,
                bound,
                clip_curve: kind,
                ..FlowConfig::with_curves(&[kind])
            };
            let t0 = Instant::now();
            let reps = 3;
            for _ in 0..reps {
                std::hint::black_box(run(&cfg).expect("valid config"));
            }
            let ms = t0.elapsed().as_secs_f64() * 1000.0 / f64::from(reps);
            println!("{} | {bound} | {ms:.1}", kind.name());
        }
    }
    let all = FlowConfig {
        seq_len: 200,
        hidden: 64,
        ..FlowConfig::with_curves(&CurveKind::ALL)
    };
    let t0 = Instant::now();
    std::hint::black_box(run(&all).expect("valid config"));
    println!(
        "all seven curves with bounds: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
}
