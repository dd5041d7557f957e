//! `WordVectorsHandle`: the shipped GloVe 6B 100d vectors (top 50 000 words, int8 compact file),
//! parsed and validated once per page and shared by the widgets that need them.

use super::super::convert::{core_err, to_js};
use crate::core::nlp::vectors::WordVectors;
use js_sys::{Float32Array, Uint32Array};
use wasm_bindgen::prelude::*;

/// A parsed set of word vectors.
#[wasm_bindgen]
pub struct WordVectorsHandle {
    pub(crate) vectors: WordVectors,
}

#[wasm_bindgen]
impl WordVectorsHandle {
    /// Parses a compact `.rlwv` file (every byte is checked: header, checksum, UTF-8 vocabulary).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<WordVectorsHandle, JsError> {
        Ok(WordVectorsHandle {
            vectors: WordVectors::from_compact(bytes).map_err(core_err)?,
        })
    }

    /// Number of words N.
    pub fn words(&self) -> u32 {
        self.vectors.len() as u32
    }

    /// Vector size D.
    pub fn dim(&self) -> u32 {
        self.vectors.dim() as u32
    }

    /// True when `word` is in the vocabulary (exact spelling).
    pub fn has(&self, word: &str) -> bool {
        self.vectors.index_of(word).is_some()
    }

    /// The row of `word`, or an error with a lower-case hint and spelling suggestions.
    pub fn lookup(&self, word: &str) -> Result<u32, JsError> {
        self.vectors
            .lookup(word)
            .map(|i| i as u32)
            .map_err(core_err)
    }

    /// The `k` (1–100) nearest words by cosine: `[{word, index, cosine}, …]`.
    pub fn nearest(&self, word: &str, k: u32) -> Result<JsValue, JsError> {
        let k = k.clamp(1, 100) as usize;
        to_js(&self.vectors.nearest(word, k).map_err(core_err)?)
    }

    /// The rows of the `k` nearest words only (for benchmarks: no strings cross the boundary).
    #[wasm_bindgen(js_name = nearestRows)]
    pub fn nearest_rows(&self, row: u32, k: u32) -> Result<Uint32Array, JsError> {
        let i = row as usize;
        if i >= self.vectors.len() {
            return Err(JsError::new("row out of range"));
        }
        let q = self.vectors.unit_row(i).to_vec();
        let n = self
            .vectors
            .nearest_to_vector(&q, k.clamp(1, 100) as usize, None, &[i])
            .map_err(core_err)?;
        let rows: Vec<u32> = n.iter().map(|x| x.index as u32).collect();
        Ok(Uint32Array::from(&rows[..]))
    }

    /// Help for a word that is not in the vocabulary: `{lower, suggestions}` — `lower` is the
    /// lower-case form when that one exists (GloVe 6B is lower-case), `suggestions` up to five
    /// words of the vocabulary closest in spelling.
    pub fn suggest(&self, word: &str) -> Result<JsValue, JsError> {
        #[derive(serde::Serialize)]
        struct Help {
            lower: Option<String>,
            suggestions: Vec<String>,
        }
        let w = word.trim();
        let lower = w.to_lowercase();
        to_js(&Help {
            lower: (lower != w && self.vectors.index_of(&lower).is_some()).then_some(lower.clone()),
            suggestions: self.vectors.suggestions(&lower, 5),
        })
    }

    /// The word of a row ("" when out of range).
    pub fn word(&self, row: u32) -> String {
        self.vectors.word(row as usize).to_string()
    }

    /// The original vector of `word` (D values).
    pub fn vector(&self, word: &str) -> Result<Float32Array, JsError> {
        let i = self.vectors.lookup(word).map_err(core_err)?;
        Ok(Float32Array::from(&self.vectors.vector(i)[..]))
    }
}
