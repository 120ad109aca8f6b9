//! The server's configuration: one clap struct per subcommand, every field documented (the
//! docs double as `--help`) and readable from the environment. `.env.sample` lists the same
//! variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Blueprint's HTTP server: a persistent model store, ONNX Runtime inference and task
/// evaluation for recurrent networks built from MICrONS cortex data.
#[derive(Debug, Parser)]
#[command(name = "blueprint-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API, the OpenAPI spec and the browsable docs.
    Serve(Box<ServeConfig>),
    /// Print the OpenAPI spec (JSON) on stdout; `openapi/openapi.json` is this output.
    Openapi,
    /// Copy a whole store to another database (SQLite to PostgreSQL or back), keeping every
    /// id and verifying every model's checksum; running it again copies nothing new.
    Migrate(MigrateConfig),
}

/// Everything `migrate` needs.
#[derive(Clone, Debug, Parser)]
pub struct MigrateConfig {
    /// The store to copy: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    #[arg(long)]
    pub from: String,
    /// Where to copy it (created when it is a missing SQLite file; a PostgreSQL database
    /// must exist). Rows already there are kept; a different row under an id the source
    /// uses is refused.
    #[arg(long)]
    pub to: String,
}

/// Everything `serve` needs.
#[derive(Clone, Debug, Parser)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "BLUEPRINT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database URL: `sqlite://PATH` (embedded, one machine; the file is created if missing
    /// and runs in WAL journal mode with foreign keys on) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (shared by several replicas; the database
    /// must exist). Either is migrated at start.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://blueprint.db")]
    pub database_url: String,

    /// How long a replica's claim on a comparison job holds without a heartbeat (renewed
    /// every third of it). A job whose replica died is taken over by another this long after.
    #[arg(long, env = "BLUEPRINT_JOB_LEASE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub job_lease_seconds: u64,

    /// Path of the ONNX Runtime shared library (libonnxruntime.so.1.32.0), loaded at start.
    /// `scripts/provision-ort.sh` extracts it from the pinned PyPI wheel and prints its path.
    #[arg(long, env = "ORT_DYLIB_PATH")]
    pub ort_lib: Option<PathBuf>,

    #[command(flatten)]
    pub inference: InferenceConfig,

    /// Largest accepted request body in bytes (an ONNX upload with its manifest); larger
    /// bodies get 413.
    #[arg(long, env = "BLUEPRINT_MAX_UPLOAD_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_upload_bytes: usize,

    /// Largest `n_trials` one evaluation may ask for; more gets 422.
    #[arg(long, env = "BLUEPRINT_MAX_EVAL_TRIALS", default_value_t = 10_240)]
    pub max_eval_trials: usize,

    /// Bearer token that guards everything that writes or computes: register and delete a
    /// model, evaluate, metrics not yet cached, comparisons. Unset: all of it is open, which
    /// suits a server on loopback only (a non-loopback `--bind` then needs
    /// `--allow-anonymous`).
    #[arg(long, env = "BLUEPRINT_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Bearer token for reads of stored data (models, their files, cached metrics,
    /// comparisons). Unset: reads are open. The `--token` is accepted for reads too.
    #[arg(long, env = "BLUEPRINT_READ_TOKEN", hide_env_values = true)]
    pub read_token: Option<String>,

    /// Serve on a non-loopback address without `--token`: anyone who reaches the port may
    /// upload, delete and compute. Refused at start without this flag.
    #[arg(long, env = "BLUEPRINT_ALLOW_ANONYMOUS", default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub allow_anonymous: bool,

    /// Deadline of one request's inference or metrics work, in seconds; a request past it
    /// gets 503 `deadline_exceeded` and its work stops. 0: no deadline.
    #[arg(long, env = "BLUEPRINT_REQUEST_TIMEOUT", default_value_t = 60)]
    pub request_timeout: u64,

    /// The most work one metrics request may ask for, in units of nulls × N² (every null
    /// model of σ, ω and the matched nulls over an N-unit matrix); beyond it, 422
    /// `metrics_work_too_large`.
    #[arg(
        long,
        env = "BLUEPRINT_MAX_METRICS_WORK",
        default_value_t = 5_000_000_000
    )]
    pub max_metrics_work: u64,

    /// Seed an empty store at start with the demo models found under `--demo-dir`.
    #[arg(long, env = "BLUEPRINT_SEED_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub seed_demo: bool,

    /// Folder searched (recursively) for the demo models' `*.onnx` files; each file's manifest
    /// is the `manifest.json` beside it or, failing that, the copy embedded in the file.
    #[arg(long, env = "BLUEPRINT_DEMO_DIR", default_value = "demo/models")]
    pub demo_dir: PathBuf,
}

/// How inference runs.
#[derive(Clone, Debug, clap::Args)]
pub struct InferenceConfig {
    /// Threads of ONNX Runtime's shared intra-op pool; 0 means one per CPU core.
    #[arg(long, env = "BLUEPRINT_INFERENCE_THREADS", default_value_t = 0)]
    pub inference_threads: usize,

    /// Inference jobs (evaluations, upload checks) that run at the same time.
    #[arg(long, env = "BLUEPRINT_INFERENCE_CONCURRENCY", default_value_t = 2)]
    pub inference_concurrency: usize,

    /// Jobs that may wait for a slot; beyond that, requests get 503 with `Retry-After`.
    #[arg(long, env = "BLUEPRINT_INFERENCE_QUEUE", default_value_t = 16)]
    pub inference_queue: usize,

    /// Trials per ONNX Runtime call during an evaluation.
    #[arg(long, env = "BLUEPRINT_INFERENCE_BATCH", default_value_t = 256)]
    pub inference_batch: usize,

    /// Trials per ONNX Runtime call during an evaluation on the CUDA provider: a GPU is filled
    /// by larger batches than a CPU (the memory budget still applies).
    #[arg(long, env = "BLUEPRINT_INFERENCE_BATCH_CUDA", default_value_t = 4096)]
    pub inference_batch_cuda: usize,

    /// Memory budget of one ONNX Runtime call, in bytes: an evaluation runs fewer trials per
    /// call than `--inference-batch` when their inputs and hidden states
    /// (`2 × steps × (inputs + units) × 4 B` per trial) would exceed it; never fewer than one.
    #[arg(long, env = "BLUEPRINT_INFERENCE_MEMORY_BYTES", default_value_t = 256 * 1024 * 1024)]
    pub inference_memory_bytes: usize,

    /// Budget of the ONNX Runtime session cache, in bytes of model file; the least recently
    /// used sessions are dropped beyond it.
    #[arg(long, env = "BLUEPRINT_SESSION_CACHE_BYTES", default_value_t = 512 * 1024 * 1024)]
    pub session_cache_bytes: usize,

    /// Execution provider. `cuda` needs a CUDA build of ONNX Runtime
    /// (`ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh`) and falls back to the CPU with
    /// one log line when it cannot be used.
    #[arg(long, env = "BLUEPRINT_EXECUTION_PROVIDER", value_enum, default_value_t = ExecutionProvider::Cpu)]
    pub execution_provider: ExecutionProvider,
}

/// Where ONNX Runtime runs the graphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExecutionProvider {
    /// ONNX Runtime's default CPU provider.
    Cpu,
    /// NVIDIA CUDA, falling back to the CPU when unavailable.
    Cuda,
}

impl Default for InferenceConfig {
    fn default() -> InferenceConfig {
        InferenceConfig {
            inference_threads: 0,
            inference_concurrency: 2,
            inference_queue: 16,
            inference_batch: 256,
            inference_batch_cuda: 4096,
            inference_memory_bytes: 256 * 1024 * 1024,
            session_cache_bytes: 512 * 1024 * 1024,
            execution_provider: ExecutionProvider::Cpu,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_defaults_match_the_documentation() {
        let cli = Cli::try_parse_from(["blueprint-server", "serve"]).unwrap();
        let Command::Serve(config) = cli.command else {
            panic!("expected serve");
        };
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert!(config.seed_demo);
        assert_eq!(config.inference.execution_provider, ExecutionProvider::Cpu);
        let off =
            Cli::try_parse_from(["blueprint-server", "serve", "--seed-demo", "false"]).unwrap();
        let Command::Serve(config) = off.command else {
            panic!("expected serve");
        };
        assert!(!config.seed_demo);
    }
}
