//! Crash consistency: the real server binary is killed with SIGKILL in the middle of
//! registrations, 20 times; after each restart every acknowledged model is stored, every stored
//! model's bytes hash to its checksum and equal the bytes that were uploaded, and nothing half-
//! written is listed.

#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use blueprint_core::manifest::sha256_hex;
use blueprint_core::task::TaskKind;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use support::{TestModel, multipart, ort_library};

const KILLS: usize = 20;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
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

fn start(database: &str, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database,
            "--seed-demo",
            "false",
            "--inference-threads",
            "1",
        ])
        .env("ORT_DYLIB_PATH", ort_library())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(response) = agent()
            .get(&format!("http://127.0.0.1:{port}/api/v1/readyz"))
            .call()
            && response.status().as_u16() == 200
        {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become ready on port {port}");
}

fn get_json(url: &str) -> Value {
    let mut response = agent().get(url).call().unwrap();
    assert_eq!(response.status().as_u16(), 200, "{url}");
    serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap()
}

/// Every stored model is whole: listed, downloadable, its bytes hash to its checksum and
/// equal what was uploaded under that checksum; every acknowledged upload is stored.
fn check_integrity(base: &str, uploaded: &HashMap<String, Vec<u8>>, acknowledged: &[String]) {
    let page = get_json(&format!("{base}/api/v1/models?limit=500"));
    let items = page["items"].as_array().unwrap();
    let mut stored = Vec::new();
    for item in items {
        let id = item["id"].as_i64().unwrap();
        let sha = item["sha256"].as_str().unwrap().to_owned();
        let mut response = agent()
            .get(&format!("{base}/api/v1/models/{id}/onnx"))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let bytes = response.body_mut().read_to_vec().unwrap();
        assert_eq!(sha256_hex(&bytes), sha, "model {id} is whole");
        assert_eq!(
            Some(&bytes),
            uploaded.get(&sha),
            "model {id} is byte-identical to its upload"
        );
        stored.push(sha);
    }
    for sha in acknowledged {
        assert!(stored.contains(sha), "acknowledged upload {sha} survived");
    }
}

#[test]
fn killed_mid_registration_twenty_times_the_store_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("crash.db").display());
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut uploaded: HashMap<String, Vec<u8>> = HashMap::new();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut next_seed = 0u64;
    for round in 0..KILLS {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(&database, port);
        check_integrity(&base, &uploaded, &acknowledged.lock().unwrap());
        // Three uploads in flight, then SIGKILL at a random moment.
        let mut uploaders = Vec::new();
        for _ in 0..3 {
            next_seed += 1;
            let model = TestModel::new(TaskKind::GoNogo, 24, next_seed);
            let (content_type, body) = multipart(&[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ]);
            let sha = sha256_hex(&model.bytes);
            uploaded.insert(sha.clone(), model.bytes.clone());
            let acknowledged = Arc::clone(&acknowledged);
            let url = format!("{base}/api/v1/models");
            uploaders.push(std::thread::spawn(move || {
                if let Ok(response) = agent()
                    .post(&url)
                    .header("content-type", &content_type)
                    .send(&body[..])
                    && matches!(response.status().as_u16(), 200 | 201)
                {
                    acknowledged.lock().unwrap().push(sha);
                }
            }));
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(5..250)));
        server.kill().unwrap();
        server.wait().unwrap();
        for uploader in uploaders {
            uploader.join().unwrap();
        }
        eprintln!(
            "round {}/{KILLS}: {} uploads acknowledged so far",
            round + 1,
            acknowledged.lock().unwrap().len()
        );
    }
    let port = free_port();
    let mut server = start(&database, port);
    check_integrity(
        &format!("http://127.0.0.1:{port}"),
        &uploaded,
        &acknowledged.lock().unwrap(),
    );
    assert!(
        !acknowledged.lock().unwrap().is_empty(),
        "some uploads finished before a kill, so the check saw stored models"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
