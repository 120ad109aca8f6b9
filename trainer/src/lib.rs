//! `blueprint-trainer`: trains the study's network variants on its tasks with hand-written
//! BPTT, exports ONNX, and registers runs with a Blueprint server.
//!
//! - [`cli`]: the command line, turned into a validated [`config::TrainConfig`].
//! - [`setup`]: field, task, initial weights and penalty of a variant.
//! - [`engine`]: forward/backward over `ndarray` and Adam.
//! - [`regulariser`]: the variants' penalties and their exact gradients.
//! - [`train`]: the loop and the run folder.
//! - [`grid`]: a grid of runs in parallel; [`study`]: the whole study, planned and resumable.
//! - [`register`]: uploading a run.
//! - [`dataset`]: `dataset describe|synth|export`.

pub mod cli;
pub mod config;
pub mod dataset;
pub mod engine;
pub mod grid;
pub mod register;
pub mod regulariser;
pub mod report;
pub mod setup;
pub mod study;
pub mod train;
