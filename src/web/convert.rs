//! Conversions across the wasm boundary, shared by every widget handle.
//!
//! * Config in: `serde_wasm_bindgen::from_value`, then [`WidgetConfig::validate`]; any failure is
//!   a `JsError` with a readable message (never a panic).
//! * URL pairs in: `[[key, value], …]` parsed by [`crate::core::config::from_url_pairs`].
//! * Results out: `Serializer::json_compatible()` (plain objects, not `Map`s; numbers as numbers).
//! * Bulk numbers out: `Float32Array`.

use crate::core::config::{from_url_pairs, to_url_pairs, FieldError, WidgetConfig};
use crate::core::error::CoreError;
use crate::viz::DrawError;
use js_sys::Float32Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A [`CoreError`] as a JS `Error` with the same message.
pub fn core_err(e: CoreError) -> JsError {
    JsError::new(&e.to_string())
}

/// A [`DrawError`] as a JS `Error`.
pub fn draw_err(e: DrawError) -> JsError {
    JsError::new(&e.to_string())
}

/// Any serialisable result as a plain JS value (objects, arrays, numbers, strings).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result for JS: {e}")))
}

/// A config object from JS, checked with `validate()`.
pub fn config_from_js<C: WidgetConfig>(value: JsValue) -> Result<C, JsError> {
    let config: C = serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid config: {e}")))?;
    config.validate().map_err(core_err)?;
    Ok(config)
}

/// The result of [`parse_pairs`]: a usable config plus every rejected pair.
#[derive(Serialize)]
struct Parsed<C> {
    config: C,
    errors: Vec<FieldError>,
}

/// Parses `[[key, value], …]` (strings) into `{config, errors: [{key, value, message}]}`.
/// Bad pairs never fail the call; only a malformed argument does.
pub fn parse_pairs<C: WidgetConfig>(pairs: JsValue) -> Result<JsValue, JsError> {
    let pairs: Vec<(String, String)> = serde_wasm_bindgen::from_value(pairs)
        .map_err(|e| JsError::new(&format!("expected [[key, value], …] strings: {e}")))?;
    let (config, errors) = from_url_pairs::<C, _, _>(&pairs);
    to_js(&Parsed { config, errors })
}

/// The config as `[[key, value], …]` strings for the URL hash.
pub fn pairs_to_js<C: WidgetConfig>(config: &C) -> Result<JsValue, JsError> {
    to_js(&to_url_pairs(config).map_err(core_err)?)
}

/// Bulk numbers as a `Float32Array` (copied out of wasm memory, so it stays valid).
pub fn f32_array(values: impl ExactSizeIterator<Item = f64>) -> Float32Array {
    let v: Vec<f32> = values.map(|x| x as f32).collect();
    Float32Array::from(&v[..])
}
