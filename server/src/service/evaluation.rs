//! Evaluating stored models: the checks of an evaluation request, the cache, single-flight and
//! the bounded run (`inference::evaluation` generates and runs the trials batch by batch).
//!
//! Results are deterministic in (model, plan, evaluator), so each is cached in the store and
//! served again. The cache key holds [`EVALUATOR_ID`], a hash of the evaluation sources taken
//! at build time, so a changed evaluator never serves an old evaluator's numbers.

use std::sync::Arc;
use std::time::Instant;

use blueprint_core::manifest::ModelManifest;
use blueprint_core::seed::{SeedStream, derived_seed};
use blueprint_core::task::{Task, TaskKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ServiceError, Work};
use crate::inference::evaluation::{EvaluationPlan, Readout, RunError, Scores, evaluate};
use crate::inference::{SharedSession, lock_session};
use crate::state::AppState;
use crate::store::models as model_store;
use crate::store::models::ModelRecord;
use crate::store::results::{self as result_store, ResultTable};

/// The evaluator's identity: a SHA-256 prefix of `core`'s task and RNN sources and the
/// server's evaluation modules, computed by `build.rs`.
pub const EVALUATOR_ID: &str = env!("BLUEPRINT_EVALUATOR_ID");

/// An evaluation's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub model_id: i64,
    pub task: TaskKind,
    #[schema(minimum = 1)]
    pub n_trials: usize,
    pub seed: u64,
    pub input_noise: f64,
    /// Names of the output classes, the order of the confusion matrix.
    pub output_names: Vec<String>,
    /// Accuracy of guessing.
    pub chance: f64,
    /// Expected accuracy of the ideal observer.
    pub ceiling: f64,
    #[serde(flatten)]
    pub scores: Scores,
}

/// What a client asks to evaluate, before it is checked.
#[derive(Clone, Debug)]
pub struct EvaluationAsk {
    pub task: Option<TaskKind>,
    pub n_trials: usize,
    pub seed: u64,
    pub input_noise: Option<f64>,
    pub allow_training_seed: bool,
    /// List every trial's outcome in the answer.
    pub per_trial: bool,
    /// Measure decision times from the hidden states.
    pub decision_time: bool,
}

/// Checks an evaluation request against the server's cap and the model: `n_trials` in
/// `1..=max_trials`, a finite noise ≥ 0, a seed that is not the model's training seed (unless
/// allowed), a task whose sizes fit.
pub fn plan(
    record: &ModelRecord,
    ask: &EvaluationAsk,
    max_trials: usize,
) -> Result<EvaluationPlan, ServiceError> {
    if ask.n_trials == 0 || ask.n_trials > max_trials {
        return Err(ServiceError::invalid(
            "n_trials_out_of_range",
            format!(
                "n_trials must be between 1 and {max_trials}, got {}",
                ask.n_trials
            ),
        ));
    }
    let input_noise = input_noise(ask.input_noise)?;
    // The trainer draws its training trials from this seed (core's seed streams), so these
    // would be the very trials the model was fitted to.
    let training_trials_seed = derived_seed(record.seed, SeedStream::TrainTrials);
    if ask.seed == training_trials_seed && !ask.allow_training_seed {
        return Err(ServiceError::invalid(
            "training_seed",
            format!(
                "seed {} generates the model's training trials; pick another seed for \
                 held-out trials, or set allow_training_seed",
                ask.seed
            ),
        ));
    }
    Ok(EvaluationPlan {
        task: evaluation_task(&record.manifest, ask.task)?,
        n_trials: ask.n_trials,
        seed: ask.seed,
        input_noise,
        per_trial: ask.per_trial,
        decision_time: ask.decision_time,
    })
}

/// The σ of an evaluation's input noise: 0 when absent; 422 `invalid_input_noise` unless a
/// finite number ≥ 0.
pub fn input_noise(requested: Option<f64>) -> Result<f64, ServiceError> {
    let input_noise = requested.unwrap_or(0.0);
    if !(input_noise.is_finite() && input_noise >= 0.0) {
        return Err(ServiceError::invalid(
            "invalid_input_noise",
            format!("input_noise must be a finite number >= 0, got {input_noise}"),
        ));
    }
    Ok(input_noise)
}

/// The model's own task (with its own configuration), or another task with its default
/// configuration when its sizes fit the network.
pub fn evaluation_task(
    manifest: &ModelManifest,
    requested: Option<TaskKind>,
) -> Result<Task, ServiceError> {
    let kind = requested.unwrap_or(manifest.task);
    if kind == manifest.task {
        // A model stored before the current limits may hold a task this server no longer
        // runs (e.g. a trial over 10,000 steps): refuse it rather than allocate for it.
        return Task::new(manifest.task_config.clone()).map_err(|error| {
            ServiceError::invalid(
                "model_task_out_of_limits",
                format!("the model's own task cannot be run on this server: {error}"),
            )
        });
    }
    let task = Task::default_for(kind);
    if task.n_inputs() != manifest.n_inputs || task.n_outputs() != manifest.n_outputs {
        return Err(ServiceError::invalid(
            "task_incompatible",
            format!(
                "task {kind} has {} inputs and {} outputs; the model has {} and {}",
                task.n_inputs(),
                task.n_outputs(),
                manifest.n_inputs,
                manifest.n_outputs
            ),
        ));
    }
    Ok(task)
}

/// The cache key of `plan` under an evaluator identity.
pub fn cache_key(evaluator: &str, plan: &EvaluationPlan) -> String {
    serde_json::json!({
        "evaluator": evaluator,
        "task_config": plan.task.config(),
        "n_trials": plan.n_trials,
        "seed": plan.seed,
        "input_noise": plan.input_noise,
        "per_trial": plan.per_trial,
        "decision_time": plan.decision_time,
    })
    .to_string()
}

/// Evaluates a stored model on `plan` (taken as checked by [`plan`]): from the cache when
/// this (model, plan, evaluator) was evaluated before; otherwise computed once for all
/// identical concurrent requests, within `work`'s deadline, and cached.
pub async fn evaluate_stored(
    state: &AppState,
    record: &ModelRecord,
    plan: EvaluationPlan,
    work: &Work,
) -> Result<Evaluation, ServiceError> {
    let id = record.id;
    let request_key = cache_key(&state.identity.evaluator, &plan);
    if let Some(cached) =
        result_store::cached(&state.store, ResultTable::Evaluations, id, &request_key).await?
    {
        match serde_json::from_str::<Evaluation>(&cached) {
            Ok(evaluation) => return Ok(evaluation),
            Err(error) => {
                tracing::warn!(model.id = id, error = %error, "unreadable cached evaluation; recomputing")
            }
        }
    }
    let flight_key = format!("{id}:{request_key}");
    let state_for_flight = state.clone();
    let record = record.clone();
    state
        .flights
        .evaluations
        .run(&flight_key, work, move |work| async move {
            compute(&state_for_flight, &record, plan, request_key, work).await
        })
        .await
}

async fn compute(
    state: &AppState,
    record: &ModelRecord,
    plan: EvaluationPlan,
    request_key: String,
    work: Work,
) -> Result<Evaluation, ServiceError> {
    let id = record.id;
    // The bytes are read only when no session for them is cached, or for the readout that
    // decision times need; a cached session is held from here on, so an eviction meanwhile
    // cannot take it away.
    let cached = state.inference.cached_session(&record.sha256);
    let bytes = if cached.is_none() || plan.decision_time {
        Some(
            model_store::onnx_bytes(&state.store, id)
                .await?
                .ok_or_else(|| ServiceError::model_not_found(id))?,
        )
    } else {
        None
    };
    let readout = match &bytes {
        Some(bytes) if plan.decision_time => Some(readout_of(bytes)?),
        _ => None,
    };
    let source = match (cached, bytes) {
        (Some(session), _) => SessionSource::Cached(session),
        (None, Some(bytes)) => SessionSource::Bytes(bytes),
        (None, None) => unreachable!("the bytes are read when no session is cached"),
    };
    let inference = Arc::clone(&state.inference);
    let sha256 = record.sha256.clone();
    let signature = record.manifest.onnx.clone();
    let job_plan = plan.clone();
    let job_work = work.clone();
    let hidden_size = record.hidden_size;
    let started = Instant::now();
    let scores = state
        .inference
        .run(move || -> Result<Scores, ServiceError> {
            job_work.check()?;
            let session = match source {
                SessionSource::Cached(session) => session,
                SessionSource::Bytes(bytes) => {
                    inference.session(&sha256, &bytes).map_err(|error| {
                        ServiceError::internal(format!("building the session: {error}"))
                    })?
                }
            };
            let mut session = lock_session(&session);
            // Reading the hidden states out is one more copy of them: the batch is sized as
            // for a network half again as wide, so the run stays within the memory budget.
            let counted_units = if job_plan.decision_time {
                hidden_size + hidden_size.div_ceil(2)
            } else {
                hidden_size
            };
            let batch = inference.trials_per_run(
                job_plan.task.n_steps(),
                job_plan.task.n_inputs(),
                counted_units,
            );
            evaluate(
                &mut session,
                &signature,
                &job_plan,
                readout.as_ref(),
                batch,
                &|| job_work.should_stop(),
            )
            .map_err(|error| match error {
                RunError::Stopped => job_work.check().err().unwrap_or(ServiceError::Cancelled),
                RunError::NotFinite { trial } => ServiceError::invalid(
                    "model_output_not_finite",
                    format!(
                        "the model's logits are not finite on trial {trial}: its outputs \
                         overflow on this task, so no accuracy can be given"
                    ),
                ),
                RunError::Ort(error) if inference.uses_cuda() => cuda_failure(&inference, &error),
                other => ServiceError::internal(format!("evaluating: {other}")),
            })
        })
        .await??;
    let evaluation = Evaluation {
        model_id: id,
        task: plan.task.kind(),
        n_trials: plan.n_trials,
        seed: plan.seed,
        input_noise: plan.input_noise,
        output_names: plan
            .task
            .output_names()
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        chance: plan.task.chance(),
        ceiling: plan.task.ceiling(),
        scores,
    };
    tracing::info!(
        model.id = id,
        evaluation.task = %evaluation.task,
        evaluation.n_trials = evaluation.n_trials,
        evaluation.accuracy = evaluation.scores.accuracy,
        duration_ms = started.elapsed().as_millis() as u64,
        "model evaluated"
    );
    let result_json = serde_json::to_string(&evaluation)
        .map_err(|error| ServiceError::internal(format!("serialising an evaluation: {error}")))?;
    result_store::save(
        &state.store,
        ResultTable::Evaluations,
        id,
        &request_key,
        &result_json,
    )
    .await?;
    Ok(evaluation)
}

/// A failed run on the GPU: an allocation failure is the model's size (503
/// `device_out_of_memory`, the server stays on the GPU); any other CUDA error moves the server
/// to the CPU and fails this request (503 `device_failed`; a retry runs on the CPU).
fn cuda_failure(inference: &crate::inference::Inference, error: &ort::Error) -> ServiceError {
    let message = error.to_string();
    let lower = message.to_ascii_lowercase();
    if lower.contains("out of memory") || lower.contains("failed to allocate") {
        return ServiceError::Unavailable {
            code: "device_out_of_memory",
            detail: format!(
                "the model's trials do not fit the GPU's memory ({message}); lower \
                 --inference-batch-cuda or --inference-memory-bytes"
            ),
        };
    }
    inference.fall_back_to_cpu(&message);
    ServiceError::Unavailable {
        code: "device_failed",
        detail: "the GPU failed during this evaluation; the server now runs on the CPU, so a \
                 retry will be served"
            .to_owned(),
    }
}

/// The readout (`W_out`, `b_out`) of a model's bytes.
fn readout_of(bytes: &[u8]) -> Result<Readout, ServiceError> {
    let model = blueprint_core::onnx::read_model(bytes)
        .map_err(|error| ServiceError::internal(format!("reading the readout: {error}")))?;
    let readout = model
        .matrix("W_out")
        .and_then(|w_out| Ok((w_out, model.vector("b_out")?)))
        .map_err(|error| ServiceError::internal(format!("reading the readout: {error}")))?;
    Ok(Readout {
        w_out: readout.0,
        b_out: readout.1,
    })
}

/// Where an evaluation job gets its session.
enum SessionSource {
    Cached(SharedSession),
    Bytes(Vec<u8>),
}
