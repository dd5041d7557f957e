//! Registry test of every widget config (STYLE.md §7): each config's default is valid, survives
//! a round trip through URL pairs unchanged, reports bad pairs without panicking, and its chart
//! draws from the default config. Add one line per new widget to `registry_covers_every_widget`.

use plotters::prelude::*;
use rnn_lab::core::config::{from_url_pairs, to_url_pairs, WidgetConfig};
use rnn_lab::viz::{activation_chart, ChartStyle};
use rnn_lab::viz::{train_charts, train_lab};

/// The checks every widget config must pass.
fn check_config<C: WidgetConfig + PartialEq + std::fmt::Debug>(name: &str) {
    let default = C::default();
    default
        .validate()
        .unwrap_or_else(|e| panic!("{name}: default config is invalid: {e}"));
    let pairs = to_url_pairs(&default).unwrap();
    assert!(!pairs.is_empty(), "{name}: config has no fields");
    let (back, errors) = from_url_pairs::<C, _, _>(&pairs);
    assert!(errors.is_empty(), "{name}: {errors:?}");
    assert_eq!(back, default, "{name}: URL round trip changed the config");
    // Garbage in every field: each is reported, and the result is still the (valid) default.
    let garbage: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, _)| (k.clone(), "\u{1F4A5}not-a-value".to_string()))
        .chain([("no_such_key".to_string(), "1".to_string())])
        .collect();
    let (fallback, errors) = from_url_pairs::<C, _, _>(&garbage);
    fallback.validate().unwrap();
    assert!(
        errors.iter().any(|e| e.key == "no_such_key"),
        "{name}: unknown key not reported"
    );
    // String fields may accept any text; every other field must reject the garbage.
    let defaults = serde_json::to_value(&default).unwrap();
    for (k, _) in &pairs {
        if !defaults[k].is_string() {
            assert!(
                errors.iter().any(|e| &e.key == k),
                "{name}: garbage in {k} was accepted"
            );
        }
    }
}

#[test]
fn registry_covers_every_widget() {
    check_config::<activation_chart::ActivationsConfig>("activations");
    check_config::<train_lab::TrainLabConfig>("train_lab");
}

#[test]
fn every_chart_draws_from_its_default_config() {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        let mapping = activation_chart::draw(
            &root,
            &activation_chart::ActivationsConfig::default(),
            &ChartStyle::for_canvas(960, 1.0),
        )
        .unwrap();
        assert!(mapping.left < mapping.right && mapping.top < mapping.bottom);
    }
    assert!(svg.contains("<polyline"), "activations: nothing drawn");

    // train_lab: its two line charts from an empty history of the default config.
    let cfg = train_lab::TrainLabConfig::default();
    let runs: Vec<_> = cfg
        .cells()
        .into_iter()
        .map(train_lab::RunHistory::new)
        .collect();
    for series in [
        train_lab::loss_series(&runs, &cfg, 300),
        train_lab::grad_series(&runs, &cfg, 300),
    ] {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
            let m = train_charts::draw_lines(
                &root,
                &series,
                "x (steps)",
                "y (unitless)",
                "empty",
                &ChartStyle::for_canvas(960, 1.0),
                cfg.lang,
            )
            .unwrap();
            assert!(m.left < m.right && m.top < m.bottom);
        }
        assert!(svg.contains("x (steps)"), "train_lab: axes not drawn");
    }
}
