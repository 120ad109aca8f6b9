//! Percentiles as `numpy.percentile` computes them, and the seeded percentile bootstrap
//! interval of a mean built on them.
//!
//! # The percentile bootstrap (Efron & Tibshirani 1993, *An Introduction to the
//! Bootstrap*, ch. 13)
//!
//! For a sample `x` of size `n`, confidence level `c` and `B` resamples:
//!
//! 1. One `ChaCha8Rng::seed_from_u64(seed)` stream draws, for resample `b = 0, 1, …, B − 1`
//!    in turn, `n` indices `rng.random_range(0..n)` (uniform with replacement, `rand` 0.9),
//!    and the resample mean `x̄*_b = (1/n) Σ x[index]` is summed in draw order.
//! 2. The `B` means are sorted ascending.
//! 3. The interval is `[P(100·(1 − c)/2), P(100·(1 + c)/2)]` (the 2.5th and 97.5th
//!    percentiles at `c = 0.95`), with `P` [`percentile`]: numpy's default `'linear'`
//!    interpolation, so it equals `numpy.percentile(means, [2.5, 97.5])` of the same means.
//!
//! ChaCha8 (rather than `StdRng`) because its stream for a seed is fixed across platforms and
//! releases, so a stored seed reproduces the interval bit for bit. numpy's generators cannot
//! reproduce the stream, so the fixtures check step 3 on numpy-drawn indices and the
//! interval as a whole statistically.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::descriptive::{SummaryConfig, finite};
use super::{Interval, StatsError, check_confidence_level, check_sample};

/// The `percent`-th percentile of `values` (any order), as `numpy.percentile(values,
/// percent)` with its default `method='linear'` (Hyndman & Fan 1996, definition 7).
///
/// With the values sorted, `v₀ ≤ … ≤ v_{n−1}`, the virtual index is
/// `h = (n − 1) · percent / 100`, `j = ⌊h⌋`, `γ = h − j`, and the result is `v_{n−1}` when
/// `h ≥ n − 1`, otherwise the linear interpolation of `v_j` and `v_{j+1}` evaluated as numpy's
/// `_lerp` does: `v_j + (v_{j+1} − v_j)·γ` for `γ < 0.5` and `v_{j+1} − (v_{j+1} − v_j)·(1 − γ)`
/// for `γ ≥ 0.5` (the form that is exact at both ends).
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`], [`StatsError::InvalidPercent`]
/// unless `0 ≤ percent ≤ 100`.
pub fn percentile(values: &[f64], percent: f64) -> Result<f64, StatsError> {
    check_sample(values, 0)?;
    if !(0.0..=100.0).contains(&percent) {
        return Err(StatsError::InvalidPercent(percent));
    }
    Ok(percentile_of_sorted(&sorted(values), percent))
}

/// The equal-tailed percentile interval `[P(100·(1 − c)/2), P(100·(1 + c)/2)]` of `values`
/// with `P` the [`percentile`]; step 3 of the module's bootstrap, applied to any sample (e.g.
/// resample means drawn elsewhere).
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`],
/// [`StatsError::InvalidConfidenceLevel`] unless `0 < c < 1`.
pub fn percentile_interval(values: &[f64], confidence_level: f64) -> Result<Interval, StatsError> {
    check_sample(values, 0)?;
    check_confidence_level(confidence_level)?;
    let sorted = sorted(values);
    Ok(Interval {
        low: percentile_of_sorted(&sorted, 100.0 * (1.0 - confidence_level) / 2.0),
        high: percentile_of_sorted(&sorted, 100.0 * (1.0 + confidence_level) / 2.0),
    })
}

/// The seeded percentile bootstrap interval of the mean of `values`, as the module
/// describes: `config.n_resamples` resample means from `ChaCha8Rng::seed_from_u64(config.seed)`,
/// then [`percentile_interval`] at `config.confidence_level`. The same inputs give the same
/// interval, bit for bit, on every platform.
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`],
/// [`StatsError::InvalidConfidenceLevel`], [`StatsError::NoResamples`],
/// [`StatsError::Overflow`] when a resample's sum leaves the `f64` range.
pub fn bootstrap_mean_interval(
    values: &[f64],
    config: &SummaryConfig,
) -> Result<Interval, StatsError> {
    check_sample(values, 0)?;
    check_confidence_level(config.confidence_level)?;
    if config.n_resamples == 0 {
        return Err(StatsError::NoResamples);
    }
    let n = values.len();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let means = (0..config.n_resamples)
        .map(|_| {
            let sum: f64 = (0..n).map(|_| values[rng.random_range(0..n)]).sum();
            finite(sum / n as f64, "a bootstrap resample mean")
        })
        .collect::<Result<Vec<f64>, StatsError>>()?;
    percentile_interval(&means, config.confidence_level)
}

/// A sorted copy of finite values.
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// [`percentile`] of non-empty, ascending, finite values and a percent in [0, 100].
fn percentile_of_sorted(sorted: &[f64], percent: f64) -> f64 {
    let last = sorted.len() - 1;
    let h = last as f64 * (percent / 100.0);
    if h >= last as f64 {
        return sorted[last];
    }
    let j = h.floor();
    let gamma = h - j;
    let (a, b) = (sorted[j as usize], sorted[j as usize + 1]);
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_linearly_between_order_statistics() {
        // numpy.percentile([4, 1, 3, 2], [0, 25, 50, 62.5, 100]) = [1, 1.75, 2.5, 2.875, 4]
        let x = [4.0, 1.0, 3.0, 2.0];
        for (p, want) in [
            (0.0, 1.0),
            (25.0, 1.75),
            (50.0, 2.5),
            (62.5, 2.875),
            (100.0, 4.0),
        ] {
            assert_eq!(percentile(&x, p).unwrap(), want, "percent {p}");
        }
        assert_eq!(percentile(&[7.0], 40.0).unwrap(), 7.0);
    }

    #[test]
    fn percents_outside_zero_to_a_hundred_are_rejected() {
        for p in [-1.0, 100.5, f64::NAN] {
            assert!(matches!(
                percentile(&[1.0, 2.0], p),
                Err(StatsError::InvalidPercent(_))
            ));
        }
    }

    #[test]
    fn the_bootstrap_is_bit_identical_for_a_seed_and_differs_across_seeds() {
        let x: Vec<f64> = (0..30).map(|i| ((i * 37) % 11) as f64 / 10.0).collect();
        let config = SummaryConfig {
            n_resamples: 2_000,
            ..SummaryConfig::with_seed(42)
        };
        let a = bootstrap_mean_interval(&x, &config).unwrap();
        let b = bootstrap_mean_interval(&x, &config).unwrap();
        assert_eq!(a.low.to_bits(), b.low.to_bits());
        assert_eq!(a.high.to_bits(), b.high.to_bits());
        let c = bootstrap_mean_interval(&x, &SummaryConfig { seed: 43, ..config }).unwrap();
        assert_ne!(a, c);
        assert!(a.low < a.high);
    }

    #[test]
    fn zero_resamples_are_rejected() {
        let config = SummaryConfig {
            n_resamples: 0,
            ..SummaryConfig::with_seed(1)
        };
        assert_eq!(
            bootstrap_mean_interval(&[1.0, 2.0], &config),
            Err(StatsError::NoResamples)
        );
    }
}
