//! Principal component analysis by power iteration with deflation: how the lecture's 2-D pictures
//! of word vectors (king/queen, man/woman, company/CEO) are drawn from 50- or 100-dimensional rows.
//!
//! ```text
//! X̄ = X − mean(X)                      centred rows (n, d)
//! C = X̄ᵀ X̄ / (n − 1)                   covariance (d, d)
//! v ← C v / ‖C v‖  until v stops moving  power iteration: v → top eigenvector, λ = vᵀ C v
//! C ← C − λ v vᵀ                         deflation (Hotelling), then repeat for the next component
//! coordinates = X̄ V                     projections (n, k)
//! ```
//!
//! The start vector is fixed (a seeded normal draw), so results are deterministic. An eigenvector is
//! only defined up to sign; the convention here is that **the entry of largest magnitude is
//! positive** (the first such entry on ties), so pictures do not flip between runs.
//!
//! Reference: Golub and Van Loan, *Matrix Computations*, §7.3 (power method) and §8.2 (deflation).

use crate::core::error::{CoreError, Result};
use crate::core::rng::Rng;
use serde::Serialize;

/// The result of [`pca`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pca {
    /// Number of input rows n.
    pub n: usize,
    /// Input dimension d.
    pub dim: usize,
    /// Number of components k.
    pub k: usize,
    /// Column means (d,).
    pub mean: Vec<f64>,
    /// Principal directions, one unit row per component (k, d).
    pub components: Vec<f64>,
    /// Eigenvalues λ (variance along each component), descending (k,).
    pub variances: Vec<f64>,
    /// λ / trace(C): share of the total variance per component (k,); 0 when the data do not vary.
    pub explained_ratio: Vec<f64>,
    /// Coordinates of the input rows (n, k), row-major.
    pub projections: Vec<f64>,
    /// Power iterations used per component (k,).
    pub iterations: Vec<usize>,
    /// True when every component converged within the iteration limit.
    pub converged: bool,
}

impl Pca {
    /// Coordinates of a new row (d,) on the same axes (k,).
    pub fn project(&self, row: &[f64]) -> Result<Vec<f64>> {
        if row.len() != self.dim {
            return Err(CoreError::shape("row", self.dim, row.len()));
        }
        Ok((0..self.k)
            .map(|c| {
                let v = &self.components[c * self.dim..(c + 1) * self.dim];
                row.iter()
                    .zip(&self.mean)
                    .zip(v)
                    .map(|((x, m), vi)| (x - m) * vi)
                    .sum()
            })
            .collect())
    }
}

const MAX_ITER: usize = 5000;
const TOL: f64 = 1e-12;

/// PCA of `rows` (n × d, row-major) onto `k` components (1 ≤ k ≤ d, n ≥ 2).
pub fn pca(rows: &[f64], n: usize, d: usize, k: usize) -> Result<Pca> {
    if n < 2 {
        return Err(CoreError::invalid("PCA", "needs at least 2 rows"));
    }
    if d == 0 || k == 0 || k > d {
        return Err(CoreError::invalid(
            "PCA",
            format!("need 1 ≤ components ({k}) ≤ dimension ({d})"),
        ));
    }
    if rows.len() != n * d {
        return Err(CoreError::shape("PCA rows", n * d, rows.len()));
    }
    if rows.iter().any(|x| !x.is_finite()) {
        return Err(CoreError::non_finite("PCA rows"));
    }
    let mut mean = vec![0.0; d]; // (d,)
    for r in rows.chunks_exact(d) {
        for (m, x) in mean.iter_mut().zip(r) {
            *m += x;
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    let centred: Vec<f64> = rows
        .chunks_exact(d)
        .flat_map(|r| r.iter().zip(&mean).map(|(x, m)| x - m).collect::<Vec<_>>())
        .collect(); // (n, d)
    let mut cov = vec![0.0; d * d]; // (d, d)
    for r in centred.chunks_exact(d) {
        for i in 0..d {
            let ri = r[i];
            if ri == 0.0 {
                continue;
            }
            for j in i..d {
                cov[i * d + j] += ri * r[j];
            }
        }
    }
    for i in 0..d {
        for j in i..d {
            let v = cov[i * d + j] / (n - 1) as f64;
            cov[i * d + j] = v;
            cov[j * d + i] = v;
        }
    }
    let trace: f64 = (0..d).map(|i| cov[i * d + i]).sum();

    let mut rng = Rng::new(0x0005_EED0_F9CA);
    let mut components = Vec::with_capacity(k * d);
    let mut variances = Vec::with_capacity(k);
    let mut iterations = Vec::with_capacity(k);
    let mut converged = true;
    let mut w = vec![0.0; d];
    for _ in 0..k {
        let mut v: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
        // Start orthogonal to the components already found (they are eigenvectors of the deflated
        // matrix with eigenvalue ~0, so this only speeds things up).
        orthogonalise(&mut v, &components, d);
        normalise(&mut v);
        let mut lambda = 0.0;
        let mut it = 0;
        let mut done = false;
        while it < MAX_ITER {
            it += 1;
            matvec(&cov, &v, &mut w);
            lambda = dot(&v, &w);
            let nw = norm(&w);
            if nw <= 1e-300 {
                // The remaining variance is zero: any orthogonal direction will do.
                done = true;
                break;
            }
            for x in &mut w {
                *x /= nw;
            }
            let diff: f64 = v
                .iter()
                .zip(&w)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt();
            std::mem::swap(&mut v, &mut w);
            if diff < TOL {
                done = true;
                break;
            }
        }
        converged &= done;
        orthogonalise(&mut v, &components, d);
        normalise(&mut v);
        // Sign convention: the largest-magnitude entry is positive.
        let mut arg = 0;
        for (i, x) in v.iter().enumerate() {
            if x.abs() > v[arg].abs() {
                arg = i;
            }
        }
        if v[arg] < 0.0 {
            for x in &mut v {
                *x = -*x;
            }
        }
        let lambda = lambda.max(0.0);
        // Hotelling deflation: C ← C − λ v vᵀ.
        for i in 0..d {
            for j in 0..d {
                cov[i * d + j] -= lambda * v[i] * v[j];
            }
        }
        components.extend_from_slice(&v);
        variances.push(lambda);
        iterations.push(it);
    }
    let explained_ratio = variances
        .iter()
        .map(|l| if trace > 0.0 { l / trace } else { 0.0 })
        .collect();
    let mut projections = Vec::with_capacity(n * k);
    for r in centred.chunks_exact(d) {
        for c in 0..k {
            projections.push(dot(r, &components[c * d..(c + 1) * d]));
        }
    }
    Ok(Pca {
        n,
        dim: d,
        k,
        mean,
        components,
        variances,
        explained_ratio,
        projections,
        iterations,
        converged,
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn normalise(v: &mut [f64]) {
    let n = norm(v);
    if n > 0.0 {
        for x in v.iter_mut() {
            *x /= n;
        }
    } else if let Some(first) = v.first_mut() {
        *first = 1.0;
    }
}

fn orthogonalise(v: &mut [f64], components: &[f64], d: usize) {
    for c in components.chunks_exact(d) {
        let p = dot(v, c);
        for (x, ci) in v.iter_mut().zip(c) {
            *x -= p * ci;
        }
    }
}

fn matvec(m: &[f64], v: &[f64], out: &mut [f64]) {
    let d = v.len();
    for (o, row) in out.iter_mut().zip(m.chunks_exact(d)) {
        *o = dot(row, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_aligned_cloud() {
        // Points ±3 e₁, ±1 e₂, ±0.5 e₃ (n = 6). Mean 0. Covariance = diag(18, 2, 0.5)/5.
        let rows = [
            3.0, 0.0, 0.0, -3.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0,
            -0.5,
        ];
        let p = pca(&rows, 6, 3, 2).unwrap();
        assert!(p.converged);
        assert!((p.variances[0] - 3.6).abs() < 1e-10);
        assert!((p.variances[1] - 0.4).abs() < 1e-10);
        assert!((p.explained_ratio[0] - 18.0 / 20.5).abs() < 1e-10);
        // Sign convention: the largest entry is positive, so e₁ and e₂ exactly.
        for (got, want) in p.components.iter().zip([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]) {
            assert!((got - want).abs() < 1e-9, "{:?}", p.components);
        }
        assert!((p.projections[0] - 3.0).abs() < 1e-9);
        assert!((p.projections[2] + 3.0).abs() < 1e-9);
        assert!((p.projections[5] - 1.0).abs() < 1e-9);
        let q = p.project(&[1.0, 2.0, 7.0]).unwrap();
        assert!((q[0] - 1.0).abs() < 1e-9 && (q[1] - 2.0).abs() < 1e-9);
    }

    #[test]
    fn diagonal_direction_and_errors() {
        // Points on the line y = x: one component (1, 1)/√2 with all the variance.
        let rows = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
        let p = pca(&rows, 3, 2, 2).unwrap();
        let s = std::f64::consts::FRAC_1_SQRT_2;
        assert!((p.components[0] - s).abs() < 1e-9 && (p.components[1] - s).abs() < 1e-9);
        // Variance along it: projections −√2, 0, √2 → (2 + 0 + 2)/2 = 2.
        assert!((p.variances[0] - 2.0).abs() < 1e-9);
        assert!(p.variances[1].abs() < 1e-9);
        assert!(pca(&rows, 1, 2, 1).is_err());
        assert!(pca(&rows, 3, 2, 3).is_err());
        assert!(pca(&rows[..5], 3, 2, 1).is_err());
        assert!(pca(&[f64::NAN, 0.0, 1.0, 1.0], 2, 2, 1).is_err());
        // Identical rows: zero variance, still a valid (unit, orthogonal) answer.
        let same = pca(&[1.0, 2.0, 1.0, 2.0], 2, 2, 2).unwrap();
        assert_eq!(same.explained_ratio, vec![0.0, 0.0]);
        let c = &same.components;
        assert!((c[0] * c[2] + c[1] * c[3]).abs() < 1e-9);
    }
}
