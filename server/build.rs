//! Computes the evaluator, metrics and figures identities that cache keys carry: a hash of the sources
//! whose code decides an evaluation's or a metric report's numbers. Any edit to them gives a
//! new identity, so a changed evaluator never serves an old one's cached results (the crate
//! version alone never changes).

include!("../build-support/source_hash.rs");

/// Sources of evaluation numbers: the tasks (trials), the RNN cell and scoring, the server's
/// batching and scoring.
const EVALUATOR_SOURCES: &[&str] = &[
    "../core/src/task",
    "../core/src/network/rnn.rs",
    "../core/src/stats/psychometric.rs",
    "src/inference/evaluation.rs",
    "src/service/evaluation.rs",
];

/// Sources of figures (evaluation figures also carry the evaluator's identity).
const FIGURES_SOURCES: &[&str] = &[
    "../core/src/figures.rs",
    "../core/src/metrics",
    "../core/src/stats",
    "src/service/figures.rs",
];

/// Sources of metric reports.
const METRICS_SOURCES: &[&str] = &["../core/src/metrics", "src/service/metrics.rs"];

fn main() {
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!(
        "cargo:rustc-env=BLUEPRINT_EVALUATOR_ID={}",
        hash_sources(&root, EVALUATOR_SOURCES)
    );
    println!(
        "cargo:rustc-env=BLUEPRINT_METRICS_ID={}",
        hash_sources(&root, METRICS_SOURCES)
    );
    println!(
        "cargo:rustc-env=BLUEPRINT_FIGURES_ID={}",
        hash_sources(&root, FIGURES_SOURCES)
    );
    // sqlx's `migrate!` embeds the migrations; a new file must rebuild the crate.
    println!("cargo:rerun-if-changed=../migrations/sqlite");
    println!("cargo:rerun-if-changed=../migrations/postgres");
}
