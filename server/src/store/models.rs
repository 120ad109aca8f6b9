//! The `models` and `model_files` tables: register (atomic, idempotent on identical bytes),
//! list with filters and pagination, get, read the bytes, delete.

use blueprint_core::history::EpochRecord;
use blueprint_core::manifest::{ModelManifest, sha256_hex};
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Engine, Sql, Store, StoreError};

/// A model as stored (without its bytes).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRecord {
    pub id: i64,
    pub name: String,
    /// 1 for the first model registered under this name, then 2, 3, …
    pub version: i64,
    pub task: TaskKind,
    pub variant: Variant,
    pub positive: bool,
    pub dataset: String,
    pub field: String,
    pub hidden_size: usize,
    pub seed: u64,
    pub sha256: String,
    pub size_bytes: u64,
    /// RFC 3339, UTC, millisecond precision.
    pub created_at: String,
    pub manifest: ModelManifest,
    /// Sorted, without repeats.
    pub tags: Vec<String>,
    /// '' when none.
    pub note: String,
}

/// What [`register`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Registration {
    /// A new model was stored.
    Created(ModelRecord),
    /// These exact bytes were already stored; nothing was written.
    Existing(ModelRecord),
}

/// Filters for [`list`], combined with AND; `None` matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelFilter {
    pub task: Option<TaskKind>,
    pub variant: Option<Variant>,
    pub positive: Option<bool>,
    pub dataset: Option<String>,
    pub field: Option<String>,
    /// The training run's master seed.
    pub seed: Option<u64>,
    /// Names that start with this text (compared exactly, case-sensitive).
    pub name_prefix: Option<String>,
    /// Held-out accuracy (the manifest's `outcome.val_accuracy`) at least this; a model
    /// without an outcome never matches a bound.
    pub min_val_accuracy: Option<f64>,
    /// … and at most this.
    pub max_val_accuracy: Option<f64>,
    /// Only models carrying this tag.
    pub tag: Option<String>,
}

impl ModelFilter {
    /// Whether a text filter holds a NUL character: no stored name, dataset, field or tag
    /// does, and PostgreSQL refuses the character in text, so such a filter matches nothing
    /// without asking either engine.
    fn holds_nul(&self) -> bool {
        [&self.dataset, &self.field, &self.name_prefix, &self.tag]
            .into_iter()
            .flatten()
            .any(|text| text.contains('\0'))
    }
}

/// The order of [`list`]: a key, ascending or descending, then id ascending for ties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModelOrder {
    pub key: SortKey,
    pub descending: bool,
}

/// What [`list`] sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Id,
    Created,
    Name,
    /// Models without an outcome sort as the lowest.
    ValAccuracy,
    Seed,
}

impl SortKey {
    /// Every key with its name in `sort=`.
    pub const ALL: [(SortKey, &'static str); 5] = [
        (SortKey::Id, "id"),
        (SortKey::Created, "created"),
        (SortKey::Name, "name"),
        (SortKey::ValAccuracy, "val_accuracy"),
        (SortKey::Seed, "seed"),
    ];

    /// The SQL expressions ordered by, in turn: a closed set of literals, never user input.
    /// Both engines order the same way: names byte-wise (PostgreSQL's `C` collation, SQLite's
    /// `BINARY`), seeds as the u64 they are (stored bit-cast to i64: the non-negative ones
    /// first).
    fn columns(self, engine: Engine) -> Vec<String> {
        match self {
            SortKey::Id => vec!["id".to_owned()],
            SortKey::Created => vec!["created_at".to_owned()],
            SortKey::Name => vec![match engine {
                Engine::Sqlite => "name".to_owned(),
                Engine::Postgres => "name COLLATE \"C\"".to_owned(),
            }],
            SortKey::ValAccuracy => vec![val_accuracy(engine)],
            SortKey::Seed => vec!["(seed < 0)".to_owned(), "seed".to_owned()],
        }
    }
}

/// The manifest's held-out accuracy (NULL without an outcome).
fn val_accuracy(engine: Engine) -> String {
    engine.json_number("manifest", &["outcome", "val_accuracy"])
}

/// One page of [`list`].
#[derive(Clone, Debug, PartialEq)]
pub struct ModelPage {
    pub models: Vec<ModelRecord>,
    /// How many models match the filter, over all pages.
    pub total: u64,
}

const COLUMNS: &str = "id, name, task, variant, positive, dataset, field, hidden_size, seed, \
                       sha256, size_bytes, created_at, manifest, note, version";

/// Stores `manifest` and `bytes` as one model, in one transaction, and verifies the bytes'
/// checksum by reading them back before committing.
///
/// The manifest stored is `manifest` with `onnx_sha256` set to the bytes' checksum. Identical
/// bytes registered again (also concurrently, also through another replica) return
/// [`Registration::Existing`] with the first registration's record.
///
/// `history` (already validated against `manifest`) is stored in the same transaction. When
/// the bytes are stored already without a history, this one is added to them.
pub async fn register(
    store: &Store,
    manifest: &ModelManifest,
    bytes: &[u8],
    history: Option<&[EpochRecord]>,
) -> Result<Registration, StoreError> {
    let pool = store.pool();
    let sha256 = sha256_hex(bytes);
    let history_json = history
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("history does not serialise: {e}")))?;
    if let Some(existing) = get_by_sha256(store, &sha256).await? {
        if let Some(history_json) = &history_json {
            insert_history(store, existing.id, history_json).await?;
        }
        return Ok(Registration::Existing(existing));
    }
    let mut manifest = manifest.clone();
    manifest.onnx_sha256 = Some(sha256.clone());
    let manifest_json = serde_json::to_string(&manifest)
        .map_err(|e| StoreError::Corrupt(format!("manifest does not serialise: {e}")))?;

    let mut transaction = pool.begin().await?;
    // The name's counter first: the statement writes, so SQLite takes its write lock at once
    // (waiting up to the busy timeout) instead of failing to upgrade a read snapshot, and
    // PostgreSQL locks the name's row, so concurrent registrations under one name (through any
    // replica) get versions one after another, never twice the same. The counter moves with
    // the model in this transaction: a version is given once, even after its model is deleted.
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO model_name_versions (name, last) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET last = model_name_versions.last + 1 \
         RETURNING last",
    )
    .bind(manifest.name.clone())
    .fetch_one(&mut *transaction)
    .await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO models (name, task, variant, positive, dataset, field, hidden_size, seed, \
                             sha256, size_bytes, manifest, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(manifest.name.clone())
    .bind(manifest.task.as_str())
    .bind(manifest.variant.label())
    .bind(i64::from(manifest.positive))
    .bind(manifest.dataset.name.clone())
    .bind(manifest.dataset.field.clone())
    .bind(manifest.hidden_size as i64)
    .bind(manifest.seed as i64)
    .bind(sha256.clone())
    .bind(bytes.len() as i64)
    .bind(manifest_json)
    .bind(version)
    .fetch_one(&mut *transaction)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            // Another request registered the same bytes between our check and our insert.
            transaction.rollback().await?;
            return match get_by_sha256(store, &sha256).await? {
                Some(existing) => {
                    if let Some(history_json) = &history_json {
                        insert_history(store, existing.id, history_json).await?;
                    }
                    Ok(Registration::Existing(existing))
                }
                None => Err(StoreError::Corrupt(format!(
                    "sha256 {sha256} collided but no model holds it"
                ))),
            };
        }
        Err(error) => return Err(error.into()),
    };
    sqlx::query("INSERT INTO model_files (model_id, bytes) VALUES ($1, $2)")
        .bind(id)
        .bind(bytes.to_vec())
        .execute(&mut *transaction)
        .await?;
    if let Some(history_json) = &history_json {
        sqlx::query("INSERT INTO model_histories (model_id, epochs) VALUES ($1, $2)")
            .bind(id)
            .bind(history_json.clone())
            .execute(&mut *transaction)
            .await?;
    }
    let stored: Vec<u8> = sqlx::query_scalar("SELECT bytes FROM model_files WHERE model_id = $1")
        .bind(id)
        .fetch_one(&mut *transaction)
        .await?;
    if sha256_hex(&stored) != sha256 {
        transaction.rollback().await?;
        return Err(StoreError::Corrupt(format!(
            "model {id}: the bytes read back do not hash to {sha256}"
        )));
    }
    transaction.commit().await?;
    let record = get(store, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("model {id} vanished after its commit")))?;
    Ok(Registration::Created(record))
}

/// The models matching `filter`, in `order`, `limit` from `offset`.
pub async fn list(
    store: &Store,
    filter: &ModelFilter,
    order: ModelOrder,
    limit: u32,
    offset: u64,
) -> Result<ModelPage, StoreError> {
    if filter.holds_nul() {
        return Ok(ModelPage {
            models: Vec::new(),
            total: 0,
        });
    }
    let mut count = Sql::new("SELECT COUNT(*) FROM models");
    push_filter(&mut count, store.engine(), filter);
    let (text, arguments) = count.split();
    let total: i64 = sqlx::query_scalar_with(&text, arguments)
        .fetch_one(store.pool())
        .await?;

    let mut select = Sql::new(format!("SELECT {COLUMNS} FROM models"));
    push_filter(&mut select, store.engine(), filter);
    let direction = if order.descending { "DESC" } else { "ASC" };
    // Models without an outcome sort as the lowest, on both engines.
    let nulls = if order.descending {
        " NULLS LAST"
    } else {
        " NULLS FIRST"
    };
    let keys: Vec<String> = order
        .key
        .columns(store.engine())
        .iter()
        .map(|column| format!("{column} {direction}{nulls}"))
        .collect();
    select
        .push(&format!(" ORDER BY {}, id ASC LIMIT ", keys.join(", ")))
        .bind(i64::from(limit))
        .push(" OFFSET ")
        .bind(i64::try_from(offset).unwrap_or(i64::MAX));
    let (text, arguments) = select.split();
    let rows = sqlx::query_with(&text, arguments)
        .fetch_all(store.pool())
        .await?;
    let mut models: Vec<ModelRecord> = rows.iter().map(record).collect::<Result<_, _>>()?;
    attach_tags(store, &mut models).await?;
    Ok(ModelPage {
        models,
        total: total as u64,
    })
}

/// Every model matching `filter`, by ascending id (what a comparison measures).
pub async fn list_all(store: &Store, filter: &ModelFilter) -> Result<Vec<ModelRecord>, StoreError> {
    if filter.holds_nul() {
        return Ok(Vec::new());
    }
    let mut select = Sql::new(format!("SELECT {COLUMNS} FROM models"));
    push_filter(&mut select, store.engine(), filter);
    select.push(" ORDER BY id");
    let (text, arguments) = select.split();
    let rows = sqlx::query_with(&text, arguments)
        .fetch_all(store.pool())
        .await?;
    let mut models: Vec<ModelRecord> = rows.iter().map(record).collect::<Result<_, _>>()?;
    attach_tags(store, &mut models).await?;
    Ok(models)
}

/// Fills in the tags of `models` (one query per 500 models).
async fn attach_tags(store: &Store, models: &mut [ModelRecord]) -> Result<(), StoreError> {
    for chunk in models.chunks_mut(500) {
        if chunk.is_empty() {
            continue;
        }
        let mut query = Sql::new("SELECT model_id, tag FROM model_tags WHERE model_id IN (");
        for (i, model) in chunk.iter().enumerate() {
            if i > 0 {
                query.push(", ");
            }
            query.bind(model.id);
        }
        query.push(") ORDER BY model_id, tag");
        let (text, arguments) = query.split();
        let rows: Vec<(i64, String)> = sqlx::query_as_with(&text, arguments)
            .fetch_all(store.pool())
            .await?;
        for (id, tag) in rows {
            if let Some(model) = chunk.iter_mut().find(|m| m.id == id) {
                model.tags.push(tag);
            }
        }
    }
    Ok(())
}

/// Sets a model's tags (replacing them all) and/or its note, in one transaction. Returns
/// whether the model exists. `tags` must be sorted and without repeats.
pub async fn annotate(
    store: &Store,
    id: i64,
    tags: Option<&[String]>,
    note: Option<&str>,
) -> Result<bool, StoreError> {
    let mut transaction = store.pool().begin().await?;
    // Writes first, so the transaction takes the write lock at once.
    let updated = sqlx::query("UPDATE models SET note = coalesce($1, note) WHERE id = $2")
        .bind(note.map(str::to_owned))
        .bind(id)
        .execute(&mut *transaction)
        .await?;
    if updated.rows_affected() == 0 {
        transaction.rollback().await?;
        return Ok(false);
    }
    if let Some(tags) = tags {
        sqlx::query("DELETE FROM model_tags WHERE model_id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        for tag in tags {
            sqlx::query("INSERT INTO model_tags (model_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(tag.clone())
                .execute(&mut *transaction)
                .await?;
        }
    }
    transaction.commit().await?;
    Ok(true)
}

/// How many models are stored.
pub async fn count(store: &Store) -> Result<u64, StoreError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM models")
        .fetch_one(store.pool())
        .await?;
    Ok(total as u64)
}

/// One model by id.
pub async fn get(store: &Store, id: i64) -> Result<Option<ModelRecord>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM models WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    with_tags(store, row.as_ref().map(record).transpose()?).await
}

/// One model by the checksum of its bytes.
pub async fn get_by_sha256(store: &Store, sha256: &str) -> Result<Option<ModelRecord>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM models WHERE sha256 = $1"))
        .bind(sha256.to_owned())
        .fetch_optional(store.pool())
        .await?;
    with_tags(store, row.as_ref().map(record).transpose()?).await
}

async fn with_tags(
    store: &Store,
    model: Option<ModelRecord>,
) -> Result<Option<ModelRecord>, StoreError> {
    let mut models: Vec<ModelRecord> = model.into_iter().collect();
    attach_tags(store, &mut models).await?;
    Ok(models.pop())
}

/// A model's ONNX bytes, verified against the checksum recorded at registration (bytes that
/// changed in the database since are [`StoreError::Corrupt`], never served).
pub async fn onnx_bytes(store: &Store, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>, String)> = sqlx::query_as(
        "SELECT model_files.bytes, models.sha256 FROM model_files \
         JOIN models ON models.id = model_files.model_id WHERE model_files.model_id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    match row {
        Some((bytes, sha256)) if sha256_hex(&bytes) == sha256 => Ok(Some(bytes)),
        Some((_, sha256)) => Err(StoreError::Corrupt(format!(
            "model {id}: its stored bytes no longer hash to {sha256}"
        ))),
        None => Ok(None),
    }
}

/// Stores a history for a model that has none (a second one is ignored: by validation both
/// describe the same run).
pub async fn add_history(
    store: &Store,
    id: i64,
    history: &[EpochRecord],
) -> Result<(), StoreError> {
    let history_json = serde_json::to_string(history)
        .map_err(|e| StoreError::Corrupt(format!("history does not serialise: {e}")))?;
    insert_history(store, id, &history_json).await
}

async fn insert_history(store: &Store, id: i64, history_json: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO model_histories (model_id, epochs) VALUES ($1, $2) \
         ON CONFLICT (model_id) DO NOTHING",
    )
    .bind(id)
    .bind(history_json.to_owned())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// A model's training history, when one was uploaded with it.
pub async fn history(store: &Store, id: i64) -> Result<Option<Vec<EpochRecord>>, StoreError> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT epochs FROM model_histories WHERE model_id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    text.map(|text| {
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("model {id}: history: {e}")))
    })
    .transpose()
}

/// Deletes a model, its bytes and its cached evaluations. Returns whether it existed.
pub async fn delete(store: &Store, id: i64) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM models WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(result.rows_affected() > 0)
}

fn push_filter(query: &mut Sql, engine: Engine, filter: &ModelFilter) {
    let mut first = true;
    // Each condition starts with WHERE or AND; the SQL text is literals only.
    let mut next = |query: &mut Sql, sql: &str| {
        query
            .push(if first { " WHERE " } else { " AND " })
            .push(sql);
        first = false;
    };
    if let Some(task) = filter.task {
        next(query, "task = ");
        query.bind(task.as_str());
    }
    if let Some(variant) = filter.variant {
        next(query, "variant = ");
        query.bind(variant.label());
    }
    if let Some(positive) = filter.positive {
        next(query, "positive = ");
        query.bind(i64::from(positive));
    }
    if let Some(dataset) = &filter.dataset {
        next(query, "dataset = ");
        query.bind(dataset.clone());
    }
    if let Some(field) = &filter.field {
        next(query, "field = ");
        query.bind(field.clone());
    }
    if let Some(seed) = filter.seed {
        next(query, "seed = ");
        query.bind(seed as i64);
    }
    if let Some(prefix) = &filter.name_prefix {
        // substr counts characters, as length does: an exact prefix, no LIKE wildcards.
        next(query, "substr(name, 1, length(");
        query
            .bind(prefix.clone())
            .push(")) = ")
            .bind(prefix.clone());
    }
    if let Some(low) = filter.min_val_accuracy {
        next(query, &val_accuracy(engine));
        query.push(" >= ").bind(low);
    }
    if let Some(high) = filter.max_val_accuracy {
        next(query, &val_accuracy(engine));
        query.push(" <= ").bind(high);
    }
    if let Some(tag) = &filter.tag {
        next(
            query,
            "EXISTS (SELECT 1 FROM model_tags WHERE model_tags.model_id = models.id AND tag = ",
        );
        query.bind(tag.clone()).push(")");
    }
}

fn record(row: &AnyRow) -> Result<ModelRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    let corrupt = |what: String| StoreError::Corrupt(format!("model {id}: {what}"));
    let task: String = row.try_get("task")?;
    let variant: String = row.try_get("variant")?;
    let manifest: String = row.try_get("manifest")?;
    let hidden_size: i64 = row.try_get("hidden_size")?;
    let seed: i64 = row.try_get("seed")?;
    let size_bytes: i64 = row.try_get("size_bytes")?;
    let positive: i64 = row.try_get("positive")?;
    Ok(ModelRecord {
        id,
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        task: task.parse().map_err(|e| corrupt(format!("{e}")))?,
        variant: variant.parse().map_err(|e| corrupt(format!("{e}")))?,
        positive: match positive {
            0 => false,
            1 => true,
            other => return Err(corrupt(format!("positive is {other}, not 0 or 1"))),
        },
        dataset: row.try_get("dataset")?,
        field: row.try_get("field")?,
        hidden_size: usize::try_from(hidden_size).map_err(|e| corrupt(format!("{e}")))?,
        seed: seed as u64,
        sha256: row.try_get("sha256")?,
        size_bytes: size_bytes as u64,
        created_at: row.try_get("created_at")?,
        manifest: serde_json::from_str(&manifest).map_err(|e| corrupt(format!("manifest: {e}")))?,
        tags: Vec::new(),
        note: row.try_get("note")?,
    })
}
