//! The server's domain layer: everything the server *does*, over [`store`](crate::store) and
//! [`inference`](crate::inference), with no HTTP in it. Routes parse, authorise, call one
//! function here and serialise; comparisons and demo seeding call the same functions, so every
//! check (the canonical-graph gate, the manifest limits, the work bounds) has one place.
//!
//! - [`models`]: registering (through [`validation`]) and deleting models.
//! - [`evaluation`]: evaluating a stored model, in bounded batches, cached and single-flight.
//! - [`metrics`]: measuring a stored model's `W_rec`, bounded by a work cap, cached and
//!   single-flight.
//! - [`comparison`]: comparisons of groups of models, run as persisted jobs.
//! - [`work`]: the deadline and cancellation every computation checks; [`flight`]: computing
//!   identical concurrent requests once.
//!
//! Failures are [`ServiceError`]s; `crate::error` maps them to problem+json.

pub mod comparison;
pub mod evaluation;
pub mod figures;
pub mod flight;
pub mod metrics;
pub mod models;
pub mod trials;
pub mod validation;
pub mod work;

use std::sync::Arc;

use crate::inference::JobError;
use crate::store::StoreError;

pub use work::Work;

/// Every way a domain operation can fail. Cheap to clone, so one failure can answer every
/// request that awaited the same computation.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input cannot be read at all (400): e.g. a manifest that is not JSON.
    #[error("{detail}")]
    Malformed { code: &'static str, detail: String },
    /// The input is read but refused (422); the code names the rule.
    #[error("{detail}")]
    Invalid { code: &'static str, detail: String },
    /// No such model or job (404).
    #[error("{detail}")]
    NotFound { code: &'static str, detail: String },
    /// The request contradicts what is stored (409).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// Every slot is busy; retry after the given seconds (503).
    #[error("the server is saturated; retry in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    /// The work ran past the request's deadline (503).
    #[error("the request ran past its deadline of {seconds} s (--request-timeout) and was stopped")]
    DeadlineExceeded { seconds: u64 },
    /// Everyone waiting for the work has gone; it was stopped.
    #[error("the work was stopped because its client disconnected")]
    Cancelled,
    /// The result is not cached and computing it needs the write token (401).
    #[error(
        "this result is not cached yet, and computing it needs `Authorization: Bearer <token>` with the server's write token (BLUEPRINT_TOKEN)"
    )]
    ComputeNotAllowed,
    /// A dependency does not answer (503).
    #[error("{detail}")]
    Unavailable { code: &'static str, detail: String },
    /// A bug or an I/O failure (500); logged, never shown.
    #[error("internal error: {0:#}")]
    Internal(Arc<anyhow::Error>),
}

impl ServiceError {
    /// A 422 with a code.
    pub fn invalid(code: &'static str, detail: impl Into<String>) -> ServiceError {
        ServiceError::Invalid {
            code,
            detail: detail.into(),
        }
    }

    /// A 404 for a model id.
    pub fn model_not_found(id: i64) -> ServiceError {
        ServiceError::NotFound {
            code: "model_not_found",
            detail: format!("there is no model with id {id}"),
        }
    }

    /// An internal error from a message.
    pub fn internal(message: impl std::fmt::Display) -> ServiceError {
        ServiceError::Internal(Arc::new(anyhow::anyhow!("{message}")))
    }
}

impl From<anyhow::Error> for ServiceError {
    fn from(error: anyhow::Error) -> ServiceError {
        ServiceError::Internal(Arc::new(error))
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> ServiceError {
        match error {
            // The driver's message stays in the log; the client learns to come back.
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "the database is unavailable");
                ServiceError::Unavailable {
                    code: "database_unavailable",
                    detail: "the database does not answer; retry shortly".to_owned(),
                }
            }
            other => ServiceError::Internal(Arc::new(other.into())),
        }
    }
}

impl From<JobError> for ServiceError {
    fn from(error: JobError) -> ServiceError {
        match error {
            // One second is about one evaluation of a study-sized network on two cores.
            JobError::Saturated(_) => ServiceError::Busy { retry_after_s: 1 },
            JobError::Panicked(message) => ServiceError::internal(message),
        }
    }
}
