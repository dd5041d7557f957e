//! Widget `analogy`: word analogies b − a + c with real GloVe 6B vectors (100d, the 50 000 most
//! frequent words, shipped as `data/glove/glove.6B.100d.top50k.i8.rlwv`), 3CosAdd and 3CosMul,
//! the rank and cosine of the expected answer, top-10 neighbours, and the lecture's 2-D PCA
//! pictures of word pairs. The math is [`crate::core::nlp::vectors`]; failures (company–CEO with
//! these vectors) are reported plainly by [`AnalogyResult::message`].
//!
//! Credit: GloVe (Pennington, Socher and Manning, 2014, PDDL 1.0); see `data/SOURCES.md`.

use super::charts::{draw_scatter, ScatterChart, ScatterPoint};
use super::{check_len, draw_placeholder};
use crate::core::config::WidgetConfig;
use crate::core::error::{CoreError, Result};
use crate::core::nlp::vectors::{
    preset, AnalogyMethod, AnalogyQuery, AnalogyResult, Neighbour, WordProjection, WordVectors,
    PRESETS,
};
use crate::viz::{
    axis_label, palette, ChartMapping, ChartStyle, DrawError, Lang, LegendEntry, Unit,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// The shipped vector file, relative to the repository root.
pub const VECTORS_PATH: &str = "data/glove/glove.6B.100d.top50k.i8.rlwv";
/// Its size in bytes (for progress before the server says).
pub const VECTORS_BYTES: u32 = 5_610_731;
/// The preset value meaning "my own words" (the PCA picture shows the query words).
pub const CUSTOM: &str = "custom";

/// Settings of the `analogy` widget (flat: one URL key per field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalogyWidgetConfig {
    /// Which lecture picture (a preset id of [`PRESETS`]) or `custom`. Choosing a preset also
    /// fills a, b, c and expected. Default `king-queen`.
    pub preset: String,
    /// The subtracted word a (b − a + c). Default "man".
    pub a: String,
    /// The first added word b. Default "king".
    pub b: String,
    /// The second added word c. Default "woman".
    pub c: String,
    /// The answer hoped for (its rank and cosine are reported); empty = none. Default "queen".
    pub expected: String,
    /// `cosadd` (3CosAdd) or `cosmul` (3CosMul). Default 3CosAdd.
    pub method: AnalogyMethod,
    /// Leave a, b and c out of the answers. Default on (as word2vec and gensim do).
    pub exclude: bool,
    /// Search only the R most frequent words (1000–50 000; 0 = all 50 000). Default 0.
    pub restrict: u32,
    /// Word whose ten nearest neighbours are listed. Default "student".
    pub word: String,
    /// Chart language. Default `ko`.
    pub lang: Lang,
}

impl Default for AnalogyWidgetConfig {
    fn default() -> Self {
        AnalogyWidgetConfig {
            preset: "king-queen".into(),
            a: "man".into(),
            b: "king".into(),
            c: "woman".into(),
            expected: "queen".into(),
            method: AnalogyMethod::CosAdd,
            exclude: true,
            restrict: 0,
            word: "student".into(),
            lang: Lang::Ko,
        }
    }
}

impl WidgetConfig for AnalogyWidgetConfig {
    fn validate(&self) -> Result<()> {
        if self.preset != CUSTOM {
            preset(&self.preset)?;
        }
        for (f, v) in [
            ("a", &self.a),
            ("b", &self.b),
            ("c", &self.c),
            ("expected", &self.expected),
            ("word", &self.word),
        ] {
            check_len(f, v, 40)?;
        }
        for (f, v) in [("a", &self.a), ("b", &self.b), ("c", &self.c)] {
            if v.trim().is_empty() {
                return Err(CoreError::invalid(f, "type a word"));
            }
        }
        if self.restrict != 0 && !(1000..=50_000).contains(&self.restrict) {
            return Err(CoreError::invalid(
                "restrict",
                "must be 0 (all words) or between 1000 and 50000",
            ));
        }
        Ok(())
    }
}

impl AnalogyWidgetConfig {
    /// The core query (top 10, words lower-cased: GloVe 6B is lower-case).
    pub fn query(&self) -> AnalogyQuery {
        let w = |s: &str| s.trim().to_lowercase();
        AnalogyQuery {
            a: w(&self.a),
            b: w(&self.b),
            c: w(&self.c),
            expected: Some(w(&self.expected)).filter(|e| !e.is_empty()),
            method: self.method,
            exclude_query: self.exclude,
            top_k: 10,
            restrict: (self.restrict > 0).then_some(self.restrict as usize),
        }
    }
}

/// Solves the configured analogy.
pub fn analogy(cfg: &AnalogyWidgetConfig, v: &WordVectors) -> Result<AnalogyResult> {
    v.analogy(&cfg.query())
}

/// The ten nearest neighbours of the configured word.
pub fn neighbours(cfg: &AnalogyWidgetConfig, v: &WordVectors) -> Result<Vec<Neighbour>> {
    let w = cfg.word.trim();
    if w.is_empty() {
        return Err(CoreError::invalid("word", "type a word"));
    }
    v.nearest(&w.to_lowercase(), 10)
}

/// The PCA picture: the preset's pairs (arrow from the first to the second word of each pair),
/// or for `custom` the query words a → b and c → expected.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PcaView {
    /// The projection of the known words.
    pub projection: WordProjection,
    /// Arrows between points of the projection.
    pub arrows: Vec<(usize, usize)>,
    /// Words left out because the vectors do not have them.
    pub unknown: Vec<String>,
}

/// The words and arrows of the picture.
pub fn pca_view(cfg: &AnalogyWidgetConfig, v: &WordVectors) -> Result<Option<PcaView>> {
    let pairs: Vec<(String, String)> = if cfg.preset == CUSTOM {
        let q = cfg.query();
        let mut p = vec![(q.a, q.b)];
        if let Some(e) = q.expected {
            p.push((q.c, e));
        }
        p
    } else {
        let p = preset(&cfg.preset)?;
        if p.pairs.is_empty() {
            vec![
                (p.a.to_string(), p.b.to_string()),
                (p.c.to_string(), p.expected.to_string()),
            ]
        } else {
            p.pairs
                .iter()
                .map(|(x, y)| (x.to_string(), y.to_string()))
                .collect()
        }
    };
    let mut words: Vec<String> = Vec::new();
    let mut arrows = Vec::new();
    let mut unknown = Vec::new();
    for (x, y) in pairs {
        let known = |w: &String| v.index_of(w).is_some();
        if !known(&x) || !known(&y) {
            for w in [x, y] {
                if !known(&w) && !unknown.contains(&w) {
                    unknown.push(w);
                }
            }
            continue;
        }
        let mut idx = |w: String| match words.iter().position(|u| *u == w) {
            Some(i) => i,
            None => {
                words.push(w);
                words.len() - 1
            }
        };
        let (i, j) = (idx(x), idx(y));
        arrows.push((i, j));
    }
    if words.len() < 2 {
        return Ok(None);
    }
    Ok(Some(PcaView {
        projection: v.pca_of_words(&words)?,
        arrows,
        unknown,
    }))
}

/// Draws the PCA picture (or a placeholder with `waiting` before the vectors are loaded).
pub fn draw_pca<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfg: &AnalogyWidgetConfig,
    vectors: Option<&WordVectors>,
    waiting: &str,
    style: &ChartStyle,
) -> std::result::Result<ChartMapping, DrawError> {
    let lang = cfg.lang;
    let Some(v) = vectors else {
        return draw_placeholder(area, waiting, style);
    };
    let Some(view) = pca_view(cfg, v)? else {
        return draw_placeholder(
            area,
            lang.pick("그릴 단어 쌍이 없습니다", "no word pair to draw"),
            style,
        );
    };
    let p = &view.projection;
    let firsts: Vec<usize> = view.arrows.iter().map(|a| a.0).collect();
    let ratio = |k: usize| {
        p.pca
            .explained_ratio
            .get(k)
            .map_or(String::new(), |r| format!(", {:.0}%", 100.0 * r))
    };
    let chart = ScatterChart {
        points: p
            .words
            .iter()
            .zip(&p.points)
            .enumerate()
            .map(|(i, (w, xy))| ScatterPoint {
                label: w.clone(),
                x: xy[0],
                y: xy[1],
                colour: if firsts.contains(&i) {
                    palette::BLUE
                } else {
                    palette::VERMILLION
                },
            })
            .collect(),
        arrows: view
            .arrows
            .iter()
            .map(|&(a, b)| (a, b, palette::REFERENCE))
            .collect(),
        legend: vec![
            LegendEntry {
                label: lang.pick("쌍의 첫 단어", "first word of a pair").into(),
                colour: palette::BLUE,
                dashed: false,
            },
            LegendEntry {
                label: lang
                    .pick("쌍의 둘째 단어 (화살표 끝)", "second word (arrow head)")
                    .into(),
                colour: palette::VERMILLION,
                dashed: false,
            },
        ],
        x_label: axis_label(
            &format!("{}{}", lang.pick("주성분 1", "PC 1"), ratio(0)),
            Unit::Dimensionless,
            lang,
        ),
        y_label: axis_label(
            &format!("{}{}", lang.pick("주성분 2", "PC 2"), ratio(1)),
            Unit::Dimensionless,
            lang,
        ),
        equal_aspect: true,
        empty_message: None,
    };
    draw_scatter(area, &chart, style)
}

/// The preset ids with their titles, for the page's menu: (id, title_ko, title_en).
pub fn preset_list() -> Vec<(&'static str, &'static str, &'static str)> {
    PRESETS
        .iter()
        .map(|p| (p.id, p.title_ko, p.title_en))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{from_url_pairs, to_url_pairs};

    fn toy() -> WordVectors {
        // man=(1,0,0), woman=(1,1,0), king=(1,0,1), queen=(1,1,1), apple=(0,0,-1):
        // king − man + woman = (1,1,1) = queen exactly.
        WordVectors::from_rows(
            ["man", "woman", "king", "queen", "apple"]
                .map(String::from)
                .to_vec(),
            &[
                1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, -1.0,
            ],
            3,
        )
        .unwrap()
    }

    #[test]
    fn config_checks_presets_and_words() {
        let c = AnalogyWidgetConfig::default();
        c.validate().unwrap();
        let (back, errs) = from_url_pairs::<AnalogyWidgetConfig, _, _>(&to_url_pairs(&c).unwrap());
        assert!(errs.is_empty());
        assert_eq!(back, c);
        let (c, errs) = from_url_pairs::<AnalogyWidgetConfig, _, _>(&[
            ("preset", "nope"),
            ("a", " "),
            ("method", "cosmul"),
            ("restrict", "5"),
        ]);
        assert_eq!(c.method, AnalogyMethod::CosMul);
        assert_eq!(c.preset, "king-queen");
        assert_eq!(errs.len(), 3);
        assert!(preset_list().iter().any(|p| p.0 == "company-ceo"));
    }

    #[test]
    fn analogy_neighbours_and_picture_on_toy_vectors() {
        let v = toy();
        let cfg = AnalogyWidgetConfig {
            a: "Man".into(),
            ..Default::default()
        };
        let r = analogy(&cfg, &v).unwrap();
        assert_eq!(r.answers[0].word, "queen");
        assert_eq!(r.solved, Some(true));
        let n = neighbours(
            &AnalogyWidgetConfig {
                word: "king".into(),
                ..Default::default()
            },
            &v,
        )
        .unwrap();
        assert_eq!(n[0].word, "queen");
        let custom = AnalogyWidgetConfig {
            preset: CUSTOM.into(),
            ..Default::default()
        };
        let p = pca_view(&custom, &v).unwrap().unwrap();
        assert_eq!(p.projection.words, ["man", "king", "woman", "queen"]);
        assert_eq!(p.arrows, [(0, 1), (2, 3)]);
        // The king-queen preset's other pairs are not in the toy set: listed, not drawn.
        let p = pca_view(&AnalogyWidgetConfig::default(), &v)
            .unwrap()
            .unwrap();
        assert_eq!(p.arrows.len(), 2);
        assert!(p.unknown.contains(&"brother".to_string()));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (700, 450)).into_drawing_area();
            draw_pca(
                &root,
                &custom,
                Some(&v),
                "",
                &ChartStyle::for_canvas(700, 1.0),
            )
            .unwrap();
        }
        assert!(svg.contains("queen") && svg.contains("주성분 1"));
    }
}
