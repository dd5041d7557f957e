//! GloVe: the lecture's co-occurrence matrix (golden: the CS224n slide), the weighting function,
//! finite-difference gradient checks of both objectives, one training epoch by hand, the growth data
//! and bad inputs.

#![allow(clippy::needless_range_loop)] // index loops mirror the hand calculations

use rnn_lab::core::nlp::glove::{
    growth_curve, weight, Combine, CooccurrenceConfig, CooccurrenceMatrix, GloveConfig, GloveModel,
    GloveObjective, GloveOptimizer, LECTURE_CORPUS, LECTURE_ORDER,
};
use rnn_lab::core::nlp::vocab::VocabOrder;

/// The CS224n slide, rows and columns in the order I, like, enjoy, deep, learning, NLP, flying, ".".
const SLIDE: [[f64; 8]; 8] = [
    [0., 2., 1., 0., 0., 0., 0., 0.],
    [2., 0., 0., 1., 0., 1., 0., 0.],
    [1., 0., 0., 0., 0., 0., 1., 0.],
    [0., 1., 0., 0., 1., 0., 0., 0.],
    [0., 0., 0., 1., 0., 0., 0., 1.],
    [0., 1., 0., 0., 0., 0., 0., 1.],
    [0., 0., 1., 0., 0., 0., 0., 1.],
    [0., 0., 0., 0., 1., 1., 1., 0.],
];

#[test]
fn lecture_cooccurrence_matrix_is_exact() {
    let m = CooccurrenceMatrix::from_text(LECTURE_CORPUS, &CooccurrenceConfig::default()).unwrap();
    assert_eq!(m.words, LECTURE_ORDER.to_vec());
    assert_eq!(m.tokens, 13);
    let dense = m.dense().unwrap();
    for i in 0..8 {
        for j in 0..8 {
            assert_eq!(
                dense[i * 8 + j],
                SLIDE[i][j],
                "cell ({}, {})",
                LECTURE_ORDER[i],
                LECTURE_ORDER[j]
            );
        }
    }
    assert_eq!(m.cells.len(), 18);
    assert_eq!(m.get_words("I", "like").unwrap(), 2.0);
    assert_eq!(m.get_words("I", "enjoy").unwrap(), 1.0);
    assert_eq!(m.get_words(".", "I").unwrap(), 0.0); // no window across sentences
    assert!(m.get_words("i", "like").is_err()); // case is kept
                                                // Word counts: I 3, like 2, ".", 3.
    assert_eq!(m.word_counts[0], 3);
    assert_eq!(m.word_counts[7], 3);

    // Across sentences, "." and the next "I" become neighbours: . – I = 2.
    let cross = CooccurrenceMatrix::from_text(
        LECTURE_CORPUS,
        &CooccurrenceConfig {
            cross_sentences: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(cross.get_words(".", "I").unwrap(), 2.0);
    // Window 2 with 1/d weighting: I – deep at distance 2 → 0.5; I – like still 2.
    let w2 = CooccurrenceMatrix::from_text(
        LECTURE_CORPUS,
        &CooccurrenceConfig {
            window: 2,
            distance_weighting: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(w2.get_words("I", "deep").unwrap(), 0.5);
    assert_eq!(w2.get_words("I", "like").unwrap(), 2.0);
    // I – NLP: distance 2 in "I like NLP" → 0.5.
    assert_eq!(w2.get_words("NLP", "I").unwrap(), 0.5);
}

#[test]
fn hangul_corpus_and_other_orders() {
    let cfg = CooccurrenceConfig {
        order: VocabOrder::FirstSeen,
        ..Default::default()
    };
    let m = CooccurrenceMatrix::from_text("나는 학생이다. 나는 교사이다.", &cfg).unwrap();
    assert_eq!(m.words, vec!["나는", "학생이다", ".", "교사이다"]);
    assert_eq!(m.get_words("나는", "학생이다").unwrap(), 1.0);
    assert_eq!(m.get_words("교사이다", ".").unwrap(), 1.0);
    // The default (lecture-first) order still works for another corpus: unlisted words follow.
    let m2 = CooccurrenceMatrix::from_text("I like cats.", &CooccurrenceConfig::default()).unwrap();
    assert_eq!(m2.words, vec!["I", "like", ".", "cats"]);
}

#[test]
fn weighting_function() {
    // f(x) = (x/100)^0.75 below 100: f(1) = 0.01^0.75 = 10^-1.5 = 0.0316227766…
    assert!((weight(1.0, 100.0, 0.75) - 10f64.powf(-1.5)).abs() < 1e-15);
    assert!((weight(50.0, 100.0, 0.75) - 0.5f64.powf(0.75)).abs() < 1e-15);
    assert_eq!(weight(100.0, 100.0, 0.75), 1.0);
    assert_eq!(weight(1000.0, 100.0, 0.75), 1.0);
}

fn gradient_check(objective: GloveObjective) -> f64 {
    let cfg = GloveConfig {
        dim: 3,
        objective,
        x_max: 1.5, // so that both branches of f occur (counts 1 and 2)
        seed: 7,
        ..Default::default()
    };
    let mut m = GloveModel::new(&cfg).unwrap();
    // Move away from the tiny initial values so the check is not trivially near zero.
    for p in m.params_mut() {
        for (k, x) in p.iter_mut().enumerate() {
            *x += ((k * 37 % 17) as f64 - 8.0) * 0.05;
        }
    }
    let g = m.gradient();
    let analytic = [g.du.clone(), g.dv.clone(), g.dbu.clone(), g.dbv.clone()];
    let h = 1e-5;
    let mut max_rel: f64 = 0.0;
    for (p, grad) in analytic.iter().enumerate() {
        for k in 0..grad.len() {
            let orig = m.params_mut()[p][k];
            m.params_mut()[p][k] = orig + h;
            let jp = m.objective();
            m.params_mut()[p][k] = orig - h;
            let jm = m.objective();
            m.params_mut()[p][k] = orig;
            let numeric = (jp - jm) / (2.0 * h);
            let rel = (numeric - grad[k]).abs() / numeric.abs().max(grad[k].abs()).max(1e-8);
            max_rel = max_rel.max(rel);
        }
    }
    if objective == GloveObjective::Lecture {
        // Biases are not part of the lecture objective: their gradient is exactly 0.
        assert!(g.dbu.iter().chain(&g.dbv).all(|&x| x == 0.0));
    }
    max_rel
}

#[test]
fn gradients_match_finite_differences() {
    let lecture = gradient_check(GloveObjective::Lecture);
    let paper = gradient_check(GloveObjective::Paper);
    assert!(
        lecture < 1e-6,
        "lecture objective: max relative error {lecture:e}"
    );
    assert!(
        paper < 1e-6,
        "paper objective: max relative error {paper:e}"
    );
}

#[test]
fn one_sgd_epoch_by_hand() {
    // Corpus "a b": cells (a,b) and (b,a), both X = 1, log X = 0, f = 0.01^0.75 = 10^-1.5.
    // D = 1, u = (0.5, −1), v = (2, 0.25), η = 1, lecture objective.
    // Cell (a,b): diff = u_a v_b = 0.125 → u_a −= f·0.125·v_b, v_b −= f·0.125·u_a.
    // Cell (b,a): diff = u_b v_a = −2   → u_b −= f·(−2)·v_a,  v_a −= f·(−2)·u_b.
    // The two cells touch disjoint parameters, so the visiting order does not matter.
    // Epoch cost = ½ f (0.125² + 2²).
    let cfg = GloveConfig {
        corpus: "a b".into(),
        dim: 1,
        optimizer: GloveOptimizer::Sgd,
        learning_rate: 1.0,
        ..Default::default()
    };
    let mut m = GloveModel::new(&cfg).unwrap();
    assert_eq!(m.cooccurrence().words, vec!["a", "b"]);
    {
        let [u, v, _, _] = m.params_mut();
        *u = vec![0.5, -1.0];
        *v = vec![2.0, 0.25];
    }
    let f = 10f64.powf(-1.5);
    let p = m.train_epochs(1);
    assert_eq!((p.steps, p.epochs, p.steps_per_epoch), (2, 1, 2));
    let want_u = [0.5 - f * 0.125 * 0.25, -1.0 + f * 2.0 * 2.0];
    let want_v = [2.0 - f * 2.0, 0.25 - f * 0.125 * 0.5];
    for k in 0..2 {
        assert!((m.u()[k] - want_u[k]).abs() < 1e-15);
        assert!((m.v()[k] - want_v[k]).abs() < 1e-15);
    }
    assert!((p.last_epoch_cost.unwrap() - 0.5 * f * (0.015625 + 4.0)).abs() < 1e-15);

    // AdaGrad's first update divides by √1, so it equals SGD with the same η.
    let mut a = GloveModel::new(&GloveConfig {
        optimizer: GloveOptimizer::AdaGrad,
        ..cfg.clone()
    })
    .unwrap();
    {
        let [u, v, _, _] = a.params_mut();
        *u = vec![0.5, -1.0];
        *v = vec![2.0, 0.25];
    }
    a.train_epochs(1);
    for k in 0..2 {
        assert!((a.u()[k] - want_u[k]).abs() < 1e-15);
    }
}

#[test]
fn training_fits_the_lecture_matrix() {
    // With AdaGrad, 2-D vectors and the paper objective, J falls by more than 10× in 500 epochs
    // (a requirement of the widget: the curve must visibly drop).
    let cfg = GloveConfig {
        dim: 2,
        objective: GloveObjective::Paper,
        x_max: 2.0,
        ..Default::default()
    };
    let mut m = GloveModel::new(&cfg).unwrap();
    let j0 = m.objective();
    m.train_epochs(500);
    let j1 = m.objective();
    assert!(j1 < j0 / 10.0, "J {j0} → {j1}");
    assert_eq!(m.history().len(), 500);
    let wv = m.word_vectors(Combine::Sum).unwrap();
    assert_eq!(wv.len(), 8);
    assert_eq!(wv.dim(), 2);
    // Same seed, same result.
    let mut m2 = GloveModel::new(&cfg).unwrap();
    m2.train_epochs(500);
    assert_eq!(m.u(), m2.u());
}

#[test]
fn growth_of_the_matrix() {
    // Lecture corpus, 13 tokens, one point per token.
    let g = growth_curve(LECTURE_CORPUS, &CooccurrenceConfig::default(), 13).unwrap();
    assert_eq!(g.len(), 13);
    // After "I like deep learning ." : V = 5, 4 adjacent pairs → 8 non-zeros.
    assert_eq!((g[4].tokens, g[4].vocab, g[4].nonzeros), (5, 5, 8));
    let last = g[12];
    assert_eq!(
        (last.tokens, last.vocab, last.cells, last.nonzeros),
        (13, 8, 64, 18)
    );
    assert_eq!(last.dense_bytes, 256);
    assert_eq!(last.sparse_bytes, 216);
    // More points than tokens: no duplicate points.
    let g2 = growth_curve("a b c", &CooccurrenceConfig::default(), 10).unwrap();
    assert_eq!(
        g2.iter().map(|p| p.tokens).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(growth_curve("", &CooccurrenceConfig::default(), 10).is_err());
    assert!(growth_curve("a b", &CooccurrenceConfig::default(), 1).is_err());
}

#[test]
fn bad_inputs_are_clear_errors() {
    let e = |cfg: GloveConfig| GloveModel::new(&cfg).unwrap_err().to_string();
    assert!(e(GloveConfig {
        corpus: "".into(),
        ..Default::default()
    })
    .contains("empty"));
    assert!(e(GloveConfig {
        corpus: "lonely".into(),
        ..Default::default()
    })
    .contains("neighbour"));
    assert!(e(GloveConfig {
        dim: 0,
        ..Default::default()
    })
    .contains("dim"));
    assert!(e(GloveConfig {
        x_max: f64::NAN,
        ..Default::default()
    })
    .contains("x_max"));
    assert!(e(GloveConfig {
        cooccurrence: CooccurrenceConfig {
            window: 0,
            ..Default::default()
        },
        ..Default::default()
    })
    .contains("window"));
    assert!(e(GloveConfig {
        cooccurrence: CooccurrenceConfig {
            order: VocabOrder::Given(vec!["I".into()]),
            ..Default::default()
        },
        ..Default::default()
    })
    .contains("not in the given list"));
    let cfg: GloveConfig = serde_json::from_str(r#"{"dim": 4}"#).unwrap();
    assert_eq!(cfg.dim, 4);
    assert_eq!(cfg.corpus, LECTURE_CORPUS);
}
