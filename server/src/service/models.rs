//! Registering and deleting models. Uploads and demo seeding both register through
//! [`register`], so every stored model passed the same checks ([`super::validation`]).

use std::sync::Arc;

use blueprint_core::history::{EpochRecord, parse_history};
use blueprint_core::manifest::{ModelManifest, sha256_hex};

use super::{ServiceError, validation};
use crate::state::AppState;
use crate::store::models::{self as model_store, ModelRecord, Registration};

/// What a registration did.
#[derive(Debug)]
pub enum Registered {
    /// A new model.
    Created(ModelRecord),
    /// These bytes were stored already, with an equal manifest: nothing was written.
    Existing(ModelRecord),
}

/// Validates and stores one model.
///
/// Bytes already stored are idempotent only with an equal manifest (the stored one, whose
/// `onnx_sha256` is the file's): any other manifest for them is a 409
/// `duplicate_manifest_differs` naming the first differing field, and a claimed checksum that
/// is not the file's is refused first, as for new bytes.
///
/// `history` is the run's `history.jsonl`, refused (422 `history_invalid`, nothing stored)
/// unless it is exactly the run the manifest describes ([`blueprint_core::history`]).
pub async fn register(
    state: &AppState,
    manifest: ModelManifest,
    bytes: Vec<u8>,
    history: Option<&str>,
) -> Result<Registered, ServiceError> {
    let sha256 = sha256_hex(&bytes);
    validation::check_checksum(&manifest, &sha256)?;
    let history = history
        .map(|text| {
            parse_history(text, &manifest).map_err(|error| {
                ServiceError::invalid("history_invalid", format!("{error}; nothing was stored"))
            })
        })
        .transpose()?;
    if let Some(existing) = model_store::get_by_sha256(&state.store, &sha256).await? {
        let existing = same_manifest(existing, &manifest, &sha256)?;
        if let Some(history) = &history {
            // Adds the history to a model stored without one; a no-op otherwise.
            model_store::add_history(&state.store, existing.id, history).await?;
        }
        return Ok(Registered::Existing(existing));
    }
    let inference = Arc::clone(&state.inference);
    let bytes = Arc::new(bytes);
    let job_bytes = Arc::clone(&bytes);
    let valid = state
        .inference
        .run(move || validation::validate_model(&inference, manifest, &job_bytes))
        .await??;
    match model_store::register(&state.store, &valid.manifest, &bytes, history.as_deref()).await? {
        Registration::Created(record) => {
            state
                .inference
                .cache_session(&valid.sha256, valid.session, bytes.len());
            tracing::info!(
                model.id = record.id,
                model.name = %record.name,
                model.size_bytes = record.size_bytes,
                "model registered"
            );
            Ok(Registered::Created(record))
        }
        // A concurrent upload of the same bytes won the race.
        Registration::Existing(record) => {
            same_manifest(record, &valid.manifest, &sha256).map(Registered::Existing)
        }
    }
}

/// `existing` when `manifest` (with the file's checksum) equals its stored manifest; a 409
/// naming the first differing field otherwise.
fn same_manifest(
    existing: ModelRecord,
    manifest: &ModelManifest,
    sha256: &str,
) -> Result<ModelRecord, ServiceError> {
    let mut sent = manifest.clone();
    sent.onnx_sha256 = Some(sha256.to_owned());
    if sent == existing.manifest {
        return Ok(existing);
    }
    let as_json = |manifest: &ModelManifest| serde_json::to_value(manifest).unwrap_or_default();
    let (sent_json, stored_json) = (as_json(&sent), as_json(&existing.manifest));
    let field = sent_json
        .as_object()
        .into_iter()
        .flatten()
        .find(|(key, value)| stored_json.get(key.as_str()) != Some(*value))
        .map_or_else(|| "?".to_owned(), |(key, _)| key.clone());
    Err(ServiceError::Conflict {
        code: "duplicate_manifest_differs",
        detail: format!(
            "these bytes are stored already as model {} with another manifest (first \
             difference: `{field}`); upload them with the stored manifest (GET \
             /api/v1/models/{}) or not at all",
            existing.id, existing.id
        ),
    })
}

/// Deletes a model, its file and its cached results, and forgets its session.
pub async fn delete(state: &AppState, id: i64) -> Result<(), ServiceError> {
    let record = model_store::get(&state.store, id)
        .await?
        .ok_or_else(|| ServiceError::model_not_found(id))?;
    if !model_store::delete(&state.store, id).await? {
        return Err(ServiceError::model_not_found(id));
    }
    state.inference.evict(&record.sha256);
    tracing::info!(model.id = id, "model deleted");
    Ok(())
}

/// A stored model, or 404.
pub async fn get(state: &AppState, id: i64) -> Result<ModelRecord, ServiceError> {
    model_store::get(&state.store, id)
        .await?
        .ok_or_else(|| ServiceError::model_not_found(id))
}

/// A stored model's training history, or 404 (`model_not_found`, `history_not_stored`).
pub async fn history(state: &AppState, id: i64) -> Result<Vec<EpochRecord>, ServiceError> {
    get(state, id).await?;
    model_store::history(&state.store, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound {
            code: "history_not_stored",
            detail: format!(
                "model {id} was registered without its history.jsonl; register it again with \
                 the `history` part to add one"
            ),
        })
}

/// The most tags a model may carry.
pub const MAX_TAGS: usize = 32;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// Sets a model's tags (all of them, replacing the old ones) and/or its note. Tags are 1 to
/// 64 characters of `A-Z a-z 0-9 . _ -`, at most [`MAX_TAGS`], repeats dropped; a note is at
/// most [`MAX_NOTE_CHARS`] characters with no control characters but newline and tab.
pub async fn annotate(
    state: &AppState,
    id: i64,
    tags: Option<Vec<String>>,
    note: Option<String>,
) -> Result<ModelRecord, ServiceError> {
    let tags = tags
        .map(|mut tags| {
            if tags.len() > MAX_TAGS {
                return Err(ServiceError::invalid(
                    "invalid_tags",
                    format!("{} tags; a model carries at most {MAX_TAGS}", tags.len()),
                ));
            }
            if let Some(bad) = tags.iter().find(|tag| !is_tag(tag)) {
                let shown: String = bad.chars().take(40).collect();
                return Err(ServiceError::invalid(
                    "invalid_tags",
                    format!("tag `{shown}` is not 1 to 64 characters of A-Z a-z 0-9 . _ -"),
                ));
            }
            tags.sort();
            tags.dedup();
            Ok(tags)
        })
        .transpose()?;
    if let Some(note) = &note {
        let length = note.chars().count();
        if length > MAX_NOTE_CHARS {
            return Err(ServiceError::invalid(
                "invalid_note",
                format!("the note has {length} characters; at most {MAX_NOTE_CHARS}"),
            ));
        }
        if note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ServiceError::invalid(
                "invalid_note",
                "the note holds a control character (only newline and tab are kept)",
            ));
        }
    }
    if !model_store::annotate(&state.store, id, tags.as_deref(), note.as_deref()).await? {
        return Err(ServiceError::model_not_found(id));
    }
    get(state, id).await
}

fn is_tag(tag: &str) -> bool {
    (1..=64).contains(&tag.len())
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}
