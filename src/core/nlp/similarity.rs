//! One-hot versus dense word vectors: why one-hot vectors cannot express similarity.
//!
//! With a vocabulary of V words, word i is the one-hot vector e_i ∈ {0, 1}^V. Two different one-hot
//! vectors are orthogonal, so cos(e_i, e_j) = 0 for i ≠ j: 개 is as far from 강아지 as from 선생님.
//! Dense vectors (GloVe) give cos(dog, puppy) ≫ cos(dog, teacher). The widget shows both matrices
//! side by side (lecture: "Word Embedding", one-hot vs distributed representation).

use super::vectors::WordVectors;
use crate::core::error::{CoreError, Result};
use serde::Serialize;

/// A square matrix of cosine similarities between words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimilarityMatrix {
    /// Row and column labels, in input order.
    pub words: Vec<String>,
    /// cos(word_i, word_j) at `i * n + j` (n, n), row-major; symmetric with 1 on the diagonal
    /// (0 for a zero vector).
    pub values: Vec<f64>,
    /// The vectors themselves (n, dim) for display: one-hot rows, or the dense rows as stored.
    pub vectors: Vec<Vec<f64>>,
}

impl SimilarityMatrix {
    /// Entry (i, j); 0 when out of range.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let n = self.words.len();
        if i < n && j < n {
            self.values[i * n + j]
        } else {
            0.0
        }
    }
}

const MAX_WORDS: usize = 50;

fn check_words(words: &[String]) -> Result<()> {
    if words.is_empty() {
        return Err(CoreError::empty("word list"));
    }
    if words.len() > MAX_WORDS {
        return Err(CoreError::invalid(
            "word list",
            format!("at most {MAX_WORDS} words"),
        ));
    }
    if let Some(i) = words.iter().position(|w| w.trim().is_empty()) {
        return Err(CoreError::empty(format!("word {}", i + 1)));
    }
    Ok(())
}

/// The lecture's Korean words for the one-hot side.
pub const LECTURE_KO: [&str; 5] = ["개", "강아지", "고양이", "선생님", "학생"];
/// The lecture's English words for the dense side.
pub const LECTURE_EN: [&str; 5] = ["dog", "puppy", "cat", "teacher", "student"];

/// One-hot vectors over a vocabulary made of exactly the given (distinct) words, and their cosine
/// matrix (the identity). A repeated word is an error (it would be the same one-hot vector).
pub fn one_hot(words: &[String]) -> Result<SimilarityMatrix> {
    check_words(words)?;
    let n = words.len();
    for i in 0..n {
        if words[..i].contains(&words[i]) {
            return Err(CoreError::invalid(
                "word list",
                format!("\"{}\" appears twice", words[i]),
            ));
        }
    }
    let vectors: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let values = cosine_matrix(&vectors);
    Ok(SimilarityMatrix {
        words: words.to_vec(),
        values,
        vectors,
    })
}

/// Dense cosine matrix of the given words from a vector set. Unknown words give the vector set's
/// error with suggestions.
pub fn dense(vectors: &WordVectors, words: &[String]) -> Result<SimilarityMatrix> {
    check_words(words)?;
    let mut rows = Vec::with_capacity(words.len());
    for w in words {
        let i = vectors.lookup(w.trim())?;
        rows.push(vectors.vector(i).iter().map(|&x| x as f64).collect());
    }
    let values = cosine_matrix(&rows);
    Ok(SimilarityMatrix {
        words: words.to_vec(),
        values,
        vectors: rows,
    })
}

/// cos(x_i, x_j) for all pairs, in f64; 0 where a vector is zero.
pub fn cosine_matrix(rows: &[Vec<f64>]) -> Vec<f64> {
    let n = rows.len();
    let norms: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(|x| x * x).sum::<f64>().sqrt())
        .collect();
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let den = norms[i] * norms[j];
            out[i * n + j] = if den > 0.0 {
                rows[i]
                    .iter()
                    .zip(&rows[j])
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
                    / den
            } else {
                0.0
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hot_is_the_identity() {
        let w: Vec<String> = LECTURE_KO.iter().map(|s| s.to_string()).collect();
        let m = one_hot(&w).unwrap();
        for i in 0..5 {
            for j in 0..5 {
                assert_eq!(m.get(i, j), if i == j { 1.0 } else { 0.0 });
            }
        }
        assert_eq!(m.vectors[1], vec![0.0, 1.0, 0.0, 0.0, 0.0]);
        assert!(one_hot(&[]).is_err());
        assert!(one_hot(&["개".into(), "개".into()]).is_err());
    }

    #[test]
    fn cosine_by_hand() {
        // (1,0)·(1,1) / √2 = 0.7071…; (1,0)·(0,0) → 0 by convention.
        let m = cosine_matrix(&[vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 0.0]]);
        assert!((m[1] - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-15);
        assert_eq!(m[2], 0.0);
        assert_eq!(m[8], 0.0);
    }
}
