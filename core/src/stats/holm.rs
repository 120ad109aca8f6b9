//! Holm's step-down adjustment of p-values for multiple comparisons.

use super::StatsError;

/// Holm-adjusted p-values (Holm 1979, *Scand. J. Statist.* 6, 65–70), in the order given,
/// as `statsmodels.stats.multitest.multipletests(p, method='holm')[1]`.
///
/// Sort the `m` p-values ascending, `p₍₁₎ ≤ … ≤ p₍ₘ₎`; the adjusted value of the `i`-th
/// smallest is
///
/// `p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) · p₍ⱼ₎)`,
///
/// the running maximum making the adjusted values monotone in the raw ones. Rejecting every
/// hypothesis with `p̃ ≤ α` controls the family-wise error rate at `α` under any dependence.
/// Tied p-values get equal adjusted values whatever their order. An empty list gives an
/// empty list.
///
/// # Errors
///
/// [`StatsError::InvalidPValue`] for a value outside [0, 1] or NaN.
pub fn holm(p_values: &[f64]) -> Result<Vec<f64>, StatsError> {
    if let Some(index) = p_values.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(StatsError::InvalidPValue {
            index,
            value: p_values[index],
        });
    }
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![0.0; m];
    let mut running_max: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running_max = running_max.max((m - rank) as f64 * p_values[i]);
        adjusted[i] = running_max.min(1.0);
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_multiplies_by_the_remaining_count_and_keeps_order() {
        // Binary fractions, so the products are exact. Sorted: 1/64 (×3), 1/32 (×2),
        // 1/16 (×1) -> 3/64, 1/16, max(1/16, 1/16).
        assert_eq!(
            holm(&[0.0625, 0.015625, 0.03125]).unwrap(),
            vec![0.0625, 0.046875, 0.0625]
        );
        // 0.25 × 3 = 0.75, then 0.5 × 2 = 1, then max(1, 0.75) capped at 1.
        assert_eq!(holm(&[0.5, 0.25, 0.75]).unwrap(), vec![1.0, 0.75, 1.0]);
        assert_eq!(holm(&[]).unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn p_values_outside_the_unit_interval_are_rejected() {
        assert_eq!(
            holm(&[0.1, 1.5]),
            Err(StatsError::InvalidPValue {
                index: 1,
                value: 1.5
            })
        );
        assert!(matches!(
            holm(&[f64::NAN]),
            Err(StatsError::InvalidPValue { index: 0, .. })
        ));
        assert!(matches!(
            holm(&[-0.1]),
            Err(StatsError::InvalidPValue { index: 0, .. })
        ));
    }
}
