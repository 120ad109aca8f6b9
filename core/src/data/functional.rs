//! Functional matrices derived from event rasters: binned-count correlation, the spike-time
//! tiling coefficient, and the precision matrix.
//!
//! The recipe reproduces the shipped minnie65 matrices (to ~6e-6 for correlation and ~3e-6 for
//! STTC, max abs over a field), so fields that ship only spikes get the same quantities:
//!
//! - counts: events of each neuron in consecutive bins of `bin_seconds` (0.2 s) from t = 0 up
//!   to the field's last event (see [`binned_counts`] for the exact edges);
//! - correlation: Pearson correlation of those counts (a neuron with constant counts has no
//!   defined correlation; it gets 0 off the diagonal and 1 on it);
//! - STTC (Cutts & Eglen 2014, J. Neurosci. 34:14288): for neurons A and B,
//!   `½[(P_A − T_B)/(1 − P_A·T_B) + (P_B − T_A)/(1 − P_B·T_A)]`, where `P_A` is the fraction of
//!   A's events within ±Δt (inclusive) of an event of B, and `T_A` the fraction of the recording
//!   window [0, last event of the field] covered by the union of the tiles [t − Δt, t + Δt]
//!   around A's events (tiles are not clipped to the window). A silent neuron's STTC is 0;
//!   a term whose denominator vanishes is taken as 0;
//! - precision: the inverse of the sample covariance (ddof = 1) of the binned counts.

use nalgebra::DMatrix;
use ndarray::{Array2, ArrayView2, Axis};

use super::bundle::{FunctionalMatrices, FunctionalSource, SpikeRaster};
use super::error::DataError;

/// The bin and coincidence windows of the derivation.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeriveConfig {
    /// Width of the count bins, seconds.
    pub bin_seconds: f64,
    /// The STTC coincidence window Δt, seconds.
    pub sttc_dt_seconds: f64,
}

impl Default for DeriveConfig {
    fn default() -> Self {
        DeriveConfig {
            bin_seconds: 0.2,
            sttc_dt_seconds: 0.1,
        }
    }
}

/// Derives correlation, STTC and precision from an event raster.
pub fn derive_functional(
    raster: &SpikeRaster,
    config: &DeriveConfig,
) -> Result<FunctionalMatrices, DataError> {
    if !(config.bin_seconds > 0.0 && config.sttc_dt_seconds >= 0.0) {
        return Err(DataError::Numerical(format!(
            "bin width must be positive and Δt non-negative, got {} s and {} s",
            config.bin_seconds, config.sttc_dt_seconds
        )));
    }
    let counts = binned_counts(raster, config.bin_seconds);
    let corr = pearson_correlation(counts.view());
    let sttc = spike_time_tiling(raster, config.sttc_dt_seconds);
    // A field with fewer bins than neurons has a singular covariance: no precision, rather than
    // an invented one.
    let precision = precision_matrix(counts.view()).ok();
    Ok(FunctionalMatrices {
        corr,
        sttc,
        precision,
        source: FunctionalSource::Derived,
    })
}

/// Event counts per neuron and bin.
///
/// There are `n_bins = round(t_last / bin)` bins with edges `0, bin, …, n_bins·bin`, where
/// `t_last` is the field's last event time: the window is rounded to whole bins, so a last
/// event in the first half of its bin falls outside. Each bin is half-open but the last, which
/// includes its right edge (numpy's `histogram`). This is the binning the shipped minnie65
/// matrices were computed with: it reproduces all 13 fields that ship both to ~1e-15, where
/// "up to the bin holding `t_last`" is off by up to 4e-4 (measured with numpy over the fields).
///
/// # Shapes
/// Returns `[N, n_bins]` (at least one bin).
pub fn binned_counts(raster: &SpikeRaster, bin_seconds: f64) -> Array2<f64> {
    let t_last = f64::from(raster.last_frame()) * raster.frame_seconds;
    let edge = |k: usize| k as f64 * bin_seconds;
    let n_bins = (t_last / bin_seconds).round() as usize;
    let n = raster.n_neurons();
    let mut counts = Array2::zeros((n, n_bins.max(1)));
    if n_bins == 0 {
        return counts;
    }
    let last_edge = edge(n_bins);
    for i in 0..n {
        for &frame in raster.neuron(i) {
            let t = f64::from(frame) * raster.frame_seconds;
            if t > last_edge {
                continue;
            }
            // floor(t / bin) can land one off the float edges; settle it against them.
            let mut bin = ((t / bin_seconds) as usize).min(n_bins - 1);
            while bin > 0 && t < edge(bin) {
                bin -= 1;
            }
            while bin + 1 < n_bins && t >= edge(bin + 1) {
                bin += 1;
            }
            counts[[i, bin]] += 1.0;
        }
    }
    counts
}

/// Pearson correlation between the rows of `samples`.
///
/// # Shapes
/// `samples: [N, T]` (variables × observations) → `[N, N]`.
pub fn pearson_correlation(samples: ArrayView2<f64>) -> Array2<f64> {
    let centred = centre_rows(samples);
    let gram = centred.dot(&centred.t());
    let n = gram.nrows();
    Array2::from_shape_fn((n, n), |(i, j)| {
        if i == j {
            return 1.0;
        }
        let denominator = (gram[[i, i]] * gram[[j, j]]).sqrt();
        if denominator > 0.0 {
            gram[[i, j]] / denominator
        } else {
            0.0
        }
    })
}

/// Inverse of the sample covariance (ddof = 1) of the rows of `samples`.
///
/// # Shapes
/// `samples: [N, T]` → `[N, N]`. Fails when the covariance is singular (e.g. T ≤ N or a
/// silent neuron).
pub fn precision_matrix(samples: ArrayView2<f64>) -> Result<Array2<f64>, DataError> {
    let (n, t) = samples.dim();
    if t < 2 {
        return Err(DataError::Numerical(
            "precision needs at least two observations".into(),
        ));
    }
    let centred = centre_rows(samples);
    let covariance = centred.dot(&centred.t()) / (t as f64 - 1.0);
    let matrix = DMatrix::from_fn(n, n, |i, j| covariance[[i, j]]);
    let inverse = matrix.cholesky().map(|c| c.inverse()).ok_or_else(|| {
        DataError::Numerical(
            "the covariance of the binned counts is singular (silent neuron or too few bins); \
             no precision matrix"
                .into(),
        )
    })?;
    Ok(Array2::from_shape_fn((n, n), |(i, j)| inverse[(i, j)]))
}

fn centre_rows(samples: ArrayView2<f64>) -> Array2<f64> {
    let means = samples
        .mean_axis(Axis(1))
        .expect("at least one observation");
    &samples - &means.insert_axis(Axis(1))
}

/// The spike-time tiling coefficient of every pair (Cutts & Eglen 2014), with the recording
/// window [0, last event of the field].
///
/// # Shapes
/// Returns `[N, N]`, symmetric, unit diagonal.
pub fn spike_time_tiling(raster: &SpikeRaster, dt_seconds: f64) -> Array2<f64> {
    let n = raster.n_neurons();
    let window = f64::from(raster.last_frame()) * raster.frame_seconds;
    let times: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            raster
                .neuron(i)
                .iter()
                .map(|&f| f64::from(f) * raster.frame_seconds)
                .collect()
        })
        .collect();
    let tiled: Vec<f64> = times
        .iter()
        .map(|t| {
            if window > 0.0 {
                tiled_length(t, dt_seconds) / window
            } else {
                0.0
            }
        })
        .collect();
    let mut sttc = Array2::eye(n);
    for a in 0..n {
        for b in 0..a {
            let value = if times[a].is_empty() || times[b].is_empty() {
                0.0
            } else {
                let p_a = fraction_near(&times[a], &times[b], dt_seconds);
                let p_b = fraction_near(&times[b], &times[a], dt_seconds);
                0.5 * (tiling_term(p_a, tiled[b]) + tiling_term(p_b, tiled[a]))
            };
            sttc[[a, b]] = value;
            sttc[[b, a]] = value;
        }
    }
    sttc
}

fn tiling_term(p: f64, t: f64) -> f64 {
    let denominator = 1.0 - p * t;
    if denominator == 0.0 {
        0.0
    } else {
        (p - t) / denominator
    }
}

/// Total length of the union of [t − dt, t + dt] over sorted times.
fn tiled_length(times: &[f64], dt: f64) -> f64 {
    let mut total = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for &t in times {
        let (start, end) = (t - dt, t + dt);
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((s, e)) = current {
        total += e - s;
    }
    total
}

/// Fraction of the (sorted) `from` times within ±dt of some (sorted) `to` time.
fn fraction_near(from: &[f64], to: &[f64], dt: f64) -> f64 {
    let mut j = 0;
    let mut near = 0usize;
    for &t in from {
        while j < to.len() && to[j] < t - dt {
            j += 1;
        }
        if j < to.len() && to[j] <= t + dt {
            near += 1;
        }
    }
    near as f64 / from.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raster(trains: &[&[u32]], frame_seconds: f64) -> SpikeRaster {
        let mut frames = Vec::new();
        let mut offsets = vec![0];
        for train in trains {
            frames.extend_from_slice(train);
            offsets.push(frames.len());
        }
        SpikeRaster {
            frames,
            offsets,
            frame_seconds,
        }
    }

    #[test]
    fn identical_trains_have_sttc_one_and_disjoint_distant_trains_are_negative() {
        let r = raster(&[&[10, 50, 90], &[10, 50, 90], &[30, 70, 100]], 0.1);
        let sttc = spike_time_tiling(&r, 0.05);
        assert!((sttc[[0, 1]] - 1.0).abs() < 1e-12, "{}", sttc[[0, 1]]);
        assert!(sttc[[0, 2]] < 0.0);
        assert_eq!(sttc[[2, 0]], sttc[[0, 2]]);
    }

    #[test]
    fn sttc_matches_a_hand_computed_pair() {
        // A at 1.0, 2.0 s; B at 1.05, 3.0 s; Δt = 0.1, window = [0, 3.0].
        // P_A = 1/2 (1.0 is near 1.05), P_B = 1/2; T_A = 0.4/3, T_B = 0.4/3.
        let r = raster(&[&[100, 200], &[105, 300]], 0.01);
        let sttc = spike_time_tiling(&r, 0.1);
        let (p, t) = (0.5, 0.4 / 3.0);
        let expected = (p - t) / (1.0 - p * t);
        assert!((sttc[[0, 1]] - expected).abs() < 1e-12);
    }

    #[test]
    fn overlapping_tiles_are_counted_once() {
        assert!((tiled_length(&[1.0, 1.1, 5.0], 0.1) - (0.3 + 0.2)).abs() < 1e-12);
    }

    #[test]
    fn correlation_of_a_constant_row_is_zero_not_nan() {
        let samples = ndarray::array![[1.0, 2.0, 3.0], [2.0, 2.0, 2.0], [3.0, 1.0, 2.0]];
        let corr = pearson_correlation(samples.view());
        assert_eq!(corr[[0, 1]], 0.0);
        assert_eq!(corr[[1, 1]], 1.0);
        assert!((corr[[0, 2]] + 0.5).abs() < 1e-12);
    }

    #[test]
    fn precision_inverts_the_covariance() {
        let samples = ndarray::array![[1.0, 2.0, 4.0, 3.0], [2.0, 1.0, 0.0, 1.5]];
        let precision = precision_matrix(samples.view()).unwrap();
        let centred = centre_rows(samples.view());
        let covariance = centred.dot(&centred.t()) / 3.0;
        let identity = covariance.dot(&precision);
        for ((i, j), v) in identity.indexed_iter() {
            assert!((v - if i == j { 1.0 } else { 0.0 }).abs() < 1e-10);
        }
    }

    #[test]
    fn bins_follow_numpy_arange_and_histogram() {
        let r = raster(&[&[0, 1, 2, 4], &[5]], 0.15);
        // times 0, .15, .30, .60 | .75 s; round(.75 / .2) = 4 bins, edges 0 … .8. In floats
        // 4 × .15 = .6 sits just below the edge 3 × .2, as in numpy.
        let counts = binned_counts(&r, 0.2);
        assert_eq!(counts.dim(), (2, 4));
        assert_eq!(counts.row(0).to_vec(), vec![2.0, 1.0, 1.0, 0.0]);
        assert_eq!(counts.row(1).to_vec(), vec![0.0, 0.0, 0.0, 1.0]);
        // Last event at .65 s: round(3.25) = 3 bins, edges 0, .2, .4, .6, so the last bin is
        // closed [.4, .6] and .65 falls outside.
        let r = raster(&[&[0, 1, 2, 4], &[13]], 0.05);
        let counts = binned_counts(&r, 0.2);
        assert_eq!(counts.dim(), (2, 3));
        assert_eq!(counts.row(0).to_vec(), vec![3.0, 1.0, 0.0]);
        assert_eq!(counts.row(1).to_vec(), vec![0.0, 0.0, 0.0]);
    }
}
