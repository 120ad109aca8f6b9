//! The study's three decision tasks, one seeded generator for training and evaluation.
//!
//! | task | file | inputs | outputs | steps (default) | chance | ceiling |
//! |---|---|---|---|---|---|---|
//! | `one-choice-inference` (maze, seRNN) | [`one_choice_inference`] | 8 | 4 (l, u, r, d) | 50 | 0.25 | 1.0 |
//! | `go-nogo` | [`go_nogo`] | 3 | 2 (no-go, go) | 40 | 0.5 | 1.0 |
//! | `perceptual-dm` (random-dot motion) | [`perceptual_dm`] | 3 | 2 (θ = 0, θ = π) | 41 | 0.5 | ≈ 0.899 |
//!
//! Each task file opens with its trial timeline, its input and output channels and the
//! reasoning behind its chance level and ideal-observer ceiling.
//!
//! # What a batch is
//!
//! [`Task::generate`] returns a [`TrialBatch`]: `inputs` with shape `[batch, time, n_in]`, one
//! `label` per trial (the class index of the correct answer at the final step) and one
//! [`Condition`] per trial (the metadata that per-condition accuracy tables group by, through
//! [`Condition::key`]; [`Task::conditions`] lists every key in a stable order). Training and
//! evaluation call the same generator; they differ only in the seed.
//!
//! # Why ChaCha8
//!
//! [`Task::generate`] seeds [`rand_chacha::ChaCha8Rng`] with `seed_from_u64(seed)`. `rand`'s
//! `StdRng` is explicitly *not* reproducible: its algorithm may change between `rand` releases,
//! and `SmallRng` differs between 32- and 64-bit platforms. ChaCha8 is a fixed, documented
//! stream cipher whose output for a given seed is the same on every platform and every
//! `rand_chacha` release, so a seed recorded in a manifest regenerates exactly the trials a
//! model was trained or evaluated on, on any machine, years later. Eight rounds (rather than
//! twenty) because the stream needs statistical quality, not cryptographic strength, and eight
//! rounds are plenty for that at a fraction of the cost.
//!
//! The draws within a batch follow a fixed order (trial by trial: first the condition, then
//! any noise, step-major then channel), documented in each task file, so that the stream
//! layout is part of the reproducibility contract too.
//!
//! # Configuration
//!
//! The paper's timing is the default of every config struct; every period length is
//! configurable. [`Task::new`] validates a [`TaskConfig`] and reports a typed [`TaskError`].

pub mod go_nogo;
pub mod one_choice_inference;
pub mod perceptual_dm;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use ndarray::Array3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use go_nogo::GoNogoConfig;
pub use one_choice_inference::{Direction, MazeProblem, OneChoiceInferenceConfig};
pub use perceptual_dm::PerceptualDmConfig;

/// Which of the study's three tasks.
///
/// Serialised, parsed and shown as `one-choice-inference`, `go-nogo` and `perceptual-dm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "clap", value(rename_all = "kebab-case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskKind {
    /// The maze task after Achterberg et al. (2023): remember a goal, pick one of two offered
    /// directions.
    OneChoiceInference,
    /// Remember a go or no-go cue through a delay, then answer.
    GoNogo,
    /// Random-dot motion: integrate noisy evidence for one of two opposite directions.
    PerceptualDm,
}

/// Every task configuration, tagged by `"task"` in its serialised form, e.g.
/// `{"task": "go-nogo", "fixation_steps": 5, "stimulus_steps": 20, ...}`.
///
/// Missing fields take the paper's default, so `{"task": "go-nogo"}` is the default go/no-go
/// task; unknown fields are rejected so that a misspelt period name fails loudly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskConfig {
    /// The maze task.
    OneChoiceInference(OneChoiceInferenceConfig),
    /// The go/no-go task.
    GoNogo(GoNogoConfig),
    /// The random-dot motion task.
    PerceptualDm(PerceptualDmConfig),
}

/// A validated task: its configuration plus everything derived from it.
///
/// Construct with [`Task::new`] (validates) or [`Task::default_for`] (the paper's settings).
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    config: TaskConfig,
}

/// One generated batch of trials.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialBatch {
    /// Network inputs, shape `[batch, time, n_in]`.
    pub inputs: Array3<f32>,
    /// The correct answer of each trial at its final step, a class index in `0..n_outputs`.
    pub labels: Vec<usize>,
    /// The condition each trial was drawn from, one per trial.
    pub conditions: Vec<Condition>,
}

/// The per-trial condition metadata that evaluation groups accuracy by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Condition {
    /// One of the eight maze problems.
    OneChoiceInference {
        /// Index into [`one_choice_inference::MAZE_PROBLEMS`].
        problem: usize,
        /// The goal location (7, 9, 17 or 19).
        goal: u8,
        /// The two offered directions, in the order the problem lists them.
        choices: [Direction; 2],
    },
    /// A go or a no-go trial.
    GoNogo {
        /// `true` for a go trial (label 1), `false` for a no-go trial (label 0).
        go: bool,
    },
    /// One random-dot motion trial.
    PerceptualDm {
        /// Motion coherence in percent (0–100).
        coherence: f64,
        /// Class index of the true direction: 0 for θ = 0, 1 for θ = π.
        direction: usize,
    },
}

/// The most steps a trial may have, over all its periods. It bounds the memory and time of
/// every trial a server generates (10,000 steps is 200× the study's longest trial).
pub const MAX_TRIAL_STEPS: usize = 10_000;

/// The most coherences a perceptual-dm configuration may list.
pub const MAX_COHERENCES: usize = 64;

/// One period of a trial's timeline, in steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// Short name, e.g. `"fixation"`, `"stimulus"`, `"delay"`, `"decision"`.
    pub name: &'static str,
    /// Index of the first step of the period.
    pub start: usize,
    /// Number of steps; may be zero for optional periods.
    pub steps: usize,
    /// What the inputs carry during the period.
    pub description: &'static str,
}

/// Why a task configuration (or a task name) was rejected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TaskError {
    /// A period that carries the information the answer depends on, or the period the answer
    /// is read out in, is shorter than it must be.
    #[error(
        "{task}: the {period} period must last at least {minimum} step(s), got {steps} ({reason})"
    )]
    PeriodTooShort {
        /// The task whose configuration was rejected.
        task: TaskKind,
        /// The period's name as it appears in the timeline.
        period: &'static str,
        /// The fewest steps the period may have.
        minimum: usize,
        /// The configured number of steps.
        steps: usize,
        /// Why the period cannot be shorter.
        reason: &'static str,
    },
    /// The period lengths add up to more than [`MAX_TRIAL_STEPS`].
    #[error(
        "{task}: the period lengths add up to more than {MAX_TRIAL_STEPS} steps, the most a trial may have"
    )]
    TrialTooLong {
        /// The task whose configuration was rejected.
        task: TaskKind,
    },
    /// The list of coherences is longer than [`MAX_COHERENCES`].
    #[error("perceptual-dm: {count} coherences given; at most {MAX_COHERENCES} are allowed")]
    TooManyCoherences {
        /// How many were given.
        count: usize,
    },
    /// The list of coherences to draw from is empty.
    #[error("perceptual-dm: the list of coherences is empty; give at least one value in [0, 100]")]
    NoCoherences,
    /// A coherence is not a finite percentage.
    #[error("perceptual-dm: coherence {value} is not a finite percentage in [0, 100]")]
    InvalidCoherence {
        /// The offending value.
        value: f64,
    },
    /// The input noise standard deviation is negative or not finite.
    #[error("perceptual-dm: noise standard deviation {value} must be finite and >= 0")]
    InvalidNoise {
        /// The offending value.
        value: f64,
    },
    /// A task name that is not one of the three.
    #[error("unknown task `{name}`: expected one of one-choice-inference, go-nogo, perceptual-dm")]
    UnknownTaskKind {
        /// The name as given.
        name: String,
    },
}

impl TaskKind {
    /// The three tasks, in the study's order.
    pub const ALL: [TaskKind; 3] = [
        TaskKind::OneChoiceInference,
        TaskKind::GoNogo,
        TaskKind::PerceptualDm,
    ];

    /// The kebab-case name used in serialised form, on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::OneChoiceInference => "one-choice-inference",
            TaskKind::GoNogo => "go-nogo",
            TaskKind::PerceptualDm => "perceptual-dm",
        }
    }
}

impl fmt::Display for TaskKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for TaskKind {
    type Err = TaskError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        TaskKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| TaskError::UnknownTaskKind {
                name: name.to_owned(),
            })
    }
}

impl TaskConfig {
    /// The paper's configuration of `kind`.
    pub fn default_for(kind: TaskKind) -> TaskConfig {
        match kind {
            TaskKind::OneChoiceInference => {
                TaskConfig::OneChoiceInference(OneChoiceInferenceConfig::default())
            }
            TaskKind::GoNogo => TaskConfig::GoNogo(GoNogoConfig::default()),
            TaskKind::PerceptualDm => TaskConfig::PerceptualDm(PerceptualDmConfig::default()),
        }
    }

    /// Which task this configures.
    pub fn kind(&self) -> TaskKind {
        match self {
            TaskConfig::OneChoiceInference(_) => TaskKind::OneChoiceInference,
            TaskConfig::GoNogo(_) => TaskKind::GoNogo,
            TaskConfig::PerceptualDm(_) => TaskKind::PerceptualDm,
        }
    }

    /// Checks every constraint [`Task::new`] enforces.
    pub fn validate(&self) -> Result<(), TaskError> {
        match self {
            TaskConfig::OneChoiceInference(config) => config.validate(),
            TaskConfig::GoNogo(config) => config.validate(),
            TaskConfig::PerceptualDm(config) => config.validate(),
        }
    }
}

impl Task {
    /// Validates `config` and wraps it.
    ///
    /// Rejected: a trial whose period lengths overflow `usize`; a zero-length period that the
    /// answer depends on (the maze's goal and choice periods, go/no-go's stimulus and decision
    /// periods, the motion stimulus), because such a trial has no learnable correct answer;
    /// coherences that are not finite percentages in `[0, 100]` or an empty list of them; a
    /// negative or non-finite noise standard deviation.
    pub fn new(config: TaskConfig) -> Result<Task, TaskError> {
        config.validate()?;
        Ok(Task { config })
    }

    /// The task with the paper's configuration.
    pub fn default_for(kind: TaskKind) -> Task {
        Task {
            config: TaskConfig::default_for(kind),
        }
    }

    /// Which task this is.
    pub fn kind(&self) -> TaskKind {
        self.config.kind()
    }

    /// The validated configuration.
    pub fn config(&self) -> &TaskConfig {
        &self.config
    }

    /// Number of input channels (`n_in`).
    pub fn n_inputs(&self) -> usize {
        match self.config {
            TaskConfig::OneChoiceInference(_) => one_choice_inference::N_INPUTS,
            TaskConfig::GoNogo(_) => go_nogo::N_INPUTS,
            TaskConfig::PerceptualDm(_) => perceptual_dm::N_INPUTS,
        }
    }

    /// Number of output classes.
    pub fn n_outputs(&self) -> usize {
        self.output_names().len()
    }

    /// Number of time steps per trial.
    pub fn n_steps(&self) -> usize {
        match &self.config {
            TaskConfig::OneChoiceInference(config) => config.n_steps(),
            TaskConfig::GoNogo(config) => config.n_steps(),
            TaskConfig::PerceptualDm(config) => config.n_steps(),
        }
    }

    /// The name of each output class, indexed by label.
    pub fn output_names(&self) -> &'static [&'static str] {
        match self.config {
            TaskConfig::OneChoiceInference(_) => &one_choice_inference::OUTPUT_NAMES,
            TaskConfig::GoNogo(_) => &go_nogo::OUTPUT_NAMES,
            TaskConfig::PerceptualDm(_) => &perceptual_dm::OUTPUT_NAMES,
        }
    }

    /// The trial's periods in order; zero-length periods are kept so the list has the same
    /// names for every configuration of a task.
    pub fn timeline(&self) -> Vec<Period> {
        match &self.config {
            TaskConfig::OneChoiceInference(config) => config.timeline(),
            TaskConfig::GoNogo(config) => config.timeline(),
            TaskConfig::PerceptualDm(config) => config.timeline(),
        }
    }

    /// The response window: the steps of the last period that has any (the answer is read
    /// out at its last step). Decision times are counted from its first step.
    pub fn response_window(&self) -> std::ops::Range<usize> {
        self.timeline()
            .iter()
            .rev()
            .find(|period| period.steps > 0)
            .map(|period| period.start..period.start + period.steps)
            .expect("a validated task has a non-empty read-out period")
    }

    /// Accuracy of guessing: one over the number of output classes.
    pub fn chance(&self) -> f64 {
        1.0 / self.n_outputs() as f64
    }

    /// Expected accuracy of the ideal observer over the task's condition distribution (see the
    /// task file's documentation for the reasoning).
    pub fn ceiling(&self) -> f64 {
        match &self.config {
            TaskConfig::OneChoiceInference(_) => 1.0,
            TaskConfig::GoNogo(_) => 1.0,
            TaskConfig::PerceptualDm(config) => config.ideal_observer_ceiling(),
        }
    }

    /// Every condition key [`Condition::key`] can return for this task, in a stable order
    /// (problem order, no-go then go, coherences in configured order without repeats).
    pub fn conditions(&self) -> Vec<String> {
        match &self.config {
            TaskConfig::OneChoiceInference(_) => one_choice_inference::condition_keys(),
            TaskConfig::GoNogo(_) => go_nogo::condition_keys(),
            TaskConfig::PerceptualDm(config) => config.condition_keys(),
        }
    }

    /// Generates `n_trials` trials from `ChaCha8Rng::seed_from_u64(seed)`; the same seed
    /// always gives the same batch.
    ///
    /// # Shapes
    ///
    /// `inputs`: `[n_trials, n_steps, n_inputs]`; `labels` and `conditions`: `n_trials`.
    pub fn generate(&self, n_trials: usize, seed: u64) -> TrialBatch {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        self.generate_with(n_trials, &mut rng)
    }

    /// Generates `n_trials` trials from the caller's random number generator.
    ///
    /// # Shapes
    ///
    /// `inputs`: `[n_trials, n_steps, n_inputs]`; `labels` and `conditions`: `n_trials`.
    pub fn generate_with<R: Rng + ?Sized>(&self, n_trials: usize, rng: &mut R) -> TrialBatch {
        match &self.config {
            TaskConfig::OneChoiceInference(config) => {
                one_choice_inference::generate_trials(config, n_trials, rng)
            }
            TaskConfig::GoNogo(config) => go_nogo::generate_trials(config, n_trials, rng),
            TaskConfig::PerceptualDm(config) => {
                perceptual_dm::generate_trials(config, n_trials, rng)
            }
        }
    }
}

impl TrialBatch {
    /// Number of trials in the batch.
    pub fn n_trials(&self) -> usize {
        self.labels.len()
    }
}

impl Condition {
    /// The key per-condition tables group by: the maze problem (`"goal 9: u/l -> u"`),
    /// `"go"`/`"no-go"`, or the coherence (`"coh 12.8"`; both directions share a key).
    pub fn key(&self) -> String {
        match self {
            Condition::OneChoiceInference {
                problem,
                goal,
                choices,
            } => one_choice_inference::condition_key(*problem, *goal, *choices),
            Condition::GoNogo { go } => go_nogo::condition_key(*go).to_owned(),
            Condition::PerceptualDm { coherence, .. } => perceptual_dm::coherence_key(*coherence),
        }
    }
}

impl Period {
    /// Index one past the last step of the period.
    pub fn end(&self) -> usize {
        self.start + self.steps
    }
}

/// Lays out consecutive periods from step 0, checking that the total fits in `usize`.
///
/// Each entry is `(name, steps, description)`.
pub(crate) fn consecutive_periods(
    task: TaskKind,
    periods: &[(&'static str, usize, &'static str)],
) -> Result<Vec<Period>, TaskError> {
    let mut start = 0usize;
    let mut timeline = Vec::with_capacity(periods.len());
    for &(name, steps, description) in periods {
        timeline.push(Period {
            name,
            start,
            steps,
            description,
        });
        start = start
            .checked_add(steps)
            .filter(|&end| end <= MAX_TRIAL_STEPS)
            .ok_or(TaskError::TrialTooLong { task })?;
    }
    Ok(timeline)
}

/// Sets `channel` of `trial` to `value` at every step in `steps`.
///
/// A loop rather than ndarray's `s!` slicing macro: `s!` expands to an `#[allow(unsafe_code)]`,
/// which the workspace's `forbid(unsafe_code)` rejects.
pub(crate) fn fill_channel(
    inputs: &mut Array3<f32>,
    trial: usize,
    steps: Range<usize>,
    channel: usize,
    value: f32,
) {
    for step in steps {
        inputs[[trial, step, channel]] = value;
    }
}

/// The inputs of one trial at one step, all channels (for tests).
#[cfg(test)]
pub(crate) fn input_row(inputs: &Array3<f32>, trial: usize, step: usize) -> Vec<f32> {
    (0..inputs.dim().2)
        .map(|channel| inputs[[trial, step, channel]])
        .collect()
}

/// Rejects a period shorter than `minimum` steps.
pub(crate) fn require_period_at_least(
    task: TaskKind,
    period: &'static str,
    steps: usize,
    minimum: usize,
    reason: &'static str,
) -> Result<(), TaskError> {
    if steps < minimum {
        return Err(TaskError::PeriodTooShort {
            task,
            period,
            minimum,
            steps,
            reason,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_response_window_is_the_last_period_with_steps() {
        // Fixation 0..5, stimulus 5..25, delay 25..35, decision 35..40.
        assert_eq!(
            Task::default_for(TaskKind::GoNogo).response_window(),
            35..40
        );
        for kind in TaskKind::ALL {
            let task = Task::default_for(kind);
            let window = task.response_window();
            let last = task
                .timeline()
                .into_iter()
                .rev()
                .find(|p| p.steps > 0)
                .unwrap();
            assert_eq!(window, last.start..last.start + last.steps, "{kind}");
            assert_eq!(
                window.end,
                task.n_steps(),
                "{kind}: the window ends at the read-out"
            );
        }
    }

    use super::*;

    #[test]
    fn task_kind_names_round_trip_through_display_from_str_and_serde() {
        for kind in TaskKind::ALL {
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(kind.as_str().parse::<TaskKind>(), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<TaskKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            TaskKind::ALL.map(TaskKind::as_str),
            ["one-choice-inference", "go-nogo", "perceptual-dm"]
        );
    }

    #[test]
    fn unknown_task_kind_error_lists_the_valid_names() {
        let error = "maze".parse::<TaskKind>().unwrap_err();
        assert_eq!(
            error,
            TaskError::UnknownTaskKind {
                name: "maze".into()
            }
        );
        let message = error.to_string();
        for kind in TaskKind::ALL {
            assert!(message.contains(kind.as_str()), "{message}");
        }
    }

    #[cfg(feature = "clap")]
    #[test]
    fn clap_value_names_are_kebab_case() {
        use clap::ValueEnum;
        for kind in TaskKind::ALL {
            let value = kind.to_possible_value().unwrap();
            assert_eq!(value.get_name(), kind.as_str());
            assert_eq!(
                <TaskKind as ValueEnum>::from_str(kind.as_str(), false),
                Ok(kind)
            );
        }
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn openapi_schemas_use_the_serialised_names() {
        use utoipa::PartialSchema;
        let kind = serde_json::to_string(&TaskKind::schema()).unwrap();
        let config = serde_json::to_string(&TaskConfig::schema()).unwrap();
        let condition = serde_json::to_string(&Condition::schema()).unwrap();
        for name in TaskKind::ALL.map(TaskKind::as_str) {
            assert!(kind.contains(name), "{kind}");
            assert!(config.contains(name), "{config}");
            assert!(condition.contains(name), "{condition}");
        }
        // The variants refer to the per-task config schemas, which carry the fields.
        assert!(config.contains("PerceptualDmConfig"), "{config}");
        let fields = serde_json::to_string(&PerceptualDmConfig::schema()).unwrap();
        assert!(fields.contains("stimulus_steps") && fields.contains("coherences"));
    }

    #[test]
    fn default_configs_validate_and_match_the_kind() {
        for kind in TaskKind::ALL {
            let config = TaskConfig::default_for(kind);
            assert_eq!(config.kind(), kind);
            let task = Task::new(config.clone()).unwrap();
            assert_eq!(task, Task::default_for(kind));
            assert_eq!(task.kind(), kind);
            assert_eq!(task.config(), &config);
        }
    }

    #[test]
    fn task_config_serialises_tagged_by_task_and_fills_defaults() {
        for kind in TaskKind::ALL {
            let config = TaskConfig::default_for(kind);
            let json = serde_json::to_value(&config).unwrap();
            assert_eq!(json["task"], kind.as_str());
            let back: TaskConfig = serde_json::from_value(json).unwrap();
            assert_eq!(back, config);
            let minimal: TaskConfig =
                serde_json::from_str(&format!("{{\"task\": \"{}\"}}", kind.as_str())).unwrap();
            assert_eq!(minimal, config);
        }
        let custom: TaskConfig =
            serde_json::from_str(r#"{"task": "go-nogo", "delay_steps": 3}"#).unwrap();
        let TaskConfig::GoNogo(go_nogo) = &custom else {
            panic!("expected a go-nogo config, got {custom:?}");
        };
        assert_eq!(go_nogo.delay_steps, 3);
        assert_eq!(
            go_nogo.stimulus_steps,
            GoNogoConfig::default().stimulus_steps
        );
        let misspelt = serde_json::from_str::<TaskConfig>(r#"{"task": "go-nogo", "delay": 3}"#);
        assert!(misspelt.is_err());
    }

    #[test]
    fn shapes_names_and_levels_agree_for_every_task() {
        let expected = [
            (TaskKind::OneChoiceInference, 8, 4, 50, 0.25),
            (TaskKind::GoNogo, 3, 2, 40, 0.5),
            (TaskKind::PerceptualDm, 3, 2, 41, 0.5),
        ];
        for (kind, n_inputs, n_outputs, n_steps, chance) in expected {
            let task = Task::default_for(kind);
            assert_eq!(task.n_inputs(), n_inputs, "{kind}");
            assert_eq!(task.n_outputs(), n_outputs, "{kind}");
            assert_eq!(task.output_names().len(), n_outputs, "{kind}");
            assert_eq!(task.n_steps(), n_steps, "{kind}");
            assert_eq!(task.chance(), chance, "{kind}");
            assert!(
                task.ceiling() > task.chance() && task.ceiling() <= 1.0,
                "{kind}"
            );

            let timeline = task.timeline();
            assert_eq!(timeline[0].start, 0);
            for pair in timeline.windows(2) {
                assert_eq!(pair[0].end(), pair[1].start, "{kind}");
            }
            assert_eq!(timeline.last().unwrap().end(), n_steps, "{kind}");

            let batch = task.generate(7, 3);
            assert_eq!(batch.inputs.dim(), (7, n_steps, n_inputs), "{kind}");
            assert_eq!(batch.n_trials(), 7);
            assert_eq!(batch.conditions.len(), 7);
            assert!(batch.labels.iter().all(|&label| label < n_outputs));
            let keys = task.conditions();
            assert!(
                batch
                    .conditions
                    .iter()
                    .all(|condition| keys.contains(&condition.key()))
            );
        }
    }

    #[test]
    fn same_seed_gives_identical_batches_and_different_seeds_differ() {
        for kind in TaskKind::ALL {
            let task = Task::default_for(kind);
            let first = task.generate(64, 42);
            assert_eq!(first, task.generate(64, 42), "{kind}");
            let other = task.generate(64, 43);
            assert_ne!(first, other, "{kind}");
            // The caller's generator gives the same stream as the seeded entry point.
            let mut rng = ChaCha8Rng::seed_from_u64(42);
            assert_eq!(first, task.generate_with(64, &mut rng), "{kind}");
        }
    }

    #[test]
    fn an_empty_batch_has_the_right_shape() {
        for kind in TaskKind::ALL {
            let task = Task::default_for(kind);
            let batch = task.generate(0, 1);
            assert_eq!(batch.inputs.dim(), (0, task.n_steps(), task.n_inputs()));
            assert!(batch.labels.is_empty() && batch.conditions.is_empty());
        }
    }

    #[test]
    fn condition_serialises_tagged_by_task() {
        let condition = Condition::PerceptualDm {
            coherence: 12.8,
            direction: 1,
        };
        let json = serde_json::to_value(&condition).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"task": "perceptual-dm", "coherence": 12.8, "direction": 1})
        );
        assert_eq!(condition.key(), "coh 12.8");
        let go = serde_json::to_value(Condition::GoNogo { go: true }).unwrap();
        assert_eq!(go, serde_json::json!({"task": "go-nogo", "go": true}));
    }

    #[test]
    fn trials_longer_than_the_limit_are_rejected_and_the_limit_itself_is_accepted() {
        let at = |delay_steps| {
            Task::new(TaskConfig::GoNogo(GoNogoConfig {
                delay_steps,
                ..GoNogoConfig::default()
            }))
        };
        let others = GoNogoConfig::default().n_steps() - GoNogoConfig::default().delay_steps;
        assert_eq!(
            at(MAX_TRIAL_STEPS - others).unwrap().n_steps(),
            MAX_TRIAL_STEPS
        );
        assert_eq!(
            at(MAX_TRIAL_STEPS - others + 1).unwrap_err(),
            TaskError::TrialTooLong {
                task: TaskKind::GoNogo
            }
        );
        assert!(at(4_000_000_000).is_err());
    }

    #[test]
    fn period_totals_that_overflow_are_rejected() {
        let config = TaskConfig::GoNogo(GoNogoConfig {
            fixation_steps: usize::MAX,
            ..GoNogoConfig::default()
        });
        let error = Task::new(config).unwrap_err();
        assert_eq!(
            error,
            TaskError::TrialTooLong {
                task: TaskKind::GoNogo
            }
        );
    }
}
