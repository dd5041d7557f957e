//! Colour-blind-safe colours for every RNN Lab chart.
//!
//! * Categorical lines and legends: the Okabe–Ito palette (M. Okabe and K. Ito, *Color Universal
//!   Design*, 2008, <https://jfly.uni-koeln.de/color/>), distinguishable under the common forms
//!   of colour-vision deficiency.
//! * Signed values (gates − 0.5, cell state, weights, gradients): a diverging map through the
//!   eleven anchors of ColorBrewer **RdBu** (C. Brewer, <https://colorbrewer2.org>), reversed so
//!   that negative is blue, zero is near-white and positive is red.
//! * Magnitudes (norms, probabilities, counts): a sequential map through the nine anchors of
//!   **viridis** as given by R's `viridisLite::viridis(9)` (van der Walt and Smith, matplotlib
//!   2015), perceptually uniform and monotone in lightness.
//!
//! Between anchors the maps interpolate linearly in sRGB, which keeps the anchors exact.

use plotters::style::RGBColor;

/// Okabe–Ito black (0, 0, 0).
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
/// Okabe–Ito orange (230, 159, 0).
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito sky blue (86, 180, 233).
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito bluish green (0, 158, 115).
pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito yellow (240, 228, 66). Too light for thin lines on white; use for fills.
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Okabe–Ito blue (0, 114, 178).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion (213, 94, 0).
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito reddish purple (204, 121, 167).
pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

/// The Okabe–Ito set in the order used for series on a white background (strong colours first,
/// yellow last).
pub const OKABE_ITO: [RGBColor; 8] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    BLACK,
    YELLOW,
];

/// Grey for grid lines and reference lines.
pub const GRID: RGBColor = RGBColor(210, 210, 210);
/// Dark grey for reference lines and their labels (contrast ≥ 7:1 on white).
pub const REFERENCE: RGBColor = RGBColor(80, 80, 80);
/// Neutral grey drawn for a NaN or infinite value in a colour map.
pub const MISSING: RGBColor = RGBColor(128, 128, 128);

/// The `i`-th categorical colour, cycling through [`OKABE_ITO`].
pub fn categorical(i: usize) -> RGBColor {
    OKABE_ITO[i % OKABE_ITO.len()]
}

/// ColorBrewer RdBu (11 classes), reversed: index 0 is −1 (dark blue), 5 is 0, 10 is +1 (dark red).
pub const DIVERGING_ANCHORS: [RGBColor; 11] = [
    RGBColor(0x05, 0x30, 0x61),
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x43, 0x93, 0xc3),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0xd1, 0xe5, 0xf0),
    RGBColor(0xf7, 0xf7, 0xf7),
    RGBColor(0xfd, 0xdb, 0xc7),
    RGBColor(0xf4, 0xa5, 0x82),
    RGBColor(0xd6, 0x60, 0x4d),
    RGBColor(0xb2, 0x18, 0x2b),
    RGBColor(0x67, 0x00, 0x1f),
];

/// viridis at 0, 1/8, …, 1 (`viridisLite::viridis(9)`).
pub const SEQUENTIAL_ANCHORS: [RGBColor; 9] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x47, 0x2d, 0x7b),
    RGBColor(0x3b, 0x52, 0x8b),
    RGBColor(0x2c, 0x72, 0x8e),
    RGBColor(0x21, 0x90, 0x8c),
    RGBColor(0x27, 0xad, 0x81),
    RGBColor(0x5d, 0xc8, 0x63),
    RGBColor(0xaa, 0xdc, 0x32),
    RGBColor(0xfd, 0xe7, 0x25),
];

/// Piecewise-linear interpolation through evenly spaced anchors, `t` ∈ [0, 1] (clamped).
fn interpolate(anchors: &[RGBColor], t: f64) -> RGBColor {
    if !t.is_finite() || anchors.is_empty() {
        return MISSING;
    }
    let t = t.clamp(0.0, 1.0);
    let last = anchors.len() - 1;
    let pos = t * last as f64;
    let i = (pos.floor() as usize).min(last);
    if i == last {
        return anchors[last];
    }
    let w = pos - i as f64;
    let (a, b) = (anchors[i], anchors[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * w).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Diverging colour for a signed value `v` ∈ [−1, 1] (clamped): blue < 0, near-white at 0,
/// red > 0. NaN/∞ give [`MISSING`]. Scale your data first, e.g. `v = x / max|x|`.
pub fn diverging(v: f64) -> RGBColor {
    interpolate(&DIVERGING_ANCHORS, (v + 1.0) / 2.0)
}

/// Sequential (viridis) colour for `t` ∈ [0, 1] (clamped). NaN/∞ give [`MISSING`].
pub fn sequential(t: f64) -> RGBColor {
    interpolate(&SEQUENTIAL_ANCHORS, t)
}

/// CSS hex form `#rrggbb`, for legends drawn by the page.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// WCAG relative luminance of an sRGB colour (0 = black, 1 = white).
pub fn relative_luminance(c: RGBColor) -> f64 {
    let lin = |u: u8| {
        let s = f64::from(u) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// WCAG contrast ratio between two colours (1 to 21).
pub fn contrast_ratio(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: RGBColor = RGBColor(255, 255, 255);

    #[test]
    fn okabe_ito_values_match_the_published_table() {
        // Okabe & Ito (2008), the "colorblind-safe" set, as hex:
        // #E69F00 #56B4E9 #009E73 #F0E442 #0072B2 #D55E00 #CC79A7 (and black).
        assert_eq!(hex(ORANGE), "#e69f00");
        assert_eq!(hex(SKY_BLUE), "#56b4e9");
        assert_eq!(hex(BLUISH_GREEN), "#009e73");
        assert_eq!(hex(YELLOW), "#f0e442");
        assert_eq!(hex(BLUE), "#0072b2");
        assert_eq!(hex(VERMILLION), "#d55e00");
        assert_eq!(hex(REDDISH_PURPLE), "#cc79a7");
        assert_eq!(categorical(0), BLUE);
        assert_eq!(categorical(8), BLUE);
    }

    #[test]
    fn line_colours_are_visible_on_white() {
        // The first four categorical colours are used for thin lines: WCAG 1.4.11 asks 3:1 for
        // graphical objects.
        for c in &OKABE_ITO[..4] {
            assert!(contrast_ratio(*c, WHITE) >= 3.0, "{} on white", hex(*c));
        }
        assert!(contrast_ratio(REFERENCE, WHITE) >= 7.0);
    }

    #[test]
    fn diverging_map_hits_the_colorbrewer_anchors() {
        assert_eq!(hex(diverging(-1.0)), "#053061");
        assert_eq!(hex(diverging(0.0)), "#f7f7f7");
        assert_eq!(hex(diverging(1.0)), "#67001f");
        assert_eq!(hex(diverging(0.2)), "#fddbc7"); // anchor 6 of 11 sits at v = 0.2
                                                    // Midway between #f7f7f7 and #fddbc7: ((247+253)/2, (247+219)/2, (247+199)/2) = (250, 233, 223).
        assert_eq!(diverging(0.1), RGBColor(250, 233, 223));
        assert_eq!(diverging(-7.0), diverging(-1.0));
        assert_eq!(diverging(f64::NAN), MISSING);
    }

    #[test]
    fn diverging_map_is_lightest_at_zero_and_darkens_with_magnitude() {
        let mut prev_neg = relative_luminance(diverging(0.0));
        let mut prev_pos = prev_neg;
        for k in 1..=50 {
            let v = f64::from(k) / 50.0;
            let (ln, lp) = (
                relative_luminance(diverging(-v)),
                relative_luminance(diverging(v)),
            );
            assert!(ln <= prev_neg + 1e-12, "negative side not darkening at {v}");
            assert!(lp <= prev_pos + 1e-12, "positive side not darkening at {v}");
            prev_neg = ln;
            prev_pos = lp;
        }
        // Sign is readable from hue: blue channel dominates below zero, red above.
        let (n, p) = (diverging(-0.6), diverging(0.6));
        assert!(n.2 > n.0 && p.0 > p.2);
    }

    #[test]
    fn sequential_map_is_viridis_and_monotone_in_lightness() {
        assert_eq!(hex(sequential(0.0)), "#440154");
        assert_eq!(hex(sequential(0.5)), "#21908c");
        assert_eq!(hex(sequential(1.0)), "#fde725");
        assert_eq!(sequential(f64::INFINITY), MISSING);
        let mut prev = relative_luminance(sequential(0.0));
        for k in 1..=100 {
            let l = relative_luminance(sequential(f64::from(k) / 100.0));
            assert!(l > prev, "viridis lightness must increase (at {k}%)");
            prev = l;
        }
    }
}
