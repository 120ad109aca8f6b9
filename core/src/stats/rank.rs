//! Average ranks with tie counts, shared by the Kruskal–Wallis and Mann–Whitney tests.

/// Ranks of a pooled sample and the tie term the two rank tests correct with.
pub(super) struct Ranks {
    /// The 1-based rank of each value, in input order; tied values share the average of the
    /// ranks they span (scipy's `rankdata(method='average')`).
    pub ranks: Vec<f64>,
    /// `Σ (t³ − t)` over the groups of tied values, `t` the size of each group (0 without
    /// ties; `N³ − N` when all `N` values are equal).
    pub tie_term: f64,
}

/// Ranks finite `values` from 1 (smallest) to `N`, giving tied values their average rank.
///
/// Values compare numerically, so `-0.0` and `0.0` are tied.
pub(super) fn average_ranks(values: &[f64]) -> Ranks {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // total_cmp puts -0.0 right before 0.0, so equal values stay adjacent and the `==` below
    // groups them.
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut tie_term = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean is (start + 1 + end) / 2.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    Ranks { ranks, tie_term }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tied_values_share_their_average_rank_and_count_in_the_tie_term() {
        let r = average_ranks(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0]);
        // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
        assert_eq!(
            r.ranks,
            vec![4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0]
        );
        // Ties: {1, 1}, {3, 3}, {5, 5, 5} -> 6 + 6 + 24.
        assert_eq!(r.tie_term, 36.0);
    }

    #[test]
    fn negative_and_positive_zero_are_tied() {
        let r = average_ranks(&[0.0, -0.0, 1.0]);
        assert_eq!(r.ranks, vec![1.5, 1.5, 3.0]);
        assert_eq!(r.tie_term, 6.0);
    }
}
