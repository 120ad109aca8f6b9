//! The bearer-token guard of write endpoints: a handler that takes [`WriteAccess`] runs only
//! when no token is configured or the request carries `Authorization: Bearer <token>`.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request may write.
#[derive(Debug)]
pub struct WriteAccess;

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = &state.limits.token else {
            return Ok(WriteAccess);
        };
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::Unauthorized {
                code: "missing_token",
                detail: "this endpoint writes; send `Authorization: Bearer <token>` with the \
                         server's token (BLUEPRINT_TOKEN)"
                    .to_owned(),
            })?;
        // Comparing digests keeps the comparison's timing independent of where the strings
        // first differ.
        if Sha256::digest(presented.trim().as_bytes()) != Sha256::digest(expected.as_bytes()) {
            return Err(ApiError::Unauthorized {
                code: "invalid_token",
                detail: "the bearer token is not the server's token".to_owned(),
            });
        }
        Ok(WriteAccess)
    }
}
