//! n-gram language models: counting, conditional probabilities, smoothing, backoff, generation and
//! perplexity (Jurafsky and Martin, *Speech and Language Processing*, 3rd ed. draft, ch. 3; the
//! lecture's "students opened their ___" example).
//!
//! # Model
//!
//! Text is cut into sequences (lines by default), each tokenised into words or characters and
//! padded with n − 1 start symbols `<s>` and one end symbol `</s>`. For every predicted token w
//! (every real token and `</s>`) and every order m = 1 … n, the count c(context, w) of the m-gram is
//! recorded, where the context is the m − 1 tokens before w. The context count c(context) is
//! Σ_w c(context, w), so every conditional distribution below sums to exactly 1.
//!
//! ```text
//! maximum likelihood:  P(w | ctx) = c(ctx, w) / c(ctx)
//! add-k smoothing:     P(w | ctx) = (c(ctx, w) + k) / (c(ctx) + k·|V|)
//! ```
//!
//! V, the set of predictable tokens, is every training token type plus `</s>` plus (when
//! [`NgramConfig::unk`] is on) `<unk>`. `<s>` is never predicted.
//!
//! **Backoff** (when [`NgramConfig::backoff`] is on): if the context was never seen, drop its first
//! token and try again, down to the unigram distribution (whose context, the empty one, is always
//! seen). The first level whose context was seen supplies the whole distribution, so the result is
//! still a proper distribution over V. This is not Katz backoff: it does not discount seen n-grams,
//! so an unseen word in a *seen* context still gets probability 0 unless add-k smoothing is on.
//! Without backoff and without smoothing, an unseen context has no distribution (0/0); with add-k
//! smoothing and no backoff it gets the uniform distribution 1/|V|.
//!
//! **Unknown words.** With `unk` on, training words seen fewer than `min_count` times become
//! `<unk>`, and held-out words not in V are mapped to `<unk>`. With `min_count` = 1 `<unk>` has no
//! training count, so it gets probability only through add-k smoothing; a held-out unknown word
//! then has probability 0 and the perplexity is infinite, which [`PerplexityReport`] says plainly.
//!
//! **Perplexity** of held-out text: PP = exp(−(1/N) Σ ln P(w_i | context_i)) over the N predicted
//! tokens (each sequence padded exactly like the training text, so `</s>` counts).
//!
//! Worked example (SLP3 §3.1, lines "I am Sam", "Sam I am", "I do not like green eggs and ham",
//! bigrams, no smoothing): P(I | `<s>`) = 2/3, P(Sam | `<s>`) = 1/3, P(am | I) = 2/3,
//! P(`</s>` | Sam) = 1/2, P(Sam | am) = 1/2, P(do | I) = 1/3 — the golden values of the tests.

use super::tokenize::{chars, is_sentence_end, words, TokenizerConfig};
use crate::core::error::{CoreError, Result};
use crate::core::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Start-of-sequence padding symbol.
pub const BOS: &str = "<s>";
/// End-of-sequence symbol.
pub const EOS: &str = "</s>";
/// Unknown-word symbol.
pub const UNK: &str = "<unk>";

const MAX_N: usize = 5;
const MAX_TOKENS: usize = 2_000_000;
const ID_BITS: u32 = 24; // ids are packed 24 bits each into a u128 key (≤ 5 ids)

/// Word or character tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NgramUnit {
    /// Words and punctuation (Unicode-aware; Hangul works).
    #[default]
    Word,
    /// Unicode characters (spaces included).
    Char,
}

/// Where sequences (padded with `<s>` … `</s>`) begin and end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundaries {
    /// Every non-empty line is a sequence.
    #[default]
    Lines,
    /// Sequences end after `.`, `!`, `?` (and their CJK forms).
    Sentences,
    /// The whole text is one sequence (line breaks are spaces).
    None,
}

/// n-gram model configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NgramConfig {
    /// The order n, 1 to 5. Default 3.
    pub n: usize,
    /// Word or character tokens. Default word.
    pub unit: NgramUnit,
    /// Sequence boundaries. Default lines.
    pub boundaries: Boundaries,
    /// Lower-case the text. Default `true`.
    pub lowercase: bool,
    /// Keep punctuation as word tokens (word unit only). Default `true`.
    pub keep_punctuation: bool,
    /// k of add-k smoothing, in [0, 100]; 0 = maximum likelihood. Default 0.
    pub k: f64,
    /// Back off to shorter contexts when a context was never seen. Default `true`.
    pub backoff: bool,
    /// Include `<unk>` in V and map rare/unknown words to it. Default `true`.
    pub unk: bool,
    /// With `unk`: training words seen fewer times become `<unk>` (≥ 1). Default 1.
    pub min_count: u64,
}

impl Default for NgramConfig {
    fn default() -> Self {
        NgramConfig {
            n: 3,
            unit: NgramUnit::Word,
            boundaries: Boundaries::Lines,
            lowercase: true,
            keep_punctuation: true,
            k: 0.0,
            backoff: true,
            unk: true,
            min_count: 1,
        }
    }
}

impl NgramConfig {
    /// Checks ranges.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_N).contains(&self.n) {
            return Err(CoreError::invalid("n", "must be between 1 and 5"));
        }
        if !(self.k.is_finite() && (0.0..=100.0).contains(&self.k)) {
            return Err(CoreError::invalid("k", "must be between 0 and 100"));
        }
        if self.min_count == 0 {
            return Err(CoreError::invalid("min_count", "must be at least 1"));
        }
        Ok(())
    }
}

/// Cuts `text` into token sequences according to `cfg` (no padding).
pub fn sequences(text: &str, cfg: &NgramConfig) -> Vec<Vec<String>> {
    let tok = |s: &str| -> Vec<String> {
        match cfg.unit {
            NgramUnit::Word => words(
                s,
                &TokenizerConfig {
                    lowercase: cfg.lowercase,
                    keep_punctuation: cfg.keep_punctuation
                        || cfg.boundaries == Boundaries::Sentences,
                },
            ),
            NgramUnit::Char => {
                let mut c = chars(s, cfg.lowercase);
                // Leading/trailing spaces carry no information at a sequence edge.
                while c.first().is_some_and(|t| t == " ") {
                    c.remove(0);
                }
                while c.last().is_some_and(|t| t == " ") {
                    c.pop();
                }
                c
            }
        }
    };
    let mut out = Vec::new();
    match cfg.boundaries {
        Boundaries::Lines => {
            for line in text.lines() {
                let t = tok(line);
                if !t.is_empty() {
                    out.push(t);
                }
            }
        }
        Boundaries::None => {
            let t = tok(&text.replace(['\n', '\r'], " "));
            if !t.is_empty() {
                out.push(t);
            }
        }
        Boundaries::Sentences => {
            let all = tok(&text.replace(['\n', '\r'], " "));
            let mut cur: Vec<String> = Vec::new();
            for t in all {
                let end = is_sentence_end(&t);
                if !(cfg.unit == NgramUnit::Char && cur.is_empty() && t == " ") {
                    cur.push(t);
                }
                if end {
                    out.push(std::mem::take(&mut cur));
                }
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            if cfg.unit == NgramUnit::Word && !cfg.keep_punctuation {
                for s in &mut out {
                    s.retain(|t| !super::tokenize::is_punctuation(t));
                }
                out.retain(|s| !s.is_empty());
            }
        }
    }
    out
}

#[derive(Clone, Debug, Default)]
struct Context {
    total: u64,
    next: Vec<(u32, u64)>, // (token id, count) sorted by id
}

impl Context {
    fn count(&self, w: u32) -> u64 {
        self.next
            .binary_search_by_key(&w, |p| p.0)
            .map(|i| self.next[i].1)
            .unwrap_or(0)
    }
}

fn pack(ids: &[u32]) -> u128 {
    ids.iter()
        .fold(0u128, |acc, &i| (acc << ID_BITS) | i as u128)
}

/// A trained n-gram model.
#[derive(Clone, Debug)]
pub struct NgramModel {
    cfg: NgramConfig,
    tokens: Vec<String>, // id → token; 0 = <s>, 1 = </s>, 2 = <unk> (present even if unk is off)
    index: HashMap<String, u32>,
    contexts: Vec<HashMap<u128, Context>>, // [m − 1]: contexts of length m − 1
    v_size: usize,                         // |V|
    train_tokens: usize,                   // predicted tokens in training (incl. </s>)
}

const BOS_ID: u32 = 0;
const EOS_ID: u32 = 1;
const UNK_ID: u32 = 2;

/// One row of a conditional table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableRow {
    /// The next token w.
    pub word: String,
    /// c(context, w).
    pub count: u64,
    /// P(w | context).
    pub prob: f64,
    /// The probability as the lecture writes it: "400/1000" (with add-k: "(400 + 1)/(1000 + 1×V)").
    pub fraction: String,
}

/// P(w | context) for one context: the widget's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionalTable {
    /// The context as used (after lower-casing, `<unk>` mapping and backoff).
    pub context: Vec<String>,
    /// The context as requested (after tokenisation).
    pub requested: Vec<String>,
    /// The order m whose counts were used (context length + 1).
    pub order_used: usize,
    /// True when the requested context was never seen and a shorter one was used.
    pub backed_off: bool,
    /// c(context).
    pub context_count: u64,
    /// The most frequent continuations, most frequent first (ties: alphabetical).
    pub rows: Vec<TableRow>,
    /// Everything not in `rows`: (count, probability), or `None` when nothing is left.
    pub other: Option<(u64, f64)>,
    /// |V| used by smoothing (`None` for a table built from bare counts without smoothing).
    pub vocab_size: Option<usize>,
    /// Notes in plain words (backoff, unseen context, smoothing).
    pub notes: Vec<String>,
}

impl ConditionalTable {
    /// Builds a table from counts, exactly as the lecture does:
    /// P(w | ctx) = (c(ctx, w) + k) / (c(ctx) + k·|V|).
    ///
    /// `continuations` need not be complete: the remaining count c(ctx) − Σ c(ctx, w) is shown as
    /// "other". `top` limits the rows (others go to "other"). Smoothing (k > 0) needs `vocab_size`.
    /// Errors: c(ctx) = 0 without smoothing, continuation counts summing above c(ctx), bad k.
    pub fn from_counts(
        context: &[String],
        context_count: u64,
        continuations: &[(String, u64)],
        k: f64,
        vocab_size: Option<usize>,
        top: usize,
    ) -> Result<ConditionalTable> {
        if !(k.is_finite() && k >= 0.0) {
            return Err(CoreError::invalid("k", "must be a finite number ≥ 0"));
        }
        let listed: u64 = continuations.iter().map(|c| c.1).sum();
        if listed > context_count {
            return Err(CoreError::invalid(
                "counts",
                format!(
                    "the continuations add up to {listed}, more than the context count {context_count}"
                ),
            ));
        }
        let v = match (k > 0.0, vocab_size) {
            (true, None) => {
                return Err(CoreError::invalid(
                    "k",
                    "add-k smoothing needs the vocabulary size |V|",
                ))
            }
            (true, Some(v)) if v < continuations.len() => {
                return Err(CoreError::invalid(
                    "vocabulary size",
                    "smaller than the number of listed continuations",
                ))
            }
            (_, v) => v,
        };
        let kv = k * v.unwrap_or(0) as f64;
        let den = context_count as f64 + kv;
        if den <= 0.0 {
            return Err(CoreError::invalid(
                "context",
                "was never seen (count 0): P(w | context) = 0/0; turn on smoothing or backoff",
            ));
        }
        let mut sorted: Vec<&(String, u64)> = continuations.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let fraction = |c: u64| {
            if k > 0.0 {
                format!("({c} + {k})/({context_count} + {k}×{})", v.unwrap_or(0))
            } else {
                format!("{c}/{context_count}")
            }
        };
        let rows: Vec<TableRow> = sorted
            .iter()
            .take(top)
            .map(|(w, c)| TableRow {
                word: w.clone(),
                count: *c,
                prob: (*c as f64 + k) / den,
                fraction: fraction(*c),
            })
            .collect();
        let shown_count: u64 = rows.iter().map(|r| r.count).sum();
        let shown_prob: f64 = rows.iter().map(|r| r.prob).sum();
        let other_count = context_count - shown_count;
        let other_types = v.map(|v| v - rows.len()).unwrap_or(0);
        let other = if other_count > 0 || (k > 0.0 && other_types > 0) {
            Some((other_count, (1.0 - shown_prob).max(0.0)))
        } else {
            None
        };
        Ok(ConditionalTable {
            context: context.to_vec(),
            requested: context.to_vec(),
            order_used: context.len() + 1,
            backed_off: false,
            context_count,
            rows,
            other,
            vocab_size: v,
            notes: Vec::new(),
        })
    }
}

/// The lecture's preset: count("students opened their") = 1000, "… books" = 400,
/// "… exams" = 100, through the same code path as a trained model.
pub fn lecture_preset() -> Result<ConditionalTable> {
    ConditionalTable::from_counts(
        &["students".into(), "opened".into(), "their".into()],
        1000,
        &[("books".into(), 400), ("exams".into(), 100)],
        0.0,
        None,
        20,
    )
}

/// Result of [`NgramModel::perplexity`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerplexityReport {
    /// Predicted tokens N (including one `</s>` per sequence).
    pub tokens: usize,
    /// Held-out tokens not in V (mapped to `<unk>` when `unk` is on).
    pub unknown: usize,
    /// Tokens that got probability 0.
    pub zero_probability: usize,
    /// Tokens whose context has no distribution (never seen, no smoothing, no backoff).
    pub undefined: usize,
    /// Σ ln P over the tokens with P > 0.
    pub log_likelihood: f64,
    /// exp(−log-likelihood / N), or `None` (infinite) when some token had P = 0 or no distribution.
    pub perplexity: Option<f64>,
    /// log₂ of the perplexity: bits per token.
    pub bits_per_token: Option<f64>,
    /// Plain-words explanation when the perplexity is infinite.
    pub note: Option<String>,
}

/// Result of [`NgramModel::generate`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Generated {
    /// Generated tokens (without the prompt).
    pub tokens: Vec<String>,
    /// Prompt and generated tokens joined (spaces between words, nothing between characters).
    pub text: String,
    /// True when generation stopped at `</s>`.
    pub ended: bool,
}

/// Sparsity and storage of order n.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SparsityPoint {
    /// The order n.
    pub n: usize,
    /// Distinct n-grams in the training text (storage).
    pub distinct: usize,
    /// Held-out n-grams (one per predicted held-out token).
    pub heldout: usize,
    /// Held-out n-grams never seen in training.
    pub unseen: usize,
    /// unseen / heldout.
    pub unseen_share: f64,
}

impl NgramModel {
    /// Counts all m-grams (m = 1 … n) of `text`.
    pub fn train(text: &str, cfg: &NgramConfig) -> Result<NgramModel> {
        cfg.validate()?;
        let seqs = sequences(text, cfg);
        let total: usize = seqs.iter().map(|s| s.len()).sum();
        if total == 0 {
            return Err(CoreError::empty("training text (no tokens)"));
        }
        if total > MAX_TOKENS {
            return Err(CoreError::invalid(
                "training text",
                format!("at most {MAX_TOKENS} tokens, got {total}"),
            ));
        }
        // Vocabulary: specials first, then tokens in order of first appearance.
        let mut counts: HashMap<&str, u64> = HashMap::new();
        let mut first: Vec<&str> = Vec::new();
        for s in &seqs {
            for t in s {
                let c = counts.entry(t.as_str()).or_insert(0);
                if *c == 0 {
                    first.push(t.as_str());
                }
                *c += 1;
            }
        }
        let mut tokens: Vec<String> = vec![BOS.into(), EOS.into(), UNK.into()];
        let mut index: HashMap<String, u32> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        for t in first {
            if index.contains_key(t) {
                continue; // a literal "<s>" in the text is the symbol itself
            }
            if cfg.unk && counts.get(t).copied().unwrap_or(0) < cfg.min_count {
                continue;
            }
            index.insert(t.to_string(), tokens.len() as u32);
            tokens.push(t.to_string());
        }
        if tokens.len() >= (1usize << ID_BITS) {
            return Err(CoreError::invalid("vocabulary", "too many distinct tokens"));
        }
        let v_size = tokens.len() - 1 - usize::from(!cfg.unk); // minus <s>, and <unk> when off
        let mut m = NgramModel {
            cfg: cfg.clone(),
            tokens,
            index,
            contexts: Vec::new(),
            v_size,
            train_tokens: 0,
        };
        let mut flat: Vec<HashMap<u128, u64>> = vec![HashMap::new(); cfg.n];
        for s in &seqs {
            let ids = m.encode_padded(s);
            for p in cfg.n - 1..ids.len() {
                if ids[p] == UNK_ID && !cfg.unk {
                    continue; // cannot happen: without unk every training token is in V
                }
                m.train_tokens += 1;
                for (om, map) in flat.iter_mut().enumerate() {
                    // order om + 1: context ids[p − om .. p], target ids[p]
                    *map.entry(pack(&ids[p - om..=p])).or_insert(0) += 1;
                }
            }
        }
        m.contexts = flat
            .into_iter()
            .map(|map| {
                let mut ctx: HashMap<u128, Context> = HashMap::new();
                for (key, c) in map {
                    let target = (key & ((1u128 << ID_BITS) - 1)) as u32;
                    let e = ctx.entry(key >> ID_BITS).or_default();
                    e.total += c;
                    e.next.push((target, c));
                }
                for e in ctx.values_mut() {
                    e.next.sort_unstable();
                }
                ctx
            })
            .collect();
        Ok(m)
    }

    /// The configuration.
    pub fn config(&self) -> &NgramConfig {
        &self.cfg
    }

    /// |V|: the number of predictable tokens (including `</s>`, and `<unk>` when on).
    pub fn vocab_size(&self) -> usize {
        self.v_size
    }

    /// Predicted training tokens (including one `</s>` per sequence).
    pub fn training_tokens(&self) -> usize {
        self.train_tokens
    }

    /// Distinct m-grams for m = 1 … n (the storage cost by order).
    pub fn distinct_ngrams(&self) -> Vec<usize> {
        self.contexts
            .iter()
            .map(|c| c.values().map(|e| e.next.len()).sum())
            .collect()
    }

    /// The id of a token for scoring: itself, or `<unk>` when unknown and `unk` is on.
    fn id_of(&self, t: &str) -> Option<u32> {
        match self.index.get(t) {
            Some(&i) => Some(i),
            None if self.cfg.unk => Some(UNK_ID),
            None => None,
        }
    }

    /// `<s>`×(n−1), the sequence's ids (unknown → `<unk>`, or u32::MAX without unk), `</s>`.
    fn encode_padded(&self, s: &[String]) -> Vec<u32> {
        let mut ids = vec![BOS_ID; self.cfg.n - 1];
        ids.extend(s.iter().map(|t| self.id_of(t).unwrap_or(u32::MAX)));
        ids.push(EOS_ID);
        ids
    }

    /// c(tokens) for an m-gram given as tokens (m ≤ n); unknown tokens give 0.
    pub fn count(&self, ngram: &[&str]) -> u64 {
        let m = ngram.len();
        if m == 0 || m > self.cfg.n {
            return 0;
        }
        let Some(ids) = ngram
            .iter()
            .map(|t| self.index.get(*t).copied())
            .collect::<Option<Vec<u32>>>()
        else {
            return 0;
        };
        self.contexts[m - 1]
            .get(&pack(&ids[..m - 1]))
            .map(|c| c.count(ids[m - 1]))
            .unwrap_or(0)
    }

    /// The context level used for `ctx` (ids): the longest suffix with counts when backing off.
    /// Returns (start offset into ctx, context) or `None` when there is no distribution.
    fn level<'a>(&'a self, ctx: &[u32]) -> Option<(usize, Option<&'a Context>)> {
        let mut start = 0;
        loop {
            let c = &ctx[start..];
            if let Some(e) = self.contexts[c.len()].get(&pack(c)) {
                if e.total > 0 {
                    return Some((start, Some(e)));
                }
            }
            if self.cfg.backoff && start < ctx.len() {
                start += 1;
                continue;
            }
            // Unseen context: uniform with add-k, undefined without.
            return (self.cfg.k > 0.0).then_some((start, None));
        }
    }

    fn prob_ids(&self, ctx: &[u32], w: u32) -> Option<f64> {
        let (_, e) = self.level(ctx)?;
        let k = self.cfg.k;
        let v = self.v_size as f64;
        let (c, total) = e.map(|e| (e.count(w), e.total)).unwrap_or((0, 0));
        Some((c as f64 + k) / (total as f64 + k * v))
    }

    /// Tokenises a context string the way training text is tokenised, keeping the last n − 1.
    pub fn context_tokens(&self, context: &str) -> Vec<String> {
        let cfg = NgramConfig {
            boundaries: Boundaries::None,
            ..self.cfg.clone()
        };
        let mut t: Vec<String> = sequences(context, &cfg).into_iter().flatten().collect();
        let keep = self.cfg.n - 1;
        if t.len() > keep {
            t.drain(..t.len() - keep);
        }
        t
    }

    fn context_ids(&self, ctx: &[String]) -> Vec<u32> {
        ctx.iter()
            .map(|t| self.id_of(t).unwrap_or(UNK_ID))
            .collect()
    }

    /// P(w | context) with the configured smoothing and backoff; `context` is text (its last n − 1
    /// tokens are used; `"<s>"` may be written to mean the start of a sequence). `None` when the
    /// context has no distribution.
    pub fn prob(&self, context: &[&str], w: &str) -> Option<f64> {
        let mut ctx: Vec<String> = context.iter().map(|s| s.to_string()).collect();
        let keep = self.cfg.n - 1;
        if ctx.len() > keep {
            ctx.drain(..ctx.len() - keep);
        }
        let ids = self.context_ids(&ctx);
        let wid = match self.index.get(w) {
            // <s> is never predicted; <unk> is not in V when `unk` is off.
            Some(&i) if i == BOS_ID || (i == UNK_ID && !self.cfg.unk) => return Some(0.0),
            Some(&i) => i,
            None if self.cfg.unk => UNK_ID,
            None => return Some(0.0),
        };
        self.prob_ids(&ids, wid)
    }

    /// The whole distribution P(· | context) over V, in id order with the token names
    /// (for normalisation checks and small displays).
    pub fn distribution(&self, context: &[&str]) -> Option<Vec<(String, f64)>> {
        let ctx: Vec<String> = context.iter().map(|s| s.to_string()).collect();
        let ids = self.context_ids(&ctx);
        let ids = &ids[ids.len().saturating_sub(self.cfg.n - 1)..];
        self.level(ids)?;
        Some(
            (1..self.tokens.len() as u32)
                .filter(|&i| self.cfg.unk || i != UNK_ID)
                .map(|i| {
                    (
                        self.tokens[i as usize].clone(),
                        self.prob_ids(ids, i).unwrap_or(0.0),
                    )
                })
                .collect(),
        )
    }

    /// The conditional table for a typed context (tokenised like the training text).
    pub fn conditional(&self, context: &str, top: usize) -> Result<ConditionalTable> {
        let requested = self.context_tokens(context);
        let ids = self.context_ids(&requested);
        let Some((start, e)) = self.level(&ids) else {
            return Err(CoreError::invalid(
                "context",
                format!(
                    "\"{}\" was never seen in the training text, so P(w | context) = 0/0; turn on \
                     backoff or smoothing",
                    requested.join(" ")
                ),
            ));
        };
        let used: Vec<String> = ids[start..]
            .iter()
            .map(|&i| self.tokens[i as usize].clone())
            .collect();
        let (total, conts) = match e {
            Some(e) => (
                e.total,
                e.next
                    .iter()
                    .map(|&(w, c)| (self.tokens[w as usize].clone(), c))
                    .collect::<Vec<_>>(),
            ),
            None => (0, Vec::new()),
        };
        let k = self.cfg.k;
        let mut t = ConditionalTable::from_counts(
            &used,
            total,
            &conts,
            k,
            (k > 0.0).then_some(self.v_size),
            top,
        )?;
        t.vocab_size = Some(self.v_size);
        t.requested = requested.clone();
        t.backed_off = start > 0;
        if start > 0 {
            t.notes.push(format!(
                "\"{}\" never appeared as a context, so the model backs off to \"{}\" ({}-gram counts).",
                requested.join(" "),
                used.join(" "),
                used.len() + 1
            ));
        }
        if e.is_none() {
            t.notes.push(format!(
                "Unseen context: add-k smoothing gives every one of the {} tokens probability 1/{}.",
                self.v_size, self.v_size
            ));
        }
        if requested.iter().any(|w| !self.index.contains_key(w)) && self.cfg.unk {
            t.notes
                .push("Words never seen in training are read as <unk>.".to_string());
        }
        Ok(t)
    }

    /// Samples up to `max_tokens` tokens after `prompt` (seeded), stopping at `</s>`.
    pub fn generate(&self, prompt: &str, max_tokens: usize, seed: u64) -> Result<Generated> {
        if max_tokens > 10_000 {
            return Err(CoreError::invalid("max_tokens", "at most 10000"));
        }
        let prompt_toks = self.context_tokens_all(prompt);
        let mut ctx: Vec<u32> = vec![BOS_ID; self.cfg.n - 1];
        ctx.extend(self.context_ids(&prompt_toks));
        let mut rng = Rng::new(seed);
        let mut out = Vec::new();
        let mut ended = false;
        let k = self.cfg.k;
        for _ in 0..max_tokens {
            let c = &ctx[ctx.len() - (self.cfg.n - 1)..];
            let Some((_, e)) = self.level(c) else {
                break; // no distribution: stop (the UI shows why via `conditional`)
            };
            let total = e.map(|e| e.total).unwrap_or(0) as f64;
            // P(w) = (c(w) + k)/(total + kV): with probability total/(total + kV) draw from the
            // counts, otherwise uniformly from V — an exact mixture, O(#continuations).
            let u = rng.next_f64() * (total + k * self.v_size as f64);
            let w = if u < total {
                let mut left = u;
                let mut pick = EOS_ID;
                if let Some(e) = e {
                    for &(w, c) in &e.next {
                        if left < c as f64 {
                            pick = w;
                            break;
                        }
                        left -= c as f64;
                        pick = w;
                    }
                }
                pick
            } else {
                let r = rng.below(self.v_size) as u32;
                // V = ids 1.. (</s>, <unk>?, words); skip <unk> when it is not in V.
                if self.cfg.unk || r < UNK_ID - 1 {
                    r + 1
                } else {
                    r + 2
                }
            };
            if w == EOS_ID {
                ended = true;
                break;
            }
            out.push(self.tokens[w as usize].clone());
            ctx.push(w);
        }
        let joiner = match self.cfg.unit {
            NgramUnit::Word => " ",
            NgramUnit::Char => "",
        };
        let all: Vec<String> = prompt_toks.iter().chain(&out).cloned().collect();
        Ok(Generated {
            text: all.join(joiner),
            tokens: out,
            ended,
        })
    }

    fn context_tokens_all(&self, text: &str) -> Vec<String> {
        let cfg = NgramConfig {
            boundaries: Boundaries::None,
            ..self.cfg.clone()
        };
        sequences(text, &cfg).into_iter().flatten().collect()
    }

    /// Perplexity of held-out text (see the module docs).
    pub fn perplexity(&self, heldout: &str) -> Result<PerplexityReport> {
        let seqs = sequences(heldout, &self.cfg);
        if seqs.is_empty() {
            return Err(CoreError::empty("held-out text (no tokens)"));
        }
        let n = self.cfg.n;
        let (mut tokens, mut unknown, mut zero, mut undefined) = (0, 0, 0, 0);
        let mut ll = 0.0;
        for s in &seqs {
            unknown += s.iter().filter(|t| !self.index.contains_key(*t)).count();
            let ids = self.encode_padded(s);
            for p in n - 1..ids.len() {
                tokens += 1;
                if ids[p] == u32::MAX {
                    zero += 1; // unknown word without <unk>: not in V
                    continue;
                }
                let ctx: Vec<u32> = ids[p + 1 - n..p]
                    .iter()
                    .map(|&i| if i == u32::MAX { UNK_ID } else { i })
                    .collect();
                match self.prob_ids(&ctx, ids[p]) {
                    None => undefined += 1,
                    Some(pr) if pr > 0.0 => ll += pr.ln(),
                    Some(_) => zero += 1,
                }
            }
        }
        let finite = zero == 0 && undefined == 0;
        let pp = finite.then(|| (-ll / tokens as f64).exp());
        let note = (!finite).then(|| {
            format!(
                "Perplexity is infinite: {zero} token(s) had probability 0 and {undefined} had a \
                 context never seen (with no backoff or smoothing). Add-k smoothing gives unseen \
                 events a small probability."
            )
        });
        Ok(PerplexityReport {
            tokens,
            unknown,
            zero_probability: zero,
            undefined,
            log_likelihood: ll,
            perplexity: pp,
            bits_per_token: pp.map(f64::log2),
            note,
        })
    }

    /// For each order m = 1 … n: distinct training m-grams, and how many held-out m-grams (one per
    /// predicted held-out token, context padded with `<s>`) never occur in training.
    pub fn sparsity(&self, heldout: &str) -> Result<Vec<SparsityPoint>> {
        let seqs = sequences(heldout, &self.cfg);
        if seqs.is_empty() {
            return Err(CoreError::empty("held-out text (no tokens)"));
        }
        let n = self.cfg.n;
        let distinct = self.distinct_ngrams();
        let mut heldout_n = 0;
        let mut unseen = vec![0usize; n];
        for s in &seqs {
            let ids = self.encode_padded(s);
            for p in n - 1..ids.len() {
                heldout_n += 1;
                for (om, u) in unseen.iter_mut().enumerate() {
                    let g = &ids[p - om..=p];
                    let seen = !g.contains(&u32::MAX)
                        && self.contexts[om]
                            .get(&pack(&g[..om]))
                            .is_some_and(|c| c.count(g[om]) > 0);
                    if !seen {
                        *u += 1;
                    }
                }
            }
        }
        Ok((0..n)
            .map(|om| SparsityPoint {
                n: om + 1,
                distinct: distinct[om],
                heldout: heldout_n,
                unseen: unseen[om],
                unseen_share: unseen[om] as f64 / heldout_n as f64,
            })
            .collect())
    }
}

/// Splits text by lines into (training, held-out): the last `heldout_share` of the non-empty lines
/// are held out (0 < share < 1; at least one line each). Errors with fewer than two lines.
pub fn split_lines(text: &str, heldout_share: f64) -> Result<(String, String)> {
    if !(heldout_share.is_finite() && heldout_share > 0.0 && heldout_share < 1.0) {
        return Err(CoreError::invalid(
            "held-out share",
            "must be between 0 and 1",
        ));
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() < 2 {
        return Err(CoreError::invalid(
            "text",
            "needs at least two non-empty lines to split",
        ));
    }
    let h = ((lines.len() as f64 * heldout_share).round() as usize).clamp(1, lines.len() - 1);
    let cut = lines.len() - h;
    Ok((lines[..cut].join("\n"), lines[cut..].join("\n")))
}
