//! State traces: the hidden state h_t (and the LSTM's cell state c_t) of every unit over time, with
//! the selected unit k highlighted, drawn up to the current step of the step-through widget.
//!
//! Lecture point (DeepIntoDeep RNN lecture, LSTM slide "cell state = conveyor belt"; Olah 2015,
//! "Understanding LSTM Networks"): h_t = o_t ⊙ tanh(c_t) is squashed into (−1, 1), while the
//! cell state c_t is updated additively (c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t) and can drift past ±1;
//! a unit whose forget gate stays near 1 carries its c_t along the sentence. The y range is fixed
//! over the whole sentence, so stepping never rescales the axes.

use super::palette;
use super::{
    axis_label, legend_strip, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of the traces of the units that are not selected.
pub const OTHER_UNITS: RGBColor = RGBColor(170, 170, 170);

/// One trace chart to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Traces<'a> {
    /// Values, (T, H) row-major: `values[t * units + k]`.
    pub values: &'a [f64],
    /// T.
    pub steps: usize,
    /// H.
    pub units: usize,
    /// Steps 0..shown are drawn (the current step is `shown − 1`).
    pub shown: usize,
    /// The highlighted unit (0-based).
    pub unit: usize,
    /// The symbol, `h` or `c`.
    pub symbol: &'a str,
    /// Fixed y range, e.g. (−1, 1) for a tanh-bounded h; `None` = ±max|value| over all steps.
    pub y_range: Option<(f64, f64)>,
    /// Language of the labels.
    pub lang: Lang,
}

/// The y range: the fixed one, or symmetric around 0 covering every value of the whole sequence
/// with a 6 % margin.
pub fn y_range(tr: &Traces<'_>) -> (f64, f64) {
    if let Some(r) = tr.y_range {
        return r;
    }
    let m = tr
        .values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, v| a.max(v.abs()));
    let m = if m > 1e-9 { m * 1.06 } else { 1.0 };
    (-m, m)
}

/// Draws the traces on `area` and returns the mapping (x = t, 1-based; y = value).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tr: &Traces<'_>,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (steps, units) = (tr.steps, tr.units);
    if steps == 0 || units == 0 || tr.values.len() != steps * units || tr.unit >= units {
        return Err(DrawError(format!(
            "traces need T·H = {}·{} values and a unit below H, got {} values, unit {}",
            steps,
            units,
            tr.values.len(),
            tr.unit + 1
        )));
    }
    let lang = tr.lang;
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let sym = tr.symbol;
    let entries = [
        LegendEntry {
            label: format!("{sym}_t[k], k = {}", tr.unit + 1),
            colour: palette::BLUE,
            dashed: false,
        },
        LegendEntry {
            label: lang.pick("다른 유닛", "other units").into(),
            colour: OTHER_UNITS,
            dashed: false,
        },
        LegendEntry {
            label: lang.pick("현재 단계 t", "current step t").into(),
            colour: palette::REFERENCE,
            dashed: true,
        },
    ];
    let plot_area = legend_strip(area, &entries, style)?;
    // Half a step of room at both ends, so t = 1 and t = T sit inside the plot (as the heatmap
    // cells do).
    let (x_min, x_max) = (0.5, steps as f64 + 0.5);
    let (y_min, y_max) = y_range(tr);
    let tick_font = (ChartStyle::FONT_FAMILY, style.tick_px())
        .into_font()
        .color(&BLACK);
    let label_font = (ChartStyle::FONT_FAMILY, style.label_px())
        .into_font()
        .color(&BLACK);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let integer = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{}", v.round())
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(steps.min(if style.compact { 6 } else { 12 }))
        .y_labels(if style.compact { 5 } else { 7 })
        .x_label_formatter(&integer)
        .y_label_formatter(&|v| format!("{v:.2}").replace('-', "−"))
        .x_desc(axis_label("t", Unit::Steps, lang))
        .y_desc(axis_label(&format!("{sym}_t"), Unit::Dimensionless, lang))
        .label_style(tick_font)
        .axis_desc_style(label_font)
        .draw()?;

    let shown = tr.shown.clamp(1, steps);
    let line = style.line_px();
    let point = |t: usize, k: usize| (t as f64 + 1.0, tr.values[t * units + k]);
    // Zero line, then the other units, then the selected one on top.
    chart.draw_series(LineSeries::new(
        [(x_min, 0.0), (x_max, 0.0)],
        palette::REFERENCE.stroke_width(1),
    ))?;
    let thin = (line / 2).max(1);
    for k in (0..units).filter(|&k| k != tr.unit) {
        chart.draw_series(LineSeries::new(
            (0..shown).map(|t| point(t, k)),
            OTHER_UNITS.stroke_width(thin),
        ))?;
        if shown == 1 {
            chart.draw_series([Circle::new(point(0, k), thin + 1, OTHER_UNITS.filled())])?;
        }
    }
    let r = (3.5 * style.scale).round() as u32;
    chart.draw_series(LineSeries::new(
        (0..shown).map(|t| point(t, tr.unit)),
        palette::BLUE.stroke_width(line + 1),
    ))?;
    chart.draw_series(
        (0..shown).map(|t| Circle::new(point(t, tr.unit), r, palette::BLUE.filled())),
    )?;
    let x_now = shown as f64;
    let dash = (6.0 * style.scale).round().max(2.0) as u32;
    chart.draw_series(DashedLineSeries::new(
        [(x_now, y_min), (x_now, y_max)],
        dash,
        dash * 2 / 3,
        palette::REFERENCE.stroke_width(line.max(2) - 1),
    ))?;
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

    #[test]
    fn y_range_is_fixed_or_covers_the_whole_sentence() {
        let values = [0.1, -0.5, 2.0, 0.0];
        let tr = Traces {
            values: &values,
            steps: 2,
            units: 2,
            shown: 1,
            unit: 0,
            symbol: "c",
            y_range: None,
            lang: Lang::En,
        };
        // max |c| = 2 over both steps, although only step 1 is shown: ±2.12.
        let (lo, hi) = y_range(&tr);
        assert!((hi - 2.12).abs() < 1e-12 && (lo + 2.12).abs() < 1e-12);
        let fixed = Traces {
            y_range: Some((-1.0, 1.0)),
            ..tr.clone()
        };
        assert_eq!(y_range(&fixed), (-1.0, 1.0));
    }

    #[test]
    fn the_selected_unit_is_drawn_up_to_the_current_step() {
        // T = 3, H = 2; unit 2 (k = 1) selected; two steps shown.
        let values = [0.5, -0.5, 0.25, 0.75, 1.0, 1.0];
        let tr = Traces {
            values: &values,
            steps: 3,
            units: 2,
            shown: 2,
            unit: 1,
            symbol: "h",
            y_range: Some((-1.0, 1.0)),
            lang: Lang::En,
        };
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (700, 420)).into_drawing_area();
            draw(&root, &tr, &ChartStyle::for_canvas(700, 1.0)).unwrap()
        };
        assert_eq!((m.x_min, m.x_max), (0.5, 3.5));
        // Markers of the selected unit: one circle per shown step, at (1, −0.5) and (2, 0.75).
        let blue = palette::hex(palette::BLUE).to_uppercase();
        let circles: Vec<(f64, f64)> = svg
            .split("<circle")
            .skip(1)
            .filter(|c| c.to_uppercase().contains(&blue))
            .filter_map(|c| {
                let num = |key: &str| -> Option<f64> {
                    let i = c.find(key)? + key.len();
                    c[i..].split('"').next()?.parse().ok()
                };
                Some((num("cx=\"")?, num("cy=\"")?))
            })
            .collect();
        assert_eq!(circles.len(), 2, "{svg}");
        for (c, (x, y)) in circles.iter().zip([(1.0, -0.5), (2.0, 0.75)]) {
            let (px, py) = m.to_pixel(x, y);
            assert!(
                (c.0 - px).abs() <= 1.0 && (c.1 - py).abs() <= 1.0,
                "{c:?} vs {px},{py}"
            );
        }
        assert!(svg.contains("h_t[k], k = 2"));
        assert!(svg.contains("h_t (unitless)"));
        assert!(svg.contains("other units"));
        let bad = Traces { unit: 2, ..tr };
        let root = SVGBackend::with_string(&mut svg, (700, 420)).into_drawing_area();
        assert!(draw(&root, &bad, &ChartStyle::for_canvas(700, 1.0)).is_err());
    }
}
