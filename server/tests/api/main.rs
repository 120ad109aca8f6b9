//! Router tests of `blueprint-server`, in process (`tower::ServiceExt::oneshot`) on a fresh
//! temporary database per test, with small real models exported by `core`. One test binary,
//! so the crate graph links once.

mod attacks;
mod bad_input;
mod comparisons;
mod evaluations;
mod figures;
mod metrics;
mod models;
mod openapi;
mod seeding;
mod service;
mod support;
mod tasks_and_health;
mod ui;
