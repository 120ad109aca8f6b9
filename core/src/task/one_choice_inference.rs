//! `one-choice-inference`: the maze task of Achterberg et al. (2023), "Spatially embedded
//! recurrent neural networks reveal widespread links between structural and functional
//! neuroscience findings" (seRNN).
//!
//! An agent in a grid maze is shown one of four goal locations, must hold it through a delay,
//! and is then offered two directions; it must pick the one that leads towards the goal. The
//! study uses eight fixed problems.
//!
//! # Trial timeline (defaults)
//!
//! ```text
//! steps        0 ……… 19      20 ……… 29      30 ……… 49
//! period       goal (20)     delay (10)     choice (20)
//! ch 0–3       goal one-hot  0              0
//! ch 4–7       0             0              the two offered directions = 1
//! label                                     answer at the final step (49)
//! ```
//!
//! # Inputs (8 binary channels)
//!
//! | channel | meaning | on during |
//! |---|---|---|
//! | 0, 1, 2, 3 | goal 7, 9, 17, 19 (one-hot) | goal period |
//! | 4, 5, 6, 7 | direction l, u, r, d offered | choice period, both offered channels set to 1 |
//!
//! All channels are 0 during the delay; no channel is ever on in two periods, so the network
//! must carry the goal across the delay in its own state.
//!
//! # Outputs
//!
//! Four classes, `l`, `u`, `r`, `d` (the same order as the direction channels). The label is
//! the class of the correct direction.
//!
//! # The eight problems
//!
//! | problem | goal | offered | answer |
//! |---|---|---|---|
//! | 0 | 9 | u, l | u |
//! | 1 | 9 | r, d | r |
//! | 2 | 19 | l, d | d |
//! | 3 | 17 | r, d | d |
//! | 4 | 17 | u, l | l |
//! | 5 | 7 | u, r | u |
//! | 6 | 19 | l, r | r |
//! | 7 | 7 | l, r | l |
//!
//! Each trial draws one problem uniformly. Every direction is the answer of exactly two
//! problems, so the labels are balanced over the four classes.
//!
//! # Chance and ceiling
//!
//! Chance is **1/4**: guessing among the four readout classes. (The answer is always one of the
//! two offered directions, so an observer that sees only the offered pair scores 1/2; one that
//! sees only the goal also scores 1/2, since each goal is the target of two problems with
//! different answers.) The ceiling is **1.0**: the (goal, offered pair) combination of every
//! problem is unique, so an observer that remembers the goal and reads the offer answers every
//! trial correctly.
//!
//! # Random stream
//!
//! One draw per trial: the problem index, `random_range(0..8)`.

use ndarray::Array3;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{
    Condition, Period, TaskError, TaskKind, TrialBatch, consecutive_periods, fill_channel,
    require_period_at_least,
};

/// Number of input channels: four goal channels, then four direction channels.
pub const N_INPUTS: usize = 8;

/// The output classes, in label order (also the order of the direction input channels).
pub const OUTPUT_NAMES: [&str; 4] = ["l", "u", "r", "d"];

/// The four goal locations, in the order of input channels 0–3.
pub const MAZE_GOALS: [u8; 4] = [7, 9, 17, 19];

/// Input channel of the first direction (`l`); direction `d` is at `FIRST_DIRECTION_CHANNEL + 3`.
pub const FIRST_DIRECTION_CHANNEL: usize = 4;

/// The study's eight problems, in the order of [`Condition::OneChoiceInference::problem`].
pub const MAZE_PROBLEMS: [MazeProblem; 8] = [
    MazeProblem::new(9, [Direction::Up, Direction::Left], Direction::Up),
    MazeProblem::new(9, [Direction::Right, Direction::Down], Direction::Right),
    MazeProblem::new(19, [Direction::Left, Direction::Down], Direction::Down),
    MazeProblem::new(17, [Direction::Right, Direction::Down], Direction::Down),
    MazeProblem::new(17, [Direction::Up, Direction::Left], Direction::Left),
    MazeProblem::new(7, [Direction::Up, Direction::Right], Direction::Up),
    MazeProblem::new(19, [Direction::Left, Direction::Right], Direction::Right),
    MazeProblem::new(7, [Direction::Left, Direction::Right], Direction::Left),
];

/// A direction the agent can move in; serialised as its one-letter output name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Direction {
    /// Left, `l`.
    #[serde(rename = "l")]
    Left,
    /// Up, `u`.
    #[serde(rename = "u")]
    Up,
    /// Right, `r`.
    #[serde(rename = "r")]
    Right,
    /// Down, `d`.
    #[serde(rename = "d")]
    Down,
}

/// One maze problem: a goal, the two directions offered, and the correct one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MazeProblem {
    /// The goal location (one of [`MAZE_GOALS`]).
    pub goal: u8,
    /// The two offered directions, in the order the study lists them.
    pub choices: [Direction; 2],
    /// The correct direction, always one of `choices`.
    pub answer: Direction,
}

/// Period lengths of the maze task, in steps. Defaults are the study's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneChoiceInferenceConfig {
    /// Steps the goal channel is on (default 20; at least 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub goal_steps: usize,
    /// Steps of all-zero input between goal and choice (default 10).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub delay_steps: usize,
    /// Steps the two offered direction channels are on; the answer is read at the last of
    /// them (default 20; at least 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub choice_steps: usize,
}

impl Default for OneChoiceInferenceConfig {
    fn default() -> Self {
        OneChoiceInferenceConfig {
            goal_steps: 20,
            delay_steps: 10,
            choice_steps: 20,
        }
    }
}

impl OneChoiceInferenceConfig {
    /// Total steps per trial (saturating: an unvalidated config whose periods overflow
    /// `usize` reports `usize::MAX`; [`Self::validate`] rejects it).
    pub fn n_steps(&self) -> usize {
        self.goal_steps
            .saturating_add(self.delay_steps)
            .saturating_add(self.choice_steps)
    }

    /// The goal, delay and choice periods, in order.
    pub fn timeline(&self) -> Vec<Period> {
        self.checked_timeline()
            .expect("a validated maze config has a representable length")
    }

    /// Checks the constraints [`super::Task::new`] enforces.
    pub fn validate(&self) -> Result<(), TaskError> {
        let task = TaskKind::OneChoiceInference;
        require_period_at_least(
            task,
            "goal",
            self.goal_steps,
            1,
            "the goal is the only input that tells the problems apart",
        )?;
        require_period_at_least(
            task,
            "choice",
            self.choice_steps,
            1,
            "the offered directions are shown and the answer is read out there",
        )?;
        self.checked_timeline().map(|_| ())
    }

    fn checked_timeline(&self) -> Result<Vec<Period>, TaskError> {
        consecutive_periods(
            TaskKind::OneChoiceInference,
            &[
                (
                    "goal",
                    self.goal_steps,
                    "the goal's channel (0-3 for goals 7, 9, 17, 19) is 1, all else 0",
                ),
                ("delay", self.delay_steps, "all inputs are 0"),
                (
                    "choice",
                    self.choice_steps,
                    "the two offered directions' channels (4-7 for l, u, r, d) are 1, all else 0; \
                     the answer is read at the final step",
                ),
            ],
        )
    }
}

impl Direction {
    /// The four directions in output-class order.
    pub const ALL: [Direction; 4] = [
        Direction::Left,
        Direction::Up,
        Direction::Right,
        Direction::Down,
    ];

    /// The output class index (0–3), also the offset of the direction's input channel from
    /// [`FIRST_DIRECTION_CHANNEL`].
    pub const fn index(self) -> usize {
        match self {
            Direction::Left => 0,
            Direction::Up => 1,
            Direction::Right => 2,
            Direction::Down => 3,
        }
    }

    /// The one-letter name, `l`, `u`, `r` or `d`.
    pub const fn letter(self) -> &'static str {
        OUTPUT_NAMES[self.index()]
    }
}

impl MazeProblem {
    /// A problem; a `const fn` so the problem table is a constant.
    pub const fn new(goal: u8, choices: [Direction; 2], answer: Direction) -> MazeProblem {
        MazeProblem {
            goal,
            choices,
            answer,
        }
    }

    /// Input channel of this problem's goal (0–3).
    pub fn goal_channel(&self) -> usize {
        goal_channel(self.goal).expect("every problem's goal is one of MAZE_GOALS")
    }

    /// The condition key, e.g. `"goal 9: u/l -> u"`.
    pub fn key(&self) -> String {
        format!(
            "goal {}: {}/{} -> {}",
            self.goal,
            self.choices[0].letter(),
            self.choices[1].letter(),
            self.answer.letter()
        )
    }
}

/// Input channel of a goal location, or `None` if it is not one of [`MAZE_GOALS`].
pub fn goal_channel(goal: u8) -> Option<usize> {
    MAZE_GOALS.iter().position(|&candidate| candidate == goal)
}

/// Condition keys of the eight problems, in problem order.
pub(super) fn condition_keys() -> Vec<String> {
    MAZE_PROBLEMS.iter().map(MazeProblem::key).collect()
}

/// The key of a (possibly deserialised, hence unchecked) maze condition: the problem's key if
/// the index is valid, otherwise the goal and offer with an unknown answer.
pub(super) fn condition_key(problem: usize, goal: u8, choices: [Direction; 2]) -> String {
    match MAZE_PROBLEMS.get(problem) {
        Some(maze_problem) => maze_problem.key(),
        None => format!(
            "goal {goal}: {}/{} -> ?",
            choices[0].letter(),
            choices[1].letter()
        ),
    }
}

/// Draws `n_trials` problems uniformly and writes their inputs.
///
/// # Shapes
///
/// `inputs`: `[n_trials, config.n_steps(), N_INPUTS]`; `labels` and `conditions`: `n_trials`.
pub(super) fn generate_trials<R: Rng + ?Sized>(
    config: &OneChoiceInferenceConfig,
    n_trials: usize,
    rng: &mut R,
) -> TrialBatch {
    let choice_start = config.goal_steps + config.delay_steps;
    let n_steps = config.n_steps();
    let mut inputs = Array3::<f32>::zeros((n_trials, n_steps, N_INPUTS));
    let mut labels = Vec::with_capacity(n_trials);
    let mut conditions = Vec::with_capacity(n_trials);
    for trial in 0..n_trials {
        let problem_index = rng.random_range(0..MAZE_PROBLEMS.len());
        let problem = MAZE_PROBLEMS[problem_index];
        let goal_channel = problem.goal_channel();
        fill_channel(&mut inputs, trial, 0..config.goal_steps, goal_channel, 1.0);
        for offered in problem.choices {
            let channel = FIRST_DIRECTION_CHANNEL + offered.index();
            fill_channel(&mut inputs, trial, choice_start..n_steps, channel, 1.0);
        }
        labels.push(problem.answer.index());
        conditions.push(Condition::OneChoiceInference {
            problem: problem_index,
            goal: problem.goal,
            choices: problem.choices,
        });
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

    fn maze_task(config: OneChoiceInferenceConfig) -> Task {
        Task::new(TaskConfig::OneChoiceInference(config)).unwrap()
    }

    #[test]
    fn the_problem_table_is_the_studys() {
        // Written as in the study's list: goal, offered pair, answer.
        let listed: Vec<String> = MAZE_PROBLEMS
            .iter()
            .map(|problem| {
                format!(
                    "{} {}{} {}",
                    problem.goal,
                    problem.choices[0].letter(),
                    problem.choices[1].letter(),
                    problem.answer.letter()
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                "9 ul u", "9 rd r", "19 ld d", "17 rd d", "17 ul l", "7 ur u", "19 lr r", "7 lr l",
            ]
        );
        assert_eq!(MAZE_PROBLEMS[0].key(), "goal 9: u/l -> u");
    }

    #[test]
    fn every_answer_is_one_of_its_offered_directions_and_problems_are_unique() {
        for problem in MAZE_PROBLEMS {
            assert!(problem.choices.contains(&problem.answer), "{problem:?}");
            assert_ne!(problem.choices[0], problem.choices[1]);
        }
        for (index, problem) in MAZE_PROBLEMS.iter().enumerate() {
            for other in &MAZE_PROBLEMS[index + 1..] {
                let mut offered = problem.choices;
                let mut other_offered = other.choices;
                offered.sort_by_key(|direction| direction.index());
                other_offered.sort_by_key(|direction| direction.index());
                // Unique (goal, offer) pairs are what makes the ceiling 1.0.
                assert!(problem.goal != other.goal || offered != other_offered);
            }
        }
    }

    #[test]
    fn every_problem_appears_with_the_documented_inputs_at_each_period_boundary() {
        let task = Task::default_for(TaskKind::OneChoiceInference);
        let batch = task.generate(2_000, 11);
        let mut seen = [0usize; 8];
        for (trial, condition) in batch.conditions.iter().enumerate() {
            let Condition::OneChoiceInference {
                problem,
                goal,
                choices,
            } = *condition
            else {
                panic!("wrong condition {condition:?}");
            };
            seen[problem] += 1;
            let maze_problem = MAZE_PROBLEMS[problem];
            assert_eq!((goal, choices), (maze_problem.goal, maze_problem.choices));
            let label = batch.labels[trial];
            assert_eq!(label, maze_problem.answer.index());
            assert!(choices.iter().any(|offered| offered.index() == label));

            let mut goal_row = [0.0f32; N_INPUTS];
            goal_row[maze_problem.goal_channel()] = 1.0;
            let mut choice_row = [0.0f32; N_INPUTS];
            for offered in choices {
                choice_row[FIRST_DIRECTION_CHANNEL + offered.index()] = 1.0;
            }
            let zero_row = [0.0f32; N_INPUTS];
            // Goal 0..20, delay 20..30, choice 30..50: check both edges of every period.
            for (step, expected) in [
                (0, goal_row),
                (19, goal_row),
                (20, zero_row),
                (29, zero_row),
                (30, choice_row),
                (49, choice_row),
            ] {
                let row = input_row(&batch.inputs, trial, step);
                assert_eq!(row, expected, "trial {trial} step {step}");
            }
            // And every step matches its period's row.
            for step in 0..50 {
                let expected = match step {
                    0..20 => goal_row,
                    20..30 => zero_row,
                    _ => choice_row,
                };
                assert_eq!(input_row(&batch.inputs, trial, step), expected);
            }
        }
        assert!(seen.iter().all(|&count| count > 0), "{seen:?}");
    }

    #[test]
    fn problems_and_labels_are_balanced() {
        let task = Task::default_for(TaskKind::OneChoiceInference);
        let n_trials = 40_000;
        let batch = task.generate(n_trials, 5);
        let mut per_problem = [0usize; 8];
        let mut per_label = [0usize; 4];
        for (condition, &label) in batch.conditions.iter().zip(&batch.labels) {
            let Condition::OneChoiceInference { problem, .. } = condition else {
                unreachable!()
            };
            per_problem[*problem] += 1;
            per_label[label] += 1;
        }
        // Binomial SD for p = 1/8 is sqrt(40000·(1/8)(7/8)) ≈ 66; allow 5 SD.
        for count in per_problem {
            assert!(count.abs_diff(n_trials / 8) < 330, "{per_problem:?}");
        }
        // p = 1/4: SD ≈ 87.
        for count in per_label {
            assert!(count.abs_diff(n_trials / 4) < 435, "{per_label:?}");
        }
    }

    #[test]
    fn condition_keys_follow_the_problem_order() {
        let task = Task::default_for(TaskKind::OneChoiceInference);
        let keys = task.conditions();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[0], "goal 9: u/l -> u");
        assert_eq!(keys[7], "goal 7: l/r -> l");
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), 8);
        let stray = Condition::OneChoiceInference {
            problem: 99,
            goal: 9,
            choices: [Direction::Up, Direction::Left],
        };
        assert_eq!(stray.key(), "goal 9: u/l -> ?");
    }

    #[test]
    fn configurable_periods_change_the_steps_and_timeline() {
        let task = maze_task(OneChoiceInferenceConfig {
            goal_steps: 3,
            delay_steps: 0,
            choice_steps: 2,
        });
        assert_eq!(task.n_steps(), 5);
        let timeline = task.timeline();
        let layout: Vec<_> = timeline
            .iter()
            .map(|period| (period.name, period.start, period.steps))
            .collect();
        assert_eq!(layout, [("goal", 0, 3), ("delay", 3, 0), ("choice", 3, 2)]);
        let batch = task.generate(20, 1);
        assert_eq!(batch.inputs.dim(), (20, 5, N_INPUTS));
        for trial in 0..20 {
            let last_goal_step = input_row(&batch.inputs, trial, 2);
            let first_choice_step = input_row(&batch.inputs, trial, 3);
            let goal_on: f32 = last_goal_step[..4].iter().sum();
            let offer_on: f32 = first_choice_step[4..].iter().sum();
            assert_eq!((goal_on, offer_on), (1.0, 2.0));
            assert_eq!(last_goal_step[4..].iter().sum::<f32>(), 0.0);
            assert_eq!(first_choice_step[..4].iter().sum::<f32>(), 0.0);
        }
    }

    #[test]
    fn zero_goal_or_choice_periods_are_rejected() {
        let no_goal = Task::new(TaskConfig::OneChoiceInference(OneChoiceInferenceConfig {
            goal_steps: 0,
            ..OneChoiceInferenceConfig::default()
        }))
        .unwrap_err();
        assert!(matches!(
            no_goal,
            TaskError::PeriodTooShort {
                period: "goal",
                minimum: 1,
                steps: 0,
                ..
            }
        ));
        let no_choice = Task::new(TaskConfig::OneChoiceInference(OneChoiceInferenceConfig {
            choice_steps: 0,
            ..OneChoiceInferenceConfig::default()
        }))
        .unwrap_err();
        assert!(
            no_choice
                .to_string()
                .starts_with("one-choice-inference: the choice period must last at least 1"),
            "{no_choice}"
        );
    }

    #[test]
    fn chance_and_ceiling() {
        let task = Task::default_for(TaskKind::OneChoiceInference);
        assert_eq!(task.chance(), 0.25);
        assert_eq!(task.ceiling(), 1.0);
        assert_eq!(task.output_names(), ["l", "u", "r", "d"]);
    }
}
