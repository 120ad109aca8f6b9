//! `blueprint-server migrate --from URL --to URL`: copies a whole store from one database to
//! another (SQLite to PostgreSQL, the way from one machine to a lab's shared server, or back),
//! row for row and byte for byte, keeping every id.
//!
//! Both stores are opened (and so migrated to this build's schema) first. Tables are copied
//! in the order of their foreign keys; model bytes one model at a time, so memory holds one
//! model whatever the store's size. Every model's bytes are hashed when read from the source
//! and again when read back from the destination, against the checksum the source recorded.
//! Running it again copies nothing new and checks everything again (idempotent). A
//! destination holding a different row under an id the source uses is refused, naming the
//! id: nothing of the destination is overwritten. The id counters move past the source's, so
//! an id deleted in the source is not given again in the destination.

use blueprint_core::manifest::sha256_hex;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Engine, Sql, Store, StoreError};

/// How one column is read and written.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Integer,
    Text,
    OptionalText,
    OptionalInteger,
}

/// One table to copy: its columns, and the key that orders its rows.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: &'static str,
}

use Kind::{Integer, OptionalInteger, OptionalText, Text};

const MODELS: Table = Table {
    name: "models",
    columns: &[
        ("id", Integer),
        ("name", Text),
        ("task", Text),
        ("variant", Text),
        ("positive", Integer),
        ("dataset", Text),
        ("field", Text),
        ("hidden_size", Integer),
        ("seed", Integer),
        ("sha256", Text),
        ("size_bytes", Integer),
        ("manifest", Text),
        ("created_at", Text),
        ("note", Text),
        ("version", Integer),
    ],
    key: "id",
};

/// Tables copied after `models` and `model_files`, in foreign-key order.
const DEPENDENT: &[Table] = &[
    Table {
        name: "model_histories",
        columns: &[("model_id", Integer), ("epochs", Text)],
        key: "model_id",
    },
    Table {
        name: "model_tags",
        columns: &[("model_id", Integer), ("tag", Text)],
        key: "model_id, tag",
    },
    Table {
        name: "model_name_versions",
        columns: &[("name", Text), ("last", Integer)],
        key: "name",
    },
    Table {
        name: "evaluations",
        columns: &[
            ("model_id", Integer),
            ("request_key", Text),
            ("result", Text),
            ("created_at", Text),
        ],
        key: "model_id, request_key",
    },
    Table {
        name: "model_metrics",
        columns: &[
            ("model_id", Integer),
            ("request_key", Text),
            ("result", Text),
            ("created_at", Text),
        ],
        key: "model_id, request_key",
    },
    Table {
        name: "model_figures",
        columns: &[
            ("model_id", Integer),
            ("figure_key", Text),
            ("svg", Text),
            ("etag", Text),
            ("created_at", Text),
        ],
        key: "model_id, figure_key",
    },
    Table {
        name: "comparison_jobs",
        columns: &[
            ("id", Integer),
            ("request", Text),
            ("status", Text),
            ("done", Integer),
            ("total", Integer),
            ("result", OptionalText),
            ("problem", OptionalText),
            ("created_at", Text),
            ("started_at", OptionalText),
            ("finished_at", OptionalText),
            ("claimed_by", OptionalText),
            ("lease_until", OptionalInteger),
            ("attempts", Integer),
            ("model_ids", Text),
        ],
        key: "id",
    },
];

/// Model rows read per page (without their bytes, which are read one model at a time).
const PAGE: i64 = 500;
/// Rows of the other tables read per page: a cached evaluation with every trial listed is up
/// to a few MB, so a page stays within tens of MB.
const DEPENDENT_PAGE: i64 = 16;

/// What [`copy`] did: per table, rows in the source and rows it wrote (0 on a second run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationReport {
    pub tables: Vec<(String, u64, u64)>,
    /// Models whose bytes were verified in the destination.
    pub verified_models: u64,
}

impl std::fmt::Display for MigrationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (table, source, written) in &self.tables {
            writeln!(f, "{table}: {source} rows, {written} copied")?;
        }
        write!(
            f,
            "{} models' bytes verified against their SHA-256",
            self.verified_models
        )
    }
}

/// `blueprint-server migrate`: opens both stores and copies `from` into `to`, with progress on
/// stderr.
pub async fn run(from: &str, to: &str) -> Result<MigrationReport, StoreError> {
    if from == to {
        return Err(StoreError::Refused(
            "--from and --to name the same database; name two".to_owned(),
        ));
    }
    // A mistyped source path must not become a new, empty store that copies nothing.
    if Engine::of_url(from)? == Engine::Sqlite {
        let path = from
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default();
        if !std::path::Path::new(path).is_file() {
            return Err(StoreError::Refused(format!(
                "--from {from}: there is no SQLite file at {path}; name an existing store"
            )));
        }
    }
    let source = Store::open(from)
        .await
        .map_err(|error| StoreError::Refused(format!("--from {}: {error}", super::redact(from))))?;
    let destination = Store::open(to)
        .await
        .map_err(|error| StoreError::Refused(format!("--to {}: {error}", super::redact(to))))?;
    let report = copy(&source, &destination, |line| eprintln!("{line}")).await;
    source.close().await;
    destination.close().await;
    report
}

/// Copies the store `from` into `to` (see the module). `progress` hears one line now and then.
pub async fn copy(
    from: &Store,
    to: &Store,
    mut progress: impl FnMut(&str),
) -> Result<MigrationReport, StoreError> {
    let mut report = MigrationReport::default();
    // The id counters first, so a destination left by a failed copy already gives new ids
    // past the source's (a server started on it cannot collide with rows still to come).
    for table in ["models", "comparison_jobs"] {
        let next = id_counter(from, table).await?;
        raise_id_counter(to, table, next).await?;
    }

    // Models and their bytes, one model at a time.
    let total = count(from, MODELS.name).await?;
    let mut written = 0;
    let mut verified = 0;
    let mut after = i64::MIN;
    loop {
        let rows = page(from, &MODELS, after).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let sha256: String = row.try_get("sha256")?;
            match existing_sha256(to, id).await? {
                Some(theirs) if theirs == sha256 => {}
                Some(theirs) => {
                    return Err(StoreError::Refused(format!(
                        "the destination holds a different model under id {id} (SHA-256 \
                         {theirs}, the source's is {sha256}); migrate into an empty database"
                    )));
                }
                None => {
                    let bytes = source_bytes(from, id, &sha256).await?;
                    let mut transaction = to.pool().begin().await?;
                    let mut insert = insert_statement(&MODELS, row)?;
                    insert.push(" ON CONFLICT DO NOTHING");
                    let (text, arguments) = insert.split();
                    let inserted = sqlx::query_with(&text, arguments)
                        .execute(&mut *transaction)
                        .await?;
                    if inserted.rows_affected() != 1 {
                        return Err(StoreError::Refused(format!(
                            "the destination holds another model with the bytes of model {id} \
                             (SHA-256 {sha256}) under another id; migrate into an empty database"
                        )));
                    }
                    sqlx::query("INSERT INTO model_files (model_id, bytes) VALUES ($1, $2)")
                        .bind(id)
                        .bind(bytes)
                        .execute(&mut *transaction)
                        .await?;
                    transaction.commit().await?;
                    written += 1;
                }
            }
            // Read back from the destination, whether copied now or before.
            let stored: Option<Vec<u8>> =
                sqlx::query_scalar("SELECT bytes FROM model_files WHERE model_id = $1")
                    .bind(id)
                    .fetch_optional(to.pool())
                    .await?;
            match stored {
                Some(stored) if sha256_hex(&stored) == sha256 => verified += 1,
                Some(_) => {
                    return Err(StoreError::Corrupt(format!(
                        "model {id}: the bytes in the destination do not hash to {sha256}"
                    )));
                }
                None => {
                    return Err(StoreError::Corrupt(format!(
                        "model {id}: the destination has the model but not its bytes"
                    )));
                }
            }
            if verified % 100 == 0 {
                progress(&format!("models: {verified}/{total} copied and verified"));
            }
        }
    }
    report.tables.push((MODELS.name.to_owned(), total, written));
    report.verified_models = verified;
    progress(&format!("models: {verified}/{total} copied and verified"));

    for table in DEPENDENT {
        let total = count(from, table.name).await?;
        let mut written = 0;
        let mut offset = 0;
        loop {
            let rows = page_by_offset(from, table, offset).await?;
            if rows.is_empty() {
                break;
            }
            offset += rows.len() as i64;
            let mut transaction = to.pool().begin().await?;
            for row in &rows {
                if table.name == "comparison_jobs" {
                    check_same_job(to, row).await?;
                }
                let mut insert = insert_statement(table, row)?;
                insert.push(if table.name == "model_name_versions" {
                    // A name's counter keeps the larger of the two: no version is given twice.
                    " ON CONFLICT (name) DO UPDATE SET last = excluded.last \
                     WHERE excluded.last > model_name_versions.last"
                } else {
                    " ON CONFLICT DO NOTHING"
                });
                let (text, arguments) = insert.split();
                written += sqlx::query_with(&text, arguments)
                    .execute(&mut *transaction)
                    .await?
                    .rows_affected();
            }
            transaction.commit().await?;
        }
        progress(&format!("{}: {written} of {total} rows copied", table.name));
        report.tables.push((table.name.to_owned(), total, written));
    }

    for table in ["models", "comparison_jobs"] {
        let next = id_counter(from, table).await?.max(max_id(to, table).await?);
        raise_id_counter(to, table, next).await?;
    }
    Ok(report)
}

async fn count(store: &Store, table: &str) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(store.pool())
        .await?;
    Ok(n as u64)
}

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The next page of `table` (keyed by an integer `id`) after `after`.
async fn page(store: &Store, table: &Table, after: i64) -> Result<Vec<AnyRow>, StoreError> {
    Ok(sqlx::query(&format!(
        "SELECT {} FROM {} WHERE {key} > $1 ORDER BY {key} LIMIT $2",
        column_list(table),
        table.name,
        key = table.key
    ))
    .bind(after)
    .bind(PAGE)
    .fetch_all(store.pool())
    .await?)
}

async fn page_by_offset(
    store: &Store,
    table: &Table,
    offset: i64,
) -> Result<Vec<AnyRow>, StoreError> {
    Ok(sqlx::query(&format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT $1 OFFSET $2",
        column_list(table),
        table.name,
        table.key
    ))
    .bind(DEPENDENT_PAGE)
    .bind(offset)
    .fetch_all(store.pool())
    .await?)
}

/// `INSERT INTO table (columns) VALUES (row's values)`.
fn insert_statement(table: &Table, row: &AnyRow) -> Result<Sql, StoreError> {
    let mut insert = Sql::new(format!(
        "INSERT INTO {} ({}) VALUES (",
        table.name,
        column_list(table)
    ));
    for (i, (name, kind)) in table.columns.iter().enumerate() {
        if i > 0 {
            insert.push(", ");
        }
        match kind {
            Integer => insert.bind(row.try_get::<i64, _>(*name)?),
            Text => insert.bind(row.try_get::<String, _>(*name)?),
            OptionalText => insert.bind(row.try_get::<Option<String>, _>(*name)?),
            OptionalInteger => insert.bind(row.try_get::<Option<i64>, _>(*name)?),
        };
    }
    insert.push(")");
    Ok(insert)
}

async fn existing_sha256(store: &Store, id: i64) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT sha256 FROM models WHERE id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?,
    )
}

/// Model `id`'s bytes in the source, checked against the checksum it recorded.
async fn source_bytes(store: &Store, id: i64, sha256: &str) -> Result<Vec<u8>, StoreError> {
    let bytes: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT bytes FROM model_files WHERE model_id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    let bytes = bytes.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "model {id}: the source has the model but not its bytes"
        ))
    })?;
    if sha256_hex(&bytes) != sha256 {
        return Err(StoreError::Corrupt(format!(
            "model {id}: its bytes in the source do not hash to its recorded {sha256}; nothing \
             of it was copied"
        )));
    }
    Ok(bytes)
}

/// Refuses a destination job under the source job's id with another request.
async fn check_same_job(to: &Store, row: &AnyRow) -> Result<(), StoreError> {
    let id: i64 = row.try_get("id")?;
    let request: String = row.try_get("request")?;
    let theirs: Option<String> =
        sqlx::query_scalar("SELECT request FROM comparison_jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(to.pool())
            .await?;
    match theirs {
        Some(theirs) if theirs != request => Err(StoreError::Refused(format!(
            "the destination holds a different comparison job under id {id}; migrate into an \
             empty database"
        ))),
        _ => Ok(()),
    }
}

async fn max_id(store: &Store, table: &str) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(store.pool())
        .await?;
    Ok(max.unwrap_or(0))
}

/// The last id `table` gave (also of rows deleted since).
async fn id_counter(store: &Store, table: &str) -> Result<i64, StoreError> {
    let counter: Option<i64> = match store.engine() {
        Engine::Sqlite => {
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = $1")
                .bind(table.to_owned())
                .fetch_optional(store.pool())
                .await?
        }
        Engine::Postgres => {
            sqlx::query_scalar(&format!(
                "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END \
             FROM {}",
                postgres_sequence(store, table).await?
            ))
            .fetch_optional(store.pool())
            .await?
        }
    };
    Ok(counter.unwrap_or(0).max(max_id(store, table).await?))
}

/// Makes `table`'s next id at least `last + 1`.
async fn raise_id_counter(store: &Store, table: &str, last: i64) -> Result<(), StoreError> {
    match store.engine() {
        Engine::Sqlite => {
            let updated =
                sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, $1) WHERE name = $2")
                    .bind(last)
                    .bind(table.to_owned())
                    .execute(store.pool())
                    .await?;
            if updated.rows_affected() == 0 && last > 0 {
                sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
                    .bind(table.to_owned())
                    .bind(last)
                    .execute(store.pool())
                    .await?;
            }
        }
        Engine::Postgres => {
            let sequence = postgres_sequence(store, table).await?;
            let current = id_counter(store, table).await?;
            if last > current {
                sqlx::query("SELECT CAST(setval(CAST($1 AS regclass), $2, true) AS BIGINT)")
                    .bind(sequence)
                    .bind(last)
                    .fetch_one(store.pool())
                    .await?;
            }
        }
    }
    Ok(())
}

/// The sequence behind `table.id` on PostgreSQL.
async fn postgres_sequence(store: &Store, table: &str) -> Result<String, StoreError> {
    let sequence: Option<String> = sqlx::query_scalar("SELECT pg_get_serial_sequence($1, 'id')")
        .bind(table.to_owned())
        .fetch_one(store.pool())
        .await?;
    sequence.ok_or_else(|| StoreError::Corrupt(format!("{table}.id has no sequence")))
}
