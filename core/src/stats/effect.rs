//! Rank effect sizes of two samples: the rank-biserial correlation and Cliff's δ.
//!
//! # Sign convention and relation
//!
//! Both are positive when the first sample `x` tends to be larger than the second, `y`, and
//! both lie in [−1, 1]:
//!
//! - Cliff's δ (Cliff 1993, *Psychol. Bull.* 114, 494–509) counts pairs:
//!   `δ = (#{xᵢ > yⱼ} − #{xᵢ < yⱼ}) / (n₁n₂) = P(X > Y) − P(X < Y)`.
//! - The rank-biserial correlation (Glass 1965; Wendt 1972, *Eur. J. Soc. Psychol.* 2,
//!   463–465; Kerby 2014) comes from the Mann–Whitney statistics:
//!   `r = 1 − 2U₂/(n₁n₂) = 2U₁/(n₁n₂) − 1`, with `U₁ = #{xᵢ > yⱼ} + ½#{xᵢ = yⱼ}` the U of
//!   `x` (scipy's `statistic`) and `U₂ = n₁n₂ − U₁` the U of `y`.
//!
//! Substituting `U₁` shows `r = δ` exactly, ties included (a tied pair adds ½ to `U₁`,
//! which contributes 0 to `2U₁/(n₁n₂) − 1`, just as it contributes 0 to δ). The two are
//! computed independently here (ranks versus pair counts), and the tests check they agree.
//! Note that some texts write `r = 1 − 2U/(n₁n₂)` with `U = U₁`, which flips the sign.

use super::rank::average_ranks;
use super::{StatsError, check_sample};

/// Rank-biserial correlation `r = 1 − 2U₂/(n₁n₂)` of `x` against `y`, from the pooled
/// average ranks (`U₂ = R₂ − n₂(n₂ + 1)/2`, `R₂` the rank sum of `y`); positive when `x`
/// tends to be larger. See the module for the convention and `r = δ`.
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`] (`x` is sample 0, `y` sample 1).
pub fn rank_biserial(x: &[f64], y: &[f64]) -> Result<f64, StatsError> {
    check_sample(x, 0)?;
    check_sample(y, 1)?;
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let ranks = average_ranks(&pooled);
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let rank_sum_y: f64 = ranks.ranks[x.len()..].iter().sum();
    let u2 = rank_sum_y - n2 * (n2 + 1.0) / 2.0;
    Ok(1.0 - 2.0 * u2 / (n1 * n2))
}

/// Cliff's δ `= (#{xᵢ > yⱼ} − #{xᵢ < yⱼ}) / (n₁n₂)`, counted by binary search of each `xᵢ`
/// in the sorted `y` (O((n₁ + n₂) log n₂)); positive when `x` tends to be larger.
///
/// # Errors
///
/// [`StatsError::EmptySample`], [`StatsError::NonFinite`] (`x` is sample 0, `y` sample 1).
pub fn cliffs_delta(x: &[f64], y: &[f64]) -> Result<f64, StatsError> {
    check_sample(x, 0)?;
    check_sample(y, 1)?;
    let mut sorted_y = y.to_vec();
    sorted_y.sort_by(f64::total_cmp);
    let mut dominance: i64 = 0;
    for &xi in x {
        let below = sorted_y.partition_point(|&yj| yj < xi);
        let not_above = sorted_y.partition_point(|&yj| yj <= xi);
        let above = sorted_y.len() - not_above;
        dominance += below as i64 - above as i64;
    }
    Ok(dominance as f64 / (x.len() as f64 * y.len() as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_separation_gives_plus_or_minus_one() {
        let (low, high) = ([1.0, 2.0, 3.0], [10.0, 11.0]);
        assert_eq!(cliffs_delta(&high, &low).unwrap(), 1.0);
        assert_eq!(rank_biserial(&high, &low).unwrap(), 1.0);
        assert_eq!(cliffs_delta(&low, &high).unwrap(), -1.0);
        assert_eq!(rank_biserial(&low, &high).unwrap(), -1.0);
    }

    #[test]
    fn rank_biserial_equals_cliffs_delta_with_ties() {
        // Pairs (x, y): x = [1, 2, 2, 3], y = [2, 2, 4]: greater 2, less 6, tied 4.
        let (x, y) = ([1.0, 2.0, 2.0, 3.0], [2.0, 2.0, 4.0]);
        let want = (2.0 - 6.0) / 12.0;
        assert!((cliffs_delta(&x, &y).unwrap() - want).abs() < 1e-15);
        assert!((rank_biserial(&x, &y).unwrap() - want).abs() < 1e-15);
        assert_eq!(cliffs_delta(&[5.0, 5.0], &[5.0]).unwrap(), 0.0);
    }

    #[test]
    fn empty_and_non_finite_samples_are_rejected() {
        assert_eq!(
            cliffs_delta(&[], &[1.0]),
            Err(StatsError::EmptySample { sample: 0 })
        );
        assert!(matches!(
            rank_biserial(&[1.0], &[f64::NAN]),
            Err(StatsError::NonFinite { sample: 1, .. })
        ));
    }
}
