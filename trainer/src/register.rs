//! Uploading a run folder to a Blueprint server: `POST /api/v1/models` as multipart
//! (`model` = the ONNX file, `manifest` = the JSON, `history` = `history.jsonl` when the run
//! folder has one), with an optional bearer token.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use blueprint_core::manifest::{ModelManifest, sha256_hex};

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub id: String,
    /// True when the server already had these bytes.
    pub existing: bool,
}

impl std::fmt::Display for Registered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "model {}", self.id)?;
        if self.existing {
            f.write_str(" (already stored)")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ModelId {
    id: serde_json::Value,
}

/// Uploads `run_dir/model.onnx` with `run_dir/manifest.json`, after checking that the file's
/// checksum is the manifest's.
pub fn register_run(run_dir: &Path, server: &str, token: Option<&str>) -> Result<Registered> {
    let onnx_path = run_dir.join("model.onnx");
    let manifest_path = run_dir.join("manifest.json");
    let onnx =
        fs::read(&onnx_path).with_context(|| format!("could not read {}", onnx_path.display()))?;
    let manifest_text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("could not read {}", manifest_path.display()))?;
    let manifest = ModelManifest::from_json(&manifest_text)
        .with_context(|| format!("{} is not a valid manifest", manifest_path.display()))?;
    let checksum = sha256_hex(&onnx);
    if manifest.onnx_sha256.as_deref() != Some(checksum.as_str()) {
        bail!(
            "{} does not match its manifest's onnx_sha256; the run folder was modified",
            onnx_path.display()
        );
    }
    if !server.starts_with("http://") {
        bail!("--server must be an http:// URL (this build speaks plain HTTP), got `{server}`");
    }

    let boundary = format!("blueprint-{}", &checksum[..24]);
    let mut body = Vec::with_capacity(onnx.len() + manifest_text.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.onnx\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&onnx);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"; filename=\"manifest.json\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(manifest_text.as_bytes());
    let history_path = run_dir.join("history.jsonl");
    if history_path.is_file() {
        let history = fs::read(&history_path)
            .with_context(|| format!("could not read {}", history_path.display()))?;
        body.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"history\"; filename=\"history.jsonl\"\r\n\
                 Content-Type: application/jsonl\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&history);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/api/v1/models", server.trim_end_matches('/'));
    let mut request = agent.post(&url).header(
        "Content-Type",
        &format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request
        .send(&body[..])
        .with_context(|| format!("could not reach the server at {url}"))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    match status {
        200 | 201 | 409 => {
            let id: ModelId = serde_json::from_str(&text).with_context(|| {
                format!("the server answered {status} without a model id: {text}")
            })?;
            let id = match id.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            Ok(Registered {
                id,
                existing: status != 201,
            })
        }
        _ => {
            let detail = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
                .unwrap_or(text);
            bail!("the server refused the upload ({status}): {detail}")
        }
    }
}
