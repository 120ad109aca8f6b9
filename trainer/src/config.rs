//! The trainer's validated configuration: what `train` flags become, written to
//! `runs/NAME/config.json` before training starts so that every run can be repeated.

use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use blueprint_core::manifest::TrainingProtocol;
use blueprint_core::network::Variant;
use blueprint_core::network::distance::{DistanceControl, GridLattice, RealDistanceMode};
use blueprint_core::network::init::BioInitConfig;
use blueprint_core::task::{Task, TaskConfig};

/// Where the cortical field comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DataSource {
    /// A bundle folder and one of its fields.
    Bundle { path: PathBuf, field: String },
    /// A synthetic field of `n_neurons`, drawn with `seed`.
    Synthetic { n_neurons: usize, seed: u64 },
}

/// Everything one training run needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub name: String,
    pub data: DataSource,
    pub task: TaskConfig,
    pub variant: Variant,
    pub positive: bool,
    pub seed: u64,
    pub alpha: f64,
    pub protocol: TrainingProtocol,
    pub distance_mode: RealDistanceMode,
    /// A control of the real distances (none by default).
    #[serde(default)]
    pub distance_control: DistanceControl,
    pub grid_lattice: GridLattice,
    pub bio_init: BioInitConfig,
    /// The run folder.
    pub out: PathBuf,
}

impl TrainConfig {
    /// Checks every number before any work starts.
    pub fn validate(&self) -> Result<()> {
        Task::new(self.task.clone())?;
        let p = &self.protocol;
        let positive = [
            ("--epochs", p.epochs as f64),
            ("--batch-size", p.batch_size as f64),
            ("--train-trials", p.train_trials as f64),
            ("--val-trials", p.val_trials as f64),
            ("--lr", p.learning_rate),
            ("--epsilon", p.epsilon),
        ];
        for (flag, value) in positive {
            if !(value > 0.0 && value.is_finite()) {
                bail!("{flag} must be positive, got {value}");
            }
        }
        for (flag, value) in [("--beta1", p.beta1), ("--beta2", p.beta2)] {
            if !(0.0..1.0).contains(&value) {
                bail!("{flag} must be in [0, 1), got {value}");
            }
        }
        for (flag, value) in [
            ("--lambda", p.lambda),
            ("--lambda-emd", p.lambda_emd),
            ("--input-noise", p.input_noise),
        ] {
            if !(value >= 0.0 && value.is_finite()) {
                bail!("{flag} must be non-negative, got {value}");
            }
        }
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            bail!("--alpha must be in (0, 1], got {}", self.alpha);
        }
        if p.batch_size > p.train_trials {
            bail!(
                "--batch-size {} is larger than --train-trials {}",
                p.batch_size,
                p.train_trials
            );
        }
        if let DataSource::Synthetic { n_neurons, .. } = self.data
            && n_neurons < 2
        {
            bail!("--synthetic needs at least 2 neurons, got {n_neurons}");
        }
        if self.name.is_empty() || self.name.contains(['/', '\\']) {
            bail!("the run name `{}` must be a plain folder name", self.name);
        }
        Ok(())
    }
}
