//! The one cloneable state every handler receives: the store, the inference pool, the
//! comparison jobs, the computations in flight and the settings the API enforces.

use std::sync::Arc;
use std::time::Duration;

use crate::inference::Inference;
use crate::service::Work;
use crate::service::comparison::ComparisonJobs;
use crate::service::evaluation::{EVALUATOR_ID, Evaluation};
use crate::service::flight::Flights;
use crate::service::metrics::{METRICS_ID, MetricsLane, ModelMetrics};
use crate::store::Store;

/// Shared by every request (`Router::with_state`); cloning copies a few pointers.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub inference: Arc<Inference>,
    /// Admission and scheduling of comparison jobs.
    pub comparisons: Arc<ComparisonJobs>,
    /// Evaluations and metric reports being computed, for single-flight.
    pub flights: Arc<InFlight>,
    /// The share of the inference pool that metrics may take.
    pub metrics_lane: Arc<MetricsLane>,
    pub limits: Arc<ApiLimits>,
    /// The identities in cache keys; a test may change them to prove a changed evaluator
    /// misses the cache.
    pub identity: Arc<Identity>,
}

/// What the API enforces beyond well-formedness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiLimits {
    /// Bearer token required to write or compute; `None` leaves both open.
    pub token: Option<String>,
    /// Bearer token required to read stored data; `None` leaves reads open.
    pub read_token: Option<String>,
    /// Largest request body, in bytes.
    pub max_upload_bytes: usize,
    /// Largest `n_trials` of one evaluation.
    pub max_eval_trials: usize,
    /// Deadline of one request's computation; `None`: none.
    pub request_timeout: Option<Duration>,
    /// Largest work estimate (nulls × N²) of one metrics request.
    pub max_metrics_work: u64,
}

impl ApiLimits {
    /// A fresh unit of work with the request deadline.
    pub fn work(&self) -> Work {
        Work::within(self.request_timeout)
    }
}

/// The computations in flight.
#[derive(Debug, Default)]
pub struct InFlight {
    pub evaluations: Flights<Evaluation>,
    pub metrics: Flights<ModelMetrics>,
}

/// The evaluator and metrics identities of this build (see `build.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub evaluator: String,
    pub metrics: String,
}

impl Default for Identity {
    fn default() -> Identity {
        Identity {
            evaluator: EVALUATOR_ID.to_owned(),
            metrics: METRICS_ID.to_owned(),
        }
    }
}
