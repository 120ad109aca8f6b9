//! `perceptual-dm`: random-dot motion discrimination, as NeuroGym's
//! `PerceptualDecisionMaking`: integrate noisy evidence for one of two opposite directions of
//! motion and report which it was.
//!
//! One step stands for [`STEP_MS`] = 100 ms.
//!
//! # Trial timeline (defaults)
//!
//! ```text
//! steps        0              1 … 30                                 31 … 40
//! period       fixation (1)   stimulus (30)                          delay (10)
//! ch 0 fix     1              1                                      1
//! ch 1 θ = 0   0              0.5 + (coh/200)·cos(0 − θ) + noise     0
//! ch 2 θ = π   0              0.5 + (coh/200)·cos(π − θ) + noise     0
//! label                                                              answer at the final step (40)
//! ```
//!
//! # Inputs (3 channels)
//!
//! | channel | meaning | value |
//! |---|---|---|
//! | 0 | fixation | 1.0 at every step |
//! | 1 | motion evidence for θ₁ = 0 | stimulus: `0.5 + (coh/200)·cos(θ₁ − θ) + N(0, σ²)`; 0 otherwise |
//! | 2 | motion evidence for θ₂ = π | stimulus: `0.5 + (coh/200)·cos(θ₂ − θ) + N(0, σ²)`; 0 otherwise |
//!
//! θ, the true direction, is drawn uniformly from {0, π}; the coherence `coh` (percent) is drawn
//! uniformly from the configured list (default 0, 6.4, 12.8, 25.6, 51.2); σ defaults to 0.1.
//! The noise is drawn independently for every stimulus step and both evidence channels. Since
//! the two directions are opposite, `cos(θ_k − θ) = ±1`: the channel of the true direction has
//! mean `0.5 + coh/200`, the other `0.5 − coh/200`.
//!
//! # Outputs
//!
//! Two classes, `[theta-0, theta-pi]`: the label is the class index of θ (0 for θ = 0, 1 for
//! θ = π). The per-trial [`Condition::PerceptualDm`] records the coherence and that index.
//!
//! # Chance and ceiling
//!
//! Both directions are equally likely, so chance is **0.5**.
//!
//! The ideal observer. Write `x₁,ₜ`, `x₂,ₜ` for the evidence channels at stimulus step `t` and
//! `c = coh/100`. Given θ = 0 the channel means are `(0.5 + c/2, 0.5 − c/2)`, given θ = π they are
//! swapped, and the noise is independent Gaussian with variance σ². The log likelihood ratio of
//! θ = 0 against θ = π is therefore
//!
//! ```text
//! log LR = Σₜ Σₖ [(xₖ,ₜ − μₖ^π)² − (xₖ,ₜ − μₖ^0)²] / (2σ²) = (c/σ²) · D,   D = Σₜ (x₁,ₜ − x₂,ₜ)
//! ```
//!
//! Only the sign of `D` matters, for every `c > 0`, so choosing θ = 0 when `D > 0` is optimal
//! whether or not the observer knows the trial's coherence (the fixation channel and the
//! stimulus-free steps carry no information, and the delay costs a perfect memory nothing).
//! Over `T` stimulus steps, `x₁ − x₂` has mean `±c` and variance `2σ²` per step, so
//! `D ~ N(±T·c, 2Tσ²)` and the ideal observer's accuracy at coherence `coh` is
//!
//! ```text
//! P(correct | coh) = Φ(T·c / (σ·√(2T))) = Φ((coh/100) · √(T/2) / σ)
//! ```
//!
//! At `coh = 0`, `D` is symmetric about 0 and no rule beats 0.5. The ceiling is the mean of
//! `P(correct | coh)` over the configured coherence list (each drawn with equal probability).
//! For the defaults (`T` = 30, σ = 0.1, `√(T/2)/σ` ≈ 38.73):
//!
//! | coh | z | P(correct) |
//! |---|---|---|
//! | 0 | 0 | 0.5 |
//! | 6.4 | 2.48 | 0.9934 |
//! | 12.8 | 4.96 | ≈ 1 − 4·10⁻⁷ |
//! | 25.6, 51.2 | ≥ 9.9 | 1 |
//!
//! giving a ceiling of **≈ 0.8987**: the zero-coherence fifth of the trials is unanswerable,
//! and the rest are almost always decidable by an observer that integrates perfectly.
//!
//! # Random stream
//!
//! Per trial, in order: the direction (`random_range(0..2)`), the coherence index
//! (`random_range(0..n_coherences)`), then one standard normal per stimulus step and evidence
//! channel, step-major (channel 1 before channel 2), scaled by σ.

use ndarray::Array3;
use rand::Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use super::{
    Condition, Period, TaskError, TaskKind, TrialBatch, consecutive_periods, fill_channel,
    require_period_at_least,
};

/// Number of input channels: fixation, evidence for θ = 0, evidence for θ = π.
pub const N_INPUTS: usize = 3;

/// The output classes, in label order: θ = 0, θ = π.
pub const OUTPUT_NAMES: [&str; 2] = ["theta-0", "theta-pi"];

/// Duration one step stands for, in milliseconds. Informational: period lengths are given in
/// steps, and the noise SD is per step (not rescaled by the step length).
pub const STEP_MS: f64 = 100.0;

/// The motion directions the two evidence channels prefer, in radians, in channel and label
/// order.
pub const DIRECTIONS: [f64; 2] = [0.0, std::f64::consts::PI];

/// Input channel of the fixation signal.
pub const FIXATION_CHANNEL: usize = 0;

/// Input channel of the evidence for `DIRECTIONS[0]`; the one for `DIRECTIONS[1]` follows it.
pub const FIRST_EVIDENCE_CHANNEL: usize = 1;

/// The study's coherences, in percent.
pub const DEFAULT_COHERENCES: [f64; 5] = [0.0, 6.4, 12.8, 25.6, 51.2];

/// Period lengths and stimulus statistics of the random-dot motion task. Defaults are the
/// study's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerceptualDmConfig {
    /// Steps before the stimulus, evidence channels at 0 (default 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub fixation_steps: usize,
    /// Steps of noisy motion evidence (default 30; at least 1).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub stimulus_steps: usize,
    /// Steps after the stimulus, evidence channels at 0; the answer is read at the last step
    /// of the trial (default 10).
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub delay_steps: usize,
    /// Coherences in percent, each finite and in `[0, 100]`, drawn uniformly per trial
    /// (default 0, 6.4, 12.8, 25.6, 51.2). A value listed twice is drawn twice as often.
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub coherences: Vec<f64>,
    /// Standard deviation of the Gaussian noise added to each evidence channel at each
    /// stimulus step (default 0.1; finite and >= 0).
    pub noise_sd: f64,
}

impl Default for PerceptualDmConfig {
    fn default() -> Self {
        PerceptualDmConfig {
            fixation_steps: 1,
            stimulus_steps: 30,
            delay_steps: 10,
            coherences: DEFAULT_COHERENCES.to_vec(),
            noise_sd: 0.1,
        }
    }
}

impl PerceptualDmConfig {
    /// Total steps per trial (saturating: an unvalidated config whose periods overflow
    /// `usize` reports `usize::MAX`; [`Self::validate`] rejects it).
    pub fn n_steps(&self) -> usize {
        self.fixation_steps
            .saturating_add(self.stimulus_steps)
            .saturating_add(self.delay_steps)
    }

    /// The fixation, stimulus and delay periods, in order.
    pub fn timeline(&self) -> Vec<Period> {
        self.checked_timeline()
            .expect("a validated perceptual-dm config has a representable length")
    }

    /// Checks the constraints [`super::Task::new`] enforces.
    pub fn validate(&self) -> Result<(), TaskError> {
        require_period_at_least(
            TaskKind::PerceptualDm,
            "stimulus",
            self.stimulus_steps,
            1,
            "the motion evidence is only shown there",
        )?;
        if self.coherences.is_empty() {
            return Err(TaskError::NoCoherences);
        }
        if self.coherences.len() > super::MAX_COHERENCES {
            return Err(TaskError::TooManyCoherences {
                count: self.coherences.len(),
            });
        }
        if let Some(&value) = self
            .coherences
            .iter()
            .find(|coherence| !(coherence.is_finite() && (0.0..=100.0).contains(*coherence)))
        {
            return Err(TaskError::InvalidCoherence { value });
        }
        if !(self.noise_sd.is_finite() && self.noise_sd >= 0.0) {
            return Err(TaskError::InvalidNoise {
                value: self.noise_sd,
            });
        }
        self.checked_timeline().map(|_| ())
    }

    /// The ideal observer's expected accuracy: the mean of [`ideal_observer_accuracy`] over the
    /// coherence list (see the module documentation for the derivation).
    pub fn ideal_observer_ceiling(&self) -> f64 {
        let total: f64 = self
            .coherences
            .iter()
            .map(|&coherence| {
                ideal_observer_accuracy(coherence, self.stimulus_steps, self.noise_sd)
            })
            .sum();
        total / self.coherences.len() as f64
    }

    fn checked_timeline(&self) -> Result<Vec<Period>, TaskError> {
        consecutive_periods(
            TaskKind::PerceptualDm,
            &[
                (
                    "fixation",
                    self.fixation_steps,
                    "fixation (channel 0) is 1, evidence channels are 0",
                ),
                (
                    "stimulus",
                    self.stimulus_steps,
                    "fixation is 1; channel k (1: theta 0, 2: theta pi) is \
                     0.5 + (coh/200)·cos(theta_k − theta) + N(0, sd²)",
                ),
                (
                    "delay",
                    self.delay_steps,
                    "fixation is 1, evidence channels are 0; the answer is read at the final step",
                ),
            ],
        )
    }

    /// Condition keys of the configured coherences, in configured order without repeats.
    pub(super) fn condition_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::with_capacity(self.coherences.len());
        for &coherence in &self.coherences {
            let key = coherence_key(coherence);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }
}

/// Accuracy of the ideal observer on trials of one coherence:
/// `Φ((coherence/100) · √(stimulus_steps/2) / noise_sd)`, and 0.5 at zero coherence or
/// without a stimulus (see the module documentation for the derivation).
pub fn ideal_observer_accuracy(
    coherence_percent: f64,
    stimulus_steps: usize,
    noise_sd: f64,
) -> f64 {
    if coherence_percent == 0.0 || stimulus_steps == 0 {
        // No evidence: the sum of channel differences is symmetric about 0.
        return 0.5;
    }
    if noise_sd == 0.0 {
        return 1.0;
    }
    let separation = coherence_percent / 100.0 * (stimulus_steps as f64 / 2.0).sqrt() / noise_sd;
    standard_normal_cdf(separation)
}

/// The condition key of a coherence, e.g. `"coh 12.8"` (`"coh 0"` for zero).
pub(super) fn coherence_key(coherence: f64) -> String {
    // Adding +0.0 turns -0.0 into 0.0, so both print as "coh 0".
    format!("coh {}", coherence + 0.0)
}

/// Draws `n_trials` random-dot motion trials and writes their inputs.
///
/// # Shapes
///
/// `inputs`: `[n_trials, config.n_steps(), N_INPUTS]`; `labels` and `conditions`: `n_trials`.
pub(super) fn generate_trials<R: Rng + ?Sized>(
    config: &PerceptualDmConfig,
    n_trials: usize,
    rng: &mut R,
) -> TrialBatch {
    let stimulus_start = config.fixation_steps;
    let stimulus_end = stimulus_start + config.stimulus_steps;
    let n_steps = config.n_steps();
    let mut inputs = Array3::<f32>::zeros((n_trials, n_steps, N_INPUTS));
    let mut labels = Vec::with_capacity(n_trials);
    let mut conditions = Vec::with_capacity(n_trials);
    for trial in 0..n_trials {
        fill_channel(&mut inputs, trial, 0..n_steps, FIXATION_CHANNEL, 1.0);
        let direction = rng.random_range(0..DIRECTIONS.len());
        let coherence = config.coherences[rng.random_range(0..config.coherences.len())];
        // Channel means, computed in f64 and rounded once when stored.
        let means = DIRECTIONS
            .map(|preferred| 0.5 + coherence / 200.0 * (preferred - DIRECTIONS[direction]).cos());
        for step in stimulus_start..stimulus_end {
            for (offset, mean) in means.iter().enumerate() {
                let noise: f64 = rng.sample(StandardNormal);
                inputs[[trial, step, FIRST_EVIDENCE_CHANNEL + offset]] =
                    (mean + config.noise_sd * noise) as f32;
            }
        }
        labels.push(direction);
        conditions.push(Condition::PerceptualDm {
            coherence,
            direction,
        });
    }
    TrialBatch {
        inputs,
        labels,
        conditions,
    }
}

/// Φ, the standard normal cumulative distribution function.
fn standard_normal_cdf(x: f64) -> f64 {
    0.5 * complementary_error_function(-x / std::f64::consts::SQRT_2)
}

/// erfc by the Chebyshev fit of Numerical Recipes (`erfcc`), fractional error below 1.2e-7
/// everywhere: ample for a ceiling quoted to three decimals, and no dependency for one function.
fn complementary_error_function(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let polynomial = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let tail = t * (-z * z + polynomial).exp();
    if x >= 0.0 { tail } else { 2.0 - tail }
}

#[cfg(test)]
mod tests {
    use super::super::{Task, TaskConfig, input_row};
    use super::*;

    fn pdm_task(config: PerceptualDmConfig) -> Task {
        Task::new(TaskConfig::PerceptualDm(config)).unwrap()
    }

    /// The expected mean of evidence channel `offset` (0 or 1) on a trial.
    fn expected_mean(coherence: f64, direction: usize, offset: usize) -> f64 {
        if offset == direction {
            0.5 + coherence / 200.0
        } else {
            0.5 - coherence / 200.0
        }
    }

    #[test]
    fn standard_normal_cdf_matches_known_values() {
        for (x, expected) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_05),
            (1.959_963_984_540_054, 0.975),
            (2.478_709_8, 0.993_407_07),
            (-3.0, 0.001_349_898_031_630_094_5),
        ] {
            let got = standard_normal_cdf(x);
            assert!(
                (got - expected).abs() < 2e-7,
                "Φ({x}) = {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn default_ceiling_is_about_0_90() {
        let task = Task::default_for(TaskKind::PerceptualDm);
        let ceiling = task.ceiling();
        assert!((0.88..=0.92).contains(&ceiling), "{ceiling}");
        // (0.5 + Φ(0.064·√15/0.1) + 1 + 1 + 1) / 5.
        assert!((ceiling - 0.898_68).abs() < 1e-4, "{ceiling}");
        assert_eq!(task.chance(), 0.5);
        assert_eq!(ideal_observer_accuracy(0.0, 30, 0.1), 0.5);
        assert_eq!(ideal_observer_accuracy(12.8, 0, 0.1), 0.5);
        assert_eq!(ideal_observer_accuracy(6.4, 30, 0.0), 1.0);
        // More evidence, or less noise, helps.
        assert!(ideal_observer_accuracy(6.4, 60, 0.1) > ideal_observer_accuracy(6.4, 30, 0.1));
        assert!(ideal_observer_accuracy(6.4, 30, 0.2) < ideal_observer_accuracy(6.4, 30, 0.1));
    }

    #[test]
    fn empirical_ideal_observer_matches_the_analytic_ceiling() {
        let task = Task::default_for(TaskKind::PerceptualDm);
        let batch = task.generate(20_000, 2024);
        let mut correct = 0usize;
        for trial in 0..batch.n_trials() {
            // The sum of channel differences over the stimulus: steps 1..31.
            let evidence: f64 = (1..31)
                .map(|step| {
                    f64::from(batch.inputs[[trial, step, 1]])
                        - f64::from(batch.inputs[[trial, step, 2]])
                })
                .sum();
            let choice = if evidence > 0.0 { 0 } else { 1 };
            correct += usize::from(choice == batch.labels[trial]);
        }
        let accuracy = correct as f64 / batch.n_trials() as f64;
        let ceiling = task.ceiling();
        assert!(
            (accuracy - ceiling).abs() < 0.01,
            "empirical {accuracy} vs analytic {ceiling}"
        );
    }

    #[test]
    fn inputs_match_the_timeline_at_every_period_boundary() {
        // Without noise every stimulus value is exact.
        let task = pdm_task(PerceptualDmConfig {
            noise_sd: 0.0,
            ..PerceptualDmConfig::default()
        });
        let batch = task.generate(200, 4);
        assert_eq!(batch.inputs.dim(), (200, 41, N_INPUTS));
        for trial in 0..200 {
            let Condition::PerceptualDm {
                coherence,
                direction,
            } = batch.conditions[trial]
            else {
                panic!("wrong condition");
            };
            assert_eq!(batch.labels[trial], direction);
            let stimulus = [
                1.0,
                expected_mean(coherence, direction, 0) as f32,
                expected_mean(coherence, direction, 1) as f32,
            ];
            let quiet = [1.0, 0.0, 0.0];
            // Fixation 0..1, stimulus 1..31, delay 31..41.
            for (step, expected) in [
                (0, quiet),
                (1, stimulus),
                (30, stimulus),
                (31, quiet),
                (40, quiet),
            ] {
                assert_eq!(
                    input_row(&batch.inputs, trial, step),
                    expected,
                    "trial {trial} step {step}"
                );
            }
            for step in 0..41 {
                let expected = if (1..31).contains(&step) {
                    stimulus
                } else {
                    quiet
                };
                assert_eq!(input_row(&batch.inputs, trial, step), expected);
            }
        }
    }

    #[test]
    fn noise_sd_and_channel_means_match_the_specification() {
        let task = Task::default_for(TaskKind::PerceptualDm);
        let batch = task.generate(20_000, 99);
        let n_coherences = DEFAULT_COHERENCES.len();
        // Sums of (preferred, anti-preferred) channel values per coherence.
        let mut sums = vec![[0.0f64; 2]; n_coherences];
        let mut counts = vec![0usize; n_coherences];
        let mut residual_sum_of_squares = 0.0;
        let mut cross_channel_products = 0.0;
        let mut lag_one_products = 0.0;
        let mut n_residuals = 0usize;
        for trial in 0..batch.n_trials() {
            let Condition::PerceptualDm {
                coherence,
                direction,
            } = batch.conditions[trial]
            else {
                panic!("wrong condition");
            };
            let index = DEFAULT_COHERENCES
                .iter()
                .position(|&candidate| candidate == coherence)
                .unwrap();
            counts[index] += 30;
            let mut previous: Option<f64> = None;
            for step in 1..31 {
                let residuals = [0, 1].map(|offset| {
                    f64::from(batch.inputs[[trial, step, 1 + offset]])
                        - expected_mean(coherence, direction, offset)
                });
                sums[index][0] += f64::from(batch.inputs[[trial, step, 1 + direction]]);
                sums[index][1] += f64::from(batch.inputs[[trial, step, 2 - direction]]);
                residual_sum_of_squares += residuals[0].powi(2) + residuals[1].powi(2);
                cross_channel_products += residuals[0] * residuals[1];
                if let Some(last) = previous {
                    lag_one_products += last * residuals[0];
                }
                previous = Some(residuals[0]);
                n_residuals += 2;
            }
        }
        let noise_variance = residual_sum_of_squares / n_residuals as f64;
        let noise_sd = noise_variance.sqrt();
        // 1.2 million residuals: the SD's standard error is about 0.1/√(2.4e6) ≈ 6e-5.
        assert!((noise_sd - 0.1).abs() < 1e-3, "noise SD {noise_sd}");
        // Independence across channels and steps: correlations near 0 (SE ≈ 1e-3).
        let cross_correlation =
            cross_channel_products / (n_residuals as f64 / 2.0) / noise_variance;
        let lag_one_correlation = lag_one_products / (n_residuals as f64 / 2.0) / noise_variance;
        assert!(cross_correlation.abs() < 0.01, "{cross_correlation}");
        assert!(lag_one_correlation.abs() < 0.01, "{lag_one_correlation}");
        for (index, &coherence) in DEFAULT_COHERENCES.iter().enumerate() {
            // About 120,000 samples per channel and coherence: SE of the mean ≈ 3e-4.
            let preferred = sums[index][0] / counts[index] as f64;
            let anti_preferred = sums[index][1] / counts[index] as f64;
            assert!(
                (preferred - (0.5 + coherence / 200.0)).abs() < 2e-3,
                "coh {coherence}: {preferred}"
            );
            assert!(
                (anti_preferred - (0.5 - coherence / 200.0)).abs() < 2e-3,
                "coh {coherence}: {anti_preferred}"
            );
        }
    }

    #[test]
    fn directions_and_coherences_are_balanced() {
        let task = Task::default_for(TaskKind::PerceptualDm);
        let n_trials = 40_000;
        let batch = task.generate(n_trials, 7);
        let theta_pi = batch.labels.iter().filter(|&&label| label == 1).count();
        // Binomial SD 100; allow 5 SD.
        assert!(theta_pi.abs_diff(n_trials / 2) < 500, "{theta_pi}");
        let keys = task.conditions();
        for key in &keys {
            let count = batch
                .conditions
                .iter()
                .filter(|condition| &condition.key() == key)
                .count();
            // p = 1/5: SD = 80; allow 5 SD.
            assert!(count.abs_diff(n_trials / 5) < 400, "{key}: {count}");
        }
    }

    #[test]
    fn condition_keys_and_names() {
        let task = Task::default_for(TaskKind::PerceptualDm);
        assert_eq!(
            task.conditions(),
            ["coh 0", "coh 6.4", "coh 12.8", "coh 25.6", "coh 51.2"]
        );
        assert_eq!(task.output_names(), ["theta-0", "theta-pi"]);
        let repeated = pdm_task(PerceptualDmConfig {
            coherences: vec![-0.0, 50.0, 0.0, 50.0],
            ..PerceptualDmConfig::default()
        });
        assert_eq!(repeated.conditions(), ["coh 0", "coh 50"]);
    }

    #[test]
    fn configurable_periods_change_the_steps_and_timeline() {
        let task = pdm_task(PerceptualDmConfig {
            fixation_steps: 0,
            stimulus_steps: 4,
            delay_steps: 2,
            ..PerceptualDmConfig::default()
        });
        assert_eq!(task.n_steps(), 6);
        let layout: Vec<_> = task
            .timeline()
            .iter()
            .map(|period| (period.name, period.start, period.steps))
            .collect();
        assert_eq!(
            layout,
            [("fixation", 0, 0), ("stimulus", 0, 4), ("delay", 4, 2)]
        );
        let batch = task.generate(5, 3);
        assert_eq!(batch.inputs.dim(), (5, 6, N_INPUTS));
        for trial in 0..5 {
            for step in 0..6 {
                let row = input_row(&batch.inputs, trial, step);
                assert_eq!(row[0], 1.0);
                let evidence_shown = row[1..].iter().all(|&value| value != 0.0);
                let evidence_silent = row[1..].iter().all(|&value| value == 0.0);
                assert!(if step < 4 {
                    evidence_shown
                } else {
                    evidence_silent
                });
            }
        }
        // A longer stimulus raises the ceiling.
        let longer = pdm_task(PerceptualDmConfig {
            stimulus_steps: 120,
            ..PerceptualDmConfig::default()
        });
        assert!(longer.ceiling() > Task::default_for(TaskKind::PerceptualDm).ceiling());
    }

    #[test]
    fn invalid_configs_give_typed_errors() {
        let with = |edit: fn(&mut PerceptualDmConfig)| {
            let mut config = PerceptualDmConfig::default();
            edit(&mut config);
            Task::new(TaskConfig::PerceptualDm(config)).unwrap_err()
        };
        assert!(matches!(
            with(|config| config.stimulus_steps = 0),
            TaskError::PeriodTooShort {
                task: TaskKind::PerceptualDm,
                period: "stimulus",
                ..
            }
        ));
        assert_eq!(
            with(|config| config.coherences.clear()),
            TaskError::NoCoherences
        );
        for bad in [-1.0, 100.5, f64::INFINITY] {
            let mut config = PerceptualDmConfig::default();
            config.coherences.push(bad);
            let error = Task::new(TaskConfig::PerceptualDm(config)).unwrap_err();
            assert_eq!(error, TaskError::InvalidCoherence { value: bad });
            assert!(error.to_string().contains("[0, 100]"), "{error}");
        }
        assert!(matches!(
            with(|config| config.coherences = vec![f64::NAN]),
            TaskError::InvalidCoherence { value } if value.is_nan()
        ));
        assert_eq!(
            with(|config| config.noise_sd = -0.1),
            TaskError::InvalidNoise { value: -0.1 }
        );
        assert!(matches!(
            with(|config| config.noise_sd = f64::NAN),
            TaskError::InvalidNoise { .. }
        ));
        // The bounds themselves are fine.
        pdm_task(PerceptualDmConfig {
            coherences: vec![0.0, 100.0],
            noise_sd: 0.0,
            ..PerceptualDmConfig::default()
        });
    }
}
