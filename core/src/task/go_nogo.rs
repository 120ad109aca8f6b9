//! `go-nogo`: remember whether the cue said "go" or "no-go" through a delay, then answer.
//!
//! # Trial timeline (defaults)
//!
//! ```text
//! steps       0 … 4          5 … 24          25 … 34       35 … 39
//! period      fixation (5)   stimulus (20)   delay (10)    decision (5)
//! ch 0 fix    1              0               1             0
//! ch 1 no-go  0              1 on no-go      0             0
//! ch 2 go     0              1 on go         0             0
//! label                                                    answer at the final step (39)
//! ```
//!
//! # Inputs (3 binary channels)
//!
//! | channel | meaning | on (= 1) during |
//! |---|---|---|
//! | 0 | fixation | fixation and delay periods |
//! | 1 | no-go cue | stimulus period of no-go trials |
//! | 2 | go cue | stimulus period of go trials |
//!
//! Every input is 0 during the decision period: the fixation channel switching off is the
//! "respond now" signal, and the cue is no longer visible, so the answer must come from memory.
//!
//! # Outputs
//!
//! Two classes, `[no-go, go]`: label 1 on go trials, 0 on no-go trials.
//!
//! # Chance and ceiling
//!
//! Go and no-go trials are drawn with probability 1/2 each, so chance is **0.5** (and so is the
//! accuracy of always answering one class). The cue is noiseless and shown for at least one
//! step, so an observer that remembers it is always right: the ceiling is **1.0**.
//!
//! # Random stream
//!
//! One draw per trial: `random_bool(0.5)`, `true` meaning go.

use ndarray::Array3;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{
    Condition, Period, TaskError, TaskKind, TrialBatch, consecutive_periods, fill_channel,
    require_period_at_least,
};

/// Number of input channels: fixation, no-go cue, go cue.
pub const N_INPUTS: usize = 3;

/// The output classes, in label order.
pub const OUTPUT_NAMES: [&str; 2] = ["no-go", "go"];

/// Input channel of the fixation signal.
pub const FIXATION_CHANNEL: usize = 0;

/// Input channel of the no-go cue.
pub const NO_GO_CHANNEL: usize = 1;

/// Input channel of the go cue.
pub const GO_CHANNEL: usize = 2;

/// Period lengths of the go/no-go task, in steps. Defaults are the study's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoNogoConfig {
    /// Steps of fixation before the cue (default 5).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub fixation_steps: usize,
    /// Steps the cue is shown (default 20; at least 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub stimulus_steps: usize,
    /// Steps of fixation between cue and decision (default 10).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub delay_steps: usize,
    /// Steps of all-zero input at the end; the answer is read at the last of them (default 5;
    /// at least 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub decision_steps: usize,
}

impl Default for GoNogoConfig {
    fn default() -> Self {
        GoNogoConfig {
            fixation_steps: 5,
            stimulus_steps: 20,
            delay_steps: 10,
            decision_steps: 5,
        }
    }
}

impl GoNogoConfig {
    /// Total steps per trial (saturating: an unvalidated config whose periods overflow
    /// `usize` reports `usize::MAX`; [`Self::validate`] rejects it).
    pub fn n_steps(&self) -> usize {
        self.fixation_steps
            .saturating_add(self.stimulus_steps)
            .saturating_add(self.delay_steps)
            .saturating_add(self.decision_steps)
    }

    /// The fixation, stimulus, delay and decision periods, in order.
    pub fn timeline(&self) -> Vec<Period> {
        self.checked_timeline()
            .expect("a validated go/no-go config has a representable length")
    }

    /// Checks the constraints [`super::Task::new`] enforces.
    pub fn validate(&self) -> Result<(), TaskError> {
        let task = TaskKind::GoNogo;
        require_period_at_least(
            task,
            "stimulus",
            self.stimulus_steps,
            1,
            "the cue is the only input that tells go from no-go",
        )?;
        require_period_at_least(
            task,
            "decision",
            self.decision_steps,
            1,
            "the answer is read out there",
        )?;
        self.checked_timeline().map(|_| ())
    }

    fn checked_timeline(&self) -> Result<Vec<Period>, TaskError> {
        consecutive_periods(
            TaskKind::GoNogo,
            &[
                (
                    "fixation",
                    self.fixation_steps,
                    "fixation (channel 0) is 1, cues are 0",
                ),
                (
                    "stimulus",
                    self.stimulus_steps,
                    "the trial's cue (channel 1 no-go, channel 2 go) is 1, fixation is 0",
                ),
                (
                    "delay",
                    self.delay_steps,
                    "fixation (channel 0) is 1, cues are 0",
                ),
                (
                    "decision",
                    self.decision_steps,
                    "all inputs are 0; the answer is read at the final step",
                ),
            ],
        )
    }
}

/// Condition keys in label order.
pub(super) fn condition_keys() -> Vec<String> {
    [false, true]
        .map(|go| condition_key(go).to_owned())
        .to_vec()
}

/// `"go"` or `"no-go"`.
pub(super) fn condition_key(go: bool) -> &'static str {
    OUTPUT_NAMES[usize::from(go)]
}

/// Draws `n_trials` go/no-go trials with probability 1/2 each and writes their inputs.
///
/// # Shapes
///
/// `inputs`: `[n_trials, config.n_steps(), N_INPUTS]`; `labels` and `conditions`: `n_trials`.
pub(super) fn generate_trials<R: Rng + ?Sized>(
    config: &GoNogoConfig,
    n_trials: usize,
    rng: &mut R,
) -> TrialBatch {
    let stimulus_start = config.fixation_steps;
    let delay_start = stimulus_start + config.stimulus_steps;
    let decision_start = delay_start + config.delay_steps;
    let mut inputs = Array3::<f32>::zeros((n_trials, config.n_steps(), N_INPUTS));
    let mut labels = Vec::with_capacity(n_trials);
    let mut conditions = Vec::with_capacity(n_trials);
    for trial in 0..n_trials {
        let go = rng.random_bool(0.5);
        let cue_channel = if go { GO_CHANNEL } else { NO_GO_CHANNEL };
        fill_channel(&mut inputs, trial, 0..stimulus_start, FIXATION_CHANNEL, 1.0);
        fill_channel(
            &mut inputs,
            trial,
            stimulus_start..delay_start,
            cue_channel,
            1.0,
        );
        fill_channel(
            &mut inputs,
            trial,
            delay_start..decision_start,
            FIXATION_CHANNEL,
            1.0,
        );
        labels.push(usize::from(go));
        conditions.push(Condition::GoNogo { go });
    }
    TrialBatch {
        inputs,
        labels,
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Task, TaskConfig, input_row};
    use super::*;

    #[test]
    fn inputs_match_the_timeline_at_every_period_boundary() {
        let task = Task::default_for(TaskKind::GoNogo);
        let batch = task.generate(500, 8);
        assert_eq!(batch.inputs.dim(), (500, 40, N_INPUTS));
        let mut seen = [false; 2];
        for trial in 0..500 {
            let go = batch.conditions[trial] == Condition::GoNogo { go: true };
            seen[usize::from(go)] = true;
            assert_eq!(batch.labels[trial], usize::from(go));
            let fixating = [1.0, 0.0, 0.0];
            let cue = if go { [0.0, 0.0, 1.0] } else { [0.0, 1.0, 0.0] };
            let silent = [0.0, 0.0, 0.0];
            // Fixation 0..5, stimulus 5..25, delay 25..35, decision 35..40.
            for (step, expected) in [
                (0, fixating),
                (4, fixating),
                (5, cue),
                (24, cue),
                (25, fixating),
                (34, fixating),
                (35, silent),
                (39, silent),
            ] {
                assert_eq!(
                    input_row(&batch.inputs, trial, step),
                    expected,
                    "trial {trial} step {step}"
                );
            }
            for step in 0..40 {
                let expected = match step {
                    0..5 | 25..35 => fixating,
                    5..25 => cue,
                    _ => silent,
                };
                assert_eq!(input_row(&batch.inputs, trial, step), expected);
            }
        }
        assert_eq!(seen, [true, true]);
    }

    #[test]
    fn go_and_no_go_are_balanced() {
        let task = Task::default_for(TaskKind::GoNogo);
        let n_trials = 40_000;
        let batch = task.generate(n_trials, 21);
        let go_count = batch.labels.iter().filter(|&&label| label == 1).count();
        // Binomial SD is sqrt(40000 / 4) = 100; allow 5 SD.
        assert!(go_count.abs_diff(n_trials / 2) < 500, "{go_count}");
    }

    #[test]
    fn condition_keys_names_and_levels() {
        let task = Task::default_for(TaskKind::GoNogo);
        assert_eq!(task.conditions(), ["no-go", "go"]);
        assert_eq!(Condition::GoNogo { go: true }.key(), "go");
        assert_eq!(Condition::GoNogo { go: false }.key(), "no-go");
        assert_eq!(task.output_names(), ["no-go", "go"]);
        assert_eq!(task.chance(), 0.5);
        assert_eq!(task.ceiling(), 1.0);
    }

    #[test]
    fn configurable_periods_change_the_steps_and_timeline() {
        let config = GoNogoConfig {
            fixation_steps: 0,
            stimulus_steps: 2,
            delay_steps: 3,
            decision_steps: 1,
        };
        let task = Task::new(TaskConfig::GoNogo(config)).unwrap();
        assert_eq!(task.n_steps(), 6);
        let layout: Vec<_> = task
            .timeline()
            .iter()
            .map(|period| (period.name, period.start, period.steps))
            .collect();
        assert_eq!(
            layout,
            [
                ("fixation", 0, 0),
                ("stimulus", 0, 2),
                ("delay", 2, 3),
                ("decision", 5, 1)
            ]
        );
        let batch = task.generate(10, 2);
        for trial in 0..10 {
            let cue_channel = if batch.labels[trial] == 1 { 2 } else { 1 };
            assert_eq!(batch.inputs[[trial, 0, cue_channel]], 1.0);
            assert_eq!(batch.inputs[[trial, 1, cue_channel]], 1.0);
            assert_eq!(batch.inputs[[trial, 2, cue_channel]], 0.0);
            assert_eq!(batch.inputs[[trial, 4, FIXATION_CHANNEL]], 1.0);
            assert_eq!(input_row(&batch.inputs, trial, 5), [0.0; 3]);
        }
    }

    #[test]
    fn zero_stimulus_or_decision_periods_are_rejected() {
        for (config, period) in [
            (
                GoNogoConfig {
                    stimulus_steps: 0,
                    ..GoNogoConfig::default()
                },
                "stimulus",
            ),
            (
                GoNogoConfig {
                    decision_steps: 0,
                    ..GoNogoConfig::default()
                },
                "decision",
            ),
        ] {
            let error = Task::new(TaskConfig::GoNogo(config)).unwrap_err();
            assert!(
                matches!(error, TaskError::PeriodTooShort { task: TaskKind::GoNogo, period: name, .. } if name == period),
                "{error:?}"
            );
            assert!(error.to_string().contains(&format!("the {period} period")));
        }
    }
}
