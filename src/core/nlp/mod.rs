//! Word vectors and language modelling (lecture: "NLP basics": bag-of-words, Naive Bayes, Word2Vec,
//! GloVe, n-gram language models).
//!
//! Every widget of issue 5 is built on one of these modules; each follows the same contract:
//! a serde `…Config` with `Default` and `validate()`, a model with a step API for anything that
//! trains (`train_steps(n)` returns small serialisable progress), and small serialisable results.
//!
//! | module | teaches |
//! | --- | --- |
//! | [`tokenize`] | Unicode-aware word and character tokens (Hangul works) |
//! | [`vocab`] | token ↔ id maps with an explicit order |
//! | [`ratio`] | exact fractions for the Naive Bayes table |
//! | [`naive_bayes`] | multinomial Naive Bayes with add-k smoothing, the lecture's example |
//!
//! Dimension glossary (in addition to [`crate::core`]): `V` vocabulary size, `D` embedding size,
//! `N` number of words in a vector set, `R` restricted vocabulary (first R rows).

pub mod naive_bayes;
pub mod ratio;
pub mod tokenize;
pub mod vocab;
