//! Configs are data: one flat, serde-derived struct per widget drives defaults, validation and the
//! URL hash, in the manner of TensorFlow Playground's `state.ts` (every setting, the seed included,
//! round-trips through the URL) and burn's `*Config` structs (documented defaults, `validate()`).
//!
//! A widget config is a *flat* struct whose fields are numbers, bools, strings or unit enums that
//! serialise as lower-case strings (`#[serde(rename_all = "lowercase")]`). Because it is flat, the
//! URL form is simply one `key=value` pair per field, and [`from_url_pairs`] can parse each value
//! using the JSON type of the field's *default* value as the schema:
//!
//! | default serialises as | URL text accepted |
//! | --- | --- |
//! | integer (`u32`, `i64`, …) | a whole number, e.g. `7`, `-3` |
//! | float (`f32`, `f64`) | any finite decimal, e.g. `0.25`, `-4`, `1e-3` |
//! | bool | `true`, `false`, `1`, `0` |
//! | string / enum | the text itself, e.g. `tanh` |
//!
//! Nothing here panics on user input: a bad value becomes a [`FieldError`] and that field keeps its
//! default, so a mistyped link still opens a working widget with a visible message.
//!
//! Convention for implementors: [`WidgetConfig::validate`] reports range errors as
//! [`CoreError::Invalid`] whose `what` is the *field name* (the URL key). That is how
//! [`from_url_pairs`] knows which field to reset to its default.

use super::error::{CoreError, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// A widget configuration: flat serde data with a default and a validity check.
///
/// Implement it with `#[derive(Serialize, Deserialize, Clone)] #[serde(default)]` plus a
/// hand-written `Default` that documents every default.
pub trait WidgetConfig: Serialize + DeserializeOwned + Default + Clone {
    /// Checks ranges and cross-field rules. Errors name the offending field in
    /// [`CoreError::Invalid::what`] (see the module docs).
    fn validate(&self) -> Result<()>;
}

/// One rejected `key=value` pair from a URL or `data-config`, with a message for the page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// The key as written (without any widget-id prefix).
    pub key: String,
    /// The value as written.
    pub value: String,
    /// Why it was rejected, in words (English; the page adds a localised prefix).
    pub message: String,
}

impl FieldError {
    fn new(key: &str, value: &str, message: impl Into<String>) -> Self {
        FieldError {
            key: key.to_string(),
            value: value.to_string(),
            message: message.into(),
        }
    }
}

/// Serialises a config to a JSON object. Fails only if `C` is not a flat struct.
fn to_object<C: WidgetConfig>(config: &C) -> Result<Map<String, Value>> {
    match serde_json::to_value(config) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CoreError::format(
            "a widget config must serialise to a JSON object",
        )),
        Err(e) => Err(CoreError::format(e.to_string())),
    }
}

/// Parses `text` as the JSON type of `template` (the field's default value).
fn parse_like(template: &Value, text: &str) -> std::result::Result<Value, String> {
    let t = text.trim();
    match template {
        Value::Bool(_) => match t {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err("expected true or false".to_string()),
        },
        Value::Number(n) if n.is_f64() => {
            let x: f64 = t.parse().map_err(|_| "expected a number".to_string())?;
            Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| "expected a finite number".to_string())
        }
        // Integers: any whole number here; the field's own type (u32, i8, …) is checked by serde.
        Value::Number(_) => t
            .parse::<i64>()
            .map(|v| Value::Number(v.into()))
            .or_else(|_| t.parse::<u64>().map(|v| Value::Number(v.into())))
            .map_err(|_| "expected a whole number".to_string()),
        Value::String(_) => Ok(Value::String(text.to_string())),
        // An optional field whose default is `None`: take a number or bool if it parses, else text.
        Value::Null => Ok(serde_json::from_str::<Value>(t)
            .ok()
            .filter(|v| v.is_number() || v.is_boolean())
            .unwrap_or_else(|| Value::String(text.to_string()))),
        Value::Array(_) | Value::Object(_) => {
            Err("this field is not a flat value and cannot be set from a URL".to_string())
        }
    }
}

/// Deserialises a JSON object into `C`, turning serde's message into a plain string.
fn from_object<C: WidgetConfig>(map: &Map<String, Value>) -> std::result::Result<C, String> {
    serde_json::from_value::<C>(Value::Object(map.clone())).map_err(|e| e.to_string())
}

/// Builds a config from `key=value` pairs (URL hash or `data-config`), field by field.
///
/// Starts from `C::default()`. For each pair: an unknown key, a value that does not parse as the
/// field's type, or a value serde rejects (e.g. an unknown enum name) is reported and ignored.
/// Later pairs override earlier ones with the same key. Then [`WidgetConfig::validate`] decides:
/// while it fails naming a field that came from `pairs`, that field is reset to its default and
/// reported; if it fails naming anything else, the whole config falls back to `C::default()`.
///
/// Returns the config (always usable) and every rejected pair.
pub fn from_url_pairs<C, K, V>(pairs: &[(K, V)]) -> (C, Vec<FieldError>)
where
    C: WidgetConfig,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut errors = Vec::new();
    let defaults = match to_object(&C::default()) {
        Ok(map) => map,
        Err(e) => {
            errors.push(FieldError::new("", "", e.to_string()));
            return (C::default(), errors);
        }
    };
    let mut current = defaults.clone();
    // (key, value text) of every field accepted so far, last write wins.
    let mut accepted: Vec<(String, String)> = Vec::new();

    for (key, value) in pairs {
        let (key, value) = (key.as_ref(), value.as_ref());
        let Some(template) = defaults.get(key) else {
            errors.push(FieldError::new(key, value, "unknown setting"));
            continue;
        };
        let parsed = match parse_like(template, value) {
            Ok(v) => v,
            Err(msg) => {
                errors.push(FieldError::new(key, value, msg));
                continue;
            }
        };
        let mut trial = current.clone();
        trial.insert(key.to_string(), parsed);
        // Type-level check (enum names, integer widths) before accepting.
        if let Err(msg) = from_object::<C>(&trial) {
            errors.push(FieldError::new(key, value, msg));
            continue;
        }
        current = trial;
        accepted.retain(|(k, _)| k != key);
        accepted.push((key.to_string(), value.to_string()));
    }

    // Range and cross-field rules. Each round removes one accepted field, so this terminates.
    loop {
        let config = match from_object::<C>(&current) {
            Ok(c) => c,
            Err(msg) => {
                errors.push(FieldError::new("", "", msg));
                return (C::default(), errors);
            }
        };
        let err = match config.validate() {
            Ok(()) => return (config, errors),
            Err(e) => e,
        };
        let named = match &err {
            CoreError::Invalid { what, .. } => accepted.iter().position(|(k, _)| k == what),
            _ => None,
        };
        match named {
            Some(i) => {
                let (key, value) = accepted.remove(i);
                if let Some(d) = defaults.get(&key) {
                    current.insert(key.clone(), d.clone());
                }
                errors.push(FieldError::new(&key, &value, err.to_string()));
            }
            None => {
                let what = match &err {
                    CoreError::Invalid { what, .. } => what.clone(),
                    _ => String::new(),
                };
                errors.push(FieldError::new(
                    &what,
                    "",
                    format!("{err}; all settings were reset to their defaults"),
                ));
                return (C::default(), errors);
            }
        }
    }
}

/// Formats a scalar JSON value as URL text (the inverse of the parsing in [`from_url_pairs`]).
/// Floats use Rust's shortest round-trip form, so `-2.0` is written `-2` and `0.1` stays `0.1`.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) if n.is_f64() => {
            n.as_f64().map_or_else(|| n.to_string(), |x| format!("{x}"))
        }
        other => other.to_string(),
    }
}

/// Every field of `config` as `(key, value)` text pairs, sorted by key (stable URLs).
///
/// Fields whose value is `null` (an unset `Option`) are left out. Feeding the result to
/// [`from_url_pairs`] gives back an equal config with no errors.
pub fn to_url_pairs<C: WidgetConfig>(config: &C) -> Result<Vec<(String, String)>> {
    Ok(to_object(config)?
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k, value_text(&v)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Mode {
        #[default]
        Fast,
        Slow,
    }

    /// A config shaped like the real ones: integers, floats, a bool, an enum, a cross-field rule.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Demo {
        seed: u32,
        steps: i32,
        lo: f64,
        hi: f64,
        show: bool,
        mode: Mode,
        label: String,
    }

    impl Default for Demo {
        fn default() -> Self {
            Demo {
                seed: 1,
                steps: 10,
                lo: -1.0,
                hi: 1.0,
                show: true,
                mode: Mode::Fast,
                label: "x".into(),
            }
        }
    }

    impl WidgetConfig for Demo {
        fn validate(&self) -> Result<()> {
            if !(1..=100).contains(&self.steps) {
                return Err(CoreError::invalid("steps", "must be between 1 and 100"));
            }
            if self.lo >= self.hi {
                return Err(CoreError::invalid("lo", "must be less than hi"));
            }
            if self.label.is_empty() {
                return Err(CoreError::invalid("label", "must not be empty"));
            }
            Ok(())
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_type_parses() {
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[
            ("seed", "42"),
            ("steps", "-0"),
            ("steps", "7"),
            ("lo", "-2.5"),
            ("hi", "1e1"),
            ("show", "0"),
            ("mode", "slow"),
            ("label", "hello world"),
        ]));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            c,
            Demo {
                seed: 42,
                steps: 7,
                lo: -2.5,
                hi: 10.0,
                show: false,
                mode: Mode::Slow,
                label: "hello world".into()
            }
        );
    }

    #[test]
    fn bad_values_keep_their_defaults_and_are_reported() {
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[
            ("seed", "-3"),          // u32 cannot be negative
            ("steps", "2.5"),        // not a whole number
            ("lo", "abc"),           // not a number
            ("hi", "NaN"),           // not finite
            ("show", "yes"),         // not a bool
            ("mode", "turbo"),       // not a variant
            ("seed", "99999999999"), // does not fit u32 (serde rejects)
            ("colour", "red"),       // unknown key
            ("mode", "slow"),        // a good one still applies
        ]));
        assert_eq!(
            c,
            Demo {
                mode: Mode::Slow,
                ..Demo::default()
            }
        );
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["seed", "steps", "lo", "hi", "show", "mode", "seed", "colour"]
        );
        assert_eq!(errs[7].message, "unknown setting");
        assert_eq!(errs[5].value, "turbo");
    }

    #[test]
    fn out_of_range_resets_only_that_field() {
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[("steps", "500"), ("seed", "5")]));
        assert_eq!(c.steps, 10);
        assert_eq!(c.seed, 5);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].key, "steps");
        assert_eq!(errs[0].value, "500");
        assert!(errs[0].message.contains("between 1 and 100"), "{errs:?}");
    }

    #[test]
    fn cross_field_rule_is_judged_on_the_final_values() {
        // lo=2 alone would break lo < hi (default hi = 1), but together with hi=5 it is fine:
        // the order of the pairs must not matter.
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[("lo", "2"), ("hi", "5")]));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!((c.lo, c.hi), (2.0, 5.0));
        // lo=3 with hi=2: the named field (lo) goes back to -1, hi=2 stays.
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[("lo", "3"), ("hi", "2")]));
        assert_eq!((c.lo, c.hi), (-1.0, 2.0));
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].key, "lo");
    }

    #[test]
    fn rule_naming_a_field_not_in_the_url_resets_everything() {
        // hi=-5 makes lo (-1, not from the URL) ≥ hi: validate names "lo", which the URL did not
        // set, so the config falls back to the defaults as a whole.
        let (c, errs) = from_url_pairs::<Demo, _, _>(&pairs(&[("hi", "-5"), ("seed", "9")]));
        assert_eq!(c, Demo::default());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("reset"), "{errs:?}");
    }

    #[test]
    fn round_trip_through_url_pairs() {
        let c = Demo {
            seed: 123,
            steps: 3,
            lo: -0.125,
            hi: 4.0,
            show: false,
            mode: Mode::Slow,
            label: "a b&c=d".into(),
        };
        let p = to_url_pairs(&c).unwrap();
        assert_eq!(
            p,
            pairs(&[
                ("hi", "4"),
                ("label", "a b&c=d"),
                ("lo", "-0.125"),
                ("mode", "slow"),
                ("seed", "123"),
                ("show", "false"),
                ("steps", "3"),
            ])
        );
        let (back, errs) = from_url_pairs::<Demo, _, _>(&p);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, c);
    }

    #[test]
    fn empty_input_gives_the_default() {
        let none: [(&str, &str); 0] = [];
        let (c, errs) = from_url_pairs::<Demo, _, _>(&none);
        assert_eq!(c, Demo::default());
        assert!(errs.is_empty());
    }
}
