//! The exported ONNX graph, run by ONNX Runtime, computes what the trainer's own forward pass
//! computes: logits and every hidden state within 1e-5, for α = 1 and α < 1.
//!
//! Needs the ONNX Runtime library: `make test` provisions it and sets ORT_DYLIB_PATH.

use std::sync::OnceLock;

use ndarray::{Array1, Array2, Array3, Ix2, Ix3};
use ort::environment::Environment;
use ort::session::Session;
use ort::value::TensorRef;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use blueprint_core::manifest::{DatasetRef, ModelManifest};
use blueprint_core::network::Variant;
use blueprint_core::network::rnn::RnnWeights;
use blueprint_core::onnx;
use blueprint_core::task::{Task, TaskConfig, TaskKind};

fn environment() -> &'static Environment {
    static ENVIRONMENT: OnceLock<Environment> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let path = std::env::var("ORT_DYLIB_PATH").expect(
            "ORT_DYLIB_PATH is not set: run the suite with `make test`, which provisions ONNX Runtime",
        );
        ort::init_from(&path)
            .unwrap_or_else(|e| panic!("could not load ONNX Runtime from {path}: {e}"))
            .build()
            .expect("an ONNX Runtime environment")
    })
}

fn manifest(task: TaskKind, n: usize, alpha: f64) -> ModelManifest {
    let dataset = DatasetRef {
        name: "synthetic".into(),
        field: "synthetic".into(),
        synthetic_seed: Some(0),
    };
    ModelManifest {
        alpha,
        ..ModelManifest::untrained(
            "parity",
            TaskConfig::default_for(task),
            Variant::W,
            dataset,
            n,
        )
    }
}

fn random_weights(n_in: usize, n: usize, n_out: usize, alpha: f32, seed: u64) -> RnnWeights<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scale = 1.2 / (n as f32).sqrt();
    let mut random = |rows: usize, cols: usize, s: f32| {
        Array2::from_shape_fn((rows, cols), |_| rng.random_range(-s..s))
    };
    RnnWeights {
        w_in: random(n_in, n, 1.0),
        w_rec: random(n, n, scale * 1.7),
        b: random(1, n, 0.1).row(0).to_owned(),
        w_out: random(n, n_out, 1.0),
        b_out: Array1::from_shape_fn(n_out, |k| 0.05 * k as f32),
        alpha,
    }
}

fn max_abs_difference<D: ndarray::Dimension>(
    a: &ndarray::Array<f32, D>,
    b: &ndarray::ArrayView<f32, D>,
) -> f32 {
    a.iter()
        .zip(b.iter())
        .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()))
}

fn check_parity(task: TaskKind, n: usize, alpha: f32, seed: u64) {
    let t = Task::default_for(task);
    let weights = random_weights(t.n_inputs(), n, t.n_outputs(), alpha, seed);
    let bytes = onnx::export(&weights, &manifest(task, n, f64::from(alpha))).unwrap();
    let mut session = Session::builder(environment())
        .unwrap()
        .commit_from_memory(&bytes)
        .unwrap();
    // Odd batch and trial length: both axes are dynamic.
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 1);
    let time = t.n_steps() + 3;
    let inputs = Array3::from_shape_fn((5, time, t.n_inputs()), |_| rng.random_range(-0.2f32..1.2));
    let expected = weights.forward(inputs.view()).unwrap();
    let outputs = session
        .run(ort::inputs!["x" => TensorRef::from_array_view(inputs.view()).unwrap()])
        .unwrap();
    let logits = outputs["logits"]
        .try_extract_array::<f32>()
        .unwrap()
        .into_dimensionality::<Ix2>()
        .unwrap();
    let hidden = outputs["hidden"]
        .try_extract_array::<f32>()
        .unwrap()
        .into_dimensionality::<Ix3>()
        .unwrap();
    assert_eq!(hidden.dim(), (5, time, n));
    let logit_error = max_abs_difference(&expected.logits, &logits);
    let hidden_error = max_abs_difference(&expected.hidden, &hidden);
    assert!(
        logit_error <= 1e-5,
        "{task} α={alpha}: logits differ by {logit_error:e}"
    );
    assert!(
        hidden_error <= 1e-5,
        "{task} α={alpha}: hidden states differ by {hidden_error:e}"
    );
    assert!(
        expected.hidden.iter().any(|&h| h > 0.1),
        "the test network is not silent"
    );
}

#[test]
fn onnx_runtime_matches_the_trainer_forward_pass_for_the_discrete_cell() {
    check_parity(TaskKind::OneChoiceInference, 64, 1.0, 1);
    check_parity(TaskKind::GoNogo, 33, 1.0, 2);
}

#[test]
fn onnx_runtime_matches_the_trainer_forward_pass_for_the_leaky_cell() {
    check_parity(TaskKind::PerceptualDm, 48, 0.25, 3);
    check_parity(TaskKind::GoNogo, 20, 0.9, 4);
}

#[test]
fn onnx_runtime_refuses_a_truncated_export() {
    let bytes = onnx::export(
        &random_weights(3, 8, 2, 1.0, 5),
        &manifest(TaskKind::GoNogo, 8, 1.0),
    )
    .unwrap();
    assert!(
        Session::builder(environment())
            .unwrap()
            .commit_from_memory(&bytes[..bytes.len() - 40])
            .is_err()
    );
}
