//! `blueprint-trainer study`: the study as one planned, resumable job.
//!
//! - `study plan` writes `study.json`: every cell (one training run) as a full, validated
//!   [`TrainConfig`], with the preset, the modes and the build that planned it; and the
//!   cluster files: `slurm.sbatch` (an array job, one cell per task) and `k8s-job.yaml` (an
//!   Indexed Job; written, not tested here).
//! - `study run` trains every unfinished cell on this machine, `--jobs` at once, or one cell
//!   (`--cell K`, what each array task runs). It is resumable: a cell is done only when its run
//!   folder holds `done.json`, written atomically after the model and the manifest, and
//!   matching the planned configuration; anything else is trained again from the start. A
//!   failed cell (a diverged run, say) gets `failed.json` with its reason and does not stop the
//!   others; `--retry-failed` trains failed cells again.
//! - `study status` counts done, running, interrupted, failed and pending cells, with an ETA
//!   from the measured cell times.
//!
//! Layout: `STUDY/study.json`, `STUDY/cells/<mode>/<run>/` (a run folder plus its markers),
//! `STUDY/logs/` (Slurm's output).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use blueprint_core::data::Bundle;
use blueprint_core::manifest::PenaltyNormalisation;
use blueprint_core::network::Variant;
use blueprint_core::network::distance::DistanceControl;
use blueprint_core::network::init::{BioSource, InitControl};
use blueprint_core::task::TaskKind;

use crate::cli::{ProtocolArgs, RunChoice};
use crate::config::{DataSource, TrainConfig};
use crate::grid::{parse_seeds, run_name};
use crate::train::{Flops, Progress, train_and_save, write_atomically};

/// The `study.json` schema this build writes and reads.
pub const STUDY_SCHEMA: u32 = 1;

/// This build of the trainer: its version and a hash of the sources that decide a run's
/// numbers (`build.rs`). A study planned by another build is refused unless
/// `--allow-version-change`.
pub const BUILD: &str = concat!(
    "blueprint-trainer ",
    env!("CARGO_PKG_VERSION"),
    " (sources ",
    env!("BLUEPRINT_TRAINER_BUILD_ID"),
    ")"
);

/// A named design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// The study's Table 2: 11 variants × 3 tasks × seeds on 6_6_2.
    PaperMain,
    /// The study's Table 3: the same with W_rec kept ≥ 0.
    PaperPositive,
    /// The bio-initialised variants with precision ⊙ STTC instead of correlation ⊙ STTC.
    PaperPrecision,
    /// W*D*C, WD*C, W!D*C and W on every field that ships or can derive functional matrices,
    /// each under the summed penalty and under the mean one (`--penalty-normalisation`).
    CrossField,
    /// The open questions' controls on the corrected distances: WD*C and W*D*C with D*
    /// shuffled, scale-matched and rank-matched to the compat D*; W*D*C with its bio init
    /// shuffled, resampled on its support, without its diagonal, or built from the connectome.
    Controls,
}

/// One arm of a preset: a variant, and for the controls a label and what it changes.
#[derive(Clone, Copy, Debug)]
struct Arm {
    variant: Variant,
    label: Option<&'static str>,
    distance: DistanceControl,
    init: InitControl,
    exclude_diagonal: bool,
    /// The bio init from synapse counts instead of activity.
    connectome: bool,
    /// How the penalty is normalised, where the arm decides it (cross-field crosses both).
    normalisation: Option<PenaltyNormalisation>,
}

impl Arm {
    fn plain(variant: Variant) -> Arm {
        Arm {
            variant,
            label: None,
            distance: DistanceControl::None,
            init: InitControl::None,
            exclude_diagonal: false,
            connectome: false,
            normalisation: None,
        }
    }
}

fn variant(label: &str) -> Variant {
    <Variant as FromStr>::from_str(label).expect("a known variant label")
}

/// The arms of a preset: its variants, and for the controls each control arm.
fn arms(preset: Preset) -> Vec<Arm> {
    let plain = |variants: Vec<Variant>| variants.into_iter().map(Arm::plain).collect();
    match preset {
        Preset::PaperMain | Preset::PaperPositive => return plain(Variant::ALL.to_vec()),
        Preset::PaperPrecision => {
            return plain(
                Variant::ALL
                    .into_iter()
                    .filter(|variant| variant.needs_activity())
                    .collect(),
            );
        }
        Preset::CrossField => {
            // Each variant under the study's summed penalty and under the mean, whose strength
            // does not grow with N², so the report can set accuracy against N for both.
            let mut arms = Vec::new();
            for (name, normalisation) in [
                ("sum penalty", PenaltyNormalisation::Sum),
                ("mean penalty", PenaltyNormalisation::Mean),
            ] {
                for label in ["W*D*C", "WD*C", "W!D*C", "W"] {
                    arms.push(Arm {
                        label: Some(name),
                        normalisation: Some(normalisation),
                        ..Arm::plain(variant(label))
                    });
                }
            }
            return arms;
        }
        Preset::Controls => {}
    }
    let mut arms = Vec::new();
    for label in ["WD*C", "W*D*C"] {
        for (name, control) in [
            ("D* shuffled", DistanceControl::Shuffled),
            ("D* scale-matched", DistanceControl::ScaleMatched),
            ("D* rank-matched", DistanceControl::RankMatched),
        ] {
            arms.push(Arm {
                label: Some(name),
                distance: control,
                ..Arm::plain(variant(label))
            });
        }
    }
    for (name, init) in [
        ("W* shuffled", InitControl::Shuffle),
        ("W* resampled", InitControl::Resample),
    ] {
        arms.push(Arm {
            label: Some(name),
            init,
            ..Arm::plain(variant("W*D*C"))
        });
    }
    arms.push(Arm {
        label: Some("W* without diagonal"),
        exclude_diagonal: true,
        ..Arm::plain(variant("W*D*C"))
    });
    arms.push(Arm {
        label: Some("W* from the connectome"),
        connectome: true,
        ..Arm::plain(variant("W*D*C"))
    });
    arms
}

/// How the reference code's defects are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Every defect of the reference code restored (`--compat`).
    Compat,
    /// Blueprint's corrections (the defaults).
    Corrected,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::Compat => "compat",
            Mode::Corrected => "corrected",
        }
    }
}

/// `--mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeChoice {
    Compat,
    Corrected,
    /// Both, side by side.
    Both,
}

/// The plan of a study, as `study.json` holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudyPlan {
    pub schema: u32,
    pub preset: Preset,
    pub modes: Vec<Mode>,
    /// The build that planned it ([`BUILD`]).
    pub planned_by: String,
    /// The bundle, absolute.
    pub data: PathBuf,
    pub cells: Vec<Cell>,
}

/// One training run of the study.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub index: usize,
    pub mode: Mode,
    pub field: String,
    /// The control arm of a `controls` cell (e.g. `D* shuffled`); none for a plain variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arm: Option<String>,
    pub config: TrainConfig,
}

impl Cell {
    /// The cell's group in a report: its variant's label, with its control arm if any.
    pub fn group(&self) -> String {
        match &self.arm {
            Some(arm) => format!("{} [{arm}]", self.config.variant.label()),
            None => self.config.variant.label().to_owned(),
        }
    }
}

/// `done.json`: a finished cell.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Done {
    pub index: usize,
    pub val_accuracy: f64,
    pub wall_seconds: f64,
    pub finished_at_unix: u64,
    pub trained_by: String,
    /// The arithmetic the run did (absent in cells trained before it was counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flops: Option<Flops>,
}

/// What `--allow-version-change` appends to a cell's `trained_by` before the planning build:
/// `BUILD (planned by PLANNER; --allow-version-change)`. [`Done::build`] cuts it off again.
const PLANNED_BY_NOTE: &str = " (planned by ";

impl Done {
    /// The build that trained the cell: `trained_by` without the note of the build that
    /// planned it, which `--allow-version-change` adds.
    pub fn build(&self) -> &str {
        self.trained_by
            .split_once(PLANNED_BY_NOTE)
            .map_or(self.trained_by.as_str(), |(build, _)| build)
    }
}

/// `failed.json`: a cell that failed, and why.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failed {
    pub index: usize,
    pub reason: String,
    pub failed_at_unix: u64,
}

/// `running.json`: a cell being trained, by whom.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Running {
    pub index: usize,
    pub host: String,
    pub pid: u32,
    pub started_at_unix: u64,
}

/// `study`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum StudyCommand {
    /// Write STUDY/study.json (every cell, validated) and the cluster files.
    Plan(Box<PlanArgs>),
    /// Train the unfinished cells (all of them, or `--cell K`); resumable.
    Run(RunArgs),
    /// Write STUDY/report/ from the run folders alone: tables beside the paper's numbers,
    /// simple-effects statistics, tidy CSVs.
    Report(crate::report::ReportArgs),
    /// Done, running, failed and pending cells, with an ETA.
    Status {
        /// The study folder.
        study: PathBuf,
    },
}

/// `study plan`'s flags.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// paper-main (Table 2), paper-positive (Table 3), paper-precision, cross-field, controls.
    #[arg(long, value_enum)]
    pub preset: Preset,
    /// The bundle folder.
    #[arg(long)]
    pub data: PathBuf,
    /// compat (every reference defect), corrected (the defaults) or both.
    #[arg(long, value_enum, default_value_t = ModeChoice::Both)]
    pub mode: ModeChoice,
    /// Seeds: a range `1-20` or a list `1,2,5`.
    #[arg(long, default_value = "1-20")]
    pub seeds: String,
    /// Fields, comma-separated (default: 6_6_2; for cross-field every field with functional
    /// matrices or spikes).
    #[arg(long, value_delimiter = ',')]
    pub fields: Vec<String>,
    /// Tasks, comma-separated (default: all three).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub tasks: Vec<TaskKind>,
    /// The study folder to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The trainer binary the cluster files call (default: this one).
    #[arg(long)]
    pub trainer: Option<PathBuf>,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Slurm time limit per cell, e.g. 01:00:00.
    #[arg(long, default_value = "02:00:00")]
    pub time: String,
    /// Array tasks running at once (`%M`).
    #[arg(long, default_value_t = 64)]
    pub max_parallel: usize,
    /// The cluster files register each finished cell with this server (`study run
    /// --register`); the token comes from BLUEPRINT_TOKEN in the job's environment, never
    /// from the files.
    #[arg(long, value_name = "URL")]
    pub register: Option<String>,
    #[command(flatten)]
    pub protocol: ProtocolArgs,
}

/// `study run`'s flags.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study folder.
    pub study: PathBuf,
    /// Train only this cell (0-based), e.g. `$SLURM_ARRAY_TASK_ID`.
    #[arg(long)]
    pub cell: Option<usize>,
    /// Cells trained at once (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Train failed cells again.
    #[arg(long)]
    pub retry_failed: bool,
    /// Run a study planned by another build (noted in each cell's done.json).
    #[arg(long)]
    pub allow_version_change: bool,
    /// Register each finished cell with this server (and every selected cell finished
    /// earlier that has no `registered.json` yet), so a study fills a shared server as it runs.
    #[command(flatten)]
    pub upload: crate::cli::UploadArgs,
}

/// Runs a `study` subcommand.
pub fn run(command: StudyCommand) -> Result<()> {
    match command {
        StudyCommand::Plan(args) => {
            let plan = plan(&args)?;
            println!(
                "planned {} cells ({} preset, modes {}) in {}; train with `blueprint-trainer \
                 study run {}` or `sbatch {}`",
                plan.cells.len(),
                serde_json::to_value(plan.preset)?.as_str().unwrap_or("?"),
                plan.modes
                    .iter()
                    .map(|m| m.label())
                    .collect::<Vec<_>>()
                    .join("+"),
                args.out.display(),
                args.out.display(),
                args.out.join("slurm.sbatch").display()
            );
            Ok(())
        }
        StudyCommand::Run(args) => run_cells(&args),
        StudyCommand::Report(args) => {
            let out = crate::report::report(&args)?;
            println!(
                "{}: {}",
                out.display(),
                status_line(&states(&load(&args.study)?))
            );
            Ok(())
        }
        StudyCommand::Status { study } => {
            print!("{}", status(&study)?);
            Ok(())
        }
    }
}

/// Plans a study and writes its folder. Idempotent for the same plan; refuses to overwrite
/// another.
pub fn plan(args: &PlanArgs) -> Result<StudyPlan> {
    let modes = match (args.preset, args.mode) {
        (Preset::Controls, ModeChoice::Compat) => bail!(
            "the controls preset compares controls of the corrected distances; pass --mode \
             corrected (and plan paper-main --mode compat for the defective runs)"
        ),
        (Preset::Controls, _) => vec![Mode::Corrected],
        (_, ModeChoice::Compat) => vec![Mode::Compat],
        (_, ModeChoice::Corrected) => vec![Mode::Corrected],
        (_, ModeChoice::Both) => vec![Mode::Compat, Mode::Corrected],
    };
    if args.preset == Preset::CrossField
        && args.protocol.penalty_normalisation != PenaltyNormalisation::Sum
    {
        bail!(
            "the cross-field preset plans both penalty normalisations side by side; drop \
             --penalty-normalisation"
        );
    }
    let data = args.data.canonicalize().with_context(|| {
        format!(
            "the bundle {} does not exist; pass --data the bundle folder",
            args.data.display()
        )
    })?;
    let bundle = Bundle::open(&data)?;
    let seeds = parse_seeds(&args.seeds)?;
    let fields: Vec<String> = if !args.fields.is_empty() {
        for field in &args.fields {
            bundle.field_info(field)?;
        }
        args.fields.clone()
    } else if args.preset == Preset::CrossField {
        bundle
            .fields()
            .iter()
            .filter(|info| info.spikes || info.functional_matrices.len() >= 2)
            .map(|info| info.key.clone())
            .collect()
    } else {
        bundle.field_info("6_6_2")?;
        vec!["6_6_2".to_owned()]
    };
    if args.preset == Preset::PaperPrecision {
        for field in &fields {
            let info = bundle.field_info(field)?;
            if !info.spikes && !info.functional_matrices.iter().any(|m| m == "precision") {
                bail!(
                    "field {field} ships no precision matrix and no spikes to derive one from; \
                     pick another --fields for paper-precision"
                );
            }
        }
    }
    let tasks = if args.tasks.is_empty() {
        TaskKind::ALL.to_vec()
    } else {
        args.tasks.clone()
    };
    let cells_root = absolute(&args.out)?.join("cells");
    let mut cells = Vec::new();
    // Seeds outermost: a study stopped part-way has every (mode, field, task, variant) at the
    // same few seeds, which is what a partial report needs.
    for &seed in &seeds {
        for &mode in &modes {
            let mut protocol = args.protocol.clone();
            protocol.compat = mode == Mode::Compat;
            if args.preset == Preset::PaperPrecision {
                protocol.bio_source = BioSource::PrecisionSttc;
            }
            for field in &fields {
                for &task in &tasks {
                    for arm in arms(args.preset) {
                        let run = RunChoice {
                            task,
                            variant: arm.variant,
                            positive: args.preset == Preset::PaperPositive,
                            seed,
                        };
                        let mut name = run_name(field, &run);
                        if let Some(label) = arm.label {
                            name = format!(
                                "{name}-{}",
                                label.replace(['*', ' '], "").replace('!', "perm")
                            );
                        }
                        let out = cells_root.join(mode.label()).join(name);
                        let source = DataSource::Bundle {
                            path: data.clone(),
                            field: field.clone(),
                        };
                        let mut arm_protocol = protocol.clone();
                        arm_protocol.distance_control = arm.distance;
                        arm_protocol.init_control = arm.init;
                        arm_protocol.bio_exclude_diagonal |= arm.exclude_diagonal;
                        if let Some(normalisation) = arm.normalisation {
                            arm_protocol.penalty_normalisation = normalisation;
                        }
                        if arm.connectome {
                            arm_protocol.bio_source = BioSource::Connectome;
                        }
                        let config = arm_protocol.config(source, run, out)?;
                        cells.push(Cell {
                            index: cells.len(),
                            mode,
                            field: field.clone(),
                            arm: arm.label.map(str::to_owned),
                            config,
                        });
                    }
                }
            }
        }
    }
    let plan = StudyPlan {
        schema: STUDY_SCHEMA,
        preset: args.preset,
        modes,
        planned_by: BUILD.to_owned(),
        data,
        cells,
    };
    let study_json = args.out.join("study.json");
    if study_json.exists() {
        let existing = load(&args.out)?;
        if existing.cells != plan.cells || existing.preset != plan.preset {
            bail!(
                "{} already holds another plan ({} cells); choose another --out, or remove it \
                 first",
                args.out.display(),
                existing.cells.len()
            );
        }
    }
    if let Some(server) = &args.register
        && !server.starts_with("http://")
    {
        bail!("--register must be an http:// URL (this build speaks plain HTTP), got `{server}`");
    }
    std::fs::create_dir_all(args.out.join("logs"))?;
    write_atomically(&study_json, serde_json::to_string_pretty(&plan)?.as_bytes())?;
    let trainer = match &args.trainer {
        Some(path) => absolute(path)?,
        None => std::env::current_exe()?,
    };
    let study = absolute(&args.out)?;
    write_atomically(
        &args.out.join("slurm.sbatch"),
        slurm_script(&plan, &trainer, &study, args).as_bytes(),
    )?;
    write_atomically(
        &args.out.join("k8s-job.yaml"),
        k8s_job(&plan, &trainer, &study, args).as_bytes(),
    )?;
    Ok(plan)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    Ok(if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    })
}

/// The Slurm array job: one cell per task, one CPU each, logs in the study folder, absolute
/// paths throughout so `sbatch` works from any directory.
fn slurm_script(plan: &StudyPlan, trainer: &Path, study: &Path, args: &PlanArgs) -> String {
    let partition = args
        .partition
        .as_ref()
        .map(|p| format!("#SBATCH --partition={p}\n"))
        .unwrap_or_default();
    format!(
        "#!/bin/bash\n\
         # Written by `blueprint-trainer study plan`: {cells} cells, one per array task.\n\
         #SBATCH --job-name=blueprint-{preset}\n\
         #SBATCH --array=0-{last}%{max}\n\
         #SBATCH --cpus-per-task=1\n\
         #SBATCH --ntasks=1\n\
         #SBATCH --time={time}\n\
         {partition}\
         #SBATCH --output={study}/logs/cell-%a.out\n\
         #SBATCH --error={study}/logs/cell-%a.err\n\
         set -euo pipefail\n\
         # A cell trains on as many threads as the task was given CPUs, no more.\n\
         export RAYON_NUM_THREADS=\"${{SLURM_CPUS_PER_TASK:-1}}\"\n\
         exec {trainer} study run {study} --cell \"$SLURM_ARRAY_TASK_ID\" --jobs 1{register}\n",
        cells = plan.cells.len(),
        preset = serde_json::to_value(plan.preset)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        last = plan.cells.len().saturating_sub(1),
        max = args.max_parallel.max(1),
        time = args.time,
        study = study.display(),
        register = register_flag(args),
        trainer = trainer.display(),
    )
}

/// A Kubernetes Indexed Job doing what the Slurm array does (not tested here: no cluster).
/// ` --register URL` for the cluster files, or nothing. The URL was checked to be plain
/// `http://…`; it is single-quoted for the shell all the same.
fn register_flag(args: &PlanArgs) -> String {
    args.register
        .as_ref()
        .map(|server| format!(" --register '{}'", server.replace('\'', "")))
        .unwrap_or_default()
}

fn k8s_job(plan: &StudyPlan, trainer: &Path, study: &Path, args: &PlanArgs) -> String {
    let parallel = args.max_parallel;
    format!(
        "# Written by `blueprint-trainer study plan`. A Kubernetes Indexed Job: one pod per cell,\n\
         # the cell index from JOB_COMPLETION_INDEX. The study folder must be on a volume every\n\
         # pod mounts at the same path, and the image must hold the trainer at that path. Not\n\
         # tested by Blueprint's suite (no cluster); the Slurm script is.\n\
         apiVersion: batch/v1\n\
         kind: Job\n\
         metadata:\n  name: blueprint-study\n\
         spec:\n  completions: {cells}\n  parallelism: {parallel}\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n\
         \x20 template:\n    spec:\n      restartPolicy: Never\n      containers:\n\
         \x20       - name: cell\n          image: blueprint\n\
         \x20         env:\n            - name: RAYON_NUM_THREADS\n              value: \"1\"\n\
         \x20         command: [\"sh\", \"-c\", \"exec {trainer} study run {study} --cell \\\"$JOB_COMPLETION_INDEX\\\" --jobs 1{register}\"]\n\
         \x20         resources:\n            requests:\n              cpu: \"1\"\n",
        cells = plan.cells.len(),
        trainer = trainer.display(),
        study = study.display(),
        register = register_flag(args),
    )
}

/// Reads `STUDY/study.json`.
pub fn load(study: &Path) -> Result<StudyPlan> {
    let path = study.join("study.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} has no study.json; plan it first with `blueprint-trainer study plan --out {}`",
            study.display(),
            study.display()
        )
    })?;
    let plan: StudyPlan = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a readable study plan; plan the study again",
            path.display()
        )
    })?;
    if plan.schema != STUDY_SCHEMA {
        bail!(
            "{} has study schema {}, this build reads {STUDY_SCHEMA}",
            path.display(),
            plan.schema
        );
    }
    Ok(plan)
}

/// Where a cell stands.
#[derive(Clone, Debug, PartialEq)]
pub enum CellState {
    Done {
        wall_seconds: f64,
        /// The build that trained it ([`Done::build`]).
        trained_by: String,
    },
    Failed {
        reason: String,
    },
    /// Being trained by a live process (or one on another host).
    Running,
    /// A run that started and whose process is gone: trained again on the next run.
    Interrupted,
    Pending,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// The state of a cell, from its folder alone.
///
/// A marker counts only for the cell's own configuration: the run folder's `config.json`
/// (written before training) must read back as the planned configuration. The comparison is
/// of values, so a later build that adds a field with a default still recognises the cells an
/// earlier build trained.
pub fn cell_state(cell: &Cell) -> CellState {
    let folder = &cell.config.out;
    let same_config =
        || read_json::<TrainConfig>(&folder.join("config.json")).is_some_and(|c| c == cell.config);
    if let Some(done) = read_json::<Done>(&folder.join("done.json"))
        && folder.join("manifest.json").is_file()
        && folder.join("model.onnx").is_file()
        && same_config()
    {
        return CellState::Done {
            wall_seconds: done.wall_seconds,
            trained_by: done.build().to_owned(),
        };
    }
    if let Some(failed) = read_json::<Failed>(&folder.join("failed.json"))
        && same_config()
    {
        return CellState::Failed {
            reason: failed.reason,
        };
    }
    if let Some(running) = read_json::<Running>(&folder.join("running.json")) {
        let here = hostname();
        let alive = running.host != here || Path::new(&format!("/proc/{}", running.pid)).exists();
        return if alive {
            CellState::Running
        } else {
            CellState::Interrupted
        };
    }
    CellState::Pending
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Trains the unfinished cells (see the module).
pub fn run_cells(args: &RunArgs) -> Result<()> {
    let plan = load(&args.study)?;
    if plan.planned_by != BUILD && !args.allow_version_change {
        bail!(
            "{} was planned by {}, this is {BUILD}; re-plan it, or pass --allow-version-change \
             (noted in every cell trained)",
            args.study.display(),
            plan.planned_by
        );
    }
    let selected: Vec<&Cell> = match args.cell {
        Some(index) => vec![plan.cells.get(index).with_context(|| {
            format!(
                "--cell {index} is out of range: the study has cells 0 to {}",
                plan.cells.len().saturating_sub(1)
            )
        })?],
        None => plan.cells.iter().collect(),
    };
    let todo: Vec<&Cell> = selected
        .iter()
        .copied()
        .filter(|cell| match cell_state(cell) {
            CellState::Done { .. } | CellState::Running => false,
            CellState::Failed { .. } => args.retry_failed,
            CellState::Interrupted | CellState::Pending => true,
        })
        .collect();
    let total = plan.cells.len();
    let unregistered = Mutex::new(0usize);
    if let Some(server) = &args.upload.register {
        if !server.starts_with("http://") {
            bail!(
                "--register must be an http:// URL (this build speaks plain HTTP), got `{server}`"
            );
        }
        // Cells finished earlier (by another run, or before a failed registration).
        for cell in &selected {
            if matches!(cell_state(cell), CellState::Done { .. })
                && let Err(reason) = register_cell(cell, server, args.upload.token.as_deref())
            {
                *unregistered.lock().expect("lock") += 1;
                eprintln!("cell {} {}: {reason}", cell.index, cell.config.name);
            }
        }
    }
    if todo.is_empty() {
        println!("nothing to train: {}", status_line(&states(&plan)));
        return registration_outcome(args, unregistered.into_inner().expect("lock"));
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(todo.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "study [{elapsed_precise}] {bar:30} {pos}/{len} cells ({eta}) {msg}",
        )
        .expect("valid template"),
    );
    let finished = Mutex::new(0usize);
    let failures = Mutex::new(0usize);
    let started = Instant::now();
    let version_note = (plan.planned_by != BUILD).then(|| {
        format!(
            "{BUILD}{PLANNED_BY_NOTE}{}; --allow-version-change)",
            plan.planned_by
        )
    });
    // Workers take cells in plan order (seeds first), so a study stopped part-way has whole
    // seeds done rather than scattered cells.
    let next = AtomicUsize::new(0);
    let work = |_| {
        while let Some(cell) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
            let line = match train_cell(cell, version_note.as_deref()) {
                Ok(done) => {
                    let registered = match &args.upload.register {
                        Some(server) => {
                            match register_cell(cell, server, args.upload.token.as_deref()) {
                                Ok(model) => format!(", registered as {model}"),
                                Err(reason) => {
                                    *unregistered.lock().expect("lock") += 1;
                                    format!(", NOT registered: {reason}")
                                }
                            }
                        }
                        None => String::new(),
                    };
                    format!(
                        "cell {} {} done: validation accuracy {:.4} in {:.0} s{registered}",
                        cell.index, cell.config.name, done.val_accuracy, done.wall_seconds
                    )
                }
                Err(reason) => {
                    *failures.lock().expect("lock") += 1;
                    format!("cell {} {} FAILED: {reason}", cell.index, cell.config.name)
                }
            };
            let count = {
                let mut finished = finished.lock().expect("lock");
                *finished += 1;
                *finished
            };
            if bar.is_hidden() {
                eprintln!("[{count}/{}] {line}", todo.len());
            } else {
                bar.set_message(line);
            }
            bar.inc(1);
        }
    };
    std::thread::scope(|scope| {
        for worker in 0..jobs.min(todo.len()) {
            scope.spawn(move || work(worker));
        }
    });
    bar.finish_and_clear();
    let failed = failures.into_inner().expect("lock");
    println!(
        "trained {} of {total} cells in {:.0} s ({failed} failed): {}",
        todo.len(),
        started.elapsed().as_secs_f64(),
        status_line(&states(&load(&args.study)?))
    );
    if failed > 0 {
        bail!(
            "{failed} cell(s) failed; their reasons are in failed.json (`blueprint-trainer study \
             status {}`), and `--retry-failed` trains them again",
            args.study.display()
        );
    }
    registration_outcome(args, unregistered.into_inner().expect("lock"))
}

/// `registered.json`: a finished cell stored on a server.
#[derive(Debug, Serialize, Deserialize)]
struct RegisteredMarker {
    server: String,
    model: String,
}

/// Registers a finished cell with `server` unless its `registered.json` says it is there;
/// then writes that marker. Returns the server's model id.
fn register_cell(cell: &Cell, server: &str, token: Option<&str>) -> Result<String, String> {
    let marker_path = cell.config.out.join("registered.json");
    if let Some(marker) = read_json::<RegisteredMarker>(&marker_path)
        && marker.server == server
    {
        return Ok(marker.model);
    }
    let registered = crate::register::register_run(&cell.config.out, server, token)
        .map_err(|error| format!("{error:#}"))?;
    let marker = RegisteredMarker {
        server: server.to_owned(),
        model: registered.id.clone(),
    };
    write_atomically(
        &marker_path,
        serde_json::to_string_pretty(&marker)
            .expect("serialises")
            .as_bytes(),
    )
    .map_err(|error| format!("{error:#}"))?;
    Ok(registered.id)
}

/// An error naming the fix when finished cells could not be registered.
fn registration_outcome(args: &RunArgs, unregistered: usize) -> Result<()> {
    if unregistered > 0 {
        bail!(
            "{unregistered} finished cell(s) are not registered (reasons above); run `study run \
             {} --register URL` again once the server answers: it registers them without \
             training",
            args.study.display()
        );
    }
    Ok(())
}

/// Trains one cell and writes its markers.
fn train_cell(cell: &Cell, version_note: Option<&str>) -> Result<Done, String> {
    let folder = &cell.config.out;
    let mark = |name: &str, json: String| {
        write_atomically(&folder.join(name), json.as_bytes()).map_err(|e| format!("{e:#}"))
    };
    std::fs::create_dir_all(folder).map_err(|e| format!("creating {}: {e}", folder.display()))?;
    for stale in ["done.json", "failed.json"] {
        let _ = std::fs::remove_file(folder.join(stale));
    }
    let running = Running {
        index: cell.index,
        host: hostname(),
        pid: std::process::id(),
        started_at_unix: now_unix(),
    };
    mark(
        "running.json",
        serde_json::to_string(&running).expect("serialises"),
    )?;
    let outcome = train_and_save(&cell.config, Progress::Quiet);
    let result = match outcome {
        Ok(run) => {
            let outcome = run.manifest.outcome.expect("a trained run has an outcome");
            let done = Done {
                index: cell.index,
                val_accuracy: outcome.val_accuracy,
                wall_seconds: outcome.wall_seconds,
                finished_at_unix: now_unix(),
                trained_by: version_note.unwrap_or(BUILD).to_owned(),
                flops: Some(run.flops),
            };
            mark(
                "done.json",
                serde_json::to_string_pretty(&done).expect("serialises"),
            )?;
            Ok(done)
        }
        Err(error) => {
            let reason = format!("{error:#}");
            let failed = Failed {
                index: cell.index,
                reason: reason.clone(),
                failed_at_unix: now_unix(),
            };
            mark(
                "failed.json",
                serde_json::to_string_pretty(&failed).expect("serialises"),
            )?;
            Err(reason)
        }
    };
    let _ = std::fs::remove_file(folder.join("running.json"));
    result
}

/// Every cell's state, in plan order.
fn states(plan: &StudyPlan) -> Vec<CellState> {
    plan.cells.iter().map(cell_state).collect()
}

fn status_line(states: &[CellState]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for state in states {
        let key = match state {
            CellState::Done { .. } => "done",
            CellState::Failed { .. } => "failed",
            CellState::Running => "running",
            CellState::Interrupted => "interrupted",
            CellState::Pending => "pending",
        };
        *counts.entry(key).or_default() += 1;
    }
    format!(
        "{} done, {} running, {} interrupted, {} failed, {} pending of {}",
        counts.get("done").unwrap_or(&0),
        counts.get("running").unwrap_or(&0),
        counts.get("interrupted").unwrap_or(&0),
        counts.get("failed").unwrap_or(&0),
        counts.get("pending").unwrap_or(&0),
        states.len()
    )
}

/// How far a study is, seed by seed: the seeds done in every planned cell (a study stopped
/// early is a balanced table over them, since cells run seed-major) and, for the others,
/// how many of their cells are done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedProgress {
    pub complete: Vec<u64>,
    /// (seed, done cells, planned cells) for seeds begun but not finished.
    pub partial: Vec<(u64, usize, usize)>,
}

impl SeedProgress {
    /// "11 (44 of 66 cells), 12 (9 of 66 cells)".
    pub fn partial_text(&self) -> String {
        self.partial
            .iter()
            .map(|(seed, done, planned)| format!("{seed} ({done} of {planned} cells)"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The [`SeedProgress`] of `plan` given the seeds of its done cells (one per done cell).
pub fn seed_progress(plan: &StudyPlan, done_seeds: impl Iterator<Item = u64>) -> SeedProgress {
    let mut planned: BTreeMap<u64, usize> = BTreeMap::new();
    for cell in &plan.cells {
        *planned.entry(cell.config.seed).or_default() += 1;
    }
    let mut done: BTreeMap<u64, usize> = BTreeMap::new();
    for seed in done_seeds {
        *done.entry(seed).or_default() += 1;
    }
    let complete = planned
        .iter()
        .filter(|&(seed, &count)| done.get(seed) == Some(&count))
        .map(|(&seed, _)| seed)
        .collect();
    let partial = planned
        .iter()
        .filter_map(|(&seed, &count)| {
            let d = done.get(&seed).copied().unwrap_or(0);
            (d > 0 && d < count).then_some((seed, d, count))
        })
        .collect();
    SeedProgress { complete, partial }
}

/// Sorted seeds as runs: `1–6, 9, 14–20`.
pub fn seed_ranges(seeds: &[u64]) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &seed in seeds {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == seed => *end = seed,
            _ => runs.push((seed, seed)),
        }
    }
    runs.iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}–{end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `study status`: the counts, the failed cells' reasons, and an ETA on this machine's cores
/// from the mean measured cell time.
pub fn status(study: &Path) -> Result<String> {
    let plan = load(study)?;
    let states = states(&plan);
    let mut text = format!("{}: {}\n", study.display(), status_line(&states));
    let progress = seed_progress(
        &plan,
        plan.cells
            .iter()
            .zip(&states)
            .filter(|(_, state)| matches!(state, CellState::Done { .. }))
            .map(|(cell, _)| cell.config.seed),
    );
    if !progress.complete.is_empty() || !progress.partial.is_empty() {
        text.push_str(&format!(
            "seeds done in every cell: {}",
            if progress.complete.is_empty() {
                "none yet".to_owned()
            } else {
                seed_ranges(&progress.complete)
            }
        ));
        if !progress.partial.is_empty() {
            text.push_str(&format!("; partly done: {}", progress.partial_text()));
        }
        text.push('\n');
    }
    let times: Vec<f64> = states
        .iter()
        .filter_map(|state| match state {
            CellState::Done { wall_seconds, .. } => Some(*wall_seconds),
            _ => None,
        })
        .collect();
    let left = states
        .iter()
        .filter(|state| !matches!(state, CellState::Done { .. } | CellState::Failed { .. }))
        .count();
    if !times.is_empty() && left > 0 {
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let eta = mean * left as f64 / cores as f64;
        text.push_str(&format!(
            "mean cell time {mean:.0} s over {} cells; ETA {:.1} h for {left} cells on {cores} \
             cores here\n",
            times.len(),
            eta / 3600.0
        ));
    }
    for (cell, state) in plan.cells.iter().zip(&states) {
        if let CellState::Failed { reason } = state {
            text.push_str(&format!(
                "failed: cell {} {}: {reason}\n",
                cell.index, cell.config.name
            ));
        }
    }
    if plan.planned_by != BUILD {
        text.push_str(&format!(
            "planned by {}, this is {BUILD}: `study run` needs --allow-version-change\n",
            plan.planned_by
        ));
    }
    Ok(text)
}
