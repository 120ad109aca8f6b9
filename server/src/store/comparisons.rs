//! The `comparison_jobs` table: a comparison job's whole life, queued → running (claimed by
//! one replica under a lease, with progress) → done (with its result) or failed (with its
//! problem body).
//!
//! Any replica may run any job: [`claim`] takes the oldest job that is queued, or running
//! under a lease that ran out (its replica died), in one statement (`FOR UPDATE SKIP LOCKED`
//! on PostgreSQL; SQLite's single writer makes the statement atomic). The runner renews its
//! lease ([`heartbeat`]) while it works, and every later write is guarded by the claim it holds
//! (`claimed_by`), so a runner that lost its lease changes nothing.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

use super::{Store, StoreError};

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Accepted, waiting for a replica to take it.
    Queued,
    /// Measuring models; `progress` says how far.
    Running,
    /// Finished; the result is there.
    Done,
    /// Stopped; the problem says why.
    Failed,
}

impl JobStatus {
    /// The name stored in the `status` column (and sent in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }
}

/// A job as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    pub id: i64,
    /// The normalised request, JSON.
    pub request: String,
    pub status: JobStatus,
    /// Models measured so far.
    pub done: u64,
    /// Models to measure.
    pub total: u64,
    /// The result, JSON; set iff `status` is done.
    pub result: Option<String>,
    /// The problem body, JSON; set iff `status` is failed.
    pub problem: Option<String>,
    /// RFC 3339, UTC, millisecond precision.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// How many times a replica claimed the job (more than 1: a replica died running it and
    /// another took it over).
    pub attempts: u64,
    /// The models the job measures, fixed when it was accepted (empty for jobs accepted
    /// before they were recorded).
    pub model_ids: Vec<i64>,
    /// The claim's owner token, `host:pid:random`, once a replica claimed the job.
    pub claimed_by: Option<String>,
}

const COLUMNS: &str = "id, request, status, done, total, result, problem, created_at, \
                       started_at, finished_at, attempts, model_ids, claimed_by";

/// Stores a new queued job that selects the models `model_ids` (with the copies it leaves out)
/// and measures `total` of them.
pub async fn create(
    store: &Store,
    request_json: &str,
    model_ids: &[i64],
    total: u64,
) -> Result<JobRecord, StoreError> {
    let ids = serde_json::to_string(model_ids).expect("integers serialise");
    let row = sqlx::query(&format!(
        "INSERT INTO comparison_jobs (request, total, model_ids) VALUES ($1, $2, $3) \
         RETURNING {COLUMNS}"
    ))
    .bind(request_json.to_owned())
    .bind(total as i64)
    .bind(ids)
    .fetch_one(store.pool())
    .await?;
    record(&row)
}

/// One job by id.
pub async fn get(store: &Store, id: i64) -> Result<Option<JobRecord>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comparison_jobs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    row.as_ref().map(record).transpose()
}

/// The newest jobs first, `limit` from `offset`, and how many jobs there are.
pub async fn list(
    store: &Store,
    limit: u32,
    offset: u64,
) -> Result<(Vec<JobRecord>, u64), StoreError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comparison_jobs")
        .fetch_one(store.pool())
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comparison_jobs ORDER BY id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(store.pool())
    .await?;
    let jobs = rows.iter().map(record).collect::<Result<_, _>>()?;
    Ok((jobs, total as u64))
}

/// How many jobs are queued or running, over all replicas.
pub async fn count_pending(store: &Store) -> Result<u64, StoreError> {
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM comparison_jobs WHERE status IN ('queued', 'running')",
    )
    .fetch_one(store.pool())
    .await?;
    Ok(pending as u64)
}

/// Fails the jobs whose runners died `max_attempts` times (each claim ran out its lease), with
/// `problem_json`; returns how many. A job that kills every process that runs it stops here.
pub async fn fail_exhausted(
    store: &Store,
    max_attempts: u32,
    problem_json: &str,
) -> Result<u64, StoreError> {
    let engine = store.engine();
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'failed', problem = $1, finished_at = {}, \
         claimed_by = NULL, lease_until = NULL \
         WHERE status = 'running' AND lease_until < {} AND attempts >= $2",
        engine.now_text(),
        engine.now_ms()
    ))
    .bind(problem_json.to_owned())
    .bind(i64::from(max_attempts))
    .execute(store.pool())
    .await?;
    Ok(result.rows_affected())
}

/// Claims the oldest job that is queued, or running under a lease that ran out after fewer
/// than `max_attempts` claims, for `owner` for `lease_ms` milliseconds: it becomes running, its progress restarts at 0 and its
/// attempts count one more. `None` when there is nothing to run.
pub async fn claim(
    store: &Store,
    owner: &str,
    lease_ms: u64,
    max_attempts: u32,
) -> Result<Option<JobRecord>, StoreError> {
    let engine = store.engine();
    let now_ms = engine.now_ms();
    let row = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'running', claimed_by = $1, \
             lease_until = {now_ms} + $2, attempts = attempts + 1, done = 0, \
             started_at = COALESCE(started_at, {now}) \
         WHERE id = (SELECT id FROM comparison_jobs \
                     WHERE status = 'queued' \
                        OR (status = 'running' AND lease_until < {now_ms} AND attempts < $3) \
                     ORDER BY id LIMIT 1{lock}) \
         RETURNING {COLUMNS}",
        now = engine.now_text(),
        lock = engine.skip_locked(),
    ))
    .bind(owner.to_owned())
    .bind(lease_ms as i64)
    .bind(i64::from(max_attempts))
    .fetch_optional(store.pool())
    .await?;
    row.as_ref().map(record).transpose()
}

/// Renews `owner`'s lease on job `id` for `lease_ms` more milliseconds. Returns whether
/// `owner` still holds the job (false: its lease ran out and another replica took it, or it
/// was finished).
pub async fn heartbeat(
    store: &Store,
    id: i64,
    owner: &str,
    lease_ms: u64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET lease_until = {} + $1 \
         WHERE id = $2 AND status = 'running' AND claimed_by = $3",
        store.engine().now_ms()
    ))
    .bind(lease_ms as i64)
    .bind(id)
    .bind(owner.to_owned())
    .execute(store.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Records that `done` models of a running job are measured (by its holder only).
pub async fn set_progress(
    store: &Store,
    id: i64,
    owner: &str,
    done: u64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE comparison_jobs SET done = $1 \
         WHERE id = $2 AND status = 'running' AND claimed_by = $3",
    )
    .bind(done as i64)
    .bind(id)
    .bind(owner.to_owned())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// running → done, with the result, by the job's holder. Returns whether it held the job.
pub async fn finish(
    store: &Store,
    id: i64,
    owner: &str,
    result_json: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'done', done = total, result = $1, \
         finished_at = {}, lease_until = NULL \
         WHERE id = $2 AND status = 'running' AND claimed_by = $3",
        store.engine().now_text()
    ))
    .bind(result_json.to_owned())
    .bind(id)
    .bind(owner.to_owned())
    .execute(store.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// running → failed, with the problem body, by the job's holder. Returns whether it held the
/// job.
pub async fn fail(
    store: &Store,
    id: i64,
    owner: &str,
    problem_json: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'failed', problem = $1, finished_at = {}, \
         lease_until = NULL \
         WHERE id = $2 AND status = 'running' AND claimed_by = $3",
        store.engine().now_text()
    ))
    .bind(problem_json.to_owned())
    .bind(id)
    .bind(owner.to_owned())
    .execute(store.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

fn record(row: &AnyRow) -> Result<JobRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let status = match status.as_str() {
        "queued" => JobStatus::Queued,
        "running" => JobStatus::Running,
        "done" => JobStatus::Done,
        "failed" => JobStatus::Failed,
        other => {
            return Err(StoreError::Corrupt(format!(
                "comparison job {id}: unknown status `{other}`"
            )));
        }
    };
    let done: i64 = row.try_get("done")?;
    let attempts: i64 = row.try_get("attempts")?;
    let model_ids: String = row.try_get("model_ids")?;
    let claimed_by: Option<String> = row.try_get("claimed_by")?;
    let model_ids: Vec<i64> = serde_json::from_str(&model_ids)
        .map_err(|e| StoreError::Corrupt(format!("comparison job {id}: model_ids: {e}")))?;
    let total: i64 = row.try_get("total")?;
    Ok(JobRecord {
        id,
        request: row.try_get("request")?,
        status,
        done: done as u64,
        total: total as u64,
        result: row.try_get("result")?,
        problem: row.try_get("problem")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        attempts: attempts as u64,
        model_ids,
        claimed_by,
    })
}
