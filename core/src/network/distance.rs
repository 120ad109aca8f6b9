//! Distance matrices for the spatial penalty λ‖W ⊙ D‖.
//!
//! The scale of D sets the penalty's strength, so each mode is explicit and recorded in the
//! manifest:
//!
//! - grid `D`: unit-spaced integer lattice distance. Unit k sits at
//!   `(k div Z mod X, k div (X·Z), k mod Z)` on an X×Y×Z lattice, the study's order; the lattice
//!   is the study's per-field shape (`study_grid_shape`, e.g. 12×13×2 for `6_6_2`) or the most
//!   cube-like lattice holding N (some study shapes are degenerate lines such as 193×1×1);
//! - real `D*`: Euclidean distance between true soma positions, normalised by
//!   - `minmax`: each axis min–max scaled to [0, 1] (as the study describes),
//!   - `isotropic` (default): µm divided by the field's largest axis extent, so the geometry
//!     keeps its shape (fields are ~1 mm wide but tens of µm deep; per-axis scaling stretches
//!     depth by an order of magnitude),
//!   - `compat`: the reference code's defect, `positions.reshape(3, −1)` of the (N, 3) voxel
//!     array instead of a transpose, then per-row min–max. Its "distances" correlate with the
//!     true ones at r ≈ 0; only for reproducing published numbers.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::data::MINNIE65_VOXEL_NM;

/// Which lattice the grid distance uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GridLattice {
    /// The study's per-field shape from `fields.csv`.
    Study,
    /// The most cube-like lattice holding N.
    CubeLike,
}

/// How real soma distances are normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RealDistanceMode {
    Minmax,
    #[default]
    Isotropic,
    Compat,
}

/// A distance matrix and how it was made, as recorded in the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DistanceSpec {
    /// No distance weighting (D = 1 everywhere).
    None,
    Grid {
        lattice: GridLattice,
        shape: [usize; 3],
    },
    Real {
        mode: RealDistanceMode,
        /// A control applied to the real distances (none by default).
        #[serde(default)]
        control: DistanceControl,
    },
}

/// Controls of the real distances D* that separate geometry, scale and distribution (each
/// uses the true, corrected D* and, for the matched ones, the compat D* of the same field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DistanceControl {
    /// D* as its mode makes it.
    #[default]
    None,
    /// D* with the neuron labels permuted: the distribution is kept, the geometry is gone.
    Shuffled,
    /// D* rescaled to the mean of the compat D* of the same field: the geometry at the
    /// defective scale.
    ScaleMatched,
    /// D*'s order of pairs carrying the compat D*'s sorted values: the geometry with the
    /// defective distribution.
    RankMatched,
}

/// Applies `control` to the real distances `true_d` of a field whose compat distances are
/// `compat_d`; `rng` draws the relabelling of [`DistanceControl::Shuffled`].
///
/// Means and ranks are over the off-diagonal pairs `i < j`; results are symmetric with a zero
/// diagonal.
///
/// # Shapes
/// `true_d`, `compat_d`: `[N, N]` → `[N, N]`.
pub fn control_distance<R: rand::Rng + ?Sized>(
    true_d: ArrayView2<f64>,
    compat_d: ArrayView2<f64>,
    control: DistanceControl,
    rng: &mut R,
) -> Result<Array2<f64>, DistanceError> {
    use rand::seq::SliceRandom;
    let n = true_d.nrows();
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect();
    let off_mean = |d: ArrayView2<f64>| {
        pairs.iter().map(|&(i, j)| d[[i, j]]).sum::<f64>() / pairs.len().max(1) as f64
    };
    match control {
        DistanceControl::None => Ok(true_d.to_owned()),
        DistanceControl::Shuffled => {
            let mut order: Vec<usize> = (0..n).collect();
            order.shuffle(rng);
            Ok(Array2::from_shape_fn((n, n), |(i, j)| {
                true_d[[order[i], order[j]]]
            }))
        }
        DistanceControl::ScaleMatched => {
            let true_mean = off_mean(true_d);
            if true_mean <= 0.0 {
                return Err(DistanceError::Degenerate);
            }
            Ok(true_d.mapv(|v| v * off_mean(compat_d) / true_mean))
        }
        DistanceControl::RankMatched => {
            let mut by_true = pairs.clone();
            by_true.sort_by(|&a, &b| true_d[a].total_cmp(&true_d[b]).then(a.cmp(&b)));
            let mut compat_values: Vec<f64> = pairs.iter().map(|&p| compat_d[p]).collect();
            compat_values.sort_by(f64::total_cmp);
            let mut out = Array2::zeros((n, n));
            for (&(i, j), &value) in by_true.iter().zip(&compat_values) {
                out[[i, j]] = value;
                out[[j, i]] = value;
            }
            Ok(out)
        }
    }
}

/// Why a distance matrix could not be built.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DistanceError {
    #[error("lattice {shape:?} holds {} units but the field has {n} neurons; use --grid-lattice cube-like", shape[0] * shape[1] * shape[2])]
    LatticeTooSmall { shape: [usize; 3], n: usize },
    #[error("the field has no study grid shape; use --grid-lattice cube-like")]
    NoStudyShape,
    #[error("positions must be [N, 3] and finite; got {0:?}")]
    BadPositions(Vec<usize>),
    #[error("all somata coincide: real distances are all zero")]
    Degenerate,
}

/// The most cube-like X×Y×Z lattice holding `n` units: the smallest largest side, then the
/// fewest empty sites, then the most balanced sides. Returned with X ≥ Y ≥ Z.
pub fn cube_like_shape(n: usize) -> [usize; 3] {
    let n = n.max(1);
    let mut side = 1;
    while side * side * side < n {
        side += 1;
    }
    let mut best: Option<(usize, usize, [usize; 3])> = None;
    for y in 1..=side {
        for z in 1..=y {
            let x = n.div_ceil(y * z);
            if x > side || x < y {
                continue;
            }
            let shape = [x, y, z];
            let key = (x * y * z, x - z);
            if best.is_none_or(|(waste, spread, _)| key < (waste, spread)) {
                best = Some((key.0, key.1, shape));
            }
        }
    }
    best.map_or([side, side, side], |b| b.2)
}

/// Unit-spaced lattice distances, unit k at `(k div Z mod X, k div (X·Z), k mod Z)`.
///
/// # Shapes
/// Returns `[n, n]`.
pub fn grid_distance(n: usize, shape: [usize; 3]) -> Result<Array2<f64>, DistanceError> {
    let [x_size, _, z_size] = shape;
    if shape.iter().product::<usize>() < n || shape.contains(&0) {
        return Err(DistanceError::LatticeTooSmall { shape, n });
    }
    let site = |k: usize| {
        [
            ((k / z_size) % x_size) as f64,
            (k / (x_size * z_size)) as f64,
            (k % z_size) as f64,
        ]
    };
    Ok(pairwise_euclidean(n, site))
}

/// Normalised real distances from soma positions in µm.
///
/// # Shapes
/// `positions_um: [N, 3]` → `[N, N]`.
pub fn real_distance(
    positions_um: ArrayView2<f64>,
    mode: RealDistanceMode,
) -> Result<Array2<f64>, DistanceError> {
    let (n, dims) = positions_um.dim();
    if dims != 3 || positions_um.iter().any(|v| !v.is_finite()) {
        return Err(DistanceError::BadPositions(positions_um.shape().to_vec()));
    }
    let extent = |column: Vec<f64>| {
        let low = column.iter().copied().fold(f64::INFINITY, f64::min);
        let high = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (low, high - low)
    };
    let coordinates: Array2<f64> = match mode {
        RealDistanceMode::Isotropic => {
            let largest = (0..3)
                .map(|axis| extent(positions_um.column(axis).to_vec()).1)
                .fold(0.0, f64::max);
            if largest == 0.0 {
                return Err(DistanceError::Degenerate);
            }
            positions_um.mapv(|v| v / largest)
        }
        RealDistanceMode::Minmax => minmax_columns(positions_um.to_owned(), extent)?,
        RealDistanceMode::Compat => {
            // The reference code held voxel coordinates, (N, 3) row-major, and read them as
            // (3, N): pseudo-axis a of unit k is flat[a·N + k] of the voxel array.
            let mut flat = Vec::with_capacity(3 * n);
            for row in positions_um.rows() {
                for axis in 0..3 {
                    flat.push(row[axis] * 1000.0 / MINNIE65_VOXEL_NM[axis]);
                }
            }
            let reshaped = Array2::from_shape_fn((n, 3), |(k, axis)| flat[axis * n + k]);
            minmax_columns(reshaped, extent)?
        }
    };
    Ok(euclidean_distances(coordinates.view()))
}

fn minmax_columns(
    mut coordinates: Array2<f64>,
    extent: impl Fn(Vec<f64>) -> (f64, f64),
) -> Result<Array2<f64>, DistanceError> {
    let mut any_spread = false;
    for mut column in coordinates.columns_mut() {
        let (low, spread) = extent(column.to_vec());
        // A flat axis contributes nothing rather than dividing by zero.
        if spread > 0.0 {
            any_spread = true;
            column.mapv_inplace(|v| (v - low) / spread);
        } else {
            column.fill(0.0);
        }
    }
    if any_spread {
        Ok(coordinates)
    } else {
        Err(DistanceError::Degenerate)
    }
}

#[cfg(test)]
mod control_tests {
    use super::*;
    use rand::SeedableRng;

    fn matrices() -> (Array2<f64>, Array2<f64>) {
        let n = 6;
        let positions =
            Array2::from_shape_fn((n, 3), |(i, a)| (i * (a + 1)) as f64 * 10.0 + a as f64);
        let true_d = euclidean_distances(positions.view());
        let compat = Array2::from_shape_fn((n, n), |(i, j)| {
            if i == j {
                0.0
            } else {
                ((i + j) % 4) as f64 * 0.1 + 0.05
            }
        });
        (true_d, compat)
    }

    #[test]
    fn each_control_keeps_what_it_says_and_changes_the_rest() {
        let (true_d, compat) = matrices();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let sorted = |d: &Array2<f64>| {
            let mut v: Vec<f64> = (0..6)
                .flat_map(|i| (i + 1..6).map(move |j| (i, j)))
                .map(|p| d[p])
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let shuffled = control_distance(
            true_d.view(),
            compat.view(),
            DistanceControl::Shuffled,
            &mut rng,
        )
        .unwrap();
        assert_eq!(
            sorted(&shuffled),
            sorted(&true_d),
            "the distribution is kept"
        );
        let scaled = control_distance(
            true_d.view(),
            compat.view(),
            DistanceControl::ScaleMatched,
            &mut rng,
        )
        .unwrap();
        let mean = |d: &Array2<f64>| sorted(d).iter().sum::<f64>() / 15.0;
        assert!((mean(&scaled) - mean(&compat)).abs() < 1e-12);
        assert!((scaled[[0, 1]] / scaled[[0, 2]] - true_d[[0, 1]] / true_d[[0, 2]]).abs() < 1e-12);
        let ranked = control_distance(
            true_d.view(),
            compat.view(),
            DistanceControl::RankMatched,
            &mut rng,
        )
        .unwrap();
        assert_eq!(sorted(&ranked), sorted(&compat), "the compat distribution");
        // The true order of pairs: the pair nearest in D* carries the smallest compat value.
        let pairs: Vec<(usize, usize)> = (0..6)
            .flat_map(|i| (i + 1..6).map(move |j| (i, j)))
            .collect();
        let nearest = *pairs
            .iter()
            .min_by(|&&a, &&b| true_d[a].total_cmp(&true_d[b]))
            .unwrap();
        assert_eq!(ranked[nearest], sorted(&compat)[0]);
        assert_eq!(ranked, ranked.t());
    }
}

/// Euclidean distances between the rows of `positions`, in their unit.
///
/// # Shapes
/// `positions: [N, 3]` → `[N, N]`.
pub fn euclidean_distances(positions: ArrayView2<f64>) -> Array2<f64> {
    pairwise_euclidean(positions.nrows(), |k| {
        [positions[[k, 0]], positions[[k, 1]], positions[[k, 2]]]
    })
}

fn pairwise_euclidean(n: usize, site: impl Fn(usize) -> [f64; 3]) -> Array2<f64> {
    let sites: Vec<[f64; 3]> = (0..n).map(site).collect();
    Array2::from_shape_fn((n, n), |(i, j)| {
        let (a, b) = (sites[i], sites[j]);
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn grid_units_follow_the_study_order() {
        // 12×13×2: unit 0 at (0,0,0), unit 1 at (0,0,1), unit 2 at (1,0,0), unit 24 at (0,1,0).
        let d = grid_distance(312, [12, 13, 2]).unwrap();
        assert_eq!(d[[0, 1]], 1.0);
        assert_eq!(d[[0, 2]], 1.0);
        assert_eq!(d[[0, 24]], 1.0);
        assert_eq!(d[[0, 3]], 2f64.sqrt());
        assert_eq!(d[[0, 311]], (11f64.powi(2) + 12f64.powi(2) + 1.0).sqrt());
        assert_eq!(d, d.t());
    }

    #[test]
    fn a_lattice_too_small_is_refused() {
        assert_eq!(
            grid_distance(10, [2, 2, 2]).unwrap_err(),
            DistanceError::LatticeTooSmall {
                shape: [2, 2, 2],
                n: 10
            }
        );
    }

    #[test]
    fn cube_like_shapes_hold_n_with_the_smallest_side() {
        assert_eq!(cube_like_shape(312), [7, 7, 7]);
        assert_eq!(cube_like_shape(8), [2, 2, 2]);
        assert_eq!(cube_like_shape(70), [5, 5, 3]);
        assert_eq!(cube_like_shape(1), [1, 1, 1]);
        for n in 1..700 {
            let s = cube_like_shape(n);
            assert!(s[0] * s[1] * s[2] >= n, "{n}: {s:?}");
            assert!(s[0] >= s[1] && s[1] >= s[2]);
            assert!((s[0] - 1).pow(3) < n, "{n}: {s:?} is not minimal");
        }
    }

    #[test]
    fn isotropic_keeps_the_shape_and_minmax_stretches_flat_axes() {
        // Two units 100 µm apart laterally, two 10 µm apart in depth.
        let positions = array![[0.0, 0.0, 0.0], [100.0, 0.0, 0.0], [0.0, 10.0, 0.0]];
        let iso = real_distance(positions.view(), RealDistanceMode::Isotropic).unwrap();
        assert!((iso[[0, 1]] - 1.0).abs() < 1e-12);
        assert!((iso[[0, 2]] - 0.1).abs() < 1e-12);
        let minmax = real_distance(positions.view(), RealDistanceMode::Minmax).unwrap();
        assert!(
            (minmax[[0, 2]] - 1.0).abs() < 1e-12,
            "depth stretched to the full range"
        );
    }

    #[test]
    fn compat_reads_the_voxel_array_in_the_wrong_order() {
        // µm → voxels: x/0.004, y/0.004, z/0.04. Flattened row-major then read as (3, N).
        let positions = array![[0.004, 0.008, 0.04], [0.012, 0.016, 0.08]];
        // voxels: [[1, 2, 1], [3, 4, 2]] → flat [1, 2, 1, 3, 4, 2] → rows [1,2] [1,3] [4,2]
        // → unit 0 = (1, 1, 4), unit 1 = (2, 3, 2); min-max per pseudo-axis → (0,0,1), (1,1,0).
        let d = real_distance(positions.view(), RealDistanceMode::Compat).unwrap();
        assert!((d[[0, 1]] - 3f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn coincident_somata_are_an_error_not_nan() {
        let positions = array![[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]];
        assert_eq!(
            real_distance(positions.view(), RealDistanceMode::Isotropic).unwrap_err(),
            DistanceError::Degenerate
        );
    }
}
