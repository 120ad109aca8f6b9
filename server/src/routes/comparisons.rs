//! `/comparisons`: compare groups of stored models (by variant) on held-out accuracy and
//! network metrics, as a job.
//!
//! `POST /comparisons` checks everything it can at once (the task, the measures, the numbers,
//! and the models the filter selects), then answers **202 Accepted** with the job and a
//! `Location` header naming its status URL, `GET /comparisons/{job_id}`. That URL answers 200
//! with `status` `queued` or `running` (with `progress`: models measured of total), then
//! `done` with the `result`, or `failed` with a `problem` body. Jobs live in the store, so a
//! finished result survives a restart; [`crate::comparison`] documents why a job, and how
//! jobs are scheduled.
//!
//! Group rules, decided so that every statistic asked for can be computed: the filter must
//! select at least one model (`no_models_match`), the models must form at least two groups
//! (`too_few_groups`: the omnibus and pairwise tests compare groups), and every group needs at
//! least two models (`group_too_small`: an SD, a t-interval and a rank test of one model say
//! nothing). These are checked on the models, before the job starts; a value that turns out
//! undefined later (a metric of an edgeless graph) is left out and listed in `excluded`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ReadAccess, WriteAccess};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::routes::{API_PREFIX, page_bounds};
use crate::service::comparison::{self, ComparisonResult};
pub use crate::service::comparison::{ComparisonFilter, ComparisonRequest};
use crate::state::AppState;
use crate::store::StoreError;
use crate::store::comparisons::{self as job_store, JobRecord, JobStatus};

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_comparison, list_comparisons))
        .routes(routes!(get_comparison))
}

/// Pagination of `GET /comparisons`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListComparisonsQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Jobs to skip (default 0).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    pub offset: Option<u64>,
}

/// One page of comparison jobs, newest first (results left out: each job's URL has it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComparisonPage {
    pub items: Vec<ComparisonJob>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Lists comparison jobs, newest first, without their results.
#[utoipa::path(
    get,
    path = "/comparisons",
    tag = "comparisons",
    params(ListComparisonsQuery),
    responses(
        (status = 200, description = "One page of jobs", body = ComparisonPage),
        (status = 400, description = "A pagination value is invalid", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn list_comparisons(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiQuery(query): ApiQuery<ListComparisonsQuery>,
) -> Result<Json<ComparisonPage>, ApiError> {
    let (limit, offset) = page_bounds(query.limit, query.offset, 50, 500)?;
    let (jobs, total) = job_store::list(&state.store, limit, offset).await?;
    let items = jobs
        .into_iter()
        .map(|record| {
            job_view(record).map(|mut job| {
                job.result = None;
                job
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Json(ComparisonPage {
        items,
        total,
        limit,
        offset,
    }))
}

/// How `GET /comparisons/{job_id}` answers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComparisonFormatQuery {
    /// `json` (default) or `csv`: the finished result as tidy CSV, one row per model and
    /// measure, numbers unformatted (also with `Accept: text/csv`).
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// A comparison job: where it is and, once done, what it found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "job_id": 4,
    "status": "running",
    "status_url": "/api/v1/comparisons/4",
    "progress": {"done": 120, "total": 660},
    "request": {
        "task": "go-nogo", "filter": {"field": "6_6_2", "positive": null, "dataset": null},
        "group_by": "variant", "measures": ["accuracy", "entropy"], "n_trials": 2560,
        "seed": 12345, "threshold_quantile": 0.9, "n_nulls": 1000
    },
    "created_at": "2026-11-30T10:00:00.000Z",
    "started_at": "2026-11-30T10:00:00.012Z",
    "finished_at": null,
    "attempts": 1
}))]
pub struct ComparisonJob {
    pub job_id: i64,
    pub status: JobStatus,
    /// Where to poll this job: `GET` it until `status` is `done` or `failed`.
    pub status_url: String,
    pub progress: Progress,
    /// The request as normalised (task name canonical, measures deduplicated, defaults
    /// filled in).
    pub request: ComparisonRequest,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// How many times a replica started the job: more than 1 when the replica running it
    /// stopped and another took it over (from the start; measured models are cached).
    #[serde(default)]
    pub attempts: u64,
    /// The replica running the job (`host:pid`), while it is running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
    /// Present when `status` is `done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ComparisonResult>,
    /// Present when `status` is `failed`: why (`job_interrupted` when every replica that
    /// ran it stopped before it finished, three times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// How far a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    /// Models measured so far.
    pub done: u64,
    /// Models to measure.
    pub total: u64,
}

/// Starts a comparison of groups of models; answers with the job to poll.
///
/// Accuracy is held-out accuracy from the evaluation path (`POST /models/{id}/evaluate`, with
/// its cache) on the model's own task configuration; metrics come from `GET
/// /models/{id}/metrics` (with its cache). For each measure the result has, per group, n,
/// mean, SD, the 95% t-interval and the seeded bootstrap interval of the mean; the
/// Kruskal–Wallis test; every pairwise two-sided Mann–Whitney test with Holm-adjusted p,
/// Cliff's δ and the rank-biserial correlation; and the table in the layout of the study's
/// Table 2 (variants as rows, measures as columns, `mean (low, high)` with the t-interval) as
/// CSV and Markdown. Models are grouped by variant; the filter must select at least two
/// variants with at least two models each.
///
/// The comparison runs as a job (one at a time on each replica, oldest first): this answers
/// 202 at once with a `Location` to poll (`GET /comparisons/{job_id}`).
#[utoipa::path(
    post,
    path = "/comparisons",
    tag = "comparisons",
    request_body = ComparisonRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Accepted: the job, queued; poll its `Location`", body = ComparisonJob,
            headers(("Location" = String, description = "The job's status URL"))),
        (status = 400, description = "The body is not JSON (`malformed_json`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "A token is configured and was not sent (`missing_token`) or is wrong (`invalid_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the configured limit", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The request is refused: `invalid_body`, `unknown_task`, \
            `unknown_measure`, `no_measures`, `n_trials_out_of_range`, `missing_n_trials`, \
            `threshold_out_of_range`, `too_many_nulls`, `n_nulls_out_of_range`, \
            `no_models_match` (the filter selects no model), `too_few_groups` (fewer than two \
            variants), `group_too_small` (a variant with fewer than two models), `training_seed` \
            (the seed generates a model's training trials)",
            body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:blueprint:problem:group_too_small",
                "title": "Unprocessable Entity",
                "status": 422,
                "detail": "variant WD has 1 model matching the filter; every group needs at least 2 \
                    (an SD, a t-interval and a rank test need two values)",
                "code": "group_too_small"
            })),
        (status = 503, description = "Too many comparisons are queued; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_comparison(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiJson(request): ApiJson<ComparisonRequest>,
) -> Result<Response, ApiError> {
    let (request, plan) = comparison::plan(&state, request).await?;
    state.comparisons.admit(&state).await?;
    let request_json = serde_json::to_string(&request)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("serialising a request: {error}")))?;
    let mut model_ids: Vec<i64> = plan
        .models
        .iter()
        .map(|model| model.id)
        .chain(plan.duplicates.iter().map(|duplicate| duplicate.model_id))
        .collect();
    model_ids.sort_unstable();
    let record = job_store::create(
        &state.store,
        &request_json,
        &model_ids,
        plan.models.len() as u64,
    )
    .await?;
    tracing::info!(
        job.id = record.id,
        comparison.task = %plan.task,
        comparison.n_models = plan.models.len(),
        comparison.n_groups = plan.groups.len(),
        "comparison queued"
    );
    state.comparisons.notify();
    let job = job_view(record)?;
    let location =
        HeaderValue::from_str(&job.status_url).expect("a path of digits is a valid header");
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(job),
    )
        .into_response())
}

/// A comparison job's status and, once done, its result.
#[utoipa::path(
    get,
    path = "/comparisons/{job_id}",
    tag = "comparisons",
    params(("job_id" = i64, Path, description = "The job's id, from `POST /comparisons`"),
        ComparisonFormatQuery),
    responses(
        (status = 200, description = "The job: queued, running (with progress), done (with the result) or failed (with a problem); \
            as `text/csv` (`format=csv` or `Accept: text/csv`) the finished result's values, one row per model and measure",
            content(
                (ComparisonJob = "application/json"),
                (String = "text/csv"),
            )),
        (status = 400, description = "The id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such job (`comparison_not_found`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "CSV of a job that is not done (`comparison_not_done`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_comparison(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(job_id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ComparisonFormatQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let wants_csv = match query.format.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_query_parameter",
                format!("format must be `json` or `csv`, got `{other}`"),
            ));
        }
        None => headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| value.contains("text/csv")),
    };
    let record = job_store::get(&state.store, job_id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            code: "comparison_not_found",
            detail: format!("there is no comparison job with id {job_id}"),
        })?;
    let job = job_view(record)?;
    if !wants_csv {
        return Ok(Json(job).into_response());
    }
    let result = job.result.ok_or_else(|| ApiError::Conflict {
        code: "comparison_not_done",
        detail: format!(
            "comparison {job_id} is {}; its CSV exists once it is done",
            job.status.as_str()
        ),
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"comparison-{job_id}.csv\""))
                    .expect("an ASCII file name"),
            ),
        ],
        tidy_csv(&result),
    )
        .into_response())
}

/// One row per model and measure: `model_id,name,variant,seed,measure,value`, values as Rust
/// prints f64 (shortest round-trip form); an excluded value is absent (its reason is in the
/// JSON's `excluded`).
pub fn tidy_csv(result: &ComparisonResult) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["model_id", "name", "variant", "seed", "measure", "value"]);
    for model in &result.models {
        for measure in &result.measures {
            if let Some(value) = model.values.get(measure) {
                let _ = writer.write_record([
                    model.model_id.to_string(),
                    model.name.clone(),
                    model.variant.label().to_owned(),
                    model.seed.to_string(),
                    measure.clone(),
                    value.to_string(),
                ]);
            }
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The API view of a stored job.
fn job_view(record: JobRecord) -> Result<ComparisonJob, ApiError> {
    let corrupt = |what: &str, error: serde_json::Error| {
        ApiError::from(StoreError::Corrupt(format!(
            "comparison job {}: {what}: {error}",
            record.id
        )))
    };
    let request = serde_json::from_str(&record.request).map_err(|e| corrupt("request", e))?;
    let result = record
        .result
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| corrupt("result", e))?;
    let problem = record
        .problem
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| corrupt("problem", e))?;
    Ok(ComparisonJob {
        job_id: record.id,
        status: record.status,
        status_url: format!("{API_PREFIX}/comparisons/{}", record.id),
        progress: Progress {
            done: record.done,
            total: record.total,
        },
        request,
        created_at: record.created_at,
        started_at: record.started_at,
        finished_at: record.finished_at,
        attempts: record.attempts,
        replica: (record.status == JobStatus::Running)
            .then(|| {
                record
                    .claimed_by
                    .as_deref()
                    .and_then(|owner| owner.rsplit_once(':'))
                    .map(|(replica, _)| replica.to_owned())
            })
            .flatten(),
        result,
        problem,
    })
}
