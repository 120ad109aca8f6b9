//! The training loop: the study's protocol, seeded stream by stream, one history line per
//! epoch, and the run folder (`config.json` first, then `history.jsonl`, `model.onnx`,
//! `manifest.json`).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array3, ArrayView3, Axis};
use rand::seq::SliceRandom;
use rand_distr::{Distribution, Normal};

use blueprint_core::denormal::FlushDenormals;
use blueprint_core::manifest::{ModelManifest, TrainingOutcome, TrainingProtocol, sha256_hex};
use blueprint_core::network::expm::counting_flops;
use blueprint_core::network::rnn::{RnnWeights, cross_entropy};
use blueprint_core::onnx;
use blueprint_core::seed::{SeedStream, derived_seed, stream_rng};
use blueprint_core::task::TrialBatch;

use crate::config::TrainConfig;
use crate::engine::adam::{Adam, AdamConfig};
use crate::engine::{
    BatchResult, Gradients, SHARDS, Shard, forward_backward_sharded, forward_flops, update_flops,
};
use crate::regulariser::Regulariser;
use crate::setup::{Prepared, prepare};

pub use blueprint_core::history::EpochRecord;

/// A finished run.
#[derive(Debug)]
pub struct TrainedRun {
    pub weights: RnnWeights<f32>,
    pub history: Vec<EpochRecord>,
    pub manifest: ModelManifest,
    pub onnx_bytes: Vec<u8>,
    /// The arithmetic it took.
    pub flops: Flops,
}

/// The arithmetic a run did, to set its wall time against the machine's floor (the FLOPs at
/// the best matrix-product rate measured there). A multiply-add counts 2.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Flops {
    /// Single precision: backpropagation through time and validation, from the shapes.
    pub single: f64,
    /// Double precision: the penalty's matrix products and eliminations, counted as they ran.
    pub double: f64,
}

/// How much the loop reports while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar of epochs and batches, and one log line per epoch.
    Bar,
    Quiet,
}

/// Trains `config` and writes its run folder.
pub fn train_and_save(config: &TrainConfig, progress: Progress) -> Result<TrainedRun> {
    config.validate()?;
    fs::create_dir_all(&config.out)
        .with_context(|| format!("could not create the run folder {}", config.out.display()))?;
    write_atomically(
        &config.out.join("config.json"),
        serde_json::to_string_pretty(config)?.as_bytes(),
    )?;
    let prepared = prepare(config)?;
    let run = train(config, prepared, progress)?;
    let history: String = run
        .history
        .iter()
        .map(|record| serde_json::to_string(record).map(|line| line + "\n"))
        .collect::<Result<_, _>>()?;
    write_atomically(&config.out.join("history.jsonl"), history.as_bytes())?;
    write_atomically(&config.out.join("model.onnx"), &run.onnx_bytes)?;
    write_atomically(
        &config.out.join("manifest.json"),
        run.manifest.to_json().as_bytes(),
    )?;
    Ok(run)
}

/// Writes through a temporary file and a rename, so a killed run never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let partial = path.with_extension("partial");
    let mut file = fs::File::create(&partial)
        .with_context(|| format!("could not write {}", partial.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&partial, path).with_context(|| format!("could not write {}", path.display()))
}

/// The training loop proper.
pub fn train(config: &TrainConfig, prepared: Prepared, progress: Progress) -> Result<TrainedRun> {
    let Prepared {
        field: _,
        dataset,
        task,
        weights,
        regulariser,
        distance,
        bio_init,
    } = prepared;
    let protocol = &config.protocol;
    let train_trials = task.generate(
        protocol.train_trials,
        derived_seed(config.seed, SeedStream::TrainTrials),
    );
    let val_trials = task.generate(
        protocol.val_trials,
        derived_seed(config.seed, SeedStream::ValTrials),
    );
    let mut trainer = Trainer::new(weights.cast(), regulariser, protocol, config.positive);
    let mut shuffle_rng = stream_rng(config.seed, SeedStream::Shuffle);
    let mut noise_rng = stream_rng(config.seed, SeedStream::InputNoise);
    let noise = Normal::new(0.0f32, protocol.input_noise as f32)?;
    let batches_per_epoch = protocol.train_trials.div_ceil(protocol.batch_size);

    let bar = match progress {
        Progress::Bar => {
            let bar = ProgressBar::new((protocol.epochs * batches_per_epoch) as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix} [{elapsed_precise}] {bar:30} epoch {msg} batch {pos}/{len} ({eta})",
                )
                .expect("valid template"),
            );
            bar.set_prefix(config.name.clone());
            bar
        }
        Progress::Quiet => ProgressBar::hidden(),
    };
    let _flush = FlushDenormals::new();
    let started = Instant::now();
    let mut history = Vec::with_capacity(protocol.epochs);
    let mut order: Vec<usize> = (0..protocol.train_trials).collect();
    for epoch in 1..=protocol.epochs {
        bar.set_message(format!("{epoch}/{}", protocol.epochs));
        order.shuffle(&mut shuffle_rng);
        let (mut loss_sum, mut accuracy_sum) = (0.0, 0.0);
        for chunk in order.chunks(protocol.batch_size) {
            let mut inputs = gather(&train_trials.inputs, chunk);
            if protocol.input_noise > 0.0 {
                inputs.mapv_inplace(|v| v + noise.sample(&mut noise_rng));
            }
            let labels: Vec<usize> = chunk.iter().map(|&i| train_trials.labels[i]).collect();
            let result = trainer.step(inputs.view(), &labels)?;
            if !result.loss.is_finite() {
                anyhow::bail!(
                    "run {} diverged in epoch {epoch}: the training loss became {}; no model was \
                     written (lower --learning-rate or --lambda, or check the initial weights)",
                    config.name,
                    result.loss
                );
            }
            loss_sum += f64::from(result.loss);
            accuracy_sum += result.accuracy;
            bar.inc(1);
        }
        check_weights(&trainer.weights, &config.name, epoch)?;
        let (val_loss, val_accuracy) =
            evaluate(&trainer.weights, &val_trials, protocol.batch_size.max(256));
        trainer.count_single(forward_flops, val_trials.inputs.dim());
        let w_rec = trainer.weights.w_rec.mapv(f64::from);
        let (penalty, penalty_flops) =
            counting_flops(|| trainer.regulariser.value_and_grad(w_rec.view()));
        let (penalty, _) = penalty?;
        trainer.flops.double += penalty_flops as f64;
        let record = EpochRecord {
            epoch,
            train_loss: loss_sum / batches_per_epoch as f64,
            train_accuracy: accuracy_sum / batches_per_epoch as f64,
            val_loss,
            val_accuracy,
            regulariser: penalty,
            wall_seconds: started.elapsed().as_secs_f64(),
        };
        if progress == Progress::Bar {
            bar.suspend(|| {
                tracing::info!(
                    run = %config.name,
                    epoch,
                    train_loss = record.train_loss,
                    train_accuracy = record.train_accuracy,
                    val_loss = record.val_loss,
                    val_accuracy = record.val_accuracy,
                    regulariser = record.regulariser,
                    "epoch done"
                )
            });
        }
        history.push(record);
    }
    bar.finish_and_clear();

    let flops = trainer.flops;
    let weights = trainer.weights;
    let last = history.last().cloned().expect("at least one epoch");
    let mut manifest = ModelManifest {
        positive: config.positive,
        alpha: config.alpha,
        seed: config.seed,
        distance,
        bio_init,
        training: protocol.clone(),
        outcome: Some(TrainingOutcome {
            val_accuracy: last.val_accuracy,
            val_loss: last.val_loss,
            train_accuracy_last_epoch: last.train_accuracy,
            train_loss_last_epoch: last.train_loss,
            regulariser: last.regulariser,
            epochs_run: history.len(),
            wall_seconds: last.wall_seconds,
        }),
        created_by: format!("blueprint-trainer {}", env!("CARGO_PKG_VERSION")),
        ..ModelManifest::untrained(
            config.name.clone(),
            task.config().clone(),
            config.variant,
            dataset,
            weights.hidden_size(),
        )
    };
    let onnx_bytes = onnx::export(&weights, &manifest)?;
    manifest.onnx_sha256 = Some(sha256_hex(&onnx_bytes));
    Ok(TrainedRun {
        weights,
        history,
        manifest,
        onnx_bytes,
        flops,
    })
}

/// The state of one network under training: weights, optimiser, penalty, buffers.
#[derive(Debug)]
pub struct Trainer {
    pub weights: RnnWeights<f32>,
    pub regulariser: Regulariser,
    adam: Adam<f32>,
    shards: Vec<Shard<f32>>,
    grads: Gradients<f32>,
    positive: bool,
    /// What the updates so far computed.
    pub flops: Flops,
}

impl Trainer {
    pub fn new(
        weights: RnnWeights<f32>,
        regulariser: Regulariser,
        protocol: &TrainingProtocol,
        positive: bool,
    ) -> Trainer {
        let adam = Adam::new(
            AdamConfig {
                learning_rate: protocol.learning_rate,
                beta1: protocol.beta1,
                beta2: protocol.beta2,
                epsilon: protocol.epsilon,
            },
            &weights,
        );
        let grads = Gradients::zeros_like(&weights);
        Trainer {
            shards: (0..SHARDS).map(|_| Shard::new(&weights)).collect(),
            weights,
            regulariser,
            adam,
            grads,
            positive,
            flops: Flops::default(),
        }
    }

    /// One update: forward and backward through the batch, the penalty's gradient on W_rec
    /// (computed in f64), an Adam step, and the ≥ 0 projection for positive-only networks.
    ///
    /// Everything runs as rayon tasks on the pool that calls it, so one network alone keeps
    /// every core busy and several networks at once share the cores without oversubscribing
    /// them: the batch is split into [`SHARDS`] parts backpropagated concurrently, and the
    /// penalty, which depends only on the current W_rec, not on the batch, runs beside them.
    /// The communicability penalty (a matrix exponential and its Fréchet derivative) splits
    /// its large products and solves into bands (`core::network::expm`), so a thread that has
    /// finished the halves helps with it instead of waiting.
    ///
    /// # Shapes
    /// `inputs: [batch, time, n_in]` (noise already added), `labels: [batch]`.
    pub fn step(&mut self, inputs: ArrayView3<f32>, labels: &[usize]) -> Result<BatchResult<f32>> {
        let _flush = FlushDenormals::new();
        let w_rec = self.weights.w_rec.mapv(f64::from);
        let Trainer {
            weights,
            regulariser,
            shards,
            grads,
            ..
        } = self;
        let backprop = || forward_backward_sharded(weights, inputs, labels, shards, grads);
        let penalty = || {
            let _flush = FlushDenormals::new();
            counting_flops(|| regulariser.value_and_grad(w_rec.view()))
        };
        let (result, (penalty, penalty_flops)) = rayon::join(backprop, penalty);
        let (_, penalty_grad) = penalty?;
        self.count_single(update_flops, inputs.dim());
        self.flops.double += penalty_flops as f64;
        self.grads
            .w_rec
            .zip_mut_with(&penalty_grad, |g, &p| *g += p as f32);
        self.adam.update(&mut self.weights, &self.grads);
        if self.positive {
            self.weights.w_rec.mapv_inplace(|v| v.max(0.0));
        }
        Ok(result)
    }
}

impl Trainer {
    /// Adds the single-precision FLOPs `flops` gives for inputs of `(batch, time, n_in)` on this
    /// network ([`update_flops`] or [`forward_flops`]).
    fn count_single(
        &mut self,
        flops: fn(usize, usize, usize, usize, usize) -> f64,
        (batch, time, n_in): (usize, usize, usize),
    ) {
        self.flops.single += flops(
            batch,
            time,
            n_in,
            self.weights.hidden_size(),
            self.weights.b_out.len(),
        );
    }
}

/// The trials at `indices`, as one batch.
///
/// # Shapes
/// `inputs: [trials, time, n_in]` → `[indices.len(), time, n_in]`.
fn gather(inputs: &Array3<f32>, indices: &[usize]) -> Array3<f32> {
    inputs.select(Axis(0), indices)
}

/// Mean cross-entropy and accuracy of `weights` on `trials`, without noise. The chunks run as
/// rayon tasks and their sums are added in chunk order, so the answer does not depend on the
/// number of threads.
pub fn evaluate(weights: &RnnWeights<f32>, trials: &TrialBatch, batch_size: usize) -> (f64, f64) {
    use rayon::prelude::*;
    let n = trials.labels.len();
    let indices: Vec<usize> = (0..n).collect();
    let sums: Vec<(f64, usize)> = indices
        .par_chunks(batch_size)
        .map(|chunk| {
            let _flush = FlushDenormals::new();
            let inputs = gather(&trials.inputs, chunk);
            let labels: Vec<usize> = chunk.iter().map(|&i| trials.labels[i]).collect();
            let output = weights
                .forward(inputs.view())
                .expect("trained weights match the task's shapes");
            let (losses, predictions) = cross_entropy(&output.logits, &labels);
            let correct = predictions
                .iter()
                .zip(&labels)
                .filter(|(p, l)| p == l)
                .count();
            (losses.iter().map(|&l| f64::from(l)).sum::<f64>(), correct)
        })
        .collect();
    let (loss, correct) = sums
        .into_iter()
        .fold((0.0, 0), |(l, c), (loss, correct)| (l + loss, c + correct));
    (loss / n as f64, correct as f64 / n as f64)
}

/// Stops a diverging run: every weight must stay finite and within the bound the server
/// accepts ([`blueprint_core::onnx::MAX_ABS_WEIGHT`]), or no model is written.
pub fn check_weights(weights: &RnnWeights<f32>, name: &str, epoch: usize) -> Result<()> {
    for (tensor, values) in [
        ("W_in", weights.w_in.as_slice_memory_order()),
        ("W_rec", weights.w_rec.as_slice_memory_order()),
        ("b", weights.b.as_slice_memory_order()),
        ("W_out", weights.w_out.as_slice_memory_order()),
        ("b_out", weights.b_out.as_slice_memory_order()),
    ] {
        let values = values.expect("weights are contiguous");
        if let Some(value) = values
            .iter()
            .find(|value| value.is_nan() || value.abs() > blueprint_core::onnx::MAX_ABS_WEIGHT)
        {
            anyhow::bail!(
                "run {name} diverged in epoch {epoch}: {tensor} holds {value}, beyond the \
                 finite bound {:e}; no model was written (lower --learning-rate or --lambda)",
                blueprint_core::onnx::MAX_ABS_WEIGHT
            );
        }
    }
    Ok(())
}
