//! Clustering, efficiency, path length and small-worldness of a binary graph, with the
//! study's null model and three better ones.
//!
//! Observed quantities (BCT, Rubinov & Sporns 2010):
//! - `C` = mean of `clustering_coef_bu`: for node `u` with row set `V` of the adjacency matrix
//!   (its neighbours, and `u` itself if it has a self-loop) and `k = |V|`,
//!   `C_u = Σ_{v,w ∈ V} A_vw / (k² − k)` if `k ≥ 2`, else 0;
//! - `E` = `efficiency_bin`: `E = Σ_{i≠j} 1/d_ij / (n(n−1))`, `1/∞ = 0`;
//! - `L` = characteristic path length: mean of `d_ij` over ordered pairs `i ≠ j` that are
//!   connected (BCT `charpath(D, include_infinite=False)`).
//!
//! Small-worldness as the study computes it: `σ = (C / C̄_null) / (Ē_null / E)`, with
//! `C̄_null`, `Ē_null` the means over the null graphs.
//!
//! The study's null ([`NullModel::Study`]), reproduced as its code builds it: for each of the
//! nulls, `U` is an `n × n` matrix of independent uniforms on `[0, 1)` (53-bit, like
//! `np.random.rand(n, n)`), `S = (U + Uᵀ)/2`, and `A = (S > 0.7)`. Nothing else: in particular
//! the diagonal is kept, so node `i` has a self-loop when `U_ii > 0.7` (probability 0.3), and
//! BCT's `clustering_coef_bu` then counts `i` among its own neighbours (`k` one larger, the
//! sum taking in row `i`), which this module reproduces bit for bit. Self-loops never change
//! `E` (a distance is between distinct nodes). Off the diagonal an edge has probability
//! `P(U₁ + U₂ > 1.4) = 0.18` whatever the observed graph's density, which is why `σ` against
//! this null mostly measures density; the study's code calls `np.random.rand` unseeded, here
//! null `k` draws from ChaCha8 seeded with `seed` on stream `k` (drawing only the bits of `U`
//! that can change `A`, which leaves its distribution exactly as is: see `study_null`), so a
//! result is reproducible and comparable to numpy's only in distribution (the fixtures compare
//! means within their standard errors).
//!
//! Better nulls, beside it and named as such:
//! - [`NullModel::DensityMatched`]: `G(n, m)` with the observed `n` and number of edges `m`;
//! - [`NullModel::DegreeMatched`]: Maslov–Sneppen rewiring of the observed graph (BCT
//!   `randmio_und`, `iterations` swaps attempted per edge), which keeps every degree;
//! - [`NullModel::RingLattice`]: the Watts–Strogatz ring with the observed `n` and `m` (edges
//!   `{i, i+d mod n}` by increasing `d`, then `i`, until `m` are placed), the lattice end of ω.
//!
//! Small-world ω (Telesford et al. 2011) is `L_rand/L − C/C_latt` with `L_rand` from the
//! degree-matched nulls and `C_latt` from the ring lattice (deterministic: one graph). BCT's
//! latticisation (`latmio_und`) would keep degrees in the lattice too, but it rejects most
//! swaps once the lattice forms (it allows `round(2m/(n−1)) + 1` attempts per swap, ~60 at
//! N = 312), which would make ω by far the slowest metric here; the ring is the substrate of
//! Watts & Strogatz's and Telesford et al.'s definitions.
//!
//! Speed: graphs are bit matrices ([`BinaryGraph`]); one pass per source node computes its
//! clustering (popcounts of row intersections) and a breadth-first search over bit rows that
//! switches to the bottom-up direction when the unvisited set is smaller than the frontier.
//! Nulls are independent, so they can run on several threads with identical results.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::graph::{BinaryGraph, ones, popcount, popcount_and};
use super::{MetricKind, MetricsError};

/// The study's null threshold on `(U + Uᵀ)/2`.
pub const STUDY_NULL_THRESHOLD: f64 = 0.7;

/// Random streams of the nulls: null `k` of seed `s` is ChaCha8 seeded with `s` on stream
/// `base + k`.
const STUDY_STREAM: u64 = 0;
const DENSITY_STREAM: u64 = 1 << 40;
const DEGREE_STREAM: u64 = 2 << 40;

/// Which null graphs a small-world comparison draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NullModel {
    /// The study's: `(U + Uᵀ)/2 > 0.7`, `U` uniform, self-loops kept (module docs).
    Study,
    /// `G(n, m)`: uniform among graphs with the observed numbers of nodes and edges.
    DensityMatched,
    /// Maslov–Sneppen rewiring of the observed graph: every degree kept.
    DegreeMatched,
    /// The ring lattice with the observed numbers of nodes and edges (deterministic).
    RingLattice,
}

/// `C`, `E` and `L` of one graph (module docs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphStats {
    /// Mean BCT `clustering_coef_bu`.
    pub clustering: f64,
    /// BCT `efficiency_bin`.
    pub efficiency: f64,
    /// Mean distance over connected ordered pairs; `None` when no pair is connected.
    pub path_length: Option<f64>,
}

/// Summary of the nulls of one model: means and sample standard deviations (`ddof = 1`;
/// 0 for a single null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NullSummary {
    pub model: NullModel,
    pub n_nulls: usize,
    pub clustering_mean: f64,
    pub clustering_sd: f64,
    pub efficiency_mean: f64,
    pub efficiency_sd: f64,
    /// Mean path length over the nulls that have a connected pair (`None` if none has).
    pub path_length_mean: Option<f64>,
    /// Their sample standard deviation (`None` likewise; 0 for one such null).
    pub path_length_sd: Option<f64>,
    /// Sample covariance of the nulls' clustering and efficiency (for [`SmallWorld::sigma_se`]).
    pub clustering_efficiency_cov: f64,
}

/// Small-worldness `σ = (C/C̄_null)/(Ē_null/E)` against one null model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmallWorld {
    pub sigma: f64,
    /// Standard error of `σ` from the nulls' sampling error (delta method on
    /// `log σ = log C + log E − log C̄ − log Ē`, covariance of `C̄` and `Ē` included).
    pub sigma_se: f64,
    /// Observed `C`.
    pub clustering: f64,
    /// Observed `E`.
    pub efficiency: f64,
    pub null: NullSummary,
}

/// Small-world ω (Telesford et al. 2011) against degree-matched random and ring-lattice
/// references (module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Omega {
    /// `L_rand / L − C / C_latt`, in `[−1, 1]` for typical graphs: near 0 small-world,
    /// positive random-like, negative lattice-like.
    pub omega: f64,
    pub path_length: f64,
    pub path_length_random: f64,
    pub clustering: f64,
    pub clustering_lattice: f64,
}

/// BCT `clustering_coef_bu` of every node, self-loops counted as BCT counts them
/// (module docs).
///
/// Reference: D. J. Watts and S. H. Strogatz, "Collective dynamics of 'small-world'
/// networks", Nature 393:440–442, 1998; BCT `clustering_coef_bu` (M. Rubinov and O. Sporns,
/// NeuroImage 52:1059–1069, 2010).
///
/// # Shapes
/// `n` nodes → `n` values in `[0, 1]`.
pub fn clustering_coef_bu(graph: &BinaryGraph) -> Vec<f64> {
    (0..graph.n_nodes())
        .map(|u| node_clustering(graph, u))
        .collect()
}

/// BCT `efficiency_bin` (global efficiency, Latora & Marchiori 2001):
/// `E = Σ_{i≠j} 1/d_ij / (n(n−1))`.
///
/// Reference: V. Latora and M. Marchiori, "Efficient behavior of small-world networks",
/// Phys. Rev. Lett. 87:198701, 2001; BCT `efficiency_bin`.
///
/// # Errors
/// [`MetricsError::Undefined`] for fewer than 2 nodes.
pub fn efficiency_bin(graph: &BinaryGraph) -> Result<f64, MetricsError> {
    check_two_nodes(graph, MetricKind::SmallWorld)?;
    Ok(graph_stats(graph, &mut Scratch::new(graph)).efficiency)
}

/// Characteristic path length: the mean shortest-path length over connected ordered pairs
/// `i ≠ j` (BCT `charpath(distance_bin(A), include_infinite=False)`).
///
/// Reference: Watts & Strogatz 1998; BCT `charpath`.
///
/// # Errors
/// [`MetricsError::Undefined`] when no two distinct nodes are connected.
pub fn characteristic_path_length(graph: &BinaryGraph) -> Result<f64, MetricsError> {
    graph_stats(graph, &mut Scratch::new(graph))
        .path_length
        .ok_or_else(|| MetricsError::Undefined {
            metric: MetricKind::PathLength,
            reason: "no two distinct nodes are connected".into(),
        })
}

/// `C`, `E` and `L` of one graph in one pass (module docs).
pub fn graph_statistics(graph: &BinaryGraph) -> GraphStats {
    graph_stats(graph, &mut Scratch::new(graph))
}

/// One null graph of `model` for `graph` (`k`-th of seed `seed`, as the summaries draw it;
/// `iterations` swaps per edge for [`NullModel::DegreeMatched`]).
///
/// # Errors
/// [`MetricsError::Empty`] for a graph without nodes.
pub fn null_graph(
    graph: &BinaryGraph,
    model: NullModel,
    k: u64,
    seed: u64,
    iterations: usize,
) -> Result<BinaryGraph, MetricsError> {
    let n = graph.n_nodes();
    if n == 0 {
        return Err(MetricsError::Empty { what: "graph" });
    }
    Ok(match model {
        NullModel::Study => {
            let mut out = BinaryGraph::empty(n);
            let mut buffers = NullBuffers::default();
            study_null(&mut out, &mut buffers, &mut stream(seed, STUDY_STREAM + k));
            out
        }
        NullModel::DensityMatched => gnm(n, graph.n_edges(), &mut stream(seed, DENSITY_STREAM + k)),
        NullModel::DegreeMatched => maslov_sneppen(
            &graph.without_self_loops(),
            iterations,
            &mut stream(seed, DEGREE_STREAM + k),
        ),
        NullModel::RingLattice => ring_lattice(n, graph.n_edges()),
    })
}

/// Means and SDs of `C`, `E`, `L` over `n_nulls` nulls of `model` for `graph`, computed on
/// `threads` threads (the result does not depend on `threads`).
///
/// # Errors
/// [`MetricsError::Undefined`] for fewer than 2 nodes; [`MetricsError::InvalidParameter`] for
/// `n_nulls = 0` or `threads = 0`.
pub fn null_summary(
    graph: &BinaryGraph,
    model: NullModel,
    n_nulls: usize,
    seed: u64,
    iterations: usize,
    threads: usize,
) -> Result<NullSummary, MetricsError> {
    null_summary_until(graph, model, n_nulls, seed, iterations, threads, &|| false)
}

/// [`null_summary`] that gives up with [`MetricsError::Stopped`] once `stop()` says so; it is
/// asked before every null, on every thread.
pub fn null_summary_until(
    graph: &BinaryGraph,
    model: NullModel,
    n_nulls: usize,
    seed: u64,
    iterations: usize,
    threads: usize,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<NullSummary, MetricsError> {
    check_two_nodes(graph, MetricKind::SmallWorld)?;
    if n_nulls == 0 || threads == 0 {
        return Err(MetricsError::InvalidParameter {
            name: if n_nulls == 0 { "n_nulls" } else { "threads" },
            reason: "must be at least 1".into(),
        });
    }
    let n = graph.n_nodes();
    let observed = graph.without_self_loops();
    let samples: Vec<GraphStats> = match model {
        NullModel::RingLattice => {
            // Deterministic: one graph, whatever `n_nulls` says.
            vec![graph_statistics(&ring_lattice(n, observed.n_edges()))]
        }
        NullModel::Study => parallel_nulls(n_nulls, threads, n, stop, |k, out, buffers| {
            study_null(out, buffers, &mut stream(seed, STUDY_STREAM + k));
        }),
        NullModel::DensityMatched => parallel_nulls(n_nulls, threads, n, stop, |k, out, _| {
            *out = gnm(n, observed.n_edges(), &mut stream(seed, DENSITY_STREAM + k));
        }),
        NullModel::DegreeMatched => parallel_nulls(n_nulls, threads, n, stop, |k, out, _| {
            *out = maslov_sneppen(&observed, iterations, &mut stream(seed, DEGREE_STREAM + k));
        }),
    };
    let expected = if matches!(model, NullModel::RingLattice) {
        1
    } else {
        n_nulls
    };
    if samples.len() < expected {
        return Err(MetricsError::Stopped);
    }
    Ok(summarise(model, &samples))
}

/// `σ = (C/C̄_null)/(Ē_null/E)` of `graph` against `null` (see [`null_summary`]).
///
/// Reference: M. D. Humphries, K. Gurney and T. J. Prescott, Proc. R. Soc. B 273:503–511,
/// 2006 (σ), in the study's efficiency form; the study's `model_metrics` for the null.
///
/// # Errors
/// [`MetricsError::Undefined`] (metric `metric`) when the graph has no edges, or the nulls'
/// mean clustering or efficiency is 0 (σ would be infinite or NaN).
pub fn small_world(
    graph: &BinaryGraph,
    null: NullSummary,
    metric: MetricKind,
) -> Result<SmallWorld, MetricsError> {
    let observed = graph.without_self_loops();
    if observed.n_edges() == 0 {
        return Err(MetricsError::Undefined {
            metric,
            reason: "the graph has no edges, so C = E = 0".into(),
        });
    }
    if !(null.clustering_mean > 0.0 && null.efficiency_mean > 0.0) {
        return Err(MetricsError::Undefined {
            metric,
            reason: format!(
                "the nulls have mean clustering {} and efficiency {}; σ needs both positive",
                null.clustering_mean, null.efficiency_mean
            ),
        });
    }
    let stats = graph_statistics(&observed);
    let (c, e) = (stats.clustering, stats.efficiency);
    let sigma = (c / null.clustering_mean) / (null.efficiency_mean / e);
    let k = null.n_nulls as f64;
    let rel_c = null.clustering_sd / null.clustering_mean;
    let rel_e = null.efficiency_sd / null.efficiency_mean;
    let rel_ce = null.clustering_efficiency_cov / (null.clustering_mean * null.efficiency_mean);
    let variance_log = (rel_c * rel_c + rel_e * rel_e + 2.0 * rel_ce) / k;
    Ok(SmallWorld {
        sigma,
        sigma_se: sigma * variance_log.max(0.0).sqrt(),
        clustering: c,
        efficiency: e,
        null,
    })
}

/// Small-world ω = `L_rand/L − C/C_latt` (module docs), `random` a degree-matched summary.
///
/// Reference: Q. K. Telesford, K. E. Joyce, S. Hayasaka, J. H. Burdette and P. J. Laurienti,
/// "The ubiquity of small-world networks", Brain Connect. 1:367–375, 2011.
///
/// # Errors
/// [`MetricsError::Undefined`] when the graph has no connected pair, the random nulls have
/// none, or the ring lattice has zero clustering (fewer edges than the ring of distance 1
/// plus one shell, `C_latt = 0`).
pub fn omega(graph: &BinaryGraph, random: &NullSummary) -> Result<Omega, MetricsError> {
    let undefined = |reason: String| MetricsError::Undefined {
        metric: MetricKind::Omega,
        reason,
    };
    let observed = graph.without_self_loops();
    let stats = graph_statistics(&observed);
    let path_length = stats
        .path_length
        .ok_or_else(|| undefined("no two distinct nodes are connected".into()))?;
    let path_length_random = random
        .path_length_mean
        .ok_or_else(|| undefined("the random nulls have no connected pair".into()))?;
    let lattice = graph_statistics(&ring_lattice(observed.n_nodes(), observed.n_edges()));
    if lattice.clustering <= 0.0 {
        return Err(undefined(format!(
            "the ring lattice with {} edges on {} nodes has no triangle",
            observed.n_edges(),
            observed.n_nodes()
        )));
    }
    Ok(Omega {
        omega: path_length_random / path_length - stats.clustering / lattice.clustering,
        path_length,
        path_length_random,
        clustering: stats.clustering,
        clustering_lattice: lattice.clustering,
    })
}

fn check_two_nodes(graph: &BinaryGraph, metric: MetricKind) -> Result<(), MetricsError> {
    if graph.n_nodes() < 2 {
        Err(MetricsError::Undefined {
            metric,
            reason: "efficiency needs at least 2 nodes (it averages over n(n − 1) pairs)".into(),
        })
    } else {
        Ok(())
    }
}

fn stream(seed: u64, number: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(number);
    rng
}

/// BCT's `C_u` (module docs): `V` is row `u` as stored, self-loop included.
fn node_clustering(graph: &BinaryGraph, u: usize) -> f64 {
    let row = graph.row(u);
    let k = popcount(row);
    if k < 2 {
        return 0.0;
    }
    let sum: usize = ones(row).map(|v| popcount_and(graph.row(v), row)).sum();
    sum as f64 / (k * k - k) as f64
}

/// Reusable buffers of one thread.
struct Scratch {
    visited: Vec<u64>,
    frontier: Vec<u64>,
    next: Vec<u64>,
    /// `count[d]`: ordered pairs at distance `d`.
    count: Vec<u64>,
}

impl Scratch {
    fn new(graph: &BinaryGraph) -> Scratch {
        let words = graph.words_per_row();
        Scratch {
            visited: vec![0; words],
            frontier: vec![0; words],
            next: vec![0; words],
            count: vec![0; graph.n_nodes() + 1],
        }
    }
}

/// Clustering of every node and a breadth-first search from every node, sharing the first
/// level: the union of the neighbours' rows is both the clustering's and the search's work.
fn graph_stats(graph: &BinaryGraph, scratch: &mut Scratch) -> GraphStats {
    let n = graph.n_nodes();
    let words = graph.words_per_row();
    let tail_mask = if n.is_multiple_of(64) {
        u64::MAX
    } else {
        (1u64 << (n % 64)) - 1
    };
    scratch.count.iter_mut().for_each(|c| *c = 0);
    let mut clustering_sum = 0.0;
    for s in 0..n {
        let row_s = graph.row(s);
        let k = popcount(row_s);
        // Fixed row widths let the compiler keep a row in registers (n ≤ 512).
        let triangles = match words {
            1 => first_level::<1>(graph, s, &mut scratch.next),
            2 => first_level::<2>(graph, s, &mut scratch.next),
            3 => first_level::<3>(graph, s, &mut scratch.next),
            4 => first_level::<4>(graph, s, &mut scratch.next),
            5 => first_level::<5>(graph, s, &mut scratch.next),
            6 => first_level::<6>(graph, s, &mut scratch.next),
            7 => first_level::<7>(graph, s, &mut scratch.next),
            8 => first_level::<8>(graph, s, &mut scratch.next),
            _ => first_level_any(graph, s, &mut scratch.next),
        };
        if k >= 2 {
            clustering_sum += triangles as f64 / (k * k - k) as f64;
        }
        // Level 1: the neighbours (not s itself).
        scratch.visited.copy_from_slice(row_s);
        scratch.visited[s / 64] |= 1 << (s % 64);
        scratch.frontier.copy_from_slice(row_s);
        scratch.frontier[s / 64] &= !(1 << (s % 64));
        let mut reached = popcount(&scratch.frontier);
        scratch.count[1] += reached as u64;
        let mut unvisited = n - reached - 1;
        let mut distance = 1;
        let mut next_ready = true; // `next` already holds the union of the level-1 rows.
        while unvisited > 0 && reached > 0 {
            if !next_ready {
                scratch.next.iter_mut().for_each(|w| *w = 0);
                if reached <= unvisited {
                    for v in ones(&scratch.frontier) {
                        for (acc, &x) in scratch.next.iter_mut().zip(graph.row(v)) {
                            *acc |= x;
                        }
                    }
                } else {
                    // Bottom-up: an unvisited node joins if its row meets the frontier.
                    for word in 0..words {
                        let mask = if word == words - 1 {
                            tail_mask
                        } else {
                            u64::MAX
                        };
                        let mut rest = !scratch.visited[word] & mask;
                        while rest != 0 {
                            let u = word * 64 + rest.trailing_zeros() as usize;
                            rest &= rest - 1;
                            let row_u = graph.row(u);
                            if row_u.iter().zip(&scratch.frontier).any(|(a, b)| a & b != 0) {
                                scratch.next[word] |= 1 << (u % 64);
                            }
                        }
                    }
                }
            }
            next_ready = false;
            for (nx, &seen) in scratch.next.iter_mut().zip(&scratch.visited) {
                *nx &= !seen;
            }
            reached = popcount(&scratch.next);
            if reached == 0 {
                break;
            }
            distance += 1;
            scratch.count[distance] += reached as u64;
            unvisited -= reached;
            for (seen, &x) in scratch.visited.iter_mut().zip(&scratch.next) {
                *seen |= x;
            }
            std::mem::swap(&mut scratch.frontier, &mut scratch.next);
        }
    }
    let pairs = (n * n.saturating_sub(1)) as f64;
    let (mut inverse_sum, mut length_sum, mut connected) = (0.0, 0.0, 0u64);
    for (d, &c) in scratch.count.iter().enumerate().skip(1) {
        inverse_sum += c as f64 / d as f64;
        length_sum += (c * d as u64) as f64;
        connected += c;
    }
    GraphStats {
        clustering: clustering_sum / n as f64,
        efficiency: if pairs > 0.0 {
            inverse_sum / pairs
        } else {
            0.0
        },
        path_length: (connected > 0).then(|| length_sum / connected as f64),
    }
}

/// For source `s`: `Σ_{v ∈ row s} |row v ∩ row s|` (BCT's clustering numerator) and, into
/// `next`, the union of the rows of `row s` (level 2 of the search before removing visited
/// nodes; `s`'s own row, present when it has a self-loop, only adds visited nodes).
fn first_level<const W: usize>(graph: &BinaryGraph, s: usize, next: &mut [u64]) -> usize {
    let row_s: [u64; W] = graph.row(s).try_into().expect("rows are W words");
    let mut union = [0u64; W];
    let mut triangles = 0;
    for v in ones(&row_s) {
        let row_v: [u64; W] = graph.row(v).try_into().expect("rows are W words");
        for w in 0..W {
            triangles += (row_v[w] & row_s[w]).count_ones() as usize;
            union[w] |= row_v[w];
        }
    }
    next.copy_from_slice(&union);
    triangles
}

/// [`first_level`] for any row width.
fn first_level_any(graph: &BinaryGraph, s: usize, next: &mut [u64]) -> usize {
    let row_s = graph.row(s);
    next.fill(0);
    let mut triangles = 0;
    for v in ones(row_s) {
        let row_v = graph.row(v);
        triangles += popcount_and(row_v, row_s);
        for (acc, &x) in next.iter_mut().zip(row_v) {
            *acc |= x;
        }
    }
    triangles
}

/// Runs `make(k, graph, buffers)` then [`graph_stats`] for `k in 0..n_nulls`, split into
/// contiguous blocks over `threads` scoped threads; results in `k` order.
/// Stops early (returning fewer samples) once `stop()` says so.
fn parallel_nulls<F>(
    n_nulls: usize,
    threads: usize,
    n: usize,
    stop: &(dyn Fn() -> bool + Sync),
    make: F,
) -> Vec<GraphStats>
where
    F: Fn(u64, &mut BinaryGraph, &mut NullBuffers) + Sync,
{
    let run_block = |range: std::ops::Range<usize>| -> Vec<GraphStats> {
        let mut graph = BinaryGraph::empty(n);
        let mut scratch = Scratch::new(&graph);
        let mut buffers = NullBuffers::default();
        let mut samples = Vec::with_capacity(range.len());
        for k in range {
            if stop() {
                break;
            }
            make(k as u64, &mut graph, &mut buffers);
            samples.push(graph_stats(&graph, &mut scratch));
        }
        samples
    };
    let threads = threads.min(n_nulls);
    if threads <= 1 {
        return run_block(0..n_nulls);
    }
    let block = n_nulls.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * block).min(n_nulls)..((t + 1) * block).min(n_nulls);
                let run_block = &run_block;
                scope.spawn(move || run_block(range))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a null-model thread panicked"))
            .collect()
    })
}

fn summarise(model: NullModel, samples: &[GraphStats]) -> NullSummary {
    let k = samples.len() as f64;
    let c_mean = samples.iter().map(|s| s.clustering).sum::<f64>() / k;
    let e_mean = samples.iter().map(|s| s.efficiency).sum::<f64>() / k;
    let (mut c_var, mut e_var, mut cov) = (0.0, 0.0, 0.0);
    for s in samples {
        let (dc, de) = (s.clustering - c_mean, s.efficiency - e_mean);
        c_var += dc * dc;
        e_var += de * de;
        cov += dc * de;
    }
    let dof = if samples.len() > 1 { k - 1.0 } else { 1.0 };
    let lengths: Vec<f64> = samples.iter().filter_map(|s| s.path_length).collect();
    let length_mean =
        (!lengths.is_empty()).then(|| lengths.iter().sum::<f64>() / lengths.len() as f64);
    let length_sd = length_mean.map(|mean| {
        let squares: f64 = lengths.iter().map(|l| (l - mean) * (l - mean)).sum();
        if lengths.len() > 1 {
            (squares / (lengths.len() - 1) as f64).sqrt()
        } else {
            0.0
        }
    });
    NullSummary {
        model,
        n_nulls: samples.len(),
        clustering_mean: c_mean,
        clustering_sd: (c_var / dof).sqrt(),
        efficiency_mean: e_mean,
        efficiency_sd: (e_var / dof).sqrt(),
        path_length_mean: length_mean,
        path_length_sd: length_sd,
        clustering_efficiency_cov: cov / dof,
    }
}

/// The study's null into `out` (module docs): `A_ij = [(U_ij + U_ji)/2 > 0.7]`, `U` i.i.d.
/// uniform on `[0, 1)` with 53 random bits (multiples of 2⁻⁵³, as `np.random.rand`).
///
/// `A` is what matters, so `U` is drawn lazily, in an order that suits the computation; every
/// choice below draws independent bits and never looks at a bit before deciding to draw it,
/// so `A` has exactly the distribution of the study's construction:
/// - each entry's top 32 bits first (one 32-bit draw), its low 21 bits only when they could
///   change `A` (the top bits put `U_ij + U_ji` within 2⁻³¹ of the threshold: probability
///   ~1e−9 per pair), then the study's own float expression decides;
/// - for each `i`: `U_ii`, then `U_ij` for all `j > i`, then `U_ji` only for those `j` whose
///   `U_ij` could reach an edge (`U_ij ≤ 0.4` leaves `U_ij + U_ji ≤ 1.4` for every `U_ji < 1`).
fn study_null(out: &mut BinaryGraph, buffers: &mut NullBuffers, rng: &mut ChaCha8Rng) {
    let n = out.n_nodes();
    let cuts = StudyNullCuts::new();
    out.clear();
    buffers.upper.resize(n, 0);
    buffers.lower.resize(n, 0);
    buffers.candidates.resize(n, 0);
    for i in 0..n {
        if cuts.diagonal(rng.next_u32(), || low_bits(rng)) {
            out.add_edge(i, i);
        }
        let rest = n - i - 1;
        rng.fill(&mut buffers.upper[..rest]);
        let mut count = 0;
        for (t, &a) in buffers.upper[..rest].iter().enumerate() {
            buffers.candidates[count] = t;
            count += usize::from(a >= cuts.candidate_from);
        }
        rng.fill(&mut buffers.lower[..count]);
        for c in 0..count {
            let t = buffers.candidates[c];
            let (a, b) = (buffers.upper[t], buffers.lower[c]);
            if cuts.pair(a, b, || (low_bits(rng), low_bits(rng))) {
                out.add_edge(i, i + 1 + t);
            }
        }
    }
}

/// Where the top 32 bits of uniforms already decide the study's comparisons.
struct StudyNullCuts {
    /// `U_ij` with top bits below this cannot make an edge with any `U_ji`.
    candidate_from: u32,
    /// Top-bit sums `S = hi(U_ij) + hi(U_ji)` at or below this: never an edge.
    no_edge_to: u64,
    /// `S` at or above this: always an edge.
    edge_from: u64,
    /// `hi(U_ii)` equal to this needs the low bits; below: no self-loop, above: a self-loop.
    diagonal_boundary: u32,
}

impl StudyNullCuts {
    fn new() -> StudyNullCuts {
        const TWO_32: f64 = 4_294_967_296.0;
        // (a + b)/2 > 0.7 ⟺ fl(a + b) > 1.4 (halving and doubling are exact).
        let sum_threshold = 2.0 * STUDY_NULL_THRESHOLD;
        let scaled = sum_threshold * TWO_32;
        // a + b ∈ [S, S + 2)·2⁻³². No edge if (S + 2)·2⁻³² ≤ 1.4; an edge if S·2⁻³² exceeds
        // 1.4 by more than half an ulp of [1, 2) (2⁻⁵³), so rounding cannot bring it back.
        let no_edge_to = scaled.floor() as u64 - 2;
        let edge_from = (scaled + TWO_32 / (1u64 << 53) as f64).floor() as u64 + 1;
        // a < (A + 1)·2⁻³², b < 1: no edge if (A + 1)·2⁻³² + 1 ≤ 1.4.
        let candidate_from = ((sum_threshold - 1.0) * TWO_32).floor() as u32;
        let diagonal_boundary = (STUDY_NULL_THRESHOLD * TWO_32).floor() as u32;
        StudyNullCuts {
            candidate_from,
            no_edge_to,
            edge_from,
            diagonal_boundary,
        }
    }

    /// Whether `U_ii > 0.7`, from its top bits `hi` and, if needed, its low bits.
    fn diagonal(&self, hi: u32, low: impl FnOnce() -> u64) -> bool {
        match hi.cmp(&self.diagonal_boundary) {
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => uniform53(hi, low()) > STUDY_NULL_THRESHOLD,
        }
    }

    /// Whether `(U_ij + U_ji)/2 > 0.7` from the top bits `a`, `b`, and if needed the low bits.
    fn pair(&self, a: u32, b: u32, lows: impl FnOnce() -> (u64, u64)) -> bool {
        let sum = u64::from(a) + u64::from(b);
        if sum <= self.no_edge_to {
            false
        } else if sum >= self.edge_from {
            true
        } else {
            let (a_low, b_low) = lows();
            (uniform53(a, a_low) + uniform53(b, b_low)) / 2.0 > STUDY_NULL_THRESHOLD
        }
    }
}

/// The uniform `(hi·2²¹ + low)·2⁻⁵³` (`low < 2²¹`).
fn uniform53(hi: u32, low: u64) -> f64 {
    ((u64::from(hi) << 21) | low) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// 21 fresh random bits.
fn low_bits(rng: &mut ChaCha8Rng) -> u64 {
    u64::from(rng.next_u32() >> 11)
}

/// Reusable buffers of [`study_null`].
#[derive(Default)]
struct NullBuffers {
    upper: Vec<u32>,
    lower: Vec<u32>,
    candidates: Vec<usize>,
}

/// `G(n, m)`: `m` distinct pairs uniformly at random (rejection sampling; past half the pairs,
/// the missing pairs are drawn instead).
fn gnm(n: usize, m: usize, rng: &mut ChaCha8Rng) -> BinaryGraph {
    let pairs = n * (n - 1) / 2;
    let complement = 2 * m > pairs;
    let draws = if complement { pairs - m } else { m };
    let mut drawn = BinaryGraph::empty(n);
    let mut placed = 0;
    while placed < draws {
        let i = rng.random_range(0..n);
        let j = rng.random_range(0..n);
        if i != j && !drawn.has_edge(i, j) {
            drawn.add_edge(i, j);
            placed += 1;
        }
    }
    if !complement {
        return drawn;
    }
    let mut graph = BinaryGraph::empty(n);
    for i in 0..n {
        for j in i + 1..n {
            if !drawn.has_edge(i, j) {
                graph.add_edge(i, j);
            }
        }
    }
    graph
}

/// Maslov–Sneppen rewiring as BCT `randmio_und(R, iterations)`: `iterations·m` rounds; in
/// each, up to `round(m/(n−1)) + 1` attempts to pick edges `a–b`, `c–d` on four distinct
/// nodes (flipping `c–d` with probability ½) and replace them with `a–d`, `c–b` when neither
/// exists. Degrees are kept. A graph without two disjoint edges (a star or a triangle, on
/// which BCT loops forever) cannot be rewired and is returned as is.
fn maslov_sneppen(graph: &BinaryGraph, iterations: usize, rng: &mut ChaCha8Rng) -> BinaryGraph {
    let mut out = graph.clone();
    let edges = graph.edges();
    let (mut from, mut to): (Vec<usize>, Vec<usize>) = edges.iter().copied().unzip();
    let m = edges.len();
    let n = graph.n_nodes();
    if !has_disjoint_edges(&edges) {
        return out;
    }
    let max_attempts = ((n * m) as f64 / (n * (n - 1)) as f64).round() as usize;
    for _ in 0..iterations * m {
        for _attempt in 0..=max_attempts {
            let (e1, e2, a, b, mut c, mut d) = loop {
                let e1 = rng.random_range(0..m);
                let mut e2 = rng.random_range(0..m);
                while e2 == e1 {
                    e2 = rng.random_range(0..m);
                }
                let (a, b, c, d) = (from[e1], to[e1], from[e2], to[e2]);
                if a != c && a != d && b != c && b != d {
                    break (e1, e2, a, b, c, d);
                }
            };
            if rng.random::<f64>() > 0.5 {
                from[e2] = d;
                to[e2] = c;
                std::mem::swap(&mut c, &mut d);
            }
            if !(out.has_edge(a, d) || out.has_edge(c, b)) {
                out.remove_edge(a, b);
                out.remove_edge(c, d);
                out.add_edge(a, d);
                out.add_edge(c, b);
                to[e1] = d;
                to[e2] = b;
                break;
            }
        }
    }
    out
}

/// Whether two edges share no endpoint (a graph without such a pair is a star or a triangle,
/// plus isolated nodes).
fn has_disjoint_edges(edges: &[(usize, usize)]) -> bool {
    let Some(&(a, b)) = edges.first() else {
        return false;
    };
    let mut via_a = None;
    let mut via_b = None;
    for &(x, y) in &edges[1..] {
        let touches_a = x == a || y == a;
        let touches_b = x == b || y == b;
        let other = if x == a || x == b { y } else { x };
        match (touches_a, touches_b) {
            (false, false) => return true,
            (true, false) => {
                if via_b.is_some_and(|w| w != other) {
                    return true;
                }
                via_a.get_or_insert(other);
            }
            (false, true) => {
                if via_a.is_some_and(|w| w != other) {
                    return true;
                }
                via_b.get_or_insert(other);
            }
            (true, true) => {}
        }
    }
    false
}

/// The ring lattice with `m` edges on `n` nodes (module docs).
fn ring_lattice(n: usize, m: usize) -> BinaryGraph {
    let mut graph = BinaryGraph::empty(n);
    let mut placed = 0;
    'shells: for d in 1..n {
        for i in 0..n {
            if placed == m {
                break 'shells;
            }
            let j = (i + d) % n;
            if !graph.has_edge(i, j) {
                graph.add_edge(i, j);
                placed += 1;
            }
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::seq::SliceRandom;

    /// A random relabelling, for tests that must not depend on node order.
    fn relabel(graph: &BinaryGraph, rng: &mut ChaCha8Rng) -> BinaryGraph {
        let mut order: Vec<usize> = (0..graph.n_nodes()).collect();
        order.shuffle(rng);
        let mut out = BinaryGraph::empty(graph.n_nodes());
        for i in 0..graph.n_nodes() {
            for j in ones(graph.row(i)) {
                out.add_edge(order[i], order[j]);
            }
        }
        out
    }

    /// BCT's definitions read literally from a dense matrix: `clustering_coef_bu` and
    /// `efficiency_bin` by matrix powers (`distance_inv`).
    fn bct_dense(graph: &BinaryGraph) -> (Vec<f64>, f64) {
        let a = graph.to_dense();
        let n = a.nrows();
        let clustering = (0..n)
            .map(|u| {
                let v: Vec<usize> = (0..n).filter(|&j| a[[u, j]] != 0.0).collect();
                let k = v.len();
                if k < 2 {
                    return 0.0;
                }
                let s: f64 = v
                    .iter()
                    .flat_map(|&x| v.iter().map(move |&y| (x, y)))
                    .map(|(x, y)| a[[x, y]])
                    .sum();
                s / (k * k - k) as f64
            })
            .collect();
        let mut d = ndarray::Array2::<f64>::eye(n);
        let mut path = a.clone();
        let mut step = 1.0;
        let mut reached = path.mapv(|x| if x != 0.0 { 1.0 } else { 0.0 });
        while reached.iter().any(|&x| x != 0.0) {
            d = d + &reached * step;
            step += 1.0;
            path = path.dot(&a);
            reached = ndarray::Zip::from(&path)
                .and(&d)
                .map_collect(|&p, &dd| if p != 0.0 && dd == 0.0 { 1.0 } else { 0.0 });
        }
        let mut e = 0.0;
        for i in 0..n {
            for j in 0..n {
                if i != j && d[[i, j]] != 0.0 {
                    e += 1.0 / d[[i, j]];
                }
            }
        }
        (clustering, e / (n * n - n) as f64)
    }

    fn random_graph(n: usize, p: f64, self_loops: bool, seed: u64) -> BinaryGraph {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut g = BinaryGraph::empty(n);
        for i in 0..n {
            for j in i..n {
                if (i != j || self_loops) && rng.random::<f64>() < p {
                    g.add_edge(i, j);
                }
            }
        }
        g
    }

    #[test]
    fn bit_row_bfs_and_clustering_equal_bct_read_literally() {
        for (n, p, loops, seed) in [
            (40, 0.05, false, 1),
            (70, 0.18, true, 2),
            (130, 0.02, false, 3),
            (65, 0.6, true, 4),
            (1, 0.0, false, 5),
            // Nine words a row: the any-width path.
            (530, 0.01, true, 6),
        ] {
            let g = random_graph(n, p, loops, seed);
            let (c_want, e_want) = bct_dense(&g);
            let c_got = clustering_coef_bu(&g);
            for (a, b) in c_got.iter().zip(&c_want) {
                assert!((a - b).abs() < 1e-15, "n = {n}: {a} vs {b}");
            }
            if n >= 2 {
                let e_got = efficiency_bin(&g).unwrap();
                // Summation order differs (pair by pair vs per distance): ~1e−16 per term.
                assert!(
                    (e_got - e_want).abs() < 1e-12,
                    "n = {n}: {e_got} vs {e_want}"
                );
            }
        }
        assert!(efficiency_bin(&BinaryGraph::empty(1)).is_err());
    }

    #[test]
    fn path_lengths_of_a_path_graph_and_a_disconnected_pair() {
        let path = BinaryGraph::from_edges(4, &[(0, 1), (1, 2), (2, 3)]).unwrap();
        // Ordered pairs: 6 at distance 1, 4 at 2, 2 at 3 → L = 20/12, E = (6 + 2 + 2/3)/12.
        let stats = graph_statistics(&path);
        assert!((stats.path_length.unwrap() - 20.0 / 12.0).abs() < 1e-15);
        assert!((stats.efficiency - (6.0 + 2.0 + 2.0 / 3.0) / 12.0).abs() < 1e-15);
        let split = BinaryGraph::from_edges(4, &[(0, 1), (2, 3)]).unwrap();
        assert_eq!(characteristic_path_length(&split).unwrap(), 1.0);
        assert!(characteristic_path_length(&BinaryGraph::empty(3)).is_err());
    }

    #[test]
    fn study_nulls_have_the_documented_densities_and_self_loops() {
        let g = BinaryGraph::empty(200);
        let (mut edges, mut loops) = (0, 0);
        for k in 0..20 {
            let null = null_graph(&g, NullModel::Study, k, 9, 0).unwrap();
            edges += null.n_edges();
            loops += null.n_self_loops();
        }
        let density = edges as f64 / (20.0 * 199.0 * 100.0);
        let loop_rate = loops as f64 / (20.0 * 200.0);
        // P(U1 + U2 > 1.4) = 0.18 (SE ≈ 0.0006); P(U > 0.7) = 0.3 (SE ≈ 0.0051).
        assert!((density - 0.18).abs() < 0.003, "{density}");
        assert!((loop_rate - 0.3).abs() < 0.03, "{loop_rate}");
    }

    #[test]
    fn top_bit_shortcuts_decide_the_study_comparisons_exactly() {
        let cuts = StudyNullCuts::new();
        let exact_pair = |a: u32, al: u64, b: u32, bl: u64| {
            (uniform53(a, al) + uniform53(b, bl)) / 2.0 > STUDY_NULL_THRESHOLD
        };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut lows = || {
            (
                u64::from(rng.next_u32() >> 11),
                u64::from(rng.next_u32() >> 11),
            )
        };
        // Sums near both cuts, and near the candidate cut with the largest partner.
        let mut cases: Vec<(u32, u32)> = Vec::new();
        for sum in [
            cuts.no_edge_to - 2,
            cuts.no_edge_to,
            cuts.edge_from,
            cuts.edge_from + 3,
        ] {
            for a in [
                u32::MAX,
                u32::MAX - 7,
                (sum / 2) as u32,
                (sum - u64::from(u32::MAX)) as u32,
            ] {
                cases.push((a, (sum - u64::from(a)) as u32));
            }
        }
        for (a, b) in cases {
            let sum = u64::from(a) + u64::from(b);
            for low in [(0, 0), ((1 << 21) - 1, (1 << 21) - 1), lows(), lows()] {
                let decided = cuts.pair(a, b, || low);
                assert_eq!(
                    decided,
                    exact_pair(a, low.0, b, low.1),
                    "a {a} b {b} sum {sum}"
                );
            }
        }
        // Every sum strictly between the cuts consults the low bits.
        for sum in cuts.no_edge_to + 1..cuts.edge_from {
            let mut asked = false;
            cuts.pair(u32::MAX, (sum - u64::from(u32::MAX)) as u32, || {
                asked = true;
                (0, 0)
            });
            assert!(asked);
        }
        // Below the candidate cut nothing makes an edge, just at it something can.
        let below = cuts.candidate_from - 1;
        assert!(!exact_pair(below, (1 << 21) - 1, u32::MAX, (1 << 21) - 1));
        assert!(exact_pair(
            cuts.candidate_from + 2,
            0,
            u32::MAX,
            (1 << 21) - 1
        ));
        for hi in [
            cuts.diagonal_boundary - 1,
            cuts.diagonal_boundary,
            cuts.diagonal_boundary + 1,
        ] {
            for low in [0, (1 << 21) - 1, 123_456] {
                assert_eq!(
                    cuts.diagonal(hi, || low),
                    uniform53(hi, low) > STUDY_NULL_THRESHOLD
                );
            }
        }
    }

    #[test]
    fn matched_nulls_keep_edges_and_degrees() {
        let g = random_graph(60, 0.1, false, 8);
        let gnm_null = null_graph(&g, NullModel::DensityMatched, 0, 1, 0).unwrap();
        assert_eq!(gnm_null.n_edges(), g.n_edges());
        assert_eq!(gnm_null.n_self_loops(), 0);
        let dense = random_graph(30, 0.8, false, 9);
        assert_eq!(
            null_graph(&dense, NullModel::DensityMatched, 0, 1, 0)
                .unwrap()
                .n_edges(),
            dense.n_edges()
        );
        let rewired = null_graph(&g, NullModel::DegreeMatched, 0, 1, 10).unwrap();
        assert_eq!(rewired.degrees(), g.degrees());
        assert_eq!(rewired.n_self_loops(), 0);
        let shared = g
            .edges()
            .iter()
            .filter(|&&(i, j)| rewired.has_edge(i, j))
            .count();
        assert!(
            shared < g.n_edges() / 2,
            "{shared} of {} edges kept",
            g.n_edges()
        );
        // A star cannot be rewired (BCT would loop forever): returned unchanged.
        let star = BinaryGraph::from_edges(6, &[(0, 1), (0, 2), (0, 3), (0, 4)]).unwrap();
        assert_eq!(
            null_graph(&star, NullModel::DegreeMatched, 0, 1, 10).unwrap(),
            star
        );
        assert!(!has_disjoint_edges(&[(0, 1), (1, 2), (0, 2)]));
        assert!(has_disjoint_edges(&[(0, 1), (0, 2), (1, 3)]));
        let lattice = null_graph(&g, NullModel::RingLattice, 0, 0, 0).unwrap();
        assert_eq!(lattice.n_edges(), g.n_edges());
    }

    #[test]
    fn a_stop_request_ends_the_nulls_with_an_error() {
        let g = random_graph(30, 0.2, false, 9);
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 5;
        let result = null_summary_until(&g, NullModel::Study, 100, 1, 0, 2, &stop);
        assert_eq!(result.unwrap_err(), MetricsError::Stopped);
        assert!(asked.load(std::sync::atomic::Ordering::Relaxed) < 100);
    }

    #[test]
    fn summaries_do_not_depend_on_threads_or_node_order() {
        let g = random_graph(50, 0.15, false, 10);
        for model in [
            NullModel::Study,
            NullModel::DensityMatched,
            NullModel::DegreeMatched,
        ] {
            let one = null_summary(&g, model, 13, 4, 5, 1).unwrap();
            let three = null_summary(&g, model, 13, 4, 5, 3).unwrap();
            assert_eq!(one, three);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let shuffled = relabel(&g, &mut rng);
        let a = graph_statistics(&g);
        let b = graph_statistics(&shuffled);
        assert!((a.clustering - b.clustering).abs() < 1e-15);
        assert_eq!(a.efficiency, b.efficiency);
    }

    #[test]
    fn sigma_and_omega_follow_their_formulas() {
        let g = random_graph(80, 0.1, false, 12);
        let null = null_summary(&g, NullModel::Study, 50, 3, 0, 1).unwrap();
        let sw = small_world(&g, null.clone(), MetricKind::SmallWorld).unwrap();
        let stats = graph_statistics(&g);
        let want =
            (stats.clustering / null.clustering_mean) / (null.efficiency_mean / stats.efficiency);
        assert_eq!(sw.sigma, want);
        assert!(sw.sigma_se > 0.0 && sw.sigma_se < 0.1 * sw.sigma);
        let random = null_summary(&g, NullModel::DegreeMatched, 10, 3, 10, 1).unwrap();
        let w = omega(&g, &random).unwrap();
        let lattice = graph_statistics(&ring_lattice(80, g.n_edges()));
        assert_eq!(
            w.omega,
            random.path_length_mean.unwrap() / stats.path_length.unwrap()
                - stats.clustering / lattice.clustering
        );
        // A random graph is random-like: ω near 1 − C/C_latt > 0.
        assert!(w.omega > 0.5, "{}", w.omega);
        assert!(matches!(
            small_world(&BinaryGraph::empty(5), null, MetricKind::SmallWorld),
            Err(MetricsError::Undefined { .. })
        ));
    }
}
