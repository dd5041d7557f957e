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
//! | [`ngram`] | n-gram language models: counts, add-k, backoff, generation, perplexity, sparsity |
//! | [`similarity`] | one-hot vs dense cosine-similarity matrices |
//! | [`vectors`] | word-vector sets: neighbours, analogies (3CosAdd, 3CosMul), presets |
//! | [`compact`] | the int8 word-vector file the browser downloads |
//! | [`analogy_eval`] | the Mikolov et al. analogy benchmark, exactly as gensim scores it |
//! | [`glove`] | co-occurrence counts, the GloVe objective and its training |
//! | [`word2vec`] | skip-gram and CBOW with full softmax or negative sampling, step training |
//! | [`pca`] | 2-D projections by power iteration with deflation |
//! | [`rnn_lm`] | a character RNN's perplexity on held-out text, in steps (to compare with n-grams) |
//!
//! # Entry points for widgets
//!
//! | widget | build | step / query | results |
//! | --- | --- | --- | --- |
//! | one-hot vs dense | [`similarity::one_hot`], [`similarity::dense`] | — | [`similarity::SimilarityMatrix`] |
//! | Naive Bayes | [`naive_bayes::classify`]`(&NaiveBayesConfig)` | — | [`naive_bayes::NaiveBayesReport`] |
//! | Word2Vec | [`word2vec::Word2Vec::new`] / `with_corpus` | `train_steps(n)`, `train_example` | `progress()`, `history()`, `toy_frame()`, `nearest()`, `word_vectors()` |
//! | GloVe | [`glove::GloveModel::new`] / `with_corpus` | `train_steps(n)`, `train_epochs(n)` | `cooccurrence()`, `objective()`, `history()`, `word_vectors()`; [`glove::growth_curve`] |
//! | analogies | [`vectors::WordVectors::from_compact`] | `analogy()`, `nearest()`, `pca_of_words()` | [`vectors::AnalogyResult`], [`vectors::PRESETS`] |
//! | analogy benchmark | [`analogy_eval::Evaluator::new`] | `step(&vectors, n)` | `report()` |
//! | n-gram LM | [`ngram::NgramModel::train`] | `conditional()`, `generate()` | `perplexity()`, `sparsity()`; [`ngram::lecture_preset`] |
//!
//! Dimension glossary (in addition to [`crate::core`]): `V` vocabulary size, `D` embedding size,
//! `N` number of words in a vector set, `R` restricted vocabulary (first R rows).

pub mod analogy_eval;
pub mod compact;
pub mod glove;
pub mod naive_bayes;
pub mod ngram;
pub mod pca;
pub mod ratio;
pub mod rnn_lm;
pub mod similarity;
pub mod tokenize;
pub mod vectors;
pub mod vocab;
pub mod word2vec;
