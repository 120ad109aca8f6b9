//! The weight penalties R(W_rec) of the eleven variants, with their exact gradients.
//!
//! `‖·‖` is the entrywise L1 sum; sign(0) = 0 (the subgradient Keras' `abs` gives).
//! - `W`: λ‖W‖ (the reference code's effective λ = 1 is a compat switch);
//! - `WD`, `WD*`: λ‖W ⊙ D‖;
//! - `…C`: λ‖W ⊙ D ⊙ C(W)‖, C recomputed from the current W, gradient through the matrix
//!   exponential (Fréchet adjoint, `core::network::communicability`);
//! - `…C*`: λ‖W ⊙ D‖ + λ_EMD · mean_k |sort(vec C(W))_k − sort(vec C_emp)_k| over all N²
//!   entries, the 1-D earth mover's distance between the two value distributions; its
//!   gradient puts λ_EMD/N² · sign(difference) on the entry of C(W) holding each sorted rank.

use anyhow::{Context, Result};
use ndarray::{Array2, ArrayView2, Zip};

use blueprint_core::network::communicability::{
    communicability_backward, communicability_with_grad, weighted_communicability,
};
use blueprint_core::network::expm::expm;

/// One variant's penalty, ready to evaluate at every update.
#[derive(Clone, Debug)]
pub enum Regulariser {
    /// λ‖W‖.
    L1 { lambda: f64 },
    /// λ‖W ⊙ D‖.
    Distance { lambda: f64, distance: Array2<f64> },
    /// λ‖W ⊙ D ⊙ C(W)‖.
    Communicability { lambda: f64, distance: Array2<f64> },
    /// λ‖W ⊙ D‖ + λ_EMD·EMD(C(W), C_emp).
    EmpiricalEmd {
        lambda: f64,
        distance: Array2<f64>,
        lambda_emd: f64,
        /// vec C_emp, sorted ascending.
        empirical_sorted: Vec<f64>,
    },
}

impl Regulariser {
    /// R(W) and ∂R/∂W.
    ///
    /// # Shapes
    /// `w: [N, N]` → (scalar, `[N, N]`).
    pub fn value_and_grad(&self, w: ArrayView2<f64>) -> Result<(f64, Array2<f64>)> {
        match self {
            Regulariser::L1 { lambda } => Ok((
                lambda * w.iter().map(|v| v.abs()).sum::<f64>(),
                w.mapv(|v| lambda * sign(v)),
            )),
            Regulariser::Distance { lambda, distance } => Ok(distance_term(*lambda, w, distance)),
            Regulariser::Communicability { lambda, distance } => {
                // G = ∂R/∂C = λ|W| ⊙ D does not depend on C, so one fused pass gives C and
                // the part of the gradient that flows through it.
                let upstream = Zip::from(&w)
                    .and(distance)
                    .map_collect(|&v, &d| lambda * v.abs() * d);
                let (communicability, mut grad) = communicability_with_grad(w, upstream.view())
                    .context("communicability of W_rec")?;
                let c = &communicability.matrix;
                let mut value = 0.0;
                Zip::from(&mut grad)
                    .and(&w)
                    .and(distance)
                    .and(c)
                    .for_each(|g, &v, &d, &c| {
                        value += lambda * v.abs() * d * c;
                        *g += lambda * sign(v) * d * c;
                    });
                Ok((value, grad))
            }
            Regulariser::EmpiricalEmd {
                lambda,
                distance,
                lambda_emd,
                empirical_sorted,
            } => {
                let (mut value, mut grad) = distance_term(*lambda, w, distance);
                let n2 = empirical_sorted.len();
                // The EMD's gradient needs the rank of each entry of C(W), so compute C first,
                // then push the rank-wise signs back through the communicability.
                let communicability =
                    weighted_communicability(w).context("communicability of W_rec")?;
                let values: Vec<f64> = communicability.matrix.iter().copied().collect();
                let mut order: Vec<usize> = (0..n2).collect();
                order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
                let mut upstream = Array2::zeros(w.dim());
                let flat = upstream
                    .as_slice_mut()
                    .expect("a fresh array is contiguous");
                let mut emd = 0.0;
                for (rank, &index) in order.iter().enumerate() {
                    let difference = values[index] - empirical_sorted[rank];
                    emd += difference.abs();
                    flat[index] = lambda_emd * sign(difference) / n2 as f64;
                }
                value += lambda_emd * emd / n2 as f64;
                let through_c = communicability_backward(w, upstream.view())
                    .context("communicability gradient of W_rec")?;
                grad += &through_c;
                Ok((value, grad))
            }
        }
    }
}

/// sign(v), with sign(0) = 0 (the subgradient of |v| that Keras' `abs` takes).
fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

fn distance_term(lambda: f64, w: ArrayView2<f64>, distance: &Array2<f64>) -> (f64, Array2<f64>) {
    let mut value = 0.0;
    let grad = Zip::from(&w).and(distance).map_collect(|&v, &d| {
        value += lambda * v.abs() * d;
        lambda * d * sign(v)
    });
    (value, grad)
}

/// The field's empirical communicability, vec'd and sorted, for the `C*` term.
///
/// With `epsilon = None`, zero-strength nodes are isolated (Blueprint's default). With
/// `Some(ε)`, the reference code's `(s + ε)^{-½}` normalisation is reproduced, artefacts
/// included (compat switch).
pub fn empirical_communicability_sorted(
    synapses: ArrayView2<f64>,
    epsilon: Option<f64>,
) -> Result<Vec<f64>> {
    let matrix = match epsilon {
        None => {
            weighted_communicability(synapses)
                .context("communicability of the synapse-count matrix")?
                .matrix
        }
        Some(epsilon) => {
            let strengths: Vec<f64> = synapses
                .rows()
                .into_iter()
                .map(|row| row.iter().map(|v| v.abs()).sum::<f64>() + epsilon)
                .collect();
            let normalised = Array2::from_shape_fn(synapses.dim(), |(i, j)| {
                synapses[[i, j]].abs() / (strengths[i] * strengths[j]).sqrt()
            });
            let mut c =
                expm(normalised.view()).context("expm of the ε-normalised synapse counts")?;
            c.diag_mut().fill(0.0);
            c
        }
    };
    let mut values: Vec<f64> = matrix.iter().copied().collect();
    values.sort_by(f64::total_cmp);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random(n: usize, seed: u64, positive: bool) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, n), |_| {
            let v: f64 = rng.random_range(-1.0..1.0);
            if positive { v.abs() } else { v }
        })
    }

    /// Central differences of R on every entry of W, in f64.
    fn check(regulariser: &Regulariser, w: &Array2<f64>) {
        let (_, grad) = regulariser.value_and_grad(w.view()).unwrap();
        let eps = 1e-6;
        let mut worst: f64 = 0.0;
        for ((i, j), &analytic) in grad.indexed_iter() {
            let mut plus = w.clone();
            plus[[i, j]] += eps;
            let mut minus = w.clone();
            minus[[i, j]] -= eps;
            let numeric = (regulariser.value_and_grad(plus.view()).unwrap().0
                - regulariser.value_and_grad(minus.view()).unwrap().0)
                / (2.0 * eps);
            let error = (numeric - analytic).abs() / (1e-6 + numeric.abs().max(analytic.abs()));
            worst = worst.max(error);
        }
        assert!(
            worst < 1e-5,
            "{regulariser:?}: worst relative error {worst:e}"
        );
    }

    #[test]
    fn every_penalty_gradient_matches_finite_differences() {
        let n = 7;
        let w = random(n, 1, false);
        let distance = random(n, 2, true);
        check(&Regulariser::L1 { lambda: 0.3 }, &w);
        check(
            &Regulariser::Distance {
                lambda: 0.3,
                distance: distance.clone(),
            },
            &w,
        );
        check(
            &Regulariser::Communicability {
                lambda: 0.3,
                distance: distance.clone(),
            },
            &w,
        );
        // Ties among the sorted entries would make the EMD non-differentiable; the random
        // empirical values and the random W make every difference nonzero.
        let synapses = random(n, 3, true).mapv(|v| if v > 0.5 { (v * 4.0).ceil() } else { 0.0 });
        let empirical_sorted = empirical_communicability_sorted(synapses.view(), None).unwrap();
        check(
            &Regulariser::EmpiricalEmd {
                lambda: 0.3,
                distance,
                lambda_emd: 0.1,
                empirical_sorted,
            },
            &w,
        );
    }

    #[test]
    fn the_emd_of_a_matrix_with_itself_is_zero() {
        let w = random(6, 4, true);
        let empirical_sorted = empirical_communicability_sorted(w.view(), None).unwrap();
        let regulariser = Regulariser::EmpiricalEmd {
            lambda: 0.0,
            distance: Array2::zeros((6, 6)),
            lambda_emd: 0.1,
            empirical_sorted,
        };
        assert!(regulariser.value_and_grad(w.view()).unwrap().0.abs() < 1e-12);
    }

    #[test]
    fn the_epsilon_compat_inflates_communicability_of_nodes_without_outputs() {
        // Node 2 receives from node 0 but sends nothing: its strength is 0.
        let synapses = ndarray::array![[0.0, 1.0, 3.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
        let isolated = empirical_communicability_sorted(synapses.view(), None).unwrap();
        let compat = empirical_communicability_sorted(synapses.view(), Some(1e-10)).unwrap();
        let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
        assert!(max(&isolated) < 10.0);
        assert!(max(&compat) > 1e3, "the ε artefact: {}", max(&compat));
    }
}
