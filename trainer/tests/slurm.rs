//! The study as a Slurm array job, against a real single-node Slurm (`scripts/slurm-local.sh`,
//! which `make test` runs first): plan a small study, `sbatch --wait` its `slurm.sbatch` from
//! another directory, and check that every cell is done and logged. Without Slurm it prints,
//! loudly, that it did not run. Its own binary without libtest's harness, so that notice shows
//! in a passing run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use blueprint_trainer::study::{self, CellState};

const TRAINER: &str = env!("CARGO_BIN_EXE_blueprint-trainer");

fn slurm_ready() -> Result<(), String> {
    let sinfo = Command::new("sinfo")
        .args(["-h", "-o", "%T"])
        .output()
        .map_err(|_| {
            "sbatch/sinfo are not installed (scripts/slurm-local.sh provides them)".to_owned()
        })?;
    let states = String::from_utf8_lossy(&sinfo.stdout).into_owned();
    if states.lines().any(|state| {
        ["idle", "mixed", "allocated"]
            .iter()
            .any(|s| state.starts_with(s))
    }) {
        Ok(())
    } else {
        Err(format!(
            "Slurm has no usable node (sinfo: {:?})",
            states.trim()
        ))
    }
}

fn main() {
    if let Err(reason) = slurm_ready() {
        println!(
            "\n*** SKIPPED: the Slurm array-job test did NOT run: {reason} ***\n*** run \
             scripts/slurm-local.sh as root first (make test and CI do) ***\n"
        );
        return;
    }
    a_small_study_runs_as_a_slurm_array_job();
    println!("test a_small_study_runs_as_a_slurm_array_job ... ok");
}

fn a_small_study_runs_as_a_slurm_array_job() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bundle");
    common::synthetic_bundle(&data);
    let out = dir.path().join("study");
    let plan = Command::new(TRAINER)
        .args([
            "study",
            "plan",
            "--preset",
            "cross-field",
            "--mode",
            "corrected",
        ])
        .args(["--data", data.to_str().unwrap(), "--fields", "synthetic"])
        .args(["--tasks", "go-nogo", "--seeds", "1"])
        .args([
            "--out",
            out.to_str().unwrap(),
            "--max-parallel",
            "2",
            "--time",
            "00:10:00",
        ])
        .args(common::TINY_PROTOCOL)
        .output()
        .unwrap();
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let planned = study::load(&out).unwrap();
    assert_eq!(planned.cells.len(), 8);

    // From another directory: the script's paths are absolute.
    let mut sbatch = Command::new("sbatch")
        .arg("--wait")
        .arg(out.join("slurm.sbatch"))
        .current_dir(Path::new("/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = sbatch.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = sbatch.kill();
            let _ = Command::new("scancel")
                .args(["--name", "blueprint-cross-field"])
                .status();
            panic!("the array job did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = sbatch.wait_with_output().unwrap();
    assert!(
        status.success(),
        "sbatch --wait failed: {} {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for cell in &planned.cells {
        assert!(
            matches!(study::cell_state(cell), CellState::Done { .. }),
            "cell {} {:?}: {}",
            cell.index,
            study::cell_state(cell),
            std::fs::read_to_string(out.join(format!("logs/cell-{}.err", cell.index)))
                .unwrap_or_default()
        );
        assert!(out.join(format!("logs/cell-{}.out", cell.index)).is_file());
    }
    let status = Command::new(TRAINER)
        .args(["study", "status", out.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(text.contains("8 done"), "{text}");
}
