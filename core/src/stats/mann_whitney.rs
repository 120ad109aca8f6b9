//! The two-sided Mann–Whitney U (Wilcoxon rank-sum) test of two independent samples, with
//! scipy's choice between the exact null distribution and the tie-corrected normal
//! approximation.
//!
//! # Which p-value (`MannWhitneyMethod::Auto`)
//!
//! scipy 1.17.1's `scipy.stats._mannwhitneyu._mwu_choose_method`, reproduced exactly: the
//! p-value is **exact when at least one sample has 8 or fewer values and there are no tied
//! values** in the pooled sample; otherwise (both samples larger than 8, or any tie) it is
//! **asymptotic**. Note that one small sample suffices: sizes 8 and 40 without ties get the
//! exact p-value. This is also what scipy's docstring says ("chooses 'exact' when the size of
//! one of the samples is less than or equal to 8 and there are no ties").
//!
//! # Exact p-value
//!
//! Under the null hypothesis every assignment of the pooled ranks to the two samples is
//! equally likely, and the number of assignments of sizes `m ≤ n` with `U = u` is the
//! coefficient of `qᵘ` in the Gaussian binomial coefficient (Mann & Whitney 1947; Di
//! Bucchianico 1999, *J. Statist. Plann. Inference* 79, 349–364)
//!
//! `[m + n choose m]_q = Π_{j=1}^{m} (1 − q^{n+j}) / (1 − q^j)`,
//!
//! built up in exact 128-bit integer counts, `j = 1, …, m`, by multiplying by
//! `(1 − q^{n+j})` and dividing by `(1 − q^j)` (a stride-`j` running sum); every partial
//! product is itself `[n + j choose j]_q`, so no count exceeds `C(m + n, m)`. The two-sided
//! p-value, by the symmetry of the distribution about `mn/2`, is
//!
//! `p = min(1, 2 · P(U ≤ mn − ⌊U_max⌋))`, `U_max = max(U₁, U₂)`,
//!
//! where the floor is scipy's: with `method='exact'` forced on tied data `U_max` can be a
//! half-integer and scipy truncates it (which makes the p-value conservative). The exact
//! distribution ignores ties.
//!
//! # Asymptotic p-value
//!
//! With `N = n₁ + n₂` and `t` the sizes of the groups of tied values (Lehmann 1975,
//! *Nonparametrics*, §1.4, eq. 1.49 for the tie-corrected variance):
//!
//! `σ = √( n₁n₂/12 · [(N + 1) − Σ(t³ − t) / (N(N − 1))] )`,
//! `z = (U_max − n₁n₂/2 − 0.5) / σ`, `p = min(1, 2 · (1 − Φ(z)))`,
//!
//! the `0.5` being the continuity correction (scipy's `use_continuity=True`) and `Φ` the
//! standard normal CDF (`statrs`).

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::rank::average_ranks;
use super::{StatsError, check_sample};

/// How [`mann_whitney_u`] computes its p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MannWhitneyMethod {
    /// Exact without ties when either sample has ≤ 8 values, asymptotic otherwise (scipy's
    /// `method='auto'`, see the module). Never the method of a result.
    #[default]
    Auto,
    /// The exact null distribution of U (ties ignored).
    Exact,
    /// The tie-corrected normal approximation with continuity correction.
    Asymptotic,
}

/// The result of [`mann_whitney_u`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MannWhitney {
    /// `U₁ = R₁ − n₁(n₁ + 1)/2` of the first sample `x` (`R₁` its rank sum): the number of
    /// pairs with `xᵢ > yⱼ` plus half the tied pairs. scipy's `statistic`.
    pub u1: f64,
    /// `U₂ = n₁n₂ − U₁` of the second sample `y`.
    pub u2: f64,
    /// The method the p-value came from: `Exact` or `Asymptotic`, never `Auto`.
    pub method: MannWhitneyMethod,
    /// The standardised statistic `z` of the asymptotic method; `None` for exact.
    pub z: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Rank-biserial correlation `r = 1 − 2U₂/(n₁n₂)`, positive when `x` tends to be larger
    /// (see [`super::effect::rank_biserial`]).
    pub rank_biserial: f64,
}

/// Two-sided Mann–Whitney U test (Mann & Whitney 1947, *Ann. Math. Statist.* 18, 50–60) of
/// samples `x` and `y`, as `scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
/// method=…)` with `use_continuity=True`. The module documents the exact and asymptotic
/// p-values and the `Auto` rule.
///
/// # Errors
///
/// [`StatsError::EmptySample`] and [`StatsError::NonFinite`] (`x` is sample 0, `y` sample
/// 1); [`StatsError::NoVariation`] when every pooled value is equal, whatever the method
/// (σ = 0; scipy returns p = 1); [`StatsError::ExactTooLarge`] when the exact method's
/// counts overflow 128 bits (`Auto` meets this only beyond ~10⁵ values in the larger
/// sample).
pub fn mann_whitney_u(
    x: &[f64],
    y: &[f64],
    method: MannWhitneyMethod,
) -> Result<MannWhitney, StatsError> {
    check_sample(x, 0)?;
    check_sample(y, 1)?;
    let (n1, n2) = (x.len(), y.len());
    let n = n1 + n2;
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let ranks = average_ranks(&pooled);
    let n_f = n as f64;
    if ranks.tie_term >= n_f * n_f * n_f - n_f {
        return Err(StatsError::NoVariation {
            what: "the Mann–Whitney test",
            n,
        });
    }
    let (n1_f, n2_f) = (n1 as f64, n2 as f64);
    let rank_sum_x: f64 = ranks.ranks[..n1].iter().sum();
    let u1 = rank_sum_x - n1_f * (n1_f + 1.0) / 2.0;
    let u2 = n1_f * n2_f - u1;
    let u_max = u1.max(u2);
    let method = match method {
        MannWhitneyMethod::Auto if (n1 <= 8 || n2 <= 8) && ranks.tie_term == 0.0 => {
            MannWhitneyMethod::Exact
        }
        MannWhitneyMethod::Auto => MannWhitneyMethod::Asymptotic,
        chosen => chosen,
    };
    let (z, p_value) = if method == MannWhitneyMethod::Exact {
        // U_max ≥ n1·n2/2 ≥ 0 and is a multiple of 0.5, so the cast floors exactly.
        (None, exact_p_value(n1, n2, u_max as u64)?)
    } else {
        let sigma =
            (n1_f * n2_f / 12.0 * ((n_f + 1.0) - ranks.tie_term / (n_f * (n_f - 1.0)))).sqrt();
        let z = (u_max - n1_f * n2_f / 2.0 - 0.5) / sigma;
        let upper_tail = Normal::standard().sf(z);
        (Some(z), (2.0 * upper_tail).min(1.0))
    };
    Ok(MannWhitney {
        u1,
        u2,
        method,
        z,
        p_value,
        rank_biserial: 1.0 - 2.0 * u2 / (n1_f * n2_f),
    })
}

/// `min(1, 2 · P(U ≤ n₁n₂ − u_max))` under the exact null distribution of U for sample sizes
/// `n1`, `n2` (module docs), with `u_max = ⌊max(U₁, U₂)⌋ ≥ n₁n₂/2` rounded down.
fn exact_p_value(n1: usize, n2: usize, u_max: u64) -> Result<f64, StatsError> {
    let too_large = StatsError::ExactTooLarge { n1, n2 };
    let (m, n) = (n1.min(n2), n1.max(n2));
    // Counts are needed only up to the lower tail's end, k ≤ ⌈mn/2⌉.
    let k = (m * n) as u64 - u_max;
    let k = usize::try_from(k).map_err(|_| too_large.clone())?;
    let mut counts = vec![0i128; k + 1];
    counts[0] = 1;
    // C(n + j, j), the total number of assignments so far.
    let mut total: i128 = 1;
    for j in 1..=m {
        let stride = n + j;
        // × (1 − q^{n+j}): descending, so counts[u − stride] is still the old value.
        for u in (stride..=k).rev() {
            counts[u] = counts[u]
                .checked_sub(counts[u - stride])
                .ok_or(too_large.clone())?;
        }
        // ÷ (1 − q^j) = × (1 + q^j + q^{2j} + …): ascending running sum with stride j.
        for u in j..=k {
            counts[u] = counts[u]
                .checked_add(counts[u - j])
                .ok_or(too_large.clone())?;
        }
        // C(n + j, j) = C(n + j − 1, j − 1) · (n + j) / j, exact at every step.
        total = total.checked_mul(stride as i128).ok_or(too_large.clone())? / j as i128;
    }
    let lower_tail = counts
        .iter()
        .try_fold(0i128, |acc, &c| acc.checked_add(c))
        .ok_or(too_large)?;
    Ok((2.0 * (lower_tail as f64 / total as f64)).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_distribution_of_two_by_two_is_one_one_two_one_one_over_six() {
        // m = n = 2: U ∈ {0, 1, 2, 3, 4} with counts 1, 1, 2, 1, 1 (total C(4, 2) = 6).
        assert_eq!(exact_p_value(2, 2, 4).unwrap(), 2.0 / 6.0);
        assert_eq!(exact_p_value(2, 2, 3).unwrap(), 4.0 / 6.0);
        // U_max = 2 = mn/2: 2 · P(U ≤ 2) = 2 · 4/6 > 1, capped.
        assert_eq!(exact_p_value(2, 2, 2).unwrap(), 1.0);
    }

    #[test]
    fn exact_p_values_match_enumerating_every_assignment_of_ranks() {
        for (m, n) in [(1, 1), (1, 4), (2, 5), (3, 3), (4, 6), (5, 7)] {
            // Every subset of m of the ranks 0..m+n is one equally likely assignment to x;
            // its U is the number of (x, y) pairs with the x rank above the y rank.
            let size = m + n;
            let mut u_counts = vec![0u64; m * n + 1];
            for mask in 0u32..(1 << size) {
                if mask.count_ones() as usize != m {
                    continue;
                }
                let u: usize = (0..size)
                    .filter(|&r| mask & (1 << r) != 0)
                    .map(|r| (0..r).filter(|&s| mask & (1 << s) == 0).count())
                    .sum();
                u_counts[u] += 1;
            }
            let total: u64 = u_counts.iter().sum();
            for u_max in (m * n).div_ceil(2)..=m * n {
                let lower: u64 = u_counts[..=m * n - u_max].iter().sum();
                let want = (2.0 * (lower as f64 / total as f64)).min(1.0);
                let got = exact_p_value(m, n, u_max as u64).unwrap();
                assert!(
                    (got - want).abs() < 1e-15,
                    "{m}x{n} U={u_max}: {got} vs {want}"
                );
                assert_eq!(exact_p_value(n, m, u_max as u64).unwrap(), got);
            }
        }
    }

    #[test]
    fn sizes_beyond_128_bit_counts_ask_for_the_asymptotic_method() {
        let x: Vec<f64> = (0..70).map(f64::from).collect();
        let y: Vec<f64> = (0..70).map(|i| f64::from(i) + 0.5).collect();
        assert_eq!(
            mann_whitney_u(&x, &y, MannWhitneyMethod::Exact),
            Err(StatsError::ExactTooLarge { n1: 70, n2: 70 })
        );
        let r = mann_whitney_u(&x, &y, MannWhitneyMethod::Auto).unwrap();
        assert_eq!(r.method, MannWhitneyMethod::Asymptotic);
    }

    #[test]
    fn auto_is_exact_when_one_sample_is_small_and_nothing_is_tied() {
        let small = [0.1, 0.2, 0.3];
        let large: Vec<f64> = (0..40).map(|i| f64::from(i) + 0.55).collect();
        let r = mann_whitney_u(&small, &large, MannWhitneyMethod::Auto).unwrap();
        assert_eq!(r.method, MannWhitneyMethod::Exact);
        assert_eq!(r.z, None);
        let tied = [0.1, 0.2, 0.55];
        let r = mann_whitney_u(&tied, &large, MannWhitneyMethod::Auto).unwrap();
        assert_eq!(r.method, MannWhitneyMethod::Asymptotic);
        assert!(r.z.is_some());
    }

    #[test]
    fn all_identical_values_are_an_error_for_every_method() {
        for method in [
            MannWhitneyMethod::Auto,
            MannWhitneyMethod::Exact,
            MannWhitneyMethod::Asymptotic,
        ] {
            assert_eq!(
                mann_whitney_u(&[2.0, 2.0, 2.0], &[2.0, 2.0], method),
                Err(StatsError::NoVariation {
                    what: "the Mann–Whitney test",
                    n: 5
                })
            );
        }
    }

    #[test]
    fn empty_and_non_finite_samples_are_rejected() {
        assert_eq!(
            mann_whitney_u(&[1.0], &[], MannWhitneyMethod::Auto),
            Err(StatsError::EmptySample { sample: 1 })
        );
        assert!(matches!(
            mann_whitney_u(&[f64::NEG_INFINITY], &[1.0], MannWhitneyMethod::Auto),
            Err(StatsError::NonFinite {
                sample: 0,
                index: 0,
                ..
            })
        ));
    }
}
