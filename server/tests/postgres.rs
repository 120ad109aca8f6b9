//! What only a real PostgreSQL can show: the two engines' catalogues describe one logical
//! schema; `migrate` copies a store to PostgreSQL and back, byte for byte, idempotently; two
//! server processes on one database share uploads, reads, evaluations and comparison jobs,
//! and a job whose replica is killed with SIGKILL is finished by the other; a database lost
//! mid-flight is a 503 with `Retry-After`, and the server recovers when it returns.
//!
//! Every test here needs `BLUEPRINT_TEST_POSTGRES` (an administrator's URL); they are ignored
//! otherwise, and say so. `scripts/test-postgres.sh` (run by `make test`) starts a throwaway
//! cluster with `scripts/postgres-local.sh` and runs them, and the API suite, on it.

#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::{StatusCode, header};
use blueprint_core::manifest::sha256_hex;
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;
use blueprint_server::store::comparisons as job_store;
use blueprint_server::store::models::{self as model_store, ModelFilter};
use blueprint_server::store::results::{self, ResultTable};
use blueprint_server::store::{Store, StoreError, migrate};
use serde_json::{Value, json};
use sqlx::Row;
use tempfile::TempDir;

use support::{TestApp, TestModel, fresh_postgres_database, multipart, ort_library, variant_model};

const NEEDS_POSTGRES: &str =
    "needs PostgreSQL: set BLUEPRINT_TEST_POSTGRES (scripts/test-postgres.sh does)";

fn admin_url() -> String {
    support::postgres_admin_url().unwrap_or_else(|| panic!("{NEEDS_POSTGRES}"))
}

// ---------------------------------------------------------------------------------------------
// The logical schema, read from each engine's catalogue.

/// One table as the catalogue describes it, in engine-neutral terms.
#[derive(Debug, Default, PartialEq, Eq)]
struct TableShape {
    /// (name, type class, not null, has a default), in column order.
    columns: Vec<(String, &'static str, bool, bool)>,
    primary_key: Vec<String>,
    uniques: BTreeSet<Vec<String>>,
    /// (columns, referenced table, referenced columns, on delete).
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>, String)>,
    checks: usize,
}

/// Tables, and named indexes as (table, columns).
type Schema = (
    BTreeMap<String, TableShape>,
    BTreeMap<String, (String, Vec<String>)>,
);

fn type_class(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        "real" | "double precision" => "float",
        other => panic!("a column type the schema should not use: {other}"),
    }
}

async fn sqlite_schema(path: &std::path::Path) -> Schema {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut shapes = BTreeMap::new();
    for (table, sql) in tables {
        let mut shape = TableShape::default();
        let columns = sqlx::query(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for column in columns {
            let name: String = column.get("name");
            let declared: String = column.get("type");
            let not_null: i64 = column.get("notnull");
            let default: Option<String> = column.get("dflt_value");
            let pk: i64 = column.get("pk");
            if pk > 0 {
                key.push((pk, name.clone()));
            }
            shape.columns.push((
                name,
                type_class(&declared),
                not_null == 1 || pk > 0,
                default.is_some(),
            ));
        }
        key.sort();
        shape.primary_key = key.into_iter().map(|(_, name)| name).collect();
        let indexes: Vec<(String, String)> =
            sqlx::query_as("SELECT name, origin FROM pragma_index_list(?)")
                .bind(&table)
                .fetch_all(&pool)
                .await
                .unwrap();
        for (index, origin) in indexes {
            if origin == "u" {
                shape
                    .uniques
                    .insert(sqlite_index_columns(&pool, &index).await);
            }
        }
        let keys = sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) \
             ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
        for row in keys {
            let entry = by_id.entry(row.get("id")).or_insert_with(|| {
                (
                    Vec::new(),
                    row.get("table"),
                    Vec::new(),
                    row.get::<String, _>("on_delete").to_ascii_uppercase(),
                )
            });
            entry.0.push(row.get("from"));
            entry.2.push(row.get("to"));
        }
        shape.foreign_keys = by_id.into_values().collect();
        let without_comments: String = sql
            .lines()
            .map(|line| line.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_uppercase();
        shape.checks = without_comments.matches("CHECK (").count()
            + without_comments.matches("CHECK(").count();
        shapes.insert(table, shape);
    }
    let mut indexes = BTreeMap::new();
    let named: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (name, table) in named {
        let columns = sqlite_index_columns(&pool, &name).await;
        indexes.insert(name, (table, columns));
    }
    pool.close().await;
    (shapes, indexes)
}

async fn sqlite_index_columns(pool: &sqlx::SqlitePool, index: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
        .bind(index)
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn postgres_schema(url: &str) -> Schema {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut shapes = BTreeMap::new();
    for table in tables {
        let mut shape = TableShape::default();
        let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text, \
                    column_default IS NOT NULL \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for (name, declared, nullable, default) in columns {
            shape
                .columns
                .push((name, type_class(&declared), nullable == "NO", default));
        }
        let constraints = sqlx::query(
            "SELECT c.contype::text AS kind, \
                    array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n \
                          ORDER BY k.o) AS columns, \
                    c.confrelid::regclass::text AS referenced, \
                    array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n \
                          ORDER BY k.o) AS referenced_columns, \
                    c.confdeltype::text AS on_delete \
             FROM pg_constraint c WHERE c.conrelid = $1::regclass",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for row in constraints {
            let kind: String = row.get("kind");
            let columns: Vec<String> = row.get("columns");
            match kind.as_str() {
                "p" => shape.primary_key = columns,
                "u" => {
                    shape.uniques.insert(columns);
                }
                "c" => shape.checks += 1,
                "f" => {
                    let on_delete = match row.get::<String, _>("on_delete").as_str() {
                        "c" => "CASCADE",
                        "a" => "NO ACTION",
                        "r" => "RESTRICT",
                        "n" => "SET NULL",
                        "d" => "SET DEFAULT",
                        other => panic!("unknown confdeltype {other}"),
                    };
                    shape.foreign_keys.insert((
                        columns,
                        row.get("referenced"),
                        row.get("referenced_columns"),
                        on_delete.to_owned(),
                    ));
                }
                other => panic!("a constraint kind the schema should not use: {other}"),
            }
        }
        shapes.insert(table, shape);
    }
    let mut indexes = BTreeMap::new();
    let named = sqlx::query(
        "SELECT i.relname::text AS name, t.relname::text AS tbl, \
                array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o) \
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n \
                      ORDER BY k.o) AS columns \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         WHERE t.relnamespace = current_schema()::regnamespace \
         AND t.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for row in named {
        indexes.insert(row.get("name"), (row.get("tbl"), row.get("columns")));
    }
    pool.close().await;
    (shapes, indexes)
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set BLUEPRINT_TEST_POSTGRES (scripts/test-postgres.sh does)"]
async fn the_two_engines_migrate_to_the_same_logical_schema() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("schema.db");
    let sqlite = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let url = fresh_postgres_database(&admin_url()).await;
    let postgres = Store::open(&url).await.unwrap();
    assert_eq!(
        sqlite.schema_version().await.unwrap(),
        postgres.schema_version().await.unwrap()
    );
    sqlite.close().await;
    postgres.close().await;

    let (sqlite_tables, sqlite_indexes) = sqlite_schema(&path).await;
    let (postgres_tables, postgres_indexes) = postgres_schema(&url).await;
    assert_eq!(
        sqlite_tables.keys().collect::<Vec<_>>(),
        postgres_tables.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, shape) in &sqlite_tables {
        assert_eq!(
            shape, &postgres_tables[table],
            "table {table}: SQLite's catalogue (left) and PostgreSQL's (right) differ"
        );
    }
    assert_eq!(sqlite_indexes, postgres_indexes, "the same named indexes");
    // The comparison has teeth: the store has a dozen tables with keys, checks and indexes.
    assert!(sqlite_tables.len() >= 9, "{sqlite_tables:#?}");
    assert!(sqlite_tables["models"].checks >= 5);
    assert!(!sqlite_tables["model_files"].foreign_keys.is_empty());
    assert!(sqlite_indexes.len() >= 5, "{sqlite_indexes:#?}");
}

// ---------------------------------------------------------------------------------------------
// migrate

/// A store with models (one deleted, so the id counter is ahead of the rows), tags, a history,
/// cached results and figures, and a comparison job.
async fn populate(store: &Store) -> Vec<i64> {
    let mut ids = Vec::new();
    for seed in 1..=4 {
        let model = variant_model(TaskKind::GoNogo, Variant::WD, 8, seed);
        let registration = model_store::register(store, &model.manifest, &model.bytes, None)
            .await
            .unwrap();
        let record = match registration {
            model_store::Registration::Created(record) => record,
            other => panic!("{other:?}"),
        };
        ids.push(record.id);
    }
    assert!(model_store::delete(store, ids[3]).await.unwrap());
    ids.pop();
    let tags = vec!["pilot".to_owned(), "v2".to_owned()];
    assert!(
        model_store::annotate(store, ids[0], Some(&tags), Some("a note"))
            .await
            .unwrap()
    );
    results::save(
        store,
        ResultTable::Evaluations,
        ids[0],
        "key-1",
        r#"{"a":1}"#,
    )
    .await
    .unwrap();
    results::save(store, ResultTable::Metrics, ids[1], "key-2", r#"{"b":[2]}"#)
        .await
        .unwrap();
    results::save_figure(
        store,
        ids[2],
        "figure",
        &results::Figure {
            svg: "<svg/>".to_owned(),
            etag: sha256_hex(b"<svg/>"),
        },
    )
    .await
    .unwrap();
    job_store::create(store, r#"{"task":"go-nogo"}"#, &ids, 3)
        .await
        .unwrap();
    ids
}

/// Everything a store holds that `migrate` must carry, read through the store's API.
async fn contents(store: &Store) -> Value {
    let models = model_store::list_all(store, &ModelFilter::default())
        .await
        .unwrap();
    let mut out = Vec::new();
    for model in &models {
        let bytes = model_store::onnx_bytes(store, model.id)
            .await
            .unwrap()
            .unwrap();
        out.push(json!({
            "id": model.id, "name": model.name, "version": model.version,
            "sha256": model.sha256, "bytes_sha256": sha256_hex(&bytes),
            "created_at": model.created_at, "tags": model.tags, "note": model.note,
            "manifest": serde_json::to_value(&model.manifest).unwrap(),
            "evaluation": results::cached(store, ResultTable::Evaluations, model.id, "key-1").await.unwrap(),
            "metrics": results::cached(store, ResultTable::Metrics, model.id, "key-2").await.unwrap(),
            "figure": results::cached_figure(store, model.id, "figure").await.unwrap().map(|f| f.etag),
        }));
    }
    let (jobs, _) = job_store::list(store, 10, 0).await.unwrap();
    let jobs: Vec<Value> = jobs
        .iter()
        .map(|job| {
            json!({"id": job.id, "request": job.request, "status": job.status.as_str(),
                   "total": job.total, "model_ids": job.model_ids, "created_at": job.created_at})
        })
        .collect();
    json!({"models": out, "jobs": jobs})
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set BLUEPRINT_TEST_POSTGRES (scripts/test-postgres.sh does)"]
async fn migrate_copies_a_store_to_postgres_and_back_byte_for_byte_and_again_copies_nothing() {
    let dir = TempDir::new().unwrap();
    let source_url = format!("sqlite://{}", dir.path().join("source.db").display());
    let source = Store::open(&source_url).await.unwrap();
    let ids = populate(&source).await;
    let expected = contents(&source).await;
    source.close().await;

    // SQLite → PostgreSQL, through the binary.
    let postgres_url = fresh_postgres_database(&admin_url()).await;
    let run = |from: &str, to: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
            .args(["migrate", "--from", from, "--to", to])
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (ok, stdout, stderr) = run(&source_url, &postgres_url);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("models: 3 rows, 3 copied"), "{stdout}");
    assert!(stdout.contains("3 models' bytes verified"), "{stdout}");
    let postgres = Store::open(&postgres_url).await.unwrap();
    assert_eq!(contents(&postgres).await, expected);

    // Again: nothing new is copied, everything is verified again.
    let (ok, stdout, stderr) = run(&source_url, &postgres_url);
    assert!(ok, "{stdout}\n{stderr}");
    for line in stdout.lines().filter(|line| line.contains("rows,")) {
        assert!(line.ends_with(", 0 copied"), "{stdout}");
    }
    assert!(stdout.contains("3 models' bytes verified"), "{stdout}");

    // A deleted id is not given again: the counter moved past the source's.
    let next = variant_model(TaskKind::GoNogo, Variant::W, 8, 99);
    let model_store::Registration::Created(record) =
        model_store::register(&postgres, &next.manifest, &next.bytes, None)
            .await
            .unwrap()
    else {
        panic!("new bytes are created")
    };
    assert_eq!(
        record.id,
        ids[2] + 2,
        "id {} was the deleted model's",
        ids[2] + 1
    );
    assert!(model_store::delete(&postgres, record.id).await.unwrap());

    // PostgreSQL → a new SQLite file, through the library.
    let back_url = format!("sqlite://{}", dir.path().join("back.db").display());
    let back = Store::open(&back_url).await.unwrap();
    let report = migrate::copy(&postgres, &back, |_| {}).await.unwrap();
    assert_eq!(report.verified_models, 3);
    assert_eq!(contents(&back).await, expected);
    let model_store::Registration::Created(record) =
        model_store::register(&back, &next.manifest, &next.bytes, None)
            .await
            .unwrap()
    else {
        panic!("new bytes are created")
    };
    assert_eq!(
        record.id,
        ids[2] + 3,
        "the ids PostgreSQL gave are not given again"
    );

    // A destination holding another model under a source id is refused, naming the id, and
    // keeps its own model.
    let other_url = format!("sqlite://{}", dir.path().join("other.db").display());
    let other = Store::open(&other_url).await.unwrap();
    let stranger = variant_model(TaskKind::GoNogo, Variant::W, 8, 1234);
    model_store::register(&other, &stranger.manifest, &stranger.bytes, None)
        .await
        .unwrap();
    let refused = migrate::copy(&postgres, &other, |_| {}).await.unwrap_err();
    assert!(
        matches!(&refused, StoreError::Refused(message) if message.contains(&format!("id {}", ids[0]))),
        "{refused}"
    );
    let kept = model_store::get(&other, ids[0]).await.unwrap().unwrap();
    assert_eq!(kept.sha256, sha256_hex(&stranger.bytes));
}

// ---------------------------------------------------------------------------------------------
// Two replicas on one database

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process on `database`, ready; killed when dropped.
struct Replica {
    child: Child,
    base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    fn start(database: &str) -> Replica {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                database,
                "--seed-demo",
                "false",
                "--inference-threads",
                "1",
                "--job-lease-seconds",
                "5",
            ])
            .env("ORT_DYLIB_PATH", ort_library())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let replica = Replica {
            child,
            base: format!("http://127.0.0.1:{port}/api/v1"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if replica.get("/readyz").0 == 200 {
                return replica;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the replica on port {port} did not become ready");
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn get(&self, path: &str) -> (u16, Value) {
        match agent().get(&format!("{}{path}", self.base)).call() {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let body = response.body_mut().read_to_vec().unwrap();
                (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut response = agent()
            .post(&format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .send(body.to_string().as_bytes())
            .unwrap();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    fn upload(&self, model: &TestModel) -> (u16, Value) {
        let (content_type, body) = multipart(&[
            ("model", &model.bytes),
            ("manifest", model.manifest_json().as_bytes()),
        ]);
        let mut response = agent()
            .post(&format!("{}/models", self.base))
            .header("content-type", &content_type)
            .send(&body[..])
            .unwrap();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }
}

#[test]
#[ignore = "needs PostgreSQL: set BLUEPRINT_TEST_POSTGRES (scripts/test-postgres.sh does)"]
fn two_replicas_share_one_database_and_a_killed_replicas_job_is_finished_by_the_other() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let database = runtime.block_on(fresh_postgres_database(&admin_url()));
    let a = Replica::start(&database);
    let b = Replica::start(&database);
    assert_eq!(a.get("/readyz").1["engine"], "postgres");
    assert_eq!(b.get("/readyz").1["schema_version"], 6);

    // Uploads to A, reads and evaluations from B.
    let mut ids = Vec::new();
    for (variant, seed) in (0..6).flat_map(|seed| [(Variant::WD, seed), (Variant::W, seed + 100)]) {
        let model = variant_model(TaskKind::GoNogo, variant, 24, seed);
        let (status, body) = a.upload(&model);
        assert_eq!(status, 201, "{body:#}");
        let id = body["id"].as_i64().unwrap();
        let (status, read) = b.get(&format!("/models/{id}"));
        assert_eq!(status, 200, "{read:#}");
        assert_eq!(read["sha256"], body["sha256"]);
        ids.push(id);
    }
    let evaluate = json!({"n_trials": 200, "seed": 5});
    let (status, on_b) = b.post_json(&format!("/models/{}/evaluate", ids[0]), &evaluate);
    assert_eq!(status, 200, "{on_b:#}");
    let (status, on_a) = a.post_json(&format!("/models/{}/evaluate", ids[0]), &evaluate);
    assert_eq!(status, 200, "{on_a:#}");
    assert!(on_b["accuracy"].is_f64(), "{on_b:#}");
    assert_eq!(on_a, on_b, "one cached answer for both");

    // The same new bytes to both replicas at once, twenty times: one model each time.
    for seed in 0..20 {
        let model = variant_model(TaskKind::GoNogo, Variant::WDC, 12, 1000 + seed);
        let (left, right) = std::thread::scope(|scope| {
            let left = scope.spawn(|| a.upload(&model));
            let right = scope.spawn(|| b.upload(&model));
            (left.join().unwrap(), right.join().unwrap())
        });
        let mut statuses = [left.0, right.0];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{left:?} {right:?}");
        assert_eq!(left.1["id"], right.1["id"]);
        let sha = sha256_hex(&model.bytes);
        let (_, page) = a.get(&format!(
            "/models?limit=500&name_prefix={}",
            model.manifest.name
        ));
        let stored: Vec<&Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["sha256"] == sha.as_str())
            .collect();
        assert_eq!(stored.len(), 1, "one model for seed {seed}");
    }

    // A comparison runs on one replica; that replica is killed; the other finishes it.
    let request = json!({
        "task": "go-nogo", "measures": ["accuracy", "modularity"], "n_trials": 2000,
        "seed": 77, "n_nulls": 200, "filter": {"model_ids": ids},
    });
    let (status, job) = a.post_json("/comparisons", &request);
    assert_eq!(status, 202, "{job:#}");
    let status_path = format!("/comparisons/{}", job["job_id"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let runner = loop {
        let (_, job) = a.get(&status_path);
        if job["status"] == "running" && job["progress"]["done"].as_u64() < Some(ids.len() as u64) {
            break job["replica"].as_str().unwrap().to_owned();
        }
        assert_ne!(
            job["status"], "done",
            "the job must still be running to be killed: {job:#}"
        );
        assert!(Instant::now() < deadline, "{job:#}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut victim, survivor) = if runner.ends_with(&format!(":{}", a.pid())) {
        (a, b)
    } else {
        assert!(runner.ends_with(&format!(":{}", b.pid())), "{runner}");
        (b, a)
    };
    victim.child.kill().unwrap(); // SIGKILL
    victim.child.wait().unwrap();
    drop(victim);
    let deadline = Instant::now() + Duration::from_secs(120);
    let finished = loop {
        let (status, job) = survivor.get(&status_path);
        assert_eq!(status, 200, "{job:#}");
        if job["status"] == "done" || job["status"] == "failed" {
            break job;
        }
        assert!(
            Instant::now() < deadline,
            "the survivor did not finish the job: {job:#}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(finished["status"], "done", "{finished:#}");
    // Taken over (a heartbeat late on a loaded machine could add a takeover, never remove one).
    assert!(finished["attempts"].as_u64() >= Some(2), "{finished:#}");
    assert_eq!(finished["result"]["n_models"], ids.len());
    // The same request again, all from the survivor's caches: the same numbers.
    let (status, again) = survivor.post_json("/comparisons", &request);
    assert_eq!(status, 202);
    let path = format!("/comparisons/{}", again["job_id"]);
    let again = loop {
        let (_, job) = survivor.get(&path);
        if job["status"] == "done" {
            break job;
        }
        assert_ne!(job["status"], "failed", "{job:#}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        again["result"]["by_measure"],
        finished["result"]["by_measure"]
    );
}

// ---------------------------------------------------------------------------------------------
// A database lost mid-flight

/// A TCP forwarder to `upstream` on `port` (0: any); aborting its task closes the listener
/// and every connection through it, as a lost network does.
async fn forwarder(port: u16, upstream: SocketAddr) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            connections.spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (port, task)
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set BLUEPRINT_TEST_POSTGRES (scripts/test-postgres.sh does)"]
async fn a_database_lost_mid_flight_is_a_503_with_retry_after_and_the_server_recovers() {
    let database = fresh_postgres_database(&admin_url()).await;
    let (server, name) = database.rsplit_once('/').unwrap();
    let address: SocketAddr = server
        .rsplit_once('@')
        .map_or(server, |(_, host)| host)
        .parse()
        .unwrap();
    let (port, link) = forwarder(0, address).await;
    let proxied = format!("postgres://postgres@127.0.0.1:{port}/{name}");
    let app = TestApp::with(|config| config.database_url = proxied.clone()).await;
    let id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 3)).await;
    assert_eq!(
        app.get(&format!("/api/v1/models/{id}")).await.status,
        StatusCode::OK
    );

    link.abort();
    let _ = link.await;
    for uri in [format!("/api/v1/models/{id}"), "/api/v1/readyz".to_owned()] {
        let reply = app.get(&uri).await;
        reply.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable");
        assert!(reply.headers.contains_key(header::RETRY_AFTER), "{uri}");
        let body = String::from_utf8_lossy(&reply.body).to_string();
        assert!(
            !body.contains("Connection refused") && !body.contains("pool"),
            "{body}"
        );
    }

    // The database is back on the same address: nothing was lost.
    let (_, link) = forwarder(port, address).await;
    let reply = app.get(&format!("/api/v1/models/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    assert_eq!(app.model_count().await, 1);
    link.abort();
}
