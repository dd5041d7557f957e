//! The GRU step (Cho et al. 2014) in two conventions, forward and backward.
//!
//! **Lecture (reset before)**, b_q = b_xq + b_hq:
//!
//! ```text
//! z_t = σ(W_hz h_{t−1} + W_xz x_t + b_z)            update gate   (H,)
//! r_t = σ(W_hr h_{t−1} + W_xr x_t + b_r)            reset gate    (H,)
//! h̃_t = tanh(W_hn (r_t ⊙ h_{t−1}) + W_xn x_t + b_n) candidate     (H,)
//! h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t
//! ```
//!
//! **PyTorch `nn.GRUCell` (reset after)**, with the two candidate biases apart:
//!
//! ```text
//! n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t−1} + b_hn))
//! h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}             (z weights the OLD state here)
//! ```
//!
//! Backward (lecture): dh̃ = dh ⊙ z, dz = dh ⊙ (h̃ − h_{t−1}), da_n = dh̃ ⊙ (1 − h̃²),
//! d(r⊙h) = W_hnᵀ da_n, dr = d(r⊙h) ⊙ h_{t−1},
//! dh_prev = dh ⊙ (1 − z) + d(r⊙h) ⊙ r + W_hzᵀ da_z + W_hrᵀ da_r.
//!
//! Backward (PyTorch): dn = dh ⊙ (1 − z), dz = dh ⊙ (h_{t−1} − n), da_n = dn ⊙ (1 − n²),
//! dhn = da_n ⊙ r (the h-side gradient of the candidate), dr = da_n ⊙ (W_hn h_{t−1} + b_hn),
//! dh_prev = dh ⊙ z + W_hzᵀ da_z + W_hrᵀ da_r + W_hnᵀ dhn.
//!
//! # Worked by hand (asserted in the tests)
//!
//! H = D = 1, W_x = 0, W_hz = W_hr = 0, W_hn = 1, b_z = ln 3, b_r = 0, h_{t−1} = 2, so z = 3/4, r = 1/2:
//!
//! * lecture, b_n = ln 2 − 1: h̃ = tanh(1 · (½ · 2) + ln 2 − 1) = tanh(ln 2) = 3/5;
//!   h = ¼ · 2 + ¾ · ⅗ = 19/20. With dh = 1: dz = ⅗ − 2 = −7/5, da_z = −7/5 · 3/16 = −21/80;
//!   da_n = ¾ · 16/25 = 12/25; dr = 12/25 · 2 = 24/25, da_r = 24/25 · ¼ = 6/25;
//!   dh_prev = ¼ + 12/25 · ½ = 49/100.
//! * PyTorch, b_xn = ln 2 − 1, b_hn = 0: W_hn h + b_hn = 2, n = tanh(ln 2 − 1 + ½ · 2) = 3/5;
//!   h = ¼ · ⅗ + ¾ · 2 = 33/20. With dh = 1: dz = 2 − ⅗ = 7/5, da_z = 21/80; da_n = ¼ · 16/25 = 4/25;
//!   dhn = 2/25; dr = 4/25 · 2 = 8/25, da_r = 2/25; dh_prev = ¾ + 1 · 2/25 = 83/100.

use super::gru_gate::{N, R, Z};
use super::{Cell, GruVariant, Input, StepCache, StepGrads};
use crate::core::activations::{sigmoid, sigmoid_df, tanh_df};
use crate::core::real::Real;

/// Forward step of the GRU in the cell's variant (see the module docs). Writes `cache.gates` =
/// [z, r, n], `cache.aux` (reset-before: r ⊙ h_{t−1}; reset-after: W_hn h_{t−1} + b_hn) and `cache.h`.
pub fn step_forward<F: Real>(
    cell: &Cell,
    p: &[F],
    x: Input<'_, F>,
    h_prev: &[F],
    cache: &mut StepCache<F>,
) {
    let h = cell.hidden();
    let (b_x, b_h) = (cell.b_x(p), cell.b_h(p));
    let a = &mut cache.gates; // (3H,) pre-activations, then gate values
                              // x side for all three blocks, plus b_x.
    a.copy_from_slice(b_x);
    cell.add_input_term(p, x, a);
    // h side of z and r: W_h[z,r] h_prev + b_h[z,r].
    let w_h = cell.w_h(p);
    let zr = &mut a[..2 * h];
    F::axpy(F::one(), &b_h[..2 * h], zr);
    F::gemv_acc(&w_h[..2 * h * h], h_prev, zr);
    for v in zr.iter_mut() {
        *v = sigmoid(*v);
    }
    let w_hn = cell.w_h_block(p, N);
    let b_hn = &b_h[N * h..(N + 1) * h];
    match cell.spec.gru {
        GruVariant::Lecture => {
            for k in 0..h {
                cache.aux[k] = a[R * h + k] * h_prev[k];
            }
            let an = &mut a[N * h..];
            F::axpy(F::one(), b_hn, an);
            F::gemv_acc(w_hn, &cache.aux, an);
            for v in an.iter_mut() {
                *v = v.tanh();
            }
            for k in 0..h {
                let z = a[Z * h + k];
                cache.h[k] = (F::one() - z) * h_prev[k] + z * a[N * h + k];
            }
        }
        GruVariant::Torch => {
            cache.aux.copy_from_slice(b_hn);
            F::gemv_acc(w_hn, h_prev, &mut cache.aux);
            for k in 0..h {
                let r = a[R * h + k];
                let n = (a[N * h + k] + r * cache.aux[k]).tanh();
                a[N * h + k] = n;
                let z = a[Z * h + k];
                cache.h[k] = (F::one() - z) * n + z * h_prev[k];
            }
        }
    }
}

/// Backward step of the GRU (see the module docs).
pub fn step_backward<F: Real>(
    cell: &Cell,
    p: &[F],
    h_prev: &[F],
    cache: &StepCache<F>,
    dh: &[F],
    back: &mut StepGrads<'_, F>,
) {
    let h = cell.hidden();
    let gates = &cache.gates;
    let (z, r, n) = (
        &gates[Z * h..(Z + 1) * h],
        &gates[R * h..(R + 1) * h],
        &gates[N * h..(N + 1) * h],
    );
    let w_h = cell.w_h(p);
    match cell.spec.gru {
        GruVariant::Lecture => {
            // Candidate first: da_n, then d(r ⊙ h) = W_hnᵀ da_n (kept in dh_prev for now).
            for k in 0..h {
                back.da[N * h + k] = dh[k] * z[k] * tanh_df(n[k]);
                back.da[Z * h + k] = dh[k] * (n[k] - h_prev[k]) * sigmoid_df(z[k]);
            }
            back.dh_prev.iter_mut().for_each(|v| *v = F::zero());
            F::gemv_t_acc(cell.w_h_block(p, N), &back.da[N * h..], back.dh_prev);
            for k in 0..h {
                let drh = back.dh_prev[k];
                back.da[R * h + k] = drh * h_prev[k] * sigmoid_df(r[k]);
                back.dh_prev[k] = drh * r[k] + dh[k] * (F::one() - z[k]);
            }
            back.dah.copy_from_slice(back.da);
            F::gemv_t_acc(&w_h[..2 * h * h], &back.da[..2 * h], back.dh_prev);
        }
        GruVariant::Torch => {
            for k in 0..h {
                let dan = dh[k] * (F::one() - z[k]) * tanh_df(n[k]);
                back.da[N * h + k] = dan;
                back.dah[N * h + k] = dan * r[k];
                back.da[R * h + k] = dan * cache.aux[k] * sigmoid_df(r[k]);
                back.da[Z * h + k] = dh[k] * (h_prev[k] - n[k]) * sigmoid_df(z[k]);
                back.dh_prev[k] = dh[k] * z[k];
            }
            let (da, dah) = (&*back.da, &mut *back.dah);
            dah[..2 * h].copy_from_slice(&da[..2 * h]);
            F::gemv_t_acc(w_h, dah, back.dh_prev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{InputKind, Model, ModelSpec};
    use super::super::{CellKind, GruVariant, Input, StepGrads};

    fn check(variant: GruVariant, h_want: f64, da_want: [f64; 3], dh_prev_want: f64) {
        let spec = ModelSpec {
            cell: CellKind::Gru,
            gru: variant,
            input: InputKind::OneHot,
            input_size: 1,
            hidden: 1,
            layers: 1,
            vocab: 1,
            ..ModelSpec::default()
        };
        let mut m = Model::<f64>::zeros(&spec).unwrap();
        let (ln2, ln3) = (2f64.ln(), 3f64.ln());
        m.set_tensor("l0.n.w_h", &[1.0]).unwrap();
        m.set_tensor("l0.z.b_x", &[ln3]).unwrap();
        m.set_tensor("l0.n.b_x", &[ln2 - 1.0]).unwrap();
        let cell = &m.cells()[0];
        let mut cache = cell.new_cache::<f64>();
        cell.step_forward(&m.params, Input::Id(0), &[2.0], &[], &mut cache);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-15, "{variant:?}: {a} vs {b}");
        close(cache.gates[0], 0.75);
        close(cache.gates[1], 0.5);
        close(cache.gates[2], 0.6);
        close(cache.h[0], h_want);
        let (mut dh_prev, mut da, mut dah) = ([0.0], [0.0; 3], [0.0; 3]);
        let mut back = StepGrads {
            dh_prev: &mut dh_prev,
            dc_prev: &mut [],
            da: &mut da,
            dah: &mut dah,
            dx: None,
        };
        cell.step_backward(&m.params, &[2.0], &[], &cache, &[1.0], &[], &mut back);
        for k in 0..3 {
            close(da[k], da_want[k]);
        }
        close(dh_prev[0], dh_prev_want);
    }

    #[test]
    fn one_step_worked_by_hand_lecture() {
        check(
            GruVariant::Lecture,
            19.0 / 20.0,
            [-21.0 / 80.0, 6.0 / 25.0, 12.0 / 25.0],
            49.0 / 100.0,
        );
    }

    #[test]
    fn one_step_worked_by_hand_torch() {
        check(
            GruVariant::Torch,
            33.0 / 20.0,
            [21.0 / 80.0, 2.0 / 25.0, 4.0 / 25.0],
            83.0 / 100.0,
        );
    }
}
