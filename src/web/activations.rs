//! `ActivationsWidget`: the wasm handle of the activation-function chart (f and f′ of tanh, ReLU,
//! σ, identity). It is the reference implementation of the widget contract; see
//! `crate::viz::activation_chart` for the lecture content.

use super::convert::{
    config_from_js, core_err, draw_err, f32_array, pairs_to_js, parse_pairs, to_js,
};
use crate::core::activations::Activation;
use crate::viz::activation_chart::{self, ActivationsConfig};
use crate::viz::{palette, ChartStyle};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Handle for one activations widget. JS frees it with `free()` (or the `FinalizationRegistry`
/// wasm-bindgen installs).
#[wasm_bindgen]
pub struct ActivationsWidget {
    config: ActivationsConfig,
}

#[wasm_bindgen]
impl ActivationsWidget {
    /// Builds a widget from a config object (missing fields take their defaults). Errors name
    /// the bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ActivationsWidget, JsError> {
        Ok(ActivationsWidget {
            config: config_from_js(config)?,
        })
    }

    /// The default config as a plain object.
    #[wasm_bindgen(js_name = defaultConfig)]
    pub fn default_config() -> Result<JsValue, JsError> {
        to_js(&ActivationsConfig::default())
    }

    /// Parses `[[key, value], …]` from the URL/`data-config` into `{config, errors}`; never fails
    /// on bad values (they are listed in `errors` and keep their defaults).
    #[wasm_bindgen(js_name = parseConfig)]
    pub fn parse_config(pairs: JsValue) -> Result<JsValue, JsError> {
        parse_pairs::<ActivationsConfig>(pairs)
    }

    /// The fixed chart colour of each activation as CSS hex, `{tanh: "#0072b2", …}`, so the
    /// page's swatches match the lines Rust draws.
    pub fn colours() -> Result<JsValue, JsError> {
        let map: std::collections::BTreeMap<&str, String> = Activation::ALL
            .into_iter()
            .map(|a| (a.name(), palette::hex(activation_chart::colour(a))))
            .collect();
        to_js(&map)
    }

    /// The current config as a plain object.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }

    /// The current config as `[[key, value], …]` for the URL hash.
    #[wasm_bindgen(js_name = urlPairs)]
    pub fn url_pairs(&self) -> Result<JsValue, JsError> {
        pairs_to_js(&self.config)
    }

    /// Replaces the config (validated first; on error the old config stays).
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, config: JsValue) -> Result<(), JsError> {
        self.config = config_from_js(config)?;
        Ok(())
    }

    /// Draws the chart on `canvas` (sized by the page in device pixels; `scale` = device pixels
    /// per CSS pixel) and returns the coordinate mapping
    /// `{width, height, left, right, top, bottom, x_min, x_max, y_min, y_max}`.
    pub fn draw(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<JsValue, JsError> {
        let width = canvas.width();
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| JsError::new("cannot get a 2D context from the canvas"))?;
        let area = backend.into_drawing_area();
        let mapping =
            activation_chart::draw(&area, &self.config, &ChartStyle::for_canvas(width, scale))
                .map_err(draw_err)?;
        to_js(&mapping)
    }

    /// f(a) and f′(a) at `a` for each shown activation: `[{name, symbol, f, df}, …]`.
    pub fn readout(&self, a: f64) -> Result<JsValue, JsError> {
        to_js(&activation_chart::readout(&self.config, a).map_err(core_err)?)
    }

    /// The sampled curve of one activation (`"tanh"`, `"relu"`, `"sigmoid"`, `"identity"`) over the
    /// current x range, interleaved `[a0, f0, df0, a1, f1, df1, …]` (3·N numbers, N = 401).
    pub fn samples(&self, name: &str) -> Result<js_sys::Float32Array, JsError> {
        let act = Activation::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| JsError::new(&format!("unknown activation {name:?}")))?;
        let s = activation_chart::activation_series(
            act,
            self.config.x_min,
            self.config.x_max,
            activation_chart::SAMPLES,
        )
        .map_err(core_err)?;
        let flat: Vec<f64> = (0..s.a.len())
            .flat_map(|i| [s.a[i], s.f[i], s.df[i]])
            .collect();
        Ok(f32_array(flat.into_iter()))
    }
}
