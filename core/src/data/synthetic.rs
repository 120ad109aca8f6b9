//! A synthetic cortical field, written in the bundle layout, for users without MICrONS data.
//!
//! The generative model follows the published statistics of mouse V1 L2/3:
//!
//! - **Space.** N somata uniform in a slab `extent_um` (x and z lateral, y depth, as minnie65).
//! - **Tuning.** Each neuron has a preferred orientation θ_i ~ U[0, π); the pair's signal
//!   correlation is `r_ij = signal_corr_scale · cos(2(θ_i − θ_j))`.
//! - **Wiring.** P(i → j) = `p0 · exp(−d_ij / λ) · exp(β·r_ij) / Z`, with d the lateral
//!   distance, p0 = 0.066 and λ = 61 µm (Perin, Berger & Markram 2011 style fits to MICrONS; the
//!   issue's numbers), β = 1.9 (like-to-like: Ding et al., Nature 2025), and
//!   `Z = mean over pairs of exp(β·r)` so that the distance profile, averaged over tuning, stays
//!   `p0 · exp(−d/λ)`.
//! - **Synapses per connection.** 1 + Geometric(0.9): about 90 % single-synapse connections.
//! - **Activity.** Events on the 6.3 Hz frame clock, at most one per frame, from a Bernoulli
//!   process whose rate is each neuron's base rate (U[0.25, 0.5] events/s) times
//!   `exp(g·(shared drive) − g²/2)`. The shared drive is a unit-variance mix (each neuron's
//!   loading vector is normalised) of a *spatial* component (AR(1) latent signals at random
//!   anchors in the slab, loaded by `exp(−d/activity_length_um)`, d the 3-D distance to the
//!   anchor), which makes correlations fall with distance, and a *tuning* component (AR(1)
//!   orientation channels φ_k = kπ/K loaded by `max(0, cos(2(θ_i − φ_k)))`), which makes
//!   activity correlate with signal correlation. All loadings are non-negative, so pairwise
//!   correlations of 0.2 s counts come out weak and positive, as in the real data. With the
//!   defaults (N = 600, measured by `tests/synthetic.rs`): mean ≈ 0.035, ≈ 0.065 for pairs under
//!   100 µm apart laterally and ≈ 0.02 over 300 µm, against 0.016–0.040, 0.049–0.087 and
//!   0.003–0.031 over the 16 minnie65 fields that ship correlations. About 0.01 of every pair's
//!   correlation, there and here, comes from the recipe itself: a 0.2 s bin holds one or two
//!   0.159 s frames, so all expected counts rise and fall together.
//!
//! Everything is drawn from one ChaCha8 stream seeded by `seed`: the same config writes the same
//! bytes.

use std::fs;
use std::io::Write;
use std::path::Path;

use ndarray::{Array1, Array2};
use ndarray_npy::WriteNpyExt;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Geometric, StandardNormal};

use super::FRAME_SECONDS;
use super::bundle::{Bundle, CorticalField};
use super::error::DataError;

/// Parameters of the synthetic field. `Default` gives the published statistics.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SyntheticConfig {
    pub n_neurons: usize,
    pub seed: u64,
    /// Field key written to `fields.csv`.
    pub field_key: String,
    /// Slab size in µm: x (lateral), y (depth), z (lateral).
    pub extent_um: [f64; 3],
    /// Connection probability at zero lateral distance, before tuning.
    pub p0: f64,
    /// Length constant of the lateral distance dependence, µm.
    pub length_constant_um: f64,
    /// Like-to-like strength β in `exp(β·r)`.
    pub like_to_like: f64,
    /// Peak signal correlation of two identically tuned neurons.
    pub signal_corr_scale: f64,
    /// Probability that a connection has exactly one synapse.
    pub p_single_synapse: f64,
    /// Base event rates are drawn uniformly from this range, events/s.
    pub rate_range: [f64; 2],
    /// Recording length, seconds (frames must fit in uint16: at most ~10,400 s).
    pub duration_s: f64,
    /// Gain g of the shared drive on the log rate.
    pub activity_gain: f64,
    /// Spatial length scale of shared activity, µm.
    pub activity_length_um: f64,
    /// Number of spatial latent signals.
    pub n_spatial_latents: usize,
    /// Number of orientation latent channels.
    pub n_tuning_latents: usize,
    /// Correlation time of the latent signals, seconds.
    pub latent_tau_s: f64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            n_neurons: 300,
            seed: 0,
            field_key: "synthetic".into(),
            extent_um: [400.0, 60.0, 400.0],
            p0: 0.066,
            length_constant_um: 61.0,
            like_to_like: 1.9,
            signal_corr_scale: 0.5,
            p_single_synapse: 0.9,
            rate_range: [0.25, 0.5],
            duration_s: 1800.0,
            activity_gain: 0.9,
            activity_length_um: 50.0,
            n_spatial_latents: 120,
            n_tuning_latents: 4,
            latent_tau_s: 1.0,
        }
    }
}

impl SyntheticConfig {
    fn validate(&self) -> Result<(), DataError> {
        let fail = |message: String| Err(DataError::Synthetic(message));
        if self.n_neurons < 2 {
            return fail(format!(
                "n_neurons must be at least 2, got {}",
                self.n_neurons
            ));
        }
        if self.extent_um.iter().any(|e| !(e.is_finite() && *e > 0.0)) {
            return fail(format!(
                "extent_um must be positive, got {:?}",
                self.extent_um
            ));
        }
        if !(self.p0 > 0.0 && self.p0 <= 1.0 && self.length_constant_um > 0.0) {
            return fail("p0 must be in (0, 1] and length_constant_um positive".into());
        }
        if !(self.p_single_synapse > 0.0 && self.p_single_synapse <= 1.0) {
            return fail(format!(
                "p_single_synapse must be in (0, 1], got {}",
                self.p_single_synapse
            ));
        }
        let [low, high] = self.rate_range;
        if !(low > 0.0 && high >= low && high * FRAME_SECONDS < 1.0) {
            return fail(format!(
                "rate_range must be positive, increasing and below one event per frame \
                 ({:.1} events/s), got {low}..{high}",
                1.0 / FRAME_SECONDS
            ));
        }
        let max_frames = self.duration_s / FRAME_SECONDS;
        if !(self.duration_s > 0.0 && max_frames < f64::from(u16::MAX)) {
            return fail(format!(
                "duration_s must be in (0, {:.0}] so frames fit in uint16",
                f64::from(u16::MAX) * FRAME_SECONDS
            ));
        }
        if self.field_key.is_empty() || self.field_key.contains([',', '"', '/', '\\']) {
            return fail(format!(
                "field_key `{}` must be a plain name",
                self.field_key
            ));
        }
        if !(self.latent_tau_s > 0.0 && self.activity_length_um > 0.0) {
            return fail("latent_tau_s and activity_length_um must be positive".into());
        }
        if !(self.like_to_like.is_finite()
            && (0.0..=1.0).contains(&self.signal_corr_scale)
            && self.activity_gain.is_finite()
            && self.activity_gain >= 0.0)
        {
            return fail(format!(
                "like_to_like must be finite, signal_corr_scale in [0, 1] and activity_gain \
                 non-negative, got {}, {} and {}",
                self.like_to_like, self.signal_corr_scale, self.activity_gain
            ));
        }
        Ok(())
    }
}

/// A generated field: what the bundle files will hold.
#[derive(Clone, Debug)]
pub struct SyntheticField {
    pub config: SyntheticConfig,
    /// Nucleus ids, `900_000 + row` (seed-independent), so they look like ids.
    pub nucleus_ids: Vec<u64>,
    /// `[N, 3]` µm.
    pub positions_um: Array2<f64>,
    /// Preferred orientation of each neuron, radians in [0, π).
    pub preferred_orientation: Vec<f64>,
    /// `[N, N]` signal correlation r_ij used by the wiring rule.
    pub signal_corr: Array2<f64>,
    /// `[N, N]` synapse counts, rows presynaptic.
    pub synapses: Array2<f64>,
    /// Event frames per neuron, increasing.
    pub spike_frames: Vec<Vec<u16>>,
}

/// Draws a synthetic field.
pub fn generate(config: &SyntheticConfig) -> Result<SyntheticField, DataError> {
    config.validate()?;
    let n = config.n_neurons;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);

    let positions_um = Array2::from_shape_fn((n, 3), |(_, axis)| {
        rng.random::<f64>() * config.extent_um[axis]
    });
    let preferred_orientation: Vec<f64> = (0..n)
        .map(|_| rng.random::<f64>() * std::f64::consts::PI)
        .collect();
    let signal_corr = Array2::from_shape_fn((n, n), |(i, j)| {
        config.signal_corr_scale
            * (2.0 * (preferred_orientation[i] - preferred_orientation[j])).cos()
    });

    let mut normaliser = 0.0;
    for ((i, j), &r) in signal_corr.indexed_iter() {
        if i != j {
            normaliser += (config.like_to_like * r).exp();
        }
    }
    normaliser /= (n * (n - 1)) as f64;
    let extra_synapses =
        Geometric::new(config.p_single_synapse).map_err(|e| DataError::Synthetic(e.to_string()))?;
    let mut synapses = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let probability = (config.p0
                * (-lateral_distance(&positions_um, i, j) / config.length_constant_um).exp()
                * (config.like_to_like * signal_corr[[i, j]]).exp()
                / normaliser)
                .min(1.0);
            if rng.random::<f64>() < probability {
                synapses[[i, j]] = 1.0 + extra_synapses.sample(&mut rng) as f64;
            }
        }
    }

    let spike_frames = simulate_events(config, &positions_um, &preferred_orientation, &mut rng);
    Ok(SyntheticField {
        config: config.clone(),
        nucleus_ids: (0..n as u64).map(|i| 900_000 + i).collect(),
        positions_um,
        preferred_orientation,
        signal_corr,
        synapses,
        spike_frames,
    })
}

fn lateral_distance(positions: &Array2<f64>, i: usize, j: usize) -> f64 {
    let dx = positions[[i, 0]] - positions[[j, 0]];
    let dz = positions[[i, 2]] - positions[[j, 2]];
    (dx * dx + dz * dz).sqrt()
}

fn simulate_events(
    config: &SyntheticConfig,
    positions_um: &Array2<f64>,
    orientation: &[f64],
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<u16>> {
    let n = orientation.len();
    let n_frames = (config.duration_s / FRAME_SECONDS) as usize;
    let n_spatial = config.n_spatial_latents;
    let n_tuning = config.n_tuning_latents;
    let n_latents = n_spatial + n_tuning;

    // Loadings: each neuron's drive is a unit-variance mix of the latents, so the log-rate
    // modulation has variance g² whatever the geometry.
    let anchors = Array2::from_shape_fn((n_spatial, 3), |(_, axis)| {
        rng.random::<f64>() * config.extent_um[axis]
    });
    let channel_orientation: Vec<f64> = (0..n_tuning)
        .map(|k| k as f64 * std::f64::consts::PI / n_tuning.max(1) as f64)
        .collect();
    let mut loadings = Array2::<f64>::zeros((n, n_latents));
    for i in 0..n {
        for k in 0..n_spatial {
            let d: f64 = (0..3)
                .map(|axis| (positions_um[[i, axis]] - anchors[[k, axis]]).powi(2))
                .sum::<f64>()
                .sqrt();
            loadings[[i, k]] = (-d / config.activity_length_um).exp();
        }
        for k in 0..n_tuning {
            loadings[[i, n_spatial + k]] = (2.0 * (orientation[i] - channel_orientation[k]))
                .cos()
                .max(0.0);
        }
        let norm = loadings.row(i).dot(&loadings.row(i)).sqrt();
        if norm > 0.0 {
            loadings.row_mut(i).mapv_inplace(|v| v / norm);
        }
    }
    let base_rate: Vec<f64> = (0..n)
        .map(|_| {
            config.rate_range[0]
                + rng.random::<f64>() * (config.rate_range[1] - config.rate_range[0])
        })
        .collect();

    let decay = (-FRAME_SECONDS / config.latent_tau_s).exp();
    let innovation = (1.0 - decay * decay).sqrt();
    let mut latent = Array1::<f64>::from_shape_fn(n_latents, |_| rng.sample(StandardNormal));
    let gain = config.activity_gain;
    let mut frames = vec![Vec::new(); n];
    for frame in 0..n_frames {
        for value in latent.iter_mut() {
            let noise: f64 = rng.sample(StandardNormal);
            *value = decay * *value + innovation * noise;
        }
        let drive = loadings.dot(&latent);
        for i in 0..n {
            let rate = base_rate[i] * (gain * drive[i] - 0.5 * gain * gain).exp();
            let p_event = (rate * FRAME_SECONDS).min(1.0);
            if rng.random::<f64>() < p_event {
                frames[i].push(frame as u16);
            }
        }
    }
    frames
}

impl SyntheticField {
    /// Writes the field as a bundle (the layout of `docs/data-format.md`) into `dir`, which is
    /// created if missing. Functional matrices are not written: readers derive them from the
    /// spikes, as for MICrONS fields that ship only spikes.
    pub fn write_bundle(&self, dir: &Path) -> Result<(), DataError> {
        let key = &self.config.field_key;
        let functional_dir = dir.join("functional").join(key);
        fs::create_dir_all(&functional_dir).map_err(|e| DataError::io(&functional_dir, e))?;
        let n = self.nucleus_ids.len();

        let n_connections = self.synapses.iter().filter(|&&c| c > 0.0).count();
        let fields = format!(
            "field_key,n_neurons,n_connections,n_synapses,functional_matrices,spikes,study_grid_shape\n\
             {key},{n},{n_connections},{},none,1,\n",
            self.synapses.sum()
        );
        let mut units = String::from("field_key,row,unit_id,nucleus_id\n");
        let mut neurons = String::from("nucleus_id,x_um,y_um,z_um,depth_um\n");
        for (row, &nucleus_id) in self.nucleus_ids.iter().enumerate() {
            units.push_str(&format!("{key},{row},{},{nucleus_id}\n", row + 1));
            let p = self.positions_um.row(row);
            neurons.push_str(&format!(
                "{nucleus_id},{},{},{},{}\n",
                p[0], p[1], p[2], p[1]
            ));
        }
        let mut synapses =
            String::from("pre_nucleus_id,post_nucleus_id,n_synapses,source_fields\n");
        for ((pre, post), &count) in self.synapses.indexed_iter() {
            if count > 0.0 {
                synapses.push_str(&format!(
                    "{},{},{count},{key}\n",
                    self.nucleus_ids[pre], self.nucleus_ids[post]
                ));
            }
        }
        for (name, text) in [
            ("fields.csv", &fields),
            ("units.csv", &units),
            ("neurons.csv", &neurons),
            ("synapses.csv", &synapses),
        ] {
            write_file(&dir.join(name), text.as_bytes())?;
        }

        let flat: Vec<u16> = self.spike_frames.iter().flatten().copied().collect();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0i64);
        for train in &self.spike_frames {
            offsets.push(offsets.last().copied().unwrap_or(0) + train.len() as i64);
        }
        write_npy(
            &functional_dir.join("spike_frames.npy"),
            &Array1::from(flat),
        )?;
        write_npy(
            &functional_dir.join("spike_offsets.npy"),
            &Array1::from(offsets),
        )?;
        Ok(())
    }

    /// Writes the bundle into `dir` and loads the field back through [`Bundle`], so a synthetic
    /// field goes through exactly the reader real data goes through.
    pub fn write_and_load(&self, dir: &Path) -> Result<CorticalField, DataError> {
        self.write_bundle(dir)?;
        Bundle::open(dir)?.load_field(&self.config.field_key)
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let mut file = fs::File::create(path).map_err(|e| DataError::io(path, e))?;
    file.write_all(bytes).map_err(|e| DataError::io(path, e))
}

fn write_npy<T: ndarray_npy::WritableElement>(
    path: &Path,
    array: &Array1<T>,
) -> Result<(), DataError> {
    let file = fs::File::create(path).map_err(|e| DataError::io(path, e))?;
    array
        .write_npy(std::io::BufWriter::new(file))
        .map_err(|e| DataError::Npy {
            path: path.into(),
            message: e.to_string(),
            expected: "a writable 1-D array".into(),
        })
}
