//! Recurrent cells — vanilla RNN, LSTM, GRU — with explicit forward/backward step pairs.
//!
//! # How the pieces fit
//!
//! * A [`Cell`] knows its kind, sizes and where its weights live in a flat parameter buffer; it has no
//!   weights of its own. `step_forward` reads the weights, the input x_t and the previous state and
//!   fills a [`StepCache`] (gate values and the new state); `step_backward` reads that cache and turns
//!   ∂J/∂h_t (and ∂J/∂c_t) into ∂J/∂h_{t−1}, ∂J/∂c_{t−1}, ∂J/∂x_t and the weight gradients. (llm.c
//!   `*_forward`/`*_backward`.)
//! * All parameters of a model live in one contiguous buffer described by a [`Layout`]: a list of
//!   named tensors. Each gate has its own named weights (`l0.f.w_h` is W_hf of layer 0, the forget
//!   gate's recurrent weights), and the gate blocks of one kind are adjacent, so the stacked
//!   (G·H, H) matrix used by the fast kernels is a single slice. Optimisers, clipping, the gradient
//!   checker and the file format all work on that flat buffer.
//! * [`model::Model`] stacks cells and a softmax readout; [`bptt`] unrolls it over a sequence
//!   (`seq` is a loop over `step`) and runs backpropagation through time.
//!
//! # Bias convention
//!
//! Every gate has two bias vectors, `b_x` and `b_h`, as PyTorch's `bias_ih` and `bias_hh`. The
//! lecture's single bias b is their sum. Two are kept because the reset-after GRU needs them apart and
//! because an optimiser moves each separately (so SGD moves b = b_x + b_h twice as fast as one bias);
//! keeping both is what lets the training trajectories match PyTorch to the last digit.
//!
//! # Gate order
//!
//! Stored in the lecture's order: LSTM `[i, f, o, g]`, GRU `[z, r, n]` (n is the candidate h̃).
//! PyTorch's packed orders (`[i, f, g, o]`, `[r, z, n]`) are handled only by [`torch`].

pub mod bptt;
pub mod format;
pub mod gru;
pub mod lstm;
pub mod model;
pub mod torch;
pub mod vanilla;

use crate::core::activations::Activation;
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use serde::{Deserialize, Serialize};

/// Which recurrent cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// Vanilla (Elman) RNN: h_t = act(W_hh h_{t−1} + W_xh x_t + b), optionally residual.
    Rnn,
    /// Long short-term memory with gates i, f, o and candidate g.
    #[default]
    Lstm,
    /// Gated recurrent unit with update gate z, reset gate r and candidate n (h̃).
    Gru,
}

impl CellKind {
    /// Number of stacked gate blocks G.
    pub fn gates(self) -> usize {
        match self {
            CellKind::Rnn => 1,
            CellKind::Lstm => 4,
            CellKind::Gru => 3,
        }
    }

    /// Gate names in storage order (the lecture's order). The vanilla RNN has one unnamed block.
    pub fn gate_names(self) -> &'static [&'static str] {
        match self {
            CellKind::Rnn => &[""],
            CellKind::Lstm => &["i", "f", "o", "g"],
            CellKind::Gru => &["z", "r", "n"],
        }
    }

    /// Lower-case name used in configs, URLs and files.
    pub fn name(self) -> &'static str {
        match self {
            CellKind::Rnn => "rnn",
            CellKind::Lstm => "lstm",
            CellKind::Gru => "gru",
        }
    }
}

/// The two GRU conventions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GruVariant {
    /// The lecture's GRU (Cho et al. 2014, "reset before"):
    /// h̃_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n), h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t.
    #[default]
    Lecture,
    /// PyTorch's `nn.GRUCell` ("reset after"): n_t = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
    /// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1} — note that z multiplies the *old* state here.
    Torch,
}

/// Block indices of the LSTM gates in storage order.
pub mod lstm_gate {
    /// Input gate i.
    pub const I: usize = 0;
    /// Forget gate f.
    pub const F: usize = 1;
    /// Output gate o.
    pub const O: usize = 2;
    /// Candidate g (tanh).
    pub const G: usize = 3;
}

/// Block indices of the GRU gates in storage order.
pub mod gru_gate {
    /// Update gate z.
    pub const Z: usize = 0;
    /// Reset gate r.
    pub const R: usize = 1;
    /// Candidate n (the lecture's h̃).
    pub const N: usize = 2;
}

/// One input x_t: a token id (one-hot, applied as an embedding lookup — a column of W_x — never as a
/// dense product with a one-hot vector) or a dense vector of length D.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a, F> {
    /// Token id in `0..D`.
    Id(usize),
    /// Dense vector, length D.
    Dense(&'a [F]),
}

/// One named tensor inside a flat parameter buffer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TensorSpec {
    /// Dotted name, e.g. `l0.f.w_h` or `readout.w`.
    pub name: String,
    /// First element in the flat buffer.
    pub offset: usize,
    /// Shape: `[rows, cols]` for matrices, `[n]` for vectors. Row-major.
    pub shape: Vec<usize>,
}

impl TensorSpec {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }
    /// True when the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The tensor's slice of a flat buffer.
    pub fn slice<'a, F>(&self, buf: &'a [F]) -> &'a [F] {
        &buf[self.offset..self.offset + self.len()]
    }
    /// The tensor's mutable slice of a flat buffer.
    pub fn slice_mut<'a, F>(&self, buf: &'a mut [F]) -> &'a mut [F] {
        let n = self.len();
        &mut buf[self.offset..self.offset + n]
    }
}

/// The named tensors of a flat parameter buffer, in storage order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// All tensors; offsets are increasing and contiguous.
    pub tensors: Vec<TensorSpec>,
    /// Total number of scalars.
    pub len: usize,
}

impl Layout {
    /// Appends a tensor and returns its offset.
    pub fn push(&mut self, name: impl Into<String>, shape: &[usize]) -> usize {
        let offset = self.len;
        let spec = TensorSpec {
            name: name.into(),
            offset,
            shape: shape.to_vec(),
        };
        self.len += spec.len();
        self.tensors.push(spec);
        offset
    }

    /// Looks a tensor up by name.
    pub fn get(&self, name: &str) -> Option<&TensorSpec> {
        self.tensors.iter().find(|t| t.name == name)
    }

    /// Looks a tensor up by name, or a clear error.
    pub fn require(&self, name: &str) -> Result<&TensorSpec> {
        self.get(name)
            .ok_or_else(|| CoreError::invalid(name, "no such parameter tensor"))
    }

    /// The tensor that holds flat index `k`.
    pub fn tensor_of(&self, k: usize) -> Option<&TensorSpec> {
        self.tensors
            .iter()
            .find(|t| k >= t.offset && k < t.offset + t.len())
    }
}

/// Static description of one recurrent layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellSpec {
    /// RNN, LSTM or GRU.
    pub kind: CellKind,
    /// Input size D (for one-hot inputs: the input vocabulary size).
    pub input: usize,
    /// Hidden size H.
    pub hidden: usize,
    /// Nonlinearity of the vanilla RNN (ignored by LSTM and GRU).
    pub activation: Activation,
    /// Residual vanilla RNN: h_t = h_{t−1} + act(…) (ignored by LSTM and GRU).
    pub residual: bool,
    /// GRU convention (ignored by RNN and LSTM).
    pub gru: GruVariant,
}

/// A recurrent layer: its spec plus where its weights live in the model's flat buffer.
///
/// Weights (per layer, prefix `l{k}.`): for each gate `q`, `q.w_x` (H, D), `q.w_h` (H, H), `q.b_x` (H),
/// `q.b_h` (H); the vanilla RNN has no gate segment (`w_x`, `w_h`, `b_x`, `b_h`).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// What this layer is.
    pub spec: CellSpec,
    /// Offset of the stacked W_x, shape (G·H, D).
    pub(crate) w_x: usize,
    /// Offset of the stacked W_h, shape (G·H, H).
    pub(crate) w_h: usize,
    /// Offset of the stacked b_x, shape (G·H).
    pub(crate) b_x: usize,
    /// Offset of the stacked b_h, shape (G·H).
    pub(crate) b_h: usize,
}

impl Cell {
    /// Registers the layer's tensors in `layout` under `prefix` (e.g. `"l0."`) and returns the cell.
    pub fn register(spec: CellSpec, prefix: &str, layout: &mut Layout) -> Cell {
        let names = spec.kind.gate_names();
        let (d, h) = (spec.input, spec.hidden);
        let name = |q: &str, t: &str| {
            if q.is_empty() {
                format!("{prefix}{t}")
            } else {
                format!("{prefix}{q}.{t}")
            }
        };
        let w_x = layout.len;
        for q in names {
            layout.push(name(q, "w_x"), &[h, d]);
        }
        let w_h = layout.len;
        for q in names {
            layout.push(name(q, "w_h"), &[h, h]);
        }
        let b_x = layout.len;
        for q in names {
            layout.push(name(q, "b_x"), &[h]);
        }
        let b_h = layout.len;
        for q in names {
            layout.push(name(q, "b_h"), &[h]);
        }
        Cell {
            spec,
            w_x,
            w_h,
            b_x,
            b_h,
        }
    }

    /// Number of gate blocks G.
    pub fn gates(&self) -> usize {
        self.spec.kind.gates()
    }
    /// Hidden size H.
    pub fn hidden(&self) -> usize {
        self.spec.hidden
    }
    /// Input size D.
    pub fn input(&self) -> usize {
        self.spec.input
    }
    /// True for the LSTM (the only cell with a separate cell state c).
    pub fn has_c(&self) -> bool {
        self.spec.kind == CellKind::Lstm
    }

    /// Stacked W_x, (G·H, D).
    pub fn w_x<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        &p[self.w_x..self.w_x + self.gates() * self.hidden() * self.input()]
    }
    /// Stacked W_h, (G·H, H).
    pub fn w_h<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        let n = self.gates() * self.hidden() * self.hidden();
        &p[self.w_h..self.w_h + n]
    }
    /// Stacked b_x, (G·H).
    pub fn b_x<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        &p[self.b_x..self.b_x + self.gates() * self.hidden()]
    }
    /// Stacked b_h, (G·H).
    pub fn b_h<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        &p[self.b_h..self.b_h + self.gates() * self.hidden()]
    }
    /// Block `q` (H, H) of W_h.
    pub fn w_h_block<'a, F>(&self, p: &'a [F], q: usize) -> &'a [F] {
        let hh = self.hidden() * self.hidden();
        &self.w_h(p)[q * hh..(q + 1) * hh]
    }

    /// A fresh cache for one timestep of this layer.
    pub fn new_cache<F: Real>(&self) -> StepCache<F> {
        let (g, h) = (self.gates(), self.hidden());
        let has_c = self.has_c();
        StepCache {
            gates: vec![F::zero(); g * h],
            h: vec![F::zero(); h],
            c: vec![F::zero(); if has_c { h } else { 0 }],
            tanh_c: vec![F::zero(); if has_c { h } else { 0 }],
            aux: vec![
                F::zero();
                if self.spec.kind == CellKind::Gru {
                    h
                } else {
                    0
                }
            ],
        }
    }

    /// Checks an input against D.
    pub fn check_input<F>(&self, x: &Input<'_, F>) -> Result<()> {
        match *x {
            Input::Id(id) if id >= self.input() => Err(CoreError::invalid(
                "input id",
                format!("{id} is outside the vocabulary 0..{}", self.input()),
            )),
            Input::Dense(v) if v.len() != self.input() => Err(CoreError::shape(
                "input x_t",
                format!("({})", self.input()),
                format!("({})", v.len()),
            )),
            _ => Ok(()),
        }
    }

    /// Pre-activations a = W_x x + b_x + W_h h_prev + b_h for all G·H rows (no nonlinearity).
    /// The GRU candidate rows are overwritten by the GRU code, which treats them differently.
    pub(crate) fn preactivations<F: Real>(
        &self,
        p: &[F],
        x: Input<'_, F>,
        h_prev: &[F],
        a: &mut [F],
    ) {
        let (b_x, b_h) = (self.b_x(p), self.b_h(p));
        for ((ai, bx), bh) in a.iter_mut().zip(b_x).zip(b_h) {
            *ai = *bx + *bh;
        }
        self.add_input_term(p, x, a);
        F::gemv_acc(self.w_h(p), h_prev, a);
    }

    /// a += W_x x (a column gather for one-hot ids).
    pub(crate) fn add_input_term<F: Real>(&self, p: &[F], x: Input<'_, F>, a: &mut [F]) {
        let w_x = self.w_x(p);
        let d = self.input();
        match x {
            Input::Id(id) => {
                for (r, ai) in a.iter_mut().enumerate() {
                    *ai += w_x[r * d + id];
                }
            }
            Input::Dense(v) => F::gemv_acc(w_x, v, a),
        }
    }

    /// One forward step: reads x_t and (h_{t−1}, c_{t−1}) and fills `cache` with the gate values and
    /// the new state (`cache.h`, and `cache.c` for the LSTM). `c_prev` is ignored (may be empty) for
    /// RNN and GRU. Allocates nothing. Inputs must already be checked ([`Cell::check_input`]).
    pub fn step_forward<F: Real>(
        &self,
        p: &[F],
        x: Input<'_, F>,
        h_prev: &[F],
        c_prev: &[F],
        cache: &mut StepCache<F>,
    ) {
        match self.spec.kind {
            CellKind::Rnn => vanilla::step_forward(self, p, x, h_prev, cache),
            CellKind::Lstm => lstm::step_forward(self, p, x, h_prev, c_prev, cache),
            CellKind::Gru => gru::step_forward(self, p, x, h_prev, cache),
        }
    }

    /// One backward step. Given dh = ∂J/∂h_t (all paths already summed) and dc = ∂J/∂c_t (LSTM; else
    /// ignored), writes `dh_prev` = ∂J/∂h_{t−1}, `dc_prev` = ∂J/∂c_{t−1} (LSTM), the pre-activation
    /// gradients `da` (G·H, x side) and `dah` (G·H, h side; equal to `da` except for the reset-after
    /// GRU candidate), and, when given, `dx` = ∂J/∂x_t (dense inputs; overwritten).
    ///
    /// Weight gradients are *not* touched here: call [`Cell::accumulate_param_grads`] with the same
    /// `da`/`dah` (per step, or batched over a whole sequence, which is faster).
    #[allow(clippy::too_many_arguments)]
    pub fn step_backward<F: Real>(
        &self,
        p: &[F],
        h_prev: &[F],
        c_prev: &[F],
        cache: &StepCache<F>,
        dh: &[F],
        dc: &[F],
        back: &mut StepGrads<'_, F>,
    ) {
        match self.spec.kind {
            CellKind::Rnn => vanilla::step_backward(self, p, h_prev, cache, dh, back),
            CellKind::Lstm => lstm::step_backward(self, p, c_prev, cache, dh, dc, back),
            CellKind::Gru => gru::step_backward(self, p, h_prev, cache, dh, back),
        }
        if let Some(dx) = back.dx.as_deref_mut() {
            dx.iter_mut().for_each(|v| *v = F::zero());
            F::gemv_t_acc(self.w_x(p), back.da, dx);
        }
    }

    /// Adds the weight gradients of timesteps `0..n` to `grads` (a buffer with the model's layout):
    /// ∂J/∂W_x += Σ_t da_t x_tᵀ, ∂J/∂W_h += Σ_t dah_t h_{t−1}ᵀ (the GRU's reset-before candidate uses
    /// r ⊙ h_{t−1} instead), ∂J/∂b_x += Σ_t da_t, ∂J/∂b_h += Σ_t dah_t.
    ///
    /// `step(t)` returns what timestep t needs. Looping over rows outside and timesteps inside keeps
    /// each gradient row in cache: this is the batched form of T rank-one updates.
    pub fn accumulate_param_grads<'a, F: Real + 'a>(
        &self,
        n: usize,
        step: impl Fn(usize) -> StepRecord<'a, F>,
        grads: &mut [F],
    ) {
        let (g, h, d) = (self.gates(), self.hidden(), self.input());
        let gh = g * h;
        let reset_before_n =
            self.spec.kind == CellKind::Gru && self.spec.gru == GruVariant::Lecture;
        // Biases.
        for t in 0..n {
            let s = step(t);
            F::axpy(F::one(), s.da, &mut grads[self.b_x..self.b_x + gh]);
            F::axpy(F::one(), s.dah, &mut grads[self.b_h..self.b_h + gh]);
        }
        // Recurrent weights, row by row.
        let w_h = &mut grads[self.w_h..self.w_h + gh * h];
        for (r, row) in w_h.chunks_exact_mut(h.max(1)).enumerate().take(gh) {
            let candidate_row = reset_before_n && r >= gru_gate::N * h;
            for t in 0..n {
                let s = step(t);
                let a = s.dah[r];
                if a != F::zero() {
                    let hin = if candidate_row { s.rh } else { s.h_prev };
                    F::axpy(a, hin, row);
                }
            }
        }
        // Input weights.
        let w_x = &mut grads[self.w_x..self.w_x + gh * d];
        for t in 0..n {
            let s = step(t);
            match s.x {
                Input::Id(id) => {
                    for (r, a) in s.da.iter().enumerate() {
                        w_x[r * d + id] += *a;
                    }
                }
                Input::Dense(_) => {}
            }
        }
        if d > 0 {
            for (r, row) in w_x.chunks_exact_mut(d).enumerate().take(gh) {
                for t in 0..n {
                    let s = step(t);
                    if let Input::Dense(v) = s.x {
                        let a = s.da[r];
                        if a != F::zero() {
                            F::axpy(a, v, row);
                        }
                    }
                }
            }
        }
    }
}

/// What one timestep's weight-gradient accumulation reads (see [`Cell::accumulate_param_grads`]).
#[derive(Clone, Copy)]
pub struct StepRecord<'a, F> {
    /// The input x_t.
    pub x: Input<'a, F>,
    /// h_{t−1}, (H).
    pub h_prev: &'a [F],
    /// r_t ⊙ h_{t−1} (reset-before GRU only; else may be empty), (H).
    pub rh: &'a [F],
    /// Pre-activation gradient, x side, (G·H).
    pub da: &'a [F],
    /// Pre-activation gradient, h side, (G·H).
    pub dah: &'a [F],
}

/// Outputs of [`Cell::step_backward`].
pub struct StepGrads<'a, F> {
    /// ∂J/∂h_{t−1}, (H), overwritten.
    pub dh_prev: &'a mut [F],
    /// ∂J/∂c_{t−1}, (H), overwritten (LSTM only; may be empty otherwise).
    pub dc_prev: &'a mut [F],
    /// Pre-activation gradients, x side, (G·H), overwritten.
    pub da: &'a mut [F],
    /// Pre-activation gradients, h side, (G·H), overwritten.
    pub dah: &'a mut [F],
    /// ∂J/∂x_t for dense inputs, (D), overwritten when present.
    pub dx: Option<&'a mut [F]>,
}

/// Everything one forward step leaves behind for the backward step and for the views.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepCache<F> {
    /// Gate values after their nonlinearity, (G·H), storage order: RNN `[act(a)]`, LSTM `[i, f, o, g]`,
    /// GRU `[z, r, n]`.
    pub gates: Vec<F>,
    /// New hidden state h_t, (H).
    pub h: Vec<F>,
    /// New cell state c_t, (H) — LSTM only, else empty.
    pub c: Vec<F>,
    /// tanh(c_t), (H) — LSTM only, else empty.
    pub tanh_c: Vec<F>,
    /// GRU only, (H): reset-before: r_t ⊙ h_{t−1}; reset-after: W_hn h_{t−1} + b_hn.
    pub aux: Vec<F>,
}

impl<F: Real> StepCache<F> {
    /// Values of gate block `q` (H).
    pub fn gate(&self, q: usize) -> &[F] {
        let h = self.h.len();
        &self.gates[q * h..(q + 1) * h]
    }
}

/// Validates a cell spec: sizes in range.
pub fn validate_cell_spec(spec: &CellSpec) -> Result<()> {
    if spec.hidden == 0 {
        return Err(CoreError::invalid("hidden size", "must be at least 1"));
    }
    if spec.input == 0 {
        return Err(CoreError::invalid("input size", "must be at least 1"));
    }
    Ok(())
}
