//! What makes an upload a storable model: every check of `POST /models`, in one place, each
//! failure a 4xx [`ServiceError`] with a code naming the problem.
//!
//! In order (the first failure wins):
//!
//! | check | status | code |
//! |---|---|---|
//! | the manifest is JSON | 400 | `manifest_not_json` |
//! | its task and variant exist | 422 | `unknown_task`, `unknown_variant` |
//! | it is a valid, self-consistent manifest within the limits (≤ 10,000 steps per trial, ≤ 2,048 units, name ≤ 200 characters, short safe keys) | 422 | `manifest_invalid` |
//! | its `onnx_sha256`, if given, is the file's | 422 | `checksum_mismatch` |
//! | the file parses as ONNX | 422 | `onnx_unparseable` |
//! | `W_rec` is `[hidden_size, hidden_size]` | 422 | `hidden_size_mismatch` |
//! | the graph's input and outputs have the manifest's names, float32, and shapes `[batch, time, n_in]`, `[batch, n_out]`, `[batch, time, N]` | 422 | `onnx_signature_mismatch` |
//! | the other weights fit (`W_in [n_in, N]`, `b [N]`, `W_out [N, n_out]`, `b_out [n_out]`) | 422 | `onnx_weights_invalid` |
//! | the manifest embedded in the file, if any, describes the same network | 422 | `manifest_mismatch` |
//! | every initializer is finite with \|w\| ≤ 1e4 | 422 | `onnx_weights_invalid` (naming the tensor) |
//! | the graph is exactly the canonical Blueprint graph of its weights (`core::onnx::check_canonical`): nodes, attributes, inputs, outputs, opset, encoding | 422 | `graph_not_canonical` (naming the first difference) |
//! | ONNX Runtime loads it | 422 | `onnx_unloadable` |
//! | ONNX Runtime runs it, and its logits on a few trials equal the reference RNN forward pass of its own weights (`core`) | 422 | `onnx_output_mismatch` |
//!
//! ONNX Runtime never sees a graph that has not passed the canonical check, so a hostile graph
//! (an `If` on the batch size, a `Loop` bomb, a huge allocation) is refused without running.
//! The parity check then runs the first [`PARITY_STEPS`] steps of a few trials through ONNX
//! Runtime and `core`'s reference forward pass: it proves the runtime computes the network, at
//! a cost bounded whatever the manifest's timeline.

use std::str::FromStr;

use blueprint_core::manifest::{ModelManifest, sha256_hex};
use blueprint_core::network::Variant;
use blueprint_core::onnx::{self, Dim, OnnxModel, ValueSpec, proto};
use blueprint_core::task::{Task, TaskKind};
use ort::session::Session;
use ort::value::ValueType;

use super::ServiceError;
use crate::inference::Inference;
use crate::inference::evaluation::run_logits;

/// Trials of the reference-parity check, and the seed they are generated from.
const PARITY_TRIALS: usize = 4;
const PARITY_SEED: u64 = 0x5EED;
/// Steps of each parity trial: the trials' first steps, enough to exercise every period of the
/// study's timelines (50 steps) while bounding the check's cost for long ones.
pub const PARITY_STEPS: usize = 200;
/// Largest |ONNX − reference| allowed, relative to max(1, max |reference logit|): float32
/// rounding over a few hundred units and fifty steps stays orders of magnitude below it.
const PARITY_TOLERANCE: f64 = 1e-3;

/// An upload that passed every check, with the session ONNX Runtime built for it.
pub struct ValidModel {
    pub manifest: ModelManifest,
    pub sha256: String,
    pub session: Session,
}

/// Parses the manifest part (or the embedded manifest), naming an unknown task or variant.
pub fn parse_manifest(text: &str) -> Result<ModelManifest, ServiceError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| ServiceError::Malformed {
            code: "manifest_not_json",
            detail: format!("the manifest is not JSON: {error}"),
        })?;
    if let Some(task) = value.get("task").and_then(|task| task.as_str()) {
        TaskKind::from_str(task)
            .map_err(|error| ServiceError::invalid("unknown_task", error.to_string()))?;
    }
    if let Some(variant) = value.get("variant").and_then(|variant| variant.as_str()) {
        Variant::from_str(variant)
            .map_err(|error| ServiceError::invalid("unknown_variant", error.to_string()))?;
    }
    ModelManifest::from_json(text)
        .map_err(|error| ServiceError::invalid("manifest_invalid", error.to_string()))
}

/// The manifest embedded in an ONNX file's metadata, for uploads and demo files that come
/// without a separate manifest.
pub fn embedded_manifest(bytes: &[u8]) -> Result<ModelManifest, ServiceError> {
    let model = read(bytes)?;
    let text = model.embedded_manifest().ok_or_else(|| {
        ServiceError::invalid(
            "manifest_missing",
            format!(
                "no `manifest` part was sent and the ONNX file embeds none under `{}`",
                onnx::MANIFEST_KEY
            ),
        )
    })?;
    parse_manifest(text)
}

/// Every check after the manifest parsed. Blocking (ONNX Runtime builds and runs a session):
/// call from an inference job.
pub fn validate_model(
    inference: &Inference,
    manifest: ModelManifest,
    bytes: &[u8],
) -> Result<ValidModel, ServiceError> {
    let sha256 = sha256_hex(bytes);
    check_checksum(&manifest, &sha256)?;
    let model = read(bytes)?;
    // Structural checks first: they name the problem more precisely than the embedded
    // manifest's disagreement would (which usually follows from the same lie).
    check_hidden_size(&model, &manifest)?;
    check_graph_signature(&manifest, &model.inputs, &model.outputs)?;
    check_weights(&model, &manifest)?;
    check_embedded_manifest(&model, &manifest)?;
    onnx::check_canonical(bytes, &manifest).map_err(|error| match error {
        onnx::CanonicalError::Graph(_) => {
            ServiceError::invalid("graph_not_canonical", error.to_string())
        }
        onnx::CanonicalError::Weight { .. } | onnx::CanonicalError::Onnx(_) => {
            ServiceError::invalid("onnx_weights_invalid", error.to_string())
        }
    })?;

    let mut session = inference.build_session(bytes).map_err(|error| {
        ServiceError::invalid(
            "onnx_unloadable",
            format!("ONNX Runtime cannot load the file: {error}"),
        )
    })?;
    check_session_signature(&manifest, &session)?;
    check_reference_parity(&manifest, &model, &mut session, inference.batch_size())?;
    Ok(ValidModel {
        manifest,
        sha256,
        session,
    })
}

/// The manifest's `onnx_sha256`, if given, must be the file's.
pub fn check_checksum(manifest: &ModelManifest, sha256: &str) -> Result<(), ServiceError> {
    match &manifest.onnx_sha256 {
        Some(claimed) if !claimed.eq_ignore_ascii_case(sha256) => Err(ServiceError::invalid(
            "checksum_mismatch",
            format!("the manifest's onnx_sha256 is {claimed} but the file's SHA-256 is {sha256}"),
        )),
        _ => Ok(()),
    }
}

fn read(bytes: &[u8]) -> Result<OnnxModel, ServiceError> {
    onnx::read_model(bytes).map_err(|error| {
        ServiceError::invalid(
            "onnx_unparseable",
            format!("the model part is not a readable ONNX file: {error}"),
        )
    })
}

/// The fields that identify a network must agree between the uploaded and embedded manifests
/// (the rest, e.g. `outcome` or `onnx_sha256`, may legitimately differ).
fn check_embedded_manifest(
    model: &OnnxModel,
    manifest: &ModelManifest,
) -> Result<(), ServiceError> {
    let Some(text) = model.embedded_manifest() else {
        return Ok(());
    };
    let embedded = ModelManifest::from_json(text).map_err(|error| {
        ServiceError::invalid(
            "manifest_mismatch",
            format!("the manifest embedded in the ONNX file is invalid: {error}"),
        )
    })?;
    let disagreements: Vec<String> = [
        ("task", embedded.task.to_string(), manifest.task.to_string()),
        (
            "variant",
            embedded.variant.to_string(),
            manifest.variant.to_string(),
        ),
        (
            "positive",
            embedded.positive.to_string(),
            manifest.positive.to_string(),
        ),
        (
            "hidden_size",
            embedded.hidden_size.to_string(),
            manifest.hidden_size.to_string(),
        ),
        (
            "n_inputs",
            embedded.n_inputs.to_string(),
            manifest.n_inputs.to_string(),
        ),
        (
            "n_outputs",
            embedded.n_outputs.to_string(),
            manifest.n_outputs.to_string(),
        ),
        (
            "alpha",
            embedded.alpha.to_string(),
            manifest.alpha.to_string(),
        ),
        ("seed", embedded.seed.to_string(), manifest.seed.to_string()),
        (
            "dataset.name",
            embedded.dataset.name.clone(),
            manifest.dataset.name.clone(),
        ),
        (
            "dataset.field",
            embedded.dataset.field.clone(),
            manifest.dataset.field.clone(),
        ),
    ]
    .into_iter()
    .filter(|(_, inside, sent)| inside != sent)
    .map(|(field, inside, sent)| {
        format!("{field} is {sent} in the manifest but {inside} in the file")
    })
    .collect();
    if disagreements.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "manifest_mismatch",
            disagreements.join("; "),
        ))
    }
}

fn check_hidden_size(model: &OnnxModel, manifest: &ModelManifest) -> Result<(), ServiceError> {
    let w_rec = model.initializers.get("W_rec").ok_or_else(|| {
        ServiceError::invalid(
            "onnx_weights_invalid",
            "the ONNX file has no float initializer `W_rec`",
        )
    })?;
    let n = manifest.hidden_size;
    if w_rec.dims != [n, n] {
        return Err(ServiceError::invalid(
            "hidden_size_mismatch",
            format!(
                "the manifest's hidden_size is {n} but W_rec has shape {:?}",
                w_rec.dims
            ),
        ));
    }
    Ok(())
}

fn check_weights(model: &OnnxModel, manifest: &ModelManifest) -> Result<(), ServiceError> {
    let invalid = |detail: String| ServiceError::invalid("onnx_weights_invalid", detail);
    let weights = model
        .rnn_weights(manifest.alpha as f32)
        .map_err(|error| invalid(error.to_string()))?;
    if weights.n_inputs() != manifest.n_inputs || weights.n_outputs() != manifest.n_outputs {
        return Err(invalid(format!(
            "W_in is {:?} and W_out is {:?}, but the manifest has {} inputs and {} outputs",
            weights.w_in.dim(),
            weights.w_out.dim(),
            manifest.n_inputs,
            manifest.n_outputs
        )));
    }
    Ok(())
}

/// A declared dimension: `Some(size)` when fixed, `None` when dynamic.
type Declared = Vec<Option<i64>>;

fn check_graph_signature(
    manifest: &ModelManifest,
    inputs: &[ValueSpec],
    outputs: &[ValueSpec],
) -> Result<(), ServiceError> {
    let declared = |spec: &ValueSpec| -> Result<Declared, ServiceError> {
        if spec.elem_type != proto::DATA_TYPE_FLOAT {
            return Err(signature_error(format!(
                "`{}` has element type {}, expected float32 (1)",
                spec.name, spec.elem_type
            )));
        }
        Ok(spec
            .dims
            .iter()
            .map(|dim| match dim {
                Dim::Fixed(size) => Some(*size),
                Dim::Named(_) | Dim::Unknown => None,
            })
            .collect())
    };
    fn find<'a>(
        specs: &'a [ValueSpec],
        name: &str,
        kind: &str,
    ) -> Result<&'a ValueSpec, ServiceError> {
        specs.iter().find(|spec| spec.name == name).ok_or_else(|| {
            signature_error(format!(
                "the graph has no {kind} named `{name}` (it has {})",
                specs
                    .iter()
                    .map(|spec| format!("`{}`", spec.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }
    let signature = &manifest.onnx;
    let input = declared(find(inputs, &signature.input, "input")?)?;
    let logits = declared(find(outputs, &signature.logits, "output")?)?;
    let hidden = declared(find(outputs, &signature.hidden, "output")?)?;
    check_shapes(manifest, &input, &logits, &hidden)
}

fn check_session_signature(
    manifest: &ModelManifest,
    session: &Session,
) -> Result<(), ServiceError> {
    let declared = |outlets: &[ort::value::Outlet], name: &str| -> Result<Declared, ServiceError> {
        let outlet = outlets
            .iter()
            .find(|outlet| outlet.name() == name)
            .ok_or_else(|| {
                signature_error(format!(
                    "ONNX Runtime sees no input or output named `{name}`"
                ))
            })?;
        match outlet.dtype() {
            ValueType::Tensor { ty, shape, .. }
                if *ty == ort::value::TensorElementType::Float32 =>
            {
                Ok(shape
                    .iter()
                    .map(|&size| (size >= 0).then_some(size))
                    .collect())
            }
            other => Err(signature_error(format!(
                "ONNX Runtime sees `{name}` as {other}, expected a float32 tensor"
            ))),
        }
    };
    let signature = &manifest.onnx;
    let input = declared(session.inputs(), &signature.input)?;
    let logits = declared(session.outputs(), &signature.logits)?;
    let hidden = declared(session.outputs(), &signature.hidden)?;
    check_shapes(manifest, &input, &logits, &hidden)
}

/// `x [batch, time, n_in]`, `logits [batch, n_out]`, `hidden [batch, time, N]`; batch and time
/// may be dynamic, the sizes must be fixed and equal the manifest's.
fn check_shapes(
    manifest: &ModelManifest,
    input: &Declared,
    logits: &Declared,
    hidden: &Declared,
) -> Result<(), ServiceError> {
    let names = &manifest.onnx;
    let expect = |name: &str, declared: &Declared, rank: usize, size: usize, meaning: &str| {
        let last = declared.last().copied().flatten();
        if declared.len() != rank || last != Some(size as i64) {
            return Err(signature_error(format!(
                "`{name}` is declared {}, expected rank {rank} ending in {meaning} = {size}",
                show(declared)
            )));
        }
        Ok(())
    };
    expect(&names.input, input, 3, manifest.n_inputs, "n_inputs")?;
    expect(&names.logits, logits, 2, manifest.n_outputs, "n_outputs")?;
    expect(
        &names.hidden,
        hidden,
        3,
        manifest.hidden_size,
        "hidden_size",
    )
}

fn check_reference_parity(
    manifest: &ModelManifest,
    model: &OnnxModel,
    session: &mut Session,
    batch_size: usize,
) -> Result<(), ServiceError> {
    let task = Task::new(manifest.task_config.clone())
        .map_err(|error| ServiceError::invalid("manifest_invalid", error.to_string()))?;
    let trials = task.generate(PARITY_TRIALS, PARITY_SEED);
    let steps = trials.inputs.dim().1.min(PARITY_STEPS);
    let inputs = trials.inputs.slice(ndarray::s![.., ..steps, ..]).to_owned();
    let logits = run_logits(
        session,
        &manifest.onnx,
        inputs.view(),
        manifest.n_outputs,
        batch_size,
    )
    .map_err(|error| {
        ServiceError::invalid(
            "onnx_output_mismatch",
            format!("ONNX Runtime could not run the graph on {PARITY_TRIALS} trials: {error}"),
        )
    })?;
    let weights = model
        .rnn_weights(manifest.alpha as f32)
        .map_err(|error| ServiceError::invalid("onnx_weights_invalid", error.to_string()))?
        .cast::<f64>();
    let reference = weights
        .forward(inputs.mapv(f64::from).view())
        .map_err(|error| ServiceError::invalid("onnx_weights_invalid", error.to_string()))?
        .logits;
    let scale = reference
        .iter()
        .fold(1.0f64, |largest, value| largest.max(value.abs()));
    let worst = logits
        .iter()
        .zip(&reference)
        .map(|(&onnx, &reference)| {
            let difference = (f64::from(onnx) - reference).abs();
            // `f64::max` would skip a NaN; a NaN where the reference has a number is the
            // largest difference there is.
            if difference.is_nan() && reference.is_finite() {
                f64::INFINITY
            } else {
                difference
            }
        })
        .fold(0.0f64, f64::max);
    if worst > PARITY_TOLERANCE * scale {
        return Err(ServiceError::invalid(
            "onnx_output_mismatch",
            format!(
                "the graph's logits differ from the RNN its initializers define (largest \
                 difference {worst:.3e} on logits of magnitude up to {scale:.3e}): the graph \
                 is not the network the manifest describes"
            ),
        ));
    }
    Ok(())
}

fn signature_error(detail: String) -> ServiceError {
    ServiceError::invalid("onnx_signature_mismatch", detail)
}

fn show(declared: &Declared) -> String {
    let dims: Vec<String> = declared
        .iter()
        .map(|dim| dim.map_or_else(|| "?".to_owned(), |size| size.to_string()))
        .collect();
    format!("[{}]", dims.join(", "))
}
