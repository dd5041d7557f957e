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
    /// The whole text is one sequence and every line break is a `"\n"` token, nothing trimmed:
    /// a character model then predicts exactly the characters a character RNN predicts.
    Text,
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
///
/// This is [`SequenceSplitter`] fed the whole text at once, so feeding a text in pieces (as
/// [`NgramTrainer`] does) cuts it exactly the same way.
pub fn sequences(text: &str, cfg: &NgramConfig) -> Vec<Vec<String>> {
    let mut out = Collect::default();
    let mut s = SequenceSplitter::new(cfg);
    s.feed(text, &mut out);
    s.finish(&mut out);
    out.seqs
}

/// Receives the output of a [`SequenceSplitter`] token by token.
pub trait SequenceSink {
    /// The next token of the current sequence.
    fn token(&mut self, t: String);
    /// The current sequence is complete (never called for an empty sequence).
    fn end(&mut self);
}

/// Collects whole sequences (what [`sequences`] returns).
#[derive(Default)]
struct Collect {
    seqs: Vec<Vec<String>>,
    cur: Vec<String>,
}

impl SequenceSink for Collect {
    fn token(&mut self, t: String) {
        self.cur.push(t);
    }
    fn end(&mut self) {
        self.seqs.push(std::mem::take(&mut self.cur));
    }
}

/// Cuts a text into sequences piece by piece, so a long corpus can be tokenised a little at a time
/// (the browser counts tiny-shakespeare between animation frames).
///
/// Feed it consecutive pieces of one text, each ending right after a line break (`'\n'`) except
/// possibly the last, then call [`SequenceSplitter::finish`]. The rules, per [`Boundaries`]:
///
/// * `Lines`: every non-empty line is a sequence (character units drop spaces at its two ends).
/// * `None`: the whole text is one sequence, line breaks read as spaces (character units drop
///   spaces at the two ends of the text).
/// * `Sentences`: the text with line breaks read as spaces, cut after `.`, `!`, `?` (and CJK
///   forms); character units drop spaces at the start of each sentence and at the end of the text;
///   with `keep_punctuation` off, punctuation is removed after cutting and empty sentences vanish.
/// * `Text`: the whole text is one sequence and every line break is a `"\n"` token; nothing is
///   trimmed, so a character model sees exactly the characters of the text (`\r` and other control
///   characters excepted) — the same stream a character RNN reads.
#[derive(Clone, Debug)]
pub struct SequenceSplitter {
    unit: NgramUnit,
    boundaries: Boundaries,
    lowercase: bool,
    keep_punctuation: bool,
    started: bool,         // None/Text: the single sequence has a token
    pending_spaces: usize, // None (chars): spaces held back until a non-space follows
    cur: Vec<String>,      // Sentences: the sentence being built
}

impl SequenceSplitter {
    /// A splitter with the tokenisation settings of `cfg`.
    pub fn new(cfg: &NgramConfig) -> Self {
        SequenceSplitter {
            unit: cfg.unit,
            boundaries: cfg.boundaries,
            lowercase: cfg.lowercase,
            keep_punctuation: cfg.keep_punctuation,
            started: false,
            pending_spaces: 0,
            cur: Vec::new(),
        }
    }

    /// Word or character tokens of `s`, untrimmed.
    fn raw(&self, s: &str) -> Vec<String> {
        match self.unit {
            NgramUnit::Word => words(
                s,
                &TokenizerConfig {
                    lowercase: self.lowercase,
                    keep_punctuation: self.keep_punctuation
                        || self.boundaries == Boundaries::Sentences,
                },
            ),
            NgramUnit::Char => chars(s, self.lowercase),
        }
    }

    /// Feeds the next piece of the text (see the type docs for where pieces may end).
    pub fn feed(&mut self, piece: &str, sink: &mut impl SequenceSink) {
        match self.boundaries {
            Boundaries::Lines => {
                for line in piece.lines() {
                    let mut t = self.raw(line);
                    if self.unit == NgramUnit::Char {
                        // Leading/trailing spaces carry no information at a sequence edge.
                        let lead = t.iter().take_while(|x| *x == " ").count();
                        t.drain(..lead);
                        while t.last().is_some_and(|x| x == " ") {
                            t.pop();
                        }
                    }
                    if !t.is_empty() {
                        for x in t {
                            sink.token(x);
                        }
                        sink.end();
                    }
                }
            }
            Boundaries::None => {
                for t in self.raw(&piece.replace(['\n', '\r'], " ")) {
                    if self.unit == NgramUnit::Char && t == " " {
                        if self.started {
                            self.pending_spaces += 1;
                        }
                        continue;
                    }
                    for _ in 0..std::mem::take(&mut self.pending_spaces) {
                        sink.token(" ".to_string());
                    }
                    sink.token(t);
                    self.started = true;
                }
            }
            Boundaries::Sentences => {
                for t in self.raw(&piece.replace(['\n', '\r'], " ")) {
                    let end = is_sentence_end(&t);
                    if !(self.unit == NgramUnit::Char && self.cur.is_empty() && t == " ") {
                        self.cur.push(t);
                    }
                    if end {
                        self.emit_sentence(sink);
                    }
                }
            }
            Boundaries::Text => {
                for seg in piece.split_inclusive('\n') {
                    let (body, newline) = match seg.strip_suffix('\n') {
                        Some(b) => (b, true),
                        None => (seg, false),
                    };
                    for t in self.raw(body) {
                        sink.token(t);
                        self.started = true;
                    }
                    if newline {
                        sink.token("\n".to_string());
                        self.started = true;
                    }
                }
            }
        }
    }

    fn emit_sentence(&mut self, sink: &mut impl SequenceSink) {
        let mut s = std::mem::take(&mut self.cur);
        if self.unit == NgramUnit::Word && !self.keep_punctuation {
            s.retain(|t| !super::tokenize::is_punctuation(t));
        }
        if !s.is_empty() {
            for t in s {
                sink.token(t);
            }
            sink.end();
        }
    }

    /// Ends the text: closes the last sequence (dropping held-back trailing spaces).
    pub fn finish(&mut self, sink: &mut impl SequenceSink) {
        match self.boundaries {
            Boundaries::Lines => {}
            Boundaries::None | Boundaries::Text => {
                self.pending_spaces = 0;
                if std::mem::take(&mut self.started) {
                    sink.end();
                }
            }
            Boundaries::Sentences => {
                if self.unit == NgramUnit::Char {
                    while self.cur.last().is_some_and(|t| t == " ") {
                        self.cur.pop();
                    }
                }
                if !self.cur.is_empty() {
                    self.emit_sentence(sink);
                }
            }
        }
    }
}

/// The end (exclusive byte offset) of the piece of `text` that starts at `start` and holds at most
/// about `max_bytes`: just after the last line break in that window, or the end of the text. A line
/// longer than the window is taken whole. Pieces cut this way are what [`SequenceSplitter::feed`]
/// and [`NgramTrainer`] expect.
pub fn piece_end(text: &str, start: usize, max_bytes: usize) -> usize {
    let len = text.len();
    if start >= len {
        return len;
    }
    let mut limit = start.saturating_add(max_bytes.max(1)).min(len);
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    if limit == len {
        return len;
    }
    match text[start..limit].rfind('\n') {
        Some(i) => start + i + 1,
        None => match text[limit..].find('\n') {
            Some(i) => limit + i + 1,
            None => len,
        },
    }
}

#[derive(Clone, Debug, Default)]
struct Context {
    total: u64,
    next: Vec<(u32, u64)>, // (token id, count) sorted by id
}

impl Context {
    fn add(&mut self, w: u32) {
        self.total += 1;
        match self.next.binary_search_by_key(&w, |p| p.0) {
            Ok(i) => self.next[i].1 += 1,
            Err(i) => self.next.insert(i, (w, 1)),
        }
    }

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
    /// Counts all m-grams (m = 1 … n) of `text` in one go (an [`NgramTrainer`] run to the end).
    pub fn train(text: &str, cfg: &NgramConfig) -> Result<NgramModel> {
        NgramTrainer::new(text.to_string(), cfg)?.run()
    }

    /// The highest order counted (the `n` the model was trained with); [`NgramModel::set_query`]
    /// can use any order up to it.
    pub fn max_order(&self) -> usize {
        self.contexts.len()
    }

    /// Changes the options that only matter when the model is asked something: the order `n`
    /// (1 ≤ n ≤ [`NgramModel::max_order`]), add-k's `k` and backoff. No recounting is needed: the
    /// m-gram counts for m ≤ n do not depend on how far the training text was padded (n − 1 `<s>`
    /// give every window of m ≤ n tokens that m − 1 would), so a model counted once with n = 5
    /// answers exactly like one counted with n = 2.
    pub fn set_query(&mut self, n: usize, k: f64, backoff: bool) -> Result<()> {
        let trial = NgramConfig {
            n,
            k,
            backoff,
            ..self.cfg.clone()
        };
        trial.validate()?;
        if n > self.max_order() {
            return Err(CoreError::invalid(
                "n",
                format!(
                    "this model counted n-grams up to n = {}; count again for a higher order",
                    self.max_order()
                ),
            ));
        }
        self.cfg = trial;
        Ok(())
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
            .take(self.cfg.n)
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

/// Splits text by characters into (training, held-out): the last ⌊len · `heldout_share`⌋
/// characters (Unicode scalar values) are held out — exactly the split of
/// [`crate::core::train::data::Corpus::build`], so a character n-gram model and the character RNN
/// trained on the first part are scored on the same held-out characters.
/// Errors when the share is outside [0, 0.5] or a part would be empty.
pub fn split_chars(text: &str, heldout_share: f64) -> Result<(String, String)> {
    if !(heldout_share.is_finite() && (0.0..=0.5).contains(&heldout_share)) {
        return Err(CoreError::invalid(
            "held-out share",
            "must be between 0 and 0.5",
        ));
    }
    let len = text.chars().count();
    let held = ((len as f64) * heldout_share).floor() as usize;
    if held == 0 || held == len {
        return Err(CoreError::invalid(
            "text",
            "too short to hold out a part of it",
        ));
    }
    let cut = text
        .char_indices()
        .nth(len - held)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    Ok((text[..cut].to_string(), text[cut..].to_string()))
}

/// Where an [`NgramTrainer`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrainPhase {
    /// Cutting the text into tokens and counting each token type.
    Tokenizing,
    /// Counting the m-grams.
    Counting,
    /// Finished: [`NgramTrainer::into_model`] returns the model at once.
    Done,
}

/// Progress of an [`NgramTrainer`] (small and serialisable, for a progress bar).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainProgress {
    /// The current phase.
    pub phase: TrainPhase,
    /// Bytes of the text tokenised so far.
    pub bytes_done: usize,
    /// Bytes of the text.
    pub bytes_total: usize,
    /// Tokens whose m-grams are counted so far.
    pub tokens_done: usize,
    /// Tokens to count (known once tokenising is over; 0 before).
    pub tokens_total: usize,
    /// Overall share done, 0 to 1 (tokenising weighs 40 %, counting 60 %).
    pub fraction: f64,
}

/// Provisional vocabulary of the tokenising phase: token types in order of first appearance.
#[derive(Default)]
struct Provisional {
    words: Vec<String>,
    index: HashMap<String, u32>,
    counts: Vec<u64>,
    seqs: Vec<Vec<u32>>,
    cur: Vec<u32>,
    total: usize,
}

impl SequenceSink for Provisional {
    fn token(&mut self, t: String) {
        let id = match self.index.get(&t) {
            Some(&i) => i,
            None => {
                let i = self.words.len() as u32;
                self.words.push(t.clone());
                self.index.insert(t, i);
                self.counts.push(0);
                i
            }
        };
        self.counts[id as usize] += 1;
        self.cur.push(id);
        self.total += 1;
    }
    fn end(&mut self) {
        self.seqs.push(std::mem::take(&mut self.cur));
    }
}

/// Counts an n-gram model a little at a time, so a browser can count tiny-shakespeare between
/// animation frames with a progress bar and a cancel button. [`NgramModel::train`] is this run to
/// the end, so both give the same model.
///
/// ```
/// use rnn_lab::core::nlp::ngram::{NgramConfig, NgramTrainer, TrainPhase};
/// let mut t = NgramTrainer::new("a b a\na c\n".into(), &NgramConfig::default()).unwrap();
/// while t.step(4).unwrap().phase != TrainPhase::Done {}
/// let m = t.into_model().unwrap();
/// assert_eq!(m.count(&["a"]), 3);
/// ```
pub struct NgramTrainer {
    text: String,
    pos: usize,
    splitter: SequenceSplitter,
    prov: Provisional,
    model: Option<NgramModel>,
    remap: Vec<u32>, // provisional id → model id
    seq: usize,      // counting: current sequence
    at: usize,       // counting: next position in the padded sequence
    counted: usize,
}

impl NgramTrainer {
    /// A trainer for `text` with `cfg` (validated now; the text is only read by [`Self::step`]).
    pub fn new(text: String, cfg: &NgramConfig) -> Result<NgramTrainer> {
        cfg.validate()?;
        Ok(NgramTrainer {
            text,
            pos: 0,
            splitter: SequenceSplitter::new(cfg),
            prov: Provisional::default(),
            model: Some(NgramModel {
                cfg: cfg.clone(),
                tokens: Vec::new(),
                index: HashMap::new(),
                contexts: vec![HashMap::new(); cfg.n],
                v_size: 0,
                train_tokens: 0,
            }),
            remap: Vec::new(),
            seq: 0,
            at: 0,
            counted: 0,
        })
    }

    fn phase(&self) -> TrainPhase {
        if self.pos < self.text.len() || self.remap.is_empty() {
            TrainPhase::Tokenizing
        } else if self.seq < self.prov.seqs.len() {
            TrainPhase::Counting
        } else {
            TrainPhase::Done
        }
    }

    /// The progress so far.
    pub fn progress(&self) -> TrainProgress {
        let phase = self.phase();
        let bytes_total = self.text.len();
        let tokens_total = if phase == TrainPhase::Tokenizing {
            0
        } else {
            self.prov.total + self.prov.seqs.len()
        };
        let fraction = match phase {
            TrainPhase::Tokenizing => 0.4 * self.pos as f64 / bytes_total.max(1) as f64,
            TrainPhase::Counting => 0.4 + 0.6 * self.counted as f64 / tokens_total.max(1) as f64,
            TrainPhase::Done => 1.0,
        };
        TrainProgress {
            phase,
            bytes_done: self.pos,
            bytes_total,
            tokens_done: self.counted,
            tokens_total,
            fraction,
        }
    }

    /// Does about `budget` units of work (bytes while tokenising, tokens while counting) and
    /// returns the progress. Errors (no tokens, too many tokens or token types) end the run.
    pub fn step(&mut self, budget: usize) -> Result<TrainProgress> {
        let budget = budget.max(1);
        if self.phase() == TrainPhase::Tokenizing {
            let end = piece_end(&self.text, self.pos, budget);
            let piece = &self.text[self.pos..end];
            self.splitter.feed(piece, &mut self.prov);
            self.pos = end;
            if self.prov.total > MAX_TOKENS {
                return Err(CoreError::invalid(
                    "training text",
                    format!("at most {MAX_TOKENS} tokens"),
                ));
            }
            if self.pos >= self.text.len() {
                self.splitter.finish(&mut self.prov);
                self.build_vocabulary()?;
            }
            return Ok(self.progress());
        }
        let Some(m) = self.model.as_mut() else {
            return Ok(self.progress());
        };
        let n = m.cfg.n;
        let unk = m.cfg.unk;
        let mut left = budget;
        while left > 0 && self.seq < self.prov.seqs.len() {
            let s = &self.prov.seqs[self.seq];
            let padded = s.len() + n; // (n − 1) × <s>, the tokens, </s>
            if self.at < n - 1 {
                self.at = n - 1;
            }
            let id_at = |p: usize| -> u32 {
                if p < n - 1 {
                    BOS_ID
                } else if p - (n - 1) < s.len() {
                    self.remap[s[p - (n - 1)] as usize]
                } else {
                    EOS_ID
                }
            };
            let stop = self.at.saturating_add(left).min(padded);
            let mut window = [0u32; MAX_N];
            for p in self.at..stop {
                let target = id_at(p);
                if target == UNK_ID && !unk {
                    continue; // a literal "<unk>" in the text while <unk> is not in V
                }
                m.train_tokens += 1;
                for (k, w) in window.iter_mut().enumerate().take(n) {
                    *w = id_at(p + k + 1 - n);
                }
                for (om, ctxs) in m.contexts.iter_mut().enumerate() {
                    // order om + 1: context = the om ids before the target
                    let g = &window[n - 1 - om..n];
                    ctxs.entry(pack(&g[..om])).or_default().add(target);
                }
            }
            left -= stop - self.at;
            self.counted += stop - self.at;
            self.at = stop;
            if self.at >= padded {
                self.seq += 1;
                self.at = 0;
            }
        }
        Ok(self.progress())
    }

    /// Specials first, then token types in order of first appearance (rare ones become `<unk>`
    /// when `unk` is on).
    fn build_vocabulary(&mut self) -> Result<()> {
        let Some(m) = self.model.as_mut() else {
            return Ok(());
        };
        if self.prov.total == 0 {
            return Err(CoreError::empty("training text (no tokens)"));
        }
        let cfg = &m.cfg;
        let mut tokens: Vec<String> = vec![BOS.into(), EOS.into(), UNK.into()];
        let mut index: HashMap<String, u32> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let mut remap = Vec::with_capacity(self.prov.words.len());
        for (w, &c) in self.prov.words.iter().zip(&self.prov.counts) {
            let id = if let Some(&i) = index.get(w) {
                i // a literal "<s>" in the text is the symbol itself
            } else if cfg.unk && c < cfg.min_count {
                UNK_ID
            } else {
                let i = tokens.len() as u32;
                index.insert(w.clone(), i);
                tokens.push(w.clone());
                i
            };
            remap.push(id);
        }
        if tokens.len() >= (1usize << ID_BITS) {
            return Err(CoreError::invalid("vocabulary", "too many distinct tokens"));
        }
        m.v_size = tokens.len() - 1 - usize::from(!cfg.unk); // minus <s>, and <unk> when off
        m.tokens = tokens;
        m.index = index;
        self.remap = remap;
        self.prov.words = Vec::new();
        self.prov.index = HashMap::new();
        Ok(())
    }

    /// True when counting is over.
    pub fn is_done(&self) -> bool {
        self.phase() == TrainPhase::Done
    }

    /// Runs to the end and returns the model.
    pub fn run(mut self) -> Result<NgramModel> {
        while !self.is_done() {
            self.step(usize::MAX)?;
        }
        self.into_model()
    }

    /// The model (finishing any remaining work first).
    pub fn into_model(mut self) -> Result<NgramModel> {
        while !self.is_done() {
            self.step(1 << 20)?;
        }
        self.model
            .take()
            .ok_or_else(|| CoreError::invalid("n-gram trainer", "the model was already taken"))
    }
}
