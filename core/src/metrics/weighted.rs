//! Measures of the weight matrix itself: Onnela weighted clustering, weighted characteristic
//! path length, wiring cost, sparsity, fraction positive, spectral radius and mean weighted
//! communicability.
//!
//! The graph measures here read the recurrent matrix as an undirected weighted graph, the
//! weighted counterpart of the study's binarisation (undirected by OR, no self-loops):
//! `A_ij = max(|W_ij|, |W_ji|)` for `i ≠ j`, `A_ii = 0`, then `Â = A / max A`, so weights lie
//! in `[0, 1]`. BCT's `clustering_coef_wu` silently assumes that range (its cube roots of
//! unnormalised weights give values above 1); the normalisation is part of the definition
//! here, as BCT's documentation asks (`weight_conversion(W, 'normalize')`).

use ndarray::{Array2, ArrayView2};

use super::{MetricKind, MetricsError, check_weights};
use crate::network::communicability::weighted_communicability;
use crate::network::init;

/// `Â`: `max(|W_ij|, |W_ji|)` off the diagonal, 0 on it, divided by its largest entry.
///
/// # Shapes
/// `w`: `(n, n)` → `(n, n)`, symmetric, entries in `[0, 1]`.
///
/// # Errors
/// The input errors of [`check_weights`]; [`MetricsError::Undefined`] (metric `metric`) when
/// every off-diagonal weight is 0.
pub fn normalised_undirected(
    w: ArrayView2<f64>,
    metric: MetricKind,
) -> Result<Array2<f64>, MetricsError> {
    let n = check_weights("W", w)?;
    let mut a = Array2::from_shape_fn((n, n), |(i, j)| {
        if i == j {
            0.0
        } else {
            w[[i, j]].abs().max(w[[j, i]].abs())
        }
    });
    let largest = a.iter().copied().fold(0.0, f64::max);
    if largest <= 0.0 {
        return Err(MetricsError::Undefined {
            metric,
            reason: "every off-diagonal weight is 0".into(),
        });
    }
    a.mapv_inplace(|x| x / largest);
    Ok(a)
}

/// Mean Onnela weighted clustering of `Â` (BCT `clustering_coef_wu`):
/// `C_i = Σ_{j,k} (â_ij â_jk â_ki)^{1/3} / (k_i (k_i − 1))`, `k_i` the number of non-zero
/// `â_ij`, `C_i = 0` where the numerator is 0.
///
/// Reference: J.-P. Onnela, J. Saramäki, J. Kertész and K. Kaski, "Intensity and coherence of
/// motifs in weighted complex networks", Phys. Rev. E 71:065103, 2005; BCT
/// `clustering_coef_wu`.
///
/// # Shapes
/// `w`: `(n, n)` → scalar in `[0, 1]`.
///
/// # Errors
/// As [`normalised_undirected`].
pub fn weighted_clustering(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    let a = normalised_undirected(w, MetricKind::WeightedClustering)?;
    let n = a.nrows();
    let roots = a.mapv(f64::cbrt);
    let squared = roots.dot(&roots);
    let mut sum = 0.0;
    for i in 0..n {
        let cycles: f64 = (0..n).map(|k| squared[[i, k]] * roots[[k, i]]).sum();
        let degree = a.row(i).iter().filter(|&&x| x != 0.0).count() as f64;
        if cycles != 0.0 {
            sum += cycles / (degree * (degree - 1.0));
        }
    }
    Ok(sum / n as f64)
}

/// Weighted characteristic path length of `Â` with lengths `1/â_ij`: the mean shortest-path
/// length over connected ordered pairs `i ≠ j` (BCT `charpath(distance_wei(1/Â),
/// include_infinite=False)`; shortest paths by Floyd–Warshall).
///
/// Reference: M. Rubinov and O. Sporns, "Complex network measures of brain connectivity",
/// NeuroImage 52:1059–1069, 2010; BCT `weight_conversion(…, 'lengths')`, `distance_wei`,
/// `charpath`.
///
/// # Shapes
/// `w`: `(n, n)` → scalar `≥ 1`.
///
/// # Errors
/// As [`normalised_undirected`].
pub fn weighted_path_length(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    let a = normalised_undirected(w, MetricKind::WeightedPathLength)?;
    let n = a.nrows();
    let mut d = a.mapv(|x| if x > 0.0 { 1.0 / x } else { f64::INFINITY });
    d.diag_mut().fill(0.0);
    let d = d.as_slice_mut().expect("a fresh array is contiguous");
    for k in 0..n {
        let row_k = d[k * n..(k + 1) * n].to_vec();
        for i in 0..n {
            let d_ik = d[i * n + k];
            if d_ik.is_finite() {
                for (d_ij, &d_kj) in d[i * n..(i + 1) * n].iter_mut().zip(&row_k) {
                    let via = d_ik + d_kj;
                    if via < *d_ij {
                        *d_ij = via;
                    }
                }
            }
        }
    }
    let (mut total, mut connected) = (0.0, 0usize);
    for i in 0..n {
        for j in 0..n {
            let x = d[i * n + j];
            if i != j && x.is_finite() {
                total += x;
                connected += 1;
            }
        }
    }
    Ok(total / connected as f64)
}

/// Wiring cost `Σ_ij |W_ij| · D_ij`, the L1 penalty of the spatial variants without `λ`.
///
/// Reference: J. Achterberg, D. Akarca et al., "Spatially embedded recurrent neural networks
/// reveal widespread links between structural and functional neuroscience findings",
/// Nat. Mach. Intell. 5:1369–1381, 2023.
///
/// # Shapes
/// `w`, `distances`: `(n, n)` → scalar.
///
/// # Errors
/// Input errors of [`check_weights`] for either (named `"W"`, `"distances"`);
/// [`MetricsError::ShapeMismatch`]; [`MetricsError::Negative`] for a negative distance.
pub fn wiring_cost(w: ArrayView2<f64>, distances: ArrayView2<f64>) -> Result<f64, MetricsError> {
    let n = check_weights("W", w)?;
    let (rows, cols) = distances.dim();
    if (rows, cols) != (n, n) {
        return Err(MetricsError::ShapeMismatch {
            what: "distances",
            expected: n,
            rows,
            cols,
        });
    }
    check_weights("distances", distances)?;
    if let Some(((row, col), _)) = distances.indexed_iter().find(|(_, d)| **d < 0.0) {
        return Err(MetricsError::Negative {
            what: "distances",
            row,
            col,
        });
    }
    Ok(w.iter()
        .zip(distances.iter())
        .map(|(x, d)| x.abs() * d)
        .sum())
}

/// Sparsity: the fraction of the `N²` entries of `W` that are exactly 0 (diagonal included).
///
/// # Errors
/// Input errors of [`check_weights`].
pub fn sparsity(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    check_weights("W", w)?;
    Ok(w.iter().filter(|&&x| x == 0.0).count() as f64 / w.len() as f64)
}

/// The fraction of the `N²` entries of `W` that are positive (diagonal included).
///
/// # Errors
/// Input errors of [`check_weights`].
pub fn fraction_positive(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    check_weights("W", w)?;
    Ok(w.iter().filter(|&&x| x > 0.0).count() as f64 / w.len() as f64)
}

/// Spectral radius `max_k |λ_k(W)|`, by [`crate::network::init::spectral_radius`] (real Schur
/// decomposition; the radius the initialisers scale to).
///
/// Reference: e.g. H. Jaeger, GMD Report 148, 2001 (the echo-state role of `ρ(W)`).
///
/// # Errors
/// Input errors of [`check_weights`].
pub fn spectral_radius(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    check_weights("W", w)?;
    Ok(init::spectral_radius(w))
}

/// Mean off-diagonal weighted communicability `Σ_{i≠j} C_ij / (n(n−1))`, with
/// `C = expm(S^{−½}|W|S^{−½})` from [`crate::network::communicability::weighted_communicability`]
/// (zero-strength nodes isolated). networkx's `communicability` ignores weights; this is the
/// weighted measure the `…C` penalties use.
///
/// Reference: J. J. Crofts and D. J. Higham, J. R. Soc. Interface 6:411–414, 2009.
///
/// # Errors
/// Input errors of [`check_weights`]; [`MetricsError::Undefined`] for `n = 1`;
/// [`MetricsError::Communicability`] if `expm` overflows.
pub fn mean_communicability(w: ArrayView2<f64>) -> Result<f64, MetricsError> {
    let n = check_weights("W", w)?;
    if n < 2 {
        return Err(MetricsError::Undefined {
            metric: MetricKind::Communicability,
            reason: "there are no off-diagonal pairs in a 1×1 matrix".into(),
        });
    }
    let c = weighted_communicability(w)?;
    Ok(c.matrix.sum() / (n * (n - 1)) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn clustering_of_a_weighted_triangle_is_the_cube_root_mean() {
        // Triangle 0-1-2 with weights 8, 1, 1 (normalised 1, 1/8, 1/8), node 3 hanging
        // off node 0 with weight 8. Geometric mean of the triangle: (1·⅛·⅛)^{1/3} = ¼.
        let w = array![
            [0.0, 8.0, 1.0, 8.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0]
        ];
        // Node 0: k = 3, both orientations of the triangle → 2·¼ / 6; nodes 1, 2: 2·¼ / 2.
        let want = (0.5 / 6.0 + 0.25 + 0.25 + 0.0) / 4.0;
        assert!((weighted_clustering(w.view()).unwrap() - want).abs() < 1e-15);
        // Lengths 1/â: 0-1 = 1, 0-2 = 8, 1-2 = 8, 0-3 = 1. Shortest: 0-2 via 1 is 9 > 8.
        // Pairs: 01 1, 02 8, 03 1, 12 8, 13 2, 23 9 → mean 29/6.
        assert!((weighted_path_length(w.view()).unwrap() - 29.0 / 6.0).abs() < 1e-14);
        let diagonal_only = Array2::from_diag(&array![1.0, 2.0]);
        assert!(matches!(
            weighted_clustering(diagonal_only.view()),
            Err(MetricsError::Undefined { .. })
        ));
    }

    #[test]
    fn counts_and_costs() {
        let w = array![[0.0, -2.0], [3.0, 0.5]];
        assert_eq!(sparsity(w.view()).unwrap(), 0.25);
        assert_eq!(fraction_positive(w.view()).unwrap(), 0.5);
        let d = array![[0.0, 10.0], [10.0, 0.0]];
        assert_eq!(wiring_cost(w.view(), d.view()).unwrap(), 50.0);
        assert!(matches!(
            wiring_cost(w.view(), array![[0.0, -1.0], [1.0, 0.0]].view()),
            Err(MetricsError::Negative { .. })
        ));
        assert!(matches!(
            wiring_cost(w.view(), Array2::zeros((3, 3)).view()),
            Err(MetricsError::ShapeMismatch { .. })
        ));
        // Upper triangular: eigenvalues are the diagonal.
        let t = array![[0.5, 9.0], [0.0, -2.0]];
        assert!((spectral_radius(t.view()).unwrap() - 2.0).abs() < 1e-12);
        let c = mean_communicability(array![[0.0, 1.0], [1.0, 0.0]].view()).unwrap();
        assert!((c - 1f64.sinh()).abs() < 1e-14);
    }
}
