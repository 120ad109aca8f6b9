//! ONNX files of Blueprint networks: the exporter the trainer uses and the reader the server
//! uses, so the graph layout is defined once.
//!
//! The graph (opset 17, IR 8):
//!
//! ```text
//! x [batch, time, n_in] ──┬─ Shape → Gather(0) → Concat([N]) → ConstantOfShape(0) → h0 [batch, N]
//!                         └──────────────────────────────┐
//! Scan(h0, x; scan axis 1) with body                     │
//!     h_next = (1 − α)·h_prev + α·Relu(x_t·W_in + h_prev·W_rec + b)   (α = 1: just the Relu)
//!     outputs: state h_next, scan output h_next
//! → h_T [batch, N], hidden [batch, time, N]
//! logits = h_T·W_out + b_out  [batch, n_out]
//! ```
//!
//! The weights are named float32 initializers `W_in`, `W_rec`, `b`, `W_out`, `b_out` of the
//! main graph, which the Scan body reads from the outer scope; the manifest JSON sits in
//! `metadata_props` under [`MANIFEST_KEY`].

pub mod canonical;
pub mod proto;

pub use canonical::{CanonicalError, MAX_ABS_WEIGHT, check_canonical};

use std::collections::HashMap;

use ndarray::{Array1, Array2};
use prost::Message;

use crate::manifest::ModelManifest;
use crate::network::rnn::RnnWeights;
use proto::tensor_shape_proto::{Dimension, dimension};
use proto::{
    AttributeProto, GraphProto, ModelProto, NodeProto, OperatorSetIdProto, StringStringEntryProto,
    TensorProto, TensorShapeProto, TypeProto, ValueInfoProto, attribute_type, type_proto,
};

/// The `metadata_props` key holding the manifest JSON.
pub const MANIFEST_KEY: &str = "blueprint.manifest";
/// The opset Blueprint graphs use.
pub const OPSET: i64 = 17;
const IR_VERSION: i64 = 8;

/// Why a file is not a Blueprint ONNX model.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OnnxError {
    #[error("not an ONNX protobuf: {0}")]
    Decode(String),
    #[error("the model has no graph")]
    NoGraph,
    #[error("initializer `{name}`: {message}")]
    Initializer { name: String, message: String },
    #[error("missing initializer `{0}`")]
    MissingInitializer(String),
    #[error("the weights are inconsistent: {0}")]
    Weights(String),
}

/// A tensor dimension as declared in the graph.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Dim {
    Fixed(i64),
    Named(String),
    Unknown,
}

/// A graph input or output.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ValueSpec {
    pub name: String,
    /// `TensorProto.DataType` of the elements (1 = float32).
    pub elem_type: i32,
    pub dims: Vec<Dim>,
}

/// A float initializer.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatTensor {
    pub dims: Vec<usize>,
    pub data: Vec<f32>,
}

/// What the reader extracts from an ONNX file.
#[derive(Clone, Debug, PartialEq)]
pub struct OnnxModel {
    pub ir_version: i64,
    pub opset: Option<i64>,
    pub inputs: Vec<ValueSpec>,
    pub outputs: Vec<ValueSpec>,
    /// Float initializers of the main graph by name (other types are skipped).
    pub initializers: HashMap<String, FloatTensor>,
    pub metadata: HashMap<String, String>,
}

impl OnnxModel {
    /// A rank-2 float initializer as `[rows, cols]`.
    pub fn matrix(&self, name: &str) -> Result<Array2<f32>, OnnxError> {
        let tensor = self.tensor(name)?;
        match tensor.dims.as_slice() {
            &[rows, cols] => Ok(Array2::from_shape_vec((rows, cols), tensor.data.clone())
                .expect("dims checked against data length when read")),
            dims => Err(OnnxError::Initializer {
                name: name.into(),
                message: format!("expected a matrix, found dims {dims:?}"),
            }),
        }
    }

    /// A rank-1 float initializer.
    pub fn vector(&self, name: &str) -> Result<Array1<f32>, OnnxError> {
        let tensor = self.tensor(name)?;
        match tensor.dims.as_slice() {
            [_] => Ok(Array1::from(tensor.data.clone())),
            dims => Err(OnnxError::Initializer {
                name: name.into(),
                message: format!("expected a vector, found dims {dims:?}"),
            }),
        }
    }

    fn tensor(&self, name: &str) -> Result<&FloatTensor, OnnxError> {
        self.initializers
            .get(name)
            .ok_or_else(|| OnnxError::MissingInitializer(name.into()))
    }

    /// The network's weights, with α from the caller (the manifest).
    pub fn rnn_weights(&self, alpha: f32) -> Result<RnnWeights<f32>, OnnxError> {
        let weights = RnnWeights {
            w_in: self.matrix("W_in")?,
            w_rec: self.matrix("W_rec")?,
            b: self.vector("b")?,
            w_out: self.matrix("W_out")?,
            b_out: self.vector("b_out")?,
            alpha,
        };
        weights
            .validate()
            .map_err(|e| OnnxError::Weights(e.to_string()))?;
        Ok(weights)
    }

    /// The manifest embedded in `metadata_props`, if any.
    pub fn embedded_manifest(&self) -> Option<&str> {
        self.metadata.get(MANIFEST_KEY).map(String::as_str)
    }
}

/// Parses an ONNX file.
pub fn read_model(bytes: &[u8]) -> Result<OnnxModel, OnnxError> {
    let model = ModelProto::decode(bytes).map_err(|e| OnnxError::Decode(e.to_string()))?;
    let graph = model.graph.ok_or(OnnxError::NoGraph)?;
    let mut initializers = HashMap::new();
    for tensor in &graph.initializer {
        if tensor.data_type == proto::DATA_TYPE_FLOAT {
            initializers.insert(tensor.name.clone(), float_tensor(tensor)?);
        }
    }
    Ok(OnnxModel {
        ir_version: model.ir_version,
        opset: model
            .opset_import
            .iter()
            .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
            .map(|o| o.version),
        inputs: graph.input.iter().map(value_spec).collect(),
        outputs: graph.output.iter().map(value_spec).collect(),
        initializers,
        metadata: model
            .metadata_props
            .into_iter()
            .map(|entry| (entry.key, entry.value))
            .collect(),
    })
}

fn float_tensor(tensor: &TensorProto) -> Result<FloatTensor, OnnxError> {
    let error = |message: String| OnnxError::Initializer {
        name: tensor.name.clone(),
        message,
    };
    let dims: Vec<usize> = tensor
        .dims
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| error(format!("negative dimension {d}"))))
        .collect::<Result<_, _>>()?;
    // Checked: hostile dims (2^62 × 2^62) must be an error, not an overflow.
    let expected = dims
        .iter()
        .try_fold(1usize, |product, &d| product.checked_mul(d))
        .and_then(|count| count.checked_mul(4).map(|_| count))
        .ok_or_else(|| error(format!("dims {dims:?} hold more values than memory can")))?;
    let data: Vec<f32> = if !tensor.raw_data.is_empty() {
        if tensor.raw_data.len() != expected * 4 {
            return Err(error(format!(
                "raw data holds {} bytes, dims {dims:?} need {}",
                tensor.raw_data.len(),
                expected * 4
            )));
        }
        tensor
            .raw_data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    } else {
        tensor.float_data.clone()
    };
    if data.len() != expected {
        return Err(error(format!(
            "holds {} values, dims {dims:?} need {expected}",
            data.len()
        )));
    }
    Ok(FloatTensor { dims, data })
}

fn value_spec(value: &ValueInfoProto) -> ValueSpec {
    let (elem_type, dims) = match value.r#type.as_ref().and_then(|t| t.value.as_ref()) {
        Some(type_proto::Value::TensorType(tensor)) => (
            tensor.elem_type,
            tensor
                .shape
                .as_ref()
                .map(|shape| {
                    shape
                        .dim
                        .iter()
                        .map(|d| match &d.value {
                            Some(dimension::Value::DimValue(v)) => Dim::Fixed(*v),
                            Some(dimension::Value::DimParam(p)) => Dim::Named(p.clone()),
                            None => Dim::Unknown,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        None => (0, Vec::new()),
    };
    ValueSpec {
        name: value.name.clone(),
        elem_type,
        dims,
    }
}

/// Builds the ONNX file of a network. The manifest (without `onnx_sha256`, which cannot be
/// known before the bytes exist) is embedded in `metadata_props`.
///
/// # Shapes
/// `weights`: `W_in [n_in, N]`, `W_rec [N, N]`, `b [N]`, `W_out [N, n_out]`, `b_out [n_out]`.
pub fn export(weights: &RnnWeights<f32>, manifest: &ModelManifest) -> Result<Vec<u8>, OnnxError> {
    weights
        .validate()
        .map_err(|e| OnnxError::Weights(e.to_string()))?;
    let (n_in, n, n_out) = (
        weights.n_inputs(),
        weights.hidden_size(),
        weights.n_outputs(),
    );
    let names = &manifest.onnx;
    let leaky = weights.alpha != 1.0;

    let mut initializer = vec![
        float_initializer("W_in", &[n_in, n], weights.w_in.iter().copied()),
        float_initializer("W_rec", &[n, n], weights.w_rec.iter().copied()),
        float_initializer("b", &[n], weights.b.iter().copied()),
        float_initializer("W_out", &[n, n_out], weights.w_out.iter().copied()),
        float_initializer("b_out", &[n_out], weights.b_out.iter().copied()),
        int64_initializer("batch_axis_index", &[1], &[0]),
        int64_initializer("hidden_size", &[1], &[n as i64]),
    ];
    if leaky {
        initializer.push(float_initializer("alpha", &[], [weights.alpha]));
        initializer.push(float_initializer(
            "one_minus_alpha",
            &[],
            [1.0 - weights.alpha],
        ));
    }

    let mut body_nodes = vec![
        node("MatMul", &["x_t", "W_in"], &["input_drive"], vec![]),
        node("MatMul", &["h_prev", "W_rec"], &["recurrent_drive"], vec![]),
        node(
            "Add",
            &["input_drive", "recurrent_drive"],
            &["drive_no_bias"],
            vec![],
        ),
        node("Add", &["drive_no_bias", "b"], &["drive"], vec![]),
    ];
    if leaky {
        body_nodes.extend([
            node("Relu", &["drive"], &["activation"], vec![]),
            node("Mul", &["h_prev", "one_minus_alpha"], &["kept"], vec![]),
            node("Mul", &["activation", "alpha"], &["added"], vec![]),
            node("Add", &["kept", "added"], &["h_next"], vec![]),
        ]);
    } else {
        body_nodes.push(node("Relu", &["drive"], &["h_next"], vec![]));
    }
    body_nodes.push(node("Identity", &["h_next"], &["h_out"], vec![]));
    let batch = || Dim::Named("batch".into());
    let body = GraphProto {
        node: body_nodes,
        name: "rnn_step".into(),
        input: vec![
            value_info("h_prev", &[batch(), Dim::Fixed(n as i64)]),
            value_info("x_t", &[batch(), Dim::Fixed(n_in as i64)]),
        ],
        output: vec![
            value_info("h_next", &[batch(), Dim::Fixed(n as i64)]),
            value_info("h_out", &[batch(), Dim::Fixed(n as i64)]),
        ],
        ..GraphProto::default()
    };

    let zero = TensorProto {
        dims: vec![1],
        data_type: proto::DATA_TYPE_FLOAT,
        float_data: vec![0.0],
        ..TensorProto::default()
    };
    let nodes = vec![
        node("Shape", &[&names.input], &["x_shape"], vec![]),
        node(
            "Gather",
            &["x_shape", "batch_axis_index"],
            &["batch_size"],
            vec![int_attribute("axis", 0)],
        ),
        node(
            "Concat",
            &["batch_size", "hidden_size"],
            &["h0_shape"],
            vec![int_attribute("axis", 0)],
        ),
        node(
            "ConstantOfShape",
            &["h0_shape"],
            &["h0"],
            vec![AttributeProto {
                name: "value".into(),
                t: Some(zero),
                r#type: attribute_type::TENSOR,
                ..AttributeProto::default()
            }],
        ),
        node(
            "Scan",
            &["h0", &names.input],
            &["h_final", &names.hidden],
            vec![
                AttributeProto {
                    name: "body".into(),
                    g: Some(Box::new(body)),
                    r#type: attribute_type::GRAPH,
                    ..AttributeProto::default()
                },
                int_attribute("num_scan_inputs", 1),
                ints_attribute("scan_input_axes", &[1]),
                ints_attribute("scan_output_axes", &[1]),
            ],
        ),
        node("MatMul", &["h_final", "W_out"], &["readout"], vec![]),
        node("Add", &["readout", "b_out"], &[&names.logits], vec![]),
    ];
    let time = || Dim::Named("time".into());
    let graph = GraphProto {
        node: nodes,
        name: "blueprint_rnn".into(),
        initializer,
        doc_string: format!("{} · {} · N = {n}", manifest.task, manifest.variant),
        input: vec![value_info(
            &names.input,
            &[batch(), time(), Dim::Fixed(n_in as i64)],
        )],
        output: vec![
            value_info(&names.logits, &[batch(), Dim::Fixed(n_out as i64)]),
            value_info(&names.hidden, &[batch(), time(), Dim::Fixed(n as i64)]),
        ],
        ..GraphProto::default()
    };
    let mut embedded = manifest.clone();
    embedded.onnx_sha256 = None;
    let model = ModelProto {
        ir_version: IR_VERSION,
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: OPSET,
        }],
        producer_name: "blueprint".into(),
        producer_version: env!("CARGO_PKG_VERSION").into(),
        graph: Some(graph),
        metadata_props: vec![StringStringEntryProto {
            key: MANIFEST_KEY.into(),
            value: embedded.to_json(),
        }],
        ..ModelProto::default()
    };
    Ok(model.encode_to_vec())
}

fn float_initializer(
    name: &str,
    dims: &[usize],
    values: impl IntoIterator<Item = f32>,
) -> TensorProto {
    TensorProto {
        dims: dims.iter().map(|&d| d as i64).collect(),
        data_type: proto::DATA_TYPE_FLOAT,
        name: name.into(),
        raw_data: values.into_iter().flat_map(f32::to_le_bytes).collect(),
        ..TensorProto::default()
    }
}

fn int64_initializer(name: &str, dims: &[usize], values: &[i64]) -> TensorProto {
    TensorProto {
        dims: dims.iter().map(|&d| d as i64).collect(),
        data_type: proto::DATA_TYPE_INT64,
        name: name.into(),
        int64_data: values.to_vec(),
        ..TensorProto::default()
    }
}

fn node(
    op_type: &str,
    inputs: &[&str],
    outputs: &[&str],
    attribute: Vec<AttributeProto>,
) -> NodeProto {
    NodeProto {
        input: inputs.iter().map(|s| s.to_string()).collect(),
        output: outputs.iter().map(|s| s.to_string()).collect(),
        name: format!("{op_type}_{}", outputs[0]),
        op_type: op_type.into(),
        attribute,
        ..NodeProto::default()
    }
}

fn int_attribute(name: &str, value: i64) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        i: value,
        r#type: attribute_type::INT,
        ..AttributeProto::default()
    }
}

fn ints_attribute(name: &str, values: &[i64]) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        ints: values.to_vec(),
        r#type: attribute_type::INTS,
        ..AttributeProto::default()
    }
}

fn value_info(name: &str, dims: &[Dim]) -> ValueInfoProto {
    let dim = dims
        .iter()
        .map(|d| Dimension {
            value: match d {
                Dim::Fixed(v) => Some(dimension::Value::DimValue(*v)),
                Dim::Named(p) => Some(dimension::Value::DimParam(p.clone())),
                Dim::Unknown => None,
            },
        })
        .collect();
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type: proto::DATA_TYPE_FLOAT,
                shape: Some(TensorShapeProto { dim }),
            })),
        }),
        ..ValueInfoProto::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::DatasetRef;
    use crate::network::Variant;
    use crate::task::{TaskConfig, TaskKind};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn manifest(n: usize, alpha: f64) -> ModelManifest {
        let dataset = DatasetRef {
            name: "synthetic".into(),
            field: "synthetic".into(),
            synthetic_seed: Some(0),
        };
        let task = TaskConfig::default_for(TaskKind::GoNogo);
        ModelManifest {
            alpha,
            ..ModelManifest::untrained("test", task, Variant::W, dataset, n)
        }
    }

    fn weights(n: usize, alpha: f32) -> RnnWeights<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut random = |rows: usize, cols: usize| {
            Array2::from_shape_fn((rows, cols), |_| rng.random_range(-0.5f32..0.5))
        };
        RnnWeights {
            w_in: random(3, n),
            w_rec: random(n, n),
            b: random(1, n).row(0).to_owned(),
            w_out: random(n, 2),
            b_out: Array1::from(vec![0.1, -0.2]),
            alpha,
        }
    }

    #[test]
    fn an_exported_model_reads_back_with_its_weights_signature_and_manifest() {
        let w = weights(7, 0.5);
        let bytes = export(&w, &manifest(7, 0.5)).unwrap();
        let model = read_model(&bytes).unwrap();
        assert_eq!(model.opset, Some(OPSET));
        assert_eq!(model.rnn_weights(0.5).unwrap(), w);
        let names: Vec<&str> = model.outputs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, vec!["logits", "hidden"]);
        assert_eq!(
            model.inputs[0].dims,
            vec![
                Dim::Named("batch".into()),
                Dim::Named("time".into()),
                Dim::Fixed(3)
            ]
        );
        let embedded = ModelManifest::from_json(model.embedded_manifest().unwrap()).unwrap();
        assert_eq!(embedded.hidden_size, 7);
        assert_eq!(embedded.onnx_sha256, None);
    }

    #[test]
    fn garbage_and_truncated_files_are_refused() {
        assert!(matches!(
            read_model(b"not a model"),
            Err(OnnxError::Decode(_)) | Err(OnnxError::NoGraph)
        ));
        let bytes = export(&weights(5, 1.0), &manifest(5, 1.0)).unwrap();
        assert!(read_model(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn overflowing_dims_are_an_error_not_a_panic() {
        let bytes = export(&weights(5, 1.0), &manifest(5, 1.0)).unwrap();
        let mut model = ModelProto::decode(bytes.as_slice()).unwrap();
        let graph = model.graph.as_mut().unwrap();
        graph.initializer[0].dims = vec![1 << 62, 1 << 62];
        let error = read_model(&model.encode_to_vec()).unwrap_err();
        assert!(error.to_string().contains("more values"), "{error}");
    }

    #[test]
    fn inconsistent_weights_are_not_exported() {
        let mut w = weights(5, 1.0);
        w.b = Array1::zeros(4);
        assert!(matches!(
            export(&w, &manifest(5, 1.0)),
            Err(OnnxError::Weights(_))
        ));
    }
}
