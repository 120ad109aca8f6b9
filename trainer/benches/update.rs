//! One training update in the study's configuration (N = 312 on field 6_6_2, batch 128, the
//! maze task's 50 steps), for `W`, `WD*` and `W*D*C`, measured side by side in one run against:
//! (a) the floor, the update's FLOP count at the best single-precision matrix-multiply rate
//!     measured on this machine in the same run (ours and, where present, PyTorch's);
//! (b) the same update in PyTorch on CPU (`bench/torch_update.py`), when `BLUEPRINT_TORCH_PYTHON`
//!     names a Python with torch (`make bench` installs one from PyPI).
//! Blueprint is timed on one core and on two (a rayon pool of each size): the two halves of the
//! batch and, for the communicability variants, the penalty run as tasks of the pool. The floor
//! of each is the FLOP count at the best GEMM rate measured on as many cores.
//! It then trains one whole network on one core and on two (the ≥ 1.7× target for a single
//! `train`), and two whole networks at once, to report networks per hour on two cores.
//!
//! Run: `make bench` (or `cargo bench -p blueprint-trainer --bench update`).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

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

mod common;
use common::best_gemm;

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

/// The best f32 GEMM rate on the update's shapes and a square one, on `threads` cores.
fn best_sgemm_flops(threads: usize) -> f64 {
    best_gemm::<f32>(
        threads,
        &[
            (128, 312, 312),
            (6400, 312, 312),
            (312, 6400, 312),
            (1024, 1024, 1024),
        ],
    )
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

/// Median seconds of one update of `variant`, on a pool of `threads`.
fn update_seconds(variant: Variant, threads: usize, scratch: &std::path::Path) -> f64 {
    let (_, batch, _, _, _) = SHAPE;
    let prepared =
        prepare(&config(variant, 1, scratch.join(variant.label()))).expect("6_6_2 loads");
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
    pool(threads).install(|| {
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
        median(samples)
    })
}

/// N, batch, steps (the maze), inputs, outputs.
const SHAPE: (usize, usize, usize, usize, usize) = (312, 128, 50, 8, 4);

fn main() {
    let variants = [Variant::W, Variant::WDReal, Variant::BioDRealC];
    let (n, batch, steps, n_in, n_out) = SHAPE;
    let flops = update_flops(batch, steps, n_in, n, n_out);
    let scratch = tempfile::tempdir().expect("a temporary folder");

    let ours: Vec<(Variant, f64, f64)> = variants
        .iter()
        .map(|&variant| {
            let one = update_seconds(variant, 1, scratch.path());
            let two = update_seconds(variant, 2, scratch.path());
            (variant, one, two)
        })
        .collect();

    let ours_best_one = best_sgemm_flops(1);
    let ours_best_two = best_sgemm_flops(2);
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
    let floor_one = flops / ours_best_one;
    let floor_two = flops / ours_best_two.max(torch_best);

    println!(
        "One training update: N = {n}, batch {batch}, {steps} steps (maze), {:.2} GFLOP",
        flops / 1e9
    );
    println!(
        "Best single-precision GEMM measured: ndarray {:.1} GFLOP/s on one core, {:.1} GFLOP/s on \
         two{}; floor = {:.1} ms on one core, {:.1} ms on two",
        ours_best_one / 1e9,
        ours_best_two / 1e9,
        if torch_best > 0.0 {
            format!(", PyTorch (2 threads) {:.1} GFLOP/s", torch_best / 1e9)
        } else {
            String::new()
        },
        floor_one * 1e3,
        floor_two * 1e3
    );
    println!();
    println!(
        "| variant | Blueprint, 1 core (ms) | floor ratio | Blueprint, 2 cores (ms) | floor ratio \
         | PyTorch CPU, 2 threads (ms) | PyTorch / Blueprint (2 cores) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (variant, one, two) in &ours {
        let torch_seconds = torch
            .as_ref()
            .and_then(|t| t["median_seconds"][variant.label()].as_f64());
        let (torch_ms, speedup) = match torch_seconds {
            Some(t) => (format!("{:.1}", t * 1e3), format!("{:.2}×", t / two)),
            None => (
                "not run (set BLUEPRINT_TORCH_PYTHON or use make bench)".into(),
                "–".into(),
            ),
        };
        println!(
            "| {} | {:.1} | {:.2}× | {:.1} | {:.2}× | {torch_ms} | {speedup} |",
            variant.label(),
            one * 1e3,
            one / floor_one,
            two * 1e3,
            two / floor_two
        );
    }

    // One whole network, alone, on one core and on two: the single-`train` target.
    let whole = |threads: usize, name: &str| {
        let out = scratch.path().join(name);
        let start = Instant::now();
        let run = pool(threads).install(|| {
            train_and_save(&config(Variant::BioDRealC, 1, out), Progress::Quiet)
                .expect("a full run trains")
        });
        (start.elapsed().as_secs_f64(), run.weights)
    };
    // Alternated, 1, 2, 1, 2, so a drift in the machine's speed weighs on both sides.
    let mut seconds = [Vec::new(), Vec::new()];
    let mut weights = Vec::new();
    for round in 0..2 {
        for threads in [1, 2] {
            let (time, run_weights) = whole(threads, &format!("alone-{threads}-{round}"));
            seconds[threads - 1].push(time);
            weights.push(run_weights);
        }
    }
    let same = weights.iter().all(|w| *w == weights[0]);
    let (one, two) = (&seconds[0], &seconds[1]);
    println!();
    println!(
        "One whole run alone (W*D*C, maze, 6_6_2, 10 epochs × 40 updates + validation), \
         alternated: {:.1} s and {:.1} s on one core, {:.1} s and {:.1} s on two → {:.2}× and \
         {:.2}×, {:.2}× on the sums (target ≥ 1.7×); the four networks' weights are {}",
        one[0],
        one[1],
        two[0],
        two[1],
        one[0] / two[0],
        one[1] / two[1],
        one.iter().sum::<f64>() / two.iter().sum::<f64>(),
        if same {
            "bit-identical"
        } else {
            "DIFFERENT (a defect: the thread count must not change a run)"
        }
    );

    // Whole runs: the study's protocol, two networks at once on the two cores.
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
