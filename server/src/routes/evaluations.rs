//! `POST /models/{id}/evaluate`: run a model on freshly generated held-out trials and score it
//! ([`crate::service::evaluation`] does the work: checks, cache, single-flight, bounded run).

use axum::Json;
use axum::extract::State;
use blueprint_core::task::TaskKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::WriteAccess;
use crate::error::{ApiError, ApiJson, ApiPath, Problem};
pub use crate::service::evaluation::Evaluation;
use crate::service::evaluation::{self, EvaluationAsk};
use crate::service::models;
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(evaluate_model))
}

/// What to evaluate the model on.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// The task; defaults to the model's own (with the model's own task configuration). Another
    /// task runs with its default configuration and must have the model's input and output
    /// sizes.
    pub task: Option<TaskKind>,
    /// How many trials, 1 to the server's cap (`--max-eval-trials`).
    #[schema(minimum = 1, maximum = 10240, example = 2560)]
    pub n_trials: usize,
    /// Seed of the trial generator (default 1); the same seed gives the same trials and the
    /// same answer. Never the model's training seed unless `allow_training_seed`.
    #[serde(default = "default_seed")]
    #[schema(example = 1, default = 1)]
    pub seed: u64,
    /// σ of Gaussian noise added to every input (default 0).
    #[schema(minimum = 0.0)]
    pub input_noise: Option<f64>,
    /// Allow `seed` to be the one the trainer generated this model's training trials from
    /// (`derived_seed(manifest.seed, TrainTrials)` in `core::seed`). Off by default, so an
    /// evaluation is on held-out trials unless asked otherwise.
    #[serde(default)]
    #[schema(example = false)]
    pub allow_training_seed: bool,
    /// List every trial's label, choice, correctness and condition in `trials` (default
    /// false).
    #[serde(default)]
    #[schema(example = false)]
    pub per_trial: bool,
    /// Measure when the answer settles (`decision_time` in the answer; with `per_trial`, each
    /// trial's `decision_step`): the first step of the response window from which the
    /// readout's choice, `h_t·W_out + b_out` from the hidden states the model outputs, equals
    /// the final choice and stays so (default false).
    #[serde(default)]
    #[schema(example = false)]
    pub decision_time: bool,
}

/// Evaluates a model on held-out trials.
///
/// The trials are generated and run in batches, so memory stays bounded whatever `n_trials`
/// is; the work stops at the request deadline (503 `deadline_exceeded`) or when the client
/// disconnects. A repeat is served from the cache; identical concurrent requests are computed
/// once.
fn default_seed() -> u64 {
    1
}

#[utoipa::path(
    post,
    path = "/models/{id}/evaluate",
    tag = "evaluations",
    params(("id" = i64, Path, description = "The model's id")),
    request_body = EvaluateRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scores on the generated trials", body = Evaluation),
        (status = 400, description = "The body is not JSON (`malformed_json`) or the id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "A token is configured and was not sent (`missing_token`) or is wrong (`invalid_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the configured limit", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The request is refused: `invalid_body`, `n_trials_out_of_range`, \
            `invalid_input_noise`, `task_incompatible`, `training_seed` (the seed of the model's training trials), \
            `model_output_not_finite` (the model's logits are NaN or infinite on these trials)", body = Problem,
            content_type = "application/problem+json",
            example = json!({
                "type": "urn:blueprint:problem:n_trials_out_of_range",
                "title": "Unprocessable Entity",
                "status": 422,
                "detail": "n_trials must be between 1 and 10240, got 0",
                "code": "n_trials_out_of_range"
            })),
        (status = 503, description = "The inference pool is saturated (`busy`, retry after `Retry-After` seconds) \
            or the work ran past the request deadline (`deadline_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn evaluate_model(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<EvaluateRequest>,
) -> Result<Json<Evaluation>, ApiError> {
    let work = state.limits.work();
    let record = models::get(&state, id).await?;
    let ask = EvaluationAsk {
        task: request.task,
        n_trials: request.n_trials,
        seed: request.seed,
        input_noise: request.input_noise,
        allow_training_seed: request.allow_training_seed,
        per_trial: request.per_trial,
        decision_time: request.decision_time,
    };
    let plan = evaluation::plan(&record, &ask, state.limits.max_eval_trials)?;
    // A disconnected client drops this future, and with it its place in the computation,
    // which stops when no client is left (`service::flight`).
    Ok(Json(
        evaluation::evaluate_stored(&state, &record, plan, &work).await?,
    ))
}
