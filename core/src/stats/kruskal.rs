//! The Kruskal–Wallis H test: do `k` independent groups come from one distribution?

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::rank::average_ranks;
use super::{StatsError, check_sample};

/// The result of [`kruskal_wallis`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KruskalWallis {
    /// The tie-corrected statistic `H`.
    pub h: f64,
    /// Degrees of freedom `k − 1` of the χ² approximation.
    pub df: usize,
    /// `P(χ²_{k−1} ≥ H)`.
    pub p_value: f64,
    /// Total number of values `N`.
    pub n: usize,
    /// The tie correction `C = 1 − Σ(t³ − t)/(N³ − N)` that `H` was divided by (1 without
    /// ties).
    pub tie_correction: f64,
}

/// Kruskal–Wallis H test with tie correction (Kruskal & Wallis 1952, *J. Amer. Statist.
/// Assoc.* 47, 583–621, eqs. 1.1 and 1.2), as `scipy.stats.kruskal(*groups)`.
///
/// Pool the `N = Σ nᵢ` values, rank them with tied values given their average rank, and let
/// `Rᵢ` be the rank sum of group `i`. Then
///
/// `H = [12 / (N(N + 1)) · Σᵢ Rᵢ² / nᵢ − 3(N + 1)] / C`,
/// `C = 1 − Σ (t³ − t) / (N³ − N)`
///
/// with `t` running over the sizes of the groups of tied values, and
/// `p = P(χ²_{k−1} ≥ H)` (`statrs` χ² survival function; `H` within rounding of 0, even
/// slightly negative, gives `p = 1`).
///
/// # Errors
///
/// [`StatsError::TooFewGroups`] for fewer than 2 groups, [`StatsError::EmptySample`] and
/// [`StatsError::NonFinite`] naming the group, and [`StatsError::NoVariation`] when all `N`
/// values are equal (`C = 0`; scipy returns NaN).
pub fn kruskal_wallis<S: AsRef<[f64]>>(groups: &[S]) -> Result<KruskalWallis, StatsError> {
    if groups.len() < 2 {
        return Err(StatsError::TooFewGroups {
            what: "the Kruskal–Wallis test",
            needed: 2,
            got: groups.len(),
        });
    }
    for (i, group) in groups.iter().enumerate() {
        check_sample(group.as_ref(), i)?;
    }
    let pooled: Vec<f64> = groups
        .iter()
        .flat_map(|g| g.as_ref().iter().copied())
        .collect();
    let n = pooled.len();
    let n_f = n as f64;
    let ranks = average_ranks(&pooled);
    let tie_correction = 1.0 - ranks.tie_term / (n_f * n_f * n_f - n_f);
    if tie_correction <= 0.0 {
        return Err(StatsError::NoVariation {
            what: "the Kruskal–Wallis test",
            n,
        });
    }
    let mut start = 0;
    let mut between = 0.0;
    for group in groups {
        let len = group.as_ref().len();
        let rank_sum: f64 = ranks.ranks[start..start + len].iter().sum();
        between += rank_sum * rank_sum / len as f64;
        start += len;
    }
    let h = (12.0 / (n_f * (n_f + 1.0)) * between - 3.0 * (n_f + 1.0)) / tie_correction;
    let df = groups.len() - 1;
    let p_value = ChiSquared::new(df as f64)
        .expect("k − 1 ≥ 1 degrees of freedom: a valid χ²")
        .sf(h);
    Ok(KruskalWallis {
        h,
        df,
        p_value,
        n,
        tie_correction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_identical_values_are_an_error_not_nan() {
        assert_eq!(
            kruskal_wallis(&[vec![0.5, 0.5, 0.5], vec![0.5, 0.5]]),
            Err(StatsError::NoVariation {
                what: "the Kruskal–Wallis test",
                n: 5
            })
        );
    }

    #[test]
    fn fewer_than_two_groups_empty_groups_and_nan_are_rejected() {
        assert!(matches!(
            kruskal_wallis(&[vec![1.0, 2.0]]),
            Err(StatsError::TooFewGroups { got: 1, .. })
        ));
        assert!(matches!(
            kruskal_wallis::<Vec<f64>>(&[]),
            Err(StatsError::TooFewGroups { got: 0, .. })
        ));
        assert_eq!(
            kruskal_wallis(&[vec![1.0, 2.0], vec![], vec![3.0]]),
            Err(StatsError::EmptySample { sample: 1 })
        );
        assert!(matches!(
            kruskal_wallis(&[&[1.0, 2.0][..], &[3.0, f64::NAN][..]]),
            Err(StatsError::NonFinite {
                sample: 1,
                index: 1,
                ..
            })
        ));
    }

    #[test]
    fn three_singletons_give_h_two() {
        // Ranks 1, 2, 3: 12/12 · (1 + 4 + 9) − 12 = 2, p = exp(−1) for χ²₂.
        let r = kruskal_wallis(&[[1.0], [2.0], [3.0]]).unwrap();
        assert!((r.h - 2.0).abs() < 1e-12);
        assert_eq!(r.df, 2);
        assert!((r.p_value - (-1.0f64).exp()).abs() < 1e-12);
        assert_eq!(r.tie_correction, 1.0);
    }
}
