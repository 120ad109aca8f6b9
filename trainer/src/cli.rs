//! The command line. Every protocol number of the study is a flag whose default is the
//! study's; the flags become a [`TrainConfig`], validated and saved before training.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use blueprint_core::data::synthetic::SyntheticConfig;
use blueprint_core::manifest::{CompatFlags, PenaltyNormalisation, TrainingProtocol};
use blueprint_core::network::Variant;
use blueprint_core::network::distance::{DistanceControl, GridLattice, RealDistanceMode};
use blueprint_core::network::init::{BioInitConfig, BioSource, InitControl};
use blueprint_core::task::{TaskConfig, TaskKind};

use crate::config::{DataSource, TrainConfig};
use crate::train::{Progress, train_and_save};

/// Train cortically constrained RNNs, export ONNX, register them with a Blueprint server.
#[derive(Debug, Parser)]
#[command(name = "blueprint-trainer", version, about, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train one network variant on one task and write runs/NAME/.
    Train(Box<TrainArgs>),
    /// Train every (task, variant, seed) combination, in parallel across cores.
    Grid(Box<GridArgs>),
    /// The whole study as one resumable job: plan, run (here or as a Slurm array), status.
    Study {
        #[command(subcommand)]
        command: crate::study::StudyCommand,
    },
    /// Upload an existing run folder to a server.
    Register {
        /// The run folder (holding model.onnx and manifest.json).
        run: PathBuf,
        /// The server's base URL, e.g. http://127.0.0.1:8080.
        #[arg(long, env = "BLUEPRINT_SERVER")]
        server: String,
        /// Bearer token, when the server requires one.
        #[arg(long, env = "BLUEPRINT_TOKEN")]
        token: Option<String>,
    },
    /// Inspect, generate or export cortical datasets.
    #[command(subcommand)]
    Dataset(DatasetCommand),
}

#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Print a field's summary: neurons, synapses, density, distances, functional matrices.
    Describe {
        /// The bundle folder.
        #[arg(long)]
        data: PathBuf,
        /// The field key, e.g. 6_6_2.
        #[arg(long)]
        field: String,
    },
    /// Write a synthetic bundle.
    Synth {
        /// Number of neurons.
        #[arg(long, default_value_t = 300)]
        n: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Recording length in seconds.
        #[arg(long, default_value_t = 1800.0)]
        duration: f64,
        /// The bundle folder to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write what a network is built from: positions_um.csv and float64 .npy matrices.
    Export {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        field: String,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Where the field comes from.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The bundle folder (see docs/data-format.md).
    #[arg(
        long,
        required_unless_present = "synthetic",
        conflicts_with = "synthetic"
    )]
    pub data: Option<PathBuf>,
    /// The field key, e.g. 6_6_2.
    #[arg(long, requires = "data")]
    pub field: Option<String>,
    /// Train on a synthetic field of N neurons instead of --data.
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Seed of the synthetic field.
    #[arg(long, default_value_t = 0)]
    pub synthetic_seed: u64,
}

impl DataArgs {
    pub fn source(&self) -> Result<DataSource> {
        match (&self.data, &self.field, self.synthetic) {
            (Some(path), Some(field), None) => Ok(DataSource::Bundle {
                path: path.clone(),
                field: field.clone(),
            }),
            (Some(_), None, _) => anyhow::bail!("--data needs --field (e.g. --field 6_6_2)"),
            (None, _, Some(n_neurons)) => Ok(DataSource::Synthetic {
                n_neurons,
                seed: self.synthetic_seed,
            }),
            _ => anyhow::bail!("pass --data DIR --field KEY, or --synthetic N"),
        }
    }
}

/// The protocol: every number of the study, defaulting to the study's.
#[derive(Clone, Debug, Args)]
pub struct ProtocolArgs {
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    #[arg(long, default_value_t = 128)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 5120)]
    pub train_trials: usize,
    #[arg(long, default_value_t = 2560)]
    pub val_trials: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    #[arg(long, default_value_t = 0.9)]
    pub beta1: f64,
    #[arg(long, default_value_t = 0.999)]
    pub beta2: f64,
    #[arg(long, default_value_t = 1e-7)]
    pub epsilon: f64,
    /// λ of the weight penalty.
    #[arg(long, default_value_t = 0.3)]
    pub lambda: f64,
    /// λ_EMD of the C* variants.
    #[arg(long, default_value_t = 0.1)]
    pub lambda_emd: f64,
    /// σ of the Gaussian input noise (training only).
    #[arg(long, default_value_t = 0.05)]
    pub input_noise: f64,
    /// The penalty's λ part over the N² entries: `sum` (the study's) or `mean` (λ/N² · sum,
    /// the same strength at any N).
    #[arg(long, value_enum, default_value_t = PenaltyNormalisation::Sum)]
    pub penalty_normalisation: PenaltyNormalisation,
    /// Leak α of the cell; 1 is the study's discrete-time RNN.
    #[arg(long, default_value_t = 1.0)]
    pub alpha: f64,
    /// Normalisation of real distances (D*).
    #[arg(long, value_enum, default_value_t = RealDistanceMode::Isotropic)]
    pub distance_mode: RealDistanceMode,
    /// Lattice of the grid distance (D).
    #[arg(long, value_enum, default_value_t = GridLattice::Study)]
    pub grid_lattice: GridLattice,
    /// Activity matrices of the bio init.
    #[arg(long, value_enum, default_value_t = BioSource::CorrSttc)]
    pub bio_source: BioSource,
    /// Exclude the diagonal from the bio init's min–max scaling (and zero it).
    #[arg(long)]
    pub bio_exclude_diagonal: bool,
    /// A control of the bio init: `shuffle` all entries (the distribution without structure)
    /// or `resample` values on the same support (the graph without its strong edges).
    #[arg(long, value_enum, default_value_t = InitControl::None)]
    pub init_control: InitControl,
    /// A control of the real distances D*: `shuffled` (neuron labels permuted: distribution
    /// kept, geometry gone), `scale-matched` (rescaled to the compat D*'s mean), `rank-matched`
    /// (the true order of pairs carrying the compat D*'s values).
    #[arg(long, value_enum, default_value_t = DistanceControl::None)]
    pub distance_control: DistanceControl,
    /// Reproduce every defect of the study's reference code (all switches below, plus
    /// --distance-mode compat).
    #[arg(long)]
    pub compat: bool,
    /// Reference defect: the W baseline ignores λ (effective λ = 1).
    #[arg(long)]
    pub compat_w_lambda: bool,
    /// Reference defect: empirical communicability with ε = 1e-10 on zero strengths.
    #[arg(long)]
    pub compat_empirical_epsilon: bool,
    /// Reference defect: positive random baselines start clipped, unscaled (radius ≈ 0.4·√N).
    #[arg(long)]
    pub compat_positive_baseline: bool,
}

/// What one run trains.
#[derive(Clone, Copy, Debug)]
pub struct RunChoice {
    pub task: TaskKind,
    pub variant: Variant,
    pub positive: bool,
    pub seed: u64,
}

impl ProtocolArgs {
    /// The validated config of one run.
    pub fn config(&self, data: DataSource, run: RunChoice, out: PathBuf) -> Result<TrainConfig> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let config = TrainConfig {
            name,
            data,
            task: TaskConfig::default_for(run.task),
            variant: run.variant,
            positive: run.positive,
            seed: run.seed,
            alpha: self.alpha,
            protocol: TrainingProtocol {
                epochs: self.epochs,
                batch_size: self.batch_size,
                train_trials: self.train_trials,
                val_trials: self.val_trials,
                learning_rate: self.lr,
                beta1: self.beta1,
                beta2: self.beta2,
                epsilon: self.epsilon,
                lambda: self.lambda,
                lambda_emd: self.lambda_emd,
                input_noise: self.input_noise,
                penalty_normalisation: self.penalty_normalisation,
                compat: CompatFlags {
                    w_ignores_lambda: self.compat || self.compat_w_lambda,
                    empirical_epsilon: self.compat || self.compat_empirical_epsilon,
                    unscaled_positive_baseline: self.compat || self.compat_positive_baseline,
                },
            },
            distance_mode: if self.compat {
                RealDistanceMode::Compat
            } else {
                self.distance_mode
            },
            distance_control: self.distance_control,
            grid_lattice: self.grid_lattice,
            bio_init: BioInitConfig {
                source: self.bio_source,
                exclude_diagonal: self.bio_exclude_diagonal,
                control: self.init_control,
                ..BioInitConfig::default()
            },
            out,
        };
        config.validate()?;
        Ok(config)
    }
}

/// `train`'s flags. Defaults are the study's protocol.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long, value_enum)]
    pub task: TaskKind,
    #[arg(long, value_enum)]
    pub variant: Variant,
    /// Project W_rec to ≥ 0 after every update.
    #[arg(long)]
    pub positive: bool,
    /// Master seed: every random stream of the run derives from it.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The run folder to write (its name is the run's name).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub upload: UploadArgs,
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// No progress bar or per-epoch log lines.
    #[arg(long)]
    pub quiet: bool,
    /// Overwrite a run folder that already holds a run (refused otherwise).
    #[arg(long)]
    pub force: bool,
}

/// The files of a run folder; any of them present means the folder holds a run.
const RUN_FILES: [&str; 4] = [
    "config.json",
    "history.jsonl",
    "model.onnx",
    "manifest.json",
];

impl TrainArgs {
    /// The validated config these flags describe.
    pub fn to_config(&self) -> Result<TrainConfig> {
        let run = RunChoice {
            task: self.task,
            variant: self.variant,
            positive: self.positive,
            seed: self.seed,
        };
        self.protocol
            .config(self.data.source()?, run, self.out.clone())
    }
}

/// `grid`'s flags: every (task, variant, seed) combination, trained in parallel.
#[derive(Debug, Args)]
pub struct GridArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Tasks, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    pub tasks: Vec<TaskKind>,
    /// Variants, comma-separated (default: all eleven).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub variants: Vec<Variant>,
    /// Seeds: a range `1-20` or a list `1,2,5`.
    #[arg(long, default_value = "1-3")]
    pub seeds: String,
    /// Train the positive-only arm.
    #[arg(long)]
    pub positive: bool,
    /// The folder that receives one run folder per combination and summary.csv.
    #[arg(long)]
    pub out: PathBuf,
    /// Runs trained at once (default: the number of cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub upload: UploadArgs,
    #[command(flatten)]
    pub protocol: ProtocolArgs,
}

/// Where finished runs are uploaded.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Upload each finished run to this server.
    #[arg(long, value_name = "URL")]
    pub register: Option<String>,
    /// Bearer token for --register.
    #[arg(long, env = "BLUEPRINT_TOKEN")]
    pub token: Option<String>,
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Train(args) => {
            let config = args.to_config()?;
            if !args.force
                && let Some(file) = RUN_FILES.iter().find(|f| config.out.join(f).exists())
            {
                anyhow::bail!(
                    "{} already holds a run ({file}); pass --force to overwrite it or choose \
                     another --out",
                    config.out.display()
                );
            }
            let progress = if args.quiet {
                Progress::Quiet
            } else {
                Progress::Bar
            };
            let run = train_and_save(&config, progress)?;
            let outcome = run
                .manifest
                .outcome
                .as_ref()
                .expect("a trained run has an outcome");
            println!(
                "{}: validation accuracy {:.4} (last-epoch training accuracy {:.4}) → {}",
                config.name,
                outcome.val_accuracy,
                outcome.train_accuracy_last_epoch,
                config.out.display()
            );
            if let Some(server) = &args.upload.register {
                let registered = crate::register::register_run(
                    &config.out,
                    server,
                    args.upload.token.as_deref(),
                )?;
                println!("registered as {registered}");
            }
            Ok(())
        }
        Command::Grid(args) => crate::grid::run_grid(&args),
        Command::Study { command } => crate::study::run(command),
        Command::Register { run, server, token } => {
            let registered = crate::register::register_run(&run, &server, token.as_deref())?;
            println!("registered as {registered}");
            Ok(())
        }
        Command::Dataset(DatasetCommand::Describe { data, field }) => {
            print!("{}", crate::dataset::describe(&data, &field)?);
            Ok(())
        }
        Command::Dataset(DatasetCommand::Synth {
            n,
            seed,
            duration,
            out,
        }) => {
            let config = SyntheticConfig {
                n_neurons: n,
                seed,
                duration_s: duration,
                ..SyntheticConfig::default()
            };
            crate::dataset::synth(&config, &out)?;
            println!(
                "wrote a synthetic bundle of {n} neurons to {}",
                out.display()
            );
            Ok(())
        }
        Command::Dataset(DatasetCommand::Export { data, field, out }) => {
            crate::dataset::export(&data, &field, &out)?;
            println!("wrote field {field} to {}", out.display());
            Ok(())
        }
    }
}
