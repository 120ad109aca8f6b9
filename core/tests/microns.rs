//! The real MICrONS bundle in `../shared/data/microns/`: alignment by nucleus id, shipped versus
//! derived functional matrices on every field that ships both, and the typed errors.

use std::path::PathBuf;

use blueprint_core::data::{Bundle, DataError, DeriveConfig, FunctionalSource, derive_functional};

fn bundle_dir() -> PathBuf {
    match std::env::var_os("BLUEPRINT_MICRONS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/microns/minnie65_cortical_blueprint"),
    }
}

fn bundle() -> Bundle {
    Bundle::open(bundle_dir()).expect("the shared MICrONS bundle opens")
}

#[test]
fn the_canonical_field_has_312_neurons_aligned_by_nucleus_id() {
    let bundle = bundle();
    let field = bundle.load_field("6_6_2").unwrap();
    assert_eq!(field.n_neurons(), 312);
    let info = bundle.field_info("6_6_2").unwrap();
    assert_eq!(info.study_grid_shape, Some([12, 13, 2]));
    // fields.csv counts connections and synapses after realignment.
    assert_eq!(field.n_connections(), 316);
    assert_eq!(field.synapses.sum(), 338.0);
    let functional = field.functional.as_ref().unwrap();
    assert_eq!(functional.source, FunctionalSource::Shipped);
    assert!(functional.precision.is_some());
    // STTC is symmetrised from its lower triangle with a unit diagonal.
    let sttc = &functional.sttc;
    assert_eq!(sttc[[3, 10]], sttc[[10, 3]]);
    assert!(sttc[[10, 3]] != 0.0);
    assert_eq!(sttc[[7, 7]], 1.0);
    // Positions are µm: minnie65 spans under 1.5 mm on every axis.
    for axis in 0..3 {
        let column = field.positions_um.column(axis);
        let extent =
            column.fold(f64::MIN, |a, &b| a.max(b)) - column.fold(f64::MAX, |a, &b| a.min(b));
        assert!(
            extent > 1.0 && extent < 1500.0,
            "axis {axis} extent {extent} µm"
        );
    }
    assert!(field.depth_um.is_some());
}

#[test]
fn the_synapse_matrix_agrees_with_the_verbatim_connectome_through_its_row_mapping() {
    // original_6_6_2 keeps the study's CSV (in Python set order) and its mapping to units rows.
    let dir = bundle_dir().join("original_6_6_2");
    let field = bundle().load_field("6_6_2").unwrap();
    let mut mapping = csv::Reader::from_path(dir.join("connectome_row_order_6_6_2.csv")).unwrap();
    let headers = mapping.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (connectome_col, units_col) = (col("connectome_row"), col("units_row"));
    let mut units_row_of = vec![usize::MAX; 312];
    for record in mapping.records() {
        let record = record.unwrap();
        let connectome_row: usize = record[connectome_col].parse().unwrap();
        units_row_of[connectome_row] = record[units_col].parse().unwrap();
    }
    let mut original = csv::Reader::from_path(dir.join("connectome_6_6_2.csv")).unwrap();
    let mut compared = 0;
    for (i, record) in original.records().enumerate() {
        let record = record.unwrap();
        for j in 0..312 {
            // Column 0 is the unnamed index column.
            let count: f64 = record[j + 1].parse().unwrap();
            assert_eq!(
                field.synapses[[units_row_of[i], units_row_of[j]]],
                count,
                "original ({i}, {j})"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 312 * 312);
}

#[test]
fn connection_probability_falls_with_distance_as_aligned_wiring_must() {
    let field = bundle().load_field("6_6_2").unwrap();
    let distances = field.distances_um();
    let (mut near, mut near_connected, mut far, mut far_connected) = (0.0, 0.0, 0.0, 0.0);
    for ((i, j), &d) in distances.indexed_iter() {
        if i == j {
            continue;
        }
        let connected = f64::from(u8::from(field.synapses[[i, j]] > 0.0));
        if d < 50.0 {
            near += 1.0;
            near_connected += connected;
        } else if d > 200.0 {
            far += 1.0;
            far_connected += connected;
        }
    }
    let (p_near, p_far) = (near_connected / near, far_connected / far);
    assert!(
        p_near > 5.0 * p_far,
        "p(<50 µm) = {p_near}, p(>200 µm) = {p_far}"
    );
}

#[test]
fn derived_functional_matrices_match_the_shipped_ones_on_every_field_that_ships_both() {
    let bundle = bundle();
    let mut checked = Vec::new();
    for info in bundle
        .fields()
        .iter()
        .filter(|f| f.spikes && f.functional_matrices.contains(&"corr".to_string()))
    {
        let field = bundle.load_field(&info.key).unwrap();
        let shipped = field.functional.as_ref().unwrap();
        assert_eq!(shipped.source, FunctionalSource::Shipped);
        let derived =
            derive_functional(field.spikes.as_ref().unwrap(), &DeriveConfig::default()).unwrap();
        let max_abs = |a: &ndarray::Array2<f64>, b: &ndarray::Array2<f64>| {
            (a - b).iter().fold(0.0f64, |m, v| m.max(v.abs()))
        };
        let corr_err = max_abs(&derived.corr, &shipped.corr);
        let sttc_err = max_abs(&derived.sttc, &shipped.sttc);
        assert!(
            corr_err <= 1e-12,
            "field {}: corr max abs {corr_err}",
            info.key
        );
        assert!(
            sttc_err <= 1e-5,
            "field {}: sttc max abs {sttc_err}",
            info.key
        );
        checked.push((info.key.clone(), corr_err, sttc_err));
    }
    eprintln!("derived vs shipped (field, corr, sttc): {checked:?}");
    assert_eq!(
        checked.len(),
        13,
        "every field with both spikes and matrices is checked"
    );
}

#[test]
fn fields_that_ship_only_spikes_get_derived_matrices() {
    let bundle = bundle();
    for key in ["4_7_8", "7_3_8", "8_5_8"] {
        let field = bundle.load_field(key).unwrap();
        let functional = field.require_functional().unwrap();
        assert_eq!(functional.source, FunctionalSource::Derived, "{key}");
        assert_eq!(
            functional.corr.dim(),
            (field.n_neurons(), field.n_neurons())
        );
        assert!(functional.precision.is_some());
    }
}

#[test]
fn a_field_without_activity_loads_but_refuses_bio_initialisation() {
    let bundle = bundle();
    let info = bundle
        .fields()
        .iter()
        .find(|f| f.functional_matrices.is_empty() && !f.spikes)
        .unwrap();
    let field = bundle.load_field(&info.key).unwrap();
    assert!(field.functional.is_none());
    let message = field.require_functional().unwrap_err().to_string();
    assert!(message.contains(&info.key), "{message}");
}

#[test]
fn an_unknown_field_is_a_typed_error_listing_the_fields() {
    let error = bundle().load_field("9_9_9").unwrap_err();
    assert!(matches!(error, DataError::UnknownField { .. }));
    assert!(error.to_string().contains("6_6_2"));
}
