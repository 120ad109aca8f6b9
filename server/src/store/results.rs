//! Cached results of deterministic computations on one model, keyed by model and a normalised
//! request: evaluations (the `evaluations` table) and metric reports (`model_metrics`). Both
//! tables have the same shape (`model_id`, `request_key`, `result` JSON), and deleting a model
//! deletes its rows (foreign key, cascade). Figures (`model_figures`) are kept the same way,
//! with their SVG and ETag.

use super::{Store, StoreError};

/// Which cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultTable {
    Evaluations,
    Metrics,
}

impl ResultTable {
    /// The table's name: a closed set of literals, never user input.
    fn name(self) -> &'static str {
        match self {
            ResultTable::Evaluations => "evaluations",
            ResultTable::Metrics => "model_metrics",
        }
    }
}

/// The cached result (JSON) of `request_key` on model `model_id`, if any.
pub async fn cached(
    store: &Store,
    table: ResultTable,
    model_id: i64,
    request_key: &str,
) -> Result<Option<String>, StoreError> {
    let sql = format!(
        "SELECT result FROM {} WHERE model_id = $1 AND request_key = $2",
        table.name()
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(model_id)
        .bind(request_key.to_owned())
        .fetch_optional(store.pool())
        .await?)
}

/// Keeps a result. A second save of the same key keeps the first (they are equal by
/// determinism); a save for a model deleted meanwhile is dropped silently.
pub async fn save(
    store: &Store,
    table: ResultTable,
    model_id: i64,
    request_key: &str,
    result_json: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO {} (model_id, request_key, result) \
         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM models WHERE id = $1) \
         ON CONFLICT (model_id, request_key) DO NOTHING",
        table.name()
    );
    let saved = sqlx::query(&sql)
        .bind(model_id)
        .bind(request_key.to_owned())
        .bind(result_json.to_owned())
        .execute(store.pool())
        .await;
    dropped_if_deleted(saved)
}

/// A save that lost a race with the model's delete (PostgreSQL checks the foreign key after
/// the `EXISTS`) is dropped, as a save after the delete is.
fn dropped_if_deleted(
    saved: Result<sqlx::any::AnyQueryResult, sqlx::Error>,
) -> Result<(), StoreError> {
    match saved {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// A cached figure: the SVG and its ETag (the SVG's SHA-256).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub svg: String,
    pub etag: String,
}

/// The cached figure `figure_key` of model `model_id`, if any.
pub async fn cached_figure(
    store: &Store,
    model_id: i64,
    figure_key: &str,
) -> Result<Option<Figure>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT svg, etag FROM model_figures WHERE model_id = $1 AND figure_key = $2",
    )
    .bind(model_id)
    .bind(figure_key.to_owned())
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|(svg, etag)| Figure { svg, etag }))
}

/// Keeps a figure, like [`save`] keeps a result.
pub async fn save_figure(
    store: &Store,
    model_id: i64,
    figure_key: &str,
    figure: &Figure,
) -> Result<(), StoreError> {
    let saved = sqlx::query(
        "INSERT INTO model_figures (model_id, figure_key, svg, etag) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM models WHERE id = $1) \
         ON CONFLICT (model_id, figure_key) DO NOTHING",
    )
    .bind(model_id)
    .bind(figure_key.to_owned())
    .bind(figure.svg.clone())
    .bind(figure.etag.clone())
    .execute(store.pool())
    .await;
    dropped_if_deleted(saved)
}
