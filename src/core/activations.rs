//! Activation functions as (f, f′) pairs, each defined once.
//!
//! The derivative is written in terms of the *output* y = f(a), as in the lecture's backward pass:
//! σ′ = σ(1 − σ), tanh′ = 1 − y², relu′ = 𝟙(y > 0), identity′ = 1. This is what lets a backward
//! step use only cached outputs.

use super::real::Real;
use serde::{Deserialize, Serialize};

/// The element-wise nonlinearities a vanilla RNN may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// tanh(a) ∈ (−1, 1); derivative 1 − y². The lecture's default.
    #[default]
    Tanh,
    /// max(0, a); derivative 1 where y > 0, else 0.
    Relu,
    /// σ(a) = 1 / (1 + e^{−a}) ∈ (0, 1); derivative y(1 − y) ≤ ¼.
    Sigmoid,
    /// a (no nonlinearity); derivative 1. Shows pure W_hh powers.
    Identity,
}

impl Activation {
    /// All variants, in display order.
    pub const ALL: [Activation; 4] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Identity,
    ];

    /// The lower-case name used in configs and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Identity => "identity",
        }
    }

    /// y = f(a).
    #[inline]
    pub fn f<F: Real>(self, a: F) -> F {
        match self {
            Activation::Tanh => a.tanh(),
            Activation::Relu => a.max(F::zero()),
            Activation::Sigmoid => sigmoid(a),
            Activation::Identity => a,
        }
    }

    /// f′(a) written in terms of the output y = f(a).
    #[inline]
    pub fn df_from_output<F: Real>(self, y: F) -> F {
        match self {
            Activation::Tanh => tanh_df(y),
            Activation::Relu => {
                if y > F::zero() {
                    F::one()
                } else {
                    F::zero()
                }
            }
            Activation::Sigmoid => sigmoid_df(y),
            Activation::Identity => F::one(),
        }
    }
}

/// σ(a) = 1 / (1 + e^{−a}), evaluated without overflow for large |a|.
#[inline]
pub fn sigmoid<F: Real>(a: F) -> F {
    if a >= F::zero() {
        F::one() / (F::one() + (-a).exp())
    } else {
        let e = a.exp();
        e / (F::one() + e)
    }
}

/// σ′ from the output: y(1 − y).
#[inline]
pub fn sigmoid_df<F: Real>(y: F) -> F {
    y * (F::one() - y)
}

/// tanh′ from the output: 1 − y².
#[inline]
pub fn tanh_df<F: Real>(y: F) -> F {
    F::one() - y * y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_worked_by_hand() {
        // σ(0) = 1/2, σ′ = 1/4; tanh(0) = 0, tanh′ = 1; relu(−2) = 0, relu′ = 0; relu(3) = 3, relu′ = 1.
        assert_eq!(Activation::Sigmoid.f(0.0f64), 0.5);
        assert_eq!(Activation::Sigmoid.df_from_output(0.5f64), 0.25);
        assert_eq!(Activation::Tanh.f(0.0f64), 0.0);
        assert_eq!(Activation::Tanh.df_from_output(0.0f64), 1.0);
        assert_eq!(Activation::Relu.f(-2.0f64), 0.0);
        assert_eq!(Activation::Relu.df_from_output(0.0f64), 0.0);
        assert_eq!(Activation::Relu.f(3.0f64), 3.0);
        assert_eq!(Activation::Relu.df_from_output(3.0f64), 1.0);
        assert_eq!(Activation::Identity.f(-1.5f64), -1.5);
        // σ(ln 3) = 3/4 exactly in real arithmetic.
        assert!((sigmoid(3.0f64.ln()) - 0.75).abs() < 1e-15);
        // No overflow far out in the tails.
        assert_eq!(sigmoid(-1000.0f64), 0.0);
        assert_eq!(sigmoid(1000.0f64), 1.0);
    }

    #[test]
    fn derivative_from_output_matches_central_difference() {
        for act in Activation::ALL {
            for &a in &[-1.3f64, -0.2, 0.4, 2.1] {
                let h = 1e-6;
                let fd = (act.f(a + h) - act.f(a - h)) / (2.0 * h);
                let an = act.df_from_output(act.f(a));
                assert!((fd - an).abs() < 1e-8, "{act:?} at {a}: {fd} vs {an}");
            }
        }
    }
}
