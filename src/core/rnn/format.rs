//! RNN Lab's own model file: versioned JSON, validated on load.
//!
//! ```json
//! {
//!   "format": "rnn-lab-model",
//!   "version": 1,
//!   "spec": { "cell": "lstm", "input": "onehot", "input_size": 65, "hidden": 128, ... },
//!   "tokens": { "kind": "char", "list": ["\n", " ", "!", ...] },      (optional)
//!   "meta": { "trained_steps": 5000, ... },                          (optional, any JSON ≤ 64 KiB)
//!   "tensors": {
//!     "l0.i.w_x": [0.12, -0.5, ...],                                   row-major numbers, or
//!     "l0.i.w_h": { "f32le_base64": "AAAgQQ..." }                      little-endian f32, base64
//!   }
//! }
//! ```
//!
//! Loading checks, with a clear message for each failure: the format name and version, the spec's
//! ranges, the file size (≤ 64 MiB of text), that every tensor of the spec is present with exactly
//! its number of values and no unknown tensor is, that every value is finite, and that the token list
//! (when present) has one distinct entry per vocabulary row.

use super::model::{Model, ModelSpec};
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `format` field of every model file.
pub const FORMAT_NAME: &str = "rnn-lab-model";
/// The version this code writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Largest model file accepted, in bytes of JSON text.
pub const MAX_FILE_BYTES: usize = 64 << 20;
/// Largest `meta` object, in bytes of JSON text.
pub const MAX_META_BYTES: usize = 64 << 10;

/// How tensor values are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// JSON number arrays (shortest round-trip decimal; exact for the stored type).
    #[default]
    Numbers,
    /// Little-endian f32 bytes in base64 (about 3× smaller; exact for f32 models).
    Base64F32,
}

/// The vocabulary of a language model: token `k` is the k-th entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// `"char"` or `"word"`.
    pub kind: String,
    /// The tokens, in id order.
    pub list: Vec<String>,
}

/// A model plus its optional vocabulary and metadata, as read from or written to a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile<F> {
    /// The weights.
    pub model: Model<F>,
    /// The vocabulary, when the model is a language model over known tokens.
    pub tokens: Option<Tokens>,
    /// Free-form metadata (training settings, losses…).
    pub meta: Option<Value>,
}

/// Writes a model file as a JSON string.
pub fn to_json<F: Real>(file: &ModelFile<F>, encoding: Encoding) -> Result<String> {
    let m = &file.model;
    let mut tensors = Map::new();
    for t in &m.layout().tensors {
        let vals = t.slice(&m.params);
        let v = match encoding {
            Encoding::Numbers => Value::Array(
                vals.iter()
                    .map(|x| {
                        serde_json::Number::from_f64(x.f64())
                            .map(Value::Number)
                            .unwrap_or(Value::Null)
                    })
                    .collect(),
            ),
            Encoding::Base64F32 => {
                let mut bytes = Vec::with_capacity(vals.len() * 4);
                for x in vals {
                    bytes.extend_from_slice(&(x.f64() as f32).to_le_bytes());
                }
                let mut o = Map::new();
                o.insert("f32le_base64".into(), Value::String(base64_encode(&bytes)));
                Value::Object(o)
            }
        };
        tensors.insert(t.name.clone(), v);
    }
    let mut root = Map::new();
    root.insert("format".into(), Value::String(FORMAT_NAME.into()));
    root.insert("version".into(), Value::from(FORMAT_VERSION));
    root.insert(
        "spec".into(),
        serde_json::to_value(m.spec()).map_err(|e| CoreError::format(e.to_string()))?,
    );
    if let Some(tk) = &file.tokens {
        root.insert(
            "tokens".into(),
            serde_json::to_value(tk).map_err(|e| CoreError::format(e.to_string()))?,
        );
    }
    if let Some(meta) = &file.meta {
        root.insert("meta".into(), meta.clone());
    }
    root.insert("tensors".into(), Value::Object(tensors));
    serde_json::to_string(&Value::Object(root)).map_err(|e| CoreError::format(e.to_string()))
}

/// Reads and validates a model file.
pub fn from_json<F: Real>(text: &str) -> Result<ModelFile<F>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(CoreError::format(format!(
            "the file is {} MB; the limit is {} MB",
            text.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    if text.trim().is_empty() {
        return Err(CoreError::format("the file is empty"));
    }
    let root: Value = serde_json::from_str(text)
        .map_err(|e| CoreError::format(format!("not valid JSON ({e})")))?;
    let obj = root
        .as_object()
        .ok_or_else(|| CoreError::format("the top level must be a JSON object"))?;
    match obj.get("format").and_then(Value::as_str) {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(CoreError::format(format!(
                "format is \"{other}\", expected \"{FORMAT_NAME}\""
            )))
        }
        None => {
            return Err(CoreError::format(format!(
                "missing \"format\": \"{FORMAT_NAME}\" (is this an RNN Lab model?)"
            )))
        }
    }
    match obj.get("version").and_then(Value::as_u64) {
        Some(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(CoreError::format(format!(
                "version {v} is not supported (this app reads version {FORMAT_VERSION})"
            )))
        }
        None => return Err(CoreError::format("missing or non-integer \"version\"")),
    }
    let spec_v = obj
        .get("spec")
        .ok_or_else(|| CoreError::format("missing \"spec\""))?;
    let spec: ModelSpec = serde_json::from_value(spec_v.clone())
        .map_err(|e| CoreError::format(format!("bad \"spec\": {e}")))?;
    let mut model =
        Model::<F>::zeros(&spec).map_err(|e| CoreError::format(format!("bad \"spec\": {e}")))?;
    let tensors = obj
        .get("tensors")
        .and_then(Value::as_object)
        .ok_or_else(|| CoreError::format("missing \"tensors\" object"))?;
    for name in tensors.keys() {
        if model.layout().get(name).is_none() {
            return Err(CoreError::format(format!(
                "unknown tensor \"{name}\" for a {} model",
                spec.cell.name()
            )));
        }
    }
    let layout = model.layout().clone();
    for t in &layout.tensors {
        let v = tensors
            .get(&t.name)
            .ok_or_else(|| CoreError::format(format!("missing tensor \"{}\"", t.name)))?;
        let vals: Vec<F> = match v {
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_f64().map(F::c).ok_or_else(|| {
                        CoreError::format(format!("tensor \"{}\" holds a non-number", t.name))
                    })
                })
                .collect::<Result<_>>()?,
            Value::Object(o) => {
                let s = o
                    .get("f32le_base64")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        CoreError::format(format!(
                            "tensor \"{}\": expected a number array or {{\"f32le_base64\": …}}",
                            t.name
                        ))
                    })?;
                let bytes = base64_decode(s)
                    .map_err(|e| CoreError::format(format!("tensor \"{}\": {e}", t.name)))?;
                if bytes.len() % 4 != 0 {
                    return Err(CoreError::format(format!(
                        "tensor \"{}\": byte length {} is not a multiple of 4",
                        t.name,
                        bytes.len()
                    )));
                }
                bytes
                    .chunks_exact(4)
                    .map(|b| F::c(f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64))
                    .collect()
            }
            _ => {
                return Err(CoreError::format(format!(
                    "tensor \"{}\" must be an array or an object",
                    t.name
                )))
            }
        };
        if vals.len() != t.len() {
            return Err(CoreError::format(format!(
                "tensor \"{}\" has {} values; shape {:?} needs {}",
                t.name,
                vals.len(),
                t.shape,
                t.len()
            )));
        }
        if vals.iter().any(|x| !x.is_finite()) {
            return Err(CoreError::format(format!(
                "tensor \"{}\" contains NaN or infinity",
                t.name
            )));
        }
        t.slice_mut(&mut model.params).copy_from_slice(&vals);
    }
    let tokens = match obj.get("tokens") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let tk: Tokens = serde_json::from_value(v.clone())
                .map_err(|e| CoreError::format(format!("bad \"tokens\": {e}")))?;
            if tk.kind != "char" && tk.kind != "word" {
                return Err(CoreError::format(format!(
                    "tokens.kind is \"{}\"; expected \"char\" or \"word\"",
                    tk.kind
                )));
            }
            if tk.list.len() != spec.vocab {
                return Err(CoreError::format(format!(
                    "{} tokens for a vocabulary of {}",
                    tk.list.len(),
                    spec.vocab
                )));
            }
            let mut seen = std::collections::HashSet::new();
            if let Some(d) = tk.list.iter().find(|t| !seen.insert(t.as_str())) {
                return Err(CoreError::format(format!("token {d:?} appears twice")));
            }
            Some(tk)
        }
    };
    let meta = match obj.get("meta") {
        None | Some(Value::Null) => None,
        Some(v) => {
            if v.to_string().len() > MAX_META_BYTES {
                return Err(CoreError::format("\"meta\" is larger than 64 KiB"));
            }
            Some(v.clone())
        }
    };
    Ok(ModelFile {
        model,
        tokens,
        meta,
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648) with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Decodes standard base64 (RFC 4648); whitespace is ignored, padding optional.
pub fn base64_decode(s: &str) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut ended = false;
    for (i, ch) in s.bytes().enumerate() {
        if ch.is_ascii_whitespace() {
            continue;
        }
        if ch == b'=' {
            ended = true;
            continue;
        }
        if ended {
            return Err(format!("base64: data after padding at byte {i}"));
        }
        let v = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("base64: invalid character at byte {i}")),
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rnn::model::InitSpec;

    #[test]
    fn base64_rfc4648_vectors() {
        // RFC 4648 §10 test vectors.
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert!(base64_decode("Zm9v!").is_err());
    }

    #[test]
    fn round_trip_both_encodings() {
        let spec = ModelSpec {
            hidden: 3,
            input_size: 4,
            vocab: 4,
            ..Default::default()
        };
        let m = Model::<f64>::init(&spec, &InitSpec::default(), 5).unwrap();
        let tokens = Some(Tokens {
            kind: "char".into(),
            list: vec!["a".into(), "b".into(), "\n".into(), "한".into()],
        });
        let file = ModelFile {
            model: m.clone(),
            tokens,
            meta: Some(serde_json::json!({"steps": 3})),
        };
        let back: ModelFile<f64> = from_json(&to_json(&file, Encoding::Numbers).unwrap()).unwrap();
        assert_eq!(back, file);
        let m32 = m.cast::<f32>();
        let file32 = ModelFile {
            model: m32,
            tokens: None,
            meta: None,
        };
        let back32: ModelFile<f32> =
            from_json(&to_json(&file32, Encoding::Base64F32).unwrap()).unwrap();
        assert_eq!(back32, file32);
    }

    #[test]
    fn malformed_files_are_clear_errors() {
        let spec = ModelSpec {
            hidden: 2,
            input_size: 2,
            vocab: 2,
            cell: crate::core::rnn::CellKind::Rnn,
            ..Default::default()
        };
        let m = Model::<f64>::init(&spec, &InitSpec::default(), 1).unwrap();
        let good = to_json(
            &ModelFile {
                model: m,
                tokens: None,
                meta: None,
            },
            Encoding::Numbers,
        )
        .unwrap();
        let cases: Vec<(String, &str)> = vec![
            ("".into(), "empty"),
            ("{".into(), "not valid JSON"),
            ("[1,2]".into(), "top level"),
            (good.replace("rnn-lab-model", "other"), "format is"),
            (good.replace("\"version\":1", "\"version\":7"), "version 7"),
            (good.replace("\"hidden\":2", "\"hidden\":0"), "hidden size"),
            (good.replace("\"l0.w_h\"", "\"l0.w_q\""), "unknown tensor"),
            (
                good.replace("\"readout.b\":[", "\"readout.b\":[1e999,"),
                "not valid JSON",
            ),
            (
                good.replace("\"readout.b\":[", "\"readout.b\":[1.0,"),
                "has 3 values",
            ),
            (
                good.replace("\"readout.b\":[", "\"readout.b\":[\"x\","),
                "non-number",
            ),
            (
                good.replace("\"cell\":\"rnn\"", "\"cell\":\"transformer\""),
                "bad \"spec\"",
            ),
        ];
        for (text, want) in cases {
            let e = from_json::<f64>(&text).unwrap_err().to_string();
            assert!(e.contains(want), "expected {want:?} in {e:?}");
        }
        // Tokens: wrong count, duplicates.
        let with_tokens = good.replacen(
            '{',
            "{\"tokens\":{\"kind\":\"char\",\"list\":[\"a\",\"a\"]},",
            1,
        );
        assert!(from_json::<f64>(&with_tokens)
            .unwrap_err()
            .to_string()
            .contains("twice"));
        let with_tokens =
            good.replacen('{', "{\"tokens\":{\"kind\":\"char\",\"list\":[\"a\"]},", 1);
        assert!(from_json::<f64>(&with_tokens)
            .unwrap_err()
            .to_string()
            .contains("1 tokens"));
    }
}
