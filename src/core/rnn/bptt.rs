//! Unrolling a model over a sequence, and backpropagation through time (Werbos 1990).
//!
//! The forward pass is a loop over [`Cell::step_forward`]; the backward pass walks the same steps in
//! reverse, summing at each h_t the gradient from its own loss term (through the readout) and the
//! gradient from step t+1 (the lecture: "∂J/∂h_t arrives from two places").
//!
//! ```text
//! J = (1/T) Σ_t J⁽ᵗ⁾   (LossReduction::Mean, the lecture's)   or   Σ_t J⁽ᵗ⁾   (LossReduction::Sum)
//! ∂J/∂logits_t = scale · (ŷ_t − onehot(target_t))
//! ∂J/∂h_t      = Uᵀ ∂J/∂logits_t + ∂J/∂h_t|from step t+1
//! ∂J/∂W_hh     = Σ_t ∂J/∂W_hh|₍ₜ₎   (one term per step: the lecture's Σ_i ∂J/∂W_h|₍ᵢ₎)
//! ```
//!
//! **Truncated BPTT** with window k: the gradient is not passed from step t to step t−1 when t is a
//! positive multiple of k, so the sequence is cut into blocks of k steps that each backpropagate only
//! inside themselves while the state still flows forward (BPTT(k, k) in Williams and Peng's terms; the
//! usual "detach every k steps"). A window ≥ T is full BPTT.
//!
//! The weight gradients are accumulated after the time loop, from the stored pre-activation gradients,
//! row by row (a batched form of the T rank-one updates; same numbers, far less memory traffic).
//!
//! Gradient-flow views come from the same caches: per-step norms of ∂J/∂h_t, of ∂J⁽ᵀ⁾/∂h_t (the loss of
//! the last step alone, backpropagated separately), ∂J⁽ᵀ⁾/∂c_t (LSTM), each step's contribution to
//! ∂J/∂W_hh, and the spectral norm of each Jacobian ∂h_t/∂h_{t−1} (see [`jacobian_norms`]).

use super::model::{InputKind, Model, State};
use super::{Cell, CellKind, GruVariant, Input, StepCache, StepGrads, StepRecord};
use crate::core::error::{CoreError, Result};
use crate::core::linalg;
use crate::core::real::Real;
use serde::{Deserialize, Serialize};

/// The inputs of a whole sequence.
#[derive(Clone, Copy, Debug)]
pub enum SeqInput<'a, F> {
    /// Token ids, (T).
    Ids(&'a [usize]),
    /// Dense vectors, (T, D) row-major.
    Dense {
        /// The T·D values.
        data: &'a [F],
        /// D.
        dim: usize,
    },
}

impl<'a, F> SeqInput<'a, F> {
    /// T.
    pub fn len(&self) -> usize {
        match self {
            SeqInput::Ids(ids) => ids.len(),
            SeqInput::Dense { data, dim } => {
                if *dim == 0 {
                    0
                } else {
                    data.len() / dim
                }
            }
        }
    }
    /// True for an empty sequence.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// x_t.
    pub fn at(&self, t: usize) -> Input<'a, F> {
        match *self {
            SeqInput::Ids(ids) => Input::Id(ids[t]),
            SeqInput::Dense { data, dim } => Input::Dense(&data[t * dim..(t + 1) * dim]),
        }
    }
}

/// How the per-step losses are combined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LossReduction {
    /// J = (1/T) Σ_t J⁽ᵗ⁾ — the lecture's definition and PyTorch's default.
    #[default]
    Mean,
    /// J = Σ_t J⁽ᵗ⁾ — char-rnn's convention.
    Sum,
}

/// Options of [`backward`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackwardOptions {
    /// Mean or sum of the per-step losses. Default mean.
    pub reduction: LossReduction,
    /// Truncated BPTT window k ≥ 1; `None` = full BPTT. Default `None`.
    pub window: Option<usize>,
    /// Also compute the gradient-flow norms ([`GradFlow`]). Default false.
    pub grad_flow: bool,
}

impl Default for BackwardOptions {
    fn default() -> Self {
        BackwardOptions {
            reduction: LossReduction::Mean,
            window: None,
            grad_flow: false,
        }
    }
}

/// Per-timestep gradient norms for the gradient-flow views (top layer). All vectors have length T.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GradFlow {
    /// ‖∂J/∂h_t‖ for the full (reduced) loss.
    pub dloss_dh: Vec<f64>,
    /// ‖∂J⁽ᵀ⁾/∂h_t‖: the loss of the last step only — the vanishing/exploding picture.
    pub dloss_last_dh: Vec<f64>,
    /// ‖∂J⁽ᵀ⁾/∂c_t‖ (LSTM; empty otherwise).
    pub dloss_last_dc: Vec<f64>,
    /// ‖∂J/∂W_hh|₍ₜ₎‖_F: Frobenius norm of step t's term of ∂J/∂W_hh (full loss).
    pub dloss_dwhh_step: Vec<f64>,
    /// The same for J⁽ᵀ⁾.
    pub dloss_last_dwhh_step: Vec<f64>,
}

/// What a forward pass reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForwardOutput {
    /// Mean of the per-step losses (always the mean, whatever the backward reduction).
    pub mean_loss: f64,
    /// Sum of the per-step losses.
    pub sum_loss: f64,
    /// False when any loss or state became NaN or infinite (divergence is a state, not a crash).
    pub finite: bool,
}

/// Preallocated buffers for one sequence: forward caches and backward scratch. Reused between calls;
/// it only grows (allocates) when a longer sequence or a different model arrives.
#[derive(Clone, Debug, Default)]
pub struct Workspace<F> {
    /// Forward caches, `[layer][t]`.
    pub steps: Vec<Vec<StepCache<F>>>,
    /// Logits, (T, V).
    pub logits: Vec<F>,
    /// Softmax outputs ŷ, (T, V).
    pub probs: Vec<F>,
    /// Per-step losses J⁽ᵗ⁾, (T) (empty entries are 0 when no targets were given).
    pub step_loss: Vec<F>,
    /// The initial state the last forward pass started from.
    pub init: Option<State<F>>,
    /// T of the last forward pass.
    pub len: usize,
    da: Vec<Vec<Vec<F>>>,
    dah: Vec<Vec<Vec<F>>>,
    dlogits: Vec<F>,
    dh: Vec<Vec<F>>,
    dc: Vec<Vec<F>>,
    dh_prev: Vec<F>,
    dc_prev: Vec<F>,
    dh_tot: Vec<F>,
    from_above: Vec<F>,
    dx_tmp: Vec<F>,
    scratch_da: Vec<F>,
    scratch_dah: Vec<F>,
    dc_total: Vec<F>,
    dlast: Vec<F>,
    shape_key: (usize, usize, usize, usize),
}

impl<F: Real> Workspace<F> {
    /// An empty workspace (buffers appear on first use).
    pub fn new() -> Self {
        Workspace::default()
    }

    fn ensure(&mut self, model: &Model<F>, t_len: usize) {
        let spec = model.spec();
        let key = (model.layout().len, spec.layers, spec.hidden, spec.vocab);
        if key != self.shape_key {
            *self = Workspace::default();
            self.shape_key = key;
        }
        let cells = model.cells();
        let (h, v) = (spec.hidden, spec.vocab);
        let gh = cells[0].gates() * h;
        self.steps.resize_with(cells.len(), Vec::new);
        self.da.resize_with(cells.len(), Vec::new);
        self.dah.resize_with(cells.len(), Vec::new);
        for (l, cell) in cells.iter().enumerate() {
            while self.steps[l].len() < t_len {
                self.steps[l].push(cell.new_cache());
                self.da[l].push(vec![F::zero(); gh]);
                self.dah[l].push(vec![F::zero(); gh]);
            }
        }
        if self.logits.len() < t_len * v {
            self.logits.resize(t_len * v, F::zero());
            self.probs.resize(t_len * v, F::zero());
            self.dlogits.resize(t_len * v, F::zero());
        }
        if self.step_loss.len() < t_len {
            self.step_loss.resize(t_len, F::zero());
        }
        if self.dh.len() != cells.len() {
            self.dh = vec![vec![F::zero(); h]; cells.len()];
            let hc = if cells[0].has_c() { h } else { 0 };
            self.dc = vec![vec![F::zero(); hc]; cells.len()];
            self.dh_prev = vec![F::zero(); h];
            self.dc_prev = vec![F::zero(); hc];
            self.dh_tot = vec![F::zero(); h];
            self.from_above = vec![F::zero(); h];
            self.dx_tmp = vec![F::zero(); h];
            self.scratch_da = vec![F::zero(); gh];
            self.scratch_dah = vec![F::zero(); gh];
            self.dc_total = vec![F::zero(); h];
            self.dlast = vec![F::zero(); v];
        }
    }

    /// The final state of the last forward pass.
    pub fn final_state(&self) -> Option<State<F>> {
        if self.len == 0 {
            return None;
        }
        let t = self.len - 1;
        Some(State {
            h: self.steps.iter().map(|s| s[t].h.clone()).collect(),
            c: self.steps.iter().map(|s| s[t].c.clone()).collect(),
        })
    }

    /// Copies the final state of the last forward pass into `out` without allocating (same shapes).
    pub fn final_state_into(&self, out: &mut State<F>) {
        if self.len == 0 {
            return;
        }
        let t = self.len - 1;
        for (l, s) in self.steps.iter().enumerate() {
            out.h[l].copy_from_slice(&s[t].h);
            out.c[l].copy_from_slice(&s[t].c);
        }
    }

    /// ŷ_t, (V).
    pub fn probs_at(&self, t: usize) -> &[F] {
        let v = self.shape_key.3;
        &self.probs[t * v..(t + 1) * v]
    }

    /// logits_t, (V).
    pub fn logits_at(&self, t: usize) -> &[F] {
        let v = self.shape_key.3;
        &self.logits[t * v..(t + 1) * v]
    }
}

/// Gradients of a sequence's loss: the flat parameter gradient (model layout) and, on request, the
/// input and initial-state gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients<F> {
    /// ∂J/∂θ in the model's layout. [`backward`] ADDS to it; call [`Gradients::zero`] first.
    pub params: Vec<F>,
    /// ∂J/∂x, (T, D), for dense inputs (overwritten; empty for one-hot inputs).
    pub dx: Vec<F>,
    /// ∂J/∂h_0 per layer (overwritten).
    pub dh0: Vec<Vec<F>>,
    /// ∂J/∂c_0 per layer (LSTM; overwritten).
    pub dc0: Vec<Vec<F>>,
}

impl<F: Real> Gradients<F> {
    /// Zero gradients for `model`.
    pub fn new(model: &Model<F>) -> Self {
        let st = model.zero_state();
        Gradients {
            params: vec![F::zero(); model.layout().len],
            dx: Vec::new(),
            dh0: st.h,
            dc0: st.c,
        }
    }
    /// Sets every parameter gradient to zero.
    pub fn zero(&mut self) {
        self.params.iter_mut().for_each(|g| *g = F::zero());
    }
}

/// Checks a sequence and its targets against the model.
pub fn check_inputs<F: Real>(
    model: &Model<F>,
    xs: &SeqInput<'_, F>,
    targets: Option<&[usize]>,
) -> Result<()> {
    let spec = model.spec();
    let t_len = xs.len();
    if t_len == 0 {
        return Err(CoreError::empty("input sequence"));
    }
    match (xs, spec.input) {
        (SeqInput::Ids(ids), InputKind::OneHot) => {
            if let Some(bad) = ids.iter().find(|&&i| i >= spec.input_size) {
                return Err(CoreError::invalid(
                    "input id",
                    format!("{bad} is outside the vocabulary 0..{}", spec.input_size),
                ));
            }
        }
        (SeqInput::Dense { data, dim }, InputKind::Dense) => {
            if *dim != spec.input_size || data.len() != t_len * dim {
                return Err(CoreError::shape(
                    "input x",
                    format!("(T, {})", spec.input_size),
                    format!("{} values with width {dim}", data.len()),
                ));
            }
            if data.iter().any(|v| !v.is_finite()) {
                return Err(CoreError::non_finite("input x"));
            }
        }
        (SeqInput::Ids(_), InputKind::Dense) => {
            return Err(CoreError::invalid(
                "input",
                "this model takes dense vectors, not token ids",
            ))
        }
        (SeqInput::Dense { .. }, InputKind::OneHot) => {
            return Err(CoreError::invalid(
                "input",
                "this model takes token ids, not dense vectors",
            ))
        }
    }
    if let Some(tg) = targets {
        if tg.len() != t_len {
            return Err(CoreError::shape(
                "targets",
                format!("({t_len})"),
                format!("({})", tg.len()),
            ));
        }
        if let Some(bad) = tg.iter().find(|&&y| y >= spec.vocab) {
            return Err(CoreError::invalid(
                "target",
                format!("{bad} is outside the vocabulary 0..{}", spec.vocab),
            ));
        }
    }
    Ok(())
}

/// Numerically stable softmax of `logits` into `probs`; returns log Σ exp(logits) (the log-partition).
pub fn softmax_into<F: Real>(logits: &[F], probs: &mut [F]) -> F {
    let mx = logits.iter().copied().fold(F::neg_infinity(), F::max);
    let mut sum = F::zero();
    for (p, l) in probs.iter_mut().zip(logits) {
        *p = (*l - mx).exp();
        sum += *p;
    }
    let inv = F::one() / sum;
    for p in probs.iter_mut() {
        *p *= inv;
    }
    mx + sum.ln()
}

/// Runs the model over `xs` from `init` (a loop over `step_forward`), filling `ws`. With `targets`,
/// computes the per-step cross-entropy J⁽ᵗ⁾ = −log ŷ_t(target_t). Validates everything first.
pub fn forward<F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    xs: SeqInput<'_, F>,
    targets: Option<&[usize]>,
    init: &State<F>,
) -> Result<ForwardOutput> {
    check_inputs(model, &xs, targets)?;
    model.check_state(init)?;
    Ok(forward_unchecked(model, ws, xs, targets, init))
}

/// [`forward`] without input validation, for hot loops whose inputs are known to be valid.
pub fn forward_unchecked<F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    xs: SeqInput<'_, F>,
    targets: Option<&[usize]>,
    init: &State<F>,
) -> ForwardOutput {
    forward_with(model, ws, xs.len(), |t, _| xs.at(t), targets, init)
}

/// The forward loop with inputs chosen step by step: `input_at(t, prev_probs)` receives ŷ_{t−1} (None
/// at t = 0) and returns x_t — how free-running and scheduled sampling feed the model its own
/// predictions. Inputs must be valid for the model (ids below D); nothing is validated here.
pub fn forward_with<'x, F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    t_len: usize,
    mut input_at: impl FnMut(usize, Option<&[F]>) -> Input<'x, F>,
    targets: Option<&[usize]>,
    init: &State<F>,
) -> ForwardOutput {
    ws.ensure(model, t_len);
    ws.len = t_len;
    match &mut ws.init {
        Some(s)
            if s.h.len() == init.h.len()
                && s.h.iter().zip(&init.h).all(|(a, b)| a.len() == b.len()) =>
        {
            for l in 0..init.h.len() {
                s.h[l].copy_from_slice(&init.h[l]);
                s.c[l].copy_from_slice(&init.c[l]);
            }
        }
        slot => *slot = Some(init.clone()),
    }
    let p = &model.params;
    let cells = model.cells();
    let v = model.spec().vocab;
    let (mut sum, mut finite) = (0f64, true);
    for t in 0..t_len {
        let x0 = input_at(
            t,
            if t == 0 {
                None
            } else {
                Some(&ws.probs[(t - 1) * v..t * v])
            },
        );
        for (l, cell) in cells.iter().enumerate() {
            let (below, this) = ws.steps.split_at_mut(l);
            let x = if l == 0 {
                x0
            } else {
                Input::Dense(&below[l - 1][t].h)
            };
            let (prev_steps, cur) = this[0].split_at_mut(t);
            let (h_prev, c_prev): (&[F], &[F]) = if t == 0 {
                (&init.h[l], &init.c[l])
            } else {
                (&prev_steps[t - 1].h, &prev_steps[t - 1].c)
            };
            cell.step_forward(p, x, h_prev, c_prev, &mut cur[0]);
        }
        let top = &ws.steps[cells.len() - 1][t].h;
        let logits = &mut ws.logits[t * v..(t + 1) * v];
        model.readout().logits(p, top, logits);
        let lse = softmax_into(logits, &mut ws.probs[t * v..(t + 1) * v]);
        let loss = match targets {
            Some(tg) => lse - logits[tg[t]],
            None => F::zero(),
        };
        ws.step_loss[t] = loss;
        let lf = loss.f64();
        finite &= lf.is_finite() && lse.is_finite();
        sum += lf;
    }
    ForwardOutput {
        mean_loss: sum / t_len.max(1) as f64,
        sum_loss: sum,
        finite,
    }
}

/// Which readout gradients drive one backward sweep.
#[derive(Clone, Copy)]
enum Sweep {
    /// Every step's loss, scaled (the training gradient). Stores da/dah per step.
    Full,
    /// Only the last step's loss J⁽ᵀ⁾, unscaled. Uses scratch da/dah.
    LastOnly,
}

/// Backpropagation through time over the sequence of the last [`forward`] (same `xs` and `targets`).
/// Adds ∂J/∂θ to `grads.params`, overwrites `grads.dx` (dense inputs), `grads.dh0` and `grads.dc0`, and
/// returns the gradient-flow norms when `opts.grad_flow` is set.
pub fn backward<F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    xs: SeqInput<'_, F>,
    targets: &[usize],
    opts: &BackwardOptions,
    grads: &mut Gradients<F>,
) -> Result<Option<GradFlow>> {
    let t_len = ws.len;
    if t_len == 0 || xs.len() != t_len || targets.len() != t_len {
        return Err(CoreError::invalid(
            "backward",
            "run forward on the same sequence (with targets) first",
        ));
    }
    check_inputs(model, &xs, Some(targets))?;
    if grads.params.len() != model.layout().len {
        return Err(CoreError::shape(
            "gradient buffer",
            model.layout().len,
            grads.params.len(),
        ));
    }
    if let Some(0) = opts.window {
        return Err(CoreError::invalid("BPTT window", "must be at least 1"));
    }
    backward_unchecked(model, ws, xs, targets, opts, grads);
    if !opts.grad_flow {
        return Ok(None);
    }
    let mut flow = GradFlow {
        dloss_dh: vec![0.0; t_len],
        dloss_last_dh: vec![0.0; t_len],
        dloss_last_dc: if model.cells().last().is_some_and(Cell::has_c) {
            vec![0.0; t_len]
        } else {
            vec![]
        },
        dloss_dwhh_step: vec![0.0; t_len],
        dloss_last_dwhh_step: vec![0.0; t_len],
    };
    // Full-loss norms: re-run the sweep's bookkeeping from the stored da (cheap) by a recording sweep.
    // The recording sweeps recompute the same (already accumulated) quantities; they do not touch
    // `grads`. The full-loss sweep rewrites the stored da/dah with identical values.
    sweep(
        model,
        ws,
        targets,
        opts,
        Sweep::Full,
        None,
        Some(&mut |rec: SweepRecord<'_, F>| {
            flow.dloss_dh[rec.t] = norm(rec.dh);
            flow.dloss_dwhh_step[rec.t] = rec.dwhh_norm;
        }),
    );
    sweep(
        model,
        ws,
        targets,
        opts,
        Sweep::LastOnly,
        None,
        Some(&mut |rec: SweepRecord<'_, F>| {
            flow.dloss_last_dh[rec.t] = norm(rec.dh);
            if let Some(dc) = rec.dc_total {
                flow.dloss_last_dc[rec.t] = norm(dc);
            }
            flow.dloss_last_dwhh_step[rec.t] = rec.dwhh_norm;
        }),
    );
    Ok(Some(flow))
}

/// [`backward`] without validation and without the gradient-flow sweeps: the training hot path.
pub fn backward_unchecked<F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    xs: SeqInput<'_, F>,
    targets: &[usize],
    opts: &BackwardOptions,
    grads: &mut Gradients<F>,
) {
    let t_len = ws.len;
    let cells = model.cells();
    let top = cells.len() - 1;
    let v = model.spec().vocab;
    let h = model.spec().hidden;
    // Readout gradients, batched over t: dU += Σ_t dlogits_t h_tᵀ, db_U += Σ_t dlogits_t.
    let scale = match opts.reduction {
        LossReduction::Mean => F::one() / F::c(t_len as f64),
        LossReduction::Sum => F::one(),
    };
    for t in 0..t_len {
        let (dl, pr) = (
            &mut ws.dlogits[t * v..(t + 1) * v],
            &ws.probs[t * v..(t + 1) * v],
        );
        for (d, p) in dl.iter_mut().zip(pr) {
            *d = *p * scale;
        }
        dl[targets[t]] -= scale;
    }
    {
        let ro = model.readout();
        let g = &mut grads.params;
        for t in 0..t_len {
            F::axpy(
                F::one(),
                &ws.dlogits[t * v..(t + 1) * v],
                &mut g[ro.b..ro.b + v],
            );
        }
        let gw = &mut g[ro.w..ro.w + v * h];
        for (r, row) in gw.chunks_exact_mut(h).enumerate() {
            for t in 0..t_len {
                let d = ws.dlogits[t * v + r];
                if d != F::zero() {
                    F::axpy(d, &ws.steps[top][t].h, row);
                }
            }
        }
    }
    let dense_input = matches!(xs, SeqInput::Dense { .. });
    if dense_input {
        grads.dx.resize(t_len * model.spec().input_size, F::zero());
    } else {
        grads.dx.clear();
    }
    let mut dx = std::mem::take(&mut grads.dx);
    sweep(model, ws, targets, opts, Sweep::Full, Some(&mut dx), None);
    grads.dx = dx;
    for l in 0..cells.len() {
        grads.dh0[l].copy_from_slice(&ws.dh[l]);
        grads.dc0[l].copy_from_slice(&ws.dc[l]);
    }
    // Weight gradients, batched over t.
    let init = ws.init.as_ref().expect("forward stored the initial state");
    for (l, cell) in cells.iter().enumerate() {
        let steps = &ws.steps;
        let (da, dah) = (&ws.da[l], &ws.dah[l]);
        let record = |t: usize| StepRecord {
            x: if l == 0 {
                xs.at(t)
            } else {
                Input::Dense(&steps[l - 1][t].h)
            },
            h_prev: if t == 0 {
                &init.h[l]
            } else {
                &steps[l][t - 1].h
            },
            rh: &steps[l][t].aux,
            da: &da[t],
            dah: &dah[t],
        };
        cell.accumulate_param_grads(t_len, record, &mut grads.params);
    }
}

/// One top-layer record of a backward sweep, for the gradient-flow views.
struct SweepRecord<'a, F> {
    t: usize,
    /// ∂J/∂h_t (all paths), top layer.
    dh: &'a [F],
    /// ∂J/∂c_t (all paths), LSTM top layer.
    dc_total: Option<&'a [F]>,
    /// ‖step t's term of ∂J/∂W_hh‖_F.
    dwhh_norm: f64,
}

fn norm<F: Real>(v: &[F]) -> f64 {
    v.iter().map(|x| x.f64() * x.f64()).sum::<f64>().sqrt()
}

/// A callback that receives the top layer's record at every step of a sweep.
type Recorder<'r, F> = dyn FnMut(SweepRecord<'_, F>) + 'r;

/// The reverse-time loop shared by the training gradient and the gradient-flow sweeps.
#[allow(clippy::too_many_arguments)]
fn sweep<F: Real>(
    model: &Model<F>,
    ws: &mut Workspace<F>,
    targets: &[usize],
    opts: &BackwardOptions,
    mode: Sweep,
    mut dx_out: Option<&mut Vec<F>>,
    mut record: Option<&mut Recorder<'_, F>>,
) {
    let t_len = ws.len;
    let p = &model.params;
    let cells = model.cells();
    let top = cells.len() - 1;
    let v = model.spec().vocab;
    let d_in = model.spec().input_size;
    let ro = model.readout();
    let init = ws.init.take().expect("forward stored the initial state");
    for l in 0..cells.len() {
        ws.dh[l].iter_mut().for_each(|x| *x = F::zero());
        ws.dc[l].iter_mut().for_each(|x| *x = F::zero());
    }
    if let Sweep::LastOnly = mode {
        // ∂J⁽ᵀ⁾/∂logits_T = ŷ_T − onehot(target_T), unscaled.
        let t = t_len - 1;
        ws.dlast.copy_from_slice(&ws.probs[t * v..(t + 1) * v]);
        ws.dlast[targets[t]] -= F::one();
    }
    for t in (0..t_len).rev() {
        for l in (0..cells.len()).rev() {
            let cell = &cells[l];
            // Total gradient at h_t of this layer.
            ws.dh_tot.copy_from_slice(&ws.dh[l]);
            if l == top {
                match mode {
                    Sweep::Full => {
                        F::gemv_t_acc(ro.w(p), &ws.dlogits[t * v..(t + 1) * v], &mut ws.dh_tot)
                    }
                    Sweep::LastOnly => {
                        if t == t_len - 1 {
                            F::gemv_t_acc(ro.w(p), &ws.dlast, &mut ws.dh_tot)
                        }
                    }
                }
            } else {
                F::axpy(F::one(), &ws.from_above, &mut ws.dh_tot);
            }
            let cache = &ws.steps[l][t];
            let (h_prev, c_prev): (&[F], &[F]) = if t == 0 {
                (&init.h[l], &init.c[l])
            } else {
                (&ws.steps[l][t - 1].h, &ws.steps[l][t - 1].c)
            };
            let (da, dah) = match mode {
                Sweep::Full => (&mut ws.da[l][t], &mut ws.dah[l][t]),
                Sweep::LastOnly => (&mut ws.scratch_da, &mut ws.scratch_dah),
            };
            let dx: Option<&mut [F]> = if l > 0 {
                Some(&mut ws.dx_tmp)
            } else {
                dx_out
                    .as_deref_mut()
                    .filter(|d| !d.is_empty())
                    .map(|d| &mut d[t * d_in..(t + 1) * d_in])
            };
            let mut back = StepGrads {
                dh_prev: &mut ws.dh_prev,
                dc_prev: &mut ws.dc_prev,
                da,
                dah,
                dx,
            };
            cell.step_backward(p, h_prev, c_prev, cache, &ws.dh_tot, &ws.dc[l], &mut back);
            if let (true, Some(rec)) = (l == top, record.as_mut()) {
                let dcv = if cell.has_c() {
                    lstm_dc_total(cache, &ws.dh_tot, &ws.dc[l], &mut ws.dc_total);
                    Some(&ws.dc_total[..])
                } else {
                    None
                };
                let dwhh_norm = whh_term_norm(cell, h_prev, &cache.aux, back.dah);
                rec(SweepRecord {
                    t,
                    dh: &ws.dh_tot,
                    dc_total: dcv,
                    dwhh_norm,
                });
            }
            ws.dh[l].copy_from_slice(&ws.dh_prev);
            if cell.has_c() {
                ws.dc[l].copy_from_slice(&ws.dc_prev);
            }
            if l > 0 {
                ws.from_above.copy_from_slice(&ws.dx_tmp);
            }
        }
        if let Some(k) = opts.window {
            if t > 0 && t % k == 0 {
                for l in 0..cells.len() {
                    ws.dh[l].iter_mut().for_each(|x| *x = F::zero());
                    ws.dc[l].iter_mut().for_each(|x| *x = F::zero());
                }
            }
        }
    }
    ws.init = Some(init);
}

/// ∂J/∂c_t including the path through h_t: dc_in + dh ⊙ o ⊙ (1 − tanh²(c_t)).
fn lstm_dc_total<F: Real>(cache: &StepCache<F>, dh: &[F], dc_in: &[F], out: &mut [F]) {
    let o = cache.gate(super::lstm_gate::O);
    for k in 0..out.len() {
        let tc = cache.tanh_c[k];
        out[k] = dc_in[k] + dh[k] * o[k] * (F::one() - tc * tc);
    }
}

/// ‖Σ_blocks dah_block ⊗ input_blockᵀ‖_F, using ‖u vᵀ‖_F = ‖u‖ ‖v‖ block by block.
fn whh_term_norm<F: Real>(cell: &Cell, h_prev: &[F], rh: &[F], dah: &[F]) -> f64 {
    let h = cell.hidden();
    let hn = norm(h_prev);
    if cell.spec.kind == CellKind::Gru && cell.spec.gru == GruVariant::Lecture {
        let n_zr = norm(&dah[..2 * h]);
        let n_n = norm(&dah[2 * h..]);
        let rn = norm(rh);
        ((n_zr * hn).powi(2) + (n_n * rn).powi(2)).sqrt()
    } else {
        norm(dah) * hn
    }
}

/// Spectral norms of the step Jacobians of one layer, from the caches of the last forward pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JacobianNorms {
    /// ‖∂h_t/∂h_{t−1}‖₂ per step (for the LSTM with c_{t−1} held fixed).
    pub dh_dh_prev: Vec<f64>,
    /// LSTM only: ‖∂(h_t, c_t)/∂(h_{t−1}, c_{t−1})‖₂, the full state-transition Jacobian.
    pub dstate_dstate_prev: Vec<f64>,
}

/// The Jacobian of one step's state with respect to the previous state, for `layer` at step `t` of
/// the last forward pass, as a row-major (S, S) matrix: S = H for RNN and GRU (∂h_t/∂h_{t−1}), and
/// S = 2H for the LSTM, ordered (h, c): rows are ∂(h_t, c_t)_k, columns ∂(h_{t−1}, c_{t−1})_j.
/// Row k is one vector–Jacobian product (a backward step with dh = e_k), so the cost is S backward
/// steps.
pub fn step_jacobian<F: Real>(
    model: &Model<F>,
    ws: &Workspace<F>,
    layer: usize,
    t: usize,
) -> Result<Vec<f64>> {
    let cell = model
        .cells()
        .get(layer)
        .ok_or_else(|| CoreError::invalid("layer", "no such layer"))?;
    let init = ws
        .init
        .as_ref()
        .ok_or_else(|| CoreError::invalid("jacobian", "run forward first"))?;
    if t >= ws.len {
        return Err(CoreError::invalid(
            "timestep",
            format!("{t} is outside 0..{}", ws.len),
        ));
    }
    let h = cell.hidden();
    let gh = cell.gates() * h;
    let hc = if cell.has_c() { h } else { 0 };
    let s = h + hc;
    let (mut da, mut dah) = (vec![F::zero(); gh], vec![F::zero(); gh]);
    let (mut dh_prev, mut dc_prev) = (vec![F::zero(); h], vec![F::zero(); hc]);
    let (mut e_h, mut e_c) = (vec![F::zero(); h], vec![F::zero(); hc]);
    let cache = &ws.steps[layer][t];
    let (h_prev, c_prev): (&[F], &[F]) = if t == 0 {
        (&init.h[layer], &init.c[layer])
    } else {
        (&ws.steps[layer][t - 1].h, &ws.steps[layer][t - 1].c)
    };
    let mut jac = vec![0f64; s * s];
    for k in 0..s {
        e_h.iter_mut().for_each(|x| *x = F::zero());
        e_c.iter_mut().for_each(|x| *x = F::zero());
        if k < h {
            e_h[k] = F::one();
        } else {
            e_c[k - h] = F::one();
        }
        let mut back = StepGrads {
            dh_prev: &mut dh_prev,
            dc_prev: &mut dc_prev,
            da: &mut da,
            dah: &mut dah,
            dx: None,
        };
        cell.step_backward(&model.params, h_prev, c_prev, cache, &e_h, &e_c, &mut back);
        let row = &mut jac[k * s..(k + 1) * s];
        for (r, v) in row.iter_mut().zip(dh_prev.iter().chain(dc_prev.iter())) {
            *r = v.f64();
        }
    }
    Ok(jac)
}

/// For every step of the last forward pass, the spectral norm (largest singular value, by power
/// iteration on JᵀJ) of ∂h_t/∂h_{t−1} of `layer` — for the LSTM with c_{t−1} held fixed, plus the
/// norm of the full (h, c) state Jacobian. Cost O(T·G·H³): fine for teaching sizes (H ≤ 64).
pub fn jacobian_norms<F: Real>(
    model: &Model<F>,
    ws: &Workspace<F>,
    layer: usize,
) -> Result<JacobianNorms> {
    let cell = model
        .cells()
        .get(layer)
        .ok_or_else(|| CoreError::invalid("layer", "no such layer"))?;
    let h = cell.hidden();
    let s = if cell.has_c() { 2 * h } else { h };
    let mut out = JacobianNorms::default();
    let mut jh = vec![0f64; h * h];
    // Warm starts: each step's power iteration begins at the previous step's singular vector.
    let (mut vh, mut vs) = (Vec::new(), Vec::new());
    for t in 0..ws.len {
        let jac = step_jacobian(model, ws, layer, t)?;
        for r in 0..h {
            jh[r * h..(r + 1) * h].copy_from_slice(&jac[r * s..r * s + h]);
        }
        out.dh_dh_prev
            .push(linalg::spectral_norm_warm(&jh, h, h, &mut vh));
        if cell.has_c() {
            out.dstate_dstate_prev
                .push(linalg::spectral_norm_warm(&jac, s, s, &mut vs));
        }
    }
    Ok(out)
}
