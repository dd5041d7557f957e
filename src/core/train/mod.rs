//! Training: optimisers, sampling, and the language-model trainer.

pub mod optim;
