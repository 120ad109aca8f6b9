//! The whole path a user takes, over real TCP on port 0: train a network with the trainer,
//! register it with a running server, list it, evaluate it on held-out trials, download it,
//! delete it, and stop the server cleanly. The server's evaluation of the trainer's model must
//! equal the trainer's own forward pass on the same trials.
//!
//! A study run with `--register` fills the server as its cells finish, and registers what a
//! down server missed when run again.
//!
//! Needs the ONNX Runtime library: `make test` provisions it and sets ORT_DYLIB_PATH.

#[path = "../../trainer/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use blueprint_core::manifest::{ModelManifest, sha256_hex};
use blueprint_core::task::Task;
use blueprint_server::config::{InferenceConfig, ServeConfig};
use blueprint_trainer::cli::{Cli, Command};
use blueprint_trainer::register::register_run;
use blueprint_trainer::train::{Progress, evaluate, train_and_save};
use clap::Parser;
use serde_json::{Value, json};

const TOKEN: &str = "e2e-secret";

/// A server on its own database, in a background runtime, stopped on drop.
struct Server {
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let ort = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from).expect(
            "ORT_DYLIB_PATH is not set: run the suite with `make test`, which provisions ONNX Runtime",
        );
        let config = ServeConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            database_url: format!("sqlite://{}", dir.join("e2e.db").display()),
            ort_lib: Some(ort),
            inference: InferenceConfig::default(),
            max_upload_bytes: 16 * 1024 * 1024,
            max_eval_trials: 4096,
            token: Some(TOKEN.into()),
            read_token: None,
            allow_anonymous: false,
            request_timeout: 60,
            max_metrics_work: 5_000_000_000,
            job_lease_seconds: 30,
            seed_demo: false,
            demo_dir: dir.join("no-demo"),
        };
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let state = blueprint_server::start(&config)
                    .await
                    .expect("the server starts");
                let listener = tokio::net::TcpListener::bind(config.bind).await.unwrap();
                address_tx.send(listener.local_addr().unwrap()).unwrap();
                blueprint_server::serve(listener, state, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let address = address_rx.recv().expect("the server reports its address");
        Server {
            address,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops the server and waits until in-flight requests finished and the store closed.
    fn stop(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        self.thread
            .take()
            .unwrap()
            .join()
            .expect("the server thread ends cleanly");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(url: &str) -> (u16, Vec<u8>, Option<String>) {
    let mut response = agent().get(url).call().unwrap();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_vec().unwrap();
    (status, body, etag)
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

fn train_small_run(dir: &Path) -> PathBuf {
    let out = dir.join("runs").join("e2e-go-nogo");
    let args = [
        "blueprint-trainer",
        "train",
        "--synthetic",
        "30",
        "--task",
        "go-nogo",
        "--variant",
        "W*D*C",
        "--seed",
        "5",
        "--epochs",
        "2",
        "--train-trials",
        "256",
        "--val-trials",
        "128",
        "--batch-size",
        "64",
        "--grid-lattice",
        "cube-like",
        "--out",
        out.to_str().unwrap(),
    ];
    let Command::Train(train) = Cli::parse_from(args).command else {
        unreachable!()
    };
    train_and_save(&train.to_config().unwrap(), Progress::Quiet).expect("the trainer trains");
    out
}

#[test]
fn a_trained_model_goes_through_register_list_evaluate_download_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let run = train_small_run(dir.path());
    let manifest =
        ModelManifest::from_json(&std::fs::read_to_string(run.join("manifest.json")).unwrap())
            .unwrap();
    let onnx = std::fs::read(run.join("model.onnx")).unwrap();
    let server = Server::start(dir.path());
    let url = server.url();

    // Register: the token is required; the same bytes twice give the same model.
    let refused = register_run(&run, &url, None).unwrap_err();
    assert!(format!("{refused:#}").contains("401"), "{refused:#}");
    let registered = register_run(&run, &url, Some(TOKEN)).unwrap();
    assert!(!registered.existing);
    let again = register_run(&run, &url, Some(TOKEN)).unwrap();
    assert_eq!(
        (again.id.clone(), again.existing),
        (registered.id.clone(), true)
    );
    let id = registered.id;

    // List and get.
    let (status, body, _) = get(&format!("{url}/api/v1/models?task=go-nogo&variant=W*D*C"));
    assert_eq!(status, 200);
    let list = json_of(&body);
    let items = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page of models: {list}"));
    assert_eq!(items.len(), 1);
    let (status, body, _) = get(&format!("{url}/api/v1/models/{id}"));
    assert_eq!(status, 200);
    let model = json_of(&body);
    assert_eq!(
        model["sha256"],
        json!(manifest.onnx_sha256.clone().unwrap())
    );
    assert_eq!(model["hidden_size"], json!(30));

    // Evaluate on held-out trials: identical to the trainer's forward pass on the same trials.
    let seed = 4242;
    let mut response = agent()
        .post(&format!("{url}/api/v1/models/{id}/evaluate"))
        .header("content-type", "application/json")
        // Evaluating computes, so it needs the token too.
        .header("authorization", format!("Bearer {TOKEN}"))
        .send(
            json!({"n_trials": 1000, "seed": seed})
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let evaluation = json_of(&response.body_mut().read_to_vec().unwrap());
    let weights = blueprint_core::onnx::read_model(&onnx)
        .unwrap()
        .rnn_weights(1.0)
        .unwrap();
    let trials = Task::new(manifest.task_config.clone())
        .unwrap()
        .generate(1000, seed);
    let (loss, accuracy) = evaluate(&weights, &trials, 256);
    assert_eq!(evaluation["accuracy"].as_f64().unwrap(), accuracy);
    let server_loss = evaluation["mean_cross_entropy"]
        .as_f64()
        .unwrap_or_else(|| panic!("{evaluation}"));
    assert!(
        (server_loss - loss).abs() < 1e-5,
        "server {server_loss} vs trainer {loss}"
    );

    // Download: the same bytes, the checksum as ETag.
    let (status, body, etag) = get(&format!("{url}/api/v1/models/{id}/onnx"));
    assert_eq!(status, 200);
    assert_eq!(body, onnx);
    assert_eq!(etag.unwrap().trim_matches('"'), sha256_hex(&onnx));

    // Delete needs the token; afterwards the model is gone.
    let status = agent()
        .delete(&format!("{url}/api/v1/models/{id}"))
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 401);
    let status = agent()
        .delete(&format!("{url}/api/v1/models/{id}"))
        .header("authorization", &format!("Bearer {TOKEN}"))
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert!(status == 200 || status == 204, "delete answered {status}");
    assert_eq!(get(&format!("{url}/api/v1/models/{id}")).0, 404);
    let (_, body, _) = get(&format!("{url}/api/v1/models"));
    assert_eq!(json_of(&body)["items"].as_array().unwrap().len(), 0);

    server.stop();
}

#[test]
fn the_trainer_reports_a_refused_upload_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = train_small_run(dir.path());
    // A manifest that lies about the hidden size (and so about the checksum's file).
    let path = run.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"hidden_size\": 30", "\"hidden_size\": 31");
    std::fs::write(&path, text).unwrap();
    let server = Server::start(dir.path());
    let error = register_run(&run, &server.url(), Some(TOKEN)).unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.contains("422") && message.contains("hidden"),
        "{message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
    let (_, body, _) = get(&format!("{}/api/v1/models", server.url()));
    assert_eq!(
        json_of(&body)["items"].as_array().unwrap().len(),
        0,
        "nothing stored"
    );
    server.stop();
}

/// `blueprint-trainer ARGS` through the library, as the binary runs it.
fn trainer(args: &[&str]) -> anyhow::Result<()> {
    let mut argv = vec!["blueprint-trainer"];
    argv.extend_from_slice(args);
    blueprint_trainer::cli::run(Cli::parse_from(argv))
}

#[test]
fn a_study_run_with_register_fills_the_server_and_registers_what_a_down_server_missed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bundle");
    common::synthetic_bundle(&data);
    let study = dir.path().join("study");
    let server = Server::start(dir.path());
    let url = server.url();
    let s = |path: &Path| path.to_str().unwrap().to_owned();
    let mut plan = vec![
        "study",
        "plan",
        "--preset",
        "paper-main",
        "--fields",
        "synthetic",
        "--seeds",
        "1",
        "--tasks",
        "go-nogo",
        "--mode",
        "corrected",
    ];
    plan.extend(common::TINY_PROTOCOL);
    let (data, study_out) = (s(&data), s(&study));
    plan.extend(["--data", &data, "--out", &study_out, "--register", &url]);
    trainer(&plan).unwrap();
    let sbatch = std::fs::read_to_string(study.join("slurm.sbatch")).unwrap();
    assert!(
        sbatch.contains(&format!("--jobs 1 --register '{url}'")),
        "{sbatch}"
    );
    assert!(
        !sbatch.contains(TOKEN),
        "the token never goes into the files"
    );
    let planned = blueprint_trainer::study::load(&study).unwrap();
    let cells = planned.cells.len();
    assert_eq!(cells, 11, "one go/no-go cell per variant");

    // The first cells train and register; then the server goes away mid-study.
    trainer(&[
        "study",
        "run",
        &s(&study),
        "--jobs",
        "1",
        "--cell",
        "0",
        "--register",
        &url,
        "--token",
        TOKEN,
    ])
    .unwrap();
    let models = |url: &str| {
        let (status, body, _) = get(&format!("{url}/api/v1/models?limit=100"));
        assert_eq!(status, 200);
        json_of(&body)["items"].as_array().unwrap().len()
    };
    assert_eq!(models(&url), 1);
    server.stop();
    let refused = trainer(&[
        "study",
        "run",
        &s(&study),
        "--jobs",
        "1",
        "--register",
        &url,
        "--token",
        TOKEN,
    ])
    .unwrap_err();
    let message = format!("{refused:#}");
    assert!(
        message.contains(&format!(
            "{} finished cell(s) are not registered",
            cells - 1
        )),
        "{message}"
    );
    assert!(message.contains("--register URL"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");

    // A new server (another store): running again trains nothing and registers every cell.
    let second = tempfile::tempdir().unwrap();
    let server = Server::start(second.path());
    let url = server.url();
    let run_registered = |url: &str| {
        trainer(&[
            "study",
            "run",
            &s(&study),
            "--jobs",
            "1",
            "--register",
            url,
            "--token",
            TOKEN,
        ])
        .unwrap()
    };
    run_registered(&url);
    assert_eq!(models(&url), cells);
    for cell in &planned.cells {
        let marker: Value = serde_json::from_str(
            &std::fs::read_to_string(cell.config.out.join("registered.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(marker["server"], url.as_str());
    }
    // Again: nothing to train, nothing to register.
    run_registered(&url);
    assert_eq!(models(&url), cells);
    server.stop();
}
