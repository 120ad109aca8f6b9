//! The training engine: backpropagation through time for the Blueprint cell, by hand over
//! `ndarray`, generic over f32 (training) and f64 (gradient checks).
//!
//! Forward, for t = 1..T (time-major, batch rows):
//! ```text
//! a_t = x_t·W_in + h_{t−1}·W_rec + b        r_t = relu(a_t)
//! h_t = (1 − α)·h_{t−1} + α·r_t              logits = h_T·W_out + b_out
//! L = mean_batch CE(softmax(logits), y)
//! ```
//! Backward, with g = ∂L/∂h_t flowing from t = T down to 1:
//! ```text
//! ∂L/∂a_t = α · g ⊙ 1[a_t > 0]
//! g ← (1 − α)·g + ∂L/∂a_t · W_recᵀ
//! ∂L/∂W_rec = Σ_t h_{t−1}ᵀ·∂L/∂a_t     ∂L/∂W_in = Σ_t x_tᵀ·∂L/∂a_t     ∂L/∂b = Σ_t,batch ∂L/∂a_t
//! ```
//! The two weight-gradient sums are each one GEMM over the stacked `[T·B, ·]` blocks, not T
//! small ones: that is where most of the update's FLOPs go, and one large product runs near the
//! machine's peak.

pub mod adam;

use std::fmt::Debug;
use std::ops::{AddAssign, MulAssign, SubAssign};

use ndarray::{Array1, Array2, ArrayView2, ArrayView3, Axis, LinalgScalar, ScalarOperand, s};
use num_traits::Float;

use blueprint_core::network::rnn::RnnWeights;

/// The float types the engine runs in.
pub trait Scalar:
    Float + LinalgScalar + ScalarOperand + AddAssign + SubAssign + MulAssign + Debug + Send + Sync
{
}

impl Scalar for f32 {}
impl Scalar for f64 {}

/// Gradients of the loss with respect to every parameter, shaped like [`RnnWeights`].
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients<T> {
    pub w_in: Array2<T>,
    pub w_rec: Array2<T>,
    pub b: Array1<T>,
    pub w_out: Array2<T>,
    pub b_out: Array1<T>,
}

/// What one forward-backward pass measured.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchResult<T> {
    /// Mean cross-entropy over the batch.
    pub loss: T,
    /// Fraction of trials whose argmax logit is the label.
    pub accuracy: f64,
}

/// Reusable buffers for one batch shape, so an update allocates nothing large.
#[derive(Debug)]
pub struct Workspace<T> {
    /// `[T·B, n_in]` time-major inputs.
    inputs: Array2<T>,
    /// `[(T+1)·B, N]` hidden states h_0..h_T.
    hidden: Array2<T>,
    /// `[T·B, N]` relu outputs r_t (their sign is the relu mask).
    activations: Array2<T>,
    /// `[T·B, N]` ∂L/∂a_t.
    pre_activation_grads: Array2<T>,
}

impl<T: Scalar> Workspace<T> {
    pub fn new(batch: usize, time: usize, n_in: usize, hidden_size: usize) -> Workspace<T> {
        Workspace {
            inputs: Array2::zeros((time * batch, n_in)),
            hidden: Array2::zeros(((time + 1) * batch, hidden_size)),
            activations: Array2::zeros((time * batch, hidden_size)),
            pre_activation_grads: Array2::zeros((time * batch, hidden_size)),
        }
    }

    fn fits(&self, batch: usize, time: usize, n_in: usize, hidden_size: usize) -> bool {
        self.inputs.dim() == (time * batch, n_in)
            && self.hidden.dim() == ((time + 1) * batch, hidden_size)
    }
}

/// Loss, accuracy and gradients of one batch.
///
/// # Shapes
/// `inputs: [B, T, n_in]` (noise already added), `labels: [B]`; gradients are written into
/// `grads` (overwritten, not accumulated).
pub fn forward_backward<T: Scalar>(
    weights: &RnnWeights<T>,
    inputs: ArrayView3<T>,
    labels: &[usize],
    workspace: &mut Workspace<T>,
    grads: &mut Gradients<T>,
) -> BatchResult<T> {
    let batch = inputs.dim().0;
    let scale = T::one() / T::from(batch).expect("batch size fits a float");
    let w_rec_t = row_major_transpose(&weights.w_rec);
    let (loss, correct) = forward_backward_part(
        weights,
        w_rec_t.view(),
        inputs,
        labels,
        workspace,
        grads,
        scale,
    );
    BatchResult {
        loss,
        accuracy: correct as f64 / batch as f64,
    }
}

/// How many parts [`forward_backward_sharded`] splits a batch into. Fixed, not the number of
/// cores: a run's numbers must not depend on the machine that trains it.
pub const SHARDS: usize = 2;

/// One part of a split batch: its own buffers and gradients.
#[derive(Debug)]
pub struct Shard<T> {
    workspace: Workspace<T>,
    grads: Gradients<T>,
}

impl<T: Scalar> Shard<T> {
    pub fn new(weights: &RnnWeights<T>) -> Shard<T> {
        Shard {
            workspace: Workspace::new(0, 0, weights.n_inputs(), weights.hidden_size()),
            grads: Gradients::zeros_like(weights),
        }
    }
}

/// [`forward_backward`] over a batch split into `shards.len()` contiguous parts of rows, one
/// rayon task each, so a single network trains on every core of the pool that runs it. The
/// parts' gradients (each already scaled by 1/B) are summed in part order, so the result is
/// bit-identical however many threads ran the parts; it differs from the unsplit pass only by
/// the order of the batch sum (rounding).
///
/// # Shapes
/// `inputs: [B, T, n_in]`, `labels: [B]`; `grads` is overwritten.
pub fn forward_backward_sharded<T: Scalar>(
    weights: &RnnWeights<T>,
    inputs: ArrayView3<T>,
    labels: &[usize],
    shards: &mut [Shard<T>],
    grads: &mut Gradients<T>,
) -> BatchResult<T> {
    use rayon::prelude::*;
    let batch = inputs.dim().0;
    assert_eq!(labels.len(), batch, "one label per trial");
    assert!(!shards.is_empty(), "at least one shard");
    let parts = shards.len().min(batch.max(1));
    let bound = |k: usize| k * batch / parts;
    let scale = T::one() / T::from(batch).expect("batch size fits a float");
    let w_rec_t = row_major_transpose(&weights.w_rec);
    let results: Vec<(T, usize)> = shards[..parts]
        .par_iter_mut()
        .enumerate()
        .map(|(k, shard)| {
            let _flush = blueprint_core::denormal::FlushDenormals::new();
            let rows = bound(k)..bound(k + 1);
            forward_backward_part(
                weights,
                w_rec_t.view(),
                inputs.slice(s![rows.clone(), .., ..]),
                &labels[rows],
                &mut shard.workspace,
                &mut shard.grads,
                scale,
            )
        })
        .collect();
    let (first, rest) = shards[..parts].split_first().expect("at least one part");
    grads.w_in.assign(&first.grads.w_in);
    grads.w_rec.assign(&first.grads.w_rec);
    grads.b.assign(&first.grads.b);
    grads.w_out.assign(&first.grads.w_out);
    grads.b_out.assign(&first.grads.b_out);
    for shard in rest {
        grads.w_in += &shard.grads.w_in;
        grads.w_rec += &shard.grads.w_rec;
        grads.b += &shard.grads.b;
        grads.w_out += &shard.grads.w_out;
        grads.b_out += &shard.grads.b_out;
    }
    let (loss, correct) = results
        .into_iter()
        .fold((T::zero(), 0), |(l, c), (loss, correct)| {
            (l + loss, c + correct)
        });
    BatchResult {
        loss,
        accuracy: correct as f64 / batch as f64,
    }
}

/// `W_rec`ᵀ stored row-major, once per update. Every backward step multiplies by `W_rec`ᵀ, and
/// matrixmultiply repacks its right operand on every call: from the transposed view of
/// `W_rec` that packing reads with a stride, and a 64-row step took 2.3× as long as from this
/// copy (same entries, same arithmetic, bit-identical products).
fn row_major_transpose<T: Scalar>(w_rec: &Array2<T>) -> Array2<T> {
    w_rec.t().as_standard_layout().into_owned()
}

/// The pass over some rows of a batch: returns Σ loss · `scale` and the number correct, and
/// writes the gradients of that sum into `grads`. `w_rec_t` is `weights.w_rec`ᵀ, row-major.
fn forward_backward_part<T: Scalar>(
    weights: &RnnWeights<T>,
    w_rec_t: ArrayView2<T>,
    inputs: ArrayView3<T>,
    labels: &[usize],
    workspace: &mut Workspace<T>,
    grads: &mut Gradients<T>,
    scale: T,
) -> (T, usize) {
    let (batch, time, n_in) = inputs.dim();
    let n = weights.hidden_size();
    assert_eq!(labels.len(), batch, "one label per trial");
    if !workspace.fits(batch, time, n_in, n) {
        *workspace = Workspace::new(batch, time, n_in, n);
    }
    let alpha = weights.alpha;
    let leak = T::one() - alpha;

    // Time-major copy of the inputs: block t is rows t·B..(t+1)·B.
    for t in 0..time {
        workspace
            .inputs
            .slice_mut(s![t * batch..(t + 1) * batch, ..])
            .assign(&inputs.slice(s![.., t, ..]));
    }
    // All input drives at once: [T·B, n_in]·[n_in, N].
    let mut drives = workspace.inputs.dot(&weights.w_in);
    drives += &weights.b;

    workspace.hidden.slice_mut(s![0..batch, ..]).fill(T::zero());
    for t in 0..time {
        let (previous, mut next) = workspace
            .hidden
            .view_mut()
            .split_at(Axis(0), (t + 1) * batch);
        let previous = previous.slice(s![t * batch.., ..]);
        let mut next = next.slice_mut(s![0..batch, ..]);
        let mut activation = workspace
            .activations
            .slice_mut(s![t * batch..(t + 1) * batch, ..]);
        activation.assign(&drives.slice(s![t * batch..(t + 1) * batch, ..]));
        ndarray::linalg::general_mat_mul(
            T::one(),
            &previous,
            &weights.w_rec,
            T::one(),
            &mut activation,
        );
        activation.mapv_inplace(|v| v.max(T::zero()));
        if alpha == T::one() {
            next.assign(&activation);
        } else {
            ndarray::Zip::from(&mut next)
                .and(&previous)
                .and(&activation)
                .for_each(|h, &p, &r| *h = leak * p + alpha * r);
        }
    }

    let final_state = workspace.hidden.slice(s![time * batch.., ..]);
    let mut logits = final_state.dot(&weights.w_out);
    logits += &weights.b_out;

    // Softmax cross-entropy; logits become ∂L/∂logits in place.
    let mut loss = T::zero();
    let mut correct = 0usize;
    for (mut row, &label) in logits.outer_iter_mut().zip(labels) {
        let (argmax, max) = row
            .iter()
            .enumerate()
            .fold((0, T::neg_infinity()), |best, (k, &v)| {
                if v > best.1 { (k, v) } else { best }
            });
        correct += usize::from(argmax == label);
        let target = row[label] - max;
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        loss += sum.ln() - target;
        row.mapv_inplace(|v| v / sum * scale);
        row[label] -= scale;
    }
    let d_logits = logits;

    grads.w_out = final_state.t().dot(&d_logits);
    grads.b_out = d_logits.sum_axis(Axis(0));
    let mut d_hidden = d_logits.dot(&weights.w_out.t());

    for t in (0..time).rev() {
        let activation = workspace
            .activations
            .slice(s![t * batch..(t + 1) * batch, ..]);
        let mut d_pre = workspace
            .pre_activation_grads
            .slice_mut(s![t * batch..(t + 1) * batch, ..]);
        ndarray::Zip::from(&mut d_pre)
            .and(&d_hidden)
            .and(&activation)
            .for_each(|d, &g, &r| *d = if r > T::zero() { alpha * g } else { T::zero() });
        if alpha == T::one() {
            d_hidden = d_pre.dot(&w_rec_t);
        } else {
            d_hidden *= leak;
            ndarray::linalg::general_mat_mul(T::one(), &d_pre, &w_rec_t, T::one(), &mut d_hidden);
        }
    }

    let d_pre_all = &workspace.pre_activation_grads;
    let previous_states = workspace.hidden.slice(s![0..time * batch, ..]);
    grads.w_rec = previous_states.t().dot(d_pre_all);
    grads.w_in = workspace.inputs.t().dot(d_pre_all);
    grads.b = d_pre_all.sum_axis(Axis(0));

    (loss * scale, correct)
}

impl<T: Scalar> Gradients<T> {
    /// Zero gradients shaped like `weights`.
    pub fn zeros_like(weights: &RnnWeights<T>) -> Gradients<T> {
        Gradients {
            w_in: Array2::zeros(weights.w_in.dim()),
            w_rec: Array2::zeros(weights.w_rec.dim()),
            b: Array1::zeros(weights.b.len()),
            w_out: Array2::zeros(weights.w_out.dim()),
            b_out: Array1::zeros(weights.b_out.len()),
        }
    }
}

/// FLOPs of a forward pass alone over `batch` trials (validation), multiply-adds counting 2.
pub fn forward_flops(batch: usize, time: usize, n_in: usize, hidden: usize, n_out: usize) -> f64 {
    let (b, t, i, n, o) = (
        batch as f64,
        time as f64,
        n_in as f64,
        hidden as f64,
        n_out as f64,
    );
    2.0 * t * b * (i * n + n * n) + 2.0 * b * n * o
}

/// FLOPs of one forward-backward pass (multiply-adds count 2), for the speed floor: the
/// forward pass, then backward the same products again (∂a·W_recᵀ, ∂W_rec, ∂W_in and the
/// readout's ∂W_out) plus one more N×N product per step (∂W_rec and ∂h both) and the readout's
/// ∂h.
pub fn update_flops(batch: usize, time: usize, n_in: usize, hidden: usize, n_out: usize) -> f64 {
    let forward = forward_flops(batch, time, n_in, hidden, n_out);
    let (b, t, n, o) = (batch as f64, time as f64, hidden as f64, n_out as f64);
    2.0 * forward + 2.0 * t * b * n * n + 2.0 * b * n * o
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_weights(
        n_in: usize,
        n: usize,
        n_out: usize,
        alpha: f64,
        seed: u64,
    ) -> RnnWeights<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut random = |rows: usize, cols: usize, scale: f64| {
            Array2::from_shape_fn((rows, cols), |_| rng.random_range(-scale..scale))
        };
        RnnWeights {
            w_in: random(n_in, n, 1.0),
            w_rec: random(n, n, 0.6),
            b: random(1, n, 0.3).row(0).to_owned(),
            w_out: random(n, n_out, 1.0),
            b_out: random(1, n_out, 0.3).row(0).to_owned(),
            alpha,
        }
    }

    fn loss_of(weights: &RnnWeights<f64>, inputs: &Array3<f64>, labels: &[usize]) -> f64 {
        let out = weights.forward(inputs.view()).unwrap();
        let (losses, _) = blueprint_core::network::rnn::cross_entropy(&out.logits, labels);
        losses.iter().sum::<f64>() / labels.len() as f64
    }

    /// Central differences on every entry of every parameter, in f64.
    fn check_gradients(alpha: f64) {
        let (n_in, n, n_out, batch, time) = (3, 6, 3, 4, 5);
        let weights = random_weights(n_in, n, n_out, alpha, 11);
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let inputs = Array3::from_shape_fn((batch, time, n_in), |_| rng.random_range(-1.0..1.0));
        let labels = vec![0, 2, 1, 2];
        let mut workspace = Workspace::new(batch, time, n_in, n);
        let mut grads = Gradients::zeros_like(&weights);
        let result = forward_backward(&weights, inputs.view(), &labels, &mut workspace, &mut grads);
        assert!((result.loss - loss_of(&weights, &inputs, &labels)).abs() < 1e-12);

        let eps = 1e-6;
        let mut worst: f64 = 0.0;
        let mut compare = |analytic: f64, perturb: &dyn Fn(&mut RnnWeights<f64>, f64)| {
            let mut plus = weights.clone();
            perturb(&mut plus, eps);
            let mut minus = weights.clone();
            perturb(&mut minus, -eps);
            let numeric = (loss_of(&plus, &inputs, &labels) - loss_of(&minus, &inputs, &labels))
                / (2.0 * eps);
            let error = (numeric - analytic).abs() / (1e-8 + numeric.abs().max(analytic.abs()));
            worst = worst.max(if (numeric - analytic).abs() < 1e-9 {
                0.0
            } else {
                error
            });
        };
        for ((i, j), &g) in grads.w_rec.indexed_iter() {
            compare(g, &|w, e| w.w_rec[[i, j]] += e);
        }
        for ((i, j), &g) in grads.w_in.indexed_iter() {
            compare(g, &|w, e| w.w_in[[i, j]] += e);
        }
        for ((i, j), &g) in grads.w_out.indexed_iter() {
            compare(g, &|w, e| w.w_out[[i, j]] += e);
        }
        for (i, &g) in grads.b.indexed_iter() {
            compare(g, &|w, e| w.b[i] += e);
        }
        for (i, &g) in grads.b_out.indexed_iter() {
            compare(g, &|w, e| w.b_out[i] += e);
        }
        assert!(
            worst < 1e-6,
            "worst relative gradient error {worst:e} at alpha {alpha}"
        );
    }

    #[test]
    fn gradients_match_finite_differences_for_the_discrete_cell() {
        check_gradients(1.0);
    }

    #[test]
    fn gradients_match_finite_differences_for_the_leaky_cell() {
        check_gradients(0.3);
    }

    #[test]
    fn the_engine_forward_agrees_with_the_core_oracle_in_f32() {
        let weights = random_weights(8, 20, 4, 1.0, 5).cast::<f32>();
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let inputs = Array3::from_shape_fn((7, 50, 8), |_| rng.random_range(0.0f32..1.0));
        let labels = vec![0, 1, 2, 3, 0, 1, 2];
        let mut workspace = Workspace::new(7, 50, 8, 20);
        let mut grads = Gradients::zeros_like(&weights);
        let result = forward_backward(&weights, inputs.view(), &labels, &mut workspace, &mut grads);
        let oracle = weights.forward(inputs.view()).unwrap();
        let (losses, predictions) =
            blueprint_core::network::rnn::cross_entropy(&oracle.logits, &labels);
        let oracle_loss = losses.iter().sum::<f32>() / 7.0;
        assert!(
            (result.loss - oracle_loss).abs() <= 1e-5 * oracle_loss.abs().max(1.0),
            "engine {} vs oracle {oracle_loss}",
            result.loss
        );
        let oracle_accuracy = predictions
            .iter()
            .zip(&labels)
            .filter(|(p, l)| p == l)
            .count() as f64
            / 7.0;
        assert_eq!(result.accuracy, oracle_accuracy);
    }

    fn flat(grads: &Gradients<f64>) -> Vec<f64> {
        let matrices = [&grads.w_in, &grads.w_rec, &grads.w_out];
        let vectors = [&grads.b, &grads.b_out];
        matrices
            .into_iter()
            .flat_map(|m| m.iter().copied())
            .chain(vectors.into_iter().flat_map(|v| v.iter().copied()))
            .collect()
    }

    #[test]
    fn a_split_batch_gives_the_whole_batch_gradient_on_any_number_of_threads() {
        // 7 trials in 2 and in 3 uneven parts; the leaky cell, so every term is exercised.
        let weights = random_weights(3, 9, 3, 0.4, 21);
        let mut rng = ChaCha8Rng::seed_from_u64(22);
        let inputs = Array3::from_shape_fn((7, 6, 3), |_| rng.random_range(-1.0..1.0));
        let labels = vec![0, 2, 1, 2, 0, 1, 1];
        let mut workspace = Workspace::new(7, 6, 3, 9);
        let mut whole = Gradients::zeros_like(&weights);
        let reference =
            forward_backward(&weights, inputs.view(), &labels, &mut workspace, &mut whole);
        for parts in [2, 3] {
            let run = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let mut shards: Vec<Shard<f64>> =
                    (0..parts).map(|_| Shard::new(&weights)).collect();
                let mut grads = Gradients::zeros_like(&weights);
                let result = pool.install(|| {
                    forward_backward_sharded(
                        &weights,
                        inputs.view(),
                        &labels,
                        &mut shards,
                        &mut grads,
                    )
                });
                (result, grads)
            };
            let (one, one_grads) = run(1);
            let (two, two_grads) = run(2);
            assert_eq!(
                one, two,
                "{parts} parts: the result depends on the thread count"
            );
            assert_eq!(
                one_grads, two_grads,
                "{parts} parts: gradients depend on the thread count"
            );
            assert!((one.loss - reference.loss).abs() < 1e-13);
            assert_eq!(one.accuracy, reference.accuracy);
            let worst = flat(&one_grads)
                .iter()
                .zip(flat(&whole))
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(worst < 1e-13, "{parts} parts: gradient off by {worst:e}");
            assert!(
                flat(&one_grads).iter().any(|g| g.abs() > 1e-6),
                "gradients are not all zero"
            );
        }
    }
}
