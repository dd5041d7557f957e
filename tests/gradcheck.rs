//! Finite-difference checks of every parameter of every cell variant (f64, central differences):
//! the BPTT gradient must match with max relative error < 1e-6 (see `core::grad::check` for the
//! definition), for every tensor, the dense inputs x and the initial states h0 / c0.

use rnn_lab::core::activations::Activation;
use rnn_lab::core::grad::check::{grad_check, GradCheckOptions, TensorCheck};
use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::bptt::{LossReduction, SeqInput};
use rnn_lab::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec};
use rnn_lab::core::rnn::{CellKind, GruVariant};

fn check(label: &str, spec: ModelSpec, reduction: LossReduction, seed: u64) -> f64 {
    // Weights a little larger than PyTorch's default so that the nonlinearities are exercised.
    let init = InitSpec {
        scale: 1.5,
        forget_bias: Some(0.5),
    };
    let model = Model::<f64>::init(&spec, &init, seed).unwrap();
    let mut rng = Rng::new(seed + 100);
    let t_len = 6;
    let x: Vec<f64> = (0..t_len * spec.input_size)
        .map(|_| rng.uniform(-1.0, 1.0))
        .collect();
    let ids: Vec<usize> = (0..t_len).map(|_| rng.below(spec.input_size)).collect();
    let targets: Vec<usize> = (0..t_len).map(|_| rng.below(spec.vocab)).collect();
    let mut state = model.zero_state();
    for l in 0..spec.layers {
        state.h[l]
            .iter_mut()
            .for_each(|v| *v = rng.uniform(-0.5, 0.5));
        state.c[l]
            .iter_mut()
            .for_each(|v| *v = rng.uniform(-0.5, 0.5));
    }
    let xs = match spec.input {
        InputKind::Dense => SeqInput::Dense {
            data: &x,
            dim: spec.input_size,
        },
        InputKind::OneHot => SeqInput::Ids(&ids),
    };
    let opts = GradCheckOptions {
        reduction,
        ..Default::default()
    };
    let res: Vec<TensorCheck> = grad_check(&model, xs, &targets, &state, &opts).unwrap();
    let mut worst = 0f64;
    for r in &res {
        assert!(r.checked > 0);
        assert!(
            r.max_rel_err < 1e-6,
            "{label}: tensor {} max rel err {:e} at {} (analytic {}, numeric {})",
            r.name,
            r.max_rel_err,
            r.worst,
            r.worst_pair.0,
            r.worst_pair.1
        );
        worst = worst.max(r.max_rel_err);
    }
    // Every parameter tensor was checked, plus the initial state (and x for dense inputs).
    let n_param_tensors = model.layout().tensors.len();
    assert!(
        res.len() > n_param_tensors,
        "{label}: state/input gradients were not checked"
    );
    eprintln!("{label}: {} tensors, max rel err {worst:e}", res.len());
    worst
}

fn base(cell: CellKind) -> ModelSpec {
    ModelSpec {
        cell,
        input: InputKind::Dense,
        input_size: 3,
        hidden: 4,
        vocab: 5,
        layers: 1,
        ..Default::default()
    }
}

#[test]
fn vanilla_rnn_every_activation_plain_and_residual() {
    for act in Activation::ALL {
        for residual in [false, true] {
            let spec = ModelSpec {
                activation: act,
                residual,
                ..base(CellKind::Rnn)
            };
            check(
                &format!("rnn {} residual={residual}", act.name()),
                spec,
                LossReduction::Mean,
                3,
            );
        }
    }
}

#[test]
fn lstm_dense_onehot_two_layers_and_sum_loss() {
    check("lstm dense", base(CellKind::Lstm), LossReduction::Mean, 4);
    check(
        "lstm onehot",
        ModelSpec {
            input: InputKind::OneHot,
            ..base(CellKind::Lstm)
        },
        LossReduction::Mean,
        5,
    );
    check(
        "lstm 2 layers",
        ModelSpec {
            layers: 2,
            ..base(CellKind::Lstm)
        },
        LossReduction::Mean,
        6,
    );
    check("lstm sum loss", base(CellKind::Lstm), LossReduction::Sum, 7);
}

#[test]
fn gru_both_variants() {
    for gru in [GruVariant::Lecture, GruVariant::Torch] {
        check(
            &format!("gru {gru:?} dense"),
            ModelSpec {
                gru,
                ..base(CellKind::Gru)
            },
            LossReduction::Mean,
            8,
        );
        let two = ModelSpec {
            gru,
            layers: 2,
            input: InputKind::OneHot,
            ..base(CellKind::Gru)
        };
        check(
            &format!("gru {gru:?} 2 layers onehot"),
            two,
            LossReduction::Mean,
            9,
        );
    }
}

#[test]
fn multi_layer_vanilla_relu_residual() {
    let spec = ModelSpec {
        layers: 3,
        activation: Activation::Relu,
        residual: true,
        ..base(CellKind::Rnn)
    };
    check("rnn relu residual 3 layers", spec, LossReduction::Sum, 10);
}
