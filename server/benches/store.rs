//! The store's two engines side by side in one run, through the same HTTP API on the same
//! machine: a server process on SQLite and one on PostgreSQL (a throwaway cluster from
//! `scripts/postgres-local.sh`), each holding the same models.
//!
//! 1. Registration latency (`POST /models`, a 312-unit model, median of 15 new models).
//! 2. `GET /models/{id}` throughput under `wrk` (Debian's package) from a second process.
//! 3. `POST /models/{id}/evaluate` throughput when the answer is cached.
//!
//! Target: PostgreSQL within 2× of SQLite for reads. Then two PostgreSQL replicas behind no
//! proxy, each loaded by its own `wrk`, against one replica loaded by both: the scaling of
//! reads with a second replica (target ≥ 1.5× on two cores). All load generators share the
//! machine's cores with the servers, which this bench reports rather than hides.
//!
//! Run: `make bench` (or `cargo bench -p blueprint-server --bench store` with ORT_DYLIB_PATH
//! set, as root or with PostgreSQL installed).

#[path = "common.rs"]
mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use blueprint_core::task::TaskKind;

const N: usize = 312;
const REGISTRATIONS: u64 = 15;
const WRK_SECONDS: &str = "6s";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database,
            "--seed-demo",
            "false",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}/api/v1"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if agent()
            .get(&format!("{}/readyz", server.url))
            .call()
            .is_ok_and(|response| response.status().as_u16() == 200)
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server on {database} did not become ready");
}

fn multipart(bytes: &[u8], manifest_json: &str) -> (String, Vec<u8>) {
    let boundary = "blueprint-bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.onnx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\
             Content-Type: application/json\r\n\r\n{manifest_json}\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Registers models of seeds `seeds` on `server`; returns the median seconds and the last id.
fn register(server: &Server, seeds: std::ops::Range<u64>) -> (f64, i64) {
    let mut seconds = Vec::new();
    let mut id = 0;
    for seed in seeds {
        let (bytes, manifest) = common::bench_model(N, TaskKind::OneChoiceInference, seed);
        let (content_type, body) = multipart(&bytes, &manifest.to_json());
        let start = Instant::now();
        let mut response = agent()
            .post(&format!("{}/models", server.url))
            .header("content-type", &content_type)
            .send(&body[..])
            .unwrap();
        let answer: serde_json::Value =
            serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
        seconds.push(start.elapsed().as_secs_f64());
        assert_eq!(response.status().as_u16(), 201, "{answer}");
        id = answer["id"].as_i64().unwrap();
    }
    seconds.sort_by(f64::total_cmp);
    (seconds[seconds.len() / 2], id)
}

/// Requests per second `wrk` reached on `url` (a POST with `body` when given), and its p99.
fn wrk(url: &str, connections: u32, body: Option<&str>, dir: &Path) -> Option<(f64, String)> {
    let mut args = vec![
        "-t1".to_owned(),
        format!("-c{connections}"),
        format!("-d{WRK_SECONDS}"),
        "--latency".to_owned(),
    ];
    if let Some(body) = body {
        let script = dir.join(format!("post-{}.lua", free_port()));
        std::fs::write(
            &script,
            format!(
                "wrk.method = \"POST\"\nwrk.body = '{body}'\n\
                 wrk.headers[\"Content-Type\"] = \"application/json\"\n"
            ),
        )
        .ok()?;
        args.push("-s".to_owned());
        args.push(script.display().to_string());
    }
    args.push(url.to_owned());
    let output = Command::new("wrk").args(&args).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    if text.contains("Non-2xx") {
        eprintln!("wrk saw errors on {url}:\n{text}");
        return None;
    }
    let rate = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    let p99 = text
        .lines()
        .find(|line| line.trim_start().starts_with("99%"))
        .map(|line| line.trim().trim_start_matches("99%").trim().to_owned())
        .unwrap_or_default();
    Some((rate, p99))
}

/// Two `wrk`s at once, on `first` and `second`; the sum of their rates.
fn wrk_pair(first: &str, second: &str, dir: &Path) -> Option<f64> {
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| wrk(first, 16, None, dir));
        let b = scope.spawn(|| wrk(second, 16, None, dir));
        (a.join().unwrap(), b.join().unwrap())
    });
    Some(a?.0 + b?.0)
}

/// Engine, registration seconds, GET rate and p99, cached-evaluate rate and p99.
type EngineRow = (
    &'static str,
    f64,
    Option<(f64, String)>,
    Option<(f64, String)>,
);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("wrk is not installed (apt-get install wrk; make bench does): bench not run");
        return;
    }
    let script = root().join("scripts/postgres-local.sh");
    let admin = match Command::new(&script).arg("start").output() {
        Ok(output) if output.status.success() => {
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        }
        _ => {
            println!(
                "PostgreSQL could not be started (scripts/postgres-local.sh): the engines were \
                 NOT compared"
            );
            return;
        }
    };
    let stop = || {
        let _ = Command::new(&script).args(["stop", &admin]).output();
    };
    let created = Command::new("psql")
        .args([&admin, "-qc", "CREATE DATABASE bench"])
        .status();
    if !created.is_ok_and(|status| status.success()) {
        println!("could not create the bench database: the engines were NOT compared");
        stop();
        return;
    }
    let postgres_url = format!("{}/bench", admin.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("bench.db").display());

    let engines = [
        ("SQLite", sqlite_url.as_str()),
        ("PostgreSQL", &postgres_url),
    ];
    let mut rows: Vec<EngineRow> = Vec::new();
    for (engine, url) in engines {
        let server = serve(url);
        let (registration, id) = register(&server, 1..1 + REGISTRATIONS);
        let body = r#"{"n_trials": 256, "seed": 5}"#;
        let mut warm = agent()
            .post(&format!("{}/models/{id}/evaluate", server.url))
            .header("content-type", "application/json")
            .send(body.as_bytes())
            .unwrap();
        assert_eq!(warm.status().as_u16(), 200);
        let _ = warm.body_mut().read_to_vec();
        let get = wrk(&format!("{}/models/{id}", server.url), 32, None, dir.path());
        let evaluate = wrk(
            &format!("{}/models/{id}/evaluate", server.url),
            32,
            Some(body),
            dir.path(),
        );
        rows.push((engine, registration, get, evaluate));
    }
    println!(
        "The same API on each engine, one server process, {N}-unit models, wrk 1 thread × 32 \
         connections × {WRK_SECONDS} on the same 2 cores:"
    );
    println!(
        "| engine | registration (median of {REGISTRATIONS}) | GET /models/{{id}} req/s (p99) | cached POST /evaluate req/s (p99) |"
    );
    println!("|---|---|---|---|");
    let show = |value: &Option<(f64, String)>| match value {
        Some((rate, p99)) => format!("{rate:.0} ({p99})"),
        None => "failed".to_owned(),
    };
    for (engine, registration, get, evaluate) in &rows {
        println!(
            "| {engine} | {:.1} ms | {} | {} |",
            registration * 1000.0,
            show(get),
            show(evaluate)
        );
    }
    let rate = |value: &Option<(f64, String)>| value.as_ref().map(|(rate, _)| *rate);
    let ratio = |pick: fn(&EngineRow) -> &Option<(f64, String)>| {
        Some(rate(pick(&rows[0]))? / rate(pick(&rows[1]))?)
    };
    let (get, evaluate) = (ratio(|row| &row.2), ratio(|row| &row.3));
    if let (Some(get), Some(evaluate)) = (get, evaluate) {
        println!(
            "SQLite / PostgreSQL throughput: GET {get:.2}×, cached evaluate {evaluate:.2}× \
             (target ≤ 2×); registration {:.2}× slower on PostgreSQL",
            rows[1].1 / rows[0].1
        );
    }

    // Reads with a second replica on the same PostgreSQL database.
    println!();
    let first = serve(&postgres_url);
    let second = serve(&postgres_url);
    let (_, id) = register(&first, 100..101);
    let path = format!("/models/{id}");
    let one = wrk_pair(
        &format!("{}{path}", first.url),
        &format!("{}{path}", first.url),
        dir.path(),
    );
    let two = wrk_pair(
        &format!("{}{path}", first.url),
        &format!("{}{path}", second.url),
        dir.path(),
    );
    match (one, two) {
        (Some(one), Some(two)) => println!(
            "GET /models/{{id}} on PostgreSQL, two wrks × 16 connections: one replica {one:.0} \
             req/s, two replicas {two:.0} req/s: {:.2}× (target ≥ 1.5×; servers, wrks and \
             PostgreSQL share {} cores)",
            two / one,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        ),
        _ => println!("a wrk run failed: replica scaling not measured"),
    }
    drop((first, second));
    stop();
}
