//! `blueprint-server`: the HTTP server of Blueprint, as a library that `main.rs` and the tests
//! call.
//!
//! - [`config`]: the command line and environment.
//! - [`routes`]: the API (one module per resource), the OpenAPI spec and the docs.
//! - [`routes`]: the API (one module per resource): parse, authorise, call the service,
//!   serialise; the OpenAPI spec and the docs.
//! - [`service`]: the domain: registration (with every upload check), evaluation, metrics,
//!   comparisons and jobs, each bounded in time and work.
//! - [`store`]: the store on SQLite or PostgreSQL; all SQL lives there.
//! - [`inference`]: ONNX Runtime sessions, the bounded inference pool, batched evaluation.
//! - [`demo`]: seeding an empty store with the demo models.
//! - [`error`], [`auth`], [`state`]: the error body, access control, the shared state.

pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod inference;
pub mod routes;
pub mod service;
pub mod state;
pub mod store;
pub mod ui;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use std::time::Duration;

use crate::config::ServeConfig;
use crate::inference::Inference;
use crate::service::comparison::{self, ComparisonJobs};
use crate::service::metrics::MetricsLane;
use crate::state::{ApiLimits, AppState, Identity, InFlight};
use crate::store::Store;

pub use crate::demo::seed_demo_store;
pub use crate::routes::{app, openapi};

/// Opens the store and starts ONNX Runtime: everything `serve` needs, checked before the
/// server listens so a misconfiguration fails at once with one line. Nothing in the database
/// is changed because a process started: other replicas may be running its jobs.
pub async fn start(config: &ServeConfig) -> anyhow::Result<AppState> {
    let inference = Inference::start(config.ort_lib.as_deref(), &config.inference)?;
    let store = Store::open(&config.database_url).await.with_context(|| {
        format!(
            "could not open the database {}",
            store::redact(&config.database_url)
        )
    })?;
    let state = AppState {
        store,
        inference: Arc::new(inference),
        comparisons: Arc::new(ComparisonJobs::new(Duration::from_secs(
            config.job_lease_seconds,
        ))),
        flights: Arc::new(InFlight::default()),
        metrics_lane: Arc::new(MetricsLane::new(config.inference.inference_concurrency)),
        limits: Arc::new(ApiLimits {
            token: config.token.clone().filter(|token| !token.is_empty()),
            read_token: config.read_token.clone().filter(|token| !token.is_empty()),
            max_upload_bytes: config.max_upload_bytes,
            max_eval_trials: config.max_eval_trials,
            request_timeout: (config.request_timeout > 0)
                .then(|| Duration::from_secs(config.request_timeout)),
            max_metrics_work: config.max_metrics_work,
        }),
        identity: Arc::new(Identity::default()),
    };
    Ok(state)
}

/// Serves the application on `listener` until `shutdown` resolves, with this replica's
/// comparison worker, then lets in-flight requests finish and closes the store
/// (checkpointing SQLite's write-ahead log).
pub async fn serve<F>(listener: TcpListener, state: AppState, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let store = state.store.clone();
    let worker = comparison::start_jobs(&state);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    drop(worker);
    store.close().await;
    Ok(())
}

/// `blueprint-server serve`: start, seed the demo models into an empty store if asked, bind,
/// serve until SIGTERM or Ctrl-C.
pub async fn run(config: ServeConfig) -> anyhow::Result<()> {
    check_exposure(&config)?;
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

/// Refuses to serve a non-loopback address without a token, unless `--allow-anonymous`:
/// anyone who reaches such a port could upload, delete and compute.
pub fn check_exposure(config: &ServeConfig) -> anyhow::Result<()> {
    let has_token = config.token.as_ref().is_some_and(|token| !token.is_empty());
    if !config.bind.ip().is_loopback() && !has_token && !config.allow_anonymous {
        anyhow::bail!(
            "refusing to listen on {} without a token: set --token (BLUEPRINT_TOKEN), or pass \
             --allow-anonymous (BLUEPRINT_ALLOW_ANONYMOUS=true) to let anyone who reaches it \
             upload, delete and compute",
            config.bind
        );
    }
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::check_exposure;
    use crate::config::{Cli, Command};

    fn serve(args: &[&str]) -> crate::config::ServeConfig {
        let mut argv = vec!["blueprint-server", "serve"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Serve(config) => *config,
            _ => unreachable!("serve was parsed"),
        }
    }

    #[test]
    fn a_non_loopback_address_needs_a_token_or_allow_anonymous() {
        let refused = check_exposure(&serve(&["--bind", "0.0.0.0:8080"])).unwrap_err();
        assert!(
            refused.to_string().contains("--allow-anonymous"),
            "{refused}"
        );
        assert!(check_exposure(&serve(&["--bind", "0.0.0.0:8080", "--token", ""])).is_err());
        check_exposure(&serve(&["--bind", "0.0.0.0:8080", "--token", "t"])).unwrap();
        check_exposure(&serve(&["--bind", "0.0.0.0:8080", "--allow-anonymous"])).unwrap();
        check_exposure(&serve(&["--bind", "127.0.0.1:8080"])).unwrap();
        check_exposure(&serve(&["--bind", "[::1]:8080"])).unwrap();
    }
}
