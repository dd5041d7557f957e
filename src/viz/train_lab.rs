//! The training lab's data side: its settings (one flat config that drives the URL), the training
//! history the page accumulates from the Web Worker's reports, and the pure series its charts draw
//! (drawing is in [`super::train_charts`]).
//!
//! What the charts show (DeepIntoDeep RNN lecture, training a language model; Karpathy's char-rnn):
//!
//! * cross-entropy per token L = −(1/T) Σ_t log p(x_{t+1} | x_{≤t}) in nats on the training windows
//!   and on held-out text, and the perplexity e^L (the "effective number of choices" per token);
//! * the global gradient norm ‖g‖₂ of every step before and after clipping at threshold θ
//!   (Pascanu, Mikolov and Bengio 2013, Algorithm 1: g ← θ g / ‖g‖ when ‖g‖ > θ);
//! * held-out loss measured twice: with teacher forcing (the true previous token) and free running
//!   (the model's own argmax prediction) — the gap is the exposure bias (Bengio et al. 2015).
//!
//! A chart is about 400–800 CSS pixels wide while a run has thousands of steps, so the per-step
//! series are aggregated into one point per bucket of steps: the *mean* loss (which is also the
//! natural smoothing of a noisy per-window loss) and the *maximum* gradient norm (so a single
//! exploding step stays visible).

use super::{palette, Lang};
use crate::core::activations::Activation;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::rnn::CellKind;
use crate::core::train::data::TokenKind;
use crate::core::train::optim::OptimizerKind;
use crate::core::train::trainer::TrainConfig;
use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

/// Which text the model learns from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataSource {
    /// `data/corpora/tinyshakespeare.txt` (Karpathy's char-rnn corpus, 1.1 MB).
    #[default]
    Shakespeare,
    /// `data/corpora/war_and_peace.txt` (Tolstoy, Maude translation, 3.2 MB).
    Warpeace,
    /// `data/lecture/sentences.txt`: the lecture's Korean and English example sentences.
    Lecture,
    /// Text the user pasted or opened (never put in the URL).
    Own,
}

/// What the loss chart's y axis shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Cross-entropy in nats per token.
    #[default]
    Loss,
    /// e^loss.
    Perplexity,
}

/// Settings of the training lab. Flat: every field is one URL key. The user's own text and the
/// priming text are deliberately not here (they never go into a link).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainLabConfig {
    /// Training text. Default `shakespeare`.
    pub data: DataSource,
    /// Character or word tokens. Default `char`.
    pub tokens: TokenKind,
    /// Fraction of the text (its end) held out for evaluation, [0.01, 0.5]. Default 0.1.
    pub heldout: f64,
    /// Largest vocabulary (words: the most frequent, the rest become `<unk>`; characters: more
    /// distinct characters is an error), 2..=10000. Default 2000.
    pub max_vocab: u32,
    /// Cell type `rnn`, `lstm` or `gru` (in compare mode: the one that generates). Default `lstm`.
    pub cell: CellKind,
    /// Hidden units H, 1..=1024. Default 128.
    pub hidden: usize,
    /// Stacked layers, 1..=2. Default 1.
    pub layers: usize,
    /// Vanilla RNN nonlinearity. Default `tanh`.
    pub activation: Activation,
    /// Sequence length T of a training window, 1..=500. Default 50.
    pub seq_len: usize,
    /// Truncated-BPTT window k (0 = full BPTT over T), 0..=T. Default 0.
    pub bptt_window: usize,
    /// Optimiser `sgd`, `rmsprop` or `adam`. Default `rmsprop`.
    pub optimizer: OptimizerKind,
    /// Learning rate, (0, 10]. Default 0.002.
    pub lr: f64,
    /// Clip the global gradient norm. Default true.
    pub clip: bool,
    /// Clipping threshold θ, (0, 1e6]. Default 5.
    pub clip_threshold: f64,
    /// Teacher-forcing ratio ρ ∈ [0, 1] (1 = always the true previous token). Default 1.
    pub teacher_forcing: f64,
    /// Seed of the weights, the training windows and the sampling. Default 1.
    pub seed: u32,
    /// Train RNN, LSTM and GRU side by side from the same seed and data. Default false.
    pub compare: bool,
    /// Loss chart y axis: `loss` or `perplexity`. Default `loss`.
    pub metric: Metric,
    /// Sampling temperature τ, [0.05, 5]. Default 0.8.
    pub temperature: f64,
    /// Greedy decoding (argmax) instead of sampling. Default false.
    pub greedy: bool,
    /// Tokens generated per click, 1..=2000. Default 300.
    pub gen_len: u32,
    /// Start from the shipped char-LSTM trained on tiny-shakespeare (needs `data=shakespeare`,
    /// `tokens=char`; not with `compare`). Default false.
    pub pretrained: bool,
    /// Language of the chart text. Default `ko`.
    pub lang: Lang,
}

impl Default for TrainLabConfig {
    fn default() -> Self {
        let t = TrainConfig::default();
        TrainLabConfig {
            data: DataSource::Shakespeare,
            tokens: TokenKind::Char,
            heldout: 0.1,
            max_vocab: 2000,
            cell: t.cell,
            hidden: t.hidden,
            layers: t.layers,
            activation: t.activation,
            seq_len: t.seq_len,
            bptt_window: t.bptt_window,
            optimizer: t.optimizer,
            lr: t.lr,
            clip: t.clip,
            clip_threshold: t.clip_threshold,
            teacher_forcing: t.teacher_forcing,
            seed: t.seed,
            compare: false,
            metric: Metric::Loss,
            temperature: 0.8,
            greedy: false,
            gen_len: 300,
            pretrained: false,
            lang: Lang::Ko,
        }
    }
}

impl TrainLabConfig {
    /// The trainer settings (fields the lab does not expose keep `TrainConfig`'s defaults).
    pub fn train_config(&self) -> TrainConfig {
        TrainConfig {
            cell: self.cell,
            hidden: self.hidden,
            layers: self.layers,
            activation: self.activation,
            seq_len: self.seq_len,
            bptt_window: self.bptt_window,
            optimizer: self.optimizer,
            lr: self.lr,
            clip: self.clip,
            clip_threshold: self.clip_threshold,
            teacher_forcing: self.teacher_forcing,
            seed: self.seed,
            ..TrainConfig::default()
        }
    }

    /// The cells trained: all three in compare mode, else the chosen one.
    pub fn cells(&self) -> Vec<CellKind> {
        if self.compare {
            vec![CellKind::Rnn, CellKind::Lstm, CellKind::Gru]
        } else {
            vec![self.cell]
        }
    }
}

impl WidgetConfig for TrainLabConfig {
    fn validate(&self) -> Result<()> {
        self.train_config().validate()?;
        if !(self.heldout.is_finite() && (0.01..=0.5).contains(&self.heldout)) {
            return Err(CoreError::invalid(
                "heldout",
                "must be between 0.01 and 0.5",
            ));
        }
        if !(2..=10_000).contains(&self.max_vocab) {
            return Err(CoreError::invalid(
                "max_vocab",
                "must be between 2 and 10000",
            ));
        }
        if !(self.temperature.is_finite() && (0.05..=5.0).contains(&self.temperature)) {
            return Err(CoreError::invalid(
                "temperature",
                "must be between 0.05 and 5",
            ));
        }
        if !(1..=2000).contains(&self.gen_len) {
            return Err(CoreError::invalid("gen_len", "must be between 1 and 2000"));
        }
        if self.pretrained
            && (self.data != DataSource::Shakespeare || self.tokens != TokenKind::Char)
        {
            return Err(CoreError::invalid(
                "pretrained",
                "the pretrained model reads tiny-shakespeare characters (data=shakespeare, tokens=char)",
            ));
        }
        if self.pretrained && self.compare {
            return Err(CoreError::invalid(
                "compare",
                "compare trains three fresh models; it cannot start from the pretrained one",
            ));
        }
        Ok(())
    }
}

/// The fixed colour of each cell type in compare mode (Okabe–Ito).
pub fn cell_colour(cell: CellKind) -> RGBColor {
    match cell {
        CellKind::Rnn => palette::VERMILLION,
        CellKind::Lstm => palette::BLUE,
        CellKind::Gru => palette::BLUISH_GREEN,
    }
}

/// Display name of a cell type.
pub fn cell_name(cell: CellKind) -> &'static str {
    match cell {
        CellKind::Rnn => "RNN",
        CellKind::Lstm => "LSTM",
        CellKind::Gru => "GRU",
    }
}

/// Colour of the training loss of a single run.
pub const TRAIN_COLOUR: RGBColor = palette::BLUE;
/// Colour of the teacher-forced held-out loss of a single run.
pub const HELDOUT_COLOUR: RGBColor = palette::VERMILLION;
/// Colour of the free-running held-out loss of a single run.
pub const FREE_COLOUR: RGBColor = palette::BLUISH_GREEN;
/// Colour of the gradient norm before clipping (single run).
pub const BEFORE_COLOUR: RGBColor = palette::VERMILLION;
/// Colour of the gradient norm after clipping (single run).
pub const AFTER_COLOUR: RGBColor = palette::BLUE;

/// Stored steps per run before the history is compacted (pairs of steps merged).
pub const MAX_STORED: usize = 1 << 18;

/// Held-out losses measured at one step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalPoint {
    /// Steps done when measured.
    pub step: f64,
    /// Teacher-forced held-out loss (nats/token).
    pub teacher: f64,
    /// Free-running held-out loss (nats/token).
    pub free: f64,
}

/// Everything recorded about one training run, one entry per step (see [`RunHistory::push_packed`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RunHistory {
    /// The cell type trained.
    pub cell: CellKind,
    /// Step number of each entry (strictly increasing).
    pub step: Vec<f64>,
    /// Mean loss per token of the step's window (NaN when the step diverged).
    pub loss: Vec<f64>,
    /// ‖g‖₂ before clipping (NaN when the step diverged).
    pub grad_before: Vec<f64>,
    /// ‖g‖₂ after clipping.
    pub grad_after: Vec<f64>,
    /// Whether clipping rescaled the gradient.
    pub clipped: Vec<bool>,
    /// Held-out measurements, by increasing step.
    pub evals: Vec<EvalPoint>,
    /// Steps at which training diverged (kept after going back to a checkpoint).
    pub diverged: Vec<f64>,
}

impl RunHistory {
    /// An empty history.
    pub fn new(cell: CellKind) -> Self {
        RunHistory {
            cell,
            step: Vec::new(),
            loss: Vec::new(),
            grad_before: Vec::new(),
            grad_after: Vec::new(),
            clipped: Vec::new(),
            evals: Vec::new(),
            diverged: Vec::new(),
        }
    }

    /// Appends the reports of `TrainerHandle.train`, packed as
    /// `[step, loss, grad_norm, grad_norm_after, clipped, finite] × k`. A report whose step is not
    /// after the last stored one first drops the stored entries from that step on (training went
    /// back to a checkpoint). A non-finite report is stored with NaN values and recorded in
    /// [`RunHistory::diverged`].
    pub fn push_packed(&mut self, packed: &[f64]) -> Result<()> {
        if packed.len() % 6 != 0 {
            return Err(CoreError::invalid(
                "reports",
                format!("expected 6 numbers per step, got {}", packed.len()),
            ));
        }
        for r in packed.chunks_exact(6) {
            let (step, finite) = (r[0], r[5] != 0.0);
            if !step.is_finite() || step < 0.0 {
                return Err(CoreError::invalid("reports", "a step number is invalid"));
            }
            if self.step.last().is_some_and(|&s| s >= step) {
                self.truncate_after(step - 1.0);
            }
            let nan_unless = |v: f64| if finite { v } else { f64::NAN };
            self.step.push(step);
            self.loss.push(nan_unless(r[1]));
            self.grad_before.push(nan_unless(r[2]));
            self.grad_after.push(nan_unless(r[3]));
            self.clipped.push(finite && r[4] != 0.0);
            if !finite {
                self.diverged.push(step);
            }
        }
        if self.step.len() > MAX_STORED {
            self.compact();
        }
        Ok(())
    }

    /// Records a held-out measurement (replacing any at a later or equal step).
    pub fn push_eval(&mut self, p: EvalPoint) {
        self.evals.retain(|e| e.step < p.step);
        self.evals.push(p);
    }

    /// Drops every entry after `step` (training went back to the checkpoint at `step`).
    pub fn truncate_after(&mut self, step: f64) {
        let keep = self.step.partition_point(|&s| s <= step);
        self.step.truncate(keep);
        self.loss.truncate(keep);
        self.grad_before.truncate(keep);
        self.grad_after.truncate(keep);
        self.clipped.truncate(keep);
        self.evals.retain(|e| e.step <= step);
    }

    /// The last step recorded (0 before any).
    pub fn last_step(&self) -> f64 {
        self.step.last().copied().unwrap_or(0.0)
    }

    /// Mean of the last `n` finite losses, if any.
    pub fn recent_loss(&self, n: usize) -> Option<f64> {
        let vals: Vec<f64> = self
            .loss
            .iter()
            .rev()
            .filter(|v| v.is_finite())
            .take(n)
            .copied()
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
    }

    /// Halves the stored entries: each pair becomes one entry at the pair's last step, with the
    /// mean of its finite losses and the larger gradient norms.
    fn compact(&mut self) {
        let n = self.step.len() / 2;
        for i in 0..n {
            let (a, b) = (2 * i, 2 * i + 1);
            self.step[i] = self.step[b];
            self.loss[i] = mean_finite(&[self.loss[a], self.loss[b]]);
            self.grad_before[i] = max_finite(&[self.grad_before[a], self.grad_before[b]]);
            self.grad_after[i] = max_finite(&[self.grad_after[a], self.grad_after[b]]);
            self.clipped[i] = self.clipped[a] || self.clipped[b];
        }
        let odd = self.step.len() % 2 == 1;
        let last = self.step.len() - 1;
        if odd {
            self.step[n] = self.step[last];
            self.loss[n] = self.loss[last];
            self.grad_before[n] = self.grad_before[last];
            self.grad_after[n] = self.grad_after[last];
            self.clipped[n] = self.clipped[last];
        }
        let keep = n + usize::from(odd);
        self.step.truncate(keep);
        self.loss.truncate(keep);
        self.grad_before.truncate(keep);
        self.grad_after.truncate(keep);
        self.clipped.truncate(keep);
    }
}

fn mean_finite(v: &[f64]) -> f64 {
    let (s, n) = v
        .iter()
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

fn max_finite(v: &[f64]) -> f64 {
    v.iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(f64::NAN, f64::max)
}

/// How a bucket of per-step values becomes one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agg {
    /// Mean of the finite values.
    Mean,
    /// Largest finite value.
    Max,
}

/// Aggregates `(steps[i], values[i])` into at most `buckets` points: bucket b holds the steps in
/// ((b/n)·x_max, ((b+1)/n)·x_max] (step 0 joins bucket 0); each non-empty bucket becomes
/// (mean step, mean or max of its finite values). Buckets without a finite value are skipped.
/// `steps` must be increasing.
pub fn bucket(
    steps: &[f64],
    values: &[f64],
    x_max: f64,
    buckets: usize,
    agg: Agg,
) -> Vec<(f64, f64)> {
    let n = buckets.max(1);
    let mut out = Vec::with_capacity(n.min(steps.len()));
    let mut cur: Option<usize> = None;
    let (mut sx, mut cx, mut sy, mut my, mut cy) = (0.0, 0usize, 0.0, f64::NEG_INFINITY, 0usize);
    let flush = |sx: f64, cx: usize, sy: f64, my: f64, cy: usize, out: &mut Vec<(f64, f64)>| {
        if cx > 0 && cy > 0 {
            let y = match agg {
                Agg::Mean => sy / cy as f64,
                Agg::Max => my,
            };
            out.push((sx / cx as f64, y));
        }
    };
    for (&s, &v) in steps.iter().zip(values) {
        let b = if x_max > 0.0 {
            (((s / x_max) * n as f64).ceil() as isize - 1).clamp(0, n as isize - 1) as usize
        } else {
            0
        };
        if cur != Some(b) {
            if cur.is_some() {
                flush(sx, cx, sy, my, cy, &mut out);
            }
            cur = Some(b);
            (sx, cx, sy, my, cy) = (0.0, 0, 0.0, f64::NEG_INFINITY, 0);
        }
        sx += s;
        cx += 1;
        if v.is_finite() {
            sy += v;
            my = my.max(v);
            cy += 1;
        }
    }
    if cur.is_some() {
        flush(sx, cx, sy, my, cy, &mut out);
    }
    out
}

/// One drawn line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Legend text.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Dashed instead of solid.
    pub dashed: bool,
    /// Draw a dot at every point (sparse measurements such as held-out loss).
    pub markers: bool,
    /// Points (x, y) by increasing x; y is log10 of the value on a log chart.
    pub points: Vec<(f64, f64)>,
}

/// A line chart ready to draw: lines, ranges and annotations.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSeries {
    /// The lines, in legend order.
    pub lines: Vec<Line>,
    /// x range (steps).
    pub x: (f64, f64),
    /// y range (log10 units when `log_y`).
    pub y: (f64, f64),
    /// y is log10 of the value.
    pub log_y: bool,
    /// A horizontal reference line (the clipping threshold) with its legend text, in y units.
    pub threshold: Option<(f64, String)>,
    /// Steps where a run diverged, with the run's colour.
    pub diverged: Vec<(f64, RGBColor)>,
    /// No data yet.
    pub empty: bool,
}

fn x_range(h: &[RunHistory]) -> (f64, f64) {
    let last = h
        .iter()
        .map(|r| {
            r.last_step()
                .max(r.evals.last().map_or(0.0, |e| e.step))
                .max(r.diverged.iter().copied().fold(0.0, f64::max))
        })
        .fold(0.0, f64::max);
    (0.0, last.max(10.0))
}

/// The y range of `lines` (and `extra` values) with 5 % padding; with a `floor` (0 for a loss, 1
/// for a perplexity) the range starts exactly there.
fn y_range(lines: &[Line], extra: &[f64], floor: Option<f64>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for y in lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(extra.iter().copied())
    {
        if y.is_finite() {
            lo = lo.min(y);
            hi = hi.max(y);
        }
    }
    if !lo.is_finite() {
        return None;
    }
    if let Some(f) = floor {
        lo = f;
        hi = hi.max(f);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = 0.05 * (hi - lo);
    Some((if floor.is_some() { lo } else { lo - pad }, hi + pad))
}

/// The loss (or perplexity) chart: per run the training loss (bucket means) and the held-out
/// losses; single run: train, held-out with teacher forcing, held-out free running; compare mode:
/// train (solid) and held-out teacher-forced (dashed with dots) in each cell's colour.
pub fn loss_series(runs: &[RunHistory], cfg: &TrainLabConfig, buckets: usize) -> ChartSeries {
    let lang = cfg.lang;
    let x = x_range(runs);
    let tf = |v: f64| match cfg.metric {
        Metric::Loss => v,
        Metric::Perplexity => v.exp(),
    };
    let map = |pts: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        pts.into_iter()
            .map(|(s, v)| (s, tf(v)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let compare = runs.len() > 1;
    let mut lines = Vec::new();
    for r in runs {
        let train = map(bucket(&r.step, &r.loss, x.1, buckets, Agg::Mean));
        let teacher = map(r.evals.iter().map(|e| (e.step, e.teacher)).collect());
        let free = map(r.evals.iter().map(|e| (e.step, e.free)).collect());
        if compare {
            let name = cell_name(r.cell);
            let c = cell_colour(r.cell);
            lines.push(Line {
                label: format!("{name} {}", lang.pick("훈련", "train")),
                colour: c,
                dashed: false,
                markers: false,
                points: train,
            });
            lines.push(Line {
                label: format!("{name} {}", lang.pick("검증", "held-out")),
                colour: c,
                dashed: true,
                markers: true,
                points: teacher,
            });
        } else {
            lines.push(Line {
                label: lang.pick("훈련", "train").into(),
                colour: TRAIN_COLOUR,
                dashed: false,
                markers: false,
                points: train,
            });
            lines.push(Line {
                label: lang
                    .pick("검증 (교사 강요)", "held-out (teacher forcing)")
                    .into(),
                colour: HELDOUT_COLOUR,
                dashed: false,
                markers: true,
                points: teacher,
            });
            lines.push(Line {
                label: lang
                    .pick("검증 (자유 실행)", "held-out (free-running)")
                    .into(),
                colour: FREE_COLOUR,
                dashed: true,
                markers: true,
                points: free,
            });
        }
    }
    let floor = match cfg.metric {
        Metric::Loss => 0.0,
        Metric::Perplexity => 1.0,
    };
    let y = y_range(&lines, &[], Some(floor));
    ChartSeries {
        empty: y.is_none(),
        y: y.unwrap_or((floor, floor + 5.0)),
        x,
        log_y: false,
        threshold: None,
        diverged: diverged_marks(runs),
        lines,
    }
}

fn diverged_marks(runs: &[RunHistory]) -> Vec<(f64, RGBColor)> {
    let compare = runs.len() > 1;
    runs.iter()
        .flat_map(|r| {
            let c = if compare {
                cell_colour(r.cell)
            } else {
                palette::VERMILLION
            };
            r.diverged.iter().map(move |&s| (s, c))
        })
        .collect()
}

/// The gradient-norm chart (log10 y): single run: ‖g‖ before clipping and after clipping (bucket
/// maxima); compare mode: ‖g‖ before clipping per cell. The threshold θ is a reference line when
/// clipping is on.
pub fn grad_series(runs: &[RunHistory], cfg: &TrainLabConfig, buckets: usize) -> ChartSeries {
    let lang = cfg.lang;
    let x = x_range(runs);
    let log = |pts: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        pts.into_iter()
            .filter(|p| p.1 > 0.0 && p.1.is_finite())
            .map(|(s, v)| (s, v.log10()))
            .collect()
    };
    let compare = runs.len() > 1;
    let mut lines = Vec::new();
    for r in runs {
        let before = log(bucket(&r.step, &r.grad_before, x.1, buckets, Agg::Max));
        if compare {
            lines.push(Line {
                label: format!(
                    "{} {}",
                    cell_name(r.cell),
                    lang.pick("클리핑 전", "before clipping")
                ),
                colour: cell_colour(r.cell),
                dashed: false,
                markers: false,
                points: before,
            });
        } else {
            let after = log(bucket(&r.step, &r.grad_after, x.1, buckets, Agg::Max));
            lines.push(Line {
                label: lang.pick("클리핑 전", "before clipping").into(),
                colour: BEFORE_COLOUR,
                dashed: false,
                markers: false,
                points: before,
            });
            lines.push(Line {
                label: lang.pick("클리핑 후", "after clipping").into(),
                colour: AFTER_COLOUR,
                dashed: true,
                markers: false,
                points: after,
            });
        }
    }
    let threshold = cfg.clip.then(|| {
        (
            cfg.clip_threshold.log10(),
            format!(
                "{} θ = {}",
                lang.pick("임계값", "threshold"),
                trim_number(cfg.clip_threshold)
            ),
        )
    });
    let extra: Vec<f64> = threshold.iter().map(|t| t.0).collect();
    let y = y_range(&lines, &extra, None);
    let empty = lines.iter().all(|l| l.points.is_empty());
    ChartSeries {
        empty,
        y: y.unwrap_or((-1.0, 1.0)),
        x,
        log_y: true,
        threshold,
        diverged: diverged_marks(runs),
        lines,
    }
}

/// A number in its shortest form (`5`, `0.25`, `1e-7`).
pub fn trim_number(v: f64) -> String {
    let s = format!("{v}");
    if s.len() > 8 {
        format!("{v:.3e}")
    } else {
        s
    }
}

/// The point of `line` nearest to step `x` (points are sorted by x).
pub fn nearest(points: &[(f64, f64)], x: f64) -> Option<(f64, f64)> {
    if points.is_empty() || !x.is_finite() {
        return None;
    }
    let i = points.partition_point(|p| p.0 < x);
    let cands = [i.checked_sub(1), (i < points.len()).then_some(i)];
    cands
        .into_iter()
        .flatten()
        .map(|j| points[j])
        .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))
}

/// One bar of the next-token chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenBar {
    /// Token id, or `None` for the bar of all remaining tokens.
    pub id: Option<usize>,
    /// Display text (whitespace made visible).
    pub label: String,
    /// Probability.
    pub p: f64,
}

/// A token's text with whitespace made visible: newline ⏎, space ␣, tab ⇥, other control
/// characters as their code (U+0007).
pub fn display_token(t: &str) -> String {
    let mut out = String::new();
    for c in t.chars() {
        match c {
            '\n' => out.push('⏎'),
            ' ' => out.push('␣'),
            '\t' => out.push('⇥'),
            c if c.is_control() => out.push_str(&format!("U+{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The `k` most probable tokens (ties: lower id first), then one bar for the remaining mass when
/// the vocabulary has more than `k` tokens.
pub fn token_bars(probs: &[f32], vocab: &[String], k: usize, lang: Lang) -> Vec<TokenBar> {
    let mut ids: Vec<usize> = (0..probs.len()).collect();
    ids.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
    let k = k.min(ids.len());
    let mut bars: Vec<TokenBar> = ids[..k]
        .iter()
        .map(|&i| TokenBar {
            id: Some(i),
            label: vocab
                .get(i)
                .map_or_else(|| format!("#{i}"), |t| display_token(t)),
            p: f64::from(probs[i]),
        })
        .collect();
    if ids.len() > k {
        let rest: f64 = ids[k..].iter().map(|&i| f64::from(probs[i])).sum();
        bars.push(TokenBar {
            id: None,
            label: format!("{} {}", lang.pick("나머지", "other"), ids.len() - k),
            p: rest,
        });
    }
    bars
}

/// The y-axis top of the bar chart: the smallest of 0.1, 0.25, 0.5, 1 that fits the tallest bar
/// (a fixed ladder, so the axis rarely moves while the temperature slider does).
pub fn bars_y_max(bars: &[TokenBar]) -> f64 {
    let top = bars.iter().map(|b| b.p).fold(0.0, f64::max);
    [0.1, 0.25, 0.5, 1.0]
        .into_iter()
        .find(|&m| top <= m * 0.92)
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    #[test]
    fn default_config_round_trips_and_maps_to_the_trainer() {
        let c = TrainLabConfig::default();
        c.validate().unwrap();
        let (back, errs) = from_url_pairs::<TrainLabConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
        let t = c.train_config();
        assert_eq!((t.hidden, t.seq_len, t.lr), (128, 50, 0.002));
        assert_eq!(c.cells(), vec![CellKind::Lstm]);
        let cmp = TrainLabConfig { compare: true, ..c };
        assert_eq!(
            cmp.cells(),
            vec![CellKind::Rnn, CellKind::Lstm, CellKind::Gru]
        );
    }

    #[test]
    fn url_values_are_checked_by_field() {
        let (c, errs) = from_url_pairs::<TrainLabConfig, _, _>(&[
            ("hidden", "4096"),
            ("lr", "abc"),
            ("data", "wikipedia"),
            ("bptt_window", "80"),
            ("heldout", "0.9"),
            ("cell", "gru"),
            ("pretrained", "true"),
            ("tokens", "word"),
        ]);
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        for k in [
            "hidden",
            "lr",
            "data",
            "bptt_window",
            "heldout",
            "pretrained",
        ] {
            assert!(keys.contains(&k), "{k} not reported: {keys:?}");
        }
        assert_eq!(c.hidden, 128);
        assert_eq!(c.cell, CellKind::Gru);
        assert_eq!(c.tokens, TokenKind::Word);
        assert!(!c.pretrained);
        c.validate().unwrap();
        // Pretrained with compare: compare is dropped.
        let (c, errs) =
            from_url_pairs::<TrainLabConfig, _, _>(&[("pretrained", "true"), ("compare", "true")]);
        assert!(c.pretrained && !c.compare);
        assert_eq!(errs[0].key, "compare");
    }

    #[test]
    fn buckets_worked_by_hand() {
        // Steps 1..8 with value = step, 4 buckets over (0, 8]: ceil(s/2) − 1 puts (1,2), (3,4),
        // (5,6), (7,8) together. Means: (1.5, 1.5), (3.5, 3.5), …; maxima: 2, 4, 6, 8.
        let s: Vec<f64> = (1..=8).map(f64::from).collect();
        let mean = bucket(&s, &s, 8.0, 4, Agg::Mean);
        assert_eq!(mean, [(1.5, 1.5), (3.5, 3.5), (5.5, 5.5), (7.5, 7.5)]);
        let max = bucket(&s, &s, 8.0, 4, Agg::Max);
        assert_eq!(max, [(1.5, 2.0), (3.5, 4.0), (5.5, 6.0), (7.5, 8.0)]);
        // A NaN is skipped, not averaged; a bucket of only NaN disappears.
        let v = [1.0, f64::NAN, f64::NAN, f64::NAN, 5.0, 6.0, 7.0, 8.0];
        assert_eq!(
            bucket(&s, &v, 8.0, 4, Agg::Mean),
            [(1.5, 1.0), (5.5, 5.5), (7.5, 7.5)]
        );
        // More buckets than points: every point is its own.
        assert_eq!(bucket(&s[..3], &s[..3], 8.0, 100, Agg::Mean).len(), 3);
    }

    #[test]
    fn history_records_divergence_and_goes_back_to_a_checkpoint() {
        let mut h = RunHistory::new(CellKind::Lstm);
        h.push_packed(&[
            1.0,
            4.0,
            10.0,
            5.0,
            1.0,
            1.0, //
            2.0,
            3.5,
            4.0,
            4.0,
            0.0,
            1.0, //
            3.0,
            f64::INFINITY,
            f64::NAN,
            f64::NAN,
            0.0,
            0.0,
        ])
        .unwrap();
        assert_eq!(h.step, [1.0, 2.0, 3.0]);
        assert_eq!(h.clipped, [true, false, false]);
        assert!(h.loss[2].is_nan());
        assert_eq!(h.diverged, [3.0]);
        assert_eq!(h.recent_loss(10), Some(3.75));
        h.push_eval(EvalPoint {
            step: 2.0,
            teacher: 3.6,
            free: 4.1,
        });
        // Back to the checkpoint at step 1: training continues with step 2 again.
        h.truncate_after(1.0);
        assert_eq!(h.step, [1.0]);
        assert!(h.evals.is_empty());
        h.push_packed(&[2.0, 3.0, 3.0, 3.0, 0.0, 1.0]).unwrap();
        assert_eq!(h.step, [1.0, 2.0]);
        assert_eq!(h.diverged, [3.0], "the divergence stays marked");
        // A report that repeats an old step replaces the entries from there on.
        h.push_packed(&[2.0, 2.5, 3.0, 3.0, 0.0, 1.0]).unwrap();
        assert_eq!((h.step.len(), h.loss[1]), (2, 2.5));
        assert!(h.push_packed(&[1.0, 2.0]).is_err());
    }

    #[test]
    fn compaction_merges_pairs_honestly() {
        let mut h = RunHistory::new(CellKind::Rnn);
        let mut packed = Vec::new();
        for s in 1..=5 {
            let s = f64::from(s);
            packed.extend_from_slice(&[s, s, 10.0 * s, s, f64::from(s == 2.0), 1.0]);
        }
        h.push_packed(&packed).unwrap();
        h.compact();
        // (1,2) → step 2, mean loss 1.5, max norm 20, clipped; (3,4) → 4, 3.5, 40; 5 stays.
        assert_eq!(h.step, [2.0, 4.0, 5.0]);
        assert_eq!(h.loss, [1.5, 3.5, 5.0]);
        assert_eq!(h.grad_before, [20.0, 40.0, 50.0]);
        assert_eq!(h.clipped, [true, false, false]);
    }

    #[test]
    fn series_of_one_run_and_of_compare_mode() {
        let mut h = RunHistory::new(CellKind::Lstm);
        h.push_packed(&[1.0, 2.0, 100.0, 5.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 0.0, 1.0])
            .unwrap();
        h.push_eval(EvalPoint {
            step: 2.0,
            teacher: 1.5,
            free: 3.0,
        });
        let cfg = TrainLabConfig {
            lang: Lang::En,
            ..Default::default()
        };
        let s = loss_series(std::slice::from_ref(&h), &cfg, 100);
        assert_eq!(s.lines.len(), 3);
        assert_eq!(s.lines[0].points, [(1.0, 2.0), (2.0, 1.0)]);
        assert_eq!(s.lines[1].points, [(2.0, 1.5)]);
        assert_eq!(s.lines[2].points, [(2.0, 3.0)]);
        assert_eq!(s.x, (0.0, 10.0));
        // y from the floor 0 to 3 + 5 % padding.
        assert_eq!(s.y.0, 0.0);
        assert!((s.y.1 - 3.15).abs() < 1e-12);
        let ppl = loss_series(
            std::slice::from_ref(&h),
            &TrainLabConfig {
                metric: Metric::Perplexity,
                ..cfg.clone()
            },
            100,
        );
        assert!((ppl.lines[1].points[0].1 - 1.5f64.exp()).abs() < 1e-12);
        let g = grad_series(std::slice::from_ref(&h), &cfg, 100);
        assert!(g.log_y);
        assert_eq!(g.lines[0].points, [(1.0, 2.0), (2.0, 0.0)]);
        assert!((g.lines[1].points[0].1 - 5f64.log10()).abs() < 1e-12);
        assert_eq!(
            g.threshold.as_ref().map(|t| t.1.as_str()),
            Some("threshold θ = 5")
        );
        let runs: Vec<RunHistory> = [CellKind::Rnn, CellKind::Lstm, CellKind::Gru]
            .into_iter()
            .map(|c| RunHistory {
                cell: c,
                ..h.clone()
            })
            .collect();
        let cmp = loss_series(&runs, &cfg, 100);
        let labels: Vec<&str> = cmp.lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "RNN train",
                "RNN held-out",
                "LSTM train",
                "LSTM held-out",
                "GRU train",
                "GRU held-out"
            ]
        );
        assert_eq!(grad_series(&runs, &cfg, 100).lines.len(), 3);
        let empty = loss_series(&[RunHistory::new(CellKind::Lstm)], &cfg, 100);
        assert!(empty.empty);
    }

    #[test]
    fn nearest_point() {
        let p = [(1.0, 10.0), (4.0, 40.0), (9.0, 90.0)];
        assert_eq!(nearest(&p, 2.0), Some((1.0, 10.0)));
        assert_eq!(nearest(&p, 3.0), Some((4.0, 40.0)));
        assert_eq!(nearest(&p, 100.0), Some((9.0, 90.0)));
        assert_eq!(nearest(&[], 1.0), None);
    }

    #[test]
    fn token_bars_sort_and_keep_the_rest() {
        let vocab: Vec<String> = ["a", " ", "\n", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let bars = token_bars(&[0.1, 0.4, 0.4, 0.1], &vocab, 2, Lang::En);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["␣", "⏎", "other 2"]);
        assert_eq!(bars[0].id, Some(1));
        assert!((bars[2].p - 0.2).abs() < 1e-7);
        assert_eq!(bars_y_max(&bars), 0.5);
        assert_eq!(display_token("\u{7}x"), "U+0007x");
        assert_eq!(token_bars(&[1.0], &vocab[..1], 5, Lang::Ko).len(), 1);
    }
}
