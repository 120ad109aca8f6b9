//! Statistics for comparing groups of trained models: descriptive summaries with t and
//! bootstrap intervals, the Kruskal–Wallis omnibus test, pairwise Mann–Whitney U tests,
//! Holm's step-down correction and rank effect sizes.
//!
//! | question | function | reference implementation it matches |
//! |---|---|---|
//! | n, mean, SD, t-interval, bootstrap interval | [`descriptive::summarize`] | `numpy.mean`, `numpy.std(ddof=1)`, `scipy.stats.t.interval` |
//! | percentile of a sample | [`bootstrap::percentile`] | `numpy.percentile` (method `'linear'`) |
//! | seeded percentile bootstrap of the mean | [`bootstrap::bootstrap_mean_interval`] | (ChaCha8 stream, see the module) |
//! | do k groups differ? | [`kruskal::kruskal_wallis`] | `scipy.stats.kruskal` |
//! | do two groups differ? | [`mann_whitney::mann_whitney_u`] | `scipy.stats.mannwhitneyu(alternative='two-sided')` |
//! | do two proportions differ? | [`fisher::fisher_exact`] | `scipy.stats.fisher_exact(alternative='two-sided')` |
//! | adjust many p-values | [`holm::holm`] | `statsmodels.stats.multitest.multipletests(method='holm')` |
//! | a proportion's interval | [`psychometric::wilson_interval`] | `statsmodels…proportion_confint(method='wilson')` |
//! | a psychometric curve | [`psychometric::fit_logistic`] | `statsmodels` `GLM(Binomial)` (logit link) |
//! | how large is the difference? | [`effect::rank_biserial`], [`effect::cliffs_delta`] | (definitions in the module) |
//!
//! Agreement with the reference implementations (scipy 1.17.1, numpy 2.4.6, statsmodels
//! 0.15.0) is checked by `core/tests/stats_fixtures.rs` on fixtures written by
//! `scripts/fixtures/gen_stats_fixtures.py`: statistics within `1e-9` (relative to
//! `max(1, |value|)`), p-values within `1e-6` absolute and, below `1e-3`, `1e-6` relative.
//!
//! # Errors instead of NaN
//!
//! Where the reference libraries return NaN or a meaningless number (an empty group, one
//! value for an SD, a NaN in the input, every value identical in a rank test) these
//! functions return a typed [`StatsError`]. No function here returns a NaN.
//!
//! Distributions (Student t, χ², normal) come from `statrs`.

pub mod bootstrap;
pub mod descriptive;
pub mod effect;
pub mod fisher;
pub mod holm;
pub mod kruskal;
pub mod mann_whitney;
pub mod psychometric;
mod rank;

use serde::{Deserialize, Serialize};

pub use bootstrap::{bootstrap_mean_interval, percentile, percentile_interval};
pub use descriptive::{Summary, SummaryConfig, mean, sample_sd, summarize, t_interval};
pub use effect::{cliffs_delta, rank_biserial};
pub use fisher::fisher_exact;
pub use holm::holm;
pub use kruskal::{KruskalWallis, kruskal_wallis};
pub use mann_whitney::{MannWhitney, MannWhitneyMethod, mann_whitney_u};
pub use psychometric::{BinomialPoint, LogisticFit, fit_logistic, wilson_interval};

/// Why a statistic could not be computed.
///
/// Samples are numbered from 0 in argument order: a one-sample function calls its input
/// sample 0; [`mann_whitney_u`] calls `x` sample 0 and `y` sample 1; [`kruskal_wallis`]
/// numbers its groups.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A sample has no values.
    #[error("sample {sample} is empty")]
    EmptySample { sample: usize },
    /// A sample has fewer values than the statistic needs (an SD needs 2).
    #[error("sample {sample} has {got} value(s); {what} needs at least {needed}")]
    TooFewValues {
        sample: usize,
        got: usize,
        needed: usize,
        what: &'static str,
    },
    /// A value is NaN or infinite.
    #[error("sample {sample} holds the non-finite value {value} at index {index}")]
    NonFinite {
        sample: usize,
        index: usize,
        value: f64,
    },
    /// Too few groups for an omnibus test (Kruskal–Wallis needs 2).
    #[error("{what} needs at least {needed} groups, got {got}")]
    TooFewGroups {
        what: &'static str,
        needed: usize,
        got: usize,
    },
    /// Every value in a rank test is the same, so every rank is tied and the test statistic
    /// is 0/0 (scipy returns NaN for Kruskal–Wallis and a meaningless p = 1 for
    /// Mann–Whitney).
    #[error("all {n} values are identical, so {what} is undefined (the ranks have no variance)")]
    NoVariation { what: &'static str, n: usize },
    /// Finite values so large that a sum overflows `f64` (magnitudes near `1.8e308`).
    #[error("the values are too large: {what} overflows f64")]
    Overflow { what: &'static str },
    /// A confidence level outside the open interval (0, 1).
    #[error("confidence level must lie in (0, 1), got {0}")]
    InvalidConfidenceLevel(f64),
    /// A bootstrap with zero resamples.
    #[error("the bootstrap needs at least one resample")]
    NoResamples,
    /// A percentile outside [0, 100].
    #[error("percent must lie in [0, 100], got {0}")]
    InvalidPercent(f64),
    /// A p-value that is not a number in [0, 1].
    #[error("p-value {index} is {value}, not a number in [0, 1]")]
    InvalidPValue { index: usize, value: f64 },
    /// The exact Mann–Whitney null distribution's counts overflow 128-bit integers
    /// (`C(n1 + n2, n1) > 2^127`, e.g. two samples of 70); use the asymptotic method.
    #[error(
        "the exact Mann–Whitney distribution for sizes {n1} and {n2} overflows 128-bit counts; \
         use the asymptotic method"
    )]
    ExactTooLarge { n1: usize, n2: usize },
    /// More successes than trials in a binomial proportion.
    #[error("{successes} successes out of {n} trials")]
    SuccessesExceedTrials { successes: u64, n: u64 },
    /// An iterative fit without a finite optimum.
    #[error("the {what} did not converge after {iterations} iterations")]
    NotConverged { what: &'static str, iterations: u32 },
}

/// A two-sided interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Checks that sample number `sample` is non-empty and finite.
fn check_sample(values: &[f64], sample: usize) -> Result<(), StatsError> {
    if values.is_empty() {
        return Err(StatsError::EmptySample { sample });
    }
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(StatsError::NonFinite {
            sample,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Checks that a confidence level lies in (0, 1).
fn check_confidence_level(confidence_level: f64) -> Result<(), StatsError> {
    if confidence_level > 0.0 && confidence_level < 1.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidConfidenceLevel(confidence_level))
    }
}
