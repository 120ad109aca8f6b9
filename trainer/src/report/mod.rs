//! `blueprint-trainer study report`: what a study found, from its run folders alone (no
//! server): tidy CSVs, the paper's layout with its published numbers beside ours, and the
//! simple-effects statistics of its Tables S5–S7.
//!
//! - Measures per cell: held-out validation accuracy (the headline), last-epoch training
//!   accuracy (the quantity the paper reported, in its own table), and the study's four
//!   structure metrics of the trained `W_rec` (`core::metrics` with the study's settings:
//!   entropy, CNM modularity Q, assortativity r, σ against 1,000 nulls, seeded by the cell's
//!   seed). Metrics are cached per cell in `metrics.json`, keyed by the model's checksum. And
//!   the penalty kept: log₁₀ of the last epoch's penalty over the first's (`history.jsonl`),
//!   −2 where the penalty fell a hundredfold, as when it drives `W_rec` to zero.
//! - `cells.csv`: one row per cell and measure, numbers unformatted, with the build that
//!   trained the cell (a study continued with `--allow-version-change` mixes builds, and the
//!   header of `report.md` counts the cells of each). `summary.csv`: per mode,
//!   field, task, variant and measure, n, mean and the 95% t-interval, with the paper's mean and
//!   interval and whether the paper's mean falls inside ours.
//! - `effects.csv`: for each factor (W, D, C) at fixed levels of the other two, per mode, task
//!   and measure, Kruskal–Wallis across the factor's levels, then every pairwise two-sided
//!   Mann–Whitney test with Holm-adjusted p, Cliff's δ and the rank-biserial r (`core::stats`).
//! - `report.md`: the tables and the counts; how many cells are done, and which failed.
//! - A study of both modes: each compat cell against the corrected cell of the same group and
//!   task (the difference of the means, the seeds that learned, the Mann–Whitney p and Holm's
//!   p over the table), in `modes.csv` and the report.
//! - `--against OTHER`: a second study side by side, cell by cell, the same way, in
//!   `against.csv` and the report; samples of different modes are never pooled.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use blueprint_core::manifest::{ModelManifest, sha256_hex};
use blueprint_core::metrics::{MetricKind, MetricsConfig, compute_all};
use blueprint_core::network::Variant;
use blueprint_core::network::variant::{CommunicabilityKind, DistanceKind, InitKind};
use blueprint_core::onnx;
use blueprint_core::stats::{
    MannWhitneyMethod, cliffs_delta, holm, kruskal_wallis, mann_whitney_u, mean, t_interval,
};
use blueprint_core::task::TaskKind;

use blueprint_core::figures::{Curve, Group, Panel, Series, line_plot, strip_plot, weight_heatmap};

use crate::study::{self, Cell, CellState, Mode, Preset, StudyPlan};

mod answers;
use crate::train::{EpochRecord, write_atomically};

/// The paper's published tables, committed as data with their source (`data/paper/`).
const PAPER_TABLE2: &str = include_str!("../../../data/paper/table2.csv");
const PAPER_TABLE3: &str = include_str!("../../../data/paper/table3.csv");
/// The field the paper's tables are of.
const PAPER_FIELD: &str = "6_6_2";

/// One measure of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    HeldOutAccuracy,
    TrainingAccuracy,
    Entropy,
    Modularity,
    SmallWorld,
    Assortativity,
    /// log₁₀ of the trained network's penalty over its penalty after the first epoch (both
    /// from `history.jsonl`): −2 where the penalty fell a hundredfold, as it does when it
    /// drives `W_rec` to zero. On a log scale because it spans orders of magnitude both ways.
    PenaltyKept,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Measure::HeldOutAccuracy,
        Measure::TrainingAccuracy,
        Measure::Entropy,
        Measure::Modularity,
        Measure::SmallWorld,
        Measure::Assortativity,
        Measure::PenaltyKept,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Measure::HeldOutAccuracy => "heldout_accuracy",
            Measure::TrainingAccuracy => "training_accuracy_last_epoch",
            Measure::Entropy => "entropy_bits",
            Measure::Modularity => "modularity_q",
            Measure::SmallWorld => "small_worldness_sigma",
            Measure::Assortativity => "assortativity_r",
            Measure::PenaltyKept => "penalty_kept_log10",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Measure::HeldOutAccuracy => "Held-out validation accuracy (the headline)",
            Measure::TrainingAccuracy => {
                "Last-epoch training accuracy (the quantity the paper reported)"
            }
            Measure::Entropy => "Weight entropy (bits)",
            Measure::Modularity => "CNM modularity Q",
            Measure::SmallWorld => "Small-worldness σ (1,000 study nulls)",
            Measure::Assortativity => "Degree assortativity r",
            Measure::PenaltyKept => {
                "Penalty kept, log₁₀ (last epoch ÷ first; −2: fell a hundredfold, W_rec driven \
                 towards zero)"
            }
        }
    }

    /// The paper's measure name in its tables. Its "accuracy" is training accuracy.
    fn paper_label(self) -> &'static str {
        match self {
            Measure::HeldOutAccuracy | Measure::TrainingAccuracy => "accuracy",
            other => other.label(),
        }
    }
}

/// `metrics.json`: a cell's study metrics, cached.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct CellMetrics {
    onnx_sha256: String,
    config: MetricsConfig,
    entropy: Option<f64>,
    modularity: Option<f64>,
    small_world: Option<f64>,
    assortativity: Option<f64>,
}

/// The measures of one done cell.
#[derive(Clone, Debug)]
struct Measured {
    cell: Cell,
    /// The network's size (its field's neuron count).
    n: usize,
    values: BTreeMap<Measure, f64>,
    /// The build that trained it (from its `done.json`).
    trained_by: String,
    /// Its `history.jsonl`, read once (None where unreadable).
    history: Option<Vec<EpochRecord>>,
}

/// `study report`'s flags.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The study folder.
    pub study: PathBuf,
    /// A second study to put side by side (e.g. compat against corrected).
    #[arg(long)]
    pub against: Option<PathBuf>,
    /// Where to write (default: STUDY/report).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Threads for the metrics (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// Writes the report (see the module); returns the report folder.
pub fn report(args: &ReportArgs) -> Result<PathBuf> {
    let plan = study::load(&args.study)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.study.join("report"));
    std::fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let measured = measure_study(&plan, jobs)?;
    let against = match &args.against {
        Some(other) => {
            let other_plan = study::load(other)?;
            let other_measured = measure_study(&other_plan, jobs)?;
            Some((other.clone(), other_plan.modes, other_measured))
        }
        None => None,
    };
    let paper = paper_table(plan.preset);
    let summaries = summarise(&measured);
    let groups = ordered_groups(&measured);

    write_atomically(&out.join("cells.csv"), cells_csv(&measured).as_bytes())?;
    write_atomically(
        &out.join("summary.csv"),
        summary_csv(&summaries, &paper).as_bytes(),
    )?;
    let effects = simple_effects(&measured);
    write_atomically(&out.join("effects.csv"), effects_csv(&effects).as_bytes())?;
    let modes = compat_against_corrected(&summaries, &groups);
    let modes_path = out.join("modes.csv");
    if modes.is_empty() {
        let _ = std::fs::remove_file(&modes_path);
    } else {
        write_atomically(
            &modes_path,
            comparison_csv(&modes, ("compat", "corrected")).as_bytes(),
        )?;
    }
    let against_rows = against.as_ref().map(|(_, their_modes, other)| {
        compare(
            &summaries,
            &plan.modes,
            &summarise(other),
            their_modes,
            &groups,
        )
    });
    if let Some(rows) = &against_rows {
        write_atomically(
            &out.join("against.csv"),
            comparison_csv(rows, ("this", "other")).as_bytes(),
        )?;
    }
    let figures = write_figures(&out, &plan, &measured)?;
    let answers = answers::answers(
        &measured,
        against.as_ref().map(|(_, _, other)| other.as_slice()),
    );
    let answers_path = out.join("answers.csv");
    if answers.csv.is_empty() {
        // A report rewritten after its questions went away keeps no stale answers.
        let _ = std::fs::remove_file(&answers_path);
    } else {
        write_atomically(&answers_path, answers.csv.as_bytes())?;
    }
    let markdown = report_markdown(
        &args.study,
        &plan,
        &measured,
        &summaries,
        &paper,
        &effects,
        &figures,
        &answers.markdown,
        &modes,
        against
            .as_ref()
            .map(|(path, _, _)| path.as_path())
            .zip(against_rows.as_deref()),
    );
    write_atomically(&out.join("report.md"), markdown.as_bytes())?;
    Ok(out)
}

/// The measures of every done cell, computing (and caching) the metrics that are missing.
fn measure_study(plan: &StudyPlan, jobs: usize) -> Result<Vec<Measured>> {
    let done: Vec<(&Cell, String)> = plan
        .cells
        .iter()
        .filter_map(|cell| match study::cell_state(cell) {
            CellState::Done { trained_by, .. } => Some((cell, trained_by)),
            _ => None,
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    pool.install(|| {
        done.into_par_iter()
            .map(|(cell, trained_by)| measure_cell(cell, trained_by))
            .collect::<Result<Vec<_>>>()
    })
}

fn measure_cell(cell: &Cell, trained_by: String) -> Result<Measured> {
    let folder = &cell.config.out;
    let corrupt = |what: &str| format!("cell {} ({}): {what}", cell.index, folder.display());
    let manifest = ModelManifest::from_json(
        &std::fs::read_to_string(folder.join("manifest.json"))
            .with_context(|| corrupt("no readable manifest.json"))?,
    )
    .with_context(|| corrupt("manifest.json is not a valid manifest"))?;
    let outcome = manifest
        .outcome
        .with_context(|| corrupt("the manifest has no training outcome"))?;
    let bytes =
        std::fs::read(folder.join("model.onnx")).with_context(|| corrupt("no model.onnx"))?;
    let sha = sha256_hex(&bytes);
    let config = MetricsConfig {
        seed: cell.config.seed,
        ..MetricsConfig::study()
    };
    let cache = folder.join("metrics.json");
    let cached = std::fs::read_to_string(&cache)
        .ok()
        .and_then(|text| serde_json::from_str::<CellMetrics>(&text).ok())
        .filter(|metrics| metrics.onnx_sha256 == sha && metrics.config == config);
    let metrics = match cached {
        Some(metrics) => metrics,
        None => {
            let w = onnx::read_model(&bytes)
                .and_then(|model| model.matrix("W_rec"))
                .with_context(|| corrupt("model.onnx has no readable W_rec"))?
                .mapv(f64::from);
            let report = compute_all(w.view(), None, &config)
                .with_context(|| corrupt("its W_rec cannot be measured"))?;
            let metrics = CellMetrics {
                onnx_sha256: sha,
                entropy: report.value(MetricKind::Entropy),
                modularity: report.value(MetricKind::Modularity),
                small_world: report.value(MetricKind::SmallWorld),
                assortativity: report.value(MetricKind::Assortativity),
                config,
            };
            write_atomically(&cache, serde_json::to_string_pretty(&metrics)?.as_bytes())?;
            metrics
        }
    };
    let mut values = BTreeMap::new();
    values.insert(Measure::HeldOutAccuracy, outcome.val_accuracy);
    values.insert(Measure::TrainingAccuracy, outcome.train_accuracy_last_epoch);
    for (measure, value) in [
        (Measure::Entropy, metrics.entropy),
        (Measure::Modularity, metrics.modularity),
        (Measure::SmallWorld, metrics.small_world),
        (Measure::Assortativity, metrics.assortativity),
    ] {
        if let Some(value) = value.filter(|v| v.is_finite()) {
            values.insert(measure, value);
        }
    }
    let history = read_history(&folder.join("history.jsonl"));
    if let Some(kept) = history.as_deref().and_then(penalty_kept) {
        values.insert(Measure::PenaltyKept, kept);
    }
    Ok(Measured {
        cell: cell.clone(),
        n: manifest.hidden_size,
        values,
        trained_by,
        history,
    })
}

/// (mode, field, task, group (a variant, or a variant with its control arm), measure).
type Key = (Mode, String, TaskKind, String, Measure);

/// The groups present, in Table 2 order, then the control arms by name.
fn ordered_groups(measured: &[Measured]) -> Vec<String> {
    let present: std::collections::BTreeSet<String> =
        measured.iter().map(|m| m.cell.group()).collect();
    let mut groups: Vec<String> = Variant::ALL
        .iter()
        .map(|v| v.label().to_owned())
        .filter(|label| present.contains(label))
        .collect();
    groups.extend(
        present
            .iter()
            .filter(|g| !groups.contains(g))
            .cloned()
            .collect::<Vec<_>>(),
    );
    groups
}

/// n, mean and the 95% t-interval (None below two values).
#[derive(Clone, Debug)]
struct Summary {
    values: Vec<f64>,
    mean: f64,
    interval: Option<(f64, f64)>,
}

fn summarise(measured: &[Measured]) -> BTreeMap<Key, Summary> {
    let mut groups: BTreeMap<Key, Vec<f64>> = BTreeMap::new();
    for m in measured {
        for (&measure, &value) in &m.values {
            groups
                .entry((
                    m.cell.mode,
                    m.cell.field.clone(),
                    m.cell.config.task.kind(),
                    m.cell.group(),
                    measure,
                ))
                .or_default()
                .push(value);
        }
    }
    groups
        .into_iter()
        .map(|(key, values)| {
            let mean = mean(&values).unwrap_or(f64::NAN);
            let interval = t_interval(&values, 0.95)
                .ok()
                .map(|interval| (interval.low, interval.high))
                .filter(|(low, high)| low.is_finite() && high.is_finite());
            (
                key,
                Summary {
                    values,
                    mean,
                    interval,
                },
            )
        })
        .collect()
}

/// The paper's number for (measure, variant, task): mean and interval (the interval may be
/// absent, as in Table 3).
#[derive(Clone, Copy, Debug)]
struct PaperValue {
    mean: f64,
    interval: Option<(f64, f64)>,
}

type PaperTable = BTreeMap<(String, String, String), PaperValue>;

fn paper_table(preset: Preset) -> PaperTable {
    let text = match preset {
        Preset::PaperMain => PAPER_TABLE2,
        Preset::PaperPositive => PAPER_TABLE3,
        Preset::PaperPrecision | Preset::CrossField | Preset::Controls => return PaperTable::new(),
    };
    let mut table = PaperTable::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() < 6 {
            continue;
        }
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let Some(mean) = number(fields[3]) else {
            continue;
        };
        let interval = number(fields[4]).zip(number(fields[5]));
        table.insert(
            (fields[0].into(), fields[1].into(), fields[2].into()),
            PaperValue { mean, interval },
        );
    }
    table
}

/// The paper's number for a cell of field `field`: its tables are of field 6_6_2 only.
fn paper_value(
    paper: &PaperTable,
    field: &str,
    measure: Measure,
    group: &str,
    task: TaskKind,
) -> Option<PaperValue> {
    if field != PAPER_FIELD {
        return None;
    }
    paper
        .get(&(
            measure.paper_label().to_owned(),
            group.to_owned(),
            task.as_str().to_owned(),
        ))
        .copied()
}

/// Which seeds are done in every planned cell, and how far the others are: a study stopped
/// early is a balanced table over the former (cells run seed by seed), and a cell's n says
/// where it holds more.
fn seeds_line(plan: &StudyPlan, measured: &[Measured]) -> String {
    let progress = study::seed_progress(plan, measured.iter().map(|m| m.cell.config.seed));
    let mut line = if progress.complete.is_empty() {
        "- No seed is done in every cell yet.".to_owned()
    } else {
        format!(
            "- Seeds done in every cell: {}.",
            study::seed_ranges(&progress.complete)
        )
    };
    if !progress.partial.is_empty() {
        let _ = write!(line, " Partly done: {}.", progress.partial_text());
    }
    line.push_str(
        " A cell's interval is the 95% t-interval over its seeds; with one seed it shows \
         `n = 1` and no interval.\n",
    );
    line
}

/// Which builds trained the done cells, with how many each. One line when every cell was
/// trained by the build that planned the study; otherwise the study was continued with
/// `--allow-version-change`, and the line says so, since builds may round differently.
fn builds_line(plan: &StudyPlan, measured: &[Measured]) -> String {
    let mut builds: BTreeMap<&str, usize> = BTreeMap::new();
    for m in measured {
        *builds.entry(m.trained_by.as_str()).or_default() += 1;
    }
    if builds.is_empty() {
        return String::new();
    }
    if builds.len() == 1 && builds.contains_key(plan.planned_by.as_str()) {
        return "- Every done cell was trained by the build that planned the study.\n".to_owned();
    }
    let mut by_count: Vec<(&str, usize)> = builds.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let list = by_count
        .iter()
        .map(|(build, count)| {
            let planning = if *build == plan.planned_by {
                " (the planning build)"
            } else {
                ""
            };
            // A done.json is a file on disk: its text must not break the Markdown.
            let build = build.replace(['`', '\n', '\r'], " ");
            format!("`{build}`{planning}: {count}")
        })
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "- **Cells were trained by {} build{}** (the study was continued with \
         `--allow-version-change`), done cells per build: {list}. Builds may round \
         differently, so a cell's numbers are reproduced exactly only by the build that \
         trained it; each cell's build is in `cells.csv`.\n",
        by_count.len(),
        if by_count.len() == 1 { "" } else { "s" },
    )
}

fn cells_csv(measured: &[Measured]) -> String {
    let mut csv =
        String::from("cell,mode,field,task,group,positive,seed,trained_by,measure,value\n");
    let mut rows: Vec<&Measured> = measured.iter().collect();
    rows.sort_by_key(|m| m.cell.index);
    for m in rows {
        for (measure, value) in &m.values {
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{},{},{value}",
                m.cell.index,
                mode_label(m.cell.mode),
                m.cell.field,
                m.cell.config.task.kind(),
                m.cell.group(),
                m.cell.config.positive,
                m.cell.config.seed,
                csv_field(&m.trained_by),
                measure.label()
            );
        }
    }
    csv
}

/// `text` as one CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a
/// line break.
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Compat => "compat",
        Mode::Corrected => "corrected",
    }
}

/// A number for a CSV: empty when it is missing or not finite (an undefined test's p is NaN).
fn optional(value: impl Into<Option<f64>>) -> String {
    value
        .into()
        .filter(|v| v.is_finite())
        .map_or_else(String::new, |v| v.to_string())
}

fn summary_csv(summaries: &BTreeMap<Key, Summary>, paper: &PaperTable) -> String {
    let mut csv = String::from(
        "mode,field,task,group,measure,n,mean,ci95_low,ci95_high,paper_mean,paper_ci95_low,paper_ci95_high,paper_mean_inside_ci\n",
    );
    for ((mode, field, task, group, measure), summary) in summaries {
        let published = paper_value(paper, field, *measure, group, *task);
        let inside = published
            .zip(summary.interval)
            .map(|(p, (low, high))| (low..=high).contains(&p.mean));
        let _ = writeln!(
            csv,
            "{},{field},{task},{},{},{},{},{},{},{},{},{},{}",
            mode_label(*mode),
            group,
            measure.label(),
            summary.values.len(),
            summary.mean,
            optional(summary.interval.map(|i| i.0)),
            optional(summary.interval.map(|i| i.1)),
            optional(published.map(|p| p.mean)),
            optional(published.and_then(|p| p.interval).map(|i| i.0)),
            optional(published.and_then(|p| p.interval).map(|i| i.1)),
            inside.map_or_else(String::new, |inside| inside.to_string()),
        );
    }
    csv
}

/// A factor of the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Factor {
    W,
    D,
    C,
}

fn levels(variant: Variant) -> [&'static str; 3] {
    let (init, distance, communicability) = variant.factors();
    [
        match init {
            InitKind::Orthogonal => "W",
            InitKind::Bio => "W*",
            InitKind::PermutedBio => "W!",
        },
        match distance {
            DistanceKind::None => "no D",
            DistanceKind::Grid => "D",
            DistanceKind::Real => "D*",
        },
        match communicability {
            CommunicabilityKind::None => "no C",
            CommunicabilityKind::Direct => "C",
            CommunicabilityKind::EmpiricalEmd => "C*",
        },
    ]
}

/// One simple-effect test family: a factor's levels compared at fixed levels of the others.
#[derive(Clone, Debug)]
struct Effect {
    mode: Mode,
    task: TaskKind,
    measure: Measure,
    factor: Factor,
    fixed: String,
    groups: Vec<(String, Vec<f64>)>,
    /// Kruskal–Wallis (H, p), or why it is undefined: a family whose seeds all scored the same
    /// (every bio variant at 1.000, say) is kept and says so, never dropped from the tables.
    kruskal: Result<(f64, f64), String>,
    pairs: Vec<Pair>,
}

#[derive(Clone, Debug)]
struct Pair {
    a: String,
    b: String,
    u: f64,
    p: f64,
    p_holm: f64,
    cliffs_delta: f64,
    rank_biserial: f64,
}

/// (mode, task, measure, the other two factors' levels).
type FamilyKey = (Mode, TaskKind, Measure, String);

fn simple_effects(measured: &[Measured]) -> Vec<Effect> {
    let mut effects = Vec::new();
    for factor in [Factor::W, Factor::D, Factor::C] {
        let index = factor as usize;
        // (mode, task, measure, fixed levels) → level → values.
        let mut families: BTreeMap<FamilyKey, BTreeMap<String, Vec<f64>>> = BTreeMap::new();
        // The factorial design is the plain variants'; control arms stay out of it.
        for m in measured.iter().filter(|m| m.cell.arm.is_none()) {
            let levels = levels(m.cell.config.variant);
            let fixed: Vec<&str> = (0..3).filter(|&i| i != index).map(|i| levels[i]).collect();
            for (&measure, &value) in &m.values {
                families
                    .entry((
                        m.cell.mode,
                        m.cell.config.task.kind(),
                        measure,
                        fixed.join(", "),
                    ))
                    .or_default()
                    .entry(levels[index].to_owned())
                    .or_default()
                    .push(value);
            }
        }
        for ((mode, task, measure, fixed), groups) in families {
            let groups: Vec<(String, Vec<f64>)> = groups
                .into_iter()
                .filter(|(_, values)| values.len() >= 2)
                .collect();
            if groups.len() < 2 {
                continue;
            }
            let samples: Vec<&[f64]> = groups.iter().map(|(_, v)| v.as_slice()).collect();
            let kruskal = kruskal_wallis(&samples)
                .map(|k| (k.h, k.p_value))
                .map_err(|error| no_test(&samples, error));
            let mut pairs = Vec::new();
            for i in 0..groups.len() {
                for j in i + 1..groups.len() {
                    let (a, b) = (&groups[i], &groups[j]);
                    // A pair whose seeds all scored the same has no test; it keeps its row,
                    // its statistics NaN (empty in the CSV), and stays out of Holm's family.
                    let test = mann_whitney_u(&a.1, &b.1, MannWhitneyMethod::Auto).ok();
                    pairs.push(Pair {
                        a: a.0.clone(),
                        b: b.0.clone(),
                        u: test.as_ref().map_or(f64::NAN, |t| t.u1),
                        p: test.as_ref().map_or(f64::NAN, |t| t.p_value),
                        p_holm: f64::NAN,
                        cliffs_delta: cliffs_delta(&a.1, &b.1).unwrap_or(f64::NAN),
                        rank_biserial: test.as_ref().map_or(f64::NAN, |t| t.rank_biserial),
                    });
                }
            }
            let tested: Vec<usize> = (0..pairs.len())
                .filter(|&i| pairs[i].p.is_finite())
                .collect();
            let raw: Vec<f64> = tested.iter().map(|&i| pairs[i].p).collect();
            if let Ok(adjusted) = holm(&raw) {
                for (&i, adjusted) in tested.iter().zip(adjusted) {
                    pairs[i].p_holm = adjusted;
                }
            }
            effects.push(Effect {
                mode,
                task,
                measure,
                factor,
                fixed,
                groups,
                kruskal,
                pairs,
            });
        }
    }
    effects
}

/// Why a test of `samples` is undefined, for a reader: the common value when every value is
/// the same, else the statistics error.
fn no_test(samples: &[&[f64]], error: blueprint_core::stats::StatsError) -> String {
    let mut values = samples.iter().flat_map(|s| s.iter());
    match values.next() {
        Some(&first) if values.all(|&v| v == first) => {
            let n: usize = samples.iter().map(|s| s.len()).sum();
            format!("no test: all {n} seeds scored {first:.3}")
        }
        _ => format!("no test: {error}"),
    }
}

fn factor_label(factor: Factor) -> &'static str {
    match factor {
        Factor::W => "W (initialisation)",
        Factor::D => "D (distance)",
        Factor::C => "C (communicability)",
    }
}

fn effects_csv(effects: &[Effect]) -> String {
    let mut csv = String::from(
        "mode,task,measure,factor,fixed,test,group_a,group_b,n_a,n_b,statistic,p,p_holm,cliffs_delta,rank_biserial\n",
    );
    for e in effects {
        let n = |name: &str| {
            e.groups
                .iter()
                .find(|(g, _)| g == name)
                .map_or(0, |(_, v)| v.len())
        };
        // The family's columns, shared by its Kruskal–Wallis row and its pairs' rows.
        let family = format!(
            "{},{},{},{},\"{}\"",
            mode_label(e.mode),
            e.task,
            e.measure.label(),
            factor_label(e.factor),
            e.fixed,
        );
        // An undefined test keeps its row, with the statistic and p left empty.
        let (h, p) = e.kruskal.as_ref().ok().copied().unzip();
        let _ = writeln!(
            csv,
            "{family},kruskal-wallis,\"{}\",,{},,{},{},,,",
            e.groups
                .iter()
                .map(|(g, _)| g.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            e.groups.iter().map(|(_, v)| v.len()).sum::<usize>(),
            optional(h),
            optional(p),
        );
        for pair in &e.pairs {
            let _ = writeln!(
                csv,
                "{family},mann-whitney,{},{},{},{},{},{},{},{},{}",
                pair.a,
                pair.b,
                n(&pair.a),
                n(&pair.b),
                optional(pair.u),
                optional(pair.p),
                optional(pair.p_holm),
                optional(pair.cliffs_delta),
                optional(pair.rank_biserial)
            );
        }
    }
    csv
}

/// One group's values in two samples set side by side: this study's cells against another
/// study's (`--against`), or one study's compat cells against its corrected ones.
#[derive(Clone, Debug)]
struct Comparison {
    field: String,
    task: TaskKind,
    group: String,
    measure: Measure,
    /// The modes of the two samples (they differ when studies of different modes are compared,
    /// and in the compat-against-corrected section).
    modes: (Mode, Mode),
    ours: Vec<f64>,
    theirs: Vec<f64>,
    /// Two-sided Mann–Whitney p ([`answers::mann_whitney_p`]: None below two values a side).
    p: Option<f64>,
    /// `p` Holm-adjusted over the comparisons of the same measure.
    p_holm: Option<f64>,
}

impl Comparison {
    /// The means of the two samples.
    fn means(&self) -> (f64, f64) {
        (
            mean(&self.ours).unwrap_or(f64::NAN),
            mean(&self.theirs).unwrap_or(f64::NAN),
        )
    }
}

/// Pairs every sample of `ours` with the samples of `theirs` of the same field, task, group
/// and measure in the modes `pair_modes` names for its mode, tests each pair, and Holm-adjusts
/// the p-values per measure. Rows come in measure, mode pair, field, task and `groups` order.
fn pair_samples(
    ours: &BTreeMap<Key, Summary>,
    theirs: &BTreeMap<Key, Summary>,
    pair_modes: impl Fn(Mode) -> Vec<Mode>,
    groups: &[String],
) -> Vec<Comparison> {
    let mut rows: Vec<Comparison> = Vec::new();
    for ((mode, field, task, group, measure), summary) in ours {
        for other_mode in pair_modes(*mode) {
            let key = (other_mode, field.clone(), *task, group.clone(), *measure);
            let Some(other) = theirs.get(&key) else {
                continue;
            };
            let p = answers::mann_whitney_p(&summary.values, &other.values);
            rows.push(Comparison {
                field: field.clone(),
                task: *task,
                group: group.clone(),
                measure: *measure,
                modes: (*mode, other_mode),
                ours: summary.values.clone(),
                theirs: other.values.clone(),
                p,
                p_holm: None,
            });
        }
    }
    let position = |group: &str| groups.iter().position(|g| g == group);
    rows.sort_by(|a, b| {
        (a.measure, a.modes, &a.field, a.task, position(&a.group)).cmp(&(
            b.measure,
            b.modes,
            &b.field,
            b.task,
            position(&b.group),
        ))
    });
    for measure in Measure::ALL {
        let tested: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].measure == measure && rows[i].p.is_some())
            .collect();
        let raw: Vec<f64> = tested.iter().filter_map(|&i| rows[i].p).collect();
        if let Ok(adjusted) = holm(&raw) {
            for (i, p_holm) in tested.into_iter().zip(adjusted) {
                rows[i].p_holm = Some(p_holm);
            }
        }
    }
    rows
}

/// This study against another, cell by cell. Studies of the same modes are paired mode with
/// mode; otherwise every mode of this study meets every mode of the other (a compat study
/// against a corrected one). Samples of different modes are never pooled.
fn compare(
    ours: &BTreeMap<Key, Summary>,
    our_modes: &[Mode],
    theirs: &BTreeMap<Key, Summary>,
    their_modes: &[Mode],
    groups: &[String],
) -> Vec<Comparison> {
    let set = |modes: &[Mode]| {
        modes
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
    };
    let same = set(our_modes) == set(their_modes);
    pair_samples(
        ours,
        theirs,
        |mode| {
            if same {
                vec![mode]
            } else {
                their_modes.to_vec()
            }
        },
        groups,
    )
}

/// A study of both modes: each compat cell against the corrected cell of the same field, task
/// and group (empty for a study of one mode).
fn compat_against_corrected(
    summaries: &BTreeMap<Key, Summary>,
    groups: &[String],
) -> Vec<Comparison> {
    pair_samples(
        summaries,
        summaries,
        |mode| match mode {
            Mode::Compat => vec![Mode::Corrected],
            Mode::Corrected => Vec::new(),
        },
        groups,
    )
}

/// `against.csv` and `modes.csv`: one row per comparison, numbers unformatted; `names` label
/// the two samples' columns (`this`/`other`, `compat`/`corrected`). `learned_*` is filled
/// for held-out accuracy only.
fn comparison_csv(rows: &[Comparison], (a, b): (&str, &str)) -> String {
    let mut csv = format!(
        "field,task,group,measure,mode_{a},n_{a},mean_{a},learned_{a},mode_{b},n_{b},mean_{b},\
         learned_{b},difference,mann_whitney_p,holm_p\n"
    );
    for row in rows {
        let (mean_a, mean_b) = row.means();
        let learned_count = |values: &[f64]| {
            if row.measure == Measure::HeldOutAccuracy {
                answers::learned(values).to_string()
            } else {
                String::new()
            }
        };
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{mean_a},{},{},{},{mean_b},{},{},{},{}",
            csv_field(&row.field),
            row.task,
            csv_field(&row.group),
            row.measure.label(),
            mode_label(row.modes.0),
            row.ours.len(),
            learned_count(&row.ours),
            mode_label(row.modes.1),
            row.theirs.len(),
            learned_count(&row.theirs),
            mean_a - mean_b,
            optional(row.p),
            optional(row.p_holm)
        );
    }
    csv
}

/// A difference with its sign, three decimals; one that rounds to zero is `0.000` (not
/// `-0.000`).
fn signed(value: f64) -> String {
    let text = format!("{value:+.3}");
    if text == "-0.000" || text == "+0.000" {
        "0.000".to_owned()
    } else {
        text
    }
}

/// A p-value as the report prints it: three decimals, `< 0.001` below that (never a
/// misleading `0.000`), and `—` for no value.
pub(crate) fn p_text(p: f64) -> String {
    if p.is_nan() {
        "—".to_owned()
    } else if p < 0.001 {
        "< 0.001".to_owned()
    } else {
        format!("{p:.3}")
    }
}

/// "p = 0.052", "p < 0.001" or "no p" (no test), for prose.
pub(crate) fn p_is(p: f64) -> String {
    match p_text(p).as_str() {
        "—" => "no p".to_owned(),
        text if text.starts_with('<') => format!("p {text}"),
        text => format!("p = {text}"),
    }
}

/// The held-out accuracy rows of a comparison as a Markdown table: each sample's mean and the
/// seeds that learned, the difference, p and Holm's p.
fn comparison_table(md: &mut String, rows: &[Comparison], show_modes: bool) {
    let fields: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.field.as_str()).collect();
    let show_field = fields.len() > 1;
    let _ = writeln!(
        md,
        "| {}task | group | {} | {} | difference | p | Holm p |",
        if show_field { "field | " } else { "" },
        if show_modes { "this" } else { "compat" },
        if show_modes { "other" } else { "corrected" },
    );
    let _ = writeln!(
        md,
        "|{}---|---|---|---|---|---|---|",
        if show_field { "---|" } else { "" }
    );
    let sample = |mode: Mode, values: &[f64]| {
        format!(
            "{}{:.3}, {} of {} learned",
            if show_modes {
                format!("{} ", mode_label(mode))
            } else {
                String::new()
            },
            mean(values).unwrap_or(f64::NAN),
            answers::learned(values),
            values.len()
        )
    };
    for row in rows
        .iter()
        .filter(|r| r.measure == Measure::HeldOutAccuracy)
    {
        let (a, b) = row.means();
        let _ = writeln!(
            md,
            "| {}{} | `{}` | {} | {} | {} | {} | {} |",
            if show_field {
                format!("{} | ", row.field)
            } else {
                String::new()
            },
            row.task,
            row.group,
            sample(row.modes.0, &row.ours),
            sample(row.modes.1, &row.theirs),
            signed(a - b),
            p_text(row.p.unwrap_or(f64::NAN)),
            p_text(row.p_holm.unwrap_or(f64::NAN)),
        );
    }
    let _ = writeln!(md);
}

fn cell_text(summary: Option<&Summary>, published: Option<PaperValue>) -> String {
    let Some(summary) = summary else {
        return "—".to_owned();
    };
    let ours = match summary.interval {
        Some((low, high)) => format!("{:.3} ({low:.3}, {high:.3})", summary.mean),
        None => format!("{:.3} (n = {})", summary.mean, summary.values.len()),
    };
    match published {
        Some(p) => {
            let mark = match summary.interval {
                Some((low, high)) if (low..=high).contains(&p.mean) => " ✓",
                Some(_) => " ✗",
                None => "",
            };
            format!("{ours} · paper {:.3}{mark}", p.mean)
        }
        None => ours,
    }
}

#[allow(clippy::too_many_arguments)]
fn report_markdown(
    study_path: &Path,
    plan: &StudyPlan,
    measured: &[Measured],
    summaries: &BTreeMap<Key, Summary>,
    paper: &PaperTable,
    effects: &[Effect],
    figures: &[(String, String)],
    answers: &str,
    modes: &[Comparison],
    against: Option<(&Path, &[Comparison])>,
) -> String {
    let mut md = String::new();
    let states: Vec<CellState> = plan.cells.iter().map(study::cell_state).collect();
    // Done means measured: a study still running finishes cells while the report is made,
    // and the count must be the cells the tables below are over.
    let done = measured.len();
    let failed = states
        .iter()
        .filter(|s| matches!(s, CellState::Failed { .. }))
        .count();
    let _ = writeln!(md, "# Study report: {}\n", study_path.display());
    let _ = writeln!(
        md,
        "- Preset `{}`, modes {}, {} cells planned by `{}`; reported by `{}`.",
        serde_json::to_value(plan.preset)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        plan.modes
            .iter()
            .map(|m| mode_label(*m))
            .collect::<Vec<_>>()
            .join(" and "),
        plan.cells.len(),
        plan.planned_by,
        study::BUILD
    );
    let _ = writeln!(
        md,
        "- **{done} of {} cells are done** ({failed} failed, {} not yet run); every number \
         below is over the done cells only.",
        plan.cells.len(),
        plan.cells.len() - done - failed
    );
    md.push_str(&builds_line(plan, measured));
    md.push_str(&seeds_line(plan, measured));
    if !paper.is_empty() {
        let _ = writeln!(
            md,
            "- `paper x` is the published mean (`data/paper/`, from the study's notebook); ✓ \
             marks a cell whose 95% interval holds it, ✗ one whose interval does not. The \
             paper's accuracy is last-epoch *training* accuracy: compare it with the training \
             table; beside held-out accuracy it is shown for reference only."
        );
    }
    let _ = writeln!(md);
    md.push_str(answers);
    if modes.iter().any(|r| r.measure == Measure::HeldOutAccuracy) {
        let _ = writeln!(md, "## Compat against corrected\n");
        let _ = writeln!(
            md,
            "Held-out accuracy of each compat cell against the corrected cell of the same \
             group and task: the mean and how many seeds learned (held-out accuracy ≥ {}) in \
             each mode, compat minus corrected, and the two-sided Mann–Whitney p, \
             Holm-adjusted over this table. Every measure is in `modes.csv` (Holm within each \
             measure).\n",
            answers::LEARNED
        );
        comparison_table(&mut md, modes, false);
    }
    if !figures.is_empty() {
        let _ = writeln!(md, "## Figures\n");
        for (file, caption) in figures {
            let _ = writeln!(md, "![{caption}](figures/{file})\n");
        }
    }
    let tasks = TaskKind::ALL;
    let groups = ordered_groups(measured);
    let fields: std::collections::BTreeSet<&str> =
        measured.iter().map(|m| m.cell.field.as_str()).collect();
    for measure in Measure::ALL {
        let _ = writeln!(md, "## {}\n", measure.title());
        for &mode in &plan.modes {
            for field in &fields {
                let _ = writeln!(md, "**{}**, field {field}\n", mode_label(mode));
                let _ = writeln!(md, "| group | {} |", tasks.map(|t| t.as_str()).join(" | "));
                let _ = writeln!(md, "|---|{}", "---|".repeat(tasks.len()));
                for group in &groups {
                    let row: Vec<String> = tasks
                        .iter()
                        .map(|&task| {
                            cell_text(
                                summaries.get(&(
                                    mode,
                                    (*field).to_owned(),
                                    task,
                                    group.clone(),
                                    measure,
                                )),
                                paper_value(paper, field, measure, group, task),
                            )
                        })
                        .collect();
                    if row.iter().all(|text| text == "—") {
                        continue;
                    }
                    let _ = writeln!(md, "| `{group}` | {} |", row.join(" | "));
                }
                let _ = writeln!(md);
            }
        }
    }
    if fields.len() > 1 {
        let _ = writeln!(md, "## Held-out accuracy against N\n");
        let _ = writeln!(
            md,
            "Mean held-out accuracy over the seeds done, by field in order of size (`n` seeds \
             in brackets). Under the summed penalty its strength grows as N² while bio-init \
             entries shrink as 1/N; the mean penalty keeps the same strength at any N.\n"
        );
        let by_field = held_out_by_field(measured);
        let sizes = &by_field.sizes;
        for &mode in &plan.modes {
            for task in tasks {
                let rows: Vec<String> = groups
                    .iter()
                    .filter_map(|group| {
                        let columns = by_field.values.get(&(mode, task, group.clone()))?;
                        let cells: Vec<String> = columns
                            .iter()
                            .map(|values| match mean(values) {
                                Ok(v) => format!("{v:.3} ({})", values.len()),
                                Err(_) => "—".to_owned(),
                            })
                            .collect();
                        (!cells.iter().all(|text| text == "—"))
                            .then(|| format!("| `{group}` | {} |", cells.join(" | ")))
                    })
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let _ = writeln!(md, "**{}**, {task}\n", mode_label(mode));
                let _ = writeln!(
                    md,
                    "| group | {} |",
                    sizes
                        .iter()
                        .map(|(n, f)| format!("{f} (N = {n})"))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(md, "|---|{}", "---|".repeat(sizes.len()));
                let _ = writeln!(md, "{}\n", rows.join("\n"));
            }
        }
    }
    let _ = writeln!(md, "## Simple effects (the paper's Tables S5–S7)\n");
    if effects.is_empty() {
        let _ = writeln!(
            md,
            "No test yet: each needs at least two levels of a factor with two or more seeds \
             each.\n"
        );
    } else {
        let _ = writeln!(
            md,
            "Kruskal–Wallis across each factor's levels at fixed levels of the other two, for \
             held-out accuracy (every measure and every pairwise Mann–Whitney test with Holm's \
             correction, Cliff's δ and rank-biserial r are in `effects.csv`).\n"
        );
        let _ = writeln!(md, "| mode | task | factor | fixed | levels (n) | H | p |");
        let _ = writeln!(md, "|---|---|---|---|---|---|---|");
        for e in effects
            .iter()
            .filter(|e| e.measure == Measure::HeldOutAccuracy)
        {
            let (h, p) = match &e.kruskal {
                Ok((h, p)) => (format!("{h:.2}"), p_text(*p)),
                Err(why) => ("—".to_owned(), why.clone()),
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {h} | {p} |",
                mode_label(e.mode),
                e.task,
                factor_label(e.factor),
                e.fixed,
                e.groups
                    .iter()
                    .map(|(g, v)| format!("{g} ({})", v.len()))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        let _ = writeln!(md);
    }
    if let Some((other, rows)) = against {
        let _ = writeln!(md, "## Against {}\n", other.display());
        if rows.iter().any(|r| r.measure == Measure::HeldOutAccuracy) {
            let _ = writeln!(
                md,
                "Held-out accuracy, this study against the other, per cell (same mode where \
                 both studies have the same modes, otherwise each mode against each): the mean \
                 and how many seeds learned (≥ {}), this minus the other, and the two-sided \
                 Mann–Whitney p, Holm-adjusted over this table. Every measure is in \
                 `against.csv`.\n",
                answers::LEARNED
            );
            comparison_table(&mut md, rows, true);
        } else {
            let _ = writeln!(
                md,
                "No (mode, field, task, group) of this study has a counterpart in the other, so \
                 there is nothing to set side by side; the other study serves only as the \
                 baselines of the answers above.\n"
            );
        }
    }
    let failures: Vec<String> = plan
        .cells
        .iter()
        .zip(&states)
        .filter_map(|(cell, state)| match state {
            CellState::Failed { reason } => Some(format!(
                "- cell {} `{}`: {reason}",
                cell.index, cell.config.name
            )),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(md, "## Failed cells\n\n{}\n", failures.join("\n"));
    }
    md
}

/// The report's SVG figures, in `figures/`; returns (file, caption) pairs.
///
/// - Per measure (held-out and training accuracy, entropy, modularity, σ): one panel per
///   task, variants along x, every seed a point, the mean and 95% t-interval, one colour per
///   mode (compat beside corrected).
/// - Per mode and task: learning curves, held-out accuracy per epoch averaged over seeds, one
///   curve per variant (from each cell's `history.jsonl`).
fn write_figures(
    out: &Path,
    plan: &StudyPlan,
    measured: &[Measured],
) -> Result<Vec<(String, String)>> {
    let folder = out.join("figures");
    std::fs::create_dir_all(&folder)?;
    let mut written = Vec::new();
    if measured.is_empty() {
        return Ok(written);
    }
    let categories = ordered_groups(measured);
    let field = measured
        .iter()
        .map(|m| m.cell.field.clone())
        .min_by_key(|f| (f != PAPER_FIELD, f.clone()))
        .unwrap_or_default();
    let tasks: Vec<TaskKind> = TaskKind::ALL
        .into_iter()
        .filter(|t| measured.iter().any(|m| m.cell.config.task.kind() == *t))
        .collect();
    for (measure, file, unit) in [
        (
            Measure::HeldOutAccuracy,
            "heldout_accuracy.svg",
            "held-out accuracy (fraction)",
        ),
        (
            Measure::TrainingAccuracy,
            "training_accuracy.svg",
            "training accuracy, last epoch (fraction)",
        ),
        (Measure::Entropy, "entropy.svg", "weight entropy (bits)"),
        (Measure::Modularity, "modularity.svg", "CNM modularity Q"),
        (
            Measure::SmallWorld,
            "small_worldness.svg",
            "small-worldness σ",
        ),
        (
            Measure::PenaltyKept,
            "penalty_kept.svg",
            "penalty kept, log₁₀ (last epoch ÷ first)",
        ),
    ] {
        let panels: Vec<Panel> = tasks
            .iter()
            .map(|&task| Panel {
                title: task.as_str().to_owned(),
                series: plan
                    .modes
                    .iter()
                    .map(|&mode| Series {
                        name: mode_label(mode).to_owned(),
                        groups: categories
                            .iter()
                            .map(|group| Group {
                                category: group.clone(),
                                values: measured
                                    .iter()
                                    .filter(|m| {
                                        m.cell.mode == mode
                                            && m.cell.field == field
                                            && m.cell.config.task.kind() == task
                                            && m.cell.group() == *group
                                    })
                                    .filter_map(|m| m.values.get(&measure).copied())
                                    .collect(),
                            })
                            .filter(|group| !group.values.is_empty())
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let caption = format!("{}, field {field}", measure.title());
        if let Ok(svg) = strip_plot(&caption, unit, &categories, &panels) {
            write_atomically(&folder.join(file), svg.as_bytes())?;
            written.push((file.to_owned(), caption));
        }
    }
    for &mode in &plan.modes {
        for &task in &tasks {
            let curves: Vec<Curve> = categories
                .iter()
                .filter_map(|group| {
                    let histories: Vec<&[EpochRecord]> = measured
                        .iter()
                        .filter(|m| {
                            m.cell.mode == mode
                                && m.cell.field == field
                                && m.cell.config.task.kind() == task
                                && m.cell.group() == *group
                        })
                        .filter_map(|m| m.history.as_deref())
                        .collect();
                    let epochs = histories.iter().map(|h| h.len()).min()?;
                    (epochs > 0).then(|| Curve {
                        name: group.clone(),
                        points: (0..epochs)
                            .map(|e| {
                                let values: Vec<f64> =
                                    histories.iter().map(|h| h[e].val_accuracy).collect();
                                (
                                    histories[0][e].epoch as f64,
                                    mean(&values).unwrap_or(f64::NAN),
                                )
                            })
                            .collect(),
                    })
                })
                .collect();
            let file = format!("learning_curves_{}_{}.svg", mode_label(mode), task.as_str());
            let caption = format!(
                "Held-out accuracy per epoch, mean over seeds: {} {task}, field {field}",
                mode_label(mode)
            );
            if let Ok(svg) = line_plot(&caption, "epoch", "held-out accuracy (fraction)", &curves) {
                write_atomically(&folder.join(&file), svg.as_bytes())?;
                written.push((file, caption));
            }
        }
    }
    // One trained W_rec per group: the paper field's first task, lowest seed.
    for &mode in &plan.modes {
        for group in &categories {
            let Some(example) = measured
                .iter()
                .filter(|m| {
                    m.cell.mode == mode && m.cell.field == field && m.cell.group() == *group
                })
                .min_by_key(|m| {
                    let task = m.cell.config.task.kind();
                    (
                        TaskKind::ALL.iter().position(|&t| t == task),
                        m.cell.config.seed,
                    )
                })
            else {
                continue;
            };
            let Some(w) = std::fs::read(example.cell.config.out.join("model.onnx"))
                .ok()
                .and_then(|bytes| onnx::read_model(&bytes).ok())
                .and_then(|model| model.matrix("W_rec").ok())
            else {
                continue;
            };
            let name = format!(
                "{group}, {} {}, seed {}",
                mode_label(mode),
                example.cell.config.task.kind(),
                example.cell.config.seed
            );
            let slug: String = group
                .chars()
                .map(|c| match c {
                    '*' => 's',
                    '!' => 'p',
                    c if c.is_ascii_alphanumeric() => c,
                    _ => '-',
                })
                .collect::<String>()
                .split('-')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let file = format!("weights_{}_{slug}.svg", mode_label(mode));
            if let Ok(svg) = weight_heatmap(&name, w.mapv(f64::from).view()) {
                write_atomically(&folder.join(&file), svg.as_bytes())?;
                written.push((file, format!("Trained W_rec of {name}, field {field}")));
            }
        }
    }
    for &mode in &plan.modes {
        for &task in &tasks {
            let curves = accuracy_against_n(measured, mode, task);
            if curves.iter().all(|c| c.points.len() < 2) {
                continue;
            }
            let file = format!("accuracy_vs_n_{}_{}.svg", mode_label(mode), task.as_str());
            let caption = format!(
                "Held-out accuracy against network size N, mean over seeds: {} {task}",
                mode_label(mode)
            );
            if let Ok(svg) = line_plot(
                &caption,
                "N (neurons in the field)",
                "held-out accuracy (fraction)",
                &curves,
            ) {
                write_atomically(&folder.join(&file), svg.as_bytes())?;
                written.push((file, caption));
            }
        }
    }
    Ok(written)
}

/// Per group, (N, mean held-out accuracy over seeds) for each field, in order of N.
/// Held-out accuracy against N, gathered in one pass over the cells: each field's N in order
/// of size, and for every (mode, task, group) its accuracies on each of those fields, in that
/// order.
struct ByField<'a> {
    sizes: Vec<(usize, &'a str)>,
    values: BTreeMap<(Mode, TaskKind, String), Vec<Vec<f64>>>,
}

fn held_out_by_field(measured: &[Measured]) -> ByField<'_> {
    let fields: BTreeMap<&str, usize> = measured
        .iter()
        .map(|m| (m.cell.field.as_str(), m.n))
        .collect();
    let mut sizes: Vec<(usize, &str)> = fields.iter().map(|(&f, &n)| (n, f)).collect();
    sizes.sort_unstable();
    let column: BTreeMap<&str, usize> = sizes
        .iter()
        .enumerate()
        .map(|(i, &(_, field))| (field, i))
        .collect();
    let mut values: BTreeMap<(Mode, TaskKind, String), Vec<Vec<f64>>> = BTreeMap::new();
    for m in measured {
        if let Some(&value) = m.values.get(&Measure::HeldOutAccuracy) {
            values
                .entry((m.cell.mode, m.cell.config.task.kind(), m.cell.group()))
                .or_insert_with(|| vec![Vec::new(); sizes.len()])[column[m.cell.field.as_str()]]
            .push(value);
        }
    }
    ByField { sizes, values }
}

fn accuracy_against_n(measured: &[Measured], mode: Mode, task: TaskKind) -> Vec<Curve> {
    ordered_groups(measured)
        .into_iter()
        .filter_map(|group| {
            let mut by_n: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
            for m in measured.iter().filter(|m| {
                m.cell.mode == mode && m.cell.config.task.kind() == task && m.cell.group() == group
            }) {
                if let Some(&value) = m.values.get(&Measure::HeldOutAccuracy) {
                    by_n.entry(m.n).or_default().push(value);
                }
            }
            (!by_n.is_empty()).then(|| Curve {
                name: group,
                points: by_n
                    .into_iter()
                    .map(|(n, values)| (n as f64, mean(&values).unwrap_or(f64::NAN)))
                    .collect(),
            })
        })
        .collect()
}

/// What [`penalty_kept`] records for a penalty that fell to exactly zero (log₁₀ 0 is −∞):
/// beyond any fall the study's runs otherwise show (about −4.6), so such a seed counts as
/// collapsed, without an infinity in the means.
pub const PENALTY_KEPT_FLOOR: f64 = -12.0;

/// log₁₀ of the last epoch's penalty over the first epoch's, at least [`PENALTY_KEPT_FLOOR`]
/// (None for fewer than two epochs, a first penalty that is not positive, or a value that is
/// not finite).
fn penalty_kept(history: &[EpochRecord]) -> Option<f64> {
    let (first, last) = (history.first()?, history.last()?);
    let ratio = last.regulariser / first.regulariser;
    (history.len() >= 2 && first.regulariser > 0.0 && ratio.is_finite() && ratio >= 0.0)
        .then(|| ratio.log10().max(PENALTY_KEPT_FLOOR))
}

fn read_history(path: &Path) -> Option<Vec<EpochRecord>> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_that_rounds_to_zero_has_no_sign() {
        assert_eq!(signed(-0.0001), "0.000");
        assert_eq!(signed(0.0002), "0.000");
        assert_eq!(signed(-0.0123), "-0.012");
        assert_eq!(signed(0.2709), "+0.271");
    }

    #[test]
    fn the_penalty_kept_is_the_last_epoch_over_the_first() {
        let epoch = |epoch: usize, regulariser: f64| EpochRecord {
            epoch,
            train_loss: 0.7,
            train_accuracy: 0.5,
            val_loss: 0.7,
            val_accuracy: 0.5,
            regulariser,
            wall_seconds: 1.0,
        };
        let kept = penalty_kept(&[epoch(1, 1.6), epoch(2, 0.4), epoch(3, 0.0016)]).unwrap();
        assert!((kept + 3.0).abs() < 1e-12, "{kept}");
        let grew = penalty_kept(&[epoch(1, 0.5), epoch(2, 50.0)]).unwrap();
        assert!((grew - 2.0).abs() < 1e-12, "{grew}");
        assert_eq!(penalty_kept(&[epoch(1, 1.6)]), None, "one epoch");
        assert_eq!(
            penalty_kept(&[epoch(1, 0.0), epoch(2, 0.0)]),
            None,
            "no penalty"
        );
        // A penalty driven to exactly zero (a positive-only network's weights clipped to 0)
        // is the deepest collapse, at the floor, not a missing value.
        assert_eq!(
            penalty_kept(&[epoch(1, 1.0), epoch(2, 0.0)]),
            Some(PENALTY_KEPT_FLOOR)
        );
        assert_eq!(penalty_kept(&[epoch(1, 1.0), epoch(2, f64::NAN)]), None);
        assert_eq!(penalty_kept(&[]), None);
    }

    #[test]
    fn seeds_read_as_runs() {
        assert_eq!(
            study::seed_ranges(&[1, 2, 3, 4, 5, 6, 9, 14, 15, 20]),
            "1–6, 9, 14–15, 20"
        );
        assert_eq!(study::seed_ranges(&[7]), "7");
        assert_eq!(study::seed_ranges(&[]), "");
    }

    #[test]
    fn a_csv_field_is_quoted_only_when_it_must_be() {
        let build = "blueprint-trainer 0.1.0 (sources a597a93de6bc8ee9)";
        assert_eq!(csv_field(build), build);
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
