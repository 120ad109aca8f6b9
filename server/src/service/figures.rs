//! Figures of stored models and finished comparisons, as SVG drawn by `core::figures`:
//!
//! - the learning curve (accuracy and loss per epoch, training and held-out) from the stored
//!   history;
//! - the psychometric curve of a perceptual-dm model (P(choose θ = 0) against signed
//!   coherence, Wilson 95% intervals, the logistic fit) and, for every task, per-condition
//!   accuracy with Wilson intervals, both from an evaluation (cached like any evaluation);
//! - `W_rec` as a heatmap ordered by its Louvain communities;
//! - one measure of a comparison: every model as a point, each group's mean and 95%
//!   t-interval.
//!
//! Model figures are deterministic in (model, figure, parameters, code), so each is cached in
//! the store under a key holding [`FIGURES_ID`] (a hash of the figure sources, from
//! `build.rs`) and the evaluator's identity. Every figure's ETag is its SVG's SHA-256.

use blueprint_core::figures::{
    self, Bar, Curve, Group, Panel, ProportionPoint, Series, interval_plot, psychometric_plot,
    weight_heatmap,
};
use blueprint_core::manifest::sha256_hex;
use blueprint_core::onnx;
use blueprint_core::stats::wilson_interval;
use blueprint_core::task::TaskKind;

use super::evaluation::{self, EvaluationAsk};
use super::{ServiceError, Work, models};
use crate::state::AppState;
use crate::store::comparisons as comparison_store;
use crate::store::models as model_store;
use crate::store::models::ModelRecord;
use crate::store::results::{self as result_store, Figure};

/// The figures' identity: a SHA-256 prefix of `core::figures`, the statistics and metrics
/// they draw with, and this module, computed by `build.rs`.
pub const FIGURES_ID: &str = env!("BLUEPRINT_FIGURES_ID");

/// Held-out trials of an evaluation figure when the request names none.
pub const DEFAULT_FIGURE_TRIALS: usize = 2560;
/// The seed of an evaluation figure's trials when the request names none.
pub const DEFAULT_FIGURE_SEED: u64 = 1;

/// What an evaluation figure is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct FigureTrials {
    pub n_trials: usize,
    pub seed: u64,
}

/// The learning curve of model `id`: accuracy (top) and loss (bottom) per epoch.
pub async fn learning_curve(state: &AppState, id: i64) -> Result<Figure, ServiceError> {
    let record = models::get(state, id).await?;
    let key = figure_key("learning-curve", serde_json::json!({}), "");
    // Drawn from stored data only: any reader may.
    cached_or_draw(state, &record, &key, true, async {
        let epochs = models::history(state, id).await?;
        let series =
            |name: &str, value: &dyn Fn(&blueprint_core::history::EpochRecord) -> f64| Curve {
                name: name.to_owned(),
                points: epochs.iter().map(|e| (e.epoch as f64, value(e))).collect(),
            };
        let title = format!("{}: learning curve", record.name);
        let accuracy = figures::line_plot(
            &title,
            "epoch",
            "accuracy (fraction correct)",
            &[
                series("training (mean over batches)", &|e| e.train_accuracy),
                series("held-out (after the epoch)", &|e| e.val_accuracy),
            ],
        )
        .map_err(drawing)?;
        let loss = figures::line_plot(
            "loss",
            "epoch",
            "cross-entropy (nats)",
            &[
                series("training (mean over batches)", &|e| e.train_loss),
                series("held-out (after the epoch)", &|e| e.val_loss),
            ],
        )
        .map_err(drawing)?;
        Ok(figures::stack_vertically(&[accuracy, loss]))
    })
    .await
}

/// The psychometric curve of a perceptual-dm model (404 `figure_not_available` for another
/// task).
pub async fn psychometric(
    state: &AppState,
    id: i64,
    trials: FigureTrials,
    work: &Work,
    may_compute: bool,
) -> Result<Figure, ServiceError> {
    let record = models::get(state, id).await?;
    if record.task != TaskKind::PerceptualDm {
        return Err(ServiceError::NotFound {
            code: "figure_not_available",
            detail: format!(
                "model {id} is a {} model; the psychometric figure is for perceptual-dm. \
                 Its per-condition accuracy is figures/conditions.svg",
                record.task
            ),
        });
    }
    let key = figure_key(
        "psychometric",
        serde_json::json!({"n_trials": trials.n_trials, "seed": trials.seed}),
        &state.identity.evaluator,
    );
    cached_or_draw(state, &record, &key, may_compute, async {
        let evaluation = evaluate(state, &record, trials, work).await?;
        let curve = evaluation.scores.psychometric.as_ref().ok_or_else(|| {
            ServiceError::internal("a perceptual-dm evaluation has no psychometric curve")
        })?;
        let points: Vec<ProportionPoint> = curve
            .points
            .iter()
            .map(|p| ProportionPoint {
                x: p.signed_coherence,
                p: p.p_theta_0,
                low: p.low,
                high: p.high,
            })
            .collect();
        let low = points.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let high = points.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
        let fitted: Option<(String, Vec<(f64, f64)>)> = curve.fit.map(|fit| {
            let name = format!(
                "logistic fit: PSE {:+.2} %, threshold {:.2} %",
                fit.pse, fit.threshold
            );
            let line = (0..=200)
                .map(|i| {
                    let x = low + (high - low) * f64::from(i) / 200.0;
                    (x, fit.probability(x))
                })
                .collect();
            (name, line)
        });
        let title = format!(
            "{}: psychometric curve ({} trials, seed {})",
            record.name, trials.n_trials, trials.seed
        );
        psychometric_plot(
            &title,
            "signed coherence (%; + toward θ = 0)",
            "P(choose θ = 0)",
            &points,
            fitted
                .as_ref()
                .map(|(name, line)| (name.as_str(), line.as_slice())),
        )
        .map_err(drawing)
    })
    .await
}

/// Accuracy per task condition, with Wilson 95% intervals and chance marked.
pub async fn conditions(
    state: &AppState,
    id: i64,
    trials: FigureTrials,
    work: &Work,
    may_compute: bool,
) -> Result<Figure, ServiceError> {
    let record = models::get(state, id).await?;
    let key = figure_key(
        "conditions",
        serde_json::json!({"n_trials": trials.n_trials, "seed": trials.seed}),
        &state.identity.evaluator,
    );
    cached_or_draw(state, &record, &key, may_compute, async {
        let evaluation = evaluate(state, &record, trials, work).await?;
        let bars: Vec<Bar> = evaluation
            .scores
            .per_condition
            .iter()
            .filter(|c| c.n_trials > 0)
            .map(|c| {
                let accuracy = c.accuracy.unwrap_or(f64::NAN);
                let hits = (accuracy * c.n_trials as f64).round() as u64;
                let interval = wilson_interval(hits, c.n_trials, 0.95)
                    .map_or((f64::NAN, f64::NAN), |i| (i.low, i.high));
                Bar {
                    label: c.condition.clone(),
                    value: accuracy,
                    low: interval.0,
                    high: interval.1,
                    n: Some(c.n_trials),
                }
            })
            .collect();
        let title = format!(
            "{}: accuracy by condition ({} trials, seed {})",
            record.name, trials.n_trials, trials.seed
        );
        interval_plot(
            &title,
            "accuracy (fraction correct, 95% Wilson)",
            &bars,
            (0.0, 1.0),
            Some((evaluation.chance, "chance")),
        )
        .map_err(drawing)
    })
    .await
}

/// `W_rec` as a heatmap, rows and columns ordered by the Louvain communities of the study's
/// binarised graph (largest community first), community boundaries drawn, the colour scale
/// symmetric at the 99th percentile of |w| (the diagonal of a bio init would otherwise wash
/// out everything else).
pub async fn weights(
    state: &AppState,
    id: i64,
    work: &Work,
    may_compute: bool,
) -> Result<Figure, ServiceError> {
    let record = models::get(state, id).await?;
    let key = figure_key("weights", serde_json::json!({}), "");
    cached_or_draw(state, &record, &key, may_compute, async {
        let bytes = model_store::onnx_bytes(&state.store, id)
            .await?
            .ok_or_else(|| ServiceError::model_not_found(id))?;
        let name = record.name.clone();
        let job_work = work.clone();
        state
            .inference
            .run(move || -> Result<String, ServiceError> {
                job_work.check()?;
                draw_weights(&name, &bytes)
            })
            .await?
    })
    .await
}

fn draw_weights(name: &str, bytes: &[u8]) -> Result<String, ServiceError> {
    let w = onnx::read_model(bytes)
        .and_then(|model| model.matrix("W_rec"))
        .map_err(|error| ServiceError::internal(format!("reading W_rec: {error}")))?
        .mapv(f64::from);
    weight_heatmap(name, w.view()).map_err(drawing)
}

/// One measure of a finished comparison: each model a point, each group's mean and 95%
/// t-interval. 404 `comparison_not_found`, `comparison_not_done`, `unknown_measure`.
pub async fn comparison(
    state: &AppState,
    job_id: i64,
    measure: &str,
) -> Result<Figure, ServiceError> {
    let job = comparison_store::get(&state.store, job_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound {
            code: "comparison_not_found",
            detail: format!("no comparison job {job_id}"),
        })?;
    let result_json = job.result.ok_or_else(|| ServiceError::NotFound {
        code: "comparison_not_done",
        detail: format!(
            "comparison {job_id} is {}; its figures exist once it is done",
            job.status.as_str()
        ),
    })?;
    let result: super::comparison::ComparisonResult = serde_json::from_str(&result_json)
        .map_err(|error| ServiceError::internal(format!("reading comparison {job_id}: {error}")))?;
    if !result.measures.iter().any(|m| m == measure) {
        return Err(ServiceError::NotFound {
            code: "unknown_measure",
            detail: format!(
                "comparison {job_id} measured {}; `{measure}` is not one of them",
                result.measures.join(", ")
            ),
        });
    }
    let categories: Vec<String> = result.groups.iter().map(|g| g.label().to_owned()).collect();
    let groups = result
        .groups
        .iter()
        .map(|group| Group {
            category: group.label().to_owned(),
            values: result
                .models
                .iter()
                .filter(|m| m.variant == *group)
                .filter_map(|m| m.values.get(measure).copied())
                .collect(),
        })
        .collect();
    let panels = [Panel {
        title: result.task.to_string(),
        series: vec![Series {
            name: measure.to_owned(),
            groups,
        }],
    }];
    let svg = figures::strip_plot(
        &format!("comparison {job_id}: {measure} by variant (mean, 95% t-interval)"),
        &measure_label(measure),
        &categories,
        &panels,
    )
    .map_err(drawing)?;
    Ok(Figure {
        etag: sha256_hex(svg.as_bytes()),
        svg,
    })
}

/// A measure's axis label with its unit.
fn measure_label(measure: &str) -> String {
    match measure {
        "accuracy" => "held-out accuracy (fraction correct)".to_owned(),
        "wiring_cost" => "wiring cost (Σ|w|·d, distance units)".to_owned(),
        other => format!("{other} (dimensionless)"),
    }
}

async fn evaluate(
    state: &AppState,
    record: &ModelRecord,
    trials: FigureTrials,
    work: &Work,
) -> Result<evaluation::Evaluation, ServiceError> {
    let ask = EvaluationAsk {
        task: None,
        n_trials: trials.n_trials,
        seed: trials.seed,
        input_noise: None,
        allow_training_seed: false,
        per_trial: false,
        decision_time: false,
    };
    let plan = evaluation::plan(record, &ask, state.limits.max_eval_trials)?;
    evaluation::evaluate_stored(state, record, plan, work).await
}

fn figure_key(figure: &str, parameters: serde_json::Value, evaluator: &str) -> String {
    serde_json::json!({
        "figure": figure,
        "parameters": parameters,
        "figures": FIGURES_ID,
        "evaluator": evaluator,
    })
    .to_string()
}

/// The cached figure of `key`, or `draw`'s, cached; drawing one that needs computation
/// (an evaluation, a partition) is for callers who may compute.
async fn cached_or_draw(
    state: &AppState,
    record: &ModelRecord,
    key: &str,
    may_compute: bool,
    draw: impl Future<Output = Result<String, ServiceError>>,
) -> Result<Figure, ServiceError> {
    if let Some(figure) = result_store::cached_figure(&state.store, record.id, key).await? {
        return Ok(figure);
    }
    if !may_compute {
        return Err(ServiceError::ComputeNotAllowed);
    }
    let svg = draw.await?;
    let figure = Figure {
        etag: sha256_hex(svg.as_bytes()),
        svg,
    };
    result_store::save_figure(&state.store, record.id, key, &figure).await?;
    Ok(figure)
}

fn drawing(error: figures::FigureError) -> ServiceError {
    match error {
        figures::FigureError::Empty(what) => ServiceError::invalid(
            "figure_empty",
            format!("the figure has nothing to draw: {what}"),
        ),
        other => ServiceError::internal(other),
    }
}
