//! wasm handles of the word-vector and language-model widgets (lecture section 1). Each is a thin
//! wrapper over the widget's module in [`crate::viz::nlp`], where the sessions, configs and charts
//! live (and are tested natively); here are only the JS conversions and the canvas.
//!
//! One [`vectors::WordVectorsHandle`] holds the shipped GloVe vectors and is shared by every widget
//! on a page that needs them (`onehot`, `analogy`): widgets borrow it in their calls.

pub mod analogy;
pub mod glove;
pub mod naive_bayes;
pub mod ngram;
pub mod onehot;
pub mod vectors;
pub mod word2vec;

use super::convert::{draw_err, to_js};
use crate::viz::{ChartMapping, ChartStyle, DrawError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Draws with `f` on `canvas` (sized by the page in device pixels; `scale` = device px per CSS
/// px) and returns the chart's mapping as a plain object.
pub fn draw_on<F>(canvas: HtmlCanvasElement, scale: f64, f: F) -> Result<JsValue, JsError>
where
    F: FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartStyle) -> Result<ChartMapping, DrawError>,
{
    let width = canvas.width();
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("cannot get a 2D context from the canvas"))?;
    let area = backend.into_drawing_area();
    let mapping = f(&area, &ChartStyle::for_canvas(width, scale)).map_err(draw_err)?;
    to_js(&mapping)
}

/// Budgets and counts arrive from JS as numbers; anything not a finite non-negative number
/// becomes 0 (and every step function treats 0 as "a little").
pub fn budget(x: f64) -> usize {
    if x.is_finite() && x > 0.0 {
        x.min(1e12) as usize
    } else {
        0
    }
}
