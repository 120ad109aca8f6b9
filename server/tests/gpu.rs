//! CUDA parity: the logits ONNX Runtime's CUDA provider computes equal the CPU provider's
//! within 1e-4, on every demo model and on a 312-unit model. Runs only where a GPU and the CUDA
//! build of ONNX Runtime are present (`scripts/gpu-check.sh` provides both); elsewhere it says,
//! loudly, that it did not run. Its own test binary, without libtest's harness so that the
//! skip notice is printed even in a passing run (libtest would capture it); ONNX Runtime is
//! loaded once per process, and this one loads the CUDA build.

#[path = "../benches/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use blueprint_core::task::{Task, TaskKind};
use blueprint_server::config::{ExecutionProvider, InferenceConfig};
use blueprint_server::inference::Inference;
use blueprint_server::inference::evaluation::run_logits;
use blueprint_server::service::validation;

/// Largest |CUDA − CPU| logit allowed.
const TOLERANCE: f32 = 1e-4;

fn gpu_present() -> bool {
    std::process::Command::new("nvidia-smi")
        .arg("-L")
        .output()
        .is_ok_and(|output| output.status.success() && !output.stdout.is_empty())
}

fn demo_models() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "onnx") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/models"),
        &mut found,
    );
    found.sort();
    found
}

fn main() {
    cuda_logits_equal_cpu_logits_on_the_demo_models_and_a_312_unit_model();
}

fn cuda_logits_equal_cpu_logits_on_the_demo_models_and_a_312_unit_model() {
    let (Some(library), true) = (common::gpu_library(), gpu_present()) else {
        println!(
            "\n*** SKIPPED: the CUDA parity test did NOT run: {} ***\n*** run \
             scripts/gpu-check.sh on a machine with an NVIDIA GPU ***\n",
            if gpu_present() {
                "the CUDA build of ONNX Runtime is not provisioned"
            } else {
                "no NVIDIA GPU here (nvidia-smi -L lists none)"
            }
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
    assert!(
        inference.uses_cuda(),
        "a GPU is present but CUDA is not in use: {:?}",
        inference.fallback_reason()
    );
    let mut models: Vec<(String, Vec<u8>, blueprint_core::manifest::ModelManifest)> = demo_models()
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let manifest = validation::embedded_manifest(&bytes).unwrap();
            (path.display().to_string(), bytes, manifest)
        })
        .collect();
    let (bytes, manifest) = common::bench_model(312, TaskKind::PerceptualDm, 7);
    models.push(("312-unit perceptual-dm".into(), bytes, manifest));
    assert!(models.len() > 1, "the demo models are missing");
    let mut worst = 0.0f32;
    for (name, bytes, manifest) in &models {
        let task = Task::new(manifest.task_config.clone()).unwrap();
        let trials = task.generate(512, 99);
        let mut cpu = inference.build_cpu_session(bytes).unwrap();
        let mut cuda = inference.build_session(bytes).unwrap();
        assert!(
            inference.uses_cuda(),
            "{name}: the CUDA session fell back to the CPU: {:?}",
            inference.fallback_reason()
        );
        let on_cpu = run_logits(
            &mut cpu,
            &manifest.onnx,
            trials.inputs.view(),
            manifest.n_outputs,
            512,
        )
        .unwrap();
        let on_cuda = run_logits(
            &mut cuda,
            &manifest.onnx,
            trials.inputs.view(),
            manifest.n_outputs,
            512,
        )
        .unwrap();
        let difference = on_cpu
            .iter()
            .zip(&on_cuda)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            difference <= TOLERANCE,
            "{name}: CUDA and CPU logits differ by {difference:e}"
        );
        worst = worst.max(difference);
    }
    println!(
        "CUDA parity: {} models, largest |CUDA − CPU| logit difference {worst:.3e} (≤ {TOLERANCE:e})",
        models.len()
    );
}
