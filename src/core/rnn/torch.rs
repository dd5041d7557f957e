//! The one converter between RNN Lab's per-gate weights and PyTorch's packed layout.
//!
//! PyTorch (`nn.RNNCell`/`nn.RNN`, `nn.LSTMCell`/`nn.LSTM`, `nn.GRUCell`/`nn.GRU`) stores each layer as
//! `weight_ih` (G·H, D), `weight_hh` (G·H, H), `bias_ih` (G·H), `bias_hh` (G·H), with the gate blocks
//! stacked in its own order:
//!
//! | cell | PyTorch rows | RNN Lab storage (the lecture's order) |
//! | --- | --- | --- |
//! | RNN | — | — |
//! | LSTM | `[i, f, g, o]` | `[i, f, o, g]` |
//! | GRU | `[r, z, n]` | `[z, r, n]` |
//!
//! So converting is a permutation of row blocks; the values are copied unchanged (`weight_ih` block q
//! → `q.w_x`, `weight_hh` → `q.w_h`, `bias_ih` → `q.b_x`, `bias_hh` → `q.b_h`). Only cells PyTorch can
//! express convert: tanh/ReLU non-residual RNNs, LSTMs, and the reset-after ([`GruVariant::Torch`]) GRU.
//! (The lecture's reset-before GRU has no PyTorch module; its z also has the opposite meaning —
//! negating the z rows maps one z convention onto the other, but not reset-before onto reset-after.)
//! The readout maps to `nn.Linear(H, V)`: `weight` (V, H) → `readout.w`, `bias` (V) → `readout.b`.

use super::model::Model;
use super::{CellKind, GruVariant};
use crate::core::activations::Activation;
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;

/// One layer in PyTorch's packed layout (row-major flat vectors).
#[derive(Clone, Debug, PartialEq)]
pub struct TorchLayer<F> {
    /// `weight_ih_l{k}`, (G·H, D).
    pub weight_ih: Vec<F>,
    /// `weight_hh_l{k}`, (G·H, H).
    pub weight_hh: Vec<F>,
    /// `bias_ih_l{k}`, (G·H).
    pub bias_ih: Vec<F>,
    /// `bias_hh_l{k}`, (G·H).
    pub bias_hh: Vec<F>,
}

/// For storage block q (ours), the PyTorch block it comes from.
fn torch_block_of(kind: CellKind) -> &'static [usize] {
    match kind {
        CellKind::Rnn => &[0],
        // ours [i, f, o, g] ← torch [i, f, g, o]
        CellKind::Lstm => &[0, 1, 3, 2],
        // ours [z, r, n] ← torch [r, z, n]
        CellKind::Gru => &[1, 0, 2],
    }
}

fn check_expressible<F: Real>(model: &Model<F>) -> Result<()> {
    let s = model.spec();
    match s.cell {
        CellKind::Rnn if s.residual => Err(CoreError::invalid("PyTorch conversion", "PyTorch has no residual RNN cell")),
        CellKind::Rnn if !matches!(s.activation, Activation::Tanh | Activation::Relu) => Err(CoreError::invalid(
            "PyTorch conversion",
            format!("PyTorch's RNN supports tanh and relu, not {}", s.activation.name()),
        )),
        CellKind::Gru if s.gru == GruVariant::Lecture => Err(CoreError::invalid(
            "PyTorch conversion",
            "the lecture's reset-before GRU has no PyTorch equivalent; use the torch (reset-after) variant",
        )),
        _ => Ok(()),
    }
}

/// Copies PyTorch layer `layer` into the model (shapes and finiteness checked).
pub fn layer_from_torch<F: Real>(
    model: &mut Model<F>,
    layer: usize,
    w: &TorchLayer<F>,
) -> Result<()> {
    check_expressible(model)?;
    let cell = model
        .cells()
        .get(layer)
        .ok_or_else(|| CoreError::invalid("layer", format!("no layer {layer}")))?
        .clone();
    let (g, h, d) = (cell.gates(), cell.hidden(), cell.input());
    let want = [
        ("weight_ih", g * h * d, w.weight_ih.len()),
        ("weight_hh", g * h * h, w.weight_hh.len()),
        ("bias_ih", g * h, w.bias_ih.len()),
        ("bias_hh", g * h, w.bias_hh.len()),
    ];
    for (name, n, got) in want {
        if n != got {
            return Err(CoreError::shape(name, n, got));
        }
    }
    for (name, v) in [
        ("weight_ih", &w.weight_ih),
        ("weight_hh", &w.weight_hh),
        ("bias_ih", &w.bias_ih),
        ("bias_hh", &w.bias_hh),
    ] {
        if v.iter().any(|x| !x.is_finite()) {
            return Err(CoreError::non_finite(name));
        }
    }
    let perm = torch_block_of(cell.spec.kind);
    let p = &mut model.params;
    for (q, &tq) in perm.iter().enumerate() {
        let dst = cell.w_x + q * h * d;
        p[dst..dst + h * d].copy_from_slice(&w.weight_ih[tq * h * d..(tq + 1) * h * d]);
        let dst = cell.w_h + q * h * h;
        p[dst..dst + h * h].copy_from_slice(&w.weight_hh[tq * h * h..(tq + 1) * h * h]);
        let dst = cell.b_x + q * h;
        p[dst..dst + h].copy_from_slice(&w.bias_ih[tq * h..(tq + 1) * h]);
        let dst = cell.b_h + q * h;
        p[dst..dst + h].copy_from_slice(&w.bias_hh[tq * h..(tq + 1) * h]);
    }
    Ok(())
}

/// Reads layer `layer` (or its gradient, when `buf` is a gradient buffer) out in PyTorch's layout.
pub fn layer_to_torch<F: Real>(model: &Model<F>, buf: &[F], layer: usize) -> Result<TorchLayer<F>> {
    check_expressible(model)?;
    if buf.len() != model.layout().len {
        return Err(CoreError::shape(
            "parameter buffer",
            model.layout().len,
            buf.len(),
        ));
    }
    let cell = model
        .cells()
        .get(layer)
        .ok_or_else(|| CoreError::invalid("layer", format!("no layer {layer}")))?;
    let (g, h, d) = (cell.gates(), cell.hidden(), cell.input());
    let mut out = TorchLayer {
        weight_ih: vec![F::zero(); g * h * d],
        weight_hh: vec![F::zero(); g * h * h],
        bias_ih: vec![F::zero(); g * h],
        bias_hh: vec![F::zero(); g * h],
    };
    for (q, &tq) in torch_block_of(cell.spec.kind).iter().enumerate() {
        out.weight_ih[tq * h * d..(tq + 1) * h * d]
            .copy_from_slice(&buf[cell.w_x + q * h * d..cell.w_x + (q + 1) * h * d]);
        out.weight_hh[tq * h * h..(tq + 1) * h * h]
            .copy_from_slice(&buf[cell.w_h + q * h * h..cell.w_h + (q + 1) * h * h]);
        out.bias_ih[tq * h..(tq + 1) * h]
            .copy_from_slice(&buf[cell.b_x + q * h..cell.b_x + (q + 1) * h]);
        out.bias_hh[tq * h..(tq + 1) * h]
            .copy_from_slice(&buf[cell.b_h + q * h..cell.b_h + (q + 1) * h]);
    }
    Ok(out)
}

/// Copies an `nn.Linear(H, V)` readout into the model.
pub fn readout_from_torch<F: Real>(model: &mut Model<F>, weight: &[F], bias: &[F]) -> Result<()> {
    model.set_tensor("readout.w", weight)?;
    model.set_tensor("readout.b", bias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rnn::model::{InitSpec, ModelSpec};

    #[test]
    fn lstm_blocks_are_permuted_and_round_trip() {
        let spec = ModelSpec {
            cell: CellKind::Lstm,
            input_size: 1,
            hidden: 1,
            vocab: 1,
            ..Default::default()
        };
        let mut m = Model::<f64>::zeros(&spec).unwrap();
        // PyTorch rows [i, f, g, o] = [1, 2, 3, 4].
        let t = TorchLayer {
            weight_ih: vec![1.0, 2.0, 3.0, 4.0],
            weight_hh: vec![10.0, 20.0, 30.0, 40.0],
            bias_ih: vec![0.1, 0.2, 0.3, 0.4],
            bias_hh: vec![0.5, 0.6, 0.7, 0.8],
        };
        layer_from_torch(&mut m, 0, &t).unwrap();
        assert_eq!(m.tensor("l0.g.w_x").unwrap(), &[3.0]);
        assert_eq!(m.tensor("l0.o.w_h").unwrap(), &[40.0]);
        assert_eq!(m.tensor("l0.o.b_h").unwrap(), &[0.8]);
        assert_eq!(layer_to_torch(&m, &m.params, 0).unwrap(), t);
    }

    #[test]
    fn gru_blocks_swap_r_and_z_and_lecture_gru_is_refused() {
        let spec = ModelSpec {
            cell: CellKind::Gru,
            gru: GruVariant::Torch,
            input_size: 1,
            hidden: 1,
            vocab: 1,
            ..Default::default()
        };
        let mut m = Model::<f64>::init(&spec, &InitSpec::default(), 1).unwrap();
        let t = TorchLayer {
            weight_ih: vec![1.0, 2.0, 3.0],
            weight_hh: vec![4.0, 5.0, 6.0],
            bias_ih: vec![7.0, 8.0, 9.0],
            bias_hh: vec![0.0, 0.5, 1.0],
        };
        layer_from_torch(&mut m, 0, &t).unwrap();
        assert_eq!(m.tensor("l0.r.w_x").unwrap(), &[1.0]);
        assert_eq!(m.tensor("l0.z.w_x").unwrap(), &[2.0]);
        assert_eq!(layer_to_torch(&m, &m.params, 0).unwrap(), t);
        let lecture = ModelSpec {
            gru: GruVariant::Lecture,
            ..spec
        };
        let mut m = Model::<f64>::zeros(&lecture).unwrap();
        assert!(layer_from_torch(&mut m, 0, &t).is_err());
        // Wrong shapes are errors, not panics.
        let spec = ModelSpec {
            cell: CellKind::Lstm,
            input_size: 1,
            hidden: 1,
            vocab: 1,
            ..Default::default()
        };
        let mut m = Model::<f64>::zeros(&spec).unwrap();
        let short = TorchLayer {
            weight_ih: vec![1.0],
            ..t
        };
        assert!(matches!(
            layer_from_torch(&mut m, 0, &short),
            Err(CoreError::Shape { .. })
        ));
    }
}
