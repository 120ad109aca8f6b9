//! Cross-checks `network::expm` and `network::communicability` against numpy/scipy
//! reference values committed under `tests/fixtures/expm/` (written by
//! `scripts/fixtures/gen_expm_fixtures.py`; CI reads only the JSON, never Python).
//!
//! Tolerance: `max_ij |got − want| ≤ 1e-10 · max_ij |want|` for every matrix. The two
//! implementations choose Padé degrees differently (scipy's `expm` uses norm estimates
//! of matrix powers, ours exact 1-norms), so agreement is to rounding, not bitwise;
//! observed differences are printed with `--nocapture`.

use std::path::PathBuf;

use blueprint_core::network::communicability::{
    communicability_backward, communicability_with_grad, weighted_communicability,
};
use blueprint_core::network::expm::{expm, expm_backward, expm_frechet, expm_with_backward};
use ndarray::Array2;
use serde::Deserialize;

const TOL: f64 = 1e-10;

#[derive(Deserialize)]
struct File<C> {
    cases: Vec<C>,
}

#[derive(Deserialize)]
struct ExpmCase {
    name: String,
    a: Vec<Vec<f64>>,
    e: Vec<Vec<f64>>,
    expm: Vec<Vec<f64>>,
    frechet: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct CommCase {
    name: String,
    w: Vec<Vec<f64>>,
    c: Vec<Vec<f64>>,
    isolated: Vec<usize>,
    grad_c: Vec<Vec<f64>>,
    grad_w: Vec<Vec<f64>>,
}

fn load<C: for<'de> Deserialize<'de>>(name: &str) -> Vec<C> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/expm")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: File<C> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!file.cases.is_empty(), "{}: no cases", path.display());
    file.cases
}

fn to_array(rows: &[Vec<f64>]) -> Array2<f64> {
    let n = rows.len();
    let m = rows.first().map_or(0, Vec::len);
    assert!(
        rows.iter().all(|r| r.len() == m),
        "ragged matrix in fixture"
    );
    Array2::from_shape_vec((n, m), rows.concat()).expect("shape")
}

/// Asserts the relative max-abs difference is within [`TOL`] and returns it.
fn check(case: &str, what: &str, got: &Array2<f64>, want: &Array2<f64>) -> f64 {
    assert_eq!(got.dim(), want.dim(), "{case}/{what}: shape");
    let scale = want.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let diff = (got - want).iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let rel = diff / scale.max(f64::MIN_POSITIVE);
    println!("{case:>26} {what:<10} rel. max-abs diff {rel:.2e}");
    assert!(
        rel <= TOL,
        "{case}/{what}: relative max-abs difference {rel:e} > {TOL:e}"
    );
    rel
}

#[test]
fn expm_and_frechet_match_scipy() {
    for case in load::<ExpmCase>("expm_cases.json") {
        let a = to_array(&case.a);
        let e = to_array(&case.e);
        let want_expm = to_array(&case.expm);
        let want_l = to_array(&case.frechet);
        check(&case.name, "expm", &expm(a.view()).unwrap(), &want_expm);
        let (r, l) = expm_frechet(a.view(), e.view()).unwrap();
        check(&case.name, "frechet.R", &r, &want_expm);
        check(&case.name, "frechet.L", &l, &want_l);
        // The adjoint rule evaluated at Aᵀ: ∂/∂(Aᵀ) of ⟨E, expm(Aᵀ)⟩ is L(A, E).
        let at = a.t().to_owned();
        check(
            &case.name,
            "backward",
            &expm_backward(at.view(), e.view()).unwrap(),
            &want_l,
        );
        let (f, g) = expm_with_backward(at.view(), e.view()).unwrap();
        check(&case.name, "fused.F", &f, &want_expm.t().to_owned());
        check(&case.name, "fused.G", &g, &want_l);
    }
}

#[test]
fn communicability_matches_numpy() {
    let cases = load::<CommCase>("communicability_cases.json");
    assert!(
        cases.iter().any(|c| !c.isolated.is_empty()),
        "fixtures must cover a zero-strength node"
    );
    for case in cases {
        let w = to_array(&case.w);
        let want_c = to_array(&case.c);
        let want_grad = to_array(&case.grad_w);
        let g = to_array(&case.grad_c);
        let fwd = weighted_communicability(w.view()).unwrap();
        assert_eq!(fwd.isolated, case.isolated, "{}: isolated nodes", case.name);
        assert!(
            fwd.matrix.iter().all(|x| x.is_finite()),
            "{}: non-finite C",
            case.name
        );
        check(&case.name, "C", &fwd.matrix, &want_c);
        let (fused, grad) = communicability_with_grad(w.view(), g.view()).unwrap();
        assert_eq!(
            fused.isolated, case.isolated,
            "{}: isolated nodes (fused)",
            case.name
        );
        check(&case.name, "fused.C", &fused.matrix, &want_c);
        check(&case.name, "dl/dW", &grad, &want_grad);
        assert_eq!(grad, communicability_backward(w.view(), g.view()).unwrap());
    }
}
