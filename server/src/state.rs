//! The one cloneable state every handler receives: the store, the inference pool, the
//! comparison jobs and the settings the API enforces.

use std::sync::Arc;

use crate::comparison::ComparisonJobs;
use crate::inference::Inference;
use crate::store::Store;

/// Shared by every request (`Router::with_state`); cloning copies four pointers.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub inference: Arc<Inference>,
    /// Admission and scheduling of comparison jobs.
    pub comparisons: Arc<ComparisonJobs>,
    pub limits: Arc<ApiLimits>,
}

/// What the API enforces beyond well-formedness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiLimits {
    /// Bearer token required by write endpoints; `None` leaves them open.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_upload_bytes: usize,
    /// Largest `n_trials` of one evaluation.
    pub max_eval_trials: usize,
}
