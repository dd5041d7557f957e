//! The vanilla (Elman) RNN step, forward and backward — the lecture's first recurrent equation.
//!
//! Forward (lecture, "RNN" slide; b = b_x + b_h):
//!
//! ```text
//! a_t = W_hh h_{t−1} + W_xh x_t + b          (H,)
//! h_t = act(a_t)                              plain
//! h_t = h_{t−1} + act(a_t)                    residual (the lecture's skip connection)
//! ```
//!
//! Backward, given dh = ∂J/∂h_t (y = act(a_t) is cached):
//!
//! ```text
//! da      = dh ⊙ act′(y)                      (act′ from the output)
//! dh_prev = W_hhᵀ da            (+ dh when residual: the identity path that does not vanish)
//! dW_hh  += da h_{t−1}ᵀ,  dW_xh += da x_tᵀ,  db += da
//! ```
//!
//! # Worked by hand (asserted in the tests)
//!
//! H = 2, D = 2, ReLU, W_hh = [[1, 2], [0, 1]], W_xh = [[1, 0], [0, −1]], b = (0, 1),
//! h_{t−1} = (1, −1), x_t = (2, 3):
//!
//! * a = (1·1 + 2·(−1), 0·1 + 1·(−1)) + (2, −3) + (0, 1) = (−1, −1) + (2, −3) + (0, 1) = (1, −3)
//! * h = relu(a) = (1, 0); residual: h = h_{t−1} + (1, 0) = (2, −1)
//! * with dh = (1, 1): da = (1·1, 1·0) = (1, 0); dh_prev = W_hhᵀ da = (1, 2) (residual: (2, 3));
//!   dx = W_xhᵀ da = (1, 0); dW_hh = da h_{t−1}ᵀ = [[1, −1], [0, 0]]; db = (1, 0).

use super::{Cell, Input, StepCache, StepGrads};
use crate::core::real::Real;

/// Forward step of the vanilla RNN (see the module docs). Writes `cache.gates` = act(a) and `cache.h`.
pub fn step_forward<F: Real>(
    cell: &Cell,
    p: &[F],
    x: Input<'_, F>,
    h_prev: &[F],
    cache: &mut StepCache<F>,
) {
    let act = cell.spec.activation;
    let y = &mut cache.gates; // (H,) first a, then act(a)
    cell.preactivations(p, x, h_prev, y);
    for v in y.iter_mut() {
        *v = act.f(*v);
    }
    if cell.spec.residual {
        for ((h, hp), yv) in cache.h.iter_mut().zip(h_prev).zip(y.iter()) {
            *h = *hp + *yv;
        }
    } else {
        cache.h.copy_from_slice(y);
    }
}

/// Backward step of the vanilla RNN (see the module docs).
pub fn step_backward<F: Real>(
    cell: &Cell,
    p: &[F],
    _h_prev: &[F],
    cache: &StepCache<F>,
    dh: &[F],
    back: &mut StepGrads<'_, F>,
) {
    let act = cell.spec.activation;
    for ((da, y), g) in back.da.iter_mut().zip(&cache.gates).zip(dh) {
        *da = *g * act.df_from_output(*y);
    }
    back.dah.copy_from_slice(back.da);
    if cell.spec.residual {
        back.dh_prev.copy_from_slice(dh);
    } else {
        back.dh_prev.iter_mut().for_each(|v| *v = F::zero());
    }
    F::gemv_t_acc(cell.w_h(p), back.da, back.dh_prev);
}

#[cfg(test)]
mod tests {
    use super::super::model::{InputKind, Model, ModelSpec};
    use super::super::{CellKind, Input, StepGrads, StepRecord};
    use crate::core::activations::Activation;

    fn hand_model(residual: bool) -> Model<f64> {
        let spec = ModelSpec {
            cell: CellKind::Rnn,
            input: InputKind::Dense,
            input_size: 2,
            hidden: 2,
            layers: 1,
            vocab: 1,
            activation: Activation::Relu,
            residual,
            ..ModelSpec::default()
        };
        let mut m = Model::<f64>::zeros(&spec).expect("valid spec");
        m.set_tensor("l0.w_h", &[1.0, 2.0, 0.0, 1.0]).unwrap();
        m.set_tensor("l0.w_x", &[1.0, 0.0, 0.0, -1.0]).unwrap();
        m.set_tensor("l0.b_x", &[0.0, 1.0]).unwrap();
        m
    }

    #[test]
    fn one_step_worked_by_hand() {
        for residual in [false, true] {
            let m = hand_model(residual);
            let cell = &m.cells()[0];
            let (h_prev, x) = ([1.0, -1.0], [2.0, 3.0]);
            let mut cache = cell.new_cache::<f64>();
            cell.step_forward(&m.params, Input::Dense(&x), &h_prev, &[], &mut cache);
            assert_eq!(cache.gates, vec![1.0, 0.0]);
            assert_eq!(
                cache.h,
                if residual {
                    vec![2.0, -1.0]
                } else {
                    vec![1.0, 0.0]
                }
            );

            let (mut dh_prev, mut da, mut dah, mut dx) = ([0.0; 2], [0.0; 2], [0.0; 2], [0.0; 2]);
            let mut back = StepGrads {
                dh_prev: &mut dh_prev,
                dc_prev: &mut [],
                da: &mut da,
                dah: &mut dah,
                dx: Some(&mut dx),
            };
            cell.step_backward(&m.params, &h_prev, &[], &cache, &[1.0, 1.0], &[], &mut back);
            assert_eq!(da, [1.0, 0.0]);
            assert_eq!(dx, [1.0, 0.0]);
            assert_eq!(dh_prev, if residual { [2.0, 3.0] } else { [1.0, 2.0] });
            let mut grads = vec![0.0; m.layout().len];
            let rec = StepRecord {
                x: Input::Dense(&x),
                h_prev: &h_prev,
                rh: &[],
                da: &da,
                dah: &dah,
            };
            cell.accumulate_param_grads(1, |_| rec, &mut grads);
            assert_eq!(
                m.layout().require("l0.w_h").unwrap().slice(&grads),
                &[1.0, -1.0, 0.0, 0.0]
            );
            assert_eq!(
                m.layout().require("l0.w_x").unwrap().slice(&grads),
                &[2.0, 3.0, 0.0, 0.0]
            );
            assert_eq!(
                m.layout().require("l0.b_x").unwrap().slice(&grads),
                &[1.0, 0.0]
            );
            assert_eq!(
                m.layout().require("l0.b_h").unwrap().slice(&grads),
                &[1.0, 0.0]
            );
        }
    }
}
