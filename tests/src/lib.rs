//! `blueprint-tests`: end-to-end tests of the whole system, in `tests/`. The library is empty;
//! the package exists so the tests can depend on the trainer and the server together, which
//! never depend on each other.
