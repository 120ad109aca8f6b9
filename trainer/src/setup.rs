//! Turning a config into a network ready to train: the field, the task, the initial weights
//! and the variant's penalty.

use anyhow::{Context, Result, bail};
use ndarray::{Array1, Array2};

use blueprint_core::data::synthetic::{self, SyntheticConfig};
use blueprint_core::data::{Bundle, CorticalField};
use blueprint_core::manifest::DatasetRef;
use blueprint_core::network::distance::{
    DistanceControl, DistanceSpec, GridLattice, RealDistanceMode, control_distance,
    cube_like_shape, grid_distance, real_distance,
};
use blueprint_core::network::expm::counting_flops;
use blueprint_core::network::init::{self, BioInitConfig, BioSource};
use blueprint_core::network::rnn::{RnnWeights, glorot_uniform};
use blueprint_core::network::{CommunicabilityKind, DistanceKind, InitKind};
use blueprint_core::seed::{SeedStream, stream_rng};
use blueprint_core::task::Task;

use crate::config::{DataSource, TrainConfig};
use crate::regulariser::{Regulariser, empirical_communicability_sorted};

/// A network about to be trained.
#[derive(Debug)]
pub struct Prepared {
    pub field: CorticalField,
    pub dataset: DatasetRef,
    pub task: Task,
    pub weights: RnnWeights<f64>,
    pub regulariser: Regulariser,
    pub distance: DistanceSpec,
    pub bio_init: Option<BioInitConfig>,
}

/// Loads the field named by the config (a synthetic one is written into the run folder first,
/// so it goes through the same reader as real data and stays inspectable).
pub fn load_field(config: &TrainConfig) -> Result<(CorticalField, DatasetRef)> {
    match &config.data {
        DataSource::Bundle { path, field } => {
            let bundle = Bundle::open(path)
                .with_context(|| format!("could not open the bundle at {}", path.display()))?;
            let loaded = bundle.load_field(field)?;
            let dataset = DatasetRef {
                name: loaded.dataset.clone(),
                field: field.clone(),
                synthetic_seed: None,
            };
            Ok((loaded, dataset))
        }
        DataSource::Synthetic { n_neurons, seed } => {
            let synthetic_config = SyntheticConfig {
                n_neurons: *n_neurons,
                seed: *seed,
                ..SyntheticConfig::default()
            };
            let generated = synthetic::generate(&synthetic_config)?;
            let dir = config.out.join("synthetic-bundle");
            let field = generated.write_and_load(&dir)?;
            let dataset = DatasetRef {
                name: "synthetic".into(),
                field: synthetic_config.field_key,
                synthetic_seed: Some(*seed),
            };
            Ok((field, dataset))
        }
    }
}

/// Builds the initial weights and the penalty of `config.variant` on its field.
pub fn prepare(config: &TrainConfig) -> Result<Prepared> {
    let (field, dataset) = load_field(config)?;
    let task = Task::new(config.task.clone())?;
    let n = field.n_neurons();
    let (init_kind, distance_kind, communicability_kind) = config.variant.factors();
    let mut rng = stream_rng(config.seed, SeedStream::Init);

    let (w_rec, bio_init) = match init_kind {
        InitKind::Orthogonal => {
            let mut w = init::orthogonal(n, &mut rng);
            if config.positive && !config.protocol.compat.unscaled_positive_baseline {
                // Clipping an orthogonal matrix leaves spectral radius ≈ 0.4·√N; the fair
                // positive baseline starts where the bio init starts, at 0.95.
                w.mapv_inplace(|v| v.max(0.0));
                init::scale_to_spectral_radius(&mut w, 0.95)?;
            }
            (w, None)
        }
        InitKind::Bio | InitKind::PermutedBio => {
            let w = if config.bio_init.source == BioSource::Connectome {
                init::connectome(field.synapses.view(), &config.bio_init, &mut rng)?
            } else {
                init::bio(field.require_functional()?, &config.bio_init, &mut rng)?
            };
            let w = if init_kind == InitKind::PermutedBio {
                init::permute(
                    w.view(),
                    &mut stream_rng(config.seed, SeedStream::Permutation),
                )
                .0
            } else {
                w
            };
            let w = config
                .bio_init
                .control
                .apply(w, &mut stream_rng(config.seed, SeedStream::Control))?;
            (w, Some(config.bio_init.clone()))
        }
    };
    let weights = RnnWeights {
        w_in: glorot_uniform(task.n_inputs(), n, &mut rng),
        w_rec,
        b: Array1::zeros(n),
        w_out: glorot_uniform(n, task.n_outputs(), &mut rng),
        b_out: Array1::zeros(task.n_outputs()),
        alpha: config.alpha,
    };

    let (distance_spec, distance): (DistanceSpec, Option<Array2<f64>>) = match distance_kind {
        DistanceKind::None => (DistanceSpec::None, None),
        DistanceKind::Grid => {
            let synthetic = matches!(config.data, DataSource::Synthetic { .. });
            let (lattice, shape) = match config.grid_lattice {
                GridLattice::Study => match field.study_grid_shape {
                    Some(shape) => (GridLattice::Study, shape),
                    // A synthetic field has no study shape: it gets the cube-like lattice,
                    // recorded as such in the manifest.
                    None if synthetic => (GridLattice::CubeLike, cube_like_shape(n)),
                    None => bail!(
                        "field `{}` has no study grid shape; pass --grid-lattice cube-like",
                        field.key
                    ),
                },
                GridLattice::CubeLike => (GridLattice::CubeLike, cube_like_shape(n)),
            };
            (
                DistanceSpec::Grid { lattice, shape },
                Some(grid_distance(n, shape)?),
            )
        }
        DistanceKind::Real => {
            let real = real_distance(field.positions_um.view(), config.distance_mode)?;
            let distance = match config.distance_control {
                DistanceControl::None => real,
                control => {
                    let compat =
                        real_distance(field.positions_um.view(), RealDistanceMode::Compat)?;
                    control_distance(
                        real.view(),
                        compat.view(),
                        control,
                        &mut stream_rng(config.seed, SeedStream::Control),
                    )?
                }
            };
            (
                DistanceSpec::Real {
                    mode: config.distance_mode,
                    control: config.distance_control,
                },
                Some(distance),
            )
        }
    };

    // `--penalty-normalisation mean` divides the λ part by N² (the EMD term is a mean already).
    let scale = config
        .protocol
        .penalty_normalisation
        .lambda_scale(weights.hidden_size());
    let lambda = config.protocol.lambda * scale;
    let regulariser = match (communicability_kind, distance) {
        (CommunicabilityKind::None, None) => Regulariser::L1 {
            lambda: if config.protocol.compat.w_ignores_lambda {
                scale
            } else {
                lambda
            },
        },
        (CommunicabilityKind::None, Some(distance)) => Regulariser::Distance { lambda, distance },
        (CommunicabilityKind::Direct, Some(distance)) => {
            Regulariser::Communicability { lambda, distance }
        }
        (CommunicabilityKind::EmpiricalEmd, Some(distance)) => {
            let epsilon = config.protocol.compat.empirical_epsilon.then_some(1e-10);
            Regulariser::EmpiricalEmd {
                lambda,
                distance,
                lambda_emd: config.protocol.lambda_emd,
                // In a scope of its own: a study's cells share a pool, and outside any scope
                // these products would land in the count of a penalty this thread is
                // helping with when it took this job. Set-up is not counted.
                empirical_sorted: counting_flops(|| {
                    empirical_communicability_sorted(field.synapses.view(), epsilon)
                })
                .0?,
            }
        }
        (kind, None) => bail!(
            "variant {} has communicability {kind:?} but no distance",
            config.variant
        ),
    };

    Ok(Prepared {
        field,
        dataset,
        task,
        weights,
        regulariser,
        distance: distance_spec,
        bio_init,
    })
}
