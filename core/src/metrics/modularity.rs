//! Community structure of a binary graph: Newman's modularity `Q` of a partition, the study's
//! Clauset–Newman–Moore greedy partition (networkx `greedy_modularity_communities`), and two
//! better optimisers beside it, Louvain and Leiden, each the best of seeded restarts.
//!
//! Modularity (Newman & Girvan 2004; networkx `community.modularity`, resolution 1):
//! `Q = Σ_c [L_c / m − (d_c / 2m)²]`, `L_c` the edges inside community `c`, `d_c` the sum of
//! its degrees, `m` the number of edges. Self-loops are ignored throughout (the study removes
//! them before any graph measure).
//!
//! The CNM partition here is networkx's, merge for merge: the same `ΔQ` arithmetic in the same
//! order, the same choice of the largest `ΔQ` with ties to the smallest `(row, column)` pair
//! (what networkx's heaps of `(−ΔQ, u, v)` pop), the same stop at the first negative `ΔQ`.
//! On the same graph it returns the same partition and so the same `Q` to the last bits.
//!
//! Louvain (Blondel et al. 2008) and Leiden (Traag, Waltman & van Eck 2019) differ from
//! bctpy's `community_louvain`, which can stop with "Modularity infinite loop" on sparse or
//! nearly tied input (aestrivex/bctpy issues #97 and #131): a node moves only when its gain
//! beats staying by more than [`MOVE_TOLERANCE`] edge weights, so rounding cannot make it
//! oscillate, each move raises `Q` by a fixed positive amount (so a level ends), and each
//! level either merges nodes or ends the run (so the run ends in at most `n` levels).
//! Isolated nodes have no neighbour community and stay alone.

use std::collections::{BTreeMap, VecDeque};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::graph::BinaryGraph;
use super::{MetricKind, MetricsError};

/// A move must beat staying by more than this many edge weights (see the module docs).
pub const MOVE_TOLERANCE: f64 = 1e-10;

/// Leiden's refinement randomness `θ`, on the scale of `ΔQ` (Traag et al. 2019; leidenalg's
/// default).
pub const LEIDEN_THETA: f64 = 0.01;

/// At most this many Leiden iterations per run (each must raise `Q`; a few suffice).
pub const LEIDEN_MAX_ITERATIONS: usize = 50;

/// Random streams of the optimisers' restarts: restart `r` of seed `s` is ChaCha8 seeded with
/// `s` on stream `base + r` (the null models of [`super::small_world`] use other bases).
const LOUVAIN_STREAM: u64 = 4 << 40;
const LEIDEN_STREAM: u64 = 5 << 40;

/// A partition of the nodes and its modularity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Communities {
    /// Newman's `Q` of the partition.
    pub modularity: f64,
    /// Number of communities (isolated nodes are communities of one).
    pub n_communities: usize,
    /// `membership[i]`: the community of node `i`, numbered from 0 by decreasing size.
    pub membership: Vec<usize>,
}

/// Newman's modularity of a partition: `Q = Σ_c [L_c/m − (d_c/2m)²]`, evaluated as networkx
/// does (`L_c/m − d_c·d_c·(1/(2m)²)`, summed over communities in increasing label order).
///
/// Reference: M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in
/// networks", Phys. Rev. E 69:026113, 2004; networkx `algorithms.community.quality.modularity`.
///
/// # Shapes
/// `membership`: one label per node (any `usize`s).
///
/// # Errors
/// [`MetricsError::InvalidParameter`] if `membership` has the wrong length;
/// [`MetricsError::Undefined`] for a graph without edges (`m = 0`; networkx divides by zero).
pub fn modularity(graph: &BinaryGraph, membership: &[usize]) -> Result<f64, MetricsError> {
    let n = graph.n_nodes();
    if membership.len() != n {
        return Err(MetricsError::InvalidParameter {
            name: "membership",
            reason: format!("has {} labels for {n} nodes", membership.len()),
        });
    }
    let degree_sum: usize = graph.degrees().iter().sum();
    if degree_sum == 0 {
        return Err(no_edges(MetricKind::Modularity));
    }
    let m = degree_sum as f64 / 2.0;
    let norm = 1.0 / (degree_sum as f64 * degree_sum as f64);
    // label → (internal edges counted from both ends, degree sum)
    let mut per_label: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for i in 0..n {
        let entry = per_label.entry(membership[i]).or_default();
        entry.0 += graph
            .neighbours(i)
            .filter(|&j| membership[j] == membership[i])
            .count();
        entry.1 += graph.degree(i);
    }
    Ok(per_label
        .values()
        .map(|&(twice_internal, degrees)| {
            (twice_internal / 2) as f64 / m - (degrees * degrees) as f64 * norm
        })
        .sum())
}

/// The Clauset–Newman–Moore greedy partition, as networkx `greedy_modularity_communities(G)`
/// (weight `None`, resolution 1, cutoff 1, no `best_n`), and its modularity.
///
/// Maths: start from singletons with `a_i = k_i/(2m)` and, for each edge, `ΔQ_ij = 1/m −
/// 2 a_i a_j`; repeatedly merge the pair with the largest `ΔQ` (ties: smallest `i`, then `j`;
/// `i` is merged into `j`), updating `ΔQ_jk = ΔQ_ik + ΔQ_jk` (both adjacent),
/// `ΔQ_jk − 2 a_i a_k` (only `j`), `ΔQ_ik − 2 a_j a_k` (only `i`), and `a_j += a_i`; stop
/// before the first merge with `ΔQ < 0`. Communities are numbered by decreasing size, ties
/// in networkx's order (the surviving community's smallest original index first).
///
/// Reference: A. Clauset, M. E. J. Newman and C. Moore, "Finding community structure in very
/// large networks", Phys. Rev. E 70:066111, 2004; networkx
/// `algorithms/community/modularity_max.py`.
///
/// # Errors
/// [`MetricsError::Undefined`] for a graph without edges.
pub fn cnm_communities(graph: &BinaryGraph) -> Result<Communities, MetricsError> {
    let n = graph.n_nodes();
    let m = graph.n_edges();
    if m == 0 {
        return Err(no_edges(MetricKind::Modularity));
    }
    let q0 = 1.0 / m as f64;
    let mut a: Vec<f64> = (0..n).map(|i| graph.degree(i) as f64 * q0 * 0.5).collect();
    let mut dq: Vec<BTreeMap<usize, f64>> = (0..n)
        .map(|i| {
            graph
                .neighbours(i)
                .map(|j| (j, q0 - (a[i] * a[j] + a[i] * a[j])))
                .collect()
        })
        .collect();
    let mut best: Vec<Option<(f64, usize)>> = dq.iter().map(row_best).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();

    loop {
        let mut pick: Option<(f64, usize, usize)> = None;
        for (row, entry) in best.iter().enumerate() {
            if let Some((value, col)) = *entry
                && pick.is_none_or(|(top, _, _)| value > top)
            {
                pick = Some((value, row, col));
            }
        }
        let Some((gain, u, v)) = pick else { break };
        if gain < 0.0 {
            break;
        }
        let row_u = std::mem::take(&mut dq[u]);
        let mut touched: Vec<usize> = row_u.keys().copied().collect();
        touched.extend(dq[v].keys().copied());
        touched.sort_unstable();
        touched.dedup();
        touched.retain(|&w| w != u && w != v);
        for &w in &touched {
            let value = match (dq[v].get(&w), row_u.get(&w)) {
                (Some(&via_v), Some(&via_u)) => via_v + via_u,
                (Some(&via_v), None) => via_v - (a[u] * a[w] + a[w] * a[u]),
                (None, Some(&via_u)) => via_u - (a[v] * a[w] + a[w] * a[v]),
                (None, None) => unreachable!("w is a neighbour of u or v"),
            };
            dq[v].insert(w, value);
            dq[w].insert(v, value);
        }
        dq[v].remove(&u);
        for &w in row_u.keys() {
            dq[w].remove(&u);
        }
        a[v] += a[u];
        a[u] = 0.0;
        let moved = std::mem::take(&mut members[u]);
        members[v].extend(moved);
        best[u] = None;
        best[v] = row_best(&dq[v]);
        for &w in &touched {
            best[w] = row_best(&dq[w]);
        }
    }

    // networkx: `sorted(communities.values(), key=len, reverse=True)`, a stable sort of the
    // surviving communities in the order of their keys.
    let mut groups: Vec<&Vec<usize>> = members.iter().filter(|c| !c.is_empty()).collect();
    groups.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let mut membership = vec![0; n];
    for (label, group) in groups.iter().enumerate() {
        for &i in group.iter() {
            membership[i] = label;
        }
    }
    Ok(Communities {
        modularity: modularity(graph, &membership)?,
        n_communities: groups.len(),
        membership,
    })
}

/// Louvain modularity: the best (largest `Q`) of `restarts` seeded runs.
///
/// Each run: local moving (nodes visited in a seeded random order, each moved to the
/// neighbouring community of largest gain `k_{i,C} − k_i Σ_C / 2m` when it beats staying by
/// more than [`MOVE_TOLERANCE`], sweeps repeated until none moves), then aggregation of each
/// community into a node, repeated until a level moves nothing. Run `r` draws from ChaCha8
/// seeded with `seed` on stream `4·2⁴⁰ + r`.
///
/// Reference: V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding
/// of communities in large networks", J. Stat. Mech. P10008, 2008.
///
/// # Errors
/// [`MetricsError::Undefined`] for a graph without edges; [`MetricsError::InvalidParameter`]
/// for `restarts = 0`.
pub fn louvain_communities(
    graph: &BinaryGraph,
    restarts: usize,
    seed: u64,
) -> Result<Communities, MetricsError> {
    best_of_restarts(
        graph,
        restarts,
        seed,
        LOUVAIN_STREAM,
        MetricKind::ModularityLouvain,
        louvain_once,
    )
}

/// Leiden modularity: the best (largest `Q`) of `restarts` seeded runs.
///
/// Each run: fast local moving (a queue of nodes in seeded random order; a node that moves
/// re-queues its neighbours outside its new community), then refinement (within each
/// community, well-connected singletons join well-connected sub-communities at random with
/// probability `∝ exp(ΔQ/θ)` over `ΔQ ≥ 0`, `θ =` [`LEIDEN_THETA`]), aggregation of the
/// refined partition with the unrefined one as the next start, until local moving leaves every
/// node alone; then further iterations from the result while they raise `Q` (leidenalg's
/// `n_iterations = -1`). Communities are connected. Run `r` draws from ChaCha8 seeded with `seed` on
/// stream `5·2⁴⁰ + r`.
///
/// Reference: V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
/// guaranteeing well-connected communities", Sci. Rep. 9:5233, 2019 (Algorithm A.2).
///
/// # Errors
/// As [`louvain_communities`].
pub fn leiden_communities(
    graph: &BinaryGraph,
    restarts: usize,
    seed: u64,
) -> Result<Communities, MetricsError> {
    best_of_restarts(
        graph,
        restarts,
        seed,
        LEIDEN_STREAM,
        MetricKind::ModularityLeiden,
        leiden_once,
    )
}

fn no_edges(metric: MetricKind) -> MetricsError {
    MetricsError::Undefined {
        metric,
        reason: "the graph has no edges (m = 0)".into(),
    }
}

/// The largest value of a `ΔQ` row, ties to the smallest column.
fn row_best(row: &BTreeMap<usize, f64>) -> Option<(f64, usize)> {
    let mut top: Option<(f64, usize)> = None;
    for (&col, &value) in row {
        if top.is_none_or(|(best, _)| value > best) {
            top = Some((value, col));
        }
    }
    top
}

fn best_of_restarts(
    graph: &BinaryGraph,
    restarts: usize,
    seed: u64,
    stream_base: u64,
    metric: MetricKind,
    run: fn(&WeightedGraph, &mut ChaCha8Rng) -> Vec<usize>,
) -> Result<Communities, MetricsError> {
    if restarts == 0 {
        return Err(MetricsError::InvalidParameter {
            name: "restarts",
            reason: "at least one run is needed".into(),
        });
    }
    if graph.n_edges() == 0 {
        return Err(no_edges(metric));
    }
    let weighted = WeightedGraph::from_binary(graph);
    let mut best: Option<Communities> = None;
    for restart in 0..restarts as u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream_base + restart);
        let membership = by_decreasing_size(&run(&weighted, &mut rng));
        let n_communities = membership.iter().max().map_or(0, |&c| c + 1);
        let q = modularity(graph, &membership)?;
        if best.as_ref().is_none_or(|b| q > b.modularity) {
            best = Some(Communities {
                modularity: q,
                n_communities,
                membership,
            });
        }
    }
    Ok(best.expect("at least one restart ran"))
}

/// Relabels communities 0.. by decreasing size, ties by smallest member.
fn by_decreasing_size(labels: &[usize]) -> Vec<usize> {
    let (dense, count) = renumber(labels);
    let mut size = vec![0usize; count];
    for &c in &dense {
        size[c] += 1;
    }
    // `renumber` numbers by first appearance, i.e. by smallest member.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(size[c]));
    let mut rank = vec![0; count];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    dense.iter().map(|&c| rank[c]).collect()
}

/// Labels `0..count` in order of first appearance.
fn renumber(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut map: Vec<usize> = vec![usize::MAX; labels.iter().max().map_or(0, |&c| c + 1)];
    let mut count = 0;
    let dense = labels
        .iter()
        .map(|&c| {
            if map[c] == usize::MAX {
                map[c] = count;
                count += 1;
            }
            map[c]
        })
        .collect();
    (dense, count)
}

/// An undirected weighted graph with self-loops, the form aggregation produces.
#[derive(Clone)]
struct WeightedGraph {
    /// Neighbours other than the node itself, with edge weights.
    adjacency: Vec<Vec<(usize, f64)>>,
    /// Strengths `k_i = Σ_j A_ij`, the self-loop weight `A_ii` included.
    strength: Vec<f64>,
    /// `2m = Σ_i k_i`.
    total: f64,
}

impl WeightedGraph {
    fn from_binary(graph: &BinaryGraph) -> WeightedGraph {
        let adjacency: Vec<Vec<(usize, f64)>> = (0..graph.n_nodes())
            .map(|i| graph.neighbours(i).map(|j| (j, 1.0)).collect())
            .collect();
        let strength: Vec<f64> = adjacency.iter().map(|row| row.len() as f64).collect();
        let total = strength.iter().sum();
        WeightedGraph {
            adjacency,
            strength,
            total,
        }
    }

    fn n(&self) -> usize {
        self.adjacency.len()
    }

    /// `Q` of `labels` on this graph (no self-loops: only used on the base graph).
    fn modularity(&self, labels: &[usize]) -> f64 {
        let mut inside = vec![0.0; self.n()];
        let mut totals = vec![0.0; self.n()];
        for (i, row) in self.adjacency.iter().enumerate() {
            totals[labels[i]] += self.strength[i];
            for &(j, w) in row {
                if labels[j] == labels[i] {
                    inside[labels[i]] += w;
                }
            }
        }
        inside
            .iter()
            .zip(&totals)
            .map(|(a, t)| a / self.total - (t / self.total) * (t / self.total))
            .sum()
    }

    /// One node per label (`labels` in `0..count`), edge weights summed; edges inside a
    /// community become (implicit) self-loop weight, kept in the strengths.
    fn aggregate(&self, labels: &[usize], count: usize) -> WeightedGraph {
        let mut rows: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); count];
        let mut strength = vec![0.0; count];
        for (i, row) in self.adjacency.iter().enumerate() {
            let c = labels[i];
            strength[c] += self.strength[i];
            for &(j, weight) in row {
                let d = labels[j];
                if d != c {
                    *rows[c].entry(d).or_insert(0.0) += weight;
                }
            }
        }
        WeightedGraph {
            adjacency: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
            strength,
            total: self.total,
        }
    }
}

/// Scratch for summing a node's edge weights per neighbouring community.
struct CommunityWeights {
    weight: Vec<f64>,
    seen: Vec<bool>,
    listed: Vec<usize>,
}

impl CommunityWeights {
    fn new(n: usize) -> CommunityWeights {
        CommunityWeights {
            weight: vec![0.0; n],
            seen: vec![false; n],
            listed: Vec::new(),
        }
    }

    fn collect(&mut self, neighbours: &[(usize, f64)], community: impl Fn(usize) -> Option<usize>) {
        for &(j, w) in neighbours {
            if let Some(c) = community(j) {
                if !self.seen[c] {
                    self.seen[c] = true;
                    self.listed.push(c);
                }
                self.weight[c] += w;
            }
        }
    }

    fn clear(&mut self) {
        for &c in &self.listed {
            self.seen[c] = false;
            self.weight[c] = 0.0;
        }
        self.listed.clear();
    }
}

fn louvain_once(base: &WeightedGraph, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut graph = base.clone();
    let mut node_of: Vec<usize> = (0..base.n()).collect();
    loop {
        let n = graph.n();
        let mut community: Vec<usize> = (0..n).collect();
        let mut totals = graph.strength.clone();
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(rng);
        let mut scratch = CommunityWeights::new(n);
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for &i in &order {
                let k = graph.strength[i];
                let own = community[i];
                scratch.collect(&graph.adjacency[i], |j| Some(community[j]));
                totals[own] -= k;
                let mut best = own;
                let mut best_gain = scratch.weight[own] - k * totals[own] / graph.total;
                for &c in &scratch.listed {
                    let gain = scratch.weight[c] - k * totals[c] / graph.total;
                    if gain > best_gain + MOVE_TOLERANCE {
                        best = c;
                        best_gain = gain;
                    }
                }
                totals[best] += k;
                community[i] = best;
                moved |= best != own;
                scratch.clear();
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        if !moved_any {
            return node_of;
        }
        let (labels, count) = renumber(&community);
        for x in node_of.iter_mut() {
            *x = labels[*x];
        }
        graph = graph.aggregate(&labels, count);
    }
}

/// Leiden iterations (leidenalg's `n_iterations = -1`): each starts from the previous
/// partition, until one no longer raises `Q` (capped at [`LEIDEN_MAX_ITERATIONS`]).
fn leiden_once(base: &WeightedGraph, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut partition: Vec<usize> = (0..base.n()).collect();
    let mut quality = base.modularity(&partition);
    for _ in 0..LEIDEN_MAX_ITERATIONS {
        let next = leiden_iteration(base, partition.clone(), rng);
        let next_quality = base.modularity(&next);
        if next_quality <= quality + 1e-12 {
            break;
        }
        partition = next;
        quality = next_quality;
    }
    partition
}

/// One Leiden iteration from `partition` (Algorithm A.2 of Traag et al. 2019).
fn leiden_iteration(
    base: &WeightedGraph,
    mut partition: Vec<usize>,
    rng: &mut ChaCha8Rng,
) -> Vec<usize> {
    let mut graph = base.clone();
    let mut node_of: Vec<usize> = (0..base.n()).collect();
    loop {
        move_nodes_fast(&graph, &mut partition, rng);
        let (labels, count) = renumber(&partition);
        if count == graph.n() {
            break;
        }
        let (refined, refined_count) = refine(&graph, &labels, count, rng);
        // When refinement merges nothing, aggregate by the partition itself (as leidenalg
        // does), so that every level shrinks the graph and the iteration ends.
        let (aggregate_by, aggregate_count) = if refined_count < graph.n() {
            (refined, refined_count)
        } else {
            (labels.clone(), count)
        };
        let mut next_partition = vec![0; aggregate_count];
        for (i, &c) in aggregate_by.iter().enumerate() {
            next_partition[c] = labels[i];
        }
        for x in node_of.iter_mut() {
            *x = aggregate_by[*x];
        }
        graph = graph.aggregate(&aggregate_by, aggregate_count);
        partition = next_partition;
    }
    node_of.iter().map(|&x| partition[x]).collect()
}

/// Leiden's fast local moving: a queue instead of sweeps; moves into an empty community are
/// allowed (gain 0).
fn move_nodes_fast(graph: &WeightedGraph, partition: &mut [usize], rng: &mut ChaCha8Rng) {
    let n = graph.n();
    let mut totals = vec![0.0; n];
    let mut sizes = vec![0usize; n];
    for (i, &c) in partition.iter().enumerate() {
        totals[c] += graph.strength[i];
        sizes[c] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| sizes[c] == 0).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut queue: VecDeque<usize> = order.into();
    let mut queued = vec![true; n];
    let mut scratch = CommunityWeights::new(n);
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let k = graph.strength[v];
        let own = partition[v];
        scratch.collect(&graph.adjacency[v], |j| Some(partition[j]));
        totals[own] -= k;
        sizes[own] -= 1;
        let mut best = own;
        let mut best_gain = scratch.weight[own] - k * totals[own] / graph.total;
        for &c in &scratch.listed {
            let gain = scratch.weight[c] - k * totals[c] / graph.total;
            if gain > best_gain + MOVE_TOLERANCE {
                best = c;
                best_gain = gain;
            }
        }
        if sizes[own] > 0 && 0.0 > best_gain + MOVE_TOLERANCE {
            best = empty
                .pop()
                .expect("n communities for n nodes: one is empty");
        }
        scratch.clear();
        totals[best] += k;
        sizes[best] += 1;
        partition[v] = best;
        if best != own {
            if sizes[own] == 0 {
                empty.push(own);
            }
            for &(u, _) in &graph.adjacency[v] {
                if partition[u] != best && !queued[u] {
                    queued[u] = true;
                    queue.push_back(u);
                }
            }
        }
    }
}

/// Leiden's refinement (`MergeNodesSubset` for every community `S` at once: the subsets are
/// disjoint, so one random order over all nodes is the same as one per subset).
fn refine(
    graph: &WeightedGraph,
    partition: &[usize],
    count: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<usize>, usize) {
    let n = graph.n();
    let mut subset_total = vec![0.0; count];
    for (i, &s) in partition.iter().enumerate() {
        subset_total[s] += graph.strength[i];
    }
    // Refined community of each node (ids are node ids), its size, total strength, and its
    // edge weight to the rest of its subset S.
    let mut refined: Vec<usize> = (0..n).collect();
    let mut size = vec![1usize; n];
    let mut total = graph.strength.clone();
    let mut external: Vec<f64> = (0..n)
        .map(|v| {
            graph.adjacency[v]
                .iter()
                .filter(|&&(u, _)| partition[u] == partition[v])
                .map(|&(_, w)| w)
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut scratch = CommunityWeights::new(n);
    let mut candidates: Vec<(usize, f64)> = Vec::new();
    for v in order {
        let own = refined[v];
        if size[own] != 1 {
            continue;
        }
        let s = partition[v];
        let k = graph.strength[v];
        let well_connected = |e: f64, t: f64| e >= t * (subset_total[s] - t) / graph.total;
        if !well_connected(external[own], k) {
            continue;
        }
        scratch.collect(&graph.adjacency[v], |u| {
            (partition[u] == s).then_some(refined[u])
        });
        candidates.clear();
        candidates.push((own, 0.0));
        for &c in &scratch.listed {
            if c == own || !well_connected(external[c], total[c]) {
                continue;
            }
            let gain = scratch.weight[c] - k * total[c] / graph.total;
            if gain >= 0.0 {
                candidates.push((c, gain));
            }
        }
        let top = candidates.iter().map(|&(_, g)| g).fold(0.0, f64::max);
        // ΔQ = 2·gain/2m: θ acts on the modularity scale, as in leidenalg.
        let weights: Vec<f64> = candidates
            .iter()
            .map(|&(_, g)| (2.0 * (g - top) / graph.total / LEIDEN_THETA).exp())
            .collect();
        let mut draw = rng.random::<f64>() * weights.iter().sum::<f64>();
        let mut chosen = candidates[candidates.len() - 1].0;
        for (&(c, _), &w) in candidates.iter().zip(&weights) {
            if draw < w {
                chosen = c;
                break;
            }
            draw -= w;
        }
        if chosen != own {
            let to_chosen = scratch.weight[chosen];
            external[chosen] += external[own] - 2.0 * to_chosen;
            total[chosen] += k;
            size[chosen] += 1;
            size[own] = 0;
            refined[v] = chosen;
        }
        scratch.clear();
    }
    renumber(&refined)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 5-cliques joined by one edge.
    fn barbell() -> BinaryGraph {
        let mut edges = Vec::new();
        for block in [0, 5] {
            for i in 0..5 {
                for j in i + 1..5 {
                    edges.push((block + i, block + j));
                }
            }
        }
        edges.push((4, 5));
        BinaryGraph::from_edges(10, &edges).unwrap()
    }

    #[test]
    fn modularity_of_the_barbell_split_is_the_hand_value() {
        // m = 21; each half: 10 internal edges, degree sum 21 → Q = 2(10/21 − 1/4).
        let g = barbell();
        let split = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        let want = 2.0 * (10.0 / 21.0 - 0.25);
        assert!((modularity(&g, &split).unwrap() - want).abs() < 1e-15);
        assert!((modularity(&g, &[7; 10]).unwrap()).abs() < 1e-15);
        for found in [
            cnm_communities(&g).unwrap(),
            louvain_communities(&g, 3, 1).unwrap(),
            leiden_communities(&g, 3, 1).unwrap(),
        ] {
            assert_eq!(found.membership, split);
            assert_eq!(found.n_communities, 2);
            assert!((found.modularity - want).abs() < 1e-15);
        }
    }

    #[test]
    fn edgeless_graphs_and_bad_partitions_are_typed_errors() {
        let g = BinaryGraph::empty(4);
        assert!(matches!(
            cnm_communities(&g),
            Err(MetricsError::Undefined {
                metric: MetricKind::Modularity,
                ..
            })
        ));
        assert!(matches!(
            leiden_communities(&g, 1, 0),
            Err(MetricsError::Undefined {
                metric: MetricKind::ModularityLeiden,
                ..
            })
        ));
        assert!(matches!(
            louvain_communities(&barbell(), 0, 0),
            Err(MetricsError::InvalidParameter { .. })
        ));
        assert!(modularity(&barbell(), &[0; 3]).is_err());
    }

    #[test]
    fn isolated_nodes_stay_alone_and_runs_are_reproducible() {
        let mut edges: Vec<(usize, usize)> = barbell().edges();
        edges.retain(|&(i, j)| i != 9 && j != 9); // node 9 isolated
        let g = BinaryGraph::from_edges(12, &edges).unwrap();
        for found in [
            louvain_communities(&g, 4, 11).unwrap(),
            leiden_communities(&g, 4, 11).unwrap(),
            cnm_communities(&g).unwrap(),
        ] {
            for lonely in [9, 10, 11] {
                let label = found.membership[lonely];
                assert_eq!(found.membership.iter().filter(|&&c| c == label).count(), 1);
            }
        }
        assert_eq!(
            leiden_communities(&g, 4, 11).unwrap(),
            leiden_communities(&g, 4, 11).unwrap()
        );
    }
}
