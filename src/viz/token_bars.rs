//! Next-token probability bars: the ten most probable next tokens ŷ_t at the current step, with the
//! teacher-forced target x_{t+1} marked and its loss term J⁽ᵗ⁾ = −log ŷ_t(x_{t+1}).
//!
//! Lecture point (DeepIntoDeep RNN lecture, "RNN language model" and "training" slides; CS224n's
//! "the students opened their ___" example): at every step the model outputs a distribution over
//! the vocabulary; training with teacher forcing feeds the true next word and adds −log of the
//! probability it gave to that word. A confident right prediction costs little, a confident wrong
//! one costs a lot. Bars are coloured by probability with the sequential viridis map.

use super::palette;
use super::{
    axis_label, legend_strip, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use crate::core::stepper::Frame;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: the token as shown, its probability, its rank (1 = most probable), target or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Display text (spaces shown as ␣, long tokens shortened).
    pub label: String,
    /// ŷ_t of the token.
    pub p: f64,
    /// Rank among all tokens.
    pub rank: usize,
    /// True for the teacher-forced target x_{t+1}.
    pub target: bool,
}

/// Longest token label, in characters, before it is shortened with "…".
pub const MAX_LABEL: usize = 14;

/// How a token is shown on the axis: visible whitespace, at most [`MAX_LABEL`] characters.
pub fn display_token(token: &str) -> String {
    let visible: String = token
        .chars()
        .map(|c| match c {
            ' ' => '␣',
            '\t' => '⇥',
            c if c.is_control() => '·',
            c => c,
        })
        .collect();
    if visible.chars().count() > MAX_LABEL {
        let mut s: String = visible.chars().take(MAX_LABEL - 1).collect();
        s.push('…');
        s
    } else {
        visible
    }
}

/// The bars of a frame, most probable first: its top candidates, plus the target as an extra
/// last bar when it is not among them.
pub fn bars(frame: &Frame) -> Vec<Bar> {
    let target_id = frame.target.as_ref().map(|c| c.id);
    let mut out: Vec<Bar> = frame
        .top
        .iter()
        .enumerate()
        .map(|(i, c)| Bar {
            label: display_token(&c.token),
            p: c.p,
            rank: i + 1,
            target: Some(c.id) == target_id,
        })
        .collect();
    if let (Some(t), Some(rank)) = (&frame.target, frame.target_rank) {
        if !out.iter().any(|b| b.target) {
            out.push(Bar {
                label: display_token(&t.token),
                p: t.p,
                rank,
                target: true,
            });
        }
    }
    out
}

/// Draws the bars of `frame` on `area` and returns the mapping (x = probability, y = row index
/// counted from the bottom: the most probable token is the top row, `y = n − 1`).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    lang: Lang,
    style: &ChartStyle,
) -> Result<ChartMapping, DrawError> {
    let rows = bars(frame);
    if rows.is_empty() {
        return Err(DrawError("the frame has no candidates".into()));
    }
    let n = rows.len();
    let (width, height) = area.dim_in_pixel();
    area.fill(&WHITE)?;
    let target_text = match (&frame.target, frame.loss) {
        (Some(_), Some(j)) => format!(
            "{} x_t+1: J⁽ᵗ⁾ = −log ŷ = {}",
            lang.pick("정답", "target"),
            if j != 0.0 && j.abs() < 0.01 {
                format!("{j:.2e}")
            } else {
                format!("{j:.3}")
            }
        ),
        _ => lang
            .pick(
                "마지막 단계: 다음 토큰(정답)이 없음",
                "last step: no next token (target)",
            )
            .into(),
    };
    let entries = [
        LegendEntry {
            label: lang
                .pick("ŷ_t (색 = 확률)", "ŷ_t (colour = probability)")
                .into(),
            colour: palette::sequential(0.55),
            dashed: false,
        },
        LegendEntry {
            label: target_text,
            colour: palette::VERMILLION,
            dashed: false,
        },
    ];
    let plot_area = legend_strip(area, &entries, style)?;
    let tick_font = (ChartStyle::FONT_FAMILY, style.tick_px())
        .into_font()
        .color(&BLACK);
    let label_font = (ChartStyle::FONT_FAMILY, style.label_px())
        .into_font()
        .color(&BLACK);
    // Room for the longest token label left of the plot.
    let mut widest = 0u32;
    for r in &rows {
        let text = if r.rank > 10 {
            format!("#{} {}", r.rank, r.label)
        } else {
            r.label.clone()
        };
        widest = widest.max(area.estimate_text_size(&text, &tick_font)?.0);
    }
    let y_area = widest + (style.label_px() * 2.2).round() as u32;
    let (x_min, x_max) = (0.0, 1.0);
    let (y_min, y_max) = (-0.5, n as f64 - 0.5);
    let value_room = (style.tick_px() * 3.5).round() as u32;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.margin_px())
        .margin_right(style.margin_px() + value_room)
        .x_label_area_size(style.x_label_area_px())
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let row_of = |y: f64| -> Option<usize> {
        let i = y.round();
        ((y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n).then(|| n - 1 - i as usize)
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .bold_line_style(palette::GRID)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(if style.compact { 3 } else { 6 })
        .y_labels(n + 1)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|y| match row_of(*y) {
            Some(i) if rows[i].rank > 10 => format!("#{} {}", rows[i].rank, rows[i].label),
            Some(i) => rows[i].label.clone(),
            None => String::new(),
        })
        .x_desc(axis_label(
            lang.pick("ŷ_t(w): 다음 토큰 확률", "ŷ_t(w): next-token probability"),
            Unit::Dimensionless,
            lang,
        ))
        .y_desc(lang.pick("후보 w", "candidate w"))
        .label_style(tick_font.clone())
        .axis_desc_style(label_font)
        .draw()?;
    let outline = palette::REFERENCE.stroke_width(1);
    let thick = palette::VERMILLION.stroke_width((3.0 * style.scale).round().max(2.0) as u32);
    for (i, b) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (y0, y1) = (y - 0.36, y + 0.36);
        let p = b.p.clamp(0.0, 1.0);
        chart.draw_series([Rectangle::new(
            [(0.0, y0), (p, y1)],
            palette::sequential(p).filled(),
        )])?;
        chart.draw_series([Rectangle::new(
            [(0.0, y0), (p, y1)],
            if b.target { thick } else { outline },
        )])?;
        let (px, py) = chart.backend_coord(&(p, y));
        let text = if b.target {
            format!("{:.3} ◀ {}", b.p, lang.pick("정답", "target"))
        } else {
            format!("{:.3}", b.p)
        };
        let font = if b.target {
            tick_font.clone().color(&palette::VERMILLION)
        } else {
            tick_font.clone()
        };
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(
            text,
            (px + (6.0 * style.scale) as i32 - bx, py - by),
            font.pos(Pos::new(HPos::Left, VPos::Center)),
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
    use crate::core::stepper::Candidate;

    fn frame(target: Option<(usize, f64)>, rank: Option<usize>) -> Frame {
        let top: Vec<Candidate> = (0..10)
            .map(|i| Candidate {
                id: i,
                token: format!("w{i}"),
                p: 0.5 / (i + 1) as f64,
            })
            .collect();
        Frame {
            t: 0,
            token: "the".into(),
            id: 20,
            gates: vec![],
            h_prev: vec![0.0],
            h: vec![0.0],
            c_prev: vec![],
            c: vec![],
            top,
            target: target.map(|(id, p)| Candidate {
                id,
                token: "their books".into(),
                p,
            }),
            target_rank: rank,
            loss: target.map(|(_, p)| -p.ln()),
            entropy: 1.0,
        }
    }

    #[test]
    fn the_target_is_marked_in_the_top_ten_or_added_with_its_rank() {
        let inside = bars(&frame(Some((2, 0.5 / 3.0)), Some(3)));
        assert_eq!(inside.len(), 10);
        assert_eq!(
            inside
                .iter()
                .filter(|b| b.target)
                .map(|b| b.rank)
                .collect::<Vec<_>>(),
            [3]
        );
        let outside = bars(&frame(Some((40, 0.001)), Some(27)));
        assert_eq!(outside.len(), 11);
        assert_eq!((outside[10].rank, outside[10].target), (27, true));
        assert_eq!(outside[10].label, "their␣books");
        assert_eq!(
            bars(&frame(None, None)).iter().filter(|b| b.target).count(),
            0
        );
        assert_eq!(display_token("abcdefghijklmnopq"), "abcdefghijklm…");
        assert_eq!(display_token("늦었다"), "늦었다");
    }

    #[test]
    fn draws_bars_with_the_loss_in_the_legend() {
        let f = frame(Some((40, 0.001)), Some(27));
        let mut svg = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
            draw(&root, &f, Lang::En, &ChartStyle::for_canvas(800, 1.0)).unwrap()
        };
        assert_eq!((m.x_min, m.x_max, m.y_min, m.y_max), (0.0, 1.0, -0.5, 10.5));
        // J = −ln 0.001 = 6.908.
        assert!(svg.contains("target x_t+1: J⁽ᵗ⁾ = −log ŷ = 6.908"), "{svg}");
        assert!(svg.contains("#27 their␣books"));
        assert!(svg.contains("0.500"));
        assert!(svg.contains("ŷ_t(w): next-token probability (unitless)"));
        // The most probable bar (p = 0.5) spans x = 0 … 0.5 on the top row.
        let (x0, _) = m.to_pixel(0.0, 10.0);
        let (x1, _) = m.to_pixel(0.5, 10.0);
        let viridis = palette::hex(palette::sequential(0.5)).to_uppercase();
        let rect = svg
            .split("<rect")
            .find(|r| r.to_uppercase().contains(&viridis))
            .expect("the p = 0.5 bar");
        let num = |key: &str| -> f64 {
            let i = rect.find(key).unwrap() + key.len();
            rect[i..].split('"').next().unwrap().parse().unwrap()
        };
        assert!((num("x=\"") - x0).abs() <= 1.0);
        assert!((num("x=\"") + num("width=\"") - x1).abs() <= 1.5);
        let mut last = String::new();
        let root = SVGBackend::with_string(&mut last, (800, 500)).into_drawing_area();
        draw(
            &root,
            &frame(None, None),
            Lang::Ko,
            &ChartStyle::for_canvas(800, 1.0),
        )
        .unwrap();
        drop(root);
        assert!(last.contains("마지막 단계"));
    }
}
