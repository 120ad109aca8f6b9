//! Computes the evaluator and metrics identities that cache keys carry: a SHA-256 prefix of
//! the sources whose code decides an evaluation's or a metric report's numbers. Any edit to
//! them gives a new identity, so a changed evaluator never serves an old one's cached results
//! (the crate version alone never changes).

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Sources of evaluation numbers: the tasks (trials), the RNN cell and scoring, the server's
/// batching and scoring.
const EVALUATOR_SOURCES: &[&str] = &[
    "../core/src/task",
    "../core/src/network/rnn.rs",
    "src/inference/evaluation.rs",
    "src/service/evaluation.rs",
];

/// Sources of metric reports.
const METRICS_SOURCES: &[&str] = &["../core/src/metrics", "src/service/metrics.rs"];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    for (variable, sources) in [
        ("BLUEPRINT_EVALUATOR_ID", EVALUATOR_SOURCES),
        ("BLUEPRINT_METRICS_ID", METRICS_SOURCES),
    ] {
        let mut files = Vec::new();
        for source in sources {
            let path = manifest_dir.join(source);
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, &mut files);
        }
        files.sort();
        let mut hasher = Sha256::new();
        for file in &files {
            let relative = file.strip_prefix(&manifest_dir).unwrap_or(file);
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(fs::read(file).expect("a source file is readable"));
            hasher.update([0]);
        }
        let digest: String = hasher.finalize()[..8]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        println!("cargo:rustc-env={variable}={digest}");
    }
}

/// Every `.rs` file at or under `path`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).expect("a source folder is readable") {
            collect(&entry.expect("a folder entry").path(), files);
        }
    } else if path.extension().is_some_and(|extension| extension == "rs") {
        files.push(path.to_path_buf());
    }
}
