//! Cortical datasets: the bundle layout (MICrONS exports and synthetic bundles alike), one
//! imaging field as a [`CorticalField`], functional matrices derived from event rasters, and
//! the synthetic generator.
//!
//! The bundle layout is documented in `docs/data-format.md`. The one rule that matters most:
//! neurons are joined by nucleus id, never by the row order of any file (the study's reference
//! code lost the alignment between wiring, space and function exactly there).

mod bundle;
mod error;
mod functional;
pub mod synthetic;

pub use bundle::{
    Bundle, BundleFieldInfo, CorticalField, FunctionalMatrices, FunctionalSource, PositionUnit,
    SpikeRaster,
};
pub use error::DataError;
pub use functional::{
    DeriveConfig, binned_counts, derive_functional, pearson_correlation, precision_matrix,
    spike_time_tiling,
};

/// Duration of one imaging frame of the MICrONS minnie65 two-photon scans, in seconds
/// (6.3009 Hz). Event times in the bundle are `frame × FRAME_SECONDS`, exactly.
pub const FRAME_SECONDS: f64 = 0.158_707_486_231_833_17;

/// Voxel size of the minnie65 segmentation, in nanometres (x, y, z).
pub const MINNIE65_VOXEL_NM: [f64; 3] = [4.0, 4.0, 40.0];
