//! Pure math of RNN Lab: everything a student sees is a number computed here.
//!
//! # Dimension glossary
//!
//! | symbol | meaning |
//! | --- | --- |
//! | `T` | sequence length (number of timesteps) |
//! | `D` | input size (embedding or dense input width; for one-hot ids, the vocabulary) |
//! | `H` | hidden size (units per layer) |
//! | `V` | vocabulary size (readout width) |
//! | `G` | number of gate blocks stacked in one matrix (1 RNN, 4 LSTM, 3 GRU) |
//!
//! Every array carries a shape comment such as `// (G·H, D)`. Gradients are named `d<name>`:
//! `dh_prev` is ∂J/∂h_{t−1}.
//!
//! Nothing in this module imports wasm, web or drawing crates.

pub mod activations;
pub mod config;
pub mod error;
pub mod flow;
pub mod grad;
pub mod linalg;
pub mod nlp;
pub mod real;
pub mod rng;
pub mod rnn;
pub mod stepper;
pub mod train;
