//! The word-analogy benchmark of Mikolov et al. (2013), "Efficient Estimation of Word
//! Representations in Vector Space": 19 544 questions a b c d (a : b :: c : d) in 14 sections, answered
//! by the nearest word to b − a + c.
//!
//! The method mirrors gensim 4.4 `KeyedVectors.evaluate_word_analogies(restrict_vocab=R,
//! case_insensitive=True)` exactly, so our counts equal the reference counts in
//! `data/glove/questions-words.reference.json`:
//!
//! 1. take the first R rows (the most frequent words); compare upper-cased words;
//! 2. skip a question unless all four words are among the first R rows;
//! 3. answer = the row among the first R with the highest cosine to b̂ − â + ĉ (3CosAdd), excluding
//!    every row whose upper-cased word is a, b or c;
//! 4. count a hit when the answer is d. Sections named `gram…` are syntactic, the rest semantic.
//!
//! The scores of all questions against all R rows are a matrix product (questions × D) · (D × R);
//! [`Evaluator`] computes it in blocks (64 questions × 256 rows, a 4 × 4 register tile inside) so it
//! stays fast even in the lightly optimised test profile, and processes questions in resumable
//! steps so a page can show progress.

use super::vectors::{cos_mul, AnalogyMethod, WordVectors};
use crate::core::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One section of the question file (e.g. `capital-common-countries`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSection {
    /// Section name, without the leading `: `.
    pub name: String,
    /// Questions a b c d, as written in the file.
    pub questions: Vec<[String; 4]>,
}

impl QuestionSection {
    /// True for syntactic sections (names starting with `gram`), as in the word2vec tool.
    pub fn is_syntactic(&self) -> bool {
        self.name.starts_with("gram")
    }
}

/// Parses the `questions-words.txt` format: `: section` lines, then lines of exactly four words.
/// Blank lines are skipped. Errors: a question before the first section, a line without four words,
/// no questions at all.
pub fn parse_questions(text: &str) -> Result<Vec<QuestionSection>> {
    let mut out: Vec<QuestionSection> = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix(':') {
            out.push(QuestionSection {
                name: name.trim().to_string(),
                questions: Vec::new(),
            });
            continue;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() != 4 {
            return Err(CoreError::format(format!(
                "question line {} has {} words, expected 4: {line:?}",
                ln + 1,
                w.len()
            )));
        }
        let Some(sec) = out.last_mut() else {
            return Err(CoreError::format(format!(
                "question line {} comes before the first \": section\" line",
                ln + 1
            )));
        };
        sec.questions
            .push([w[0].into(), w[1].into(), w[2].into(), w[3].into()]);
    }
    if out.iter().all(|s| s.questions.is_empty()) {
        return Err(CoreError::empty("analogy question file"));
    }
    Ok(out)
}

/// Evaluation settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvalConfig {
    /// R: use only the first R rows, both for the vocabulary check and as candidates
    /// (1 ≤ R; larger than N means all). Default 30 000.
    pub restrict: usize,
    /// Scoring rule. Default 3CosAdd (the reference numbers use it).
    pub method: AnalogyMethod,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig {
            restrict: 30_000,
            method: AnalogyMethod::CosAdd,
        }
    }
}

impl EvalConfig {
    /// Checks ranges (restrict ≥ 1).
    pub fn validate(&self) -> Result<()> {
        if self.restrict == 0 {
            return Err(CoreError::invalid("restrict", "must be at least 1"));
        }
        Ok(())
    }
}

/// Counts for one section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    /// Section name.
    pub name: String,
    /// Questions answered correctly.
    pub correct: usize,
    /// Questions evaluated (all four words in the first R rows).
    pub total: usize,
    /// Questions skipped because a word is outside the first R rows.
    pub skipped: usize,
}

/// The evaluation result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvalReport {
    /// Per-section counts, in file order.
    pub sections: Vec<SectionScore>,
    /// Total correct.
    pub correct: usize,
    /// Total evaluated.
    pub total: usize,
    /// Total skipped (out of vocabulary).
    pub skipped: usize,
    /// (correct, total) over semantic sections.
    pub semantic: (usize, usize),
    /// (correct, total) over syntactic sections.
    pub syntactic: (usize, usize),
}

#[derive(Clone, Debug)]
struct Prepared {
    section: usize,
    abc: [usize; 3], // rows of a, b, c (first occurrence of the upper-cased word)
    expected_upper: String, // upper-cased d
    exclude: Vec<usize>, // every row < R whose upper-cased word is a, b or c
}

/// A resumable analogy evaluation: [`Evaluator::step`] answers the next questions.
#[derive(Clone, Debug)]
pub struct Evaluator {
    cfg: EvalConfig,
    restrict: usize,
    dim: usize,
    upper: Vec<String>, // upper-cased words of the first R rows
    questions: Vec<Prepared>,
    next: usize,
    sections: Vec<SectionScore>,
    syntactic: Vec<bool>,
}

/// Progress of an [`Evaluator`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EvalProgress {
    /// Questions answered so far.
    pub done: usize,
    /// Questions to answer in total (after skipping out-of-vocabulary ones).
    pub total: usize,
    /// Correct answers so far.
    pub correct: usize,
}

const QB: usize = 64; // questions per block
const CB: usize = 256; // candidate rows per block

impl Evaluator {
    /// Prepares the questions: looks up words among the first R rows, counts skipped questions.
    pub fn new(
        vectors: &WordVectors,
        sections: &[QuestionSection],
        cfg: &EvalConfig,
    ) -> Result<Evaluator> {
        cfg.validate()?;
        let r = cfg.restrict.min(vectors.len());
        let upper: Vec<String> = vectors.words()[..r]
            .iter()
            .map(|w| w.to_uppercase())
            .collect();
        let mut rows_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, u) in upper.iter().enumerate() {
            rows_of.entry(u.as_str()).or_default().push(i);
        }
        let mut questions = Vec::new();
        let mut scores = Vec::with_capacity(sections.len());
        let mut syntactic = Vec::with_capacity(sections.len());
        for (si, s) in sections.iter().enumerate() {
            let mut skipped = 0;
            for q in &s.questions {
                let up: Vec<String> = q.iter().map(|w| w.to_uppercase()).collect();
                let rows: Vec<Option<&Vec<usize>>> =
                    up.iter().map(|u| rows_of.get(u.as_str())).collect();
                if rows.iter().any(|r| r.is_none()) {
                    skipped += 1;
                    continue;
                }
                let first = |k: usize| rows[k].and_then(|v| v.first().copied()).unwrap_or(0);
                let mut exclude: Vec<usize> = (0..3)
                    .flat_map(|k| rows[k].cloned().unwrap_or_default())
                    .collect();
                exclude.sort_unstable();
                exclude.dedup();
                questions.push(Prepared {
                    section: si,
                    abc: [first(0), first(1), first(2)],
                    expected_upper: up[3].clone(),
                    exclude,
                });
            }
            scores.push(SectionScore {
                name: s.name.clone(),
                correct: 0,
                total: 0,
                skipped,
            });
            syntactic.push(s.is_syntactic());
        }
        Ok(Evaluator {
            cfg: cfg.clone(),
            restrict: r,
            dim: vectors.dim(),
            upper,
            questions,
            next: 0,
            sections: scores,
            syntactic,
        })
    }

    /// Answers up to `n` more questions (rounded up to whole blocks of 64) and returns the progress.
    /// `vectors` must be the set given to [`Evaluator::new`].
    pub fn step(&mut self, vectors: &WordVectors, n: usize) -> Result<EvalProgress> {
        if vectors.dim() != self.dim || vectors.len() < self.restrict {
            return Err(CoreError::invalid(
                "vectors",
                "not the set this evaluation was prepared with",
            ));
        }
        let end = (self.next + n.max(1)).min(self.questions.len());
        while self.next < end {
            let stop = (self.next + QB).min(self.questions.len());
            let answers = self.answer_block(vectors, self.next, stop);
            for (q, ans) in self.questions[self.next..stop].iter().zip(answers) {
                let sec = &mut self.sections[q.section];
                sec.total += 1;
                if ans.is_some_and(|j| self.upper[j] == q.expected_upper) {
                    sec.correct += 1;
                }
            }
            self.next = stop;
        }
        Ok(self.progress())
    }

    /// Runs to the end and returns the report.
    pub fn run(mut self, vectors: &WordVectors) -> Result<EvalReport> {
        let n = self.questions.len();
        self.step(vectors, n)?;
        Ok(self.report())
    }

    /// Progress so far.
    pub fn progress(&self) -> EvalProgress {
        EvalProgress {
            done: self.next,
            total: self.questions.len(),
            correct: self.sections.iter().map(|s| s.correct).sum(),
        }
    }

    /// True when every question has been answered.
    pub fn is_done(&self) -> bool {
        self.next >= self.questions.len()
    }

    /// The report for the questions answered so far.
    pub fn report(&self) -> EvalReport {
        let mut sem = (0, 0);
        let mut syn = (0, 0);
        for (s, &is_syn) in self.sections.iter().zip(&self.syntactic) {
            let t = if is_syn { &mut syn } else { &mut sem };
            t.0 += s.correct;
            t.1 += s.total;
        }
        EvalReport {
            sections: self.sections.clone(),
            correct: sem.0 + syn.0,
            total: sem.1 + syn.1,
            skipped: self.sections.iter().map(|s| s.skipped).sum(),
            semantic: sem,
            syntactic: syn,
        }
    }

    /// Best non-excluded row for each question in `lo..hi` (None only if every row is excluded).
    fn answer_block(&self, v: &WordVectors, lo: usize, hi: usize) -> Vec<Option<usize>> {
        let d = self.dim;
        let qs = &self.questions[lo..hi];
        let m = qs.len();
        let mut best: Vec<(f32, Option<usize>)> = vec![(f32::NEG_INFINITY, None); m];
        let cands = &v.unit_matrix()[..self.restrict * d];
        match self.cfg.method {
            AnalogyMethod::CosAdd => {
                // Queries b̂ − â + ĉ (m, D). Not normalised: the argmax is the same.
                let mut qm = vec![0.0f32; m * d];
                for (row, q) in qm.chunks_exact_mut(d).zip(qs) {
                    let (a, b, c) = (
                        v.unit_row(q.abc[0]),
                        v.unit_row(q.abc[1]),
                        v.unit_row(q.abc[2]),
                    );
                    for k in 0..d {
                        row[k] = b[k] - a[k] + c[k];
                    }
                }
                let mut s = vec![0.0f32; m * CB]; // (m, CB) scores of one candidate block
                for c0 in (0..self.restrict).step_by(CB) {
                    let nc = CB.min(self.restrict - c0);
                    gemm_nt(&qm, &cands[c0 * d..(c0 + nc) * d], d, &mut s[..m * nc]);
                    for (qi, q) in qs.iter().enumerate() {
                        scan(&s[qi * nc..(qi + 1) * nc], c0, &q.exclude, &mut best[qi]);
                    }
                }
            }
            AnalogyMethod::CosMul => {
                // Rows a, b, c of every question (3m, D): three cosines per candidate.
                let mut qm = vec![0.0f32; 3 * m * d];
                for (qi, q) in qs.iter().enumerate() {
                    for t in 0..3 {
                        qm[(3 * qi + t) * d..(3 * qi + t + 1) * d]
                            .copy_from_slice(v.unit_row(q.abc[t]));
                    }
                }
                let mut s = vec![0.0f32; 3 * m * CB];
                let mut comb = vec![0.0f32; CB];
                for c0 in (0..self.restrict).step_by(CB) {
                    let nc = CB.min(self.restrict - c0);
                    gemm_nt(&qm, &cands[c0 * d..(c0 + nc) * d], d, &mut s[..3 * m * nc]);
                    for (qi, q) in qs.iter().enumerate() {
                        let base = 3 * qi * nc;
                        for j in 0..nc {
                            comb[j] = cos_mul(s[base + j], s[base + nc + j], s[base + 2 * nc + j]);
                        }
                        scan(&comb[..nc], c0, &q.exclude, &mut best[qi]);
                    }
                }
            }
        }
        best.into_iter().map(|(_, j)| j).collect()
    }
}

/// Updates `best` with the highest score in `scores` (rows `c0..`), skipping excluded rows.
/// Strictly greater wins, so ties keep the lower row.
#[inline]
fn scan(scores: &[f32], c0: usize, exclude: &[usize], best: &mut (f32, Option<usize>)) {
    for (j, &sc) in scores.iter().enumerate() {
        if sc > best.0 && !exclude.contains(&(c0 + j)) {
            *best = (sc, Some(c0 + j));
        }
    }
}

/// S = A · Bᵀ with A (m, d), B (n, d) row-major and S (m, n) row-major (overwritten).
/// A 4 × 4 tile of dot products is accumulated in registers.
pub fn gemm_nt(a: &[f32], b: &[f32], d: usize, s: &mut [f32]) {
    if d == 0 {
        s.fill(0.0);
        return;
    }
    let m = a.len() / d;
    let n = b.len() / d;
    debug_assert_eq!(s.len(), m * n);
    let (m4, n4) = (m & !3, n & !3);
    let mut i = 0;
    while i < m4 {
        let (a0, a1, a2, a3) = (
            &a[i * d..(i + 1) * d],
            &a[(i + 1) * d..(i + 2) * d],
            &a[(i + 2) * d..(i + 3) * d],
            &a[(i + 3) * d..(i + 4) * d],
        );
        let mut j = 0;
        while j < n4 {
            let (b0, b1, b2, b3) = (
                &b[j * d..(j + 1) * d],
                &b[(j + 1) * d..(j + 2) * d],
                &b[(j + 2) * d..(j + 3) * d],
                &b[(j + 3) * d..(j + 4) * d],
            );
            let mut acc = [[0.0f32; 4]; 4];
            for k in 0..d {
                let (x0, x1, x2, x3) = (a0[k], a1[k], a2[k], a3[k]);
                let (y0, y1, y2, y3) = (b0[k], b1[k], b2[k], b3[k]);
                acc[0][0] += x0 * y0;
                acc[0][1] += x0 * y1;
                acc[0][2] += x0 * y2;
                acc[0][3] += x0 * y3;
                acc[1][0] += x1 * y0;
                acc[1][1] += x1 * y1;
                acc[1][2] += x1 * y2;
                acc[1][3] += x1 * y3;
                acc[2][0] += x2 * y0;
                acc[2][1] += x2 * y1;
                acc[2][2] += x2 * y2;
                acc[2][3] += x2 * y3;
                acc[3][0] += x3 * y0;
                acc[3][1] += x3 * y1;
                acc[3][2] += x3 * y2;
                acc[3][3] += x3 * y3;
            }
            for (r, row) in acc.iter().enumerate() {
                s[(i + r) * n + j..(i + r) * n + j + 4].copy_from_slice(row);
            }
            j += 4;
        }
        for j in n4..n {
            let bj = &b[j * d..(j + 1) * d];
            for (r, ar) in [a0, a1, a2, a3].iter().enumerate() {
                s[(i + r) * n + j] = dot(ar, bj);
            }
        }
        i += 4;
    }
    for i in m4..m {
        let ai = &a[i * d..(i + 1) * d];
        for j in 0..n {
            s[i * n + j] = dot(ai, &b[j * d..(j + 1) * d]);
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_matches_naive_on_ragged_sizes() {
        for &(m, n, d) in &[(1, 1, 1), (5, 7, 3), (8, 9, 13), (4, 4, 100)] {
            let a: Vec<f32> = (0..m * d).map(|k| ((k * 37 % 11) as f32) - 5.0).collect();
            let b: Vec<f32> = (0..n * d).map(|k| ((k * 13 % 7) as f32) - 3.0).collect();
            let mut s = vec![f32::NAN; m * n];
            gemm_nt(&a, &b, d, &mut s);
            for i in 0..m {
                for j in 0..n {
                    let want: f32 = (0..d).map(|k| a[i * d + k] * b[j * d + k]).sum();
                    assert_eq!(s[i * n + j], want, "({m},{n},{d}) at ({i},{j})");
                }
            }
        }
    }

    #[test]
    fn parse_errors() {
        assert!(parse_questions("a b c d\n").is_err());
        assert!(parse_questions(": s\na b c\n").is_err());
        assert!(parse_questions(": s\n").is_err());
        let q = parse_questions(": s1\na b c d\n\n: gram2\ne f g h\n").unwrap();
        assert_eq!(q.len(), 2);
        assert!(!q[0].is_syntactic() && q[1].is_syntactic());
    }

    #[test]
    fn tiny_vocabulary_by_hand() {
        // 2-D vectors: man (1,0), woman (0,1), king (1,0.2), queen (0.2,1), apple (-1,-1).
        // king − man + woman = (unit(1,.2) − (1,0) + (0,1)) ≈ (−0.019, 1.196): queen (0.2,1) is
        // the closest direction after excluding the query words (woman is excluded).
        let v = WordVectors::from_rows(
            ["man", "woman", "king", "queen", "apple"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            &[1.0, 0.0, 0.0, 1.0, 1.0, 0.2, 0.2, 1.0, -1.0, -1.0],
            2,
        )
        .unwrap();
        let qs = parse_questions(
            ": family\nMan King Woman Queen\nman king woman apple\n: gram\nman king zebra queen\n",
        )
        .unwrap();
        let rep = Evaluator::new(&v, &qs, &EvalConfig::default())
            .unwrap()
            .run(&v)
            .unwrap();
        assert_eq!(rep.sections[0].correct, 1);
        assert_eq!(rep.sections[0].total, 2);
        assert_eq!(rep.sections[1].skipped, 1);
        assert_eq!(rep.semantic, (1, 2));
        assert_eq!(rep.syntactic, (0, 0));
        // Restricting to the first 3 rows skips every question (queen and apple are rows 3, 4).
        let r3 = Evaluator::new(
            &v,
            &qs,
            &EvalConfig {
                restrict: 3,
                ..Default::default()
            },
        )
        .unwrap()
        .run(&v)
        .unwrap();
        assert_eq!((r3.total, r3.skipped), (0, 3));
    }
}
