//! Gradient norms. Sums of squares are accumulated in f64 whatever the float type, so a global
//! norm over 10⁵–10⁶ f32 values keeps its digits.

use crate::core::real::Real;
use crate::core::rnn::Layout;
use serde::{Deserialize, Serialize};

/// Σ g², accumulated in f64.
pub fn norm_sq<F: Real>(g: &[F]) -> f64 {
    let mut acc = [0f64; 4];
    let chunks = g.chunks_exact(4);
    let rem = chunks.remainder();
    for c in chunks {
        for k in 0..4 {
            let v = c[k].f64();
            acc[k] += v * v;
        }
    }
    let tail: f64 = rem.iter().map(|v| v.f64() * v.f64()).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The global L2 norm ‖g‖₂ = √(Σ g²) over all parameters (one flat buffer).
pub fn global_norm<F: Real>(g: &[F]) -> f64 {
    norm_sq(g).sqrt()
}

/// One tensor's gradient norm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorNorm {
    /// Tensor name (see [`Layout`]).
    pub name: String,
    /// ‖∂J/∂tensor‖₂.
    pub norm: f64,
}

/// Per-tensor gradient norms, in layout order (what a "which weights get gradient" bar chart shows).
pub fn tensor_norms<F: Real>(layout: &Layout, g: &[F]) -> Vec<TensorNorm> {
    layout
        .tensors
        .iter()
        .map(|t| TensorNorm {
            name: t.name.clone(),
            norm: global_norm(t.slice(g)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norms_by_hand() {
        // (3, 4) has norm 5; adding (12) to the buffer gives √(9 + 16 + 144) = 13.
        assert_eq!(global_norm(&[3.0f64, 4.0]), 5.0);
        assert_eq!(global_norm(&[3.0f32, 4.0, 12.0]), 13.0);
        assert_eq!(norm_sq::<f64>(&[]), 0.0);
        let mut layout = Layout::default();
        layout.push("a", &[2]);
        layout.push("b", &[1]);
        let n = tensor_norms(&layout, &[3.0f64, 4.0, -2.0]);
        assert_eq!(n[0].norm, 5.0);
        assert_eq!(n[1].norm, 2.0);
        assert!(global_norm(&[f64::NAN]).is_nan());
    }
}
