//! The model manifest (placeholder).
