//! The results browser: server-rendered HTML (maud templates, compiled in and escaped by
//! construction), no JavaScript, so every page works with scripts off.
//!
//! - `/ui/`: the models table, with the API's filters, sorting and pages;
//! - `/ui/models/{id}`: a model's manifest, its figures (the SVG endpoints of
//!   [`crate::routes::figures`]), its history and an evaluate form;
//! - `/ui/comparisons` and `/ui/comparisons/{job_id}`: jobs, and a finished job's table,
//!   figures and CSV.
//!
//! Pages read through the same store and services as the API, and the same access rules hold:
//! with `--read-token` a browser cannot send the bearer token, so the pages answer 401 there;
//! figures not yet cached and the evaluate form need the write token when one is set.

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;

use crate::auth::{ReadAccess, WriteAccess};
use crate::error::{ApiError, ApiPath, ApiQuery};
use crate::routes::API_PREFIX;
use crate::routes::models::{HistorySummary, parse_sort};
use crate::service::comparison::ComparisonResult;
use crate::service::evaluation::{self, EvaluationAsk};
use crate::service::models as model_service;
use crate::state::AppState;
use crate::store::comparisons as job_store;
use crate::store::models::{self as model_store, ModelFilter, ModelRecord};

/// The browser's routes (not part of the OpenAPI spec: they answer HTML).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/ui/") }))
        .route("/ui", get(|| async { Redirect::permanent("/ui/") }))
        .route("/ui/", get(models_page))
        .route("/ui/models/{id}", get(model_page))
        .route("/ui/models/{id}/evaluate", post(evaluate_form))
        .route("/ui/comparisons", get(comparisons_page))
        .route("/ui/comparisons/{job_id}", get(comparison_page))
}

const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#1f3a5f;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:baseline}
header a{color:#fff;text-decoration:none}header strong{font-size:1.2em}
main{padding:1em 1.5em;max-width:1200px}
table{border-collapse:collapse;background:#fff;font-size:.92em}
th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}th{background:#eef2f7}
td.num{text-align:right;font-variant-numeric:tabular-nums}
form.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:end;margin:.8em 0}
label{display:flex;flex-direction:column;font-size:.85em}
img.figure{max-width:100%;background:#fff;border:1px solid #ddd;margin:.4em 0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1em}
.muted{color:#666}.pages{margin:.8em 0;display:flex;gap:1em}
pre{background:#fff;border:1px solid #ddd;padding:.6em;overflow:auto;max-height:28em}
";

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Blueprint" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    strong { a href="/ui/" { "Blueprint" } }
                    a href="/ui/" { "Models" }
                    a href="/ui/comparisons" { "Comparisons" }
                    a href="/docs/" { "API docs" }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// The models table's query: the API's filters, sort and page.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelsPageQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub task: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub variant: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub field: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub name_prefix: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub tag: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub sort: Option<String>,
    pub offset: Option<u64>,
}

/// An empty form field (`task=`) is no filter.
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(value.filter(|v| !v.is_empty()))
}

const PAGE: u32 = 50;

async fn models_page(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiQuery(query): ApiQuery<ModelsPageQuery>,
) -> Result<Markup, ApiError> {
    let parse = |what: &str, error: String| {
        ApiError::bad_request("invalid_query_parameter", format!("{what}: {error}"))
    };
    let filter = ModelFilter {
        task: query
            .task
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: blueprint_core::task::TaskError| parse("task", e.to_string()))?,
        variant: query
            .variant
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: blueprint_core::network::UnknownVariant| {
                parse("variant", e.to_string())
            })?,
        field: query.field.clone(),
        name_prefix: query.name_prefix.clone(),
        tag: query.tag.clone(),
        ..ModelFilter::default()
    };
    let order = parse_sort(query.sort.as_deref())?;
    let offset = query.offset.unwrap_or(0).min(i64::MAX as u64);
    let listing = model_store::list(&state.store, &filter, order, PAGE, offset).await?;
    // The active filters, kept by every link of the page.
    let filters: Vec<(&str, String)> = [
        ("task", &query.task),
        ("variant", &query.variant),
        ("field", &query.field),
        ("name_prefix", &query.name_prefix),
        ("tag", &query.tag),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.clone().map(|value| (key, value)))
    .collect();
    let link = |offset: u64| {
        let mut pairs = filters.clone();
        pairs.extend(query.sort.clone().map(|sort| ("sort", sort)));
        pairs.push(("offset", offset.to_string()));
        format!("/ui/?{}", encode_query(&pairs))
    };
    let sort_link = |key: &str| {
        let next = if query.sort.as_deref() == Some(key) {
            format!("-{key}")
        } else {
            key.to_owned()
        };
        let mut pairs = filters.clone();
        pairs.push(("sort", next));
        format!("/ui/?{}", encode_query(&pairs))
    };
    let body = html! {
        form.filters method="get" action="/ui/" {
            label { "Task" select name="task" {
                option value="" { "any" }
                @for task in blueprint_core::task::TaskKind::ALL {
                    option value=(task.as_str()) selected[query.task.as_deref() == Some(task.as_str())] { (task.as_str()) }
                }
            } }
            label { "Variant" select name="variant" {
                option value="" { "any" }
                @for variant in blueprint_core::network::Variant::ALL {
                    option value=(variant.label()) selected[query.variant.as_deref() == Some(variant.label())] { (variant.label()) }
                }
            } }
            label { "Field" input type="text" name="field" size="8" value=[query.field.as_deref()]; }
            label { "Name starts with" input type="text" name="name_prefix" value=[query.name_prefix.as_deref()]; }
            label { "Tag" input type="text" name="tag" size="12" value=[query.tag.as_deref()]; }
            label { "Sort" select name="sort" {
                @for (key, name) in [("id", "id ↑"), ("-id", "id ↓"), ("-val_accuracy", "held-out accuracy ↓"),
                    ("val_accuracy", "held-out accuracy ↑"), ("name", "name"), ("seed", "seed"), ("-created", "newest")] {
                    option value=(key) selected[query.sort.as_deref() == Some(key)] { (name) }
                }
            } }
            button type="submit" { "Filter" }
        }
        p.muted { (listing.total) " models match; showing " (offset.min(listing.total)) "–" (offset + listing.models.len() as u64) "." }
        table {
            thead { tr {
                th { a href=(sort_link("id")) { "id" } }
                th { a href=(sort_link("name")) { "name" } }
                th { "task" } th { "variant" } th { "field" } th { "units" }
                th { a href=(sort_link("seed")) { "seed" } }
                th { a href=(sort_link("val_accuracy")) { "held-out accuracy" } }
                th { "tags" }
            } }
            tbody {
                @for model in &listing.models {
                    tr {
                        td.num { a href=(format!("/ui/models/{}", model.id)) { (model.id) } }
                        td { a href=(format!("/ui/models/{}", model.id)) { (model.name) } }
                        td { (model.task.as_str()) }
                        td { code { (model.variant.label()) } }
                        td { (model.field) }
                        td.num { (model.hidden_size) }
                        td.num { (model.seed) }
                        td.num { (accuracy_text(model)) }
                        td { @for tag in &model.tags {
                            a href=(format!("/ui/?tag={}", percent_encode(tag))) { code { (tag) } } " "
                        } }
                    }
                }
            }
        }
        div.pages {
            @if offset > 0 { a href=(link(offset.saturating_sub(u64::from(PAGE)))) { "← previous" } }
            @if offset + (listing.models.len() as u64) < listing.total { a href=(link(offset + u64::from(PAGE))) { "next →" } }
        }
    };
    Ok(page("Models", body))
}

fn accuracy_text(model: &ModelRecord) -> String {
    model
        .manifest
        .outcome
        .as_ref()
        .map_or_else(|| "–".to_owned(), |o| format!("{:.3}", o.val_accuracy))
}

async fn model_page(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
) -> Result<Markup, ApiError> {
    let record = model_service::get(&state, id).await?;
    let history = model_store::history(&state.store, id).await?;
    Ok(model_markup(&record, history.as_deref(), None))
}

fn model_markup(
    record: &ModelRecord,
    history: Option<&[blueprint_core::history::EpochRecord]>,
    evaluation: Option<&evaluation::Evaluation>,
) -> Markup {
    let id = record.id;
    let figures = format!("{API_PREFIX}/models/{id}/figures");
    let manifest = &record.manifest;
    let summary = history.and_then(HistorySummary::of);
    let body = html! {
        table {
            tr { th { "task" } td { (record.task.as_str()) } }
            tr { th { "variant" } td { code { (record.variant.label()) } } }
            tr { th { "dataset / field" } td { (record.dataset) " / " (record.field) } }
            tr { th { "units" } td { (record.hidden_size) } }
            tr { th { "seed" } td { (record.seed) } }
            tr { th { "positive" } td { (record.positive) } }
            tr { th { "epochs · λ · learning rate" } td {
                (manifest.training.epochs) " · " (manifest.training.lambda) " · " (manifest.training.learning_rate)
            } }
            tr { th { "held-out accuracy (trainer)" } td { (accuracy_text(record)) } }
            tr { th { "tags" } td { @for tag in &record.tags { code { (tag) } " " } } }
            tr { th { "note" } td { (record.note) } }
            tr { th { "SHA-256" } td { code { (record.sha256) } } }
            tr { th { "downloads" } td {
                a href=(format!("{API_PREFIX}/models/{id}/onnx")) { "model.onnx" } " · "
                a href=(format!("{API_PREFIX}/models/{id}")) { "manifest (JSON)" }
                @if summary.is_some() { " · " a href=(format!("{API_PREFIX}/models/{id}/history")) { "history (JSON)" } }
            } }
        }
        h2 { "Evaluate" }
        form method="post" action=(format!("/ui/models/{id}/evaluate")) {
            label { "Held-out trials" input type="number" name="n_trials" min="1" value="2560"; }
            label { "Seed" input type="number" name="seed" min="0" value="1"; }
            button type="submit" { "Evaluate" }
        }
        @if let Some(evaluation) = evaluation {
            h3 { "Accuracy " (format!("{:.4}", evaluation.scores.accuracy)) " on " (evaluation.n_trials) " trials (seed " (evaluation.seed) "; chance " (evaluation.chance) ")" }
            table {
                thead { tr { th { "condition" } th { "trials" } th { "accuracy" } } }
                tbody { @for condition in &evaluation.scores.per_condition {
                    tr { td { (condition.condition) } td.num { (condition.n_trials) }
                         td.num { (condition.accuracy.map_or("–".to_owned(), |a| format!("{a:.3}"))) } }
                } }
            }
            @if let Some(fit) = evaluation.scores.psychometric.as_ref().and_then(|p| p.fit) {
                p { "Logistic fit: PSE " (format!("{:+.2}", fit.pse)) " % coherence, threshold " (format!("{:.2}", fit.threshold)) " %, slope " (format!("{:.4}", fit.slope)) " per %." }
            }
        }
        h2 { "Figures" }
        div.figures {
            @if summary.is_some() {
                figure { img.figure src=(format!("{figures}/learning-curve.svg")) alt="learning curve"; figcaption { "Learning curve" } }
            } @else {
                p.muted { "No learning curve: the model was registered without its history.jsonl." }
            }
            @if record.task == blueprint_core::task::TaskKind::PerceptualDm {
                figure { img.figure src=(format!("{figures}/psychometric.svg")) alt="psychometric curve"; figcaption { "Psychometric curve (2560 held-out trials, seed 1)" } }
            }
            figure { img.figure src=(format!("{figures}/conditions.svg")) alt="accuracy by condition"; figcaption { "Accuracy by condition (2560 held-out trials, seed 1)" } }
            figure { img.figure src=(format!("{figures}/weights.svg")) alt="W_rec heatmap"; figcaption { "Recurrent weights" } }
        }
        @if let Some(summary) = &summary {
            h2 { "History" }
            table {
                thead { tr { th { "epoch" } th { "training accuracy" } th { "held-out accuracy" } th { "training loss" } th { "held-out loss" } } }
                tbody { @for epoch in 0..summary.epochs {
                    tr { td.num { (epoch + 1) }
                         td.num { (format!("{:.4}", summary.train_accuracy[epoch])) }
                         td.num { (format!("{:.4}", summary.val_accuracy[epoch])) }
                         td.num { (format!("{:.4}", summary.train_loss[epoch])) }
                         td.num { (format!("{:.4}", summary.val_loss[epoch])) } }
                } }
            }
        }
        h2 { "Manifest" }
        pre { (serde_json::to_string_pretty(manifest).unwrap_or_default()) }
    };
    page(&format!("Model {id}: {}", record.name), body)
}

/// The evaluate form's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateForm {
    pub n_trials: usize,
    pub seed: u64,
}

async fn evaluate_form(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiPath(id): ApiPath<i64>,
    form: Result<Form<EvaluateForm>, FormRejection>,
) -> Result<Response, ApiError> {
    // A form that cannot be read is a problem+json like every other refusal.
    let Form(form) = form.map_err(|rejection| {
        ApiError::bad_request(
            "invalid_form",
            format!(
                "the evaluate form needs n_trials and seed as whole numbers: {}",
                rejection.body_text()
            ),
        )
    })?;
    let record = model_service::get(&state, id).await?;
    let ask = EvaluationAsk {
        task: None,
        n_trials: form.n_trials,
        seed: form.seed,
        input_noise: None,
        allow_training_seed: false,
        per_trial: false,
        decision_time: false,
    };
    let plan = evaluation::plan(&record, &ask, state.limits.max_eval_trials)?;
    let work = state.limits.work();
    let result = evaluation::evaluate_stored(&state, &record, plan, &work).await?;
    let history = model_store::history(&state.store, id).await?;
    Ok(model_markup(&record, history.as_deref(), Some(&result)).into_response())
}

async fn comparisons_page(
    State(state): State<AppState>,
    _access: ReadAccess,
) -> Result<Markup, ApiError> {
    let (jobs, total) = job_store::list(&state.store, 100, 0).await?;
    let body = html! {
        p.muted { (total) " comparison jobs; the newest 100 are listed. Start one with "
            code { "POST " (API_PREFIX) "/comparisons" } " (see the API docs)." }
        table {
            thead { tr { th { "job" } th { "status" } th { "models" } th { "created" } th { "request" } } }
            tbody { @for job in &jobs {
                tr {
                    td.num { a href=(format!("/ui/comparisons/{}", job.id)) { (job.id) } }
                    td { (job.status.as_str()) }
                    td.num { (job.done) " / " (job.total) }
                    td { (job.created_at) }
                    td { code { (job.request) } }
                }
            } }
        }
    };
    Ok(page("Comparisons", body))
}

async fn comparison_page(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(job_id): ApiPath<i64>,
) -> Result<Markup, ApiError> {
    let job = job_store::get(&state.store, job_id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            code: "comparison_not_found",
            detail: format!("there is no comparison job with id {job_id}"),
        })?;
    let result: Option<ComparisonResult> = job
        .result
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("comparison {job_id}: {error}")))?;
    let body = html! {
        p { "Status: " strong { (job.status.as_str()) } " · " (job.done) " of " (job.total) " models measured · "
            a href=(format!("{API_PREFIX}/comparisons/{job_id}")) { "JSON" }
            @if result.is_some() { " · " a href=(format!("{API_PREFIX}/comparisons/{job_id}?format=csv")) { "CSV (one row per model and measure)" } }
        }
        pre { (job.request) }
        @if let Some(result) = &result {
            h2 { "Groups (mean and " (result.table.interval) "-interval)" }
            (PreEscaped(csv_table_to_html(&result.table.csv)))
            h2 { "Figures" }
            div.figures {
                @for measure in &result.measures {
                    figure { img.figure src=(format!("{API_PREFIX}/comparisons/{job_id}/figures/{measure}.svg")) alt=(measure); figcaption { (measure) } }
                }
            }
            @if !result.excluded.is_empty() {
                h2 { "Excluded values" }
                ul { @for exclusion in &result.excluded { li { "model " (exclusion.model_id) ", " (exclusion.measure) ": " (exclusion.reason) } } }
            }
        }
        @if let Some(problem) = &job.problem { h2 { "Problem" } pre { (problem) } }
    };
    Ok(page(&format!("Comparison {job_id}"), body))
}

/// The comparison table's CSV as an HTML table, every cell escaped.
fn csv_table_to_html(csv_text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .filter_map(Result::ok)
        .map(|record| record.iter().map(str::to_owned).collect())
        .collect();
    let Some((header, body)) = rows.split_first() else {
        return String::new();
    };
    html! {
        table {
            thead { tr { @for cell in header { th { (cell) } } } }
            tbody { @for row in body { tr { @for (i, cell) in row.iter().enumerate() {
                @if i == 0 { td { code { (cell) } } } @else { td.num { (cell) } }
            } } } }
        }
    }
    .into_string()
}

/// `key=value&…`, percent-encoded.
fn encode_query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
