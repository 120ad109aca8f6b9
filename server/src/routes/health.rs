//! `/healthz` (the process answers) and `/readyz` (the database and ONNX Runtime are usable).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_health))
        .routes(routes!(get_readiness))
}

/// Liveness.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// Readiness: what the server depends on, checked now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Readiness {
    /// `ready`.
    pub status: String,
    /// `ok`: the database answered a query from this replica.
    pub database: String,
    /// The database engine: `sqlite` or `postgres`.
    pub engine: String,
    /// The newest migration applied to the database, which this build knows (it refuses to
    /// start on a newer one).
    pub schema_version: i64,
    /// `ok`: the ONNX Runtime library is loaded and its environment is up.
    pub onnx_runtime: String,
    /// `cpu`, or `cuda` while the CUDA provider is in use.
    pub execution_provider: String,
    /// The provider asked for (`--execution-provider`): `cpu` or `cuda`.
    pub execution_provider_requested: String,
    /// Why a requested `cuda` is not in use, in one line; null when it is, or was not asked.
    pub fallback_reason: Option<String>,
    /// The GPU in use, when `cuda` is.
    pub device: Option<crate::inference::Device>,
}

/// Whether the process is alive.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process answers", body = Health))
)]
pub async fn get_health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
    })
}

/// Whether the server can serve: the database answers and ONNX Runtime is loaded.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "The database does not answer this replica (`Retry-After`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_readiness(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    let unavailable = |error: crate::store::StoreError| {
        tracing::warn!(error = %error, "readiness: the database does not answer");
        ApiError::Unavailable {
            code: "database_unavailable",
            detail: format!(
                "the {} database does not answer this replica",
                state.store.engine().as_str()
            ),
        }
    };
    state.store.ping().await.map_err(unavailable)?;
    let schema_version = state
        .store
        .schema_version()
        .await
        .map_err(unavailable)?
        .unwrap_or(0);
    Ok(Json(Readiness {
        status: "ready".to_owned(),
        database: "ok".to_owned(),
        engine: state.store.engine().as_str().to_owned(),
        schema_version,
        // The environment is built before the server listens and lives as long as it.
        onnx_runtime: "ok".to_owned(),
        execution_provider: if state.inference.uses_cuda() {
            "cuda"
        } else {
            "cpu"
        }
        .to_owned(),
        execution_provider_requested: match state.inference.requested_provider() {
            crate::config::ExecutionProvider::Cpu => "cpu",
            crate::config::ExecutionProvider::Cuda => "cuda",
        }
        .to_owned(),
        fallback_reason: state.inference.fallback_reason(),
        device: state.inference.device().cloned(),
    }))
}
