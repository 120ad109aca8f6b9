//! The report's answers to the study's open questions, computed from the done cells of this
//! study and of `--against` (never written by hand):
//!
//! 1. Does `WD*C`'s compat success come from the geometry, the scale or the distribution of
//!    the distances? Compat `WD*C` and corrected `WD*C` (from a study such as `paper-main`)
//!    beside the three `D*` controls. Each sample is described by three properties (geometry
//!    kept or gone, compat or true mean, compat or true distribution shape); the explanation
//!    is what compat shares with every control that reproduces its success and that no
//!    failing sample (the true `D*` included) has. A second table asks the mechanism: the
//!    penalty kept by each sample's seeds, and how many collapsed (the penalty drove `W_rec`
//!    towards zero, [`COLLAPSED`]).
//! 2. Does the bio gain survive without the diagonal? `W*D*C` against random-init `WD*C`, and
//!    the four `W*` controls against both.
//! 3. How does accuracy depend on N under each normalisation? For a study over several
//!    fields: per group, the fraction of seeds that learn at each N and a logistic fit of
//!    learning against log₁₀ N, whose midpoint is the N at which half the seeds learn.
//!
//! "Learned" is held-out accuracy ≥ [`LEARNED`]. p is the two-sided Mann–Whitney test of the
//! held-out accuracies, Holm-adjusted over the comparisons of one table; a verdict calls a
//! difference real at Holm p < 0.05.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use blueprint_core::manifest::{PenaltyNormalisation, TrainingProtocol};
use blueprint_core::network::distance::DistanceControl;
use blueprint_core::network::init::{BioSource, InitControl};
use blueprint_core::stats::{
    BinomialPoint, MannWhitneyMethod, StatsError, fisher_exact, fit_logistic, holm, mann_whitney_u,
    mean, t_interval,
};
use blueprint_core::task::TaskKind;

use super::{Measure, Measured, held_out_by_field, mode_label, optional, p_is, p_text};
use crate::study::{Cell, Mode};

/// Held-out accuracy at or above which a run counts as having learned its task.
pub const LEARNED: f64 = 0.8;

/// A seed's `W_rec` counts as collapsed where the penalty fell a hundredfold or more over
/// training: its penalty kept ([`Measure::PenaltyKept`], log₁₀) is at most this.
pub const COLLAPSED: f64 = -2.0;

/// The significance level of the verdicts (on Holm-adjusted p).
const ALPHA: f64 = 0.05;

/// The markdown section and `answers.csv`; both empty when no question applies.
pub struct Answers {
    pub markdown: String,
    pub csv: String,
}

/// A sample of one measure (held-out accuracy, or the penalty kept), one value per seed.
struct Sample {
    label: &'static str,
    /// What the sample holds, in words.
    holds: &'static str,
    measure: Measure,
    values: Vec<f64>,
    /// Cells that would belong here but were trained under other settings than the study
    /// asking (see [`comparable`]), so are left out.
    elsewhere: usize,
}

/// How many of `values` (held-out accuracies, one per seed) learned: at least [`LEARNED`].
pub(super) fn learned(values: &[f64]) -> usize {
    values.iter().filter(|&&v| v >= LEARNED).count()
}

impl Sample {
    /// Seeds that learned (held-out accuracy) or whose `W_rec` collapsed (penalty kept).
    fn counted(&self) -> usize {
        match self.measure {
            Measure::PenaltyKept => self.values.iter().filter(|&&v| v <= COLLAPSED).count(),
            _ => learned(&self.values),
        }
    }

    fn mean(&self) -> f64 {
        mean(&self.values).unwrap_or(f64::NAN)
    }
}

/// One test of a table: row `row` against reference row `reference`.
struct Test {
    row: usize,
    reference: usize,
    p: f64,
    p_holm: f64,
}

/// The two-sided Mann–Whitney p of two samples: None with fewer than two values on a side
/// (not tested); 1 for identical samples with no variation (as scipy).
pub(super) fn mann_whitney_p(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 || y.len() < 2 {
        return None;
    }
    match mann_whitney_u(x, y, MannWhitneyMethod::Auto) {
        Ok(test) => Some(test.p_value),
        Err(StatsError::NoVariation { .. }) => Some(1.0),
        Err(_) => None,
    }
}

/// The p of two samples of one measure: held-out accuracies by Mann–Whitney
/// ([`mann_whitney_p`]); penalties kept by Fisher's exact test of how many seeds collapsed
/// against how many did not (None below two seeds a side, as for Mann–Whitney).
fn sample_p(a: &Sample, b: &Sample) -> Option<f64> {
    match a.measure {
        Measure::PenaltyKept => {
            let (n_a, n_b) = (a.values.len(), b.values.len());
            if n_a < 2 || n_b < 2 {
                return None;
            }
            let (k_a, k_b) = (a.counted(), b.counted());
            Some(fisher_exact([
                [k_a as u64, (n_a - k_a) as u64],
                [k_b as u64, (n_b - k_b) as u64],
            ]))
        }
        _ => mann_whitney_p(&a.values, &b.values),
    }
}

/// Tests of each row against each reference (a reference against the later ones too),
/// Holm-adjusted together (see [`sample_p`]).
fn tests(samples: &[Sample], references: &[usize]) -> Vec<Test> {
    let mut raw = Vec::new();
    for (row, sample) in samples.iter().enumerate() {
        for &reference in references {
            if row == reference || (references.contains(&row) && row < reference) {
                continue;
            }
            if let Some(p) = sample_p(sample, &samples[reference]) {
                raw.push((row, reference, p));
            }
        }
    }
    let adjusted = holm(&raw.iter().map(|t| t.2).collect::<Vec<_>>()).unwrap_or_default();
    raw.into_iter()
        .zip(adjusted)
        .map(|((row, reference, p), p_holm)| Test {
            row,
            reference,
            p,
            p_holm,
        })
        .collect()
}

fn find(tests: &[Test], a: usize, b: usize) -> Option<&Test> {
    tests
        .iter()
        .find(|t| (t.row, t.reference) == (a, b) || (t.row, t.reference) == (b, a))
}

/// Whether row `a` is above row `b` by a real difference.
fn above(samples: &[Sample], tests: &[Test], a: usize, b: usize) -> bool {
    find(tests, a, b).is_some_and(|t| t.p_holm < ALPHA) && samples[a].mean() > samples[b].mean()
}

fn test_text(test: Option<&Test>) -> String {
    test.map_or_else(
        || "—".to_owned(),
        |t| format!("{} ({})", p_text(t.p), p_text(t.p_holm)),
    )
}

/// "k of n, mean m" for a verdict.
fn brief(sample: &Sample) -> String {
    format!(
        "{} of {} learned, mean {:.3}",
        sample.counted(),
        sample.values.len(),
        sample.mean()
    )
}

/// Writes one answer table and its CSV rows.
fn table(
    md: &mut String,
    csv: &mut String,
    question: u8,
    (field, task): (&str, TaskKind),
    samples: &[Sample],
    references: &[usize],
) -> Vec<Test> {
    let tests = tests(samples, references);
    let penalty = samples.first().map(|s| s.measure) == Some(Measure::PenaltyKept);
    if penalty {
        let _ = writeln!(
            md,
            "**{task}**, field {field}: the penalty kept (log₁₀ of the trained network's penalty \
             over its first epoch's) and the seeds whose `W_rec` collapsed (the penalty fell a \
             hundredfold or more, ≤ −2); p is Fisher's exact test of the collapsed \
             counts\n"
        );
    } else {
        let _ = writeln!(md, "**{task}**, field {field}\n");
    }
    let mut header = format!(
        "| sample | holds | n | {} | mean (95% CI) |",
        if penalty { "collapsed" } else { "learned" }
    );
    for &r in references {
        let _ = write!(header, " p vs `{}` (Holm) |", samples[r].label);
    }
    let _ = writeln!(md, "{header}");
    let _ = writeln!(
        md,
        "|---|---|---|---|---|{}",
        "---|".repeat(references.len())
    );
    for (i, sample) in samples.iter().enumerate() {
        let interval = t_interval(&sample.values, 0.95).ok();
        let summary = match interval {
            Some(i) if i.low.is_finite() && i.high.is_finite() => {
                format!("{:.3} ({:.3}, {:.3})", sample.mean(), i.low, i.high)
            }
            _ if sample.values.is_empty() => "—".to_owned(),
            _ => format!("{:.3}", sample.mean()),
        };
        let (n, counted) = (sample.values.len(), sample.counted());
        let (learned, collapsed) = if penalty {
            (String::new(), counted.to_string())
        } else {
            (counted.to_string(), String::new())
        };
        let ps: Vec<String> = references
            .iter()
            .map(|&r| {
                if r == i {
                    "—".to_owned()
                } else {
                    test_text(find(&tests, i, r))
                }
            })
            .collect();
        let _ = writeln!(
            md,
            "| `{}` | {} | {n} | {counted} of {n} | {summary} | {} |",
            sample.label,
            sample.holds,
            ps.join(" | ")
        );
        for &r in references {
            let test = find(&tests, i, r).filter(|_| r != i);
            let _ = writeln!(
                csv,
                "{question},{field},{task},{},{},{},{learned},{collapsed},{},{},{},{},{},{},{}",
                sample.measure.label(),
                sample.label,
                n,
                optional(mean(&sample.values).ok()),
                optional(interval.map(|i| i.low)),
                optional(interval.map(|i| i.high)),
                samples[r].label,
                if test.is_none() {
                    ""
                } else if penalty {
                    "fisher-exact"
                } else {
                    "mann-whitney"
                },
                optional(test.map(|t| t.p)),
                optional(test.map(|t| t.p_holm)),
            );
        }
    }
    let _ = writeln!(md);
    tests
}

/// Whether `cell` was trained under the settings of `control` (a cell of the study asking):
/// the whole protocol but the compat flags, the sign constraint, α, the grid lattice and, for
/// two corrected cells, the distance mode.
fn comparable(cell: &Cell, control: &Cell) -> bool {
    let (a, b) = (&cell.config, &control.config);
    let protocol = TrainingProtocol {
        compat: b.protocol.compat.clone(),
        ..a.protocol.clone()
    };
    protocol == b.protocol
        && a.positive == b.positive
        && a.alpha == b.alpha
        && a.grid_lattice == b.grid_lattice
        && (cell.mode == Mode::Compat
            || control.mode == Mode::Compat
            || a.distance_mode == b.distance_mode)
}

/// A cell with no control of any kind, under the study's summed penalty.
fn plain(cell: &Cell) -> bool {
    let config = &cell.config;
    config.distance_control == DistanceControl::None
        && config.bio_init.control == InitControl::None
        && !config.bio_init.exclude_diagonal
        && config.bio_init.source == BioSource::CorrSttc
        && config.protocol.penalty_normalisation == PenaltyNormalisation::Sum
}

/// The sample of the cells on `field` and `task` that `select` picks, of those trained under
/// the settings of `reference`.
fn sample(
    measure: Measure,
    (label, holds): (&'static str, &'static str),
    pool: &[&Measured],
    (field, task): (&str, TaskKind),
    reference: &Cell,
    select: impl Fn(&Cell) -> bool,
) -> Sample {
    let mut values = Vec::new();
    let mut elsewhere = 0;
    for m in pool {
        if m.cell.field != field || m.cell.config.task.kind() != task || !select(&m.cell) {
            continue;
        }
        if !comparable(&m.cell, reference) {
            elsewhere += 1;
        } else if let Some(&value) = m.values.get(&measure) {
            values.push(value);
        }
    }
    Sample {
        label,
        holds,
        measure,
        values,
        elsewhere,
    }
}

/// "need two seeds each" for two baselines, with the cells left out for their settings.
fn too_few(what: &str, a: &Sample, b: &Sample) -> String {
    let mut text = format!(
        "not yet: {what} need two seeds each here (have {} and {}).",
        a.values.len(),
        b.values.len()
    );
    let elsewhere = a.elsewhere + b.elsewhere;
    if elsewhere > 0 {
        let _ = write!(
            text,
            " {elsewhere} such cell(s) were trained under other settings than this study's \
             (protocol, α, sign constraint, lattice or distance mode), so they are no baselines."
        );
    }
    text
}

fn variant_is(cell: &Cell, label: &str) -> bool {
    cell.config.variant.label() == label
}

/// The answers for `measured` (this study) with `against` (another study, for baselines).
pub fn answers(measured: &[Measured], against: Option<&[Measured]>) -> Answers {
    // Baselines come from either study; a cell seen twice (the same study passed twice)
    // counts once.
    let mut seen = BTreeSet::new();
    let pool: Vec<&Measured> = measured
        .iter()
        .chain(against.unwrap_or_default())
        .filter(|m| seen.insert(m.cell.config.out.clone()))
        .collect();
    let mut md = String::new();
    let mut csv = String::from(
        "question,field,task,measure,sample,n,learned,collapsed,mean,ci_low,ci_high,reference,\
         test,p,holm_p\n",
    );
    let has_baselines = against.is_some();
    let distance = distance_question(measured, &pool, has_baselines, &mut csv);
    let diagonal = diagonal_question(measured, &pool, has_baselines, &mut csv);
    let size = size_question(measured, &mut csv);
    if distance.is_empty() && diagonal.is_empty() && size.is_empty() {
        return Answers {
            markdown: String::new(),
            csv: String::new(),
        };
    }
    let _ = writeln!(md, "## What the study answers\n");
    let _ = writeln!(
        md,
        "Computed from the done cells (this study's, and `--against`'s for the baselines). \
         \"Learned\" is held-out accuracy ≥ {LEARNED}. p is the two-sided Mann–Whitney test of \
         the held-out accuracies, Holm-adjusted over the table in brackets; a verdict calls a \
         difference real at Holm p < {ALPHA}. Under the first question a second table asks \
         whether the distances let the penalty drive `W_rec` to zero: the penalty kept (log₁₀ \
         of the trained network's penalty over its first epoch's) and the seeds whose `W_rec` \
         collapsed (≤ −2, the penalty fell a hundredfold or more), the counts tested \
         by Fisher's exact test with Holm's correction. Every sample's numbers are in \
         `answers.csv`, each p with its test.\n"
    );
    md.push_str(&distance);
    md.push_str(&diagonal);
    md.push_str(&size);
    Answers { markdown: md, csv }
}

/// The properties of a distance sample that question 1 weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    GeometryKept,
    GeometryGone,
    CompatMean,
    TrueMean,
    CompatDistribution,
    TrueDistribution,
}

impl Property {
    fn words(self) -> &'static str {
        match self {
            Property::GeometryKept => "the true geometry",
            Property::GeometryGone => "the loss of geometry",
            Property::CompatMean => "the compat scale (mean)",
            Property::TrueMean => "the true scale",
            Property::CompatDistribution => {
                "the compat distribution of distances (its many near-zero, nearly unpenalised pairs)"
            }
            Property::TrueDistribution => "the true distribution's shape",
        }
    }
}

fn distance_question(
    measured: &[Measured],
    pool: &[&Measured],
    has_baselines: bool,
    csv: &mut String,
) -> String {
    use Property::*;
    let controls: BTreeSet<(String, TaskKind)> = measured
        .iter()
        .filter(|m| {
            variant_is(&m.cell, "WD*C") && m.cell.config.distance_control != DistanceControl::None
        })
        .map(|m| (m.cell.field.clone(), m.cell.config.task.kind()))
        .collect();
    let Some(reference) = measured.iter().map(|m| &m.cell).find(|cell| {
        variant_is(cell, "WD*C") && cell.config.distance_control != DistanceControl::None
    }) else {
        return String::new();
    };
    let mut md = String::from(
        "### Where does `WD*C`'s compat success come from: geometry, scale or distribution?\n\n",
    );
    if !has_baselines {
        md.push_str(
            "The baselines (compat and corrected `WD*C` on the same field) are in another \
             study: run `study report` with `--against` a study that holds them, such as \
             `paper-main` in both modes, to test the controls against them.\n\n",
        );
    }
    let rows: [(&str, &str, Mode, DistanceControl, [Property; 3]); 5] = [
        (
            "compat D*",
            "scrambled positions: no geometry, compat mean and distribution",
            Mode::Compat,
            DistanceControl::None,
            [GeometryGone, CompatMean, CompatDistribution],
        ),
        (
            "true D*",
            "true geometry, mean and distribution",
            Mode::Corrected,
            DistanceControl::None,
            [GeometryKept, TrueMean, TrueDistribution],
        ),
        (
            "D* shuffled",
            "no geometry, true mean and distribution",
            Mode::Corrected,
            DistanceControl::Shuffled,
            [GeometryGone, TrueMean, TrueDistribution],
        ),
        (
            "D* scale-matched",
            "true geometry and shape at the compat mean",
            Mode::Corrected,
            DistanceControl::ScaleMatched,
            [GeometryKept, CompatMean, TrueDistribution],
        ),
        (
            "D* rank-matched",
            "true geometry carrying the compat distribution",
            Mode::Corrected,
            DistanceControl::RankMatched,
            [GeometryKept, CompatMean, CompatDistribution],
        ),
    ];
    for (field, task) in &controls {
        let of = |measure: Measure| -> Vec<Sample> {
            rows.iter()
                .map(|&(label, holds, mode, control, _)| {
                    sample(
                        measure,
                        (label, holds),
                        pool,
                        (field, *task),
                        reference,
                        |cell| {
                            cell.mode == mode
                                && variant_is(cell, "WD*C")
                                && cell.config.distance_control == control
                                && (control != DistanceControl::None || plain(cell))
                        },
                    )
                })
                .collect()
        };
        let samples = of(Measure::HeldOutAccuracy);
        let tests = table(&mut md, csv, 1, (field, *task), &samples, &[0, 1]);
        // Whether the distances let the penalty drive W_rec to zero: after the verdict.
        let collapse = collapse_table(csv, 1, (field, *task), &of(Measure::PenaltyKept));
        let (compat, truth) = (&samples[0], &samples[1]);
        if compat.values.len() < 2 || truth.values.len() < 2 {
            let _ = writeln!(
                md,
                "*Verdict:* {}\n",
                too_few("compat and true `WD*C`", compat, truth)
            );
            md.push_str(&collapse);
            continue;
        }
        if !above(&samples, &tests, 0, 1) {
            let _ = writeln!(
                md,
                "*Verdict:* compat success not shown on {task}: compat `WD*C` ({}) is not \
                 above the true `D*` ({}) by the test (Holm {}).\n",
                brief(compat),
                brief(truth),
                p_is(find(&tests, 0, 1).map_or(f64::NAN, |t| t.p_holm))
            );
            md.push_str(&collapse);
            continue;
        }
        let tested: Vec<usize> = (2..samples.len())
            .filter(|&i| find(&tests, i, 1).is_some())
            .collect();
        // A control above the true D* and not below compat reproduces the success; above the
        // true D* and below compat, part of it; below compat only, fails; neither: the test
        // cannot tell, and it weighs on nothing.
        let is_above = |i: usize| above(&samples, &tests, i, 1);
        let is_below = |i: usize| above(&samples, &tests, 0, i);
        let pick = |f: &dyn Fn(usize) -> bool| -> Vec<usize> {
            tested.iter().copied().filter(|&i| f(i)).collect()
        };
        let full = pick(&|i| is_above(i) && !is_below(i));
        let partial = pick(&|i| is_above(i) && is_below(i));
        let failing = pick(&|i| !is_above(i) && is_below(i));
        let inconclusive = pick(&|i| !is_above(i) && !is_below(i));
        let properties = |i: usize| rows[i].4.into_iter().collect::<BTreeSet<Property>>();
        // What compat shares with every reproducing control and no failing sample has.
        let cause = |reproducing: &[usize]| {
            let mut shared = properties(0);
            for &i in reproducing {
                shared = shared.intersection(&properties(i)).copied().collect();
            }
            for i in std::iter::once(1).chain(failing.iter().copied()) {
                for p in rows[i].4 {
                    shared.remove(&p);
                }
            }
            shared
        };
        let words =
            |set: &BTreeSet<Property>| set.iter().map(|p| p.words()).collect::<Vec<_>>().join("; ");
        let listed = |indices: &[usize]| {
            indices
                .iter()
                .map(|&i| format!("`{}` ({})", samples[i].label, brief(&samples[i])))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut verdict = format!(
            "*Verdict:* on {task}, compat `WD*C` ({}) is above the true `D*` ({}). ",
            brief(compat),
            brief(truth)
        );
        if tested.len() < 3 {
            let _ = write!(
                verdict,
                "Only {} of the three controls have two seeds yet, so no attribution.",
                tested.len()
            );
        } else {
            let groups: Vec<String> = [
                ("as compat", &full),
                ("above the true `D*` but below compat", &partial),
                ("below compat only", &failing),
                (
                    "neither above the true `D*` nor below compat",
                    &inconclusive,
                ),
            ]
            .into_iter()
            .filter(|(_, indices)| !indices.is_empty())
            .map(|(name, indices)| format!("{name}: {}", listed(indices)))
            .collect();
            let _ = write!(verdict, "Controls {}. ", groups.join("; "));
            let (reproducing, how) = if full.is_empty() {
                (&partial, "in part ")
            } else {
                (&full, "")
            };
            let shared = cause(reproducing);
            if reproducing.is_empty() {
                let _ = write!(
                    verdict,
                    "No control is above the true `D*`: none of geometry, scale or \
                     distribution alone is shown to reproduce the success."
                );
            } else if shared.is_empty() {
                let _ = write!(
                    verdict,
                    "No single property of the distances is shared by compat and every control \
                     that reproduces it {how}and absent from the true `D*` and every control \
                     below compat only."
                );
            } else {
                let _ = write!(
                    verdict,
                    "What compat and every control that reproduces it {how}share, and the true \
                     `D*` and every control below compat only lack: {}.",
                    words(&shared)
                );
                if !full.is_empty() {
                    for &i in &partial {
                        let held: BTreeSet<Property> =
                            shared.intersection(&properties(i)).copied().collect();
                        let _ = write!(
                            verdict,
                            " `{}` reproduces part of it holding {}.",
                            samples[i].label,
                            if held.is_empty() {
                                "none of that".to_owned()
                            } else {
                                format!("only {}", words(&held))
                            }
                        );
                    }
                }
            }
        }
        let _ = writeln!(md, "{verdict}\n");
        md.push_str(&collapse);
    }
    md
}

/// The penalty-kept table of `samples` (question `question`) and a line giving, per sample,
/// how many seeds' `W_rec` collapsed, which samples collapsed less often than row 1 (the true
/// `D*`) and which more often than row 0 (compat); empty where no sample has a penalty kept
/// (one-epoch runs).
fn collapse_table(
    csv: &mut String,
    question: u8,
    place: (&str, TaskKind),
    samples: &[Sample],
) -> String {
    let mut md = String::new();
    if samples.iter().all(|s| s.values.is_empty()) {
        return md;
    }
    let tests = table(&mut md, csv, question, place, samples, &[0, 1]);
    let counts: Vec<String> = samples
        .iter()
        .map(|s| format!("`{}` {} of {}", s.label, s.counted(), s.values.len()))
        .collect();
    let _ = write!(
        md,
        "*`W_rec` collapsed* (the penalty fell a hundredfold or more) in: {}.",
        counts.join(", ")
    );
    let share = |s: &Sample| s.counted() as f64 / s.values.len().max(1) as f64;
    // Row 1 is the true D*, row 0 compat: which samples collapse less often than the one,
    // and which more often than the other.
    for (reference, less, words) in [(1, true, "less"), (0, false, "more")] {
        let listed: Vec<String> = (0..samples.len())
            .filter(|&i| {
                i != reference
                    && find(&tests, i, reference).is_some_and(|t| t.p_holm < ALPHA)
                    && (share(&samples[i]) < share(&samples[reference])) == less
            })
            .map(|i| format!("`{}`", samples[i].label))
            .collect();
        if !listed.is_empty() {
            let _ = write!(
                md,
                " Collapsed {words} often than `{}` (Holm p < {ALPHA}): {}.",
                samples[reference].label,
                listed.join(", ")
            );
        }
    }
    md.push_str("\n\n");
    md
}

fn diagonal_question(
    measured: &[Measured],
    pool: &[&Measured],
    has_baselines: bool,
    csv: &mut String,
) -> String {
    let is_control = |cell: &Cell| {
        variant_is(cell, "W*D*C")
            && cell.mode == Mode::Corrected
            && cell.config.distance_control == DistanceControl::None
            && (cell.config.bio_init.exclude_diagonal
                || cell.config.bio_init.control != InitControl::None
                || cell.config.bio_init.source == BioSource::Connectome)
    };
    let Some(reference) = measured
        .iter()
        .map(|m| &m.cell)
        .find(|cell| is_control(cell))
    else {
        return String::new();
    };
    let places: BTreeSet<(String, TaskKind)> = measured
        .iter()
        .filter(|m| is_control(&m.cell))
        .map(|m| (m.cell.field.clone(), m.cell.config.task.kind()))
        .collect();
    let mut md = String::from("### Does the bio gain survive without the diagonal?\n\n");
    if !has_baselines {
        md.push_str(
            "The baselines (corrected `WD*C` and `W*D*C`) are in another study: run `study \
             report` with `--against` one that holds them, such as `paper-main`.\n\n",
        );
    }
    type Select = fn(&Cell) -> bool;
    let rows: [(&str, &str, Select); 6] = [
        ("WD*C", "random init", |cell| {
            variant_is(cell, "WD*C") && plain(cell)
        }),
        ("W*D*C", "bio init as built", |cell| {
            variant_is(cell, "W*D*C") && plain(cell)
        }),
        (
            "W*D*C [W* without diagonal]",
            "bio init, diagonal zeroed, rescaled",
            |cell| {
                cell.config.bio_init.exclude_diagonal
                    && cell.config.bio_init.control == InitControl::None
            },
        ),
        (
            "W*D*C [W* shuffled]",
            "bio entries shuffled over all N²",
            |cell| cell.config.bio_init.control == InitControl::Shuffle,
        ),
        (
            "W*D*C [W* resampled]",
            "bio support kept, values redrawn",
            |cell| cell.config.bio_init.control == InitControl::Resample,
        ),
        (
            "W*D*C [W* from the connectome]",
            "synapse counts in place of activity",
            |cell| cell.config.bio_init.source == BioSource::Connectome,
        ),
    ];
    for (field, task) in &places {
        let samples: Vec<Sample> = rows
            .iter()
            .enumerate()
            .map(|(i, &(label, holds, select))| {
                sample(
                    Measure::HeldOutAccuracy,
                    (label, holds),
                    pool,
                    (field, *task),
                    reference,
                    |cell| {
                        cell.mode == Mode::Corrected
                            && cell.config.distance_control == DistanceControl::None
                            && (i < 2 || is_control(cell))
                            && select(cell)
                    },
                )
            })
            .collect();
        let tests = table(&mut md, csv, 2, (field, *task), &samples, &[0, 1]);
        let (random, bio, without) = (&samples[0], &samples[1], &samples[2]);
        let verdict = if random.values.len() < 2 || bio.values.len() < 2 {
            too_few("`WD*C` and `W*D*C`", random, bio)
        } else if !above(&samples, &tests, 1, 0) {
            format!(
                "bio gain not shown on {task}: `W*D*C` ({}) is not above `WD*C` ({}) by the \
                 test (Holm {}).",
                brief(bio),
                brief(random),
                p_is(find(&tests, 1, 0).map_or(f64::NAN, |t| t.p_holm))
            )
        } else if find(&tests, 2, 0).is_none() {
            format!(
                "`W*D*C` ({}) is above `WD*C` ({}); the diagonal control has fewer than two \
                 seeds.",
                brief(bio),
                brief(random)
            )
        } else if above(&samples, &tests, 2, 0) {
            format!(
                "the bio gain survives without the diagonal on {task}: `W*D*C` ({}) and \
                 without its diagonal ({}) are both above `WD*C` ({}).",
                brief(bio),
                brief(without),
                brief(random)
            )
        } else if above(&samples, &tests, 1, 2) {
            format!(
                "the bio gain does not survive without the diagonal on {task}: `W*D*C` ({}) \
                 is above `WD*C` ({}), and without its diagonal ({}) it is below `W*D*C` and \
                 not above `WD*C`.",
                brief(bio),
                brief(random),
                brief(without)
            )
        } else {
            format!(
                "not shown either way on {task}: `W*D*C` ({}) is above `WD*C` ({}), and \
                 without its diagonal ({}) it is neither above `WD*C` nor below `W*D*C` by \
                 the test.",
                brief(bio),
                brief(random),
                brief(without)
            )
        };
        let _ = writeln!(md, "*Verdict:* {verdict}\n");
    }
    md
}

fn size_question(measured: &[Measured], csv: &mut String) -> String {
    let by_field = held_out_by_field(measured);
    let by_n = &by_field.sizes;
    if by_n.len() < 2 {
        return String::new();
    }
    let mut md = String::from("### How does accuracy depend on N under each normalisation?\n\n");
    md.push_str(
        "Per group, the seeds that learned at each field's N, and the N at which half learn \
         from a logistic fit of learning against log₁₀ N (where the fit has a finite \
         maximum).\n",
    );
    let mut current: Option<(Mode, TaskKind)> = None;
    for ((mode, task, group), columns) in &by_field.values {
        if current != Some((*mode, *task)) {
            current = Some((*mode, *task));
            let _ = writeln!(md, "\n**{}**, {task}\n", mode_label(*mode));
            let _ = writeln!(
                md,
                "| group | {} | half learn at N |",
                by_n.iter()
                    .map(|(n, f)| format!("{f} (N = {n})"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(md, "|---|{}---|", "---|".repeat(by_n.len()));
        }
        let points: Vec<(usize, &str, &Vec<f64>)> = by_n
            .iter()
            .zip(columns)
            .map(|(&(n, field), values)| (n, field, values))
            .collect();
        let binomial: Vec<BinomialPoint> = points
            .iter()
            .filter(|(_, _, v)| !v.is_empty())
            .map(|(n, _, v)| BinomialPoint {
                x: (*n as f64).log10(),
                successes: learned(v) as u64,
                n: v.len() as u64,
            })
            .collect();
        let half = half_learn(&binomial);
        let cells: Vec<String> = points
            .iter()
            .map(|(_, _, v)| {
                if v.is_empty() {
                    "—".to_owned()
                } else {
                    format!("{} of {}", learned(v), v.len())
                }
            })
            .collect();
        let _ = writeln!(md, "| `{group}` | {} | {half} |", cells.join(" | "));
        for (n, field, v) in &points {
            let _ = writeln!(
                csv,
                "3,{field},{task},{},{group} ({}) at N = {n},{},{},,{},,,,,,",
                Measure::HeldOutAccuracy.label(),
                mode_label(*mode),
                v.len(),
                learned(v),
                optional(mean(v).ok()),
            );
        }
    }
    md.push('\n');
    md
}

/// The N at which half the seeds learn, in words.
fn half_learn(points: &[BinomialPoint]) -> String {
    let total: u64 = points.iter().map(|p| p.n).sum();
    let learned: u64 = points.iter().map(|p| p.successes).sum();
    if points.len() < 2 {
        return "—".to_owned();
    }
    if learned == total {
        return "every seed learned at every N".to_owned();
    }
    if learned == 0 {
        return "no seed learned at any N".to_owned();
    }
    if let Some(boundary) = separated(points) {
        // The likelihood has no finite maximum: the boundary is all the data says.
        return boundary;
    }
    let n = |x: f64| 10f64.powf(x);
    let (low, high) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.x), h.max(p.x))
        });
    match fit_logistic(points) {
        Ok(fit) if fit.slope != 0.0 => {
            let direction = if fit.slope < 0.0 { "falls" } else { "rises" };
            if (low..=high).contains(&fit.pse) {
                format!("{:.0} ({direction} with N)", n(fit.pse))
            } else {
                let side = if fit.pse > high { ">" } else { "<" };
                let edge = if fit.pse > high { high } else { low };
                format!(
                    "{side} {:.0}: outside the N measured ({direction} with N; the fit \
                     extrapolates to {:.0})",
                    n(edge),
                    n(fit.pse)
                )
            }
        }
        Ok(_) => "flat".to_owned(),
        Err(_) => "no finite fit".to_owned(),
    }
}

/// For points in order of x where every seed learns up to some N and none beyond (or the
/// reverse), with at most one N of mixed outcome between: that boundary, in words. The
/// logistic fit has no finite maximum there, so the counts are all the data says.
fn separated(points: &[BinomialPoint]) -> Option<String> {
    let n = |p: &BinomialPoint| 10f64.powf(p.x).round();
    let all = |p: &BinomialPoint| p.successes == p.n;
    let none = |p: &BinomialPoint| p.successes == 0;
    type Class<'a> = &'a dyn Fn(&BinomialPoint) -> bool;
    let directions: [(Class, Class, &str, &str); 2] =
        [(&all, &none, "all", "none"), (&none, &all, "none", "all")];
    for (first, second, first_words, second_words) in directions {
        let a = points.iter().take_while(|p| first(p)).count();
        let b = points.iter().rev().take_while(|p| second(p)).count();
        let mixed = points.len().checked_sub(a + b)?;
        if mixed > 1 || a + b == 0 || (a == 0 && mixed == 0) || (b == 0 && mixed == 0) {
            continue;
        }
        let mut parts = Vec::new();
        if a > 0 {
            parts.push(format!("{first_words} learn at N ≤ {}", n(&points[a - 1])));
        }
        if mixed == 1 {
            let p = &points[a];
            parts.push(format!("{} of {} at N = {}", p.successes, p.n, n(p)));
        }
        if b > 0 {
            parts.push(format!("{second_words} at N ≥ {}", n(&points[a + mixed])));
        }
        return Some(format!("boundary: {}", parts.join("; ")));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use clap::Parser;

    use super::*;
    use crate::cli::{ProtocolArgs, RunChoice};
    use crate::config::DataSource;

    #[derive(Parser)]
    struct Defaults {
        #[command(flatten)]
        protocol: ProtocolArgs,
    }

    /// Cells of one group on `task`, one per value, on a field of `n` neurons; `tweak` sets
    /// the group's controls.
    fn group(
        mode: Mode,
        (field, n): (&str, usize),
        variant: &str,
        task: TaskKind,
        values: &[f64],
        tweak: impl Fn(&mut Cell),
    ) -> Vec<Measured> {
        let mut args = Defaults::parse_from(["test"]).protocol;
        args.compat = mode == Mode::Compat;
        values
            .iter()
            .enumerate()
            .map(|(seed, &value)| {
                let out = PathBuf::from(format!(
                    "/cells/{mode:?}/{field}/{variant}/{task}/{}/{seed}",
                    values.len()
                ));
                let config = args
                    .config(
                        DataSource::Synthetic {
                            n_neurons: n,
                            seed: 0,
                        },
                        RunChoice {
                            task,
                            variant: variant.parse().unwrap(),
                            positive: false,
                            seed: seed as u64 + 1,
                        },
                        out,
                    )
                    .unwrap();
                let mut cell = Cell {
                    index: 0,
                    mode,
                    field: field.to_owned(),
                    arm: None,
                    config,
                };
                tweak(&mut cell);
                cell.config.out = cell.config.out.join(format!(
                    "{:?}-{:?}-{:?}",
                    cell.arm, cell.config.distance_control, cell.config.bio_init
                ));
                Measured {
                    cell,
                    n,
                    values: [(Measure::HeldOutAccuracy, value)].into_iter().collect(),
                    trained_by: "blueprint-trainer (test)".to_owned(),
                    history: None,
                }
            })
            .collect()
    }

    /// `k` of 12 seeds learned (≈ 1.0), the rest at chance (≈ 0.5), all distinct.
    fn learned(k: usize) -> Vec<f64> {
        (0..12)
            .map(|i| if i < k { 0.99 } else { 0.5 } + 0.001 * i as f64)
            .collect()
    }

    const FIELD: (&str, usize) = ("6_6_2", 100);
    const GO: TaskKind = TaskKind::GoNogo;

    fn distance_controls(shuffled: usize, scale: usize, rank: usize) -> Vec<Measured> {
        let arm = |control: DistanceControl, label: &'static str| {
            move |cell: &mut Cell| {
                cell.config.distance_control = control;
                cell.arm = Some(label.to_owned());
            }
        };
        let corrected = Mode::Corrected;
        [
            group(
                corrected,
                FIELD,
                "WD*C",
                GO,
                &learned(shuffled),
                arm(DistanceControl::Shuffled, "D* shuffled"),
            ),
            group(
                corrected,
                FIELD,
                "WD*C",
                GO,
                &learned(scale),
                arm(DistanceControl::ScaleMatched, "D* scale-matched"),
            ),
            group(
                corrected,
                FIELD,
                "WD*C",
                GO,
                &learned(rank),
                arm(DistanceControl::RankMatched, "D* rank-matched"),
            ),
        ]
        .concat()
    }

    fn distance_baselines() -> Vec<Measured> {
        [
            group(Mode::Compat, FIELD, "WD*C", GO, &learned(12), |_| {}),
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(0), |_| {}),
        ]
        .concat()
    }

    fn verdicts(markdown: &str) -> Vec<&str> {
        markdown
            .lines()
            .filter(|line| line.starts_with("*Verdict:*"))
            .collect()
    }

    #[test]
    fn the_distance_answer_names_what_the_reproducing_controls_share() {
        let baselines = distance_baselines();
        for ((shuffled, scale, rank), cause) in [
            ((0, 0, 12), "the compat distribution of distances"),
            ((0, 12, 12), "the compat scale (mean)"),
            ((12, 0, 0), "the loss of geometry"),
        ] {
            let answers = answers(&distance_controls(shuffled, scale, rank), Some(&baselines));
            let verdict = verdicts(&answers.markdown);
            assert_eq!(verdict.len(), 1, "{}", answers.markdown);
            assert!(
                verdict[0].contains(&format!("lack: {cause}")),
                "({shuffled}, {scale}, {rank}): {}",
                verdict[0]
            );
            // One CSV row per sample and reference.
            assert_eq!(answers.csv.lines().count(), 1 + 5 * 2, "{}", answers.csv);
        }
        // A control between the two (6 of 12) reproduces part: the mean, not the rest.
        let between = answers(&distance_controls(0, 6, 12), Some(&baselines));
        let verdict = verdicts(&between.markdown)[0];
        assert!(
            verdict.contains("above the true `D*` but below compat: `D* scale-matched`")
                && verdict.contains(
                    "lack: the compat scale (mean); the compat distribution of distances"
                )
                && verdict.contains(
                    "`D* scale-matched` reproduces part of it holding only the compat scale"
                ),
            "{verdict}"
        );
        // A control the test cannot place (two seeds, one learned) weighs on nothing.
        let mut unsure = distance_controls(0, 0, 12);
        unsure.retain(|m| m.cell.config.distance_control != DistanceControl::ScaleMatched);
        unsure.extend(group(
            Mode::Corrected,
            FIELD,
            "WD*C",
            GO,
            &[0.99, 0.5],
            |cell| {
                cell.config.distance_control = DistanceControl::ScaleMatched;
            },
        ));
        let unsure = answers(&unsure, Some(&baselines));
        let verdict = verdicts(&unsure.markdown)[0];
        assert!(
            verdict.contains("neither above the true `D*` nor below compat: `D* scale-matched`")
                && verdict.contains(
                    "lack: the compat scale (mean); the compat distribution of distances"
                ),
            "{verdict}"
        );
        let none = answers(&distance_controls(0, 0, 0), Some(&baselines));
        assert!(verdicts(&none.markdown)[0].contains("No control is above the true `D*`"));
        // Contradictory evidence is not forced into an explanation.
        let odd = answers(&distance_controls(0, 12, 0), Some(&baselines));
        assert!(
            verdicts(&odd.markdown)[0].contains("No single property"),
            "{}",
            odd.markdown
        );
    }

    #[test]
    fn the_distance_answer_counts_the_seeds_whose_w_rec_collapsed() {
        // Seeds that failed lost their weights (penalty fell 10,000-fold) except under the
        // compat and the rank-matched distances; the learned ones kept about half.
        let with_penalty = |mut cells: Vec<Measured>, keep_failed: bool| {
            for m in &mut cells {
                let learned = m.values[&Measure::HeldOutAccuracy] >= LEARNED;
                let kept = if learned || keep_failed { -0.3 } else { -4.0 };
                let jitter = 0.001 * m.cell.config.seed as f64;
                m.values.insert(Measure::PenaltyKept, kept + jitter);
            }
            cells
        };
        let baselines = [
            with_penalty(
                group(Mode::Compat, FIELD, "WD*C", GO, &learned(12), |_| {}),
                false,
            ),
            with_penalty(
                group(Mode::Corrected, FIELD, "WD*C", GO, &learned(0), |_| {}),
                false,
            ),
        ]
        .concat();
        let controls = distance_controls(0, 0, 6);
        let (rank, rest): (Vec<Measured>, Vec<Measured>) = controls
            .into_iter()
            .partition(|m| m.cell.config.distance_control == DistanceControl::RankMatched);
        let controls = [with_penalty(rank, true), with_penalty(rest, false)].concat();
        let answers = answers(&controls, Some(&baselines));
        let md = &answers.markdown;
        assert!(
            md.contains(
                "*`W_rec` collapsed* (the penalty fell a hundredfold or more) in: `compat D*` 0 \
                 of 12, `true D*` 12 of 12, `D* shuffled` 12 of 12, `D* scale-matched` 12 of 12, \
                 `D* rank-matched` 0 of 12."
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "Collapsed less often than `true D*` (Holm p < 0.05): `compat D*`, `D* \
                 rank-matched`. Collapsed more often than `compat D*` (Holm p < 0.05): `true \
                 D*`, `D* shuffled`, `D* scale-matched`."
            ),
            "{md}"
        );
        // The accuracy verdict comes first, then the penalty table.
        let verdict = md.find("*Verdict:*").unwrap();
        assert!(
            md.find("| sample | holds | n | collapsed |").unwrap() > verdict,
            "{md}"
        );
        // Both tables in answers.csv: accuracy rows count learned, penalty rows collapsed.
        assert!(
            answers
                .csv
                .lines()
                .any(|l| l.starts_with("1,6_6_2,go-nogo,penalty_kept_log10,true D*,12,,12,")),
            "{}",
            answers.csv
        );
        assert!(
            answers
                .csv
                .lines()
                .any(|l| l.starts_with("1,6_6_2,go-nogo,heldout_accuracy,compat D*,12,12,,")),
            "{}",
            answers.csv
        );
    }

    #[test]
    fn without_baselines_or_a_compat_success_the_distance_answer_says_so() {
        let alone = answers(&distance_controls(0, 0, 12), None);
        assert!(
            alone
                .markdown
                .contains("run `study report` with `--against`")
        );
        assert!(verdicts(&alone.markdown)[0].contains("not yet"));
        let no_success = [
            group(Mode::Compat, FIELD, "WD*C", GO, &learned(0), |_| {}),
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(0), |_| {}),
        ]
        .concat();
        let answers = answers(&distance_controls(0, 0, 12), Some(&no_success));
        assert!(verdicts(&answers.markdown)[0].contains("compat success not shown"));
        // A baseline trained under another protocol is no baseline.
        let mut other = distance_baselines();
        for m in &mut other {
            m.cell.config.protocol.epochs += 1;
        }
        let answers = super::answers(&distance_controls(0, 0, 12), Some(&other));
        let verdict = verdicts(&answers.markdown)[0];
        assert!(
            verdict.contains("(have 0 and 0)")
                && verdict.contains("24 such cell(s) were trained under other settings"),
            "{verdict}"
        );
    }

    #[test]
    fn the_diagonal_answer_tests_the_control_against_random_init() {
        let baselines = [
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(0), |_| {}),
            group(Mode::Corrected, FIELD, "W*D*C", GO, &learned(12), |_| {}),
        ]
        .concat();
        let without = |k: usize| {
            group(Mode::Corrected, FIELD, "W*D*C", GO, &learned(k), |cell| {
                cell.config.bio_init.exclude_diagonal = true;
                cell.arm = Some("W* without diagonal".to_owned());
            })
        };
        let lost = answers(&without(0), Some(&baselines));
        assert!(verdicts(&lost.markdown)[0].contains("does not survive without the diagonal"));
        let kept = answers(&without(12), Some(&baselines));
        assert!(verdicts(&kept.markdown)[0].contains("survives without the diagonal"));
        assert!(!kept.markdown.contains("does not survive"));
        // Nothing of question 1 is asked without its controls.
        assert!(!kept.markdown.contains("geometry, scale or distribution"));
    }

    #[test]
    fn the_size_answer_finds_where_half_the_seeds_learn() {
        let sum = |cell: &mut Cell| cell.arm = Some("sum penalty".to_owned());
        let mut measured = Vec::new();
        for (field, k) in [
            (("a", 40), 12),
            (("b", 120), 9),
            (("c", 300), 3),
            (("d", 600), 0),
        ] {
            measured.extend(group(Mode::Corrected, field, "WD*C", GO, &learned(k), sum));
            measured.extend(group(
                Mode::Corrected,
                field,
                "W*D*C",
                GO,
                &learned(12),
                sum,
            ));
            measured.extend(group(
                Mode::Corrected,
                field,
                "W",
                GO,
                &learned(12 * usize::from(field.1 < 200)),
                sum,
            ));
        }
        let answers = answers(&measured, None);
        let row = |group: &str| {
            answers
                .markdown
                .lines()
                .find(|line| line.starts_with(&format!("| `{group} [sum penalty]`")))
                .unwrap_or_else(|| panic!("{group}: {}", answers.markdown))
                .to_owned()
        };
        // 12, 9, 3, 0 of 12 learned: half learn between N = 120 and N = 300.
        let wdc = row("WD*C");
        assert!(
            wdc.contains("| 12 of 12 | 9 of 12 | 3 of 12 | 0 of 12 |"),
            "{wdc}"
        );
        let half: f64 = wdc
            .rsplit("| ")
            .next()
            .and_then(|cell| cell.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{wdc}"));
        assert!((150.0..250.0).contains(&half), "{wdc}");
        assert!(wdc.contains("falls with N"), "{wdc}");
        assert!(row("W*D*C").contains("every seed learned at every N"));
        assert!(
            row("W").contains("boundary: all learn at N ≤ 120; none at N ≥ 300"),
            "{}",
            row("W")
        );
        // One mixed N at the boundary is still separated: no finite fit, the boundary said.
        let points: Vec<BinomialPoint> = [40.0f64, 120.0, 300.0, 600.0]
            .iter()
            .zip([12, 12, 5, 0])
            .map(|(n, successes)| BinomialPoint {
                x: n.log10(),
                successes,
                n: 12,
            })
            .collect();
        assert_eq!(
            half_learn(&points),
            "boundary: all learn at N ≤ 120; 5 of 12 at N = 300; none at N ≥ 600"
        );
        // A midpoint beyond the N measured is said to be one.
        let shallow: Vec<BinomialPoint> = [40.0f64, 120.0, 300.0, 600.0]
            .iter()
            .zip([12, 11, 10, 9])
            .map(|(n, successes)| BinomialPoint {
                x: n.log10(),
                successes,
                n: 12,
            })
            .collect();
        assert!(
            half_learn(&shallow).starts_with("> 600: outside the N measured"),
            "{}",
            half_learn(&shallow)
        );
    }

    /// The parent's `report.md` of `measured`, a corrected `paper-main` study planned as exactly
    /// those cells, with no figures, answers or comparisons.
    fn report_of(measured: &[Measured], effects: &[super::super::Effect]) -> String {
        let plan = crate::study::StudyPlan {
            schema: 1,
            preset: crate::study::Preset::PaperMain,
            modes: vec![Mode::Corrected],
            planned_by: "test".into(),
            data: PathBuf::from("/bundle"),
            cells: measured.iter().map(|m| m.cell.clone()).collect(),
        };
        super::super::report_markdown(
            std::path::Path::new("studies/test"),
            &plan,
            measured,
            &super::super::summarise(measured),
            &super::super::paper_table(plan.preset),
            effects,
            &[],
            "",
            &[],
            None,
        )
    }

    /// A test of the parent's `report_markdown`, kept here for this module's cell builders.
    #[test]
    fn the_report_counts_as_done_the_cells_its_tables_are_over() {
        // Cells measured while their folders (which do not exist here) say "not run": a study
        // that finishes cells while its report is made is the same race the other way round.
        // The header must count what the tables hold, not what the folders say afterwards.
        let measured = group(Mode::Corrected, FIELD, "WD*C", GO, &learned(5), |_| {});
        let effects = super::super::simple_effects(&measured);
        let markdown = report_of(&measured, &effects);
        assert!(
            markdown.contains("**12 of 12 cells are done** (0 failed, 0 not yet run)"),
            "{}",
            markdown.lines().take(4).collect::<Vec<_>>().join("\n")
        );
    }

    /// A test of the parent's simple effects: the paper's Tables S5–S7 have a row for every
    /// family, so a family whose seeds all scored the same must say it has no test.
    #[test]
    fn a_family_whose_seeds_all_scored_the_same_keeps_its_row_and_says_why() {
        let perfect = [1.0; 5];
        let mixed = [0.99, 0.5, 0.98, 0.51, 0.97];
        let measured: Vec<Measured> = [
            // C at W*, D*: every seed of both levels at 1.000, no test.
            group(Mode::Corrected, FIELD, "W*D*C", GO, &perfect, |_| {}),
            group(Mode::Corrected, FIELD, "W*D*C*", GO, &perfect, |_| {}),
            // W at D*, C: the W* level ties with itself but not with W, so it is tested.
            group(Mode::Corrected, FIELD, "WD*C", GO, &mixed, |_| {}),
        ]
        .concat();
        let effects = super::super::simple_effects(&measured);
        let untested = effects
            .iter()
            .find(|e| e.fixed == "W*, D*")
            .expect("the family of C at W*, D* is kept");
        assert_eq!(
            untested.kruskal.as_ref().unwrap_err(),
            "no test: all 10 seeds scored 1.000"
        );
        assert!(untested.pairs.iter().all(|p| p.p.is_nan()));
        let tested = effects.iter().find(|e| e.fixed == "D*, C").unwrap();
        assert!(tested.kruskal.is_ok());
        assert!(tested.pairs.iter().all(|p| p.p_holm.is_finite()));

        let csv = super::super::effects_csv(&effects);
        assert!(
            csv.contains(
                "corrected,go-nogo,heldout_accuracy,C (communicability),\"W*, D*\",kruskal-wallis,\"C | C*\",,10,,,,,,"
            ),
            "{csv}"
        );
        assert!(
            csv.contains(
                "corrected,go-nogo,heldout_accuracy,C (communicability),\"W*, D*\",mann-whitney,C,C*,5,5,,,,0,"
            ),
            "{csv}"
        );
        assert!(!csv.contains("NaN"), "{csv}");
        let markdown = report_of(&measured, &effects);
        assert!(
            markdown.contains(
                "| corrected | go-nogo | C (communicability) | W*, D* | C (5), C* (5) | — | no test: all 10 seeds scored 1.000 |"
            ),
            "{markdown}"
        );
    }

    #[test]
    fn a_study_of_both_modes_sets_each_compat_cell_against_its_corrected_cell() {
        let both: Vec<Measured> = [
            group(Mode::Compat, FIELD, "W", GO, &learned(0), |_| {}),
            group(Mode::Corrected, FIELD, "W", GO, &learned(0), |_| {}),
            group(Mode::Compat, FIELD, "WD*C", GO, &learned(11), |_| {}),
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(3), |_| {}),
            // Only in one mode: nothing to pair it with.
            group(Mode::Compat, FIELD, "WD", GO, &learned(2), |_| {}),
        ]
        .concat();
        let summaries = super::super::summarise(&both);
        let groups = super::super::ordered_groups(&both);
        let rows = super::super::compat_against_corrected(&summaries, &groups);
        // Table 2 order: WD*C before W.
        let labels: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(labels, ["WD*C", "W"]);
        let wdc = &rows[0];
        assert_eq!(wdc.modes, (Mode::Compat, Mode::Corrected));
        assert_eq!((wdc.ours.len(), wdc.theirs.len()), (12, 12));
        let p = wdc.p.unwrap();
        assert!(p < 0.01, "{p}");
        // Holm over the table's two tests: the smaller p is doubled.
        assert!((wdc.p_holm.unwrap() - (2.0 * p).min(1.0)).abs() < 1e-12);
        assert_eq!(rows[1].p, Some(1.0), "the same values in both modes");

        let mut md = String::new();
        super::super::comparison_table(&mut md, &rows, false);
        assert!(
            md.contains(
                "| go-nogo | `WD*C` | 0.955, 11 of 12 learned | 0.628, 3 of 12 learned | +0.327 |"
            ),
            "{md}"
        );
        let csv = super::super::comparison_csv(&rows, ("compat", "corrected"));
        assert!(csv.starts_with(
            "field,task,group,measure,mode_compat,n_compat,mean_compat,learned_compat,"
        ));
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("6_6_2,go-nogo,WD*C,heldout_accuracy,compat,12,"),
            "{csv}"
        );

        // A study of one mode has no such section.
        let one = group(Mode::Corrected, FIELD, "WD*C", GO, &learned(3), |_| {});
        let groups = super::super::ordered_groups(&one);
        assert!(
            super::super::compat_against_corrected(&super::super::summarise(&one), &groups)
                .is_empty()
        );
    }

    #[test]
    fn against_another_study_never_pools_the_modes() {
        let ours: Vec<Measured> = [
            group(Mode::Compat, FIELD, "WD*C", GO, &learned(11), |_| {}),
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(3), |_| {}),
        ]
        .concat();
        let theirs: Vec<Measured> = [
            group(Mode::Compat, FIELD, "WD*C", GO, &learned(12), |_| {}),
            group(Mode::Corrected, FIELD, "WD*C", GO, &learned(1), |_| {}),
        ]
        .concat();
        let both = [Mode::Compat, Mode::Corrected];
        let (s_ours, s_theirs) = (
            super::super::summarise(&ours),
            super::super::summarise(&theirs),
        );
        let groups = super::super::ordered_groups(&ours);
        // Studies of the same modes: compat against compat, corrected against corrected.
        let rows = super::super::compare(&s_ours, &both, &s_theirs, &both, &groups);
        let pairs: Vec<_> = rows
            .iter()
            .map(|r| (r.modes, r.ours.len(), r.theirs.len()))
            .collect();
        assert_eq!(
            pairs,
            [
                ((Mode::Compat, Mode::Compat), 12, 12),
                ((Mode::Corrected, Mode::Corrected), 12, 12)
            ]
        );
        // A corrected study against a compat one: the two modes meet.
        let corrected = super::super::summarise(&ours[12..]);
        let compat = super::super::summarise(&theirs[..12]);
        let rows = super::super::compare(
            &corrected,
            &[Mode::Corrected],
            &compat,
            &[Mode::Compat],
            &groups,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].modes, (Mode::Corrected, Mode::Compat));
        let mut md = String::new();
        super::super::comparison_table(&mut md, &rows, true);
        assert!(
            md.contains("| corrected 0.628, 3 of 12 learned | compat 0.995, 12 of 12 learned |"),
            "{md}"
        );
    }

    #[test]
    fn p_values_are_never_printed_as_zero() {
        use super::super::{p_is, p_text};
        assert_eq!(p_text(0.0004), "< 0.001");
        assert_eq!(p_text(0.0523), "0.052");
        assert_eq!(p_text(f64::NAN), "—");
        assert_eq!(p_is(0.0004), "p < 0.001");
        assert_eq!(p_is(0.0523), "p = 0.052");
        assert_eq!(p_is(f64::NAN), "no p");
    }
}
