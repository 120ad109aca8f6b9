//! Psychometric curves: binomial proportions with Wilson score intervals, and a logistic
//! psychometric function fitted by maximum likelihood.
//!
//! The fit is `P(choice) = 1 / (1 + exp(-(β₀ + β₁·x)))` over points `(x, k of n)`, by Newton's
//! method on the binomial log-likelihood (what `statsmodels`' `GLM(Binomial)` computes).
//! From it:
//! - the point of subjective equality `pse = -β₀/β₁`, where `P = 0.5` (the bias);
//! - the `threshold = ln 3 / β₁`, the distance in x from the PSE to `P = 0.75`;
//! - the `slope` β₁ itself.
//!
//! A fit that does not converge (the points are perfectly separated, so β₁ grows without
//! bound) is reported as [`StatsError::NotConverged`], never as a huge number.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{Interval, StatsError};

/// The Wilson score interval of `successes` out of `n` at `confidence_level` (e.g. 0.95).
///
/// # Errors
/// [`StatsError::EmptySample`] when `n` is 0; [`StatsError::InvalidConfidenceLevel`];
/// [`StatsError::SuccessesExceedTrials`].
pub fn wilson_interval(
    successes: u64,
    n: u64,
    confidence_level: f64,
) -> Result<Interval, StatsError> {
    if n == 0 {
        return Err(StatsError::EmptySample { sample: 0 });
    }
    if !(confidence_level > 0.0 && confidence_level < 1.0) {
        return Err(StatsError::InvalidConfidenceLevel(confidence_level));
    }
    if successes > n {
        return Err(StatsError::SuccessesExceedTrials { successes, n });
    }
    let z = Normal::standard().inverse_cdf(0.5 + confidence_level / 2.0);
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At k = 0 (k = n) the bound is exactly 0 (1); rounding would leave 1e-17.
    Ok(Interval {
        low: if p == 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        high: if p == 1.0 {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

/// One point of a psychometric curve: `successes` of `n` trials at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinomialPoint {
    pub x: f64,
    pub successes: u64,
    pub n: u64,
}

/// A fitted logistic psychometric function (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogisticFit {
    /// β₀.
    pub intercept: f64,
    /// β₁, per unit of x.
    pub slope: f64,
    /// Point of subjective equality, −β₀/β₁: the x where P = 0.5.
    pub pse: f64,
    /// ln 3 / β₁: from the PSE to P = 0.75, in units of x.
    pub threshold: f64,
    /// Newton iterations used.
    pub iterations: u32,
}

impl LogisticFit {
    /// The fitted probability at `x`.
    pub fn probability(&self, x: f64) -> f64 {
        logistic(self.intercept + self.slope * x)
    }
}

fn logistic(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

const MAX_ITERATIONS: u32 = 100;

/// Fits the logistic psychometric function to `points` by maximum likelihood.
///
/// # Errors
/// [`StatsError::TooFewValues`] with fewer than two distinct x carrying trials;
/// [`StatsError::NonFinite`] for a non-finite x; [`StatsError::NotConverged`] when the
/// likelihood has no finite maximum (separated points) or Newton's method stalls.
pub fn fit_logistic(points: &[BinomialPoint]) -> Result<LogisticFit, StatsError> {
    let used: Vec<&BinomialPoint> = points.iter().filter(|p| p.n > 0).collect();
    if let Some(index) = points.iter().position(|p| !p.x.is_finite()) {
        return Err(StatsError::NonFinite {
            sample: 0,
            index,
            value: points[index].x,
        });
    }
    let mut xs: Vec<f64> = used.iter().map(|p| p.x).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    if xs.len() < 2 {
        return Err(StatsError::TooFewValues {
            sample: 0,
            got: xs.len(),
            needed: 2,
            what: "a logistic fit (distinct x with trials)",
        });
    }
    if separated(&used) {
        return Err(StatsError::NotConverged {
            what: "logistic fit (the points are separated: the slope has no finite maximum)",
            iterations: 0,
        });
    }
    let log_likelihood = |b0: f64, b1: f64| -> f64 {
        used.iter()
            .map(|p| {
                let z = b0 + b1 * p.x;
                // log σ(z) = -softplus(-z), log(1 - σ(z)) = -softplus(z)
                let k = p.successes as f64;
                let m = (p.n - p.successes) as f64;
                -k * softplus(-z) - m * softplus(z)
            })
            .sum()
    };
    let (mut b0, mut b1) = (0.0_f64, 0.0_f64);
    let mut current = log_likelihood(b0, b1);
    for iteration in 1..=MAX_ITERATIONS {
        // Gradient and (negative) Hessian of the log-likelihood.
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for p in &used {
            let n = p.n as f64;
            let mu = logistic(b0 + b1 * p.x);
            let residual = p.successes as f64 - n * mu;
            let w = n * mu * (1.0 - mu);
            g0 += residual;
            g1 += residual * p.x;
            h00 += w;
            h01 += w * p.x;
            h11 += w * p.x * p.x;
        }
        let determinant = h00 * h11 - h01 * h01;
        if !(determinant.is_finite() && determinant > 1e-300) {
            return Err(StatsError::NotConverged {
                what: "logistic fit (the points are separated: the slope has no finite maximum)",
                iterations: iteration,
            });
        }
        let step0 = (h11 * g0 - h01 * g1) / determinant;
        let step1 = (h00 * g1 - h01 * g0) / determinant;
        // Step halving keeps every step an ascent.
        let mut scale = 1.0;
        let (mut next0, mut next1, mut next) = (b0, b1, current);
        while scale > 1e-10 {
            next0 = b0 + scale * step0;
            next1 = b1 + scale * step1;
            next = log_likelihood(next0, next1);
            if next >= current - 1e-12 {
                break;
            }
            scale /= 2.0;
        }
        let moved = (next0 - b0).abs().max((next1 - b1).abs());
        (b0, b1, current) = (next0, next1, next);
        if moved < 1e-10 * (1.0 + b0.abs().max(b1.abs())) {
            if b1 == 0.0 || !b1.is_finite() || b1.abs() * span(&xs) > 700.0 {
                return Err(StatsError::NotConverged {
                    what: "logistic fit (no slope, or a step function: the points are separated)",
                    iterations: iteration,
                });
            }
            return Ok(LogisticFit {
                intercept: b0,
                slope: b1,
                pse: -b0 / b1,
                threshold: 3.0_f64.ln() / b1,
                iterations: iteration,
            });
        }
    }
    Err(StatsError::NotConverged {
        what: "logistic fit (the points are separated: the slope has no finite maximum)",
        iterations: MAX_ITERATIONS,
    })
}

/// Whether the points are (quasi-)completely separated, so that no finite maximum exists:
/// in order of x, every trial below some x fails and every trial above it succeeds (or the
/// reverse), trials at that one x may be mixed. Newton's method cannot be trusted to notice:
/// on a short x range its slope can stall at a finite, merely steep, value.
fn separated(points: &[&BinomialPoint]) -> bool {
    let mut by_x: Vec<(f64, u64, u64)> = Vec::new();
    let mut sorted: Vec<&&BinomialPoint> = points.iter().collect();
    sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
    for p in sorted {
        match by_x.last_mut() {
            Some(last) if last.0 == p.x => {
                last.1 += p.successes;
                last.2 += p.n;
            }
            _ => by_x.push((p.x, p.successes, p.n)),
        }
    }
    let one_way = |fails_first: bool| {
        let low = |&(_, k, n): &(f64, u64, u64)| if fails_first { k == 0 } else { k == n };
        let high = |&(_, k, n): &(f64, u64, u64)| if fails_first { k == n } else { k == 0 };
        // Skip the low run, allow one mixed x, then only the high run may follow.
        let start = by_x.iter().take_while(|p| low(p)).count();
        let rest = &by_x[start..];
        rest.is_empty() || rest.iter().all(high) || rest[1..].iter().all(high)
    };
    one_way(true) || one_way(false)
}

fn span(xs: &[f64]) -> f64 {
    xs.last().copied().unwrap_or(0.0) - xs.first().copied().unwrap_or(0.0)
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_closed_form_references() {
        // Wilson's formula with scipy.stats.norm.ppf(0.975), in the metrics venv (published
        // tables give 0.490 and 0.943 for 8 of 10).
        let interval = wilson_interval(8, 10, 0.95).unwrap();
        assert!(
            (interval.low - 0.490_162_471_536_641_8).abs() < 1e-12,
            "{interval:?}"
        );
        assert!(
            (interval.high - 0.943_317_848_545_624_8).abs() < 1e-12,
            "{interval:?}"
        );
        // 0 of 20: the lower bound is 0, the upper z²/(n + z²).
        let interval = wilson_interval(0, 20, 0.95).unwrap();
        assert_eq!(interval.low, 0.0);
        let z2 = 1.959_963_984_540_054_f64.powi(2);
        assert!((interval.high - z2 / (20.0 + z2)).abs() < 1e-12);
        assert!(wilson_interval(1, 0, 0.95).is_err());
        assert!(wilson_interval(3, 2, 0.95).is_err());
        assert!(wilson_interval(1, 2, 1.0).is_err());
    }

    #[test]
    fn the_fit_recovers_a_known_curve_and_refuses_separated_points() {
        // Expected counts of a curve with β₀ = -0.4, β₁ = 0.08 (x in % coherence): the MLE of
        // exact expectations is the generating curve itself.
        let (b0, b1) = (-0.4, 0.08);
        let points: Vec<BinomialPoint> = [-51.2, -25.6, -12.8, -6.4, 0.0, 6.4, 12.8, 25.6, 51.2]
            .iter()
            .map(|&x| {
                let n = 1_000_000_u64;
                BinomialPoint {
                    x,
                    successes: (n as f64 * logistic(b0 + b1 * x)).round() as u64,
                    n,
                }
            })
            .collect();
        let fit = fit_logistic(&points).unwrap();
        assert!((fit.intercept - b0).abs() < 1e-4, "{fit:?}");
        assert!((fit.slope - b1).abs() < 1e-5, "{fit:?}");
        assert!((fit.pse - 5.0).abs() < 1e-2, "{fit:?}");
        assert!((fit.threshold - 3.0_f64.ln() / 0.08).abs() < 1e-2);
        assert!((fit.probability(fit.pse) - 0.5).abs() < 1e-12);

        let separated = [
            BinomialPoint {
                x: -1.0,
                successes: 0,
                n: 50,
            },
            BinomialPoint {
                x: 1.0,
                successes: 50,
                n: 50,
            },
        ];
        assert!(matches!(
            fit_logistic(&separated),
            Err(StatsError::NotConverged { .. })
        ));
        // Separated over a short x range (log₁₀ N of four fields), and quasi-separated (one
        // mixed x at the boundary): Newton's method once stalled here at a steep finite slope.
        for counts in [
            [12, 12, 0, 0],
            [12, 12, 5, 0],
            [0, 0, 12, 12],
            [12, 12, 12, 12],
        ] {
            let points: Vec<BinomialPoint> = [1.60, 2.08, 2.48, 2.78]
                .iter()
                .zip(counts)
                .map(|(&x, successes)| BinomialPoint {
                    x,
                    successes,
                    n: 12,
                })
                .collect();
            assert!(
                matches!(fit_logistic(&points), Err(StatsError::NotConverged { .. })),
                "{counts:?}"
            );
        }
        // Two mixed points are not separated: the fit is finite and falls with x.
        let overlapping: Vec<BinomialPoint> = [1.60, 2.08, 2.48, 2.78]
            .iter()
            .zip([12, 9, 3, 0])
            .map(|(&x, successes)| BinomialPoint {
                x,
                successes,
                n: 12,
            })
            .collect();
        let fit = fit_logistic(&overlapping).unwrap();
        assert!(
            fit.slope < 0.0 && (2.08..2.48).contains(&fit.pse),
            "{fit:?}"
        );
        let one_x = [BinomialPoint {
            x: 1.0,
            successes: 5,
            n: 10,
        }];
        assert!(matches!(
            fit_logistic(&one_x),
            Err(StatsError::TooFewValues { .. })
        ));
    }
}
