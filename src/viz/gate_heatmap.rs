//! Gate heatmaps: one gate's values over time × hidden units (LSTM i, f, o, g; GRU z, r, h̃; the
//! vanilla RNN's h), revealed step by step as the step-through widget advances.
//!
//! Lecture point (DeepIntoDeep RNN lecture, LSTM/GRU slides; Karpathy, Johnson and Fei-Fei 2015,
//! "Visualizing and understanding recurrent networks"): gates are soft switches. A forget gate near
//! 1 keeps the cell state, near 0 erases it; seeing them over a sentence shows which units hold on
//! to information. Colours use the diverging ColorBrewer RdBu map ([`palette::diverging`]), centred
//! on the "undecided" value: ½ for σ gates (so a gate − ½ is signed), 0 for tanh values.

use super::palette;
use super::{axis_label, ChartMapping, ChartStyle, DrawError, Lang, Unit};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How values become colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ColourScale {
    /// σ gates, values in [0, 1]: colour of 2v − 1, so ½ is near-white, 0 blue and 1 red.
    Gate01,
    /// Signed values in [−m, m] (tanh values, states): colour of v / m. `m > 0`.
    Signed(f64),
}

impl ColourScale {
    /// The colour of value `v`.
    pub fn colour(self, v: f64) -> RGBColor {
        match self {
            ColourScale::Gate01 => palette::diverging(2.0 * v - 1.0),
            ColourScale::Signed(m) => palette::diverging(v / m),
        }
    }

    /// The value at the left end, middle and right end of the colour bar.
    pub fn ticks(self) -> [f64; 3] {
        match self {
            ColourScale::Gate01 => [0.0, 0.5, 1.0],
            ColourScale::Signed(m) => [-m, 0.0, m],
        }
    }

    /// A symmetric scale that covers every finite value of `values` (at least ±1e-9).
    pub fn symmetric(values: &[f64]) -> Self {
        let m = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, v| a.max(v.abs()));
        ColourScale::Signed(if m > 1e-9 { m } else { 1.0 })
    }
}

/// One heatmap to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap<'a> {
    /// Values, (T, H) row-major: `values[t * units + k]`.
    pub values: &'a [f64],
    /// T, the number of timesteps (columns).
    pub steps: usize,
    /// H, the number of units (rows).
    pub units: usize,
    /// Columns 0..shown have been computed by the stepping so far; later ones are drawn empty.
    pub shown: usize,
    /// The current step and selected unit (0-based), outlined.
    pub cursor: (usize, usize),
    /// Colour scale.
    pub scale: ColourScale,
    /// The legend label (what the colours mean), e.g. `f_t (forget gate)`.
    pub label: String,
    /// Language of the axis labels.
    pub lang: Lang,
}

/// Light grey for steps not reached yet.
pub const NOT_YET: RGBColor = RGBColor(236, 236, 236);

fn tick_text(v: f64) -> String {
    let s = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    s.replace('-', "−")
}

/// Draws a horizontal colour bar with its label across the top of `area` and returns the area
/// below it. The bar shows `scale` from its left tick to its right tick.
pub fn colour_bar_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    scale: ColourScale,
    style: &ChartStyle,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    let (width, _) = area.dim_in_pixel();
    let margin = style.margin_px() as i32;
    let font = (ChartStyle::FONT_FAMILY, style.label_px())
        .into_font()
        .color(&BLACK);
    let tick_font = (ChartStyle::FONT_FAMILY, style.tick_px())
        .into_font()
        .color(&BLACK);
    let (label_w, _) = area.estimate_text_size(label, &font)?;
    let bar_h = (style.label_px() * 0.9).round() as i32;
    let row_h = (style.label_px() * 1.5).round() as i32;
    let bar_w = ((width as f64 * 0.4).min(300.0 * style.scale)).round() as i32;
    let gap = (12.0 * style.scale).round() as i32;
    // Label and bar on one row when they fit, else the bar on a second row.
    let one_row = margin + label_w as i32 + gap + bar_w + margin <= width as i32;
    let bar_x = if one_row {
        margin + label_w as i32 + gap
    } else {
        margin
    };
    let bar_y = if one_row { margin } else { margin + row_h };
    let strip_h = bar_y + bar_h + (style.tick_px() * 1.5).round() as i32 + margin / 2;
    let (strip, rest) = area.split_vertically(strip_h);
    strip.draw(&Text::new(
        label.to_string(),
        (margin, margin + bar_h / 2),
        font.pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let n = 60;
    let [lo, mid, hi] = scale.ticks();
    for i in 0..n {
        let x0 = bar_x + bar_w * i / n;
        let x1 = bar_x + bar_w * (i + 1) / n;
        let v = lo + (hi - lo) * (f64::from(i) + 0.5) / f64::from(n);
        strip.draw(&Rectangle::new(
            [(x0, bar_y), (x1, bar_y + bar_h)],
            scale.colour(v).filled(),
        ))?;
    }
    strip.draw(&Rectangle::new(
        [(bar_x, bar_y), (bar_x + bar_w, bar_y + bar_h)],
        palette::REFERENCE.stroke_width(1),
    ))?;
    for (i, v) in [lo, mid, hi].into_iter().enumerate() {
        let x = bar_x + bar_w * i as i32 / 2;
        let h = match i {
            0 => HPos::Left,
            1 => HPos::Center,
            _ => HPos::Right,
        };
        strip.draw(&Text::new(
            tick_text(v),
            (x, bar_y + bar_h + 2),
            tick_font.clone().pos(Pos::new(h, VPos::Top)),
        ))?;
    }
    Ok(rest)
}

/// Draws the heatmap on `area` and returns the mapping: x = t (1-based, cells centred on
/// integers), y = unit k (1-based).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &Heatmap<'_>,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (steps, units) = (map.steps, map.units);
    if steps == 0 || units == 0 || map.values.len() != steps * units {
        return Err(DrawError(format!(
            "heatmap needs T·H = {}·{} values, got {}",
            steps,
            units,
            map.values.len()
        )));
    }
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let plot_area = colour_bar_strip(area, &map.label, map.scale, style)?;
    let lang = map.lang;
    let (x_min, x_max) = (0.5, steps as f64 + 0.5);
    let (y_min, y_max) = (0.5, units as f64 + 0.5);
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
        .disable_mesh()
        .axis_style(BLACK.stroke_width(1))
        .x_labels(steps.min(if style.compact { 6 } else { 12 }))
        .y_labels(units.min(if style.compact { 5 } else { 8 }))
        .x_label_formatter(&integer)
        .y_label_formatter(&integer)
        .x_desc(axis_label("t", Unit::Steps, lang))
        .y_desc(axis_label(
            lang.pick("유닛 k", "unit k"),
            Unit::Named(lang.pick("번호", "index")),
            lang,
        ))
        .label_style(tick_font)
        .axis_desc_style(label_font)
        .draw()?;

    let shown = map.shown.min(steps);
    chart.draw_series((0..steps).flat_map(|t| {
        (0..units).map(move |k| {
            let (x, y) = (t as f64 + 1.0, k as f64 + 1.0);
            let colour = if t < shown {
                map.scale.colour(map.values[t * units + k])
            } else {
                NOT_YET
            };
            Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], colour.filled())
        })
    }))?;
    let (ct, ck) = map.cursor;
    if ct < steps {
        let x = ct as f64 + 1.0;
        let w = (2.0 * style.scale).round().max(1.0) as u32;
        chart.draw_series([Rectangle::new(
            [(x - 0.5, y_min), (x + 0.5, y_max)],
            BLACK.stroke_width(w),
        )])?;
        if ck < units {
            let y = ck as f64 + 1.0;
            chart.draw_series([
                Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    BLACK.stroke_width(2 * w + 1),
                ),
                Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    WHITE.stroke_width(w.div_ceil(2)),
                ),
            ])?;
        }
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

    #[test]
    fn colour_scales_are_centred_on_the_undecided_value() {
        assert_eq!(ColourScale::Gate01.colour(0.5), palette::diverging(0.0));
        assert_eq!(ColourScale::Gate01.colour(1.0), palette::diverging(1.0));
        assert_eq!(ColourScale::Gate01.colour(0.0), palette::diverging(-1.0));
        let s = ColourScale::symmetric(&[0.5, -2.0, f64::NAN, 1.0]);
        assert_eq!(s, ColourScale::Signed(2.0));
        assert_eq!(s.colour(-1.0), palette::diverging(-0.5));
        assert_eq!(s.ticks(), [-2.0, 0.0, 2.0]);
        assert_eq!(ColourScale::symmetric(&[0.0]), ColourScale::Signed(1.0));
        assert_eq!(tick_text(-1.5), "−1.50");
        assert_eq!(tick_text(0.5), "0.50");
        assert_eq!(tick_text(1.0), "1");
    }

    /// Pulls every `<rect … fill="#rrggbb" …>` fill out of an SVG string.
    fn rect_fills(svg: &str) -> Vec<String> {
        svg.split("<rect")
            .skip(1)
            .filter_map(|r| {
                let i = r.find("fill=\"")? + 6;
                Some(r[i..i + 7].to_uppercase())
            })
            .collect()
    }

    #[test]
    fn cells_are_coloured_up_to_the_current_step_and_grey_after() {
        // T = 3, H = 2: step 0 = (0, 1), step 1 = (0.5, 0.5), step 2 not reached.
        let values = [0.0, 1.0, 0.5, 0.5, 0.9, 0.9];
        let map = Heatmap {
            values: &values,
            steps: 3,
            units: 2,
            shown: 2,
            cursor: (1, 0),
            scale: ColourScale::Gate01,
            label: "f_t (forget gate)".into(),
            lang: Lang::En,
        };
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
            draw(&root, &map, &ChartStyle::for_canvas(600, 1.0)).unwrap()
        };
        assert_eq!((m.x_min, m.x_max, m.y_min, m.y_max), (0.5, 3.5, 0.5, 2.5));
        let fills = rect_fills(&svg);
        let hex = |c: RGBColor| palette::hex(c).to_uppercase();
        let count = |c: RGBColor| fills.iter().filter(|f| **f == hex(c)).count();
        // Blue (0) and red (1) once each; ½ (near-white) twice among the cells — the colour bar
        // has its own 60 slices, none of them exactly an end colour.
        assert_eq!(count(palette::diverging(-1.0)), 1);
        assert_eq!(count(palette::diverging(1.0)), 1);
        assert!(count(palette::diverging(0.0)) >= 2);
        // Step 3 is not reached yet: its 2 cells are grey, and 0.9 is never drawn.
        assert_eq!(count(NOT_YET), 2);
        assert_eq!(count(ColourScale::Gate01.colour(0.9)), 0);
        assert!(svg.contains("t (steps)"));
        assert!(svg.contains("unit k (index)"));
        assert!(svg.contains("f_t (forget gate)"));
        let bad = Heatmap {
            values: &values[..5],
            ..map
        };
        let root = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
        assert!(draw(&root, &bad, &ChartStyle::for_canvas(600, 1.0)).is_err());
    }
}
