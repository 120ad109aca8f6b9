//! `blueprint-core`: the domain shared by the trainer and the server.
//!
//! Pure code over plain arrays: no HTTP, database or ONNX Runtime here.
//!
//! - [`data`]: cortical datasets (the MICrONS bundle layout, derived functional matrices,
//!   the synthetic generator).
//! - [`task`]: the three decision tasks, one generator for training and evaluation.
//! - [`network`]: the RNN cell, the eleven variants, initialisers, distances, communicability.
//! - [`metrics`]: network-structure metrics of a weight matrix (the study's four and better ones).
//! - [`manifest`]: the model manifest, the one contract between trainer and server.
//! - [`history`]: a run's per-epoch history, as the trainer writes it and the server stores it.
//! - [`seed`]: the named random streams every run derives from one master seed.
//! - [`onnx`]: the ONNX graph of a network, written by the trainer and read by the server.
//! - [`stats`]: group statistics: t and bootstrap intervals, Kruskal–Wallis, Mann–Whitney, Holm.
//! - [`denormal`]: subnormals flushed to zero while training; a thread's float mode, carried
//!   onto the threads that help it.

pub mod data;
pub mod denormal;
#[cfg(feature = "figures")]
pub mod figures;
pub mod history;
pub mod manifest;
pub mod metrics;
pub mod network;
pub mod onnx;
pub mod seed;
pub mod stats;
pub mod task;
