//! Gradient-flow charts: log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ against t for several cells on the same inputs, with
//! the chain-rule bound beside each measured curve, and the per-step Jacobian norms whose product
//! that bound is.
//!
//! Lecture point (DeepIntoDeep RNN lecture §3, "vanishing and exploding gradients"; Bengio, Simard
//! and Frasconi 1994; Pascanu, Mikolov and Bengio 2013, "On the difficulty of training recurrent
//! neural networks"): by the chain rule
//!
//! ```text
//! ∂J⁽ᵀ⁾/∂h_t = ∂J⁽ᵀ⁾/∂h_T · Π_{k=t+1}^{T} ∂h_k/∂h_{k−1}
//! ‖∂J⁽ᵀ⁾/∂h_t‖ ≤ ‖∂J⁽ᵀ⁾/∂h_T‖ · Π_{k=t+1}^{T} ‖∂h_k/∂h_{k−1}‖₂
//! ```
//!
//! so on a log scale the signal changes by log₁₀ ‖∂h_k/∂h_{k−1}‖ per step: a straight line down
//! (vanishing) when the Jacobian norms stay below 1, up (exploding) when above. Gated cells (LSTM,
//! GRU) and the residual connection add an identity-like path that keeps the factors near 1. All
//! numbers come from [`crate::core::flow`]; this module only draws them.

use super::palette;
use super::{
    axis_label, legend_strip, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use crate::core::config::WidgetConfig;
use crate::core::error::Result;
use crate::core::flow::{Curve, CurveKind, FlowConfig, FlowResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

/// Settings of the gradient-flow widget: the experiment's [`FlowConfig`] (flattened: every field is
/// one URL key, see there for defaults and ranges) plus the chart language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowViewConfig {
    /// The experiment.
    #[serde(flatten)]
    pub flow: FlowConfig,
    /// Language of the chart text. Default `ko`.
    pub lang: Lang,
}

impl Default for FlowViewConfig {
    /// The experiment's defaults, except the clipping threshold: 0.25 instead of 1, so that with
    /// the default seed the tanh RNN's gradient (‖g‖ ≈ 0.44) is actually clipped.
    fn default() -> Self {
        FlowViewConfig {
            flow: FlowConfig {
                clip_threshold: 0.25,
                ..FlowConfig::default()
            },
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for FlowViewConfig {
    fn validate(&self) -> Result<()> {
        self.flow.validate()
    }
}

/// The fixed colour of a curve in every chart (Okabe–Ito; the four activations as in the
/// activation chart).
pub fn curve_colour(kind: CurveKind) -> RGBColor {
    match kind {
        CurveKind::Tanh => palette::BLUE,
        CurveKind::Relu => palette::VERMILLION,
        CurveKind::Sigmoid => palette::BLUISH_GREEN,
        CurveKind::Identity => palette::REDDISH_PURPLE,
        CurveKind::Residual => palette::ORANGE,
        CurveKind::Lstm => palette::SKY_BLUE,
        CurveKind::Gru => palette::BLACK,
    }
}

/// The legend name of a curve.
pub fn curve_label(kind: CurveKind, lang: Lang) -> &'static str {
    match kind {
        CurveKind::Tanh => "RNN tanh",
        CurveKind::Relu => "RNN ReLU",
        CurveKind::Sigmoid => "RNN σ",
        CurveKind::Identity => lang.pick("RNN 항등(선형)", "RNN identity"),
        CurveKind::Residual => lang.pick("잔차 RNN (tanh)", "residual RNN (tanh)"),
        CurveKind::Lstm => "LSTM",
        CurveKind::Gru => "GRU",
    }
}

/// log₁₀ of a norm; a zero norm (e.g. every ReLU unit off) gives −∞, which charts leave out.
pub fn log10(x: f64) -> f64 {
    x.log10()
}

/// The finite range of `values` padded by 6 % (at least one decade), or (−1, 1) when none is finite.
fn padded_range<'a>(values: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    if hi - lo < 1.0 {
        let mid = 0.5 * (lo + hi);
        lo = mid - 0.5;
        hi = mid + 0.5;
    }
    let pad = 0.06 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Splits a series into runs of finite points, so a −∞ (zero norm) or NaN breaks the line.
fn finite_runs(xy: impl Iterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (x, y) in xy {
        if y.is_finite() {
            if let Some(r) = runs.last_mut() {
                r.push((x, y));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

fn mesh_fonts(style: &ChartStyle) -> (TextStyle<'static>, TextStyle<'static>) {
    (
        (ChartStyle::FONT_FAMILY, style.tick_px())
            .into_font()
            .color(&BLACK),
        (ChartStyle::FONT_FAMILY, style.label_px())
            .into_font()
            .color(&BLACK),
    )
}

fn mapping<DB: DrawingBackend>(
    chart: &ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    (width, height): (u32, u32),
    (x_min, x_max, y_min, y_max): (f64, f64, f64, f64),
) -> ChartMapping {
    let (left, bottom) = chart.backend_coord(&(x_min, y_min));
    let (right, top) = chart.backend_coord(&(x_max, y_max));
    ChartMapping {
        width,
        height,
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
        x_min,
        x_max,
        y_min,
        y_max,
    }
}

fn legend_label(c: &Curve, lang: Lang) -> String {
    let name = curve_label(c.kind, lang);
    if c.finite {
        name.to_string()
    } else {
        format!("{name} — {}", lang.pick("발산(오버플로)", "overflow"))
    }
}

/// Draws log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ against t = 1 … T for every curve of `result` (solid) and its
/// chain-rule bound where computed (dashed, same colour). Returns the mapping (x = t, y = log₁₀).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &FlowResult,
    lang: Lang,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let t_len = result
        .curves
        .first()
        .map(|c| c.grad_norm.len())
        .ok_or_else(|| DrawError("no curves to draw".into()))?;
    let dims = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let logs: Vec<Vec<f64>> = result
        .curves
        .iter()
        .map(|c| c.grad_norm.iter().map(|&g| log10(g)).collect())
        .collect();
    let mut entries: Vec<LegendEntry> = result
        .curves
        .iter()
        .map(|c| LegendEntry {
            label: legend_label(c, lang),
            colour: curve_colour(c.kind),
            dashed: false,
        })
        .collect();
    let any_bound = result.curves.iter().any(|c| !c.log10_bound.is_empty());
    if any_bound {
        entries.push(LegendEntry {
            label: lang
                .pick("점선 = 연쇄 법칙 상한", "dashed = chain-rule bound")
                .into(),
            colour: palette::REFERENCE,
            dashed: true,
        });
    }
    let plot_area = legend_strip(area, &entries, style)?;
    let (x_min, x_max) = (1.0, t_len as f64);
    let (y_min, y_max) = padded_range(
        logs.iter()
            .flatten()
            .chain(result.curves.iter().flat_map(|c| c.log10_bound.iter())),
    );
    let (tick_font, label_font) = mesh_fonts(style);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(if style.compact { 5 } else { 10 })
        .y_labels(if style.compact { 5 } else { 8 })
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}").replace('-', "−"))
        .x_desc(axis_label("t", Unit::Steps, lang))
        .y_desc(axis_label("log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖", Unit::Dimensionless, lang))
        .label_style(tick_font)
        .axis_desc_style(label_font)
        .draw()?;
    let line = style.line_px();
    let dash = (7.0 * style.scale).round().max(2.0) as u32;
    for (c, log) in result.curves.iter().zip(&logs) {
        let colour = curve_colour(c.kind);
        if !c.log10_bound.is_empty() {
            for run in finite_runs(
                c.log10_bound
                    .iter()
                    .enumerate()
                    .map(|(t, &v)| (t as f64 + 1.0, v)),
            ) {
                chart.draw_series(DashedLineSeries::new(
                    run,
                    dash,
                    dash / 2 + 1,
                    colour.stroke_width((line / 2).max(1) + 1),
                ))?;
            }
        }
        for run in finite_runs(log.iter().enumerate().map(|(t, &v)| (t as f64 + 1.0, v))) {
            chart.draw_series(LineSeries::new(run, colour.stroke_width(line)))?;
        }
    }
    let m = mapping(&chart, dims, (x_min, x_max, y_min, y_max));
    area.present()?;
    Ok(m)
}

/// Draws log₁₀ ‖∂h_t/∂h_{t−1}‖₂ (LSTM: of the (h, c) state) against t for every curve whose bound
/// was computed, with the reference line ‖·‖ = 1 (log 0). Above it a step amplifies the gradient,
/// below it shrinks it. `note` is written in the middle when no curve has Jacobian norms yet.
pub fn draw_jacobians<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &FlowResult,
    lang: Lang,
    note: &str,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let t_len = result
        .curves
        .first()
        .map(|c| c.grad_norm.len())
        .ok_or_else(|| DrawError("no curves to draw".into()))?;
    let dims = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let with: Vec<(&Curve, Vec<f64>)> = result
        .curves
        .iter()
        .filter(|c| !c.jacobian_norm.is_empty())
        .map(|c| (c, c.jacobian_norm.iter().map(|&j| log10(j)).collect()))
        .collect();
    let mut entries: Vec<LegendEntry> = with
        .iter()
        .map(|(c, _)| LegendEntry {
            label: curve_label(c.kind, lang).into(),
            colour: curve_colour(c.kind),
            dashed: false,
        })
        .collect();
    entries.push(LegendEntry {
        label: lang
            .pick("‖∂h_t/∂h_t−1‖ = 1 (유지)", "‖∂h_t/∂h_t−1‖ = 1 (kept)")
            .into(),
        colour: palette::REFERENCE,
        dashed: true,
    });
    let plot_area = legend_strip(area, &entries, style)?;
    let (x_min, x_max) = (1.0, t_len as f64);
    let (y_min, y_max) = padded_range(
        with.iter()
            .flat_map(|(_, v)| v.iter())
            .chain(std::iter::once(&0.0)),
    );
    let (tick_font, label_font) = mesh_fonts(style);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(if style.compact { 5 } else { 10 })
        .y_labels(if style.compact { 4 } else { 6 })
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.2}").replace('-', "−"))
        .x_desc(axis_label("t", Unit::Steps, lang))
        .y_desc(axis_label("log₁₀ ‖∂h_t/∂h_t−1‖", Unit::Dimensionless, lang))
        .label_style(tick_font.clone())
        .axis_desc_style(label_font)
        .draw()?;
    let dash = (6.0 * style.scale).round().max(2.0) as u32;
    chart.draw_series(DashedLineSeries::new(
        [(x_min, 0.0), (x_max, 0.0)],
        dash,
        dash / 2 + 1,
        palette::REFERENCE.stroke_width(2),
    ))?;
    let line = (style.line_px() / 2).max(1) + 1;
    for (c, v) in &with {
        for run in finite_runs(v.iter().enumerate().map(|(t, &y)| (t as f64 + 1.0, y))) {
            chart.draw_series(LineSeries::new(
                run,
                curve_colour(c.kind).stroke_width(line),
            ))?;
        }
    }
    let m = mapping(&chart, dims, (x_min, x_max, y_min, y_max));
    if with.is_empty() && !note.is_empty() {
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(
            note.to_string(),
            (
                ((m.left + m.right) / 2.0) as i32 - bx,
                ((m.top + m.bottom) / 2.0) as i32 - by,
            ),
            tick_font
                .color(&palette::REFERENCE)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    area.present()?;
    Ok(m)
}

/// The numbers under the cursor at step t (1-based) for one curve.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadoutRow {
    /// Curve name (`tanh`, `lstm`, …).
    pub kind: CurveKind,
    /// Legend label.
    pub label: String,
    /// log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ (−∞ for a zero norm; NaN after an overflow).
    pub log10_grad: f64,
    /// log₁₀ ‖∂J⁽ᵀ⁾/∂c_t‖ (LSTM only).
    pub log10_grad_c: Option<f64>,
    /// log₁₀ of the chain-rule bound, when computed.
    pub log10_bound: Option<f64>,
    /// log₁₀ ‖∂h_t/∂h_{t−1}‖₂, when computed.
    pub log10_jacobian: Option<f64>,
}

/// Every curve's numbers at step `t` (1-based; clamped to 1 … T).
pub fn readout(result: &FlowResult, t: usize, lang: Lang) -> Vec<ReadoutRow> {
    result
        .curves
        .iter()
        .map(|c| {
            let i = t.clamp(1, c.grad_norm.len().max(1)) - 1;
            ReadoutRow {
                kind: c.kind,
                label: legend_label(c, lang),
                log10_grad: c.grad_norm.get(i).map_or(f64::NAN, |&g| log10(g)),
                log10_grad_c: c.grad_norm_c.get(i).map(|&g| log10(g)),
                log10_bound: c.log10_bound.get(i).copied(),
                log10_jacobian: c.jacobian_norm.get(i).map(|&j| log10(j)),
            }
        })
        .collect()
}

/// The legend colours as CSS hex, keyed by curve name, so the page's toggles match the lines.
pub fn colours_hex() -> Vec<(&'static str, String)> {
    CurveKind::ALL
        .into_iter()
        .map(|k| (k.name(), palette::hex(curve_colour(k))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};
    use crate::core::flow::run;

    #[test]
    fn config_round_trips_and_reports_bad_fields() {
        let c = FlowViewConfig::default();
        c.validate().unwrap();
        let pairs = to_url_pairs(&c).unwrap();
        assert_eq!(pairs.len(), 18);
        let (back, errs) = from_url_pairs::<FlowViewConfig, _, _>(&pairs);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
        let (c, errs) = from_url_pairs::<FlowViewConfig, _, _>(&[
            ("radius", "5"),
            ("seq_len", "201"),
            ("clip_curve", "lstm"),
            ("clip_threshold", "0"),
            ("lr", "0.1"),
        ]);
        let mut keys: Vec<_> = errs.iter().map(|e| e.key.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["clip_threshold", "radius", "seq_len"]);
        assert_eq!(c.flow.clip_curve, CurveKind::Lstm);
        assert_eq!((c.flow.radius, c.flow.seq_len, c.flow.lr), (1.0, 60, 0.1));
    }

    #[test]
    fn the_default_view_shows_clipping_at_work() {
        let c = FlowViewConfig::default();
        let r = run(&c.flow).unwrap();
        let clip = &r.clip;
        assert!(clip.norm_before > c.flow.clip_threshold, "{clip:?}");
        assert!((clip.norm_after - 0.25).abs() < 1e-12);
        assert!(
            (clip.norm_before - 0.444).abs() < 0.001,
            "doc says ≈ 0.44: {clip:?}"
        );
    }

    #[test]
    fn finite_runs_break_at_zero_norms() {
        let runs = finite_runs(
            [1.0, f64::NEG_INFINITY, 2.0, 3.0, f64::NAN]
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i as f64, v)),
        );
        assert_eq!(runs, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]);
        assert_eq!(padded_range([f64::NEG_INFINITY].iter()), (-1.0, 1.0));
        // A flat series gets one decade: [2.5, 3.5] padded by 0.06.
        let (lo, hi) = padded_range([3.0, 3.0].iter());
        assert!((lo - 2.44).abs() < 1e-12 && (hi - 3.56).abs() < 1e-12);
    }

    #[test]
    fn draws_measured_curves_and_their_bounds_at_the_right_place() {
        let cfg = FlowConfig {
            seq_len: 20,
            hidden: 6,
            radius: 0.6,
            ..FlowConfig::with_curves(&[CurveKind::Identity, CurveKind::Lstm])
        };
        let r = run(&cfg).unwrap();
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
            draw(&root, &r, Lang::En, &ChartStyle::for_canvas(900, 1.0)).unwrap()
        };
        assert_eq!((m.x_min, m.x_max), (1.0, 20.0));
        // The identity curve's polyline (its colour, 20 points) starts at (1, log₁₀ g_0).
        let purple = palette::hex(palette::REDDISH_PURPLE).to_uppercase();
        let first = svg
            .split("<polyline")
            .skip(1)
            .find(|p| {
                p.to_uppercase().contains(&purple)
                    && !p.contains("stroke-dasharray")
                    && p.split("points=\"").nth(1).is_some_and(|pts| {
                        pts.split('"')
                            .next()
                            .unwrap_or("")
                            .split_whitespace()
                            .count()
                            == 20
                    })
            })
            .expect("identity curve");
        let i = first.find("points=\"").unwrap() + 8;
        let (x, y) = first[i..]
            .split_whitespace()
            .next()
            .unwrap()
            .split_once(',')
            .unwrap();
        let (px, py) = m.to_pixel(1.0, r.curves[0].grad_norm[0].log10());
        assert!((x.parse::<f64>().unwrap() - px).abs() <= 1.0);
        assert!((y.parse::<f64>().unwrap() - py).abs() <= 1.0);
        assert!(svg.contains("log₁₀ ‖∂J⁽ᵀ⁾/∂h_t‖ (unitless)"));
        assert!(svg.contains("t (steps)"));
        assert!(svg.contains("RNN identity") && svg.contains("LSTM"));
        assert!(svg.contains("chain-rule bound"));
        // Readout at t = 20 (the last step): the bound equals the measured value there (RNN).
        let rows = readout(&r, 20, Lang::En);
        assert_eq!(rows.len(), 2);
        let id = &rows[0];
        assert!((id.log10_bound.unwrap() - id.log10_grad).abs() < 1e-12);
        assert!(rows[1].log10_grad_c.is_some() && id.log10_grad_c.is_none());
        // Jacobian chart: both curves plus the reference line.
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 400)).into_drawing_area();
            draw_jacobians(&root, &r, Lang::Ko, "", &ChartStyle::for_canvas(900, 1.0)).unwrap();
        }
        assert!(svg.contains("유지"));
        assert!(svg.contains("log₁₀ ‖∂h_t/∂h_t−1‖ (무차원)"));
    }

    #[test]
    fn overflow_is_named_in_the_legend_and_without_bounds_a_note_is_shown() {
        // A pass that overflowed (built by hand: with ρ ≤ 4 and T ≤ 200 f64 rarely overflows).
        let cfg = FlowConfig {
            seq_len: 10,
            hidden: 4,
            bound: false,
            ..FlowConfig::with_curves(&[CurveKind::Identity])
        };
        let mut r = run(&cfg).unwrap();
        r.curves[0].finite = false;
        r.curves[0].grad_norm[3] = f64::NAN;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
            draw(&root, &r, Lang::En, &ChartStyle::for_canvas(900, 1.0)).unwrap();
        }
        assert!(svg.contains("RNN identity — overflow"));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 400)).into_drawing_area();
            draw_jacobians(
                &root,
                &r,
                Lang::En,
                "turn on the bound",
                &ChartStyle::for_canvas(900, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("turn on the bound"));
    }
}
