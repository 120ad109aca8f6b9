//! Access: who may write, compute and read.
//!
//! - With `--token`, everything that writes or computes needs `Authorization: Bearer <token>`:
//!   register and delete a model, evaluate, metrics not yet cached, comparisons. Without it,
//!   all of that is open (a server on loopback only; `serve` refuses a non-loopback address
//!   without a token unless `--allow-anonymous`).
//! - With `--read-token`, reads of stored data need that token (or the write token).
//!
//! The header is parsed as RFC 6750 §2.1 and RFC 9110 §11 say: the scheme `Bearer` in any
//! case, one or more spaces, then the token, compared exactly (never trimmed), in time
//! independent of where it differs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request may write and compute.
#[derive(Debug)]
pub struct WriteAccess;

/// Proof that the request may read stored data; knows whether it may also compute, for
/// endpoints that serve cached results to readers and compute only for writers (metrics).
#[derive(Debug)]
pub struct ReadAccess {
    can_compute: bool,
}

impl ReadAccess {
    /// Whether this caller may compute a result that is not cached.
    pub fn can_compute(&self) -> bool {
        self.can_compute
    }

    /// `Ok` when this caller may compute (a missing result), the write guard's 401 otherwise.
    pub fn require_compute(&self) -> Result<(), ApiError> {
        if self.can_compute {
            Ok(())
        } else {
            Err(ApiError::Unauthorized {
                code: "missing_token",
                detail: "this result is not cached yet, and computing it needs \
                         `Authorization: Bearer <token>` with the server's write token \
                         (BLUEPRINT_TOKEN)"
                    .to_owned(),
            })
        }
    }
}

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = &state.limits.token else {
            return Ok(WriteAccess);
        };
        let presented = bearer(&parts.headers)?;
        if presented
            .as_deref()
            .is_some_and(|token| same(token, expected))
        {
            Ok(WriteAccess)
        } else {
            Err(missing_or_invalid(
                presented,
                "this endpoint writes or computes",
            ))
        }
    }
}

impl FromRequestParts<AppState> for ReadAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = bearer(&parts.headers)?;
        let can_compute = match &state.limits.token {
            None => true,
            Some(expected) => presented
                .as_deref()
                .is_some_and(|token| same(token, expected)),
        };
        let Some(read_token) = &state.limits.read_token else {
            return Ok(ReadAccess { can_compute });
        };
        if can_compute && state.limits.token.is_some()
            || presented
                .as_deref()
                .is_some_and(|token| same(token, read_token))
        {
            Ok(ReadAccess { can_compute })
        } else {
            Err(missing_or_invalid(
                presented,
                "this server's data is read with a token",
            ))
        }
    }
}

/// The bearer token of the `Authorization` header: `None` when there is no such header;
/// 401 `malformed_authorization` for another scheme or no token.
fn bearer(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let malformed = || ApiError::Unauthorized {
        code: "malformed_authorization",
        detail: "the Authorization header must be `Bearer <token>`".to_owned(),
    };
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, rest) = value.split_once(' ').ok_or_else(malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(malformed());
    }
    let token = rest.trim_start_matches(' ');
    if token.is_empty() {
        return Err(malformed());
    }
    Ok(Some(token.to_owned()))
}

/// Compares digests, so the comparison's time does not depend on where the strings differ.
fn same(presented: &str, expected: &str) -> bool {
    Sha256::digest(presented.as_bytes()) == Sha256::digest(expected.as_bytes())
}

fn missing_or_invalid(presented: Option<String>, what: &str) -> ApiError {
    match presented {
        None => ApiError::Unauthorized {
            code: "missing_token",
            detail: format!(
                "{what}; send `Authorization: Bearer <token>` with the server's token \
                 (BLUEPRINT_TOKEN)"
            ),
        },
        Some(_) => ApiError::Unauthorized {
            code: "invalid_token",
            detail: "the bearer token is not the server's token".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn parse(value: &str) -> Result<Option<String>, ApiError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        bearer(&headers)
    }

    #[test]
    fn the_scheme_is_case_insensitive_and_the_token_exact() {
        assert_eq!(parse("Bearer s3cret").unwrap().as_deref(), Some("s3cret"));
        assert_eq!(parse("bearer s3cret").unwrap().as_deref(), Some("s3cret"));
        assert_eq!(parse("BEARER  s3cret").unwrap().as_deref(), Some("s3cret"));
        // Not trimmed: a trailing tab or an inner space is part of what was sent.
        assert_eq!(
            parse("Bearer s3cret\t").unwrap().as_deref(),
            Some("s3cret\t")
        );
        assert!(!same("s3cret\t", "s3cret"));
        assert!(parse("Basic czNjcmV0").is_err());
        assert!(parse("Bearer").is_err());
        assert!(parse("Bearer ").is_err());
        assert_eq!(bearer(&HeaderMap::new()).unwrap(), None);
    }
}
