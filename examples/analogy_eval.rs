//! Scores word vectors on the Mikolov et al. (2013) analogy questions, exactly as gensim 4.4
//! `evaluate_word_analogies(restrict_vocab=R, case_insensitive=True)` does (see
//! `rnn_lab::core::nlp::analogy_eval`).
//!
//! ```text
//! cargo run --release --example analogy_eval -- VECTORS VOCAB QUESTIONS --restrict N [--method cosadd|cosmul]
//! cargo run --release --example analogy_eval -- COMPACT.rlwv QUESTIONS --restrict N
//! ```
//!
//! VECTORS is raw little-endian float32 (one row per line of VOCAB); a compact `.rlwv` file
//! (recognised by its magic bytes) carries its own vocabulary. Prints `correct/total` overall, for the
//! semantic and syntactic groups and per section.

use rnn_lab::core::nlp::analogy_eval::{parse_questions, EvalConfig, Evaluator};
use rnn_lab::core::nlp::compact::MAGIC;
use rnn_lab::core::nlp::vectors::{AnalogyMethod, WordVectors};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: analogy_eval VECTORS [VOCAB] QUESTIONS --restrict N [--method cosadd|cosmul]";

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn run() -> Result<(), String> {
    let mut pos = Vec::new();
    let mut cfg = EvalConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--restrict" => {
                let v = args.next().ok_or(USAGE)?;
                cfg.restrict = v
                    .parse()
                    .map_err(|_| format!("--restrict: {v:?} is not a positive integer"))?;
            }
            "--method" => {
                cfg.method = match args.next().as_deref() {
                    Some("cosadd") => AnalogyMethod::CosAdd,
                    Some("cosmul") => AnalogyMethod::CosMul,
                    other => return Err(format!("--method: {other:?}; use cosadd or cosmul")),
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ => pos.push(a),
        }
    }
    let t0 = Instant::now();
    let (vectors, questions) = match pos.as_slice() {
        [v, q] => {
            let bytes = read(v)?;
            if !bytes.starts_with(MAGIC) {
                return Err(format!(
                    "{v} is not a compact file; raw vectors need VOCAB\n{USAGE}"
                ));
            }
            (
                WordVectors::from_compact(&bytes).map_err(|e| e.to_string())?,
                q,
            )
        }
        [v, vocab, q] => {
            let bytes = read(v)?;
            let vs = if bytes.starts_with(MAGIC) {
                return Err(format!(
                    "{v} is a compact file with its own vocabulary; pass COMPACT QUESTIONS"
                ));
            } else {
                WordVectors::from_f32_le(&bytes, &read(vocab)?).map_err(|e| e.to_string())?
            };
            (vs, q)
        }
        _ => return Err(USAGE.into()),
    };
    let text = String::from_utf8(read(questions)?).map_err(|e| format!("{questions}: {e}"))?;
    let qs = parse_questions(&text).map_err(|e| e.to_string())?;
    let t_load = t0.elapsed();
    let t1 = Instant::now();
    let rep = Evaluator::new(&vectors, &qs, &cfg)
        .and_then(|e| e.run(&vectors))
        .map_err(|e| e.to_string())?;
    let t_eval = t1.elapsed();
    let pct = |c: usize, t: usize| {
        if t == 0 {
            0.0
        } else {
            100.0 * c as f64 / t as f64
        }
    };
    println!(
        "{} words × {} dims, restrict {}, method {:?}",
        vectors.len(),
        vectors.dim(),
        cfg.restrict.min(vectors.len()),
        cfg.method
    );
    for s in &rep.sections {
        println!(
            "  {:<28} {:>5}/{:<5} {:>6.2}%  (skipped {})",
            s.name,
            s.correct,
            s.total,
            pct(s.correct, s.total),
            s.skipped
        );
    }
    println!(
        "semantic  {}/{}  {:.2}%",
        rep.semantic.0,
        rep.semantic.1,
        pct(rep.semantic.0, rep.semantic.1)
    );
    println!(
        "syntactic {}/{}  {:.2}%",
        rep.syntactic.0,
        rep.syntactic.1,
        pct(rep.syntactic.0, rep.syntactic.1)
    );
    println!(
        "total     {}/{}  {:.2}%  (skipped {})",
        rep.correct,
        rep.total,
        pct(rep.correct, rep.total),
        rep.skipped
    );
    eprintln!(
        "load {:.2} s, evaluation {:.2} s",
        t_load.as_secs_f64(),
        t_eval.as_secs_f64()
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
