//! Word-vector sets: loaders with validation (raw f32 and the compact int8 file), similarity
//! matrices, neighbours, unknown-word suggestions, presets and PCA.
//!
//! Golden cosines and neighbours were computed independently in plain Python (float64, from the raw
//! `data/glove/glove.6B.100d.top50k.f32` bytes with `struct.unpack`, no code of this crate):
//! cos(dog, puppy) = 0.723638, cos(dog, cat) = 0.879808, cos(dog, teacher) = 0.251417,
//! cos(teacher, student) = 0.808340, cos(puppy, student) = 0.076178; the 10 nearest neighbours of
//! "frog" are toad, snake, frogs, monkey, turtle, spider, ape, rabbit, squirrel, salamander.

use rnn_lab::core::nlp::analogy_eval::{parse_questions, EvalConfig, Evaluator};
use rnn_lab::core::nlp::compact::{self, fnv1a64, HEADER_BYTES};
use rnn_lab::core::nlp::similarity::{dense, one_hot, LECTURE_EN, LECTURE_KO};
use rnn_lab::core::nlp::vectors::{preset, WordVectors, PRESETS};
use std::path::PathBuf;
use std::sync::OnceLock;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(path)
}

fn raw100() -> &'static (Vec<u8>, Vec<u8>) {
    static R: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    R.get_or_init(|| {
        (
            std::fs::read(data("glove/glove.6B.100d.top50k.f32")).unwrap(),
            std::fs::read(data("glove/glove.6B.100d.top50k.vocab.txt")).unwrap(),
        )
    })
}

fn glove100() -> &'static WordVectors {
    static V: OnceLock<WordVectors> = OnceLock::new();
    V.get_or_init(|| {
        let (v, w) = raw100();
        WordVectors::from_f32_le(v, w).unwrap()
    })
}

fn compact100() -> &'static (Vec<u8>, WordVectors) {
    static C: OnceLock<(Vec<u8>, WordVectors)> = OnceLock::new();
    C.get_or_init(|| {
        let b = std::fs::read(data("glove/glove.6B.100d.top50k.i8.rlwv")).unwrap();
        let v = WordVectors::from_compact(&b).unwrap();
        (b, v)
    })
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

#[test]
fn dense_and_one_hot_similarity_matrices() {
    let m = dense(glove100(), &strings(&LECTURE_EN)).unwrap();
    let want = [
        (0, 1, 0.723638),
        (0, 2, 0.879808),
        (0, 3, 0.251417),
        (3, 4, 0.808340),
        (1, 4, 0.076178),
    ];
    for (i, j, c) in want {
        assert!(
            (m.get(i, j) - c).abs() < 2e-6,
            "({i},{j}) = {}",
            m.get(i, j)
        );
        assert_eq!(m.get(i, j), m.get(j, i));
    }
    let oh = one_hot(&strings(&LECTURE_KO)).unwrap();
    assert_eq!(oh.get(0, 1), 0.0); // 개 vs 강아지: orthogonal
                                   // Korean words are not in the English GloVe vocabulary: a clear error, not a panic.
    let err = dense(glove100(), &strings(&["개"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"개\" is not in the vocabulary"), "{err}");
}

#[test]
fn nearest_neighbours_of_frog() {
    let nn = glove100().nearest("frog", 10).unwrap();
    let words: Vec<&str> = nn.iter().map(|n| n.word.as_str()).collect();
    assert_eq!(
        words,
        vec![
            "toad",
            "snake",
            "frogs",
            "monkey",
            "turtle",
            "spider",
            "ape",
            "rabbit",
            "squirrel",
            "salamander"
        ]
    );
    assert!((nn[0].cosine - 0.701051).abs() < 2e-6);
}

#[test]
fn unknown_words_get_suggestions() {
    let v = glove100();
    let e = v.lookup("King").unwrap_err().to_string();
    assert!(e.contains("lower-case: try \"king\""), "{e}");
    let e = v.lookup("quen").unwrap_err().to_string();
    assert!(e.contains("Did you mean") && e.contains("queen"), "{e}");
    assert!(v.suggestions("queeen", 3).contains(&"queen".to_string()));
    assert!(v.lookup("").is_err());
    assert!(v.lookup("   ").is_err());
    // No suggestion is better than a wrong one: nothing within distance 2 of this.
    assert!(v.suggestions("zzzzqqqq", 5).is_empty());
    // Unknown words in an analogy are reported the same way.
    let q = rnn_lab::core::nlp::vectors::AnalogyQuery {
        c: "wmoan".into(),
        ..Default::default()
    };
    let e = v.analogy(&q).unwrap_err().to_string();
    assert!(e.contains("woman"), "{e}");
}

#[test]
fn presets_use_known_words_and_project_to_2d() {
    let v = glove100();
    for p in PRESETS {
        for w in [p.a, p.b, p.c, p.expected] {
            assert!(v.index_of(w).is_some(), "preset {} word {w}", p.id);
        }
        if !p.pairs.is_empty() {
            let words = p.pair_words();
            let proj = v.pca_of_words(&words).unwrap();
            assert_eq!(proj.points.len(), words.len());
            assert!(proj.pca.converged, "preset {}", p.id);
            assert!(proj.pca.explained_ratio[0] >= proj.pca.explained_ratio[1]);
        }
    }
    assert!(preset("king-queen").is_ok());
    assert!(preset("nope")
        .unwrap_err()
        .to_string()
        .contains("king-queen"));
}

#[test]
fn compact_file_is_small_and_within_the_quantisation_bound() {
    let (bytes, c) = compact100();
    // ≤ 6 MB for 50k words (the brief's wire budget).
    assert!(bytes.len() <= 6_000_000, "{} bytes", bytes.len());
    let f = glove100();
    assert_eq!(c.words(), f.words());
    let (raw, _) = raw100();
    let orig: Vec<f32> = raw
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let d = 100;
    for i in (0..c.len()).step_by(97) {
        let row = &orig[i * d..(i + 1) * d];
        let max = row.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let s = max / 127.0;
        let back = c.vector(i);
        for (x, y) in row.iter().zip(&back) {
            // |v − s·q| ≤ s/2, plus f32 rounding of the renormalised copy.
            assert!((x - y).abs() <= 0.5 * s + 1e-5 * max, "row {i}: {x} vs {y}");
        }
    }
}

#[test]
fn compact_accuracy_is_close_to_the_f32_reference() {
    // Requirement: quantisation may change only a handful of answers. Reference (f32, R = 10000):
    // 5124 / 7038 (data/glove/questions-words.reference.json). Allowed: within 0.5 % of the total.
    let (_, c) = compact100();
    let text = std::fs::read_to_string(data("glove/questions-words.txt")).unwrap();
    let qs = parse_questions(&text).unwrap();
    let cfg = EvalConfig {
        restrict: 10000,
        ..Default::default()
    };
    let rep = Evaluator::new(c, &qs, &cfg).unwrap().run(c).unwrap();
    assert_eq!(rep.total, 7038);
    assert!(
        (rep.correct as i64 - 5124).abs() <= 35,
        "compact: {}/{}",
        rep.correct,
        rep.total
    );
}

fn tiny_compact() -> Vec<u8> {
    compact::encode(
        &strings(&["a", "bb", "학생"]),
        &[1.0, -127.0, 0.5, 0.25, 0.0, 0.0],
        2,
    )
    .unwrap()
}

/// Rewrites the checksum after tampering, so the check behind it is reached.
fn reseal(b: &mut [u8]) {
    let h = fnv1a64(&b[HEADER_BYTES..]);
    b[32..40].copy_from_slice(&h.to_le_bytes());
}

#[test]
fn compact_round_trip_and_malformed_files() {
    let good = tiny_compact();
    let v = WordVectors::from_compact(&good).unwrap();
    assert_eq!(v.words(), &strings(&["a", "bb", "학생"]));
    // Row 0: s = 127/127 = 1, codes (1, −127) reproduce the values (up to f32 renormalisation).
    let r0 = v.vector(0);
    assert!(
        (r0[0] - 1.0).abs() < 1e-5 && (r0[1] + 127.0).abs() < 1e-4,
        "{r0:?}"
    );
    // Row 1: s = 0.5/127, 0.25/s = 63.5 rounds to 64 → 64·0.5/127 = 0.251968…
    assert!((v.vector(1)[1] - 64.0 * 0.5 / 127.0).abs() < 1e-6);
    assert_eq!(v.norm(2), 0.0);

    let err = |b: &[u8]| WordVectors::from_compact(b).unwrap_err().to_string();
    assert!(err(&[]).contains("fewer than"));
    assert!(err(&good[..good.len() - 1]).contains("needs exactly"));
    let mut magic = good.clone();
    magic[0] = b'X';
    assert!(err(&magic).contains("RNNLABWV"));
    let mut version = good.clone();
    version[8] = 2;
    assert!(err(&version).contains("version 2"));
    let mut enc = good.clone();
    enc[20] = 7;
    assert!(err(&enc).contains("encoding 7"));
    let mut dims = good.clone();
    dims[16] = 0;
    assert!(err(&dims).contains("dimension 0"));
    let mut huge = good.clone();
    huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(err(&huge).contains("word count"));
    let mut flipped = good.clone();
    let last = flipped.len() - 2;
    flipped[last] ^= 1;
    assert!(err(&flipped).contains("checksum"));
    // A NaN scale (checksum resealed so the scale check is what fails).
    let mut nan = good.clone();
    nan[HEADER_BYTES..HEADER_BYTES + 4].copy_from_slice(&f32::NAN.to_le_bytes());
    reseal(&mut nan);
    assert!(err(&nan).contains("scale of row 1"));
    // Vocabulary with 2 lines where the header says 3: replace the last '\n' of "bb\n" by 'x'.
    let mut short = good.clone();
    let pos = short.len() - "학생\n".len() - 1;
    short[pos] = b'x';
    reseal(&mut short);
    assert!(
        err(&short).contains("3 words but the vocabulary has 2"),
        "{}",
        err(&short)
    );
    // Invalid UTF-8 in the vocabulary.
    let mut utf = good.clone();
    let n = utf.len();
    utf[n - 2] = 0xFF;
    reseal(&mut utf);
    assert!(err(&utf).contains("UTF-8"));
    // The code −128 is never written.
    let mut code = good.clone();
    code[HEADER_BYTES + 12] = 0x80;
    reseal(&mut code);
    assert!(err(&code).contains("−128"));
    // Encoder errors.
    assert!(compact::encode(&strings(&["a"]), &[f32::INFINITY], 1).is_err());
    assert!(compact::encode(&strings(&["a b"]), &[1.0], 1).is_err());
    assert!(compact::encode(&[], &[], 1).is_err());
}

#[test]
fn raw_loader_errors() {
    let err = |v: &[u8], w: &[u8]| WordVectors::from_f32_le(v, w).unwrap_err().to_string();
    let one = 1.0f32.to_le_bytes();
    assert!(err(&one[..3], b"a\n").contains("multiple of 4"));
    assert!(err(&[one, one, one].concat(), b"a\nb\n").contains("do not divide"));
    assert!(err(&one, b"").contains("empty"));
    assert!(err(&one, b"\xff\n").contains("UTF-8"));
    assert!(err(&[one, one].concat(), b"a\n\nb\n").contains("line 2 is empty"));
    assert!(err(&[one, one].concat(), b"a\na\n").contains("twice"));
    assert!(err(&f32::NAN.to_le_bytes(), b"a\n").contains("NaN"));
    // CRLF line ends are accepted.
    let v = WordVectors::from_f32_le(&[one, one].concat(), b"a\r\nb\r\n").unwrap();
    assert_eq!(v.words(), &strings(&["a", "b"]));
}
