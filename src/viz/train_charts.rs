//! The training lab's charts, drawn on any plotters backend: the loss (or perplexity) curves, the
//! gradient norm before and after clipping with the threshold line, and the next-token probability
//! bars. The series come from [`super::train_lab`]; this file only draws them and reports where the
//! plot area landed ([`ChartMapping`]) for hover readouts.
//!
//! The gradient chart uses a log scale (a norm that explodes spans many decades). It is drawn on a
//! linear axis over log10 ‖g‖ with tick labels written as 10^y, so its mapping's y values are
//! log10 units.

use super::train_lab::{bars_y_max, trim_number, ChartSeries, TokenBar};
use super::{axis_label, legend_strip, palette, ChartMapping, ChartStyle, DrawError, Lang};
use super::{LegendEntry, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colour of the ordinary probability bars.
pub const BAR_COLOUR: RGBColor = palette::BLUE;
/// Colour of the highlighted bar (the greedy choice).
pub const PICK_COLOUR: RGBColor = palette::VERMILLION;
/// Colour of the "all other tokens" bar.
pub const REST_COLOUR: RGBColor = RGBColor(150, 150, 150);

/// Formats a step count for tick labels: `950`, `12k`, `1.5M`.
pub fn step_label(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim_number((v / 1e5).round() / 10.0))
    } else if a >= 1e4 {
        format!("{}k", trim_number((v / 100.0).round() / 10.0))
    } else {
        format!("{}", v.round())
    }
}

/// Formats a value with about 3 significant digits (`0.0123`, `4.56`, `1e5`).
pub fn value_label(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        let e = a.log10().floor();
        let m = v / 10f64.powf(e);
        if (m.abs() - 1.0).abs() < 0.05 {
            format!("{}1e{}", if v < 0.0 { "−" } else { "" }, e)
        } else {
            format!("{m:.1}e{e}")
        }
    } else {
        let digits = (2 - a.log10().floor() as i32).clamp(0, 4) as usize;
        let s = format!("{v:.digits$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        s.replace('-', "−")
    }
}

/// Draws a line chart of `series` with the given axis names; `empty_text` is shown while there
/// is no data. Returns the plot area's mapping (y in log10 units on a log chart).
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &ChartSeries,
    x_desc: &str,
    y_desc: &str,
    empty_text: &str,
    style: &ChartStyle,
    lang: Lang,
) -> Result<ChartMapping, DrawError> {
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let mut entries: Vec<LegendEntry> = series
        .lines
        .iter()
        .map(|l| LegendEntry {
            label: l.label.clone(),
            colour: l.colour,
            dashed: l.dashed,
        })
        .collect();
    if let Some((_, label)) = &series.threshold {
        entries.push(LegendEntry {
            label: label.clone(),
            colour: palette::REFERENCE,
            dashed: true,
        });
    }
    let plot_area = legend_strip(area, &entries, style)?;
    let family = ChartStyle::FONT_FAMILY;
    let tick_font = (family, style.tick_px()).into_font().color(&BLACK);
    let label_font = (family, style.label_px()).into_font().color(&BLACK);
    let (x0, x1) = series.x;
    let (y0, y1) = series.y;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let log_y = series.log_y;
    let y_fmt = move |v: &f64| {
        if log_y {
            value_label(10f64.powf(*v))
        } else {
            value_label(*v)
        }
    };
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(if style.compact { 4 } else { 8 })
        .y_labels(if log_y {
            0
        } else if style.compact {
            5
        } else {
            7
        })
        .x_label_formatter(&|v| step_label(*v))
        .y_label_formatter(&y_fmt)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(tick_font.clone())
        .axis_desc_style(label_font.clone())
        .draw()?;

    if log_y {
        // Decade ticks (with 2× and 5× between when there is room), drawn by hand: a linear axis
        // over log10 would put ticks at 10^0.4, 10^0.6, …
        let tick_len = (5.0 * style.scale).round() as i32;
        for v in log_ticks(y0, y1) {
            let (lx, py) = chart.backend_coord(&(x0, v));
            let (rx, _) = chart.backend_coord(&(x1, v));
            area.draw(&PathElement::new(
                [(lx, py), (rx, py)],
                palette::GRID.stroke_width(1),
            ))?;
            area.draw(&PathElement::new(
                [(lx - tick_len, py), (lx, py)],
                BLACK.stroke_width(1),
            ))?;
            area.draw(&Text::new(
                value_label(10f64.powf(v)),
                (lx - tick_len - (3.0 * style.scale) as i32, py),
                tick_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
    }
    let line = style.line_px();
    let dash = (7.0 * style.scale).round().max(2.0) as u32;
    let gap = (5.0 * style.scale).round().max(2.0) as u32;
    let thin = 1.max(style.scale.round() as u32);
    if let Some((t, _)) = &series.threshold {
        chart.draw_series(DashedLineSeries::new(
            [(x0, *t), (x1, *t)],
            dash,
            gap,
            palette::REFERENCE.stroke_width(thin + 1),
        ))?;
    }
    for (s, c) in &series.diverged {
        chart.draw_series(DashedLineSeries::new(
            [(*s, y0), (*s, y1)],
            dash / 2 + 1,
            gap / 2 + 1,
            c.stroke_width(thin + 1),
        ))?;
        let (px, py) = chart.backend_coord(&(*s, y1));
        area.draw(&Text::new(
            lang.pick("발산", "diverged").to_string(),
            (
                px - (4.0 * style.scale) as i32,
                py + (4.0 * style.scale) as i32,
            ),
            tick_font
                .clone()
                .color(c)
                .pos(Pos::new(HPos::Right, VPos::Top)),
        ))?;
    }
    let radius = (3.5 * style.scale).round().max(2.0) as i32;
    for l in &series.lines {
        if l.points.is_empty() {
            continue;
        }
        let st = l.colour.stroke_width(line);
        if l.dashed {
            chart.draw_series(DashedLineSeries::new(
                l.points.iter().copied(),
                dash,
                gap,
                st,
            ))?;
        } else {
            chart.draw_series(LineSeries::new(l.points.iter().copied(), st))?;
        }
        if l.markers || l.points.len() == 1 {
            chart.draw_series(
                l.points
                    .iter()
                    .map(|&p| Circle::new(p, radius, l.colour.filled())),
            )?;
        }
    }
    let (left, bottom) = chart.backend_coord(&(x0, y0));
    let (right, top) = chart.backend_coord(&(x1, y1));
    if series.empty {
        area.draw(&Text::new(
            empty_text.to_string(),
            ((left + right) / 2, (top + bottom) / 2),
            label_font
                .color(&palette::REFERENCE)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    area.present()?;
    Ok(ChartMapping {
        width,
        height,
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
        x_min: x0,
        x_max: x1,
        y_min: y0,
        y_max: y1,
    })
}

/// Tick positions (log10 units) for a log axis over [lo, hi]: every decade, plus 2× and 5× when
/// that gives at most 8 ticks, plus 1×…9× when the range is within about one decade.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let with = |ms: &[f64]| -> Vec<f64> {
        let mut out = Vec::new();
        let mut e = lo.floor();
        while e <= hi.ceil() {
            for m in ms {
                let v = e + m.log10();
                if v >= lo - 1e-12 && v <= hi + 1e-12 {
                    out.push(v);
                }
            }
            e += 1.0;
        }
        out
    };
    let decades = with(&[1.0]);
    if decades.len() > 4 {
        return decades;
    }
    let more = with(&[1.0, 2.0, 5.0]);
    if more.len() >= 3 {
        return more;
    }
    with(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
}

/// Shortens a bar label to at most `max` characters (with an ellipsis).
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The words on the bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarTexts<'a> {
    /// Legend text beside the bar colour (e.g. the temperature and the entropy).
    pub legend: &'a str,
    /// Legend text of the highlighted bar (e.g. "greedy pick").
    pub pick: &'a str,
    /// The token axis name.
    pub y_desc: &'a str,
    /// Shown instead of bars when there is no distribution yet.
    pub empty: &'a str,
}

/// Draws the next-token distribution as horizontal bars, most probable at the top, each labelled
/// with its probability. `highlight` = index into `bars` drawn in [`PICK_COLOUR`] (the greedy
/// choice). Returns the mapping with x = probability and y = bar slot (slot 0 at the bottom:
/// bar i sits in y ∈ [k − 1 − i, k − i)).
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[TokenBar],
    highlight: Option<usize>,
    texts: &BarTexts<'_>,
    style: &ChartStyle,
    lang: Lang,
) -> Result<ChartMapping, DrawError> {
    let BarTexts {
        legend,
        pick: pick_label,
        y_desc,
        empty,
    } = *texts;
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    if bars.is_empty() {
        let font = (ChartStyle::FONT_FAMILY, style.label_px())
            .into_font()
            .color(&palette::REFERENCE)
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(
            empty.to_string(),
            (width as i32 / 2, height as i32 / 2),
            font,
        ))?;
        area.present()?;
        return Ok(ChartMapping {
            width,
            height,
            left: 0.0,
            right: f64::from(width),
            top: 0.0,
            bottom: f64::from(height),
            x_min: 0.0,
            x_max: 1.0,
            y_min: 0.0,
            y_max: 0.0,
        });
    }
    let mut entries = vec![LegendEntry {
        label: legend.to_string(),
        colour: BAR_COLOUR,
        dashed: false,
    }];
    if highlight.is_some() {
        entries.push(LegendEntry {
            label: pick_label.to_string(),
            colour: PICK_COLOUR,
            dashed: false,
        });
    }
    let plot_area = legend_strip(area, &entries, style)?;
    let family = ChartStyle::FONT_FAMILY;
    let tick_font = (family, style.tick_px()).into_font().color(&BLACK);
    let label_font = (family, style.label_px()).into_font().color(&BLACK);
    let k = bars.len().max(1);
    let x_max = bars_y_max(bars);
    let labels: Vec<String> = bars.iter().map(|b| short(&b.label, 12)).collect();
    let mut widest = 0u32;
    for l in &labels {
        let (w, _) = area.estimate_text_size(l, &tick_font)?;
        widest = widest.max(w);
    }
    let y_area = (widest as f64 + style.label_px() * 2.2).min(width as f64 * 0.45) as u32;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .margin_right(style.margin_px() + (style.tick_px() * 3.6) as u32)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..x_max, (0..k).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(if style.compact { 3 } else { 6 })
        .y_labels(1)
        .y_label_formatter(&|_| String::new())
        .set_tick_mark_size(LabelAreaPosition::Left, 0)
        .x_label_formatter(&|v| value_label(*v))
        .x_desc(axis_label(
            lang.pick("확률 p_τ", "probability p_τ"),
            Unit::Dimensionless,
            lang,
        ))
        .y_desc(y_desc)
        .label_style(tick_font.clone())
        .axis_desc_style(label_font)
        .draw()?;
    let colour = |i: usize| {
        if Some(i) == highlight {
            PICK_COLOUR
        } else if bars[i].id.is_none() {
            REST_COLOUR
        } else {
            BAR_COLOUR
        }
    };
    // Bars in device pixels (the drawing area is the whole canvas), with a gap between slots.
    for (i, b) in bars.iter().enumerate() {
        let slot = k - 1 - i;
        let (x0, y_low) = chart.backend_coord(&(0.0, SegmentValue::Exact(slot)));
        let (x1, y_high) = chart.backend_coord(&(b.p.min(x_max), SegmentValue::Exact(slot + 1)));
        let gap = ((y_low - y_high) as f64 * 0.12).round() as i32;
        area.draw(&Rectangle::new(
            [(x0 + 1, y_high + gap), (x1.max(x0 + 1), y_low - gap)],
            colour(i).filled(),
        ))?;
    }
    // Token labels left of the axis, one per bar (drawn here rather than as axis ticks, which
    // would add an empty tick per segment boundary).
    let tick_gap = (6.0 * style.scale).round() as i32;
    for (i, label) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(0.0, SegmentValue::CenterOf(k - 1 - i)));
        area.draw(&Text::new(
            label.clone(),
            (px - tick_gap, py),
            tick_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    for (i, b) in bars.iter().enumerate() {
        let slot = k - 1 - i;
        let (px, py) = chart.backend_coord(&(b.p.min(x_max), SegmentValue::CenterOf(slot)));
        area.draw(&Text::new(
            format!("{:.1}%", 100.0 * b.p),
            (px + (5.0 * style.scale) as i32, py),
            tick_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let (left, bottom) = chart.backend_coord(&(0.0, SegmentValue::Exact(0)));
    let (right, top) = chart.backend_coord(&(x_max, SegmentValue::Exact(k)));
    area.present()?;
    Ok(ChartMapping {
        width,
        height,
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
        x_min: 0.0,
        x_max,
        y_min: 0.0,
        y_max: k as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::super::train_lab::{
        grad_series, loss_series, token_bars, EvalPoint, RunHistory, TrainLabConfig,
    };
    use super::*;
    use crate::core::rnn::CellKind;

    #[test]
    fn log_ticks_by_hand() {
        // 0.5 … 80: decades 1, 10 (2 of them) → add 2× and 5×: 0.5, 1, 2, 5, 10, 20, 50.
        let t: Vec<f64> = log_ticks(0.5f64.log10(), 80f64.log10())
            .into_iter()
            .map(|v| (10f64.powf(v) * 1e6).round() / 1e6)
            .collect();
        assert_eq!(t, [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]);
        // 1e-3 … 1e4: decades only.
        assert_eq!(log_ticks(-3.0, 4.0).len(), 8);
        // 2 … 4: inside one decade → 2, 3, 4.
        assert_eq!(log_ticks(2f64.log10(), 4f64.log10()).len(), 3);
        assert!(log_ticks(1.0, 1.0).is_empty());
    }

    #[test]
    fn tick_labels() {
        assert_eq!(step_label(950.0), "950");
        assert_eq!(step_label(12_000.0), "12k");
        assert_eq!(step_label(1_500_000.0), "1.5M");
        assert_eq!(value_label(0.0123), "0.0123");
        assert_eq!(value_label(4.56), "4.56");
        assert_eq!(value_label(100.0), "100");
        assert_eq!(value_label(1e5), "1e5");
        assert_eq!(value_label(-2.5), "−2.5");
        assert_eq!(value_label(3e-5), "3.0e-5");
    }

    fn history() -> RunHistory {
        let mut h = RunHistory::new(CellKind::Lstm);
        let mut packed = Vec::new();
        for s in 1..=200 {
            let s = f64::from(s);
            // loss falls from ln 65 ≈ 4.17; the norm spikes at step 150 and then diverges at 200.
            let norm = if s == 150.0 { 80.0 } else { 2.0 };
            let finite = if s == 200.0 { 0.0 } else { 1.0 };
            packed.extend_from_slice(&[
                s,
                4.17 - s / 100.0,
                norm,
                norm.min(5.0),
                f64::from(norm > 5.0),
                finite,
            ]);
        }
        h.push_packed(&packed).unwrap();
        h.push_eval(EvalPoint {
            step: 100.0,
            teacher: 3.3,
            free: 3.9,
        });
        h
    }

    #[test]
    fn loss_and_grad_charts_render_with_units_legends_and_true_mapping() {
        let h = history();
        let cfg = TrainLabConfig {
            lang: Lang::En,
            ..Default::default()
        };
        let s = loss_series(std::slice::from_ref(&h), &cfg, 300);
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
            draw_lines(
                &root,
                &s,
                "parameter updates (steps)",
                "cross-entropy (nats/token)",
                "press train",
                &ChartStyle::for_canvas(900, 1.0),
                Lang::En,
            )
            .unwrap()
        };
        assert!(
            svg.contains("parameter updates (steps)") && svg.contains("cross-entropy (nats/token)")
        );
        for label in [
            "train",
            "held-out (teacher forcing)",
            "held-out (free-running)",
            "diverged",
        ] {
            assert!(svg.contains(label), "{label} missing");
        }
        assert!(
            !svg.contains("press train"),
            "the empty message is drawn over data"
        );
        assert_eq!((m.x_min, m.x_max), (0.0, 200.0));
        // The held-out dot at (100, 3.3) sits where the mapping says.
        let (px, py) = m.to_pixel(100.0, 3.3);
        let want = format!("cx=\"{}\" cy=\"{}\"", px.round(), py.round());
        let found = svg.split("<circle").skip(1).any(|c| {
            let num = |k: &str| -> Option<f64> {
                let i = c.find(&format!("{k}=\""))? + k.len() + 2;
                c[i..].split('"').next()?.parse().ok()
            };
            matches!((num("cx"), num("cy")), (Some(x), Some(y)) if (x - px).abs() <= 1.0 && (y - py).abs() <= 1.0)
        });
        assert!(found, "no marker near {want}");

        let g = grad_series(std::slice::from_ref(&h), &cfg, 300);
        let mut svg = String::new();
        let gm = {
            let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
            draw_lines(
                &root,
                &g,
                "x (steps)",
                "‖g‖ (unitless)",
                "",
                &ChartStyle::for_canvas(900, 1.0),
                Lang::En,
            )
            .unwrap()
        };
        assert!(
            svg.contains("before clipping")
                && svg.contains("after clipping")
                && svg.contains("threshold θ = 5")
        );
        // Log chart: the y range covers log10 2 … log10 80 and the ticks are written as values.
        assert!(gm.y_min < 2f64.log10() && gm.y_max > 80f64.log10());
        for tick in [">\n2\n<", ">\n5\n<", ">\n10\n<", ">\n50\n<"] {
            assert!(svg.contains(tick), "no log-axis tick {tick:?}");
        }
    }

    #[test]
    fn empty_chart_says_what_to_do() {
        let cfg = TrainLabConfig::default();
        let s = loss_series(&[RunHistory::new(CellKind::Lstm)], &cfg, 300);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
            draw_lines(
                &root,
                &s,
                "x",
                "y",
                "▶ 학습을 누르세요",
                &ChartStyle::for_canvas(600, 1.0),
                Lang::Ko,
            )
            .unwrap();
        }
        assert!(svg.contains("▶ 학습을 누르세요"));
    }

    #[test]
    fn bars_render_most_probable_on_top() {
        let vocab: Vec<String> = ["a", "b", " ", "\n"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let bars = token_bars(&[0.1, 0.6, 0.25, 0.05], &vocab, 3, Lang::En);
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (700, 360)).into_drawing_area();
            draw_bars(
                &root,
                &bars,
                Some(0),
                &BarTexts {
                    legend: "p at τ = 1",
                    pick: "greedy pick",
                    y_desc: "next token",
                    empty: "",
                },
                &ChartStyle::for_canvas(700, 1.0),
                Lang::En,
            )
            .unwrap()
        };
        assert_eq!((m.x_max, m.y_max), (1.0, 4.0));
        for t in [
            "60.0%",
            "25.0%",
            "10.0%",
            "5.0%",
            "␣",
            "other 1",
            "greedy pick",
            "probability p_τ (unitless)",
        ] {
            assert!(svg.contains(t), "{t} missing");
        }
        // The top slot (y ∈ [3, 4)) is the most probable token, drawn in the pick colour, and its
        // bar ends at x = 0.6.
        let pick = palette::hex(PICK_COLOUR).to_uppercase();
        let rect = svg
            .split("<rect")
            .map(|r| r.split('>').next().unwrap_or(""))
            .find(|r| r.to_uppercase().contains(&pick))
            .expect("highlighted bar");
        let num = |k: &str| -> f64 {
            let i = rect.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            rect[i..].split('"').next().unwrap().parse().unwrap()
        };
        let (x, y, w) = (num("x"), num("y"), num("width"));
        let (px0, py_top) = m.to_pixel(0.0, 4.0);
        let (px1, _) = m.to_pixel(0.6, 4.0);
        assert!(
            (x - px0).abs() <= 1.5 && (x + w - px1).abs() <= 1.5,
            "bar x {x}..{}",
            x + w
        );
        let slot = m.to_pixel(0.0, 3.0).1 - py_top;
        assert!(
            y > py_top && y < py_top + 0.25 * slot,
            "bar top {y} not in the top slot from {py_top}"
        );
    }
}
