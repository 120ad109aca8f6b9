//! Degree assortativity of a binary graph (the study's networkx
//! `degree_assortativity_coefficient`).
//!
//! Definition (Newman 2003, eq. 26, for undirected graphs): each edge `{i, j}` contributes
//! both ordered pairs `(k_i, k_j)` and `(k_j, k_i)`, and `r` is the Pearson correlation of
//! the degrees at the two ends over these `2m` pairs. With `μ = Σ_i k_i² / 2m` (the mean
//! end degree),
//! `r = Σ_{(i,j)} (k_i − μ)(k_j − μ) / Σ_{(i,j)} (k_i − μ)²`.
//! networkx computes the same quantity from the degree mixing matrix
//! (`numeric_ac`: `(Σ xy·(M − ab)) / (σ_a σ_b)`); the centred form here is the same number
//! without the cancellation of `E[x²] − E[x]²`. Isolated nodes take part in no edge and so
//! do not matter; self-loops are ignored.

use super::graph::BinaryGraph;
use super::{MetricKind, MetricsError};

/// Newman's degree assortativity coefficient `r ∈ [−1, 1]` (module docs).
///
/// Reference: M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67:026126, 2003;
/// networkx `algorithms.assortativity.degree_assortativity_coefficient`.
///
/// # Errors
/// [`MetricsError::Undefined`] when the graph has no edges or every edge joins nodes of one
/// degree (zero variance: networkx returns NaN there with a runtime warning).
pub fn degree_assortativity(graph: &BinaryGraph) -> Result<f64, MetricsError> {
    let degrees = graph.degrees();
    let ends: usize = degrees.iter().sum();
    let undefined = |reason: &str| MetricsError::Undefined {
        metric: MetricKind::Assortativity,
        reason: reason.into(),
    };
    if ends == 0 {
        return Err(undefined("the graph has no edges"));
    }
    let mean = degrees.iter().map(|&k| (k * k) as f64).sum::<f64>() / ends as f64;
    let (mut covariance, mut variance) = (0.0, 0.0);
    for i in 0..graph.n_nodes() {
        let centred_i = degrees[i] as f64 - mean;
        variance += degrees[i] as f64 * centred_i * centred_i;
        for j in graph.neighbours(i) {
            covariance += centred_i * (degrees[j] as f64 - mean);
        }
    }
    if variance <= 0.0 {
        return Err(undefined(
            "every edge joins nodes of the same degree, so the degree variance is 0",
        ));
    }
    Ok(covariance / variance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_perfectly_disassortative_and_regular_graphs_are_undefined() {
        let star = BinaryGraph::from_edges(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]).unwrap();
        assert!((degree_assortativity(&star).unwrap() + 1.0).abs() < 1e-15);
        let cycle = BinaryGraph::from_edges(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]).unwrap();
        assert!(matches!(
            degree_assortativity(&cycle),
            Err(MetricsError::Undefined {
                metric: MetricKind::Assortativity,
                ..
            })
        ));
        assert!(degree_assortativity(&BinaryGraph::empty(3)).is_err());
    }

    #[test]
    fn a_path_matches_the_hand_computed_pearson_correlation() {
        // Path 0-1-2-3: end-degree pairs (1,2),(2,1),(2,2),(2,2),(2,1),(1,2): r = −1/2.
        let path = BinaryGraph::from_edges(4, &[(0, 1), (1, 2), (2, 3)]).unwrap();
        assert!((degree_assortativity(&path).unwrap() + 0.5).abs() < 1e-15);
    }
}
