//! The wasm boundary: the only `#[wasm_bindgen]` code of RNN Lab (compiled for wasm32 only).
//!
//! Every widget is an opaque handle (`XWidget`) that owns its config and model; JS gets small,
//! JSON-compatible results and bulk numbers as `Float32Array` (rustwasm book, "opaque handles,
//! small results"). Conversions and error mapping live in [`convert`]. Nothing here does math:
//! handles call `crate::core` and draw with `crate::viz`.

mod activations;
mod convert;
mod gradflow;
mod nlp;
mod stepper;
mod train_lab;
mod trainer;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: Rust panics are printed to the browser console
/// with their message and location instead of an opaque `unreachable` trap.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version, for the page footer and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
