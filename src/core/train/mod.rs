//! Training: text data, optimisers, sampling, and the language-model trainer.

pub mod data;
pub mod exposure;
pub mod optim;
pub mod sample;
pub mod trainer;
