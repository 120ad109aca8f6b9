//! The study's weight entropy: a Gaussian kernel density estimate of all `N²` signed weights,
//! read on a 100-point grid and turned into a Shannon entropy in bits.
//!
//! Definition (the study's `model_metrics`, scipy `gaussian_kde` with Scott's rule):
//! - data `x_1..x_n`, `n = N²`, all entries of `W` (diagonal included);
//! - bandwidth `h = s · n^{−1/5}` with `s²` the unbiased variance (`np.cov`, `ddof = 1`);
//! - grid `g_0..g_99 = linspace(min x, max x, 100)`;
//! - `f_k ∝ Σ_i exp(−(g_k − x_i)² / (2h²))` (scipy's constant factor cancels below);
//! - `p_k = f_k / Σ_j f_j`, `H = −Σ_k p_k log2 p_k` (`scipy.stats.entropy(p, base=2)`), so
//!   `0 ≤ H ≤ log2 100 ≈ 6.644`.
//!
//! The sum has `100·n` Gaussian terms (9.7 million for `N = 312`). Instead of one `exp` per
//! term, each datum starts at its nearest grid point `k*` (offset `δ = (g_{k*} − x_i)/h`,
//! `|δ| ≤ Δ/2` with `Δ` the whitened grid step) and walks outwards with the exact ratio
//! `K_{k*±(m+1)} / K_{k*±m} = exp(∓δΔ) · exp(−(2m+1)Δ²/2)`: two `exp`s per datum, then one
//! multiply per grid point. The kernel is unimodal, so each walk stops once its term falls
//! below `2⁻⁶⁰` of the datum's peak term; what is dropped is below `100 · 2⁻⁶⁰ ≈ 1e−16` of
//! that datum's mass. Rounding grows by one ulp per step, at most 99 steps: agreement with
//! scipy's direct sum is ~1e−14 relative, far inside the fixtures' 1e−9.

use ndarray::ArrayView2;

use super::{MetricKind, MetricsError, check_weights};

/// Grid points of the study's density estimate.
pub const GRID_POINTS: usize = 100;

/// Stop a kernel walk once a term is below this fraction of the datum's peak (`2⁻⁶⁰`).
const WALK_CUTOFF: f64 = 8.673_617_379_884_035e-19;

/// Shannon entropy (bits) of the study's KDE of all `N²` signed weights (module docs).
///
/// Reference: the study's `model_metrics`; scipy `stats.gaussian_kde` (Scott's factor
/// `n^{−1/(d+4)}`, D. W. Scott, *Multivariate Density Estimation*, Wiley 1992) and
/// `stats.entropy`; C. E. Shannon, Bell Syst. Tech. J. 27:379–423, 1948.
///
/// # Shapes
/// `w`: `(n, n)` → scalar in `[0, log2 100]`.
///
/// # Errors
/// [`MetricsError::Empty`], [`MetricsError::NotSquare`], [`MetricsError::NonFinite`] (named
/// `"W"`); [`MetricsError::Undefined`] when all weights are equal (zero bandwidth: scipy
/// raises `LinAlgError` there) or `W` has a single entry.
pub fn weight_entropy(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    check_weights("W", w)?;
    let data: Vec<f64> = w.iter().copied().collect();
    let probabilities = kde_grid_probabilities(&data)?;
    Ok(probabilities
        .iter()
        .filter(|&&p| p > 0.0)
        .map(|&p| -p * p.log2())
        .sum())
}

/// The study's normalised density on the 100-point grid (module docs): `p_k`, summing to 1.
///
/// # Shapes
/// `data`: `n ≥ 2` finite values (validated by [`weight_entropy`]) → `[f64; 100]`.
///
/// # Errors
/// [`MetricsError::Undefined`] for fewer than 2 values or zero variance.
pub(crate) fn kde_grid_probabilities(data: &[f64]) -> Result<[f64; GRID_POINTS], MetricsError> {
    let undefined = |reason: &str| MetricsError::Undefined {
        metric: MetricKind::Entropy,
        reason: reason.into(),
    };
    let n = data.len();
    if n < 2 {
        return Err(undefined("a density estimate needs at least 2 weights"));
    }
    let mean = data.iter().sum::<f64>() / n as f64;
    let variance = data.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let (min, max) = data
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    if variance <= 0.0 || max <= min {
        return Err(undefined(
            "all weights are equal, so the kernel bandwidth is 0 (scipy raises LinAlgError)",
        ));
    }
    if !variance.is_finite() {
        return Err(undefined("the weights' variance overflows f64"));
    }
    let bandwidth = variance.sqrt() * (n as f64).powf(-0.2);
    // np.linspace(min, max, 100): g_k = k·step + min, the last point set to max exactly.
    let step = (max - min) / (GRID_POINTS - 1) as f64;
    let mut grid = [0.0; GRID_POINTS];
    for (k, g) in grid.iter_mut().enumerate() {
        *g = k as f64 * step + min;
    }
    grid[GRID_POINTS - 1] = max;

    let delta = step / bandwidth;
    let half_delta_sq = 0.5 * delta * delta;
    let mut density = [0.0; GRID_POINTS];
    if half_delta_sq > 300.0 {
        // Grid points more than ~24 bandwidths apart: the walk's ratio factors would
        // overflow, and every datum's mass sits on its nearest point anyway. Sum directly.
        for &x in data {
            for (f, &g) in density.iter_mut().zip(&grid) {
                let r = (g - x) / bandwidth;
                *f += (-0.5 * r * r).exp();
            }
        }
    } else {
        // decay[m] = exp(−(2m+1)Δ²/2): the ratio of consecutive terms at distance m → m+1.
        let mut decay = [0.0; GRID_POINTS];
        for (m, d) in decay.iter_mut().enumerate() {
            *d = (-((2 * m + 1) as f64) * half_delta_sq).exp();
        }
        for &x in data {
            let nearest = (((x - min) / step).round() as usize).min(GRID_POINTS - 1);
            let offset = (grid[nearest] - x) / bandwidth;
            let peak = (-0.5 * offset * offset).exp();
            let cutoff = peak * WALK_CUTOFF;
            density[nearest] += peak;
            let up = (-offset * delta).exp();
            let mut term = peak;
            for (m, f) in density[nearest + 1..].iter_mut().enumerate() {
                term *= up * decay[m];
                if term < cutoff {
                    break;
                }
                *f += term;
            }
            let down = (offset * delta).exp();
            let mut term = peak;
            for (m, f) in density[..nearest].iter_mut().rev().enumerate() {
                term *= down * decay[m];
                if term < cutoff {
                    break;
                }
                *f += term;
            }
        }
    }
    let total: f64 = density.iter().sum();
    Ok(density.map(|f| f / total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The definition term by term: one `exp` per (grid point, datum).
    fn direct(data: &[f64]) -> [f64; GRID_POINTS] {
        let n = data.len() as f64;
        let mean = data.iter().sum::<f64>() / n;
        let var = data.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let h = var.sqrt() * n.powf(-0.2);
        let min = data.iter().copied().fold(f64::INFINITY, f64::min);
        let max = data.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut f = [0.0; GRID_POINTS];
        for (k, fk) in f.iter_mut().enumerate() {
            let g = if k == GRID_POINTS - 1 {
                max
            } else {
                k as f64 * (max - min) / 99.0 + min
            };
            *fk = data
                .iter()
                .map(|x| (-0.5 * ((g - x) / h).powi(2)).exp())
                .sum();
        }
        let total: f64 = f.iter().sum();
        f.map(|x| x / total)
    }

    #[test]
    fn the_kernel_walk_equals_the_direct_sum() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let gaussian: Vec<f64> = (0..4000)
            .map(|_| rng.random::<f64>() - rng.random::<f64>())
            .collect();
        // Heavy-tailed: a few large entries stretch the grid far beyond the bulk.
        let mut heavy = gaussian.clone();
        heavy[..5].copy_from_slice(&[40.0, -3.0, 25.0, 60.0, 90.0]);
        // One outlier among 10⁵ small values: the grid step is ~32 bandwidths (direct sum).
        let mut outlier: Vec<f64> = (0..100_000).map(|_| rng.random::<f64>()).collect();
        outlier[17] = 1e6;
        for data in [&gaussian, &heavy, &outlier] {
            let fast = kde_grid_probabilities(data).unwrap();
            let slow = direct(data);
            for (a, b) in fast.iter().zip(&slow) {
                assert!((a - b).abs() <= 1e-13 * b.max(1e-300) + 1e-17, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn entropy_is_bounded_and_typed_errors_replace_nan() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let w = Array2::from_shape_fn((30, 30), |_| rng.random::<f64>());
        let h = weight_entropy(w.view()).unwrap();
        assert!(h > 5.0 && h < (GRID_POINTS as f64).log2(), "{h}");
        let constant = Array2::from_elem((4, 4), 0.3);
        assert!(matches!(
            weight_entropy(constant.view()),
            Err(MetricsError::Undefined {
                metric: MetricKind::Entropy,
                ..
            })
        ));
        assert!(matches!(
            weight_entropy(Array2::from_elem((1, 1), 1.0).view()),
            Err(MetricsError::Undefined { .. })
        ));
        assert!(matches!(
            weight_entropy(Array2::<f64>::zeros((0, 0)).view()),
            Err(MetricsError::Empty { .. })
        ));
    }
}
