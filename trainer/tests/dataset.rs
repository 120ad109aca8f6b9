//! `dataset describe|synth|export` on the real bundle and on a synthetic one.

use std::fs::File;
use std::path::PathBuf;

use ndarray::Array2;
use ndarray_npy::ReadNpyExt;

use blueprint_core::data::Bundle;
use blueprint_core::data::synthetic::SyntheticConfig;
use blueprint_trainer::dataset::{describe, export, synth};

fn microns() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/microns/minnie65_cortical_blueprint")
}

fn matrix(path: PathBuf) -> Array2<f64> {
    Array2::<f64>::read_npy(File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap()
}

#[test]
fn describe_summarises_a_field_and_says_where_its_matrices_come_from() {
    let shipped = describe(&microns(), "6_6_2").unwrap();
    assert!(shipped.contains("neurons      312"), "{shipped}");
    assert!(
        shipped.contains("338 in 316 directed connections"),
        "{shipped}"
    );
    assert!(
        shipped.contains("(shipped)") && shipped.contains("12×13×2"),
        "{shipped}"
    );
    let derived = describe(&microns(), "4_7_8").unwrap();
    assert!(derived.contains("derived from spikes"), "{derived}");
    assert!(
        describe(&microns(), "0_0_0")
            .unwrap_err()
            .to_string()
            .contains("unknown field")
    );
}

#[test]
fn export_writes_every_matrix_in_the_fields_row_order() {
    let out = tempfile::tempdir().unwrap();
    export(&microns(), "4_7_8", out.path()).unwrap();
    let field = Bundle::open(microns())
        .unwrap()
        .load_field("4_7_8")
        .unwrap();
    let n = field.n_neurons();
    let synapses = matrix(out.path().join("synapses.npy"));
    assert_eq!(synapses, field.synapses);
    let sttc = matrix(out.path().join("sttc.npy"));
    assert_eq!(sttc.dim(), (n, n));
    assert_eq!(sttc, sttc.t(), "STTC is written symmetrised");
    assert_eq!(matrix(out.path().join("corr.npy")).dim(), (n, n));
    assert_eq!(matrix(out.path().join("precision.npy")).dim(), (n, n));
    let distance = matrix(out.path().join("distance_um.npy"));
    assert!(
        (distance[[0, 1]]
            - (&field.positions_um.row(0) - &field.positions_um.row(1))
                .pow2()
                .sum()
                .sqrt())
        .abs()
            < 1e-9
    );
    let positions = std::fs::read_to_string(out.path().join("positions_um.csv")).unwrap();
    let lines: Vec<&str> = positions.lines().collect();
    assert_eq!(lines[0], "nucleus_id,x,y,z");
    assert_eq!(lines.len(), n + 1);
    assert!(lines[1].starts_with(&format!("{},", field.nucleus_ids[0])));
}

#[test]
fn synth_writes_a_bundle_the_reader_loads() {
    let out = tempfile::tempdir().unwrap();
    let config = SyntheticConfig {
        n_neurons: 25,
        seed: 4,
        duration_s: 300.0,
        ..SyntheticConfig::default()
    };
    synth(&config, out.path()).unwrap();
    let text = describe(out.path(), "synthetic").unwrap();
    assert!(
        text.contains("neurons      25") && text.contains("derived from spikes"),
        "{text}"
    );
}
