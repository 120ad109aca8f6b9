//! The `comparison_jobs` table: a comparison job's whole life, queued → running (with
//! progress) → done (with its result) or failed (with its problem body).
//!
//! Every transition is one statement guarded by the state it leaves, so a late write from a
//! job that was already failed (say, by [`fail_interrupted`]) changes nothing.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use utoipa::ToSchema;

use super::StoreError;

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Accepted, waiting for the running comparison(s) ahead of it.
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
}

const COLUMNS: &str =
    "id, request, status, done, total, result, problem, created_at, started_at, finished_at";
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Stores a new queued job.
pub async fn create(
    pool: &SqlitePool,
    request_json: &str,
    total: u64,
) -> Result<JobRecord, StoreError> {
    let row = sqlx::query(&format!(
        "INSERT INTO comparison_jobs (request, total) VALUES (?, ?) RETURNING {COLUMNS}"
    ))
    .bind(request_json)
    .bind(total as i64)
    .fetch_one(pool)
    .await?;
    record(&row)
}

/// One job by id.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<JobRecord>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comparison_jobs WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(record).transpose()
}

/// The newest jobs first, `limit` from `offset`, and how many jobs there are.
pub async fn list(
    pool: &SqlitePool,
    limit: u32,
    offset: u64,
) -> Result<(Vec<JobRecord>, u64), StoreError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comparison_jobs")
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comparison_jobs ORDER BY id DESC LIMIT ? OFFSET ?"
    ))
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    let jobs = rows.iter().map(record).collect::<Result<_, _>>()?;
    Ok((jobs, total as u64))
}

/// queued → running. Returns whether the job was queued (false: it was failed meanwhile).
pub async fn mark_running(pool: &SqlitePool, id: i64) -> Result<bool, StoreError> {
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'running', started_at = {NOW} \
         WHERE id = ? AND status = 'queued'"
    ))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Records that `done` models of a running job are measured.
pub async fn set_progress(pool: &SqlitePool, id: i64, done: u64) -> Result<(), StoreError> {
    sqlx::query("UPDATE comparison_jobs SET done = ? WHERE id = ? AND status = 'running'")
        .bind(done as i64)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// running → done, with the result.
pub async fn finish(pool: &SqlitePool, id: i64, result_json: &str) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'done', done = total, result = ?, \
         finished_at = {NOW} WHERE id = ? AND status = 'running'"
    ))
    .bind(result_json)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// queued or running → failed, with the problem body.
pub async fn fail(pool: &SqlitePool, id: i64, problem_json: &str) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'failed', problem = ?, finished_at = {NOW} \
         WHERE id = ? AND status IN ('queued', 'running')"
    ))
    .bind(problem_json)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Fails every queued or running job, with `problem_json`: called at start, when no job of
/// this process exists yet, so any such row was left by a process that stopped. Returns how
/// many jobs were failed.
pub async fn fail_interrupted(pool: &SqlitePool, problem_json: &str) -> Result<u64, StoreError> {
    let result = sqlx::query(&format!(
        "UPDATE comparison_jobs SET status = 'failed', problem = ?, finished_at = {NOW} \
         WHERE status IN ('queued', 'running')"
    ))
    .bind(problem_json)
    .execute(pool)
    .await?;
    Ok(result.rows_affected())
}

fn record(row: &SqliteRow) -> Result<JobRecord, StoreError> {
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
    })
}
