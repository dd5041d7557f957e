//! Finite-difference gradient checking (central differences, f64).
//!
//! For every parameter θ_k: numeric = (J(θ + ε e_k) − J(θ − ε e_k)) / 2ε, compared with the BPTT
//! gradient. The central difference has truncation error ε²/6 · J‴ and rounding error ≈ u·|J|/ε
//! (u = 2⁻⁵³), both around 1e-11 for ε = 1e-5, so agreement to ~1e-9 absolute is expected.
//!
//! Relative error is |analytic − numeric| / max(|analytic|, |numeric|, `floor`): entries smaller than
//! `floor` (default 1e-4) are judged on an absolute scale, since a relative error of two numbers that
//! are both ~1e-12 means nothing. The checker reports the largest error per tensor.
//!
//! Only the *full* BPTT gradient is the gradient of J; truncated BPTT deliberately is not, so a
//! window is refused here.

use crate::core::error::{CoreError, Result};
use crate::core::rnn::bptt::LossReduction;
use crate::core::rnn::bptt::{backward, forward, BackwardOptions, Gradients, SeqInput, Workspace};
use crate::core::rnn::model::{Model, State};
use serde::{Deserialize, Serialize};

/// Options of [`grad_check`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GradCheckOptions {
    /// Step ε of the central difference. Default 1e-5.
    pub eps: f64,
    /// Magnitude below which errors are measured absolutely. Default 1e-4.
    pub floor: f64,
    /// Check at most this many entries per tensor (evenly spaced); `None` = all. Default `None`.
    pub max_per_tensor: Option<usize>,
    /// Loss reduction (mean or sum). Default mean.
    pub reduction: LossReduction,
}

impl Default for GradCheckOptions {
    fn default() -> Self {
        GradCheckOptions {
            eps: 1e-5,
            floor: 1e-4,
            max_per_tensor: None,
            reduction: LossReduction::Mean,
        }
    }
}

/// The result for one tensor (a parameter tensor, `x`, `h0.l{k}` or `c0.l{k}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorCheck {
    /// Tensor name.
    pub name: String,
    /// Entries compared.
    pub checked: usize,
    /// Largest relative error (see the module docs).
    pub max_rel_err: f64,
    /// Largest absolute error.
    pub max_abs_err: f64,
    /// Flat index (inside the tensor) of the largest relative error.
    pub worst: usize,
    /// Analytic and numeric values at `worst`.
    pub worst_pair: (f64, f64),
}

fn loss_of(
    model: &Model<f64>,
    ws: &mut Workspace<f64>,
    xs: SeqInput<'_, f64>,
    targets: &[usize],
    init: &State<f64>,
    red: LossReduction,
) -> Result<f64> {
    let out = forward(model, ws, xs, Some(targets), init)?;
    Ok(match red {
        LossReduction::Mean => out.mean_loss,
        LossReduction::Sum => out.sum_loss,
    })
}

struct Acc {
    c: TensorCheck,
}

impl Acc {
    fn new(name: &str) -> Self {
        Acc {
            c: TensorCheck {
                name: name.into(),
                checked: 0,
                max_rel_err: 0.0,
                max_abs_err: 0.0,
                worst: 0,
                worst_pair: (0.0, 0.0),
            },
        }
    }
    fn add(&mut self, k: usize, analytic: f64, numeric: f64, floor: f64) {
        let abs = (analytic - numeric).abs();
        let rel = abs / analytic.abs().max(numeric.abs()).max(floor);
        self.c.checked += 1;
        self.c.max_abs_err = self.c.max_abs_err.max(abs);
        if rel > self.c.max_rel_err || self.c.checked == 1 || rel.is_nan() {
            self.c.max_rel_err = if rel.is_nan() {
                f64::INFINITY
            } else {
                rel.max(self.c.max_rel_err)
            };
            self.c.worst = k;
            self.c.worst_pair = (analytic, numeric);
        }
    }
}

fn state_entry<'a>(s: &'a mut State<f64>, which: &str, l: usize, k: usize) -> &'a mut f64 {
    if which == "h0" {
        &mut s.h[l][k]
    } else {
        &mut s.c[l][k]
    }
}

fn indices(n: usize, max: Option<usize>) -> Vec<usize> {
    match max {
        Some(m) if m < n && m > 0 => (0..m).map(|i| i * n / m).collect(),
        _ => (0..n).collect(),
    }
}

/// Compares the BPTT gradient with central differences for every parameter tensor, and for dense
/// inputs `x`, the initial hidden state `h0.l{k}` and (LSTM) cell state `c0.l{k}`.
pub fn grad_check(
    model: &Model<f64>,
    xs: SeqInput<'_, f64>,
    targets: &[usize],
    init: &State<f64>,
    opts: &GradCheckOptions,
) -> Result<Vec<TensorCheck>> {
    if !(opts.eps.is_finite() && opts.eps > 0.0) {
        return Err(CoreError::invalid("eps", "must be a positive number"));
    }
    let mut ws = Workspace::new();
    forward(model, &mut ws, xs, Some(targets), init)?;
    let mut g = Gradients::new(model);
    let bopts = BackwardOptions {
        reduction: opts.reduction,
        window: None,
        grad_flow: false,
    };
    backward(model, &mut ws, xs, targets, &bopts, &mut g)?;
    let eps = opts.eps;
    let mut out = Vec::new();
    let mut m = model.clone();
    for t in &model.layout().tensors {
        let mut acc = Acc::new(&t.name);
        for k in indices(t.len(), opts.max_per_tensor) {
            let i = t.offset + k;
            let orig = m.params[i];
            m.params[i] = orig + eps;
            let jp = loss_of(&m, &mut ws, xs, targets, init, opts.reduction)?;
            m.params[i] = orig - eps;
            let jm = loss_of(&m, &mut ws, xs, targets, init, opts.reduction)?;
            m.params[i] = orig;
            acc.add(k, g.params[i], (jp - jm) / (2.0 * eps), opts.floor);
        }
        out.push(acc.c);
    }
    if let SeqInput::Dense { data, dim } = xs {
        let mut acc = Acc::new("x");
        let mut x = data.to_vec();
        for k in indices(x.len(), opts.max_per_tensor) {
            let orig = x[k];
            x[k] = orig + eps;
            let jp = loss_of(
                model,
                &mut ws,
                SeqInput::Dense { data: &x, dim },
                targets,
                init,
                opts.reduction,
            )?;
            x[k] = orig - eps;
            let jm = loss_of(
                model,
                &mut ws,
                SeqInput::Dense { data: &x, dim },
                targets,
                init,
                opts.reduction,
            )?;
            x[k] = orig;
            acc.add(k, g.dx[k], (jp - jm) / (2.0 * eps), opts.floor);
        }
        out.push(acc.c);
    }
    let mut st = init.clone();
    for l in 0..init.h.len() {
        for which in ["h0", "c0"] {
            let n = if which == "h0" {
                st.h[l].len()
            } else {
                st.c[l].len()
            };
            if n == 0 {
                continue;
            }
            let mut acc = Acc::new(&format!("{which}.l{l}"));
            for k in 0..n {
                let orig = *state_entry(&mut st, which, l, k);
                *state_entry(&mut st, which, l, k) = orig + eps;
                let jp = loss_of(model, &mut ws, xs, targets, &st, opts.reduction)?;
                *state_entry(&mut st, which, l, k) = orig - eps;
                let jm = loss_of(model, &mut ws, xs, targets, &st, opts.reduction)?;
                *state_entry(&mut st, which, l, k) = orig;
                let analytic = if which == "h0" {
                    g.dh0[l][k]
                } else {
                    g.dc0[l][k]
                };
                acc.add(k, analytic, (jp - jm) / (2.0 * eps), opts.floor);
            }
            out.push(acc.c);
        }
    }
    Ok(out)
}
