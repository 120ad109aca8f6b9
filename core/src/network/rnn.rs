//! The recurrent cell and its reference forward pass: the oracle that the trainer's engine and
//! the exported ONNX graph are tested against.
//!
//! ```text
//! h_0 = 0
//! h_t = (1 − α)·h_{t−1} + α·relu(x_t·W_in + h_{t−1}·W_rec + b)      t = 1..T
//! logits = h_T·W_out + b_out
//! ```
//! Keras orientation: row vectors on the left, so `W_rec[i, j]` is the weight from unit i to
//! unit j and row sums are out-strengths. α = 1 is the study's discrete-time ReLU RNN
//! (`SimpleRNN(N, relu)`); α < 1 is the leaky (Euler-discretised) generalisation.

use std::ops::AddAssign;

use ndarray::{
    Array1, Array2, Array3, ArrayView2, ArrayView3, Axis, LinalgScalar, ScalarOperand, s,
};
use num_traits::Float;

/// The parameters of one network. (They travel as ONNX initializers, not JSON.)
#[derive(Clone, Debug, PartialEq)]
pub struct RnnWeights<T> {
    /// `[n_in, N]`.
    pub w_in: Array2<T>,
    /// `[N, N]`, from row unit to column unit.
    pub w_rec: Array2<T>,
    /// `[N]`.
    pub b: Array1<T>,
    /// `[N, n_out]`.
    pub w_out: Array2<T>,
    /// `[n_out]`.
    pub b_out: Array1<T>,
    /// Leak α ∈ (0, 1].
    pub alpha: T,
}

/// What a forward pass returns.
#[derive(Clone, Debug, PartialEq)]
pub struct RnnOutput<T> {
    /// `[batch, n_out]`: the readout of the final hidden state.
    pub logits: Array2<T>,
    /// `[batch, time, N]`: every hidden state h_1..h_T.
    pub hidden: Array3<T>,
}

/// Inconsistent parameter or input shapes.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("RNN shape mismatch: {0}")]
pub struct RnnShapeError(pub String);

impl<T: Float + LinalgScalar + ScalarOperand + AddAssign> RnnWeights<T> {
    /// Hidden size N.
    pub fn hidden_size(&self) -> usize {
        self.w_rec.nrows()
    }

    pub fn n_inputs(&self) -> usize {
        self.w_in.nrows()
    }

    pub fn n_outputs(&self) -> usize {
        self.w_out.ncols()
    }

    /// Checks that every shape agrees with N, n_in and n_out and that α ∈ (0, 1].
    pub fn validate(&self) -> Result<(), RnnShapeError> {
        let n = self.w_rec.nrows();
        let checks = [
            (
                self.w_rec.ncols() == n,
                format!("W_rec is {:?}, not square", self.w_rec.dim()),
            ),
            (
                self.w_in.ncols() == n,
                format!("W_in is {:?}, needs {n} columns", self.w_in.dim()),
            ),
            (
                self.b.len() == n,
                format!("b has {} entries, needs {n}", self.b.len()),
            ),
            (
                self.w_out.nrows() == n,
                format!("W_out is {:?}, needs {n} rows", self.w_out.dim()),
            ),
            (
                self.b_out.len() == self.w_out.ncols(),
                format!(
                    "b_out has {} entries, W_out has {} columns",
                    self.b_out.len(),
                    self.w_out.ncols()
                ),
            ),
            (
                self.alpha > T::zero() && self.alpha <= T::one(),
                "alpha must be in (0, 1]".to_string(),
            ),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            Some((_, message)) => Err(RnnShapeError(message)),
            None => Ok(()),
        }
    }

    /// The reference forward pass.
    ///
    /// # Shapes
    /// `inputs: [batch, time, n_in]` → logits `[batch, n_out]`, hidden `[batch, time, N]`.
    pub fn forward(&self, inputs: ArrayView3<T>) -> Result<RnnOutput<T>, RnnShapeError> {
        self.validate()?;
        let (batch, time, n_in) = inputs.dim();
        if n_in != self.n_inputs() {
            return Err(RnnShapeError(format!(
                "inputs have {n_in} channels, W_in expects {}",
                self.n_inputs()
            )));
        }
        let n = self.hidden_size();
        let mut hidden = Array3::zeros((batch, time, n));
        let mut state = Array2::<T>::zeros((batch, n));
        let leak = T::one() - self.alpha;
        for t in 0..time {
            let mut drive = inputs.slice(s![.., t, ..]).dot(&self.w_in) + state.dot(&self.w_rec);
            drive += &self.b;
            let relu = drive.mapv(|v| v.max(T::zero()));
            state = if self.alpha == T::one() {
                relu
            } else {
                state * leak + relu * self.alpha
            };
            hidden.index_axis_mut(Axis(1), t).assign(&state);
        }
        let logits = state.dot(&self.w_out) + &self.b_out;
        Ok(RnnOutput { logits, hidden })
    }

    /// The same network in another float type.
    pub fn cast<U: Float + LinalgScalar>(&self) -> RnnWeights<U> {
        let convert = |v: &T| U::from(*v).expect("finite floats convert");
        RnnWeights {
            w_in: self.w_in.map(convert),
            w_rec: self.w_rec.map(convert),
            b: self.b.map(convert),
            w_out: self.w_out.map(convert),
            b_out: self.b_out.map(convert),
            alpha: convert(&self.alpha),
        }
    }
}

/// Glorot-uniform `[fan_in, fan_out]`: U(−√(6/(fan_in + fan_out)), +√(…)), as Keras.
pub fn glorot_uniform<R: rand::Rng + ?Sized>(
    fan_in: usize,
    fan_out: usize,
    rng: &mut R,
) -> Array2<f64> {
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
    Array2::from_shape_fn((fan_in, fan_out), |_| rng.random_range(-limit..=limit))
}

/// Softmax cross-entropy per trial and the predicted class.
///
/// # Shapes
/// `logits: [batch, n_out]`, `labels: [batch]` → (losses `[batch]`, predictions `[batch]`).
pub fn cross_entropy<T: Float>(logits: &Array2<T>, labels: &[usize]) -> (Vec<T>, Vec<usize>) {
    logits
        .outer_iter()
        .zip(labels)
        .map(|(row, &label)| {
            let max = row.iter().copied().fold(T::neg_infinity(), T::max);
            let log_sum = row
                .iter()
                .map(|&v| (v - max).exp())
                .fold(T::zero(), |a, b| a + b)
                .ln();
            let prediction = row
                .iter()
                .enumerate()
                .fold((0, T::neg_infinity()), |best, (k, &v)| {
                    if v > best.1 { (k, v) } else { best }
                })
                .0;
            (log_sum + max - row[label], prediction)
        })
        .unzip()
}

/// The decision step of one trial: the first step of `window_logits` from which the arg-max
/// (first on ties, as [`cross_entropy`] predicts) equals `choice` at every later step, the
/// last step counting as `choice` (the scored choice, read from the final logits). So a
/// network that holds its answer through the whole response window decides at 0, and one
/// that settles only at the read-out decides at the last step.
///
/// # Shapes
/// `window_logits: [steps, n_out]`, the readout `h_t·W_out + b_out` at each step of the
/// response window; `steps ≥ 1`.
pub fn decision_step<T: Float>(window_logits: ArrayView2<'_, T>, choice: usize) -> usize {
    let steps = window_logits.nrows();
    let mut first = steps.saturating_sub(1);
    for step in (0..steps.saturating_sub(1)).rev() {
        let row = window_logits.row(step);
        let arg_max = row
            .iter()
            .enumerate()
            .fold((0, T::neg_infinity()), |best, (k, &v)| {
                if v > best.1 { (k, v) } else { best }
            })
            .0;
        if arg_max != choice {
            break;
        }
        first = step;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_decision_step_is_where_the_final_choice_starts_to_hold() {
        // Class 1 from step 2 on, class 0 before.
        let logits = array![[1.0, 0.0], [2.0, 1.0], [0.0, 3.0], [0.1, 0.2], [0.0, 5.0]];
        assert_eq!(decision_step(logits.view(), 1), 2);
        // Held from the first step.
        let held = array![[0.0, 1.0], [0.0, 1.0]];
        assert_eq!(decision_step(held.view(), 1), 0);
        // The last step counts as the choice whatever its row says (a tie read as class 0).
        let settles_last = array![[1.0, 0.0], [1.0, 1.0]];
        assert_eq!(decision_step(settles_last.view(), 1), 1);
        // A switch back and forth: only the final stretch counts; ties go to the first class.
        let flips = array![[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]];
        assert_eq!(decision_step(flips.view(), 1), 4);
        assert_eq!(decision_step(array![[3.0, 1.0]].view(), 0), 0);
    }
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn tiny() -> RnnWeights<f64> {
        RnnWeights {
            w_in: array![[1.0, -1.0]],
            w_rec: array![[0.5, 0.0], [1.0, 0.5]],
            b: array![0.0, 0.1],
            w_out: array![[1.0], [2.0]],
            b_out: array![0.5],
            alpha: 1.0,
        }
    }

    #[test]
    fn forward_matches_a_hand_computation() {
        let inputs = array![[[1.0], [0.0]]];
        let out = tiny().forward(inputs.view()).unwrap();
        // t1: relu([1, -1] + 0 + [0, .1]) = [1, 0]; t2: relu([0,0] + [1,0]·W_rec + b)
        //   = relu([0.5, 0.0 + 0.1]) = [0.5, 0.1]. logits = 0.5 + 0.2 + 0.5 = 1.2.
        assert_eq!(out.hidden.slice(s![0, 0, ..]).to_vec(), vec![1.0, 0.0]);
        assert!((out.hidden[[0, 1, 0]] - 0.5).abs() < 1e-15);
        assert!((out.hidden[[0, 1, 1]] - 0.1).abs() < 1e-15);
        assert!((out.logits[[0, 0]] - 1.2).abs() < 1e-12);
    }

    #[test]
    fn weight_from_i_to_j_is_row_i_column_j() {
        // Only unit 0 is driven; only W_rec[0, 1] connects it onwards, so unit 1 lights up.
        let mut w = tiny();
        w.w_rec = array![[0.0, 2.0], [0.0, 0.0]];
        w.w_in = array![[1.0, 0.0]];
        w.b = array![0.0, 0.0];
        let out = w.forward(array![[[1.0], [0.0]]].view()).unwrap();
        assert_eq!(out.hidden[[0, 1, 1]], 2.0);
    }

    #[test]
    fn leaky_cell_interpolates_between_states() {
        let mut w = tiny();
        w.alpha = 0.25;
        let out = w.forward(array![[[1.0], [0.0]]].view()).unwrap();
        assert!((out.hidden[[0, 0, 0]] - 0.25).abs() < 1e-15);
        // t2: 0.75·0.25 + 0.25·relu(0.25·0.5) = 0.1875 + 0.03125
        assert!((out.hidden[[0, 1, 0]] - 0.21875).abs() < 1e-15);
    }

    #[test]
    fn f32_and_f64_agree() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 20;
        let w = RnnWeights {
            w_in: glorot_uniform(3, n, &mut rng),
            w_rec: crate::network::init::orthogonal(n, &mut rng) * 0.9,
            b: Array1::zeros(n),
            w_out: glorot_uniform(n, 2, &mut rng),
            b_out: Array1::zeros(2),
            alpha: 1.0,
        };
        let inputs = Array3::from_shape_fn((4, 30, 3), |_| rng.random_range(0.0..1.0));
        let exact = w.forward(inputs.view()).unwrap();
        let single = w
            .cast::<f32>()
            .forward(inputs.mapv(|v| v as f32).view())
            .unwrap();
        for (a, b) in exact.logits.iter().zip(single.logits.iter()) {
            assert!((a - f64::from(*b)).abs() < 1e-4);
        }
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let mut w = tiny();
        w.b = array![0.0];
        assert!(w.validate().unwrap_err().0.contains("b has 1"));
        assert!(tiny().forward(Array3::zeros((1, 2, 3)).view()).is_err());
    }

    #[test]
    fn cross_entropy_is_stable_and_predicts_the_argmax() {
        let logits = array![[1000.0, 0.0], [0.0, 0.0]];
        let (losses, predictions) = cross_entropy(&logits, &[0, 1]);
        assert!(losses[0].abs() < 1e-12);
        assert!((losses[1] - 2f64.ln()).abs() < 1e-12);
        assert_eq!(predictions, vec![0, 0]);
    }
}
