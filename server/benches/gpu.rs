//! Evaluation throughput on ONNX Runtime's CUDA provider against its CPU provider, side by side
//! in one run: trials/s for networks of N = 70, 312 and 2,000 units at 2,560 and 102,400
//! perceptual-dm trials, with the first call (session creation and the first batch) apart from
//! the steady state (the median of 3 whole evaluations on the warm session).
//!
//! Both sides use the CUDA build of ONNX Runtime (`BLUEPRINT_GPU_ORT`, or where
//! `ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh` puts it); the CPU side builds its
//! sessions without the CUDA provider. Batches are the server's defaults: 256 trials per call on
//! the CPU, 4,096 on CUDA. Without a GPU the CUDA column says it was not measured.
//! `BLUEPRINT_GPU_BENCH_QUICK=1` runs only the 2,560-trial rows (a check of the harness).
//!
//! Run: `scripts/gpu-check.sh` (or `cargo bench -p blueprint-server --bench gpu`).

use std::time::Instant;

#[path = "common.rs"]
mod common;

use blueprint_core::manifest::ModelManifest;
use blueprint_core::task::{Task, TaskKind};
use blueprint_server::config::{ExecutionProvider, InferenceConfig};
use blueprint_server::inference::Inference;
use blueprint_server::inference::evaluation::{EvaluationPlan, evaluate};
use ort::session::Session;

const SIZES: [usize; 3] = [70, 312, 2000];
const TRIALS: [usize; 2] = [2_560, 102_400];

/// Seconds of the first evaluation (session creation included) and the median of 3 more.
fn measure(
    build: &dyn Fn() -> Session,
    manifest: &ModelManifest,
    trials: usize,
    batch: usize,
) -> (f64, f64) {
    let plan = |seed| EvaluationPlan {
        task: Task::default_for(TaskKind::PerceptualDm),
        n_trials: trials,
        seed,
        input_noise: 0.0,
        per_trial: false,
        decision_time: false,
    };
    let start = Instant::now();
    let mut session = build();
    evaluate(&mut session, &manifest.onnx, &plan(1), None, batch, &|| {
        false
    })
    .unwrap();
    let first = start.elapsed().as_secs_f64();
    let mut steady: Vec<f64> = (2..5)
        .map(|seed| {
            let start = Instant::now();
            evaluate(
                &mut session,
                &manifest.onnx,
                &plan(seed),
                None,
                batch,
                &|| false,
            )
            .unwrap();
            start.elapsed().as_secs_f64()
        })
        .collect();
    steady.sort_by(f64::total_cmp);
    (first, steady[1])
}

fn main() {
    let Some(library) = common::gpu_library() else {
        println!(
            "The CUDA build of ONNX Runtime is not provisioned (ORT_PACKAGE=onnxruntime-gpu \
             scripts/provision-ort.sh): nothing measured"
        );
        return;
    };
    let inference = Inference::start(
        Some(&library),
        &InferenceConfig {
            execution_provider: ExecutionProvider::Cuda,
            ..InferenceConfig::default()
        },
    )
    .unwrap();
    let quick = std::env::var_os("BLUEPRINT_GPU_BENCH_QUICK").is_some();
    let device = inference.device().map_or_else(
        || "no GPU".to_owned(),
        |d| format!("{} ({} MiB)", d.name, d.memory_mib),
    );
    println!("Evaluation throughput, perceptual-dm, CUDA against CPU on {device}:");
    println!(
        "| N | trials | CPU first call s | CPU steady trials/s | CUDA first call s | CUDA steady trials/s | CUDA / CPU |"
    );
    println!("|---|---|---|---|---|---|---|");
    for n in SIZES {
        let (bytes, manifest) = common::bench_model(n, TaskKind::PerceptualDm, n as u64);
        for trials in TRIALS {
            if quick && trials > TRIALS[0] {
                continue;
            }
            let cpu = measure(
                &|| inference.build_cpu_session(&bytes).unwrap(),
                &manifest,
                trials,
                256,
            );
            let cuda = inference.uses_cuda().then(|| {
                measure(
                    &|| inference.build_session(&bytes).unwrap(),
                    &manifest,
                    trials,
                    4096,
                )
            });
            let cuda_used = inference.uses_cuda();
            let rate = |seconds: f64| trials as f64 / seconds;
            match cuda.filter(|_| cuda_used) {
                Some((first, steady)) => println!(
                    "| {n} | {trials} | {:.3} | {:.0} | {first:.3} | {:.0} | {:.1}× |",
                    cpu.0,
                    rate(cpu.1),
                    rate(steady),
                    cpu.1 / steady
                ),
                None => println!(
                    "| {n} | {trials} | {:.3} | {:.0} | not measured | not measured | — |",
                    cpu.0,
                    rate(cpu.1)
                ),
            }
        }
    }
    if let Some(reason) = inference.fallback_reason() {
        println!("CUDA not measured: {reason}");
    }
}
