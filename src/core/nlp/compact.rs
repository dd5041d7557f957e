//! The compact word-vector file the browser downloads: int8 rows with one f32 scale per row.
//!
//! 50 000 × 100 float32 values are 20 MB; as int8 with a per-row scale they are 5 MB, plus 0.2 MB of
//! scales and 0.4 MB of vocabulary. Each row is quantised symmetrically:
//!
//! ```text
//! s_i = max_j |v_ij| / 127,   q_ij = round(v_ij / s_i) ∈ [−127, 127],   v_ij ≈ s_i · q_ij
//! ```
//!
//! The error per value is at most s_i / 2, about 0.4 % of the row's largest entry; cosines move by
//! roughly 10⁻³, which changes a few analogy answers (the numbers are in `data/SOURCES.md`).
//!
//! # Format, version 1 (all integers little-endian)
//!
//! | offset | size | field |
//! | ---: | ---: | --- |
//! | 0 | 8 | magic `RNNLABWV` |
//! | 8 | 4 | version = 1 (u32) |
//! | 12 | 4 | N = number of words (u32, 1 ≤ N ≤ 2 000 000) |
//! | 16 | 4 | D = dimension (u32, 1 ≤ D ≤ 4096) |
//! | 20 | 4 | encoding = 1: int8 rows with an f32 scale per row (u32) |
//! | 24 | 4 | B = vocabulary bytes (u32) |
//! | 28 | 4 | reserved = 0 (u32) |
//! | 32 | 8 | FNV-1a 64-bit hash of every byte from offset 40 to the end (u64) |
//! | 40 | 4N | scales s_i (f32, finite, ≥ 0; 0 only for an all-zero row) |
//! | 40 + 4N | N·D | q (i8, row-major; −128 is not used) |
//! | 40 + 4N + N·D | B | vocabulary: UTF-8, N words each followed by `\n` |
//!
//! The file length must be exactly 40 + 4N + N·D + B. [`WordVectors::from_compact`] checks every
//! field and returns a [`CoreError::Format`] naming the first problem.

use super::vectors::{parse_vocab_lines, WordVectors};
use crate::core::error::{CoreError, Result};

/// The 8 magic bytes at the start of a compact file.
pub const MAGIC: &[u8; 8] = b"RNNLABWV";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Encoding id of int8 rows with an f32 scale per row.
pub const ENCODING_INT8_ROW_SCALE: u32 = 1;
/// Header size in bytes.
pub const HEADER_BYTES: usize = 40;
const MAX_WORDS: usize = 2_000_000;
const MAX_DIM: usize = 4096;

/// FNV-1a 64-bit hash (Fowler, Noll, Vo): a simple integrity check against truncated or corrupted
/// downloads (not a cryptographic signature).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Quantises one row: returns (scale, codes) with scale = max|v|/127 (0 for a zero row).
pub fn quantise_row(row: &[f32]) -> (f32, Vec<i8>) {
    let max = row.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return (0.0, vec![0; row.len()]);
    }
    let s = max / 127.0;
    let q = row
        .iter()
        .map(|&x| (x / s).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (s, q)
}

/// Encodes words and raw rows (N × D, row-major) in the compact format.
///
/// Errors: sizes that do not match or exceed the format's limits, a non-finite value, a word that is
/// empty or contains whitespace.
pub fn encode(words: &[String], rows: &[f32], dim: usize) -> Result<Vec<u8>> {
    let n = words.len();
    if n == 0 || n > MAX_WORDS {
        return Err(CoreError::invalid(
            "word count",
            format!("must be 1..={MAX_WORDS}, got {n}"),
        ));
    }
    if dim == 0 || dim > MAX_DIM {
        return Err(CoreError::invalid(
            "dimension",
            format!("must be 1..={MAX_DIM}, got {dim}"),
        ));
    }
    if rows.len() != n * dim {
        return Err(CoreError::shape("rows", n * dim, rows.len()));
    }
    let mut vocab = Vec::new();
    for w in words {
        if w.is_empty() || w.chars().any(char::is_whitespace) {
            return Err(CoreError::invalid(
                "word",
                format!("{w:?} is empty or contains whitespace"),
            ));
        }
        vocab.extend_from_slice(w.as_bytes());
        vocab.push(b'\n');
    }
    let vocab_len = u32::try_from(vocab.len())
        .map_err(|_| CoreError::invalid("vocabulary", "more than 4 GB"))?;
    let mut scales = Vec::with_capacity(4 * n);
    let mut codes = Vec::with_capacity(n * dim);
    for (i, r) in rows.chunks_exact(dim).enumerate() {
        if r.iter().any(|x| !x.is_finite()) {
            return Err(CoreError::non_finite(format!(
                "row {} ({})",
                i + 1,
                words[i]
            )));
        }
        let (s, q) = quantise_row(r);
        scales.extend_from_slice(&s.to_le_bytes());
        codes.extend(q.iter().map(|&c| c as u8));
    }
    let mut body = Vec::with_capacity(scales.len() + codes.len() + vocab.len());
    body.extend_from_slice(&scales);
    body.extend_from_slice(&codes);
    body.extend_from_slice(&vocab);
    let mut out = Vec::with_capacity(HEADER_BYTES + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(&(dim as u32).to_le_bytes());
    out.extend_from_slice(&ENCODING_INT8_ROW_SCALE.to_le_bytes());
    out.extend_from_slice(&vocab_len.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&fnv1a64(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// What a compact file's header says (after validation of the header alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompactHeader {
    /// Number of words N.
    pub words: usize,
    /// Dimension D.
    pub dim: usize,
    /// Vocabulary bytes B.
    pub vocab_bytes: usize,
}

/// Reads and checks the 40-byte header and the total length.
pub fn read_header(bytes: &[u8]) -> Result<CompactHeader> {
    if bytes.len() < HEADER_BYTES {
        return Err(CoreError::format(format!(
            "the file has {} bytes, fewer than the {HEADER_BYTES}-byte header (truncated download?)",
            bytes.len()
        )));
    }
    if &bytes[0..8] != MAGIC {
        return Err(CoreError::format(
            "not an RNN Lab word-vector file (the first 8 bytes are not \"RNNLABWV\")",
        ));
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(CoreError::format(format!(
            "format version {version} is not supported (this build reads version {VERSION})"
        )));
    }
    let n = u32_at(bytes, 12) as usize;
    let dim = u32_at(bytes, 16) as usize;
    let enc = u32_at(bytes, 20);
    let b = u32_at(bytes, 24) as usize;
    if enc != ENCODING_INT8_ROW_SCALE {
        return Err(CoreError::format(format!(
            "encoding {enc} is unknown (expected {ENCODING_INT8_ROW_SCALE}: int8 rows with f32 scales)"
        )));
    }
    if u32_at(bytes, 28) != 0 {
        return Err(CoreError::format("the reserved header field is not 0"));
    }
    if n == 0 || n > MAX_WORDS {
        return Err(CoreError::format(format!(
            "word count {n} is outside 1..={MAX_WORDS}"
        )));
    }
    if dim == 0 || dim > MAX_DIM {
        return Err(CoreError::format(format!(
            "dimension {dim} is outside 1..={MAX_DIM}"
        )));
    }
    // Bounded by the limits above, so this cannot overflow even on 32-bit wasm.
    let want = (HEADER_BYTES as u64) + 4 * n as u64 + (n as u64) * (dim as u64) + b as u64;
    if bytes.len() as u64 != want {
        return Err(CoreError::format(format!(
            "the file has {} bytes but its header ({n} words × {dim} dims, {b} vocabulary bytes) \
             needs exactly {want}",
            bytes.len()
        )));
    }
    Ok(CompactHeader {
        words: n,
        dim,
        vocab_bytes: b,
    })
}

impl WordVectors {
    /// Parses and validates a compact file (see the module docs for the format and the checks).
    pub fn from_compact(bytes: &[u8]) -> Result<WordVectors> {
        let h = read_header(bytes)?;
        let stored = u64::from_le_bytes([
            bytes[32], bytes[33], bytes[34], bytes[35], bytes[36], bytes[37], bytes[38], bytes[39],
        ]);
        let actual = fnv1a64(&bytes[HEADER_BYTES..]);
        if stored != actual {
            return Err(CoreError::format(format!(
                "checksum mismatch (stored {stored:016x}, computed {actual:016x}): the file is corrupted"
            )));
        }
        let (n, d) = (h.words, h.dim);
        let s_off = HEADER_BYTES;
        let q_off = s_off + 4 * n;
        let v_off = q_off + n * d;
        let text = std::str::from_utf8(&bytes[v_off..])
            .map_err(|e| CoreError::format(format!("vocabulary is not UTF-8 ({e})")))?;
        if !text.ends_with('\n') {
            return Err(CoreError::format("vocabulary does not end with a newline"));
        }
        let words = parse_vocab_lines(text)?;
        if words.len() != n {
            return Err(CoreError::format(format!(
                "the header says {n} words but the vocabulary has {}",
                words.len()
            )));
        }
        let mut rows = vec![0.0f32; n * d]; // (N, D)
        for i in 0..n {
            let o = s_off + 4 * i;
            let s = f32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
            if !s.is_finite() || s < 0.0 {
                return Err(CoreError::format(format!(
                    "scale of row {} (\"{}\") is {s}, not a finite number ≥ 0",
                    i + 1,
                    words[i]
                )));
            }
            let q = &bytes[q_off + i * d..q_off + (i + 1) * d];
            if s == 0.0 && q.iter().any(|&c| c != 0) {
                return Err(CoreError::format(format!(
                    "row {} has scale 0 but non-zero codes",
                    i + 1
                )));
            }
            if q.contains(&0x80) {
                return Err(CoreError::format(format!(
                    "row {} uses the code −128, which the format never writes",
                    i + 1
                )));
            }
            for (r, &c) in rows[i * d..(i + 1) * d].iter_mut().zip(q) {
                *r = s * (c as i8) as f32;
            }
        }
        WordVectors::from_rows_owned(words, rows, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantisation_of_one_row() {
        // max |v| = 2.54 → s = 0.02; 1.0/0.02 = 50, −2.54/0.02 = −127, 0.011/0.02 = 0.55 → 1.
        let (s, q) = quantise_row(&[1.0, -2.54, 0.011, 0.0]);
        assert!((s - 0.02).abs() < 1e-8);
        assert_eq!(q, vec![50, -127, 1, 0]);
        assert_eq!(quantise_row(&[0.0, 0.0]), (0.0, vec![0, 0]));
    }

    #[test]
    fn fnv_reference_values() {
        // Published FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
