//! Network specification: the RNN cell, the study's eleven variants, initialisers,
//! distance matrices and weighted communicability.

pub mod communicability;
pub mod distance;
pub mod expm;
pub mod init;
pub mod rnn;
pub mod variant;

pub use variant::{CommunicabilityKind, DistanceKind, InitKind, UnknownVariant, Variant};
