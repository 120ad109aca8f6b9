//! `blueprint-server`: the HTTP server of Blueprint, as a library that `main.rs` and the tests
//! call.
//!
//! - [`config`]: the command line and environment.
//! - [`routes`]: the API (one module per resource), the OpenAPI spec and the docs.
//! - [`store`]: the SQLite store; all SQL lives there.
//! - [`inference`]: ONNX Runtime sessions, the bounded inference pool, evaluation.
//! - [`comparison`]: comparisons of groups of models, run as jobs; their statistics and tables.
//! - [`validation`]: what makes an upload a storable model.
//! - [`demo`]: seeding an empty store with the demo models.
//! - [`error`], [`auth`], [`state`]: the error body, the write guard, the shared state.

pub mod auth;
pub mod comparison;
pub mod config;
pub mod demo;
pub mod error;
pub mod inference;
pub mod routes;
pub mod state;
pub mod store;
pub mod validation;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::comparison::ComparisonJobs;
use crate::config::ServeConfig;
use crate::inference::Inference;
use crate::state::{ApiLimits, AppState};
use crate::store::Store;

pub use crate::demo::seed_demo_store;
pub use crate::routes::{app, openapi};

/// Opens the store and starts ONNX Runtime: everything `serve` needs, checked before the
/// server listens so a misconfiguration fails at once with one line. Comparison jobs that a
/// stopped process left unfinished are marked failed here (one process per database).
pub async fn start(config: &ServeConfig) -> anyhow::Result<AppState> {
    let inference = Inference::start(config.ort_lib.as_deref(), &config.inference)?;
    let store = Store::open(&config.database_url)
        .await
        .with_context(|| format!("could not open the database {}", config.database_url))?;
    let state = AppState {
        store,
        inference: Arc::new(inference),
        comparisons: Arc::new(ComparisonJobs::default()),
        limits: Arc::new(ApiLimits {
            token: config.token.clone().filter(|token| !token.is_empty()),
            max_upload_bytes: config.max_upload_bytes,
            max_eval_trials: config.max_eval_trials,
        }),
    };
    comparison::fail_interrupted(&state)
        .await
        .context("could not mark interrupted comparison jobs as failed")?;
    Ok(state)
}

/// Serves the application on `listener` until `shutdown` resolves, then lets in-flight
/// requests finish and closes the store (checkpointing its write-ahead log).
pub async fn serve<F>(listener: TcpListener, state: AppState, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let store = state.store.clone();
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    store.close().await;
    Ok(())
}

/// `blueprint-server serve`: start, seed the demo models into an empty store if asked, bind,
/// serve until SIGTERM or Ctrl-C.
pub async fn run(config: ServeConfig) -> anyhow::Result<()> {
    let state = start(&config).await?;
    if config.seed_demo {
        seed_demo_store(&state, &config.demo_dir).await?;
    }
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("could not listen on {}", config.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(
        http.address = %address,
        docs = format!("http://{address}{}/", routes::DOCS_PATH),
        "listening"
    );
    serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
