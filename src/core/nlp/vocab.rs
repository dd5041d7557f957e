//! A vocabulary: the map between tokens and the integer ids every model in this folder works with.
//!
//! One-hot vectors, the rows of an embedding matrix, the rows and columns of a co-occurrence matrix
//! and the outputs of a softmax are all indexed by these ids. The order of the ids is a choice that
//! shows on screen (the CS224n co-occurrence slide lists I, like, enjoy, …), so it is explicit:
//! [`VocabOrder`].

use crate::core::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How token ids are assigned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VocabOrder {
    /// In order of first appearance in the corpus.
    FirstSeen,
    /// By descending count; ties in order of first appearance (the word2vec / GloVe convention).
    #[default]
    Frequency,
    /// Exactly this list (every corpus token must be in it; unused entries are allowed).
    Given(Vec<String>),
    /// The listed tokens that occur in the corpus first, in list order; then every other corpus
    /// token in order of first appearance. Lets a preset fix the lecture's order while the user
    /// edits the corpus.
    Preferred(Vec<String>),
}

/// Tokens with ids `0..len()` and their corpus counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocab {
    tokens: Vec<String>,
    counts: Vec<u64>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl Vocab {
    /// Builds a vocabulary from a token stream.
    ///
    /// Errors: an empty stream; with [`VocabOrder::Given`], a duplicate entry in the list or a corpus
    /// token missing from it.
    pub fn build<'a, I>(tokens: I, order: &VocabOrder) -> Result<Vocab>
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut first: Vec<String> = Vec::new();
        let mut counts: HashMap<String, u64> = HashMap::new();
        for t in tokens {
            match counts.get_mut(t) {
                Some(c) => *c += 1,
                None => {
                    counts.insert(t.to_string(), 1);
                    first.push(t.to_string());
                }
            }
        }
        if first.is_empty() {
            return Err(CoreError::empty("corpus (no tokens)"));
        }
        let list: Vec<String> = match order {
            VocabOrder::FirstSeen => first,
            VocabOrder::Frequency => {
                let mut v = first;
                // A stable sort keeps first-seen order among equal counts.
                v.sort_by_key(|t| std::cmp::Reverse(counts.get(t).copied().unwrap_or(0)));
                v
            }
            VocabOrder::Given(list) => {
                let mut seen = HashMap::new();
                for (i, t) in list.iter().enumerate() {
                    if seen.insert(t.as_str(), i).is_some() {
                        return Err(CoreError::invalid(
                            "vocabulary order",
                            format!("the word \"{t}\" appears twice"),
                        ));
                    }
                }
                if let Some(missing) = first.iter().find(|t| !seen.contains_key(t.as_str())) {
                    return Err(CoreError::invalid(
                        "vocabulary order",
                        format!("the corpus word \"{missing}\" is not in the given list"),
                    ));
                }
                list.clone()
            }
            VocabOrder::Preferred(list) => {
                let mut v: Vec<String> = Vec::new();
                for t in list {
                    if counts.contains_key(t) && !v.contains(t) {
                        v.push(t.clone());
                    }
                }
                let listed: std::collections::HashSet<&String> = list.iter().collect();
                v.extend(first.into_iter().filter(|t| !listed.contains(t)));
                v
            }
        };
        let c: Vec<u64> = list
            .iter()
            .map(|t| counts.get(t).copied().unwrap_or(0))
            .collect();
        Vocab::from_parts(list, c)
    }

    /// A vocabulary from an explicit token list and counts (same length, no duplicates).
    pub fn from_parts(tokens: Vec<String>, counts: Vec<u64>) -> Result<Vocab> {
        if tokens.len() != counts.len() {
            return Err(CoreError::shape(
                "vocabulary counts",
                tokens.len(),
                counts.len(),
            ));
        }
        if tokens.is_empty() {
            return Err(CoreError::empty("vocabulary"));
        }
        let mut index = HashMap::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            if index.insert(t.clone(), i).is_some() {
                return Err(CoreError::invalid(
                    "vocabulary",
                    format!("the word \"{t}\" appears twice"),
                ));
            }
        }
        Ok(Vocab {
            tokens,
            counts,
            index,
        })
    }

    /// Keeps only the `max_size` most frequent tokens with count ≥ `min_count`, re-numbered by
    /// descending count (ties: current order). Errors if nothing is left.
    pub fn pruned(&self, min_count: u64, max_size: usize) -> Result<Vocab> {
        let mut ids: Vec<usize> = (0..self.len())
            .filter(|&i| self.counts[i] >= min_count)
            .collect();
        ids.sort_by_key(|&i| std::cmp::Reverse(self.counts[i]));
        ids.truncate(max_size);
        if ids.is_empty() {
            return Err(CoreError::empty(format!(
                "vocabulary after keeping words seen at least {min_count} times"
            )));
        }
        Vocab::from_parts(
            ids.iter().map(|&i| self.tokens[i].clone()).collect(),
            ids.iter().map(|&i| self.counts[i]).collect(),
        )
    }

    /// Number of tokens V.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the vocabulary has no tokens (never true for a built vocabulary).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The id of `token`, if present.
    pub fn id(&self, token: &str) -> Option<usize> {
        self.index.get(token).copied()
    }

    /// The id of `token`, or a clear error naming it.
    pub fn require(&self, token: &str) -> Result<usize> {
        self.id(token).ok_or_else(|| {
            CoreError::invalid(
                "word",
                format!(
                    "\"{token}\" is not in the vocabulary ({} words)",
                    self.len()
                ),
            )
        })
    }

    /// The token with id `i` (empty string when out of range).
    pub fn token(&self, i: usize) -> &str {
        self.tokens.get(i).map(|s| s.as_str()).unwrap_or("")
    }

    /// All tokens in id order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// Corpus count of each id.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Rebuilds the token → id index (needed after deserialising).
    pub fn reindex(&mut self) {
        self.index = self
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders() {
        let toks = ["b", "a", "b", "c", "a", "b"];
        let f = Vocab::build(toks.iter().copied(), &VocabOrder::Frequency).unwrap();
        assert_eq!(f.tokens(), &["b", "a", "c"]);
        assert_eq!(f.counts(), &[3, 2, 1]);
        let s = Vocab::build(toks.iter().copied(), &VocabOrder::FirstSeen).unwrap();
        assert_eq!(s.tokens(), &["b", "a", "c"]);
        let g = Vocab::build(
            toks.iter().copied(),
            &VocabOrder::Given(vec!["c".into(), "a".into(), "b".into(), "z".into()]),
        )
        .unwrap();
        assert_eq!(g.id("z"), Some(3));
        assert_eq!(g.counts(), &[1, 2, 3, 0]);
        assert!(Vocab::build(
            toks.iter().copied(),
            &VocabOrder::Given(vec!["a".into(), "b".into()])
        )
        .is_err());
        assert!(Vocab::build(std::iter::empty(), &VocabOrder::Frequency).is_err());
        let p = Vocab::build(
            toks.iter().copied(),
            &VocabOrder::Preferred(vec!["c".into(), "zz".into(), "c".into()]),
        )
        .unwrap();
        assert_eq!(p.tokens(), &["c", "b", "a"]);
        assert_eq!(f.pruned(2, 10).unwrap().tokens(), &["b", "a"]);
        assert!(f.pruned(9, 10).is_err());
        assert!(f.require("q").unwrap_err().to_string().contains("\"q\""));
    }
}
