//! One training update in the study's configuration (N = 312 on field 6_6_2, batch 128, the
//! maze task's 50 steps), for `W`, `WD*` and `W*D*C`, measured side by side in one run against:
//! (a) the floor, the update's FLOP count at the best single-precision matrix-multiply rate
//!     measured on this machine in the same run (ours and, where present, PyTorch's);
//! (b) the same update in PyTorch on CPU (`bench/torch_update.py`), when `BLUEPRINT_TORCH_PYTHON`
//!     names a Python with torch (`make bench` installs one from PyPI).
//! It then trains two full networks at once to report networks per hour on two cores.
//!
//! Run: `make bench` (or `cargo bench -p blueprint-trainer --bench update`).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use blueprint_core::manifest::TrainingProtocol;
use blueprint_core::network::Variant;
use blueprint_core::network::distance::{GridLattice, RealDistanceMode};
use blueprint_core::network::init::BioInitConfig;
use blueprint_core::task::{TaskConfig, TaskKind};
use blueprint_trainer::config::{DataSource, TrainConfig};
use blueprint_trainer::engine::update_flops;
use blueprint_trainer::setup::prepare;
use blueprint_trainer::train::{Progress, Trainer, train_and_save};

const THREADS_NOTE: &str = "Blueprint: BPTT on one core, the communicability penalty (W*D*C) \
     concurrently on the second; PyTorch: 2 intra-op threads";

fn bundle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/microns/minnie65_cortical_blueprint")
}

fn config(variant: Variant, seed: u64, out: PathBuf) -> TrainConfig {
    TrainConfig {
        name: out.file_name().unwrap().to_string_lossy().into_owned(),
        data: DataSource::Bundle {
            path: bundle(),
            field: "6_6_2".into(),
        },
        task: TaskConfig::default_for(TaskKind::OneChoiceInference),
        variant,
        positive: false,
        seed,
        alpha: 1.0,
        protocol: TrainingProtocol::default(),
        distance_mode: RealDistanceMode::Isotropic,
        distance_control: Default::default(),
        grid_lattice: GridLattice::Study,
        bio_init: BioInitConfig::default(),
        out,
    }
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// The best f32 GEMM rate of ndarray's backend on the update's shapes and a square one.
fn best_sgemm_flops() -> f64 {
    let shapes = [
        (128, 312, 312),
        (6400, 312, 312),
        (312, 6400, 312),
        (1024, 1024, 1024),
    ];
    let mut best: f64 = 0.0;
    for (m, k, n) in shapes {
        let a = Array2::<f32>::from_elem((m, k), 0.5);
        let b = Array2::<f32>::from_elem((k, n), 0.25);
        let _ = a.dot(&b);
        let (mut reps, start) = (0usize, Instant::now());
        while start.elapsed().as_secs_f64() < 0.3 {
            std::hint::black_box(a.dot(&b));
            reps += 1;
        }
        best = best.max(2.0 * (m * k * n) as f64 * reps as f64 / start.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    let variants = [Variant::W, Variant::WDReal, Variant::BioDRealC];
    let (batch, steps, n_in, n, n_out) = (128, 50, 8, 312, 4);
    let flops = update_flops(batch, steps, n_in, n, n_out);
    let scratch = tempfile::tempdir().expect("a temporary folder");

    let mut ours = Vec::new();
    for variant in variants {
        let prepared = prepare(&config(variant, 1, scratch.path().join(variant.label())))
            .expect("6_6_2 loads");
        let trials = prepared.task.generate(batch, 1);
        let mut inputs = trials.inputs.clone();
        let noise = Normal::new(0.0f32, 0.05).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        inputs.mapv_inplace(|v| v + noise.sample(&mut rng));
        let mut trainer = Trainer::new(
            prepared.weights.cast(),
            prepared.regulariser,
            &TrainingProtocol::default(),
            false,
        );
        for _ in 0..3 {
            trainer.step(inputs.view(), &trials.labels).unwrap();
        }
        let samples: Vec<f64> = (0..15)
            .map(|_| {
                let start = Instant::now();
                trainer.step(inputs.view(), &trials.labels).unwrap();
                start.elapsed().as_secs_f64()
            })
            .collect();
        ours.push((variant, median(samples)));
    }

    let ours_best = best_sgemm_flops();
    let torch = std::env::var("BLUEPRINT_TORCH_PYTHON")
        .ok()
        .and_then(|python| {
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bench/torch_update.py");
            let args = serde_json::json!({
                "hidden": n, "batch": batch, "steps": steps, "n_in": n_in, "n_out": n_out,
                "threads": 2, "warmup": 3, "repeats": 15,
                "variants": variants.iter().map(|v| v.label()).collect::<Vec<_>>(),
            });
            let output = Command::new(&python)
                .arg(&script)
                .arg(args.to_string())
                .output()
                .ok()?;
            if !output.status.success() {
                eprintln!(
                    "torch benchmark failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                return None;
            }
            serde_json::from_slice::<serde_json::Value>(&output.stdout).ok()
        });
    let torch_best = torch
        .as_ref()
        .and_then(|t| t["best_sgemm_flops"].as_f64())
        .unwrap_or(0.0);
    let best = ours_best.max(torch_best);
    let floor = flops / best;

    println!(
        "One training update: N = {n}, batch {batch}, {steps} steps (maze), {:.2} GFLOP; {THREADS_NOTE}",
        flops / 1e9
    );
    println!(
        "Best single-precision GEMM measured: ndarray {:.1} GFLOP/s{}; floor = {:.1} ms",
        ours_best / 1e9,
        if torch_best > 0.0 {
            format!(", PyTorch {:.1} GFLOP/s", torch_best / 1e9)
        } else {
            String::new()
        },
        floor * 1e3
    );
    println!();
    println!("| variant | Blueprint (ms) | floor ratio | PyTorch CPU (ms) | PyTorch / Blueprint |");
    println!("|---|---|---|---|---|");
    for (variant, seconds) in &ours {
        let torch_seconds = torch
            .as_ref()
            .and_then(|t| t["median_seconds"][variant.label()].as_f64());
        let (torch_ms, speedup) = match torch_seconds {
            Some(t) => (format!("{:.1}", t * 1e3), format!("{:.2}×", t / seconds)),
            None => (
                "not run (set BLUEPRINT_TORCH_PYTHON or use make bench)".into(),
                "–".into(),
            ),
        };
        println!(
            "| {} | {:.1} | {:.2}× | {torch_ms} | {speedup} |",
            variant.label(),
            seconds * 1e3,
            seconds / floor
        );
    }

    // Whole runs: the study's protocol, two networks at once (one per core).
    let start = Instant::now();
    std::thread::scope(|scope| {
        for seed in [1, 2] {
            let out = scratch.path().join(format!("run-{seed}"));
            scope.spawn(move || {
                train_and_save(&config(Variant::BioDRealC, seed, out), Progress::Quiet)
                    .expect("a full run trains")
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    println!();
    println!(
        "Whole runs (W*D*C, maze, 6_6_2, 10 epochs × 40 updates + validation), 2 at once on 2 cores: \
         {seconds:.1} s → {:.0} networks per hour",
        2.0 * 3600.0 / seconds
    );
}
