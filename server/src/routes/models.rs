//! `/models`: register (multipart upload, validated before storing), list with filters and
//! pagination, get, download the ONNX bytes, delete.
//!
//! Registering bytes that are already stored, with the same manifest, answers **200** with the
//! existing model (and stores nothing); a new model answers **201** with a `Location`. A client
//! can therefore retry an upload safely and treat both as success. The same bytes with another
//! manifest answer **409**. The checks themselves are [`crate::service::validation`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use blueprint_core::history::EpochRecord;
use blueprint_core::manifest::ModelManifest;
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ReadAccess, WriteAccess};
use crate::error::{ApiError, ApiJson, ApiMultipart, ApiPath, ApiQuery, Problem};
use crate::routes::{client_is_current, page_bounds};
use crate::service::models::{self as model_service, Registered};
use crate::service::validation;
use crate::state::AppState;
use crate::store::models::{self as model_store, ModelFilter, ModelOrder, ModelRecord, SortKey};

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_models, register_model))
        .routes(routes!(get_model, delete_model, patch_model))
        .routes(routes!(get_model_onnx))
        .routes(routes!(get_model_history))
}

/// Largest page.
pub const MAX_PAGE: u32 = 500;
const DEFAULT_PAGE: u32 = 50;

/// A stored model with its manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Model {
    #[serde(flatten)]
    pub summary: ModelSummary,
    /// The manifest as registered, with `onnx_sha256` filled in.
    pub manifest: ModelManifest,
    /// The training and held-out curves, when the model was registered with its history
    /// (`GET /models/{id}/history` has every field of every epoch).
    pub history: Option<HistorySummary>,
}

/// A model's learning curves, one value per epoch (epoch 1 first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HistorySummary {
    pub epochs: usize,
    /// Mean accuracy over each epoch's training batches.
    pub train_accuracy: Vec<f64>,
    /// Accuracy on the held-out validation trials after each epoch.
    pub val_accuracy: Vec<f64>,
    /// Mean training cross-entropy per epoch (nats).
    pub train_loss: Vec<f64>,
    /// Held-out cross-entropy per epoch (nats).
    pub val_loss: Vec<f64>,
    /// The epoch (1-based) of the best held-out accuracy, the first on ties.
    pub best_epoch: usize,
    pub best_val_accuracy: f64,
}

impl HistorySummary {
    /// The curves of `epochs`; `None` for an empty history.
    pub fn of(epochs: &[EpochRecord]) -> Option<HistorySummary> {
        let best = epochs.iter().reduce(|best, e| {
            if e.val_accuracy > best.val_accuracy {
                e
            } else {
                best
            }
        })?;
        Some(HistorySummary {
            epochs: epochs.len(),
            train_accuracy: epochs.iter().map(|e| e.train_accuracy).collect(),
            val_accuracy: epochs.iter().map(|e| e.val_accuracy).collect(),
            train_loss: epochs.iter().map(|e| e.train_loss).collect(),
            val_loss: epochs.iter().map(|e| e.val_loss).collect(),
            best_epoch: best.epoch,
            best_val_accuracy: best.val_accuracy,
        })
    }
}

/// A model's whole training history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelHistory {
    pub model_id: i64,
    /// One record per epoch, epoch 1 first, as the trainer wrote `history.jsonl`.
    pub epochs: Vec<EpochRecord>,
}

/// A stored model, as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelSummary {
    pub id: i64,
    pub name: String,
    /// 1 for the first model registered under this name, then 2, 3, … (never reused).
    #[schema(minimum = 1)]
    pub version: i64,
    pub task: TaskKind,
    pub variant: Variant,
    /// Whether W_rec was kept ≥ 0 during training.
    pub positive: bool,
    /// The bundle the structure came from, or `synthetic`.
    pub dataset: String,
    /// The cortical field, e.g. `5_3_4`.
    pub field: String,
    pub hidden_size: usize,
    /// The training run's master seed.
    pub seed: u64,
    /// SHA-256 of the ONNX file (also its download's ETag).
    pub sha256: String,
    pub size_bytes: u64,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Held-out validation accuracy measured by the trainer, when the manifest has it.
    pub val_accuracy: Option<f64>,
    /// Set with `PATCH /models/{id}`; sorted.
    pub tags: Vec<String>,
    /// Set with `PATCH /models/{id}`; '' when none.
    pub note: String,
}

/// What `PATCH /models/{id}` changes; an absent field is left as it is.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tags": ["paper-main", "corrected"], "note": "seed 3 stalls at the maze plateau"}))]
pub struct ModelPatch {
    /// The model's tags, all of them (replacing the old ones): at most 32, each 1 to 64 of
    /// `A-Z a-z 0-9 . _ -`; repeats are dropped.
    #[schema(max_items = 32)]
    pub tags: Option<Vec<String>>,
    /// A free-text note, at most 10,000 characters ('' clears it).
    #[schema(max_length = 10000)]
    pub note: Option<String>,
}

/// One page of models.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModelPage {
    pub items: Vec<ModelSummary>,
    /// Models matching the filters, over all pages.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    /// Pass as `page_token` (with the same filters and sort) for the next page; absent on the
    /// last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// Filters (all optional, combined with AND) and pagination of `GET /models`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListModelsQuery {
    /// Only this task, e.g. `go-nogo`.
    pub task: Option<TaskKind>,
    /// Only this variant label, e.g. `W*D*C` (URL-encoded: `W%2AD%2AC`).
    pub variant: Option<Variant>,
    /// Only positive (true) or unconstrained (false) networks.
    pub positive: Option<bool>,
    /// Only this dataset (bundle name).
    pub dataset: Option<String>,
    /// Only this field key.
    pub field: Option<String>,
    /// Only models trained with this master seed.
    #[param(minimum = 0)]
    pub seed: Option<u64>,
    /// Only names starting with this text (exact, case-sensitive).
    pub name_prefix: Option<String>,
    /// Only held-out accuracy (`outcome.val_accuracy`) at least this, in [0, 1].
    #[param(minimum = 0.0, maximum = 1.0)]
    pub min_val_accuracy: Option<f64>,
    /// Only held-out accuracy at most this, in [0, 1].
    #[param(minimum = 0.0, maximum = 1.0)]
    pub max_val_accuracy: Option<f64>,
    /// Only models carrying this tag.
    #[param(max_length = 64)]
    pub tag: Option<String>,
    /// Order: `id` (default), `created`, `name`, `val_accuracy` or `seed`, ascending; prefix
    /// `-` for descending (`-val_accuracy`). Ties go by ascending id.
    #[param(pattern = "^-?(id|created|name|val_accuracy|seed)$")]
    pub sort: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Models to skip (default 0).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    pub offset: Option<u64>,
    /// The previous page's `next_page_token`: the page after it, under the same filters and
    /// sort (the token is refused with others). Not with `offset`.
    #[param(max_length = 200)]
    pub page_token: Option<String>,
}

impl ListModelsQuery {
    /// What a page token is bound to: the filters and the sort (not the page size), hashed.
    fn fingerprint(&self) -> String {
        let canonical = serde_json::json!([
            self.task.map(|task| task.as_str()),
            self.variant.map(|variant| variant.label()),
            self.positive,
            self.dataset,
            self.field,
            self.seed,
            self.name_prefix,
            self.min_val_accuracy,
            self.max_val_accuracy,
            self.tag,
            self.sort,
        ]);
        blueprint_core::manifest::sha256_hex(canonical.to_string().as_bytes())[..16].to_owned()
    }
}

/// The opaque token of the page at `offset` of the query with `fingerprint`: hex of
/// `m1.OFFSET.FINGERPRINT`.
fn page_token(offset: u64, fingerprint: &str) -> String {
    format!("m1.{offset}.{fingerprint}")
        .bytes()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The offset a page token stands for, when it was issued for `fingerprint`; 400
/// `invalid_page_token` otherwise.
fn offset_of_token(token: &str, fingerprint: &str) -> Result<u64, ApiError> {
    let refused = |why: &str| ApiError::bad_request("invalid_page_token", why.to_owned());
    let bytes: Option<Vec<u8>> = (token.len().is_multiple_of(2) && token.is_ascii())
        .then(|| {
            (0..token.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
                .collect()
        })
        .flatten();
    let text = bytes
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| refused("page_token is not a token this server issued"))?;
    let mut parts = text.split('.');
    let (Some("m1"), Some(offset), Some(issued_for), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused("page_token is not a token this server issued"));
    };
    let offset: u64 = offset
        .parse()
        .map_err(|_| refused("page_token is not a token this server issued"))?;
    if issued_for != fingerprint {
        return Err(refused(
            "page_token was issued for other filters or another sort; repeat them, or start \
             again without a token",
        ));
    }
    Ok(offset)
}

/// The multipart form of `POST /models` (for the docs; the handler reads the parts itself).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ModelUpload {
    /// The ONNX file.
    #[schema(value_type = String, format = Binary)]
    pub model: Vec<u8>,
    /// The manifest JSON. Optional: without it, the manifest embedded in the file's metadata
    /// (`blueprint.manifest`) is used.
    #[schema(value_type = Option<String>)]
    pub manifest: Option<String>,
    /// The run's `history.jsonl` (one epoch record per line). Optional; when sent it must be
    /// exactly the run the manifest describes (epochs 1..E with E the manifest's
    /// `outcome.epochs_run`, finite numbers, the last held-out accuracy the manifest's), or
    /// the upload is refused (422 `history_invalid`) and nothing is stored.
    #[schema(value_type = Option<String>, format = Binary)]
    pub history: Option<String>,
}

/// The bytes of an ONNX file (for the docs).
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct OnnxFile(Vec<u8>);

/// Lists models, filtered, sorted (by ascending id unless `sort` says otherwise) and paginated.
#[utoipa::path(
    get,
    path = "/models",
    tag = "models",
    params(ListModelsQuery),
    responses(
        (status = 200, description = "One page of models", body = ModelPage),
        (status = 400, description = "A filter or pagination value is invalid (`invalid_page_token`: a token not issued for these filters and sort, or with `offset`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn list_models(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiQuery(query): ApiQuery<ListModelsQuery>,
) -> Result<Json<ModelPage>, ApiError> {
    let fingerprint = query.fingerprint();
    let from_token = match &query.page_token {
        Some(_) if query.offset.is_some() => {
            return Err(ApiError::bad_request(
                "invalid_page_token",
                "give page_token or offset, not both",
            ));
        }
        Some(token) => Some(offset_of_token(token, &fingerprint)?),
        None => None,
    };
    let (limit, offset) = page_bounds(
        query.limit,
        from_token.or(query.offset),
        DEFAULT_PAGE,
        MAX_PAGE,
    )?;
    for (name, bound) in [
        ("min_val_accuracy", query.min_val_accuracy),
        ("max_val_accuracy", query.max_val_accuracy),
    ] {
        if let Some(value) = bound
            && !(0.0..=1.0).contains(&value)
        {
            return Err(ApiError::bad_request(
                "invalid_query_parameter",
                format!("{name} must be an accuracy in [0, 1], got {value}"),
            ));
        }
    }
    if let Some(tag) = &query.tag
        && !(1..=64).contains(&tag.len())
    {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("tag must be 1 to 64 characters, got {}", tag.len()),
        ));
    }
    let order = parse_sort(query.sort.as_deref())?;
    let filter = ModelFilter {
        task: query.task,
        variant: query.variant,
        positive: query.positive,
        dataset: query.dataset,
        field: query.field,
        seed: query.seed,
        name_prefix: query.name_prefix,
        min_val_accuracy: query.min_val_accuracy,
        max_val_accuracy: query.max_val_accuracy,
        tag: query.tag,
    };
    let page = model_store::list(&state.store, &filter, order, limit, offset).await?;
    let next = offset.saturating_add(page.models.len() as u64);
    Ok(Json(ModelPage {
        next_page_token: (!page.models.is_empty() && next < page.total)
            .then(|| page_token(next, &fingerprint)),
        items: page.models.into_iter().map(ModelSummary::from).collect(),
        total: page.total,
        limit,
        offset,
    }))
}

/// `sort=`: a key of [`SortKey::ALL`], `-` first for descending; 400 `invalid_sort` listing
/// the keys otherwise.
pub fn parse_sort(sort: Option<&str>) -> Result<ModelOrder, ApiError> {
    let Some(text) = sort else {
        return Ok(ModelOrder::default());
    };
    let (descending, name) = match text.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, text),
    };
    SortKey::ALL
        .iter()
        .find(|(_, key)| *key == name)
        .map(|&(key, _)| ModelOrder { key, descending })
        .ok_or_else(|| {
            let keys: Vec<&str> = SortKey::ALL.iter().map(|(_, key)| *key).collect();
            ApiError::bad_request(
                "invalid_sort",
                format!(
                    "unknown sort key `{text}`; sort by one of {} (prefix `-` for descending)",
                    keys.join(", ")
                ),
            )
        })
}

/// Registers a model: validates the ONNX file against its manifest, then stores both
/// atomically.
///
/// Identical bytes already stored: 200 with the existing model, nothing stored.
#[utoipa::path(
    post,
    path = "/models",
    tag = "models",
    request_body(content = ModelUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored", body = Model,
            headers(("Location" = String, description = "The new model's URL"))),
        (status = 200, description = "These bytes were already stored with this manifest; the existing model", body = Model),
        (status = 400, description = "The form cannot be read (`missing_part`, `malformed_multipart`, `manifest_not_json`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "These bytes are stored already with another manifest (`duplicate_manifest_differs`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `multipart/form-data`", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "A token is configured and was not sent (`missing_token`) or is wrong (`invalid_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The upload is larger than the configured limit", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Not a valid Blueprint model; the code names the failed check \
            (`unknown_task`, `unknown_variant`, `manifest_invalid`, `manifest_missing`, `checksum_mismatch`, \
            `onnx_unparseable`, `manifest_mismatch`, `hidden_size_mismatch`, `onnx_weights_invalid` (also a \
            non-finite weight or one beyond 1e4, naming the tensor), `onnx_signature_mismatch`, \
            `graph_not_canonical` (not exactly the Blueprint graph of its weights; the first difference is named), \
            `onnx_unloadable`, `onnx_output_mismatch`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The inference pool is saturated; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register_model(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiMultipart(multipart): ApiMultipart,
) -> Result<Response, ApiError> {
    let upload = read_upload(multipart).await?;
    let bytes = upload.model;
    let manifest = match &upload.manifest {
        Some(text) => validation::parse_manifest(text)?,
        None => validation::embedded_manifest(&bytes)?,
    };
    let (status, record) =
        match model_service::register(&state, manifest, bytes.to_vec(), upload.history.as_deref())
            .await?
        {
            Registered::Created(record) => (StatusCode::CREATED, record),
            Registered::Existing(record) => (StatusCode::OK, record),
        };
    let history = model_store::history(&state.store, record.id).await?;
    let mut headers = HeaderMap::new();
    if status == StatusCode::CREATED {
        let location = format!("/api/v1/models/{}", record.id);
        headers.insert(
            header::LOCATION,
            HeaderValue::from_str(&location).expect("a path of digits is a valid header"),
        );
    }
    Ok((
        status,
        headers,
        Json(Model::new(record, history.as_deref())),
    )
        .into_response())
}

/// One model with its manifest.
#[utoipa::path(
    get,
    path = "/models/{id}",
    tag = "models",
    params(("id" = i64, Path, description = "The model's id")),
    responses(
        (status = 200, description = "The model", body = Model),
        (status = 400, description = "The id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_model(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Model>, ApiError> {
    let record = model_store::get(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    let history = model_store::history(&state.store, id).await?;
    Ok(Json(Model::new(record, history.as_deref())))
}

/// The model's training history: every epoch's losses, accuracies, penalty and time, as the
/// trainer recorded them.
#[utoipa::path(
    get,
    path = "/models/{id}/history",
    tag = "models",
    params(("id" = i64, Path, description = "The model's id")),
    responses(
        (status = 200, description = "The history", body = ModelHistory),
        (status = 400, description = "The id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`), or it was registered \
            without a history (`history_not_stored`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_model_history(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ModelHistory>, ApiError> {
    let epochs = model_service::history(&state, id).await?;
    Ok(Json(ModelHistory {
        model_id: id,
        epochs,
    }))
}

/// The model's ONNX file. The ETag is its SHA-256; `If-None-Match` with it answers 304.
#[utoipa::path(
    get,
    path = "/models/{id}/onnx",
    tag = "models",
    params(("id" = i64, Path, description = "The model's id")),
    responses(
        (status = 200, description = "The ONNX file", content_type = "application/octet-stream",
            body = OnnxFile, headers(("ETag" = String, description = "The file's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The id is not a 64-bit integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn get_model_onnx(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let record = model_store::get(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    let etag = format!("\"{}\"", record.sha256);
    let etag_header = HeaderValue::from_str(&etag).expect("hex digits are a valid header");
    if client_is_current(&request_headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response());
    }
    let bytes = model_store::onnx_bytes(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::model_not_found(id))?;
    let disposition = format!(
        "attachment; filename=\"{}.onnx\"",
        file_stem(&record.name, record.id)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::ETAG, etag_header),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).expect("the stem is ASCII"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Sets a model's tags and note (for search and the results browser); the model itself never
/// changes.
#[utoipa::path(
    patch,
    path = "/models/{id}",
    tag = "models",
    params(("id" = i64, Path, description = "The model's id")),
    request_body = ModelPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The model with its new tags and note", body = Model),
        (status = 400, description = "The body is not JSON (`malformed_json`) or the id is not an integer",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token is configured and was not sent (`missing_token`) or is wrong (`invalid_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the configured limit", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`invalid_tags`, `invalid_note`, or a body of the wrong shape (`invalid_body`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn patch_model(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<Model>, ApiError> {
    // serde reads a struct from a JSON array too; the body must be an object.
    if !body.is_object() {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "the body must be a JSON object with `tags` and/or `note`",
        ));
    }
    let patch: ModelPatch = serde_json::from_value(body)
        .map_err(|error| ApiError::unprocessable("invalid_body", error.to_string()))?;
    let record = model_service::annotate(&state, id, patch.tags, patch.note).await?;
    let history = model_store::history(&state.store, id).await?;
    Ok(Json(Model::new(record, history.as_deref())))
}

/// Deletes a model, its file and its cached evaluations.
#[utoipa::path(
    delete,
    path = "/models/{id}",
    tag = "models",
    params(("id" = i64, Path, description = "The model's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a 64-bit integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "A token is configured and was not sent or is wrong",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn delete_model(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    model_service::delete(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The parts of an upload.
struct Upload {
    model: Bytes,
    manifest: Option<String>,
    history: Option<String>,
}

/// Reads the `model`, `manifest` and `history` parts; any other part is refused so a misspelt
/// name fails loudly instead of being ignored.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, ApiError> {
    let mut model = None;
    let mut manifest = None;
    let mut history = None;
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "model" if model.is_none() => model = Some(field.bytes().await?),
            "manifest" if manifest.is_none() => manifest = Some(field.text().await?),
            "history" if history.is_none() => history = Some(field.text().await?),
            "model" | "manifest" | "history" => {
                return Err(ApiError::bad_request(
                    "duplicate_part",
                    format!("the form has more than one `{name}` part"),
                ));
            }
            _ => {
                return Err(ApiError::bad_request(
                    "unexpected_part",
                    format!(
                        "unexpected form part `{name}`; send `model` (the ONNX file), `manifest` \
                         (JSON) and optionally `history` (history.jsonl)"
                    ),
                ));
            }
        }
    }
    let model = model.ok_or_else(|| {
        ApiError::bad_request(
            "missing_part",
            "the form has no `model` part (the ONNX file)",
        )
    })?;
    Ok(Upload {
        model,
        manifest,
        history,
    })
}

/// A file name from the model's name: ASCII letters, digits, `.`, `-` and `_` kept, anything
/// else (`*`, `!`, quotes, slashes) replaced by `_`.
fn file_stem(name: &str, id: i64) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.trim_matches(['.', '_']).is_empty() {
        format!("model-{id}")
    } else {
        stem
    }
}

impl From<ModelRecord> for ModelSummary {
    fn from(record: ModelRecord) -> ModelSummary {
        ModelSummary {
            val_accuracy: record
                .manifest
                .outcome
                .as_ref()
                .map(|outcome| outcome.val_accuracy),
            id: record.id,
            name: record.name,
            version: record.version,
            task: record.task,
            variant: record.variant,
            positive: record.positive,
            dataset: record.dataset,
            field: record.field,
            hidden_size: record.hidden_size,
            seed: record.seed,
            sha256: record.sha256,
            size_bytes: record.size_bytes,
            created_at: record.created_at,
            tags: record.tags,
            note: record.note,
        }
    }
}

impl Model {
    /// The model's answer: its record and, when stored, its history's curves.
    pub fn new(record: ModelRecord, history: Option<&[EpochRecord]>) -> Model {
        let manifest = record.manifest.clone();
        Model {
            summary: ModelSummary::from(record),
            manifest,
            history: history.and_then(HistorySummary::of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_stem("6_6_2-go-nogo-W*D*C-s7", 3),
            "6_6_2-go-nogo-W_D_C-s7"
        );
        assert_eq!(file_stem("../etc/\"x\"", 3), ".._etc__x_");
        assert_eq!(file_stem("***", 3), "model-3");
    }
}
