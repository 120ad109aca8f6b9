//! The matrix exponential `expm(A)`, its Fréchet derivative `L(A, E)` and the adjoint
//! used to backpropagate a loss through `expm`.
//!
//! This module owns the dense, real, double-precision kernels behind the weighted
//! communicability penalty ([`super::communicability`]), which is recomputed from the
//! recurrent weights at every training update and differentiated through `expm`:
//!
//! - [`expm`]: scaling and squaring with Padé approximants of degree 3, 5, 7, 9 or 13
//!   (Higham 2005), degree and scaling chosen from the exact 1-norm.
//! - [`expm_frechet`]: `expm(A)` together with `L(A, E)`, the Fréchet derivative in
//!   direction `E` (Al-Mohy & Higham 2009, Algorithm 6.4; `scipy.linalg.expm_frechet`,
//!   `method="SPS"`).
//! - [`expm_backward`] / [`expm_with_backward`]: the reverse-mode rule
//!   `∂ℓ/∂A = L(Aᵀ, ∂ℓ/∂expm(A))`.
//!
//! Products go through ndarray's [`general_mat_mul`] (matrixmultiply); the Padé
//! system is solved with a partial-pivoting LU whose triangular solves are blocked so
//! that most of their work is matrix products as well.
//!
//! Large products and the elimination's large steps are split into bands of rows, and the
//! solves into bands of right-hand columns, run as tasks of the rayon pool that calls them,
//! so one exponential uses every core of that pool. Each entry is computed by the same
//! arithmetic in the same order whichever band holds it, so the results are bit-identical on
//! any number of threads (tests check it on 1 to 4).

use std::cell::Cell;

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayBase, ArrayView2, ArrayViewMut2, Axis, Data, DataMut, Ix2, s};
use thiserror::Error;

use crate::denormal::FloatMode;

thread_local! {
    static FLOPS: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` and returns its result with the floating-point operations (a multiply-add counts
/// 2) of the matrix products and LU eliminations this module ran for it, on any thread. The
/// trainer adds them up to compare a study's wall time with its floor. The O(n²) work around
/// the products is not counted.
///
/// `f`'s bands are counted by the thread that split them, and a scope opened inside `f` (for
/// example another network's penalty, run on this thread by rayon while `f` waits for a
/// band) keeps its count to itself. Work of this module run on this thread *outside* any
/// scope while `f` waits would land in `f`'s count, so wherever networks train on a shared
/// pool every call into this module runs in a scope of its own: the trainer's penalty, its
/// per-epoch report of it, and the set-up's empirical communicability.
pub fn counting_flops<R>(f: impl FnOnce() -> R) -> (R, u64) {
    /// Gives the enclosing scope its count back when `f` ends, returning or unwinding.
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            FLOPS.with(|c| c.set(self.0));
        }
    }
    let restore = Restore(FLOPS.with(|c| c.replace(0)));
    let result = f();
    let own = FLOPS.with(Cell::get);
    drop(restore);
    (result, own)
}

fn count(flops: usize) {
    FLOPS.with(|f| f.set(f.get() + flops as u64));
}

/// Products with fewer multiply-adds than this run whole: a band costs a repacking of the
/// shared operand, worth it only when the product is large.
const SPLIT_MULADDS: usize = 1 << 22;

/// Rows in a band, at least: matrixmultiply's row block for f64, so no band packs less.
const SPLIT_ROWS: usize = 64;

/// `a·b`, counted.
fn mm<S: Data<Elem = f64>, T: Data<Elem = f64>>(
    a: &ArrayBase<S, Ix2>,
    b: &ArrayBase<T, Ix2>,
) -> Array2<f64> {
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    gemm(1.0, a, b, 0.0, &mut c);
    c
}

/// `c ← α·a·b + β·c`, counted.
fn gemm<S: Data<Elem = f64>, T: Data<Elem = f64>, U: DataMut<Elem = f64>>(
    alpha: f64,
    a: &ArrayBase<S, Ix2>,
    b: &ArrayBase<T, Ix2>,
    beta: f64,
    c: &mut ArrayBase<U, Ix2>,
) {
    count(2 * a.nrows() * a.ncols() * b.ncols());
    let bands = rayon::current_num_threads().min(a.nrows() / SPLIT_ROWS);
    if a.nrows() * a.ncols() * b.ncols() < SPLIT_MULADDS || !exact_scaling(alpha, beta) {
        general_mat_mul(alpha, a, b, beta, c);
    } else {
        banded_product(alpha, a.view(), b.view(), beta, c.view_mut(), bands);
    }
}

/// Whether a banded `c ← α·a·b + β·c` is bit-identical to the whole product. With α = 0.7
/// and β = 1.3 a test found entries that differ (matrixmultiply scales its partial edge
/// tiles apart from its full ones, and a band boundary moves the edges); with α = ±1 and
/// β ∈ {0, 1} the scaling is exact however it is done. Every product here has such scalings.
fn exact_scaling(alpha: f64, beta: f64) -> bool {
    alpha.abs() == 1.0 && (beta == 0.0 || beta == 1.0)
}

/// `c ← α·a·b + β·c` over `bands` bands of rows, split in halves as rayon tasks. Uncounted.
/// Bit-identical to the whole product when [`exact_scaling`] holds.
fn banded_product(
    alpha: f64,
    a: ArrayView2<f64>,
    b: ArrayView2<f64>,
    beta: f64,
    mut c: ArrayViewMut2<f64>,
    bands: usize,
) {
    if bands <= 1 {
        general_mat_mul(alpha, &a, &b, beta, &mut c);
        return;
    }
    let upper = bands / 2;
    let mid = a.nrows() * upper / bands;
    let (a_top, a_bottom) = a.split_at(Axis(0), mid);
    let (c_top, c_bottom) = c.split_at(Axis(0), mid);
    join_in_mode(
        || banded_product(alpha, a_top, b, beta, c_top, upper),
        || banded_product(alpha, a_bottom, b, beta, c_bottom, bands - upper),
    );
}

/// `rayon::join(a, b)` with both sides under the calling thread's float mode, so a band run
/// by a helper thread rounds (and flushes subnormals) as the splitting thread would.
fn join_in_mode<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    let mode = FloatMode::of_this_thread();
    rayon::join(|| mode.run(a), || mode.run(b))
}

/// Why a matrix exponential (or a computation built on one) was refused or failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExpmError {
    /// The input is not a square matrix.
    #[error("{what} must be square, got {rows}×{cols}")]
    NotSquare {
        /// Which argument (e.g. `"A"`, `"E"`, `"W"`).
        what: &'static str,
        /// Rows of the offending argument.
        rows: usize,
        /// Columns of the offending argument.
        cols: usize,
    },
    /// Two arguments that must share a shape do not.
    #[error("{what} must have shape {expected:?} to match, got {got:?}")]
    ShapeMismatch {
        /// Which argument has the wrong shape.
        what: &'static str,
        /// The shape it must have.
        expected: (usize, usize),
        /// The shape it has.
        got: (usize, usize),
    },
    /// The input holds a NaN or an infinity.
    #[error("{what} has a non-finite entry at ({row}, {col})")]
    NonFinite {
        /// Which argument.
        what: &'static str,
        /// Row of the first non-finite entry.
        row: usize,
        /// Column of the first non-finite entry.
        col: usize,
    },
    /// The Padé denominator `V − U` had a zero pivot. Higham's degree/scaling choice
    /// keeps it well conditioned for finite input, so this indicates a bug or overflow.
    #[error("the Padé denominator is singular to working precision")]
    Singular,
    /// The result is not finite: the exponential overflows `f64`.
    #[error("the matrix exponential overflows f64 (1-norm of the input: {norm:e})")]
    Overflow {
        /// 1-norm of the input matrix.
        norm: f64,
    },
}

/// Padé coefficients `b_0..b_m` of the `[m/m]` approximant to `eˣ`
/// (Higham 2005, eq. 2.3; identical to scipy's tables).
const B3: [f64; 4] = [120., 60., 12., 1.];
const B5: [f64; 6] = [30240., 15120., 3360., 420., 30., 1.];
const B7: [f64; 8] = [
    17_297_280.,
    8_648_640.,
    1_995_840.,
    277_200.,
    25_200.,
    1_512.,
    56.,
    1.,
];
const B9: [f64; 10] = [
    17_643_225_600.,
    8_821_612_800.,
    2_075_673_600.,
    302_702_400.,
    30_270_240.,
    2_162_160.,
    110_880.,
    3_960.,
    90.,
    1.,
];
const B13: [f64; 14] = [
    64_764_752_532_480_000.,
    32_382_376_266_240_000.,
    7_771_770_303_897_600.,
    1_187_353_796_428_800.,
    129_060_195_264_000.,
    10_559_470_521_600.,
    670_442_572_800.,
    33_522_128_640.,
    1_323_241_920.,
    40_840_800.,
    960_960.,
    16_380.,
    182.,
    1.,
];

/// θ_m of Higham 2005, Table 2.3: the largest 1-norm for which the degree-m Padé
/// approximant has backward error below the unit roundoff 2⁻⁵³ (degrees 3, 5, 7, 9).
const THETA_LOW: [(usize, f64); 4] = [
    (3, 1.495_585_217_958_292e-2),
    (5, 2.539_398_330_063_23e-1),
    (7, 9.504_178_996_162_932e-1),
    (9, 2.097_847_961_257_068e0),
];
/// θ_13 of Higham 2005, Table 2.3.
const THETA_13: f64 = 5.371_920_351_148_152e0;

/// ℓ_m of Al-Mohy & Higham 2009, Table 6.1: the 1-norm bounds that keep the backward
/// error of the *Fréchet* evaluation below 2⁻⁵³ (degrees 3, 5, 7, 9). They are
/// smaller than θ_m because `L` is also approximated; scipy uses the same values.
const ELL_LOW: [(usize, f64); 4] = [(3, 1.08e-2), (5, 2.00e-1), (7, 7.83e-1), (9, 1.78e0)];
/// ℓ_13 of Al-Mohy & Higham 2009, Table 6.1.
const ELL_13: f64 = 4.74e0;

/// Row block of the blocked triangular solves: big enough that the off-block update is
/// a worthwhile matrix product, small enough that the in-block loop stays in cache.
const SOLVE_BLOCK: usize = 64;

/// Checks that `a` is square and finite; returns its order.
pub(crate) fn check_square_finite(
    what: &'static str,
    a: ArrayView2<f64>,
) -> Result<usize, ExpmError> {
    let (rows, cols) = a.dim();
    if rows != cols {
        return Err(ExpmError::NotSquare { what, rows, cols });
    }
    check_finite(what, a)?;
    Ok(rows)
}

/// Checks that every entry of `a` is finite.
pub(crate) fn check_finite(what: &'static str, a: ArrayView2<f64>) -> Result<(), ExpmError> {
    // Fast path first (one pass, no branches taken); locate the entry only on failure.
    if a.iter().all(|x| x.is_finite()) {
        return Ok(());
    }
    let ((row, col), _) = a
        .indexed_iter()
        .find(|(_, x)| !x.is_finite())
        .expect("a non-finite entry exists");
    Err(ExpmError::NonFinite { what, row, col })
}

/// Checks that `b` has the shape `expected`.
pub(crate) fn check_shape(
    what: &'static str,
    b: ArrayView2<f64>,
    expected: (usize, usize),
) -> Result<(), ExpmError> {
    if b.dim() != expected {
        return Err(ExpmError::ShapeMismatch {
            what,
            expected,
            got: b.dim(),
        });
    }
    Ok(())
}

/// Exact matrix 1-norm `‖A‖₁ = max_j Σ_i |A_ij|` (maximum absolute column sum).
fn one_norm(a: ArrayView2<f64>) -> f64 {
    // Accumulate whole rows into the column sums: contiguous for row-major input.
    let mut col_sums = vec![0.0_f64; a.ncols()];
    for row in a.rows() {
        for (acc, x) in col_sums.iter_mut().zip(row) {
            *acc += x.abs();
        }
    }
    col_sums.into_iter().fold(0.0, f64::max)
}

/// `Σ_k c_k·X_k + d·I` in a fresh row-major array.
fn lincomb(terms: &[(f64, &Array2<f64>)], d: f64) -> Array2<f64> {
    let (c0, x0) = terms[0];
    let mut out = Array2::zeros(x0.raw_dim());
    out.scaled_add(c0, x0);
    for &(c, x) in &terms[1..] {
        out.scaled_add(c, x);
    }
    if d != 0.0 {
        out.diag_mut().map_inplace(|v| *v += d);
    }
    out
}

/// `XY + YX` (used for the derivatives `M_{2k}` of the even powers).
fn sym_product(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let mut out = mm(x, y);
    gemm(1.0, y, x, 1.0, &mut out);
    out
}

/// Numerator/denominator pieces of a Padé approximant `r_m(A) = (V − U)⁻¹(V + U)`,
/// with `U` odd and `V` even in `A`, and, when a direction `E` is given, their Fréchet
/// derivatives `L_U = L_U(A, E)`, `L_V = L_V(A, E)`.
struct Pade {
    u: Array2<f64>,
    v: Array2<f64>,
    lu_lv: Option<(Array2<f64>, Array2<f64>)>,
}

/// Padé pieces for degree `m ∈ {3, 5, 7, 9}` from the even powers `A², A⁴, …, A^{m−1}`
/// (Higham 2005, eq. 2.4; derivatives per Al-Mohy & Higham 2009, eqs. 6.11–6.13:
/// `M_2 = AE + EA`, `M_{2k} = A^{2j}M_{2k−2j} + M_{2j}A^{2k−2j}`).
fn pade_low(a: ArrayView2<f64>, e: Option<ArrayView2<f64>>, m: usize) -> Pade {
    let b: &[f64] = match m {
        3 => &B3,
        5 => &B5,
        7 => &B7,
        _ => &B9,
    };
    let half = (m - 1) / 2; // number of even powers A², …, A^{m−1}
    let a2 = mm(&a, &a);
    let mut pows = vec![a2];
    if half >= 2 {
        pows.push(mm(&pows[0], &pows[0])); // A⁴
    }
    if half >= 3 {
        pows.push(mm(&pows[0], &pows[1])); // A⁶
    }
    if half >= 4 {
        pows.push(mm(&pows[1], &pows[1])); // A⁸
    }
    let odd: Vec<(f64, &Array2<f64>)> = (1..=half).map(|k| (b[2 * k + 1], &pows[k - 1])).collect();
    let even: Vec<(f64, &Array2<f64>)> = (1..=half).map(|k| (b[2 * k], &pows[k - 1])).collect();
    let w_odd = lincomb(&odd, b[1]);
    let u = mm(&a, &w_odd);
    let v = lincomb(&even, b[0]);

    let lu_lv = e.map(|e| {
        let mut m2 = mm(&a, &e);
        gemm(1.0, &e, &a, 1.0, &mut m2);
        let mut mp = vec![m2];
        if half >= 2 {
            mp.push(sym_product(&pows[0], &mp[0])); // M4 = A²M2 + M2A²
        }
        if half >= 3 {
            // M6 = A⁴M2 + M4A²
            let mut m6 = mm(&pows[1], &mp[0]);
            gemm(1.0, &mp[1], &pows[0], 1.0, &mut m6);
            mp.push(m6);
        }
        if half >= 4 {
            mp.push(sym_product(&pows[1], &mp[1])); // M8 = A⁴M4 + M4A⁴
        }
        let lodd: Vec<(f64, &Array2<f64>)> =
            (1..=half).map(|k| (b[2 * k + 1], &mp[k - 1])).collect();
        let leven: Vec<(f64, &Array2<f64>)> = (1..=half).map(|k| (b[2 * k], &mp[k - 1])).collect();
        // L_U = A·Σ b_{2k+1} M_{2k} + E·Σ b_{2k+1} A^{2k};  L_V = Σ b_{2k} M_{2k}.
        let mut lu = mm(&a, &lincomb(&lodd, 0.0));
        gemm(1.0, &e, &w_odd, 1.0, &mut lu);
        (lu, lincomb(&leven, 0.0))
    });
    Pade { u, v, lu_lv }
}

/// Padé pieces for degree 13, evaluated with the 6 + 3·(Fréchet) product scheme of
/// Higham 2005, eq. 2.5, and Al-Mohy & Higham 2009, Algorithm 6.4 lines 18–27.
fn pade13(a: ArrayView2<f64>, e: Option<ArrayView2<f64>>) -> Pade {
    let b = &B13;
    let a2 = mm(&a, &a);
    let a4 = mm(&a2, &a2);
    let a6 = mm(&a2, &a4);
    let w1 = lincomb(&[(b[13], &a6), (b[11], &a4), (b[9], &a2)], 0.0);
    let z1 = lincomb(&[(b[12], &a6), (b[10], &a4), (b[8], &a2)], 0.0);
    // W = A⁶W₁ + W₂ and V = A⁶Z₁ + Z₂, accumulated into W₂, Z₂ in place.
    let mut w = lincomb(&[(b[7], &a6), (b[5], &a4), (b[3], &a2)], b[1]);
    gemm(1.0, &a6, &w1, 1.0, &mut w);
    let mut v = lincomb(&[(b[6], &a6), (b[4], &a4), (b[2], &a2)], b[0]);
    gemm(1.0, &a6, &z1, 1.0, &mut v);
    let u = mm(&a, &w);

    let lu_lv = e.map(|e| {
        let mut m2 = mm(&a, &e);
        gemm(1.0, &e, &a, 1.0, &mut m2);
        let m4 = sym_product(&a2, &m2);
        let mut m6 = mm(&a4, &m2);
        gemm(1.0, &m4, &a2, 1.0, &mut m6);
        // L_W = A⁶L_{W1} + M₆W₁ + L_{W2};  L_U = A·L_W + E·W;  L_V = A⁶L_{Z1} + M₆Z₁ + L_{Z2}.
        let lw1 = lincomb(&[(b[13], &m6), (b[11], &m4), (b[9], &m2)], 0.0);
        let mut lw = lincomb(&[(b[7], &m6), (b[5], &m4), (b[3], &m2)], 0.0);
        gemm(1.0, &a6, &lw1, 1.0, &mut lw);
        gemm(1.0, &m6, &w1, 1.0, &mut lw);
        let mut lu = mm(&a, &lw);
        gemm(1.0, &e, &w, 1.0, &mut lu);
        let lz1 = lincomb(&[(b[12], &m6), (b[10], &m4), (b[8], &m2)], 0.0);
        let mut lv = lincomb(&[(b[6], &m6), (b[4], &m4), (b[2], &m2)], 0.0);
        gemm(1.0, &a6, &lz1, 1.0, &mut lv);
        gemm(1.0, &m6, &z1, 1.0, &mut lv);
        (lu, lv)
    });
    Pade { u, v, lu_lv }
}

/// Row-major LU factors `PA = LU` with partial pivoting; `L` is unit lower triangular and
/// stored below the diagonal, `U` on and above it.
struct Lu {
    lu: Array2<f64>,
    /// Row swaps in order: at step `k` rows `k` and `swaps[k]` were exchanged.
    swaps: Vec<usize>,
}

/// Swaps rows `i < j` of a row-major `n`-column buffer.
fn swap_rows(data: &mut [f64], n: usize, i: usize, j: usize) {
    debug_assert!(i < j);
    let (head, tail) = data.split_at_mut(j * n);
    head[i * n..(i + 1) * n].swap_with_slice(&mut tail[..n]);
}

/// `row -= l·other` on contiguous slices (vectorises).
#[inline]
fn axpy_neg(row: &mut [f64], l: f64, other: &[f64]) {
    for (x, &y) in row.iter_mut().zip(other) {
        *x -= l * y;
    }
}

/// Trailing updates of at least this many entries are split into bands of rows: about the
/// cost at which a rayon task pays for itself (the steps with n − k ≥ 180, which hold four
/// fifths of an elimination's work at n = 312).
const SPLIT_ELIMINATION: usize = 1 << 15;

/// One elimination step below the pivot: every row of `rows` (`n` columns each) gets its
/// multiplier `l = row[k] / pivot` stored at `k` and `l·pivot_row` subtracted right of it.
/// Rows are independent, so `bands` bands of them run as rayon tasks with the same result.
fn eliminate(rows: &mut [f64], pivot_row: &[f64], k: usize, n: usize, bands: usize) {
    let count = rows.len() / n;
    if bands <= 1 || count < 2 {
        let pivot = pivot_row[k];
        for row in rows.chunks_exact_mut(n) {
            let l = row[k] / pivot;
            row[k] = l;
            if l != 0.0 {
                axpy_neg(&mut row[k + 1..], l, &pivot_row[k + 1..]);
            }
        }
        return;
    }
    let upper = bands / 2;
    let (first, second) = rows.split_at_mut(count * upper / bands * n);
    join_in_mode(
        || eliminate(first, pivot_row, k, n, upper),
        || eliminate(second, pivot_row, k, n, bands - upper),
    );
}

impl Lu {
    /// Right-looking Gaussian elimination with partial pivoting (Golub & Van Loan,
    /// Algorithm 3.4.1). Rows are contiguous, so each elimination step is a set of
    /// vectorised row updates.
    fn factor(a: Array2<f64>) -> Result<Self, ExpmError> {
        let n = a.nrows();
        // Copy only when the caller's buffer is not already row-major.
        let mut lu = if a.is_standard_layout() {
            a
        } else {
            a.as_standard_layout().into_owned()
        };
        let data = lu.as_slice_mut().expect("standard layout");
        let mut swaps = Vec::with_capacity(n);
        count(2 * n * n * n / 3);
        for k in 0..n {
            let mut p = k;
            let mut best = data[k * n + k].abs();
            for i in k + 1..n {
                let v = data[i * n + k].abs();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            // A zero (or NaN) pivot column: V − U is singular to working precision.
            if best.is_nan() || best == 0.0 {
                return Err(ExpmError::Singular);
            }
            if p != k {
                swap_rows(data, n, k, p);
            }
            swaps.push(p);
            let (top, bottom) = data.split_at_mut((k + 1) * n);
            let bands = if (n - k - 1) * (n - k) >= SPLIT_ELIMINATION {
                rayon::current_num_threads()
            } else {
                1
            };
            eliminate(bottom, &top[k * n..], k, n, bands);
        }
        Ok(Self { lu, swaps })
    }

    /// Overwrites `b` (n × r) with `A⁻¹b`, counted. Large right-hand sides are solved in
    /// bands of columns, as rayon tasks: each column's solve is independent of the others.
    fn solve_in_place(&self, b: &mut Array2<f64>) {
        let n = self.lu.nrows();
        let r = b.ncols();
        let bands = rayon::current_num_threads().min(r / SPLIT_ROWS);
        let flops = if bands > 1 && n * n * r >= SPLIT_MULADDS {
            self.solve_bands(b.view_mut(), bands)
        } else {
            self.solve_whole(b)
        };
        count(flops);
    }

    /// [`Self::solve_whole`] on `bands` bands of `b`'s columns, split in halves as rayon
    /// tasks; returns the products' FLOPs.
    fn solve_bands(&self, mut b: ArrayViewMut2<f64>, bands: usize) -> usize {
        if bands <= 1 {
            let mut band = b.as_standard_layout().into_owned();
            let flops = self.solve_whole(&mut band);
            b.assign(&band);
            return flops;
        }
        let upper = bands / 2;
        let mid = b.ncols() * upper / bands;
        let (left, right) = b.split_at(Axis(1), mid);
        let (l, r) = join_in_mode(
            || self.solve_bands(left, upper),
            || self.solve_bands(right, bands - upper),
        );
        l + r
    }

    /// Overwrites `b` (n × r) with `A⁻¹b` on this thread; returns the FLOPs of its
    /// products. Both triangular solves are blocked by rows: the coupling to already-solved
    /// blocks is one matrix product per block (matrixmultiply), only the small diagonal
    /// blocks are done row by row.
    fn solve_whole(&self, b: &mut Array2<f64>) -> usize {
        let n = self.lu.nrows();
        let r = b.ncols();
        let mut flops = 0;
        if !b.is_standard_layout() {
            *b = b.as_standard_layout().into_owned();
        }
        let lu = self.lu.view();
        {
            let data = b.as_slice_mut().expect("standard layout");
            for (k, &p) in self.swaps.iter().enumerate() {
                if p != k {
                    swap_rows(data, r, k, p);
                }
            }
        }
        // Forward substitution with the unit lower factor.
        for kb in (0..n).step_by(SOLVE_BLOCK) {
            let ke = (kb + SOLVE_BLOCK).min(n);
            if kb > 0 {
                let (done, mut rest) = b.view_mut().split_at(Axis(0), kb);
                let mut blk = rest.slice_mut(s![..ke - kb, ..]);
                flops += 2 * (ke - kb) * kb * r;
                general_mat_mul(-1.0, &lu.slice(s![kb..ke, ..kb]), &done, 1.0, &mut blk);
            }
            let data = b.as_slice_mut().expect("standard layout");
            for i in kb + 1..ke {
                let (head, tail) = data.split_at_mut(i * r);
                let row_i = &mut tail[..r];
                for j in kb..i {
                    let l = lu[[i, j]];
                    if l != 0.0 {
                        axpy_neg(row_i, l, &head[j * r..(j + 1) * r]);
                    }
                }
            }
        }
        // Back substitution with the upper factor, last block first.
        let n_blocks = n.div_ceil(SOLVE_BLOCK);
        for blk_idx in (0..n_blocks).rev() {
            let kb = blk_idx * SOLVE_BLOCK;
            let ke = (kb + SOLVE_BLOCK).min(n);
            if ke < n {
                let (mut head, done) = b.view_mut().split_at(Axis(0), ke);
                let mut blk = head.slice_mut(s![kb.., ..]);
                flops += 2 * (ke - kb) * (n - ke) * r;
                general_mat_mul(-1.0, &lu.slice(s![kb..ke, ke..]), &done, 1.0, &mut blk);
            }
            let data = b.as_slice_mut().expect("standard layout");
            for i in (kb..ke).rev() {
                let (head, tail) = data.split_at_mut((i + 1) * r);
                let row_i = &mut head[i * r..];
                for j in i + 1..ke {
                    let u = lu[[i, j]];
                    if u != 0.0 {
                        axpy_neg(row_i, u, &tail[(j - i - 1) * r..(j - i) * r]);
                    }
                }
                let inv = 1.0 / lu[[i, i]];
                row_i.iter_mut().for_each(|x| *x *= inv);
            }
        }
        flops
    }
}

/// From Padé pieces: `R = (V − U)⁻¹(U + V)` and, with derivatives,
/// `L = (V − U)⁻¹(L_U + L_V + (L_U − L_V)R)` (Al-Mohy & Higham 2009, Alg. 6.4 l. 29–30);
/// then `s` squarings `L ← RL + LR`, `R ← R²` (line 32).
fn solve_and_square(p: Pade, s: u32) -> Result<(Array2<f64>, Option<Array2<f64>>), ExpmError> {
    let Pade { mut u, v, lu_lv } = p;
    let denom = &v - &u; // V − U
    u += &v; // U + V, reusing U's buffer as the right-hand side
    let mut r = u;
    let factors = Lu::factor(denom)?;
    factors.solve_in_place(&mut r);
    let mut l = match lu_lv {
        Some((mut lu, lv)) => {
            let diff = &lu - &lv;
            lu += &lv;
            gemm(1.0, &diff, &r, 1.0, &mut lu);
            factors.solve_in_place(&mut lu);
            Some(lu)
        }
        None => None,
    };
    let mut tmp = Array2::zeros(r.raw_dim());
    for _ in 0..s {
        if let Some(l) = l.as_mut() {
            gemm(1.0, &r, l, 0.0, &mut tmp);
            gemm(1.0, l, &r, 1.0, &mut tmp);
            std::mem::swap(l, &mut tmp);
        }
        gemm(1.0, &r, &r, 0.0, &mut tmp);
        std::mem::swap(&mut r, &mut tmp);
    }
    Ok((r, l))
}

/// Number of squarings `s = max(0, ⌈log₂(‖A‖₁/θ)⌉)` bringing `‖2⁻ˢA‖₁ ≤ θ`.
fn squarings(norm: f64, theta: f64) -> u32 {
    let s = (norm / theta).log2().ceil();
    if s > 0.0 { s as u32 } else { 0 }
}

/// `2⁻ˢ` exactly (s ≤ 1023 for finite input, so this never reaches subnormals).
fn pow2_neg(s: u32) -> f64 {
    2.0_f64.powi(-(s as i32))
}

/// Core of [`expm`]/[`expm_frechet`] on validated input. With `e = Some(E)` the degree
/// and scaling follow the Fréchet table ℓ_m, otherwise Higham's θ_m.
fn expm_core(
    a: ArrayView2<f64>,
    e: Option<ArrayView2<f64>>,
) -> Result<(Array2<f64>, Option<Array2<f64>>), ExpmError> {
    let n = a.nrows();
    if n == 0 {
        return Ok((Array2::zeros((0, 0)), e.map(|_| Array2::zeros((0, 0)))));
    }
    let norm = one_norm(a);
    let (low, top) = if e.is_some() {
        (&ELL_LOW, ELL_13)
    } else {
        (&THETA_LOW, THETA_13)
    };
    let (r, l) = match low.iter().find(|&&(_, t)| norm <= t) {
        Some(&(m, _)) => solve_and_square(pade_low(a, e, m), 0)?,
        None => {
            let s = squarings(norm, top);
            if s == 0 {
                solve_and_square(pade13(a, e), 0)?
            } else {
                // Scale A (and E: L(cA, cE) = c·L(A, E) is undone by the squarings'
                // product rule) by 2⁻ˢ, an exact power of two.
                let c = pow2_neg(s);
                let a_s = a.mapv(|x| x * c);
                let e_s = e.map(|e| e.mapv(|x| x * c));
                solve_and_square(pade13(a_s.view(), e_s.as_ref().map(|e| e.view())), s)?
            }
        }
    };
    let finite = r.iter().all(|x| x.is_finite())
        && l.as_ref().is_none_or(|l| l.iter().all(|x| x.is_finite()));
    if !finite {
        return Err(ExpmError::Overflow { norm });
    }
    Ok((r, l))
}

/// Matrix exponential `expm(A) = Σ_k A^k / k!` by scaling and squaring.
///
/// Maths: with `θ_m` from Higham 2005 (Table 2.3), the smallest degree
/// `m ∈ {3, 5, 7, 9}` with `‖A‖₁ ≤ θ_m` is used unscaled; otherwise
/// `s = max(0, ⌈log₂(‖A‖₁/θ₁₃)⌉)` and `expm(A) = r₁₃(2⁻ˢA)^{2ˢ}`, where
/// `r_m(X) = (V − U)⁻¹(V + U)` is the `[m/m]` Padé approximant (`U` odd, `V` even in `X`).
/// This is scipy's `expm` design except that the exact 1-norm replaces norm estimates
/// of matrix powers, so very non-normal inputs may get a squaring more than scipy
/// gives them (never fewer, so accuracy is not lost).
///
/// Reference: N. J. Higham, "The scaling and squaring method for the matrix exponential
/// revisited", SIAM J. Matrix Anal. Appl. 26(4):1179–1193, 2005, Algorithm 2.3.
///
/// # Shapes
/// `a`: `(n, n)` → `(n, n)`; `n = 0` gives an empty matrix.
///
/// # Errors
/// [`ExpmError::NotSquare`], [`ExpmError::NonFinite`] for bad input;
/// [`ExpmError::Overflow`] when `expm(A)` is not representable in `f64`.
pub fn expm(a: ArrayView2<f64>) -> Result<Array2<f64>, ExpmError> {
    check_square_finite("A", a)?;
    Ok(expm_core(a, None)?.0)
}

/// `expm(A)` and its Fréchet derivative `L(A, E)` in direction `E`, i.e. the linear map
/// with `expm(A + tE) = expm(A) + t·L(A, E) + O(t²)`; equivalently the top-right block
/// of `expm([[A, E], [0, A]])`.
///
/// Maths: scaling–Padé–squaring of Al-Mohy & Higham 2009, Algorithm 6.4, exactly as
/// `scipy.linalg.expm_frechet(A, E, method="SPS")`: degree `m ∈ {3, 5, 7, 9}` if
/// `‖A‖₁ ≤ ℓ_m` (Table 6.1), else degree 13 on `2⁻ˢA`, `2⁻ˢE` with
/// `s = max(0, ⌈log₂(‖A‖₁/ℓ₁₃)⌉)`; `L_U`, `L_V` are the derivatives of the Padé
/// numerator pieces, `L = (V − U)⁻¹(L_U + L_V + (L_U − L_V)R)`, and the squaring phase
/// applies `L ← RL + LR`, `R ← R²`. One LU factorisation serves both solves.
///
/// Reference: A. H. Al-Mohy and N. J. Higham, "Computing the Fréchet derivative of the
/// matrix exponential, with an application to condition number estimation",
/// SIAM J. Matrix Anal. Appl. 30(4):1639–1657, 2009.
///
/// # Shapes
/// `a`: `(n, n)`, `e`: `(n, n)` → `(expm(A), L(A, E))`, both `(n, n)`.
///
/// # Errors
/// [`ExpmError::NotSquare`], [`ExpmError::ShapeMismatch`], [`ExpmError::NonFinite`]
/// for bad input; [`ExpmError::Overflow`] when a result is not representable.
pub fn expm_frechet(
    a: ArrayView2<f64>,
    e: ArrayView2<f64>,
) -> Result<(Array2<f64>, Array2<f64>), ExpmError> {
    let n = check_square_finite("A", a)?;
    check_shape("E", e, (n, n))?;
    check_finite("E", e)?;
    let (r, l) = expm_core(a, Some(e))?;
    Ok((r, l.expect("direction given")))
}

/// Reverse-mode rule for `F = expm(A)`: given `G = ∂ℓ/∂F` of a scalar loss `ℓ`, returns
/// `∂ℓ/∂A = L(Aᵀ, G)`.
///
/// Maths: `dℓ = ⟨G, L(A, dA)⟩ = ⟨L(A, ·)*(G), dA⟩` under the Frobenius inner product, and
/// the adjoint of the Fréchet derivative of a primary matrix function with a real power
/// series is `L(A, ·)* = L(Aᵀ, ·)` (Higham, *Functions of Matrices*, 2008, §3.1;
/// Al-Mohy & Higham 2009, §1). Evaluated with [`expm_frechet`] on `(Aᵀ, G)`.
///
/// Cost: a full [`expm_frechet`], which computes `expm(Aᵀ)` on the way; use
/// [`expm_with_backward`] when `expm(A)` is also needed.
///
/// # Shapes
/// `a`: `(n, n)`, `grad_out`: `(n, n)` → `(n, n)`.
///
/// # Errors
/// As [`expm_frechet`] (the gradient is checked as argument `"G"`).
pub fn expm_backward(
    a: ArrayView2<f64>,
    grad_out: ArrayView2<f64>,
) -> Result<Array2<f64>, ExpmError> {
    Ok(expm_with_backward(a, grad_out)?.1)
}

/// Fused forward and backward pass: `(expm(A), L(Aᵀ, G))` from one Padé evaluation.
///
/// Maths: `expm_frechet(Aᵀ, G)` returns `expm(Aᵀ) = expm(A)ᵀ` and `L(Aᵀ, G) = ∂ℓ/∂A`
/// (see [`expm_backward`]), so the forward result is its transpose. Usable whenever `G`
/// does not itself depend on `expm(A)`.
///
/// # Shapes
/// `a`: `(n, n)`, `grad_out`: `(n, n)` → (`expm(A)`: `(n, n)`, `∂ℓ/∂A`: `(n, n)`).
///
/// # Errors
/// As [`expm_frechet`].
pub fn expm_with_backward(
    a: ArrayView2<f64>,
    grad_out: ArrayView2<f64>,
) -> Result<(Array2<f64>, Array2<f64>), ExpmError> {
    let n = check_square_finite("A", a)?;
    check_shape("G", grad_out, (n, n))?;
    check_finite("G", grad_out)?;
    // Materialise Aᵀ row-major so every product below sees contiguous rows.
    let at = a.t().as_standard_layout().into_owned();
    let (r_t, l) = expm_core(at.view(), Some(grad_out))?;
    Ok((
        r_t.t().as_standard_layout().into_owned(),
        l.expect("direction given"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0, |m, x| m.max(x.abs()))
    }

    fn rel_err(got: &Array2<f64>, want: &Array2<f64>) -> f64 {
        let diff = got - want;
        max_abs(&diff) / max_abs(want).max(f64::MIN_POSITIVE)
    }

    fn random(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, n), |_| rng.random_range(-1.0..1.0))
    }

    fn scaled_to_norm(mut a: Array2<f64>, target: f64) -> Array2<f64> {
        let c = target / one_norm(a.view());
        a.mapv_inplace(|x| x * c);
        a
    }

    #[test]
    fn the_flop_count_is_the_products_and_the_elimination_of_the_scope() {
        // ‖A‖₁ = 0.01 ≤ θ₃: degree 3, two products (A², A·W) and one LU; n = 10 is one solve
        // block, so the triangular solves run no product.
        let a = Array2::from_elem((10, 10), 0.001);
        let (_, flops) = counting_flops(|| expm(a.view()).unwrap());
        assert_eq!(flops, 2 * 2 * 1000 + 2 * 1000 / 3);
        // A scope opened inside another keeps its count to itself, and the outer scope's
        // count goes on after it.
        let ((_, inner), outer) = counting_flops(|| {
            expm(a.view()).unwrap();
            let inner = counting_flops(|| expm(a.view()).unwrap());
            expm(a.view()).unwrap();
            inner
        });
        assert_eq!(inner, flops);
        assert_eq!(outer, 2 * flops);
        // Another thread's work is not counted here.
        let (_, none) = counting_flops(|| {
            std::thread::spawn(move || expm(a.view()).unwrap())
                .join()
                .unwrap()
        });
        assert_eq!(none, 0);
    }

    #[test]
    fn a_scope_that_unwinds_gives_the_enclosing_scope_its_count_back() {
        let a = Array2::from_elem((10, 10), 0.001);
        let (_, outer) = counting_flops(|| {
            expm(a.view()).unwrap();
            let inner = std::panic::catch_unwind(|| {
                counting_flops(|| {
                    expm(a.view()).unwrap();
                    panic!("inside the inner scope")
                })
            });
            assert!(inner.is_err());
        });
        assert_eq!(
            outer,
            2 * 2 * 1000 + 2 * 1000 / 3,
            "only the outer scope's own expm"
        );
    }

    #[test]
    fn bands_run_on_helper_threads_flush_subnormals_as_the_splitting_thread_does() {
        use crate::denormal::FlushDenormals;
        // Every product of these entries is about 1e-323, a subnormal: flushed, an entry is
        // exactly +0; not flushed, it is not. Bits are compared, because under DAZ a
        // subnormal compares equal to zero.
        let a = Array2::from_elem((1024, 512), 1e-160_f64);
        let b = Array2::from_elem((512, 256), 1e-163);
        let unflushed = a.dot(&b);
        assert!(unflushed.iter().all(|v| v.is_subnormal()));
        if !cfg!(target_arch = "x86_64") {
            return;
        }
        // Products of a few milliseconds on four bands of four threads, so that helpers take
        // bands: one run without the splitting thread's mode would leave subnormals.
        pool(4).install(|| {
            let _flush = FlushDenormals::new();
            for _ in 0..5 {
                let mut c = Array2::from_elem((1024, 256), 1.0);
                banded_product(1.0, a.view(), b.view(), 0.0, c.view_mut(), 4);
                let kept = c.iter().filter(|v| v.to_bits() != 0).count();
                assert_eq!(kept, 0, "bands kept {kept} subnormals");
            }
        });
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn a_banded_product_is_bit_identical_to_the_whole_product() {
        let mut rng = ChaCha8Rng::seed_from_u64(40);
        let mut random = |rows: usize, cols: usize| {
            Array2::from_shape_fn((rows, cols), |_| rng.random_range(-1.0..1.0))
        };
        let (a, b, c0) = (random(301, 257), random(257, 190), random(301, 190));
        for (alpha, beta) in [(1.0, 0.0), (1.0, 1.0), (-1.0, 1.0), (-1.0, 0.0)] {
            assert!(exact_scaling(alpha, beta));
            let mut whole = c0.clone();
            general_mat_mul(alpha, &a, &b, beta, &mut whole);
            // Transposed operands into a column-major result too: any layout, same entries.
            let mut whole_t = c0.clone();
            let c_t = &mut whole_t.view_mut().reversed_axes();
            general_mat_mul(alpha, &b.t(), &a.t(), beta, c_t);
            for bands in [2, 3, 4] {
                let mut banded = c0.clone();
                let mut banded_t = c0.clone();
                pool(bands).install(|| {
                    banded_product(alpha, a.view(), b.view(), beta, banded.view_mut(), bands);
                    let c_t = banded_t.view_mut().reversed_axes();
                    banded_product(alpha, b.t(), a.t(), beta, c_t, bands);
                });
                assert_eq!(banded, whole, "{bands} bands, α = {alpha}, β = {beta}");
                assert_eq!(
                    banded_t, whole_t,
                    "{bands} bands transposed, α = {alpha}, β = {beta}"
                );
            }
        }
        // Other scalings may round differently at the edge tiles, so they are never banded.
        assert!(!exact_scaling(0.7, 1.0) && !exact_scaling(1.0, 1.3));
    }

    #[test]
    fn the_exponential_and_its_gradient_are_bit_identical_on_any_number_of_threads() {
        // n = 320: every product, both solves and the first steps of the elimination are
        // split into bands on 2 and 3 threads;
        // ‖A‖₁ = 3 takes degree 13, and 12 a squaring as well.
        for (norm, seed) in [(3.0, 41), (12.0, 42)] {
            let a = scaled_to_norm(random(320, seed), norm);
            let g = random(320, seed + 10);
            let run = |threads: usize| {
                pool(threads).install(|| counting_flops(|| expm_with_backward(a.view(), g.view())))
            };
            let ((r1, l1), f1) = {
                let (result, flops) = run(1);
                (result.unwrap(), flops)
            };
            for threads in [2, 3] {
                let (result, flops) = run(threads);
                let (r, l) = result.unwrap();
                assert_eq!(r, r1, "expm on {threads} threads, norm {norm}");
                assert_eq!(l, l1, "gradient on {threads} threads, norm {norm}");
                assert_eq!(flops, f1, "FLOPs counted on {threads} threads");
            }
            assert!(
                f1 > 20 * 2 * 320 * 320 * 320,
                "the products were counted: {f1}"
            );
        }
    }

    #[test]
    fn expm_of_zero_is_identity() {
        for n in [1, 2, 7] {
            let z = Array2::<f64>::zeros((n, n));
            assert_eq!(expm(z.view()).unwrap(), Array2::<f64>::eye(n));
        }
        assert_eq!(
            expm(Array2::<f64>::zeros((0, 0)).view()).unwrap().dim(),
            (0, 0)
        );
    }

    #[test]
    fn expm_of_diagonal_is_elementwise_exp() {
        // Spans every degree and the squaring path (norms up to 40).
        for d in [
            array![1e-3, -2e-3, 5e-3],
            array![0.1, -0.2, 0.05, 0.0],
            array![0.9, -0.5, 0.3],
            array![2.0, -1.0, 0.5],
            array![5.0, -3.0, 1.0, 0.0],
            array![40.0, -25.0, 3.0, 17.5],
        ] {
            let a = Array2::from_diag(&d);
            let got = expm(a.view()).unwrap();
            let want = Array2::from_diag(&d.mapv(f64::exp));
            // Each squaring roughly doubles the relative rounding error: scale with ‖A‖.
            let tol = 2e-15 * (1.0 + d.iter().fold(0.0_f64, |m, x| m.max(x.abs())));
            assert!(rel_err(&got, &want) < tol, "{d}: {}", rel_err(&got, &want));
        }
    }

    #[test]
    fn expm_of_nilpotent_is_finite_series() {
        // Strictly upper triangular N (N⁵ = 0): expm(N) = I + N + N²/2 + N³/6 + N⁴/24.
        for scale in [0.01, 1.0, 10.0] {
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let nmat = Array2::from_shape_fn((5, 5), |(i, j)| {
                if j > i {
                    scale * rng.random_range(-1.0..1.0)
                } else {
                    0.0
                }
            });
            let mut want = Array2::<f64>::eye(5);
            let mut term = Array2::<f64>::eye(5);
            for k in 1..5 {
                term = term.dot(&nmat) / k as f64;
                want += &term;
            }
            let got = expm(nmat.view()).unwrap();
            assert!(
                rel_err(&got, &want) < 1e-13,
                "scale {scale}: {}",
                rel_err(&got, &want)
            );
        }
    }

    #[test]
    fn expm_times_expm_of_negative_is_identity() {
        for (seed, norm) in [(1, 0.01), (2, 0.2), (3, 0.9), (4, 2.0), (5, 5.0), (6, 12.0)] {
            let a = scaled_to_norm(random(20, seed), norm);
            let p = expm(a.view()).unwrap().dot(&expm((-&a).view()).unwrap());
            assert!(
                rel_err(&p, &Array2::eye(20)) < 1e-12,
                "norm {norm}: {}",
                rel_err(&p, &Array2::eye(20))
            );
        }
    }

    #[test]
    fn large_norm_inputs_use_scaling_and_stay_accurate() {
        // Rotation generator: expm([[0, t], [−t, 0]]) = [[cos t, sin t], [−sin t, cos t]].
        for t in [7.0, 50.0, 300.0] {
            let a = array![[0.0, t], [-t, 0.0]];
            let got = expm(a.view()).unwrap();
            let want = array![[t.cos(), t.sin()], [-t.sin(), t.cos()]];
            // Rotation angles are conditioned by t itself: allow t·u-level error.
            assert!(
                rel_err(&got, &want) < 1e-15 * t * 10.0,
                "t {t}: {}",
                rel_err(&got, &want)
            );
        }
        // Jordan-like block: expm([[a, b], [0, a]]) = e^a [[1, b], [0, 1]].
        let (x, y) = (-30.0, 80.0);
        let got = expm(array![[x, y], [0.0, x]].view()).unwrap();
        let want = array![[1.0, y], [0.0, 1.0]] * x.exp();
        assert!(rel_err(&got, &want) < 1e-13);
        // Similarity with a well-conditioned P: expm(P D P⁻¹) = P e^D P⁻¹.
        let p = array![[1.0, 0.5, 0.2], [0.0, 1.0, -0.3], [0.0, 0.0, 1.0]];
        let pinv = array![[1.0, -0.5, -0.35], [0.0, 1.0, 0.3], [0.0, 0.0, 1.0]];
        assert!(rel_err(&p.dot(&pinv), &Array2::eye(3)) < 1e-15);
        let d = Array1::from(vec![20.0, -15.0, 8.0]);
        let a = p.dot(&Array2::from_diag(&d)).dot(&pinv);
        let got = expm(a.view()).unwrap();
        let want = p.dot(&Array2::from_diag(&d.mapv(f64::exp))).dot(&pinv);
        assert!(rel_err(&got, &want) < 1e-13, "{}", rel_err(&got, &want));
        // Squaring identity on a random 30×30 with ‖A‖₁ = 60.
        let a = scaled_to_norm(random(30, 11), 60.0);
        let full = expm(a.view()).unwrap();
        assert!(full.iter().all(|x| x.is_finite()));
        let half = expm((&a * 0.5).view()).unwrap();
        assert!(rel_err(&half.dot(&half), &full) < 1e-12);
    }

    #[test]
    fn overflow_is_reported() {
        let a = array![[800.0, 0.0], [0.0, 1.0]];
        assert!(matches!(expm(a.view()), Err(ExpmError::Overflow { .. })));
    }

    #[test]
    fn bad_input_gives_typed_errors() {
        let rect = Array2::<f64>::zeros((2, 3));
        assert_eq!(
            expm(rect.view()),
            Err(ExpmError::NotSquare {
                what: "A",
                rows: 2,
                cols: 3
            })
        );
        let mut nan = Array2::<f64>::zeros((3, 3));
        nan[[1, 2]] = f64::NAN;
        assert_eq!(
            expm(nan.view()),
            Err(ExpmError::NonFinite {
                what: "A",
                row: 1,
                col: 2
            })
        );
        let mut inf = Array2::<f64>::zeros((3, 3));
        inf[[0, 0]] = f64::INFINITY;
        let z = Array2::<f64>::zeros((3, 3));
        assert!(matches!(
            expm_frechet(z.view(), inf.view()),
            Err(ExpmError::NonFinite { what: "E", .. })
        ));
        assert!(matches!(
            expm_frechet(z.view(), Array2::<f64>::zeros((2, 2)).view()),
            Err(ExpmError::ShapeMismatch { what: "E", .. })
        ));
        assert!(matches!(
            expm_backward(rect.view(), rect.view()),
            Err(ExpmError::NotSquare { .. })
        ));
        assert!(matches!(
            expm_backward(z.view(), nan.view()),
            Err(ExpmError::NonFinite { what: "G", .. })
        ));
    }

    #[test]
    fn lu_solves_random_systems() {
        for n in [1, 5, 64, 65, 150] {
            let a = random(n, 100 + n as u64);
            let x = random(n, 200 + n as u64)
                .slice(s![.., ..n.min(7)])
                .to_owned();
            let mut b = a.dot(&x);
            Lu::factor(a).unwrap().solve_in_place(&mut b);
            assert!(rel_err(&b, &x) < 1e-10, "n {n}: {}", rel_err(&b, &x));
        }
        assert!(matches!(
            Lu::factor(Array2::zeros((3, 3))),
            Err(ExpmError::Singular)
        ));
    }

    #[test]
    fn frechet_expm_part_matches_expm() {
        for (seed, norm) in [
            (21, 0.005),
            (22, 0.1),
            (23, 0.5),
            (24, 1.5),
            (25, 4.0),
            (26, 40.0),
        ] {
            let a = scaled_to_norm(random(12, seed), norm);
            let e = random(12, seed + 1000);
            let (r, _) = expm_frechet(a.view(), e.view()).unwrap();
            assert!(rel_err(&r, &expm(a.view()).unwrap()) < 1e-13);
        }
    }

    #[test]
    fn frechet_matches_central_differences() {
        // Central differences: truncation O(h²‖A‖³) and rounding O(u/h) both ≪ 1e-6.
        for (n, seed, norm) in [
            (4, 31, 0.005),
            (6, 32, 0.15),
            (8, 33, 0.6),
            (10, 34, 1.5),
            (12, 35, 3.0),
            (9, 36, 25.0),
        ] {
            let a = scaled_to_norm(random(n, seed), norm);
            let e = random(n, seed + 500);
            let (_, l) = expm_frechet(a.view(), e.view()).unwrap();
            let h = 1e-5 * max_abs(&a).max(1.0) / max_abs(&e);
            let plus = expm((&a + &(&e * h)).view()).unwrap();
            let minus = expm((&a - &(&e * h)).view()).unwrap();
            let fd = (plus - minus) / (2.0 * h);
            assert!(
                rel_err(&l, &fd) < 1e-6,
                "n {n} norm {norm}: {}",
                rel_err(&l, &fd)
            );
        }
    }

    #[test]
    fn frechet_matches_block_exponential() {
        // L(A, E) is the top-right block of expm([[A, E], [0, A]]) (Higham 2008, eq. 3.16).
        for (seed, norm) in [(41, 0.05), (42, 1.0), (43, 8.0)] {
            let n = 7;
            let a = scaled_to_norm(random(n, seed), norm);
            let e = random(n, seed + 1);
            let mut big = Array2::zeros((2 * n, 2 * n));
            big.slice_mut(s![..n, ..n]).assign(&a);
            big.slice_mut(s![..n, n..]).assign(&e);
            big.slice_mut(s![n.., n..]).assign(&a);
            let eb = expm(big.view()).unwrap();
            let (r, l) = expm_frechet(a.view(), e.view()).unwrap();
            assert!(rel_err(&r, &eb.slice(s![..n, ..n]).to_owned()) < 1e-13);
            assert!(rel_err(&l, &eb.slice(s![..n, n..]).to_owned()) < 1e-12);
        }
    }

    #[test]
    fn backward_is_the_adjoint_and_matches_finite_differences() {
        for (n, seed, norm) in [(5, 51, 0.01), (8, 52, 0.7), (11, 53, 2.5), (9, 54, 20.0)] {
            let a = scaled_to_norm(random(n, seed), norm);
            let g = random(n, seed + 1);
            let (f, grad) = expm_with_backward(a.view(), g.view()).unwrap();
            assert!(rel_err(&f, &expm(a.view()).unwrap()) < 1e-13);
            assert_eq!(grad, expm_backward(a.view(), g.view()).unwrap());
            // ⟨∂ℓ/∂A, E⟩ for ℓ = ⟨G, expm(A)⟩ against central differences along E.
            let e = random(n, seed + 2);
            let loss = |x: &Array2<f64>| (&g * &expm(x.view()).unwrap()).sum();
            let h = 1e-5 * max_abs(&a).max(1.0);
            let fd = (loss(&(&a + &(&e * h))) - loss(&(&a - &(&e * h)))) / (2.0 * h);
            let an = (&grad * &e).sum();
            assert!(
                (an - fd).abs() <= 1e-6 * an.abs().max(fd.abs()),
                "n {n}: {an} vs {fd}"
            );
            // Adjoint identity ⟨G, L(A, E)⟩ = ⟨L(Aᵀ, G), E⟩ holds to rounding.
            let (_, l) = expm_frechet(a.view(), e.view()).unwrap();
            let lhs = (&g * &l).sum();
            assert!((lhs - an).abs() <= 1e-12 * lhs.abs().max(1.0));
        }
    }
}
