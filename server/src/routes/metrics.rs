//! `GET /models/{id}/metrics`: network-structure metrics of a model's trained recurrent matrix
//! `W_rec` ([`crate::service::metrics`] does the work: checks, work cap, cache, single-flight,
//! bounded run). A cached report is a read; computing a missing one needs the write token.

use axum::Json;
use axum::extract::State;
use blueprint_core::metrics::MetricKind;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ReadAccess;
use crate::error::{ApiError, ApiPath, ApiQuery, Problem};
pub use crate::service::metrics::ModelMetrics;
use crate::service::metrics::{self as metrics_service, metrics_config, parse_metric_list};
use crate::service::models;
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_model_metrics))
}

/// Parameters of `GET /models/{id}/metrics`, all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// Binarisation quantile of `|W|`, strictly between 0 and 1: an edge where `|W_ij|` is
    /// above it (default 0.9, the study's).
    #[param(example = 0.9, exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub threshold_quantile: Option<f64>,
    /// Nulls of the study's model for σ, 1 to 10,000 (default 1,000, the study's). The
    /// density- and degree-matched nulls stay at `core`'s default (100).
    #[param(example = 1000, minimum = 1, maximum = 10000)]
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

/// Network-structure metrics of the model's `W_rec`.
///
/// Computed on the inference pool (null models over all its threads) and cached per (model,
/// parameters): a repeat is served from the store, to readers; computing a missing report needs
/// the write token when the server has one. Identical concurrent requests are computed once; a
/// request whose work estimate (nulls × N²) exceeds `--max-metrics-work` is refused, and one
/// past the request deadline is stopped.
#[utoipa::path(
    get,
    path = "/models/{id}/metrics",
    tag = "metrics",
    params(("id" = i64, Path, description = "The model's id"), MetricsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The requested metrics of the model's W_rec", body = ModelMetrics),
        (status = 400, description = "A parameter is not of its type, or unknown (`invalid_query_parameter`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The report is not cached and computing it needs the token (`missing_token`, `invalid_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A parameter is refused: `unknown_metric`, \
            `threshold_out_of_range` (not strictly between 0 and 1), `too_many_nulls` (over 10,000), \
            `n_nulls_out_of_range` (0), `metrics_work_too_large` (over `--max-metrics-work`); or the matrix \
            cannot be measured (`metrics_failed`)",
            body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:blueprint:problem:threshold_out_of_range",
                "title": "Unprocessable Entity",
                "status": 422,
                "detail": "threshold_quantile must lie strictly between 0 and 1, got 1.5",
                "code": "threshold_out_of_range"
            })),
        (status = 503, description = "The inference pool is saturated (`busy`; retry after `Retry-After` \
            seconds) or the work ran past the request deadline (`deadline_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_model_metrics(
    State(state): State<AppState>,
    access: ReadAccess,
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
    let record = models::get(&state, id).await?;
    if let Some(cached) = metrics_service::cached(&state, &record, &config).await? {
        return Ok(Json(cached));
    }
    access.require_compute()?;
    let work = state.limits.work();
    Ok(Json(
        metrics_service::measure_uncached(&state, &record, config, &work).await?,
    ))
}
