//! A set of word vectors and what the lecture does with them: nearest neighbours, cosine
//! similarity and analogies ("king − man + woman ≈ queen").
//!
//! Rows are stored unit-normalised in one contiguous `f32` matrix `unit` of shape (N, D), so the
//! cosine of every word with a query q is one matrix–vector product `unit · q̂`
//! ([`Real::gemv_acc`], SIMD in wasm) followed by a partial selection of the k best
//! ([`top_k`]). The original lengths are kept in `norms`.
//!
//! Analogies a : b :: c : ? are solved two ways (Levy and Goldberg, "Linguistic Regularities in
//! Sparse and Explicit Word Representations", CoNLL 2014):
//!
//! ```text
//! 3CosAdd: argmax_d cos(d, b) − cos(d, a) + cos(d, c)       (= argmax_d cos(d, b̂ − â + ĉ))
//! 3CosMul: argmax_d cos′(d, b) · cos′(d, c) / (cos′(d, a) + ε),  cos′ = (cos + 1)/2 ∈ [0, 1], ε = 0.001
//! ```
//!
//! By default the three query words are excluded from the answers (as gensim and the original
//! word2vec tool do); without that, b or c itself is often the "answer", which is worth showing.
//!
//! Unknown words give a clear error with suggestions: the lower-cased form when it exists (GloVe
//! 6B is lower-case) and the nearest spellings by edit distance (Levenshtein) among the vocabulary.

use super::pca::{pca, Pca};
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Word vectors with unit-normalised rows in one contiguous matrix.
#[derive(Clone, Debug)]
pub struct WordVectors {
    dim: usize,
    words: Vec<String>,
    index: HashMap<String, usize>,
    unit: Vec<f32>,  // (N, D), each row of length 1 (or all zero for a zero vector)
    norms: Vec<f32>, // (N,)
}

/// One neighbour of a query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Neighbour {
    /// The word.
    pub word: String,
    /// Its row index (= frequency rank − 1 for GloVe).
    pub index: usize,
    /// Cosine similarity to the query, in [−1, 1].
    pub cosine: f32,
}

impl WordVectors {
    /// Builds a set from words and raw rows (`rows.len() == words.len() · dim`).
    ///
    /// Errors: no words, dim = 0, size mismatch, a non-finite value, an empty word, a word with
    /// whitespace, or a duplicate word. A zero row is allowed (its cosine with everything is 0).
    pub fn from_rows(words: Vec<String>, rows: &[f32], dim: usize) -> Result<WordVectors> {
        WordVectors::from_rows_owned(words, rows.to_vec(), dim)
    }

    /// Like [`WordVectors::from_rows`], normalising `rows` in place (no second copy: the loaders
    /// use this to keep the browser's peak memory at one matrix).
    pub fn from_rows_owned(words: Vec<String>, rows: Vec<f32>, dim: usize) -> Result<WordVectors> {
        if words.is_empty() {
            return Err(CoreError::empty("word list"));
        }
        if dim == 0 {
            return Err(CoreError::invalid("vector size", "must be at least 1"));
        }
        let want = words
            .len()
            .checked_mul(dim)
            .ok_or_else(|| CoreError::invalid("vector table", "too large"))?;
        if rows.len() != want {
            return Err(CoreError::shape(
                "vector table",
                format!("({}, {dim}) = {want} values", words.len()),
                format!("{} values", rows.len()),
            ));
        }
        let mut index = HashMap::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            if w.is_empty() || w.chars().any(char::is_whitespace) {
                return Err(CoreError::format(format!(
                    "word {} ({w:?}) is empty or contains whitespace",
                    i + 1
                )));
            }
            if index.insert(w.clone(), i).is_some() {
                return Err(CoreError::format(format!(
                    "the word \"{w}\" appears twice (rows {} and {})",
                    index.get(w).copied().unwrap_or(0) + 1,
                    i + 1
                )));
            }
        }
        let mut unit = rows;
        let mut norms = Vec::with_capacity(words.len());
        for (i, row) in unit.chunks_exact_mut(dim).enumerate() {
            if row.iter().any(|x| !x.is_finite()) {
                return Err(CoreError::non_finite(format!(
                    "vector of \"{}\" (row {})",
                    words[i],
                    i + 1
                )));
            }
            // Accumulate the norm in f64 so the unit rows are as exact as f32 allows.
            let n = row
                .iter()
                .map(|&x| (x as f64) * (x as f64))
                .sum::<f64>()
                .sqrt();
            norms.push(n as f32);
            if n > 0.0 {
                for x in row.iter_mut() {
                    *x = (*x as f64 / n) as f32;
                }
            }
        }
        Ok(WordVectors {
            dim,
            words,
            index,
            unit,
            norms,
        })
    }

    /// Builds a set from f64 rows (e.g. a freshly trained word2vec or GloVe model).
    pub fn from_rows_f64(words: Vec<String>, rows: &[f64], dim: usize) -> Result<WordVectors> {
        let r: Vec<f32> = rows.iter().map(|&x| x as f32).collect();
        WordVectors::from_rows_owned(words, r, dim)
    }

    /// Parses the raw format of `data/glove/*.f32` + `*.vocab.txt`: little-endian f32, row-major,
    /// no header; one word per line (LF, optional CR, a final newline is optional).
    pub fn from_f32_le(vectors: &[u8], vocab: &[u8]) -> Result<WordVectors> {
        let text = std::str::from_utf8(vocab)
            .map_err(|e| CoreError::format(format!("vocabulary is not UTF-8 ({e})")))?;
        let words = parse_vocab_lines(text)?;
        if vectors.len() % 4 != 0 {
            return Err(CoreError::format(format!(
                "vector file size {} is not a multiple of 4 bytes (float32)",
                vectors.len()
            )));
        }
        let n_vals = vectors.len() / 4;
        if n_vals == 0 || n_vals % words.len() != 0 {
            return Err(CoreError::format(format!(
                "{} float32 values do not divide into {} words",
                n_vals,
                words.len()
            )));
        }
        let dim = n_vals / words.len();
        let rows: Vec<f32> = vectors
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        WordVectors::from_rows_owned(words, rows, dim)
    }

    /// Number of words N.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Always false for a constructed set (kept for API symmetry with `len`).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Vector size D.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The words in row order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The word of row `i` (empty string when out of range).
    pub fn word(&self, i: usize) -> &str {
        self.words.get(i).map(|s| s.as_str()).unwrap_or("")
    }

    /// The row index of `word`, if present (exact match).
    pub fn index_of(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }

    /// The unit-normalised matrix (N, D), row-major.
    pub fn unit_matrix(&self) -> &[f32] {
        &self.unit
    }

    /// Row `i`, unit-normalised (D,). Empty when out of range.
    pub fn unit_row(&self, i: usize) -> &[f32] {
        self.unit
            .get(i * self.dim..(i + 1) * self.dim)
            .unwrap_or(&[])
    }

    /// Euclidean length of the original row `i` (0 when out of range).
    pub fn norm(&self, i: usize) -> f32 {
        self.norms.get(i).copied().unwrap_or(0.0)
    }

    /// The original (un-normalised) vector of row `i`, up to f32 rounding (D,).
    pub fn vector(&self, i: usize) -> Vec<f32> {
        let n = self.norm(i);
        self.unit_row(i).iter().map(|x| x * n).collect()
    }

    /// The row of `word`, or a clear error with suggestions (lower-case form, nearest spellings).
    pub fn lookup(&self, word: &str) -> Result<usize> {
        if let Some(i) = self.index_of(word) {
            return Ok(i);
        }
        let trimmed = word.trim();
        if trimmed.is_empty() {
            return Err(CoreError::empty("word"));
        }
        let mut why = format!(
            "\"{trimmed}\" is not in the vocabulary ({} words)",
            self.len()
        );
        let lower = trimmed.to_lowercase();
        if trimmed != word && self.index_of(trimmed).is_some() {
            why.push_str(&format!("; without the spaces, \"{trimmed}\" is"));
        } else if lower != trimmed && self.index_of(&lower).is_some() {
            why.push_str(&format!("; these vectors are lower-case: try \"{lower}\""));
        }
        let sugg = self.suggestions(&lower, 5);
        if !sugg.is_empty() {
            why.push_str(&format!(". Did you mean: {}?", sugg.join(", ")));
        }
        Err(CoreError::invalid("word", why))
    }

    /// Up to `k` vocabulary words closest in spelling to `word` (Levenshtein distance ≤ 2, or ≤ 1
    /// for words of at most 3 characters), nearest first, then most frequent (lowest row) first.
    pub fn suggestions(&self, word: &str, k: usize) -> Vec<String> {
        let q: Vec<char> = word.chars().collect();
        if q.is_empty() || k == 0 {
            return Vec::new();
        }
        let max_d = if q.len() <= 3 { 1 } else { 2 };
        let mut found: Vec<(usize, usize)> = Vec::new(); // (distance, row)
        let mut buf = Vec::new();
        for (i, w) in self.words.iter().enumerate() {
            let wl = w.chars().count();
            if wl.abs_diff(q.len()) > max_d {
                continue;
            }
            buf.clear();
            buf.extend(w.chars());
            if let Some(d) = levenshtein_bounded(&q, &buf, max_d) {
                if d > 0 {
                    found.push((d, i));
                }
            }
        }
        found.sort();
        found
            .into_iter()
            .take(k)
            .map(|(_, i)| self.words[i].clone())
            .collect()
    }

    /// Cosine similarity of two words.
    pub fn cosine(&self, a: &str, b: &str) -> Result<f32> {
        let (i, j) = (self.lookup(a)?, self.lookup(b)?);
        Ok(f32::dot(self.unit_row(i), self.unit_row(j)))
    }

    /// Cosine of every row (the first `restrict` rows; `None` = all) with the direction of `q`.
    /// Errors when `q` has the wrong size or is not finite. A zero `q` gives all zeros.
    pub fn cosines_to(&self, q: &[f32], restrict: Option<usize>) -> Result<Vec<f32>> {
        if q.len() != self.dim {
            return Err(CoreError::shape("query vector", self.dim, q.len()));
        }
        if q.iter().any(|x| !x.is_finite()) {
            return Err(CoreError::non_finite("query vector"));
        }
        let r = restrict.unwrap_or(self.len()).min(self.len());
        let n = q
            .iter()
            .map(|&x| (x as f64) * (x as f64))
            .sum::<f64>()
            .sqrt();
        let qhat: Vec<f32> = if n > 0.0 {
            q.iter().map(|&x| (x as f64 / n) as f32).collect()
        } else {
            vec![0.0; self.dim]
        };
        let mut scores = vec![0.0f32; r]; // (R,)
        f32::gemv_acc(&self.unit[..r * self.dim], &qhat, &mut scores);
        Ok(scores)
    }

    /// The `k` rows most similar to the direction `q`, skipping the rows in `exclude`.
    pub fn nearest_to_vector(
        &self,
        q: &[f32],
        k: usize,
        restrict: Option<usize>,
        exclude: &[usize],
    ) -> Result<Vec<Neighbour>> {
        let scores = self.cosines_to(q, restrict)?;
        Ok(top_k(&scores, k, exclude)
            .into_iter()
            .map(|(i, c)| Neighbour {
                word: self.words[i].clone(),
                index: i,
                cosine: c,
            })
            .collect())
    }

    /// The `k` nearest neighbours of `word` by cosine (the word itself excluded).
    pub fn nearest(&self, word: &str, k: usize) -> Result<Vec<Neighbour>> {
        let i = self.lookup(word)?;
        let q = self.unit_row(i).to_vec();
        self.nearest_to_vector(&q, k, None, &[i])
    }

    /// Solves a : b :: c : ? (b − a + c). See the module docs and [`AnalogyQuery`].
    pub fn analogy(&self, q: &AnalogyQuery) -> Result<AnalogyResult> {
        q.validate()?;
        let ia = self.lookup(&q.a)?;
        let ib = self.lookup(&q.b)?;
        let ic = self.lookup(&q.c)?;
        let ie = match &q.expected {
            Some(e) if !e.trim().is_empty() => Some(self.lookup(e.trim())?),
            _ => None,
        };
        let r = q.restrict.unwrap_or(self.len()).clamp(1, self.len());
        let d = self.dim;
        // The 3CosAdd query b̂ − â + ĉ (D,).
        let mut query = vec![0.0f32; d];
        f32::axpy(1.0, self.unit_row(ib), &mut query);
        f32::axpy(-1.0, self.unit_row(ia), &mut query);
        f32::axpy(1.0, self.unit_row(ic), &mut query);
        let qnorm = query
            .iter()
            .map(|&x| (x as f64) * (x as f64))
            .sum::<f64>()
            .sqrt() as f32;
        // cos(d, b̂ − â + ĉ) for every candidate (R,).
        let cos_q = self.cosines_to(&query, Some(r))?;
        let scores: Vec<f32> = match q.method {
            // cos(d,b) − cos(d,a) + cos(d,c) = (b̂ − â + ĉ)·d̂ = ‖q‖ cos(d, q).
            AnalogyMethod::CosAdd => cos_q.iter().map(|c| c * qnorm).collect(),
            AnalogyMethod::CosMul => {
                let ca = self.cosines_to(self.unit_row(ia), Some(r))?;
                let cb = self.cosines_to(self.unit_row(ib), Some(r))?;
                let cc = self.cosines_to(self.unit_row(ic), Some(r))?;
                (0..r).map(|j| cos_mul(ca[j], cb[j], cc[j])).collect()
            }
        };
        let exclude: Vec<usize> = if q.exclude_query {
            vec![ia, ib, ic]
        } else {
            Vec::new()
        };
        let answers: Vec<AnalogyAnswer> = top_k(&scores, q.top_k, &exclude)
            .into_iter()
            .map(|(j, s)| AnalogyAnswer {
                word: self.words[j].clone(),
                index: j,
                score: s,
                cosine: cos_q[j],
            })
            .collect();
        let expected = match ie {
            None => None,
            Some(e) => {
                let word = self.words[e].clone();
                if exclude.contains(&e) || e >= r {
                    Some(ExpectedAnswer {
                        word,
                        rank: None,
                        score: None,
                        cosine: None,
                    })
                } else {
                    let se = scores[e];
                    // Rank = 1 + candidates that the selection puts before e (higher score, or an
                    // equal score at a lower row).
                    let before = (0..r)
                        .filter(|j| !exclude.contains(j) && *j != e)
                        .filter(|&j| scores[j] > se || (scores[j] == se && j < e))
                        .count();
                    Some(ExpectedAnswer {
                        word,
                        rank: Some(before + 1),
                        score: Some(se),
                        cosine: Some(cos_q[e]),
                    })
                }
            }
        };
        let top = answers.first().map(|a| a.word.clone()).unwrap_or_default();
        let solved = expected.as_ref().map(|e| e.rank == Some(1));
        let query_text = format!(
            "{} − {} + {}",
            self.words[ib], self.words[ia], self.words[ic]
        );
        let message = match &expected {
            None => format!("{query_text} ≈ {top}"),
            Some(e) => match e.rank {
                Some(1) => format!("{query_text} ≈ {top}: solved, \"{}\" is the top answer.", e.word),
                Some(rank) => format!(
                    "{query_text}: the analogy FAILS — the top answer is \"{top}\"; \"{}\" is ranked {} (cosine {:.3}).",
                    e.word,
                    ordinal(rank),
                    e.cosine.unwrap_or(f32::NAN)
                ),
                None if exclude.contains(&ie.unwrap_or(usize::MAX)) => format!(
                    "{query_text}: the expected answer \"{}\" is one of the query words, which are excluded.",
                    e.word
                ),
                None => format!(
                    "{query_text}: the expected answer \"{}\" is outside the first {r} words searched.",
                    e.word
                ),
            },
        };
        Ok(AnalogyResult {
            query: query_text,
            method: q.method,
            answers,
            expected,
            solved,
            message,
        })
    }

    /// 2-D PCA projection of the given words' vectors (unit-normalised rows, centred), e.g. the
    /// man–woman pairs of a preset. Unknown words give an error with suggestions.
    pub fn pca_of_words(&self, words: &[String]) -> Result<WordProjection> {
        if words.len() < 2 {
            return Err(CoreError::invalid("words", "need at least 2 words for PCA"));
        }
        let mut rows = Vec::with_capacity(words.len() * self.dim);
        let mut found = Vec::with_capacity(words.len());
        for w in words {
            let i = self.lookup(w)?;
            found.push(self.words[i].clone());
            rows.extend(self.unit_row(i).iter().map(|&x| x as f64));
        }
        let p = pca(&rows, words.len(), self.dim, 2)?;
        Ok(WordProjection {
            words: found,
            points: p
                .projections
                .chunks_exact(2)
                .map(|c| [c[0], c[1]])
                .collect(),
            pca: p,
        })
    }
}

/// 3CosMul's score from the three cosines (Levy and Goldberg 2014, ε = 0.001).
pub fn cos_mul(cos_a: f32, cos_b: f32, cos_c: f32) -> f32 {
    let s = |c: f32| (c + 1.0) * 0.5;
    s(cos_b) * s(cos_c) / (s(cos_a) + COSMUL_EPS)
}

/// The ε of 3CosMul.
pub const COSMUL_EPS: f32 = 0.001;

/// Words of a PCA projection with their 2-D coordinates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WordProjection {
    /// The words, in input order.
    pub words: Vec<String>,
    /// (x, y) per word: coordinates on the first two principal components.
    pub points: Vec<[f64; 2]>,
    /// The full PCA result (components, explained variance).
    pub pca: Pca,
}

/// 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st, …
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Indices and values of the `k` largest scores, best first, skipping `exclude`. Ties go to the
/// lower index. NaN scores are never selected. O(n + k·(number of improvements)).
pub fn top_k(scores: &[f32], k: usize, exclude: &[usize]) -> Vec<(usize, f32)> {
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
    if k == 0 {
        return best;
    }
    let mut threshold = f32::NEG_INFINITY; // the k-th best so far once `best` is full
    for (i, &s) in scores.iter().enumerate() {
        // `s > threshold` is false for NaN; equal scores never displace an earlier index.
        if best.len() == k && s <= threshold || s.is_nan() {
            continue;
        }
        if exclude.contains(&i) {
            continue;
        }
        let pos = best.partition_point(|&(_, b)| b >= s);
        best.insert(pos, (i, s));
        if best.len() > k {
            best.pop();
        }
        if best.len() == k {
            threshold = best[k - 1].1;
        }
    }
    best
}

/// Levenshtein distance of `a` and `b` if it is ≤ `max`, else `None` (banded, early exit).
pub fn levenshtein_bounded(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Splits a vocabulary file into words: LF line ends (a CR before LF is removed), a final newline
/// optional, no empty lines.
pub fn parse_vocab_lines(text: &str) -> Result<Vec<String>> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Err(CoreError::empty("vocabulary"));
    }
    let mut out = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let w = line.strip_suffix('\r').unwrap_or(line);
        if w.is_empty() {
            return Err(CoreError::format(format!(
                "vocabulary line {} is empty",
                i + 1
            )));
        }
        out.push(w.to_string());
    }
    Ok(out)
}

/// The two analogy scoring rules of Levy and Goldberg (2014).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalogyMethod {
    /// cos(d, b) − cos(d, a) + cos(d, c): the vector offset b − a + c (Mikolov et al. 2013).
    #[default]
    CosAdd,
    /// cos′(d, b)·cos′(d, c)/(cos′(d, a) + ε) with cosines shifted to [0, 1].
    CosMul,
}

/// An analogy question a : b :: c : ? — "b − a + c", e.g. a = man, b = king, c = woman.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalogyQuery {
    /// The subtracted word (man). Default "man".
    pub a: String,
    /// The first added word (king). Default "king".
    pub b: String,
    /// The second added word (woman). Default "woman".
    pub c: String,
    /// The answer we hope for (queen), to report its rank; `None` or empty = no expectation.
    pub expected: Option<String>,
    /// Scoring rule. Default 3CosAdd.
    pub method: AnalogyMethod,
    /// Exclude a, b and c from the answers. Default `true`.
    pub exclude_query: bool,
    /// Number of answers returned, 1 to 100. Default 10.
    pub top_k: usize,
    /// Search only the first R words (the most frequent); `None` = all.
    pub restrict: Option<usize>,
}

impl Default for AnalogyQuery {
    fn default() -> Self {
        AnalogyQuery {
            a: "man".into(),
            b: "king".into(),
            c: "woman".into(),
            expected: Some("queen".into()),
            method: AnalogyMethod::CosAdd,
            exclude_query: true,
            top_k: 10,
            restrict: None,
        }
    }
}

impl AnalogyQuery {
    /// Checks ranges (top_k in 1..=100, restrict ≥ 1).
    pub fn validate(&self) -> Result<()> {
        if !(1..=100).contains(&self.top_k) {
            return Err(CoreError::invalid("top_k", "must be between 1 and 100"));
        }
        if self.restrict == Some(0) {
            return Err(CoreError::invalid("restrict", "must be at least 1"));
        }
        Ok(())
    }
}

/// One answer of an analogy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalogyAnswer {
    /// The candidate word d.
    pub word: String,
    /// Its row.
    pub index: usize,
    /// The method's score (3CosAdd in [−3, 3]; 3CosMul ≥ 0).
    pub score: f32,
    /// cos(d, b̂ − â + ĉ).
    pub cosine: f32,
}

/// Where the expected answer landed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectedAnswer {
    /// The expected word.
    pub word: String,
    /// 1-based rank among the candidates; `None` when it is excluded or outside `restrict`.
    pub rank: Option<usize>,
    /// Its score under the method.
    pub score: Option<f32>,
    /// cos(expected, b̂ − â + ĉ).
    pub cosine: Option<f32>,
}

/// The outcome of [`WordVectors::analogy`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalogyResult {
    /// "king − man + woman".
    pub query: String,
    /// The method used.
    pub method: AnalogyMethod,
    /// The top answers, best first.
    pub answers: Vec<AnalogyAnswer>,
    /// Rank of the expected answer, if one was given.
    pub expected: Option<ExpectedAnswer>,
    /// `Some(true)` when the expected answer is first, `Some(false)` when it is not.
    pub solved: Option<bool>,
    /// One sentence saying plainly what happened ("… the analogy FAILS …").
    pub message: String,
}

/// A lecture preset: one analogy question plus word pairs for a 2-D PCA picture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnalogyPreset {
    /// Stable id for URLs.
    pub id: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// Korean title.
    pub title_ko: &'static str,
    /// The subtracted word.
    pub a: &'static str,
    /// The first added word.
    pub b: &'static str,
    /// The second added word.
    pub c: &'static str,
    /// The expected answer.
    pub expected: &'static str,
    /// Word pairs (x, y) sharing one relation, drawn as arrows in the PCA plot.
    pub pairs: &'static [(&'static str, &'static str)],
}

impl AnalogyPreset {
    /// The preset's question as an [`AnalogyQuery`] with default options.
    pub fn query(&self) -> AnalogyQuery {
        AnalogyQuery {
            a: self.a.into(),
            b: self.b.into(),
            c: self.c.into(),
            expected: Some(self.expected.into()),
            ..Default::default()
        }
    }

    /// The pair words flattened (x₁, y₁, x₂, y₂, …) for [`WordVectors::pca_of_words`].
    pub fn pair_words(&self) -> Vec<String> {
        self.pairs
            .iter()
            .flat_map(|(x, y)| [x.to_string(), y.to_string()])
            .collect()
    }
}

/// The lecture's presets. All words are in the shipped GloVe 6B 100d top-50k vocabulary; the
/// company–CEO question fails with these vectors (see `data/SOURCES.md`).
pub const PRESETS: &[AnalogyPreset] = &[
    AnalogyPreset {
        id: "king-queen",
        title_en: "king − man + woman",
        title_ko: "왕 − 남자 + 여자",
        a: "man",
        b: "king",
        c: "woman",
        expected: "queen",
        pairs: &[
            ("man", "woman"),
            ("king", "queen"),
            ("brother", "sister"),
            ("uncle", "aunt"),
            ("nephew", "niece"),
            ("prince", "princess"),
            ("duke", "duchess"),
            ("emperor", "empress"),
        ],
    },
    AnalogyPreset {
        id: "man-woman",
        title_en: "man–woman pairs: brother − man + woman",
        title_ko: "남자–여자 쌍: 형제 − 남자 + 여자",
        a: "man",
        b: "brother",
        c: "woman",
        expected: "sister",
        pairs: &[
            ("man", "woman"),
            ("sir", "madam"),
            ("heir", "heiress"),
            ("king", "queen"),
            ("duke", "duchess"),
            ("earl", "countess"),
            ("emperor", "empress"),
            ("nephew", "niece"),
            ("uncle", "aunt"),
            ("brother", "sister"),
        ],
    },
    AnalogyPreset {
        id: "company-ceo",
        title_en: "company–CEO: ballmer − microsoft + apple",
        title_ko: "회사–CEO: ballmer − microsoft + apple",
        a: "microsoft",
        b: "ballmer",
        c: "apple",
        expected: "jobs",
        pairs: &[
            ("microsoft", "ballmer"),
            ("apple", "jobs"),
            ("google", "schmidt"),
            ("oracle", "ellison"),
            ("amazon", "bezos"),
            ("facebook", "zuckerberg"),
            ("yahoo", "mayer"),
            ("cisco", "chambers"),
        ],
    },
    AnalogyPreset {
        id: "comparative",
        title_en: "comparative: better − good + bad",
        title_ko: "비교급: better − good + bad",
        a: "good",
        b: "better",
        c: "bad",
        expected: "worse",
        pairs: &[
            ("good", "better"),
            ("bad", "worse"),
            ("strong", "stronger"),
            ("weak", "weaker"),
            ("slow", "slower"),
            ("short", "shorter"),
            ("dark", "darker"),
            ("clear", "clearer"),
            ("loud", "louder"),
        ],
    },
    AnalogyPreset {
        id: "superlative",
        title_en: "superlative: biggest − big + tall",
        title_ko: "최상급: biggest − big + tall",
        a: "big",
        b: "biggest",
        c: "tall",
        expected: "tallest",
        pairs: &[
            ("big", "biggest"),
            ("tall", "tallest"),
            ("strong", "strongest"),
            ("weak", "weakest"),
            ("slow", "slowest"),
            ("short", "shortest"),
            ("dark", "darkest"),
            ("clear", "clearest"),
            ("loud", "loudest"),
        ],
    },
    AnalogyPreset {
        id: "capital",
        title_en: "capital: paris − france + italy",
        title_ko: "수도: paris − france + italy",
        a: "france",
        b: "paris",
        c: "italy",
        expected: "rome",
        pairs: &[],
    },
];

/// The preset with this id, or an error listing the valid ids.
pub fn preset(id: &str) -> Result<&'static AnalogyPreset> {
    PRESETS.iter().find(|p| p.id == id).ok_or_else(|| {
        CoreError::invalid(
            "preset",
            format!(
                "unknown preset \"{id}\"; valid: {}",
                PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> WordVectors {
        // Four 2-D vectors: a=(1,0), b=(0,1), c=(1,1), d=(-1,0).
        WordVectors::from_rows(
            vec!["a".into(), "b".into(), "c".into(), "d".into()],
            &[1.0, 0.0, 0.0, 2.0, 1.0, 1.0, -3.0, 0.0],
            2,
        )
        .unwrap()
    }

    #[test]
    fn unit_rows_and_cosines() {
        let v = small();
        assert_eq!(v.norm(1), 2.0);
        assert_eq!(v.unit_row(1), &[0.0, 1.0]);
        assert!((v.cosine("a", "c").unwrap() - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert_eq!(v.cosine("a", "d").unwrap(), -1.0);
        let nn = v.nearest("a", 2).unwrap();
        assert_eq!(nn[0].word, "c");
        assert_eq!(nn[1].word, "b");
        assert_eq!(v.vector(3), vec![-3.0, 0.0]);
    }

    #[test]
    fn top_k_selection_ties_exclusions_nan() {
        let s = [0.5, 0.9, f32::NAN, 0.9, 0.1, 0.7];
        assert_eq!(top_k(&s, 3, &[]), vec![(1, 0.9), (3, 0.9), (5, 0.7)]);
        assert_eq!(top_k(&s, 2, &[1]), vec![(3, 0.9), (5, 0.7)]);
        assert_eq!(top_k(&s, 0, &[]), vec![]);
        assert_eq!(top_k(&s, 10, &[]).len(), 5);
        // Against a full sort on a longer pseudo-random list.
        let long: Vec<f32> = (0..1000).map(|i| ((i * 7919) % 1009) as f32).collect();
        let mut idx: Vec<usize> = (0..1000).collect();
        idx.sort_by(|&i, &j| long[j].total_cmp(&long[i]).then(i.cmp(&j)));
        let got: Vec<usize> = top_k(&long, 10, &[]).iter().map(|p| p.0).collect();
        assert_eq!(got, idx[..10].to_vec());
    }

    #[test]
    fn levenshtein() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein_bounded(&c("kitten"), &c("sitting"), 3), Some(3));
        assert_eq!(levenshtein_bounded(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(levenshtein_bounded(&c("학생"), &c("학교"), 1), Some(1));
        assert_eq!(levenshtein_bounded(&c(""), &c("ab"), 2), Some(2));
    }

    #[test]
    fn bad_rows_are_errors() {
        assert!(WordVectors::from_rows(vec![], &[], 2).is_err());
        assert!(WordVectors::from_rows(vec!["a".into()], &[1.0], 2).is_err());
        assert!(WordVectors::from_rows(vec!["a".into()], &[f32::NAN, 1.0], 2).is_err());
        assert!(WordVectors::from_rows(vec!["a".into(), "a".into()], &[1.0, 2.0], 1).is_err());
        assert!(WordVectors::from_rows(vec!["a b".into()], &[1.0], 1).is_err());
        let zero = WordVectors::from_rows(vec!["z".into(), "y".into()], &[0.0, 1.0], 1).unwrap();
        assert_eq!(zero.cosine("z", "y").unwrap(), 0.0);
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(5758), "5758th");
        assert_eq!(ordinal(10519), "10519th");
        assert_eq!(ordinal(22), "22nd");
    }
}
