//! `GET /models/{id}/metrics`: network-structure metrics of a model's trained recurrent matrix
//! `W_rec`, read from the initializer of its ONNX file and measured by `core::metrics` (the
//! study's entropy, CNM modularity, assortativity and σ, and the better metrics beside them).
//!
//! A report is deterministic in (model, parameters), so each is cached in the store and served
//! again; the cache key is the normalised parameters (metrics sorted and deduplicated) plus the
//! server's version. The computation runs on the bounded inference pool, single-threaded, so
//! it never occupies an HTTP worker and the pool's slots bound the CPU it takes; a saturated
//! pool answers 503 with `Retry-After`, as evaluations do.
//!
//! Wiring cost `Σ|W|⊙D` needs the model's distances: grid models get their lattice distances
//! (`core::network::distance::grid_distance`, the manifest's shape); for models with real soma
//! distances (the server stores no positions) or none, it is listed as undefined, with why.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use blueprint_core::metrics::{
    MetricKind, MetricsConfig, MetricsError, MetricsReport, compute_all,
};
use blueprint_core::network::distance::{DistanceSpec, grid_distance};
use blueprint_core::onnx;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiPath, ApiQuery, Problem};
use crate::state::AppState;
use crate::store::models as model_store;
use crate::store::models::ModelRecord;
use crate::store::results::{self as result_store, ResultTable};

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_model_metrics))
}

/// The most nulls one request may draw for σ (the study draws 1,000).
pub const MAX_NULLS: usize = 10_000;
/// Nulls of the study's model when the request names none: the study's count.
pub const DEFAULT_NULLS: usize = 1_000;
/// Binarisation quantile when the request names none: the study's.
pub const DEFAULT_THRESHOLD_QUANTILE: f64 = 0.9;

/// Part of every cache key: a new server never serves an old implementation's report.
const METRICS_VERSION: &str = concat!("blueprint-server ", env!("CARGO_PKG_VERSION"));

/// Parameters of `GET /models/{id}/metrics`, all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// Binarisation quantile of `|W|`, strictly between 0 and 1: an edge where `|W_ij|` is
    /// above it (default 0.9, the study's).
    #[param(example = 0.9)]
    pub threshold_quantile: Option<f64>,
    /// Nulls of the study's model for σ, 1 to 10,000 (default 1,000, the study's). The
    /// density- and degree-matched nulls stay at `core`'s default (100).
    #[param(example = 1000)]
    pub n_nulls: Option<usize>,
    /// Seed of every random draw (nulls, Louvain and Leiden restarts); default 0.
    #[param(example = 7)]
    pub seed: Option<u64>,
    /// Comma-separated metric names (default: all): `entropy`, `modularity`,
    /// `assortativity`, `small-world` (the study's) and `modularity-louvain`,
    /// `modularity-leiden`, `small-world-density`, `small-world-degree`, `omega`,
    /// `path-length`, `weighted-clustering`, `weighted-path-length`, `wiring-cost`,
    /// `sparsity`, `fraction-positive`, `spectral-radius`, `communicability`.
    #[param(example = "entropy,modularity,assortativity,small-world")]
    pub metrics: Option<String>,
}

/// The metrics of one model's `W_rec`. A requested metric that has no value for this matrix
/// (an edgeless graph's modularity, wiring cost without distances) is absent and listed in
/// `undefined` with the reason; no value is ever NaN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "model_id": 1,
    "n_units": 70,
    "config": {
        "metrics": ["entropy", "modularity", "assortativity", "small-world"],
        "threshold_quantile": 0.9, "n_nulls": 1000, "n_matched_nulls": 100,
        "rewiring_iterations": 10, "restarts": 10, "seed": 7, "threads": 1
    },
    "binarisation": {"quantile": 0.9, "threshold": 0.0712, "n_edges": 412, "density": 0.1706, "n_isolated": 0},
    "entropy": 5.21,
    "modularity": {"modularity": 0.342, "n_communities": 5, "membership": [0, 1, 0, 2]},
    "assortativity": -0.041,
    "small_world": {
        "sigma": 1.42, "sigma_se": 0.004, "clustering": 0.27, "efficiency": 0.55,
        "null": {"model": "study", "n_nulls": 1000, "clustering_mean": 0.19, "clustering_sd": 0.01,
                 "efficiency_mean": 0.55, "efficiency_sd": 0.004, "path_length_mean": 1.9,
                 "path_length_sd": 0.02, "clustering_efficiency_cov": 0.00001}
    },
    "undefined": []
}))]
pub struct ModelMetrics {
    pub model_id: i64,
    #[serde(flatten)]
    pub report: MetricsReport,
}

/// Network-structure metrics of the model's `W_rec`.
///
/// Computed on the inference pool and cached per (model, parameters): a repeat is served from
/// the store.
#[utoipa::path(
    get,
    path = "/models/{id}/metrics",
    tag = "metrics",
    params(("id" = i64, Path, description = "The model's id"), MetricsQuery),
    responses(
        (status = 200, description = "The requested metrics of the model's W_rec", body = ModelMetrics),
        (status = 400, description = "A parameter is not of its type, or unknown (`invalid_query_parameter`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A parameter is refused: `unknown_metric`, \
            `threshold_out_of_range` (not strictly between 0 and 1), `too_many_nulls` (over 10,000), \
            `n_nulls_out_of_range` (0); or the matrix cannot be measured (`metrics_failed`)",
            body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:blueprint:problem:threshold_out_of_range",
                "title": "Unprocessable Entity",
                "status": 422,
                "detail": "threshold_quantile must lie strictly between 0 and 1, got 1.5",
                "code": "threshold_out_of_range"
            })),
        (status = 503, description = "The inference pool is saturated; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_model_metrics(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<MetricsQuery>,
) -> Result<Json<ModelMetrics>, ApiError> {
    let metrics = match &query.metrics {
        Some(list) => parse_metric_list(list)?,
        None => MetricKind::ALL.to_vec(),
    };
    let config = metrics_config(
        query.threshold_quantile,
        query.n_nulls,
        query.seed.unwrap_or(0),
        metrics,
    )?;
    let record = model_store::get(state.store.pool(), id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    Ok(Json(measure_stored_model(&state, &record, config).await?))
}

/// The metrics named in a comma-separated list (blank entries ignored), each known.
pub fn parse_metric_list(list: &str) -> Result<Vec<MetricKind>, ApiError> {
    let metrics = list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            name.parse::<MetricKind>()
                .map_err(|error| ApiError::unprocessable("unknown_metric", error.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if metrics.is_empty() {
        return Err(ApiError::unprocessable(
            "unknown_metric",
            format!(
                "metrics names no metric; name at least one of {}",
                MetricKind::ALL.map(MetricKind::label).join(", ")
            ),
        ));
    }
    Ok(metrics)
}

/// The normalised, checked metric configuration of a request: metrics sorted and
/// deduplicated, the defaults filled in, one thread (see the module). Shared by this endpoint
/// and comparisons so both check the same rules and share the cache.
///
/// # Errors
/// 422 `threshold_out_of_range` unless `0 < threshold_quantile < 1`; 422
/// `n_nulls_out_of_range` for 0 and `too_many_nulls` above [`MAX_NULLS`].
pub fn metrics_config(
    threshold_quantile: Option<f64>,
    n_nulls: Option<usize>,
    seed: u64,
    mut metrics: Vec<MetricKind>,
) -> Result<MetricsConfig, ApiError> {
    let threshold_quantile = threshold_quantile.unwrap_or(DEFAULT_THRESHOLD_QUANTILE);
    // Written so that NaN fails too.
    if !(threshold_quantile > 0.0 && threshold_quantile < 1.0) {
        return Err(ApiError::unprocessable(
            "threshold_out_of_range",
            format!(
                "threshold_quantile must lie strictly between 0 and 1, got {threshold_quantile}"
            ),
        ));
    }
    let n_nulls = n_nulls.unwrap_or(DEFAULT_NULLS);
    if n_nulls == 0 {
        return Err(ApiError::unprocessable(
            "n_nulls_out_of_range",
            "n_nulls must be at least 1",
        ));
    }
    if n_nulls > MAX_NULLS {
        return Err(ApiError::unprocessable(
            "too_many_nulls",
            format!("n_nulls must be at most {MAX_NULLS}, got {n_nulls}"),
        ));
    }
    metrics.sort();
    metrics.dedup();
    Ok(MetricsConfig {
        metrics,
        threshold_quantile,
        n_nulls,
        seed,
        threads: 1,
        ..MetricsConfig::default()
    })
}

/// Measures a stored model with `config` (taken as checked by [`metrics_config`]), served
/// from the cache when this (model, config) was measured before, and cached otherwise.
///
/// # Errors
/// 422 `metrics_failed` when `core` refuses the matrix (e.g. a non-finite weight); 404 when
/// the model was deleted meanwhile; 503 when the inference pool is saturated.
pub async fn measure_stored_model(
    state: &AppState,
    record: &ModelRecord,
    config: MetricsConfig,
) -> Result<ModelMetrics, ApiError> {
    let id = record.id;
    let request_key =
        serde_json::json!({ "version": METRICS_VERSION, "config": config }).to_string();
    if let Some(cached) =
        result_store::cached(state.store.pool(), ResultTable::Metrics, id, &request_key).await?
    {
        match serde_json::from_str::<ModelMetrics>(&cached) {
            Ok(metrics) => return Ok(metrics),
            Err(error) => {
                tracing::warn!(model.id = id, error = %error, "unreadable cached metrics; recomputing")
            }
        }
    }
    let bytes = model_store::onnx_bytes(state.store.pool(), id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    let distance = record.manifest.distance.clone();
    let hidden_size = record.hidden_size;
    let job_config = config.clone();
    let started = Instant::now();
    let report = state
        .inference
        .run(move || measure_onnx(&bytes, hidden_size, &distance, &job_config))
        .await??;
    tracing::info!(
        model.id = id,
        metrics.count = config.metrics.len(),
        metrics.n_nulls = config.n_nulls,
        duration_ms = started.elapsed().as_millis() as u64,
        "model measured"
    );
    let metrics = ModelMetrics {
        model_id: id,
        report,
    };
    let result_json = serde_json::to_string(&metrics)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("serialising metrics: {error}")))?;
    result_store::save(
        state.store.pool(),
        ResultTable::Metrics,
        id,
        &request_key,
        &result_json,
    )
    .await?;
    Ok(metrics)
}

/// Reads `W_rec` from the ONNX bytes and measures it. Blocking: call from an inference job.
fn measure_onnx(
    bytes: &[u8],
    hidden_size: usize,
    distance: &DistanceSpec,
    config: &MetricsConfig,
) -> Result<MetricsReport, ApiError> {
    // Stored models passed upload validation, so an unreadable W_rec is our fault.
    let w_rec = onnx::read_model(bytes)
        .and_then(|model| model.matrix("W_rec"))
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("reading W_rec: {error}")))?
        .mapv(f64::from);
    let (distances, no_distance_reason) = match distance {
        DistanceSpec::Grid { shape, .. } => match grid_distance(hidden_size, *shape) {
            Ok(distances) => (Some(distances), None),
            Err(error) => (None, Some(format!("the model's grid distances: {error}"))),
        },
        DistanceSpec::Real { .. } => (
            None,
            Some(
                "the model's distances come from soma positions, which the server does not store"
                    .to_owned(),
            ),
        ),
        DistanceSpec::None => (
            None,
            Some("the model has no distances (its variant has no spatial penalty)".to_owned()),
        ),
    };
    let mut report = compute_all(w_rec.view(), distances.as_ref().map(|d| d.view()), config)
        .map_err(|error| match error {
            MetricsError::InvalidParameter { .. } => {
                ApiError::unprocessable("invalid_metrics_parameter", error.to_string())
            }
            other => ApiError::unprocessable(
                "metrics_failed",
                format!("the model's W_rec cannot be measured: {other}"),
            ),
        })?;
    if let Some(reason) = no_distance_reason {
        for undefined in &mut report.undefined {
            if undefined.metric == MetricKind::WiringCost {
                undefined.reason.clone_from(&reason);
            }
        }
    }
    Ok(report)
}
