//! The server over real TCP on port 0 with an injected shutdown, and the binary's fail-fast
//! start when ONNX Runtime is missing.

use std::process::Command;

use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::config;

async fn http_get(address: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn serve_answers_on_port_0_and_stops_when_its_shutdown_future_resolves() {
    let dir = TempDir::new().unwrap();
    let state = blueprint_server::start(&config(&dir)).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(blueprint_server::serve(listener, state, async {
        stopped.await.ok();
    }));

    let response = http_get(address, "/api/v1/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with(r#"{"status":"ok"}"#), "{response}");

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    // `serve` returned, so its listener is dropped. (Probing the port would be racy: other
    // tests in this process bind port 0 and may be handed the same port at once.)
}

#[test]
fn the_binary_fails_fast_with_a_one_line_hint_when_onnx_runtime_is_missing() {
    let dir = TempDir::new().unwrap();
    for extra in [vec!["--ort-lib", "/nonexistent/libonnxruntime.so"], vec![]] {
        let output = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
            .arg("serve")
            .args(&extra)
            .env_remove("ORT_DYLIB_PATH")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("x.db").display()),
            )
            .env("BLUEPRINT_BIND", "127.0.0.1:0")
            .env("BLUEPRINT_SEED_DEMO", "false")
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(lines[0].contains("scripts/provision-ort.sh"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !dir.path().join("x.db").exists(),
            "nothing is created before the check"
        );
    }
}

#[test]
fn the_openapi_subcommand_prints_the_spec() {
    let output = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
        .arg("openapi")
        .env_remove("ORT_DYLIB_PATH")
        .output()
        .unwrap();
    assert!(output.status.success());
    let spec: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        spec,
        serde_json::to_value(blueprint_server::openapi()).unwrap()
    );
}

/// Runs `blueprint-server serve` on `database_url`; returns (success, stderr, seconds taken).
fn serve_once(database_url: &str) -> (bool, String, f64) {
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
        .arg("serve")
        .env("ORT_DYLIB_PATH", crate::support::ort_library())
        .env("DATABASE_URL", database_url)
        .env("BLUEPRINT_BIND", "127.0.0.1:0")
        .env("BLUEPRINT_SEED_DEMO", "false")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stderr).unwrap(),
        started.elapsed().as_secs_f64(),
    )
}

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0]
}

#[test]
fn a_database_url_of_another_scheme_is_refused_in_one_line_naming_the_two_that_work() {
    let (ok, stderr, _) = serve_once("mysql://root:hunter2@localhost/blueprint");
    assert!(!ok);
    let line = one_line(&stderr);
    assert!(
        line.contains("sqlite://") && line.contains("postgres://"),
        "{line}"
    );
    assert!(
        !line.contains("hunter2"),
        "the password is redacted: {line}"
    );
}

#[test]
fn an_unreachable_database_fails_the_start_in_bounded_time_with_the_password_redacted() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (ok, stderr, seconds) =
        serve_once(&format!("postgres://lab:s3cret@127.0.0.1:{port}/blueprint"));
    assert!(!ok);
    let line = one_line(&stderr);
    assert!(
        line.contains(&format!("postgres://lab:***@127.0.0.1:{port}/blueprint")),
        "{line}"
    );
    assert!(!line.contains("s3cret"), "{line}");
    assert!(
        seconds < blueprint_server::store::CONNECT_TIMEOUT.as_secs_f64() + 10.0,
        "{seconds} s"
    );
}

#[tokio::test]
async fn a_schema_newer_than_the_build_is_refused_naming_both_versions() {
    let dir = TempDir::new().unwrap();
    let url = crate::support::test_database_url(&dir).await;
    let store = blueprint_server::store::Store::open(&url).await.unwrap();
    let ours = store.schema_version().await.unwrap().unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ours + 93)
    .bind("from the future")
    .bind(true)
    .bind(vec![0u8; 48])
    .bind(1i64)
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;
    let mut config = config(&dir);
    config.database_url = url;
    let refused = blueprint_server::start(&config).await.unwrap_err();
    let message = format!("{refused:#}");
    assert!(
        message.contains(&format!("version {}", ours + 93))
            && message.contains(&format!("this build's {ours}")),
        "{message}"
    );
}

#[test]
fn migrate_refuses_a_missing_source_file_and_a_source_equal_to_its_destination_in_one_line() {
    let dir = TempDir::new().unwrap();
    let missing = format!("sqlite://{}", dir.path().join("typo.db").display());
    let to = format!("sqlite://{}", dir.path().join("to.db").display());
    for (from, to, expected) in [
        (missing.as_str(), to.as_str(), "there is no SQLite file"),
        (to.as_str(), to.as_str(), "name the same database"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_blueprint-server"))
            .args(["migrate", "--from", from, "--to", to])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(one_line(&stderr).contains(expected), "{stderr}");
    }
    assert!(
        !dir.path().join("typo.db").exists(),
        "no empty store is created"
    );
}
