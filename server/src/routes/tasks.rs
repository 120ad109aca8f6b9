//! `/tasks`: the study's three decision tasks as `core` defines them, with their timelines,
//! sizes, chance and ceiling, and their trials (`/tasks/{task}/trials`, from the evaluator's
//! own generator, as JSON or `.npy`).

use std::str::FromStr;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use blueprint_core::task::{Condition, Period, Task, TaskConfig, TaskKind};
use ndarray::Array1;
use ndarray_npy::WriteNpyExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ReadAccess;
use crate::error::{ApiError, ApiPath, ApiQuery, Problem};
use crate::service::trials::{self as trial_service, TrialsAsk};
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tasks))
        .routes(routes!(get_task))
        .routes(routes!(get_trials))
}

/// One task with the paper's configuration.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskInfo {
    pub task: TaskKind,
    /// Input channels (`n_in`).
    pub n_inputs: usize,
    /// Output classes.
    pub n_outputs: usize,
    /// Steps per trial.
    pub n_steps: usize,
    /// The name of each output class, indexed by label.
    pub output_names: Vec<String>,
    /// Accuracy of guessing.
    pub chance: f64,
    /// Expected accuracy of the ideal observer.
    pub ceiling: f64,
    /// The trial's periods in order.
    pub timeline: Vec<Period>,
    /// The condition keys per-condition accuracy is reported under, in order.
    pub conditions: Vec<String>,
    /// The full default configuration (what `{"task": "<name>"}` means in a manifest).
    pub config: TaskConfig,
}

impl TaskInfo {
    fn of(kind: TaskKind) -> TaskInfo {
        let task = Task::default_for(kind);
        TaskInfo {
            task: kind,
            n_inputs: task.n_inputs(),
            n_outputs: task.n_outputs(),
            n_steps: task.n_steps(),
            output_names: task
                .output_names()
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
            chance: task.chance(),
            ceiling: task.ceiling(),
            timeline: task.timeline(),
            conditions: task.conditions(),
            config: task.config().clone(),
        }
    }
}

/// The three tasks, in the study's order.
#[utoipa::path(
    get,
    path = "/tasks",
    tag = "tasks",
    responses((status = 200, description = "Every task", body = [TaskInfo]))
)]
pub async fn list_tasks() -> Json<Vec<TaskInfo>> {
    Json(TaskKind::ALL.into_iter().map(TaskInfo::of).collect())
}

/// One task.
#[utoipa::path(
    get,
    path = "/tasks/{task}",
    tag = "tasks",
    params(("task" = TaskKind, Path, description = "The task's name, e.g. `go-nogo`")),
    responses(
        (status = 200, description = "The task", body = TaskInfo),
        (status = 404, description = "No such task", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_task(ApiPath(task): ApiPath<String>) -> Result<Json<TaskInfo>, ApiError> {
    let kind = TaskKind::from_str(&task).map_err(|error| ApiError::NotFound {
        code: "task_not_found",
        detail: error.to_string(),
    })?;
    Ok(Json(TaskInfo::of(kind)))
}

/// Which held-out trials `GET /tasks/{task}/trials` generates, and how they come back.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TrialsQuery {
    /// Number of trials, 1 to the server's cap (default 100); at most 512 Ki input values in a
    /// JSON answer and 4 Mi in a `.npy` one.
    #[param(minimum = 1, maximum = 10240, default = 100)]
    pub n: Option<usize>,
    /// Seed of the trials, as in `POST /models/{id}/evaluate` (default 1).
    #[param(minimum = 0, default = 1)]
    pub seed: Option<u64>,
    /// σ of the Gaussian noise added to every input, as in an evaluation (default 0).
    #[param(minimum = 0.0)]
    pub input_noise: Option<f64>,
    /// Generate with this model's own task configuration, the one its evaluation uses
    /// (default: the task's default configuration).
    pub model_id: Option<i64>,
    /// `json` (default): everything; `npy`: one array (`array`) as a NumPy `.npy` file.
    #[param(inline)]
    pub format: Option<TrialsFormat>,
    /// With `format=npy`: `inputs` (float32, `[n, steps, inputs]`, the default) or `labels`
    /// (int64, `[n]`).
    #[param(inline)]
    pub array: Option<TrialsArray>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TrialsFormat {
    #[default]
    Json,
    Npy,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TrialsArray {
    #[default]
    Inputs,
    Labels,
}

/// Generated trials: run `inputs` through a model and compare its final-step choice with
/// `labels`, and the accuracy is `POST /models/{id}/evaluate`'s for the same `n`, seed, noise
/// and task configuration.
#[derive(Debug, Serialize, ToSchema)]
pub struct Trials {
    pub task: TaskKind,
    pub config: TaskConfig,
    pub n_trials: usize,
    pub seed: u64,
    pub input_noise: f64,
    pub n_steps: usize,
    pub n_inputs: usize,
    pub output_names: Vec<String>,
    pub timeline: Vec<Period>,
    /// The step whose logits are scored (the last): the response window of every task.
    pub scored_step: usize,
    /// `[n_trials][n_steps][n_inputs]`.
    pub inputs: Vec<Vec<Vec<f32>>>,
    /// The correct class of each trial, an index into `output_names`.
    pub labels: Vec<usize>,
    /// The condition each trial was drawn from.
    pub conditions: Vec<Condition>,
}

/// Held-out trials of a task, from the generator the evaluator uses: as JSON (inputs, labels,
/// conditions, timeline) or one array as `.npy`.
#[utoipa::path(
    get,
    path = "/tasks/{task}/trials",
    tag = "tasks",
    params(("task" = TaskKind, Path, description = "The task's name, e.g. `go-nogo`"), TrialsQuery),
    responses(
        (status = 200, description = "The trials (JSON, or `.npy` with `format=npy`)", content(
            (Trials = "application/json"),
            (String = "application/octet-stream"),
        )),
        (status = 400, description = "An unknown or malformed query parameter", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such task (`task_not_found`) or model (`model_not_found`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`n_out_of_range`, `trials_too_large` (the limit is stated), \
            `invalid_input_noise`, `task_incompatible` (the model cannot run this task)",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The server is saturated (`busy`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_trials(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(task): ApiPath<String>,
    ApiQuery(query): ApiQuery<TrialsQuery>,
) -> Result<Response, ApiError> {
    let kind = TaskKind::from_str(&task).map_err(|error| ApiError::NotFound {
        code: "task_not_found",
        detail: error.to_string(),
    })?;
    let ask = TrialsAsk {
        task: kind,
        model_id: query.model_id,
        n_trials: query.n.unwrap_or(100),
        seed: query.seed.unwrap_or(1),
        input_noise: query.input_noise,
        json: query.format.unwrap_or_default() == TrialsFormat::Json,
    };
    let (plan, batch) = trial_service::generate(&state, &ask).await?;
    if query.format.unwrap_or_default() == TrialsFormat::Npy {
        let mut bytes = Vec::new();
        let (written, name) = match query.array.unwrap_or_default() {
            TrialsArray::Inputs => (batch.inputs.write_npy(&mut bytes), "inputs"),
            TrialsArray::Labels => (
                Array1::from_iter(batch.labels.iter().map(|&l| l as i64)).write_npy(&mut bytes),
                "labels",
            ),
        };
        written.map_err(|error| ApiError::Internal(anyhow::anyhow!("writing .npy: {error}")))?;
        let disposition = format!(
            "attachment; filename=\"{kind}-{name}-n{}-seed{}.npy\"",
            plan.n_trials, plan.seed
        );
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/octet-stream"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&disposition).expect("an ASCII file name"),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let task = &plan.task;
    Ok(Json(Trials {
        task: kind,
        config: task.config().clone(),
        n_trials: plan.n_trials,
        seed: plan.seed,
        input_noise: plan.input_noise,
        n_steps: task.n_steps(),
        n_inputs: task.n_inputs(),
        output_names: task
            .output_names()
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        timeline: task.timeline(),
        scored_step: task.n_steps() - 1,
        inputs: batch
            .inputs
            .outer_iter()
            .map(|trial| trial.outer_iter().map(|step| step.to_vec()).collect())
            .collect(),
        labels: batch.labels,
        conditions: batch.conditions,
    })
    .into_response())
}
