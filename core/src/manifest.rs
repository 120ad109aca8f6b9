//! The model manifest: the one contract between the trainer, which writes it beside (and
//! inside) every exported ONNX file, and the server, which validates uploads against it.
//!
//! A manifest says what the network is (task, variant, positive flag, sizes, α), where its
//! structure came from (dataset, field, distance spec, bio-init recipe), how it was trained
//! (the full protocol and every seed, so the run can be repeated bit for bit), what the graph's
//! inputs and outputs are called, and what training measured. `onnx_sha256` is the checksum of
//! the ONNX file; the copy embedded in the ONNX file's `metadata_props` leaves it out (a file
//! cannot contain its own hash), so it is filled in the `manifest.json` beside the file and in
//! uploads.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::network::Variant;
use crate::network::distance::DistanceSpec;
use crate::network::init::BioInitConfig;
use crate::task::{Task, TaskConfig, TaskKind};

/// The manifest schema this build writes and reads.
pub const MANIFEST_SCHEMA_VERSION: u32 = 1;

/// The most recurrent units a manifest may declare. With [`crate::task::MAX_TRIAL_STEPS`] it
/// bounds one trial's hidden states at 10,000 × 2,048 × 4 B = 82 MB.
pub const MAX_HIDDEN_SIZE: usize = 2048;
/// The longest model name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest dataset name, field key, graph input/output name or `created_by`, in bytes.
pub const MAX_KEY_CHARS: usize = 64;

/// Everything known about one trained network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelManifest {
    pub schema_version: u32,
    /// A human-readable name, e.g. `6_6_2-go-nogo-W*D*C-s7`: 1 to 200 characters, no
    /// control characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub task: TaskKind,
    /// The task's full configuration (timing, coherences, noise).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub task_config: TaskConfig,
    pub variant: Variant,
    /// Whether W_rec was projected to ≥ 0 after every update.
    pub positive: bool,
    pub dataset: DatasetRef,
    /// N, the number of recurrent units, 1 to 2,048.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 2048))]
    pub hidden_size: usize,
    pub n_inputs: usize,
    pub n_outputs: usize,
    /// Leak α of the cell; 1 is the study's discrete-time RNN.
    pub alpha: f64,
    /// The master seed; every random stream of the run is derived from it.
    pub seed: u64,
    pub distance: DistanceSpec,
    /// The bio-init recipe, for `W*` and `W!` variants.
    pub bio_init: Option<BioInitConfig>,
    pub training: TrainingProtocol,
    pub onnx: OnnxSignature,
    /// What training measured, once it has run.
    pub outcome: Option<TrainingOutcome>,
    /// Lower-case hex SHA-256 of the ONNX file.
    pub onnx_sha256: Option<String>,
    /// The software that wrote the manifest, e.g. `blueprint-trainer 0.1.0`.
    pub created_by: String,
}

/// Which cortical field the network's structure came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetRef {
    /// The bundle's name, e.g. `minnie65_cortical_blueprint`, or `synthetic`: 1 to 64 of
    /// `A-Z a-z 0-9 . _ -`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")
    )]
    pub name: String,
    /// The field key, e.g. `6_6_2`: 1 to 64 of `A-Z a-z 0-9 . _ -`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")
    )]
    pub field: String,
    /// The synthetic generator's seed, for synthetic fields.
    pub synthetic_seed: Option<u64>,
}

/// The training protocol. `Default` is the study's (see `shared/STUDY.md`), with Blueprint's
/// corrections of the reference code's defects on and each compatibility switch off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingProtocol {
    pub epochs: usize,
    pub batch_size: usize,
    pub train_trials: usize,
    pub val_trials: usize,
    /// Adam learning rate, β1, β2, ε (Keras defaults).
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    /// λ of the weight penalty.
    pub lambda: f64,
    /// λ_EMD of the `C*` variants' distribution term.
    pub lambda_emd: f64,
    /// σ of the Gaussian input noise, training only.
    pub input_noise: f64,
    /// How the weight penalty's λ part is normalised: `sum` over the N² entries (the study's)
    /// or their `mean` (the same strength at any N).
    pub penalty_normalisation: PenaltyNormalisation,
    pub compat: CompatFlags,
}

/// Sum or mean of the penalty's N² entries. The EMD term of the `C*` variants is a mean in
/// either case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PenaltyNormalisation {
    /// λ·Σ over entries, the study's: its strength grows with N² while bio-init entries
    /// shrink as 1/N.
    #[default]
    Sum,
    /// λ·mean over entries (λ/N² · Σ).
    Mean,
}

impl PenaltyNormalisation {
    /// The factor on λ for an `n`-unit network.
    pub fn lambda_scale(self, n: usize) -> f64 {
        match self {
            PenaltyNormalisation::Sum => 1.0,
            PenaltyNormalisation::Mean => 1.0 / (n as f64 * n as f64),
        }
    }
}

impl Default for TrainingProtocol {
    fn default() -> Self {
        TrainingProtocol {
            epochs: 10,
            batch_size: 128,
            train_trials: 5120,
            val_trials: 2560,
            learning_rate: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
            lambda: 0.3,
            lambda_emd: 0.1,
            input_noise: 0.05,
            penalty_normalisation: PenaltyNormalisation::Sum,
            compat: CompatFlags::default(),
        }
    }
}

/// Switches that restore a defect of the study's reference code, to reproduce its numbers and
/// measure the correction. All off by default. (The distance defect is
/// `DistanceSpec::Real { mode: Compat }`.)
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompatFlags {
    /// The `W` baseline ignores λ (effective λ = 1).
    pub w_ignores_lambda: bool,
    /// Empirical communicability with ε = 1e-10 on zero strengths instead of isolating them.
    pub empirical_epsilon: bool,
    /// Positive-only random baselines start from the clipped orthogonal matrix (spectral radius
    /// ≈ 0.4·√N) instead of being rescaled to 0.95.
    pub unscaled_positive_baseline: bool,
}

/// Names of the ONNX graph's inputs and outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnnxSignature {
    /// `[batch, time, n_in]` float32.
    pub input: String,
    /// `[batch, n_out]` float32, the readout of the final step.
    pub logits: String,
    /// `[batch, time, N]` float32, every hidden state.
    pub hidden: String,
    pub opset: i64,
}

impl Default for OnnxSignature {
    fn default() -> Self {
        OnnxSignature {
            input: "x".into(),
            logits: "logits".into(),
            hidden: "hidden".into(),
            opset: 17,
        }
    }
}

/// What training measured. Held-out validation accuracy is the headline; the study reported
/// last-epoch training accuracy, kept here under its own name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingOutcome {
    /// Accuracy on the held-out validation trials after the last epoch.
    pub val_accuracy: f64,
    pub val_loss: f64,
    /// Mean accuracy over the last epoch's training batches (the study's reported number).
    pub train_accuracy_last_epoch: f64,
    pub train_loss_last_epoch: f64,
    /// Value of the weight penalty R(W_rec) at the end.
    pub regulariser: f64,
    pub epochs_run: usize,
    pub wall_seconds: f64,
}

/// A manifest that contradicts itself or this build.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ManifestError {
    #[error("manifest schema version {found} is not supported (this build reads {supported})")]
    SchemaVersion { found: u32, supported: u32 },
    #[error("manifest field `{field}` is {found} but {reason}")]
    Inconsistent {
        field: &'static str,
        found: String,
        reason: String,
    },
    #[error("manifest is not valid JSON for this schema: {0}")]
    Json(String),
}

impl ModelManifest {
    /// The manifest of a network of `hidden_size` units for `task_config`, before training: the
    /// study's protocol, α = 1, seed 0, no distance, no bio init, no outcome, no checksum.
    /// Callers override what they know (struct update syntax).
    pub fn untrained(
        name: impl Into<String>,
        task_config: TaskConfig,
        variant: Variant,
        dataset: DatasetRef,
        hidden_size: usize,
    ) -> ModelManifest {
        // Input and output sizes depend on the kind of task, not on its timing.
        let sizes = Task::default_for(task_config.kind());
        ModelManifest {
            schema_version: MANIFEST_SCHEMA_VERSION,
            name: name.into(),
            task: task_config.kind(),
            task_config,
            variant,
            positive: false,
            dataset,
            hidden_size,
            n_inputs: sizes.n_inputs(),
            n_outputs: sizes.n_outputs(),
            alpha: 1.0,
            seed: 0,
            distance: DistanceSpec::None,
            bio_init: None,
            training: TrainingProtocol::default(),
            onnx: OnnxSignature::default(),
            outcome: None,
            onnx_sha256: None,
            created_by: format!("blueprint {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// Parses and validates a manifest.
    pub fn from_json(text: &str) -> Result<ModelManifest, ManifestError> {
        let manifest: ModelManifest =
            serde_json::from_str(text).map_err(|e| ManifestError::Json(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manifest serialises")
    }

    /// Checks that the manifest agrees with itself: the task config is the task's, sizes agree
    /// with the task, α is in (0, 1], the checksum looks like SHA-256.
    pub fn validate(&self) -> Result<(), ManifestError> {
        let inconsistent = |field: &'static str, found: String, reason: String| {
            Err(ManifestError::Inconsistent {
                field,
                found,
                reason,
            })
        };
        if self.schema_version != MANIFEST_SCHEMA_VERSION {
            return Err(ManifestError::SchemaVersion {
                found: self.schema_version,
                supported: MANIFEST_SCHEMA_VERSION,
            });
        }
        if self.task_config.kind() != self.task {
            return inconsistent(
                "task_config",
                self.task_config.kind().to_string(),
                format!("the manifest's task is {}", self.task),
            );
        }
        let task = match Task::new(self.task_config.clone()) {
            Ok(task) => task,
            Err(e) => return inconsistent("task_config", "invalid".into(), e.to_string()),
        };
        if self.n_inputs != task.n_inputs() {
            return inconsistent(
                "n_inputs",
                self.n_inputs.to_string(),
                format!("task {} has {} inputs", self.task, task.n_inputs()),
            );
        }
        if self.n_outputs != task.n_outputs() {
            return inconsistent(
                "n_outputs",
                self.n_outputs.to_string(),
                format!("task {} has {} outputs", self.task, task.n_outputs()),
            );
        }
        if self.hidden_size == 0 {
            return inconsistent("hidden_size", "0".into(), "a network needs units".into());
        }
        if self.hidden_size > MAX_HIDDEN_SIZE {
            return inconsistent(
                "hidden_size",
                self.hidden_size.to_string(),
                format!("at most {MAX_HIDDEN_SIZE} units are allowed"),
            );
        }
        let name_chars = self.name.chars().count();
        if name_chars == 0 || name_chars > MAX_NAME_CHARS {
            return inconsistent(
                "name",
                format!("{name_chars} characters long"),
                format!("it must have 1 to {MAX_NAME_CHARS} characters"),
            );
        }
        if self.name.chars().any(char::is_control) {
            return inconsistent(
                "name",
                format!("{:?}", self.name),
                "it must not contain control characters".into(),
            );
        }
        for (field, value) in [
            ("dataset.name", &self.dataset.name),
            ("dataset.field", &self.dataset.field),
            ("onnx.input", &self.onnx.input),
            ("onnx.logits", &self.onnx.logits),
            ("onnx.hidden", &self.onnx.hidden),
        ] {
            if !is_key(value) {
                return inconsistent(
                    field,
                    format!("{:?}", truncated(value)),
                    format!("it must be 1 to {MAX_KEY_CHARS} of A-Z a-z 0-9 . _ -"),
                );
            }
        }
        if self.created_by.chars().count() > MAX_NAME_CHARS
            || self.created_by.chars().any(char::is_control)
        {
            return inconsistent(
                "created_by",
                format!("{:?}", truncated(&self.created_by)),
                format!("it must have at most {MAX_NAME_CHARS} characters, none a control"),
            );
        }
        if self.onnx.opset != crate::onnx::OPSET {
            return inconsistent(
                "onnx.opset",
                self.onnx.opset.to_string(),
                format!("Blueprint graphs use opset {}", crate::onnx::OPSET),
            );
        }
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return inconsistent(
                "alpha",
                self.alpha.to_string(),
                "it must be in (0, 1]".into(),
            );
        }
        if self.variant.needs_activity() && self.bio_init.is_none() {
            return inconsistent(
                "bio_init",
                "null".into(),
                format!("variant {} is bio-initialised", self.variant),
            );
        }
        if let Some(hash) = &self.onnx_sha256 {
            let is_hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
            if !is_hex {
                return inconsistent(
                    "onnx_sha256",
                    hash.clone(),
                    "it must be 64 hex digits".into(),
                );
            }
        }
        Ok(())
    }
}

/// A short key from a safe alphabet: 1 to [`MAX_KEY_CHARS`] of `A-Z a-z 0-9 . _ -`.
fn is_key(value: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The first 40 characters of `value`, for messages about values that may be huge.
fn truncated(value: &str) -> String {
    let mut short: String = value.chars().take(40).collect();
    if short.len() < value.len() {
        short.push('…');
    }
    short
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::network::distance::RealDistanceMode;

    pub(crate) fn example() -> ModelManifest {
        let dataset = DatasetRef {
            name: "minnie65_cortical_blueprint".into(),
            field: "6_6_2".into(),
            synthetic_seed: None,
        };
        let task = TaskConfig::default_for(TaskKind::GoNogo);
        ModelManifest {
            seed: 7,
            distance: DistanceSpec::Real {
                mode: RealDistanceMode::Isotropic,
                control: Default::default(),
            },
            bio_init: Some(BioInitConfig::default()),
            onnx_sha256: Some(sha256_hex(b"onnx")),
            ..ModelManifest::untrained(
                "6_6_2-go-nogo-W*D*C-s7",
                task,
                Variant::BioDRealC,
                dataset,
                312,
            )
        }
    }

    #[test]
    fn an_untrained_manifest_takes_its_sizes_from_the_task() {
        let manifest = example();
        assert_eq!((manifest.n_inputs, manifest.n_outputs), (3, 2));
        assert_eq!(manifest.task, TaskKind::GoNogo);
        manifest.validate().unwrap();
    }

    #[test]
    fn a_manifest_round_trips_through_json() {
        let manifest = example();
        let json = manifest.to_json();
        assert!(json.contains("\"variant\": \"W*D*C\""), "{json}");
        assert!(json.contains("\"task\": \"go-nogo\""));
        assert_eq!(ModelManifest::from_json(&json).unwrap(), manifest);
    }

    #[test]
    fn the_default_protocol_is_the_studys() {
        let protocol = TrainingProtocol::default();
        assert_eq!(protocol.train_trials / protocol.batch_size, 40);
        assert_eq!(
            protocol.epochs * protocol.train_trials / protocol.batch_size,
            400
        );
        assert_eq!((protocol.lambda, protocol.lambda_emd), (0.3, 0.1));
        assert_eq!(protocol.epsilon, 1e-7);
        assert_eq!(protocol.compat, CompatFlags::default());
    }

    #[test]
    fn contradictions_are_named() {
        let mut wrong_inputs = example();
        wrong_inputs.n_inputs = 8;
        let message = wrong_inputs.validate().unwrap_err().to_string();
        assert!(
            message.contains("n_inputs") && message.contains("3 inputs"),
            "{message}"
        );

        let mut wrong_task = example();
        wrong_task.task = TaskKind::PerceptualDm;
        assert!(matches!(
            wrong_task.validate(),
            Err(ManifestError::Inconsistent {
                field: "task_config",
                ..
            })
        ));

        let mut no_bio = example();
        no_bio.bio_init = None;
        assert!(no_bio.validate().unwrap_err().to_string().contains("W*D*C"));

        let mut bad_hash = example();
        bad_hash.onnx_sha256 = Some("xyz".into());
        assert!(bad_hash.validate().is_err());

        let mut future = example();
        future.schema_version = 2;
        assert_eq!(
            future.validate().unwrap_err(),
            ManifestError::SchemaVersion {
                found: 2,
                supported: 1
            }
        );
    }

    #[test]
    fn sizes_and_strings_beyond_the_limits_are_named() {
        let refused = |edit: &dyn Fn(&mut ModelManifest), field: &str| {
            let mut manifest = example();
            edit(&mut manifest);
            let message = manifest.validate().unwrap_err().to_string();
            assert!(message.contains(field), "{field}: {message}");
        };
        refused(&|m| m.hidden_size = MAX_HIDDEN_SIZE + 1, "hidden_size");
        refused(&|m| m.name = "x".repeat(MAX_NAME_CHARS + 1), "name");
        refused(&|m| m.name = String::new(), "name");
        refused(&|m| m.name = "a\nb".into(), "name");
        refused(&|m| m.dataset.field = "../etc".into(), "dataset.field");
        refused(&|m| m.dataset.name = "x".repeat(1_000_000), "dataset.name");
        refused(&|m| m.onnx.logits = "log its".into(), "onnx.logits");
        refused(&|m| m.onnx.opset = 21, "onnx.opset");
        let mut largest = example();
        largest.hidden_size = MAX_HIDDEN_SIZE;
        largest.name = "é".repeat(MAX_NAME_CHARS);
        largest.validate().unwrap();
    }

    #[test]
    fn unknown_variants_in_json_are_refused() {
        let json = example().to_json().replace("\"W*D*C\"", "\"W*X\"");
        assert!(matches!(
            ModelManifest::from_json(&json),
            Err(ManifestError::Json(_))
        ));
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
