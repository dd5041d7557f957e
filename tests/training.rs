//! The language-model trainer: the benchmark's training step equals the core's reference step,
//! training lowers the held-out loss, a seed reproduces a run bit for bit, and a saved model
//! predicts exactly what it predicted before saving.

use rnn_lab::core::grad::clip::{clip_grad_norm, ClipRule};
use rnn_lab::core::rnn::bptt::{
    backward, forward, BackwardOptions, Gradients, LossReduction, SeqInput, Workspace,
};
use rnn_lab::core::rnn::format::{from_json, to_json, Encoding, ModelFile};
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::data::{Corpus, TokenKind};
use rnn_lab::core::train::optim::{OptimConfig, Optimizer, OptimizerKind};
use rnn_lab::core::train::sample::Generator;
use rnn_lab::core::train::trainer::{EvalMode, TrainConfig, Trainer};

fn shakespeare(chars: usize) -> String {
    let t = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/corpora/tinyshakespeare.txt"
    ))
    .unwrap();
    t.chars().take(chars).collect()
}

/// The benchmark's settings (bench/train_bench.mjs): RMSProp 0.002 / 0.95 / 1e-8, summed loss,
/// full BPTT, clipping at 5 with Algorithm 1.
fn bench_config(cell: CellKind, hidden: usize, seq_len: usize) -> TrainConfig {
    TrainConfig {
        cell,
        hidden,
        seq_len,
        optimizer: OptimizerKind::RmsProp,
        lr: 0.002,
        rms_decay: 0.95,
        eps: 1e-8,
        clip: true,
        clip_threshold: 5.0,
        clip_rule: ClipRule::Lecture,
        reduction: LossReduction::Sum,
        seed: 3,
        ..Default::default()
    }
}

#[test]
fn benchmark_step_matches_the_reference_step() {
    let corpus = Corpus::build(&shakespeare(5000), TokenKind::Char, 256, 0.0, 100).unwrap();
    for cell in [CellKind::Lstm, CellKind::Rnn] {
        let cfg = bench_config(cell, 16, 12);
        let mut tr = Trainer::<f32>::new(
            cfg.clone(),
            corpus.vocab.len(),
            corpus.train.clone(),
            vec![],
        )
        .unwrap();
        for _ in 0..3 {
            // A trainer with a fresh optimiser on the current weights takes one benchmark step;
            // the reference (the f64 core, step by step) takes the same step from the same weights
            // on the same window with a fresh optimiser too.
            let mut m = tr.model.cast::<f64>();
            let rms = OptimConfig {
                kind: OptimizerKind::RmsProp,
                lr: 0.002,
                rms_decay: 0.95,
                eps: 1e-8,
                ..Default::default()
            };
            let mut opt = Optimizer::<f64>::new(rms, m.layout().len).unwrap();
            let mut t2 = Trainer::<f32>::with_model(
                cfg.clone(),
                tr.model.clone(),
                corpus.train.clone(),
                vec![],
            )
            .unwrap();
            let rep = t2.step().unwrap();
            let (xs, ys) = t2.last_window();
            let (xs, ys) = (xs.to_vec(), ys.to_vec());
            let mut ws = Workspace::new();
            let out = forward(&m, &mut ws, SeqInput::Ids(&xs), Some(&ys), &m.zero_state()).unwrap();
            let mut g = Gradients::new(&m);
            backward(
                &m,
                &mut ws,
                SeqInput::Ids(&xs),
                &ys,
                &BackwardOptions {
                    reduction: LossReduction::Sum,
                    ..Default::default()
                },
                &mut g,
            )
            .unwrap();
            let r = clip_grad_norm(&mut g.params, 5.0, ClipRule::Lecture);
            assert!(
                (rep.loss - out.mean_loss).abs() < 1e-5 * out.mean_loss,
                "{cell:?}: loss {} vs {}",
                rep.loss,
                out.mean_loss
            );
            assert!(
                (rep.grad_norm - r.norm_before).abs() < 1e-4 * r.norm_before,
                "{cell:?}: norm {} vs {}",
                rep.grad_norm,
                r.norm_before
            );
            let scale = g.params.iter().fold(0f64, |a, b| a.max(b.abs()));
            for (a, b) in t2.gradient().iter().zip(&g.params) {
                assert!(
                    (*a as f64 - b).abs() <= 1e-4 * scale,
                    "{cell:?}: gradient {a} vs {b}"
                );
            }
            opt.step(&mut m.params, &g.params).unwrap();
            for (a, b) in t2.model.params.iter().zip(&m.params) {
                assert!(
                    (*a as f64 - b).abs() < 1e-5,
                    "{cell:?}: updated weight {a} vs {b}"
                );
            }
            tr.step().unwrap();
        }
    }
}

#[test]
fn training_lowers_the_heldout_loss() {
    // 300 steps of a small char-LSTM on the first 60k characters of tiny-shakespeare take the
    // held-out loss from about ln 65 ≈ 4.2 nats (uniform guessing) to below 3.0: a margin of
    // at least 1 nat/char below the untrained model.
    let corpus = Corpus::build(&shakespeare(60_000), TokenKind::Char, 256, 0.1, 1000).unwrap();
    let cfg = TrainConfig {
        hidden: 48,
        seq_len: 32,
        optimizer: OptimizerKind::Adam,
        lr: 0.005,
        seed: 7,
        ..Default::default()
    };
    let mut tr =
        Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train, corpus.heldout).unwrap();
    let before = tr.heldout_loss(2000, EvalMode::TeacherForcing).unwrap();
    for _ in 0..300 {
        assert!(tr.step().unwrap().finite);
    }
    let after = tr.heldout_loss(2000, EvalMode::TeacherForcing).unwrap();
    eprintln!("held-out loss: {before:.3} -> {after:.3} nats/char");
    assert!(before > 3.9, "untrained held-out loss {before}");
    assert!(
        after < before - 1.0 && after < 3.0,
        "held-out loss only went from {before} to {after}"
    );
    // Free-running (the model reads its own argmax predictions) is worse than teacher forcing:
    // exposure bias.
    let free = tr.heldout_loss(2000, EvalMode::FreeRunning).unwrap();
    assert!(
        free > after,
        "free-running {free} vs teacher-forced {after}"
    );
}

#[test]
fn same_seed_gives_bit_identical_losses() {
    let corpus = Corpus::build(&shakespeare(20_000), TokenKind::Char, 256, 0.0, 1000).unwrap();
    for tf in [1.0, 0.5] {
        let run = || {
            let cfg = TrainConfig {
                cell: CellKind::Gru,
                hidden: 24,
                seq_len: 20,
                teacher_forcing: tf,
                seed: 11,
                ..Default::default()
            };
            let mut tr =
                Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train.clone(), vec![]).unwrap();
            (0..40)
                .map(|_| tr.step().unwrap().loss.to_bits())
                .collect::<Vec<u64>>()
        };
        assert_eq!(run(), run());
    }
    let other = {
        let cfg = TrainConfig {
            cell: CellKind::Gru,
            hidden: 24,
            seq_len: 20,
            seed: 12,
            ..Default::default()
        };
        let mut tr =
            Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train.clone(), vec![]).unwrap();
        tr.step().unwrap().loss
    };
    let cfg = TrainConfig {
        cell: CellKind::Gru,
        hidden: 24,
        seq_len: 20,
        seed: 11,
        ..Default::default()
    };
    let mut tr =
        Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train.clone(), vec![]).unwrap();
    assert_ne!(
        tr.step().unwrap().loss,
        other,
        "a different seed should give a different run"
    );
}

#[test]
fn save_then_load_predicts_identically() {
    let corpus = Corpus::build(&shakespeare(20_000), TokenKind::Char, 256, 0.0, 1000).unwrap();
    let cfg = TrainConfig {
        layers: 2,
        hidden: 20,
        seq_len: 16,
        seed: 5,
        ..Default::default()
    };
    let mut tr =
        Trainer::<f32>::new(cfg, corpus.vocab.len(), corpus.train.clone(), vec![]).unwrap();
    for _ in 0..20 {
        tr.step().unwrap();
    }
    let file = ModelFile {
        model: tr.model.clone(),
        tokens: None,
        meta: None,
    };
    for enc in [Encoding::Base64F32, Encoding::Numbers] {
        let back: ModelFile<f32> = from_json(&to_json(&file, enc).unwrap()).unwrap();
        assert_eq!(back.model.params, tr.model.params);
        let (mut a, mut b) = (Generator::new(&tr.model), Generator::new(&back.model));
        for &id in &corpus.train[..50] {
            a.feed(&tr.model, id).unwrap();
            b.feed(&back.model, id).unwrap();
            assert_eq!(a.logits, b.logits);
        }
    }
}
