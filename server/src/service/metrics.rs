//! Measuring stored models: network-structure metrics of a model's trained recurrent matrix
//! `W_rec`, read from the initializer of its ONNX file and measured by `core::metrics` (the
//! study's entropy, CNM modularity, assortativity and σ, and the better metrics beside them).
//!
//! A report is deterministic in (model, parameters, implementation), so each is cached in the
//! store and served again; the cache key is the normalised parameters (metrics sorted and
//! deduplicated) plus [`METRICS_ID`], a hash of the metric sources taken at build time.
//! Identical concurrent requests are computed once. The computation runs on the bounded
//! inference pool with its null models spread over the pool's threads (the values do not
//! depend on the thread count), checks its deadline before every null, and is refused up front
//! when its work estimate (nulls × N²) exceeds `--max-metrics-work`.
//!
//! Wiring cost `Σ|W|⊙D` needs the model's distances: grid models get their lattice distances
//! (`core::network::distance::grid_distance`, the manifest's shape); for models with real soma
//! distances (the server stores no positions) or none, it is listed as undefined, with why.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use blueprint_core::metrics::{
    MetricKind, MetricsConfig, MetricsError, MetricsReport, compute_all_until,
};
use blueprint_core::network::distance::{DistanceSpec, grid_distance};
use blueprint_core::onnx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ServiceError, Work};
use crate::state::AppState;
use crate::store::models as model_store;
use crate::store::models::ModelRecord;
use crate::store::results::{self as result_store, ResultTable};

/// The metrics implementation's identity: a SHA-256 prefix of `core::metrics` and this
/// module, computed by `build.rs`.
pub const METRICS_ID: &str = env!("BLUEPRINT_METRICS_ID");

/// The metrics lane: metric reports take minutes of CPU, so they may hold at most all but one
/// of the inference pool's slots (one when the pool has one), and at most
/// [`METRICS_QUEUE`] more may wait; beyond that a metrics request gets 503 `busy` while
/// evaluations and uploads keep their slot.
#[derive(Debug)]
pub struct MetricsLane {
    slots: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    capacity: usize,
}

/// Metrics requests that may wait for the lane.
pub const METRICS_QUEUE: usize = 4;

impl MetricsLane {
    /// The lane of a pool of `inference_concurrency` slots.
    pub fn new(inference_concurrency: usize) -> MetricsLane {
        let running = inference_concurrency.saturating_sub(1).max(1);
        MetricsLane {
            slots: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity: running + METRICS_QUEUE,
        }
    }

    async fn enter(&self) -> Result<(OwnedSemaphorePermit, LanePlace), ServiceError> {
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(ServiceError::Busy { retry_after_s: 5 });
        }
        let place = LanePlace(Arc::clone(&self.admitted));
        let permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .expect("the metrics lane is never closed");
        Ok((permit, place))
    }
}

struct LanePlace(Arc<AtomicUsize>);

impl Drop for LanePlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The most nulls one request may draw for σ (the study draws 1,000).
pub const MAX_NULLS: usize = 10_000;
/// Nulls of the study's model when the request names none: the study's count.
pub const DEFAULT_NULLS: usize = 1_000;
/// Binarisation quantile when the request names none: the study's.
pub const DEFAULT_THRESHOLD_QUANTILE: f64 = 0.9;

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

/// The metrics named in a comma-separated list (blank entries ignored), each known.
pub fn parse_metric_list(list: &str) -> Result<Vec<MetricKind>, ServiceError> {
    let metrics = list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            name.parse::<MetricKind>()
                .map_err(|error| ServiceError::invalid("unknown_metric", error.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if metrics.is_empty() {
        return Err(ServiceError::invalid(
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
) -> Result<MetricsConfig, ServiceError> {
    let threshold_quantile = threshold_quantile.unwrap_or(DEFAULT_THRESHOLD_QUANTILE);
    // Written so that NaN fails too.
    if !(threshold_quantile > 0.0 && threshold_quantile < 1.0) {
        return Err(ServiceError::invalid(
            "threshold_out_of_range",
            format!(
                "threshold_quantile must lie strictly between 0 and 1, got {threshold_quantile}"
            ),
        ));
    }
    let n_nulls = n_nulls.unwrap_or(DEFAULT_NULLS);
    if n_nulls == 0 {
        return Err(ServiceError::invalid(
            "n_nulls_out_of_range",
            "n_nulls must be at least 1",
        ));
    }
    if n_nulls > MAX_NULLS {
        return Err(ServiceError::invalid(
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

/// The work estimate of measuring an `n`-unit matrix with `config`: every null model that
/// σ, ω and the matched σ draw, times N² (each null is built and measured in about N²
/// operations of 64-bit words per BFS level).
pub fn work_estimate(config: &MetricsConfig, n: usize) -> u64 {
    let mut nulls = 0u64;
    if config.metrics.contains(&MetricKind::SmallWorld) {
        nulls += config.n_nulls as u64;
    }
    if config.metrics.contains(&MetricKind::SmallWorldDensity) {
        nulls += config.n_matched_nulls as u64;
    }
    if config
        .metrics
        .iter()
        .any(|m| matches!(m, MetricKind::SmallWorldDegree | MetricKind::Omega))
    {
        nulls += config.n_matched_nulls as u64 * config.rewiring_iterations.max(1) as u64;
    }
    nulls
        .max(1)
        .saturating_mul((n as u64).saturating_mul(n as u64))
}

/// The cache key of `config` under a metrics identity; the thread count is left out (it
/// does not change the values).
pub fn cache_key(identity: &str, config: &MetricsConfig) -> String {
    let mut normalised = config.clone();
    normalised.threads = 1;
    serde_json::json!({ "version": identity, "config": normalised }).to_string()
}

/// Measures a stored model with `config` (taken as checked by [`metrics_config`]): from the
/// cache when this (model, config, implementation) was measured before, otherwise as
/// [`measure_uncached`].
pub async fn measure_stored_model(
    state: &AppState,
    record: &ModelRecord,
    config: MetricsConfig,
    work: &Work,
) -> Result<ModelMetrics, ServiceError> {
    match cached(state, record, &config).await? {
        Some(cached) => Ok(cached),
        None => measure_uncached(state, record, config, work).await,
    }
}

/// Measures a stored model whose report is not cached (the caller looked): within `work`'s
/// deadline and the work cap, computed once for all identical concurrent requests, and cached.
///
/// # Errors
/// 422 `metrics_work_too_large` beyond the cap, `metrics_failed` when `core` refuses the
/// matrix (e.g. a non-finite weight); 404 when the model was deleted meanwhile; 503 when the
/// inference pool is saturated or the deadline passed.
pub async fn measure_uncached(
    state: &AppState,
    record: &ModelRecord,
    config: MetricsConfig,
    work: &Work,
) -> Result<ModelMetrics, ServiceError> {
    let estimate = work_estimate(&config, record.hidden_size);
    let cap = state.limits.max_metrics_work;
    if estimate > cap {
        return Err(ServiceError::invalid(
            "metrics_work_too_large",
            format!(
                "this request needs about {estimate:.3e} units of work (null models × N², \
                 N = {}), over the server's cap of {cap:.3e} (--max-metrics-work); ask for \
                 fewer nulls or fewer metrics",
                record.hidden_size,
                estimate = estimate as f64,
                cap = cap as f64,
            ),
        ));
    }
    let request_key = cache_key(&state.identity.metrics, &config);
    let flight_key = format!("{}:{request_key}", record.id);
    let state_for_flight = state.clone();
    let record = record.clone();
    state
        .flights
        .metrics
        .run(&flight_key, work, move |work| async move {
            compute(&state_for_flight, &record, config, request_key, work).await
        })
        .await
}

/// The cached report of (model, config), if any.
pub async fn cached(
    state: &AppState,
    record: &ModelRecord,
    config: &MetricsConfig,
) -> Result<Option<ModelMetrics>, ServiceError> {
    let request_key = cache_key(&state.identity.metrics, config);
    let Some(cached) =
        result_store::cached(&state.store, ResultTable::Metrics, record.id, &request_key).await?
    else {
        return Ok(None);
    };
    match serde_json::from_str::<ModelMetrics>(&cached) {
        Ok(metrics) => Ok(Some(metrics)),
        Err(error) => {
            tracing::warn!(model.id = record.id, error = %error, "unreadable cached metrics; recomputing");
            Ok(None)
        }
    }
}

async fn compute(
    state: &AppState,
    record: &ModelRecord,
    mut config: MetricsConfig,
    request_key: String,
    work: Work,
) -> Result<ModelMetrics, ServiceError> {
    let id = record.id;
    let bytes = model_store::onnx_bytes(&state.store, id)
        .await?
        .ok_or_else(|| ServiceError::model_not_found(id))?;
    let distance = record.manifest.distance.clone();
    let hidden_size = record.hidden_size;
    config.threads = state.inference.threads();
    let job_config = config.clone();
    let job_work = work.clone();
    let _lane = state.metrics_lane.enter().await?;
    work.check()?;
    let started = Instant::now();
    let report = state
        .inference
        .run(move || {
            job_work.check()?;
            measure_onnx(&bytes, hidden_size, &distance, &job_config, &|| {
                job_work.should_stop()
            })
            .map_err(|error| match error {
                MeasureError::Stopped => job_work.check().err().unwrap_or(ServiceError::Cancelled),
                MeasureError::Service(error) => error,
            })
        })
        .await??;
    tracing::info!(
        model.id = id,
        metrics.count = config.metrics.len(),
        metrics.n_nulls = config.n_nulls,
        metrics.threads = config.threads,
        duration_ms = started.elapsed().as_millis() as u64,
        "model measured"
    );
    let metrics = ModelMetrics {
        model_id: id,
        report,
    };
    let result_json = serde_json::to_string(&metrics)
        .map_err(|error| ServiceError::internal(format!("serialising metrics: {error}")))?;
    result_store::save(
        &state.store,
        ResultTable::Metrics,
        id,
        &request_key,
        &result_json,
    )
    .await?;
    Ok(metrics)
}

/// Why [`measure_onnx`] did not finish.
enum MeasureError {
    Stopped,
    Service(ServiceError),
}

impl From<ServiceError> for MeasureError {
    fn from(error: ServiceError) -> MeasureError {
        MeasureError::Service(error)
    }
}

/// Reads `W_rec` from the ONNX bytes and measures it. Blocking: call from an inference job.
fn measure_onnx(
    bytes: &[u8],
    hidden_size: usize,
    distance: &DistanceSpec,
    config: &MetricsConfig,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<MetricsReport, MeasureError> {
    // Stored models passed upload validation, so an unreadable W_rec is our fault.
    let w_rec = onnx::read_model(bytes)
        .and_then(|model| model.matrix("W_rec"))
        .map_err(|error| ServiceError::internal(format!("reading W_rec: {error}")))?
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
    let mut report = compute_all_until(
        w_rec.view(),
        distances.as_ref().map(|d| d.view()),
        config,
        stop,
    )
    .map_err(|error| match error {
        MetricsError::Stopped => MeasureError::Stopped,
        MetricsError::InvalidParameter { .. } => MeasureError::Service(ServiceError::invalid(
            "invalid_metrics_parameter",
            error.to_string(),
        )),
        other => MeasureError::Service(ServiceError::invalid(
            "metrics_failed",
            format!("the model's W_rec cannot be measured: {other}"),
        )),
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
