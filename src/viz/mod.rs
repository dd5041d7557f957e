//! Chart builders for RNN Lab: pure series functions plus draw functions over any plotters
//! `DrawingBackend` (an `HtmlCanvasElement` in the browser, an SVG string in native tests and for
//! export). Following the plotters wasm demo (`Chart::coord`), every draw returns a
//! [`ChartMapping`] so the page can turn a mouse position into data coordinates for hover readouts.
//!
//! This module owns the shared chart style: projector-size fonts ([`ChartStyle`]), axis labels that
//! always carry a unit ([`axis_label`]), the chart language ([`Lang`]) and colour-blind-safe colours
//! ([`palette`]).
//!
//! Text on native targets: plotters is built without its `ttf`/`ab_glyph` features, so native
//! builds use plotters' "naive" font, which only *estimates* text extents and never touches
//! system fonts. The SVG backend writes text as `<text>` elements, so charts render to SVG strings
//! in tests on machines without any fonts. In the browser the canvas backend lets the browser lay
//! out text (including Korean) with its own fonts.

pub mod activation_chart;
pub mod cell_trace;
pub mod clip_chart;
pub mod gate_heatmap;
pub mod grad_norm_chart;
pub mod nlp;
pub mod palette;
pub mod stepper_view;
pub mod token_bars;
pub mod train_charts;
pub mod train_lab;

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The language of the text a chart draws (axis labels, legends). Lower-case in configs and URLs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Korean, the lecture's language (default).
    #[default]
    Ko,
    /// English.
    En,
}

impl Lang {
    /// Picks the string for this language.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// The unit of an axis. Every axis label states one, even when the quantity has no unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit<'a> {
    /// A pure number (pre-activations, probabilities, gradients of a unitless loss).
    Dimensionless,
    /// A count of steps, e.g. timesteps t.
    Steps,
    /// Any other unit, written as given (e.g. `"nats"`).
    Named(&'a str),
}

/// An axis label: the quantity's name followed by its unit in brackets, e.g.
/// `a (unitless)` / `a (무차원)`.
pub fn axis_label(name: &str, unit: Unit<'_>, lang: Lang) -> String {
    let unit = match unit {
        Unit::Dimensionless => lang.pick("무차원", "unitless"),
        Unit::Steps => lang.pick("스텝", "steps"),
        Unit::Named(u) => u,
    };
    format!("{name} ({unit})")
}

/// Sizes for chart text and lines, in *device* pixels.
///
/// `scale` is the canvas's device-pixel ratio (CSS px → canvas px). Base sizes are chosen for a
/// 1280×720 projector (ticks 16 CSS px, labels 18, lines 2.5) and shrink a little on narrow
/// (phone) canvases so the plot area keeps most of the width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel (clamped to 0.5..=4).
    pub scale: f64,
    /// True when the canvas is narrower than 560 CSS px (phone layout).
    pub compact: bool,
}

impl ChartStyle {
    /// The style for a canvas `width_px` device pixels wide at `scale` device px per CSS px.
    /// A non-finite or non-positive scale is treated as 1.
    pub fn for_canvas(width_px: u32, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale.clamp(0.5, 4.0)
        } else {
            1.0
        };
        let css_width = f64::from(width_px) / scale;
        ChartStyle {
            scale,
            compact: css_width < 560.0,
        }
    }

    /// The font family every chart uses (the browser picks a Korean-capable face from it).
    pub const FONT_FAMILY: &'static str = "sans-serif";

    fn px(&self, projector: f64, phone: f64) -> f64 {
        (if self.compact { phone } else { projector }) * self.scale
    }

    /// Tick-label text size (device px).
    pub fn tick_px(&self) -> f64 {
        self.px(16.0, 13.0)
    }
    /// Axis-label and legend text size (device px).
    pub fn label_px(&self) -> f64 {
        self.px(18.0, 14.0)
    }
    /// Width of data lines (device px, at least 1).
    pub fn line_px(&self) -> u32 {
        (self.px(2.5, 2.0)).round().max(1.0) as u32
    }
    /// Outer margin around the chart (device px).
    pub fn margin_px(&self) -> u32 {
        self.px(14.0, 8.0).round() as u32
    }
    /// Space reserved for the x axis (tick labels + axis label), device px.
    pub fn x_label_area_px(&self) -> u32 {
        (self.tick_px() + self.label_px() * 2.2).round() as u32
    }
    /// Space reserved for the y axis (tick labels + axis label), device px.
    pub fn y_label_area_px(&self) -> u32 {
        (self.tick_px() * 2.6 + self.label_px() * 1.6).round() as u32
    }
}

/// Where a chart's plot area sits on the canvas and which data ranges it shows.
///
/// `left`/`right` are the canvas x pixels of `x_min`/`x_max`; `top`/`bottom` the canvas y pixels of
/// `y_max`/`y_min` (device pixels, canvas origin at the top-left). Between them the mapping is
/// linear, so `x = x_min + (px − left) / (right − left) · (x_max − x_min)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartMapping {
    /// Canvas width in device pixels.
    pub width: u32,
    /// Canvas height in device pixels.
    pub height: u32,
    /// Pixel x of `x_min`.
    pub left: f64,
    /// Pixel x of `x_max`.
    pub right: f64,
    /// Pixel y of `y_max`.
    pub top: f64,
    /// Pixel y of `y_min`.
    pub bottom: f64,
    /// Data x at the left edge of the plot area.
    pub x_min: f64,
    /// Data x at the right edge.
    pub x_max: f64,
    /// Data y at the bottom edge.
    pub y_min: f64,
    /// Data y at the top edge.
    pub y_max: f64,
}

impl ChartMapping {
    /// The mapping of a chart of `size` device pixels whose data corner (x_min, y_min) is drawn at
    /// pixel `min_px` and (x_max, y_max) at `max_px` (as `ChartContext::backend_coord` returns them).
    pub fn from_corners(
        size: (u32, u32),
        min_px: (i32, i32),
        max_px: (i32, i32),
        x: (f64, f64),
        y: (f64, f64),
    ) -> Self {
        ChartMapping {
            width: size.0,
            height: size.1,
            left: f64::from(min_px.0),
            right: f64::from(max_px.0),
            top: f64::from(max_px.1),
            bottom: f64::from(min_px.1),
            x_min: x.0,
            x_max: x.1,
            y_min: y.0,
            y_max: y.1,
        }
    }

    /// Device-pixel position of a data point (not clamped to the plot area).
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let px =
            self.left + (x - self.x_min) / (self.x_max - self.x_min) * (self.right - self.left);
        let py =
            self.bottom - (y - self.y_min) / (self.y_max - self.y_min) * (self.bottom - self.top);
        (px, py)
    }

    /// Data coordinates of a device pixel, or `None` outside the plot area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        if !(self.left..=self.right).contains(&px) || !(self.top..=self.bottom).contains(&py) {
            return None;
        }
        let x =
            self.x_min + (px - self.left) / (self.right - self.left) * (self.x_max - self.x_min);
        let y =
            self.y_min + (self.bottom - py) / (self.bottom - self.top) * (self.y_max - self.y_min);
        Some((x, y))
    }
}

/// One legend entry: a line sample (solid or dashed) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Text beside the sample, e.g. `tanh′(a)`.
    pub label: String,
    /// Line colour.
    pub colour: RGBColor,
    /// Dashed sample (derivatives, reference curves) instead of solid.
    pub dashed: bool,
}

/// Draws `entries` as a legend strip across the top of `area`, wrapping into rows, and returns
/// the area left below it for the plot. A strip above the plot never hides data, which an
/// in-plot legend box does on narrow (phone) charts.
pub fn legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &ChartStyle,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    if entries.is_empty() {
        return Ok(area.clone());
    }
    let (width, _) = area.dim_in_pixel();
    let font = (ChartStyle::FONT_FAMILY, style.label_px())
        .into_font()
        .color(&BLACK);
    let margin = style.margin_px() as i32;
    let sample = (24.0 * style.scale).round() as i32;
    let gap = (8.0 * style.scale).round() as i32;
    let spacing = (22.0 * style.scale).round() as i32;
    let row_h = (style.label_px() * 1.5).round() as i32;
    // Lay out left to right, wrapping when the next entry would pass the right margin.
    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (margin, 0);
    for e in entries {
        let (tw, _) = area.estimate_text_size(&e.label, &font)?;
        let w = sample + gap + tw as i32;
        if x > margin && x + w > width as i32 - margin {
            x = margin;
            row += 1;
        }
        placed.push((x, row));
        x += w + spacing;
    }
    let strip_h = (row + 1) * row_h + margin;
    let (strip, rest) = area.split_vertically(strip_h);
    let dash = (6.0 * style.scale).round().max(2.0) as u32;
    let line = style.line_px();
    for (e, &(x, row)) in entries.iter().zip(&placed) {
        let y = margin + row * row_h + row_h / 2;
        let pts = [(x, y), (x + sample, y)];
        let line_style = e.colour.stroke_width(line);
        if e.dashed {
            strip.draw(&DashedPathElement::new(pts, dash, dash * 2 / 3, line_style))?;
        } else {
            strip.draw(&PathElement::new(pts, line_style))?;
        }
        strip.draw(&Text::new(
            e.label.clone(),
            (x + sample + gap, y),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(rest)
}

/// A chart could not be drawn (backend failure or a config the chart cannot show).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawError(pub String);

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot draw the chart: {}", self.0)
    }
}

impl std::error::Error for DrawError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

impl From<crate::core::error::CoreError> for DrawError {
    fn from(e: crate::core::error::CoreError) -> Self {
        DrawError(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_always_state_a_unit() {
        assert_eq!(
            axis_label("a", Unit::Dimensionless, Lang::En),
            "a (unitless)"
        );
        assert_eq!(axis_label("t", Unit::Steps, Lang::Ko), "t (스텝)");
        assert_eq!(
            axis_label("loss", Unit::Named("nats"), Lang::En),
            "loss (nats)"
        );
    }

    #[test]
    fn style_scales_with_device_pixels_and_shrinks_on_phones() {
        let projector = ChartStyle::for_canvas(1200, 1.0);
        assert!(!projector.compact);
        assert_eq!(projector.tick_px(), 16.0);
        let retina = ChartStyle::for_canvas(2400, 2.0);
        assert_eq!(retina.tick_px(), 32.0);
        let phone = ChartStyle::for_canvas(1080, 3.0); // 360 CSS px
        assert!(phone.compact);
        assert_eq!(phone.tick_px(), 39.0);
        assert_eq!(ChartStyle::for_canvas(800, f64::NAN).scale, 1.0);
    }

    fn entries(n: usize) -> Vec<LegendEntry> {
        (0..n)
            .map(|i| LegendEntry {
                label: format!("curve{i}′(a)"),
                colour: palette::categorical(i),
                dashed: i % 2 == 1,
            })
            .collect()
    }

    #[test]
    fn legend_strip_wraps_on_narrow_charts_and_leaves_the_rest_for_the_plot() {
        let style = ChartStyle::for_canvas(1200, 1.0);
        let mut svg = String::new();
        let wide_rest = {
            let root = SVGBackend::with_string(&mut svg, (1200, 400)).into_drawing_area();
            let wide = legend_strip(&root, &entries(4), &style).unwrap();
            wide.dim_in_pixel()
        };
        // One row on a wide chart: row height 1.5·18 = 27 px, plus the 14 px margin.
        assert_eq!(wide_rest, (1200, 400 - 27 - 14));
        for i in 0..4 {
            assert!(svg.contains(&format!("curve{i}′(a)")));
        }
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (300, 400)).into_drawing_area();
        let narrow = legend_strip(&root, &entries(4), &style).unwrap();
        let (_, h) = narrow.dim_in_pixel();
        assert!(
            h <= 400 - 2 * 27 - 14,
            "4 entries must wrap onto ≥ 2 rows in 300 px, got h = {h}"
        );
        let empty = legend_strip(&root, &[], &style).unwrap();
        assert_eq!(empty.dim_in_pixel(), (300, 400));
    }

    #[test]
    fn mapping_round_trips_and_rejects_points_outside() {
        // Plot area 100..500 × 50..250 showing x ∈ [-4, 4], y ∈ [-1, 1]: the centre (300, 150) is
        // the data origin, and (500, 50) is (4, 1) — worked by hand.
        let m = ChartMapping {
            width: 600,
            height: 300,
            left: 100.0,
            right: 500.0,
            top: 50.0,
            bottom: 250.0,
            x_min: -4.0,
            x_max: 4.0,
            y_min: -1.0,
            y_max: 1.0,
        };
        assert_eq!(m.to_pixel(0.0, 0.0), (300.0, 150.0));
        assert_eq!(m.to_pixel(4.0, 1.0), (500.0, 50.0));
        assert_eq!(m.to_data(300.0, 150.0), Some((0.0, 0.0)));
        assert_eq!(m.to_data(200.0, 200.0), Some((-2.0, -0.5)));
        assert_eq!(m.to_data(99.0, 150.0), None);
        assert_eq!(m.to_data(300.0, 251.0), None);
    }
}
