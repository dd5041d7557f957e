//! Converts raw GloVe vectors (`*.f32` + `*.vocab.txt`, see data/SOURCES.md) into the compact int8
//! format of `rnn_lab::core::nlp::compact` that the browser downloads.
//!
//! ```text
//! cargo run --release --example compact_vectors -- data/glove/glove.6B.100d.top50k.f32 \
//!     data/glove/glove.6B.100d.top50k.vocab.txt data/glove/glove.6B.100d.top50k.i8.rlwv
//! ```
//!
//! It re-reads the written file with the validating loader and prints the size and the largest
//! cosine change between the f32 and the int8 rows.

use rnn_lab::core::nlp::compact;
use rnn_lab::core::nlp::vectors::WordVectors;
use std::process::ExitCode;

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [vec_path, vocab_path, out_path] = args.as_slice() else {
        return Err("usage: compact_vectors VECTORS.f32 VOCAB.txt OUT.rlwv".into());
    };
    let raw = std::fs::read(vec_path).map_err(|e| format!("{vec_path}: {e}"))?;
    let vocab = std::fs::read(vocab_path).map_err(|e| format!("{vocab_path}: {e}"))?;
    let f32v = WordVectors::from_f32_le(&raw, &vocab).map_err(|e| e.to_string())?;
    let (n, d) = (f32v.len(), f32v.dim());
    // Quantise the file's own values (not the renormalised copies) for fidelity.
    let orig: Vec<f32> = raw
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let bytes = compact::encode(f32v.words(), &orig, d).map_err(|e| e.to_string())?;
    std::fs::write(out_path, &bytes).map_err(|e| format!("{out_path}: {e}"))?;
    let back = WordVectors::from_compact(&bytes).map_err(|e| e.to_string())?;
    let mut max_dcos = 0.0f32;
    let mut sum_dcos = 0.0f64;
    for i in 0..n {
        let c = rnn_lab::core::real::Real::dot(f32v.unit_row(i), back.unit_row(i));
        max_dcos = max_dcos.max(1.0 - c);
        sum_dcos += (1.0 - c) as f64;
    }
    println!(
        "{n} words × {d} dims: {} bytes ({:.2} MB) written to {out_path}",
        bytes.len(),
        bytes.len() as f64 / 1e6
    );
    println!(
        "1 − cos(f32 row, int8 row): mean {:.2e}, max {:.2e}",
        sum_dcos / n as f64,
        max_dcos
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
