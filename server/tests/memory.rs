//! The evaluation memory bound, measured: the largest model the manifest limits allow (2,048
//! units, 10,000-step trials) evaluated on the most trials the server allows. Trials are
//! generated and run one memory budget at a time, so the process's peak resident memory grows
//! by about one batch (`--inference-memory-bytes`, here 256 MiB) plus the session, not by
//! `n_trials × steps × units` (10,240 × 10,000 × 2,048 floats would be 839 GB). The request
//! stops at its deadline. Its own test binary, so the peak belongs to this test alone.

#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use blueprint_core::manifest::MAX_HIDDEN_SIZE;
use blueprint_core::task::{GoNogoConfig, MAX_TRIAL_STEPS, TaskConfig, TaskKind};

use support::{TestApp, TestModel, manifest};

/// `VmHWM` or `VmRSS` of this process, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|value| value.parse().ok())
        .unwrap();
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_largest_model_on_the_most_trials_stays_within_one_batch_of_memory() {
    let app = TestApp::with(|config| {
        config.max_upload_bytes = 64 * 1024 * 1024;
        config.max_eval_trials = 10_240;
        config.request_timeout = 12;
    })
    .await;
    let mut largest = manifest(TaskKind::GoNogo, MAX_HIDDEN_SIZE, 1);
    let others = GoNogoConfig::default().n_steps() - GoNogoConfig::default().delay_steps;
    largest.task_config = TaskConfig::GoNogo(GoNogoConfig {
        delay_steps: MAX_TRIAL_STEPS - others,
        ..GoNogoConfig::default()
    });
    let model = TestModel::build(largest, 1.0);
    let id = app.register(&model).await;
    drop(model);

    let before = status_bytes("VmRSS:");
    let started = Instant::now();
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 10240, "seed": 3}"#,
        )
        .await;
    let elapsed = started.elapsed();
    let peak = status_bytes("VmHWM:");
    reply.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "deadline_exceeded");
    assert!(elapsed < Duration::from_secs(40), "stopped at {elapsed:?}");
    let growth = peak.saturating_sub(before);
    eprintln!(
        "largest model, 10,240 trials: peak RSS {} MiB, {} MiB over the {} MiB before; stopped after {elapsed:.1?}",
        peak >> 20,
        growth >> 20,
        before >> 20
    );
    // One batch is at most 256 MiB of trials and hidden states; allow the session's arena
    // and ONNX Runtime's per-step buffers on top, far below any unbatched run.
    assert!(growth < 768 << 20, "peak grew by {} MiB", growth >> 20);
}
