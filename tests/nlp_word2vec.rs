//! Word2Vec: one forward/backward step of the lecture's toy worked by hand, finite-difference
//! gradient checks (f64) of skip-gram and CBOW with the full softmax and with negative sampling, the
//! study·math inner product rising, negative-sampling frequencies, a real-corpus run, bad inputs.

use rnn_lab::core::nlp::word2vec::{Architecture, Example, OutputLayer, Word2Vec, Word2VecConfig};

/// Hand-set toy: W₁ columns I = (1, 0), study = (0, 1), math = (1, 1); W₂ rows I = (0, 0),
/// study = (1, 0), math = (0, 2). Input "study" → h = (0, 1); s = W₂ h = (0, 0, 2);
/// ŷ = (1, 1, e²)/(2 + e²) = (0.1065070, 0.1065070, 0.7869860);
/// J = −log ŷ_math = ln(2 + e²) − 2 = 0.2395447662218846;
/// ∂J/∂s = (0.1065070, 0.1065070, −0.2130140); ∂J/∂h = W₂ᵀ ∂J/∂s = (0.1065070, −0.4260279);
/// ∂J/∂W₂ = ∂J/∂s hᵀ: rows (0, 0.1065070), (0, 0.1065070), (0, −0.2130140).
/// (Computed independently with Python's math module.)
#[test]
fn toy_step_by_hand() {
    let mut m = Word2Vec::<f64>::new(&Word2VecConfig::default()).unwrap();
    {
        let (w1, w2) = m.params_mut();
        *w1 = vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        *w2 = vec![0.0, 0.0, 1.0, 0.0, 0.0, 2.0];
    }
    let ex = Example {
        inputs: vec![1],
        output: 2,
    };
    let (loss, g) = m.loss_and_grad(&ex, &[]).unwrap();
    assert!((loss - 0.2395447662218846).abs() < 1e-14);
    assert!((g.dh[0] - 0.10650697891920075).abs() < 1e-14);
    assert!((g.dh[1] + 0.426027915676803).abs() < 1e-14);
    let (dw1, dw2) = m.dense_grad(&ex, &g);
    assert_eq!(&dw1[0..2], &[0.0, 0.0]); // only study's column of W₁ gets a gradient
    assert!((dw1[2] - 0.10650697891920075).abs() < 1e-14);
    assert!((dw2[5] + 0.2130139578384015).abs() < 1e-14);
    assert_eq!(dw2[4], 0.0);
    let f = m.toy_frame().unwrap();
    // Score of output math for input study is S[2, 1] = 2; P = 0.786986.
    assert_eq!(f.scores[2 * 3 + 1], 2.0);
    assert!((f.probs[2 * 3 + 1] - 0.7869860421615985).abs() < 1e-14);
    // W₁ as the lecture draws it (D × V): first row (1, 0, 1).
    assert_eq!(&f.w1[0..3], &[1.0, 0.0, 1.0]);

    // One SGD step (η = 0.1) on the lecture's single example study → math:
    // W₂[math] = (0, 2) − 0.1 · (−0.2130140) · (0, 1) = (0, 2.0213014);
    // W₁[:, study] = (0, 1) − 0.1 · (0.1065070, −0.4260279) = (−0.0106507, 1.0426028);
    // study·math = 1.0426028 · 2.0213014 = 2.1074146 > 2.
    let loss = m.train_example(&ex).unwrap();
    assert!((loss - 0.2395447662218846).abs() < 1e-14);
    assert!((m.w2()[5] - (2.0 + 0.02130139578384015)).abs() < 1e-14);
    assert!((m.w1t()[2] + 0.010650697891920075).abs() < 1e-14);
    assert!((m.w1t()[3] - (1.0 + 0.0426027915676803)).abs() < 1e-14);
    let ip = m.inner_product("study", "math").unwrap();
    assert!((ip - (1.0 + 0.0426027915676803) * (2.0 + 0.02130139578384015)).abs() < 1e-14);
    assert_eq!(m.history().len(), 1);
}

fn set(m: &mut Word2Vec<f64>, which: usize, k: usize, value: f64) {
    let (w1, w2) = m.params_mut();
    if which == 0 {
        w1[k] = value;
    } else {
        w2[k] = value;
    }
}

/// Max relative error |a − n| / max(|a|, |n|, 1e-8) between the analytic gradient and central
/// differences (h = 1e-6) over every parameter of W₁ and W₂.
fn max_rel_error(cfg: &Word2VecConfig, ex: &Example, negatives: &[usize]) -> f64 {
    let mut m = Word2Vec::<f64>::new(cfg).unwrap();
    {
        // Spread the parameters out so no gradient entry is trivially tiny.
        let (w1, w2) = m.params_mut();
        for (k, x) in w1.iter_mut().enumerate() {
            *x += ((k * 7 % 5) as f64 - 2.0) * 0.3;
        }
        for (k, x) in w2.iter_mut().enumerate() {
            *x += ((k * 3 % 7) as f64 - 3.0) * 0.2;
        }
    }
    let (_, g) = m.loss_and_grad(ex, negatives).unwrap();
    let (dw1, dw2) = m.dense_grad(ex, &g);
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for which in 0..2 {
        let n = if which == 0 { dw1.len() } else { dw2.len() };
        for k in 0..n {
            let orig = if which == 0 { m.w1t()[k] } else { m.w2()[k] };
            set(&mut m, which, k, orig + h);
            let lp = m.loss_and_grad(ex, negatives).unwrap().0;
            set(&mut m, which, k, orig - h);
            let lm = m.loss_and_grad(ex, negatives).unwrap().0;
            set(&mut m, which, k, orig);
            let numeric = (lp - lm) / (2.0 * h);
            let analytic = if which == 0 { dw1[k] } else { dw2[k] };
            let rel = (numeric - analytic).abs() / numeric.abs().max(analytic.abs()).max(1e-8);
            worst = worst.max(rel);
        }
    }
    worst
}

#[test]
fn gradient_checks_full_softmax_and_negative_sampling() {
    let base = Word2VecConfig {
        dim: 3,
        ..Default::default()
    };
    // Skip-gram: study → math.
    let sg = Example {
        inputs: vec![1],
        output: 2,
    };
    // CBOW: (I, math) → study.
    let cbow = Example {
        inputs: vec![0, 2],
        output: 1,
    };
    let cases = [
        (
            "skip-gram softmax",
            Architecture::SkipGram,
            OutputLayer::FullSoftmax,
            &sg,
        ),
        (
            "cbow softmax",
            Architecture::Cbow,
            OutputLayer::FullSoftmax,
            &cbow,
        ),
        (
            "skip-gram NS",
            Architecture::SkipGram,
            OutputLayer::NegativeSampling,
            &sg,
        ),
        (
            "cbow NS",
            Architecture::Cbow,
            OutputLayer::NegativeSampling,
            &cbow,
        ),
    ];
    for (name, arch, out, ex) in cases {
        let cfg = Word2VecConfig {
            architecture: arch,
            output: out,
            ..base.clone()
        };
        // Negatives (ignored by the softmax): I twice, study, math — minus the output itself.
        let negs: Vec<usize> = [0, 0, 1, 2]
            .into_iter()
            .filter(|&n| n != ex.output)
            .collect();
        let err = max_rel_error(&cfg, ex, &negs);
        assert!(err < 1e-6, "{name}: max relative error {err:e}");
    }
}

#[test]
fn study_math_inner_product_rises() {
    for arch in [Architecture::SkipGram, Architecture::Cbow] {
        let mut m = Word2Vec::<f64>::new(&Word2VecConfig {
            architecture: arch,
            learning_rate: 0.5,
            ..Default::default()
        })
        .unwrap();
        let before = m.inner_product("study", "math").unwrap();
        let p0 = m.toy_frame().unwrap().probs[2 * 3 + 1];
        m.train_steps(400);
        let after = m.inner_product("study", "math").unwrap();
        let p1 = m.toy_frame().unwrap().probs[2 * 3 + 1];
        eprintln!("{arch:?}: study·math {before} → {after}, P(math | study) {p0} → {p1}");
        assert!(after > before, "{arch:?}: {before} → {after}");
        assert!(p1 > p0, "{arch:?}: P(math | study) {p0} → {p1}");
        // "study" is followed by "math" and preceded by "I" equally often, so the loss is lowest
        // at P(math | study) = 1/2 (from about 1/3 at the start); SGD hovers around it.
        assert!((p1 - 0.5).abs() < 0.05, "{arch:?}: P(math | study) = {p1}");
        // The loss curve is recorded every step and falls.
        let h = m.history();
        assert_eq!(h.len(), 400);
        let first: f64 = h[..20].iter().map(|p| p.loss).sum::<f64>() / 20.0;
        let last: f64 = h[380..].iter().map(|p| p.loss).sum::<f64>() / 20.0;
        assert!(last < first, "{arch:?}: loss {first} → {last}");
    }
}

#[test]
fn negative_samples_follow_unigram_to_the_three_quarters() {
    // Counts a: 16, b: 1, c: 1 → weights 16^0.75 = 8, 1, 1. Excluding c (the output),
    // P(a) / (P(a) + P(b)) = 8/9. 90 000 draws of a or b: expected a = 80 000, sd ≈ 94.
    let corpus = format!("{} b c", vec!["a"; 16].join(" "));
    let mut m = Word2Vec::<f64>::new(&Word2VecConfig {
        corpus,
        output: OutputLayer::NegativeSampling,
        negatives: 10,
        ..Default::default()
    })
    .unwrap();
    let (a, b, c) = (
        m.vocab().id("a").unwrap(),
        m.vocab().id("b").unwrap(),
        m.vocab().id("c").unwrap(),
    );
    let (mut na, mut nb) = (0usize, 0usize);
    while na + nb < 90_000 {
        for n in m.sample_negatives(c) {
            assert_ne!(n, c);
            if n == a {
                na += 1;
            } else if n == b {
                nb += 1;
            }
            if na + nb == 90_000 {
                break;
            }
        }
    }
    assert!((na as i64 - 80_000).abs() < 600, "a drawn {na} times");
}

#[test]
fn negative_sampling_on_a_real_corpus() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpora/war_and_peace.txt"),
    )
    .unwrap();
    let corpus: String = text.chars().take(200_000).collect();
    let cfg = Word2VecConfig {
        corpus,
        lowercase: true,
        output: OutputLayer::NegativeSampling,
        dim: 20,
        window: 2,
        learning_rate: 0.05,
        max_vocab: 2000,
        subsample: 1e-3,
        loss_every: 1000,
        seed: 3,
        ..Default::default()
    };
    let mut m = Word2Vec::<f32>::new(&cfg).unwrap();
    assert_eq!(m.vocab().len(), 2000);
    assert_eq!(m.vocab().token(0), "the");
    m.train_steps(60_000);
    let h = m.history();
    assert_eq!(h.len(), 60);
    assert!(
        h[59].loss < h[0].loss,
        "loss {} → {}",
        h[0].loss,
        h[59].loss
    );
    let nn = m.nearest("prince", 5).unwrap();
    assert_eq!(nn.len(), 5);
    assert!(nn.iter().all(|n| n.word != "prince"));
    let wv = m.word_vectors().unwrap();
    let words: Vec<String> = ["prince", "princess", "man", "woman"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let p = wv.pca_of_words(&words).unwrap();
    assert_eq!(p.points.len(), 4);
    // Same seed, same run.
    let mut m2 = Word2Vec::<f32>::new(&cfg).unwrap();
    m2.train_steps(60_000);
    assert_eq!(m.w1t(), m2.w1t());
}

#[test]
fn hangul_corpus() {
    let mut m = Word2Vec::<f64>::new(&Word2VecConfig {
        corpus: "나는 수학을 공부한다. 너는 영어를 공부한다.".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(m.vocab().len(), 5);
    m.train_steps(50);
    assert!(m.nearest("공부한다", 2).unwrap().len() == 2);
}

#[test]
fn bad_inputs_are_clear_errors() {
    let e = |cfg: Word2VecConfig| Word2Vec::<f64>::new(&cfg).unwrap_err().to_string();
    assert!(e(Word2VecConfig {
        corpus: "  ".into(),
        ..Default::default()
    })
    .contains("empty"));
    assert!(e(Word2VecConfig {
        corpus: "alone. again.".into(),
        ..Default::default()
    })
    .contains("fewer than two"));
    assert!(e(Word2VecConfig {
        dim: 0,
        ..Default::default()
    })
    .contains("dim"));
    assert!(e(Word2VecConfig {
        learning_rate: f64::INFINITY,
        ..Default::default()
    })
    .contains("learning_rate"));
    assert!(e(Word2VecConfig {
        subsample: 0.5,
        ..Default::default()
    })
    .contains("subsample"));
    let m = Word2Vec::<f64>::new(&Word2VecConfig::default()).unwrap();
    assert!(m.inner_product("study", "physics").is_err());
    assert!(m.nearest("physics", 3).is_err());
    assert!(m
        .loss_and_grad(
            &Example {
                inputs: vec![9],
                output: 0
            },
            &[]
        )
        .is_err());
    assert!(m
        .loss_and_grad(
            &Example {
                inputs: vec![],
                output: 0
            },
            &[]
        )
        .is_err());
    let cfg: Word2VecConfig = serde_json::from_str(r#"{"architecture": "cbow"}"#).unwrap();
    assert_eq!(cfg.architecture, Architecture::Cbow);
    assert_eq!(cfg.corpus, "I study math");
}
