//! `POST /models/{id}/evaluate`: run a model on freshly generated held-out trials and score it.
//!
//! Results are deterministic in (model, request), so each is cached in the store and served
//! again; the cache key includes the evaluator's version.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use blueprint_core::manifest::ModelManifest;
use blueprint_core::seed::{SeedStream, derived_seed};
use blueprint_core::task::{Task, TaskKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiJson, ApiPath, Problem};
use crate::inference::evaluation::{EvaluationPlan, Scores, evaluate};
use crate::inference::{SharedSession, lock_session};
use crate::state::AppState;
use crate::store::models as model_store;
use crate::store::models::ModelRecord;
use crate::store::results::{self as result_store, ResultTable};

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(evaluate_model))
}

/// Part of every cache key: a new evaluator never serves an old evaluator's results.
const EVALUATOR: &str = concat!("blueprint-server ", env!("CARGO_PKG_VERSION"));

/// What to evaluate the model on.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// The task; defaults to the model's own (with the model's own task configuration). Another
    /// task runs with its default configuration and must have the model's input and output
    /// sizes.
    pub task: Option<TaskKind>,
    /// How many trials, 1 to the server's cap (`--max-eval-trials`).
    #[schema(minimum = 1, example = 2560)]
    pub n_trials: usize,
    /// Seed of the trial generator; the same seed gives the same trials and the same answer.
    #[schema(example = 1)]
    pub seed: u64,
    /// σ of Gaussian noise added to every input (default 0).
    pub input_noise: Option<f64>,
    /// Allow `seed` to be the one the trainer generated this model's training trials from
    /// (`derived_seed(manifest.seed, TrainTrials)` in `core::seed`). Off by default, so an
    /// evaluation is on held-out trials unless asked otherwise.
    #[serde(default)]
    pub allow_training_seed: bool,
}

/// An evaluation's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub model_id: i64,
    pub task: TaskKind,
    pub n_trials: usize,
    pub seed: u64,
    pub input_noise: f64,
    /// Names of the output classes, the order of the confusion matrix.
    pub output_names: Vec<String>,
    /// Accuracy of guessing.
    pub chance: f64,
    /// Expected accuracy of the ideal observer.
    pub ceiling: f64,
    #[serde(flatten)]
    pub scores: Scores,
}

/// Evaluates a model on held-out trials.
#[utoipa::path(
    post,
    path = "/models/{id}/evaluate",
    tag = "evaluations",
    params(("id" = i64, Path, description = "The model's id")),
    request_body = EvaluateRequest,
    responses(
        (status = 200, description = "Scores on the generated trials", body = Evaluation),
        (status = 400, description = "The body is not JSON (`malformed_json`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The request is refused: `invalid_body`, `n_trials_out_of_range`, \
            `invalid_input_noise`, `task_incompatible`, `training_seed` (the seed of the model's training trials)", body = Problem,
            content_type = "application/problem+json"),
        (status = 503, description = "The inference pool is saturated; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn evaluate_model(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<EvaluateRequest>,
) -> Result<Json<Evaluation>, ApiError> {
    let max_trials = state.limits.max_eval_trials;
    if request.n_trials == 0 || request.n_trials > max_trials {
        return Err(ApiError::unprocessable(
            "n_trials_out_of_range",
            format!(
                "n_trials must be between 1 and {max_trials}, got {}",
                request.n_trials
            ),
        ));
    }
    let input_noise = request.input_noise.unwrap_or(0.0);
    if !(input_noise.is_finite() && input_noise >= 0.0) {
        return Err(ApiError::unprocessable(
            "invalid_input_noise",
            format!("input_noise must be a finite number >= 0, got {input_noise}"),
        ));
    }
    let record = model_store::get(state.store.pool(), id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    // The trainer draws its training trials from this seed (core's seed streams), so these
    // would be the very trials the model was fitted to.
    let training_trials_seed = derived_seed(record.seed, SeedStream::TrainTrials);
    if request.seed == training_trials_seed && !request.allow_training_seed {
        return Err(ApiError::unprocessable(
            "training_seed",
            format!(
                "seed {} generates the model's training trials; pick another seed for \
                 held-out trials, or set allow_training_seed",
                request.seed
            ),
        ));
    }
    let task = evaluation_task(&record.manifest, request.task)?;
    let plan = EvaluationPlan {
        task,
        n_trials: request.n_trials,
        seed: request.seed,
        input_noise,
    };
    Ok(Json(evaluate_stored_model(&state, &record, plan).await?))
}

/// Evaluates a stored model on `plan`, served from the evaluation cache when this (model,
/// plan) was evaluated before, and cached otherwise. The path shared by `POST
/// /models/{id}/evaluate` and comparisons, so both see (and fill) the same cache. The plan is
/// taken as valid: callers check `n_trials`, the noise and the seed first.
pub async fn evaluate_stored_model(
    state: &AppState,
    record: &ModelRecord,
    plan: EvaluationPlan,
) -> Result<Evaluation, ApiError> {
    let id = record.id;
    let request_key = serde_json::json!({
        "evaluator": EVALUATOR,
        "task_config": plan.task.config(),
        "n_trials": plan.n_trials,
        "seed": plan.seed,
        "input_noise": plan.input_noise,
    })
    .to_string();
    if let Some(cached) = result_store::cached(
        state.store.pool(),
        ResultTable::Evaluations,
        id,
        &request_key,
    )
    .await?
    {
        match serde_json::from_str::<Evaluation>(&cached) {
            Ok(evaluation) => return Ok(evaluation),
            Err(error) => {
                tracing::warn!(model.id = id, error = %error, "unreadable cached evaluation; recomputing")
            }
        }
    }

    // The bytes are read only when no session for them is cached; a cached session is held
    // from here on, so an eviction meanwhile cannot take it away.
    let source = match state.inference.cached_session(&record.sha256) {
        Some(session) => SessionSource::Cached(session),
        None => SessionSource::Bytes(
            model_store::onnx_bytes(state.store.pool(), id)
                .await?
                .ok_or_else(|| ApiError::model_not_found(id))?,
        ),
    };
    let inference = Arc::clone(&state.inference);
    let sha256 = record.sha256.clone();
    let signature = record.manifest.onnx.clone();
    let job_plan = plan.clone();
    let started = Instant::now();
    let scores = state
        .inference
        .run(move || -> Result<Scores, ApiError> {
            let session = match source {
                SessionSource::Cached(session) => session,
                SessionSource::Bytes(bytes) => {
                    inference.session(&sha256, &bytes).map_err(|error| {
                        ApiError::Internal(anyhow::anyhow!("building the session: {error}"))
                    })?
                }
            };
            let mut session = lock_session(&session);
            evaluate(&mut session, &signature, &job_plan, inference.batch_size())
                .map_err(|error| ApiError::Internal(anyhow::anyhow!("evaluating: {error}")))
        })
        .await??;
    let evaluation = Evaluation {
        model_id: id,
        task: plan.task.kind(),
        n_trials: plan.n_trials,
        seed: plan.seed,
        input_noise: plan.input_noise,
        output_names: plan
            .task
            .output_names()
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        chance: plan.task.chance(),
        ceiling: plan.task.ceiling(),
        scores,
    };
    tracing::info!(
        model.id = id,
        evaluation.task = %evaluation.task,
        evaluation.n_trials = evaluation.n_trials,
        evaluation.accuracy = evaluation.scores.accuracy,
        duration_ms = started.elapsed().as_millis() as u64,
        "model evaluated"
    );
    let result_json = serde_json::to_string(&evaluation).map_err(|error| {
        ApiError::Internal(anyhow::anyhow!("serialising an evaluation: {error}"))
    })?;
    result_store::save(
        state.store.pool(),
        ResultTable::Evaluations,
        id,
        &request_key,
        &result_json,
    )
    .await?;
    Ok(evaluation)
}

/// Where an evaluation job gets its session.
enum SessionSource {
    Cached(SharedSession),
    Bytes(Vec<u8>),
}

/// The model's own task (with its own configuration), or another task with its default
/// configuration when its sizes fit the network.
pub fn evaluation_task(
    manifest: &ModelManifest,
    requested: Option<TaskKind>,
) -> Result<Task, ApiError> {
    let kind = requested.unwrap_or(manifest.task);
    if kind == manifest.task {
        return Task::new(manifest.task_config.clone())
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("stored task config: {error}")));
    }
    let task = Task::default_for(kind);
    if task.n_inputs() != manifest.n_inputs || task.n_outputs() != manifest.n_outputs {
        return Err(ApiError::unprocessable(
            "task_incompatible",
            format!(
                "task {kind} has {} inputs and {} outputs; the model has {} and {}",
                task.n_inputs(),
                task.n_outputs(),
                manifest.n_inputs,
                manifest.n_outputs
            ),
        ));
    }
    Ok(task)
}
