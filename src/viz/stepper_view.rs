//! The step-through widget ("the heart of the lecture", issue 3): its settings, and the cell's
//! equations as KaTeX source — once in general, once with the live numbers of one unit k at the
//! current step t substituted, so a student can redo every multiplication by hand.
//!
//! The equations are the lecture's (DeepIntoDeep RNN lecture, "RNN", "LSTM" and "GRU" slides):
//!
//! ```text
//! RNN   h_t = tanh(W_hh h_{t−1} + W_xh x_t + b)
//! LSTM  i, f, o = σ(W_h· h_{t−1} + W_x· x_t + b_·),  g = tanh(…),
//!       c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t,  h_t = o_t ⊙ tanh(c_t)        (Hochreiter and Schmidhuber 1997)
//! GRU   z, r = σ(…),  h̃_t = tanh(W_hn (r_t ⊙ h_{t−1}) + W_xn x_t + b_n),
//!       h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t                        (Cho et al. 2014)
//! ŷ_t = softmax(W_hy h_t + b_y),  J⁽ᵗ⁾ = −log ŷ_t(x_{t+1})              (teacher forcing)
//! ```
//!
//! (see `crate::core::rnn::{vanilla, lstm, gru}` for the code that computes them). Every number in
//! the live equations comes from a [`Frame`] of [`crate::core::stepper`]; this module only formats.
//! Steps and units are shown 1-based (t = 1 … T, k = 1 … H) with h_0 = c_0 = 0, as in the lecture;
//! the URL keys `step` and `unit` use the same numbering.

use super::Lang;
use crate::core::activations::Activation;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::rnn::model::ModelSpec;
use crate::core::rnn::{CellKind, GruVariant};
use crate::core::stepper::{tokenize, Frame, StepperConfig, MAX_TOKENS};
use serde::{Deserialize, Serialize};

/// Largest hidden size of any stepper model (random: 32; the trained char models: 32).
pub const MAX_UNITS: usize = 32;

/// Settings of the step-through widget: the core [`StepperConfig`] (text, tokens, cell, gru,
/// hidden, seed, weights — flattened, so each is one URL key) plus the view's position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepperViewConfig {
    /// The sentence, cell and weights (see [`StepperConfig`] for every field and default).
    #[serde(flatten)]
    pub model: StepperConfig,
    /// The current timestep t, 1-based, 1..=64 (clamped to the sentence's length T). Default 1.
    pub step: usize,
    /// The selected hidden unit k, 1-based, 1..=32 (clamped to H). Default 1.
    pub unit: usize,
    /// Language of the chart text. Default `ko`.
    pub lang: Lang,
}

impl Default for StepperViewConfig {
    fn default() -> Self {
        StepperViewConfig {
            model: StepperConfig::default(),
            step: 1,
            unit: 1,
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for StepperViewConfig {
    fn validate(&self) -> Result<()> {
        self.model.validate()?;
        let n = tokenize(&self.model.text, self.model.tokens).len();
        if n == 0 {
            return Err(CoreError::invalid("text", "has no tokens"));
        }
        if n > MAX_TOKENS {
            return Err(CoreError::invalid(
                "text",
                format!("has {n} tokens; at most {MAX_TOKENS} can be stepped through"),
            ));
        }
        if !(1..=MAX_TOKENS).contains(&self.step) {
            return Err(CoreError::invalid(
                "step",
                format!("{} is outside 1..={MAX_TOKENS}", self.step),
            ));
        }
        if !(1..=MAX_UNITS).contains(&self.unit) {
            return Err(CoreError::invalid(
                "unit",
                format!("{} is outside 1..={MAX_UNITS}", self.unit),
            ));
        }
        Ok(())
    }
}

impl StepperViewConfig {
    /// Clamps `step` to 1..=T and `unit` to 1..=H of an actual view (a valid config may name a
    /// step past the end of a shorter sentence, or a unit of a larger model).
    pub fn clamp_to(&mut self, steps: usize, units: usize) {
        self.step = self.step.clamp(1, steps.max(1));
        self.unit = self.unit.clamp(1, units.max(1));
    }
}

/// A number as TeX, 3 decimals, with no "−0.000".
fn num(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            r"\text{NaN}".into()
        } else if x > 0.0 {
            r"\infty".into()
        } else {
            r"-\infty".into()
        };
    }
    let s = format!("{x:.3}");
    if s == "-0.000" {
        "0.000".into()
    } else {
        s
    }
}

/// A number as a term after `+` or `·`: negatives in parentheses.
fn term(x: f64) -> String {
    let s = num(x);
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}

/// The TeX of an activation applied to its argument.
fn act_tex(a: Activation) -> &'static str {
    match a {
        Activation::Tanh => r"\tanh",
        Activation::Sigmoid => r"\sigma",
        Activation::Relu => r"\operatorname{ReLU}",
        Activation::Identity => r"\operatorname{id}",
    }
}

/// The symbol of gate `name` (as stored in a [`Frame`]) in the lecture's notation.
pub fn gate_symbol(cell: CellKind, gru: GruVariant, name: &str) -> &'static str {
    match (cell, name) {
        (CellKind::Lstm, "i") => "i",
        (CellKind::Lstm, "f") => "f",
        (CellKind::Lstm, "o") => "o",
        (CellKind::Lstm, "g") => "g",
        (CellKind::Gru, "z") => "z",
        (CellKind::Gru, "r") => "r",
        (CellKind::Gru, "n") if gru == GruVariant::Lecture => r"\tilde h",
        (CellKind::Gru, "n") => "n",
        _ => "h",
    }
}

/// The general equations of the model's cell (and the readout and loss), as one KaTeX
/// `aligned` block.
pub fn equations_tex(spec: &ModelSpec) -> String {
    let gate = |q: &str, act: &str, sym: &str| {
        format!(r"{sym}_t &= {act}(W_{{h{q}}}h_{{t-1}} + W_{{x{q}}}x_t + b_{q})")
    };
    let mut lines: Vec<String> = match spec.cell {
        CellKind::Rnn => {
            let a = act_tex(spec.activation);
            if spec.residual {
                vec![format!(
                    r"h_t &= h_{{t-1}} + {a}(W_{{hh}}h_{{t-1}} + W_{{xh}}x_t + b)"
                )]
            } else {
                vec![format!(r"h_t &= {a}(W_{{hh}}h_{{t-1}} + W_{{xh}}x_t + b)")]
            }
        }
        CellKind::Lstm => vec![
            gate("i", r"\sigma", "i"),
            gate("f", r"\sigma", "f"),
            gate("o", r"\sigma", "o"),
            gate("g", r"\tanh", "g"),
            r"c_t &= f_t \odot c_{t-1} + i_t \odot g_t".into(),
            r"h_t &= o_t \odot \tanh(c_t)".into(),
        ],
        CellKind::Gru => match spec.gru {
            GruVariant::Lecture => vec![
                gate("z", r"\sigma", "z"),
                gate("r", r"\sigma", "r"),
                r"\tilde h_t &= \tanh(W_{hn}(r_t \odot h_{t-1}) + W_{xn}x_t + b_n)".into(),
                r"h_t &= (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t".into(),
            ],
            GruVariant::Torch => vec![
                gate("z", r"\sigma", "z"),
                gate("r", r"\sigma", "r"),
                r"n_t &= \tanh(r_t \odot (W_{hn}h_{t-1} + b_{hn}) + W_{xn}x_t + b_{xn})".into(),
                r"h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}".into(),
            ],
        },
    };
    lines.push(r"\hat y_t &= \operatorname{softmax}(W_{hy}h_t + b_y)".into());
    lines.push(r"J^{(t)} &= -\log \hat y_t(x_{t+1})".into());
    format!(r"\begin{{aligned}}{}\end{{aligned}}", lines.join(r"\\"))
}

/// Breaks `lhs &= a = b = c` after its first right-hand side (`lhs &= a \\ &= b = c`), so a
/// narrow (phone) screen shows the symbolic form and the numbers on two lines.
fn wrap_line(line: &str) -> String {
    if line.starts_with('&') {
        return line.to_string();
    }
    match line.split_once("&= ") {
        Some((lhs, rest)) => {
            let segs: Vec<&str> = rest.split(" = ").collect();
            if segs.len() > 2 {
                format!(r"{lhs}&= {} \\ &= {}", segs[0], segs[1..].join(" = "))
            } else {
                line.to_string()
            }
        }
        None => line.to_string(),
    }
}

/// The equations of unit `k` (0-based) at the frame's step with every number substituted, as one
/// KaTeX `aligned` block: each gate as act(recurrent + input + bias) = act(pre) = value, then the
/// state update, then the loss term (when the step has a target). With `wrap`, each equation
/// takes two lines (symbols, then numbers) for narrow screens.
pub fn live_tex(spec: &ModelSpec, frame: &Frame, k: usize, wrap: bool) -> Result<String> {
    let h = frame.h.len();
    if k >= h {
        return Err(CoreError::invalid(
            "unit",
            format!("{} is outside 1..={h}", k + 1),
        ));
    }
    let gate = |name: &str| {
        frame
            .gates
            .iter()
            .find(|g| g.name == name)
            .ok_or_else(|| CoreError::invalid("frame", format!("has no gate {name}")))
    };
    let mut lines = vec![format!(r"&t = {},\; k = {}", frame.t + 1, k + 1)];
    let gate_line = |sym: &str, act: &str, name: &str| -> Result<String> {
        let g = gate(name)?;
        Ok(format!(
            r"{sym}_t[k] &= {act}({} + {} + {}) = {act}({}) = {}",
            num(g.rec[k]),
            term(g.inp[k]),
            term(g.bias[k]),
            num(g.pre[k]),
            num(g.val[k])
        ))
    };
    let (hp, hk) = (frame.h_prev[k], frame.h[k]);
    match spec.cell {
        CellKind::Rnn => {
            let a = act_tex(spec.activation);
            let g = gate("h")?;
            let inner = format!(
                "{a}({} + {} + {})",
                num(g.rec[k]),
                term(g.inp[k]),
                term(g.bias[k])
            );
            lines.push(if spec.residual {
                format!(
                    r"h_t[k] &= h_{{t-1}}[k] + {inner} = {} + {a}({}) = {}",
                    num(hp),
                    num(g.pre[k]),
                    num(hk)
                )
            } else {
                format!(r"h_t[k] &= {inner} = {a}({}) = {}", num(g.pre[k]), num(hk))
            });
        }
        CellKind::Lstm => {
            for q in ["i", "f", "o"] {
                lines.push(gate_line(q, r"\sigma", q)?);
            }
            lines.push(gate_line("g", r"\tanh", "g")?);
            let (i, f, o, g) = (
                gate("i")?.val[k],
                gate("f")?.val[k],
                gate("o")?.val[k],
                gate("g")?.val[k],
            );
            let (cp, c) = (
                frame.c_prev.get(k).copied().unwrap_or(0.0),
                frame.c.get(k).copied().unwrap_or(f64::NAN),
            );
            lines.push(format!(
                r"c_t[k] &= f_t[k]\,c_{{t-1}}[k] + i_t[k]\,g_t[k] = {} \cdot {} + {} \cdot {} = {}",
                num(f),
                term(cp),
                num(i),
                term(g),
                num(c)
            ));
            lines.push(format!(
                r"h_t[k] &= o_t[k]\tanh(c_t[k]) = {} \cdot \tanh({}) = {}",
                num(o),
                num(c),
                num(hk)
            ));
        }
        CellKind::Gru => {
            lines.push(gate_line("z", r"\sigma", "z")?);
            lines.push(gate_line("r", r"\sigma", "r")?);
            let cand = gate_symbol(CellKind::Gru, spec.gru, "n");
            lines.push(gate_line(cand, r"\tanh", "n")?);
            let (z, n) = (gate("z")?.val[k], gate("n")?.val[k]);
            lines.push(match spec.gru {
                GruVariant::Lecture => format!(
                    r"h_t[k] &= (1 - z_t[k])\,h_{{t-1}}[k] + z_t[k]\,\tilde h_t[k] = (1 - {})\cdot {} + {} \cdot {} = {}",
                    num(z),
                    term(hp),
                    num(z),
                    term(n),
                    num(hk)
                ),
                GruVariant::Torch => format!(
                    r"h_t[k] &= (1 - z_t[k])\,n_t[k] + z_t[k]\,h_{{t-1}}[k] = (1 - {})\cdot {} + {} \cdot {} = {}",
                    num(z),
                    term(n),
                    num(z),
                    term(hp),
                    num(hk)
                ),
            });
        }
    }
    if let (Some(target), Some(loss)) = (&frame.target, frame.loss) {
        lines.push(format!(
            r"J^{{(t)}} &= -\log \hat y_t(x_{{t+1}}) = -\log {} = {}",
            num(target.p),
            num(loss)
        ));
    }
    if wrap {
        lines = lines.iter().map(|l| wrap_line(l)).collect();
    }
    Ok(format!(
        r"\begin{{aligned}}{}\end{{aligned}}",
        lines.join(r"\\")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};
    use crate::core::stepper::{Candidate, GateFrame, Stepper, Weights};
    use crate::core::train::data::TokenKind;

    #[test]
    fn default_round_trips_and_bad_values_name_their_field() {
        let c = StepperViewConfig::default();
        c.validate().unwrap();
        let pairs = to_url_pairs(&c).unwrap();
        let keys: Vec<_> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "cell", "gru", "hidden", "lang", "seed", "step", "text", "tokens", "unit",
                "weights"
            ]
        );
        let (back, errs) = from_url_pairs::<StepperViewConfig, _, _>(&pairs);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
        let (c, errs) = from_url_pairs::<StepperViewConfig, _, _>(&[
            ("text", "   "),
            ("hidden", "40"),
            ("step", "0"),
            ("unit", "33"),
            ("cell", "gru"),
            ("tokens", "char"),
            ("seed", "-1"),
        ]);
        let mut keys: Vec<_> = errs.iter().map(|e| e.key.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["hidden", "seed", "step", "text", "unit"]);
        assert_eq!(c.model.cell, CellKind::Gru);
        assert_eq!(c.model.tokens, TokenKind::Char);
        assert_eq!((c.model.hidden, c.step, c.unit), (8, 1, 1));
        assert_eq!(c.model.text, "the students opened their");
        let long = "a ".repeat(65);
        let (_, errs) = from_url_pairs::<StepperViewConfig, _, _>(&[("text", long.as_str())]);
        assert!(errs[0].message.contains("65 tokens"), "{errs:?}");
    }

    #[test]
    fn clamping_to_a_shorter_sentence_and_a_smaller_model() {
        let mut c = StepperViewConfig {
            step: 9,
            unit: 20,
            ..Default::default()
        };
        c.clamp_to(4, 16);
        assert_eq!((c.step, c.unit), (4, 16));
        c.clamp_to(5, 32);
        assert_eq!((c.step, c.unit), (4, 16));
    }

    fn gate(name: &str, rec: f64, inp: f64, bias: f64, val: f64) -> GateFrame {
        GateFrame {
            name: name.into(),
            rec: vec![rec],
            inp: vec![inp],
            bias: vec![bias],
            pre: vec![rec + inp + bias],
            val: vec![val],
        }
    }

    /// An LSTM frame with H = 1 worked by hand: i = σ(ln 3) = 3/4, f = σ(0) = 1/2, o = 3/4,
    /// g = tanh(ln 2) = 3/5, c_{t−1} = −0.2 → c = ½·(−0.2) + ¾·⅗ = 0.35, h = ¾·tanh(0.35) = 0.25223…
    fn lstm_frame() -> Frame {
        let ln3 = 3f64.ln();
        let c: f64 = 0.35;
        Frame {
            t: 2,
            token: "opened".into(),
            id: 3,
            gates: vec![
                gate("i", 0.5, ln3 - 0.25, -0.25, 0.75),
                gate("f", -1.0, 0.5, 0.5, 0.5),
                gate("o", 0.0, ln3, 0.0, 0.75),
                gate("g", 2f64.ln(), 0.0, 0.0, 0.6),
            ],
            h_prev: vec![0.1],
            h: vec![0.75 * c.tanh()],
            c_prev: vec![-0.2],
            c: vec![c],
            top: vec![],
            target: Some(Candidate {
                id: 4,
                token: "their".into(),
                p: 0.5,
            }),
            target_rank: Some(1),
            loss: Some(2f64.ln()),
            entropy: 1.0,
        }
    }

    #[test]
    fn live_lstm_equations_worked_by_hand() {
        let spec = ModelSpec {
            cell: CellKind::Lstm,
            ..ModelSpec::default()
        };
        let tex = live_tex(&spec, &lstm_frame(), 0, false).unwrap();
        // ln 3 − 0.25 = 0.848612…, ln 3 = 1.098612…, ln 2 = 0.693147…; tanh(0.35) = 0.336376…
        for want in [
            r"&t = 3,\; k = 1",
            r"i_t[k] &= \sigma(0.500 + 0.849 + (-0.250)) = \sigma(1.099) = 0.750",
            r"f_t[k] &= \sigma(-1.000 + 0.500 + 0.500) = \sigma(0.000) = 0.500",
            r"g_t[k] &= \tanh(0.693 + 0.000 + 0.000) = \tanh(0.693) = 0.600",
            r"c_t[k] &= f_t[k]\,c_{t-1}[k] + i_t[k]\,g_t[k] = 0.500 \cdot (-0.200) + 0.750 \cdot 0.600 = 0.350",
            r"h_t[k] &= o_t[k]\tanh(c_t[k]) = 0.750 \cdot \tanh(0.350) = 0.252",
            r"J^{(t)} &= -\log \hat y_t(x_{t+1}) = -\log 0.500 = 0.693",
        ] {
            assert!(tex.contains(want), "missing {want}\nin {tex}");
        }
        assert!(tex.starts_with(r"\begin{aligned}") && tex.ends_with(r"\end{aligned}"));
        // Wrapped for phones: the symbols on one line, the numbers on the next.
        let wrapped = live_tex(&spec, &lstm_frame(), 0, true).unwrap();
        assert!(wrapped.contains(
            r"c_t[k] &= f_t[k]\,c_{t-1}[k] + i_t[k]\,g_t[k] \\ &= 0.500 \cdot (-0.200) + 0.750 \cdot 0.600 = 0.350"
        ), "{wrapped}");
        assert!(wrapped.contains(r"&t = 3,\; k = 1\\"));
        assert!(live_tex(&spec, &lstm_frame(), 1, false).is_err());
        // The last step has no target, so no loss line.
        let mut last = lstm_frame();
        last.target = None;
        last.loss = None;
        assert!(!live_tex(&spec, &last, 0, false)
            .unwrap()
            .contains("J^{(t)}"));
    }

    #[test]
    fn gru_and_rnn_equations_follow_their_convention() {
        // GRU worked by hand (H = 1): z = ¾, r = ½, h̃ = ⅗, h_{t−1} = 2:
        // lecture h = ¼·2 + ¾·⅗ = 0.95; PyTorch h = ¼·⅗ + ¾·2 = 1.65.
        let mut f = lstm_frame();
        f.gates = vec![
            gate("z", 0.0, 0.0, 3f64.ln(), 0.75),
            gate("r", 0.0, 0.0, 0.0, 0.5),
            gate("n", 1.0, 0.0, 2f64.ln() - 1.0, 0.6),
        ];
        f.h_prev = vec![2.0];
        f.h = vec![0.95];
        let lecture = ModelSpec {
            cell: CellKind::Gru,
            ..ModelSpec::default()
        };
        let tex = live_tex(&lecture, &f, 0, false).unwrap();
        assert!(tex.contains(
            r"h_t[k] &= (1 - z_t[k])\,h_{t-1}[k] + z_t[k]\,\tilde h_t[k] = (1 - 0.750)\cdot 2.000 + 0.750 \cdot 0.600 = 0.950"
        ), "{tex}");
        assert!(tex.contains(r"\tilde h_t[k] &= \tanh(1.000 + 0.000 + (-0.307))"));
        f.h = vec![1.65];
        let torch = ModelSpec {
            gru: GruVariant::Torch,
            ..lecture.clone()
        };
        let tex = live_tex(&torch, &f, 0, false).unwrap();
        assert!(tex.contains(
            r"h_t[k] &= (1 - z_t[k])\,n_t[k] + z_t[k]\,h_{t-1}[k] = (1 - 0.750)\cdot 0.600 + 0.750 \cdot 2.000 = 1.650"
        ), "{tex}");
        assert!(equations_tex(&torch).contains(r"n_t &= \tanh(r_t \odot (W_{hn}h_{t-1} + b_{hn})"));
        assert!(equations_tex(&lecture)
            .contains(r"h_t &= (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t"));

        // Vanilla RNN: h = tanh(0.2 − 0.1 + 0) = tanh(0.1) = 0.0997; residual adds h_{t−1}.
        let mut r = lstm_frame();
        r.gates = vec![gate("h", 0.2, -0.1, 0.0, 0.1f64.tanh())];
        r.h = vec![0.1f64.tanh()];
        let rnn = ModelSpec {
            cell: CellKind::Rnn,
            ..ModelSpec::default()
        };
        let tex = live_tex(&rnn, &r, 0, false).unwrap();
        assert!(
            tex.contains(r"h_t[k] &= \tanh(0.200 + (-0.100) + 0.000) = \tanh(0.100) = 0.100"),
            "{tex}"
        );
        r.h = vec![0.1 + 0.1f64.tanh()];
        let res = ModelSpec {
            residual: true,
            ..rnn.clone()
        };
        assert!(live_tex(&res, &r, 0, false)
            .unwrap()
            .contains(r"= 0.100 + \tanh(0.100) = 0.200"));
        assert!(equations_tex(&res).contains(r"h_t &= h_{t-1} + \tanh("));
        assert!(equations_tex(&rnn).contains(r"J^{(t)} &= -\log \hat y_t(x_{t+1})"));
    }

    #[test]
    fn live_equations_of_a_real_stepper_end_in_its_state() {
        // The h (and c) line of every step and unit ends in the frame's h_t[k] (c_t[k]); for the
        // LSTM the printed factors also give c_t to display precision.
        for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
            let cfg = StepperConfig {
                cell,
                weights: Weights::Random,
                hidden: 4,
                ..Default::default()
            };
            let s = Stepper::new(cfg, None).unwrap();
            let spec = s.model().spec().clone();
            for t in 0..s.len() {
                let f = s.frame(t).unwrap();
                for k in 0..4 {
                    let tex = live_tex(&spec, f, k, false).unwrap();
                    let body = tex
                        .trim_start_matches(r"\begin{aligned}")
                        .trim_end_matches(r"\end{aligned}");
                    let line = |p: &str| {
                        body.split(r"\\")
                            .find(|l| l.starts_with(p))
                            .unwrap_or_else(|| panic!("no {p} line in {tex}"))
                    };
                    assert!(
                        line("h_t[k]").ends_with(&format!("= {}", num(f.h[k]))),
                        "{tex}"
                    );
                    if cell == CellKind::Lstm {
                        assert!(line("c_t[k]").ends_with(&format!("= {}", num(f.c[k]))));
                        let g = |q: usize| f.gates[q].val[k];
                        let c = g(1) * f.c_prev[k] + g(0) * g(3);
                        assert!((c - f.c[k]).abs() < 1e-12);
                    }
                    if let Some(loss) = f.loss {
                        assert!(line("J^{(t)}").ends_with(&format!("= {}", num(loss))));
                    }
                }
            }
        }
    }
}
