//! Recurrent-weight initialisers: orthogonal, the study's bio init `W*`, its permutation `W!`,
//! and two controls the study lacks (an entrywise shuffle and a resample on the same support).
//!
//! Bio init (the study's recipe, in its order):
//! 1. L ~ LogNormal(μ = −0.5, σ = 0.5) entrywise (a fresh draw per network);
//! 2. min–max scale corr and STTC over the whole matrix, diagonal included, to [0, 1];
//! 3. B = L ⊙ corr_mm ⊙ STTC_mm;
//! 4. rescale B to mean 0.1; floor nonzero entries at 0.01;
//! 5. scale to spectral radius 0.95.
//!
//! Corr and STTC have unit diagonals, so step 2 puts ~40 % of the weight mass on
//! self-connections, which the distance penalty cannot see (D_ii = 0). That is kept by default,
//! as the study did; [`BioInitConfig::exclude_diagonal`] scales over off-diagonal entries and
//! zeroes the diagonal instead.

use nalgebra::DMatrix;
use ndarray::{Array2, ArrayView2};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, LogNormal, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::data::FunctionalMatrices;

/// Which activity matrices the bio init multiplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BioSource {
    /// corr ⊙ STTC (the study's main recipe).
    #[default]
    CorrSttc,
    /// precision ⊙ STTC.
    PrecisionSttc,
    /// STTC alone.
    SttcOnly,
    /// A control: the synapse-count matrix (rows presynaptic, joined by nucleus id) in place of
    /// activity, through the same scaling ([`connectome`]).
    Connectome,
}

/// The bio-init recipe. `Default` is the study's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BioInitConfig {
    pub source: BioSource,
    /// Min–max scale over off-diagonal entries and zero the diagonal.
    pub exclude_diagonal: bool,
    pub lognormal_mu: f64,
    pub lognormal_sigma: f64,
    pub target_mean: f64,
    pub floor: f64,
    pub spectral_radius: f64,
    /// A control applied to the finished bio matrix (none by default).
    pub control: InitControl,
}

/// Controls of the bio init that ask which of its properties helps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InitControl {
    /// The bio matrix as built.
    #[default]
    None,
    /// All N² entries shuffled ([`shuffle_entries`]): the weight distribution without any
    /// structure.
    Shuffle,
    /// The support kept, values redrawn from its own ([`resample_on_support`]): the graph
    /// without which edge is strong.
    Resample,
}

impl InitControl {
    /// Applies the control to a finished matrix.
    pub fn apply<R: Rng + ?Sized>(
        self,
        weights: Array2<f64>,
        rng: &mut R,
    ) -> Result<Array2<f64>, InitError> {
        match self {
            InitControl::None => Ok(weights),
            InitControl::Shuffle => shuffle_entries(weights.view(), rng),
            InitControl::Resample => resample_on_support(weights.view(), rng),
        }
    }
}

impl Default for BioInitConfig {
    fn default() -> Self {
        BioInitConfig {
            source: BioSource::CorrSttc,
            exclude_diagonal: false,
            lognormal_mu: -0.5,
            lognormal_sigma: 0.5,
            target_mean: 0.1,
            floor: 0.01,
            spectral_radius: 0.95,
            control: InitControl::None,
        }
    }
}

/// Why an initialiser could not produce a matrix.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InitError {
    #[error("the field ships no precision matrix; use --bio-source corr-sttc or sttc-only")]
    NoPrecision,
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the matrix has spectral radius 0 (it is nilpotent: for a connectome, its graph has no \
         cycle) and cannot be rescaled to the target radius"
    )]
    ZeroSpectralRadius,
}

/// A random orthogonal matrix (gain 1), as Keras' `Orthogonal`: the Q of a Gaussian matrix's
/// QR factorisation, with column signs fixed by diag(R) so the draw is Haar-uniform.
///
/// # Shapes
/// Returns `[n, n]`.
pub fn orthogonal<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Array2<f64> {
    let gaussian = DMatrix::<f64>::from_fn(n, n, |_, _| rng.sample(StandardNormal));
    let qr = gaussian.qr();
    let (q, r) = (qr.q(), qr.r());
    Array2::from_shape_fn((n, n), |(i, j)| {
        let sign = if r[(j, j)] < 0.0 { -1.0 } else { 1.0 };
        q[(i, j)] * sign
    })
}

/// The study's bio init `W*`.
///
/// # Shapes
/// Functional matrices `[N, N]` → `[N, N]`, nonnegative.
pub fn bio<R: Rng + ?Sized>(
    functional: &FunctionalMatrices,
    config: &BioInitConfig,
    rng: &mut R,
) -> Result<Array2<f64>, InitError> {
    let sttc = minmax(functional.sttc.view(), config.exclude_diagonal);
    let activity = match config.source {
        BioSource::CorrSttc => minmax(functional.corr.view(), config.exclude_diagonal) * &sttc,
        BioSource::PrecisionSttc => {
            let precision = functional
                .precision
                .as_ref()
                .ok_or(InitError::NoPrecision)?;
            minmax(precision.view(), config.exclude_diagonal) * &sttc
        }
        BioSource::SttcOnly => sttc,
        BioSource::Connectome => {
            return Err(InitError::Invalid(
                "the connectome source is built from synapse counts by init::connectome".into(),
            ));
        }
    };
    from_activity(activity, config, rng)
}

/// The connectome control of the bio init: the directed synapse-count matrix `synapses`
/// (`[pre, post]`, the orientation of `W_rec`'s rows and columns) min–max scaled in place of
/// the activity product, then the bio init's lognormal draw, mean, floor and spectral radius.
///
/// # Shapes
/// `synapses: [N, N]` → `[N, N]`, nonnegative.
pub fn connectome<R: Rng + ?Sized>(
    synapses: ArrayView2<f64>,
    config: &BioInitConfig,
    rng: &mut R,
) -> Result<Array2<f64>, InitError> {
    if synapses.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(InitError::Invalid(
            "synapse counts must be finite and nonnegative".into(),
        ));
    }
    let activity = minmax(synapses, config.exclude_diagonal);
    // A nonnegative matrix has spectral radius 0 exactly when its graph has no cycle; the
    // eigenvalue solver would return rounding noise, and scaling to it would overflow.
    if !has_cycle(activity.view()) {
        return Err(InitError::ZeroSpectralRadius);
    }
    from_activity(activity, config, rng)
}

/// Whether the directed graph of `matrix`'s nonzero entries has a cycle (a self-loop counts):
/// Kahn's algorithm leaves nodes unremoved exactly when one exists.
fn has_cycle(matrix: ArrayView2<f64>) -> bool {
    let n = matrix.nrows();
    let mut in_degree: Vec<usize> = (0..n)
        .map(|j| (0..n).filter(|&i| matrix[[i, j]] != 0.0).count())
        .collect();
    let mut ready: Vec<usize> = (0..n).filter(|&j| in_degree[j] == 0).collect();
    let mut removed = 0;
    while let Some(i) = ready.pop() {
        removed += 1;
        for j in 0..n {
            if matrix[[i, j]] != 0.0 {
                in_degree[j] -= 1;
                if in_degree[j] == 0 {
                    ready.push(j);
                }
            }
        }
    }
    removed < n
}

/// The shared tail of [`bio`] and [`connectome`]: LogNormal ⊙ activity, scaled to the target
/// mean, floored, and rescaled to the target spectral radius.
fn from_activity<R: Rng + ?Sized>(
    activity: Array2<f64>,
    config: &BioInitConfig,
    rng: &mut R,
) -> Result<Array2<f64>, InitError> {
    let n = activity.nrows();
    if !(config.lognormal_sigma > 0.0 && config.target_mean > 0.0 && config.spectral_radius > 0.0) {
        return Err(InitError::Invalid(
            "lognormal sigma, target mean and spectral radius must be positive".into(),
        ));
    }
    let lognormal = LogNormal::new(config.lognormal_mu, config.lognormal_sigma)
        .map_err(|e| InitError::Invalid(e.to_string()))?;
    let mut weights = Array2::from_shape_fn((n, n), |_| lognormal.sample(rng)) * &activity;
    let mean = weights.mean().unwrap_or(0.0);
    if mean <= 0.0 {
        return Err(InitError::Invalid(
            "the source matrix is constant, so the bio init is all zero".into(),
        ));
    }
    weights *= config.target_mean / mean;
    weights.mapv_inplace(|w| if w > 0.0 { w.max(config.floor) } else { w });
    scale_to_spectral_radius(&mut weights, config.spectral_radius)?;
    Ok(weights)
}

/// Min–max scaling to [0, 1] over all entries, or over the off-diagonal ones with a zeroed
/// diagonal.
fn minmax(matrix: ArrayView2<f64>, exclude_diagonal: bool) -> Array2<f64> {
    let considered = || {
        matrix
            .indexed_iter()
            .filter(move |((i, j), _)| !exclude_diagonal || i != j)
            .map(|(_, &v)| v)
    };
    let low = considered().fold(f64::INFINITY, f64::min);
    let high = considered().fold(f64::NEG_INFINITY, f64::max);
    let spread = high - low;
    let mut scaled = matrix.mapv(|v| {
        if spread > 0.0 {
            (v - low) / spread
        } else {
            0.0
        }
    });
    if exclude_diagonal {
        scaled.diag_mut().fill(0.0);
    }
    scaled
}

/// `P·W·Pᵀ` for a uniformly random permutation: entry (i, j) becomes W[π(i), π(j)]. The graph
/// and its diagonal are unchanged; only the alignment of node labels with positions is lost.
///
/// # Shapes
/// `[N, N]` → (`[N, N]`, the permutation π of length N).
pub fn permute<R: Rng + ?Sized>(
    weights: ArrayView2<f64>,
    rng: &mut R,
) -> (Array2<f64>, Vec<usize>) {
    let n = weights.nrows();
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let permuted = Array2::from_shape_fn((n, n), |(i, j)| weights[[order[i], order[j]]]);
    (permuted, order)
}

/// Control: all N² entries shuffled, then rescaled to the original spectral radius. Keeps the
/// weight distribution, destroys every structure.
pub fn shuffle_entries<R: Rng + ?Sized>(
    weights: ArrayView2<f64>,
    rng: &mut R,
) -> Result<Array2<f64>, InitError> {
    let mut values: Vec<f64> = weights.iter().copied().collect();
    values.shuffle(rng);
    let mut shuffled = Array2::from_shape_vec(weights.dim(), values)
        .map_err(|e| InitError::Invalid(e.to_string()))?;
    scale_to_spectral_radius(&mut shuffled, spectral_radius(weights))?;
    Ok(shuffled)
}

/// Control: the same support (nonzero pattern), values redrawn with replacement from the
/// matrix's nonzero values, then rescaled to the original spectral radius. Keeps the graph,
/// destroys which edge is strong.
pub fn resample_on_support<R: Rng + ?Sized>(
    weights: ArrayView2<f64>,
    rng: &mut R,
) -> Result<Array2<f64>, InitError> {
    let values: Vec<f64> = weights.iter().copied().filter(|&w| w != 0.0).collect();
    if values.is_empty() {
        return Err(InitError::ZeroSpectralRadius);
    }
    let mut resampled = weights.mapv(|w| {
        if w != 0.0 {
            values[rng.random_range(0..values.len())]
        } else {
            0.0
        }
    });
    scale_to_spectral_radius(&mut resampled, spectral_radius(weights))?;
    Ok(resampled)
}

/// The largest eigenvalue modulus (Schur decomposition of the real matrix).
pub fn spectral_radius(weights: ArrayView2<f64>) -> f64 {
    let (n, m) = weights.dim();
    if n == 0 || n != m {
        return 0.0;
    }
    let matrix = DMatrix::from_fn(n, n, |i, j| weights[[i, j]]);
    matrix
        .complex_eigenvalues()
        .iter()
        .map(|eigenvalue| eigenvalue.norm())
        .fold(0.0, f64::max)
}

/// Scales `weights` in place so its spectral radius is `target`.
pub fn scale_to_spectral_radius(weights: &mut Array2<f64>, target: f64) -> Result<(), InitError> {
    let radius = spectral_radius(weights.view());
    // A radius at rounding level (a nilpotent matrix, e.g. an acyclic connectome) would scale
    // the weights past any finite bound.
    let largest = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    if !(radius > 1e-9 * largest.max(f64::MIN_POSITIVE) && radius.is_finite()) {
        return Err(InitError::ZeroSpectralRadius);
    }
    *weights *= target / radius;
    Ok(())
}

#[cfg(test)]
mod connectome_tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_connectome_init_keeps_the_synapse_support_and_the_bio_scaling() {
        let synapses = Array2::from_shape_fn((12, 12), |(i, j)| {
            if (i * 7 + j * 3) % 5 == 0 && i != j {
                ((i + j) % 4 + 1) as f64
            } else {
                0.0
            }
        });
        let config = BioInitConfig::default();
        let w = connectome(synapses.view(), &config, &mut ChaCha8Rng::seed_from_u64(2)).unwrap();
        assert!((spectral_radius(w.view()) - config.spectral_radius).abs() < 1e-9);
        for ((i, j), &count) in synapses.indexed_iter() {
            assert_eq!(w[[i, j]] > 0.0, count > 0.0, "({i}, {j})");
        }
        let bad = synapses.mapv(|v| -v);
        assert!(connectome(bad.view(), &config, &mut ChaCha8Rng::seed_from_u64(2)).is_err());
        // A feed-forward chain has no cycle: spectral radius 0, refused by name.
        let chain = Array2::from_shape_fn((5, 5), |(i, j)| if j == i + 1 { 3.0 } else { 0.0 });
        assert_eq!(
            connectome(chain.view(), &config, &mut ChaCha8Rng::seed_from_u64(2)).unwrap_err(),
            InitError::ZeroSpectralRadius
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::FunctionalSource;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn functional(n: usize, seed: u64) -> FunctionalMatrices {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut corr = Array2::from_shape_fn((n, n), |_| rng.random_range(-0.1..0.3));
        let mut sttc = Array2::from_shape_fn((n, n), |_| rng.random_range(-0.2..0.5));
        for m in [&mut corr, &mut sttc] {
            *m = (&*m + &m.t()) / 2.0;
            m.diag_mut().fill(1.0);
        }
        FunctionalMatrices {
            corr,
            sttc,
            precision: None,
            source: FunctionalSource::Shipped,
        }
    }

    #[test]
    fn orthogonal_matrices_are_orthogonal_and_seeded() {
        let q = orthogonal(40, &mut ChaCha8Rng::seed_from_u64(1));
        let identity = q.t().dot(&q);
        for ((i, j), v) in identity.indexed_iter() {
            assert!((v - f64::from(u8::from(i == j))).abs() < 1e-10);
        }
        assert_eq!(q, orthogonal(40, &mut ChaCha8Rng::seed_from_u64(1)));
        assert_ne!(q, orthogonal(40, &mut ChaCha8Rng::seed_from_u64(2)));
    }

    #[test]
    fn bio_init_follows_the_recipe() {
        let f = functional(60, 3);
        let w = bio(
            &f,
            &BioInitConfig::default(),
            &mut ChaCha8Rng::seed_from_u64(4),
        )
        .unwrap();
        assert!((spectral_radius(w.view()) - 0.95).abs() < 1e-9);
        assert!(w.iter().all(|&v| v >= 0.0));
        // Zero only where the min-max scaled activity is 0; elsewhere at least the floor. The
        // radius rescale scales the floor too; `scale` estimates that factor from the mean,
        // which the floor itself raised slightly, hence the 10 % slack.
        let positive: Vec<f64> = w.iter().copied().filter(|&v| v > 0.0).collect();
        let smallest = positive.iter().copied().fold(f64::INFINITY, f64::min);
        let mean_before_radius = 0.1;
        let scale = w.mean().unwrap() / mean_before_radius;
        assert!(
            smallest >= 0.01 * scale * 0.9,
            "floor: {smallest} vs {}",
            0.01 * scale
        );
        // The diagonal carries a large share of the mass, as in the study.
        let diagonal_share = w.diag().sum() / w.sum();
        assert!(diagonal_share > 0.1, "{diagonal_share}");
        let excluded = BioInitConfig {
            exclude_diagonal: true,
            ..BioInitConfig::default()
        };
        let w2 = bio(&f, &excluded, &mut ChaCha8Rng::seed_from_u64(4)).unwrap();
        assert_eq!(w2.diag().sum(), 0.0);
    }

    #[test]
    fn precision_source_needs_a_precision_matrix() {
        let config = BioInitConfig {
            source: BioSource::PrecisionSttc,
            ..BioInitConfig::default()
        };
        let error = bio(
            &functional(5, 1),
            &config,
            &mut ChaCha8Rng::seed_from_u64(0),
        )
        .unwrap_err();
        assert_eq!(error, InitError::NoPrecision);
    }

    #[test]
    fn permutation_relabels_nodes_and_keeps_the_graph() {
        let f = functional(30, 5);
        let w = bio(
            &f,
            &BioInitConfig::default(),
            &mut ChaCha8Rng::seed_from_u64(6),
        )
        .unwrap();
        let (p, order) = permute(w.view(), &mut ChaCha8Rng::seed_from_u64(7));
        for i in 0..30 {
            assert_eq!(p[[i, i]], w[[order[i], order[i]]]);
            for j in 0..30 {
                assert_eq!(p[[i, j]], w[[order[i], order[j]]]);
            }
        }
        let mut sorted_w: Vec<f64> = w.iter().copied().collect();
        let mut sorted_p: Vec<f64> = p.iter().copied().collect();
        sorted_w.sort_by(f64::total_cmp);
        sorted_p.sort_by(f64::total_cmp);
        assert_eq!(sorted_w, sorted_p);
        assert!((spectral_radius(p.view()) - 0.95).abs() < 1e-9);
    }

    #[test]
    fn controls_keep_what_they_promise() {
        let f = functional(30, 8);
        let w = bio(
            &f,
            &BioInitConfig::default(),
            &mut ChaCha8Rng::seed_from_u64(9),
        )
        .unwrap();
        let resampled = resample_on_support(w.view(), &mut ChaCha8Rng::seed_from_u64(10)).unwrap();
        for (a, b) in w.iter().zip(resampled.iter()) {
            assert_eq!(*a == 0.0, *b == 0.0, "support kept");
        }
        let shuffled = shuffle_entries(w.view(), &mut ChaCha8Rng::seed_from_u64(11)).unwrap();
        assert!((spectral_radius(shuffled.view()) - 0.95).abs() < 1e-9);
        assert!((spectral_radius(resampled.view()) - 0.95).abs() < 1e-9);
        assert_ne!(shuffled, w);
    }

    #[test]
    fn spectral_radius_of_a_rotation_is_one() {
        let (c, s) = (0.6f64, 0.8f64);
        let rotation = ndarray::array![[c, -s], [s, c]];
        assert!((spectral_radius(rotation.view()) - 1.0).abs() < 1e-12);
    }
}
