//! The activation-function chart: f(a) and f′(a) for tanh, ReLU, sigmoid and identity.
//!
//! Lecture point (vanishing gradients, DeepIntoDeep RNN lecture §3; Bengio, Simard and Frasconi
//! 1994; Pascanu, Mikolov and Bengio 2013): backpropagation through time multiplies one factor
//! f′(a_t) per step, and
//!
//! * σ′(a) = σ(a)(1 − σ(a)) ≤ ¼ (maximum at a = 0, where σ = ½),
//! * tanh′(a) = 1 − tanh²(a) ≤ 1 (maximum at a = 0),
//!
//! so with saturating activations the product shrinks geometrically unless the recurrent weights
//! compensate. The chart draws both functions and their derivatives (dashed) with the bounds as
//! reference lines. All values come from [`crate::core::activations`]; the derivative is evaluated
//! from the output exactly as the backward pass does.

use super::palette;
use super::{
    axis_label, legend_strip, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use crate::core::activations::Activation;
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Number of samples per curve: 4 per CSS pixel of a wide chart is far more than needed for these
/// smooth curves, and ReLU's kink at 0 falls on a sample because the default range is symmetric.
pub const SAMPLES: usize = 401;

/// Smallest and largest allowed |a| on the x axis.
pub const X_LIMIT: f64 = 20.0;

/// Smallest allowed width of the x range.
pub const MIN_SPAN: f64 = 0.5;

/// Settings of the activations widget. Flat, so each field is one URL key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivationsConfig {
    /// Draw tanh. Default `true`.
    pub tanh: bool,
    /// Draw ReLU. Default `false`.
    pub relu: bool,
    /// Draw the logistic sigmoid σ. Default `true`.
    pub sigmoid: bool,
    /// Draw the identity. Default `false`.
    pub identity: bool,
    /// Left end of the a axis. Default −4; range [−20, 20), less than `x_max` by at least 0.5.
    pub x_min: f64,
    /// Right end of the a axis. Default 4; range (−20, 20].
    pub x_max: f64,
    /// Also draw f′(a) (dashed) and the derivative bounds. Default `true`.
    pub derivative: bool,
    /// Language of the chart text. Default `ko`.
    pub lang: Lang,
}

impl Default for ActivationsConfig {
    fn default() -> Self {
        ActivationsConfig {
            tanh: true,
            relu: false,
            sigmoid: true,
            identity: false,
            x_min: -4.0,
            x_max: 4.0,
            derivative: true,
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for ActivationsConfig {
    fn validate(&self) -> Result<()> {
        for (name, v) in [("x_min", self.x_min), ("x_max", self.x_max)] {
            if !v.is_finite() {
                return Err(CoreError::invalid(name, "must be a finite number"));
            }
            if !(-X_LIMIT..=X_LIMIT).contains(&v) {
                return Err(CoreError::invalid(name, "must be between -20 and 20"));
            }
        }
        if self.x_max - self.x_min < MIN_SPAN {
            return Err(CoreError::invalid(
                "x_min",
                "must be less than x_max by at least 0.5",
            ));
        }
        if self.shown().is_empty() {
            return Err(CoreError::invalid(
                "tanh",
                "at least one activation must be shown",
            ));
        }
        Ok(())
    }
}

impl ActivationsConfig {
    /// The activations switched on, in the fixed order tanh, ReLU, sigmoid, identity.
    pub fn shown(&self) -> Vec<Activation> {
        Activation::ALL
            .into_iter()
            .filter(|a| match a {
                Activation::Tanh => self.tanh,
                Activation::Relu => self.relu,
                Activation::Sigmoid => self.sigmoid,
                Activation::Identity => self.identity,
            })
            .collect()
    }
}

/// The symbol the lecture uses for an activation (σ for the sigmoid).
pub fn symbol(act: Activation) -> &'static str {
    match act {
        Activation::Tanh => "tanh",
        Activation::Relu => "ReLU",
        Activation::Sigmoid => "σ",
        Activation::Identity => "id",
    }
}

/// The fixed colour of an activation in every chart (Okabe–Ito).
pub fn colour(act: Activation) -> RGBColor {
    match act {
        Activation::Tanh => palette::BLUE,
        Activation::Relu => palette::VERMILLION,
        Activation::Sigmoid => palette::BLUISH_GREEN,
        Activation::Identity => palette::REDDISH_PURPLE,
    }
}

/// The supremum of f′ over all a: ¼ for σ, 1 for tanh, ReLU and identity.
///
/// σ′ = σ(1 − σ) is a parabola in σ with its top at σ = ½, giving ½·½ = ¼; tanh′ = 1 − y² is
/// largest at y = 0.
pub fn derivative_bound(act: Activation) -> f64 {
    match act {
        Activation::Sigmoid => 0.25,
        Activation::Tanh | Activation::Relu | Activation::Identity => 1.0,
    }
}

/// One sampled curve: a (pre-activation), y = f(a) and f′(a).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivationSeries {
    /// Which activation.
    pub activation: Activation,
    /// Sample points, evenly spaced from `x_min` to `x_max` inclusive. // (N,)
    pub a: Vec<f64>,
    /// f(a). // (N,)
    pub f: Vec<f64>,
    /// f′(a), computed from the output y as in the backward pass. // (N,)
    pub df: Vec<f64>,
}

/// Samples `act` at `n ≥ 2` evenly spaced points of [x_min, x_max].
pub fn activation_series(
    act: Activation,
    x_min: f64,
    x_max: f64,
    n: usize,
) -> Result<ActivationSeries> {
    if n < 2 {
        return Err(CoreError::invalid("samples", "need at least 2"));
    }
    if !(x_min.is_finite() && x_max.is_finite()) || x_min >= x_max {
        return Err(CoreError::invalid(
            "x_min",
            "the range must be finite with x_min < x_max",
        ));
    }
    let step = (x_max - x_min) / (n - 1) as f64;
    let a: Vec<f64> = (0..n).map(|i| x_min + step * i as f64).collect();
    let f: Vec<f64> = a.iter().map(|&x| act.f(x)).collect();
    let df: Vec<f64> = f.iter().map(|&y| act.df_from_output(y)).collect();
    Ok(ActivationSeries {
        activation: act,
        a,
        f,
        df,
    })
}

/// Every shown curve of `config`, [`SAMPLES`] points each.
pub fn series_for(config: &ActivationsConfig) -> Result<Vec<ActivationSeries>> {
    config.validate()?;
    config
        .shown()
        .into_iter()
        .map(|act| activation_series(act, config.x_min, config.x_max, SAMPLES))
        .collect()
}

/// The values under the cursor for one activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadoutRow {
    /// Lower-case name (`tanh`, `relu`, …).
    pub name: &'static str,
    /// Display symbol (`σ` for the sigmoid).
    pub symbol: &'static str,
    /// f(a).
    pub f: f64,
    /// f′(a).
    pub df: f64,
}

/// f(a) and f′(a) at one `a` for every shown activation (for hover and keyboard readouts).
pub fn readout(config: &ActivationsConfig, a: f64) -> Result<Vec<ReadoutRow>> {
    if !a.is_finite() {
        return Err(CoreError::non_finite("a"));
    }
    Ok(config
        .shown()
        .into_iter()
        .map(|act| {
            let y = act.f(a);
            ReadoutRow {
                name: act.name(),
                symbol: symbol(act),
                f: y,
                df: act.df_from_output(y),
            }
        })
        .collect())
}

/// The y range that shows every curve with a 6 % margin (and always includes 0 and 1 when
/// derivatives are shown, so the bounds ¼ and 1 are visible).
pub fn y_range(series: &[ActivationSeries], with_derivative: bool) -> (f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = if with_derivative { 1.0f64 } else { 0.0 };
    for s in series {
        for &v in
            s.f.iter()
                .chain(if with_derivative { &s.df[..] } else { &[] })
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = 0.06 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Draws the chart of `config` on `area` and returns where the plot area landed.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    config: &ActivationsConfig,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let series = series_for(config)?;
    let (y_min, y_max) = y_range(&series, config.derivative);
    let (x_min, x_max) = (config.x_min, config.x_max);
    let lang = config.lang;
    let (width, height) = area.dim_in_pixel();

    area.fill(&WHITE)?;
    let mut entries = Vec::new();
    for s in &series {
        let (colour, sym) = (colour(s.activation), symbol(s.activation));
        entries.push(LegendEntry {
            label: format!("{sym}(a)"),
            colour,
            dashed: false,
        });
        if config.derivative {
            entries.push(LegendEntry {
                label: format!("{sym}′(a)"),
                colour,
                dashed: true,
            });
        }
    }
    let plot_area = legend_strip(area, &entries, style)?;
    let family = ChartStyle::FONT_FAMILY;
    let tick_font = (family, style.tick_px()).into_font().color(&BLACK);
    let label_font = (family, style.label_px()).into_font().color(&BLACK);

    // Derivative bounds are labelled in a strip right of the plot, clear of curves and legend.
    let bound_label_px = if config.derivative {
        (style.tick_px() * 4.2).round() as u32
    } else {
        0
    };
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .margin_right(style.margin_px() + bound_label_px)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(style.y_label_area_px())
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;

    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(style.line_px().max(1) / 2 + 1))
        .x_labels(if style.compact { 5 } else { 9 })
        .y_labels(if style.compact { 5 } else { 7 })
        .x_desc(axis_label(
            lang.pick("a (활성화 전 입력)", "a (pre-activation)"),
            Unit::Dimensionless,
            lang,
        ))
        .y_desc(axis_label("f(a), f′(a)", Unit::Dimensionless, lang))
        .label_style(tick_font.clone())
        .axis_desc_style(label_font.clone())
        .draw()?;

    let line = style.line_px();
    let dash = (6.0 * style.scale).round().max(2.0) as u32;
    let gap = (4.0 * style.scale).round().max(2.0) as u32;

    // Reference lines for the derivative bounds (drawn first, under the curves).
    if config.derivative {
        let mut bounds: Vec<f64> = series
            .iter()
            .map(|s| derivative_bound(s.activation))
            .collect();
        // Highest first, so a label that would overlap the one above moves down.
        bounds.sort_by(|a, b| b.total_cmp(a));
        bounds.dedup();
        let min_gap = (style.tick_px() * 1.15).round() as i32;
        let mut last_label_y = i32::MIN / 2;
        for b in bounds {
            let ref_style = palette::REFERENCE.stroke_width(1.max(style.scale.round() as u32));
            chart.draw_series(DashedLineSeries::new(
                [(x_min, b), (x_max, b)],
                2.0 * style.scale,
                3.0 * style.scale,
                ref_style,
            ))?;
            let text = if b == 0.25 {
                "σ′≤¼".to_string()
            } else {
                format!("f′≤{b}")
            };
            let (px, line_y) = chart.backend_coord(&(x_max, b));
            let py = line_y.max(last_label_y + min_gap);
            last_label_y = py;
            area.draw(&Text::new(
                text,
                (px + (6.0 * style.scale) as i32, py),
                tick_font.clone().color(&palette::REFERENCE).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Center,
                    ),
                ),
            ))?;
        }
    }

    for s in &series {
        let c = colour(s.activation);
        chart.draw_series(LineSeries::new(
            s.a.iter().copied().zip(s.f.iter().copied()),
            c.stroke_width(line),
        ))?;
        if config.derivative {
            chart.draw_series(DashedLineSeries::new(
                s.a.iter().copied().zip(s.df.iter().copied()),
                dash,
                gap,
                c.stroke_width(line),
            ))?;
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
    use crate::core::config::{from_url_pairs, to_url_pairs};

    #[test]
    fn default_config_is_valid_and_round_trips() {
        let c = ActivationsConfig::default();
        c.validate().unwrap();
        let pairs = to_url_pairs(&c).unwrap();
        let (back, errs) = from_url_pairs::<ActivationsConfig, _, _>(&pairs);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
    }

    #[test]
    fn url_values_are_checked() {
        let (c, errs) = from_url_pairs::<ActivationsConfig, _, _>(&[
            ("x_min", "-50"),
            ("x_max", "2"),
            ("relu", "true"),
            ("lang", "fr"),
        ]);
        assert_eq!(c.x_min, -4.0);
        assert_eq!(c.x_max, 2.0);
        assert!(c.relu);
        assert_eq!(c.lang, Lang::Ko);
        let keys: Vec<_> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["lang", "x_min"]);
        // Switching every curve off is refused, and tanh comes back.
        let (c, errs) =
            from_url_pairs::<ActivationsConfig, _, _>(&[("tanh", "false"), ("sigmoid", "false")]);
        assert!(c.tanh && !c.sigmoid);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].key, "tanh");
    }

    #[test]
    fn series_values_worked_by_hand() {
        // 5 points on [-2, 2]: a = -2, -1, 0, 1, 2.
        let s = activation_series(Activation::Sigmoid, -2.0, 2.0, 5).unwrap();
        assert_eq!(s.a, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        // σ(0) = ½, σ′(0) = ¼; σ(1) = 1/(1+e⁻¹) = 0.7310585786300049; σ′(1) = σ(1)σ(−1).
        assert_eq!(s.f[2], 0.5);
        assert_eq!(s.df[2], 0.25);
        assert!((s.f[3] - 0.731_058_578_630_004_9).abs() < 1e-15);
        assert!((s.df[3] - 0.731_058_578_630_004_9 * 0.268_941_421_369_995_1).abs() < 1e-15);
        // ReLU: f = max(0, a), f′ = [a > 0]; at a = 0 the backward pass uses 0.
        let r = activation_series(Activation::Relu, -2.0, 2.0, 5).unwrap();
        assert_eq!(r.f, [0.0, 0.0, 0.0, 1.0, 2.0]);
        assert_eq!(r.df, [0.0, 0.0, 0.0, 1.0, 1.0]);
        // tanh(1) = 0.7615941559557649, tanh′(1) = 1 − tanh²(1) = 0.41997434161402614.
        let t = activation_series(Activation::Tanh, -2.0, 2.0, 5).unwrap();
        assert!((t.f[3] - 0.761_594_155_955_764_9).abs() < 1e-15);
        assert!((t.df[3] - 0.419_974_341_614_026_14).abs() < 1e-15);
        assert!(activation_series(Activation::Tanh, 1.0, 1.0, 5).is_err());
        assert!(activation_series(Activation::Tanh, 0.0, 1.0, 1).is_err());
    }

    #[test]
    fn derivatives_never_exceed_the_lecture_bounds() {
        for act in Activation::ALL {
            let s = activation_series(act, -20.0, 20.0, 4001).unwrap();
            let max = s.df.iter().copied().fold(f64::MIN, f64::max);
            assert!(max <= derivative_bound(act) + 1e-15, "{act:?}: {max}");
        }
        // …and the σ bound is attained at a = 0, the middle sample.
        let s = activation_series(Activation::Sigmoid, -20.0, 20.0, 4001).unwrap();
        assert_eq!(s.df[2000], 0.25);
    }

    #[test]
    fn readout_matches_the_series() {
        let c = ActivationsConfig {
            relu: true,
            ..Default::default()
        };
        let rows = readout(&c, 1.0).unwrap();
        let names: Vec<_> = rows.iter().map(|r| r.name).collect();
        assert_eq!(names, ["tanh", "relu", "sigmoid"]);
        assert!((rows[0].f - 0.761_594_155_955_764_9).abs() < 1e-15);
        assert_eq!((rows[1].f, rows[1].df), (1.0, 1.0));
        assert!(readout(&c, f64::NAN).is_err());
    }

    /// Pulls the `points="x,y x,y …"` lists of every `<polyline>` out of an SVG string.
    fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polyline")
            .skip(1)
            .filter_map(|tag| {
                let start = tag.find("points=\"")? + 8;
                let end = start + tag[start..].find('"')?;
                Some(
                    tag[start..end]
                        .split_whitespace()
                        .filter_map(|p| {
                            let (x, y) = p.split_once(',')?;
                            Some((x.parse().ok()?, y.parse().ok()?))
                        })
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn renders_to_svg_without_system_fonts_and_reports_the_true_mapping() {
        // Identity only, no derivative: the curve is the diagonal y = a, so its first and last
        // vertices are the data points (−4, −4) and (4, 4), which the mapping must place.
        let config = ActivationsConfig {
            tanh: false,
            sigmoid: false,
            identity: true,
            derivative: false,
            lang: Lang::En,
            ..Default::default()
        };
        let mut svg = String::new();
        let mapping = {
            let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
            draw(&root, &config, &ChartStyle::for_canvas(900, 1.0)).unwrap()
        };
        assert_eq!((mapping.width, mapping.height), (900, 500));
        assert!(0.0 < mapping.left && mapping.left < mapping.right && mapping.right < 900.0);
        assert!(0.0 < mapping.top && mapping.top < mapping.bottom && mapping.bottom < 500.0);
        assert_eq!((mapping.x_min, mapping.x_max), (-4.0, 4.0));
        // y range = [−4, 4] padded by 6 % of 8.
        assert!((mapping.y_min + 4.48).abs() < 1e-12 && (mapping.y_max - 4.48).abs() < 1e-12);

        let lines = polylines(&svg);
        let diagonal = lines
            .iter()
            .find(|l| l.len() == SAMPLES)
            .expect("the identity curve is drawn as one polyline");
        for (point, data) in [(diagonal[0], -4.0), (diagonal[SAMPLES - 1], 4.0)] {
            let (px, py) = mapping.to_pixel(data, data);
            assert!((point.0 - px).abs() <= 1.0 && (point.1 - py).abs() <= 1.0);
        }
        // Axis labels carry units; the legend names the curve.
        assert!(svg.contains("a (pre-activation) (unitless)"), "x label");
        assert!(svg.contains("f(a), f′(a) (unitless)"), "y label");
        assert!(svg.contains("id(a)"), "legend");
    }

    #[test]
    fn korean_labels_and_derivative_bounds_are_drawn() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 450)).into_drawing_area();
            draw(
                &root,
                &ActivationsConfig::default(),
                &ChartStyle::for_canvas(800, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("활성화 전 입력"));
        assert!(svg.contains("σ′≤¼"));
        assert!(svg.contains("f′≤1"));
        assert!(svg.contains("σ′(a)") && svg.contains("tanh′(a)"));
        // Colours are the Okabe–Ito ones fixed per activation.
        assert!(svg.to_uppercase().contains("#0072B2"));
        assert!(svg.to_uppercase().contains("#009E73"));
    }

    #[test]
    fn invalid_config_is_an_error_not_a_panic() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        let bad = ActivationsConfig {
            x_min: 3.0,
            x_max: 1.0,
            ..Default::default()
        };
        let err = draw(&root, &bad, &ChartStyle::for_canvas(400, 1.0)).unwrap_err();
        assert!(err.0.contains("x_min"), "{err}");
    }
}
