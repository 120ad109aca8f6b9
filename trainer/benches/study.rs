//! The study's wall time against its floor, measured side by side in one run.
//!
//! Plans one seed of `paper-main` in corrected mode (11 variants × 3 tasks on 6_6_2, the
//! study's protocol unchanged), runs it with `blueprint-trainer study run --jobs 2` as a user
//! would, and sets the wall time against the floor: the FLOPs the cells recorded (single
//! precision: BPTT and validation; double: the penalty's matrix exponentials) at the best
//! matrix-product rates measured on both cores in the same run. It then scales the measured
//! time per cell to the whole of `paper-main` in both modes (1,320 cells). Target: ≤ 1.5×.
//!
//! Run: `make bench` (or `cargo bench -p blueprint-trainer --bench study`); about 10 minutes
//! on the 2-core machine. Stop other work first: the floor assumes both cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use blueprint_trainer::study::{self, Done};

mod common;
use common::best_gemm;

const TRAINER: &str = env!("CARGO_BIN_EXE_blueprint-trainer");

fn bundle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/microns/minnie65_cortical_blueprint")
}

fn trainer(args: &[&str]) {
    let status = Command::new(TRAINER)
        .args(args)
        .status()
        .expect("the trainer runs");
    assert!(status.success(), "blueprint-trainer {args:?} failed");
}

/// Every planned cell's `done.json`.
fn done_cells(study: &Path) -> Vec<Done> {
    study::load(study)
        .expect("the plan reads back")
        .cells
        .iter()
        .map(|cell| {
            let text = std::fs::read_to_string(cell.config.out.join("done.json"))
                .expect("every cell finished");
            serde_json::from_str(&text).expect("a done marker")
        })
        .collect()
}

fn main() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let study = scratch.path().join("paper-main-seed-1");
    let (study_arg, bundle_arg) = (study.to_str().unwrap(), bundle());
    trainer(&[
        "study",
        "plan",
        "--preset",
        "paper-main",
        "--data",
        bundle_arg.to_str().unwrap(),
        "--mode",
        "corrected",
        "--seeds",
        "1",
        "--out",
        study_arg,
    ]);
    let start = Instant::now();
    trainer(&["study", "run", study_arg, "--jobs", "2"]);
    let wall = start.elapsed().as_secs_f64();

    let cells = done_cells(&study);
    assert_eq!(cells.len(), 33, "every cell of seed 1 finished");
    let flops = cells
        .iter()
        .map(|cell| cell.flops.expect("cells count their FLOPs"))
        .fold((0.0, 0.0), |(s, d), f| (s + f.single, d + f.double));
    let single_rate = best_gemm::<f32>(2, &[(6400, 312, 312), (312, 6400, 312), (128, 312, 312)]);
    let double_rate = best_gemm::<f64>(2, &[(312, 312, 312), (1024, 1024, 1024)]);
    let floor = flops.0 / single_rate + flops.1 / double_rate;

    println!(
        "paper-main, seed 1, corrected (33 cells: 11 variants × 3 tasks, 6_6_2), `study run --jobs 2`:"
    );
    println!(
        "  wall time {wall:.0} s ({:.1} s per cell)",
        wall / cells.len() as f64
    );
    println!(
        "  arithmetic: {:.2} TFLOP single precision, {:.2} TFLOP double precision (the penalty)",
        flops.0 / 1e12,
        flops.1 / 1e12
    );
    println!(
        "  best product rates on both cores: {:.0} GFLOP/s f32, {:.0} GFLOP/s f64",
        single_rate / 1e9,
        double_rate / 1e9
    );
    println!(
        "  floor {floor:.0} s → wall / floor = {:.2}× (target ≤ 1.5×)",
        wall / floor
    );
    println!(
        "  paper-main in both modes (1,320 cells) at this rate: {:.1} h",
        wall / cells.len() as f64 * 1320.0 / 3600.0
    );
}
