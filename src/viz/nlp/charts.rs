//! The four chart shapes the word-vector and language-model widgets draw: a labelled matrix
//! (heatmap with the numbers in the cells and a colour bar), lines (linear or log axes), bars
//! (grouped, with an explicit mark for infinite values) and a labelled scatter plot with arrows
//! (2-D PCA pictures). Each takes plain data and a [`ChartStyle`], draws on any plotters backend and
//! returns the [`ChartMapping`] of its plot area for hover readouts.
//!
//! Every chart states its axis labels with units (the caller builds them with
//! [`crate::viz::axis_label`]) and has a legend (a strip of named series) or a colour bar.
//! Colours come from [`crate::viz::palette`] (Okabe–Ito, viridis, RdBu).

use crate::viz::palette;
use crate::viz::{legend_strip, ChartMapping, ChartStyle, DrawError, LegendEntry};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// Formats a number with `decimals` decimals, a true minus sign and no "−0".
pub fn fmt_num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let s = format!("{:.*}", decimals, x);
    let zero = s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.');
    if zero {
        s.trim_start_matches('-').to_string()
    } else {
        s.replacen('-', "−", 1)
    }
}

/// A compact form for counts and sizes spanning many orders: 950, 1.2k, 34k, 5.6M, 7.8G.
pub fn fmt_si(x: f64) -> String {
    if !x.is_finite() {
        return fmt_num(x, 0);
    }
    let a = x.abs();
    let sign = if x < 0.0 { "−" } else { "" };
    let (v, unit) = if a >= 1e9 {
        (a / 1e9, "G")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e3 {
        (a / 1e3, "k")
    } else {
        return format!("{sign}{}", trim_zeros(&format!("{a:.2}")));
    };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}{}{unit}", trim_zeros(&format!("{v:.digits$}")))
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn font(_style: &ChartStyle, px: f64) -> FontDesc<'static> {
    (ChartStyle::FONT_FAMILY, px).into_font()
}

/// `p` (absolute backend pixels, as `ChartContext::backend_coord` returns them) in the pixel
/// coordinates of `area`, for drawing labels, dots and arrows over a chart. (Drawing at `p` on
/// the plot area below a legend strip would shift everything down by the strip's height.)
fn rel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (p.0 - bx, p.1 - by)
}

/// Draws `msg` centred at the absolute backend pixel `at` (e.g. "nothing to show yet" in the middle
/// of an empty chart), in the reference grey.
fn draw_centred_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    msg: &str,
    label: &TextStyle<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&Text::new(
        msg.to_string(),
        rel(area, at),
        label
            .color(&palette::REFERENCE)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))
}

/// Black or white, whichever reads better on `bg`.
pub fn text_colour_on(bg: RGBColor) -> RGBColor {
    if palette::relative_luminance(bg) > 0.4 {
        palette::BLACK
    } else {
        RGBColor(255, 255, 255)
    }
}

/// How a matrix maps values to colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ColourScale {
    /// Signed values: blue below 0, white at 0, red above, saturating at ±`max_abs`.
    Diverging {
        /// The magnitude drawn at full colour (> 0).
        max_abs: f64,
    },
    /// Magnitudes: viridis from `min` (dark) to `max` (yellow).
    Sequential {
        /// Value drawn darkest.
        min: f64,
        /// Value drawn lightest.
        max: f64,
    },
}

impl ColourScale {
    /// The colour of `v`.
    pub fn colour(&self, v: f64) -> RGBColor {
        match *self {
            ColourScale::Diverging { max_abs } => {
                palette::diverging(v / if max_abs > 0.0 { max_abs } else { 1.0 })
            }
            ColourScale::Sequential { min, max } => {
                let span = if max > min { max - min } else { 1.0 };
                palette::sequential((v - min) / span)
            }
        }
    }

    fn range(&self) -> (f64, f64) {
        match *self {
            ColourScale::Diverging { max_abs } => (-max_abs, max_abs),
            ColourScale::Sequential { min, max } => (min, if max > min { max } else { min + 1.0 }),
        }
    }
}

/// A labelled matrix drawn as coloured cells.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixChart {
    /// Row labels (top to bottom).
    pub row_labels: Vec<String>,
    /// Column labels (left to right).
    pub col_labels: Vec<String>,
    /// Values, (rows, cols) row-major.
    pub values: Vec<f64>,
    /// Colour mapping.
    pub scale: ColourScale,
    /// Label under the column labels (with its unit).
    pub x_label: String,
    /// Label left of the row labels (with its unit).
    pub y_label: String,
    /// Title of the colour bar (with its unit).
    pub colour_label: String,
    /// Decimals of the numbers in the cells.
    pub decimals: usize,
    /// Write the numbers in the cells (when they fit).
    pub show_values: bool,
    /// Rows outlined in orange (e.g. the output word's row of W₂).
    pub highlight_rows: Vec<usize>,
    /// Columns outlined in orange (e.g. the input word's column of W₁).
    pub highlight_cols: Vec<usize>,
}

/// Draws a [`MatrixChart`]. The mapping's x runs 0 … cols across the cells and y runs rows (bottom
/// edge) … 0 (top edge), so cell (i, j) holds data points with ⌊x⌋ = j and ⌊y⌋ = i.
pub fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &MatrixChart,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (rows, cols) = (m.row_labels.len(), m.col_labels.len());
    if rows == 0 || cols == 0 || m.values.len() != rows * cols {
        return Err(DrawError(format!(
            "a {rows}×{cols} matrix needs {} values, got {}",
            rows * cols,
            m.values.len()
        )));
    }
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let tick = font(style, style.tick_px()).color(&BLACK);
    let label = font(style, style.label_px()).color(&BLACK);
    let margin = style.margin_px() as i32;
    let gap = (6.0 * style.scale).round() as i32;
    let label_h = (style.label_px() * 1.5).round() as i32;

    let text_w = |t: &str, f: &TextStyle| -> Result<i32, DrawError> {
        Ok(area.estimate_text_size(t, f)?.0 as i32)
    };
    let mut row_w = 0;
    for r in &m.row_labels {
        row_w = row_w.max(text_w(r, &tick)?);
    }
    let mut col_w = 0;
    for c in &m.col_labels {
        col_w = col_w.max(text_w(c, &tick)?);
    }
    // Colour bar on the right: bar, tick labels, rotated title.
    let (lo, hi) = m.scale.range();
    let bar_ticks: Vec<f64> = (0..5).map(|k| lo + (hi - lo) * k as f64 / 4.0).collect();
    let bar_dec = if hi - lo >= 20.0 { 0 } else { 2 };
    let mut bar_tick_w = 0;
    for t in &bar_ticks {
        bar_tick_w = bar_tick_w.max(text_w(&fmt_num(*t, bar_dec), &tick)?);
    }
    let bar_w = (style.label_px() * 0.9).round() as i32;
    let right = bar_w + gap + bar_tick_w + gap + label_h + margin;
    let left = margin + label_h + row_w + gap;
    let avail_w = width as i32 - left - right - 2 * gap;
    let cell_for = |bottom: i32| -> i32 {
        let avail_h = height as i32 - margin - bottom;
        let max_cell = (110.0 * style.scale) as i32;
        (avail_w / cols as i32)
            .min(avail_h / rows as i32)
            .min(max_cell)
            .max(4)
    };
    let horizontal_bottom = (style.tick_px() * 1.5).round() as i32 + label_h + margin;
    let mut cell = cell_for(horizontal_bottom);
    let rotate = col_w > cell - gap;
    if rotate {
        cell = cell_for(col_w + gap * 2 + label_h + margin);
    }
    let mw = cell * cols as i32;
    let mh = cell * rows as i32;
    let x0 = left + gap + (avail_w - mw).max(0) / 2;
    let y0 = margin;

    // Cells and numbers.
    let chars = (0..rows * cols)
        .map(|k| fmt_num(m.values[k], m.decimals).chars().count())
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let value_px = style.tick_px().min(cell as f64 / (chars * 0.62)).max(0.0);
    let show_values = m.show_values && value_px >= 8.0 * style.scale;
    for i in 0..rows {
        for j in 0..cols {
            let v = m.values[i * cols + j];
            let c = m.scale.colour(v);
            let (cx, cy) = (x0 + j as i32 * cell, y0 + i as i32 * cell);
            area.draw(&Rectangle::new(
                [(cx, cy), (cx + cell, cy + cell)],
                c.filled(),
            ))?;
            if show_values {
                area.draw(&Text::new(
                    fmt_num(v, m.decimals),
                    (cx + cell / 2, cy + cell / 2),
                    font(style, value_px)
                        .color(&text_colour_on(c))
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
    }
    // Thin white grid so equal neighbours stay distinguishable.
    let grid = RGBColor(255, 255, 255).stroke_width(1);
    for i in 0..=rows as i32 {
        area.draw(&PathElement::new(
            [(x0, y0 + i * cell), (x0 + mw, y0 + i * cell)],
            grid,
        ))?;
    }
    for j in 0..=cols as i32 {
        area.draw(&PathElement::new(
            [(x0 + j * cell, y0), (x0 + j * cell, y0 + mh)],
            grid,
        ))?;
    }
    let hl = palette::ORANGE.stroke_width((3.0 * style.scale).round().max(2.0) as u32);
    for &i in &m.highlight_rows {
        if i < rows {
            let y = y0 + i as i32 * cell;
            area.draw(&Rectangle::new([(x0, y), (x0 + mw, y + cell)], hl))?;
        }
    }
    for &j in &m.highlight_cols {
        if j < cols {
            let x = x0 + j as i32 * cell;
            area.draw(&Rectangle::new([(x, y0), (x + cell, y0 + mh)], hl))?;
        }
    }
    // Row labels, right-aligned left of the matrix.
    for (i, r) in m.row_labels.iter().enumerate() {
        area.draw(&Text::new(
            r.clone(),
            (x0 - gap, y0 + i as i32 * cell + cell / 2),
            tick.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    // Column labels under the matrix (vertical when they do not fit).
    for (j, c) in m.col_labels.iter().enumerate() {
        let cx = x0 + j as i32 * cell + cell / 2;
        if rotate {
            area.draw(&Text::new(
                c.clone(),
                (cx, y0 + mh + gap),
                tick.clone()
                    .transform(FontTransform::Rotate270)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        } else {
            area.draw(&Text::new(
                c.clone(),
                (cx, y0 + mh + gap),
                tick.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
    }
    let col_block = if rotate {
        col_w + gap
    } else {
        (style.tick_px() * 1.3).round() as i32
    };
    area.draw(&Text::new(
        m.x_label.clone(),
        (x0 + mw / 2, y0 + mh + gap + col_block + gap),
        label.clone().pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    area.draw(&Text::new(
        m.y_label.clone(),
        (margin, y0 + mh / 2),
        label
            .clone()
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    // Colour bar.
    let bx = x0 + mw + 3 * gap;
    let steps = 48;
    for k in 0..steps {
        let t0 = k as f64 / steps as f64;
        let v = hi - (hi - lo) * (t0 + 0.5 / steps as f64);
        let ya = y0 + (mh as f64 * t0).round() as i32;
        let yb = y0 + (mh as f64 * (k + 1) as f64 / steps as f64).round() as i32;
        area.draw(&Rectangle::new(
            [(bx, ya), (bx + bar_w, yb.max(ya + 1))],
            m.scale.colour(v).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(bx, y0), (bx + bar_w, y0 + mh)],
        palette::REFERENCE.stroke_width(1),
    ))?;
    for t in &bar_ticks {
        let y = y0 + ((hi - t) / (hi - lo) * mh as f64).round() as i32;
        area.draw(&PathElement::new(
            [(bx + bar_w, y), (bx + bar_w + gap / 2, y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            fmt_num(*t, bar_dec),
            (bx + bar_w + gap, y),
            tick.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    area.draw(&Text::new(
        m.colour_label.clone(),
        (bx + bar_w + gap + bar_tick_w + gap, y0 + mh / 2),
        label
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    area.present()?;
    Ok(ChartMapping {
        width,
        height,
        left: f64::from(x0),
        right: f64::from(x0 + mw),
        top: f64::from(y0),
        bottom: f64::from(y0 + mh),
        x_min: 0.0,
        x_max: cols as f64,
        y_min: rows as f64,
        y_max: 0.0,
    })
}

/// The height (device px) a [`MatrixChart`] of `rows` rows wants at `width`, for square cells.
pub fn matrix_height(rows: usize, cols: usize, width: u32, style: &ChartStyle) -> u32 {
    let label = style.label_px();
    let fixed_w = 8.0 * label + 12.0 * style.tick_px();
    let cell = ((f64::from(width) - fixed_w) / cols.max(1) as f64)
        .clamp(10.0 * style.scale, 110.0 * style.scale);
    (cell * rows as f64 + 6.0 * label) as u32
}

/// One line of a [`LineChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Dashed line.
    pub dashed: bool,
    /// Points (x, y), drawn in order; non-finite points (and non-positive ones on a log axis)
    /// break the line.
    pub points: Vec<(f64, f64)>,
    /// Also mark each point with a dot.
    pub dots: bool,
}

/// A labelled vertical reference line.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Where.
    pub x: f64,
    /// Text beside it.
    pub label: String,
}

/// Lines over one x axis.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart {
    /// The lines.
    pub series: Vec<Series>,
    /// x axis label with unit.
    pub x_label: String,
    /// y axis label with unit.
    pub y_label: String,
    /// Logarithmic x axis (ticks at powers of 10).
    pub x_log: bool,
    /// Logarithmic y axis.
    pub y_log: bool,
    /// Fixed x range (data units); `None` = fit the data.
    pub x_range: Option<(f64, f64)>,
    /// Fixed y range; `None` = fit the data (with a 6 % margin).
    pub y_range: Option<(f64, f64)>,
    /// Vertical reference lines.
    pub markers: Vec<Marker>,
    /// Shown in the middle when there is no point at all (e.g. "press Train").
    pub empty_message: Option<String>,
}

fn to_axis(v: f64, log: bool) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    if log {
        (v > 0.0).then(|| v.log10())
    } else {
        Some(v)
    }
}

fn data_range(vals: impl Iterator<Item = f64>, pad: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in vals {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let w = if lo.abs() > 1e-12 {
            lo.abs() * 0.1
        } else {
            1.0
        };
        return (lo - w, hi + w);
    }
    if pad {
        let p = 0.06 * (hi - lo);
        (lo - p, hi + p)
    } else {
        (lo, hi)
    }
}

fn log_tick(v: f64) -> String {
    if (v - v.round()).abs() > 1e-6 {
        return String::new();
    }
    fmt_si(10f64.powi(v.round() as i32))
}

/// Draws a [`LineChart`].
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LineChart,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let entries: Vec<LegendEntry> = c
        .series
        .iter()
        .map(|s| LegendEntry {
            label: s.label.clone(),
            colour: s.colour,
            dashed: s.dashed,
        })
        .collect();
    let plot = legend_strip(area, &entries, style)?;
    let pts: Vec<Vec<Option<(f64, f64)>>> = c
        .series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|&(x, y)| Some((to_axis(x, c.x_log)?, to_axis(y, c.y_log)?)))
                .collect()
        })
        .collect();
    let all = || pts.iter().flatten().flatten();
    let (x_min, x_max) = match c.x_range {
        Some((a, b)) => (
            to_axis(a, c.x_log).unwrap_or(0.0),
            to_axis(b, c.x_log).unwrap_or(1.0),
        ),
        None => data_range(all().map(|p| p.0), false),
    };
    let (y_min, y_max) = match c.y_range {
        Some((a, b)) => (
            to_axis(a, c.y_log).unwrap_or(0.0),
            to_axis(b, c.y_log).unwrap_or(1.0),
        ),
        None => {
            let (lo, hi) = data_range(all().map(|p| p.1), !c.y_log);
            if c.y_log {
                (lo.floor(), hi.ceil().max(lo.floor() + 1.0))
            } else {
                (lo, hi)
            }
        }
    };
    let (x_min, x_max) = if c.x_log && c.x_range.is_none() {
        (x_min.floor(), x_max.ceil().max(x_min.floor() + 1.0))
    } else {
        (x_min, x_max)
    };
    let tick = font(style, style.tick_px()).color(&BLACK);
    let label = font(style, style.label_px()).color(&BLACK);
    let mut chart = ChartBuilder::on(&plot)
        .margin(style.margin_px())
        .margin_right(style.margin_px() * 2)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let x_fmt = |v: &f64| {
        if c.x_log {
            log_tick(*v)
        } else {
            fmt_si_or_plain(*v, x_max - x_min)
        }
    };
    let y_fmt = |v: &f64| {
        if c.y_log {
            log_tick(*v)
        } else {
            fmt_si_or_plain(*v, y_max - y_min)
        }
    };
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(if style.compact { 5 } else { 8 })
        .y_labels(if style.compact { 5 } else { 7 })
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.clone())
        .y_desc(c.y_label.clone())
        .label_style(tick.clone())
        .axis_desc_style(label.clone())
        .draw()?;
    let line = style.line_px();
    let dash = (6.0 * style.scale).round().max(2.0) as u32;
    for mk in &c.markers {
        if let Some(x) = to_axis(mk.x, c.x_log) {
            if x >= x_min && x <= x_max {
                chart.draw_series(DashedLineSeries::new(
                    [(x, y_min), (x, y_max)],
                    dash,
                    dash,
                    palette::REFERENCE.stroke_width(1.max(style.scale.round() as u32)),
                ))?;
                let (px, py) = rel(area, chart.backend_coord(&(x, y_max)));
                area.draw(&Text::new(
                    mk.label.clone(),
                    (
                        px + (5.0 * style.scale) as i32,
                        py + (4.0 * style.scale) as i32,
                    ),
                    tick.clone()
                        .color(&palette::REFERENCE)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                ))?;
            }
        }
    }
    for (s, p) in c.series.iter().zip(&pts) {
        let st = s.colour.stroke_width(line);
        // Split at missing points so a gap shows as a gap.
        for run in p.split(|q| q.is_none()) {
            let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
            if run.len() >= 2 {
                if s.dashed {
                    chart.draw_series(DashedLineSeries::new(
                        run.clone(),
                        dash,
                        dash * 2 / 3,
                        st,
                    ))?;
                } else {
                    chart.draw_series(LineSeries::new(run.clone(), st))?;
                }
            }
            if s.dots || run.len() == 1 {
                let r = (3.5 * style.scale).round() as i32;
                chart.draw_series(run.iter().map(|&q| Circle::new(q, r, s.colour.filled())))?;
            }
        }
    }
    if all().next().is_none() {
        if let Some(msg) = &c.empty_message {
            draw_centred_message(
                area,
                chart.backend_coord(&((x_min + x_max) / 2.0, (y_min + y_max) / 2.0)),
                msg,
                &label,
            )?;
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

/// Tick text for a linear axis spanning `span`: SI form for large numbers, else up to 3 decimals.
fn fmt_si_or_plain(v: f64, span: f64) -> String {
    if v.abs() >= 10_000.0 {
        return fmt_si(v);
    }
    let dec = if span >= 50.0 {
        0
    } else if span >= 5.0 {
        1
    } else if span >= 0.5 {
        2
    } else {
        3
    };
    trim_zeros(&fmt_num(v, dec))
}

/// One bar's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BarValue {
    /// A finite value (on a log axis: > 0).
    Value(f64),
    /// +∞ (drawn as an arrow to the top with "∞"), e.g. an infinite perplexity.
    Infinite,
    /// −∞ (an arrow to the bottom with "−∞"), e.g. log 0.
    NegInfinite,
    /// Nothing to draw (not computed yet).
    Missing,
}

/// Grouped bars: categories along x, one bar per group in each.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Category names (x).
    pub categories: Vec<String>,
    /// Groups: legend name and colour.
    pub groups: Vec<(String, RGBColor)>,
    /// Values, `values[category][group]`.
    pub values: Vec<Vec<BarValue>>,
    /// x axis label with unit.
    pub x_label: String,
    /// y axis label with unit.
    pub y_label: String,
    /// Logarithmic y axis.
    pub y_log: bool,
    /// Fixed y range; `None` = fit (always including 0 on a linear axis).
    pub y_range: Option<(f64, f64)>,
    /// Decimals of the value written on each bar (`None` = SI form).
    pub decimals: Option<usize>,
    /// Shown in the middle when no bar has a value.
    pub empty_message: Option<String>,
}

/// Draws a [`BarChart`]. The mapping's x runs 0 … categories (category i spans [i, i + 1]).
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &BarChart,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let n = c.categories.len();
    if n == 0 || c.values.len() != n || c.values.iter().any(|v| v.len() != c.groups.len()) {
        return Err(DrawError(
            "bar chart: values do not match the categories and groups".into(),
        ));
    }
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let entries: Vec<LegendEntry> = c
        .groups
        .iter()
        .map(|(l, col)| LegendEntry {
            label: l.clone(),
            colour: *col,
            dashed: false,
        })
        .collect();
    let plot = legend_strip(area, &entries, style)?;
    let finite = || {
        c.values.iter().flatten().filter_map(|v| match v {
            BarValue::Value(x) => to_axis(*x, c.y_log),
            _ => None,
        })
    };
    let (y_min, y_max) = match c.y_range {
        Some((a, b)) => (
            to_axis(a, c.y_log).unwrap_or(0.0),
            to_axis(b, c.y_log).unwrap_or(1.0),
        ),
        None if c.y_log => {
            let (lo, hi) = data_range(finite(), false);
            (lo.floor().min(0.0), (hi + 0.15 * (hi - lo).max(1.0)).ceil())
        }
        None if finite().next().is_none() => (0.0, 1.0),
        None => {
            let (lo, hi) = data_range(finite().chain([0.0]), false);
            let p = 0.12 * (hi - lo);
            (
                if lo < 0.0 { lo - p } else { 0.0 },
                if hi > 0.0 { hi + p } else { 0.0 },
            )
        }
    };
    let base = if c.y_log {
        y_min
    } else {
        0.0f64.clamp(y_min, y_max)
    };
    let tick = font(style, style.tick_px()).color(&BLACK);
    let label = font(style, style.label_px()).color(&BLACK);
    let mut chart = ChartBuilder::on(&plot)
        .margin(style.margin_px())
        .margin_right(style.margin_px() * 2)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(0f64..n as f64, y_min..y_max)?;
    let y_fmt = |v: &f64| {
        if c.y_log {
            log_tick(*v)
        } else {
            fmt_si_or_plain(*v, y_max - y_min)
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(0)
        .y_labels(if style.compact { 5 } else { 7 })
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.clone())
        .y_desc(c.y_label.clone())
        .label_style(tick.clone())
        .axis_desc_style(label.clone())
        .draw()?;
    let g = c.groups.len().max(1) as f64;
    let slot = 0.8 / g;
    let value_font = font(style, style.tick_px() * 0.9).color(&BLACK);
    for (i, vals) in c.values.iter().enumerate() {
        for (k, v) in vals.iter().enumerate() {
            let colour = c.groups[k].1;
            let xa = i as f64 + 0.1 + slot * k as f64;
            let xb = xa + slot * 0.92;
            let xm = (xa + xb) / 2.0;
            match *v {
                BarValue::Value(x) => {
                    let Some(y) = to_axis(x, c.y_log) else {
                        continue;
                    };
                    let y = y.clamp(y_min, y_max);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(xa, base), (xb, y)],
                        colour.filled(),
                    )))?;
                    let text = match c.decimals {
                        Some(d) => fmt_num(x, d),
                        None => fmt_si(x),
                    };
                    let (px, py) = rel(area, chart.backend_coord(&(xm, y)));
                    let up = y >= base;
                    area.draw(&Text::new(
                        text,
                        (px, py + if up { -3 } else { 3 }),
                        value_font.clone().pos(Pos::new(
                            HPos::Center,
                            if up { VPos::Bottom } else { VPos::Top },
                        )),
                    ))?;
                }
                BarValue::Infinite | BarValue::NegInfinite => {
                    let up = *v == BarValue::Infinite;
                    let end = if up { y_max } else { y_min };
                    chart.draw_series(DashedLineSeries::new(
                        [(xm, base), (xm, end)],
                        (5.0 * style.scale) as u32,
                        (4.0 * style.scale) as u32,
                        colour.stroke_width(style.line_px() + 1),
                    ))?;
                    let (px, py) = rel(area, chart.backend_coord(&(xm, end)));
                    let d = (8.0 * style.scale) as i32;
                    let tip = if up { -d } else { d };
                    area.draw(&Polygon::new(
                        vec![(px - d, py - tip), (px + d, py - tip), (px, py)],
                        colour.filled(),
                    ))?;
                    area.draw(&Text::new(
                        if up { "∞" } else { "−∞" },
                        (px + d + 3, py - tip),
                        label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                    ))?;
                }
                BarValue::Missing => {}
            }
        }
    }
    // Category names under the axis.
    for (i, name) in c.categories.iter().enumerate() {
        let (px, py) = rel(area, chart.backend_coord(&(i as f64 + 0.5, y_min)));
        area.draw(&Text::new(
            name.clone(),
            (px, py + (5.0 * style.scale) as i32),
            tick.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if finite().next().is_none()
        && !c
            .values
            .iter()
            .flatten()
            .any(|v| matches!(v, BarValue::Infinite | BarValue::NegInfinite))
    {
        if let Some(msg) = &c.empty_message {
            draw_centred_message(
                area,
                chart.backend_coord(&(n as f64 / 2.0, (y_min + y_max) / 2.0)),
                msg,
                &label,
            )?;
        }
    }
    let (left, bottom) = chart.backend_coord(&(0.0, y_min));
    let (right, top) = chart.backend_coord(&(n as f64, y_max));
    area.present()?;
    Ok(ChartMapping {
        width,
        height,
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
        x_min: 0.0,
        x_max: n as f64,
        y_min,
        y_max,
    })
}

/// A labelled point of a [`ScatterChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    /// Text beside the point.
    pub label: String,
    /// Position.
    pub x: f64,
    /// Position.
    pub y: f64,
    /// Dot colour.
    pub colour: RGBColor,
}

/// Labelled points with arrows between some of them (e.g. man → woman, king → queen).
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterChart {
    /// The points.
    pub points: Vec<ScatterPoint>,
    /// Arrows (from point, to point, colour).
    pub arrows: Vec<(usize, usize, RGBColor)>,
    /// Legend entries.
    pub legend: Vec<LegendEntry>,
    /// x axis label with unit.
    pub x_label: String,
    /// y axis label with unit.
    pub y_label: String,
    /// Use the same data units per pixel on both axes (honest PCA pictures).
    pub equal_aspect: bool,
    /// Shown in the middle when there are no points.
    pub empty_message: Option<String>,
}

/// Draws a [`ScatterChart`].
pub fn draw_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &ScatterChart,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let plot = legend_strip(area, &c.legend, style)?;
    let ok: Vec<&ScatterPoint> = c
        .points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    let (mut x_min, mut x_max) = data_range(ok.iter().map(|p| p.x), true);
    let (mut y_min, mut y_max) = data_range(ok.iter().map(|p| p.y), true);
    // Room on the right for labels.
    x_max += 0.12 * (x_max - x_min);
    if c.equal_aspect {
        let (pw, ph) = plot.dim_in_pixel();
        let w = f64::from(pw) - style.y_label_area_px() as f64 - 3.0 * style.margin_px() as f64;
        let h = f64::from(ph) - style.x_label_area_px() as f64 - 2.0 * style.margin_px() as f64;
        if w > 0.0 && h > 0.0 {
            let per_px = ((x_max - x_min) / w).max((y_max - y_min) / h);
            let (cx, cy) = ((x_min + x_max) / 2.0, (y_min + y_max) / 2.0);
            x_min = cx - per_px * w / 2.0;
            x_max = cx + per_px * w / 2.0;
            y_min = cy - per_px * h / 2.0;
            y_max = cy + per_px * h / 2.0;
        }
    }
    let tick = font(style, style.tick_px()).color(&BLACK);
    let label = font(style, style.label_px()).color(&BLACK);
    let mut chart = ChartBuilder::on(&plot)
        .margin(style.margin_px())
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let xs = x_max - x_min;
    let ys = y_max - y_min;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(if style.compact { 4 } else { 7 })
        .y_labels(if style.compact { 4 } else { 6 })
        .x_label_formatter(&|v| fmt_si_or_plain(*v, xs))
        .y_label_formatter(&|v| fmt_si_or_plain(*v, ys))
        .x_desc(c.x_label.clone())
        .y_desc(c.y_label.clone())
        .label_style(tick.clone())
        .axis_desc_style(label.clone())
        .draw()?;
    let line = style.line_px();
    for &(a, b, colour) in &c.arrows {
        let (Some(p), Some(q)) = (c.points.get(a), c.points.get(b)) else {
            continue;
        };
        if !(p.x.is_finite() && p.y.is_finite() && q.x.is_finite() && q.y.is_finite()) {
            continue;
        }
        let (pa, pb) = (
            rel(area, chart.backend_coord(&(p.x, p.y))),
            rel(area, chart.backend_coord(&(q.x, q.y))),
        );
        area.draw(&PathElement::new([pa, pb], colour.stroke_width(line)))?;
        // Arrow head at q.
        let (dx, dy) = (f64::from(pb.0 - pa.0), f64::from(pb.1 - pa.1));
        let len = (dx * dx + dy * dy).sqrt();
        if len > 1.0 {
            let (ux, uy) = (dx / len, dy / len);
            let s = 11.0 * style.scale;
            let back = (f64::from(pb.0) - ux * s, f64::from(pb.1) - uy * s);
            let left = (
                (back.0 - uy * s * 0.5) as i32,
                (back.1 + ux * s * 0.5) as i32,
            );
            let right = (
                (back.0 + uy * s * 0.5) as i32,
                (back.1 - ux * s * 0.5) as i32,
            );
            area.draw(&Polygon::new(vec![pb, left, right], colour.filled()))?;
        }
    }
    let r = (4.5 * style.scale).round() as i32;
    for p in &ok {
        let (px, py) = rel(area, chart.backend_coord(&(p.x, p.y)));
        area.draw(&Circle::new((px, py), r, p.colour.filled()))?;
        area.draw(&Text::new(
            p.label.clone(),
            (px + r + 3, py),
            tick.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    if ok.is_empty() {
        if let Some(msg) = &c.empty_message {
            draw_centred_message(
                area,
                chart.backend_coord(&((x_min + x_max) / 2.0, (y_min + y_max) / 2.0)),
                msg,
                &label,
            )?;
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

    fn svg<F>(w: u32, h: u32, f: F) -> (String, ChartMapping)
    where
        F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<ChartMapping, DrawError>,
    {
        let mut s = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
            f(&root).unwrap()
        };
        (s, m)
    }

    #[test]
    fn number_formats() {
        assert_eq!(fmt_num(-0.0001, 2), "0.00");
        assert_eq!(fmt_num(-1.5, 1), "−1.5");
        assert_eq!(fmt_num(f64::NEG_INFINITY, 1), "−∞");
        assert_eq!(fmt_si(950.0), "950");
        assert_eq!(fmt_si(1234.0), "1.23k");
        assert_eq!(fmt_si(34_000.0), "34k");
        assert_eq!(fmt_si(5_600_000.0), "5.6M");
        assert_eq!(fmt_si(2.5e9), "2.5G");
        assert_eq!(log_tick(3.0), "1k");
        assert_eq!(log_tick(2.5), "");
    }

    #[test]
    fn matrix_cells_land_where_the_mapping_says() {
        // 2×3 identity-like matrix; cell (1, 2) holds 1 and is drawn dark red (RdBu top).
        let m = MatrixChart {
            row_labels: vec!["a".into(), "b".into()],
            col_labels: vec!["x".into(), "y".into(), "z".into()],
            values: vec![0.0, 0.0, -1.0, 0.0, 0.0, 1.0],
            scale: ColourScale::Diverging { max_abs: 1.0 },
            x_label: "column (unitless)".into(),
            y_label: "row (unitless)".into(),
            colour_label: "cos (unitless)".into(),
            decimals: 2,
            show_values: true,
            highlight_rows: vec![1],
            highlight_cols: vec![],
        };
        let (s, map) = svg(700, 400, |a| {
            draw_matrix(a, &m, &ChartStyle::for_canvas(700, 1.0))
        });
        assert_eq!(
            (map.x_min, map.x_max, map.y_min, map.y_max),
            (0.0, 3.0, 2.0, 0.0)
        );
        let cell = (map.right - map.left) / 3.0;
        assert!(
            ((map.bottom - map.top) / 2.0 - cell).abs() < 1e-9,
            "cells are square"
        );
        assert!(s.contains("#67001F") || s.to_lowercase().contains("#67001f"));
        assert!(s.contains("1.00") && s.contains("−1.00"));
        for t in ["column (unitless)", "row (unitless)", "cos (unitless)"] {
            assert!(s.contains(t), "{t}");
        }
        let bad = MatrixChart {
            values: vec![1.0],
            ..m
        };
        let mut out = String::new();
        let root = SVGBackend::with_string(&mut out, (100, 100)).into_drawing_area();
        assert!(draw_matrix(&root, &bad, &ChartStyle::for_canvas(100, 1.0)).is_err());
    }

    #[test]
    fn lines_on_log_axes_and_empty_charts() {
        let c = LineChart {
            series: vec![Series {
                label: "V²".into(),
                colour: palette::BLUE,
                dashed: false,
                points: vec![(10.0, 100.0), (100.0, 10_000.0), (0.0, 5.0)],
                dots: true,
            }],
            x_label: "tokens (count)".into(),
            y_label: "cells (count)".into(),
            x_log: true,
            y_log: true,
            x_range: None,
            y_range: None,
            markers: vec![Marker {
                x: 50.0,
                label: "x_max".into(),
            }],
            empty_message: None,
        };
        let (s, m) = svg(800, 450, |a| {
            draw_lines(a, &c, &ChartStyle::for_canvas(800, 1.0))
        });
        // log10 axes: 10 … 100 → [1, 2]; 100 … 10 000 → [2, 4].
        assert_eq!((m.x_min, m.x_max), (1.0, 2.0));
        assert_eq!((m.y_min, m.y_max), (2.0, 4.0));
        assert!(s.contains("10k") && s.contains("x_max") && s.contains("V²"));
        let empty = LineChart {
            series: vec![],
            empty_message: Some("press Train".into()),
            x_log: false,
            y_log: false,
            ..c
        };
        let (s, _) = svg(600, 300, |a| {
            draw_lines(a, &empty, &ChartStyle::for_canvas(600, 1.0))
        });
        assert!(s.contains("press Train"));
    }

    #[test]
    fn bars_with_negative_and_infinite_values() {
        let c = BarChart {
            categories: vec!["CV".into(), "NLP".into(), "n = 3".into()],
            groups: vec![("score".into(), palette::BLUE)],
            values: vec![
                vec![BarValue::Value(-4.9)],
                vec![BarValue::Value(-4.0)],
                vec![BarValue::NegInfinite],
            ],
            x_label: "class".into(),
            y_label: "log₁₀ score (unitless)".into(),
            y_log: false,
            y_range: None,
            decimals: Some(2),
            empty_message: None,
        };
        let (s, m) = svg(700, 400, |a| {
            draw_bars(a, &c, &ChartStyle::for_canvas(700, 1.0))
        });
        assert!(m.y_min < -4.9 && m.y_max == 0.0, "{m:?}");
        assert!(s.contains("−4.90") && s.contains("−∞") && s.contains("NLP"));
        let bad = BarChart {
            values: vec![],
            ..c
        };
        let mut out = String::new();
        let root = SVGBackend::with_string(&mut out, (100, 100)).into_drawing_area();
        assert!(draw_bars(&root, &bad, &ChartStyle::for_canvas(100, 1.0)).is_err());
    }

    #[test]
    fn scatter_keeps_equal_units_per_pixel() {
        let c = ScatterChart {
            points: vec![
                ScatterPoint {
                    label: "man".into(),
                    x: 0.0,
                    y: 0.0,
                    colour: palette::BLUE,
                },
                ScatterPoint {
                    label: "woman".into(),
                    x: 4.0,
                    y: 1.0,
                    colour: palette::VERMILLION,
                },
            ],
            arrows: vec![(0, 1, palette::REFERENCE)],
            legend: vec![],
            x_label: "PC1 (unitless)".into(),
            y_label: "PC2 (unitless)".into(),
            equal_aspect: true,
            empty_message: None,
        };
        let c = ScatterChart {
            legend: vec![LegendEntry {
                label: "words".into(),
                colour: palette::BLUE,
                dashed: false,
            }],
            ..c
        };
        let (s, m) = svg(800, 500, |a| {
            draw_scatter(a, &c, &ChartStyle::for_canvas(800, 1.0))
        });
        // With a legend strip above the plot, every dot still sits where the mapping puts its
        // data point (a dot drawn on the area below the strip would be shifted down by it).
        let circles: Vec<(f64, f64)> = s
            .split("<circle")
            .skip(1)
            .filter_map(|tag| {
                let num = |key: &str| -> Option<f64> {
                    let i = tag.find(key)? + key.len();
                    let j = i + tag[i..].find('"')?;
                    tag[i..j].parse().ok()
                };
                Some((num("cx=\"")?, num("cy=\"")?))
            })
            .collect();
        for p in &c.points {
            let (px, py) = m.to_pixel(p.x, p.y);
            assert!(
                circles
                    .iter()
                    .any(|&(x, y)| (x - px).abs() <= 1.0 && (y - py).abs() <= 1.0),
                "no dot at {:?} for {}: {circles:?}",
                (px, py),
                p.label
            );
        }
        let per_x = (m.x_max - m.x_min) / (m.right - m.left);
        let per_y = (m.y_max - m.y_min) / (m.bottom - m.top);
        assert!((per_x / per_y - 1.0).abs() < 0.03, "{per_x} vs {per_y}");
        assert!(s.contains("woman") && s.contains("PC2 (unitless)"));
    }
}
