//! # RNN Lab
//!
//! An interactive teaching app for the lecture series *DeepIntoDeep* on recurrent neural networks.
//! The crate has three layers, with dependencies pointing one way only:
//!
//! * [`core`] — pure math (ndarray): recurrent cells with their backward passes, backpropagation
//!   through time, clipping, optimizers, word vectors and n-gram models. No web or drawing imports;
//!   tested natively.
//! * [`viz`] — chart builders: pure series plus draw functions over any plotters `DrawingBackend`.
//! * `web` (wasm32 only) — the only `#[wasm_bindgen]` code: widget handles and JS conversions.
//!
//! The ES modules in `www/` own the DOM; `pkg/` is the wasm-bindgen output.

#![warn(missing_docs)]

pub mod core;
pub mod viz;

#[cfg(target_arch = "wasm32")]
mod web;
