//! The persistent store: SQLite or PostgreSQL through sqlx. All SQL of the server lives in
//! this folder; handlers call these functions and never write SQL.
//!
//! - **One store, two engines.** `--database-url` picks the engine: `sqlite://…` (embedded, one
//!   machine; WAL journal, foreign keys on) or `postgres://…` (shared by several replicas).
//!   The store talks to both through sqlx's `Any` driver, so the API of this module names
//!   neither: [`Store`] holds an `AnyPool` and an [`Engine`]. Why `Any` rather than a trait
//!   with two implementations or an enum over two pools: every statement of the store is
//!   plain SQL that both engines read (`$1` placeholders, `RETURNING`, `ON CONFLICT`), so one
//!   text per statement is kept, and the few forms that differ (the clock, JSON paths, row
//!   locks) are fragments chosen by [`Engine`]. Two implementations would be two copies of
//!   every statement that drift apart. The schema keeps to the types `Any` carries (64-bit
//!   integers, floats, text, bytes; booleans as 0/1 integers), and rows are copied once into
//!   `Any`'s row type; `cargo bench --bench http` measures what that costs against SQLite.
//! - **Migrations**, per engine (`migrations/sqlite/`, `migrations/postgres/`, the same numbers
//!   with the same logical schema; a test compares the two catalogues), embedded at build time
//!   and run when the store opens. A database whose schema is newer than this build is refused.
//! - **Atomicity.** Functions take the [`Store`] so callers can compose them; a registration is
//!   one transaction, so a model is stored whole or not at all, even if the process dies
//!   mid-write.

pub mod comparisons;
pub mod migrate;
pub mod models;
pub mod results;

use std::time::Duration;

use sqlx::any::{AnyArguments, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Arguments, Encode, Executor, Type};

/// Migrations of each engine, embedded at build time.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long opening the store may take before it gives up (a database that does not answer).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request waits for a connection before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database cannot be reached now (connection lost, refused, pool exhausted): worth
    /// retrying later.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row that this build cannot read back (hand-edited, or written by a newer build), or
    /// bytes whose checksum changed between write and read-back.
    #[error("the store holds inconsistent data: {0}")]
    Corrupt(String),
    /// The URL names no engine this build speaks, or a schema this build cannot serve.
    #[error("{0}")]
    Refused(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        if is_unavailable(&error) {
            StoreError::Unavailable(error)
        } else {
            StoreError::Database(error)
        }
    }
}

/// Whether `error` says the database cannot be reached rather than that a statement failed.
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        // PostgreSQL's SQLSTATE class 08 (connection exception) and 57P01-57P03 (the server
        // shuts down, crashed or does not accept connections yet).
        sqlx::Error::Database(error) => error
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

/// The database engine behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine of `url`, or why there is none.
    pub fn of_url(url: &str) -> Result<Engine, StoreError> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Engine::Sqlite),
            "postgres" | "postgresql" => Ok(Engine::Postgres),
            _ => Err(StoreError::Refused(format!(
                "the database URL {} names no engine this server speaks: use sqlite://PATH or \
                 postgres://USER:PASSWORD@HOST:PORT/DATABASE",
                redact(url)
            ))),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The current time as stored in `created_at` columns: RFC 3339, UTC, milliseconds.
    pub(crate) fn now_text(self) -> &'static str {
        match self {
            Engine::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            Engine::Postgres => {
                "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
            }
        }
    }

    /// The database's clock in milliseconds since the Unix epoch (leases are timed by the
    /// database, so replicas never compare their own clocks).
    pub(crate) fn now_ms(self) -> &'static str {
        match self {
            Engine::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
            Engine::Postgres => "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)",
        }
    }

    /// The number at a JSON path of a text column, as a float (NULL when absent).
    pub(crate) fn json_number(self, column: &str, path: &[&str]) -> String {
        match self {
            Engine::Sqlite => format!("json_extract({column}, '$.{}')", path.join(".")),
            Engine::Postgres => format!(
                "CAST(CAST({column} AS json) #>> '{{{}}}' AS DOUBLE PRECISION)",
                path.join(",")
            ),
        }
    }

    /// What follows a `SELECT` that picks one row to claim: a row lock that other replicas
    /// skip (PostgreSQL); SQLite has one writer, so its `UPDATE … WHERE id = (SELECT …)` is
    /// atomic as it is.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// `url` with its password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// The connection pool over one database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
}

impl Store {
    /// Opens and migrates the database at `url`: `sqlite://PATH` (created when missing) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (which must exist). Gives up after
    /// [`CONNECT_TIMEOUT`] when the database does not answer, and refuses a database whose
    /// schema is newer than this build's.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let engine = Engine::of_url(url)?;
        sqlx::any::install_default_drivers();
        let url = match engine {
            // Created when missing (`mode=rwc`) unless the URL says otherwise.
            Engine::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // NORMAL is durable across process crashes in WAL mode; only an OS
                        // crash or power loss can drop the last commits (never corrupt the
                        // file). The busy timeout makes a writer wait for another's commit.
                        connection
                            .execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                    }
                    Ok(())
                })
            });
        let pool = tokio::time::timeout(CONNECT_TIMEOUT, options.connect(&url))
            .await
            .map_err(|_| {
                StoreError::Refused(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))
            })?
            .map_err(|error| StoreError::Refused(format!("could not connect: {error}")))?;
        let store = Store { pool, engine };
        store.check_schema_version().await?;
        engine.migrator().run(&store.pool).await?;
        Ok(store)
    }

    /// Refuses a database migrated by a newer build (a schema version this build lacks).
    async fn check_schema_version(&self) -> Result<(), StoreError> {
        let newest_known = self.engine.migrator().iter().map(|m| m.version).max();
        let applied = self.schema_version().await?;
        if let (Some(applied), Some(known)) = (applied, newest_known)
            && applied > known
        {
            return Err(StoreError::Refused(format!(
                "the database's schema is version {applied}, newer than this build's {known}: \
                 run a newer blueprint-server (it was migrated by one)"
            )));
        }
        Ok(())
    }

    /// The newest migration applied to the database (`None` before the first).
    pub async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let exists_sql = match self.engine {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let exists: i64 = sqlx::query_scalar(exists_sql).fetch_one(&self.pool).await?;
        if exists == 0 {
            return Ok(None);
        }
        Ok(
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool, for the functions of [`models`], [`results`] and [`comparisons`], and for
    /// tests that look at rows.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for open connections to finish and closes them (checkpointing SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A statement built piece by piece with `$N` placeholders, which both engines read (sqlx's
/// own query builder writes `?` under `Any`, which PostgreSQL does not). Values are owned.
pub(crate) struct Sql {
    text: String,
    arguments: AnyArguments<'static>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            arguments: AnyArguments::default(),
        }
    }

    /// Appends SQL text (literals only, never user input).
    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(crate) fn bind<T>(&mut self, value: T) -> &mut Sql
    where
        T: 'static + Encode<'static, Any> + Type<Any>,
    {
        self.arguments
            .add(value)
            .expect("Any encodes the store's plain types");
        self.text.push_str(&format!("${}", self.arguments.len()));
        self
    }

    /// The text and its arguments, for `sqlx::query_with(&text, arguments)`.
    pub(crate) fn split(self) -> (String, AnyArguments<'static>) {
        (self.text, self.arguments)
    }
}
