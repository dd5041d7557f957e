//! Small dense linear algebra for the gradient-flow views: spectral norm (largest singular value) by
//! power iteration, spectral radius (largest |eigenvalue|) by repeated squaring, and rescaling a
//! matrix to a given spectral radius.
//!
//! Why both: the vanishing/exploding story is about the *spectral radius* ρ(W_hh) (Pascanu, Mikolov
//! and Bengio 2013: ρ < 1 is sufficient for vanishing with tanh, ρ > 1 necessary for exploding),
//! while a single step's amplification of a gradient is bounded by the *spectral norm*
//! ‖∂h_t/∂h_{t−1}‖₂ ≥ ρ. All matrices are row-major `f64` slices of shape (rows, cols).

use crate::core::error::{CoreError, Result};

fn matvec(a: &[f64], rows: usize, cols: usize, x: &[f64], y: &mut [f64]) {
    for r in 0..rows {
        y[r] = a[r * cols..(r + 1) * cols]
            .iter()
            .zip(x)
            .map(|(p, q)| p * q)
            .sum();
    }
}

fn matvec_t(a: &[f64], rows: usize, cols: usize, x: &[f64], y: &mut [f64]) {
    y.iter_mut().for_each(|v| *v = 0.0);
    for r in 0..rows {
        let xr = x[r];
        for (yc, acol) in y.iter_mut().zip(&a[r * cols..(r + 1) * cols]) {
            *yc += xr * acol;
        }
    }
}

fn norm2(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Largest singular value ‖A‖₂ of a (rows, cols) matrix, by power iteration on AᵀA from a fixed,
/// deterministic start vector. Returns 0 for a zero matrix and NaN when A has non-finite entries.
/// See [`spectral_norm_warm`] for the stopping rule.
pub fn spectral_norm(a: &[f64], rows: usize, cols: usize) -> f64 {
    spectral_norm_warm(a, rows, cols, &mut Vec::new())
}

/// [`spectral_norm`] started from `v` (the right singular vector of a similar matrix, e.g. the
/// previous timestep's Jacobian), which it overwrites with this matrix's right singular vector. An
/// empty or wrong-length `v` means a fixed default start. Consecutive Jacobians of a sequence are
/// close, so a warm start saves most of the iterations.
///
/// Stops when σ changes by less than 1e-13 relative between rounds, or after 20 000 rounds. The
/// error left is about that change × r/(1 − r) with r = (σ₂/σ₁)², i.e. ~1e-11 even when the two
/// top singular values are within 1% of each other.
pub fn spectral_norm_warm(a: &[f64], rows: usize, cols: usize, v: &mut Vec<f64>) -> f64 {
    if rows == 0 || cols == 0 {
        return 0.0;
    }
    if a.iter().any(|x| !x.is_finite()) {
        return f64::NAN;
    }
    let usable = v.len() == cols && v.iter().all(|x| x.is_finite()) && norm2(v) > 0.0;
    if !usable {
        // A start vector with no special structure, so it is not orthogonal to the top singular
        // vector.
        *v = (0..cols)
            .map(|i| 1.0 + 0.37 * ((i as f64 + 1.0) * 1.618).sin())
            .collect();
    }
    let n = norm2(v);
    v.iter_mut().for_each(|x| *x /= n);
    let mut av = vec![0.0; rows];
    let mut w = vec![0.0; cols];
    let mut sigma = 0.0;
    for _ in 0..20_000 {
        matvec(a, rows, cols, v, &mut av);
        let s = norm2(&av);
        matvec_t(a, rows, cols, &av, &mut w);
        let wn = norm2(&w);
        if wn == 0.0 {
            return s;
        }
        for (vi, wi) in v.iter_mut().zip(&w) {
            *vi = wi / wn;
        }
        if (s - sigma).abs() <= 1e-13 * s {
            return s;
        }
        sigma = s;
    }
    sigma
}

/// Spectral radius ρ(A) = max |λ| of a square (n, n) matrix, from Gelfand's formula
/// ρ = lim ‖A^k‖^{1/k} evaluated by repeated squaring with rescaling: after m squarings,
/// log ρ ≈ log‖A^{2^m}‖ / 2^m, accurate to ~log(κ)/2^m. Stops when the estimate changes by less
/// than 1e-15 (relative), at most 80 squarings. Cost O(n³) per squaring.
pub fn spectral_radius(a: &[f64], n: usize) -> Result<f64> {
    if a.len() != n * n {
        return Err(CoreError::shape("matrix", format!("({n}, {n})"), a.len()));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(CoreError::non_finite("matrix"));
    }
    if n == 0 {
        return Ok(0.0);
    }
    let fro = |m: &[f64]| m.iter().map(|x| x * x).sum::<f64>().sqrt();
    let s0 = fro(a);
    if s0 == 0.0 {
        return Ok(0.0);
    }
    let mut b: Vec<f64> = a.iter().map(|x| x / s0).collect();
    let mut log_scale = s0.ln(); // A^(2^k) = e^{log_scale} B_k
    let mut tmp = vec![0.0; n * n];
    let mut est = f64::NAN;
    for k in 0..80 {
        // tmp = B·B
        tmp.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            for l in 0..n {
                let bil = b[i * n + l];
                if bil != 0.0 {
                    let (row_out, row_b) = (i * n, l * n);
                    for j in 0..n {
                        tmp[row_out + j] += bil * b[row_b + j];
                    }
                }
            }
        }
        let s = fro(&tmp);
        if s == 0.0 {
            return Ok(0.0); // nilpotent
        }
        log_scale = 2.0 * log_scale + s.ln();
        for (bv, tv) in b.iter_mut().zip(&tmp) {
            *bv = tv / s;
        }
        let new_est = (log_scale / 2f64.powi(k + 1)).exp();
        if (new_est - est).abs() <= 1e-15 * new_est {
            return Ok(new_est);
        }
        est = new_est;
    }
    Ok(est)
}

/// Rescales A in place so that its spectral radius becomes exactly `target` (up to rounding), and
/// returns the radius it had before.
pub fn rescale_to_radius(a: &mut [f64], n: usize, target: f64) -> Result<f64> {
    if !(target.is_finite() && target >= 0.0) {
        return Err(CoreError::invalid(
            "spectral radius",
            "must be a finite number ≥ 0",
        ));
    }
    let rho = spectral_radius(a, n)?;
    if rho == 0.0 {
        return Err(CoreError::invalid(
            "spectral radius",
            "the matrix is nilpotent (radius 0): cannot rescale it",
        ));
    }
    let f = target / rho;
    a.iter_mut().for_each(|v| *v *= f);
    Ok(rho)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spectral_norm_by_hand() {
        // A = [[3, 0], [4, 5]]: AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5, so ‖A‖₂ = √45.
        let a = [3.0, 0.0, 4.0, 5.0];
        assert!((spectral_norm(&a, 2, 2) - 45f64.sqrt()).abs() < 1e-12);
        // A rectangular one: [[1, 2, 2]] has norm 3.
        assert!((spectral_norm(&[1.0, 2.0, 2.0], 1, 3) - 3.0).abs() < 1e-12);
        assert_eq!(spectral_norm(&[0.0; 4], 2, 2), 0.0);
    }

    #[test]
    fn spectral_radius_by_hand() {
        // [[3, 0], [4, 5]] is triangular: eigenvalues 3 and 5, ρ = 5 (while ‖A‖₂ = √45 ≈ 6.7).
        assert!((spectral_radius(&[3.0, 0.0, 4.0, 5.0], 2).unwrap() - 5.0).abs() < 1e-12);
        // A rotation by 90° scaled by 0.9: eigenvalues ±0.9i (a complex pair), ρ = 0.9.
        assert!((spectral_radius(&[0.0, -0.9, 0.9, 0.0], 2).unwrap() - 0.9).abs() < 1e-12);
        // A Jordan block [[0.5, 1], [0, 0.5]]: ρ = 0.5 although the norm is larger.
        assert!((spectral_radius(&[0.5, 1.0, 0.0, 0.5], 2).unwrap() - 0.5).abs() < 1e-9);
        // Nilpotent: ρ = 0.
        assert_eq!(spectral_radius(&[0.0, 1.0, 0.0, 0.0], 2).unwrap(), 0.0);
        // Eigenvalues 2 and −2 (equal modulus, opposite sign): [[0, 4], [1, 0]].
        assert!((spectral_radius(&[0.0, 4.0, 1.0, 0.0], 2).unwrap() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn rescale_hits_the_target() {
        let mut a = [3.0, 0.0, 4.0, 5.0];
        let before = rescale_to_radius(&mut a, 2, 1.5).unwrap();
        assert!((before - 5.0).abs() < 1e-12);
        assert!((spectral_radius(&a, 2).unwrap() - 1.5).abs() < 1e-12);
        assert!(rescale_to_radius(&mut [0.0, 1.0, 0.0, 0.0], 2, 1.0).is_err());
        assert!(spectral_radius(&[f64::NAN], 1).is_err());
    }
}
