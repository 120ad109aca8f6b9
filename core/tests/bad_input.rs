//! Every bad-input rule of the bundle reader gives its typed [`DataError`], and its message
//! names the file, the offending line, row or id, and what to do about it.
//!
//! Each test starts from a small, valid synthetic bundle (12 neurons, written by
//! `SyntheticField::write_bundle`) and corrupts exactly one thing. In that bundle the header is
//! line 1 of every CSV, and the neuron of row `r` is nucleus `900000 + r` on line `r + 2` of both
//! `neurons.csv` and `units.csv`.

use std::fs;
use std::path::{Path, PathBuf};

use blueprint_core::data::synthetic::{SyntheticConfig, generate};
use blueprint_core::data::{Bundle, DataError, FunctionalSource};
use ndarray::{Array1, Array2};
use ndarray_npy::{WritableElement, WriteNpyExt};
use tempfile::TempDir;

const KEY: &str = "synthetic";
const N: usize = 12;

fn nucleus(row: usize) -> u64 {
    900_000 + row as u64
}

struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let field = generate(&SyntheticConfig {
            n_neurons: N,
            seed: 1,
            duration_s: 120.0,
            ..SyntheticConfig::default()
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        field.write_bundle(dir.path()).unwrap();
        Fixture { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    fn functional(&self, name: &str) -> PathBuf {
        self.root().join("functional").join(KEY).join(name)
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.file(name), text).unwrap();
    }

    /// Replaces line `line` (1-based, the header is line 1) of `name`.
    fn replace_line(&self, name: &str, line: usize, text: &str) {
        let original = fs::read_to_string(self.file(name)).unwrap();
        let mut lines: Vec<&str> = original.lines().collect();
        lines[line - 1] = text;
        self.write(name, &(lines.join("\n") + "\n"));
    }

    fn line(&self, name: &str, line: usize) -> String {
        fs::read_to_string(self.file(name))
            .unwrap()
            .lines()
            .nth(line - 1)
            .unwrap()
            .to_string()
    }

    /// Writes a hand-made synapses.csv with these (pre row, post row, count) connections.
    fn write_synapses(&self, rows: &[(String, String, &str)]) {
        let mut text = String::from("pre_nucleus_id,post_nucleus_id,n_synapses,source_fields\n");
        for (pre, post, count) in rows {
            text.push_str(&format!("{pre},{post},{count},{KEY}\n"));
        }
        self.write("synapses.csv", &text);
    }

    /// Ships valid correlation and STTC matrices, so the reader takes the shipped path.
    fn ship_matrices(&self) {
        write_npy(&self.functional("corr_matrix.npy"), &Array2::<f64>::eye(N));
        write_npy(&self.functional("sttc_matrix.npy"), &Array2::<f64>::eye(N));
    }

    fn open_error(&self) -> DataError {
        Bundle::open(self.root()).expect_err("the corrupted bundle opened")
    }

    fn load_error(&self) -> DataError {
        Bundle::open(self.root())
            .expect("the corruption is only seen when the field is loaded")
            .load_field(KEY)
            .expect_err("the corrupted field loaded")
    }
}

fn write_npy<A: WritableElement, D: ndarray::Dimension>(path: &Path, array: &ndarray::Array<A, D>) {
    array.write_npy(fs::File::create(path).unwrap()).unwrap();
}

/// The error's message holds every one of `parts`.
fn assert_mentions(error: &DataError, parts: &[&str]) {
    let message = error.to_string();
    for part in parts {
        assert!(
            message.contains(part),
            "`{message}` does not mention `{part}`"
        );
    }
}

#[test]
fn the_uncorrupted_fixture_loads_with_derived_and_with_shipped_matrices() {
    let fixture = Fixture::new();
    let field = Bundle::open(fixture.root())
        .unwrap()
        .load_field(KEY)
        .unwrap();
    assert_eq!(field.n_neurons(), N);
    assert_eq!(
        field.functional.as_ref().unwrap().source,
        FunctionalSource::Derived
    );
    assert_eq!(
        fixture.line("neurons.csv", 2).split(',').next(),
        Some("900000")
    );
    assert!(fixture.line("units.csv", 7).contains(",5,6,900005"));

    fixture.ship_matrices();
    let field = Bundle::open(fixture.root())
        .unwrap()
        .load_field(KEY)
        .unwrap();
    assert_eq!(
        field.functional.as_ref().unwrap().source,
        FunctionalSource::Shipped
    );
}

#[test]
fn a_missing_bundle_folder_is_a_missing_file_naming_the_folder() {
    let fixture = Fixture::new();
    let root = fixture.root().join("no_such_bundle");
    let error = Bundle::open(&root).unwrap_err();
    assert!(
        matches!(&error, DataError::MissingFile { path, .. } if *path == root),
        "{error:?}"
    );
    assert_mentions(&error, &["no_such_bundle", "bundle folder", "fields.csv"]);
}

fn assert_missing_csv_is_named(name: &str) {
    let fixture = Fixture::new();
    fs::remove_file(fixture.file(name)).unwrap();
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::MissingFile { path, .. } if *path == fixture.file(name)),
        "{error:?}"
    );
    assert_mentions(&error, &[name, "not found"]);
}

#[test]
fn a_missing_fields_csv_is_a_missing_file_naming_its_path() {
    assert_missing_csv_is_named("fields.csv");
}

#[test]
fn a_missing_units_csv_is_a_missing_file_naming_its_path() {
    assert_missing_csv_is_named("units.csv");
}

#[test]
fn a_missing_neurons_csv_is_a_missing_file_naming_its_path() {
    assert_missing_csv_is_named("neurons.csv");
}

#[test]
fn a_missing_synapses_csv_is_a_missing_file_naming_its_path() {
    assert_missing_csv_is_named("synapses.csv");
}

#[test]
fn a_units_csv_without_a_row_column_is_a_missing_column_naming_it() {
    let fixture = Fixture::new();
    fixture.replace_line("units.csv", 1, "field_key,position,unit_id,nucleus_id");
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::MissingColumn { column, .. } if column == "row"),
        "{error:?}"
    );
    assert_mentions(&error, &["units.csv", "`row`", "functional-matrix rows"]);
}

#[test]
fn a_neurons_csv_without_positions_is_a_missing_column_naming_the_accepted_units() {
    let fixture = Fixture::new();
    fixture.replace_line("neurons.csv", 1, "nucleus_id,x,y,z,depth_um");
    let error = fixture.open_error();
    assert!(
        matches!(error, DataError::MissingColumn { .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["neurons.csv", "x_nm", "x_um", "x_vox"]);
}

#[test]
fn a_neurons_csv_with_only_two_axes_is_a_missing_column_naming_the_third() {
    let fixture = Fixture::new();
    fixture.replace_line("neurons.csv", 1, "nucleus_id,x_um,y_um,depth,depth_um");
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::MissingColumn { column, .. } if column == "z_um"),
        "{error:?}"
    );
    assert_mentions(&error, &["neurons.csv", "`z_um`", "three axes"]);
}

#[test]
fn a_synapses_csv_without_n_synapses_is_a_missing_column_naming_it() {
    let fixture = Fixture::new();
    fixture.write(
        "synapses.csv",
        "pre_nucleus_id,post_nucleus_id,count\n900000,900001,1\n",
    );
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::MissingColumn { column, .. } if column == "n_synapses"),
        "{error:?}"
    );
    assert_mentions(&error, &["synapses.csv", "`n_synapses`"]);
}

#[test]
fn an_unknown_field_key_lists_the_available_keys() {
    let fixture = Fixture::new();
    let bundle = Bundle::open(fixture.root()).unwrap();
    let error = bundle.load_field("6_6_2").unwrap_err();
    assert!(
        matches!(&error, DataError::UnknownField { key, .. } if key == "6_6_2"),
        "{error:?}"
    );
    assert_mentions(&error, &["`6_6_2`", "fields.csv", KEY]);
}

#[test]
fn a_duplicate_nucleus_id_in_neurons_csv_is_named_with_its_line() {
    let fixture = Fixture::new();
    // Line 6 (row 4) claims the nucleus of line 3 (row 1).
    fixture.replace_line("neurons.csv", 6, "900001,1.0,2.0,3.0,2.0");
    let error = fixture.open_error();
    assert!(
        matches!(
            &error,
            DataError::DuplicateNucleus {
                line: 6,
                nucleus_id: 900_001,
                ..
            }
        ),
        "{error:?}"
    );
    assert_mentions(&error, &["neurons.csv", "line 6", "900001", "listed once"]);
}

#[test]
fn a_nucleus_listed_twice_in_one_field_of_units_csv_is_named_with_its_line() {
    let fixture = Fixture::new();
    // Row 7 (line 9) records nucleus 900002, which row 2 (line 4) already records.
    fixture.replace_line("units.csv", 9, &format!("{KEY},7,8,900002"));
    let error = fixture.load_error();
    assert!(
        matches!(
            &error,
            DataError::DuplicateNucleus {
                line: 9,
                nucleus_id: 900_002,
                ..
            }
        ),
        "{error:?}"
    );
    assert_mentions(&error, &["units.csv", "line 9", "900002", "listed once"]);
}

#[test]
fn the_same_nucleus_in_two_different_fields_is_allowed() {
    let fixture = Fixture::new();
    let fields = fs::read_to_string(fixture.file("fields.csv")).unwrap();
    fixture.write("fields.csv", &format!("{fields}other,1,0,0,none,0,\n"));
    let units = fs::read_to_string(fixture.file("units.csv")).unwrap();
    fixture.write("units.csv", &format!("{units}other,0,1,900003\n"));
    let bundle = Bundle::open(fixture.root()).unwrap();
    assert_eq!(bundle.load_field(KEY).unwrap().n_neurons(), N);
    let other = bundle.load_field("other").unwrap();
    assert_eq!(other.nucleus_ids, vec![900_003]);
    assert!(other.functional.is_none());
}

#[test]
fn a_units_csv_nucleus_missing_from_neurons_csv_is_named_with_its_line_and_id() {
    let fixture = Fixture::new();
    fixture.replace_line("units.csv", 5, &format!("{KEY},3,4,123456"));
    let error = fixture.open_error();
    assert!(
        matches!(
            &error,
            DataError::UnknownNucleus {
                line: 5,
                nucleus_id: 123_456,
                ..
            }
        ),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &[
            "units.csv",
            "line 5",
            "123456",
            "neurons.csv",
            "drop this row",
        ],
    );
}

#[test]
fn a_synapses_csv_nucleus_missing_from_neurons_csv_is_named_with_its_line_and_id() {
    let fixture = Fixture::new();
    fixture.write_synapses(&[
        (nucleus(0).to_string(), nucleus(1).to_string(), "1"),
        (nucleus(2).to_string(), "777".into(), "2"),
    ]);
    let error = fixture.open_error();
    assert!(
        matches!(
            &error,
            DataError::UnknownNucleus {
                line: 3,
                nucleus_id: 777,
                ..
            }
        ),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &[
            "synapses.csv",
            "line 3",
            "777",
            "neurons.csv",
            "drop this row",
        ],
    );
}

#[test]
fn a_field_whose_rows_skip_one_is_bad_rows_naming_the_stray_row_and_its_line() {
    let fixture = Fixture::new();
    // Row 5 (line 7) becomes row 40: there is no row 5 and row 40 is out of range.
    fixture.replace_line("units.csv", 7, &format!("{KEY},40,6,900005"));
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::BadRows { field, n: N, .. } if field == KEY),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &[
            "units.csv",
            KEY,
            "row 40 on line 7",
            "out of range",
            "0..12",
        ],
    );
}

#[test]
fn a_field_with_a_missing_row_is_bad_rows_naming_the_missing_row() {
    let fixture = Fixture::new();
    let units = fs::read_to_string(fixture.file("units.csv")).unwrap();
    // Drop row 5 (line 7); fields.csv still says 12 neurons.
    let kept: Vec<&str> = units
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 6)
        .map(|(_, l)| l)
        .collect();
    fixture.write("units.csv", &(kept.join("\n") + "\n"));
    let error = fixture.load_error();
    assert!(matches!(error, DataError::BadRows { .. }), "{error:?}");
    assert_mentions(&error, &["units.csv", KEY, "row 5 is missing", "0..12"]);
}

#[test]
fn a_field_with_a_repeated_row_is_bad_rows_naming_the_repeat_and_its_line() {
    let fixture = Fixture::new();
    fixture.replace_line("units.csv", 10, &format!("{KEY},3,9,900008"));
    let error = fixture.load_error();
    assert!(matches!(error, DataError::BadRows { .. }), "{error:?}");
    assert_mentions(&error, &["units.csv", KEY, "row 3 repeats on line 10"]);
}

#[test]
fn a_non_numeric_position_is_a_csv_error_with_its_line_and_column() {
    let fixture = Fixture::new();
    fixture.replace_line("neurons.csv", 8, "900006,12.5,abc,3.0,4.0");
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::Csv { line: 8, .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["neurons.csv", "line 8", "`y_um`", "`abc`"]);
}

#[test]
fn a_non_numeric_row_in_units_csv_is_a_csv_error_with_its_line_and_column() {
    let fixture = Fixture::new();
    fixture.replace_line("units.csv", 4, &format!("{KEY},two,3,900002"));
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::Csv { line: 4, .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["units.csv", "line 4", "`row`", "`two`"]);
}

#[test]
fn a_non_positive_synapse_count_is_a_csv_error_with_its_line() {
    let fixture = Fixture::new();
    fixture.write_synapses(&[(nucleus(0).to_string(), nucleus(1).to_string(), "0")]);
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::Csv { line: 2, .. }),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &["synapses.csv", "line 2", "n_synapses", "positive"],
    );
}

#[test]
fn a_duplicate_synapse_row_is_a_csv_error_naming_both_lines() {
    let fixture = Fixture::new();
    fixture.write_synapses(&[
        (nucleus(0).to_string(), nucleus(1).to_string(), "1"),
        (nucleus(1).to_string(), nucleus(0).to_string(), "2"),
        (nucleus(0).to_string(), nucleus(1).to_string(), "3"),
    ]);
    let error = fixture.open_error();
    assert!(
        matches!(&error, DataError::Csv { line: 4, .. }),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &[
            "synapses.csv",
            "line 4",
            "900000 -> 900001",
            "first on line 2",
            "list each directed pair once",
        ],
    );
}

#[test]
fn a_non_square_correlation_matrix_is_a_shape_error() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    write_npy(
        &fixture.functional("corr_matrix.npy"),
        &Array2::<f64>::zeros((N, N + 1)),
    );
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::Shape { found, expected, .. }
            if *found == [N, N + 1] && *expected == [N, N]),
        "{error:?}"
    );
    assert_mentions(&error, &["corr_matrix.npy", "[12, 13]", "[12, 12]", KEY]);
}

#[test]
fn a_nan_in_corr_matrix_npy_is_non_finite_with_its_row_and_column() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    let mut corr = Array2::<f64>::eye(N);
    corr[[4, 9]] = f64::NAN;
    write_npy(&fixture.functional("corr_matrix.npy"), &corr);
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::NonFinite { row: 4, col: 9, .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["corr_matrix.npy", "(4, 9)", "NaN", "finite"]);
}

#[test]
fn an_infinite_sttc_entry_is_non_finite_with_its_row_and_column() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    let mut sttc = Array2::<f64>::eye(N);
    sttc[[7, 2]] = f64::NEG_INFINITY;
    write_npy(&fixture.functional("sttc_matrix.npy"), &sttc);
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::NonFinite { row: 7, col: 2, .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["sttc_matrix.npy", "(7, 2)", "-inf"]);
}

#[test]
fn a_float32_corr_matrix_is_an_npy_error_naming_float64() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    write_npy(
        &fixture.functional("corr_matrix.npy"),
        &Array2::<f32>::eye(N),
    );
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::Npy { expected, .. } if expected.contains("float64")),
        "{error:?}"
    );
    assert_mentions(&error, &["corr_matrix.npy", "float64 2-D", "numpy.save"]);
}

#[test]
fn an_int64_sttc_matrix_is_an_npy_error_naming_float64() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    write_npy(
        &fixture.functional("sttc_matrix.npy"),
        &Array2::<i64>::zeros((N, N)),
    );
    let error = fixture.load_error();
    assert!(matches!(error, DataError::Npy { .. }), "{error:?}");
    assert_mentions(&error, &["sttc_matrix.npy", "float64 2-D"]);
}

#[test]
fn a_one_dimensional_corr_matrix_is_an_npy_error_naming_the_expected_rank() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    write_npy(
        &fixture.functional("corr_matrix.npy"),
        &Array1::<f64>::zeros(N * N),
    );
    let error = fixture.load_error();
    assert!(matches!(error, DataError::Npy { .. }), "{error:?}");
    assert_mentions(&error, &["corr_matrix.npy", "float64 2-D"]);
}

#[test]
fn a_corr_matrix_without_its_sttc_matrix_is_a_missing_file_naming_it() {
    let fixture = Fixture::new();
    fixture.ship_matrices();
    fs::remove_file(fixture.functional("sttc_matrix.npy")).unwrap();
    let error = fixture.load_error();
    assert!(matches!(error, DataError::MissingFile { .. }), "{error:?}");
    assert_mentions(&error, &["sttc_matrix.npy", "not found"]);
}

#[test]
fn spike_offsets_of_the_wrong_length_are_a_spikes_error_naming_the_counts() {
    let fixture = Fixture::new();
    // N neurons need N + 1 offsets; give N.
    write_npy(
        &fixture.functional("spike_offsets.npy"),
        &Array1::<i64>::zeros(N),
    );
    let error = fixture.load_error();
    assert!(matches!(error, DataError::Spikes { .. }), "{error:?}");
    assert_mentions(
        &error,
        &[
            "spike_offsets.npy",
            "has 12 offsets",
            "12 neurons",
            "needs 13",
        ],
    );
}

#[test]
fn spike_offsets_that_do_not_end_at_the_event_count_are_a_spikes_error() {
    let fixture = Fixture::new();
    let offsets: Vec<i64> = (0..=N as i64).collect();
    write_npy(
        &fixture.functional("spike_offsets.npy"),
        &Array1::from(offsets),
    );
    let error = fixture.load_error();
    assert!(matches!(error, DataError::Spikes { .. }), "{error:?}");
    assert_mentions(&error, &["spike_offsets.npy", "number of events"]);
}

#[test]
fn events_out_of_order_are_a_spikes_error_naming_the_row() {
    let fixture = Fixture::new();
    // Two neurons with events; the second one's are not increasing.
    let mut offsets = vec![0i64, 2, 5];
    offsets.resize(N + 1, 5);
    write_npy(
        &fixture.functional("spike_offsets.npy"),
        &Array1::from(offsets),
    );
    write_npy(
        &fixture.functional("spike_frames.npy"),
        &Array1::<u16>::from(vec![3, 9, 4, 8, 8]),
    );
    let error = fixture.load_error();
    assert!(matches!(error, DataError::Spikes { .. }), "{error:?}");
    assert_mentions(
        &error,
        &["spike_frames.npy", "row 1", "strictly increasing"],
    );
}

#[test]
fn int32_spike_frames_are_an_npy_error_naming_uint16() {
    let fixture = Fixture::new();
    let frames_path = fixture.functional("spike_frames.npy");
    let frames: Array1<u16> = ndarray_npy::read_npy(&frames_path).unwrap();
    write_npy(&frames_path, &frames.mapv(i32::from));
    let error = fixture.load_error();
    assert!(
        matches!(&error, DataError::Npy { expected, .. } if expected.contains("uint16")),
        "{error:?}"
    );
    assert_mentions(&error, &["spike_frames.npy", "uint16 1-D"]);
}

#[test]
fn a_frame_seconds_column_sets_the_clock_of_the_spike_rasters() {
    let fixture = Fixture::new();
    let header = fixture.line("fields.csv", 1);
    let row = fixture.line("fields.csv", 2);
    fixture.write(
        "fields.csv",
        &format!("{header},frame_seconds\n{row},0.1\n"),
    );
    let field = Bundle::open(fixture.root())
        .unwrap()
        .load_field(KEY)
        .unwrap();
    assert_eq!(field.spikes.unwrap().frame_seconds, 0.1);
}

#[test]
fn a_non_positive_frame_seconds_is_named_with_its_line() {
    let fixture = Fixture::new();
    let header = fixture.line("fields.csv", 1);
    let row = fixture.line("fields.csv", 2);
    fixture.write("fields.csv", &format!("{header},frame_seconds\n{row},-1\n"));
    let error = Bundle::open(fixture.root()).unwrap_err();
    assert!(matches!(error, DataError::Csv { line: 2, .. }), "{error:?}");
    assert!(error.to_string().contains("frame_seconds"), "{error}");
}
