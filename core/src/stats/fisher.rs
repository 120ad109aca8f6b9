//! Fisher's exact test of a 2×2 table of counts, two-sided, as
//! `scipy.stats.fisher_exact(table, alternative='two-sided')` computes its p-value.
//!
//! With the margins fixed, the top-left count `x` is hypergeometric:
//! `P(x) = C(r₁, x) · C(r₂, c₁ − x) / C(n, c₁)` for rows `r₁`, `r₂`, first column `c₁` and
//! total `n`. The two-sided p is the sum of `P(x)` over every `x` no more probable than the
//! observed table, `P(x) ≤ P(observed) · (1 + 10⁻⁷)`, so that tables equally probable up to
//! rounding count on both sides (scipy allows 10⁻¹⁴ on its own pmf; the probabilities here go
//! through ln Γ and carry more rounding). A table with an empty row or column has one possible
//! `x` and p = 1, as scipy gives. `core/tests/stats_fixtures.rs` checks it against scipy.
//!
//! Used by the study report to ask whether two samples of seeds differ in how often an event
//! happened (for example, how often the penalty drove `W_rec` to zero).

use statrs::function::gamma::ln_gamma;

/// ln C(n, k) for k ≤ n.
fn ln_choose(n: u64, k: u64) -> f64 {
    let (n, k) = (n as f64, k as f64);
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// The two-sided p-value of Fisher's exact test of `[[a, b], [c, d]]` (rows are the two
/// samples, columns the event and its absence). Always in [0, 1].
pub fn fisher_exact([[a, b], [c, d]]: [[u64; 2]; 2]) -> f64 {
    let (r1, r2, c1) = (a + b, c + d, a + c);
    let n = r1 + r2;
    let ln_total = ln_choose(n, c1);
    let probability = |x: u64| (ln_choose(r1, x) + ln_choose(r2, c1 - x) - ln_total).exp();
    let low = c1.saturating_sub(r2);
    let high = r1.min(c1);
    let observed = probability(a) * (1.0 + 1e-7);
    let p: f64 = (low..=high)
        .map(probability)
        .filter(|&p| p <= observed)
        .sum();
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tea_tasting_table() {
        // Fisher's lady tasting tea: 3 of 4 cups right; scipy gives 0.48571428571428565.
        assert!((fisher_exact([[3, 1], [1, 3]]) - 0.485_714_285_714_285_65).abs() < 1e-12);
    }

    #[test]
    fn an_empty_margin_gives_one_and_symmetric_tables_agree() {
        assert_eq!(fisher_exact([[0, 0], [3, 5]]), 1.0);
        assert_eq!(fisher_exact([[0, 4], [0, 5]]), 1.0);
        // scipy: 0.0012285012285012285, whichever way round the table is written.
        for table in [[[0, 20], [9, 11]], [[9, 11], [0, 20]], [[20, 0], [11, 9]]] {
            let p = fisher_exact(table);
            assert!(
                (p - 0.001_228_501_228_501_228_5).abs() < 1e-15,
                "{table:?}: {p}"
            );
        }
    }
}
