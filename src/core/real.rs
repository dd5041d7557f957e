//! The float type of the core, and the few dense kernels every hot loop is built from.
//!
//! The core is generic over [`Real`]: `f64` for verification against PyTorch and for the step-through
//! views, `f32` for fast training. All heavy work goes through five slice kernels — [`Real::dot`],
//! [`Real::axpy`], [`Real::gemv_acc`], [`Real::gemv_t_acc`] and [`Real::ger_acc`] — so that one place
//! decides how they are vectorised. For `f32` on `wasm32` with the `simd128` target feature they use
//! explicit 128-bit SIMD (four lanes, several independent accumulators); everywhere else they are
//! plain loops written with independent accumulators that the compiler can vectorise.
//!
//! Matrices are row-major slices: `w[r * cols + c]`.

use num_traits::{Float, FromPrimitive, NumAssign, ToPrimitive};
use std::fmt::{Debug, Display};

/// A floating-point scalar the core can compute with (`f32` or `f64`).
pub trait Real:
    Float
    + NumAssign
    + FromPrimitive
    + ToPrimitive
    + Debug
    + Display
    + Default
    + Send
    + Sync
    + 'static
    + ndarray::ScalarOperand
    + ndarray::LinalgScalar
    + serde::Serialize
    + for<'de> serde::Deserialize<'de>
{
    /// Short name of the type, for error messages and the model format (`"f32"`, `"f64"`).
    const NAME: &'static str;

    /// Converts an `f64` constant (lossy for `f32`).
    fn c(x: f64) -> Self {
        <Self as FromPrimitive>::from_f64(x).unwrap_or_else(Self::nan)
    }

    /// Widens to `f64` (exact for both types).
    fn f64(self) -> f64 {
        self.to_f64().unwrap_or(f64::NAN)
    }

    /// Σ_i a_i b_i. `a` and `b` must have the same length.
    fn dot(a: &[Self], b: &[Self]) -> Self {
        generic::dot(a, b)
    }

    /// y ← y + α x.
    fn axpy(alpha: Self, x: &[Self], y: &mut [Self]) {
        generic::axpy(alpha, x, y)
    }

    /// y ← y + W x, with `w` of shape (rows, cols) = (y.len(), x.len()), row-major.
    fn gemv_acc(w: &[Self], x: &[Self], y: &mut [Self]) {
        generic::gemv_acc(w, x, y)
    }

    /// y ← y + Wᵀ v, with `w` of shape (rows, cols) = (v.len(), y.len()), row-major.
    fn gemv_t_acc(w: &[Self], v: &[Self], y: &mut [Self]) {
        generic::gemv_t_acc(w, v, y)
    }

    /// W ← W + u vᵀ (rank-one update), with `w` of shape (u.len(), v.len()), row-major.
    fn ger_acc(w: &mut [Self], u: &[Self], v: &[Self]) {
        generic::ger_acc(w, u, v)
    }
}

impl Real for f64 {
    const NAME: &'static str = "f64";
}

impl Real for f32 {
    const NAME: &'static str = "f32";

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        simd::dot(a, b)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
        simd::axpy(alpha, x, y)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn gemv_acc(w: &[f32], x: &[f32], y: &mut [f32]) {
        simd::gemv_acc(w, x, y)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn gemv_t_acc(w: &[f32], v: &[f32], y: &mut [f32]) {
        simd::gemv_t_acc(w, v, y)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn ger_acc(w: &mut [f32], u: &[f32], v: &[f32]) {
        simd::ger_acc(w, u, v)
    }
}

/// Portable kernels, written with independent accumulators so that the compiler can vectorise them.
pub mod generic {
    use super::Real;

    /// Σ_i a_i b_i with eight independent partial sums.
    #[inline]
    pub fn dot<F: Real>(a: &[F], b: &[F]) -> F {
        debug_assert_eq!(a.len(), b.len());
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let mut acc = [F::zero(); 8];
        let ca = a.chunks_exact(8);
        let cb = b.chunks_exact(8);
        let (ra, rb) = (ca.remainder(), cb.remainder());
        for (x, y) in ca.zip(cb) {
            for k in 0..8 {
                acc[k] += x[k] * y[k];
            }
        }
        let mut tail = F::zero();
        for (x, y) in ra.iter().zip(rb) {
            tail += *x * *y;
        }
        ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
    }

    /// y ← y + α x.
    #[inline]
    pub fn axpy<F: Real>(alpha: F, x: &[F], y: &mut [F]) {
        debug_assert_eq!(x.len(), y.len());
        for (yi, xi) in y.iter_mut().zip(x) {
            *yi += alpha * *xi;
        }
    }

    /// y ← y + W x.
    #[inline]
    pub fn gemv_acc<F: Real>(w: &[F], x: &[F], y: &mut [F]) {
        let cols = x.len();
        debug_assert_eq!(w.len(), y.len() * cols);
        if cols == 0 {
            return;
        }
        for (yi, row) in y.iter_mut().zip(w.chunks_exact(cols)) {
            *yi += dot(row, x);
        }
    }

    /// y ← y + Wᵀ v, as a sum of scaled rows (each row is contiguous).
    #[inline]
    pub fn gemv_t_acc<F: Real>(w: &[F], v: &[F], y: &mut [F]) {
        let cols = y.len();
        debug_assert_eq!(w.len(), v.len() * cols);
        if cols == 0 {
            return;
        }
        let mut rows = w.chunks_exact(cols);
        let mut vs = v.chunks_exact(4);
        // Four rows at a time: y is read and written once per four rows.
        for vq in vs.by_ref() {
            let (r0, r1, r2, r3) = (
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
            );
            let (a0, a1, a2, a3) = (vq[0], vq[1], vq[2], vq[3]);
            for (j, yj) in y.iter_mut().enumerate() {
                *yj += (a0 * r0[j] + a1 * r1[j]) + (a2 * r2[j] + a3 * r3[j]);
            }
        }
        for (vi, row) in vs.remainder().iter().zip(rows) {
            axpy(*vi, row, y);
        }
    }

    /// W ← W + u vᵀ.
    #[inline]
    pub fn ger_acc<F: Real>(w: &mut [F], u: &[F], v: &[F]) {
        let cols = v.len();
        debug_assert_eq!(w.len(), u.len() * cols);
        if cols == 0 {
            return;
        }
        for (ui, row) in u.iter().zip(w.chunks_exact_mut(cols)) {
            if *ui != F::zero() {
                axpy(*ui, v, row);
            }
        }
    }
}

/// Explicit wasm SIMD128 kernels for `f32` (four lanes).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[inline(always)]
    fn load(s: &[f32], i: usize) -> v128 {
        debug_assert!(i + 4 <= s.len());
        // SAFETY: callers keep i + 4 <= s.len(); v128_load has no alignment requirement.
        unsafe { v128_load(s.as_ptr().add(i) as *const v128) }
    }

    #[inline(always)]
    fn store(s: &mut [f32], i: usize, v: v128) {
        debug_assert!(i + 4 <= s.len());
        // SAFETY: as in `load`.
        unsafe { v128_store(s.as_mut_ptr().add(i) as *mut v128, v) }
    }

    #[inline(always)]
    fn hsum(v: v128) -> f32 {
        (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<1>(v))
            + (f32x4_extract_lane::<2>(v) + f32x4_extract_lane::<3>(v))
    }

    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let mut acc0 = f32x4_splat(0.0);
        let mut acc1 = f32x4_splat(0.0);
        let mut acc2 = f32x4_splat(0.0);
        let mut acc3 = f32x4_splat(0.0);
        let mut i = 0;
        while i + 16 <= n {
            acc0 = f32x4_add(acc0, f32x4_mul(load(a, i), load(b, i)));
            acc1 = f32x4_add(acc1, f32x4_mul(load(a, i + 4), load(b, i + 4)));
            acc2 = f32x4_add(acc2, f32x4_mul(load(a, i + 8), load(b, i + 8)));
            acc3 = f32x4_add(acc3, f32x4_mul(load(a, i + 12), load(b, i + 12)));
            i += 16;
        }
        while i + 4 <= n {
            acc0 = f32x4_add(acc0, f32x4_mul(load(a, i), load(b, i)));
            i += 4;
        }
        let mut s = hsum(f32x4_add(f32x4_add(acc0, acc1), f32x4_add(acc2, acc3)));
        while i < n {
            s += a[i] * b[i];
            i += 1;
        }
        s
    }

    pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
        let n = x.len().min(y.len());
        let va = f32x4_splat(alpha);
        let mut i = 0;
        while i + 4 <= n {
            store(y, i, f32x4_add(load(y, i), f32x4_mul(va, load(x, i))));
            i += 4;
        }
        while i < n {
            y[i] += alpha * x[i];
            i += 1;
        }
    }

    /// y += W x, four rows at a time so that each load of x serves four rows.
    pub fn gemv_acc(w: &[f32], x: &[f32], y: &mut [f32]) {
        let cols = x.len();
        let rows = y.len();
        if cols == 0 || w.len() < rows * cols {
            return;
        }
        let c4 = cols & !3;
        let mut r = 0;
        while r + 4 <= rows {
            let (w0, w1, w2, w3) = (
                &w[r * cols..(r + 1) * cols],
                &w[(r + 1) * cols..(r + 2) * cols],
                &w[(r + 2) * cols..(r + 3) * cols],
                &w[(r + 3) * cols..(r + 4) * cols],
            );
            let mut a0 = f32x4_splat(0.0);
            let mut a1 = f32x4_splat(0.0);
            let mut a2 = f32x4_splat(0.0);
            let mut a3 = f32x4_splat(0.0);
            let mut j = 0;
            while j < c4 {
                let xv = load(x, j);
                a0 = f32x4_add(a0, f32x4_mul(load(w0, j), xv));
                a1 = f32x4_add(a1, f32x4_mul(load(w1, j), xv));
                a2 = f32x4_add(a2, f32x4_mul(load(w2, j), xv));
                a3 = f32x4_add(a3, f32x4_mul(load(w3, j), xv));
                j += 4;
            }
            let (mut s0, mut s1, mut s2, mut s3) = (hsum(a0), hsum(a1), hsum(a2), hsum(a3));
            while j < cols {
                s0 += w0[j] * x[j];
                s1 += w1[j] * x[j];
                s2 += w2[j] * x[j];
                s3 += w3[j] * x[j];
                j += 1;
            }
            y[r] += s0;
            y[r + 1] += s1;
            y[r + 2] += s2;
            y[r + 3] += s3;
            r += 4;
        }
        while r < rows {
            y[r] += dot(&w[r * cols..(r + 1) * cols], x);
            r += 1;
        }
    }

    /// y += Wᵀ v, four rows at a time so that y is loaded and stored once per four rows.
    pub fn gemv_t_acc(w: &[f32], v: &[f32], y: &mut [f32]) {
        let cols = y.len();
        let rows = v.len();
        if cols == 0 || w.len() < rows * cols {
            return;
        }
        let c4 = cols & !3;
        let mut r = 0;
        while r + 4 <= rows {
            let (w0, w1, w2, w3) = (
                &w[r * cols..(r + 1) * cols],
                &w[(r + 1) * cols..(r + 2) * cols],
                &w[(r + 2) * cols..(r + 3) * cols],
                &w[(r + 3) * cols..(r + 4) * cols],
            );
            let (b0, b1, b2, b3) = (v[r], v[r + 1], v[r + 2], v[r + 3]);
            let (v0, v1, v2, v3) = (
                f32x4_splat(b0),
                f32x4_splat(b1),
                f32x4_splat(b2),
                f32x4_splat(b3),
            );
            let mut j = 0;
            while j < c4 {
                let s = f32x4_add(
                    f32x4_add(f32x4_mul(v0, load(w0, j)), f32x4_mul(v1, load(w1, j))),
                    f32x4_add(f32x4_mul(v2, load(w2, j)), f32x4_mul(v3, load(w3, j))),
                );
                store(y, j, f32x4_add(load(y, j), s));
                j += 4;
            }
            while j < cols {
                y[j] += (b0 * w0[j] + b1 * w1[j]) + (b2 * w2[j] + b3 * w3[j]);
                j += 1;
            }
            r += 4;
        }
        while r < rows {
            axpy(v[r], &w[r * cols..(r + 1) * cols], y);
            r += 1;
        }
    }

    pub fn ger_acc(w: &mut [f32], u: &[f32], v: &[f32]) {
        let cols = v.len();
        if cols == 0 {
            return;
        }
        for (ui, row) in u.iter().zip(w.chunks_exact_mut(cols)) {
            if *ui != 0.0 {
                axpy(*ui, v, row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_gemv(w: &[f64], rows: usize, cols: usize, x: &[f64]) -> Vec<f64> {
        (0..rows)
            .map(|r| (0..cols).map(|c| w[r * cols + c] * x[c]).sum())
            .collect()
    }

    #[test]
    fn kernels_match_naive_loops_on_odd_sizes() {
        // Sizes that exercise every remainder path (not multiples of 4 or 8).
        for &(rows, cols) in &[(1, 1), (3, 5), (7, 13), (9, 17), (16, 16)] {
            let w: Vec<f64> = (0..rows * cols)
                .map(|k| ((k * 7 % 11) as f64) - 5.0)
                .collect();
            let x: Vec<f64> = (0..cols).map(|k| (k as f64) * 0.5 - 1.0).collect();
            let v: Vec<f64> = (0..rows).map(|k| 2.0 - k as f64).collect();
            let mut y = vec![1.0; rows];
            f64::gemv_acc(&w, &x, &mut y);
            let want: Vec<f64> = naive_gemv(&w, rows, cols, &x)
                .iter()
                .map(|a| a + 1.0)
                .collect();
            assert_eq!(y, want);
            let mut yt = vec![0.0; cols];
            f64::gemv_t_acc(&w, &v, &mut yt);
            for c in 0..cols {
                let want: f64 = (0..rows).map(|r| w[r * cols + c] * v[r]).sum();
                assert!((yt[c] - want).abs() < 1e-12);
            }
            let mut g = vec![0.0; rows * cols];
            f64::ger_acc(&mut g, &v, &x);
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(g[r * cols + c], v[r] * x[c]);
                }
            }
            // f32 goes through the same (or the SIMD) path.
            let w32: Vec<f32> = w.iter().map(|a| *a as f32).collect();
            let x32: Vec<f32> = x.iter().map(|a| *a as f32).collect();
            let mut y32 = vec![1.0f32; rows];
            f32::gemv_acc(&w32, &x32, &mut y32);
            for r in 0..rows {
                assert!((y32[r] as f64 - y[r]).abs() < 1e-4);
            }
        }
    }

    #[test]
    fn dot_of_small_integers() {
        assert_eq!(f64::dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]), 32.0);
        assert_eq!(f32::dot(&[], &[]), 0.0);
    }
}
