//! Binary undirected graphs as bit matrices, and the study's binarisation of a weight matrix.
//!
//! This module owns [`BinaryGraph`] (one row of `u64` words per node: a 312-node graph is
//! 5 words a row, so a neighbourhood intersection is 5 `AND`s and popcounts) and
//! [`binarise`], the study's threshold rule:
//!
//! `A = |W|`; `t` = the 90th percentile of all `N²` entries of `A` (diagonal included;
//! numpy's default `linear` method); edge `{i, j}` iff `A_ij > t` or `A_ji > t`
//! (undirected by OR, as `networkx.from_numpy_array` builds an undirected graph from an
//! asymmetric matrix); self-loops removed.
//!
//! Self-loops are representable (the study's small-world null keeps them: see
//! [`super::small_world`]); [`BinaryGraph::degree`] and [`BinaryGraph::n_edges`] never count
//! them, [`BinaryGraph::row`] shows them as the diagonal bit.

use ndarray::{Array2, ArrayView2};

use super::{MetricsError, check_weights};

/// An undirected graph on nodes `0..n` stored as a symmetric bit matrix.
///
/// Row `i` is `words` consecutive `u64`s; bit `j % 64` of word `j / 64` is set iff `{i, j}`
/// is an edge (`j == i`: a self-loop). Bits past `n` are always zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryGraph {
    n: usize,
    words: usize,
    bits: Vec<u64>,
}

/// The study's binarised graph of a weight matrix and the threshold that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct Binarisation {
    /// Edges where `|W_ij| > threshold` or `|W_ji| > threshold`, self-loops removed.
    pub graph: BinaryGraph,
    /// The `quantile`-th quantile of all `N²` entries of `|W|` (numpy `linear`).
    pub threshold: f64,
}

impl BinaryGraph {
    /// The graph on `n` nodes with no edges.
    pub fn empty(n: usize) -> BinaryGraph {
        let words = n.div_ceil(64);
        BinaryGraph {
            n,
            words,
            bits: vec![0; n * words],
        }
    }

    /// The graph whose edge `{i, j}` exists iff `a_ij ≠ 0` or `a_ji ≠ 0` (diagonal entries
    /// become self-loops), as `networkx.from_numpy_array` reads a 0/1 matrix.
    ///
    /// # Shapes
    /// `a`: `(n, n)`.
    ///
    /// # Errors
    /// [`MetricsError::Empty`], [`MetricsError::NotSquare`], [`MetricsError::NonFinite`].
    pub fn from_adjacency(a: ArrayView2<f64>) -> Result<BinaryGraph, MetricsError> {
        let n = check_weights("adjacency", a)?;
        let mut graph = BinaryGraph::empty(n);
        for ((i, j), &value) in a.indexed_iter() {
            if value != 0.0 {
                graph.add_edge(i, j);
            }
        }
        Ok(graph)
    }

    /// The graph with the listed undirected edges (`(i, i)` adds a self-loop).
    ///
    /// # Errors
    /// [`MetricsError::Empty`] for `n = 0`; [`MetricsError::InvalidParameter`] for an
    /// endpoint `≥ n`.
    pub fn from_edges(n: usize, edges: &[(usize, usize)]) -> Result<BinaryGraph, MetricsError> {
        if n == 0 {
            return Err(MetricsError::Empty { what: "graph" });
        }
        let mut graph = BinaryGraph::empty(n);
        for &(i, j) in edges {
            if i >= n || j >= n {
                return Err(MetricsError::InvalidParameter {
                    name: "edges",
                    reason: format!("edge ({i}, {j}) has an endpoint outside 0..{n}"),
                });
            }
            graph.add_edge(i, j);
        }
        Ok(graph)
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.n
    }

    /// `u64` words per row (`⌈n / 64⌉`).
    pub fn words_per_row(&self) -> usize {
        self.words
    }

    /// Row `i` of the bit matrix: the neighbours of `i`, and `i` itself if it has a self-loop.
    pub fn row(&self, i: usize) -> &[u64] {
        &self.bits[i * self.words..(i + 1) * self.words]
    }

    /// Whether `{i, j}` is an edge (`i == j`: whether `i` has a self-loop).
    pub fn has_edge(&self, i: usize, j: usize) -> bool {
        self.bits[i * self.words + j / 64] >> (j % 64) & 1 == 1
    }

    /// Adds the undirected edge `{i, j}` (a self-loop when `i == j`).
    pub fn add_edge(&mut self, i: usize, j: usize) {
        self.bits[i * self.words + j / 64] |= 1 << (j % 64);
        self.bits[j * self.words + i / 64] |= 1 << (i % 64);
    }

    /// Removes the undirected edge `{i, j}`.
    pub fn remove_edge(&mut self, i: usize, j: usize) {
        self.bits[i * self.words + j / 64] &= !(1 << (j % 64));
        self.bits[j * self.words + i / 64] &= !(1 << (i % 64));
    }

    /// Removes every edge, keeping `n`.
    pub fn clear(&mut self) {
        self.bits.fill(0);
    }

    /// Degree of `i`: its neighbours other than itself (a self-loop is not counted).
    pub fn degree(&self, i: usize) -> usize {
        let own = usize::from(self.has_edge(i, i));
        popcount(self.row(i)) - own
    }

    /// All degrees, as [`BinaryGraph::degree`].
    pub fn degrees(&self) -> Vec<usize> {
        (0..self.n).map(|i| self.degree(i)).collect()
    }

    /// Number of undirected edges between distinct nodes.
    pub fn n_edges(&self) -> usize {
        (0..self.n).map(|i| self.degree(i)).sum::<usize>() / 2
    }

    /// Number of self-loops.
    pub fn n_self_loops(&self) -> usize {
        (0..self.n).filter(|&i| self.has_edge(i, i)).count()
    }

    /// Edge density `m / (n(n−1)/2)` over distinct pairs (0 for a single node).
    pub fn density(&self) -> f64 {
        let pairs = self.n * self.n.saturating_sub(1) / 2;
        if pairs == 0 {
            0.0
        } else {
            self.n_edges() as f64 / pairs as f64
        }
    }

    /// The neighbours of `i` other than `i`, ascending.
    pub fn neighbours(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        ones(self.row(i)).filter(move |&j| j != i)
    }

    /// The edges `(i, j)` with `i < j`, in row-major order.
    pub fn edges(&self) -> Vec<(usize, usize)> {
        (0..self.n)
            .flat_map(|i| {
                self.neighbours(i)
                    .filter(move |&j| j > i)
                    .map(move |j| (i, j))
            })
            .collect()
    }

    /// The same graph with every self-loop removed.
    pub fn without_self_loops(&self) -> BinaryGraph {
        let mut graph = self.clone();
        for i in 0..self.n {
            graph.bits[i * self.words + i / 64] &= !(1 << (i % 64));
        }
        graph
    }

    /// The 0/1 adjacency matrix (`networkx.to_numpy_array` of the graph).
    ///
    /// # Shapes
    /// `(n, n)`.
    pub fn to_dense(&self) -> Array2<f64> {
        Array2::from_shape_fn((self.n, self.n), |(i, j)| {
            if self.has_edge(i, j) { 1.0 } else { 0.0 }
        })
    }
}

/// The study's binarisation: `|W_ij| > t` or `|W_ji| > t`, self-loops removed, with `t` the
/// `quantile` of all `N²` entries of `|W|` ([`quantile_linear`]).
///
/// Reference: the study's `model_metrics` (`np.quantile(|W|, q=0.9)`, `(|W| > t)`,
/// `nx.from_numpy_array`, `G.remove_edges_from(nx.selfloop_edges(G))`).
///
/// # Shapes
/// `w`: `(n, n)` → a graph on `n` nodes.
///
/// # Errors
/// [`MetricsError::Empty`], [`MetricsError::NotSquare`], [`MetricsError::NonFinite`] for `w`
/// (named `"W"`); [`MetricsError::InvalidParameter`] unless `0 < quantile < 1`.
pub fn binarise(w: ArrayView2<f64>, quantile: f64) -> Result<Binarisation, MetricsError> {
    let n = check_weights("W", w)?;
    check_quantile(quantile)?;
    let magnitudes: Vec<f64> = w.iter().map(|x| x.abs()).collect();
    let threshold = quantile_linear(&magnitudes, quantile);
    let mut graph = BinaryGraph::empty(n);
    for ((i, j), &value) in w.indexed_iter() {
        if i != j && value.abs() > threshold {
            graph.add_edge(i, j);
        }
    }
    Ok(Binarisation { graph, threshold })
}

/// The `q`-quantile of `values` by numpy's default (`method="linear"`, Hyndman & Fan type 7),
/// reproduced operation by operation so that ties at the threshold fall the same way:
/// virtual index `v = (n − 1)·q`, `lo = ⌊v⌋`, `γ = v − lo`; with `a = x_(lo)`,
/// `b = x_(lo+1)` (order statistics), `a + (b − a)·γ` if `γ < 0.5` else `b − (b − a)·(1 − γ)`;
/// `v ≥ n − 1` gives the maximum.
///
/// Reference: numpy `lib/_function_base_impl.py` (`_quantile`, `_lerp`); R. J. Hyndman and
/// Y. Fan, "Sample quantiles in statistical packages", Am. Stat. 50:361–365, 1996.
///
/// `values` must be non-empty, finite, and `q ∈ [0, 1]`; [`binarise`] validates them.
pub(crate) fn quantile_linear(values: &[f64], q: f64) -> f64 {
    let n = values.len();
    let mut sorted = values.to_vec();
    let virtual_index = (n - 1) as f64 * q;
    if virtual_index >= (n - 1) as f64 {
        return sorted.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    let lo = virtual_index.floor() as usize;
    let gamma = virtual_index - lo as f64;
    let (_, &mut a, upper) = sorted.select_nth_unstable_by(lo, f64::total_cmp);
    let b = upper.iter().copied().fold(f64::INFINITY, f64::min);
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

pub(crate) fn check_quantile(quantile: f64) -> Result<(), MetricsError> {
    if quantile > 0.0 && quantile < 1.0 {
        Ok(())
    } else {
        Err(MetricsError::InvalidParameter {
            name: "threshold_quantile",
            reason: format!("must lie strictly between 0 and 1, got {quantile}"),
        })
    }
}

/// Number of set bits.
pub(crate) fn popcount(words: &[u64]) -> usize {
    words.iter().map(|w| w.count_ones() as usize).sum()
}

/// Number of bits set in both.
pub(crate) fn popcount_and(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as usize)
        .sum()
}

/// The indices of the set bits, ascending.
pub(crate) fn ones(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(k, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            if rest == 0 {
                None
            } else {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(k * 64 + bit)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn quantile_matches_numpy_on_hand_checked_cases() {
        // np.quantile([1, 2, 3, 4], 0.9) = 3.7; [5] → 5; [0, 10] at 0.25 → 2.5;
        // at 0.75 → 7.5 (the b − (b − a)(1 − γ) branch).
        assert!((quantile_linear(&[4.0, 1.0, 3.0, 2.0], 0.9) - 3.7).abs() < 1e-15);
        assert_eq!(quantile_linear(&[5.0], 0.9), 5.0);
        assert_eq!(quantile_linear(&[10.0, 0.0], 0.25), 2.5);
        assert_eq!(quantile_linear(&[10.0, 0.0], 0.75), 7.5);
        assert_eq!(quantile_linear(&[1.0, 1.0, 1.0], 0.9), 1.0);
    }

    #[test]
    fn binarisation_is_or_symmetrised_and_drops_self_loops() {
        // |W| sorted: 1 2 3 4 5 6 7 9 9.5; the 0.7 quantile is 6.6 (γ = 0.6: the
        // b − (b − a)(1 − γ) branch). Above it: 9 at (1, 0) and the diagonal 7, 9.5, which
        // are dropped.
        let w = array![[9.5, 1.0, 2.0], [-9.0, 3.0, 4.0], [5.0, 6.0, 7.0]];
        let b = binarise(w.view(), 0.7).unwrap();
        assert!((b.threshold - 6.6).abs() < 1e-12, "{}", b.threshold);
        assert!(b.graph.has_edge(0, 1) && b.graph.has_edge(1, 0));
        assert_eq!(b.graph.n_edges(), 1);
        assert_eq!(b.graph.n_self_loops(), 0);
        assert!(matches!(
            binarise(w.view(), 1.0),
            Err(MetricsError::InvalidParameter { .. })
        ));
    }

    #[test]
    fn bit_rows_count_degrees_without_self_loops() {
        let mut g = BinaryGraph::from_edges(70, &[(0, 69), (0, 1), (3, 3), (64, 65)]).unwrap();
        assert_eq!(g.words_per_row(), 2);
        assert_eq!(g.degree(0), 2);
        assert_eq!(g.degree(3), 0);
        assert_eq!(g.n_edges(), 3);
        assert_eq!(g.n_self_loops(), 1);
        assert_eq!(g.neighbours(0).collect::<Vec<_>>(), vec![1, 69]);
        assert_eq!(g.edges(), vec![(0, 1), (0, 69), (64, 65)]);
        g.remove_edge(69, 0);
        assert!(!g.has_edge(0, 69));
        assert_eq!(g.without_self_loops().n_self_loops(), 0);
        let dense = g.to_dense();
        assert_eq!(BinaryGraph::from_adjacency(dense.view()).unwrap(), g);
        assert!(BinaryGraph::from_edges(3, &[(0, 3)]).is_err());
    }
}
