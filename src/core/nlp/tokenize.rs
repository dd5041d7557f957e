//! Turning text into tokens: the first step of every language model in the lecture.
//!
//! Two tokenisers, both Unicode-aware so that Korean (Hangul) works exactly like English:
//!
//! * [`words`] — a *word* is a maximal run of letters, digits and combining marks
//!   (`char::is_alphanumeric`, which covers Hangul syllables and jamo), optionally with an apostrophe
//!   between two letters (`don't`, `o'er`). Every other non-space character is punctuation: with
//!   [`TokenizerConfig::keep_punctuation`] it becomes a one-character token (the lecture's GloVe
//!   example counts "." as a word), otherwise it is dropped. Whitespace only separates.
//! * [`chars`] — one token per Unicode scalar value (a Hangul syllable such as `학` is one scalar;
//!   decomposed jamo sequences stay separate scalars). Whitespace is kept as a token so that
//!   character models learn word boundaries; line breaks are handled by the caller (n-gram models
//!   treat each line as one sequence).
//!
//! [`sentences`] splits a token list after sentence-final punctuation (`.`, `!`, `?`, `。`), which is
//! how the GloVe co-occurrence window is kept from crossing sentences (CS224n lecture 2).
//!
//! Reference: Jurafsky and Martin, *Speech and Language Processing* (3rd ed. draft), ch. 2
//! (words and tokens).

use serde::{Deserialize, Serialize};

/// How [`words`] cuts text into tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenizerConfig {
    /// Lower-case every token (Unicode lower-casing; Hangul has no case). Default `true`.
    pub lowercase: bool,
    /// Keep punctuation characters as one-character tokens (`"."`, `","`). Default `true`.
    pub keep_punctuation: bool,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        TokenizerConfig {
            lowercase: true,
            keep_punctuation: true,
        }
    }
}

/// True for characters that can be part of a word: letters (any script), digits, combining marks.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Combining marks (accents written as separate code points) belong to the preceding letter.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits `text` into word (and optionally punctuation) tokens. See the module docs for the rules.
///
/// ```
/// use rnn_lab::core::nlp::tokenize::{words, TokenizerConfig};
/// let cfg = TokenizerConfig::default();
/// assert_eq!(words("I like NLP. 나는 학생이다!", &cfg),
///            vec!["i", "like", "nlp", ".", "나는", "학생이다", "!"]);
/// ```
pub fn words(text: &str, cfg: &TokenizerConfig) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            let tok = if cfg.lowercase {
                cur.to_lowercase()
            } else {
                cur.clone()
            };
            out.push(tok);
            cur.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if is_word_char(c) {
            cur.push(c);
        } else if is_apostrophe(c)
            && !cur.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
        {
            // An apostrophe between two letters stays inside the word ("don't").
            cur.push(c);
        } else {
            flush(&mut cur, &mut out);
            if !c.is_whitespace() && cfg.keep_punctuation && !c.is_control() {
                out.push(c.to_string());
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// One token per Unicode scalar value, optionally lower-cased. Control characters (including line
/// breaks) are dropped; spaces and tabs become a single `" "` token each.
///
/// ```
/// use rnn_lab::core::nlp::tokenize::chars;
/// assert_eq!(chars("한국 어", false), vec!["한", "국", " ", "어"]);
/// ```
pub fn chars(text: &str, lowercase: bool) -> Vec<String> {
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() {
            if c != '\n' && c != '\r' {
                out.push(" ".to_string());
            }
        } else if !c.is_control() {
            if lowercase {
                out.push(c.to_lowercase().collect());
            } else {
                out.push(c.to_string());
            }
        }
    }
    out
}

/// True for a punctuation token as produced by [`words`] (no letter, digit or mark in it).
pub fn is_punctuation(tok: &str) -> bool {
    !tok.is_empty() && !tok.chars().any(is_word_char)
}

/// True for a token that ends a sentence (`.`, `!`, `?`, `。`, `！`, `？`).
pub fn is_sentence_end(tok: &str) -> bool {
    matches!(tok, "." | "!" | "?" | "。" | "！" | "？")
}

/// Splits a token list into sentences; the sentence-final token stays at the end of its sentence.
/// A trailing sentence without final punctuation is kept. Empty sentences are never produced.
pub fn sentences(tokens: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for t in tokens {
        cur.push(t.clone());
        if is_sentence_end(t) {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_and_punctuation() {
        let cfg = TokenizerConfig {
            lowercase: false,
            keep_punctuation: true,
        };
        assert_eq!(
            words("I like deep learning. I don't, 'quoted'", &cfg),
            vec!["I", "like", "deep", "learning", ".", "I", "don't", ",", "'", "quoted", "'"]
        );
        let drop = TokenizerConfig {
            lowercase: true,
            keep_punctuation: false,
        };
        assert_eq!(words("Hello, World!!", &drop), vec!["hello", "world"]);
        assert!(words("   \n\t ", &drop).is_empty());
        assert!(words("", &cfg).is_empty());
    }

    #[test]
    fn hangul_words_and_chars() {
        let cfg = TokenizerConfig::default();
        assert_eq!(
            words("학생들이 책을 폈다. 학생들이 시험지를 폈다", &cfg),
            vec![
                "학생들이",
                "책을",
                "폈다",
                ".",
                "학생들이",
                "시험지를",
                "폈다"
            ]
        );
        // Mixed scripts inside one run of letters stay one token.
        assert_eq!(words("GPT모델", &cfg), vec!["gpt모델"]);
        assert_eq!(
            chars("개 고양이\n", false),
            vec!["개", " ", "고", "양", "이"]
        );
    }

    #[test]
    fn combining_marks_stay_in_words() {
        let cfg = TokenizerConfig::default();
        // "café" written with a combining acute accent (U+0301).
        assert_eq!(
            words("cafe\u{301} au lait", &cfg),
            vec!["cafe\u{301}", "au", "lait"]
        );
    }

    #[test]
    fn sentence_split() {
        let cfg = TokenizerConfig {
            lowercase: false,
            keep_punctuation: true,
        };
        let toks = words("I like NLP. I enjoy flying", &cfg);
        let s = sentences(&toks);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], vec!["I", "like", "NLP", "."]);
        assert_eq!(s[1], vec!["I", "enjoy", "flying"]);
        assert!(sentences(&[]).is_empty());
        assert!(is_punctuation(".") && is_punctuation("。") && !is_punctuation("don't"));
    }
}
