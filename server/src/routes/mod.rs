//! The HTTP API: one module per resource, each owning its router, handlers and types, all
//! registered through [`api_router`], the one builder both the served router and the OpenAPI
//! spec come from, so the spec cannot drift from the routes.

pub mod comparisons;
pub mod evaluations;
pub mod figures;
pub mod health;
pub mod metrics;
pub mod models;
pub mod tasks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
/// Where the spec is served.
pub const OPENAPI_PATH: &str = "/api/openapi.json";
/// Where the browsable docs are served.
pub const DOCS_PATH: &str = "/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Blueprint",
        description = "Recurrent networks built from MICrONS cortex data: a persistent model \
            store, ONNX Runtime inference, task evaluation, network metrics and comparisons of \
            groups of models.\n\nEvery error is an RFC 9457 \
            `application/problem+json` body with a machine-readable `code`. Write endpoints \
            need `Authorization: Bearer <token>` when the server has a token.",
        license(name = "MIT"),
    ),
    modifiers(&BearerToken),
    components(schemas(Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "tasks", description = "The study's three decision tasks"),
        (name = "models", description = "The model store"),
        (name = "evaluations", description = "Scoring models on held-out trials"),
        (name = "metrics", description = "Network-structure metrics of a model's recurrent weights"),
        (name = "comparisons", description = "Comparing groups of models, as jobs"),
        (name = "figures", description = "Figures of models and comparisons, as SVG"),
    )
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The last touches of the generated spec, which utoipa cannot express:
///
/// - `TaskConfig` is internally tagged by `task`, and each configuration refuses unknown
///   fields, which utoipa renders as `allOf: [config, {task}]`: a schema no value satisfies,
///   since each half forbids the other's property. It becomes a `oneOf` of the three
///   configurations with the `task` tag inside each, which is what `/tasks` returns and
///   manifests hold.
/// - Unsigned formats are spelt `uint64`/`uint32` (utoipa writes `u-int64`).
/// - An object-valued `default` beside a reference (`compat: {…}` of a `#[serde(default)]`
///   struct) is dropped: JSON Schema ignores it there and client generators refuse it
///   (openapi-python-client: "ModelProperty cannot have a default value"). Scalar defaults
///   stay.
/// - Every problem+json response without its own example gets one of its status, with the
///   first code its description names (so the docs never show one status's example under
///   another).
fn finish(spec: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut value = serde_json::to_value(&spec).expect("the spec serialises");
    fix_formats(&mut value);
    drop_object_defaults_beside_references(&mut value);
    add_problem_examples(&mut value);
    if let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    {
        let mut branches = Vec::new();
        for (name, tag) in [
            ("OneChoiceInferenceConfig", "one-choice-inference"),
            ("GoNogoConfig", "go-nogo"),
            ("PerceptualDmConfig", "perceptual-dm"),
        ] {
            let Some(config) = schemas.get_mut(name).and_then(|c| c.as_object_mut()) else {
                continue;
            };
            let mut properties = serde_json::Map::new();
            properties.insert(
                "task".to_owned(),
                serde_json::json!({"type": "string", "enum": [tag], "description": "The task this configures."}),
            );
            if let Some(serde_json::Value::Object(existing)) = config.remove("properties") {
                properties.extend(existing);
            }
            config.insert("properties".to_owned(), properties.into());
            config.insert("required".to_owned(), serde_json::json!(["task"]));
            branches.push(serde_json::json!({"$ref": format!("#/components/schemas/{name}")}));
        }
        if let Some(task_config) = schemas
            .get_mut("TaskConfig")
            .and_then(|c| c.as_object_mut())
        {
            task_config.insert("oneOf".to_owned(), branches.into());
        }
    }
    serde_json::from_value(value).expect("the finished spec is still a spec")
}

fn add_problem_examples(spec: &mut serde_json::Value) {
    let Some(paths) = spec
        .get_mut("paths")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    for operations in paths
        .values_mut()
        .filter_map(serde_json::Value::as_object_mut)
    {
        for operation in operations.values_mut() {
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(serde_json::Value::as_object_mut)
            else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                let description = response
                    .get("description")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let Some(content) = response
                    .pointer_mut("/content/application~1problem+json")
                    .and_then(serde_json::Value::as_object_mut)
                else {
                    continue;
                };
                if content.contains_key("example") {
                    continue;
                }
                let Ok(code_number) = status.parse::<u16>() else {
                    continue;
                };
                let code = first_code(&description).unwrap_or(match code_number {
                    400 => "invalid_query_parameter",
                    401 => "missing_token",
                    404 => "model_not_found",
                    409 => "conflict",
                    413 => "payload_too_large",
                    414 => "uri_too_long",
                    415 => "unsupported_media_type",
                    503 => "busy",
                    _ => "invalid",
                });
                let title = axum::http::StatusCode::from_u16(code_number)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Error");
                content.insert(
                    "example".to_owned(),
                    serde_json::json!({
                        "type": format!("urn:blueprint:problem:{code}"),
                        "title": title,
                        "status": code_number,
                        "detail": description,
                        "code": code,
                    }),
                );
            }
        }
    }
}

/// The first `` `snake_case` `` word of a response description: the code it names first.
fn first_code(description: &str) -> Option<&str> {
    description.split('`').skip(1).step_by(2).find(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && word.contains('_')
    })
}

fn drop_object_defaults_beside_references(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let is_reference = ["oneOf", "allOf", "anyOf", "$ref"]
                .iter()
                .any(|key| map.contains_key(*key));
            if is_reference && map.get("default").is_some_and(serde_json::Value::is_object) {
                map.remove("default");
            }
            map.values_mut()
                .for_each(drop_object_defaults_beside_references);
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(drop_object_defaults_beside_references),
        _ => {}
    }
}

fn fix_formats(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(format)) = map.get_mut("format")
                && format.starts_with("u-int")
            {
                *format = format.replacen("u-int", "uint", 1);
            }
            map.values_mut().for_each(fix_formats);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_formats),
        _ => {}
    }
}

/// Every API route with its OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    let api = OpenApiRouter::new()
        .merge(health::router())
        .merge(tasks::router())
        .merge(models::router())
        .merge(evaluations::router())
        .merge(metrics::router())
        .merge(comparisons::router())
        .merge(figures::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(API_PREFIX, api)
}

/// The OpenAPI spec, as `blueprint-server openapi` prints it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    finish(api_router().into_openapi())
}

/// The whole application: the API, the spec, the docs, and problem bodies for unknown routes,
/// disallowed methods, oversize bodies and panics.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api_router().split_for_parts();
    let spec = finish(spec);
    let body_limit = state.limits.max_upload_bytes;
    api.merge(SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, spec))
        .merge(crate::ui::router())
        .fallback(route_not_found)
        .layer(axum::middleware::from_fn(refuse_long_uris))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(|_panic| {
            axum::response::IntoResponse::into_response(ApiError::Internal(anyhow::anyhow!(
                "a handler panicked"
            )))
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Checks a page's `limit` (1 to `max`, default `default`) and `offset` (at most `i64::MAX`):
/// 400 `invalid_query_parameter` otherwise.
pub fn page_bounds(
    limit: Option<u32>,
    offset: Option<u64>,
    default: u32,
    max: u32,
) -> Result<(u32, u64), ApiError> {
    let limit = limit.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("limit must be between 1 and {max}, got {limit}"),
        ));
    }
    let offset = offset.unwrap_or(0);
    if i64::try_from(offset).is_err() {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("offset must be at most {}, got {offset}", i64::MAX),
        ));
    }
    Ok((limit, offset))
}

/// Whether the request's `If-None-Match` names `etag` (quoted) or `*`: the client's copy is
/// current, and a 304 is the answer.
pub fn client_is_current(headers: &axum::http::HeaderMap, etag: &str) -> bool {
    headers
        .get_all(axum::http::header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| {
            let candidate = candidate.trim();
            candidate == "*" || candidate.trim_start_matches("W/") == etag
        })
}

/// The longest request target (path and query) the API reads, in bytes; longer ones get 414
/// as problem+json.
pub const MAX_URI_BYTES: usize = 8 * 1024;

async fn refuse_long_uris(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if length > MAX_URI_BYTES {
        return axum::response::IntoResponse::into_response(ApiError::UriTooLong {
            detail: format!(
                "the request target is {length} bytes long; the server reads at most {MAX_URI_BYTES}"
            ),
        });
    }
    next.run(request).await
}

async fn route_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound {
        code: "route_not_found",
        detail: format!(
            "no route {}; the API is under {API_PREFIX} and its docs at {DOCS_PATH}",
            uri.path()
        ),
    }
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed {
        method: method.to_string(),
    }
}
