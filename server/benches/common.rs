//! What the benchmarks (and the CUDA parity test) share: a study-like network exported by
//! `core`, and where the CUDA build of ONNX Runtime is provisioned.

use std::path::{Path, PathBuf};

use blueprint_core::manifest::{DatasetRef, ModelManifest, sha256_hex};
use blueprint_core::network::Variant;
use blueprint_core::network::init::orthogonal;
use blueprint_core::network::rnn::{RnnWeights, glorot_uniform};
use blueprint_core::onnx;
use blueprint_core::task::{Task, TaskConfig, TaskKind};
use ndarray::Array1;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// An `n`-unit `task` network with a 0.95-gain orthogonal `W_rec` and Glorot in/out weights
/// from `seed`, its ONNX bytes and its manifest (checksum filled in).
pub fn bench_model(n: usize, task: TaskKind, seed: u64) -> (Vec<u8>, ModelManifest) {
    let sizes = Task::default_for(task);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights = RnnWeights {
        w_in: glorot_uniform(sizes.n_inputs(), n, &mut rng),
        w_rec: orthogonal(n, &mut rng) * 0.95,
        b: Array1::zeros(n),
        w_out: glorot_uniform(n, sizes.n_outputs(), &mut rng),
        b_out: Array1::zeros(sizes.n_outputs()),
        alpha: 1.0,
    }
    .cast::<f32>();
    let dataset = DatasetRef {
        name: "bench".into(),
        field: "bench".into(),
        synthetic_seed: None,
    };
    let mut manifest = ModelManifest::untrained(
        format!("bench-{n}"),
        TaskConfig::default_for(task),
        Variant::W,
        dataset,
        n,
    );
    let bytes = onnx::export(&weights, &manifest).unwrap();
    manifest.onnx_sha256 = Some(sha256_hex(&bytes));
    (bytes, manifest)
}

/// The CUDA build of ONNX Runtime: `BLUEPRINT_GPU_ORT`, or where
/// `ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh` puts it; `None` when absent.
#[allow(dead_code)]
pub fn gpu_library() -> Option<PathBuf> {
    let path = std::env::var_os("BLUEPRINT_GPU_ORT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../.cache/onnxruntime-gpu/1.31.1/libonnxruntime.so.1.31.1")
        });
    path.is_file().then_some(path)
}
