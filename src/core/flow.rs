//! The vanishing/exploding-gradient experiment behind the gradient-flow widget.
//!
//! Every curve is one cell type run over the same random inputs from the same seed, with each
//! recurrent block of W_hh rescaled to the chosen spectral radius ρ. For each t it reports
//! ‖∂J⁽ᵀ⁾/∂h_t‖ — how much of the last step's loss signal reaches step t — and the chain-rule bound
//!
//! ```text
//! ‖∂J⁽ᵀ⁾/∂h_t‖ ≤ ‖∂J⁽ᵀ⁾/∂h_T‖ · Π_{k=t+1}^{T} ‖∂h_k/∂h_{k−1}‖₂
//! ```
//!
//! (the lecture: "the gradient is a product of Jacobians"), exact as a bound for the vanilla RNN and
//! the GRU, whose state is h alone. The LSTM's state is (h, c), so its bound uses the norms of the
//! full state Jacobians ∂(h_k, c_k)/∂(h_{k−1}, c_{k−1}) and bounds ‖(∂J⁽ᵀ⁾/∂h_t, ∂J⁽ᵀ⁾/∂c_t)‖.
//!
//! The clipping panel takes the gradient of the full (mean) loss J of one curve, applies the lecture's
//! Algorithm 1 with the chosen threshold, and shows the update step and the loss after it, with and
//! without clipping.
//!
//! [`run`] computes everything at once; [`FlowJob`] does the same work in small pieces (first the
//! measured curves, then the bound one step Jacobian at a time), so a page can stay responsive.

use crate::core::activations::Activation;
use crate::core::error::{CoreError, Result};
use crate::core::grad::clip::{clip_grad_norm, ClipRule};
use crate::core::grad::norms::global_norm;
use crate::core::linalg;
use crate::core::rng::Rng;
use crate::core::rnn::bptt::{
    backward, forward, step_jacobian, BackwardOptions, Gradients, SeqInput, Workspace,
};
use crate::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec};
use crate::core::rnn::{CellKind, GruVariant};
use serde::{Deserialize, Serialize};

/// One curve of the experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CurveKind {
    /// Vanilla RNN, tanh.
    Tanh,
    /// Vanilla RNN, ReLU.
    Relu,
    /// Vanilla RNN, sigmoid.
    Sigmoid,
    /// Vanilla RNN, no nonlinearity.
    Identity,
    /// Residual vanilla RNN, tanh: h_t = h_{t−1} + tanh(…).
    Residual,
    /// LSTM (forget-gate bias from the config).
    Lstm,
    /// GRU (the lecture's convention).
    Gru,
}

impl CurveKind {
    /// All curves, in legend order.
    pub const ALL: [CurveKind; 7] = [
        CurveKind::Tanh,
        CurveKind::Relu,
        CurveKind::Sigmoid,
        CurveKind::Identity,
        CurveKind::Residual,
        CurveKind::Lstm,
        CurveKind::Gru,
    ];

    /// The lower-case name used in configs and legends.
    pub fn name(self) -> &'static str {
        match self {
            CurveKind::Tanh => "tanh",
            CurveKind::Relu => "relu",
            CurveKind::Sigmoid => "sigmoid",
            CurveKind::Identity => "identity",
            CurveKind::Residual => "residual",
            CurveKind::Lstm => "lstm",
            CurveKind::Gru => "gru",
        }
    }

    fn spec(self, hidden: usize) -> ModelSpec {
        let (cell, activation, residual) = match self {
            CurveKind::Tanh => (CellKind::Rnn, Activation::Tanh, false),
            CurveKind::Relu => (CellKind::Rnn, Activation::Relu, false),
            CurveKind::Sigmoid => (CellKind::Rnn, Activation::Sigmoid, false),
            CurveKind::Identity => (CellKind::Rnn, Activation::Identity, false),
            CurveKind::Residual => (CellKind::Rnn, Activation::Tanh, true),
            CurveKind::Lstm => (CellKind::Lstm, Activation::Tanh, false),
            CurveKind::Gru => (CellKind::Gru, Activation::Tanh, false),
        };
        ModelSpec {
            cell,
            input: InputKind::Dense,
            input_size: INPUT_SIZE,
            hidden,
            layers: 1,
            vocab: VOCAB,
            activation,
            residual,
            gru: GruVariant::Lecture,
        }
    }
}

/// Input width of the experiment's random inputs.
pub const INPUT_SIZE: usize = 4;
/// Output vocabulary of the experiment's readout.
pub const VOCAB: usize = 8;

/// Settings of the experiment (configs are data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowConfig {
    /// Sequence length T, 2..=200. Default 60.
    pub seq_len: usize,
    /// Hidden units H, 2..=64. Default 16.
    pub hidden: usize,
    /// Spectral radius of every recurrent block of W_hh, (0, 4]. Default 1.
    pub radius: f64,
    /// Inputs are U(−s, s) with s = input_scale, [0, 10]. Default 1.
    pub input_scale: f64,
    /// LSTM forget-gate bias, [−10, 10]. Default 1.
    pub forget_bias: f64,
    /// Seed of weights, inputs and targets. Default 1.
    pub seed: u32,
    /// Show the tanh RNN curve. Default true.
    pub tanh: bool,
    /// Show the ReLU RNN curve. Default true.
    pub relu: bool,
    /// Show the sigmoid RNN curve. Default false.
    pub sigmoid: bool,
    /// Show the identity (linear) RNN curve. Default false.
    pub identity: bool,
    /// Show the residual tanh RNN curve. Default true.
    pub residual: bool,
    /// Show the LSTM curve. Default true.
    pub lstm: bool,
    /// Show the GRU curve. Default true.
    pub gru: bool,
    /// Compute the chain-rule bound (Jacobian norms) too. Default true.
    pub bound: bool,
    /// Curve used by the clipping panel. Default tanh.
    pub clip_curve: CurveKind,
    /// Clipping threshold (Algorithm 1), (0, 1e6]. Default 1.
    pub clip_threshold: f64,
    /// Learning rate of the illustrated update step, (0, 100]. Default 0.5.
    pub lr: f64,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            seq_len: 60,
            hidden: 16,
            radius: 1.0,
            input_scale: 1.0,
            forget_bias: 1.0,
            seed: 1,
            tanh: true,
            relu: true,
            sigmoid: false,
            identity: false,
            residual: true,
            lstm: true,
            gru: true,
            bound: true,
            clip_curve: CurveKind::Tanh,
            clip_threshold: 1.0,
            lr: 0.5,
        }
    }
}

impl FlowConfig {
    /// A config showing exactly `curves` (the other fields default).
    pub fn with_curves(curves: &[CurveKind]) -> Self {
        let mut c = FlowConfig::default();
        for k in CurveKind::ALL {
            *c.flag_mut(k) = curves.contains(&k);
        }
        c
    }

    fn flag_mut(&mut self, k: CurveKind) -> &mut bool {
        match k {
            CurveKind::Tanh => &mut self.tanh,
            CurveKind::Relu => &mut self.relu,
            CurveKind::Sigmoid => &mut self.sigmoid,
            CurveKind::Identity => &mut self.identity,
            CurveKind::Residual => &mut self.residual,
            CurveKind::Lstm => &mut self.lstm,
            CurveKind::Gru => &mut self.gru,
        }
    }

    /// The curves switched on, in legend order.
    pub fn curves(&self) -> Vec<CurveKind> {
        let mut c = self.clone();
        CurveKind::ALL
            .into_iter()
            .filter(|k| *c.flag_mut(*k))
            .collect()
    }

    /// Checks every field against its range. Errors name the field (the URL key).
    pub fn validate(&self) -> Result<()> {
        let fin = |what: &str, v: f64, lo: f64, hi: f64, open_lo: bool| {
            let ok = v.is_finite() && v <= hi && if open_lo { v > lo } else { v >= lo };
            if ok {
                Ok(())
            } else {
                Err(CoreError::invalid(
                    what,
                    format!(
                        "{v} is outside {}{lo}, {hi}]",
                        if open_lo { "(" } else { "[" }
                    ),
                ))
            }
        };
        if !(2..=200).contains(&self.seq_len) {
            return Err(CoreError::invalid(
                "seq_len",
                format!("{} is outside 2..=200", self.seq_len),
            ));
        }
        if !(2..=64).contains(&self.hidden) {
            return Err(CoreError::invalid(
                "hidden",
                format!("{} is outside 2..=64", self.hidden),
            ));
        }
        fin("radius", self.radius, 0.0, 4.0, true)?;
        fin("input_scale", self.input_scale, 0.0, 10.0, false)?;
        fin("forget_bias", self.forget_bias, -10.0, 10.0, false)?;
        fin("clip_threshold", self.clip_threshold, 0.0, 1e6, true)?;
        fin("lr", self.lr, 0.0, 100.0, true)?;
        if self.curves().is_empty() {
            return Err(CoreError::invalid("tanh", "switch on at least one curve"));
        }
        Ok(())
    }
}

/// One curve's numbers; all per-step vectors have length T (index t = 0 … T−1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Which curve.
    pub kind: CurveKind,
    /// ‖∂J⁽ᵀ⁾/∂h_t‖.
    pub grad_norm: Vec<f64>,
    /// ‖∂J⁽ᵀ⁾/∂c_t‖ (LSTM; else empty).
    pub grad_norm_c: Vec<f64>,
    /// log₁₀ of the chain-rule bound at each t (empty when not computed). Entry T−1 is
    /// log₁₀ ‖∂J⁽ᵀ⁾/∂h_T‖ itself.
    pub log10_bound: Vec<f64>,
    /// ‖∂h_t/∂h_{t−1}‖₂ per step (LSTM: of the (h, c) state); empty when not computed.
    pub jacobian_norm: Vec<f64>,
    /// The spectral radius each W_hh block had before rescaling (the first block's).
    pub radius_before: f64,
    /// False when the forward pass overflowed (exploding activations: identity RNN with ρ > 1).
    pub finite: bool,
}

/// The clipping panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClipPanel {
    /// The curve it uses.
    pub kind: CurveKind,
    /// Mean loss J before the update.
    pub loss: f64,
    /// ‖∂J/∂θ‖ before clipping.
    pub norm_before: f64,
    /// ‖ĝ‖ after Algorithm 1.
    pub norm_after: f64,
    /// threshold / ‖g‖ when clipped, else 1.
    pub scale: f64,
    /// ‖Δθ‖ = lr ‖g‖ without clipping.
    pub step_unclipped: f64,
    /// ‖Δθ‖ = lr ‖ĝ‖ with clipping.
    pub step_clipped: f64,
    /// J(θ − lr g).
    pub loss_after_unclipped: f64,
    /// J(θ − lr ĝ).
    pub loss_after_clipped: f64,
}

/// The whole experiment's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowResult {
    /// One entry per requested curve, in legend order.
    pub curves: Vec<Curve>,
    /// The clipping panel (for `clip_curve`).
    pub clip: ClipPanel,
}

struct Setup {
    x: Vec<f64>,
    targets: Vec<usize>,
}

fn setup(cfg: &FlowConfig) -> Setup {
    let mut rng = Rng::fork(cfg.seed as u64, 0xF10);
    let s = cfg.input_scale;
    let x = (0..cfg.seq_len * INPUT_SIZE)
        .map(|_| rng.uniform(-s, s))
        .collect();
    let targets = (0..cfg.seq_len).map(|_| rng.below(VOCAB)).collect();
    Setup { x, targets }
}

/// The model of one curve: seeded weights (PyTorch's default scale), every W_hh block rescaled to
/// spectral radius `radius`, LSTM forget bias set. Returns the model and the first block's radius
/// before rescaling.
pub fn curve_model(cfg: &FlowConfig, kind: CurveKind) -> Result<(Model<f64>, f64)> {
    let spec = kind.spec(cfg.hidden);
    let mut m = Model::<f64>::init(
        &spec,
        &InitSpec {
            scale: 1.0,
            forget_bias: Some(cfg.forget_bias),
        },
        cfg.seed as u64,
    )?;
    let h = cfg.hidden;
    let names: Vec<String> = m
        .layout()
        .tensors
        .iter()
        .filter(|t| t.name.ends_with("w_h"))
        .map(|t| t.name.clone())
        .collect();
    let mut first = f64::NAN;
    for name in names {
        let mut w = m.tensor(&name)?.to_vec();
        let before = linalg::rescale_to_radius(&mut w, h, cfg.radius)?;
        if first.is_nan() {
            first = before;
        }
        m.set_tensor(&name, &w)?;
    }
    Ok((m, first))
}

/// Runs the experiment (all at once; [`FlowJob`] does the same work in pieces).
pub fn run(cfg: &FlowConfig) -> Result<FlowResult> {
    FlowJob::new(cfg)?.finish()
}

/// The cost of one piece of work, in "backward steps of an H-unit layer" (each O(G·H²) flops), so
/// progress can be reported as a fraction and a caller can ask for roughly equal slices.
fn jacobian_step_cost(kind: CurveKind) -> f64 {
    // One step Jacobian is S vector–Jacobian products (S = H, or 2H for the LSTM's (h, c) state);
    // its spectral norm adds a power iteration of similar size.
    let spec = kind.spec(1);
    let s = if spec.cell == CellKind::Lstm {
        2.0
    } else {
        1.0
    };
    s * spec.cell.gates() as f64
}

/// A curve whose chain-rule bound is still being computed: its model and the forward caches of
/// the experiment's sequence, and the step Jacobian norms found so far.
struct PendingBound {
    index: usize,
    model: Model<f64>,
    ws: Workspace<f64>,
    last: f64,
    norms: Vec<f64>,
    /// The previous step's right singular vector (warm start of the next power iteration).
    v: Vec<f64>,
}

/// The experiment computed in pieces, so that a page stays responsive and can draw progress: the
/// chain-rule bound costs O(T·G·H³) per curve — for the LSTM at T = 200, H = 64 close to a second.
///
/// Order of work: (1) each curve's forward and backward pass (the measured ‖∂J⁽ᵀ⁾/∂h_t‖), (2) the
/// clipping panel, (3) when `bound` is on, one step Jacobian and its spectral norm at a time,
/// curve by curve. After (1) and (2), [`FlowJob::partial`] returns every measured curve; each
/// curve's bound appears as soon as its last step is done. [`run`] is this job run to the end, so
/// both give identical numbers.
pub struct FlowJob {
    cfg: FlowConfig,
    setup: Setup,
    kinds: Vec<CurveKind>,
    curves: Vec<Curve>,
    clip: Option<ClipPanel>,
    /// Curves that still need a bound (model + caches), in legend order.
    queue: Vec<PendingBound>,
    done_cost: f64,
    total_cost: f64,
}

impl FlowJob {
    /// Validates `cfg` and plans the work (nothing is computed yet).
    pub fn new(cfg: &FlowConfig) -> Result<Self> {
        cfg.validate()?;
        let kinds = cfg.curves();
        let t = cfg.seq_len as f64;
        let gates = |k: CurveKind| k.spec(1).cell.gates() as f64;
        // Forward + backward ≈ 2T backward steps; the clipping panel ≈ 2 forward + 1 backward.
        let mut total: f64 = kinds.iter().map(|&k| 2.0 * t * gates(k)).sum();
        total += 3.0 * t * gates(cfg.clip_curve);
        if cfg.bound {
            total += kinds
                .iter()
                .map(|&k| t * cfg.hidden as f64 * jacobian_step_cost(k))
                .sum::<f64>();
        }
        Ok(FlowJob {
            cfg: cfg.clone(),
            setup: setup(cfg),
            curves: Vec::with_capacity(kinds.len()),
            kinds,
            clip: None,
            queue: Vec::new(),
            done_cost: 0.0,
            total_cost: total,
        })
    }

    /// The settings.
    pub fn config(&self) -> &FlowConfig {
        &self.cfg
    }

    /// Fraction of the planned work done, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.is_done() {
            1.0
        } else {
            (self.done_cost / self.total_cost).clamp(0.0, 1.0)
        }
    }

    /// True when every measured curve and the clipping panel are ready (bounds may be pending).
    pub fn measured(&self) -> bool {
        self.curves.len() == self.kinds.len() && self.clip.is_some()
    }

    /// True when everything is computed.
    pub fn is_done(&self) -> bool {
        self.measured() && self.queue.is_empty()
    }

    /// Does pieces of work until about `budget` cost units are spent (at least one piece, unless
    /// done). A measured curve costs ≈ 2·T·G units, one bound step S/H·G·H units. Returns
    /// [`FlowJob::is_done`].
    pub fn advance(&mut self, budget: f64) -> Result<bool> {
        let start = self.done_cost;
        while !self.is_done() {
            self.piece()?;
            if self.done_cost - start >= budget {
                break;
            }
        }
        Ok(self.is_done())
    }

    /// Runs the job to the end and returns the result.
    pub fn finish(mut self) -> Result<FlowResult> {
        self.advance(f64::INFINITY)?;
        Ok(FlowResult {
            curves: self.curves,
            clip: self
                .clip
                .ok_or_else(|| CoreError::invalid("gradient flow", "not computed"))?,
        })
    }

    /// The result so far: `None` until [`FlowJob::measured`]; then every curve, with
    /// `log10_bound` and `jacobian_norm` empty for curves whose bound is still pending.
    pub fn partial(&self) -> Option<FlowResult> {
        let clip = self.clip.clone()?;
        self.measured().then(|| FlowResult {
            curves: self.curves.clone(),
            clip,
        })
    }

    fn piece(&mut self) -> Result<()> {
        let t_len = self.cfg.seq_len;
        if self.curves.len() < self.kinds.len() {
            let kind = self.kinds[self.curves.len()];
            self.measure(kind)?;
            self.done_cost += 2.0 * t_len as f64 * kind.spec(1).cell.gates() as f64;
        } else if self.clip.is_none() {
            self.clip = Some(clip_panel(&self.cfg, &self.setup)?);
            self.done_cost += 3.0 * t_len as f64 * self.cfg.clip_curve.spec(1).cell.gates() as f64;
        } else if let Some(p) = self.queue.first_mut() {
            let kind = self.kinds[p.index];
            // Step t's Jacobian ∂(state_t)/∂(state_{t−1}); for the LSTM the full (h, c) state.
            let t = p.norms.len();
            let jac = step_jacobian(&p.model, &p.ws, 0, t)?;
            let s = if kind == CurveKind::Lstm {
                2 * self.cfg.hidden
            } else {
                self.cfg.hidden
            };
            p.norms
                .push(linalg::spectral_norm_warm(&jac, s, s, &mut p.v));
            self.done_cost += self.cfg.hidden as f64 * jacobian_step_cost(kind);
            if p.norms.len() == t_len {
                let p = self.queue.remove(0);
                let mut log10_bound = vec![0.0; t_len];
                // At t = T−1 the bound is the measured value itself (for the LSTM: of (h, c)).
                log10_bound[t_len - 1] = p.last.log10();
                for t in (0..t_len - 1).rev() {
                    log10_bound[t] = log10_bound[t + 1] + p.norms[t + 1].log10();
                }
                let curve = &mut self.curves[p.index];
                curve.log10_bound = log10_bound;
                curve.jacobian_norm = p.norms;
            }
        }
        Ok(())
    }

    /// Forward and backward pass of one curve: the measured norms, and its bound's work queued.
    fn measure(&mut self, kind: CurveKind) -> Result<()> {
        let cfg = &self.cfg;
        let xs = SeqInput::Dense {
            data: &self.setup.x,
            dim: INPUT_SIZE,
        };
        let (m, radius_before) = curve_model(cfg, kind)?;
        let mut ws = Workspace::new();
        let out = forward(&m, &mut ws, xs, Some(&self.setup.targets), &m.zero_state())?;
        let mut g = Gradients::new(&m);
        let flow = backward(
            &m,
            &mut ws,
            xs,
            &self.setup.targets,
            &BackwardOptions {
                grad_flow: true,
                ..Default::default()
            },
            &mut g,
        )?
        .ok_or_else(|| CoreError::invalid("gradient flow", "not computed"))?;
        let t_len = cfg.seq_len;
        if cfg.bound && out.finite {
            let last = if kind == CurveKind::Lstm {
                flow.dloss_last_dh[t_len - 1].hypot(flow.dloss_last_dc[t_len - 1])
            } else {
                flow.dloss_last_dh[t_len - 1]
            };
            self.queue.push(PendingBound {
                index: self.curves.len(),
                model: m,
                ws,
                last,
                norms: Vec::with_capacity(t_len),
                v: Vec::new(),
            });
        } else if cfg.bound {
            // No bound for an overflowed pass: its work is skipped.
            self.done_cost += t_len as f64 * cfg.hidden as f64 * jacobian_step_cost(kind);
        }
        self.curves.push(Curve {
            kind,
            grad_norm: flow.dloss_last_dh,
            grad_norm_c: flow.dloss_last_dc,
            log10_bound: vec![],
            jacobian_norm: vec![],
            radius_before,
            finite: out.finite,
        });
        Ok(())
    }
}

fn clip_panel(cfg: &FlowConfig, s: &Setup) -> Result<ClipPanel> {
    let xs = SeqInput::Dense {
        data: &s.x,
        dim: INPUT_SIZE,
    };
    let (m, _) = curve_model(cfg, cfg.clip_curve)?;
    let mut ws = Workspace::new();
    let out = forward(&m, &mut ws, xs, Some(&s.targets), &m.zero_state())?;
    let mut g = Gradients::new(&m);
    backward(
        &m,
        &mut ws,
        xs,
        &s.targets,
        &BackwardOptions::default(),
        &mut g,
    )?;
    let norm_before = global_norm(&g.params);
    let mut clipped = g.params.clone();
    let rep = clip_grad_norm(&mut clipped, cfg.clip_threshold, ClipRule::Lecture);
    let loss_after = |grad: &[f64], ws: &mut Workspace<f64>| -> Result<f64> {
        let mut m2 = m.clone();
        for (p, gi) in m2.params.iter_mut().zip(grad) {
            *p -= cfg.lr * gi;
        }
        Ok(forward(&m2, ws, xs, Some(&s.targets), &m2.zero_state())?.mean_loss)
    };
    Ok(ClipPanel {
        kind: cfg.clip_curve,
        loss: out.mean_loss,
        norm_before,
        norm_after: rep.norm_after,
        scale: rep.scale,
        step_unclipped: cfg.lr * norm_before,
        step_clipped: cfg.lr * rep.norm_after,
        loss_after_unclipped: loss_after(&g.params, &mut ws)?,
        loss_after_clipped: loss_after(&clipped, &mut ws)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_is_exact_and_bound_holds_for_rnn_and_gru() {
        let cfg = FlowConfig {
            seq_len: 30,
            hidden: 8,
            radius: 0.8,
            ..FlowConfig::with_curves(&CurveKind::ALL)
        };
        for kind in CurveKind::ALL {
            let (m, _) = curve_model(&cfg, kind).unwrap();
            for t in m
                .layout()
                .tensors
                .iter()
                .filter(|t| t.name.ends_with("w_h"))
            {
                let rho = linalg::spectral_radius(t.slice(&m.params), 8).unwrap();
                assert!((rho - 0.8).abs() < 1e-12, "{kind:?} {}: {rho}", t.name);
            }
        }
        let r = run(&cfg).unwrap();
        for c in &r.curves {
            assert_eq!(c.grad_norm.len(), 30);
            if c.kind == CurveKind::Lstm {
                for t in 0..30 {
                    let both = c.grad_norm[t].hypot(c.grad_norm_c[t]);
                    assert!(both.log10() <= c.log10_bound[t] + 1e-9, "lstm t={t}");
                }
            } else {
                for t in 0..30 {
                    assert!(
                        c.grad_norm[t].log10() <= c.log10_bound[t] + 1e-9,
                        "{:?} t={t}",
                        c.kind
                    );
                }
            }
        }
    }

    #[test]
    fn vanishing_and_exploding_regimes() {
        // Identity RNN: ∂h_T/∂h_t = W^{T−t}, so with ρ = 0.5 the signal shrinks by many orders of
        // magnitude over 60 steps, and with ρ = 1.5 it grows.
        let small = run(&FlowConfig {
            radius: 0.5,
            ..FlowConfig::with_curves(&[CurveKind::Identity])
        })
        .unwrap();
        let g = &small.curves[0].grad_norm;
        assert!(g[0] < g[59] * 1e-10, "vanishing: {} vs {}", g[0], g[59]);
        let big = run(&FlowConfig {
            radius: 1.5,
            ..FlowConfig::with_curves(&[CurveKind::Identity])
        })
        .unwrap();
        let g = &big.curves[0].grad_norm;
        assert!(g[0] > g[59] * 1e5, "exploding: {} vs {}", g[0], g[59]);
        // The LSTM with a large forget bias keeps more signal at t = 0 than the tanh RNN.
        let both = run(&FlowConfig {
            radius: 1.0,
            forget_bias: 5.0,
            ..FlowConfig::with_curves(&[CurveKind::Tanh, CurveKind::Lstm])
        })
        .unwrap();
        assert!(both.curves[1].grad_norm[0] > both.curves[0].grad_norm[0]);
    }

    #[test]
    fn clipping_panel_is_algorithm_1() {
        let r = run(&FlowConfig {
            radius: 2.5,
            clip_threshold: 0.1,
            ..FlowConfig::with_curves(&[CurveKind::Tanh])
        })
        .unwrap();
        let c = &r.clip;
        assert!(c.norm_before > 0.1);
        assert!((c.norm_after - 0.1).abs() < 1e-12);
        assert!((c.scale - 0.1 / c.norm_before).abs() < 1e-15);
        assert!((c.step_clipped - 0.5 * 0.1).abs() < 1e-12);
        assert!(FlowConfig {
            hidden: 100,
            ..Default::default()
        }
        .validate()
        .is_err());
        assert!(FlowConfig {
            radius: f64::NAN,
            ..Default::default()
        }
        .validate()
        .is_err());
        assert!(FlowConfig {
            ..FlowConfig::with_curves(&[])
        }
        .validate()
        .is_err());
    }

    #[test]
    fn job_in_small_pieces_gives_the_same_numbers_as_run() {
        let cfg = FlowConfig {
            seq_len: 25,
            hidden: 6,
            radius: 1.3,
            clip_curve: CurveKind::Lstm,
            ..FlowConfig::with_curves(&CurveKind::ALL)
        };
        let whole = run(&cfg).unwrap();
        let mut job = FlowJob::new(&cfg).unwrap();
        assert_eq!(job.progress(), 0.0);
        assert!(job.partial().is_none());
        let mut last = 0.0;
        let mut first_partial = None;
        // Budget 1 = one piece per call: 7 measured curves, the clip panel, then 25 bound steps
        // for each of the 7 curves (all finite here).
        let mut calls = 0;
        while !job.advance(1.0).unwrap() {
            calls += 1;
            let p = job.progress();
            assert!(p >= last && p < 1.0, "progress {p} after {last}");
            last = p;
            if first_partial.is_none() {
                first_partial = job.partial();
            }
        }
        assert_eq!(calls + 1, 7 + 1 + 7 * 25);
        assert_eq!(job.progress(), 1.0);
        let partial = first_partial.expect("measured curves before the bounds");
        assert!(partial.curves.iter().all(|c| c.log10_bound.is_empty()));
        assert_eq!(partial.clip, whole.clip);
        for (p, w) in partial.curves.iter().zip(&whole.curves) {
            assert_eq!(p.grad_norm, w.grad_norm);
        }
        assert_eq!(job.partial().unwrap(), whole);
        assert_eq!(job.finish().unwrap(), whole);
        // Without the bound there is nothing after the clipping panel.
        let quick = FlowJob::new(&FlowConfig {
            bound: false,
            ..cfg.clone()
        })
        .unwrap()
        .finish()
        .unwrap();
        assert!(quick.curves.iter().all(|c| c.log10_bound.is_empty()));
        assert_eq!(quick.curves[0].grad_norm, whole.curves[0].grad_norm);
        assert!(FlowJob::new(&FlowConfig::with_curves(&[])).is_err());
    }
}
