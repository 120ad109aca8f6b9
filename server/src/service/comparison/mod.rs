//! Comparisons of groups of stored models, run as jobs.
//!
//! A comparison of the study's grid (660 models) evaluates every model on held-out trials
//! and measures every `W_rec`, minutes of work, so it cannot be one request-response.
//! `POST /comparisons` checks the request and the models it selects at once (every refusal is
//! an immediate 4xx), stores a job row and answers `202 Accepted` with the job's status URL;
//! the job runs in the background and the status URL reports `queued`, `running` with
//! `progress` (models done of total), then `done` with the result or `failed` with a problem
//! body. A job rather than a progress stream because a stream ties the result to one
//! connection: a job's result outlives a dropped client and a server restart, any client can
//! poll it, and it suits `curl`.
//!
//! - **State.** The job row in the database (`store::comparisons`) is the only state: the
//!   normalised request, the ids of the models it measures (fixed when it is accepted),
//!   progress after each model, the result when done. Any replica may run any job.
//! - **Scheduling.** Each replica runs one comparison at a time: its worker ([`start_jobs`])
//!   claims the oldest queued job through the database, under a lease (`--job-lease-seconds`)
//!   that it renews while it works. A job whose replica died (or stopped) is claimed again by
//!   whichever replica finds its lease run out, and runs from the start; what the dead one
//!   measured is cached per model, so the rerun is quick. A job whose runners died
//!   [`MAX_ATTEMPTS`] times is failed (`job_interrupted`). At most [`MAX_PENDING`] jobs are
//!   queued or running over all replicas, beyond which `POST` answers 503 `busy` with
//!   `Retry-After`. A job measures one model at a time through the same inference pool as
//!   interactive requests, so it never holds more than one slot and a saturated pool makes
//!   it wait and retry, never fail.
//! - **Sharing.** Accuracy is [`evaluation::evaluate_stored`](super::evaluation::evaluate_stored)
//!   and metrics are [`metrics::measure_stored_model`](super::metrics::measure_stored_model),
//!   with their caches: a comparison fills and reuses the same entries as
//!   `POST /models/{id}/evaluate` and `GET /models/{id}/metrics`. Each model's measurement has
//!   the request deadline (`--request-timeout`) of its own.
//! - **Exclusions.** A model whose measure has no value (a metric undefined for its matrix,
//!   the model deleted meanwhile) is left out of that measure and listed in `excluded` with
//!   the reason; an internal failure fails the job.

pub mod statistics;
pub mod table;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use blueprint_core::metrics::MetricsConfig;
use blueprint_core::network::Variant;
use blueprint_core::seed::{SeedStream, derived_seed};
use blueprint_core::stats::SummaryConfig;
use blueprint_core::task::TaskKind;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use utoipa::ToSchema;

use super::ServiceError;
use super::evaluation::{evaluate_stored, evaluation_task};
use super::metrics::measure_stored_model;
use super::metrics::metrics_config;
use crate::error::{ApiError, Problem};
use crate::inference::evaluation::EvaluationPlan;
use crate::state::AppState;
use crate::store::comparisons as job_store;
use crate::store::models::{self as model_store, ModelFilter, ModelRecord};
use statistics::{Exclusion, Measure, MeasureComparison, MeasuredModel};
use table::Table;

/// The most comparisons queued or running at once, over all replicas.
pub const MAX_PENDING: u64 = 16;

/// Claims of one job whose runners all died before it is failed.
pub const MAX_ATTEMPTS: u32 = 3;

/// How models are grouped. Only by variant, the study's comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One group per variant label, in the order of the study's Table 2.
    #[default]
    Variant,
}

/// What to compare.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "task": "go-nogo",
    "filter": {"field": "5_3_4", "positive": false},
    "group_by": "variant",
    "measures": ["accuracy", "entropy", "modularity", "small-world"],
    "n_trials": 2560,
    "seed": 12345
}))]
pub struct ComparisonRequest {
    /// The task whose models are compared, e.g. `go-nogo`.
    #[schema(value_type = TaskKind)]
    pub task: String,
    /// Which of the task's models (all of them by default).
    #[serde(default)]
    pub filter: ComparisonFilter,
    /// How models are grouped: `variant` (the only choice, and the default).
    #[serde(default)]
    pub group_by: GroupBy,
    /// What to compare, at least one: `accuracy` (held-out, from the evaluation path) and any
    /// metric of `GET /models/{id}/metrics` (`entropy`, `modularity`, `assortativity`,
    /// `small-world`, …; each model's headline number: Q, σ, ω, …). Repeats are dropped.
    pub measures: Vec<String>,
    /// Held-out trials per model, 1 to the server's cap (`--max-eval-trials`); required when
    /// `accuracy` is measured.
    #[schema(minimum = 1, example = 2560)]
    pub n_trials: Option<usize>,
    /// Seed of the evaluation trials, the metrics' nulls and the bootstrap intervals: the same
    /// request on the same models gives the same result.
    pub seed: u64,
    /// Binarisation quantile for the graph metrics, strictly between 0 and 1 (default 0.9).
    pub threshold_quantile: Option<f64>,
    /// Nulls of the study's model for σ, 1 to 10,000 (default 1,000).
    pub n_nulls: Option<usize>,
    /// Compare groups whose models were trained with different protocols (epochs, batch
    /// size, trials, learning rate, λ, λ_EMD, noise, penalty normalisation, compat flags, task
    /// configuration). Off by default: such a group is refused (`mixed_protocols`), because
    /// its spread would be the protocols' as much as the variant's.
    #[serde(default)]
    pub allow_mixed_protocols: bool,
}

/// Filters on the task's models, combined with AND; absent fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComparisonFilter {
    /// Only this field key, e.g. `6_6_2`.
    pub field: Option<String>,
    /// Only positive (true) or unconstrained (false) networks.
    pub positive: Option<bool>,
    /// Only this dataset (bundle name, or `synthetic`).
    pub dataset: Option<String>,
    /// Only these variants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<Variant>>,
    /// Only training seeds at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_min: Option<u64>,
    /// Only training seeds at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_max: Option<u64>,
    /// Only models trained for this many epochs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
    /// Only models trained with this λ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda: Option<f64>,
    /// Only models trained with every reference-code defect on (`compat`) or with none
    /// (`corrected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<TrainingMode>,
    /// Only these models (at most 10,000 ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10000)]
    pub model_ids: Option<Vec<i64>>,
}

/// Whether a model was trained with the reference code's defects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TrainingMode {
    /// Every compat flag on and the compat (scrambled) distances.
    Compat,
    /// No compat flag and corrected distances.
    Corrected,
}

impl ComparisonFilter {
    /// Whether `model` passes the filters that are not SQL equalities.
    fn admits(&self, model: &ModelRecord) -> bool {
        let training = &model.manifest.training;
        let compat = model_is_compat(model);
        self.variants
            .as_ref()
            .is_none_or(|variants| variants.contains(&model.variant))
            && self.seed_min.is_none_or(|low| model.seed >= low)
            && self.seed_max.is_none_or(|high| model.seed <= high)
            && self.epochs.is_none_or(|epochs| training.epochs == epochs)
            && self.lambda.is_none_or(|lambda| training.lambda == lambda)
            && self.mode.is_none_or(|mode| match mode {
                TrainingMode::Compat => compat == Some(true),
                TrainingMode::Corrected => compat == Some(false),
            })
            && self
                .model_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&model.id))
    }
}

/// `Some(true)` when every compat flag is on and the distances (if real) are the compat ones,
/// `Some(false)` when none is, `None` for a mixture.
fn model_is_compat(model: &ModelRecord) -> Option<bool> {
    let flags = &model.manifest.training.compat;
    let mut all = vec![
        flags.w_ignores_lambda,
        flags.empirical_epsilon,
        flags.unscaled_positive_baseline,
    ];
    if let blueprint_core::network::distance::DistanceSpec::Real { mode, .. } =
        &model.manifest.distance
    {
        all.push(*mode == blueprint_core::network::distance::RealDistanceMode::Compat);
    }
    if all.iter().all(|&flag| flag) {
        Some(true)
    } else if all.iter().all(|&flag| !flag) {
        Some(false)
    } else {
        None
    }
}

/// The training protocol a model's numbers depend on, as comparable text.
fn protocol_of(model: &ModelRecord) -> String {
    // The run's own seed is the replicate, not the protocol, and is not part of it.
    let manifest = &model.manifest;
    serde_json::json!({
        "training": manifest.training,
        "task_config": manifest.task_config,
    })
    .to_string()
}

/// A model left out because another model of the comparison has the same `W_rec`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Duplicate {
    pub model_id: i64,
    /// The kept model (the lowest id) with the same recurrent weights.
    pub same_weights_as: i64,
}

/// A checked comparison, ready to run.
#[derive(Clone, Debug)]
pub struct ComparisonPlan {
    pub task: TaskKind,
    /// Deduplicated, in the request's order.
    pub measures: Vec<Measure>,
    /// The variants compared, in Table 2 order; each has at least two models.
    pub groups: Vec<Variant>,
    /// The models, by ascending id.
    pub models: Vec<ModelRecord>,
    /// Held-out trials per model; set iff accuracy is measured.
    pub n_trials: Option<usize>,
    /// Seed of the evaluation trials, the nulls and the bootstrap.
    pub seed: u64,
    /// The metric parameters; set iff a metric is measured.
    pub metrics_config: Option<MetricsConfig>,
    /// Models left out as copies of a kept model's `W_rec`.
    pub duplicates: Vec<Duplicate>,
    /// Models the job was accepted with that were deleted before it ran.
    pub deleted: Vec<i64>,
}

/// What a finished comparison found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComparisonResult {
    pub task: TaskKind,
    pub group_by: GroupBy,
    /// The measures, in the request's order (the table's columns).
    pub measures: Vec<String>,
    /// The groups, in Table 2 order (the table's rows).
    pub groups: Vec<Variant>,
    pub n_models: usize,
    /// Held-out trials per model, when accuracy was measured.
    pub n_trials: Option<usize>,
    pub seed: u64,
    /// The metric parameters, when a metric was measured.
    pub metrics_config: Option<MetricsConfig>,
    /// Level of every interval.
    pub confidence_level: f64,
    /// Resamples of every bootstrap interval.
    pub n_resamples: usize,
    /// The statistics, one entry per measure in `measures` order.
    pub by_measure: Vec<MeasureComparison>,
    /// The Table 2 layout of the group summaries.
    pub table: Table,
    /// Every model's values, by ascending id.
    pub models: Vec<MeasuredModel>,
    /// Values left out, with the reason.
    pub excluded: Vec<Exclusion>,
    /// Models matching the filter left out because their `W_rec` equals a kept model's (two
    /// names for the same network count once); `n_models` does not count them.
    #[serde(default)]
    pub duplicates: Vec<Duplicate>,
}

/// Admission and scheduling of comparison jobs (see the module).
#[derive(Debug)]
pub struct ComparisonJobs {
    /// How long a claim holds without a heartbeat.
    lease: Duration,
    /// `host:pid` of this process, the start of every claim's owner token.
    replica: String,
    /// Wakes this replica's worker when a job is accepted here.
    wake: Notify,
}

impl ComparisonJobs {
    /// Jobs claimed for `lease` at a time.
    pub fn new(lease: Duration) -> ComparisonJobs {
        let host = std::env::var("HOSTNAME")
            .ok()
            .filter(|host| !host.is_empty())
            .or_else(|| {
                std::fs::read_to_string("/etc/hostname")
                    .ok()
                    .map(|host| host.trim().to_owned())
            })
            .unwrap_or_else(|| "localhost".to_owned());
        ComparisonJobs {
            lease: lease.max(Duration::from_secs(1)),
            replica: format!("{host}:{}", std::process::id()),
            wake: Notify::new(),
        }
    }

    /// Admits one more job, or 503 `busy` when [`MAX_PENDING`] are queued or running.
    pub async fn admit(&self, state: &AppState) -> Result<(), ServiceError> {
        if job_store::count_pending(&state.store).await? >= MAX_PENDING {
            // A comparison takes seconds to minutes; a short retry would only spin.
            return Err(ServiceError::Busy { retry_after_s: 10 });
        }
        Ok(())
    }

    /// Tells this replica's worker that a job is waiting.
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    fn lease_ms(&self) -> u64 {
        self.lease.as_millis() as u64
    }
}

/// Checks a comparison request and resolves its models; returns the normalised request and the plan.
pub async fn plan(
    state: &AppState,
    request: ComparisonRequest,
) -> Result<(ComparisonRequest, ComparisonPlan), ServiceError> {
    let task: TaskKind =
        request
            .task
            .parse()
            .map_err(|error: <TaskKind as std::str::FromStr>::Err| {
                ServiceError::invalid("unknown_task", error.to_string())
            })?;
    let mut measures: Vec<Measure> = Vec::new();
    for name in &request.measures {
        let measure = Measure::parse(name)
            .map_err(|detail| ServiceError::invalid("unknown_measure", detail))?;
        if !measures.contains(&measure) {
            measures.push(measure);
        }
    }
    if measures.is_empty() {
        return Err(ServiceError::invalid(
            "no_measures",
            "measures is empty; name at least one, e.g. [\"accuracy\"]",
        ));
    }
    let max_trials = state.limits.max_eval_trials;
    if let Some(n_trials) = request.n_trials
        && (n_trials == 0 || n_trials > max_trials)
    {
        return Err(ServiceError::invalid(
            "n_trials_out_of_range",
            format!("n_trials must be between 1 and {max_trials}, got {n_trials}"),
        ));
    }
    let measures_accuracy = measures.contains(&Measure::Accuracy);
    if measures_accuracy && request.n_trials.is_none() {
        return Err(ServiceError::invalid(
            "missing_n_trials",
            "accuracy is measured, so n_trials (held-out trials per model) is required",
        ));
    }
    let metrics: Vec<_> = measures.iter().filter_map(|m| m.metric()).collect();
    let config = metrics_config(
        request.threshold_quantile,
        request.n_nulls,
        request.seed,
        metrics.clone(),
    )?;

    let filter = ModelFilter {
        task: Some(task),
        variant: None,
        positive: request.filter.positive,
        dataset: request.filter.dataset.clone(),
        field: request.filter.field.clone(),
        ..ModelFilter::default()
    };
    if request
        .filter
        .model_ids
        .as_ref()
        .is_some_and(|ids| ids.len() > 10_000)
    {
        return Err(ServiceError::invalid(
            "too_many_model_ids",
            "filter.model_ids lists more than 10,000 ids",
        ));
    }
    if let (Some(low), Some(high)) = (request.filter.seed_min, request.filter.seed_max)
        && low > high
    {
        return Err(ServiceError::invalid(
            "invalid_filter",
            format!("filter.seed_min {low} is above filter.seed_max {high}"),
        ));
    }
    let mut models = model_store::list_all(&state.store, &filter).await?;
    models.retain(|model| request.filter.admits(model));
    // The same recurrent weights under two names count once: the lowest id is kept.
    let mut duplicates = Vec::new();
    let mut seen: BTreeMap<String, i64> = BTreeMap::new();
    let mut kept = Vec::with_capacity(models.len());
    for model in models {
        let bytes = model_store::onnx_bytes(&state.store, model.id)
            .await?
            .ok_or_else(|| ServiceError::model_not_found(model.id))?;
        let hash = w_rec_hash(&bytes)?;
        match seen.get(&hash) {
            Some(&first) => duplicates.push(Duplicate {
                model_id: model.id,
                same_weights_as: first,
            }),
            None => {
                seen.insert(hash, model.id);
                kept.push(model);
            }
        }
    }
    let models = kept;
    if models.is_empty() {
        return Err(ServiceError::invalid(
            "no_models_match",
            format!("no {task} model matches the filter; there is nothing to compare"),
        ));
    }
    let groups: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|variant| models.iter().any(|model| model.variant == *variant))
        .collect();
    if groups.len() < 2 {
        return Err(ServiceError::invalid(
            "too_few_groups",
            format!(
                "the {} matching model(s) are all of variant {}; a comparison needs at least two \
                 variants",
                models.len(),
                groups[0]
            ),
        ));
    }
    for group in &groups {
        if !request.allow_mixed_protocols {
            let mut protocols: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for model in models.iter().filter(|model| model.variant == *group) {
                protocols
                    .entry(protocol_of(model))
                    .or_default()
                    .push(model.id);
            }
            if protocols.len() > 1 {
                let described: Vec<String> =
                    protocols.values().map(|ids| format!("{ids:?}")).collect();
                return Err(ServiceError::invalid(
                    "mixed_protocols",
                    format!(
                        "variant {group}'s models were trained with {} different protocols \
                         (models {}); narrow the filter (epochs, lambda, mode, model_ids) or set \
                         allow_mixed_protocols",
                        protocols.len(),
                        described.join(" vs ")
                    ),
                ));
            }
        }
        let size = models
            .iter()
            .filter(|model| model.variant == *group)
            .count();
        if size < 2 {
            return Err(ServiceError::invalid(
                "group_too_small",
                format!(
                    "variant {group} has {size} model matching the filter; every group needs at \
                     least 2 (an SD, a t-interval and a rank test need two values)"
                ),
            ));
        }
    }
    if measures_accuracy {
        // The trainer draws a model's training trials from this seed (core's seed streams):
        // they would not be held out.
        let trained_on: Vec<i64> = models
            .iter()
            .filter(|model| derived_seed(model.seed, SeedStream::TrainTrials) == request.seed)
            .map(|model| model.id)
            .collect();
        if !trained_on.is_empty() {
            return Err(ServiceError::invalid(
                "training_seed",
                format!(
                    "seed {} generates the training trials of model(s) {trained_on:?}; pick \
                     another seed for held-out trials",
                    request.seed
                ),
            ));
        }
    }

    let normalised = ComparisonRequest {
        task: task.as_str().to_owned(),
        filter: request.filter,
        group_by: request.group_by,
        measures: measures.iter().map(|m| m.label().to_owned()).collect(),
        n_trials: request.n_trials.filter(|_| measures_accuracy),
        seed: request.seed,
        threshold_quantile: Some(config.threshold_quantile),
        n_nulls: Some(config.n_nulls),
        allow_mixed_protocols: request.allow_mixed_protocols,
    };
    let plan = ComparisonPlan {
        task,
        measures,
        groups,
        models,
        n_trials: normalised.n_trials,
        seed: request.seed,
        metrics_config: (!metrics.is_empty()).then_some(config),
        duplicates,
        deleted: Vec::new(),
    };
    Ok((normalised, plan))
}

/// SHA-256 of a stored model's `W_rec` (its f32 values, little-endian, row-major).
fn w_rec_hash(bytes: &[u8]) -> Result<String, ServiceError> {
    let w = blueprint_core::onnx::read_model(bytes)
        .and_then(|model| model.matrix("W_rec"))
        .map_err(|error| ServiceError::internal(format!("reading W_rec: {error}")))?;
    let raw: Vec<u8> = w.iter().flat_map(|value| value.to_le_bytes()).collect();
    Ok(blueprint_core::manifest::sha256_hex(&raw))
}

/// This replica's comparison worker; dropping it stops the worker (a job it was running is
/// left to its lease, and so to another replica or the next start).
#[derive(Debug)]
pub struct JobWorker(tokio::task::JoinHandle<()>);

impl Drop for JobWorker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A task aborted when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How often an idle worker looks for a job accepted by another replica (one accepted here
/// wakes it at once).
const POLL: Duration = Duration::from_secs(1);

/// Starts this replica's worker: it claims jobs one at a time, runs them, and stores their
/// result or problem (see the module).
pub fn start_jobs(state: &AppState) -> JobWorker {
    let state = state.clone();
    JobWorker(tokio::spawn(async move {
        let exhausted = serde_json::to_string(&problem_of(ServiceError::Unavailable {
            code: "job_interrupted",
            detail: format!(
                "every replica that ran this comparison stopped before it finished                  ({MAX_ATTEMPTS} attempts); submit it again (its finished evaluations and                  metrics are cached)"
            ),
        }))
        .expect("a problem body serialises");
        loop {
            let jobs = &state.comparisons;
            let claimed = async {
                let failed =
                    job_store::fail_exhausted(&state.store, MAX_ATTEMPTS, &exhausted).await?;
                if failed > 0 {
                    tracing::warn!(
                        comparison.failed = failed,
                        "failed comparisons whose runners all stopped"
                    );
                }
                let owner = format!("{}:{:016x}", jobs.replica, rand::random::<u64>());
                let job =
                    job_store::claim(&state.store, &owner, jobs.lease_ms(), MAX_ATTEMPTS).await?;
                Ok::<_, crate::store::StoreError>(job.map(|job| (job, owner)))
            }
            .await;
            match claimed {
                Ok(Some((job, owner))) => run_claimed(&state, job, &owner).await,
                Ok(None) => {
                    let _ = tokio::time::timeout(POLL, jobs.wake.notified()).await;
                }
                Err(error) => {
                    tracing::warn!(error = %error, "cannot claim comparison jobs");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    }))
}

/// Runs a claimed job while renewing its lease, and stores its outcome.
async fn run_claimed(state: &AppState, job: job_store::JobRecord, owner: &str) {
    let job_id = job.id;
    if job.attempts > 1 {
        tracing::info!(
            job.id = job_id,
            job.attempts = job.attempts,
            "taking over a comparison"
        );
    }
    let lost = Arc::new(AtomicBool::new(false));
    // Stopped when this run ends, and also when the worker is dropped mid-run.
    let heartbeat = AbortOnDrop({
        let store = state.store.clone();
        let lost = Arc::clone(&lost);
        let owner = owner.to_owned();
        let lease = state.comparisons.lease;
        let lease_ms = state.comparisons.lease_ms();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                match job_store::heartbeat(&store, job_id, &owner, lease_ms).await {
                    Ok(true) => {}
                    Ok(false) => {
                        lost.store(true, Ordering::Release);
                        return;
                    }
                    // The next beat may get through before the lease runs out.
                    Err(error) => {
                        tracing::warn!(job.id = job_id, error = %error, "cannot renew a lease")
                    }
                }
            }
        })
    });
    let started = Instant::now();
    let outcome = async {
        let plan = plan_claimed(state, &job).await?;
        let result = run(state, job_id, owner, &plan, &lost).await?;
        let json = serde_json::to_string(&result)
            .map_err(|error| ServiceError::internal(format!("serialising: {error}")))?;
        Ok::<_, ServiceError>((json, plan.models.len()))
    }
    .await;
    drop(heartbeat);
    let stored = match outcome {
        Ok((result_json, n_models)) => {
            tracing::info!(
                job.id = job_id,
                comparison.n_models = n_models,
                duration_ms = started.elapsed().as_millis() as u64,
                "comparison done"
            );
            job_store::finish(&state.store, job_id, owner, &result_json).await
        }
        Err(ServiceError::Cancelled) => {
            tracing::warn!(
                job.id = job_id,
                "lost the lease of a comparison; another replica has it"
            );
            return;
        }
        // A database that stopped answering is not the job's fault: nothing is written, and
        // the job is claimed again when its lease runs out (within its attempts).
        Err(ServiceError::Unavailable {
            code: "database_unavailable",
            ..
        }) => {
            tracing::warn!(
                job.id = job_id,
                "the database stopped answering during a comparison; it will be run again"
            );
            return;
        }
        Err(error) => {
            match &error {
                ServiceError::Internal(cause) => tracing::error!(
                    job.id = job_id,
                    error = format!("{cause:#}"),
                    "comparison failed"
                ),
                other => tracing::warn!(job.id = job_id, error = %other, "comparison failed"),
            }
            let problem =
                serde_json::to_string(&problem_of(error)).expect("a problem body serialises");
            job_store::fail(&state.store, job_id, owner, &problem).await
        }
    };
    match stored {
        Ok(true) => {}
        Ok(false) => tracing::warn!(
            job.id = job_id,
            "a comparison's outcome was not stored: another replica took the job over"
        ),
        Err(error) => {
            tracing::error!(job.id = job_id, error = %error, "cannot store a comparison's outcome")
        }
    }
}

/// The plan of a claimed job: its stored request, narrowed to the models fixed when it was
/// accepted; models deleted since are listed in `deleted`.
async fn plan_claimed(
    state: &AppState,
    job: &job_store::JobRecord,
) -> Result<ComparisonPlan, ServiceError> {
    let mut request: ComparisonRequest = serde_json::from_str(&job.request).map_err(|error| {
        ServiceError::internal(format!("comparison job {}: its request: {error}", job.id))
    })?;
    if job.model_ids.is_empty() {
        return Ok(plan(state, request).await?.1);
    }
    request.filter.model_ids = Some(job.model_ids.clone());
    let mut plan = plan(state, request).await?.1;
    let present: std::collections::BTreeSet<i64> = plan
        .models
        .iter()
        .map(|model| model.id)
        .chain(plan.duplicates.iter().map(|duplicate| duplicate.model_id))
        .collect();
    plan.deleted = job
        .model_ids
        .iter()
        .copied()
        .filter(|id| !present.contains(id))
        .collect();
    Ok(plan)
}

/// Measures every model, then compares.
async fn run(
    state: &AppState,
    job_id: i64,
    owner: &str,
    plan: &ComparisonPlan,
    lost: &AtomicBool,
) -> Result<ComparisonResult, ServiceError> {
    let metric_measures: Vec<Measure> = plan
        .measures
        .iter()
        .copied()
        .filter(|measure| measure.metric().is_some())
        .collect();
    let mut models = Vec::with_capacity(plan.models.len());
    let mut excluded = Vec::new();
    for &model_id in &plan.deleted {
        excluded.extend(plan.measures.iter().map(|measure| Exclusion {
            model_id,
            measure: measure.label().to_owned(),
            reason: "the model was deleted before the comparison ran".to_owned(),
        }));
    }
    for (index, record) in plan.models.iter().enumerate() {
        if lost.load(Ordering::Acquire) {
            return Err(ServiceError::Cancelled);
        }
        let mut values = BTreeMap::new();
        if let Some(n_trials) = plan.n_trials {
            let evaluation_plan = EvaluationPlan {
                task: evaluation_task(&record.manifest, None)?,
                n_trials,
                seed: plan.seed,
                input_noise: 0.0,
                per_trial: false,
                decision_time: false,
            };
            let evaluate = || async {
                evaluate_stored(state, record, evaluation_plan.clone(), &state.limits.work()).await
            };
            match patiently(evaluate).await {
                Ok(evaluation) => {
                    values.insert(
                        Measure::Accuracy.label().to_owned(),
                        evaluation.scores.accuracy,
                    );
                }
                Err(error) => exclude(error, record.id, &[Measure::Accuracy], &mut excluded)?,
            }
        }
        if let Some(config) = &plan.metrics_config {
            let measure = || async {
                measure_stored_model(state, record, config.clone(), &state.limits.work()).await
            };
            match patiently(measure).await {
                Ok(metrics) => {
                    for measure in &metric_measures {
                        let metric = measure.metric().expect("metric measures only");
                        match metrics.report.value(metric) {
                            Some(value) if value.is_finite() => {
                                values.insert(measure.label().to_owned(), value);
                            }
                            found => excluded.push(Exclusion {
                                model_id: record.id,
                                measure: measure.label().to_owned(),
                                reason: match found {
                                    Some(value) => format!("the value is {value}, not finite"),
                                    None => metrics
                                        .report
                                        .undefined
                                        .iter()
                                        .find(|undefined| undefined.metric == metric)
                                        .map(|undefined| undefined.reason.clone())
                                        .unwrap_or_else(|| "not computed".to_owned()),
                                },
                            }),
                        }
                    }
                }
                Err(error) => exclude(error, record.id, &metric_measures, &mut excluded)?,
            }
        }
        models.push(MeasuredModel {
            model_id: record.id,
            name: record.name.clone(),
            variant: record.variant,
            seed: record.seed,
            values,
        });
        job_store::set_progress(&state.store, job_id, owner, index as u64 + 1).await?;
    }
    let by_measure = statistics::compare(&plan.measures, &plan.groups, &models, plan.seed);
    let table = table::render(&plan.groups, &by_measure);
    let summary_config = SummaryConfig::with_seed(plan.seed);
    Ok(ComparisonResult {
        task: plan.task,
        group_by: GroupBy::Variant,
        measures: plan
            .measures
            .iter()
            .map(|measure| measure.label().to_owned())
            .collect(),
        groups: plan.groups.clone(),
        n_models: plan.models.len(),
        n_trials: plan.n_trials,
        seed: plan.seed,
        metrics_config: plan.metrics_config.clone(),
        confidence_level: summary_config.confidence_level,
        n_resamples: summary_config.n_resamples,
        by_measure,
        table,
        models,
        excluded,
        duplicates: plan.duplicates.clone(),
    })
}

/// Runs `attempt` until the inference pool admits it: a job waits its turn rather than fail
/// on a pool that interactive requests keep busy.
async fn patiently<T, F, Fut>(mut attempt: F) -> Result<T, ServiceError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ServiceError>>,
{
    loop {
        match attempt().await {
            Err(ServiceError::Busy { retry_after_s }) => {
                tokio::time::sleep(Duration::from_secs(retry_after_s.max(1))).await;
            }
            outcome => return outcome,
        }
    }
}

/// Records a model's refusal (gone, or a 4xx such as a matrix `core` cannot measure) as an
/// exclusion from `measures`; any other error fails the job.
fn exclude(
    error: ServiceError,
    model_id: i64,
    measures: &[Measure],
    excluded: &mut Vec<Exclusion>,
) -> Result<(), ServiceError> {
    let reason = match &error {
        ServiceError::NotFound { .. } => {
            "the model was deleted while the comparison ran".to_owned()
        }
        ServiceError::Invalid { .. } | ServiceError::DeadlineExceeded { .. } => error.to_string(),
        _ => return Err(error),
    };
    excluded.extend(measures.iter().map(|measure| Exclusion {
        model_id,
        measure: measure.label().to_owned(),
        reason: reason.clone(),
    }));
    Ok(())
}

/// The problem body a failed job stores.
fn problem_of(error: ServiceError) -> Problem {
    ApiError::from(error).problem()
}
