//! ONNX Runtime inference: the process-wide runtime, sessions cached per model file (LRU by
//! bytes), and a bounded pool of blocking slots so the HTTP workers never run a graph.
//!
//! Admission: at most `inference_concurrency` jobs run at once and at most `inference_queue`
//! more wait for a slot; a job beyond that is refused at once with [`Saturated`], which the
//! API answers with 503 and `Retry-After`, rather than queueing without bound.

pub mod cache;
pub mod evaluation;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ort::environment::{Environment, GlobalThreadPoolOptions};
use ort::session::Session;
use ort::session::builder::{GraphOptimizationLevel, SessionBuilder};
use tokio::sync::Semaphore;

use crate::config::{ExecutionProvider, InferenceConfig};
use cache::LruCache;

/// A session shared by the jobs that use it; `Session::run` needs `&mut`, so runs on one
/// session take turns.
pub type SharedSession = Arc<Mutex<Session>>;

/// Why ONNX Runtime could not be started.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error(
        "no ONNX Runtime library configured: run `scripts/provision-ort.sh` and pass the path it \
         prints as --ort-lib or ORT_DYLIB_PATH (`make run` does both)"
    )]
    NotConfigured,
    #[error(
        "ONNX Runtime library not found at {0}: run `scripts/provision-ort.sh` and pass the path \
         it prints as --ort-lib or ORT_DYLIB_PATH"
    )]
    Missing(PathBuf),
    #[error("could not load ONNX Runtime from {path}: {message}")]
    Load { path: PathBuf, message: String },
}

/// Every inference slot and queue place is taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the inference pool is saturated")]
pub struct Saturated;

/// Why a job failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Saturated(#[from] Saturated),
    /// The job panicked; a bug.
    #[error("an inference job panicked: {0}")]
    Panicked(String),
}

/// The inference side of the server. One per process in `serve`; cheap to share in an `Arc`.
pub struct Inference {
    environment: Environment,
    use_cuda: AtomicBool,
    requested: ExecutionProvider,
    /// Why a requested CUDA provider is not (or no longer) in use.
    fallback_reason: Mutex<Option<String>>,
    /// The GPU, when CUDA is in use and `nvidia-smi` describes it.
    device: Option<Device>,
    batch_size: usize,
    cuda_batch_size: usize,
    memory_bytes: usize,
    threads: usize,
    sessions: Mutex<LruCache<Mutex<Session>>>,
    slots: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    capacity: usize,
}

impl std::fmt::Debug for Inference {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Inference")
            .field("use_cuda", &self.use_cuda)
            .field("batch_size", &self.batch_size)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

/// The ONNX Runtime environment: built once per process (ONNX Runtime allows one), with a
/// global intra-op thread pool that every session shares.
static ENVIRONMENT: OnceLock<Environment> = OnceLock::new();
static ENVIRONMENT_INIT: Mutex<()> = Mutex::new(());

impl Inference {
    /// Loads ONNX Runtime from `library` (once per process; later calls reuse it and their
    /// thread count is ignored) and sets up the pool.
    pub fn start(
        library: Option<&Path>,
        config: &InferenceConfig,
    ) -> Result<Inference, RuntimeError> {
        let environment = environment(library, config.inference_threads)?;
        let requested = config.execution_provider;
        let (use_cuda, fallback_reason) = if requested == ExecutionProvider::Cuda {
            match cuda_available() {
                Ok(()) => (true, None),
                Err(reason) => {
                    tracing::warn!(reason = %reason, "CUDA requested but unusable; using the CPU");
                    (false, Some(reason))
                }
            }
        } else {
            (false, None)
        };
        let device = if use_cuda { Device::query() } else { None };
        if let Some(device) = &device {
            tracing::info!(device.name = %device.name, device.memory_mib = device.memory_mib, "CUDA device");
        }
        let concurrency = config.inference_concurrency.max(1);
        Ok(Inference {
            environment,
            use_cuda: AtomicBool::new(use_cuda),
            requested,
            fallback_reason: Mutex::new(fallback_reason),
            device,
            batch_size: config.inference_batch.max(1),
            cuda_batch_size: config.inference_batch_cuda.max(1),
            memory_bytes: config.inference_memory_bytes,
            threads: if config.inference_threads == 0 {
                std::thread::available_parallelism().map_or(1, usize::from)
            } else {
                config.inference_threads
            },
            sessions: Mutex::new(LruCache::new(config.session_cache_bytes)),
            slots: Arc::new(Semaphore::new(concurrency)),
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity: concurrency + config.inference_queue,
        })
    }

    /// Trials per ONNX Runtime call on the provider in use (`--inference-batch`, or
    /// `--inference-batch-cuda` on the GPU).
    pub fn batch_size(&self) -> usize {
        if self.uses_cuda() {
            self.cuda_batch_size
        } else {
            self.batch_size
        }
    }

    /// The provider asked for.
    pub fn requested_provider(&self) -> ExecutionProvider {
        self.requested
    }

    /// Why a requested CUDA provider is not in use, if it is not.
    pub fn fallback_reason(&self) -> Option<String> {
        self.fallback_reason
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The GPU in use, as `nvidia-smi` describes it.
    pub fn device(&self) -> Option<&Device> {
        self.device.as_ref().filter(|_| self.uses_cuda())
    }

    /// Leaves the GPU after a CUDA failure during a run: every later session is built for the
    /// CPU and the cached (CUDA) sessions are dropped. Logged once.
    pub fn fall_back_to_cpu(&self, reason: &str) {
        if self.leave_cuda(&format!("a CUDA run failed: {reason}")) {
            self.sessions_lock().clear();
        }
    }

    /// Switches every later session to the CPU, recording and logging `reason` (one line)
    /// the first time; whether this call was that first time.
    fn leave_cuda(&self, reason: &str) -> bool {
        if !self.use_cuda.swap(false, Ordering::Relaxed) {
            return false;
        }
        let reason = one_line(reason);
        tracing::warn!(reason = %reason, "leaving the CUDA execution provider; serving on the CPU");
        *self
            .fallback_reason
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(reason);
        true
    }

    /// Threads of the pool (`--inference-threads`, or one per core): what a metrics job may
    /// spread its null models over.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Trials per ONNX Runtime call for trials of `n_steps` steps of `n_inputs` channels
    /// through `hidden_size` units: `--inference-batch`, lowered so that one call's inputs
    /// and hidden states, [`bytes_per_trial`] each, fit `--inference-memory-bytes`; at
    /// least 1.
    pub fn trials_per_run(&self, n_steps: usize, n_inputs: usize, hidden_size: usize) -> usize {
        let per_trial = bytes_per_trial(n_steps, n_inputs, hidden_size).max(1);
        self.batch_size().min(self.memory_bytes / per_trial).max(1)
    }

    /// Runs `job` on a blocking slot, waiting for one if the queue has room.
    pub async fn run<T, F>(&self, job: F) -> Result<T, JobError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let admission = Admission::enter(&self.admitted, self.capacity)?;
        let permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .expect("the inference semaphore is never closed");
        tokio::task::spawn_blocking(move || {
            // Held until the job ends, even if the request that queued it has gone.
            let _slot = (permit, admission);
            job()
        })
        .await
        .map_err(|error| JobError::Panicked(error.to_string()))
    }

    /// The cached session of the model file with this checksum, if any.
    pub fn cached_session(&self, sha256: &str) -> Option<SharedSession> {
        self.sessions_lock().get(sha256)
    }

    /// The session for `bytes` (whose checksum is `sha256`), built and cached if needed.
    /// Blocking: call from a job.
    pub fn session(&self, sha256: &str, bytes: &[u8]) -> Result<SharedSession, ort::Error> {
        if let Some(session) = self.cached_session(sha256) {
            return Ok(session);
        }
        let session = self.build_session(bytes)?;
        Ok(self.cache_session(sha256, session, bytes.len()))
    }

    /// Caches a session built elsewhere (by upload validation) and returns the cached one.
    pub fn cache_session(&self, sha256: &str, session: Session, cost: usize) -> SharedSession {
        self.sessions_lock()
            .insert(sha256, Mutex::new(session), cost)
    }

    /// Forgets the session of a deleted model file.
    pub fn evict(&self, sha256: &str) {
        self.sessions_lock().remove(sha256);
    }

    /// Builds a session for a model file without caching it. Blocking: call from a job.
    ///
    /// With the CUDA provider selected, a failure to register or use it switches the whole
    /// server to the CPU with one log line.
    pub fn build_session(&self, bytes: &[u8]) -> Result<Session, ort::Error> {
        if self.use_cuda.load(Ordering::Relaxed) {
            match self.build_cuda_session(bytes) {
                Ok(session) => return Ok(session),
                Err(error) => {
                    self.leave_cuda(&format!("the CUDA session could not be built: {error}"));
                }
            }
        }
        self.session_builder()?.commit_from_memory(bytes)
    }

    /// Builds a CPU session for a model file whatever the provider in use: the reference side
    /// of the CUDA parity check and benchmark. Blocking.
    pub fn build_cpu_session(&self, bytes: &[u8]) -> Result<Session, ort::Error> {
        self.session_builder()?.commit_from_memory(bytes)
    }

    fn session_builder(&self) -> Result<SessionBuilder, ort::Error> {
        Ok(Session::builder(&self.environment)?
            .with_optimization_level(GraphOptimizationLevel::Level3)?)
    }

    #[cfg(feature = "cuda")]
    fn build_cuda_session(&self, bytes: &[u8]) -> Result<Session, ort::Error> {
        self.session_builder()?
            .with_execution_providers([ort::ep::CUDA::default().build().error_on_failure()])?
            .commit_from_memory(bytes)
    }

    #[cfg(not(feature = "cuda"))]
    fn build_cuda_session(&self, _bytes: &[u8]) -> Result<Session, ort::Error> {
        Err(ort::Error::new(
            "this build of blueprint-server has no CUDA support (feature `cuda`)",
        ))
    }

    /// Whether the CUDA provider is (still) in use.
    pub fn uses_cuda(&self) -> bool {
        self.use_cuda.load(Ordering::Relaxed)
    }

    fn sessions_lock(&self) -> std::sync::MutexGuard<'_, LruCache<Mutex<Session>>> {
        // A panic while holding this lock cannot leave the map half-updated in a harmful way.
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The memory one trial takes in an ONNX Runtime call of a Blueprint graph: its inputs
/// (`n_steps × n_inputs` floats) and the Scan's hidden states (`n_steps × hidden_size`
/// floats), counted twice for the Scan's per-step copies.
pub fn bytes_per_trial(n_steps: usize, n_inputs: usize, hidden_size: usize) -> usize {
    n_steps
        .saturating_mul(n_inputs.saturating_add(hidden_size))
        .saturating_mul(std::mem::size_of::<f32>() * 2)
}

/// Locks a shared session, ignoring poisoning (a panicked run leaves no state behind in the
/// session that a later run depends on).
pub fn lock_session(session: &SharedSession) -> std::sync::MutexGuard<'_, Session> {
    session
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A place among the admitted jobs, given back on drop.
struct Admission(Arc<AtomicUsize>);

impl Admission {
    fn enter(admitted: &Arc<AtomicUsize>, capacity: usize) -> Result<Admission, Saturated> {
        let previous = admitted.fetch_add(1, Ordering::AcqRel);
        if previous >= capacity {
            admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(Saturated);
        }
        Ok(Admission(Arc::clone(admitted)))
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn environment(library: Option<&Path>, threads: usize) -> Result<Environment, RuntimeError> {
    if let Some(environment) = ENVIRONMENT.get() {
        return Ok(environment.clone());
    }
    let _guard = ENVIRONMENT_INIT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(environment) = ENVIRONMENT.get() {
        return Ok(environment.clone());
    }
    let library = library.ok_or(RuntimeError::NotConfigured)?;
    if !library.is_file() {
        return Err(RuntimeError::Missing(library.to_path_buf()));
    }
    let load_error = |message: String| RuntimeError::Load {
        path: library.to_path_buf(),
        message,
    };
    let builder = ort::init_from(library).map_err(|e| load_error(e.to_string()))?;
    // Spinning would burn the cores that the HTTP workers share with the pool between runs.
    let pool = GlobalThreadPoolOptions::default()
        .with_intra_threads(threads)
        .and_then(|pool| pool.with_spin_control(false))
        .map_err(|e| load_error(e.to_string()))?;
    let environment = builder
        .with_name("blueprint-server")
        .with_telemetry(false)
        .with_global_thread_pool(pool)
        .build()
        .map_err(|e| load_error(e.to_string()))?;
    tracing::info!(ort.library = %library.display(), ort.threads = threads, "ONNX Runtime loaded");
    Ok(ENVIRONMENT.get_or_init(|| environment).clone())
}

/// Whether this ONNX Runtime library has a usable CUDA provider; why not, in one line.
#[cfg(feature = "cuda")]
fn cuda_available() -> Result<(), String> {
    use ort::ep::ExecutionProvider;
    match ort::ep::CUDA::is_available() {
        Ok(true) => Ok(()),
        Ok(false) => Err(
            "this ONNX Runtime library has no CUDA execution provider (provision \
                          it with ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh)"
                .to_owned(),
        ),
        Err(error) => Err(format!("cannot query ONNX Runtime's providers: {error}")),
    }
}

#[cfg(not(feature = "cuda"))]
fn cuda_available() -> Result<(), String> {
    Err("this blueprint-server was built without the `cuda` feature".to_owned())
}

/// `text` on one line: newlines become spaces, the ends are trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A GPU, as `nvidia-smi` names it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Device {
    /// E.g. `NVIDIA H200`.
    pub name: String,
    /// Total device memory, MiB.
    pub memory_mib: u64,
}

impl Device {
    /// The first GPU `nvidia-smi` lists, if it runs.
    fn query() -> Option<Device> {
        let output = std::process::Command::new("nvidia-smi")
            .args([
                "--query-gpu=name,memory.total",
                "--format=csv,noheader,nounits",
            ])
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).ok()?;
        parse_device(text.lines().next()?)
    }
}

/// One `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` line.
fn parse_device(line: &str) -> Option<Device> {
    let (name, memory) = line.rsplit_once(',')?;
    Some(Device {
        name: name.trim().to_owned(),
        memory_mib: memory.trim().parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_nvidia_smi_line_names_the_device() {
        assert_eq!(
            parse_device("NVIDIA H200, 143771"),
            Some(Device {
                name: "NVIDIA H200".into(),
                memory_mib: 143_771
            })
        );
        assert_eq!(parse_device("garbage"), None);
    }

    #[test]
    fn a_trial_counts_its_inputs_and_hidden_states_twice_and_saturates() {
        assert_eq!(bytes_per_trial(10, 3, 7), 10 * 10 * 8);
        assert_eq!(bytes_per_trial(usize::MAX, 3, 7), usize::MAX);
    }
}
