//! Turning text into token ids for language modelling: character or word tokens, a vocabulary,
//! and a held-out split.
//!
//! Characters are Unicode scalar values (so 한 is one token, as are `\n` and `é`); words are runs of
//! letters/digits (any script, Hangul included) or single punctuation marks, with `\n` kept as a
//! token so generated text keeps its line structure. Words beyond the vocabulary cap become `<unk>`.

use crate::core::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Character or word tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// One token per Unicode scalar value.
    #[default]
    Char,
    /// Words and punctuation marks.
    Word,
}

/// The out-of-vocabulary token of word vocabularies.
pub const UNK: &str = "<unk>";

/// A vocabulary: id ↔ token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocab {
    /// Char or word.
    pub kind: TokenKind,
    /// Tokens in id order.
    pub tokens: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl Vocab {
    /// A vocabulary from an explicit token list (ids in list order). Tokens must be distinct.
    pub fn from_tokens(kind: TokenKind, tokens: Vec<String>) -> Result<Self> {
        if tokens.is_empty() {
            return Err(CoreError::empty("vocabulary"));
        }
        let mut index = HashMap::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            if index.insert(t.clone(), i).is_some() {
                return Err(CoreError::invalid(
                    "vocabulary",
                    format!("token {t:?} appears twice"),
                ));
            }
        }
        Ok(Vocab {
            kind,
            tokens,
            index,
        })
    }

    /// The character vocabulary of `text`: its distinct characters in code-point order.
    pub fn chars_of(text: &str) -> Result<Self> {
        let mut cs: Vec<char> = text.chars().collect();
        cs.sort_unstable();
        cs.dedup();
        Self::from_tokens(TokenKind::Char, cs.into_iter().map(String::from).collect())
    }

    /// The word vocabulary of `text`: the `max_size − 1` most frequent words (ties by first
    /// appearance) plus `<unk>` at id 0.
    pub fn words_of(text: &str, max_size: usize) -> Result<Self> {
        if max_size < 2 {
            return Err(CoreError::invalid("vocabulary size", "must be at least 2"));
        }
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for (pos, w) in split_words(text).enumerate() {
            counts.entry(w).or_insert((0, pos)).0 += 1;
        }
        let mut ws: Vec<(&str, usize, usize)> =
            counts.into_iter().map(|(w, (c, p))| (w, c, p)).collect();
        ws.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let mut tokens = vec![UNK.to_string()];
        tokens.extend(
            ws.into_iter()
                .filter(|w| w.0 != UNK)
                .take(max_size - 1)
                .map(|w| w.0.to_string()),
        );
        Self::from_tokens(TokenKind::Word, tokens)
    }

    /// Number of tokens V.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }
    /// True when empty (never, for a constructed vocabulary).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    fn ensure_index(&mut self) {
        if self.index.len() != self.tokens.len() {
            self.index = self
                .tokens
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i))
                .collect();
        }
    }

    /// The id of a token, if known.
    pub fn id(&self, token: &str) -> Option<usize> {
        self.index.get(token).copied()
    }

    /// Encodes text. Characters: an unknown character is an error naming it. Words: unknown words
    /// map to `<unk>` (id 0).
    pub fn encode(&mut self, text: &str) -> Result<Vec<usize>> {
        self.ensure_index();
        match self.kind {
            TokenKind::Char => text
                .chars()
                .map(|c| {
                    let mut b = [0u8; 4];
                    self.id(c.encode_utf8(&mut b)).ok_or_else(|| {
                        CoreError::invalid(
                            "text",
                            format!("the character {c:?} is not in the model's vocabulary"),
                        )
                    })
                })
                .collect(),
            TokenKind::Word => {
                let unk = self.id(UNK).unwrap_or(0);
                Ok(split_words(text)
                    .map(|w| self.id(w).unwrap_or(unk))
                    .collect())
            }
        }
    }

    /// Decodes ids (ids outside the vocabulary become `\u{FFFD}`). Words are joined with spaces,
    /// except around newlines and before punctuation.
    pub fn decode(&self, ids: &[usize]) -> String {
        let mut out = String::new();
        let mut prev = None;
        for &i in ids {
            out.push_str(&self.piece(prev, i));
            prev = Some(i);
        }
        out
    }

    /// Token `id` as it is appended to text whose last token was `prev` (`None` at the start):
    /// word tokens get a leading space, except at the start, after a newline, for a newline and for
    /// punctuation. Characters are appended as they are. (The one spacing rule of generated text.)
    pub fn piece(&self, prev: Option<usize>, id: usize) -> String {
        let t = self
            .tokens
            .get(id)
            .map(String::as_str)
            .unwrap_or("\u{FFFD}");
        let after_newline = prev
            .and_then(|p| self.tokens.get(p))
            .is_some_and(|p| p == "\n");
        if self.kind == TokenKind::Word
            && prev.is_some()
            && !after_newline
            && t != "\n"
            && !t.chars().all(|c| c.is_ascii_punctuation())
        {
            format!(" {t}")
        } else {
            t.to_string()
        }
    }
}

/// Splits text into words (runs of alphanumeric characters or apostrophes inside words), single
/// punctuation/symbol characters, and newlines. Lower-cases nothing: case is information.
pub fn split_words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| !c.is_whitespace() || c == '\n')?;
        rest = &rest[start..];
        let first = rest.chars().next()?;
        let len = if first.is_alphanumeric() {
            let mut end = 0;
            let mut prev_alnum = false;
            for (i, c) in rest.char_indices() {
                let keep = c.is_alphanumeric()
                    || (c == '\''
                        && prev_alnum
                        && rest[i + 1..].starts_with(char::is_alphanumeric));
                if !keep {
                    break;
                }
                prev_alnum = c.is_alphanumeric();
                end = i + c.len_utf8();
            }
            end
        } else {
            first.len_utf8()
        };
        let (w, r) = rest.split_at(len);
        rest = r;
        Some(w)
    })
}

/// A tokenised corpus with a training part and a held-out part.
#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    /// The vocabulary.
    pub vocab: Vocab,
    /// Training ids.
    pub train: Vec<usize>,
    /// Held-out ids (the last `heldout_fraction` of the text).
    pub heldout: Vec<usize>,
}

impl Corpus {
    /// Tokenises `text` (vocabulary built from the whole text) and splits off the last
    /// `heldout_fraction` ∈ [0, 0.5] as held-out data. Needs enough text for `min_train` training
    /// tokens.
    pub fn build(
        text: &str,
        kind: TokenKind,
        max_vocab: usize,
        heldout_fraction: f64,
        min_train: usize,
    ) -> Result<Self> {
        if text.trim().is_empty() {
            return Err(CoreError::empty("text"));
        }
        if !(0.0..=0.5).contains(&heldout_fraction) {
            return Err(CoreError::invalid(
                "held-out fraction",
                "must be between 0 and 0.5",
            ));
        }
        let mut vocab = match kind {
            TokenKind::Char => Vocab::chars_of(text)?,
            TokenKind::Word => Vocab::words_of(text, max_vocab)?,
        };
        if vocab.len() > max_vocab {
            return Err(CoreError::invalid(
                "vocabulary",
                format!(
                    "the text has {} distinct characters; the limit is {max_vocab}",
                    vocab.len()
                ),
            ));
        }
        let ids = vocab.encode(text)?;
        let n_held = ((ids.len() as f64) * heldout_fraction).floor() as usize;
        let split = ids.len() - n_held;
        if split < min_train {
            return Err(CoreError::invalid(
                "text",
                format!("it has {split} training tokens; at least {min_train} are needed (paste a longer text)"),
            ));
        }
        Ok(Corpus {
            vocab,
            train: ids[..split].to_vec(),
            heldout: ids[split..].to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_and_hangul() {
        let mut v = Vocab::chars_of("한국어 abc 한").unwrap();
        // Distinct: ' ', 'a', 'b', 'c', '국', '어', '한' in code-point order.
        assert_eq!(v.tokens, vec![" ", "a", "b", "c", "국", "어", "한"]);
        assert_eq!(v.encode("한a").unwrap(), vec![6, 1]);
        assert_eq!(v.decode(&[6, 4, 5]), "한국어");
        assert!(v.encode("z").unwrap_err().to_string().contains("'z'"));
    }

    #[test]
    fn words_split_and_unk() {
        let ws: Vec<&str> = split_words("The students' books,\nthey don't 공부해요!").collect();
        assert_eq!(
            ws,
            vec![
                "The",
                "students",
                "'",
                "books",
                ",",
                "\n",
                "they",
                "don't",
                "공부해요",
                "!"
            ]
        );
        let mut v = Vocab::words_of("a b a c a b", 3).unwrap();
        assert_eq!(v.tokens, vec!["<unk>", "a", "b"]);
        assert_eq!(v.encode("a c b").unwrap(), vec![1, 0, 2]);
        assert_eq!(v.decode(&[1, 2, 0]), "a b <unk>");
        // Spacing: none at the start, after a newline, for a newline or for punctuation.
        let w = Vocab::from_tokens(
            TokenKind::Word,
            ["\n", "to", "be", ","].map(String::from).to_vec(),
        )
        .unwrap();
        assert_eq!(w.decode(&[1, 2, 3, 1, 0, 2]), "to be, to\nbe");
        assert_eq!(w.piece(None, 1), "to");
        assert_eq!(w.piece(Some(0), 1), "to");
        assert_eq!(w.piece(Some(2), 1), " to");
    }

    #[test]
    fn corpus_split_and_errors() {
        let c = Corpus::build("abcdefghij", TokenKind::Char, 100, 0.2, 4).unwrap();
        assert_eq!(c.train.len(), 8);
        assert_eq!(c.heldout.len(), 2);
        assert!(matches!(
            Corpus::build("   ", TokenKind::Char, 100, 0.1, 1),
            Err(CoreError::Empty { .. })
        ));
        assert!(Corpus::build("abc", TokenKind::Char, 100, 0.1, 50)
            .unwrap_err()
            .to_string()
            .contains("at least 50"));
        assert!(Corpus::build("abc", TokenKind::Char, 2, 0.1, 1).is_err());
    }
}
