//! `/tasks`: the study's three decision tasks as `core` defines them, with their timelines,
//! sizes, chance and ceiling.

use std::str::FromStr;

use axum::Json;
use blueprint_core::task::{Period, Task, TaskConfig, TaskKind};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiPath, Problem};
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tasks))
        .routes(routes!(get_task))
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
