//! Figures as SVG ([`crate::service::figures`] draws and caches them): a model's learning
//! curve, psychometric curve, per-condition accuracy and `W_rec` heatmap, and one measure of a
//! finished comparison. Each answer has an `ETag` (the SVG's SHA-256); `If-None-Match` with it
//! answers 304.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ReadAccess;
use crate::error::{ApiError, ApiPath, ApiQuery, Problem};
use crate::routes::client_is_current;
use crate::service::figures::{
    self as figure_service, DEFAULT_FIGURE_SEED, DEFAULT_FIGURE_TRIALS, FigureTrials,
};
use crate::state::AppState;
use crate::store::results::Figure;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(learning_curve_svg))
        .routes(routes!(psychometric_svg))
        .routes(routes!(conditions_svg))
        .routes(routes!(weights_svg))
        .routes(routes!(comparison_svg))
}

/// The held-out trials an evaluation figure is drawn from.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FigureQuery {
    /// Seed of the generated trials (default 1; never the model's training seed).
    #[param(minimum = 0, default = 1)]
    pub seed: Option<u64>,
    /// Number of trials, 1 to the server's cap (default 2560, or the cap when lower).
    #[param(minimum = 1, maximum = 10240, default = 2560)]
    pub n_trials: Option<usize>,
}

impl FigureQuery {
    fn trials(&self, max_trials: usize) -> FigureTrials {
        FigureTrials {
            n_trials: self
                .n_trials
                .unwrap_or(DEFAULT_FIGURE_TRIALS.min(max_trials)),
            seed: self.seed.unwrap_or(DEFAULT_FIGURE_SEED),
        }
    }
}

/// An SVG answer with its ETag, or 304 when the client's copy is current.
fn svg_response(figure: Figure, request_headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", figure.etag);
    let etag_header = HeaderValue::from_str(&etag).expect("hex digits are a valid header");
    if client_is_current(request_headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (header::ETAG, etag_header),
            // Figures are drawn from stored data; a viewer may keep them but must revalidate.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        figure.svg,
    )
        .into_response()
}

/// The learning curve: accuracy and cross-entropy per epoch, training and held-out, from the
/// history registered with the model.
#[utoipa::path(
    get,
    path = "/models/{id}/figures/learning-curve.svg",
    tag = "figures",
    params(("id" = i64, Path, description = "The model's id")),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "The SVG's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`) or it has no stored history \
            (`history_not_stored`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn learning_curve_svg(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let figure = figure_service::learning_curve(&state, id).await?;
    Ok(svg_response(figure, &headers))
}

/// The psychometric curve of a perceptual-dm model: P(choose θ = 0) against signed coherence
/// on freshly generated held-out trials, with Wilson 95% intervals and the maximum-likelihood
/// logistic fit (its PSE and threshold are in the legend and in `POST /models/{id}/evaluate`'s
/// `psychometric`). Computing an uncached figure needs the write token when the server has one.
#[utoipa::path(
    get,
    path = "/models/{id}/figures/psychometric.svg",
    tag = "figures",
    params(("id" = i64, Path, description = "The model's id"), FigureQuery),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "The SVG's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "A query parameter is invalid", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "Not cached, and computing needs the write token (`missing_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`), or not a perceptual-dm model \
            (`figure_not_available`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`n_trials_out_of_range`, `training_seed`, `model_output_not_finite`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Saturated (`busy`) or past the deadline (`deadline_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn psychometric_svg(
    State(state): State<AppState>,
    access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<FigureQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let work = state.limits.work();
    let figure = figure_service::psychometric(
        &state,
        id,
        query.trials(state.limits.max_eval_trials),
        &work,
        access.can_compute(),
    )
    .await?;
    Ok(svg_response(figure, &headers))
}

/// Accuracy per task condition (coherence, cue or maze problem) on freshly generated held-out
/// trials, with Wilson 95% intervals and chance marked. Computing an uncached figure needs the
/// write token when the server has one.
#[utoipa::path(
    get,
    path = "/models/{id}/figures/conditions.svg",
    tag = "figures",
    params(("id" = i64, Path, description = "The model's id"), FigureQuery),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "The SVG's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "A query parameter is invalid", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "Not cached, and computing needs the write token (`missing_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`n_trials_out_of_range`, `training_seed`, `model_output_not_finite`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Saturated (`busy`) or past the deadline (`deadline_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn conditions_svg(
    State(state): State<AppState>,
    access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<FigureQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let work = state.limits.work();
    let figure = figure_service::conditions(
        &state,
        id,
        query.trials(state.limits.max_eval_trials),
        &work,
        access.can_compute(),
    )
    .await?;
    Ok(svg_response(figure, &headers))
}

/// `W_rec` as a heatmap: one pixel per weight, rows and columns ordered by the Louvain
/// communities of the study's binarised graph, a diverging scale centred on 0. Computing an
/// uncached figure needs the write token when the server has one.
#[utoipa::path(
    get,
    path = "/models/{id}/figures/weights.svg",
    tag = "figures",
    params(("id" = i64, Path, description = "The model's id")),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "The SVG's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "Not cached, and computing needs the write token (`missing_token`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such model (`model_not_found`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 503, description = "Saturated (`busy`) or past the deadline (`deadline_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn weights_svg(
    State(state): State<AppState>,
    access: ReadAccess,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let work = state.limits.work();
    let figure = figure_service::weights(&state, id, &work, access.can_compute()).await?;
    Ok(svg_response(figure, &headers))
}

/// One measure of a finished comparison (`{measure}.svg`, e.g. `accuracy.svg`): every model
/// as a point, each group's mean and 95% t-interval.
#[utoipa::path(
    get,
    path = "/comparisons/{job_id}/figures/{file}",
    tag = "figures",
    params(
        ("job_id" = i64, Path, description = "The comparison job's id"),
        ("file" = String, Path, description = "A measure of the comparison with `.svg`, e.g. `accuracy.svg`"),
    ),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "The SVG's SHA-256, quoted"))),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The job id is not an integer", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "`comparison_not_found`, `comparison_not_done`, `unknown_measure`, \
            `figure_not_available` (not a `.svg` name)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn comparison_svg(
    State(state): State<AppState>,
    _access: ReadAccess,
    ApiPath((job_id, file)): ApiPath<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(measure) = file.strip_suffix(".svg") else {
        return Err(ApiError::NotFound {
            code: "figure_not_available",
            detail: format!("figures are `{{measure}}.svg`, e.g. `accuracy.svg`; got `{file}`"),
        });
    };
    let figure = figure_service::comparison(&state, job_id, measure).await?;
    Ok(svg_response(figure, &headers))
}
