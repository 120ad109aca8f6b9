//! The HTTP API: one module per resource, each owning its router, handlers and types, all
//! registered through [`api_router`], the one builder both the served router and the OpenAPI
//! spec come from, so the spec cannot drift from the routes.

pub mod comparisons;
pub mod evaluations;
pub mod health;
pub mod metrics;
pub mod models;
pub mod tasks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::response::Redirect;
use axum::routing::get;
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
    modifiers(&BearerToken, &TaggedTaskConfigs),
    components(schemas(Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "tasks", description = "The study's three decision tasks"),
        (name = "models", description = "The model store"),
        (name = "evaluations", description = "Scoring models on held-out trials"),
        (name = "metrics", description = "Network-structure metrics of a model's recurrent weights"),
        (name = "comparisons", description = "Comparing groups of models, as jobs"),
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

/// `TaskConfig` is internally tagged by `task`, and each configuration refuses unknown fields,
/// which utoipa renders as `allOf: [config, {task}]` — a schema no value satisfies, since each
/// half forbids the other's property. This rewrites it as a `oneOf` of the three configurations
/// with the `task` tag inside each, which is what `/tasks` returns and manifests hold.
struct TaggedTaskConfigs;

impl Modify for TaggedTaskConfigs {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{Object, OneOf, Schema, Type};
        use utoipa::openapi::{Ref, RefOr};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let mut branches = OneOf::new();
        for (name, tag) in [
            ("OneChoiceInferenceConfig", "one-choice-inference"),
            ("GoNogoConfig", "go-nogo"),
            ("PerceptualDmConfig", "perceptual-dm"),
        ] {
            let Some(RefOr::T(Schema::Object(config))) = components.schemas.get_mut(name) else {
                continue;
            };
            let tag_schema = Object::builder()
                .schema_type(Type::String)
                .enum_values(Some([tag]))
                .description(Some("The task this configures."))
                .build();
            let mut properties = vec![("task".to_owned(), RefOr::T(Schema::Object(tag_schema)))];
            properties.extend(std::mem::take(&mut config.properties));
            config.properties = properties.into_iter().collect();
            config.required.insert(0, "task".to_owned());
            branches.items.push(RefOr::Ref(Ref::from_schema_name(name)));
        }
        if let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut("TaskConfig") {
            one_of.items = branches.items;
        }
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
        .merge(comparisons::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(API_PREFIX, api)
}

/// The OpenAPI spec, as `blueprint-server openapi` prints it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

/// The whole application: the API, the spec, the docs, and problem bodies for unknown routes,
/// disallowed methods, oversize bodies and panics.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api_router().split_for_parts();
    let body_limit = state.limits.max_upload_bytes;
    api.merge(SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, spec))
        .route("/", get(|| async { Redirect::temporary("/docs/") }))
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
