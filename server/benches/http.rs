//! The server's speed, measured side by side in one run:
//! 1. evaluating 2,560 maze trials of a 312-unit model over HTTP (`POST /models/{id}/evaluate`,
//!    a fresh seed each time so no cached answer is served) against running the same trials
//!    through ONNX Runtime directly on the same file (one call, and batches of 256; the faster
//!    is the baseline) — target ≤ 1.2×;
//! 2. `GET /models/{id}` under load from a second process (`wrk`, Debian's package; `make bench`
//!    installs it), bounded to a few seconds — requests/s and p99;
//! 3. the study's metrics (entropy, CNM modularity, assortativity, σ with 1,000 nulls) of the
//!    same model's `W_rec` over HTTP (`GET /models/{id}/metrics`, fresh seeds so nothing is
//!    cached; the nulls on all the pool's threads) against networkx + bctpy + scipy computing
//!    them the way the study does, with their default threading (`bench/metrics_reference.py`,
//!    when `BLUEPRINT_METRICS_PYTHON` names a Python with them) — target ≥ 100×.
//!
//! Run: `make bench` (or `cargo bench -p blueprint-server --bench http` with ORT_DYLIB_PATH set).

use std::path::PathBuf;

#[path = "common.rs"]
mod common;
use std::process::Command;
use std::time::Instant;

use ndarray::{Axis, Ix2, Slice};
use ort::value::TensorRef;

use blueprint_core::onnx;
use blueprint_core::task::{Task, TaskKind};
use blueprint_server::config::{InferenceConfig, ServeConfig};

const N: usize = 312;
const TRIALS: usize = 2560;
const REPEATS: usize = 7;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let ort_lib = std::env::var_os("ORT_DYLIB_PATH")
        .map(PathBuf::from)
        .expect("set ORT_DYLIB_PATH (make bench does)");
    let dir = tempfile::tempdir().unwrap();
    let config = ServeConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("bench.db").display()),
        ort_lib: Some(ort_lib),
        inference: InferenceConfig::default(),
        max_upload_bytes: 64 * 1024 * 1024,
        max_eval_trials: 10240,
        token: None,
        read_token: None,
        allow_anonymous: false,
        request_timeout: 60,
        max_metrics_work: 5_000_000_000,
        job_lease_seconds: 30,
        seed_demo: false,
        demo_dir: dir.path().join("none"),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let state = runtime.block_on(blueprint_server::start(&config)).unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(config.bind))
        .unwrap();
    let address = listener.local_addr().unwrap();
    let server_state = state.clone();
    runtime.spawn(async move {
        blueprint_server::serve(listener, server_state, std::future::pending())
            .await
            .unwrap();
    });
    let url = format!("http://{address}/api/v1");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();

    let (bytes, manifest) = common::bench_model(N, TaskKind::OneChoiceInference, 1);
    let boundary = "blueprint-bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n{}\r\n--{boundary}--\r\n", manifest.to_json())
            .as_bytes(),
    );
    let mut response = agent
        .post(&format!("{url}/models"))
        .header(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .unwrap();
    let created: serde_json::Value =
        serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
    let id = created["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("registered: {created}"));

    // 1. Evaluation over HTTP against ONNX Runtime directly, interleaved so drift hits both.
    let task = Task::default_for(TaskKind::OneChoiceInference);
    let mut session = state.inference.build_session(&bytes).unwrap();
    let (mut http, mut direct_one, mut direct_batched) = (Vec::new(), Vec::new(), Vec::new());
    for repeat in 0..REPEATS + 1 {
        let seed = 1000 + repeat as u64;
        let start = Instant::now();
        let mut response = agent
            .post(&format!("{url}/models/{id}/evaluate"))
            .header("content-type", "application/json")
            .send(
                serde_json::json!({"n_trials": TRIALS, "seed": seed})
                    .to_string()
                    .as_bytes(),
            )
            .unwrap();
        let status = response.status().as_u16();
        let answer = response.body_mut().read_to_string().unwrap();
        assert_eq!(status, 200, "{answer}");
        let http_seconds = start.elapsed().as_secs_f64();

        let start = Instant::now();
        let trials = task.generate(TRIALS, seed);
        let outputs = session
            .run(ort::inputs!["x" => TensorRef::from_array_view(trials.inputs.view()).unwrap()])
            .unwrap();
        let logits = outputs["logits"]
            .try_extract_array::<f32>()
            .unwrap()
            .into_dimensionality::<Ix2>()
            .unwrap();
        std::hint::black_box(logits.sum());
        drop(outputs);
        let one_seconds = start.elapsed().as_secs_f64();

        let start = Instant::now();
        let trials = task.generate(TRIALS, seed);
        let mut sum = 0.0f32;
        for chunk in 0..TRIALS.div_ceil(256) {
            let slice = trials.inputs.slice_axis(
                Axis(0),
                Slice::from(chunk * 256..((chunk + 1) * 256).min(TRIALS)),
            );
            let outputs = session
                .run(ort::inputs!["x" => TensorRef::from_array_view(slice).unwrap()])
                .unwrap();
            sum += outputs["logits"].try_extract_array::<f32>().unwrap().sum();
        }
        std::hint::black_box(sum);
        let batched_seconds = start.elapsed().as_secs_f64();
        if repeat > 0 {
            // The first round warms caches and the server's session; it is not counted.
            http.push(http_seconds);
            direct_one.push(one_seconds);
            direct_batched.push(batched_seconds);
        }
    }
    let (http, one, batched) = (median(http), median(direct_one), median(direct_batched));
    let direct = one.min(batched);
    println!("Evaluating {TRIALS} maze trials of a {N}-unit model (median of {REPEATS}):");
    println!("| path | seconds |");
    println!("|---|---|");
    println!("| HTTP POST /models/{{id}}/evaluate | {http:.3} |");
    println!("| ONNX Runtime directly, one call | {one:.3} |");
    println!("| ONNX Runtime directly, batches of 256 | {batched:.3} |");
    println!("HTTP / direct = {:.2}× (target ≤ 1.2×)", http / direct);

    // 2. GET /models/{id} under load from a second process.
    println!();
    match Command::new("wrk")
        .args([
            "-t1",
            "-c32",
            "-d8s",
            "--latency",
            &format!("{url}/models/{id}"),
        ])
        .output()
    {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            let find = |prefix: &str| {
                text.lines()
                    .find(|line| line.trim_start().starts_with(prefix))
                    .map(|line| line.trim().to_string())
                    .unwrap_or_else(|| format!("{prefix} not reported"))
            };
            println!(
                "GET /models/{{id}} under wrk (1 thread, 32 connections, 8 s, loopback, same 2 cores as the server):"
            );
            println!("  {}", find("Requests/sec:"));
            println!("  p50 {}", find("50%"));
            println!("  p99 {}", find("99%"));
            // wrk prints a "Non-2xx or 3xx responses" line only when there were some.
            match text
                .lines()
                .find(|line| line.trim_start().starts_with("Non-2xx"))
            {
                Some(line) => println!("  {}", line.trim()),
                None => println!("  every response was 2xx"),
            }
        }
        Ok(output) => println!("wrk failed: {}", String::from_utf8_lossy(&output.stderr)),
        Err(_) => println!(
            "wrk is not installed (apt-get install wrk; make bench does): load test not run"
        ),
    }

    // 3. The study's metrics over HTTP against the study's Python pipeline.
    println!();
    let study = "entropy,modularity,assortativity,small-world";
    let mut over_http = Vec::new();
    for repeat in 0..3 {
        let start = Instant::now();
        let mut response = agent
            .get(&format!(
                "{url}/models/{id}/metrics?metrics={study}&n_nulls=1000&seed={}",
                2000 + repeat
            ))
            .call()
            .unwrap();
        let answer = response.body_mut().read_to_string().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{answer}");
        over_http.push(start.elapsed().as_secs_f64());
    }
    let over_http = median(over_http);
    println!(
        "The study's metrics of the {N}-unit W_rec, 1,000 nulls, over HTTP on {} pool threads \
         (median of 3, fresh seeds): {over_http:.3} s",
        state.inference.threads()
    );
    match std::env::var("BLUEPRINT_METRICS_PYTHON") {
        Ok(python) => match study_reference(&python, &bytes, dir.path()) {
            Some(seconds) => println!(
                "networkx + bctpy + scipy, the study's calls, default threading: {seconds:.2} s; \
                 HTTP is {:.0}× faster (target ≥ 100×)",
                seconds / over_http
            ),
            None => println!("the Python reference failed: comparison not run"),
        },
        Err(_) => println!(
            "BLUEPRINT_METRICS_PYTHON is not set (make bench sets it): the Python comparison was \
             not run"
        ),
    }
}

/// Seconds the study's pipeline (`bench/metrics_reference.py`, study metrics only) spends on
/// the model's `W_rec`, summed over its timed calls, with the libraries' default threading.
fn study_reference(python: &str, bytes: &[u8], dir: &std::path::Path) -> Option<f64> {
    let w = onnx::read_model(bytes)
        .ok()?
        .matrix("W_rec")
        .ok()?
        .mapv(f64::from);
    let (w_path, d_path) = (dir.join("w.npy"), dir.join("d.npy"));
    ndarray_npy::write_npy(&w_path, &w).ok()?;
    ndarray_npy::write_npy(&d_path, &ndarray::Array2::<f64>::zeros(w.dim())).ok()?;
    let args = serde_json::json!({
        "w": w_path, "distances": d_path, "n_nulls": 1000, "matched_nulls": 0,
        "rewiring_iterations": 10, "restarts": 10, "seed": 1, "study_only": true,
    });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bench/metrics_reference.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(args.to_string())
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    [
        "entropy",
        "binarise",
        "modularity",
        "assortativity",
        "small-world",
    ]
    .iter()
    .map(|name| report["metrics"][name]["seconds"].as_f64())
    .sum()
}
