//! The clipping panel's chart: the gradient's global norm before and after the lecture's
//! Algorithm 1, and the size of the update step η‖g‖ with and without it, on a log scale.
//!
//! Lecture point (DeepIntoDeep RNN lecture §3, Algorithm 1; Pascanu, Mikolov and Bengio 2013):
//!
//! ```text
//! ĝ ← ∂J/∂θ
//! if ‖ĝ‖ ≥ threshold then ĝ ← (threshold / ‖ĝ‖) · ĝ
//! ```
//!
//! Clipping keeps the direction and caps the length, so an exploding gradient cannot throw the
//! parameters far away in one step. The numbers come from [`crate::core::flow::ClipPanel`].

use super::palette;
use super::{
    axis_label, legend_strip, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use crate::core::flow::ClipPanel;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// `10` with `k` as a superscript, e.g. 10⁻³ (empty for a non-integer k).
pub fn pow10_label(k: f64) -> String {
    if (k - k.round()).abs() > 1e-9 {
        return String::new();
    }
    let sup: String = format!("{}", k.round() as i64)
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect();
    format!("10{sup}")
}

/// A positive number for a value label: 3 significant digits, exponent form outside 10⁻³ … 10⁴.
pub fn short_number(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e4).contains(&a) {
        format!("{x:.2e}")
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// The four bars, top to bottom: (row label, value, clipped?).
pub fn rows(clip: &ClipPanel) -> [(&'static str, f64, bool); 4] {
    [
        ("‖g‖", clip.norm_before, false),
        ("‖ĝ‖", clip.norm_after, true),
        ("η‖g‖", clip.step_unclipped, false),
        ("η‖ĝ‖", clip.step_clipped, true),
    ]
}

/// Draws the clipping chart. x is log₁₀ of the value; y the row index from the bottom (the
/// gradient-norm rows are 3 and 2, the update rows 1 and 0).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    clip: &ClipPanel,
    threshold: f64,
    lang: Lang,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let rows = rows(clip);
    let entries = [
        LegendEntry {
            label: lang.pick("클리핑 없이", "without clipping").into(),
            colour: palette::VERMILLION,
            dashed: false,
        },
        LegendEntry {
            label: lang
                .pick("클리핑 (알고리즘 1)", "with clipping (Algorithm 1)")
                .into(),
            colour: palette::BLUE,
            dashed: false,
        },
        LegendEntry {
            label: format!(
                "{} = {}",
                lang.pick("임계값", "threshold"),
                short_number(threshold)
            ),
            colour: palette::REFERENCE,
            dashed: true,
        },
    ];
    let plot_area = legend_strip(area, &entries, style)?;
    let logs: Vec<f64> = rows
        .iter()
        .map(|r| r.1.log10())
        .chain([threshold.log10()])
        .filter(|v| v.is_finite())
        .collect();
    let lo = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo, hi)
    } else {
        (-1.0, 1.0)
    };
    // Whole decades, at least two, with room on the left for the bars to start.
    let x_min = (lo - 0.5).floor();
    let x_max = (hi + 0.5).ceil().max(x_min + 2.0);
    let (y_min, y_max) = (-0.5, 3.5);
    let tick_font = (ChartStyle::FONT_FAMILY, style.tick_px())
        .into_font()
        .color(&BLACK);
    let label_font = (ChartStyle::FONT_FAMILY, style.label_px())
        .into_font()
        .color(&BLACK);
    let value_room = (style.tick_px() * 4.5).round() as u32;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .margin_right(style.margin_px() + value_room)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size((style.tick_px() * 3.5 + style.label_px() * 1.6).round() as u32)
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let row_label = |y: &f64| {
        let i = y.round();
        if (y - i).abs() < 1e-6 && (0.0..=3.0).contains(&i) {
            rows[3 - i as usize].0.to_string()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(((x_max - x_min) as usize + 1).min(if style.compact { 5 } else { 10 }))
        .y_labels(5)
        .x_label_formatter(&|v| pow10_label(*v))
        .y_label_formatter(&row_label)
        .x_desc(axis_label(
            lang.pick("크기 ‖·‖", "size ‖·‖"),
            Unit::Named(lang.pick("무차원, 로그 눈금", "unitless, log scale")),
            lang,
        ))
        .y_desc(lang.pick("기울기 / 갱신", "gradient / update"))
        .label_style(tick_font.clone())
        .axis_desc_style(label_font)
        .draw()?;
    let (bx, by) = area.get_base_pixel();
    for (i, (_, v, clipped)) in rows.iter().enumerate() {
        let y = 3.0 - i as f64;
        let colour = if *clipped {
            palette::BLUE
        } else {
            palette::VERMILLION
        };
        let end = v.log10().clamp(x_min, x_max);
        if v.is_finite() && *v > 0.0 {
            chart.draw_series([Rectangle::new(
                [(x_min, y - 0.32), (end, y + 0.32)],
                colour.filled(),
            )])?;
        }
        let (px, py) = chart.backend_coord(&(if end.is_finite() { end } else { x_min }, y));
        area.draw(&Text::new(
            short_number(*v),
            (px + (6.0 * style.scale) as i32 - bx, py - by),
            tick_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let tx = threshold.log10();
    if tx.is_finite() {
        let dash = (6.0 * style.scale).round().max(2.0) as u32;
        chart.draw_series(DashedLineSeries::new(
            [(tx, 1.5), (tx, 3.5)],
            dash,
            dash / 2 + 1,
            palette::REFERENCE.stroke_width((2.0 * style.scale).round().max(1.0) as u32),
        ))?;
    }
    let mapping = ChartMapping::from_corners(
        (width, height),
        chart.backend_coord(&(x_min, y_min)),
        chart.backend_coord(&(x_max, y_max)),
        (x_min, x_max),
        (y_min, y_max),
    );
    area.present()?;
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::flow::CurveKind;

    fn panel() -> ClipPanel {
        // ‖g‖ = 250, threshold 5: scale 1/50, ‖ĝ‖ = 5; η = 0.5 → steps 125 and 2.5.
        ClipPanel {
            kind: CurveKind::Tanh,
            loss: 2.0,
            norm_before: 250.0,
            norm_after: 5.0,
            scale: 0.02,
            step_unclipped: 125.0,
            step_clipped: 2.5,
            loss_after_unclipped: 9.0,
            loss_after_clipped: 1.9,
        }
    }

    #[test]
    fn labels() {
        assert_eq!(pow10_label(-3.0), "10⁻³");
        assert_eq!(pow10_label(12.0), "10¹²");
        assert_eq!(pow10_label(0.5), "");
        assert_eq!(short_number(250.0), "250");
        assert_eq!(short_number(2.5), "2.50");
        assert_eq!(short_number(0.02), "0.020");
        assert_eq!(short_number(12345.0), "1.23e4");
    }

    #[test]
    fn bars_end_at_log10_of_their_values() {
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (800, 420)).into_drawing_area();
            draw(
                &root,
                &panel(),
                5.0,
                Lang::En,
                &ChartStyle::for_canvas(800, 1.0),
            )
            .unwrap()
        };
        // Values span log₁₀ 2.5 = 0.40 … log₁₀ 250 = 2.40: axis from 10⁻¹ to 10³.
        assert_eq!((m.x_min, m.x_max), (-1.0, 3.0));
        let red = palette::hex(palette::VERMILLION).to_uppercase();
        let bar = svg
            .split("<rect")
            .skip(1)
            .find(|r| r.to_uppercase().contains(&format!("FILL=\"{red}\"")))
            .expect("the ‖g‖ bar");
        let num = |key: &str| -> f64 {
            let i = bar.find(key).unwrap() + key.len();
            bar[i..].split('"').next().unwrap().parse().unwrap()
        };
        let (x_end, _) = m.to_pixel(250f64.log10(), 3.0);
        assert!(
            (num(" x=\"") + num("width=\"") - x_end).abs() <= 1.5,
            "{bar}"
        );
        for text in [
            "threshold = 5.00",
            "with clipping (Algorithm 1)",
            "‖ĝ‖",
            "η‖g‖",
            "125",
            "10²",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
