//! The `evaluations` table: results of deterministic evaluations, keyed by model and request.

use sqlx::SqlitePool;

use super::StoreError;

/// The cached result (JSON) of `request_key` on model `model_id`, if any.
pub async fn cached(
    pool: &SqlitePool,
    model_id: i64,
    request_key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT result FROM evaluations WHERE model_id = ? AND request_key = ?")
            .bind(model_id)
            .bind(request_key)
            .fetch_optional(pool)
            .await?,
    )
}

/// Keeps a result. A second save of the same key keeps the first (they are equal by
/// determinism); a save for a model deleted meanwhile is dropped silently.
pub async fn save(
    pool: &SqlitePool,
    model_id: i64,
    request_key: &str,
    result_json: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO evaluations (model_id, request_key, result) \
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
