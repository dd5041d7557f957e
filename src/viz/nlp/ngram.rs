//! Widget `ngram`: n-gram language models counted from a corpus (tiny-shakespeare, Korean
//! sentences, or the user's text), n = 1…5: the table P(w | context) for a typed context (the
//! lecture's "students opened their" with 1000 / 400 / 100 as a preset), sparsity and storage by n,
//! add-k smoothing and backoff, generation, held-out perplexity — and, on the same held-out
//! characters, a character n-gram against the character LSTM of the training lab. The models are
//! [`crate::core::nlp::ngram`] and [`crate::core::nlp::rnn_lm`].
//!
//! Per-character perplexities of two models are comparable when they predict the same characters;
//! a per-word perplexity is not comparable with a per-character one.

use super::charts::{draw_bars, BarChart, BarValue};
use super::check_len;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::nlp::ngram::{
    split_chars, split_lines, Boundaries, ConditionalTable, Generated, NgramConfig, NgramModel,
    NgramTrainer, NgramUnit, PerplexityReport, SparsityPoint, TrainPhase, TrainProgress,
};
use crate::core::nlp::rnn_lm::{CharLmScorer, LmScore};
use crate::core::rnn::format::from_json;
use crate::viz::{axis_label, palette, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Which text the model is counted from (URL values `shakespeare`, `korean`, `custom`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NgramCorpus {
    /// tiny-shakespeare (`data/corpora/tinyshakespeare.txt`).
    #[default]
    Shakespeare,
    /// The Korean lines of the lecture's toy corpus (`data/lecture/sentences.txt`).
    Korean,
    /// The widget's `text` field.
    Custom,
}

impl NgramCorpus {
    /// The file under the repository root (`None` for the typed text).
    pub fn path(self) -> Option<&'static str> {
        match self {
            NgramCorpus::Shakespeare => Some("data/corpora/tinyshakespeare.txt"),
            NgramCorpus::Korean => Some("data/lecture/sentences.txt"),
            NgramCorpus::Custom => None,
        }
    }
}

/// The character LSTM of the training lab (trained on the first 90 % of tiny-shakespeare).
pub const LSTM_PATH: &str = "data/models/shakespeare-char-lstm.json";
/// Held-out characters of tiny-shakespeare (the last 10 %: ⌊1 115 394 × 0.1⌋).
pub const HELDOUT_CHARS: u32 = 111_539;
/// Most characters of the typed text (it travels in the URL).
pub const MAX_TEXT: usize = 20_000;

/// Settings of the `ngram` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NgramWidgetConfig {
    /// The corpus. Default tiny-shakespeare.
    pub corpus: NgramCorpus,
    /// The typed corpus (used when `corpus` is `custom`; ≤ 20 000 characters; one sequence per
    /// line, the last 10 % of lines held out). Default empty.
    pub text: String,
    /// `word` or `char` tokens. Default word.
    pub unit: NgramUnit,
    /// The order n, 1–5. Default 3.
    pub n: usize,
    /// k of add-k smoothing, 0–10 (0 = maximum likelihood, the lecture's table). Default 0.
    pub k: f64,
    /// Back off to shorter contexts never seen in training. Default on.
    pub backoff: bool,
    /// The context typed for P(w | context) and as the generation prompt. Default
    /// "students opened their" (the lecture's).
    pub context: String,
    /// Tokens to generate, 5–300. Default 30.
    pub length: usize,
    /// Seed of the generator. Default 1.
    pub seed: u32,
    /// k of the character n-grams in the comparison with the LSTM, 0.0001–10. Default 0.01.
    pub cmp_k: f64,
    /// Held-out characters scored in the comparison (the LSTM is slow), 1000–111 539.
    /// Default 10 000.
    pub cmp_chars: u32,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

impl Default for NgramWidgetConfig {
    fn default() -> Self {
        NgramWidgetConfig {
            corpus: NgramCorpus::Shakespeare,
            text: String::new(),
            unit: NgramUnit::Word,
            n: 3,
            k: 0.0,
            backoff: true,
            context: "students opened their".into(),
            length: 30,
            seed: 1,
            cmp_k: 0.01,
            cmp_chars: 10_000,
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for NgramWidgetConfig {
    fn validate(&self) -> Result<()> {
        check_len("text", &self.text, MAX_TEXT)?;
        check_len("context", &self.context, 200)?;
        let bad = |f: &str, why: &str| Err(CoreError::invalid(f, why));
        if !(1..=5).contains(&self.n) {
            return bad("n", "must be between 1 and 5");
        }
        if !(0.0..=10.0).contains(&self.k) {
            return bad("k", "must be between 0 and 10");
        }
        if !(5..=300).contains(&self.length) {
            return bad("length", "must be between 5 and 300");
        }
        if !(0.0001..=10.0).contains(&self.cmp_k) {
            return bad("cmp_k", "must be between 0.0001 and 10");
        }
        if !(1000..=HELDOUT_CHARS).contains(&self.cmp_chars) {
            return bad("cmp_chars", "must be between 1000 and 111539");
        }
        Ok(())
    }
}

impl NgramWidgetConfig {
    /// The counting configuration (counts up to n = 5 once; n, k and backoff are applied when
    /// asking, see [`NgramModel::set_query`]).
    pub fn counting(&self) -> NgramConfig {
        NgramConfig {
            n: 5,
            unit: self.unit,
            ..Default::default()
        }
    }
}

/// True for a line with at least one Hangul syllable or jamo.
pub fn has_hangul(line: &str) -> bool {
    line.chars().any(|c| {
        ('\u{AC00}'..='\u{D7A3}').contains(&c)
            || ('\u{1100}'..='\u{11FF}').contains(&c)
            || ('\u{3130}'..='\u{318F}').contains(&c)
    })
}

/// The corpus text for `cfg` from the fetched file (`file` is ignored for `custom`).
pub fn corpus_text(cfg: &NgramWidgetConfig, file: &str) -> String {
    match cfg.corpus {
        NgramCorpus::Shakespeare => file.to_string(),
        NgramCorpus::Korean => file
            .lines()
            .filter(|l| has_hangul(l))
            .collect::<Vec<_>>()
            .join("\n"),
        NgramCorpus::Custom => cfg.text.clone(),
    }
}

/// Facts about the counted corpus.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorpusInfo {
    /// |V| of the model.
    pub vocab: usize,
    /// Predicted training tokens.
    pub training_tokens: usize,
    /// Held-out lines (0 when the text has a single line).
    pub heldout_lines: usize,
}

/// A model counted from a corpus in steps, with its held-out text.
pub struct NgramSession {
    trainer: Option<NgramTrainer>,
    model: Option<NgramModel>,
    heldout: Option<String>,
    sparsity: Option<Vec<SparsityPoint>>,
    distinct: Vec<usize>, // distinct m-grams, m = 1 … 5
    last: TrainProgress,
}

impl NgramSession {
    /// Splits `text` (the last 10 % of lines held out; a one-line text is all training) and
    /// starts counting with the settings of `cfg`.
    pub fn new(cfg: &NgramWidgetConfig, text: &str) -> Result<NgramSession> {
        if text.trim().is_empty() {
            return Err(CoreError::invalid(
                "text",
                "the corpus is empty: type or paste some text",
            ));
        }
        let (train, heldout) = match split_lines(text, 0.1) {
            Ok((a, b)) => (a, Some(b)),
            Err(_) => (text.to_string(), None),
        };
        let trainer = NgramTrainer::new(train, &cfg.counting())?;
        Ok(NgramSession {
            last: trainer.progress(),
            trainer: Some(trainer),
            model: None,
            heldout,
            sparsity: None,
            distinct: Vec::new(),
        })
    }

    /// Counts about `budget` more units (see [`NgramTrainer::step`]); when done, computes the
    /// sparsity of every order on the held-out text and applies `cfg`'s n, k and backoff.
    pub fn step(&mut self, budget: usize, cfg: &NgramWidgetConfig) -> Result<TrainProgress> {
        if let Some(t) = self.trainer.as_mut() {
            if !t.is_done() {
                // The last count and the sparsity pass are separate calls (each takes a while).
                self.last = t.step(budget)?;
                if self.last.phase == TrainPhase::Done {
                    self.last.fraction = 0.95;
                }
                return Ok(self.last.clone());
            }
            if let Some(t) = self.trainer.take() {
                let mut m = t.into_model()?;
                self.distinct = m.distinct_ngrams();
                self.sparsity = match &self.heldout {
                    Some(h) => Some(m.sparsity(h)?),
                    None => None,
                };
                m.set_query(cfg.n, cfg.k, cfg.backoff)?;
                self.model = Some(m);
                self.last.fraction = 1.0;
            }
        }
        Ok(self.last.clone())
    }

    /// Applies n, k and backoff (no recounting).
    pub fn set_query(&mut self, cfg: &NgramWidgetConfig) -> Result<()> {
        match self.model.as_mut() {
            Some(m) => m.set_query(cfg.n, cfg.k, cfg.backoff),
            None => Ok(()),
        }
    }

    /// True when counting is over.
    pub fn ready(&self) -> bool {
        self.model.is_some()
    }

    fn model(&self) -> Result<&NgramModel> {
        self.model
            .as_ref()
            .ok_or_else(|| CoreError::invalid("model", "still counting"))
    }

    /// Vocabulary and sizes.
    pub fn info(&self) -> Result<CorpusInfo> {
        let m = self.model()?;
        Ok(CorpusInfo {
            vocab: m.vocab_size(),
            training_tokens: m.training_tokens(),
            heldout_lines: self.heldout.as_ref().map_or(0, |h| h.lines().count()),
        })
    }

    /// P(w | context) for the typed context, the 10 most likely continuations.
    pub fn conditional(&self, context: &str) -> Result<ConditionalTable> {
        self.model()?.conditional(context, 10)
    }

    /// Generates after the context (seeded).
    pub fn generate(&self, prompt: &str, length: usize, seed: u32) -> Result<Generated> {
        self.model()?.generate(prompt, length, u64::from(seed))
    }

    /// Perplexity of the held-out text (`None` without held-out lines).
    pub fn perplexity(&self) -> Result<Option<PerplexityReport>> {
        let m = self.model()?;
        match &self.heldout {
            Some(h) => Ok(Some(m.perplexity(h)?)),
            None => Ok(None),
        }
    }

    /// Sparsity and storage for n = 1 … 5 (`None` without held-out lines).
    pub fn sparsity(&self) -> Option<&[SparsityPoint]> {
        self.sparsity.as_deref()
    }

    /// Distinct m-grams counted, m = 1 … 5 (empty while counting).
    pub fn distinct(&self) -> &[usize] {
        &self.distinct
    }

    /// Draws the share of held-out n-grams never seen in training, by n.
    pub fn draw_sparsity<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lang: Lang,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        let pts = self.sparsity.clone().unwrap_or_default();
        let chart = BarChart {
            categories: order_names(lang),
            groups: vec![(
                lang.pick("처음 보는 n-gram 비율", "unseen n-grams").into(),
                palette::VERMILLION,
            )],
            values: (1..=5)
                .map(|n| {
                    vec![pts
                        .iter()
                        .find(|p| p.n == n)
                        .map_or(BarValue::Missing, |p| {
                            BarValue::Value(100.0 * p.unseen_share)
                        })]
                })
                .collect(),
            x_label: axis_label(lang.pick("차수 n", "order n"), Unit::Dimensionless, lang),
            y_label: axis_label(
                lang.pick("학습에 없던 검증 n-gram", "held-out n-grams never seen"),
                Unit::Named("%"),
                lang,
            ),
            y_log: false,
            y_range: Some((0.0, 100.0)),
            decimals: Some(1),
            empty_message: Some(waiting_text(lang, self.ready(), self.heldout.is_some())),
        };
        draw_bars(area, &chart, style)
    }

    /// Draws the number of distinct n-grams counted, by n (log scale).
    pub fn draw_storage<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lang: Lang,
        style: &ChartStyle,
    ) -> std::result::Result<ChartMapping, DrawError> {
        // Distinct n-grams are a property of the counts, held-out text or not.
        let distinct = &self.distinct;
        let chart = BarChart {
            categories: order_names(lang),
            groups: vec![(
                lang.pick("서로 다른 n-gram 수", "distinct n-grams").into(),
                palette::BLUE,
            )],
            values: (0..5)
                .map(|i| {
                    vec![distinct
                        .get(i)
                        .map_or(BarValue::Missing, |&d| BarValue::Value(d as f64))]
                })
                .collect(),
            x_label: axis_label(lang.pick("차수 n", "order n"), Unit::Dimensionless, lang),
            y_label: axis_label(
                lang.pick("저장할 n-gram", "n-grams to store"),
                Unit::Named(lang.pick("개", "count")),
                lang,
            ),
            y_log: true,
            y_range: None,
            decimals: None,
            empty_message: Some(waiting_text(lang, self.ready(), true)),
        };
        draw_bars(area, &chart, style)
    }
}

fn order_names(lang: Lang) -> Vec<String> {
    (1..=5)
        .map(|n| format!("{n}{}", lang.pick("-gram", "-gram")))
        .collect()
}

fn waiting_text(lang: Lang, ready: bool, has_heldout: bool) -> String {
    if !ready {
        lang.pick("세는 중…", "counting…").into()
    } else if !has_heldout {
        lang.pick(
            "검증용 줄이 없습니다 (두 줄 이상 필요)",
            "no held-out lines (needs two or more lines)",
        )
        .into()
    } else {
        String::new()
    }
}

/// Perplexities per character on the same held-out characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareResult {
    /// Characters of the held-out prefix.
    pub chars: usize,
    /// Character n-gram perplexity for n = 1 … 5 (`None` = infinite), with add-k = `cmp_k` and
    /// backoff; N = chars + 1 predictions (the first character from `<s>`, and `</s>`).
    pub ngram: Vec<Option<f64>>,
    /// The LSTM's score; N = chars − 1 predictions (the first character is only read).
    pub lstm: Option<LmScore>,
}

/// Counts a character n-gram model on the LSTM's training text and scores both models on the
/// same held-out characters, in steps.
pub struct CompareSession {
    trainer: Option<NgramTrainer>,
    model: Option<NgramModel>,
    scorer: CharLmScorer<f32>,
    heldout: String,
    k: f64,
    ngram: Vec<Option<f64>>,
}

/// Where a comparison is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareProgress {
    /// `"counting"`, `"scoring"` or `"done"`.
    pub phase: &'static str,
    /// The kind of work of the last call: `"tokenizing"`, `"counting"`, `"perplexity"`,
    /// `"scoring"`.
    pub stage: &'static str,
    /// Overall share done, 0–1 (counting 30 %, scoring 70 %).
    pub fraction: f64,
    /// The results so far.
    pub result: CompareResult,
}

impl CompareSession {
    /// Splits tiny-shakespeare like the LSTM's trainer (last 10 % of characters held out), keeps
    /// the first `cfg.cmp_chars` held-out characters, parses the model file and starts counting.
    pub fn new(
        cfg: &NgramWidgetConfig,
        shakespeare: &str,
        lstm_json: &str,
    ) -> Result<CompareSession> {
        let (train, held) = split_chars(shakespeare, 0.1)?;
        let heldout: String = held.chars().take(cfg.cmp_chars as usize).collect();
        let file = from_json::<f32>(lstm_json)?;
        let scorer = CharLmScorer::new(&file, &heldout, 100)?;
        let counting = NgramConfig {
            n: 5,
            unit: NgramUnit::Char,
            boundaries: Boundaries::Text,
            lowercase: false,
            ..Default::default()
        };
        Ok(CompareSession {
            trainer: Some(NgramTrainer::new(train, &counting)?),
            model: None,
            scorer,
            heldout,
            k: cfg.cmp_k,
            ngram: Vec::new(),
        })
    }

    fn result(&self) -> CompareResult {
        let s = self.scorer.score();
        CompareResult {
            chars: self.heldout.chars().count(),
            ngram: self.ngram.clone(),
            lstm: (s.predicted > 0).then_some(s),
        }
    }

    /// Does about `budget` units of work: counting (bytes/tokens), then one n-gram perplexity per
    /// call (n = 1 … 5), then the LSTM (characters, `budget / 200` per call — an LSTM step costs
    /// far more than a count). `stage` tells which, so a caller that adapts its budget to the
    /// time a call takes can start afresh when the kind of work changes.
    pub fn step(&mut self, budget: usize) -> Result<CompareProgress> {
        if let Some(t) = self.trainer.as_mut() {
            let p = t.step(budget)?;
            let stage = match p.phase {
                TrainPhase::Tokenizing => "tokenizing",
                _ => "counting",
            };
            if t.is_done() {
                if let Some(t) = self.trainer.take() {
                    self.model = Some(t.into_model()?);
                }
            }
            return Ok(CompareProgress {
                phase: "counting",
                stage,
                fraction: 0.25 * p.fraction,
                result: self.result(),
            });
        }
        if self.ngram.len() < 5 {
            if let Some(m) = self.model.as_mut() {
                let n = self.ngram.len() + 1;
                m.set_query(n, self.k, true)?;
                self.ngram.push(m.perplexity(&self.heldout)?.perplexity);
            }
            return Ok(CompareProgress {
                phase: "counting",
                stage: "perplexity",
                fraction: 0.25 + 0.01 * self.ngram.len() as f64,
                result: self.result(),
            });
        }
        let s = if self.scorer.is_done() {
            self.scorer.score()
        } else {
            self.scorer.step((budget / 200).max(20))?
        };
        Ok(CompareProgress {
            phase: if self.scorer.is_done() {
                "done"
            } else {
                "scoring"
            },
            stage: "scoring",
            fraction: 0.3 + 0.7 * s.fraction,
            result: self.result(),
        })
    }

    /// True when both models are scored.
    pub fn is_done(&self) -> bool {
        self.trainer.is_none() && self.ngram.len() == 5 && self.scorer.is_done()
    }

    /// Re-scores the n-grams with another k (the LSTM's score is unchanged).
    pub fn set_k(&mut self, k: f64) -> Result<()> {
        self.k = k;
        if let Some(m) = self.model.as_mut() {
            self.ngram.clear();
            for n in 1..=5 {
                m.set_query(n, k, true)?;
                self.ngram.push(m.perplexity(&self.heldout)?.perplexity);
            }
        }
        Ok(())
    }

    /// The results so far.
    pub fn current(&self) -> CompareResult {
        self.result()
    }
}

/// Draws per-character perplexity: the character n-grams (n = 1…5) and the LSTM.
pub fn draw_compare<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: Option<&CompareResult>,
    lang: Lang,
    waiting: &str,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let mut categories: Vec<String> = (1..=5).map(|n| format!("{n}-gram")).collect();
    categories.push("LSTM".into());
    let mut values: Vec<Vec<BarValue>> = (0..5)
        .map(|i| {
            vec![match r.and_then(|r| r.ngram.get(i)) {
                Some(Some(p)) => BarValue::Value(*p),
                Some(None) => BarValue::Infinite,
                None => BarValue::Missing,
            }]
        })
        .collect();
    values.push(vec![
        match r.and_then(|r| r.lstm.as_ref()).and_then(|s| s.perplexity) {
            Some(p) => BarValue::Value(p),
            None => BarValue::Missing,
        },
    ]);
    let chart = BarChart {
        categories,
        groups: vec![(
            lang.pick("글자당 perplexity", "perplexity per character")
                .into(),
            palette::BLUISH_GREEN,
        )],
        values,
        x_label: axis_label(
            lang.pick("모델", "model"),
            Unit::Named(lang.pick("이름", "name")),
            lang,
        ),
        y_label: axis_label(
            "perplexity",
            Unit::Named(lang.pick("글자당", "per character")),
            lang,
        ),
        y_log: false,
        y_range: None,
        decimals: Some(2),
        empty_message: Some(waiting.to_string()),
    };
    draw_bars(area, &chart, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    fn shakespeare() -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/corpora/tinyshakespeare.txt"),
        )
        .unwrap()
    }

    #[test]
    fn config_round_trip_and_ranges() {
        let c = NgramWidgetConfig::default();
        c.validate().unwrap();
        let (back, errs) = from_url_pairs::<NgramWidgetConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty());
        assert_eq!(back, c);
        let (c, errs) = from_url_pairs::<NgramWidgetConfig, _, _>(&[
            ("n", "6"),
            ("unit", "char"),
            ("cmp_chars", "999999"),
            ("context", "늦잠을 자서 수업에"),
        ]);
        assert_eq!((c.n, c.unit), (3, NgramUnit::Char));
        assert_eq!(c.context, "늦잠을 자서 수업에");
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn korean_lines_and_a_stepped_session() {
        let file = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lecture/sentences.txt"),
        )
        .unwrap();
        let cfg = NgramWidgetConfig {
            corpus: NgramCorpus::Korean,
            n: 2,
            context: "늦잠을 자서 수업에".into(),
            ..Default::default()
        };
        let text = corpus_text(&cfg, &file);
        assert!(text.lines().all(has_hangul) && text.lines().count() > 20);
        let mut s = NgramSession::new(&cfg, &text).unwrap();
        while !s.ready() {
            s.step(50, &cfg).unwrap();
        }
        let t = s.conditional(&cfg.context).unwrap();
        // Bigram: the context is its last word "수업에"; in the corpus it is followed by 늦었다,
        // 지각했다 and 못 more often than anything else.
        assert_eq!(t.context, ["수업에"]);
        assert!(t.rows.iter().any(|r| r.word == "늦었다"));
        let g = s.generate("학생들이", 10, 3).unwrap();
        assert!(g.text.starts_with("학생들이"));
        assert_eq!(s.sparsity().unwrap().len(), 5);
        assert!(s.perplexity().unwrap().is_some());
        let info = s.info().unwrap();
        assert!(info.vocab > 10 && info.heldout_lines >= 1);
    }

    #[test]
    fn a_one_line_text_has_no_held_out_part_but_still_answers() {
        let cfg = NgramWidgetConfig {
            corpus: NgramCorpus::Custom,
            text: "the students opened their books".into(),
            ..Default::default()
        };
        let mut s = NgramSession::new(&cfg, &corpus_text(&cfg, "")).unwrap();
        // One call tokenises, the next counts, the last measures sparsity (none here).
        s.step(usize::MAX, &cfg).unwrap();
        s.step(usize::MAX, &cfg).unwrap();
        assert!(!s.ready());
        s.step(usize::MAX, &cfg).unwrap();
        assert!(s.ready());
        assert!(s.perplexity().unwrap().is_none());
        assert!(s.sparsity().is_none());
        let t = s.conditional("students opened their").unwrap();
        assert_eq!(t.rows[0].word, "books");
        assert!(NgramSession::new(&cfg, "  \n").is_err());
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
            s.draw_sparsity(&root, Lang::En, &ChartStyle::for_canvas(600, 1.0))
                .unwrap();
        }
        assert!(svg.contains("no held-out lines"));
    }

    #[test]
    fn the_comparison_scores_the_same_characters() {
        let text = shakespeare();
        let json = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(LSTM_PATH),
        )
        .unwrap();
        let cfg = NgramWidgetConfig {
            cmp_chars: 1000,
            ..Default::default()
        };
        let mut s = CompareSession::new(&cfg, &text, &json).unwrap();
        let mut last = 0.0;
        while !s.is_done() {
            let p = s.step(200_000).unwrap();
            assert!(p.fraction >= last);
            last = p.fraction;
        }
        let r = s.current();
        assert_eq!(r.chars, 1000);
        let lstm = r.lstm.clone().unwrap();
        assert_eq!(lstm.predicted, 999);
        let pp: Vec<f64> = r.ngram.iter().map(|p| p.unwrap()).collect();
        // Longer contexts help a character model on Shakespeare up to n = 4 or 5 …
        assert!(pp[0] > pp[1] && pp[1] > pp[2] && pp[2] > pp[3], "{pp:?}");
        // … and the LSTM beats every n-gram on the same characters.
        let best = pp.iter().cloned().fold(f64::INFINITY, f64::min);
        assert!(lstm.perplexity.unwrap() < best, "{lstm:?} vs {pp:?}");
        s.set_k(1.0).unwrap();
        assert_ne!(s.current().ngram, r.ngram);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (700, 400)).into_drawing_area();
            draw_compare(
                &root,
                Some(&r),
                Lang::En,
                "",
                &ChartStyle::for_canvas(700, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("LSTM") && svg.contains("perplexity (per character)"));
    }
}
