//! Evaluating a network on held-out trials: generate them with `core`'s task generator, run
//! them through ONNX Runtime in batches, score the final-step logits, and (when asked) read
//! the choice at every step of the response window from the hidden states the graph outputs,
//! for decision times.
//!
//! The scores follow `core`'s definitions: the per-trial loss is
//! [`blueprint_core::network::rnn::cross_entropy`] (softmax cross-entropy of the final-step
//! logits against the label, natural log) and the prediction is the arg-max logit (first on
//! ties), exactly as the trainer scores its validation trials. Accuracy is the fraction of
//! trials whose prediction is the label; the confusion matrix counts trials by (true label,
//! predicted label); per-condition accuracy groups trials by [`Condition::key`].
//!
//! Determinism: the trials are `Task::generate(n_trials, seed)`; optional input noise
//! `N(0, input_noise²)` is added element-wise in `[trial, step, channel]` order from a second
//! ChaCha8 stream (`seed_from_u64(seed)`, stream 1), so the same request always gives the
//! same trials and, on the same ONNX Runtime, the same answer.

use blueprint_core::manifest::OnnxSignature;
use blueprint_core::network::rnn::cross_entropy;
use blueprint_core::task::{Condition, Task, TrialBatch};
use ndarray::{Array2, ArrayView3, Axis, Ix2, Slice};
use ort::session::{OutputSelector, RunOptions, Session};
use ort::value::TensorRef;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What to evaluate a network on.
#[derive(Clone, Debug)]
pub struct EvaluationPlan {
    pub task: Task,
    pub n_trials: usize,
    pub seed: u64,
    /// σ of Gaussian noise added to every input; 0 for none.
    pub input_noise: f64,
    /// Whether the scores list every trial's outcome.
    pub per_trial: bool,
    /// Whether to measure decision times (needs the readout, [`Readout`]).
    pub decision_time: bool,
}

/// The network's readout, `W_out` and `b_out`, to read its choice at every step from the
/// hidden states the graph outputs.
#[derive(Clone, Debug)]
pub struct Readout {
    /// `[N, n_out]`.
    pub w_out: Array2<f32>,
    /// `[n_out]`.
    pub b_out: ndarray::Array1<f32>,
}

/// The scores of one evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Scores {
    /// Fraction of trials answered correctly at the final step.
    pub accuracy: f64,
    /// Mean softmax cross-entropy of the final-step logits (nats); null when the network's
    /// outputs are not finite.
    pub mean_cross_entropy: Option<f64>,
    /// Trial counts by true label (rows) and predicted label (columns), in `output_names`
    /// order.
    pub confusion_matrix: Vec<Vec<u64>>,
    /// Accuracy per task condition (coherence for perceptual-dm, maze problem for
    /// one-choice-inference, cue for go-nogo), in the task's condition order.
    pub per_condition: Vec<ConditionScore>,
    /// perceptual-dm only: the choice of θ = 0 against signed coherence, with Wilson 95%
    /// intervals and a logistic fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psychometric: Option<Psychometric>,
    /// With `per_trial`: every trial's outcome, in generation order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trials: Option<Vec<TrialOutcome>>,
    /// With `decision_time`: when the network's answer settles in the response window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_time: Option<DecisionTime>,
}

/// When the answer settles: a trial's decision step is the first step of the response window
/// from which the readout's arg-max (`h_t·W_out + b_out`) equals the trial's final choice and
/// stays so to the end (0: held through the whole window; `steps − 1`: settled only at the
/// read-out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DecisionTime {
    /// First step of the response window (the task's last period), in trial steps.
    pub window_start: usize,
    /// Steps in the response window.
    pub window_steps: usize,
    /// Mean decision step over all trials, counted from `window_start`.
    pub mean_step: f64,
    /// Median decision step (the lower middle value for an even count).
    pub median_step: usize,
    /// Mean decision step of the correct trials; null when none.
    pub mean_step_correct: Option<f64>,
    /// Mean decision step of the error trials; null when none.
    pub mean_step_error: Option<f64>,
    /// Mean decision step per task condition, in the task's condition order (a chronometric
    /// curve for perceptual-dm); null for a condition without trials.
    pub per_condition: Vec<ConditionDecisionTime>,
}

/// The mean decision step of one condition's trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConditionDecisionTime {
    pub condition: String,
    pub n_trials: u64,
    pub mean_step: Option<f64>,
}

/// One trial of an evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrialOutcome {
    /// Position in the generated trials (0-based): the same trial as
    /// `GET /tasks/{task}/trials` with the same `n`, seed and noise.
    pub trial: usize,
    /// The correct class, an index into `output_names`.
    pub label: usize,
    /// The network's choice: the arg-max of its final-step logits (first on ties).
    pub choice: usize,
    pub correct: bool,
    pub condition: Condition,
    /// With `decision_time`: the trial's decision step, from the window's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_step: Option<usize>,
}

/// A psychometric curve of perceptual-dm: P(choose θ = 0) against signed coherence
/// (`+c` for a θ = 0 trial of coherence c, `−c` for a θ = π trial; 0 % pools both).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Psychometric {
    /// By increasing signed coherence.
    pub points: Vec<PsychometricPoint>,
    /// The maximum-likelihood logistic fit over the points (x in % coherence); null when it
    /// has no finite optimum (e.g. a network that is always right: separated points), with
    /// the reason in `fit_error`.
    pub fit: Option<blueprint_core::stats::LogisticFit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit_error: Option<String>,
}

/// One signed coherence of a [`Psychometric`] curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PsychometricPoint {
    /// Percent; positive toward θ = 0.
    pub signed_coherence: f64,
    pub n_trials: u64,
    /// Trials answered θ = 0.
    pub n_chose_theta_0: u64,
    /// `n_chose_theta_0 / n_trials`.
    pub p_theta_0: f64,
    /// The Wilson 95% score interval of `p_theta_0`.
    pub low: f64,
    pub high: f64,
}

/// Accuracy on the trials of one condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConditionScore {
    /// The condition's key, e.g. `coh 12.8`, `go`, `goal 9: u/l -> u`.
    pub condition: String,
    pub n_trials: u64,
    /// Null when no trial fell in this condition.
    pub accuracy: Option<f64>,
}

/// Why running a graph failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("ONNX Runtime: {0}")]
    Ort(#[from] ort::Error),
    /// The caller's stop condition held between two batches.
    #[error("stopped before the last batch")]
    Stopped,
    /// A logit is NaN or infinite: the network's outputs are not numbers.
    #[error("the logits of trial {trial} are not finite")]
    NotFinite { trial: usize },
    #[error("output `{name}` has shape {found:?}, expected {expected}")]
    OutputShape {
        name: String,
        found: Vec<usize>,
        expected: String,
    },
}

impl EvaluationPlan {
    /// All the trials at once, noise included: [`EvaluationPlan::stream`] in one batch.
    ///
    /// # Shapes
    /// `inputs`: `[n_trials, n_steps, n_inputs]`.
    pub fn trials(&self) -> TrialBatch {
        self.stream()
            .next_batch(self.n_trials)
            .unwrap_or_else(|| self.task.generate(0, self.seed))
    }

    /// The trials batch by batch: whatever the batch sizes, the concatenated batches equal
    /// [`EvaluationPlan::trials`], so memory is bounded by one batch.
    pub fn stream(&self) -> TrialStream<'_> {
        let noise = (self.input_noise > 0.0).then(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            rng.set_stream(1);
            let normal = Normal::new(0.0, self.input_noise)
                .expect("input_noise is checked to be finite and positive");
            (rng, normal)
        });
        TrialStream {
            plan: self,
            trials: ChaCha8Rng::seed_from_u64(self.seed),
            noise,
            remaining: self.n_trials,
        }
    }
}

/// The trials of a plan, generated batch by batch (see [`EvaluationPlan::stream`]). The task
/// generators draw trial after trial from one stream and the noise is drawn element after
/// element in `[trial, step, channel]` order from another, so batching changes nothing.
pub struct TrialStream<'a> {
    plan: &'a EvaluationPlan,
    trials: ChaCha8Rng,
    noise: Option<(ChaCha8Rng, Normal<f64>)>,
    remaining: usize,
}

impl TrialStream<'_> {
    /// The next at most `size` trials, or `None` when all have been generated.
    pub fn next_batch(&mut self, size: usize) -> Option<TrialBatch> {
        if self.remaining == 0 {
            return None;
        }
        let count = size.max(1).min(self.remaining);
        self.remaining -= count;
        let mut batch = self.plan.task.generate_with(count, &mut self.trials);
        if let Some((rng, normal)) = &mut self.noise {
            for value in batch.inputs.iter_mut() {
                *value += normal.sample(rng) as f32;
            }
        }
        Some(batch)
    }
}

/// Runs `inputs` through the graph `batch_size` trials at a time and returns the logits.
///
/// # Shapes
/// `inputs: [trials, time, n_in]` → `[trials, n_out]`.
pub fn run_logits(
    session: &mut Session,
    signature: &OnnxSignature,
    inputs: ArrayView3<'_, f32>,
    n_outputs: usize,
    batch_size: usize,
) -> Result<Array2<f32>, RunError> {
    Ok(run_graph(session, signature, inputs, n_outputs, batch_size, None)?.0)
}

/// [`run_logits`], and with a readout and a response window, every trial's decision step
/// (see [`DecisionTime`]) from the hidden states of the window's steps.
fn run_graph(
    session: &mut Session,
    signature: &OnnxSignature,
    inputs: ArrayView3<'_, f32>,
    n_outputs: usize,
    batch_size: usize,
    decisions: Option<(&Readout, std::ops::Range<usize>)>,
) -> Result<(Array2<f32>, Vec<usize>), RunError> {
    let n_trials = inputs.dim().0;
    let mut logits = Array2::<f32>::zeros((n_trials, n_outputs));
    let mut steps = Vec::with_capacity(if decisions.is_some() { n_trials } else { 0 });
    let mut selector = OutputSelector::no_default().with(&signature.logits);
    if decisions.is_some() {
        selector = selector.with(&signature.hidden);
    }
    let options = RunOptions::new()?.with_outputs(selector);
    let mut start = 0;
    while start < n_trials {
        let end = (start + batch_size.max(1)).min(n_trials);
        let chunk = inputs.slice_axis(Axis(0), Slice::from(start..end));
        let outputs = session.run_with_options(
            ort::inputs![signature.input.as_str() => TensorRef::from_array_view(chunk)?],
            &options,
        )?;
        let batch_logits = outputs[signature.logits.as_str()].try_extract_array::<f32>()?;
        let batch_logits = batch_logits
            .into_dimensionality::<Ix2>()
            .ok()
            .filter(|array| array.dim() == (end - start, n_outputs))
            .ok_or_else(|| RunError::OutputShape {
                name: signature.logits.clone(),
                found: outputs[signature.logits.as_str()]
                    .try_extract_array::<f32>()
                    .map(|array| array.shape().to_vec())
                    .unwrap_or_default(),
                expected: format!("[{}, {n_outputs}]", end - start),
            })?;
        if let Some((readout, window)) = &decisions {
            let hidden = outputs[signature.hidden.as_str()].try_extract_array::<f32>()?;
            let hidden = hidden
                .into_dimensionality::<ndarray::Ix3>()
                .ok()
                .filter(|array| {
                    array.dim().0 == end - start
                        && array.dim().1 >= window.end
                        && array.dim().2 == readout.w_out.nrows()
                })
                .ok_or_else(|| RunError::OutputShape {
                    name: signature.hidden.clone(),
                    found: Vec::new(),
                    expected: format!(
                        "[{}, >= {}, {}]",
                        end - start,
                        window.end,
                        readout.w_out.nrows()
                    ),
                })?;
            for (trial, trial_logits) in batch_logits.outer_iter().enumerate() {
                let choice = arg_max(trial_logits.iter().copied());
                let window_hidden = hidden
                    .index_axis(Axis(0), trial)
                    .slice_axis(Axis(0), Slice::from(window.clone()))
                    .to_owned();
                let window_logits = window_hidden.dot(&readout.w_out) + &readout.b_out;
                steps.push(blueprint_core::network::rnn::decision_step(
                    window_logits.view(),
                    choice,
                ));
            }
        }
        logits
            .slice_axis_mut(Axis(0), Slice::from(start..end))
            .assign(&batch_logits);
        start = end;
    }
    Ok((logits, steps))
}

/// The index of the largest value, first on ties (as `core`'s scoring predicts).
fn arg_max(values: impl Iterator<Item = f32>) -> usize {
    values
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (k, v)| {
            if v > best.1 { (k, v) } else { best }
        })
        .0
}

/// Running totals of an evaluation, batch by batch.
#[derive(Clone, Debug)]
pub struct Tally {
    keys: Vec<String>,
    /// perceptual-dm: (signed coherence, trials, θ = 0 choices), in first-seen order.
    signed: Option<Vec<(f64, u64, u64)>>,
    /// With `per_trial`: every trial's outcome so far.
    outcomes: Option<Vec<TrialOutcome>>,
    confusion_matrix: Vec<Vec<u64>>,
    per_key: Vec<(u64, u64)>,
    correct: u64,
    trials: u64,
    loss_sum: f64,
    /// With decision times: the window, every trial's step, and (trials, steps) sums for the
    /// correct trials, the error trials and each condition.
    decisions: Option<DecisionTally>,
}

#[derive(Clone, Debug)]
struct DecisionTally {
    window: std::ops::Range<usize>,
    steps: Vec<usize>,
    correct: (u64, u64),
    error: (u64, u64),
    per_key: Vec<(u64, u64)>,
}

fn mean_of((n, sum): (u64, u64)) -> Option<f64> {
    (n > 0).then(|| sum as f64 / n as f64)
}

impl Tally {
    /// Empty totals for `task`; with `per_trial`, every trial's outcome is kept too.
    pub fn new(task: &Task, per_trial: bool) -> Tally {
        let keys = task.conditions();
        Tally {
            outcomes: per_trial.then(Vec::new),
            signed: (task.kind() == blueprint_core::task::TaskKind::PerceptualDm).then(Vec::new),
            confusion_matrix: vec![vec![0; task.n_outputs()]; task.n_outputs()],
            per_key: vec![(0, 0); keys.len()],
            keys,
            correct: 0,
            trials: 0,
            loss_sum: 0.0,
            decisions: None,
        }
    }

    /// Totals that also keep decision times over `task`'s response window.
    pub fn with_decisions(task: &Task, per_trial: bool) -> Tally {
        let mut tally = Tally::new(task, per_trial);
        tally.decisions = Some(DecisionTally {
            window: task.response_window(),
            steps: Vec::new(),
            correct: (0, 0),
            error: (0, 0),
            per_key: vec![(0, 0); tally.keys.len()],
        });
        tally
    }

    /// [`Tally::add`], with the trials' decision steps (one per trial).
    pub fn add_with_decisions(
        &mut self,
        labels: &[usize],
        conditions: &[Condition],
        logits: &Array2<f32>,
        steps: &[usize],
    ) {
        let first = self.outcomes.as_ref().map_or(0, Vec::len);
        self.add(labels, conditions, logits);
        if let Some(outcomes) = self.outcomes.as_mut() {
            for (outcome, &step) in outcomes[first..].iter_mut().zip(steps) {
                outcome.decision_step = Some(step);
            }
        }
        let Some(decisions) = self.decisions.as_mut() else {
            return;
        };
        for (((&label, row), condition), &step) in labels
            .iter()
            .zip(logits.outer_iter())
            .zip(conditions)
            .zip(steps)
        {
            decisions.steps.push(step);
            let bucket = if arg_max(row.iter().copied()) == label {
                &mut decisions.correct
            } else {
                &mut decisions.error
            };
            bucket.0 += 1;
            bucket.1 += step as u64;
            if let Some(index) = self.keys.iter().position(|key| *key == condition.key()) {
                decisions.per_key[index].0 += 1;
                decisions.per_key[index].1 += step as u64;
            }
        }
    }

    /// Adds the final-step logits of some trials.
    ///
    /// # Shapes
    /// `logits: [trials, n_out]`, `labels` and `conditions`: `trials`.
    pub fn add(&mut self, labels: &[usize], conditions: &[Condition], logits: &Array2<f32>) {
        let (losses, predictions) = cross_entropy(&logits.mapv(f64::from), labels);
        for ((&label, &prediction), condition) in labels.iter().zip(&predictions).zip(conditions) {
            self.confusion_matrix[label][prediction] += 1;
            let hit = u64::from(label == prediction);
            if let Some(outcomes) = self.outcomes.as_mut() {
                outcomes.push(TrialOutcome {
                    trial: outcomes.len(),
                    label,
                    choice: prediction,
                    correct: label == prediction,
                    condition: condition.clone(),
                    decision_step: None,
                });
            }
            self.correct += hit;
            if let Some(index) = self.keys.iter().position(|key| *key == condition.key()) {
                self.per_key[index].0 += 1;
                self.per_key[index].1 += hit;
            }
            if let (
                Some(signed),
                Condition::PerceptualDm {
                    coherence,
                    direction,
                },
            ) = (self.signed.as_mut(), condition)
            {
                // +0.0 for both directions at 0 %, so the two pool.
                let x = if *direction == 0 {
                    *coherence
                } else {
                    -*coherence
                } + 0.0;
                let chose = u64::from(prediction == 0);
                match signed.iter_mut().find(|(at, _, _)| *at == x) {
                    Some(entry) => {
                        entry.1 += 1;
                        entry.2 += chose;
                    }
                    None => signed.push((x, 1, chose)),
                }
            }
        }
        self.trials += labels.len() as u64;
        self.loss_sum += losses.iter().sum::<f64>();
    }

    /// The scores of everything added.
    pub fn scores(self) -> Scores {
        let mean_loss = self.loss_sum / self.trials as f64;
        let decision_time = self.decisions.map(|mut decisions| {
            let n = decisions.steps.len() as u64;
            let sum: u64 = decisions.steps.iter().map(|&step| step as u64).sum();
            decisions.steps.sort_unstable();
            DecisionTime {
                window_start: decisions.window.start,
                window_steps: decisions.window.len(),
                mean_step: mean_of((n, sum)).unwrap_or(0.0),
                median_step: decisions
                    .steps
                    .get(decisions.steps.len().saturating_sub(1) / 2)
                    .copied()
                    .unwrap_or(0),
                mean_step_correct: mean_of(decisions.correct),
                mean_step_error: mean_of(decisions.error),
                per_condition: self
                    .keys
                    .iter()
                    .zip(&decisions.per_key)
                    .map(|(condition, &(n, sum))| ConditionDecisionTime {
                        condition: condition.clone(),
                        n_trials: n,
                        mean_step: mean_of((n, sum)),
                    })
                    .collect(),
            }
        });
        Scores {
            accuracy: self.correct as f64 / self.trials as f64,
            mean_cross_entropy: mean_loss.is_finite().then_some(mean_loss),
            confusion_matrix: self.confusion_matrix,
            per_condition: self
                .keys
                .into_iter()
                .zip(self.per_key)
                .map(|(condition, (n, hits))| ConditionScore {
                    condition,
                    n_trials: n,
                    accuracy: (n > 0).then(|| hits as f64 / n as f64),
                })
                .collect(),
            psychometric: self.signed.map(psychometric),
            trials: self.outcomes,
            decision_time,
        }
    }
}

/// The curve of `(signed coherence, trials, θ = 0 choices)` counts.
fn psychometric(mut counts: Vec<(f64, u64, u64)>) -> Psychometric {
    use blueprint_core::stats::{BinomialPoint, fit_logistic, wilson_interval};
    counts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let points = counts
        .iter()
        .map(|&(x, n, k)| {
            let interval = wilson_interval(k, n, 0.95).expect("a counted point has trials");
            PsychometricPoint {
                signed_coherence: x,
                n_trials: n,
                n_chose_theta_0: k,
                p_theta_0: k as f64 / n as f64,
                low: interval.low,
                high: interval.high,
            }
        })
        .collect();
    let binomial: Vec<BinomialPoint> = counts
        .iter()
        .map(|&(x, n, successes)| BinomialPoint { x, successes, n })
        .collect();
    let (fit, fit_error) = match fit_logistic(&binomial) {
        Ok(fit) => (Some(fit), None),
        Err(error) => (None, Some(error.to_string())),
    };
    Psychometric {
        points,
        fit,
        fit_error,
    }
}

/// Scores final-step logits against the trials' labels, all at once.
///
/// # Shapes
/// `logits: [trials, n_out]`, `labels` and `conditions`: `trials`.
pub fn score(
    task: &Task,
    labels: &[usize],
    conditions: &[Condition],
    logits: &Array2<f32>,
) -> Scores {
    let mut tally = Tally::new(task, false);
    tally.add(labels, conditions, logits);
    tally.scores()
}

/// Generates the plan's trials `batch_size` at a time, runs and scores each batch, and asks
/// `stop` between batches. Peak memory is one batch: its inputs and ONNX Runtime's hidden
/// states, `batch_size × n_steps × (n_inputs + N)` floats, whatever `n_trials` is.
///
/// # Errors
/// [`RunError::Stopped`] when `stop()` held; [`RunError::NotFinite`] for a NaN or infinite
/// logit (never scored as a class); ONNX Runtime's errors.
pub fn evaluate(
    session: &mut Session,
    signature: &OnnxSignature,
    plan: &EvaluationPlan,
    readout: Option<&Readout>,
    batch_size: usize,
    stop: &dyn Fn() -> bool,
) -> Result<Scores, RunError> {
    let mut stream = plan.stream();
    let decisions = readout
        .filter(|_| plan.decision_time)
        .map(|readout| (readout, plan.task.response_window()));
    let mut tally = if decisions.is_some() {
        Tally::with_decisions(&plan.task, plan.per_trial)
    } else {
        Tally::new(&plan.task, plan.per_trial)
    };
    let mut done = 0;
    while let Some(batch) = stream.next_batch(batch_size) {
        if stop() {
            return Err(RunError::Stopped);
        }
        let (logits, steps) = run_graph(
            session,
            signature,
            batch.inputs.view(),
            plan.task.n_outputs(),
            batch_size,
            decisions.clone(),
        )?;
        if let Some(position) = logits.iter().position(|value| !value.is_finite()) {
            return Err(RunError::NotFinite {
                trial: done + position / plan.task.n_outputs(),
            });
        }
        if decisions.is_some() {
            tally.add_with_decisions(&batch.labels, &batch.conditions, &logits, &steps);
        } else {
            tally.add(&batch.labels, &batch.conditions, &logits);
        }
        done += batch.n_trials();
    }
    Ok(tally.scores())
}

#[cfg(test)]
mod tests {
    use super::*;
    use blueprint_core::task::TaskKind;
    use ndarray::array;

    #[test]
    fn scores_count_hits_by_label_and_condition() {
        let task = Task::default_for(TaskKind::GoNogo);
        let labels = [1, 1, 0, 0];
        let conditions = [
            Condition::GoNogo { go: true },
            Condition::GoNogo { go: true },
            Condition::GoNogo { go: false },
            Condition::GoNogo { go: false },
        ];
        // Predictions: 1, 0, 0, 0.
        let logits = array![[0.0f32, 2.0], [3.0, 0.0], [1.0, 0.0], [0.5, 0.0]];
        let scores = score(&task, &labels, &conditions, &logits);
        assert_eq!(scores.accuracy, 0.75);
        assert_eq!(scores.confusion_matrix, vec![vec![2, 0], vec![1, 1]]);
        let go = scores
            .per_condition
            .iter()
            .find(|c| c.condition == "go")
            .unwrap();
        assert_eq!((go.n_trials, go.accuracy), (2, Some(0.5)));
        let expected_loss = [
            (1.0f64 + (-2.0f64).exp()).ln(),
            (1.0f64 + 3.0f64.exp()).ln(),
            (1.0f64 + (-1.0f64).exp()).ln(),
            (1.0f64 + (-0.5f64).exp()).ln(),
        ]
        .iter()
        .sum::<f64>()
            / 4.0;
        assert!((scores.mean_cross_entropy.unwrap() - expected_loss).abs() < 1e-12);
    }

    #[test]
    fn non_finite_logits_give_a_null_loss_not_a_nan() {
        let task = Task::default_for(TaskKind::GoNogo);
        let logits = array![[f32::NAN, 0.0]];
        let scores = score(&task, &[0], &[Condition::GoNogo { go: false }], &logits);
        assert_eq!(scores.mean_cross_entropy, None);
        assert!(serde_json::to_string(&scores).is_ok());
    }

    #[test]
    fn trials_in_batches_equal_trials_at_once_for_every_task() {
        for kind in TaskKind::ALL {
            for input_noise in [0.0, 0.1] {
                let plan = EvaluationPlan {
                    task: Task::default_for(kind),
                    n_trials: 23,
                    seed: 9,
                    input_noise,
                    per_trial: false,
                    decision_time: false,
                };
                let whole = plan.trials();
                let mut stream = plan.stream();
                let mut parts = Vec::new();
                while let Some(batch) = stream.next_batch(5) {
                    parts.push(batch);
                }
                assert_eq!(parts.len(), 5, "{kind}");
                let labels: Vec<usize> = parts.iter().flat_map(|b| b.labels.clone()).collect();
                assert_eq!(labels, whole.labels, "{kind}");
                let views: Vec<_> = parts.iter().map(|b| b.inputs.view()).collect();
                let inputs = ndarray::concatenate(Axis(0), &views).unwrap();
                assert_eq!(inputs, whole.inputs, "{kind} noise {input_noise}");
            }
        }
    }

    #[test]
    fn noisy_trials_are_reproducible_and_differ_from_clean_ones() {
        let plan = |input_noise| EvaluationPlan {
            task: Task::default_for(TaskKind::PerceptualDm),
            n_trials: 8,
            seed: 5,
            input_noise,
            per_trial: false,
            decision_time: false,
        };
        let clean = plan(0.0).trials();
        let noisy = plan(0.1).trials();
        assert_eq!(noisy, plan(0.1).trials());
        assert_eq!(clean.labels, noisy.labels);
        assert_ne!(clean.inputs, noisy.inputs);
    }
}
