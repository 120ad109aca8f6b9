//! Test support: a fresh application on a temporary database per test, requests through
//! `tower::ServiceExt::oneshot`, and small real models exported by `core`'s ONNX exporter.

use std::path::PathBuf;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use blueprint_core::manifest::{DatasetRef, ModelManifest};
use blueprint_core::network::Variant;
use blueprint_core::network::distance::{
    DistanceSpec, GridLattice, RealDistanceMode, cube_like_shape,
};
use blueprint_core::network::rnn::RnnWeights;
use blueprint_core::network::variant::DistanceKind;
use blueprint_core::onnx;
use blueprint_core::task::{Task, TaskConfig, TaskKind};
use blueprint_server::config::{InferenceConfig, ServeConfig};
use blueprint_server::service::comparison::{JobWorker, start_jobs};
use blueprint_server::state::AppState;
use blueprint_server::store::models as model_store;
use http_body_util::BodyExt;
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The ONNX Runtime library; `make test` exports its path.
pub fn ort_library() -> PathBuf {
    std::env::var_os("ORT_DYLIB_PATH")
        .map(PathBuf::from)
        .expect(
            "ORT_DYLIB_PATH is not set: run the tests with `make test`, or export the path that \
         `scripts/provision-ort.sh` prints",
        )
}

/// A serve configuration on a database inside `dir`.
pub fn config(dir: &TempDir) -> ServeConfig {
    ServeConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("test.db").display()),
        ort_lib: Some(ort_library()),
        inference: InferenceConfig {
            inference_threads: 1,
            ..InferenceConfig::default()
        },
        max_upload_bytes: 8 * 1024 * 1024,
        max_eval_trials: 2048,
        token: None,
        read_token: None,
        allow_anonymous: false,
        request_timeout: 60,
        max_metrics_work: 5_000_000_000,
        job_lease_seconds: 30,
        seed_demo: false,
        demo_dir: dir.path().join("demo"),
    }
}

/// The PostgreSQL server the suite runs on instead of SQLite, when `BLUEPRINT_TEST_POSTGRES`
/// names one (`make test` sets it from `scripts/postgres-local.sh`): an administrator's URL,
/// e.g. `postgres://postgres@127.0.0.1:5433/postgres`.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("BLUEPRINT_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A new, empty PostgreSQL database on the test server, and its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("bp_test_{:016x}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|error| panic!("BLUEPRINT_TEST_POSTGRES={admin_url}: {error}"));
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
    let (server, _) = admin_url
        .rsplit_once('/')
        .expect("a PostgreSQL URL ends in /DATABASE");
    format!("{server}/{name}")
}

/// The database a test application runs on: a file in `dir`, or a fresh PostgreSQL database
/// when the suite runs on PostgreSQL.
pub async fn test_database_url(dir: &TempDir) -> String {
    match postgres_admin_url() {
        Some(admin) => fresh_postgres_database(&admin).await,
        None => config(dir).database_url,
    }
}

/// One application on its own temporary database.
pub struct TestApp {
    pub state: AppState,
    router: Router,
    database_url: String,
    jobs: Option<JobWorker>,
    _dir: TempDir,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts a problem+json body with this status and code.
    pub fn assert_problem(&self, status: StatusCode, code: &str) {
        let body = self.json();
        assert_eq!(self.status, status, "{body:#}");
        assert_eq!(
            self.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{body:#}"
        );
        assert_eq!(body["code"], code, "{body:#}");
        assert_eq!(body["status"], status.as_u16(), "{body:#}");
        assert!(
            body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{body:#}"
        );
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with(|_| {}).await
    }

    /// An application whose configuration `adjust` changes first.
    pub async fn with(adjust: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let dir = TempDir::new().unwrap();
        let mut config = config(&dir);
        config.database_url = test_database_url(&dir).await;
        adjust(&mut config);
        TestApp::start(config, dir).await
    }

    /// A new application on this one's database, as after a restart of the process (with the
    /// default test configuration).
    pub async fn restart(self) -> TestApp {
        let TestApp {
            _dir: dir,
            database_url,
            state,
            jobs,
            ..
        } = self;
        drop(jobs);
        state.store.close().await;
        let mut config = config(&dir);
        config.database_url = database_url;
        TestApp::start(config, dir).await
    }

    async fn start(config: ServeConfig, dir: TempDir) -> TestApp {
        let state = blueprint_server::start(&config).await.unwrap();
        let router = blueprint_server::app(state.clone());
        TestApp {
            jobs: Some(start_jobs(&state)),
            state,
            router,
            database_url: config.database_url,
            _dir: dir,
        }
    }

    /// Stops this application's comparison worker: jobs stay queued, as with a replica that
    /// only serves requests.
    pub fn stop_jobs(&mut self) {
        self.jobs = None;
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn delete(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut request = Request::builder().method(Method::DELETE).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, uri: &str, body: &str) -> Reply {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }

    /// `POST /api/v1/models` with the given parts (`(name, bytes)`).
    pub async fn upload(&self, parts: &[(&str, &[u8])], token: Option<&str>) -> Reply {
        let (content_type, body) = multipart(parts);
        let mut request =
            Request::post("/api/v1/models").header(header::CONTENT_TYPE, content_type);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Uploads a model with its manifest; panics unless it is stored (201).
    pub async fn register(&self, model: &TestModel) -> i64 {
        let reply = self
            .upload(
                &[
                    ("model", &model.bytes),
                    ("manifest", model.manifest_json().as_bytes()),
                ],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.json());
        reply.json()["id"].as_i64().unwrap()
    }

    /// How many models the store holds, read from the store itself.
    pub async fn model_count(&self) -> u64 {
        model_store::count(&self.state.store).await.unwrap()
    }
}

/// A multipart/form-data body.
pub fn multipart(parts: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "blueprint-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let filename = if *name == "model" {
            "; filename=\"model.onnx\""
        } else {
            ""
        };
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A small real network: random weights, exported by `core`.
pub struct TestModel {
    pub manifest: ModelManifest,
    pub weights: RnnWeights<f32>,
    pub bytes: Vec<u8>,
}

impl TestModel {
    /// A `task` network of `hidden_size` units with random weights from `seed`.
    pub fn new(task: TaskKind, hidden_size: usize, seed: u64) -> TestModel {
        TestModel::build(manifest(task, hidden_size, seed), 1.0)
    }

    /// The network of `manifest`, exported with leak `alpha` (which may contradict the
    /// manifest's, on purpose).
    pub fn build(manifest: ModelManifest, alpha: f32) -> TestModel {
        let task = Task::new(manifest.task_config.clone()).unwrap();
        let weights = random_weights(
            task.n_inputs(),
            manifest.hidden_size,
            task.n_outputs(),
            alpha,
            manifest.seed,
        );
        let bytes = onnx::export(&weights, &manifest).unwrap();
        TestModel {
            manifest,
            weights,
            bytes,
        }
    }

    pub fn manifest_json(&self) -> String {
        serde_json::to_string(&self.manifest).unwrap()
    }
}

/// A `task` network of `hidden_size` units of an orthogonal-init `variant` (`W`, `WD`, `WDC`,
/// `WD*`, …), with random weights from `seed`. Grid variants get the cube-like lattice, so their
/// wiring cost is defined.
pub fn variant_model(task: TaskKind, variant: Variant, hidden_size: usize, seed: u64) -> TestModel {
    assert!(
        !variant.needs_activity(),
        "bio-initialised variants need bio_init"
    );
    let mut manifest = manifest(task, hidden_size, seed);
    manifest.name = format!("test-{task}-{variant}-n{hidden_size}-s{seed}");
    manifest.variant = variant;
    manifest.distance = match variant.distance() {
        DistanceKind::None => DistanceSpec::None,
        DistanceKind::Grid => DistanceSpec::Grid {
            lattice: GridLattice::CubeLike,
            shape: cube_like_shape(hidden_size),
        },
        DistanceKind::Real => DistanceSpec::Real {
            mode: RealDistanceMode::Isotropic,
            control: Default::default(),
        },
    };
    TestModel::build(manifest, 1.0)
}

/// Asserts that two JSON documents are equal, numbers within `1e-12` relative (a report read
/// back from the store may differ from a fresh one in the last bit of a float).
pub fn assert_json_close(found: &Value, expected: &Value, path: &str) {
    match (found, expected) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300),
                "{path}: {a} != {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: lengths");
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_json_close(x, y, &format!("{path}[{index}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys = |map: &serde_json::Map<String, Value>| {
                map.keys()
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>()
            };
            assert_eq!(keys(a), keys(b), "{path}: keys");
            for (key, x) in a {
                assert_json_close(x, &b[key], &format!("{path}.{key}"));
            }
        }
        _ => assert_eq!(found, expected, "{path}"),
    }
}

/// A manifest for a small orthogonal-init (`W`) network trained with `seed`.
pub fn manifest(task: TaskKind, hidden_size: usize, seed: u64) -> ModelManifest {
    let dataset = DatasetRef {
        name: "synthetic".into(),
        field: "5_3_4".into(),
        synthetic_seed: Some(1),
    };
    ModelManifest {
        seed,
        created_by: "blueprint-server tests".into(),
        ..ModelManifest::untrained(
            format!("test-{task}-W-n{hidden_size}-s{seed}"),
            TaskConfig::default_for(task),
            Variant::W,
            dataset,
            hidden_size,
        )
    }
}

/// Uniform weights scaled so the ReLU network neither dies nor explodes over a trial.
fn random_weights(
    n_inputs: usize,
    hidden_size: usize,
    n_outputs: usize,
    alpha: f32,
    seed: u64,
) -> RnnWeights<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut uniform = |rows: usize, cols: usize, limit: f32| {
        Array2::from_shape_fn((rows, cols), |_| rng.random_range(-limit..limit))
    };
    let recurrent_limit = 1.5 / (hidden_size as f32).sqrt();
    RnnWeights {
        w_in: uniform(n_inputs, hidden_size, 1.0),
        w_rec: uniform(hidden_size, hidden_size, recurrent_limit),
        b: uniform(1, hidden_size, 0.1).row(0).to_owned(),
        w_out: uniform(hidden_size, n_outputs, 1.0),
        b_out: Array1::zeros(n_outputs),
        alpha,
    }
}
