//! Reading a bundle folder and assembling one imaging field from it.
//!
//! A bundle is `fields.csv`, `units.csv`, `neurons.csv`, `synapses.csv` and
//! `functional/<field>/*.npy` (see `docs/data-format.md`). A [`CorticalField`] is every array a
//! network is built from, in the field's functional-matrix row order, joined by nucleus id.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2};
use ndarray_npy::ReadNpyExt;

use super::error::DataError;
use super::functional::{DeriveConfig, derive_functional};
use super::{FRAME_SECONDS, MINNIE65_VOXEL_NM};

/// The unit positions were given in, in `neurons.csv`. Everything is converted to µm.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionUnit {
    /// Columns `x_nm, y_nm, z_nm`.
    Nanometre,
    /// Columns `x_um, y_um, z_um`.
    Micrometre,
    /// Columns `x_vox, y_vox, z_vox`, multiplied by the voxel size (nm) given here.
    Voxel { size_nm: [f64; 3] },
}

/// One row of `fields.csv`: what the bundle says about a field before it is loaded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BundleFieldInfo {
    pub key: String,
    pub n_neurons: usize,
    /// Which matrices `functional/<key>/` ships, e.g. `["corr", "sttc", "precision"]`.
    pub functional_matrices: Vec<String>,
    /// Whether event rasters are shipped.
    pub spikes: bool,
    /// The lattice the study used for its grid distance D, `[X, Y, Z]`.
    pub study_grid_shape: Option<[usize; 3]>,
    /// Seconds per imaging frame of the spike rasters (`frame_seconds` column; minnie65's
    /// 6.3 Hz clock when absent).
    pub frame_seconds: f64,
}

/// Where a field's functional matrices came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionalSource {
    /// Read from `corr_matrix.npy`, `sttc_matrix.npy` (and `precision_matrix.npy`).
    Shipped,
    /// Derived from the event rasters with [`derive_functional`].
    Derived,
}

/// Activity-derived pairwise matrices, all `[N, N]` in the field's row order.
#[derive(Clone, Debug)]
pub struct FunctionalMatrices {
    /// Pearson correlation of event counts in 0.2 s bins.
    pub corr: Array2<f64>,
    /// Spike-time tiling coefficient, symmetric, unit diagonal.
    pub sttc: Array2<f64>,
    /// Inverse covariance of the binned counts, where available.
    pub precision: Option<Array2<f64>>,
    pub source: FunctionalSource,
}

/// Event rasters in CSR layout: the events of neuron `i` are
/// `frames[offsets[i]..offsets[i + 1]]`, imaging-frame indices in increasing order.
#[derive(Clone, Debug, PartialEq)]
pub struct SpikeRaster {
    pub frames: Vec<u32>,
    pub offsets: Vec<usize>,
    /// Seconds per frame.
    pub frame_seconds: f64,
}

impl SpikeRaster {
    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The frames of neuron `i`.
    pub fn neuron(&self, i: usize) -> &[u32] {
        &self.frames[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The last event frame of the whole field (0 when there is no event).
    pub fn last_frame(&self) -> u32 {
        self.frames.iter().copied().max().unwrap_or(0)
    }
}

/// One imaging field: the neurons it recorded and everything measured about them, joined by
/// nucleus id. Row `i` of every matrix is the neuron `nucleus_ids[i]`.
#[derive(Clone, Debug)]
pub struct CorticalField {
    /// The bundle's name (its folder name), e.g. `minnie65_cortical_blueprint`.
    pub dataset: String,
    /// The field key, e.g. `6_6_2`.
    pub key: String,
    /// Nucleus ids in functional-matrix row order.
    pub nucleus_ids: Vec<u64>,
    /// Soma positions in µm, `[N, 3]` (x, y, z in the dataset's frame; minnie65's y grows
    /// with depth).
    pub positions_um: Array2<f64>,
    /// The unit positions were read in.
    pub position_unit: PositionUnit,
    /// Pia-aligned depth in µm, when the bundle provides it.
    pub depth_um: Option<Array1<f64>>,
    /// Directed synapse counts `[N, N]`: rows presynaptic, columns postsynaptic.
    pub synapses: Array2<f64>,
    /// Functional matrices, shipped or derived; `None` when the field has neither matrices nor
    /// spikes (it can still be used by variants that need no activity).
    pub functional: Option<FunctionalMatrices>,
    /// Event rasters, when shipped.
    pub spikes: Option<SpikeRaster>,
    /// The study's lattice for its grid distance, `[X, Y, Z]`.
    pub study_grid_shape: Option<[usize; 3]>,
}

impl CorticalField {
    /// Number of neurons N.
    pub fn n_neurons(&self) -> usize {
        self.nucleus_ids.len()
    }

    /// The functional matrices, or an error naming the field when it has none.
    pub fn require_functional(&self) -> Result<&FunctionalMatrices, DataError> {
        self.functional
            .as_ref()
            .ok_or_else(|| {
                DataError::NoFunctional {
            field: self.key.clone(),
            hint: "bio-initialised variants (W*, W!) need correlation and STTC; pick a field whose \
                   fields.csv row lists functional matrices or spikes"
                .into(),
        }
            })
    }

    /// Number of directed connections (nonzero synapse-count entries).
    pub fn n_connections(&self) -> usize {
        self.synapses.iter().filter(|&&count| count > 0.0).count()
    }

    /// Euclidean distances between somata in µm, `[N, N]`.
    pub fn distances_um(&self) -> Array2<f64> {
        crate::network::distance::euclidean_distances(self.positions_um.view())
    }
}

/// Everything in a bundle's four tables, indexed for assembling fields.
#[derive(Clone, Debug)]
pub struct Bundle {
    root: PathBuf,
    name: String,
    fields: Vec<BundleFieldInfo>,
    /// (field key, row, nucleus id, units.csv line), in file order.
    units: Vec<(String, usize, u64, u64)>,
    neurons: HashMap<u64, NeuronRecord>,
    position_unit: PositionUnit,
    synapses: Vec<SynapseRecord>,
    has_source_fields: bool,
}

#[derive(Clone, Debug)]
struct NeuronRecord {
    position_um: [f64; 3],
    depth_um: Option<f64>,
}

#[derive(Clone, Debug)]
struct SynapseRecord {
    pre: u64,
    post: u64,
    count: f64,
    source_fields: Vec<String>,
}

impl Bundle {
    /// Reads and cross-checks the four tables of the bundle at `root`. Voxel positions, if the
    /// bundle gives only those, use the minnie65 voxel size; see [`Bundle::open_with_voxel_size`].
    pub fn open(root: impl AsRef<Path>) -> Result<Bundle, DataError> {
        Bundle::open_with_voxel_size(root, MINNIE65_VOXEL_NM)
    }

    /// As [`Bundle::open`], with an explicit voxel size (nm) for `x_vox, y_vox, z_vox` columns.
    pub fn open_with_voxel_size(
        root: impl AsRef<Path>,
        voxel_size_nm: [f64; 3],
    ) -> Result<Bundle, DataError> {
        let root = root.as_ref().to_path_buf();
        if !root.is_dir() {
            return Err(DataError::MissingFile {
                path: root,
                hint: "--data must be a bundle folder holding fields.csv, units.csv, neurons.csv \
                       and synapses.csv (see docs/data-format.md)"
                    .into(),
            });
        }
        let name = root
            .canonicalize()
            .ok()
            .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "bundle".into());
        let fields = read_fields(&root.join("fields.csv"))?;
        let (neurons, position_unit) = read_neurons(&root.join("neurons.csv"), voxel_size_nm)?;
        let units = read_units(&root.join("units.csv"), &neurons)?;
        let (synapses, has_source_fields) = read_synapses(&root.join("synapses.csv"), &neurons)?;
        Ok(Bundle {
            root,
            name,
            fields,
            units,
            neurons,
            position_unit,
            synapses,
            has_source_fields,
        })
    }

    /// The bundle's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bundle's name (its folder name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The fields listed in `fields.csv`, in file order.
    pub fn fields(&self) -> &[BundleFieldInfo] {
        &self.fields
    }

    /// The `fields.csv` row of `key`, or an error listing what exists.
    pub fn field_info(&self, key: &str) -> Result<&BundleFieldInfo, DataError> {
        self.fields
            .iter()
            .find(|info| info.key == key)
            .ok_or_else(|| DataError::UnknownField {
                key: key.into(),
                available: summarise_keys(&self.fields),
            })
    }

    /// Assembles field `key`. Functional matrices are read when shipped, derived from the spike
    /// rasters (with [`DeriveConfig::default`]) when only spikes are shipped.
    pub fn load_field(&self, key: &str) -> Result<CorticalField, DataError> {
        let info = self.field_info(key)?.clone();
        let units_path = self.root.join("units.csv");
        let mut rows: Vec<(usize, u64, u64)> = self
            .units
            .iter()
            .filter(|unit| unit.0 == key)
            .map(|unit| (unit.1, unit.2, unit.3))
            .collect();
        rows.sort_unstable();
        let n = rows.len();
        let rows_are_a_range = rows.iter().enumerate().all(|(i, row)| row.0 == i);
        if n == 0 || !rows_are_a_range {
            return Err(DataError::BadRows {
                path: units_path,
                field: key.into(),
                found: summarise_rows(&rows, n.max(info.n_neurons)),
                n: n.max(info.n_neurons),
                hint: "`row` indexes the functional matrices, so each row number appears once"
                    .into(),
            });
        }
        let mut row_of_nucleus = HashMap::with_capacity(n);
        for &(row, nucleus_id, line) in &rows {
            if row_of_nucleus.insert(nucleus_id, row).is_some() {
                return Err(DataError::DuplicateNucleus {
                    path: units_path,
                    line,
                    nucleus_id,
                });
            }
        }

        let nucleus_ids: Vec<u64> = rows.iter().map(|row| row.1).collect();
        let mut positions_um = Array2::zeros((n, 3));
        let mut depth = Vec::with_capacity(n);
        for (i, nucleus_id) in nucleus_ids.iter().enumerate() {
            // read_units has checked that every nucleus id is in neurons.csv.
            let neuron = &self.neurons[nucleus_id];
            for axis in 0..3 {
                positions_um[[i, axis]] = neuron.position_um[axis];
            }
            depth.push(neuron.depth_um);
        }
        let depth_um = depth
            .iter()
            .all(Option::is_some)
            .then(|| depth.iter().map(|d| d.unwrap_or(f64::NAN)).collect());

        let mut synapses = Array2::zeros((n, n));
        for edge in &self.synapses {
            let (Some(&pre), Some(&post)) = (
                row_of_nucleus.get(&edge.pre),
                row_of_nucleus.get(&edge.post),
            ) else {
                continue;
            };
            // The same pair can be a connection in one field and not in another when a
            // neuron's segment id differed between the two queries; trust the field's own list.
            if self.has_source_fields && !edge.source_fields.iter().any(|f| f == key) {
                continue;
            }
            synapses[[pre, post]] = edge.count;
        }

        let functional_dir = self.root.join("functional").join(key);
        let spikes = read_spikes(&functional_dir, key, n, info.frame_seconds)?;
        let functional = if functional_dir.join("corr_matrix.npy").is_file() {
            Some(read_shipped_functional(&functional_dir, key, n)?)
        } else if let Some(raster) = &spikes {
            let path = functional_dir.join("spike_frames.npy");
            Some(
                derive_functional(raster, &DeriveConfig::default()).map_err(|e| {
                    DataError::Spikes {
                        path,
                        message: e.to_string(),
                    }
                })?,
            )
        } else {
            None
        };

        Ok(CorticalField {
            dataset: self.name.clone(),
            key: key.into(),
            nucleus_ids,
            positions_um,
            position_unit: self.position_unit,
            depth_um,
            synapses,
            functional,
            spikes,
            study_grid_shape: info.study_grid_shape,
        })
    }
}

fn summarise_keys(fields: &[BundleFieldInfo]) -> String {
    if fields.is_empty() {
        return "no fields (fields.csv is empty)".into();
    }
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    let plural = if keys.len() == 1 { "" } else { "s" };
    format!(
        "{} field{plural} in fields.csv: {}",
        keys.len(),
        keys.join(", ")
    )
}

/// The first rows of a field (sorted (row, nucleus id, line)) and the first thing wrong with
/// them, with its units.csv line: a repeated row, a row ≥ `n`, or a missing row.
fn summarise_rows(rows: &[(usize, u64, u64)], n: usize) -> String {
    if rows.is_empty() {
        return "none (the field has no units.csv rows)".into();
    }
    let shown: Vec<String> = rows.iter().take(8).map(|r| r.0.to_string()).collect();
    let more = if rows.len() > 8 { ", …" } else { "" };
    let problem = if let Some(pair) = rows.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        format!("; row {} repeats on line {}", pair[1].0, pair[1].2)
    } else if let Some(row) = rows.iter().find(|row| row.0 >= n) {
        format!("; row {} on line {} is out of range", row.0, row.2)
    } else if let Some(missing) = (0..n).find(|&i| rows.get(i).is_none_or(|row| row.0 != i)) {
        format!("; row {missing} is missing")
    } else {
        String::new()
    };
    format!("[{}{more}]{problem}", shown.join(", "))
}

/// A CSV table with named columns, parsed with line numbers for errors.
struct Table {
    path: PathBuf,
    headers: Vec<String>,
    records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(path: &Path) -> Result<Table, DataError> {
        let file = File::open(path).map_err(|e| DataError::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(file);
        let csv_error = |e: csv::Error| DataError::Csv {
            path: path.into(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        };
        let headers = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, |p| p.line());
            records.push((line, record));
        }
        Ok(Table {
            path: path.into(),
            headers,
            records,
        })
    }

    fn column(&self, name: &str, hint: &str) -> Result<usize, DataError> {
        self.optional_column(name)
            .ok_or_else(|| DataError::MissingColumn {
                path: self.path.clone(),
                column: name.into(),
                hint: hint.into(),
            })
    }

    fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn parse<T: std::str::FromStr>(
        &self,
        line: u64,
        record: &csv::StringRecord,
        column: usize,
    ) -> Result<T, DataError>
    where
        T::Err: std::fmt::Display,
    {
        let text = record.get(column).unwrap_or("").trim();
        text.parse().map_err(|e: T::Err| DataError::Csv {
            path: self.path.clone(),
            line,
            message: format!(
                "column `{}`: `{text}` is not valid ({e})",
                self.headers[column]
            ),
        })
    }
}

fn read_fields(path: &Path) -> Result<Vec<BundleFieldInfo>, DataError> {
    let table = Table::read(path)?;
    let key_col = table.column("field_key", "one row per imaging field")?;
    let n_col = table.optional_column("n_neurons");
    let functional_col = table.optional_column("functional_matrices");
    let spikes_col = table.optional_column("spikes");
    let grid_col = table.optional_column("study_grid_shape");
    let frame_col = table.optional_column("frame_seconds");
    let mut seen = HashSet::new();
    let mut fields = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let key = record.get(key_col).unwrap_or("").trim().to_string();
        if key.is_empty() || !seen.insert(key.clone()) {
            return Err(DataError::Csv {
                path: path.into(),
                line: *line,
                message: format!("field_key `{key}` is empty or repeated; keys must be unique"),
            });
        }
        let n_neurons = match n_col {
            Some(col) => table.parse(*line, record, col)?,
            None => 0,
        };
        let functional_matrices = functional_col
            .and_then(|col| record.get(col))
            .map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty() && *m != "none")
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let spikes = match spikes_col {
            Some(col) => table.parse::<u8>(*line, record, col)? == 1,
            None => false,
        };
        let study_grid_shape = match grid_col.and_then(|col| record.get(col)) {
            Some(text) if !text.trim().is_empty() => {
                Some(parse_grid_shape(text).ok_or_else(|| DataError::Csv {
                    path: path.into(),
                    line: *line,
                    message: format!("study_grid_shape `{text}` is not of the form XxYxZ"),
                })?)
            }
            _ => None,
        };
        let frame_seconds = match frame_col.and_then(|col| record.get(col).map(|t| (col, t))) {
            Some((col, text)) if !text.trim().is_empty() => {
                let seconds: f64 = table.parse(*line, record, col)?;
                if !(seconds.is_finite() && seconds > 0.0) {
                    return Err(DataError::Csv {
                        path: path.into(),
                        line: *line,
                        message: format!(
                            "frame_seconds must be a positive duration, got {seconds}"
                        ),
                    });
                }
                seconds
            }
            _ => FRAME_SECONDS,
        };
        fields.push(BundleFieldInfo {
            key,
            n_neurons,
            functional_matrices,
            spikes,
            study_grid_shape,
            frame_seconds,
        });
    }
    Ok(fields)
}

fn parse_grid_shape(text: &str) -> Option<[usize; 3]> {
    let parts: Vec<usize> = text
        .trim()
        .split('x')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [x, y, z] if *x > 0 && *y > 0 && *z > 0 => Some([*x, *y, *z]),
        _ => None,
    }
}

fn read_neurons(
    path: &Path,
    voxel_size_nm: [f64; 3],
) -> Result<(HashMap<u64, NeuronRecord>, PositionUnit), DataError> {
    let table = Table::read(path)?;
    let id_col = table.column("nucleus_id", "neurons are keyed by nucleus id")?;
    let (columns, unit, scale_to_um) = if let Some(x) = table.optional_column("x_nm") {
        (x, PositionUnit::Nanometre, [1e-3; 3])
    } else if let Some(x) = table.optional_column("x_um") {
        (x, PositionUnit::Micrometre, [1.0; 3])
    } else if let Some(x) = table.optional_column("x_vox") {
        let size_nm = voxel_size_nm;
        (
            x,
            PositionUnit::Voxel { size_nm },
            [size_nm[0] * 1e-3, size_nm[1] * 1e-3, size_nm[2] * 1e-3],
        )
    } else {
        return Err(DataError::MissingColumn {
            path: path.into(),
            column: "x_nm".into(),
            hint: "give soma positions as x_nm,y_nm,z_nm or x_um,y_um,z_um or x_vox,y_vox,z_vox"
                .into(),
        });
    };
    let suffix = &table.headers[columns][1..];
    let axis_cols = [
        columns,
        table.column(&format!("y{suffix}"), "positions need all three axes")?,
        table.column(&format!("z{suffix}"), "positions need all three axes")?,
    ];
    let depth_col = table.optional_column("depth_um");
    let mut neurons = HashMap::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let nucleus_id: u64 = table.parse(*line, record, id_col)?;
        let mut position_um = [0.0; 3];
        for axis in 0..3 {
            let value: f64 = table.parse(*line, record, axis_cols[axis])?;
            if !value.is_finite() {
                return Err(DataError::Csv {
                    path: path.into(),
                    line: *line,
                    message: format!("position of nucleus {nucleus_id} is not finite"),
                });
            }
            position_um[axis] = value * scale_to_um[axis];
        }
        let depth_um = match depth_col {
            Some(col) if !record.get(col).unwrap_or("").trim().is_empty() => {
                Some(table.parse(*line, record, col)?)
            }
            _ => None,
        };
        if neurons
            .insert(
                nucleus_id,
                NeuronRecord {
                    position_um,
                    depth_um,
                },
            )
            .is_some()
        {
            return Err(DataError::DuplicateNucleus {
                path: path.into(),
                line: *line,
                nucleus_id,
            });
        }
    }
    Ok((neurons, unit))
}

fn read_units(
    path: &Path,
    neurons: &HashMap<u64, NeuronRecord>,
) -> Result<Vec<(String, usize, u64, u64)>, DataError> {
    let table = Table::read(path)?;
    let hint = "units.csv maps each field's functional-matrix rows to nucleus ids";
    let key_col = table.column("field_key", hint)?;
    let row_col = table.column("row", hint)?;
    let id_col = table.column("nucleus_id", hint)?;
    let mut units = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let nucleus_id: u64 = table.parse(*line, record, id_col)?;
        if !neurons.contains_key(&nucleus_id) {
            return Err(DataError::UnknownNucleus {
                path: path.into(),
                line: *line,
                nucleus_id,
                missing_from: "neurons.csv".into(),
            });
        }
        let key = record.get(key_col).unwrap_or("").trim().to_string();
        units.push((key, table.parse(*line, record, row_col)?, nucleus_id, *line));
    }
    Ok(units)
}

fn read_synapses(
    path: &Path,
    neurons: &HashMap<u64, NeuronRecord>,
) -> Result<(Vec<SynapseRecord>, bool), DataError> {
    let table = Table::read(path)?;
    let hint = "one row per directed connection, keyed by nucleus ids";
    let pre_col = table.column("pre_nucleus_id", hint)?;
    let post_col = table.column("post_nucleus_id", hint)?;
    let count_col = table.column("n_synapses", hint)?;
    let fields_col = table.optional_column("source_fields");
    let mut seen = HashMap::with_capacity(table.records.len());
    let mut synapses = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let pre: u64 = table.parse(*line, record, pre_col)?;
        let post: u64 = table.parse(*line, record, post_col)?;
        for nucleus_id in [pre, post] {
            if !neurons.contains_key(&nucleus_id) {
                return Err(DataError::UnknownNucleus {
                    path: path.into(),
                    line: *line,
                    nucleus_id,
                    missing_from: "neurons.csv".into(),
                });
            }
        }
        let count: f64 = table.parse(*line, record, count_col)?;
        if !(count.is_finite() && count > 0.0) {
            return Err(DataError::Csv {
                path: path.into(),
                line: *line,
                message: format!("n_synapses must be a positive count, got {count}"),
            });
        }
        if let Some(first_line) = seen.insert((pre, post), *line) {
            return Err(DataError::Csv {
                path: path.into(),
                line: *line,
                message: format!(
                    "connection {pre} -> {post} is listed twice (first on line {first_line}); \
                     list each directed pair once with its synapse count"
                ),
            });
        }
        let source_fields = fields_col
            .and_then(|col| record.get(col))
            .map(|text| text.split(';').map(|f| f.trim().to_string()).collect())
            .unwrap_or_default();
        synapses.push(SynapseRecord {
            pre,
            post,
            count,
            source_fields,
        });
    }
    Ok((synapses, fields_col.is_some()))
}

fn read_f64_matrix(path: &Path, field: &str, n: usize) -> Result<Array2<f64>, DataError> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let matrix = Array2::<f64>::read_npy(file).map_err(|e| DataError::Npy {
        path: path.into(),
        message: e.to_string(),
        expected: "float64 2-D".into(),
    })?;
    if matrix.dim() != (n, n) {
        return Err(DataError::Shape {
            path: path.into(),
            field: field.into(),
            found: matrix.shape().to_vec(),
            expected: vec![n, n],
        });
    }
    if let Some(((row, col), &value)) = matrix.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(DataError::NonFinite {
            path: path.into(),
            row,
            col,
            value,
        });
    }
    Ok(matrix)
}

fn read_shipped_functional(
    dir: &Path,
    field: &str,
    n: usize,
) -> Result<FunctionalMatrices, DataError> {
    let corr = read_f64_matrix(&dir.join("corr_matrix.npy"), field, n)?;
    let sttc_path = dir.join("sttc_matrix.npy");
    if !sttc_path.is_file() {
        return Err(DataError::MissingFile {
            path: sttc_path,
            hint: "a field that ships corr_matrix.npy must ship sttc_matrix.npy beside it (or \
                   neither, with spike rasters to derive both from)"
                .into(),
        });
    }
    let sttc_lower = read_f64_matrix(&sttc_path, field, n)?;
    // Only the strict lower triangle is stored: S = tril(S,-1) + tril(S,-1)ᵀ + I.
    let sttc = Array2::from_shape_fn((n, n), |(i, j)| match i.cmp(&j) {
        std::cmp::Ordering::Greater => sttc_lower[[i, j]],
        std::cmp::Ordering::Less => sttc_lower[[j, i]],
        std::cmp::Ordering::Equal => 1.0,
    });
    let precision_path = dir.join("precision_matrix.npy");
    let precision = if precision_path.is_file() {
        Some(read_f64_matrix(&precision_path, field, n)?)
    } else {
        None
    };
    Ok(FunctionalMatrices {
        corr,
        sttc,
        precision,
        source: FunctionalSource::Shipped,
    })
}

fn read_spikes(
    dir: &Path,
    field: &str,
    n: usize,
    frame_seconds: f64,
) -> Result<Option<SpikeRaster>, DataError> {
    let frames_path = dir.join("spike_frames.npy");
    let offsets_path = dir.join("spike_offsets.npy");
    if !frames_path.is_file() {
        return Ok(None);
    }
    let open = |path: &Path| File::open(path).map_err(|e| DataError::io(path, e));
    let frames = Array1::<u16>::read_npy(open(&frames_path)?).map_err(|e| DataError::Npy {
        path: frames_path.clone(),
        message: e.to_string(),
        expected: "uint16 1-D".into(),
    })?;
    let offsets = Array1::<i64>::read_npy(open(&offsets_path)?).map_err(|e| DataError::Npy {
        path: offsets_path.clone(),
        message: e.to_string(),
        expected: "int64 1-D".into(),
    })?;
    let spikes_error = |message: String| DataError::Spikes {
        path: offsets_path.clone(),
        message,
    };
    if offsets.len() != n + 1 {
        return Err(spikes_error(format!(
            "has {} offsets; field `{field}` has {n} neurons, so it needs {}",
            offsets.len(),
            n + 1
        )));
    }
    let offsets: Vec<usize> = offsets
        .iter()
        .map(|&o| usize::try_from(o).ok())
        .collect::<Option<_>>()
        .ok_or_else(|| spikes_error("offsets must be non-negative".into()))?;
    if offsets[0] != 0 || offsets[n] != frames.len() || offsets.windows(2).any(|w| w[0] > w[1]) {
        return Err(spikes_error(format!(
            "offsets must rise from 0 to the number of events ({})",
            frames.len()
        )));
    }
    let frames: Vec<u32> = frames.iter().map(|&f| u32::from(f)).collect();
    for i in 0..n {
        if frames[offsets[i]..offsets[i + 1]]
            .windows(2)
            .any(|w| w[0] >= w[1])
        {
            return Err(DataError::Spikes {
                path: frames_path,
                message: format!("events of row {i} are not strictly increasing frames"),
            });
        }
    }
    Ok(Some(SpikeRaster {
        frames,
        offsets,
        frame_seconds,
    }))
}
