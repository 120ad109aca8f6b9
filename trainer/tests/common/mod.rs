//! What the trainer's test binaries share.

use std::path::Path;

use blueprint_core::data::synthetic::{self, SyntheticConfig};

/// Writes a 40-neuron synthetic bundle to `root` whose field has a study lattice (5×4×2), as
/// MICrONS fields have, so grid variants can run.
pub fn synthetic_bundle(root: &Path) {
    let field = synthetic::generate(&SyntheticConfig {
        n_neurons: 40,
        seed: 3,
        duration_s: 600.0,
        ..SyntheticConfig::default()
    })
    .unwrap();
    field.write_bundle(root).unwrap();
    let fields = std::fs::read_to_string(root.join("fields.csv")).unwrap();
    std::fs::write(
        root.join("fields.csv"),
        fields.trim_end().to_string() + "5x4x2\n",
    )
    .unwrap();
}

/// The study's protocol shrunk to a second a run: one epoch of 64 training trials, 32 held out.
pub const TINY_PROTOCOL: [&str; 8] = [
    "--epochs",
    "1",
    "--train-trials",
    "64",
    "--val-trials",
    "32",
    "--batch-size",
    "32",
];
