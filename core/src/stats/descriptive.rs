//! Descriptive summary of one sample: n, mean, SD, the Student-t interval of the mean and
//! the seeded percentile bootstrap interval of the mean ([`summarize`]).

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::bootstrap::bootstrap_mean_interval;
use super::{Interval, StatsError, check_confidence_level, check_sample};

/// How [`summarize`] builds its intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryConfig {
    /// Two-sided confidence level `c` of both intervals, in (0, 1); 0.95 by default.
    pub confidence_level: f64,
    /// Number of bootstrap resamples `B` (≥ 1); [`SummaryConfig::DEFAULT_RESAMPLES`] by default.
    pub n_resamples: usize,
    /// Seed of the bootstrap's ChaCha8 stream.
    pub seed: u64,
}

impl SummaryConfig {
    /// The default number of bootstrap resamples.
    pub const DEFAULT_RESAMPLES: usize = 10_000;

    /// A 95% level and [`Self::DEFAULT_RESAMPLES`] resamples drawn from `seed`.
    pub fn with_seed(seed: u64) -> Self {
        Self {
            confidence_level: 0.95,
            n_resamples: Self::DEFAULT_RESAMPLES,
            seed,
        }
    }
}

/// n, mean, SD and two intervals of the mean of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean `x̄ = Σ xᵢ / n`.
    pub mean: f64,
    /// Sample standard deviation with `n − 1` in the denominator.
    pub sd: f64,
    /// The level `c` of both intervals.
    pub confidence_level: f64,
    /// Student-t interval of the mean, see [`t_interval`].
    pub t_interval: Interval,
    /// Percentile bootstrap interval of the mean, see [`bootstrap_mean_interval`].
    pub bootstrap_interval: Interval,
    /// Number of bootstrap resamples.
    pub n_resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

/// Summarises a sample: [`mean`], [`sample_sd`], [`t_interval`] and
/// [`bootstrap_mean_interval`] at `config.confidence_level`.
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`], [`StatsError::TooFewValues`] (an
/// SD needs two values), [`StatsError::InvalidConfidenceLevel`], [`StatsError::NoResamples`],
/// [`StatsError::Overflow`].
pub fn summarize(values: &[f64], config: &SummaryConfig) -> Result<Summary, StatsError> {
    let t = t_interval(values, config.confidence_level)?;
    let bootstrap = bootstrap_mean_interval(values, config)?;
    let mean = mean(values)?;
    Ok(Summary {
        n: values.len(),
        mean,
        sd: sample_sd(values)?,
        confidence_level: config.confidence_level,
        t_interval: t,
        bootstrap_interval: bootstrap,
        n_resamples: config.n_resamples,
        seed: config.seed,
    })
}

/// Arithmetic mean `x̄ = (1/n) Σᵢ xᵢ` (as `numpy.mean`, to rounding).
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`], [`StatsError::Overflow`] when the
/// sum leaves the `f64` range.
pub fn mean(values: &[f64]) -> Result<f64, StatsError> {
    check_sample(values, 0)?;
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    finite(mean, "the mean")
}

/// Sample standard deviation `s = √( Σᵢ (xᵢ − x̄)² / (n − 1) )`, the unbiased-variance form
/// (Bessel's correction), as `numpy.std(x, ddof=1)`. Two passes (mean first) so that a large
/// common offset does not cancel catastrophically.
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`], [`StatsError::TooFewValues`] for
/// a single value, [`StatsError::Overflow`].
pub fn sample_sd(values: &[f64]) -> Result<f64, StatsError> {
    let mean = mean(values)?;
    if values.len() < 2 {
        return Err(StatsError::TooFewValues {
            sample: 0,
            got: values.len(),
            needed: 2,
            what: "a standard deviation",
        });
    }
    let squares: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    finite(
        (squares / (values.len() - 1) as f64).sqrt(),
        "the standard deviation",
    )
}

/// Student-t confidence interval of the mean (Student 1908; e.g. Casella & Berger,
/// *Statistical Inference*, 2nd ed., §9.2):
///
/// `x̄ ± t_{(1+c)/2, n−1} · s / √n`
///
/// with `s` the [`sample_sd`] and `t_{q, ν}` the `q`-quantile of Student's t with `ν`
/// degrees of freedom (`statrs`). This is `scipy.stats.t.interval(c, n − 1, loc=x̄,
/// scale=s/√n)`. A constant sample (s = 0) gives the point interval `[x̄, x̄]` (scipy
/// returns NaN there).
///
/// # Errors
///
/// As [`sample_sd`], [`StatsError::InvalidConfidenceLevel`] unless `0 < c < 1`, and
/// [`StatsError::Overflow`] if a bound leaves the `f64` range.
pub fn t_interval(values: &[f64], confidence_level: f64) -> Result<Interval, StatsError> {
    check_confidence_level(confidence_level)?;
    let sd = sample_sd(values)?;
    let mean = mean(values)?;
    let n = values.len() as f64;
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .expect("n − 1 ≥ 1 degrees of freedom, unit scale: a valid Student t")
        .inverse_cdf(0.5 + confidence_level / 2.0);
    let half_width = finite(t * sd / n.sqrt(), "the t-interval")?;
    Ok(Interval {
        low: finite(mean - half_width, "the t-interval")?,
        high: finite(mean + half_width, "the t-interval")?,
    })
}

/// `value`, or [`StatsError::Overflow`] naming `what` when it is not finite.
pub(super) fn finite(value: f64, what: &'static str) -> Result<f64, StatsError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(StatsError::Overflow { what })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_value_has_no_standard_deviation() {
        assert_eq!(
            sample_sd(&[1.0]),
            Err(StatsError::TooFewValues {
                sample: 0,
                got: 1,
                needed: 2,
                what: "a standard deviation"
            })
        );
        assert!(matches!(
            summarize(&[1.0], &SummaryConfig::with_seed(1)),
            Err(StatsError::TooFewValues { .. })
        ));
    }

    #[test]
    fn empty_and_non_finite_samples_are_rejected() {
        assert_eq!(mean(&[]), Err(StatsError::EmptySample { sample: 0 }));
        assert!(matches!(
            sample_sd(&[1.0, f64::NAN]),
            Err(StatsError::NonFinite { sample: 0, index: 1, value }) if value.is_nan()
        ));
        assert_eq!(
            t_interval(&[1.0, f64::INFINITY, 2.0], 0.95),
            Err(StatsError::NonFinite {
                sample: 0,
                index: 1,
                value: f64::INFINITY
            })
        );
    }

    #[test]
    fn confidence_levels_outside_the_open_unit_interval_are_rejected() {
        for c in [0.0, 1.0, -0.5, 95.0, f64::NAN] {
            assert!(matches!(
                t_interval(&[1.0, 2.0], c),
                Err(StatsError::InvalidConfidenceLevel(_))
            ));
        }
    }

    #[test]
    fn sums_beyond_the_f64_range_are_an_overflow_error_not_nan() {
        let huge = [f64::MAX, f64::MAX];
        assert_eq!(mean(&huge), Err(StatsError::Overflow { what: "the mean" }));
        let spread = [f64::MAX, -f64::MAX];
        assert_eq!(
            sample_sd(&spread),
            Err(StatsError::Overflow {
                what: "the standard deviation"
            })
        );
        assert!(matches!(
            summarize(&spread, &SummaryConfig::with_seed(1)),
            Err(StatsError::Overflow { .. })
        ));
    }

    #[test]
    fn a_constant_sample_has_a_point_interval() {
        let s = summarize(&[0.7; 5], &SummaryConfig::with_seed(3)).unwrap();
        assert_eq!(s.sd, 0.0);
        let point = Interval {
            low: s.mean,
            high: s.mean,
        };
        assert_eq!(s.t_interval, point);
        assert_eq!(s.bootstrap_interval, point);
    }

    #[test]
    fn the_t_interval_of_two_values_uses_twelve_point_seven() {
        // n = 2: ν = 1, t_{0.975, 1} = tan(0.475π) = 12.706204736174698; x̄ = 1.5,
        // s = √0.5, s/√2 = 0.5.
        let t = (0.475 * std::f64::consts::PI).tan();
        let ci = t_interval(&[1.0, 2.0], 0.95).unwrap();
        assert!((ci.low - (1.5 - 0.5 * t)).abs() < 1e-9, "{ci:?}");
        assert!((ci.high - (1.5 + 0.5 * t)).abs() < 1e-9, "{ci:?}");
    }
}
