//! The LSTM step exactly as the lecture writes it (Hochreiter and Schmidhuber 1997; the gate form of
//! Gers et al. 2000), forward and backward.
//!
//! Forward (each gate q has W_hq, W_xq, b_q = b_xq + b_hq):
//!
//! ```text
//! i_t = σ(W_hi h_{t−1} + W_xi x_t + b_i)      input gate        (H,)
//! f_t = σ(W_hf h_{t−1} + W_xf x_t + b_f)      forget gate       (H,)
//! o_t = σ(W_ho h_{t−1} + W_xo x_t + b_o)      output gate       (H,)
//! g_t = tanh(W_hg h_{t−1} + W_xg x_t + b_g)   candidate (c̃_t)   (H,)
//! c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t             cell state: the additive path
//! h_t = o_t ⊙ tanh(c_t)
//! ```
//!
//! Backward, given dh = ∂J/∂h_t and dc_in = ∂J/∂c_t arriving from step t+1:
//!
//! ```text
//! do = dh ⊙ tanh(c_t)                    dc = dc_in + dh ⊙ o_t ⊙ (1 − tanh²(c_t))
//! di = dc ⊙ g_t    df = dc ⊙ c_{t−1}     dg = dc ⊙ i_t      dc_prev = dc ⊙ f_t
//! da_q = dq ⊙ σ′ (q = i, f, o),  da_g = dg ⊙ (1 − g_t²)
//! dh_prev = Σ_q W_hqᵀ da_q
//! ```
//!
//! `dc_prev = dc ⊙ f_t` is why the LSTM keeps gradients alive: with f ≈ 1 the cell state passes the
//! gradient back unchanged.
//!
//! # Worked by hand (asserted in the tests)
//!
//! H = D = 1, all W_x = 0, all W_h = 1, h_{t−1} = 0 (so W_h does not change the forward pass),
//! b_i = ln 3, b_f = 0, b_o = ln 3, b_g = ln 2, c_{t−1} = 2 ln 2 − 9/10:
//!
//! * i = σ(ln 3) = 3/4, f = σ(0) = 1/2, o = 3/4, g = tanh(ln 2) = (4 − 1)/(4 + 1) = 3/5
//! * c = ½ (2 ln 2 − 9/10) + ¾ · ⅗ = ln 2 − 9/20 + 9/20 = ln 2, so tanh(c) = 3/5
//! * h = o · tanh(c) = ¾ · ⅗ = 9/20
//! * with dh = 1, dc_in = 0: do = 3/5; dc = ¾ (1 − 9/25) = 12/25; di = 12/25 · 3/5 = 36/125;
//!   dg = 12/25 · 3/4 = 9/25; df = 12/25 · c_{t−1}; dc_prev = 12/25 · ½ = 6/25
//! * da_i = 36/125 · 3/16 = 27/500, da_f = df · ¼ = 3 c_{t−1}/25, da_o = ⅗ · 3/16 = 9/80,
//!   da_g = 9/25 · 16/25 = 144/625; dh_prev = da_i + da_f + da_o + da_g (every W_h is 1).

use super::lstm_gate::{F as GF, G as GG, I as GI, O as GO};
use super::{Cell, Input, StepCache, StepGrads};
use crate::core::activations::{sigmoid, sigmoid_df, tanh_df};
use crate::core::real::Real;

/// Forward step of the LSTM (see the module docs). Writes `cache.gates` = [i, f, o, g], `cache.c`,
/// `cache.tanh_c` and `cache.h`.
pub fn step_forward<F: Real>(
    cell: &Cell,
    p: &[F],
    x: Input<'_, F>,
    h_prev: &[F],
    c_prev: &[F],
    cache: &mut StepCache<F>,
) {
    let h = cell.hidden();
    cell.preactivations(p, x, h_prev, &mut cache.gates);
    let (sig, g) = cache.gates.split_at_mut(GG * h);
    for v in sig.iter_mut() {
        *v = sigmoid(*v);
    }
    for v in g.iter_mut() {
        *v = v.tanh();
    }
    let gates = &cache.gates;
    let (i, f, o, g) = (
        &gates[GI * h..(GI + 1) * h],
        &gates[GF * h..(GF + 1) * h],
        &gates[GO * h..(GO + 1) * h],
        &gates[GG * h..(GG + 1) * h],
    );
    for k in 0..h {
        let c = f[k] * c_prev[k] + i[k] * g[k];
        let tc = c.tanh();
        cache.c[k] = c;
        cache.tanh_c[k] = tc;
        cache.h[k] = o[k] * tc;
    }
}

/// Backward step of the LSTM (see the module docs).
pub fn step_backward<F: Real>(
    cell: &Cell,
    p: &[F],
    c_prev: &[F],
    cache: &StepCache<F>,
    dh: &[F],
    dc_in: &[F],
    back: &mut StepGrads<'_, F>,
) {
    let h = cell.hidden();
    let gates = &cache.gates;
    let (i, f, o, g) = (
        &gates[GI * h..(GI + 1) * h],
        &gates[GF * h..(GF + 1) * h],
        &gates[GO * h..(GO + 1) * h],
        &gates[GG * h..(GG + 1) * h],
    );
    for k in 0..h {
        let tc = cache.tanh_c[k];
        let d_o = dh[k] * tc;
        let dc = dc_in.get(k).copied().unwrap_or_else(F::zero) + dh[k] * o[k] * tanh_df(tc);
        let di = dc * g[k];
        let df = dc * c_prev[k];
        let dg = dc * i[k];
        back.dc_prev[k] = dc * f[k];
        back.da[GI * h + k] = di * sigmoid_df(i[k]);
        back.da[GF * h + k] = df * sigmoid_df(f[k]);
        back.da[GO * h + k] = d_o * sigmoid_df(o[k]);
        back.da[GG * h + k] = dg * tanh_df(g[k]);
    }
    back.dah.copy_from_slice(back.da);
    back.dh_prev.iter_mut().for_each(|v| *v = F::zero());
    F::gemv_t_acc(cell.w_h(p), back.da, back.dh_prev);
}

#[cfg(test)]
mod tests {
    use super::super::model::{InputKind, Model, ModelSpec};
    use super::super::{CellKind, Input, StepGrads};

    #[test]
    fn one_step_worked_by_hand() {
        let spec = ModelSpec {
            cell: CellKind::Lstm,
            input: InputKind::OneHot,
            input_size: 1,
            hidden: 1,
            layers: 1,
            vocab: 1,
            ..ModelSpec::default()
        };
        let mut m = Model::<f64>::zeros(&spec).unwrap();
        let (ln2, ln3) = (2f64.ln(), 3f64.ln());
        for q in ["i", "f", "o", "g"] {
            m.set_tensor(&format!("l0.{q}.w_h"), &[1.0]).unwrap();
        }
        m.set_tensor("l0.i.b_x", &[ln3]).unwrap();
        m.set_tensor("l0.o.b_x", &[ln3]).unwrap();
        m.set_tensor("l0.g.b_x", &[ln2]).unwrap();
        let c_prev = 2.0 * ln2 - 0.9;
        let cell = &m.cells()[0];
        let mut cache = cell.new_cache::<f64>();
        cell.step_forward(&m.params, Input::Id(0), &[0.0], &[c_prev], &mut cache);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        // gates in storage order [i, f, o, g]
        close(cache.gates[0], 0.75);
        close(cache.gates[1], 0.5);
        close(cache.gates[2], 0.75);
        close(cache.gates[3], 0.6);
        close(cache.c[0], ln2);
        close(cache.tanh_c[0], 0.6);
        close(cache.h[0], 9.0 / 20.0);

        let (mut dh_prev, mut dc_prev, mut da, mut dah) = ([0.0], [0.0], [0.0; 4], [0.0; 4]);
        let mut back = StepGrads {
            dh_prev: &mut dh_prev,
            dc_prev: &mut dc_prev,
            da: &mut da,
            dah: &mut dah,
            dx: None,
        };
        cell.step_backward(
            &m.params,
            &[0.0],
            &[c_prev],
            &cache,
            &[1.0],
            &[0.0],
            &mut back,
        );
        close(dc_prev[0], 6.0 / 25.0);
        close(da[0], 27.0 / 500.0);
        close(da[1], 3.0 * c_prev / 25.0);
        close(da[2], 9.0 / 80.0);
        close(da[3], 144.0 / 625.0);
        close(
            dh_prev[0],
            27.0 / 500.0 + 3.0 * c_prev / 25.0 + 9.0 / 80.0 + 144.0 / 625.0,
        );
    }
}
