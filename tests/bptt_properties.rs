//! Properties of backpropagation through time that are checked against an independent computation:
//! truncated BPTT equals the sum of full BPTT over detached blocks; step Jacobians equal finite
//! differences; mean and sum losses differ by exactly T; the gradient-flow norms agree with the
//! gradient itself; bad inputs are errors, and divergence is a state.

use rnn_lab::core::activations::Activation;
use rnn_lab::core::error::CoreError;
use rnn_lab::core::grad::clip::{clip_grad_norm, ClipRule};
use rnn_lab::core::grad::norms::global_norm;
use rnn_lab::core::linalg::spectral_norm;
use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::bptt::*;
use rnn_lab::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec, State};
use rnn_lab::core::rnn::{CellKind, GruVariant, Input};

fn spec(cell: CellKind) -> ModelSpec {
    ModelSpec {
        cell,
        input: InputKind::OneHot,
        input_size: 5,
        hidden: 4,
        vocab: 5,
        ..Default::default()
    }
}

fn data(seed: u64, t: usize, v: usize) -> (Vec<usize>, Vec<usize>) {
    let mut r = Rng::new(seed);
    (
        (0..t).map(|_| r.below(v)).collect(),
        (0..t).map(|_| r.below(v)).collect(),
    )
}

fn grads(
    m: &Model<f64>,
    ids: &[usize],
    tg: &[usize],
    init: &State<f64>,
    opts: &BackwardOptions,
) -> Gradients<f64> {
    let mut ws = Workspace::new();
    forward(m, &mut ws, SeqInput::Ids(ids), Some(tg), init).unwrap();
    let mut g = Gradients::new(m);
    backward(m, &mut ws, SeqInput::Ids(ids), tg, opts, &mut g).unwrap();
    g
}

#[test]
fn truncated_bptt_is_full_bptt_over_detached_blocks() {
    for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
        let sp = ModelSpec {
            layers: 2,
            ..spec(cell)
        };
        let m = Model::<f64>::init(&sp, &InitSpec::default(), 11).unwrap();
        let (ids, tg) = data(12, 7, 5);
        let init = m.zero_state();
        let k = 3;
        let trunc = grads(
            &m,
            &ids,
            &tg,
            &init,
            &BackwardOptions {
                window: Some(k),
                ..Default::default()
            },
        );
        // Independent: run each block [s, s+k) on its own, from the true forward state at s (a
        // constant), with the summed loss, and scale by 1/T as the mean loss does.
        let mut ws = Workspace::new();
        let mut want = vec![0.0; m.layout().len];
        let mut state = init.clone();
        let mut s = 0;
        while s < ids.len() {
            let e = (s + k).min(ids.len());
            let g = grads(
                &m,
                &ids[s..e],
                &tg[s..e],
                &state,
                &BackwardOptions {
                    reduction: LossReduction::Sum,
                    ..Default::default()
                },
            );
            for (w, gi) in want.iter_mut().zip(&g.params) {
                *w += gi / ids.len() as f64;
            }
            forward(&m, &mut ws, SeqInput::Ids(&ids[s..e]), None, &state).unwrap();
            state = ws.final_state().unwrap();
            s = e;
        }
        let err = trunc
            .params
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(
            err < 1e-14,
            "{cell:?}: truncated BPTT differs from block-wise BPTT by {err:e}"
        );
        // A window of at least T is full BPTT, exactly.
        let full = grads(&m, &ids, &tg, &init, &BackwardOptions::default());
        let wide = grads(
            &m,
            &ids,
            &tg,
            &init,
            &BackwardOptions {
                window: Some(7),
                ..Default::default()
            },
        );
        assert_eq!(full.params, wide.params);
        assert_ne!(full.params, trunc.params);
    }
}

#[test]
fn sum_loss_gradient_is_t_times_mean() {
    let m = Model::<f64>::init(&spec(CellKind::Gru), &InitSpec::default(), 2).unwrap();
    let (ids, tg) = data(3, 6, 5);
    let init = m.zero_state();
    let mean = grads(&m, &ids, &tg, &init, &BackwardOptions::default());
    let sum = grads(
        &m,
        &ids,
        &tg,
        &init,
        &BackwardOptions {
            reduction: LossReduction::Sum,
            ..Default::default()
        },
    );
    for (a, b) in mean.params.iter().zip(&sum.params) {
        assert!((a * 6.0 - b).abs() < 1e-14);
    }
}

/// Central-difference Jacobian of one step's state w.r.t. the previous state.
fn fd_jacobian(m: &Model<f64>, x: usize, h_prev: &[f64], c_prev: &[f64]) -> Vec<f64> {
    let cell = &m.cells()[0];
    let (h, hc) = (h_prev.len(), c_prev.len());
    let s = h + hc;
    let eps = 1e-6;
    let mut jac = vec![0.0; s * s];
    let out = |hp: &[f64], cp: &[f64]| {
        let mut cache = cell.new_cache::<f64>();
        cell.step_forward(&m.params, Input::Id(x), hp, cp, &mut cache);
        let mut v = cache.h.clone();
        v.extend_from_slice(&cache.c);
        v
    };
    for j in 0..s {
        let (mut hp, mut cp) = (h_prev.to_vec(), c_prev.to_vec());
        let bump = |hp: &mut Vec<f64>, cp: &mut Vec<f64>, d: f64| {
            if j < h {
                hp[j] += d
            } else {
                cp[j - h] += d
            }
        };
        bump(&mut hp, &mut cp, eps);
        let plus = out(&hp, &cp);
        bump(&mut hp, &mut cp, -2.0 * eps);
        let minus = out(&hp, &cp);
        for r in 0..s {
            jac[r * s + j] = (plus[r] - minus[r]) / (2.0 * eps);
        }
    }
    jac
}

#[test]
fn step_jacobians_match_finite_differences_and_their_norms() {
    let variants = [
        spec(CellKind::Rnn),
        ModelSpec {
            activation: Activation::Sigmoid,
            residual: true,
            ..spec(CellKind::Rnn)
        },
        spec(CellKind::Lstm),
        ModelSpec {
            gru: GruVariant::Lecture,
            ..spec(CellKind::Gru)
        },
        ModelSpec {
            gru: GruVariant::Torch,
            ..spec(CellKind::Gru)
        },
    ];
    for sp in variants {
        let m = Model::<f64>::init(
            &sp,
            &InitSpec {
                scale: 2.0,
                forget_bias: None,
            },
            21,
        )
        .unwrap();
        let (ids, _) = data(22, 5, 5);
        let mut init = m.zero_state();
        let mut r = Rng::new(23);
        init.h[0].iter_mut().for_each(|v| *v = r.uniform(-0.8, 0.8));
        init.c[0].iter_mut().for_each(|v| *v = r.uniform(-0.8, 0.8));
        let mut ws = Workspace::new();
        forward(&m, &mut ws, SeqInput::Ids(&ids), None, &init).unwrap();
        let norms = jacobian_norms(&m, &ws, 0).unwrap();
        for (t, &id) in ids.iter().enumerate() {
            let (hp, cp) = if t == 0 {
                (init.h[0].clone(), init.c[0].clone())
            } else {
                (ws.steps[0][t - 1].h.clone(), ws.steps[0][t - 1].c.clone())
            };
            let fd = fd_jacobian(&m, id, &hp, &cp);
            let an = step_jacobian(&m, &ws, 0, t).unwrap();
            let err = fd
                .iter()
                .zip(&an)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(
                err < 1e-8,
                "{:?} t={t}: Jacobian differs from finite differences by {err:e}",
                sp.cell
            );
            let h = hp.len();
            let s = h + cp.len();
            let fd_h: Vec<f64> = (0..h).flat_map(|r| fd[r * s..r * s + h].to_vec()).collect();
            assert!((norms.dh_dh_prev[t] - spectral_norm(&fd_h, h, h)).abs() < 1e-7);
            if sp.cell == CellKind::Lstm {
                assert!((norms.dstate_dstate_prev[t] - spectral_norm(&fd, s, s)).abs() < 1e-7);
            }
        }
    }
}

#[test]
fn identity_rnn_jacobian_is_w_hh() {
    // h_t = W_hh h_{t−1} + … so ∂h_t/∂h_{t−1} = W_hh, and with the residual form I + W_hh.
    for residual in [false, true] {
        let sp = ModelSpec {
            activation: Activation::Identity,
            residual,
            ..spec(CellKind::Rnn)
        };
        let m = Model::<f64>::init(&sp, &InitSpec::default(), 5).unwrap();
        let mut ws = Workspace::new();
        forward(&m, &mut ws, SeqInput::Ids(&[1, 2]), None, &m.zero_state()).unwrap();
        let j = step_jacobian(&m, &ws, 0, 1).unwrap();
        let mut w = m.tensor("l0.w_h").unwrap().to_vec();
        if residual {
            for k in 0..4 {
                w[k * 4 + k] += 1.0;
            }
        }
        for (a, b) in j.iter().zip(&w) {
            assert!((a - b).abs() < 1e-15);
        }
    }
}

#[test]
fn grad_flow_norms_agree_with_the_gradient() {
    for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
        let m = Model::<f64>::init(&spec(cell), &InitSpec::default(), 31).unwrap();
        let mut init = m.zero_state();
        init.h[0].iter_mut().for_each(|v| *v = 0.3);
        // T = 1: the only step's W_hh term is the whole ∂J/∂W_hh, and J = J⁽ᵀ⁾.
        let mut ws = Workspace::new();
        forward(&m, &mut ws, SeqInput::Ids(&[2]), Some(&[4]), &init).unwrap();
        let mut g = Gradients::new(&m);
        let flow = backward(
            &m,
            &mut ws,
            SeqInput::Ids(&[2]),
            &[4],
            &BackwardOptions {
                grad_flow: true,
                ..Default::default()
            },
            &mut g,
        )
        .unwrap()
        .unwrap();
        let c = &m.cells()[0];
        let whh_len = c.gates() * 16;
        let off = m
            .layout()
            .tensors
            .iter()
            .find(|t| t.name.ends_with("w_h"))
            .unwrap()
            .offset;
        let total = global_norm(&g.params[off..off + whh_len]);
        assert!((flow.dloss_dwhh_step[0] - total).abs() < 1e-14, "{cell:?}");
        assert_eq!(flow.dloss_dh, flow.dloss_last_dh);
        // T = 6: the triangle inequality ‖Σ_t term_t‖ ≤ Σ_t ‖term_t‖ must hold.
        let (ids, tg) = data(32, 6, 5);
        forward(&m, &mut ws, SeqInput::Ids(&ids), Some(&tg), &init).unwrap();
        g.zero();
        let flow = backward(
            &m,
            &mut ws,
            SeqInput::Ids(&ids),
            &tg,
            &BackwardOptions {
                grad_flow: true,
                ..Default::default()
            },
            &mut g,
        )
        .unwrap()
        .unwrap();
        let total = global_norm(&g.params[off..off + whh_len]);
        assert!(total <= flow.dloss_dwhh_step.iter().sum::<f64>() + 1e-15);
        assert_eq!(flow.dloss_dh.len(), 6);
        // ∂J⁽ᵀ⁾/∂h_T is the readout gradient of the last step alone: ‖Uᵀ(ŷ_T − onehot)‖.
        let v = 5;
        let mut d = ws.probs_at(5).to_vec();
        d[tg[5]] -= 1.0;
        let u = m.tensor("readout.w").unwrap();
        let mut dh = [0.0; 4];
        for r in 0..v {
            for k in 0..4 {
                dh[k] += u[r * 4 + k] * d[r];
            }
        }
        assert!((flow.dloss_last_dh[5] - global_norm(&dh)).abs() < 1e-14);
    }
}

#[test]
fn step_api_and_seq_give_the_same_states() {
    let m = Model::<f64>::init(
        &ModelSpec {
            layers: 2,
            ..spec(CellKind::Lstm)
        },
        &InitSpec::default(),
        41,
    )
    .unwrap();
    let ids = [0, 3, 1, 4];
    let mut ws = Workspace::new();
    forward(&m, &mut ws, SeqInput::Ids(&ids), None, &m.zero_state()).unwrap();
    let mut state = m.zero_state();
    for (t, &id) in ids.iter().enumerate() {
        let (next, caches) = m.step(Input::Id(id), &state).unwrap();
        for (l, cache) in caches.iter().enumerate() {
            assert_eq!(cache, &ws.steps[l][t]);
            assert_eq!(next.h[l], ws.steps[l][t].h);
        }
        state = next;
    }
}

#[test]
fn bad_inputs_are_clear_errors_not_panics() {
    let m = Model::<f64>::init(&spec(CellKind::Lstm), &InitSpec::default(), 1).unwrap();
    let init = m.zero_state();
    let mut ws = Workspace::new();
    let e = forward(&m, &mut ws, SeqInput::Ids(&[]), None, &init).unwrap_err();
    assert!(matches!(e, CoreError::Empty { .. }), "{e}");
    let e = forward(&m, &mut ws, SeqInput::Ids(&[9]), None, &init).unwrap_err();
    assert!(e.to_string().contains("outside the vocabulary"), "{e}");
    let e = forward(&m, &mut ws, SeqInput::Ids(&[1, 2]), Some(&[1]), &init).unwrap_err();
    assert!(matches!(e, CoreError::Shape { .. }), "{e}");
    let e = forward(&m, &mut ws, SeqInput::Ids(&[1]), Some(&[7]), &init).unwrap_err();
    assert!(e.to_string().contains("target"), "{e}");
    let e = forward(
        &m,
        &mut ws,
        SeqInput::Dense {
            data: &[0.0; 5],
            dim: 5,
        },
        None,
        &init,
    )
    .unwrap_err();
    assert!(e.to_string().contains("token ids"), "{e}");
    let mut bad_state = init.clone();
    bad_state.h[0].push(0.0);
    assert!(matches!(
        forward(&m, &mut ws, SeqInput::Ids(&[1]), None, &bad_state),
        Err(CoreError::Shape { .. })
    ));
    bad_state = init.clone();
    bad_state.c[0][0] = f64::NAN;
    assert!(matches!(
        forward(&m, &mut ws, SeqInput::Ids(&[1]), None, &bad_state),
        Err(CoreError::NonFinite { .. })
    ));
    // Backward before forward, and a zero window.
    let mut fresh = Workspace::new();
    let mut g = Gradients::new(&m);
    assert!(backward(
        &m,
        &mut fresh,
        SeqInput::Ids(&[1]),
        &[1],
        &BackwardOptions::default(),
        &mut g
    )
    .is_err());
    forward(&m, &mut ws, SeqInput::Ids(&[1]), Some(&[2]), &init).unwrap();
    let e = backward(
        &m,
        &mut ws,
        SeqInput::Ids(&[1]),
        &[2],
        &BackwardOptions {
            window: Some(0),
            ..Default::default()
        },
        &mut g,
    );
    assert!(e.is_err());
    // Dense models: wrong width, NaN input.
    let dm = Model::<f64>::init(
        &ModelSpec {
            input: InputKind::Dense,
            input_size: 2,
            ..spec(CellKind::Gru)
        },
        &InitSpec::default(),
        1,
    )
    .unwrap();
    let di = dm.zero_state();
    assert!(matches!(
        forward(
            &dm,
            &mut ws,
            SeqInput::Dense {
                data: &[0.0; 3],
                dim: 3
            },
            None,
            &di
        ),
        Err(CoreError::Shape { .. })
    ));
    assert!(matches!(
        forward(
            &dm,
            &mut ws,
            SeqInput::Dense {
                data: &[f64::NAN, 0.0],
                dim: 2
            },
            None,
            &di
        ),
        Err(CoreError::NonFinite { .. })
    ));
    assert!(matches!(
        dm.step(Input::Dense(&[1.0]), &di),
        Err(CoreError::Shape { .. })
    ));
}

#[test]
fn divergence_is_a_state_not_a_crash() {
    // Identity activation with a huge recurrent matrix: the state overflows to infinity.
    let sp = ModelSpec {
        activation: Activation::Identity,
        ..spec(CellKind::Rnn)
    };
    let mut m = Model::<f64>::init(&sp, &InitSpec::default(), 1).unwrap();
    m.set_tensor("l0.w_h", &[1e200; 16]).unwrap();
    let ids = vec![1; 8];
    let mut ws = Workspace::new();
    let out = forward(
        &m,
        &mut ws,
        SeqInput::Ids(&ids),
        Some(&ids),
        &m.zero_state(),
    )
    .unwrap();
    assert!(!out.finite);
    let mut g = Gradients::new(&m);
    backward(
        &m,
        &mut ws,
        SeqInput::Ids(&ids),
        &ids,
        &BackwardOptions::default(),
        &mut g,
    )
    .unwrap();
    let rep = clip_grad_norm(&mut g.params, 5.0, ClipRule::Torch);
    assert!(!rep.finite);
}
