//! Is an uploaded file a Blueprint network, and nothing else?
//!
//! A file passes when it is, byte for byte in every part that computes, the graph that
//! [`export`](super::export) writes for its own weights and its manifest: the same nodes in the
//! same order with the same attributes (the Scan body included), the same inputs, outputs,
//! initializers (the int64 shape constants and α included), IR version and opset. Only what
//! cannot change the computation may differ: the embedded manifest (checked elsewhere against
//! the uploaded one), `producer_name`/`producer_version` and doc strings.
//!
//! The file must also be the protobuf encoding that [`export`](super::export) produces: a field
//! this reader does not model (external data, model-local functions, training info, ...) would
//! be skipped by the decoder but seen by ONNX Runtime, so a file whose decoded form does not
//! re-encode to the same bytes is refused too.
//!
//! This is what keeps a hostile graph (an `If` on the batch size, a `Loop` of matrix products,
//! a huge `ConstantOfShape`) away from ONNX Runtime: the check is pure Rust over the decoded
//! protobuf and runs before any session is built.

use prost::Message;

use super::proto::{AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto};
use super::{MANIFEST_KEY, OnnxError, export, read_model};
use crate::manifest::ModelManifest;

/// The largest |value| an initializer may hold. Trained Blueprint weights are of order 1 (the
/// study's initialisers have spectral radius ≤ 1.5 and Adam moves them by ~1e-3 per step); a
/// bound far above that still refuses values that overflow float32 arithmetic within a few
/// steps (a `W_rec` of 3e38).
pub const MAX_ABS_WEIGHT: f32 = 1.0e4;

/// Why a file is not the canonical graph of its weights and manifest.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CanonicalError {
    /// The file cannot be read as a Blueprint model at all.
    #[error(transparent)]
    Onnx(#[from] OnnxError),
    /// An initializer holds NaN, ±∞ or a value beyond [`MAX_ABS_WEIGHT`].
    #[error(
        "initializer `{name}` holds {value} at index {index}: every weight must be finite with |w| ≤ {MAX_ABS_WEIGHT:e}"
    )]
    Weight {
        name: String,
        index: usize,
        value: f32,
    },
    /// The graph differs from the canonical one; the message names the first difference.
    #[error("the graph is not the Blueprint network of its weights: {0}")]
    Graph(String),
}

/// Checks that `bytes` is the canonical Blueprint graph of its own initializers for `manifest`
/// (see the module), with every float initializer finite and within [`MAX_ABS_WEIGHT`].
///
/// # Errors
/// [`CanonicalError::Onnx`] when the file does not parse or its weights are inconsistent,
/// [`CanonicalError::Weight`] naming the first bad value, [`CanonicalError::Graph`] naming the
/// first difference from the canonical graph.
pub fn check_canonical(bytes: &[u8], manifest: &ModelManifest) -> Result<(), CanonicalError> {
    let model = read_model(bytes)?;
    let mut names: Vec<&String> = model.initializers.keys().collect();
    names.sort();
    for name in names {
        let tensor = &model.initializers[name];
        if let Some((index, &value)) = tensor
            .data
            .iter()
            .enumerate()
            .find(|(_, value)| value.is_nan() || value.abs() > MAX_ABS_WEIGHT)
        {
            return Err(CanonicalError::Weight {
                name: name.clone(),
                index,
                value,
            });
        }
    }
    let uploaded = ModelProto::decode(bytes).map_err(|e| OnnxError::Decode(e.to_string()))?;
    if uploaded.encode_to_vec() != bytes {
        return Err(CanonicalError::Graph(
            "the file holds fields or encodings that Blueprint's exporter never writes \
             (for example external data, functions or training info)"
                .to_owned(),
        ));
    }
    let weights = model.rnn_weights(manifest.alpha as f32)?;
    let canonical = ModelProto::decode(export(&weights, manifest)?.as_slice())
        .expect("the exporter writes decodable protobuf");
    if let Some(difference) = first_difference(&uploaded, &canonical) {
        return Err(CanonicalError::Graph(difference));
    }
    Ok(())
}

/// The first difference between an uploaded model and the canonical one, in the parts that
/// compute; `None` when there is none.
fn first_difference(uploaded: &ModelProto, canonical: &ModelProto) -> Option<String> {
    if uploaded.ir_version != canonical.ir_version {
        return Some(format!(
            "IR version {} (expected {})",
            uploaded.ir_version, canonical.ir_version
        ));
    }
    if uploaded.opset_import != canonical.opset_import {
        return Some(format!(
            "opset imports {:?} (expected {:?})",
            uploaded.opset_import, canonical.opset_import
        ));
    }
    if !uploaded.domain.is_empty() || uploaded.model_version != 0 {
        return Some("the model sets a domain or model_version".to_owned());
    }
    let extra_metadata: Vec<&str> = uploaded
        .metadata_props
        .iter()
        .map(|entry| entry.key.as_str())
        .filter(|key| *key != MANIFEST_KEY)
        .collect();
    if !extra_metadata.is_empty() || uploaded.metadata_props.len() > 1 {
        return Some(format!(
            "metadata may hold only one `{MANIFEST_KEY}` entry, found keys {:?}",
            uploaded
                .metadata_props
                .iter()
                .map(|entry| entry.key.as_str())
                .collect::<Vec<_>>()
        ));
    }
    match (&uploaded.graph, &canonical.graph) {
        (Some(uploaded), Some(canonical)) => graph_difference("graph", uploaded, canonical),
        _ => Some("the model has no graph".to_owned()),
    }
}

fn graph_difference(path: &str, uploaded: &GraphProto, canonical: &GraphProto) -> Option<String> {
    if let Some(difference) = list_difference(
        &format!("{path} inputs"),
        &uploaded.input,
        &canonical.input,
        |v| v.name.as_str(),
    ) {
        return Some(difference);
    }
    if let Some(difference) = list_difference(
        &format!("{path} outputs"),
        &uploaded.output,
        &canonical.output,
        |v| v.name.as_str(),
    ) {
        return Some(difference);
    }
    if !uploaded.value_info.is_empty() {
        return Some(format!(
            "{path} declares value_info, which Blueprint never writes"
        ));
    }
    for index in 0..uploaded.node.len().max(canonical.node.len()) {
        match (uploaded.node.get(index), canonical.node.get(index)) {
            (Some(found), Some(expected)) => {
                if let Some(difference) =
                    node_difference(&format!("{path} node {index}"), found, expected)
                {
                    return Some(difference);
                }
            }
            (Some(found), None) => {
                return Some(format!(
                    "{path} has an extra node {index} ({}), after the canonical {} nodes",
                    found.op_type,
                    canonical.node.len()
                ));
            }
            (None, Some(expected)) => {
                return Some(format!(
                    "{path} ends after {index} nodes; the canonical graph goes on with {}",
                    expected.op_type
                ));
            }
            (None, None) => unreachable!("index < max of the lengths"),
        }
    }
    if let Some(difference) = list_difference(
        &format!("{path} initializers"),
        &uploaded.initializer,
        &canonical.initializer,
        |t| t.name.as_str(),
    ) {
        return Some(difference);
    }
    None
}

fn node_difference(path: &str, uploaded: &NodeProto, canonical: &NodeProto) -> Option<String> {
    if uploaded.op_type != canonical.op_type || uploaded.domain != canonical.domain {
        return Some(format!(
            "{path} is `{}{}` (expected `{}`)",
            if uploaded.domain.is_empty() {
                String::new()
            } else {
                format!("{}.", uploaded.domain)
            },
            uploaded.op_type,
            canonical.op_type
        ));
    }
    let path = format!("{path} ({})", canonical.op_type);
    if uploaded.input != canonical.input || uploaded.output != canonical.output {
        return Some(format!(
            "{path} maps {:?} → {:?} (expected {:?} → {:?})",
            uploaded.input, uploaded.output, canonical.input, canonical.output
        ));
    }
    if uploaded.attribute.len() != canonical.attribute.len() {
        return Some(format!(
            "{path} has attributes {:?} (expected {:?})",
            names(&uploaded.attribute),
            names(&canonical.attribute)
        ));
    }
    for (found, expected) in uploaded.attribute.iter().zip(&canonical.attribute) {
        if let Some(difference) = attribute_difference(&path, found, expected) {
            return Some(difference);
        }
    }
    None
}

fn attribute_difference(
    path: &str,
    uploaded: &AttributeProto,
    canonical: &AttributeProto,
) -> Option<String> {
    let path = format!("{path} attribute `{}`", canonical.name);
    if uploaded.name != canonical.name {
        return Some(format!("{path} is named `{}`", uploaded.name));
    }
    match (&uploaded.g, &canonical.g) {
        (Some(found), Some(expected)) => {
            let mut found_rest = uploaded.clone();
            let mut expected_rest = canonical.clone();
            found_rest.g = None;
            expected_rest.g = None;
            found_rest.doc_string.clear();
            expected_rest.doc_string.clear();
            if found_rest != expected_rest {
                return Some(format!("{path} differs"));
            }
            graph_difference(&format!("{path} body"), found, expected)
        }
        _ => {
            let mut found = uploaded.clone();
            found.doc_string.clear();
            (found != *canonical).then(|| format!("{path} differs"))
        }
    }
}

fn names(attributes: &[AttributeProto]) -> Vec<&str> {
    attributes.iter().map(|a| a.name.as_str()).collect()
}

/// Compares two lists item by item, ignoring doc strings; names the first item that differs.
fn list_difference<T: Clone + PartialEq + Documented>(
    what: &str,
    uploaded: &[T],
    canonical: &[T],
    name: impl Fn(&T) -> &str,
) -> Option<String> {
    if uploaded.len() != canonical.len() {
        return Some(format!(
            "{what} are {:?} (expected {:?})",
            uploaded.iter().map(&name).collect::<Vec<_>>(),
            canonical.iter().map(&name).collect::<Vec<_>>()
        ));
    }
    uploaded
        .iter()
        .zip(canonical)
        .find(|(found, expected)| found.without_doc() != **expected)
        .map(|(found, expected)| {
            if name(found) == name(expected) {
                format!("{what}: `{}` differs", name(expected))
            } else {
                format!(
                    "{what}: `{}` where `{}` belongs",
                    name(found),
                    name(expected)
                )
            }
        })
}

/// Protobuf messages whose doc string does not compute.
trait Documented: Sized + Clone {
    fn without_doc(&self) -> Self;
}

impl Documented for super::proto::ValueInfoProto {
    fn without_doc(&self) -> Self {
        let mut copy = self.clone();
        copy.doc_string.clear();
        copy
    }
}

impl Documented for TensorProto {
    fn without_doc(&self) -> Self {
        let mut copy = self.clone();
        copy.doc_string.clear();
        copy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::DatasetRef;
    use crate::network::Variant;
    use crate::network::rnn::RnnWeights;
    use crate::task::{TaskConfig, TaskKind};
    use ndarray::{Array1, Array2};

    fn manifest(alpha: f64) -> ModelManifest {
        let dataset = DatasetRef {
            name: "synthetic".into(),
            field: "s1".into(),
            synthetic_seed: Some(0),
        };
        ModelManifest {
            alpha,
            ..ModelManifest::untrained(
                "m",
                TaskConfig::default_for(TaskKind::GoNogo),
                Variant::W,
                dataset,
                4,
            )
        }
    }

    fn weights(alpha: f32) -> RnnWeights<f32> {
        RnnWeights {
            w_in: Array2::from_shape_fn((3, 4), |(i, j)| (i + j) as f32 * 0.1),
            w_rec: Array2::from_shape_fn((4, 4), |(i, j)| (i as f32 - j as f32) * 0.05),
            b: Array1::from(vec![0.0, 0.1, -0.1, 0.2]),
            w_out: Array2::from_shape_fn((4, 2), |(i, j)| (i * 2 + j) as f32 * 0.01),
            b_out: Array1::from(vec![0.1, -0.2]),
            alpha,
        }
    }

    fn edited(alpha: f64, edit: impl FnOnce(&mut ModelProto)) -> Vec<u8> {
        let bytes = export(&weights(alpha as f32), &manifest(alpha)).unwrap();
        let mut model = ModelProto::decode(bytes.as_slice()).unwrap();
        edit(&mut model);
        model.encode_to_vec()
    }

    #[test]
    fn exported_models_are_canonical_for_both_cells() {
        for alpha in [1.0, 0.25] {
            let bytes = export(&weights(alpha as f32), &manifest(alpha)).unwrap();
            check_canonical(&bytes, &manifest(alpha)).unwrap();
        }
    }

    #[test]
    fn an_extra_node_is_named() {
        let bytes = edited(1.0, |model| {
            let graph = model.graph.as_mut().unwrap();
            let mut extra = graph.node[0].clone();
            extra.op_type = "If".into();
            graph.node.insert(1, extra);
        });
        let error = check_canonical(&bytes, &manifest(1.0)).unwrap_err();
        assert!(
            error.to_string().contains("graph node 1 is `If`"),
            "{error}"
        );
    }

    #[test]
    fn a_changed_scan_body_is_named() {
        let bytes = edited(1.0, |model| {
            let graph = model.graph.as_mut().unwrap();
            let scan = graph.node.iter_mut().find(|n| n.op_type == "Scan").unwrap();
            let body = scan.attribute[0].g.as_mut().unwrap();
            body.node[0].op_type = "Loop".into();
        });
        let error = check_canonical(&bytes, &manifest(1.0)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("attribute `body` body node 0 is `Loop`"),
            "{error}"
        );
    }

    #[test]
    fn changed_constants_and_alpha_are_refused() {
        let wrong_hidden = edited(1.0, |model| {
            let graph = model.graph.as_mut().unwrap();
            let t = graph
                .initializer
                .iter_mut()
                .find(|t| t.name == "hidden_size")
                .unwrap();
            t.int64_data = vec![1 << 40];
        });
        let error = check_canonical(&wrong_hidden, &manifest(1.0)).unwrap_err();
        assert!(
            error.to_string().contains("`hidden_size` differs"),
            "{error}"
        );

        // α in the file differs from the manifest's.
        let bytes = export(&weights(0.5), &manifest(0.5)).unwrap();
        assert!(matches!(
            check_canonical(&bytes, &manifest(0.25)),
            Err(CanonicalError::Graph(_))
        ));
    }

    #[test]
    fn attributes_opsets_and_unknown_fields_are_refused() {
        let attribute = edited(1.0, |model| {
            let graph = model.graph.as_mut().unwrap();
            let gather = graph
                .node
                .iter_mut()
                .find(|n| n.op_type == "Gather")
                .unwrap();
            gather.attribute[0].i = 1;
        });
        assert!(
            check_canonical(&attribute, &manifest(1.0))
                .unwrap_err()
                .to_string()
                .contains("attribute `axis` differs")
        );
        let opset = edited(1.0, |model| model.opset_import[0].version = 21);
        assert!(
            check_canonical(&opset, &manifest(1.0))
                .unwrap_err()
                .to_string()
                .contains("opset")
        );
        // An unmodelled field (ModelProto.functions, tag 25) appended to a canonical file.
        let mut key = Vec::new();
        prost::encoding::encode_key(25, prost::encoding::WireType::LengthDelimited, &mut key);
        let mut bytes = export(&weights(1.0), &manifest(1.0)).unwrap();
        bytes.extend_from_slice(&key);
        bytes.extend_from_slice(&[2, 0x0a, 0x00]);
        assert!(
            check_canonical(&bytes, &manifest(1.0))
                .unwrap_err()
                .to_string()
                .contains("never writes")
        );
    }

    #[test]
    fn non_finite_and_huge_weights_are_named() {
        for (bad, expected) in [
            (f32::NAN, "NaN"),
            (3e38, "300000000"),
            (f32::INFINITY, "inf"),
        ] {
            let mut w = weights(1.0);
            w.b_out[1] = bad;
            // The exporter refuses nothing about values; build the file directly.
            let bytes = edited(1.0, |model| {
                let graph = model.graph.as_mut().unwrap();
                let t = graph
                    .initializer
                    .iter_mut()
                    .find(|t| t.name == "b_out")
                    .unwrap();
                t.raw_data = w.b_out.iter().flat_map(|v| v.to_le_bytes()).collect();
            });
            let error = check_canonical(&bytes, &manifest(1.0)).unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains("`b_out`") && message.contains(expected),
                "{message}"
            );
        }
    }
}
