//! Network-structure metrics of a trained recurrent weight matrix `W_rec`: the study's four
//! (entropy, CNM modularity, degree assortativity, small-worldness σ against its null) and
//! better ones beside them, named as such, behind one entry point, [`compute_all`].
//!
//! - [`entropy`]: KDE entropy of the signed weights (bits).
//! - [`graph`]: the study's binarisation and the bit-matrix graph every graph measure uses.
//! - [`modularity`]: Newman's `Q`; the CNM partition (networkx's, merge for merge); Louvain and
//!   Leiden, best of seeded restarts.
//! - [`assortativity`]: Newman's degree assortativity.
//! - [`small_world`]: BCT clustering and efficiency, path length, σ against the study's null,
//!   density- and degree-matched nulls, ω.
//! - [`weighted`]: Onnela clustering, weighted path length, wiring cost, sparsity, fraction
//!   positive, spectral radius, mean weighted communicability.
//!
//! Every function validates its input (square, non-empty, finite) and returns a
//! [`MetricsError`]; a metric that is undefined for a valid input (a regular graph's
//! assortativity, the entropy of a constant matrix) is an [`MetricsError::Undefined`] with the
//! reason, never a NaN. [`compute_all`] records those reasons in
//! [`MetricsReport::undefined`] and goes on with the other metrics.
//!
//! One definition serves the trainer's reports and the server's endpoint; the fixtures in
//! `core/tests/fixtures/metrics/` hold networkx/bctpy/scipy values for each.

pub mod assortativity;
pub mod entropy;
pub mod graph;
pub mod modularity;
pub mod small_world;
pub mod weighted;

use std::fmt;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::network::expm::ExpmError;
use graph::BinaryGraph;
use modularity::Communities;
use small_world::{NullModel, NullSummary, Omega, SmallWorld};

/// The most null graphs one call may draw per null model (1,000 is the study's count).
pub const MAX_NULLS: usize = 100_000;

/// The most optimiser restarts one call may run.
pub const MAX_RESTARTS: usize = 1_000;

/// The most Maslov–Sneppen swaps per edge one call may attempt.
pub const MAX_REWIRING_ITERATIONS: usize = 1_000;

/// Why a metric could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricsError {
    /// A `0×0` matrix or a graph without nodes.
    #[error("{what} is empty")]
    Empty {
        /// Which argument.
        what: &'static str,
    },
    /// The matrix is not square.
    #[error("{what} must be square, got {rows}×{cols}")]
    NotSquare {
        what: &'static str,
        rows: usize,
        cols: usize,
    },
    /// The matrix holds a NaN or an infinity.
    #[error("{what} has a non-finite entry at ({row}, {col})")]
    NonFinite {
        what: &'static str,
        row: usize,
        col: usize,
    },
    /// A second matrix does not match the first's size.
    #[error("{what} must be {expected}×{expected} to match W, got {rows}×{cols}")]
    ShapeMismatch {
        what: &'static str,
        expected: usize,
        rows: usize,
        cols: usize,
    },
    /// A matrix that must be nonnegative (distances) has a negative entry.
    #[error("{what} has a negative entry at ({row}, {col})")]
    Negative {
        what: &'static str,
        row: usize,
        col: usize,
    },
    /// The caller asked the computation to stop (a deadline passed or its client left).
    #[error("the computation was stopped before it finished")]
    Stopped,
    /// A parameter is out of range.
    #[error("invalid {name}: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    /// The input is valid but the metric has no value for it.
    #[error("{metric} is undefined: {reason}")]
    Undefined { metric: MetricKind, reason: String },
    /// The matrix exponential behind communicability failed.
    #[error(transparent)]
    Communicability(#[from] ExpmError),
}

/// The metrics, listed once: the report's fields, the endpoint's `metrics` parameter and the
/// comparison's measures use these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MetricKind {
    /// The study's: KDE entropy of the signed weights, bits ([`entropy::weight_entropy`]).
    Entropy,
    /// The study's: `Q` of the CNM partition ([`modularity::cnm_communities`]).
    Modularity,
    /// The study's: degree assortativity ([`assortativity::degree_assortativity`]).
    Assortativity,
    /// The study's: σ against its `(U + Uᵀ)/2 > 0.7` null ([`small_world`]).
    SmallWorld,
    /// Better: Louvain `Q`, best of seeded restarts.
    ModularityLouvain,
    /// Better: Leiden `Q`, best of seeded restarts.
    ModularityLeiden,
    /// Better: σ against density-matched `G(n, m)` nulls.
    SmallWorldDensity,
    /// Better: σ against degree-matched Maslov–Sneppen nulls.
    SmallWorldDegree,
    /// Better: small-world ω (degree-matched random, ring-lattice references).
    Omega,
    /// Characteristic path length of the binarised graph.
    PathLength,
    /// Onnela weighted clustering of the normalised `|W|`.
    WeightedClustering,
    /// Characteristic path length of the normalised `|W|` with lengths `1/w`.
    WeightedPathLength,
    /// `Σ |W| ⊙ D` (needs distances).
    WiringCost,
    /// Fraction of exactly-zero weights.
    Sparsity,
    /// Fraction of positive weights.
    FractionPositive,
    /// Spectral radius of `W`.
    SpectralRadius,
    /// Mean off-diagonal weighted communicability.
    Communicability,
}

impl MetricKind {
    /// Every metric, in report order.
    pub const ALL: [MetricKind; 17] = [
        MetricKind::Entropy,
        MetricKind::Modularity,
        MetricKind::Assortativity,
        MetricKind::SmallWorld,
        MetricKind::ModularityLouvain,
        MetricKind::ModularityLeiden,
        MetricKind::SmallWorldDensity,
        MetricKind::SmallWorldDegree,
        MetricKind::Omega,
        MetricKind::PathLength,
        MetricKind::WeightedClustering,
        MetricKind::WeightedPathLength,
        MetricKind::WiringCost,
        MetricKind::Sparsity,
        MetricKind::FractionPositive,
        MetricKind::SpectralRadius,
        MetricKind::Communicability,
    ];

    /// The study's four metrics.
    pub const STUDY: [MetricKind; 4] = [
        MetricKind::Entropy,
        MetricKind::Modularity,
        MetricKind::Assortativity,
        MetricKind::SmallWorld,
    ];

    /// The kebab-case name used in JSON and on the command line.
    pub fn label(self) -> &'static str {
        match self {
            MetricKind::Entropy => "entropy",
            MetricKind::Modularity => "modularity",
            MetricKind::Assortativity => "assortativity",
            MetricKind::SmallWorld => "small-world",
            MetricKind::ModularityLouvain => "modularity-louvain",
            MetricKind::ModularityLeiden => "modularity-leiden",
            MetricKind::SmallWorldDensity => "small-world-density",
            MetricKind::SmallWorldDegree => "small-world-degree",
            MetricKind::Omega => "omega",
            MetricKind::PathLength => "path-length",
            MetricKind::WeightedClustering => "weighted-clustering",
            MetricKind::WeightedPathLength => "weighted-path-length",
            MetricKind::WiringCost => "wiring-cost",
            MetricKind::Sparsity => "sparsity",
            MetricKind::FractionPositive => "fraction-positive",
            MetricKind::SpectralRadius => "spectral-radius",
            MetricKind::Communicability => "communicability",
        }
    }

    /// Whether the metric is computed on the binarised graph.
    pub fn uses_binarised_graph(self) -> bool {
        matches!(
            self,
            MetricKind::Modularity
                | MetricKind::Assortativity
                | MetricKind::SmallWorld
                | MetricKind::ModularityLouvain
                | MetricKind::ModularityLeiden
                | MetricKind::SmallWorldDensity
                | MetricKind::SmallWorldDegree
                | MetricKind::Omega
                | MetricKind::PathLength
        )
    }
}

impl fmt::Display for MetricKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl std::str::FromStr for MetricKind {
    type Err = MetricsError;

    fn from_str(s: &str) -> Result<MetricKind, MetricsError> {
        MetricKind::ALL
            .into_iter()
            .find(|m| m.label() == s)
            .ok_or_else(|| MetricsError::InvalidParameter {
                name: "metrics",
                reason: format!(
                    "unknown metric `{s}`; known: {}",
                    MetricKind::ALL.map(MetricKind::label).join(", ")
                ),
            })
    }
}

/// What [`compute_all`] computes and how. `Default` is the study's settings with every
/// metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricsConfig {
    /// Which metrics (default: all of [`MetricKind::ALL`]).
    pub metrics: Vec<MetricKind>,
    /// Binarisation quantile of `|W|`, in `(0, 1)` (the study: 0.9).
    pub threshold_quantile: f64,
    /// Nulls of the study's model for σ (the study: 1,000).
    pub n_nulls: usize,
    /// Nulls of each matched model (density, degree) for σ and ω.
    pub n_matched_nulls: usize,
    /// Maslov–Sneppen swaps attempted per edge (BCT `randmio_und`'s `ITER`).
    pub rewiring_iterations: usize,
    /// Louvain and Leiden restarts; the best `Q` is reported.
    pub restarts: usize,
    /// Seed of every random draw (nulls, optimiser orders).
    pub seed: u64,
    /// Threads for the null models (results do not depend on it).
    pub threads: usize,
}

impl Default for MetricsConfig {
    fn default() -> MetricsConfig {
        MetricsConfig {
            metrics: MetricKind::ALL.to_vec(),
            threshold_quantile: 0.9,
            n_nulls: 1_000,
            n_matched_nulls: 100,
            rewiring_iterations: 10,
            restarts: 10,
            seed: 0,
            threads: 1,
        }
    }
}

impl MetricsConfig {
    /// The study's four metrics with the study's settings.
    pub fn study() -> MetricsConfig {
        MetricsConfig {
            metrics: MetricKind::STUDY.to_vec(),
            ..MetricsConfig::default()
        }
    }

    /// Checks every parameter's range.
    ///
    /// # Errors
    /// [`MetricsError::InvalidParameter`] naming the first bad field: a quantile outside
    /// `(0, 1)`, null counts outside `1..=`[`MAX_NULLS`], rewiring iterations outside
    /// `1..=`[`MAX_REWIRING_ITERATIONS`], restarts outside `1..=`[`MAX_RESTARTS`], zero
    /// threads, or no metric.
    pub fn validate(&self) -> Result<(), MetricsError> {
        graph::check_quantile(self.threshold_quantile)?;
        let bad = |name: &'static str, reason: String| {
            Err(MetricsError::InvalidParameter { name, reason })
        };
        for (name, value) in [
            ("n_nulls", self.n_nulls),
            ("n_matched_nulls", self.n_matched_nulls),
        ] {
            if !(1..=MAX_NULLS).contains(&value) {
                return bad(
                    name,
                    format!("must be between 1 and {MAX_NULLS}, got {value}"),
                );
            }
        }
        if !(1..=MAX_REWIRING_ITERATIONS).contains(&self.rewiring_iterations) {
            return bad(
                "rewiring_iterations",
                format!(
                    "must be between 1 and {MAX_REWIRING_ITERATIONS}, got {}",
                    self.rewiring_iterations
                ),
            );
        }
        if !(1..=MAX_RESTARTS).contains(&self.restarts) {
            return bad(
                "restarts",
                format!(
                    "must be between 1 and {MAX_RESTARTS}, got {}",
                    self.restarts
                ),
            );
        }
        if self.threads == 0 {
            return bad("threads", "must be at least 1".into());
        }
        if self.metrics.is_empty() {
            return bad("metrics", "name at least one metric".into());
        }
        Ok(())
    }
}

/// How the binarised graph came out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BinarisationSummary {
    pub quantile: f64,
    /// The `quantile` of `|W|`; edges are the entries strictly above it.
    pub threshold: f64,
    pub n_edges: usize,
    /// `n_edges / (n(n−1)/2)`.
    pub density: f64,
    /// Nodes without an edge.
    pub n_isolated: usize,
}

/// A metric [`compute_all`] could not give for this matrix, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UndefinedMetric {
    pub metric: MetricKind,
    pub reason: String,
}

/// Everything [`compute_all`] computed. A field is present iff its metric was asked for and
/// is defined; each absent requested metric is in `undefined` with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricsReport {
    /// `N`, the matrix size.
    pub n_units: usize,
    /// The settings used.
    pub config: MetricsConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binarisation: Option<BinarisationSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entropy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modularity: Option<Communities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assortativity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_world: Option<SmallWorld>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modularity_louvain: Option<Communities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modularity_leiden: Option<Communities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_world_density: Option<SmallWorld>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_world_degree: Option<SmallWorld>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omega: Option<Omega>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_clustering: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_path_length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wiring_cost: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sparsity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_positive: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spectral_radius: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communicability: Option<f64>,
    pub undefined: Vec<UndefinedMetric>,
}

impl MetricsReport {
    /// The headline number of a metric, if present: the scalar, `Q` of a partition, `σ`,
    /// or `ω`. What a comparison of many models aggregates.
    pub fn value(&self, metric: MetricKind) -> Option<f64> {
        match metric {
            MetricKind::Entropy => self.entropy,
            MetricKind::Modularity => self.modularity.as_ref().map(|c| c.modularity),
            MetricKind::Assortativity => self.assortativity,
            MetricKind::SmallWorld => self.small_world.as_ref().map(|s| s.sigma),
            MetricKind::ModularityLouvain => self.modularity_louvain.as_ref().map(|c| c.modularity),
            MetricKind::ModularityLeiden => self.modularity_leiden.as_ref().map(|c| c.modularity),
            MetricKind::SmallWorldDensity => self.small_world_density.as_ref().map(|s| s.sigma),
            MetricKind::SmallWorldDegree => self.small_world_degree.as_ref().map(|s| s.sigma),
            MetricKind::Omega => self.omega.as_ref().map(|o| o.omega),
            MetricKind::PathLength => self.path_length,
            MetricKind::WeightedClustering => self.weighted_clustering,
            MetricKind::WeightedPathLength => self.weighted_path_length,
            MetricKind::WiringCost => self.wiring_cost,
            MetricKind::Sparsity => self.sparsity,
            MetricKind::FractionPositive => self.fraction_positive,
            MetricKind::SpectralRadius => self.spectral_radius,
            MetricKind::Communicability => self.communicability,
        }
    }
}

/// Computes the requested metrics of one weight matrix (see each module for the maths).
///
/// The binarised graph is built once ([`graph::binarise`] at `config.threshold_quantile`) and
/// shared by the graph metrics; the degree-matched nulls are drawn once for both σ and ω.
/// `distances` (e.g. `core::network::distance`'s) enable [`MetricKind::WiringCost`].
///
/// # Shapes
/// `w`: `(n, n)`; `distances`: `(n, n)`.
///
/// # Errors
/// Input errors ([`MetricsError::Empty`], [`MetricsError::NotSquare`],
/// [`MetricsError::NonFinite`], [`MetricsError::ShapeMismatch`], [`MetricsError::Negative`]),
/// [`MetricsError::InvalidParameter`] from [`MetricsConfig::validate`], and
/// [`MetricsError::Communicability`]. A metric that is undefined for this matrix is not an
/// error: it is listed in [`MetricsReport::undefined`].
pub fn compute_all(
    w: ArrayView2<f64>,
    distances: Option<ArrayView2<f64>>,
    config: &MetricsConfig,
) -> Result<MetricsReport, MetricsError> {
    compute_all_until(w, distances, config, &|| false)
}

/// [`compute_all`] that gives up with [`MetricsError::Stopped`] once `stop()` says so: it is
/// asked before every metric and before every null model.
pub fn compute_all_until(
    w: ArrayView2<f64>,
    distances: Option<ArrayView2<f64>>,
    config: &MetricsConfig,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<MetricsReport, MetricsError> {
    let n = check_weights("W", w)?;
    config.validate()?;
    if let Some(d) = distances {
        weighted::wiring_cost(w, d)?;
    }
    let mut wanted = config.metrics.clone();
    wanted.sort();
    wanted.dedup();
    let mut report = MetricsReport {
        n_units: n,
        config: config.clone(),
        binarisation: None,
        entropy: None,
        modularity: None,
        assortativity: None,
        small_world: None,
        modularity_louvain: None,
        modularity_leiden: None,
        small_world_density: None,
        small_world_degree: None,
        omega: None,
        path_length: None,
        weighted_clustering: None,
        weighted_path_length: None,
        wiring_cost: None,
        sparsity: None,
        fraction_positive: None,
        spectral_radius: None,
        communicability: None,
        undefined: Vec::new(),
    };
    let mut undefined = Vec::new();
    // Undefined → recorded; anything else → the caller's error.
    let mut keep = |result: Result<(), MetricsError>| -> Result<(), MetricsError> {
        match result {
            Err(MetricsError::Undefined { metric, reason }) => {
                undefined.push(UndefinedMetric { metric, reason });
                Ok(())
            }
            other => other,
        }
    };

    let graph: Option<BinaryGraph> = if wanted.iter().any(|m| m.uses_binarised_graph()) {
        let binarised = graph::binarise(w, config.threshold_quantile)?;
        let g = binarised.graph;
        report.binarisation = Some(BinarisationSummary {
            quantile: config.threshold_quantile,
            threshold: binarised.threshold,
            n_edges: g.n_edges(),
            density: g.density(),
            n_isolated: (0..n).filter(|&i| g.degree(i) == 0).count(),
        });
        Some(g)
    } else {
        None
    };
    let mut degree_nulls: Option<Result<NullSummary, MetricsError>> = None;
    let null_summary = |model: NullModel, count: usize| -> Result<NullSummary, MetricsError> {
        let g = graph.as_ref().expect("graph metrics build the graph");
        small_world::null_summary_until(
            g,
            model,
            count,
            config.seed,
            config.rewiring_iterations,
            config.threads,
            stop,
        )
    };

    for metric in wanted {
        if stop() {
            return Err(MetricsError::Stopped);
        }
        let g = graph.as_ref();
        let step: Result<(), MetricsError> = (|| {
            match metric {
                MetricKind::Entropy => report.entropy = Some(entropy::weight_entropy(w)?),
                MetricKind::Modularity => {
                    report.modularity = Some(modularity::cnm_communities(g.expect("graph"))?)
                }
                MetricKind::Assortativity => {
                    report.assortativity =
                        Some(assortativity::degree_assortativity(g.expect("graph"))?)
                }
                MetricKind::SmallWorld => {
                    let null = null_summary(NullModel::Study, config.n_nulls)?;
                    report.small_world =
                        Some(small_world::small_world(g.expect("graph"), null, metric)?);
                }
                MetricKind::ModularityLouvain => {
                    report.modularity_louvain = Some(modularity::louvain_communities(
                        g.expect("graph"),
                        config.restarts,
                        config.seed,
                    )?)
                }
                MetricKind::ModularityLeiden => {
                    report.modularity_leiden = Some(modularity::leiden_communities(
                        g.expect("graph"),
                        config.restarts,
                        config.seed,
                    )?)
                }
                MetricKind::SmallWorldDensity => {
                    let null = null_summary(NullModel::DensityMatched, config.n_matched_nulls)?;
                    report.small_world_density =
                        Some(small_world::small_world(g.expect("graph"), null, metric)?);
                }
                MetricKind::SmallWorldDegree | MetricKind::Omega => {
                    let null = degree_nulls
                        .get_or_insert_with(|| {
                            null_summary(NullModel::DegreeMatched, config.n_matched_nulls)
                        })
                        .clone()?;
                    if metric == MetricKind::Omega {
                        report.omega = Some(small_world::omega(g.expect("graph"), &null)?);
                    } else {
                        report.small_world_degree =
                            Some(small_world::small_world(g.expect("graph"), null, metric)?);
                    }
                }
                MetricKind::PathLength => {
                    report.path_length =
                        Some(small_world::characteristic_path_length(g.expect("graph"))?)
                }
                MetricKind::WeightedClustering => {
                    report.weighted_clustering = Some(weighted::weighted_clustering(w)?)
                }
                MetricKind::WeightedPathLength => {
                    report.weighted_path_length = Some(weighted::weighted_path_length(w)?)
                }
                MetricKind::WiringCost => match distances {
                    Some(d) => report.wiring_cost = Some(weighted::wiring_cost(w, d)?),
                    None => {
                        return Err(MetricsError::Undefined {
                            metric,
                            reason: "no distance matrix was given".into(),
                        });
                    }
                },
                MetricKind::Sparsity => report.sparsity = Some(weighted::sparsity(w)?),
                MetricKind::FractionPositive => {
                    report.fraction_positive = Some(weighted::fraction_positive(w)?)
                }
                MetricKind::SpectralRadius => {
                    report.spectral_radius = Some(weighted::spectral_radius(w)?)
                }
                MetricKind::Communicability => {
                    report.communicability = Some(weighted::mean_communicability(w)?)
                }
            }
            Ok(())
        })();
        // A null model's error names the model's metric; report it under this one.
        keep(step.map_err(|e| match e {
            MetricsError::Undefined { reason, .. } => MetricsError::Undefined { metric, reason },
            other => other,
        }))?;
    }
    report.undefined = undefined;
    Ok(report)
}

/// Checks that `w` is square, non-empty and finite; returns `n`.
///
/// # Errors
/// [`MetricsError::NotSquare`], [`MetricsError::Empty`], [`MetricsError::NonFinite`].
pub fn check_weights(what: &'static str, w: ArrayView2<f64>) -> Result<usize, MetricsError> {
    let (rows, cols) = w.dim();
    if rows != cols {
        return Err(MetricsError::NotSquare { what, rows, cols });
    }
    if rows == 0 {
        return Err(MetricsError::Empty { what });
    }
    // `iter` walks in logical row-major order whatever the memory layout.
    if let Some(index) = w.iter().position(|x| !x.is_finite()) {
        return Err(MetricsError::NonFinite {
            what,
            row: index / cols,
            col: index % cols,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_w(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, n), |_| rng.random::<f64>() - 0.5)
    }

    #[test]
    fn every_metric_is_reported_and_each_matches_its_own_function() {
        let w = random_w(40, 1);
        let d = Array2::from_shape_fn((40, 40), |(i, j)| (i as f64 - j as f64).abs());
        let config = MetricsConfig {
            n_nulls: 50,
            n_matched_nulls: 10,
            restarts: 3,
            ..MetricsConfig::default()
        };
        let report = compute_all(w.view(), Some(d.view()), &config).unwrap();
        assert!(report.undefined.is_empty(), "{:?}", report.undefined);
        for metric in MetricKind::ALL {
            assert!(report.value(metric).is_some_and(f64::is_finite), "{metric}");
        }
        let g = graph::binarise(w.view(), 0.9).unwrap().graph;
        assert_eq!(
            report.entropy,
            Some(entropy::weight_entropy(w.view()).unwrap())
        );
        assert_eq!(
            report.modularity.as_ref().unwrap(),
            &modularity::cnm_communities(&g).unwrap()
        );
        assert_eq!(report.binarisation.as_ref().unwrap().n_edges, g.n_edges());
        let json = serde_json::to_string(&report).unwrap();
        // serde_json's default float parsing may differ in the last bit.
        let back: MetricsReport = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.modularity.as_ref().unwrap().membership,
            report.modularity.as_ref().unwrap().membership
        );
        for metric in MetricKind::ALL {
            let (a, b) = (back.value(metric).unwrap(), report.value(metric).unwrap());
            assert!((a - b).abs() <= 1e-15 * b.abs(), "{metric}: {a} vs {b}");
        }
    }

    #[test]
    fn undefined_metrics_are_listed_with_reasons_not_nan() {
        // A diagonal matrix: the binarised graph has no edges (only the diagonal exceeds the
        // threshold), so every graph metric is undefined; wiring cost has no distances.
        let mut w = Array2::<f64>::zeros((12, 12));
        w.diag_mut().fill(1.0);
        let report = compute_all(
            w.view(),
            None,
            &MetricsConfig {
                n_nulls: 5,
                n_matched_nulls: 2,
                ..MetricsConfig::default()
            },
        )
        .unwrap();
        let listed: Vec<MetricKind> = report.undefined.iter().map(|u| u.metric).collect();
        for metric in [
            MetricKind::Modularity,
            MetricKind::Assortativity,
            MetricKind::SmallWorld,
            MetricKind::ModularityLouvain,
            MetricKind::SmallWorldDegree,
            MetricKind::Omega,
            MetricKind::PathLength,
            MetricKind::WiringCost,
            MetricKind::WeightedClustering,
        ] {
            assert!(listed.contains(&metric), "{metric} missing from {listed:?}");
            assert_eq!(report.value(metric), None);
        }
        assert_eq!(report.sparsity, Some(1.0 - 12.0 / 144.0));
        assert!(report.entropy.is_some());
        // A single unit: only the counts and the spectral radius exist; nothing panics.
        let one = compute_all(
            Array2::from_elem((1, 1), 0.5).view(),
            None,
            &MetricsConfig::default(),
        )
        .unwrap();
        assert_eq!(one.spectral_radius, Some(0.5));
        assert_eq!(one.fraction_positive, Some(1.0));
        assert_eq!(
            one.undefined.len(),
            MetricKind::ALL.len() - 3,
            "{:?}",
            one.undefined
        );
    }

    #[test]
    fn bad_input_and_bad_parameters_are_typed_errors() {
        let w = random_w(5, 2);
        let config = MetricsConfig::study();
        assert!(matches!(
            compute_all(Array2::<f64>::zeros((2, 3)).view(), None, &config),
            Err(MetricsError::NotSquare {
                rows: 2,
                cols: 3,
                ..
            })
        ));
        assert!(matches!(
            compute_all(Array2::<f64>::zeros((0, 0)).view(), None, &config),
            Err(MetricsError::Empty { .. })
        ));
        let mut nan = w.clone();
        nan[[1, 4]] = f64::NAN;
        assert_eq!(
            compute_all(nan.view(), None, &config),
            Err(MetricsError::NonFinite {
                what: "W",
                row: 1,
                col: 4
            })
        );
        for bad in [
            MetricsConfig {
                threshold_quantile: 1.0,
                ..config.clone()
            },
            MetricsConfig {
                n_nulls: 0,
                ..config.clone()
            },
            MetricsConfig {
                n_nulls: MAX_NULLS + 1,
                ..config.clone()
            },
            MetricsConfig {
                restarts: 0,
                ..config.clone()
            },
            MetricsConfig {
                rewiring_iterations: 0,
                ..config.clone()
            },
            MetricsConfig {
                metrics: vec![],
                ..config.clone()
            },
        ] {
            assert!(matches!(
                compute_all(w.view(), None, &bad),
                Err(MetricsError::InvalidParameter { .. })
            ));
        }
        assert!(matches!(
            compute_all(w.view(), Some(Array2::zeros((4, 4)).view()), &config),
            Err(MetricsError::ShapeMismatch { .. })
        ));
        assert_eq!("omega".parse::<MetricKind>(), Ok(MetricKind::Omega));
        assert!("q".parse::<MetricKind>().is_err());
        for metric in MetricKind::ALL {
            let json = serde_json::to_string(&metric).unwrap();
            assert_eq!(json, format!("\"{}\"", metric.label()));
        }
    }
}
