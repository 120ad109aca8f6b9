//! The one error type of dataset loading: every variant names the file, the row or id, and
//! what to do about it.

use std::path::PathBuf;

/// Why a bundle or a field could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: file not found; {hint}")]
    MissingFile { path: PathBuf, hint: String },

    #[error("{path}: could not read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}, line {line}: {message}")]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },

    #[error("{path}: missing column `{column}`; {hint}")]
    MissingColumn {
        path: PathBuf,
        column: String,
        hint: String,
    },

    #[error("unknown field `{key}`; the bundle has {available}")]
    UnknownField { key: String, available: String },

    #[error(
        "{path}, line {line}: nucleus id {nucleus_id} appears twice; each neuron must be listed once"
    )]
    DuplicateNucleus {
        path: PathBuf,
        line: u64,
        nucleus_id: u64,
    },

    #[error(
        "{path}, line {line}: nucleus id {nucleus_id} is not in {missing_from}; add it there or drop this row"
    )]
    UnknownNucleus {
        path: PathBuf,
        line: u64,
        nucleus_id: u64,
        missing_from: String,
    },

    #[error(
        "{path}: field `{field}` has rows {found} but rows must be 0..{n} with no gap or repeat; {hint}"
    )]
    BadRows {
        path: PathBuf,
        field: String,
        found: String,
        n: usize,
        hint: String,
    },

    #[error(
        "{path}: {message}; expected a little-endian {expected} .npy array (numpy.save of a C-order array)"
    )]
    Npy {
        path: PathBuf,
        message: String,
        expected: String,
    },

    #[error(
        "{path}: shape {found:?}, expected {expected:?} (one row and column per neuron of field `{field}`)"
    )]
    Shape {
        path: PathBuf,
        field: String,
        found: Vec<usize>,
        expected: Vec<usize>,
    },

    #[error("{path}: entry ({row}, {col}) is {value}; functional matrices must be finite")]
    NonFinite {
        path: PathBuf,
        row: usize,
        col: usize,
        value: f64,
    },

    #[error("{path}: {message}")]
    Spikes { path: PathBuf, message: String },

    #[error("field `{field}` ships no functional matrices and no spike rasters; {hint}")]
    NoFunctional { field: String, hint: String },

    #[error("invalid synthetic configuration: {0}")]
    Synthetic(String),

    #[error("{0}")]
    Numerical(String),
}

impl DataError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            DataError::MissingFile {
                hint: "check --data points at a bundle folder (see docs/data-format.md)".into(),
                path,
            }
        } else {
            DataError::Io { path, source }
        }
    }
}
