//! The `model_metrics` table: reports of deterministic metric computations, keyed by model and
//! normalised parameters.

use sqlx::SqlitePool;

use super::StoreError;

/// The cached report (JSON) of `request_key` on model `model_id`, if any.
pub async fn cached(
    pool: &SqlitePool,
    model_id: i64,
    request_key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT result FROM model_metrics WHERE model_id = ? AND request_key = ?",
    )
    .bind(model_id)
    .bind(request_key)
    .fetch_optional(pool)
    .await?)
}

/// Keeps a report. A second save of the same key keeps the first (they are equal by
/// determinism); a save for a model deleted meanwhile is dropped silently.
pub async fn save(
    pool: &SqlitePool,
    model_id: i64,
    request_key: &str,
    result_json: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO model_metrics (model_id, request_key, result) \
         SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM models WHERE id = ?1) \
         ON CONFLICT (model_id, request_key) DO NOTHING",
    )
    .bind(model_id)
    .bind(request_key)
    .bind(result_json)
    .execute(pool)
    .await?;
    Ok(())
}
