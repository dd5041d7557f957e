//! Optimisers over a flat parameter buffer: SGD, RMSProp (char-rnn style) and Adam (PyTorch
//! semantics). Each update is one pass over the buffer that allocates nothing.
//!
//! ```text
//! SGD:      θ ← θ − η g
//! RMSProp:  v ← ρ v + (1 − ρ) g²;   θ ← θ − η g / (√v + ε)         (ρ = 0.95, ε = 1e-8: char-rnn;
//!                                                                  same form as torch.optim.RMSprop)
//! Adam:     m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  t ← t + 1
//!           θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)   (torch.optim.Adam, Kingma & Ba 2015)
//! ```

use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use serde::{Deserialize, Serialize};

/// Which optimiser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent.
    Sgd,
    /// RMSProp without momentum.
    RmsProp,
    /// Adam with bias correction.
    #[default]
    Adam,
}

/// Optimiser settings. Configs are data: every field has a default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimConfig {
    /// Which optimiser. Default Adam.
    pub kind: OptimizerKind,
    /// Learning rate η > 0. Default 0.002.
    pub lr: f64,
    /// RMSProp decay ρ ∈ [0, 1). Default 0.95 (char-rnn).
    pub rms_decay: f64,
    /// Adam β₁ ∈ [0, 1). Default 0.9.
    pub beta1: f64,
    /// Adam β₂ ∈ [0, 1). Default 0.999.
    pub beta2: f64,
    /// ε > 0 in the denominators. Default 1e-8.
    pub eps: f64,
}

impl Default for OptimConfig {
    fn default() -> Self {
        OptimConfig {
            kind: OptimizerKind::Adam,
            lr: 0.002,
            rms_decay: 0.95,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl OptimConfig {
    /// Checks every field against its range.
    pub fn validate(&self) -> Result<()> {
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(CoreError::invalid("lr", "must be a positive number"));
        }
        for (what, v) in [
            ("rms_decay", self.rms_decay),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
        ] {
            if !(0.0..1.0).contains(&v) {
                return Err(CoreError::invalid(what, "must be in [0, 1)"));
            }
        }
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(CoreError::invalid("eps", "must be a positive number"));
        }
        Ok(())
    }
}

/// Optimiser state for one flat parameter buffer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimizer<F> {
    /// The settings.
    pub config: OptimConfig,
    /// First moment (Adam), one per parameter.
    m: Vec<F>,
    /// Second moment (RMSProp, Adam), one per parameter.
    v: Vec<F>,
    /// Number of updates done.
    pub t: u64,
}

impl<F: Real> Optimizer<F> {
    /// A fresh optimiser for `n` parameters (validated config).
    pub fn new(config: OptimConfig, n: usize) -> Result<Self> {
        config.validate()?;
        let (nm, nv) = match config.kind {
            OptimizerKind::Sgd => (0, 0),
            OptimizerKind::RmsProp => (0, n),
            OptimizerKind::Adam => (n, n),
        };
        Ok(Optimizer {
            config,
            m: vec![F::zero(); nm],
            v: vec![F::zero(); nv],
            t: 0,
        })
    }

    /// One update θ ← θ − step(g). `params` and `grads` must have the length given to `new`.
    pub fn step(&mut self, params: &mut [F], grads: &[F]) -> Result<()> {
        let n = params.len();
        if grads.len() != n || (self.config.kind != OptimizerKind::Sgd && self.v.len() != n) {
            return Err(CoreError::shape("optimizer buffers", n, grads.len()));
        }
        self.t += 1;
        let c = &self.config;
        let lr = F::c(c.lr);
        let eps = F::c(c.eps);
        match c.kind {
            OptimizerKind::Sgd => F::axpy(-lr, grads, params),
            OptimizerKind::RmsProp => {
                let rho = F::c(c.rms_decay);
                let one_m = F::c(1.0 - c.rms_decay);
                for ((p, g), v) in params.iter_mut().zip(grads).zip(self.v.iter_mut()) {
                    *v = rho * *v + one_m * *g * *g;
                    *p -= lr * *g / (v.sqrt() + eps);
                }
            }
            OptimizerKind::Adam => {
                let (b1, b2) = (F::c(c.beta1), F::c(c.beta2));
                let (omb1, omb2) = (F::c(1.0 - c.beta1), F::c(1.0 - c.beta2));
                let t = self.t.min(i32::MAX as u64) as i32;
                let bc1 = 1.0 - c.beta1.powi(t);
                let bc2 = 1.0 - c.beta2.powi(t);
                let step_size = F::c(c.lr / bc1);
                let inv_sqrt_bc2 = F::c(1.0 / bc2.sqrt());
                for (((p, g), m), v) in params
                    .iter_mut()
                    .zip(grads)
                    .zip(self.m.iter_mut())
                    .zip(self.v.iter_mut())
                {
                    *m = b1 * *m + omb1 * *g;
                    *v = b2 * *v + omb2 * *g * *g;
                    let denom = v.sqrt() * inv_sqrt_bc2 + eps;
                    *p -= step_size * *m / denom;
                }
            }
        }
        Ok(())
    }

    /// Copies another optimiser's state into this one without allocating (same sizes), for
    /// checkpoints; falls back to a plain clone when the sizes differ.
    pub fn copy_from(&mut self, other: &Optimizer<F>) {
        if self.m.len() == other.m.len() && self.v.len() == other.v.len() {
            self.m.copy_from_slice(&other.m);
            self.v.copy_from_slice(&other.v);
            self.config = other.config;
            self.t = other.t;
        } else {
            *self = other.clone();
        }
    }

    /// Forgets all moments (after loading a checkpoint, say).
    pub fn reset(&mut self) {
        self.m.iter_mut().for_each(|x| *x = F::zero());
        self.v.iter_mut().for_each(|x| *x = F::zero());
        self.t = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_steps_by_hand() {
        // SGD: θ = 1, g = 0.5, η = 0.1 → 0.95.
        let cfg = OptimConfig {
            kind: OptimizerKind::Sgd,
            lr: 0.1,
            ..Default::default()
        };
        let mut o = Optimizer::<f64>::new(cfg, 1).unwrap();
        let mut p = [1.0];
        o.step(&mut p, &[0.5]).unwrap();
        assert_eq!(p, [0.95]);
        // RMSProp, ρ = 0.75, ε tiny: v = 0.25 · 4 = 1, θ = 1 − 0.1 · 2 / 1 = 0.8.
        let cfg = OptimConfig {
            kind: OptimizerKind::RmsProp,
            lr: 0.1,
            rms_decay: 0.75,
            eps: 1e-300,
            ..Default::default()
        };
        let mut o = Optimizer::<f64>::new(cfg, 1).unwrap();
        let mut p = [1.0];
        o.step(&mut p, &[2.0]).unwrap();
        assert!((p[0] - 0.8).abs() < 1e-15);
        // Adam's first step is −η·sign(g) (up to ε): m̂ = g, v̂ = g².
        let cfg = OptimConfig {
            kind: OptimizerKind::Adam,
            lr: 0.01,
            eps: 1e-300,
            ..Default::default()
        };
        let mut o = Optimizer::<f64>::new(cfg, 2).unwrap();
        let mut p = [1.0, 1.0];
        o.step(&mut p, &[3.0, -0.002]).unwrap();
        assert!(
            (p[0] - 0.99).abs() < 1e-15 && (p[1] - 1.01).abs() < 1e-15,
            "{p:?}"
        );
    }

    #[test]
    fn bad_configs_and_shapes_are_errors() {
        assert!(Optimizer::<f32>::new(
            OptimConfig {
                lr: -1.0,
                ..Default::default()
            },
            3
        )
        .is_err());
        assert!(Optimizer::<f32>::new(
            OptimConfig {
                beta2: 1.0,
                ..Default::default()
            },
            3
        )
        .is_err());
        let mut o = Optimizer::<f32>::new(OptimConfig::default(), 3).unwrap();
        assert!(o.step(&mut [0.0; 3], &[0.0; 2]).is_err());
    }
}
