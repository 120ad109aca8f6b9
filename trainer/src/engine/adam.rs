//! Adam, as Keras implements it (the study's optimiser):
//! ```text
//! m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
//! lr_t = lr · √(1 − β2^t) / (1 − β1^t)
//! w ← w − lr_t · m / (√v + ε)
//! ```
//! Keras puts ε outside the bias correction ("ε-hat"), which differs from the paper's
//! placement when v is tiny; this follows Keras so the study's ε = 1e-7 means what it meant.

use ndarray::{Array1, Array2, Dimension, Zip};

use super::{Gradients, Scalar};
use blueprint_core::network::rnn::RnnWeights;

/// Adam's hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
}

/// First and second moments for every parameter.
#[derive(Clone, Debug)]
pub struct Adam<T> {
    config: AdamConfig,
    step: i32,
    moments: [(Array2<T>, Array2<T>); 3],
    bias_moments: [(Array1<T>, Array1<T>); 2],
}

impl<T: Scalar> Adam<T> {
    pub fn new(config: AdamConfig, weights: &RnnWeights<T>) -> Adam<T> {
        let pair2 = |a: &Array2<T>| (Array2::zeros(a.dim()), Array2::zeros(a.dim()));
        let pair1 = |a: &Array1<T>| (Array1::zeros(a.len()), Array1::zeros(a.len()));
        Adam {
            config,
            step: 0,
            moments: [
                pair2(&weights.w_in),
                pair2(&weights.w_rec),
                pair2(&weights.w_out),
            ],
            bias_moments: [pair1(&weights.b), pair1(&weights.b_out)],
        }
    }

    /// Number of updates applied so far.
    pub fn steps(&self) -> i32 {
        self.step
    }

    /// One update of every parameter.
    pub fn update(&mut self, weights: &mut RnnWeights<T>, grads: &Gradients<T>) {
        self.step += 1;
        let c = self.config;
        let correction = (1.0 - c.beta2.powi(self.step)).sqrt() / (1.0 - c.beta1.powi(self.step));
        let cast = |v: f64| T::from(v).expect("hyper-parameters fit the float type");
        let rule = Rule {
            lr_t: cast(c.learning_rate * correction),
            beta1: cast(c.beta1),
            beta2: cast(c.beta2),
            epsilon: cast(c.epsilon),
        };
        let [m_in, m_rec, m_out] = &mut self.moments;
        let [m_b, m_b_out] = &mut self.bias_moments;
        rule.apply(&mut weights.w_in, &grads.w_in, m_in);
        rule.apply(&mut weights.w_rec, &grads.w_rec, m_rec);
        rule.apply(&mut weights.w_out, &grads.w_out, m_out);
        rule.apply(&mut weights.b, &grads.b, m_b);
        rule.apply(&mut weights.b_out, &grads.b_out, m_b_out);
    }
}

/// The step's scalars, cast once.
struct Rule<T> {
    lr_t: T,
    beta1: T,
    beta2: T,
    epsilon: T,
}

impl<T: Scalar> Rule<T> {
    fn apply<D: Dimension>(
        &self,
        weights: &mut ndarray::Array<T, D>,
        grads: &ndarray::Array<T, D>,
        (m, v): &mut (ndarray::Array<T, D>, ndarray::Array<T, D>),
    ) {
        let one = T::one();
        Zip::from(weights)
            .and(grads)
            .and(m)
            .and(v)
            .for_each(|w, &g, m, v| {
                *m = self.beta1 * *m + (one - self.beta1) * g;
                *v = self.beta2 * *v + (one - self.beta2) * g * g;
                *w -= self.lr_t * *m / (v.sqrt() + self.epsilon);
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient_sign() {
        // With m = (1−β1)g and v = (1−β2)g², the bias-corrected step is lr·g/(|g| + ε̂).
        let mut weights = RnnWeights {
            w_in: array![[1.0f64]],
            w_rec: array![[1.0]],
            b: array![1.0],
            w_out: array![[1.0]],
            b_out: array![1.0],
            alpha: 1.0,
        };
        let grads = Gradients {
            w_in: array![[0.5]],
            w_rec: array![[-2.0]],
            b: array![0.0],
            w_out: array![[1e-3]],
            b_out: array![3.0],
        };
        let config = AdamConfig {
            learning_rate: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
        };
        let mut adam = Adam::new(config, &weights);
        adam.update(&mut weights, &grads);
        assert!((weights.w_in[[0, 0]] - 0.9).abs() < 1e-6);
        assert!((weights.w_rec[[0, 0]] - 1.1).abs() < 1e-6);
        assert_eq!(weights.b[0], 1.0);
        assert!((weights.b_out[0] - 0.9).abs() < 1e-6);
        assert_eq!(adam.steps(), 1);
    }
}
