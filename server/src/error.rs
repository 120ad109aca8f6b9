//! The one error type of the HTTP API and its one body: RFC 9457 `application/problem+json`
//! with a machine-readable `code`.
//!
//! Every failure a client can see goes through [`ApiError`]: handler errors, extractor
//! rejections (malformed JSON, bad path or query parameters, oversize bodies), unknown routes
//! and methods. 5xx details are logged once here and never sent.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::extract::multipart::MultipartError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::multipart::MultipartRejection;

use crate::service::ServiceError;
use crate::store::StoreError;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem detail, the body of every error response.
///
/// Each documented error response carries its own example (see `routes::finish`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// `urn:blueprint:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem (the HTTP status phrase).
    pub title: String,
    /// The HTTP status code, repeated.
    pub status: u16,
    /// What went wrong with this request, for a person.
    pub detail: String,
    /// What went wrong, for a program: stable snake_case, e.g. `unknown_task`,
    /// `hidden_size_mismatch`, `malformed_json`, `missing_token`, `busy`.
    pub code: String,
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be read (malformed JSON, a missing multipart part, a bad path
    /// or query parameter).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// 401: a write endpoint was called without the configured bearer token, or with another.
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// 404: no such model, task or route.
    #[error("{detail}")]
    NotFound { code: &'static str, detail: String },
    /// 409: the request contradicts what is stored (the same bytes with another manifest).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// 405: the route exists but not with this method.
    #[error("method {method} is not allowed here")]
    MethodNotAllowed { method: String },
    /// 414: the request's URI is longer than the server reads.
    #[error("{detail}")]
    UriTooLong { detail: String },
    /// 413: the body is larger than the configured limit.
    #[error("{detail}")]
    PayloadTooLarge { detail: String },
    /// 415: a JSON endpoint was sent something else.
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    /// 422: the request is well-formed but its content is refused (the upload is not a valid
    /// Blueprint model, the task does not fit the model, n_trials is out of range, ...).
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// 503: a dependency (the database) does not answer.
    #[error("{detail}")]
    Unavailable { code: &'static str, detail: String },
    /// 503: every inference slot is busy and the queue is full; retry after the given seconds.
    #[error("the inference pool is saturated; retry in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    /// 500: a bug or an I/O failure on our side. Logged, never sent.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// `Retry-After` of a 503 other than `busy`, in seconds.
pub const UNAVAILABLE_RETRY_S: u64 = 5;

impl ApiError {
    /// A 400 with a code.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    /// A 422 with a code.
    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::Unprocessable {
            code,
            detail: detail.into(),
        }
    }

    /// A 404 for a model id.
    pub fn model_not_found(id: i64) -> ApiError {
        ApiError::NotFound {
            code: "model_not_found",
            detail: format!("there is no model with id {id}"),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable { .. } | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::NotFound { code, .. }
            | ApiError::Unprocessable { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Unavailable { code, .. } => code,
            ApiError::UriTooLong { .. } => "uri_too_long",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::Busy { .. } => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The problem body.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            ApiError::Internal(_) => "an internal error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        Problem {
            problem_type: format!("urn:blueprint:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code().to_owned(),
        }
    }
}

/// Second (since the epoch) of the last 503 log line, and 503s not logged since.
static LAST_UNAVAILABLE_LOG: AtomicU64 = AtomicU64::new(0);
static UNAVAILABLE_SINCE_LOG: AtomicU64 = AtomicU64::new(0);

/// Logs a 503 at WARN, at most one line per second, with the count of those it stands for: a
/// saturated server answers thousands of 503s a second, and each is expected behaviour.
fn log_unavailable(code: &str) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    UNAVAILABLE_SINCE_LOG.fetch_add(1, Ordering::AcqRel);
    let last = LAST_UNAVAILABLE_LOG.load(Ordering::Acquire);
    if last != now
        && LAST_UNAVAILABLE_LOG
            .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    {
        let count = UNAVAILABLE_SINCE_LOG.swap(0, Ordering::AcqRel).max(1);
        tracing::warn!(
            code,
            responses = count,
            "answered 503 (service unavailable); at most one such line per second"
        );
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
            }
            ApiError::Busy { .. } | ApiError::Unavailable { .. } => log_unavailable(self.code()),
            _ => {}
        }
        let problem = self.problem();
        let mut response = (self.status(), Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        match &self {
            ApiError::Busy { retry_after_s } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_s));
            }
            // A dependency that does not answer, a deadline: worth trying again shortly.
            ApiError::Unavailable { .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(UNAVAILABLE_RETRY_S));
            }
            ApiError::Unauthorized { .. } => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let detail = rejection.body_text();
        match rejection {
            JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("malformed_json", detail),
            JsonRejection::JsonDataError(_) => ApiError::unprocessable("invalid_body", detail),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType { detail },
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge { detail }
            }
            _ => ApiError::bad_request("unreadable_body", detail),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ServiceError::from(error).into()
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        let detail = error.to_string();
        match error {
            ServiceError::Malformed { code, .. } => ApiError::BadRequest { code, detail },
            ServiceError::Invalid { code, .. } => ApiError::Unprocessable { code, detail },
            ServiceError::NotFound { code, .. } => ApiError::NotFound { code, detail },
            ServiceError::Conflict { code, .. } => ApiError::Conflict { code, detail },
            ServiceError::Busy { retry_after_s } => ApiError::Busy { retry_after_s },
            ServiceError::DeadlineExceeded { .. } => ApiError::Unavailable {
                code: "deadline_exceeded",
                detail,
            },
            // Nobody reads this answer: its client has gone.
            ServiceError::Cancelled => ApiError::Unavailable {
                code: "cancelled",
                detail,
            },
            ServiceError::Unavailable { code, .. } => ApiError::Unavailable { code, detail },
            ServiceError::ComputeNotAllowed => ApiError::Unauthorized {
                code: "missing_token",
                detail,
            },
            ServiceError::Internal(cause) => ApiError::Internal(anyhow::anyhow!("{cause:#}")),
        }
    }
}

impl From<MultipartRejection> for ApiError {
    fn from(rejection: MultipartRejection) -> ApiError {
        let detail = rejection.body_text();
        if rejection.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            ApiError::UnsupportedMediaType { detail }
        } else {
            ApiError::bad_request("malformed_multipart", detail)
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::bad_request("invalid_path_parameter", rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::bad_request("invalid_query_parameter", rejection.body_text())
    }
}

impl From<MultipartError> for ApiError {
    fn from(error: MultipartError) -> ApiError {
        let detail = error.body_text();
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { detail }
        } else {
            ApiError::bad_request("malformed_multipart", detail)
        }
    }
}

/// `axum::Json` whose rejection is an [`ApiError`], so malformed JSON gets a problem body.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Multipart` whose rejection (no or a bad boundary) is an [`ApiError`].
#[derive(Debug)]
pub struct ApiMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let is_multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if !is_multipart {
            return Err(ApiError::UnsupportedMediaType {
                detail: "this endpoint reads `multipart/form-data` (parts `model` and `manifest`)"
                    .to_owned(),
            });
        }
        axum::extract::Multipart::from_request(request, state)
            .await
            .map(ApiMultipart)
            .map_err(ApiError::from)
    }
}

/// `axum::extract::Path` whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_their_details_out_of_the_body() {
        let error = ApiError::Internal(anyhow::anyhow!("disk /secret/path is full"));
        let problem = error.problem();
        assert_eq!(problem.status, 500);
        assert_eq!(problem.code, "internal");
        assert!(!problem.detail.contains("secret"), "{}", problem.detail);
    }

    #[test]
    fn a_problem_names_its_code_in_its_type() {
        let problem = ApiError::unprocessable("unknown_task", "unknown task `maze`").problem();
        assert_eq!(problem.problem_type, "urn:blueprint:problem:unknown_task");
        assert_eq!(problem.title, "Unprocessable Entity");
        assert_eq!(problem.status, 422);
    }

    #[test]
    fn busy_responses_say_when_to_retry() {
        let response = ApiError::Busy { retry_after_s: 2 }.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
    }
}
