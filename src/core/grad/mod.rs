//! Gradient utilities: norms, clipping, and the finite-difference checker.

pub mod check;
pub mod clip;
pub mod norms;
