//! Registry test of every widget config (STYLE.md §7): each config's default is valid, survives
//! a round trip through URL pairs unchanged, reports bad pairs without panicking, and its chart
//! draws from the default config. Add one line per new widget to `registry_covers_every_widget`.
//! Widgets with a model also step (stepper: every frame) or run (gradflow) from their defaults.

use plotters::prelude::*;
use rnn_lab::core::config::{from_url_pairs, to_url_pairs, WidgetConfig};
use rnn_lab::core::flow::{run, FlowJob};
use rnn_lab::core::rnn::format::{from_json, ModelFile};
use rnn_lab::core::stepper::{Stepper, Weights};
use rnn_lab::viz::grad_norm_chart::FlowViewConfig;
use rnn_lab::viz::nlp;
use rnn_lab::viz::stepper_view::StepperViewConfig;
use rnn_lab::viz::{activation_chart, grad_norm_chart, ChartStyle};
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
    check_config::<StepperViewConfig>("stepper");
    check_config::<FlowViewConfig>("gradflow");
    check_config::<train_lab::TrainLabConfig>("train_lab");
    check_config::<nlp::onehot::OneHotConfig>("onehot");
    check_config::<nlp::naive_bayes::NaiveBayesWidgetConfig>("naivebayes");
    check_config::<nlp::word2vec::Word2VecWidgetConfig>("word2vec");
    check_config::<nlp::glove::GloveWidgetConfig>("glove");
    check_config::<nlp::analogy::AnalogyWidgetConfig>("analogy");
    check_config::<nlp::ngram::NgramWidgetConfig>("ngram");
}

/// The step-through widget from its default config: the trained model it names loads, every frame
/// exists and is finite, the same config with random weights steps too, and the URL pairs of a
/// moved view (step, unit) come back unchanged.
#[test]
fn stepper_steps_through_every_frame_from_its_default() {
    let c = StepperViewConfig::default();
    assert_eq!(c.model.weights, Weights::Trained);
    let path = format!(
        "{}/data/models/stepper-word-{}.json",
        env!("CARGO_MANIFEST_DIR"),
        c.model.cell.name()
    );
    let file: ModelFile<f64> = from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    for trained in [Some(&file), None] {
        let mut core = c.model.clone();
        if trained.is_none() {
            core.weights = Weights::Random;
        }
        let s = Stepper::new(core, trained).unwrap();
        assert_eq!(s.len(), 4, "the students opened their");
        let h = s.model().spec().hidden;
        for t in 0..s.len() {
            let f = s.frame(t).unwrap();
            assert_eq!(f.h.len(), h);
            assert!(f.h.iter().chain(&f.c).all(|v| v.is_finite()));
            // Ten candidates, or the whole vocabulary of a random model (the sentence's 4 words).
            assert_eq!(f.top.len(), s.vocab().len().min(10));
            assert!(f.top.windows(2).all(|w| w[0].p >= w[1].p));
            assert_eq!(f.target.is_some(), t + 1 < s.len());
        }
        let mut moved = c.clone();
        moved.step = 3;
        moved.unit = h;
        moved.clamp_to(s.len(), h);
        let (back, errors) =
            from_url_pairs::<StepperViewConfig, _, _>(&to_url_pairs(&moved).unwrap());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, moved);
    }
}

/// The gradient-flow widget from its default config: every default curve is computed, measured
/// and bounded, and the job done in pieces gives the same result.
#[test]
fn gradflow_runs_from_its_default() {
    let c = FlowViewConfig::default();
    let r = run(&c.flow).unwrap();
    assert_eq!(r.curves.len(), c.flow.curves().len());
    for curve in &r.curves {
        assert_eq!(curve.grad_norm.len(), c.flow.seq_len);
        assert_eq!(curve.log10_bound.len(), c.flow.seq_len);
        assert!(curve.finite && curve.grad_norm.iter().all(|g| g.is_finite()));
    }
    let mut job = FlowJob::new(&c.flow).unwrap();
    while !job.advance(50.0).unwrap() {}
    assert_eq!(job.finish().unwrap(), r);
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

    let flow = run(&FlowViewConfig::default().flow).unwrap();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        let mapping = grad_norm_chart::draw(
            &root,
            &flow,
            Default::default(),
            &ChartStyle::for_canvas(960, 1.0),
        )
        .unwrap();
        assert!(mapping.left < mapping.right && mapping.top < mapping.bottom);
    }
    assert!(svg.contains("<polyline"), "gradflow: nothing drawn");
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

/// Draws `f` on a 960×540 SVG and returns the SVG text (the mapping must be a real plot area).
fn svg(
    name: &str,
    f: impl FnOnce(
        &DrawingArea<SVGBackend, plotters::coord::Shift>,
        &ChartStyle,
    ) -> Result<rnn_lab::viz::ChartMapping, rnn_lab::viz::DrawError>,
) -> String {
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (960, 540)).into_drawing_area();
        let m =
            f(&root, &ChartStyle::for_canvas(960, 1.0)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            m.left < m.right && m.top < m.bottom,
            "{name}: empty plot area"
        );
    }
    assert!(s.len() > 2000, "{name}: nothing drawn");
    s
}

#[test]
fn every_nlp_widget_draws_from_its_default_config() {
    use nlp::*;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let c = onehot::OneHotConfig::default();
    svg("onehot", |a, s| onehot::draw_onehot(a, &c, s));
    let vectors = rnn_lab::core::nlp::vectors::WordVectors::from_compact(
        &std::fs::read(root.join(analogy::VECTORS_PATH)).unwrap(),
    )
    .unwrap();
    let dense = svg("onehot dense", |a, s| {
        onehot::draw_dense(a, &c, Some(&vectors), "", s)
    });
    assert!(dense.contains("puppy"));
    svg("naivebayes", |a, s| {
        naive_bayes::draw(a, &naive_bayes::NaiveBayesWidgetConfig::default(), s)
    });
    let w = word2vec::Word2VecWidgetConfig::default();
    let mut toy = word2vec::ToySession::new(&w).unwrap();
    toy.step(3).unwrap();
    for m in [
        word2vec::ToyMatrix::W1,
        word2vec::ToyMatrix::W2,
        word2vec::ToyMatrix::Probs,
    ] {
        svg("word2vec toy", |a, s| toy.draw_matrix(a, m, w.lang, s));
    }
    svg("word2vec trace", |a, s| toy.draw_trace(a, w.lang, s));
    let g = glove::GloveWidgetConfig::default();
    let mut session = glove::GloveSession::new(&g).unwrap();
    session.train(100);
    svg("glove weight", |a, s| {
        glove::draw_weight(a, &g, &[1.0, 2.0], s)
    });
    svg("glove objective", |a, s| {
        session.draw_objective(a, g.lang, s)
    });
    let growth = glove::growth(&g.corpus, &g).unwrap();
    svg("glove growth", |a, s| {
        glove::draw_growth(a, &growth, g.lang, s)
    });
    let an = analogy::AnalogyWidgetConfig::default();
    let pca = svg("analogy", |a, s| {
        analogy::draw_pca(a, &an, Some(&vectors), "", s)
    });
    assert!(pca.contains("queen") && pca.contains("empress"));
    let ng = ngram::NgramWidgetConfig::default();
    let text = "the students opened their books\nthe students opened their exams\nthe teacher opened the door\n";
    let mut ns = ngram::NgramSession::new(&ng, text).unwrap();
    while !ns.ready() {
        ns.step(1000, &ng).unwrap();
    }
    svg("ngram sparsity", |a, s| ns.draw_sparsity(a, ng.lang, s));
    svg("ngram storage", |a, s| ns.draw_storage(a, ng.lang, s));
    svg("ngram compare", |a, s| {
        ngram::draw_compare(a, None, ng.lang, "", s)
    });
}
