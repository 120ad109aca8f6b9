//! Seeding an empty store with the demo models, so a newcomer's first `make run` has real
//! models to list and evaluate.
//!
//! The demo models are trainer outputs under a folder (`--demo-dir`, default `demo/models`):
//! every `*.onnx` file below it, with the `manifest.json` beside it as its manifest or, when
//! there is none, the manifest the trainer embeds in the file. Each goes through the same
//! validation and atomic registration as an upload. A store that holds any model is left
//! alone, so a user's deletions are not undone at the next start.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::service::{models, validation};
use crate::state::AppState;
use crate::store::models as model_store;

/// What [`seed_demo_store`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Models registered.
    pub registered: usize,
    /// Files refused by validation (each logged with its reason).
    pub refused: usize,
    /// Whether the store already held models, so nothing was tried.
    pub store_was_populated: bool,
}

/// Registers every demo model under `dir` when the store is empty.
pub async fn seed_demo_store(state: &AppState, dir: &Path) -> anyhow::Result<SeedReport> {
    if model_store::count(&state.store).await? > 0 {
        return Ok(SeedReport {
            store_was_populated: true,
            ..SeedReport::default()
        });
    }
    if !dir.is_dir() {
        tracing::info!(demo.dir = %dir.display(), "no demo models to seed (folder absent)");
        return Ok(SeedReport::default());
    }
    let files = onnx_files(dir)?;
    let mut report = SeedReport::default();
    for (index, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path)
            .with_context(|| format!("could not read demo model {}", path.display()))?;
        let manifest_path = path.with_file_name("manifest.json");
        let manifest = if manifest_path.is_file() {
            let text = std::fs::read_to_string(&manifest_path)
                .with_context(|| format!("could not read {}", manifest_path.display()))?;
            validation::parse_manifest(&text)
        } else {
            validation::embedded_manifest(&bytes)
        };
        let history_path = path.with_file_name("history.jsonl");
        let history = if history_path.is_file() {
            Some(
                std::fs::read_to_string(&history_path)
                    .with_context(|| format!("could not read {}", history_path.display()))?,
            )
        } else {
            None
        };
        let registered = match manifest {
            Ok(manifest) => models::register(state, manifest, bytes, history.as_deref()).await,
            Err(error) => Err(error),
        };
        match registered {
            Ok(_) => report.registered += 1,
            Err(error) => {
                report.refused += 1;
                tracing::warn!(
                    demo.file = %path.display(),
                    error = %error,
                    "demo model refused"
                );
            }
        }
        // Each registration logs its own line at info; the count is for debugging a stall.
        tracing::debug!(
            demo.progress = format!("{}/{}", index + 1, files.len()),
            demo.file = %path.display(),
            "seeding demo models"
        );
    }
    tracing::info!(
        demo.dir = %dir.display(),
        demo.registered = report.registered,
        demo.refused = report.refused,
        "demo models seeded"
    );
    Ok(report)
}

/// Every `*.onnx` file below `dir`, sorted, so seeding order (and so model ids) is stable.
fn onnx_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("could not list {}", folder.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("could not list {}", folder.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "onnx")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
