//! Training end to end on small synthetic fields: the same seed gives bit-identical weights
//! and history, a short run on each task drives the loss down, every variant trains, and the
//! run folder holds what the manifest promises.

use std::path::Path;

mod common;

use blueprint_core::manifest::{ModelManifest, sha256_hex};
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;
use blueprint_trainer::cli::{Cli, Command};
use blueprint_trainer::config::TrainConfig;
use blueprint_trainer::train::{EpochRecord, Progress, train_and_save};
use clap::Parser;

/// A small bundle with a study grid shape, shared by the tests of this file.
fn bundle(dir: &Path) {
    common::synthetic_bundle(dir);
}

fn config(data: &Path, out: &Path, task: &str, variant: &str, extra: &[&str]) -> TrainConfig {
    let mut args = vec![
        "blueprint-trainer",
        "train",
        "--data",
        data.to_str().unwrap(),
        "--field",
        "synthetic",
        "--task",
        task,
        "--variant",
        variant,
        "--seed",
        "7",
        "--out",
        out.to_str().unwrap(),
        "--epochs",
        "3",
        "--train-trials",
        "256",
        "--val-trials",
        "128",
        "--batch-size",
        "32",
    ];
    args.extend_from_slice(extra);
    match Cli::parse_from(args).command {
        Command::Train(train) => train.to_config().unwrap(),
        other => panic!("parsed {other:?}"),
    }
}

fn without_wall_time(history: &[EpochRecord]) -> Vec<EpochRecord> {
    history
        .iter()
        .map(|r| EpochRecord {
            wall_seconds: 0.0,
            ..r.clone()
        })
        .collect()
}

#[test]
fn the_same_seed_gives_bit_identical_weights_and_history() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    let run = |name: &str| {
        let c = config(
            &dir.path().join("bundle"),
            &dir.path().join(name),
            "go-nogo",
            "W*D*C",
            &[],
        );
        train_and_save(&c, Progress::Quiet).unwrap()
    };
    let (first, second) = (run("a"), run("b"));
    assert_eq!(first.weights, second.weights);
    assert_eq!(
        without_wall_time(&first.history),
        without_wall_time(&second.history)
    );
    let third = {
        let c = config(
            &dir.path().join("bundle"),
            &dir.path().join("a2"),
            "go-nogo",
            "W*D*C",
            &["--seed", "8"],
        );
        train_and_save(&c, Progress::Quiet).unwrap()
    };
    assert_ne!(
        first.weights, third.weights,
        "another seed trains another network"
    );
}

#[test]
fn a_run_is_bit_identical_on_one_thread_and_on_several() {
    // N = 200: the penalty's products and solves are split into bands on 2 and 3 threads, and
    // the batch into its two halves on any number.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let args = [
        "blueprint-trainer",
        "train",
        "--synthetic",
        "200",
        "--task",
        "go-nogo",
        "--variant",
        "W*D*C",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--epochs",
        "2",
        "--train-trials",
        "128",
        "--val-trials",
        "64",
        "--batch-size",
        "32",
    ];
    let config = match Cli::parse_from(args).command {
        Command::Train(train) => train.to_config().unwrap(),
        other => panic!("parsed {other:?}"),
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let _ = std::fs::remove_dir_all(&out);
        pool.install(|| train_and_save(&config, Progress::Quiet).unwrap())
    };
    let one = run(1);
    for threads in [2, 3] {
        let many = run(threads);
        assert_eq!(many.weights, one.weights, "weights on {threads} threads");
        assert_eq!(
            without_wall_time(&many.history),
            without_wall_time(&one.history),
            "history on {threads} threads"
        );
        assert_eq!(many.flops, one.flops, "FLOPs counted on {threads} threads");
    }
    assert!(
        one.flops.double > 0.0,
        "the penalty's products were counted"
    );
}

#[test]
fn a_short_run_drives_the_loss_down_on_each_task() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    for task in [
        TaskKind::OneChoiceInference,
        TaskKind::GoNogo,
        TaskKind::PerceptualDm,
    ] {
        let out = dir.path().join(task.as_str());
        let c = config(
            &dir.path().join("bundle"),
            &out,
            task.as_str(),
            "W*D*C",
            &["--epochs", "10", "--train-trials", "512", "--lr", "0.003"],
        );
        let run = train_and_save(&c, Progress::Quiet).unwrap();
        let (first, last) = (&run.history[0], run.history.last().unwrap());
        assert!(
            last.val_loss < 0.8 * first.val_loss,
            "{task}: validation loss {} → {}",
            first.val_loss,
            last.val_loss
        );
        assert!(
            last.train_loss < first.train_loss,
            "{task}: training loss did not fall"
        );
    }
}

#[test]
fn every_variant_trains_and_writes_a_consistent_run_folder() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    for variant in Variant::ALL {
        for positive in [false, true] {
            let out = dir.path().join(format!(
                "{}-{positive}",
                variant.label().replace(['*', '!'], "_")
            ));
            let extra: &[&str] = if positive {
                &["--positive", "--epochs", "1"]
            } else {
                &["--epochs", "1"]
            };
            let c = config(
                &dir.path().join("bundle"),
                &out,
                "go-nogo",
                variant.label(),
                extra,
            );
            let run = train_and_save(&c, Progress::Quiet)
                .unwrap_or_else(|e| panic!("{variant} positive={positive}: {e:#}"));
            assert!(
                run.history
                    .iter()
                    .all(|r| r.train_loss.is_finite() && r.regulariser.is_finite())
            );
            if positive {
                assert!(
                    run.weights.w_rec.iter().all(|&w| w >= 0.0),
                    "{variant}: W_rec projected to ≥ 0"
                );
            }
            let onnx = std::fs::read(out.join("model.onnx")).unwrap();
            let manifest = ModelManifest::from_json(
                &std::fs::read_to_string(out.join("manifest.json")).unwrap(),
            )
            .unwrap();
            assert_eq!(
                manifest.onnx_sha256.as_deref(),
                Some(sha256_hex(&onnx).as_str())
            );
            assert_eq!(manifest.variant, variant);
            assert_eq!(manifest.positive, positive);
            let saved: TrainConfig =
                serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap())
                    .unwrap();
            assert_eq!(saved, c);
            let lines = std::fs::read_to_string(out.join("history.jsonl")).unwrap();
            assert_eq!(lines.lines().count(), 1);
        }
    }
}

#[test]
fn bad_flags_are_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let parse = |args: &[&str]| {
        let mut full = vec!["blueprint-trainer", "train"];
        full.extend_from_slice(args);
        Cli::try_parse_from(full)
    };
    let out = dir.path().join("r");
    let out = out.to_str().unwrap();
    assert!(
        parse(&[
            "--synthetic",
            "20",
            "--task",
            "go-nogo",
            "--variant",
            "W**",
            "--out",
            out
        ])
        .is_err()
    );
    let Command::Train(args) = parse(&[
        "--synthetic",
        "20",
        "--task",
        "go-nogo",
        "--variant",
        "W",
        "--out",
        out,
        "--lr=-1",
    ])
    .unwrap()
    .command
    else {
        panic!()
    };
    assert!(args.to_config().unwrap_err().to_string().contains("--lr"));
    let Command::Train(args) = parse(&[
        "--data",
        "/nonexistent",
        "--field",
        "6_6_2",
        "--task",
        "go-nogo",
        "--variant",
        "W",
        "--out",
        out,
    ])
    .unwrap()
    .command
    else {
        panic!()
    };
    let error = train_and_save(&args.to_config().unwrap(), Progress::Quiet).unwrap_err();
    assert!(format!("{error:#}").contains("/nonexistent"), "{error:#}");
}

#[test]
fn a_diverging_run_stops_with_a_clear_message_and_writes_no_model() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    let out = dir.path().join("diverged");
    // A learning rate of 1e30 throws the weights past any finite bound in the first steps.
    let c = config(
        &dir.path().join("bundle"),
        &out,
        "go-nogo",
        "W",
        &["--lr", "1e30"],
    );
    let message = format!("{:#}", train_and_save(&c, Progress::Quiet).unwrap_err());
    assert!(message.contains("diverged"), "{message}");
    assert!(message.contains("no model was written"), "{message}");
    assert!(!out.join("model.onnx").exists());
    assert!(!out.join("manifest.json").exists());
}

#[test]
fn a_grid_records_a_diverged_run_as_failed_with_its_reason_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    let out = dir.path().join("grid");
    let cli = Cli::try_parse_from(
        [
            "blueprint-trainer",
            "grid",
            "--data",
            dir.path().join("bundle").to_str().unwrap(),
            "--field",
            "synthetic",
            "--tasks",
            "go-nogo",
            "--variants",
            "W",
            "--seeds",
            "1-2",
            "--out",
            out.to_str().unwrap(),
            "--lr",
            "1e30",
        ]
        .into_iter()
        .chain(common::TINY_PROTOCOL),
    )
    .unwrap();
    let Command::Grid(args) = cli.command else {
        panic!("expected grid");
    };
    let error = format!(
        "{:#}",
        blueprint_trainer::grid::run_grid(&args).unwrap_err()
    );
    assert!(error.contains("2 of 2 runs failed"), "{error}");
    let failed = std::fs::read_to_string(out.join("failed.csv")).unwrap();
    let lines: Vec<&str> = failed.lines().collect();
    assert_eq!(lines[0], "run,reason");
    assert_eq!(lines.len(), 3, "{failed}");
    assert!(
        lines[1..].iter().all(|line| line.contains("diverged")),
        "{failed}"
    );
}

#[test]
fn a_mean_normalised_penalty_is_the_summed_one_over_n_squared() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("bundle"));
    for variant in ["W", "WD", "WDC", "W*D*C*"] {
        let value = |normalisation: &str| {
            let c = config(
                &dir.path().join("bundle"),
                &dir.path().join(format!("{variant}-{normalisation}")),
                "go-nogo",
                variant,
                &["--penalty-normalisation", normalisation],
            );
            assert_eq!(
                serde_json::to_value(c.protocol.penalty_normalisation).unwrap(),
                normalisation
            );
            let prepared = blueprint_trainer::setup::prepare(&c).unwrap();
            let w = prepared.weights.w_rec.clone();
            let (value, grad) = prepared.regulariser.value_and_grad(w.view()).unwrap();
            (value, grad.iter().map(|g| g.abs()).sum::<f64>())
        };
        let (sum, sum_grad) = value("sum");
        let (mean, mean_grad) = value("mean");
        let n2 = 40.0 * 40.0;
        if variant == "W*D*C*" {
            // The EMD term is a mean either way: only the λ part shrinks.
            assert!(mean < sum && mean > sum / n2, "{variant}: {mean} vs {sum}");
        } else {
            assert!(
                (mean - sum / n2).abs() <= 1e-12 * sum.max(1.0),
                "{variant}: {mean} vs {sum}"
            );
            assert!(
                (mean_grad - sum_grad / n2).abs() <= 1e-9 * sum_grad.max(1.0),
                "{variant}"
            );
        }
    }
}

/// `train` refuses to overwrite a run folder unless `--force`; the README's synthetic example
/// (a grid variant on a synthetic field, an ASCII variant name) trains with the cube-like
/// lattice recorded in its manifest.
#[test]
fn a_run_folder_is_not_overwritten_without_force_and_synthetic_grids_get_a_lattice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pdm-synthetic");
    let args = |force: bool| {
        let mut args = vec![
            "blueprint-trainer",
            "train",
            "--synthetic",
            "40",
            "--task",
            "perceptual-dm",
            "--variant",
            "WDstar",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend(common::TINY_PROTOCOL);
        if force {
            args.push("--force");
        }
        Cli::parse_from(args)
    };
    // WD* has real distances; the synthetic field has positions. Now the grid variant.
    blueprint_trainer::cli::run(args(false)).unwrap();
    let manifest =
        ModelManifest::from_json(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.variant, Variant::WDReal);
    let error = blueprint_trainer::cli::run(args(false))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("already holds a run") && error.contains("--force"),
        "{error}"
    );
    blueprint_trainer::cli::run(args(true)).unwrap();

    let grid_out = dir.path().join("grid");
    let cli = Cli::parse_from(
        [
            "blueprint-trainer",
            "train",
            "--synthetic",
            "40",
            "--task",
            "go-nogo",
            "--variant",
            "WD",
            "--out",
            grid_out.to_str().unwrap(),
            "--quiet",
        ]
        .into_iter()
        .chain(common::TINY_PROTOCOL),
    );
    blueprint_trainer::cli::run(cli).unwrap();
    let manifest =
        ModelManifest::from_json(&std::fs::read_to_string(grid_out.join("manifest.json")).unwrap())
            .unwrap();
    assert!(
        matches!(
            manifest.distance,
            blueprint_core::network::distance::DistanceSpec::Grid {
                lattice: blueprint_core::network::distance::GridLattice::CubeLike,
                ..
            }
        ),
        "{:?}",
        manifest.distance
    );
}
