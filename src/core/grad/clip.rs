//! Gradient clipping — a training-time rescaling of ∂J/∂θ, not to be confused with clamping a
//! recurrent state.
//!
//! The lecture's Algorithm 1 (Pascanu, Mikolov and Bengio 2013, "On the difficulty of training
//! recurrent neural networks"):
//!
//! ```text
//! ĝ ← ∂J/∂θ
//! if ‖ĝ‖ ≥ threshold then ĝ ← (threshold / ‖ĝ‖) ĝ
//! ```
//!
//! `torch.nn.utils.clip_grad_norm_` does almost the same with a guard against division by zero:
//! coef = max_norm / (‖g‖ + 1e-6), and g ← g · min(coef, 1). The two differ by ~1e-6 relative when
//! clipping is active, which is why both are here under their own names.

use super::norms::global_norm;
use crate::core::real::Real;
use serde::{Deserialize, Serialize};

/// Which global-norm clipping rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipRule {
    /// The lecture's Algorithm 1: if ‖g‖ ≥ θ, g ← θ/‖g‖ · g.
    Lecture,
    /// PyTorch's `clip_grad_norm_`: g ← g · min(θ / (‖g‖ + 1e-6), 1).
    #[default]
    Torch,
}

/// What one clipping call did.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClipReport {
    /// ‖g‖₂ before clipping.
    pub norm_before: f64,
    /// The factor every gradient was multiplied by (1 when nothing changed).
    pub scale: f64,
    /// ‖g‖₂ after clipping.
    pub norm_after: f64,
    /// True when the gradient was rescaled.
    pub clipped: bool,
    /// False when the norm was NaN or infinite: the gradient is left untouched and the run should be
    /// treated as diverged.
    pub finite: bool,
}

/// Global-norm clipping of a flat gradient buffer with threshold `max_norm` (> 0).
pub fn clip_grad_norm<F: Real>(grads: &mut [F], max_norm: f64, rule: ClipRule) -> ClipReport {
    let norm = global_norm(grads);
    if !norm.is_finite() {
        return ClipReport {
            norm_before: norm,
            scale: 1.0,
            norm_after: norm,
            clipped: false,
            finite: false,
        };
    }
    let scale = match rule {
        ClipRule::Lecture => {
            if norm >= max_norm && norm > 0.0 {
                max_norm / norm
            } else {
                1.0
            }
        }
        ClipRule::Torch => (max_norm / (norm + 1e-6)).min(1.0),
    };
    let clipped = scale < 1.0;
    if clipped {
        let s = F::c(scale);
        grads.iter_mut().for_each(|g| *g *= s);
    }
    let norm_after = if clipped { global_norm(grads) } else { norm };
    ClipReport {
        norm_before: norm,
        scale,
        norm_after,
        clipped,
        finite: true,
    }
}

/// Element-wise value clipping: every gradient is clamped to [−max_abs, max_abs]. Returns how many
/// entries were changed. (Changes the gradient's direction, unlike norm clipping.)
pub fn clip_grad_value<F: Real>(grads: &mut [F], max_abs: f64) -> usize {
    let m = F::c(max_abs.abs());
    let mut n = 0;
    for g in grads.iter_mut() {
        if *g > m {
            *g = m;
            n += 1;
        } else if *g < -m {
            *g = -m;
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_1_by_hand() {
        // g = (3, 4), ‖g‖ = 5 ≥ threshold 1 → g = (3/5, 4/5), norm 1.
        let mut g = [3.0f64, 4.0];
        let r = clip_grad_norm(&mut g, 1.0, ClipRule::Lecture);
        assert_eq!(r.norm_before, 5.0);
        assert_eq!(r.scale, 0.2);
        assert_eq!(g, [0.6000000000000001, 0.8]);
        assert!((r.norm_after - 1.0).abs() < 1e-15);
        assert!(r.clipped);
        // Below the threshold nothing changes.
        let mut g = [0.3f64, 0.4];
        let r = clip_grad_norm(&mut g, 1.0, ClipRule::Lecture);
        assert!(!r.clipped);
        assert_eq!(g, [0.3, 0.4]);
    }

    #[test]
    fn torch_rule_has_the_epsilon() {
        // PyTorch: coef = 1 / (5 + 1e-6).
        let mut g = [3.0f64, 4.0];
        let r = clip_grad_norm(&mut g, 1.0, ClipRule::Torch);
        assert_eq!(r.scale, 1.0 / (5.0 + 1e-6));
        assert_eq!(g[0], 3.0 * (1.0 / (5.0 + 1e-6)));
    }

    #[test]
    fn non_finite_is_a_state_and_value_clipping_counts() {
        let mut g = [f64::INFINITY, 1.0];
        let r = clip_grad_norm(&mut g, 1.0, ClipRule::Torch);
        assert!(!r.finite);
        assert_eq!(g[1], 1.0);
        let mut g = [-3.0f32, 0.5, 2.0];
        assert_eq!(clip_grad_value(&mut g, 1.0), 2);
        assert_eq!(g, [-1.0, 0.5, 1.0]);
    }
}
