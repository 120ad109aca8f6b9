//! Evaluating a network on held-out trials: generate them with `core`'s task generator, run
//! them through ONNX Runtime in batches, score the final-step logits.
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
    #[error("output `{name}` has shape {found:?}, expected {expected}")]
    OutputShape {
        name: String,
        found: Vec<usize>,
        expected: String,
    },
}

impl EvaluationPlan {
    /// The trials, noise included.
    ///
    /// # Shapes
    /// `inputs`: `[n_trials, n_steps, n_inputs]`.
    pub fn trials(&self) -> TrialBatch {
        let mut batch = self.task.generate(self.n_trials, self.seed);
        if self.input_noise > 0.0 {
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            rng.set_stream(1);
            let normal = Normal::new(0.0, self.input_noise)
                .expect("input_noise is checked to be finite and positive");
            for value in batch.inputs.iter_mut() {
                *value += normal.sample(&mut rng) as f32;
            }
        }
        batch
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
    let n_trials = inputs.dim().0;
    let mut logits = Array2::<f32>::zeros((n_trials, n_outputs));
    let options =
        RunOptions::new()?.with_outputs(OutputSelector::no_default().with(&signature.logits));
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
        logits
            .slice_axis_mut(Axis(0), Slice::from(start..end))
            .assign(&batch_logits);
        start = end;
    }
    Ok(logits)
}

/// Scores final-step logits against the trials' labels.
///
/// # Shapes
/// `logits: [trials, n_out]`, `labels` and `conditions`: `trials`.
pub fn score(
    task: &Task,
    labels: &[usize],
    conditions: &[Condition],
    logits: &Array2<f32>,
) -> Scores {
    let n_outputs = task.n_outputs();
    let (losses, predictions) = cross_entropy(&logits.mapv(f64::from), labels);
    let mut confusion_matrix = vec![vec![0u64; n_outputs]; n_outputs];
    let keys = task.conditions();
    let mut per_key = vec![(0u64, 0u64); keys.len()];
    let mut correct = 0u64;
    for ((&label, &prediction), condition) in labels.iter().zip(&predictions).zip(conditions) {
        confusion_matrix[label][prediction] += 1;
        let hit = u64::from(label == prediction);
        correct += hit;
        if let Some(index) = keys.iter().position(|key| *key == condition.key()) {
            per_key[index].0 += 1;
            per_key[index].1 += hit;
        }
    }
    let n_trials = labels.len();
    let mean_loss = losses.iter().sum::<f64>() / n_trials as f64;
    Scores {
        accuracy: correct as f64 / n_trials as f64,
        mean_cross_entropy: mean_loss.is_finite().then_some(mean_loss),
        confusion_matrix,
        per_condition: keys
            .into_iter()
            .zip(per_key)
            .map(|(condition, (n, hits))| ConditionScore {
                condition,
                n_trials: n,
                accuracy: (n > 0).then(|| hits as f64 / n as f64),
            })
            .collect(),
    }
}

/// Generates the plan's trials, runs them and scores them.
pub fn evaluate(
    session: &mut Session,
    signature: &OnnxSignature,
    plan: &EvaluationPlan,
    batch_size: usize,
) -> Result<Scores, RunError> {
    let trials = plan.trials();
    let logits = run_logits(
        session,
        signature,
        trials.inputs.view(),
        plan.task.n_outputs(),
        batch_size,
    )?;
    Ok(score(
        &plan.task,
        &trials.labels,
        &trials.conditions,
        &logits,
    ))
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
    fn noisy_trials_are_reproducible_and_differ_from_clean_ones() {
        let plan = |input_noise| EvaluationPlan {
            task: Task::default_for(TaskKind::PerceptualDm),
            n_trials: 8,
            seed: 5,
            input_noise,
        };
        let clean = plan(0.0).trials();
        let noisy = plan(0.1).trials();
        assert_eq!(noisy, plan(0.1).trials());
        assert_eq!(clean.labels, noisy.labels);
        assert_ne!(clean.inputs, noisy.inputs);
    }
}
