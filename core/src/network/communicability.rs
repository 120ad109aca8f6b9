//! Weighted communicability `C(W)` of a recurrent weight matrix and its gradient.
//!
//! This module owns the quantity the spatially-embedded RNN penalty multiplies:
//! `λ·Σ |W| ⊙ D ⊙ C(W)`, recomputed from the current weights at every update. It
//! provides the forward map ([`weighted_communicability`]), the reverse-mode gradient
//! ([`communicability_backward`]) and a fused pass that returns both from one Padé
//! evaluation ([`communicability_with_grad`]). The matrix exponential and its Fréchet
//! derivative come from [`super::expm`].
//!
//! Definition (Crofts & Higham 2009; seRNN, Achterberg et al. 2023): with `A = |W|`,
//! strengths `s_i = Σ_j A_ij` (row sums) and `S = diag(s)`,
//! `M = S^{-½} A S^{-½}` (`M_ij = A_ij / √(s_i s_j)`), and `C = expm(M)` with its
//! diagonal set to 0.
//!
//! Zero-strength nodes: a node with `s_i = 0` (an all-zero row of `W`) is treated as
//! isolated: row and column `i` of `M` are set to 0, so row and column `i` of `C` are 0
//! off the diagonal, even when `W` has non-zero entries into node `i` (column `i`).
//! This replaces the reference implementation's `(s + ε)^{-½}` with `ε = 1e-10`, whose
//! `1e5`-sized factors turned incoming weights of a silent node into spurious large
//! communicability. Such nodes are listed in [`Communicability::isolated`].
//!
//! For the penalty `P = λ·Σ_ij |W_ij| D_ij C_ij` the upstream gradient
//! `G = ∂P/∂C = λ|W| ⊙ D` does not depend on `C`, so one [`communicability_with_grad`]
//! call gives both `C` and the part of `∂P/∂W` that flows through `C`; the trainer adds
//! the direct part `λ·sign(W) ⊙ D ⊙ C`.

use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};

use super::expm::{
    ExpmError, check_finite, check_shape, check_square_finite, expm, expm_with_backward,
};

/// Weighted communicability of a weight matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Communicability {
    /// `C = expm(S^{-½}|W|S^{-½})` with zero diagonal, `(n, n)`.
    pub matrix: Array2<f64>,
    /// Indices of zero-strength (isolated) nodes, ascending.
    pub isolated: Vec<usize>,
}

/// The normalised adjacency and what the backward pass needs from it.
struct Normalised {
    /// `M = S^{-½}|W|S^{-½}`, isolated rows/columns zero.
    m: Array2<f64>,
    /// `s_i^{-½}`, or 0 for an isolated node (which zeroes its row and column of `M`).
    d: Array1<f64>,
    /// `1/s_i`, or 0 for an isolated node.
    inv_s: Array1<f64>,
    isolated: Vec<usize>,
}

fn normalise(w: ArrayView2<f64>) -> Normalised {
    let s = w.map_axis(Axis(1), |row| row.iter().map(|x| x.abs()).sum::<f64>());
    let isolated: Vec<usize> = s
        .iter()
        .enumerate()
        .filter(|&(_, &si)| si == 0.0)
        .map(|(i, _)| i)
        .collect();
    let d = s.mapv(|si| if si > 0.0 { 1.0 / si.sqrt() } else { 0.0 });
    let inv_s = s.mapv(|si| if si > 0.0 { 1.0 / si } else { 0.0 });
    // d_i·|W_ij|·d_j rather than |W_ij|/√(s_i s_j): the product s_i s_j can under- or
    // overflow for extreme strengths where the factored form does not.
    let mut m = Array2::zeros(w.raw_dim());
    Zip::indexed(&mut m)
        .and(&w)
        .for_each(|(i, j), mij, &wij| *mij = d[i] * wij.abs() * d[j]);
    Normalised {
        m,
        d,
        inv_s,
        isolated,
    }
}

/// Sets the diagonal to zero.
fn zero_diagonal(mut a: Array2<f64>) -> Array2<f64> {
    a.diag_mut().fill(0.0);
    a
}

/// From `Ḡ = ∂ℓ/∂M` to `∂ℓ/∂W` through the normalisation and `|·|`.
///
/// With `A = |W|`, `d_i = s_i^{-½}`, `M_ij = d_i A_ij d_j`:
/// `∂ℓ/∂d_k = (r_k + c_k)/d_k` where `r`, `c` are the row and column sums of `Ḡ ⊙ M`;
/// `∂d_k/∂s_k = −½ d_k/s_k`, so `∂ℓ/∂s_k = −(r_k + c_k)/(2 s_k)`; `∂s_i/∂A_ij = 1`, so
/// `∂ℓ/∂A_ij = Ḡ_ij d_i d_j + ∂ℓ/∂s_i`, and `∂ℓ/∂W_ij = sign(W_ij)·∂ℓ/∂A_ij` (0 at 0).
/// Isolated nodes have `d_i = 0` held fixed, so they contribute no `∂ℓ/∂s_i`; their
/// rows of `W` are zero, hence so is their gradient row.
fn backward_through_normalisation(
    w: ArrayView2<f64>,
    nz: &Normalised,
    gbar: &Array2<f64>,
) -> Array2<f64> {
    let n = w.nrows();
    let mut r = Array1::<f64>::zeros(n);
    let mut c = Array1::<f64>::zeros(n);
    Zip::indexed(gbar).and(&nz.m).for_each(|(i, j), &g, &m| {
        let q = g * m;
        r[i] += q;
        c[j] += q;
    });
    let gs = Zip::from(&r)
        .and(&c)
        .and(&nz.inv_s)
        .map_collect(|&ri, &ci, &is| -0.5 * (ri + ci) * is);
    let d = &nz.d;
    let mut grad = Array2::zeros(w.raw_dim());
    Zip::indexed(&mut grad)
        .and(&w)
        .and(gbar)
        .for_each(|(i, j), out, &wij, &g| {
            // sign(0) = 0: the subgradient the brief prescribes, and exactly what central
            // differences see since |·| is even.
            if wij != 0.0 {
                *out = wij.signum() * (g * d[i] * d[j] + gs[i]);
            }
        });
    grad
}

/// Weighted communicability `C = expm(S^{-½}|W|S^{-½})` with zero diagonal.
///
/// Maths: `s_i = Σ_j |W_ij|`, `M_ij = |W_ij|/√(s_i s_j)`, `C = expm(M) − diag(expm(M))`.
/// Zero-strength nodes are isolated (their rows/columns of `M`, hence of `C`, are 0;
/// see the module docs) and listed in the result. `C` is invariant to rescaling `W`.
///
/// References: J. J. Crofts and D. J. Higham, "A weighted communicability measure
/// applied to complex brain networks", J. R. Soc. Interface 6:411–414, 2009;
/// J. Achterberg, D. Akarca et al., "Spatially embedded recurrent neural networks reveal
/// widespread links between structural and functional neuroscience findings",
/// Nat. Mach. Intell. 5:1369–1381, 2023. `expm` per [`super::expm::expm`].
///
/// # Shapes
/// `w`: `(n, n)` → `matrix`: `(n, n)`, `isolated`: up to `n` indices.
///
/// # Errors
/// [`ExpmError::NotSquare`] / [`ExpmError::NonFinite`] for bad `w` (named `"W"`);
/// [`ExpmError::Overflow`] if `expm(M)` overflows, which needs extreme strength ratios.
pub fn weighted_communicability(w: ArrayView2<f64>) -> Result<Communicability, ExpmError> {
    check_square_finite("W", w)?;
    let nz = normalise(w);
    let c = expm(nz.m.view())?;
    Ok(Communicability {
        matrix: zero_diagonal(c),
        isolated: nz.isolated,
    })
}

/// Gradient `∂ℓ/∂W` of a scalar loss `ℓ` from `G = ∂ℓ/∂C`, `C` as in
/// [`weighted_communicability`].
///
/// Maths, in reverse order of the forward pass:
/// 1. `diag(C) = 0`, so the diagonal of `G` is ignored: `G̃ = G − diag(G)`.
/// 2. Through `expm`: `Ḡ = ∂ℓ/∂M = L(Mᵀ, G̃)`, the adjoint Fréchet derivative
///    (see [`super::expm::expm_backward`]; Al-Mohy & Higham 2009).
/// 3. Through the normalisation, including the dependence of `s` on `W`:
///    `∂ℓ/∂A_ij = Ḡ_ij/√(s_i s_j) − (r_i + c_i)/(2 s_i)` with `A = |W|` and `r`, `c` the
///    row and column sums of `Ḡ ⊙ M`.
/// 4. Through `|·|`: `∂ℓ/∂W_ij = sign(W_ij)·∂ℓ/∂A_ij`, with `sign(0) = 0`.
///
/// Isolated nodes are held isolated (the map is not differentiable where a row of `W`
/// vanishes); their gradient rows are 0. Because `C(cW) = C(W)`, the result is
/// orthogonal to `W`: `Σ_ij W_ij ∂ℓ/∂W_ij = 0`.
///
/// Cost: one [`super::expm::expm_frechet`], which already evaluates `expm(M)`; when `G`
/// does not depend on `C` (as for the penalty, `G = λ|W| ⊙ D`), prefer
/// [`communicability_with_grad`], which returns `C` from the same evaluation.
///
/// # Shapes
/// `w`: `(n, n)`, `grad_c`: `(n, n)` → `(n, n)`.
///
/// # Errors
/// [`ExpmError::NotSquare`], [`ExpmError::ShapeMismatch`], [`ExpmError::NonFinite`]
/// (arguments named `"W"`, `"G"`); [`ExpmError::Overflow`] as in the forward pass.
pub fn communicability_backward(
    w: ArrayView2<f64>,
    grad_c: ArrayView2<f64>,
) -> Result<Array2<f64>, ExpmError> {
    Ok(communicability_with_grad(w, grad_c)?.1)
}

/// Fused forward and backward pass: `(C(W), ∂ℓ/∂W)` for `G = ∂ℓ/∂C`.
///
/// Maths as [`weighted_communicability`] and [`communicability_backward`]; `expm(M)`
/// and `L(Mᵀ, G̃)` come from one Padé evaluation ([`super::expm::expm_with_backward`]),
/// so the pair costs about as much as the gradient alone. `C` here is taken from the
/// Fréchet algorithm's own `expm` (Al-Mohy & Higham's ℓ_m degree table instead of
/// Higham's θ_m); both are accurate to rounding, so it can differ from
/// [`weighted_communicability`] in the last bits.
///
/// # Shapes
/// `w`: `(n, n)`, `grad_c`: `(n, n)` → (`Communicability`, `∂ℓ/∂W`: `(n, n)`).
///
/// # Errors
/// As [`communicability_backward`].
pub fn communicability_with_grad(
    w: ArrayView2<f64>,
    grad_c: ArrayView2<f64>,
) -> Result<(Communicability, Array2<f64>), ExpmError> {
    let n = check_square_finite("W", w)?;
    check_shape("G", grad_c, (n, n))?;
    check_finite("G", grad_c)?;
    let nz = normalise(w);
    let g_tilde = zero_diagonal(grad_c.to_owned());
    let (c, gbar) = expm_with_backward(nz.m.view(), g_tilde.view())?;
    let grad = backward_through_normalisation(w, &nz, &gbar);
    Ok((
        Communicability {
            matrix: zero_diagonal(c),
            isolated: nz.isolated,
        },
        grad,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, s};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0, |m, x| m.max(x.abs()))
    }

    /// Signed, asymmetric, with magnitudes in [0.05, 1] so that ±h never crosses 0.
    fn random_w(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, n), |_| {
            let mag = rng.random_range(0.05..1.0);
            if rng.random_bool(0.5) { mag } else { -mag }
        })
    }

    fn loss(w: &Array2<f64>, g: &Array2<f64>) -> f64 {
        (g * &weighted_communicability(w.view()).unwrap().matrix).sum()
    }

    /// Entrywise central differences of ℓ = ⟨G, C(W)⟩, relative error in the max norm.
    fn fd_rel_err(w: &Array2<f64>, g: &Array2<f64>) -> f64 {
        let grad = communicability_backward(w.view(), g.view()).unwrap();
        let h = 1e-6;
        let mut fd = Array2::<f64>::zeros(w.raw_dim());
        for ((i, j), out) in fd.indexed_iter_mut() {
            let mut wp = w.clone();
            wp[[i, j]] += h;
            let mut wm = w.clone();
            wm[[i, j]] -= h;
            *out = (loss(&wp, g) - loss(&wm, g)) / (2.0 * h);
        }
        max_abs(&(&grad - &fd)) / max_abs(&fd)
    }

    #[test]
    fn matches_the_definition() {
        let w = array![[0.0_f64, 2.0, -1.0], [0.5, 0.0, 0.0], [-3.0, 1.0, 0.25]];
        let s = [3.0_f64, 0.5, 4.25];
        let m = Array2::from_shape_fn((3, 3), |(i, j)| w[[i, j]].abs() / (s[i] * s[j]).sqrt());
        let mut want = expm(m.view()).unwrap();
        want.diag_mut().fill(0.0);
        let got = weighted_communicability(w.view()).unwrap();
        assert!(got.isolated.is_empty());
        assert!(max_abs(&(&got.matrix - &want)) < 1e-15 * max_abs(&want));
    }

    #[test]
    fn symmetric_input_gives_symmetric_output_and_scale_invariance() {
        let w0 = random_w(15, 3);
        let w = &w0 + &w0.t();
        let c = weighted_communicability(w.view()).unwrap().matrix;
        assert!(max_abs(&(&c - &c.t())) < 1e-14 * max_abs(&c));
        let c_scaled = weighted_communicability((&w * 37.0).view()).unwrap().matrix;
        assert!(max_abs(&(&c - &c_scaled)) < 1e-13 * max_abs(&c));
        assert!(c.diag().iter().all(|&x| x == 0.0));
    }

    #[test]
    fn zero_strength_nodes_are_isolated_and_finite() {
        let mut w = random_w(8, 5);
        // Node 2: zero row but non-zero incoming column; node 6: fully disconnected.
        w.row_mut(2).fill(0.0);
        w.row_mut(6).fill(0.0);
        w.column_mut(6).fill(0.0);
        let res = weighted_communicability(w.view()).unwrap();
        assert_eq!(res.isolated, vec![2, 6]);
        assert!(res.matrix.iter().all(|x| x.is_finite()));
        for k in [2, 6] {
            assert!(res.matrix.row(k).iter().all(|&x| x == 0.0));
            assert!(res.matrix.column(k).iter().all(|&x| x == 0.0));
        }
        // A fully disconnected node changes nothing for the others: dropping node 6
        // gives the same communicability among the remaining nodes.
        let keep = [0, 1, 2, 3, 4, 5, 7];
        let sub = w.select(Axis(0), &keep).select(Axis(1), &keep);
        let c_sub = weighted_communicability(sub.view()).unwrap();
        assert_eq!(c_sub.isolated, vec![2]);
        let c_kept = res.matrix.select(Axis(0), &keep).select(Axis(1), &keep);
        assert!(max_abs(&(&c_kept - &c_sub.matrix)) <= 1e-14 * max_abs(&c_kept));
        let all_zero = Array2::<f64>::zeros((4, 4));
        let res = weighted_communicability(all_zero.view()).unwrap();
        assert_eq!(res.isolated, vec![0, 1, 2, 3]);
        assert_eq!(res.matrix, Array2::<f64>::zeros((4, 4)));
        let (fused, grad) =
            communicability_with_grad(all_zero.view(), Array2::ones((4, 4)).view()).unwrap();
        assert_eq!(fused, res);
        assert_eq!(grad, Array2::<f64>::zeros((4, 4)));
    }

    #[test]
    fn backward_matches_central_differences() {
        let cases: Vec<(Array2<f64>, u64)> = vec![
            (random_w(5, 11), 1),
            (random_w(7, 12), 2),
            (random_w(9, 13).mapv(|x| x * 40.0), 3),
            {
                // Zero-strength row with non-zero incoming weights, plus exact zeros.
                let mut w = random_w(7, 14);
                w.row_mut(3).fill(0.0);
                w[[0, 5]] = 0.0;
                w[[6, 1]] = 0.0;
                (w, 4)
            },
            {
                // Nonnegative with one very weak and one very strong node.
                let mut w = random_w(8, 15).mapv(f64::abs);
                w.row_mut(1).mapv_inplace(|x| x * 1e-3);
                w.row_mut(4).mapv_inplace(|x| x * 50.0);
                (w, 5)
            },
            {
                // Fully disconnected node.
                let mut w = random_w(6, 16);
                w.row_mut(0).fill(0.0);
                w.column_mut(0).fill(0.0);
                (w, 6)
            },
        ];
        for (w, seed) in cases {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let g = Array2::from_shape_fn(w.raw_dim(), |_| rng.random_range(-1.0..1.0));
            let err = fd_rel_err(&w, &g);
            assert!(err < 1e-6, "case {seed}: relative error {err}");
        }
    }

    #[test]
    fn fused_matches_separate_and_gradient_is_orthogonal_to_w() {
        let mut w = random_w(20, 21);
        w.row_mut(7).fill(0.0);
        let g = random_w(20, 22);
        let (c, grad) = communicability_with_grad(w.view(), g.view()).unwrap();
        let c_alone = weighted_communicability(w.view()).unwrap();
        assert_eq!(c.isolated, c_alone.isolated);
        assert!(max_abs(&(&c.matrix - &c_alone.matrix)) < 1e-13 * max_abs(&c_alone.matrix));
        assert_eq!(grad, communicability_backward(w.view(), g.view()).unwrap());
        assert!(grad.row(7).iter().all(|&x| x == 0.0));
        // Scale invariance C(cW) = C(W) ⇒ ⟨∇ℓ, W⟩ = 0 (Euler's theorem, degree 0).
        let inner = (&grad * &w).sum();
        assert!(
            inner.abs() < 1e-12 * max_abs(&grad) * w.len() as f64,
            "{inner}"
        );
        // The diagonal of G is ignored.
        let mut g_diag = g.clone();
        g_diag.diag_mut().fill(123.0);
        let grad_diag = communicability_backward(w.view(), g_diag.view()).unwrap();
        assert_eq!(grad, grad_diag);
    }

    #[test]
    fn bad_input_gives_typed_errors() {
        let rect = Array2::<f64>::zeros((3, 2));
        assert_eq!(
            weighted_communicability(rect.view()),
            Err(ExpmError::NotSquare {
                what: "W",
                rows: 3,
                cols: 2
            })
        );
        let mut w = random_w(4, 1);
        w[[2, 3]] = f64::NAN;
        assert_eq!(
            weighted_communicability(w.view()),
            Err(ExpmError::NonFinite {
                what: "W",
                row: 2,
                col: 3
            })
        );
        let w = random_w(4, 1);
        let mut g = Array2::<f64>::zeros((4, 4));
        g[[0, 1]] = f64::NEG_INFINITY;
        assert_eq!(
            communicability_backward(w.view(), g.view()),
            Err(ExpmError::NonFinite {
                what: "G",
                row: 0,
                col: 1
            })
        );
        assert!(matches!(
            communicability_with_grad(w.view(), w.slice(s![..3, ..3])),
            Err(ExpmError::ShapeMismatch { what: "G", .. })
        ));
    }
}
