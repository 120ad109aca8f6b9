//! Cross-checks `blueprint_core::metrics` against networkx 3.x, bctpy, scipy and leidenalg
//! reference values committed under `tests/fixtures/metrics/` (written by
//! `scripts/fixtures/gen_metrics_fixtures.py`; CI reads only the JSON, never Python).
//!
//! Tolerances (the issue's):
//! - deterministic metrics (entropy, threshold, clustering, efficiency, path lengths,
//!   assortativity, weighted measures, spectral radius, communicability): `1e−9`, absolute
//!   for values of order 1 and relative for wiring cost and spectral radius; sparsity and
//!   fraction positive `1e−15` (equal but for the last bit serde_json's parser may lose); the
//!   binarised edge sets are identical;
//! - CNM: the same partition as networkx on every graph (so `Q` agrees to rounding), and
//!   `Q = 0.380671` on the karate club;
//! - σ, ω and the null means: numpy's generator cannot be replayed by ChaCha8, so the means
//!   over independent nulls are compared through their standard errors:
//!   `|ours − theirs| ≤ Z_MAX · √(SE_ours² + SE_theirs²)`, with `Z_MAX = 4` (a correct
//!   implementation fails one comparison with probability ~6e−5; the observed `z` are
//!   printed with `--nocapture`);
//! - Louvain and Leiden (seeded heuristics): our best of 10 restarts at least networkx's
//!   (Louvain) or leidenalg's (Leiden) best of 10 minus 0.01.

use std::path::PathBuf;

use blueprint_core::metrics::graph::{BinaryGraph, binarise};
use blueprint_core::metrics::small_world::{
    NullModel, NullSummary, clustering_coef_bu, graph_statistics, null_summary, omega, small_world,
};
use blueprint_core::metrics::{
    MetricKind, MetricsConfig, assortativity, compute_all, entropy, modularity, weighted,
};
use ndarray::Array2;
use serde::Deserialize;

const TOL: f64 = 1e-9;
const Z_MAX: f64 = 4.0;
const CASES: [&str; 6] = [
    "random_dense",
    "sparse",
    "positive_only",
    "diagonal_heavy",
    "karate_weighted",
    "karate_graph",
];
/// The seed of every null and restart below.
const SEED: u64 = 2025;

#[derive(Deserialize)]
struct Case {
    name: String,
    graph_from: String,
    threshold: Option<f64>,
    study_nulls: usize,
    matched_nulls: usize,
    rewiring_iterations: usize,
    restarts: usize,
    w: Vec<Vec<f64>>,
    distances: Vec<Vec<f64>>,
    weights: WeightRef,
    graph: GraphRef,
}

#[derive(Deserialize)]
struct WeightRef {
    entropy: f64,
    weighted_clustering: f64,
    weighted_path_length: f64,
    wiring_cost: f64,
    sparsity: f64,
    fraction_positive: f64,
    spectral_radius: f64,
    communicability_mean: f64,
}

#[derive(Deserialize)]
struct GraphRef {
    edges: Vec<(usize, usize)>,
    cnm: Cnm,
    assortativity: Option<f64>,
    clustering_bu: Vec<f64>,
    clustering: f64,
    efficiency: f64,
    path_length: Option<f64>,
    study_null: NullRef,
    density_null: NullRef,
    degree_null: NullRef,
    ring_lattice_clustering: f64,
    omega: f64,
    louvain_best: f64,
    leiden_best: f64,
}

#[derive(Deserialize)]
struct Cnm {
    modularity: f64,
    communities: Vec<Vec<usize>>,
}

#[derive(Deserialize)]
struct NullRef {
    n_nulls: usize,
    clustering_mean: f64,
    clustering_sd: f64,
    efficiency_mean: f64,
    efficiency_sd: f64,
    path_length_mean: Option<f64>,
    path_length_sd: Option<f64>,
    sigma: f64,
}

#[derive(Deserialize)]
struct CnmGraphs {
    graphs: Vec<CnmGraph>,
}

#[derive(Deserialize)]
struct CnmGraph {
    n: usize,
    edges: Vec<(usize, usize)>,
    modularity: f64,
    communities: Vec<Vec<usize>>,
}

#[derive(Deserialize)]
struct NullSamples {
    samples: Vec<NullSample>,
}

#[derive(Deserialize)]
struct NullSample {
    n: usize,
    edges: Vec<(usize, usize)>,
    self_loops: usize,
    clustering_bu: Vec<f64>,
    efficiency: f64,
}

fn read<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/metrics")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn to_array(rows: &[Vec<f64>]) -> Array2<f64> {
    let n = rows.len();
    assert!(
        rows.iter().all(|r| r.len() == n),
        "fixture matrix is not square"
    );
    Array2::from_shape_fn((n, n), |(i, j)| rows[i][j])
}

fn graph_of(case: &Case, w: &Array2<f64>) -> BinaryGraph {
    match case.graph_from.as_str() {
        "binarised" => {
            let b = binarise(w.view(), 0.9).unwrap();
            let want = case
                .threshold
                .expect("a binarised case records its threshold");
            assert!(
                (b.threshold - want).abs() <= 1e-12 * want.abs().max(1e-300),
                "{}: threshold {} vs {want}",
                case.name,
                b.threshold
            );
            b.graph
        }
        "adjacency" => BinaryGraph::from_adjacency(w.view())
            .unwrap()
            .without_self_loops(),
        other => panic!("unknown graph_from {other}"),
    }
}

/// Networkx's communities (largest first) as our membership labels.
fn membership_of(n: usize, communities: &[Vec<usize>]) -> Vec<usize> {
    let mut membership = vec![usize::MAX; n];
    for (label, community) in communities.iter().enumerate() {
        for &i in community {
            membership[i] = label;
        }
    }
    assert!(membership.iter().all(|&c| c != usize::MAX));
    membership
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (|Δ| = {:e})",
        (got - want).abs()
    );
}

/// `z = |a − b| / √(se_a² + se_b²)`, asserted `≤ Z_MAX` and printed.
fn within_se(what: &str, a: (f64, f64), b: (f64, f64)) {
    let se = (a.1 * a.1 + b.1 * b.1).sqrt();
    let z = (a.0 - b.0).abs() / se;
    println!("{what}: ours {:.6} theirs {:.6} z = {z:.2}", a.0, b.0);
    assert!(
        z <= Z_MAX,
        "{what}: ours {} theirs {} differ by {z:.2} SE",
        a.0,
        b.0
    );
}

fn compare_nulls(name: &str, ours: &NullSummary, theirs: &NullRef) {
    let se = |sd: f64, k: usize| sd / (k as f64).sqrt();
    within_se(
        &format!("{name} {:?} clustering", ours.model),
        (ours.clustering_mean, se(ours.clustering_sd, ours.n_nulls)),
        (
            theirs.clustering_mean,
            se(theirs.clustering_sd, theirs.n_nulls),
        ),
    );
    within_se(
        &format!("{name} {:?} efficiency", ours.model),
        (ours.efficiency_mean, se(ours.efficiency_sd, ours.n_nulls)),
        (
            theirs.efficiency_mean,
            se(theirs.efficiency_sd, theirs.n_nulls),
        ),
    );
}

/// Delta-method SE of the fixture's σ (covariance of the two means neglected).
fn their_sigma_se(theirs: &NullRef) -> f64 {
    let k = theirs.n_nulls as f64;
    let rc = theirs.clustering_sd / theirs.clustering_mean;
    let re = theirs.efficiency_sd / theirs.efficiency_mean;
    theirs.sigma * ((rc * rc + re * re) / k).sqrt()
}

#[test]
fn deterministic_metrics_match_scipy_networkx_and_bctpy() {
    for name in CASES {
        let case: Case = read(&format!("{name}.json"));
        let w = to_array(&case.w);
        let d = to_array(&case.distances);
        let r = &case.weights;
        close(
            name,
            entropy::weight_entropy(w.view()).unwrap(),
            r.entropy,
            TOL,
        );
        close(
            name,
            weighted::weighted_clustering(w.view()).unwrap(),
            r.weighted_clustering,
            TOL,
        );
        close(
            name,
            weighted::weighted_path_length(w.view()).unwrap(),
            r.weighted_path_length,
            TOL,
        );
        close(
            name,
            weighted::wiring_cost(w.view(), d.view()).unwrap(),
            r.wiring_cost,
            TOL * r.wiring_cost,
        );
        // Counts over N²: equal up to serde_json's last-bit float parsing.
        close(
            name,
            weighted::sparsity(w.view()).unwrap(),
            r.sparsity,
            1e-15,
        );
        close(
            name,
            weighted::fraction_positive(w.view()).unwrap(),
            r.fraction_positive,
            1e-15,
        );
        close(
            name,
            weighted::spectral_radius(w.view()).unwrap(),
            r.spectral_radius,
            TOL * r.spectral_radius,
        );
        close(
            name,
            weighted::mean_communicability(w.view()).unwrap(),
            r.communicability_mean,
            TOL,
        );

        let g = graph_of(&case, &w);
        let reference = &case.graph;
        assert_eq!(g.edges(), reference.edges, "{name}: binarised edges differ");
        match reference.assortativity {
            Some(want) => close(
                name,
                assortativity::degree_assortativity(&g).unwrap(),
                want,
                TOL,
            ),
            None => assert!(assortativity::degree_assortativity(&g).is_err()),
        }
        for (got, want) in clustering_coef_bu(&g).iter().zip(&reference.clustering_bu) {
            close(name, *got, *want, 1e-12);
        }
        let stats = graph_statistics(&g);
        close(name, stats.clustering, reference.clustering, TOL);
        close(name, stats.efficiency, reference.efficiency, TOL);
        match reference.path_length {
            Some(want) => close(name, stats.path_length.unwrap(), want, TOL),
            None => assert!(stats.path_length.is_none()),
        }
    }
}

#[test]
fn cnm_takes_networkx_merges_on_every_graph() {
    for name in CASES {
        let case: Case = read(&format!("{name}.json"));
        let w = to_array(&case.w);
        let g = graph_of(&case, &w);
        let found = modularity::cnm_communities(&g).unwrap();
        let cnm = &case.graph.cnm;
        assert_eq!(
            found.membership,
            membership_of(g.n_nodes(), &cnm.communities),
            "{name}: CNM partition differs from networkx"
        );
        close(name, found.modularity, cnm.modularity, 1e-15);
        println!(
            "{name}: CNM Q = {} (networkx {})",
            found.modularity, cnm.modularity
        );
        if name == "karate_graph" {
            assert_eq!(format!("{:.6}", found.modularity), "0.380671");
        }
    }
    let random: CnmGraphs = read("cnm_random_graphs.json");
    assert!(random.graphs.len() >= 30);
    for (k, graph) in random.graphs.iter().enumerate() {
        let g = BinaryGraph::from_edges(graph.n, &graph.edges).unwrap();
        let found = modularity::cnm_communities(&g).unwrap();
        assert_eq!(
            found.membership,
            membership_of(graph.n, &graph.communities),
            "random graph {k}: CNM partition differs from networkx"
        );
        close(
            &format!("random graph {k}"),
            found.modularity,
            graph.modularity,
            1e-15,
        );
        // Our Q function on networkx's partition, independently of the CNM code.
        let q = modularity::modularity(&g, &membership_of(graph.n, &graph.communities)).unwrap();
        close(&format!("random graph {k} Q"), q, graph.modularity, 1e-15);
    }
}

#[test]
fn study_null_self_loops_are_counted_as_bctpy_counts_them() {
    let samples: NullSamples = read("study_null_samples.json");
    for sample in &samples.samples {
        let g = BinaryGraph::from_edges(sample.n, &sample.edges).unwrap();
        assert_eq!(g.n_self_loops(), sample.self_loops);
        for (got, want) in clustering_coef_bu(&g).iter().zip(&sample.clustering_bu) {
            close("null clustering", *got, *want, 1e-15);
        }
        close(
            "null efficiency",
            graph_statistics(&g).efficiency,
            sample.efficiency,
            1e-12,
        );
    }
    assert!(samples.samples.iter().any(|s| s.self_loops > 0));
}

#[test]
fn small_world_sigma_and_omega_agree_within_the_nulls_standard_errors() {
    for name in CASES {
        let case: Case = read(&format!("{name}.json"));
        let w = to_array(&case.w);
        let g = graph_of(&case, &w);
        let reference = &case.graph;

        let study = null_summary(&g, NullModel::Study, case.study_nulls, SEED, 0, 2).unwrap();
        compare_nulls(name, &study, &reference.study_null);
        let sw = small_world(&g, study, MetricKind::SmallWorld).unwrap();
        within_se(
            &format!("{name} study σ"),
            (sw.sigma, sw.sigma_se),
            (
                reference.study_null.sigma,
                their_sigma_se(&reference.study_null),
            ),
        );

        let density = null_summary(
            &g,
            NullModel::DensityMatched,
            case.matched_nulls,
            SEED,
            0,
            2,
        )
        .unwrap();
        compare_nulls(name, &density, &reference.density_null);
        let sw = small_world(&g, density, MetricKind::SmallWorldDensity).unwrap();
        within_se(
            &format!("{name} density σ"),
            (sw.sigma, sw.sigma_se),
            (
                reference.density_null.sigma,
                their_sigma_se(&reference.density_null),
            ),
        );

        let degree = null_summary(
            &g,
            NullModel::DegreeMatched,
            case.matched_nulls,
            SEED,
            case.rewiring_iterations,
            2,
        )
        .unwrap();
        compare_nulls(name, &degree, &reference.degree_null);
        let sw = small_world(&g, degree.clone(), MetricKind::SmallWorldDegree).unwrap();
        within_se(
            &format!("{name} degree σ"),
            (sw.sigma, sw.sigma_se),
            (
                reference.degree_null.sigma,
                their_sigma_se(&reference.degree_null),
            ),
        );

        let w_omega = omega(&g, &degree).unwrap();
        close(
            name,
            w_omega.clustering_lattice,
            reference.ring_lattice_clustering,
            1e-12,
        );
        let path_length = w_omega.path_length;
        let se = |summary_sd: f64, k: usize| summary_sd / (k as f64).sqrt() / path_length;
        within_se(
            &format!("{name} ω"),
            (
                w_omega.omega,
                se(degree.path_length_sd.unwrap(), degree.n_nulls),
            ),
            (
                reference.omega,
                se(
                    reference.degree_null.path_length_sd.unwrap(),
                    reference.degree_null.n_nulls,
                ),
            ),
        );
        assert!(reference.degree_null.path_length_mean.is_some());
    }
}

#[test]
fn louvain_and_leiden_reach_the_reference_libraries_best_modularity() {
    for name in CASES {
        let case: Case = read(&format!("{name}.json"));
        let w = to_array(&case.w);
        let g = graph_of(&case, &w);
        let cnm = modularity::cnm_communities(&g).unwrap().modularity;
        let louvain = modularity::louvain_communities(&g, case.restarts, SEED).unwrap();
        let leiden = modularity::leiden_communities(&g, case.restarts, SEED).unwrap();
        println!(
            "{name}: CNM {cnm:.4}; Louvain {:.4} (networkx {:.4}); Leiden {:.4} (leidenalg {:.4})",
            louvain.modularity, case.graph.louvain_best, leiden.modularity, case.graph.leiden_best
        );
        assert!(
            louvain.modularity >= case.graph.louvain_best - 0.01,
            "{name}: Louvain"
        );
        assert!(
            leiden.modularity >= case.graph.leiden_best - 0.01,
            "{name}: Leiden"
        );
        // Each reported Q is the Q of the reported partition.
        for found in [&louvain, &leiden] {
            close(
                name,
                modularity::modularity(&g, &found.membership).unwrap(),
                found.modularity,
                0.0,
            );
        }
        // Leiden's guarantee: every community induces a connected subgraph.
        for c in 0..leiden.n_communities {
            let members: Vec<usize> = (0..g.n_nodes())
                .filter(|&i| leiden.membership[i] == c)
                .collect();
            let mut seen = vec![members[0]];
            let mut stack = vec![members[0]];
            while let Some(v) = stack.pop() {
                for u in g.neighbours(v) {
                    if leiden.membership[u] == c && !seen.contains(&u) {
                        seen.push(u);
                        stack.push(u);
                    }
                }
            }
            assert_eq!(
                seen.len(),
                members.len(),
                "{name}: Leiden community {c} is split"
            );
        }
    }
    // The karate club's maximum modularity is 0.419790 (Brandes et al. 2008, exact ILP).
    let case: Case = read("karate_graph.json");
    let g = graph_of(&case, &to_array(&case.w));
    let leiden = modularity::leiden_communities(&g, 10, SEED).unwrap();
    assert_eq!(format!("{:.6}", leiden.modularity), "0.419790");
}

#[test]
fn compute_all_reports_the_fixture_values() {
    let case: Case = read("diagonal_heavy.json");
    let w = to_array(&case.w);
    let d = to_array(&case.distances);
    let config = MetricsConfig {
        n_nulls: 100,
        n_matched_nulls: 20,
        ..MetricsConfig::default()
    };
    let report = compute_all(w.view(), Some(d.view()), &config).unwrap();
    assert!(report.undefined.is_empty(), "{:?}", report.undefined);
    close(
        "entropy",
        report.entropy.unwrap(),
        case.weights.entropy,
        TOL,
    );
    close(
        "modularity",
        report.value(MetricKind::Modularity).unwrap(),
        case.graph.cnm.modularity,
        1e-15,
    );
    close(
        "assortativity",
        report.assortativity.unwrap(),
        case.graph.assortativity.unwrap(),
        TOL,
    );
    close(
        "threshold",
        report.binarisation.as_ref().unwrap().threshold,
        case.threshold.unwrap(),
        1e-15,
    );
    let sw = report.small_world.unwrap();
    close("C", sw.clustering, case.graph.clustering, TOL);
    close("E", sw.efficiency, case.graph.efficiency, TOL);
    close(
        "wiring cost",
        report.wiring_cost.unwrap(),
        case.weights.wiring_cost,
        TOL * case.weights.wiring_cost,
    );
}
