//! `blueprint-trainer study`: planning, the cluster files, resuming after a SIGKILL, failed
//! cells, and the refusals, on a small synthetic bundle with the study's tiny protocol.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use blueprint_trainer::study::{self, CellState};

const TRAINER: &str = env!("CARGO_BIN_EXE_blueprint-trainer");

/// A 40-neuron synthetic bundle whose field has a study lattice.
fn bundle(dir: &Path) -> PathBuf {
    let root = dir.join("bundle");
    common::synthetic_bundle(&root);
    root
}

fn trainer(args: &[&str]) -> std::process::Output {
    Command::new(TRAINER).args(args).output().unwrap()
}

/// `study plan` with the tiny protocol; extra flags appended.
fn plan(data: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "study",
        "plan",
        "--preset",
        "paper-main",
        "--data",
        data.to_str().unwrap(),
        "--fields",
        "synthetic",
        "--seeds",
        "1",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&common::TINY_PROTOCOL);
    args.extend_from_slice(extra);
    trainer(&args)
}

/// `args` followed by the tiny protocol.
fn with_tiny<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend_from_slice(&common::TINY_PROTOCOL);
    all
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_plan_holds_every_cell_and_the_cluster_files_call_this_trainer_with_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let out = dir.path().join("studies/main");
    let output = plan(&data, &out, &["--max-parallel", "8", "--partition", "cpu"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let planned = study::load(&out).unwrap();
    // 2 modes × 3 tasks × 11 variants × 1 seed.
    assert_eq!(planned.cells.len(), 66);
    assert!(
        planned
            .cells
            .iter()
            .all(|cell| cell.config.out.is_absolute())
    );
    let compat = planned
        .cells
        .iter()
        .filter(|cell| cell.config.protocol.compat.w_ignores_lambda)
        .count();
    assert_eq!(compat, 33, "half the cells restore the reference defects");
    let sbatch = std::fs::read_to_string(out.join("slurm.sbatch")).unwrap();
    assert!(sbatch.contains("#SBATCH --array=0-65%8"), "{sbatch}");
    assert!(sbatch.contains("#SBATCH --partition=cpu"));
    assert!(sbatch.contains("#SBATCH --cpus-per-task=1"));
    assert!(sbatch.contains("export RAYON_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\""));
    let study_dir = out.canonicalize().unwrap();
    assert!(
        sbatch.contains(&format!("{TRAINER} study run ")),
        "the trainer that planned it: {sbatch}"
    );
    assert!(sbatch.contains(&format!("{}/logs/cell-%a.out", study_dir.display())));
    let k8s = std::fs::read_to_string(out.join("k8s-job.yaml")).unwrap();
    assert!(k8s.contains("completionMode: Indexed") && k8s.contains("JOB_COMPLETION_INDEX"));

    // The same plan again is fine; another plan in the same folder is refused in one line.
    assert!(plan(&data, &out, &["--max-parallel", "8"]).status.success());
    let other = plan(&data, &out, &["--seeds", "1-2"]);
    assert!(!other.status.success());
    assert!(
        stderr(&other).contains("already holds another plan"),
        "{}",
        stderr(&other)
    );
}

#[test]
fn bad_input_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let out = dir.path().join("s");
    let cases: Vec<(Vec<String>, &str)> = vec![(vec!["--fields".into(), "9_9_9".into()], "9_9_9")];
    for (extra, expected) in cases {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let output = plan(&data, &out, &extra);
        assert!(!output.status.success());
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
    let unknown = trainer(&[
        "study",
        "plan",
        "--preset",
        "paper-everything",
        "--data",
        "x",
        "--out",
        "y",
    ]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("paper-main"),
        "{}",
        stderr(&unknown)
    );

    assert!(plan(&data, &out, &["--mode", "corrected"]).status.success());
    let range = trainer(&["study", "run", out.to_str().unwrap(), "--cell", "33"]);
    assert!(!range.status.success());
    assert!(stderr(&range).contains("--cell 33 is out of range: the study has cells 0 to 32"));
    let missing = trainer(&["study", "run", dir.path().join("nowhere").to_str().unwrap()]);
    assert!(
        stderr(&missing).contains("has no study.json"),
        "{}",
        stderr(&missing)
    );
    std::fs::write(out.join("study.json"), "{ half a plan").unwrap();
    let corrupt = trainer(&["study", "status", out.to_str().unwrap()]);
    assert!(!corrupt.status.success());
    assert!(
        stderr(&corrupt).contains("not a readable study plan"),
        "{}",
        stderr(&corrupt)
    );
}

#[test]
fn a_study_killed_mid_run_resumes_without_retraining_finished_cells() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let out = dir.path().join("resume");
    assert!(plan(&data, &out, &["--mode", "corrected"]).status.success());
    let planned = study::load(&out).unwrap();
    let done_count = || {
        planned
            .cells
            .iter()
            .filter(|cell| matches!(study::cell_state(cell), CellState::Done { .. }))
            .count()
    };
    let mut child = Command::new(TRAINER)
        .args(["study", "run", out.to_str().unwrap(), "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while done_count() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before: Vec<(usize, String)> = planned
        .cells
        .iter()
        .filter(|cell| matches!(study::cell_state(cell), CellState::Done { .. }))
        .map(|cell| {
            (
                cell.index,
                std::fs::read_to_string(cell.config.out.join("done.json")).unwrap(),
            )
        })
        .collect();
    assert!(
        before.len() >= 3 && before.len() < planned.cells.len(),
        "{}",
        before.len()
    );
    let status = trainer(&["study", "status", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(text.contains(&format!("{} done", before.len())), "{text}");
    // Seed by seed: one seed planned, part of it done.
    assert!(
        text.contains(&format!(
            "seeds done in every cell: none yet; partly done: 1 ({} of {} cells)\n",
            before.len(),
            planned.cells.len()
        )),
        "{text}"
    );

    let rerun = trainer(&["study", "run", out.to_str().unwrap(), "--jobs", "2"]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert_eq!(done_count(), planned.cells.len());
    for (index, done) in before {
        let now =
            std::fs::read_to_string(planned.cells[index].config.out.join("done.json")).unwrap();
        assert_eq!(now, done, "cell {index} was not trained again");
    }
    let again = trainer(&["study", "run", out.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to train"));
    let status = trainer(&["study", "status", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(text.contains("seeds done in every cell: 1\n"), "{text}");

    // Every cell records the arithmetic it did, for the wall-time floor: single precision for
    // BPTT and validation, double precision only where the penalty takes matrix exponentials.
    for cell in &planned.cells {
        let done: study::Done = serde_json::from_str(
            &std::fs::read_to_string(cell.config.out.join("done.json")).unwrap(),
        )
        .unwrap();
        let flops = done.flops.expect("a new cell counts its FLOPs");
        let label = cell.config.variant.label();
        assert!(flops.single > 1e6, "{label}: {flops:?}");
        assert_eq!(
            flops.double > 0.0,
            label.contains('C'),
            "{label}: {flops:?}"
        );
    }

    // A cell trained by an earlier build, whose config.json lacks a field added since (with
    // its default), still counts as done; one trained with another configuration does not.
    let cell = &planned.cells[0];
    let path = cell.config.out.join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    config.as_object_mut().unwrap().remove("distance_control");
    std::fs::write(&path, config.to_string()).unwrap();
    assert!(matches!(study::cell_state(cell), CellState::Done { .. }));
    config["seed"] = 99.into();
    std::fs::write(&path, config.to_string()).unwrap();
    assert_eq!(study::cell_state(cell), CellState::Pending);
}

#[test]
fn a_failed_cell_is_recorded_with_its_reason_and_a_changed_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let out = dir.path().join("fail");
    assert!(
        plan(&data, &out, &["--mode", "corrected", "--lr", "1e30"])
            .status
            .success()
    );
    let run = trainer(&["study", "run", out.to_str().unwrap(), "--cell", "0"]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("1 cell(s) failed"),
        "{}",
        stderr(&run)
    );
    let planned = study::load(&out).unwrap();
    match study::cell_state(&planned.cells[0]) {
        CellState::Failed { reason } => assert!(reason.contains("diverged"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let status =
        String::from_utf8_lossy(&trainer(&["study", "status", out.to_str().unwrap()]).stdout)
            .into_owned();
    assert!(
        status.contains("1 failed") && status.contains("diverged"),
        "{status}"
    );
    // A failed cell is not retried by default.
    let again = trainer(&["study", "run", out.to_str().unwrap(), "--cell", "0"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to train"));

    // Another build planned it: refused, unless allowed.
    let path = out.join("study.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["planned_by"] = "blueprint-trainer 0.0.1 (sources 0000)".into();
    std::fs::write(&path, value.to_string()).unwrap();
    let refused = trainer(&["study", "run", out.to_str().unwrap(), "--cell", "1"]);
    assert!(
        stderr(&refused).contains("--allow-version-change"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_report_is_built_from_the_run_folders_with_tables_statistics_and_a_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let (corrected, compat) = (dir.path().join("corrected"), dir.path().join("compat"));
    for (out, mode) in [(&corrected, "corrected"), (&compat, "compat")] {
        let planned = plan(
            &data,
            out,
            // Two epochs, so each cell has a penalty kept (last epoch over first).
            &[
                "--mode", mode, "--seeds", "1-2", "--tasks", "go-nogo", "--epochs", "2",
            ],
        );
        assert!(planned.status.success(), "{}", stderr(&planned));
        let run = trainer(&["study", "run", out.to_str().unwrap()]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let report = trainer(&[
        "study",
        "report",
        corrected.to_str().unwrap(),
        "--against",
        compat.to_str().unwrap(),
    ]);
    assert!(report.status.success(), "{}", stderr(&report));
    let folder = corrected.join("report");
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).unwrap();
    let cells = read("cells.csv");
    assert!(
        cells.starts_with("cell,mode,field,task,group,positive,seed,trained_by,measure,value\n")
    );
    // 22 cells × held-out and training accuracy at least.
    assert!(
        cells
            .lines()
            .filter(|l| l.contains(",heldout_accuracy,"))
            .count()
            == 22
    );
    assert!(cells.lines().any(|l| l.contains(",small_worldness_sigma,")));
    assert_eq!(
        cells
            .lines()
            .filter(|l| l.contains(",penalty_kept_log10,"))
            .count(),
        22,
        "every cell trained for more than one epoch has its penalty kept"
    );
    let summary = read("summary.csv");
    let row = summary
        .lines()
        .find(|l| l.starts_with("corrected,synthetic,go-nogo,W*D*C,heldout_accuracy,"))
        .unwrap_or_else(|| panic!("{summary}"));
    let fields: Vec<&str> = row.split(',').collect();
    assert_eq!(fields[5], "2", "two seeds: {row}");
    let (mean, low, high): (f64, f64, f64) = (
        fields[6].parse().unwrap(),
        fields[7].parse().unwrap(),
        fields[8].parse().unwrap(),
    );
    assert!(low <= mean && mean <= high, "{row}");
    // The paper's tables are of 6_6_2: no paper number beside a synthetic field.
    assert_eq!(fields[9], "", "{row}");
    let effects = read("effects.csv");
    assert!(effects.contains(",kruskal-wallis,"), "{effects}");
    assert!(effects.contains(",mann-whitney,"), "{effects}");
    let against = read("against.csv");
    // A corrected study against a compat one: each group's corrected cells meet its compat
    // cells, 2 seeds a side.
    assert!(
        against.starts_with("field,task,group,measure,mode_this,n_this,"),
        "{against}"
    );
    assert_eq!(
        against
            .lines()
            .filter(|l| l.contains(",heldout_accuracy,corrected,2,") && l.contains(",compat,2,"))
            .count(),
        11,
        "{against}"
    );
    // One mode: no compat-against-corrected section.
    assert!(!folder.join("modes.csv").exists());
    let markdown = read("report.md");
    assert!(
        markdown.contains("**22 of 22 cells are done**"),
        "{markdown}"
    );
    assert!(markdown.contains("## Held-out validation accuracy (the headline)"));
    assert!(markdown.contains("## Simple effects"));
    assert!(markdown.contains("## Against"));
    assert!(
        markdown.contains("| go-nogo | `W*D*C` | corrected "),
        "{markdown}"
    );
    assert!(!markdown.contains("## Compat against corrected"));
    for figure in [
        "heldout_accuracy.svg",
        "training_accuracy.svg",
        "entropy.svg",
        "modularity.svg",
        "small_worldness.svg",
        "penalty_kept.svg",
        "learning_curves_corrected_go-nogo.svg",
    ] {
        let svg = read(&format!("figures/{figure}"));
        assert!(svg.starts_with("<svg"), "{figure}");
        assert!(
            markdown.contains(&format!("(figures/{figure})")),
            "{figure} in report.md"
        );
    }
    // One trained W_rec per variant, ordered by its communities (an embedded PNG).
    for variant in ["WsDsC", "W", "WpDsC"] {
        let figure = format!("weights_corrected_{variant}.svg");
        let svg = read(&format!("figures/{figure}"));
        assert!(svg.contains("<image"), "{figure} is a heatmap");
        assert!(
            markdown.contains(&format!("(figures/{figure})")),
            "{figure}"
        );
    }
    // A single-field study has no accuracy-against-N section.
    assert!(!markdown.contains("## Held-out accuracy against N"));
    // 11 variants × 2 seeds on one task, one mode: 22 points.
    assert_eq!(
        read("figures/heldout_accuracy.svg")
            .matches("<circle")
            .count(),
        22
    );
    // The metrics are cached per cell: a second report reads them back, unchanged.
    let again = trainer(&["study", "report", corrected.to_str().unwrap()]);
    assert!(again.status.success());
    assert_eq!(read("summary.csv"), summary);

    // Which builds trained the cells: one, the planning build, so far; then one cell as if a
    // later build had continued the study with --allow-version-change.
    assert!(
        markdown.contains("Every done cell was trained by the build that planned the study."),
        "{markdown}"
    );
    assert!(
        markdown.contains("- Seeds done in every cell: 1–2. A cell's interval"),
        "{markdown}"
    );
    let planned = study::load(&corrected).unwrap();
    let done_json = planned.cells[5].config.out.join("done.json");
    let mut done: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&done_json).unwrap()).unwrap();
    let other = "blueprint-trainer 9.9.9 (sources 00ff)";
    done["trained_by"] = format!(
        "{other} (planned by {}; --allow-version-change)",
        planned.planned_by
    )
    .into();
    std::fs::write(&done_json, done.to_string()).unwrap();
    let mixed = trainer(&["study", "report", corrected.to_str().unwrap()]);
    assert!(mixed.status.success(), "{}", stderr(&mixed));
    let markdown = read("report.md");
    assert!(
        markdown.contains(&format!(
            "**Cells were trained by 2 builds** (the study was continued with \
             `--allow-version-change`), done cells per build: `{}` (the planning build): 21; \
             `{other}`: 1.",
            planned.planned_by
        )),
        "{markdown}"
    );
    let cells = read("cells.csv");
    let rows: Vec<&str> = cells.lines().filter(|l| l.contains(other)).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|l| l.starts_with("5,")),
        "{cells}"
    );

    // A seed with a cell not done is named as partly done, with its count.
    let last = planned.cells.last().unwrap();
    assert_eq!(last.config.seed, 2, "cells run seed by seed");
    std::fs::remove_file(last.config.out.join("done.json")).unwrap();
    let partial = trainer(&["study", "report", corrected.to_str().unwrap()]);
    assert!(partial.status.success(), "{}", stderr(&partial));
    let markdown = read("report.md");
    assert!(
        markdown.contains("- Seeds done in every cell: 1. Partly done: 2 (10 of 11 cells)."),
        "{markdown}"
    );
}

#[test]
fn the_controls_preset_plans_each_control_arm_on_the_corrected_distances() {
    let dir = tempfile::tempdir().unwrap();
    let data = bundle(dir.path());
    let out = dir.path().join("controls");
    let planned = trainer(&with_tiny(&[
        "study",
        "plan",
        "--preset",
        "controls",
        "--data",
        data.to_str().unwrap(),
        "--fields",
        "synthetic",
        "--seeds",
        "1",
        "--tasks",
        "go-nogo",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(planned.status.success(), "{}", stderr(&planned));
    let plan = study::load(&out).unwrap();
    // 2 variants × 3 distance controls + 4 init controls of W*D*C, on one task and seed.
    assert_eq!(plan.cells.len(), 10);
    let groups: Vec<String> = plan.cells.iter().map(|c| c.group()).collect();
    assert!(
        groups.contains(&"WD*C [D* rank-matched]".to_owned()),
        "{groups:?}"
    );
    assert!(groups.contains(&"W*D*C [W* without diagonal]".to_owned()));
    assert!(groups.contains(&"W*D*C [W* from the connectome]".to_owned()));
    assert!(
        plan.cells
            .iter()
            .all(|c| !c.config.protocol.compat.w_ignores_lambda)
    );
    // This 40-neuron synthetic connectome has no cycle, so the connectome arm cannot be scaled
    // to a spectral radius: that cell fails with the reason, the other nine train.
    let run = trainer(&["study", "run", out.to_str().unwrap()]);
    assert!(
        stderr(&run).contains("1 cell(s) failed"),
        "{}",
        stderr(&run)
    );
    for cell in &plan.cells {
        match (cell.group().as_str(), study::cell_state(cell)) {
            ("W*D*C [W* from the connectome]", CellState::Failed { reason }) => {
                assert!(reason.contains("nilpotent"), "{reason}")
            }
            (_, CellState::Done { .. }) => {}
            (group, state) => panic!("{group}: {state:?}"),
        }
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            plan.cells
                .iter()
                .find(|c| c.group() == "WD*C [D* scale-matched]")
                .unwrap()
                .config
                .out
                .join("manifest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["distance"]["control"], "scale-matched",
        "{manifest:#}"
    );
    let report = trainer(&["study", "report", out.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let summary = std::fs::read_to_string(out.join("report/summary.csv")).unwrap();
    assert!(
        summary.contains("corrected,synthetic,go-nogo,W*D*C [W* shuffled],heldout_accuracy,1,"),
        "{summary}"
    );
    // The answers need baselines from another study, and say so without them.
    let markdown = std::fs::read_to_string(out.join("report/report.md")).unwrap();
    assert!(
        markdown.contains("### Where does `WD*C`'s compat success come from")
            && markdown.contains("### Does the bio gain survive without the diagonal?")
            && markdown.contains("run `study report` with `--against`"),
        "{markdown}"
    );
    // With paper-main beside it (same protocol, both modes), the baselines fill in.
    let baselines = dir.path().join("paper-main");
    // `crate::plan`: in this test `plan` names the controls' loaded plan.
    let planned = crate::plan(&data, &baselines, &["--mode", "both", "--tasks", "go-nogo"]);
    assert!(planned.status.success(), "{}", stderr(&planned));
    let run = trainer(&["study", "run", baselines.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let report = trainer(&[
        "study",
        "report",
        out.to_str().unwrap(),
        "--against",
        baselines.to_str().unwrap(),
    ]);
    assert!(report.status.success(), "{}", stderr(&report));
    let markdown = std::fs::read_to_string(out.join("report/report.md")).unwrap();
    for row in [
        "| `compat D*` | scrambled positions: no geometry, compat mean and distribution | 1 |",
        "| `true D*` | true geometry, mean and distribution | 1 |",
        "| `D* rank-matched` | true geometry carrying the compat distribution | 1 |",
        "| `W*D*C` | bio init as built | 1 |",
        "| `W*D*C [W* without diagonal]` | bio init, diagonal zeroed, rescaled | 1 |",
    ] {
        assert!(markdown.contains(row), "{row}\n{markdown}");
    }
    // One seed each: the verdicts wait for more.
    assert!(markdown.contains("(have 1 and 1)"), "{markdown}");
    assert!(!markdown.contains("run `study report` with `--against`"));
    let answers = std::fs::read_to_string(out.join("report/answers.csv")).unwrap();
    assert!(
        answers.starts_with("question,field,task,measure,sample,n,learned,collapsed,mean,")
            && answers.contains("1,synthetic,go-nogo,heldout_accuracy,compat D*,1,"),
        "{answers}"
    );
    // paper-main of both modes sets each compat cell against its corrected cell.
    let report = trainer(&["study", "report", baselines.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let modes = std::fs::read_to_string(baselines.join("report/modes.csv")).unwrap();
    let rows: Vec<&str> = modes
        .lines()
        .filter(|l| l.contains(",heldout_accuracy,compat,1,"))
        .collect();
    assert_eq!(rows.len(), 11, "{modes}");
    // One seed a side: no test, and nothing for Holm to adjust.
    assert!(rows.iter().all(|l| l.ends_with(",,")), "{modes}");
    let markdown = std::fs::read_to_string(baselines.join("report/report.md")).unwrap();
    assert!(
        markdown.contains("## Compat against corrected")
            && markdown.contains("| go-nogo | `WD*C` | "),
        "{markdown}"
    );
    let compat = trainer(&[
        "study",
        "plan",
        "--preset",
        "controls",
        "--mode",
        "compat",
        "--data",
        data.to_str().unwrap(),
        "--out",
        dir.path().join("c2").to_str().unwrap(),
    ]);
    assert!(
        stderr(&compat).contains("pass --mode corrected"),
        "{}",
        stderr(&compat)
    );
}

#[test]
fn cross_field_crosses_the_penalty_normalisation_and_reports_accuracy_against_n() {
    let dir = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/microns/minnie65_cortical_blueprint");
    let out = dir.path().join("cross-field");
    let mut args = vec![
        "study",
        "plan",
        "--preset",
        "cross-field",
        "--data",
        data.to_str().unwrap(),
        "--fields",
        "5_3_8,7_5_8",
        "--tasks",
        "go-nogo",
        "--seeds",
        "1",
        "--mode",
        "corrected",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&common::TINY_PROTOCOL);
    let planned = trainer(&args);
    assert!(planned.status.success(), "{}", stderr(&planned));
    let plan = study::load(&out).unwrap();
    // 2 fields × 4 variants × 2 normalisations.
    assert_eq!(plan.cells.len(), 16);
    for (arm, normalisation) in [("sum penalty", "sum"), ("mean penalty", "mean")] {
        let cells: Vec<_> = plan
            .cells
            .iter()
            .filter(|c| c.arm.as_deref() == Some(arm))
            .collect();
        assert_eq!(cells.len(), 8, "{arm}");
        for cell in cells {
            assert_eq!(
                serde_json::to_value(cell.config.protocol.penalty_normalisation).unwrap(),
                normalisation
            );
        }
    }
    // The preset decides the normalisation; a flag that would collapse the two is refused.
    let mut refused_args = args.clone();
    let other = dir.path().join("refused");
    let position = refused_args.iter().position(|a| *a == "--out").unwrap();
    refused_args[position + 1] = other.to_str().unwrap();
    refused_args.extend_from_slice(&["--penalty-normalisation", "mean"]);
    let refused = trainer(&refused_args);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("drop --penalty-normalisation"),
        "{}",
        stderr(&refused)
    );
    assert!(!other.join("study.json").exists());

    let run = trainer(&["study", "run", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let report = trainer(&["study", "report", out.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let folder = out.join("report");
    let markdown = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(
        markdown.contains("## Held-out accuracy against N"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| group | 5_3_8 (N = 42) | 7_5_8 (N = 61) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `W*D*C [mean penalty]` |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("### How does accuracy depend on N under each normalisation?")
            && markdown.contains("| group | 5_3_8 (N = 42) | 7_5_8 (N = 61) | half learn at N |"),
        "{markdown}"
    );
    let figure = "accuracy_vs_n_corrected_go-nogo.svg";
    let svg = std::fs::read_to_string(folder.join("figures").join(figure)).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("W [sum penalty]"),
        "{svg}"
    );
    assert!(markdown.contains(&format!("(figures/{figure})")));
}
