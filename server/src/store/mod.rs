//! The persistent store: SQLite through sqlx. All SQL of the server lives in this folder;
//! handlers call these functions and never write SQL.
//!
//! The database runs in WAL journal mode (readers never block the writer) with foreign keys
//! on, and is created and migrated (`migrations/`, embedded at build time) when it opens.
//! Functions take a pool (`&SqlitePool`) so callers can compose them; a registration is one
//! transaction, so a model is stored whole or not at all, even if the process dies mid-write.

pub mod comparisons;
pub mod models;
pub mod results;

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row that this build cannot read back (hand-edited, or written by a newer build), or
    /// bytes whose checksum changed between write and read-back.
    #[error("the store holds inconsistent data: {0}")]
    Corrupt(String),
}

/// The connection pool over one SQLite database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `url`, e.g.
    /// `sqlite://blueprint.db` or `sqlite:///var/lib/blueprint/blueprint.db`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable across process crashes in WAL mode; only an OS crash or power
            // loss can drop the last commits (never corrupt the file).
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// The pool, for the functions of [`models`], [`evaluations`], [`metrics`] and
    /// [`comparisons`].
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Whether the database answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for open connections to finish and closes them (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
