//! One test per rule of upload and evaluation validation: each bad input gets its 4xx code
//! and a problem body, and the store is unchanged.

use axum::http::{StatusCode, header};
use blueprint_core::manifest::sha256_hex;
use blueprint_core::seed::{SeedStream, derived_seed};
use blueprint_core::task::TaskKind;

use crate::support::{Reply, TestApp, TestModel, manifest};

/// On a fresh app holding one model, uploads `parts`, asserts the problem, and asserts that
/// the store still holds exactly that one model.
async fn refused_upload(
    parts: &[(&str, &[u8])],
    token: Option<&str>,
    configure: impl FnOnce(&mut blueprint_server::config::ServeConfig),
    status: StatusCode,
    code: &str,
) -> Reply {
    let app = TestApp::with(configure).await;
    let existing = TestModel::new(TaskKind::GoNogo, 5, 99);
    let token_for_setup = app.state.limits.token.clone();
    let setup = app
        .upload(
            &[
                ("model", &existing.bytes),
                ("manifest", existing.manifest_json().as_bytes()),
            ],
            token_for_setup.as_deref(),
        )
        .await;
    assert_eq!(setup.status, StatusCode::CREATED);
    let reply = app.upload(parts, token).await;
    reply.assert_problem(status, code);
    assert_eq!(app.model_count().await, 1, "nothing was stored");
    reply
}

fn good() -> TestModel {
    TestModel::new(TaskKind::GoNogo, 8, 1)
}

#[tokio::test]
async fn uploading_a_truncated_onnx_file_returns_422_and_stores_nothing() {
    let model = good();
    let truncated = &model.bytes[..model.bytes.len() / 2];
    refused_upload(
        &[
            ("model", truncated),
            ("manifest", model.manifest_json().as_bytes()),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "onnx_unparseable",
    )
    .await;
}

#[tokio::test]
async fn uploading_an_onnx_file_of_the_wrong_shape_returns_422_and_stores_nothing() {
    // A maze network (8 inputs, 4 outputs) sent with a go/no-go manifest (3 inputs, 2 outputs).
    let maze = TestModel::new(TaskKind::OneChoiceInference, 8, 1);
    let go_nogo = manifest(TaskKind::GoNogo, 8, 1);
    let reply = refused_upload(
        &[
            ("model", &maze.bytes),
            (
                "manifest",
                serde_json::to_string(&go_nogo).unwrap().as_bytes(),
            ),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "onnx_signature_mismatch",
    )
    .await;
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("n_inputs = 3")
    );
}

#[tokio::test]
async fn uploading_a_manifest_that_lies_about_the_hidden_size_returns_422_and_stores_nothing() {
    let model = good();
    let mut lying = model.manifest.clone();
    lying.hidden_size = 16;
    let reply = refused_upload(
        &[
            ("model", &model.bytes),
            (
                "manifest",
                serde_json::to_string(&lying).unwrap().as_bytes(),
            ),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "hidden_size_mismatch",
    )
    .await;
    assert!(reply.json()["detail"].as_str().unwrap().contains("[8, 8]"));
}

#[tokio::test]
async fn uploading_a_manifest_with_an_unknown_task_returns_422_and_stores_nothing() {
    let model = good();
    let json = model.manifest_json().replace("\"go-nogo\"", "\"maze\"");
    refused_upload(
        &[("model", &model.bytes), ("manifest", json.as_bytes())],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_task",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_manifest_with_an_unknown_variant_returns_422_and_stores_nothing() {
    let model = good();
    let json = model
        .manifest_json()
        .replace("\"variant\":\"W\"", "\"variant\":\"W*X\"");
    refused_upload(
        &[("model", &model.bytes), ("manifest", json.as_bytes())],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_variant",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_manifest_that_is_not_json_returns_400_and_stores_nothing() {
    let model = good();
    refused_upload(
        &[("model", &model.bytes), ("manifest", b"{\"task\": ")],
        None,
        |_| {},
        StatusCode::BAD_REQUEST,
        "manifest_not_json",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_self_contradicting_manifest_returns_422_and_stores_nothing() {
    let model = good();
    let mut contradicting = model.manifest.clone();
    contradicting.alpha = 2.0;
    refused_upload(
        &[
            ("model", &model.bytes),
            (
                "manifest",
                serde_json::to_string(&contradicting).unwrap().as_bytes(),
            ),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "manifest_invalid",
    )
    .await;
}

#[tokio::test]
async fn uploading_with_a_checksum_that_is_not_the_files_returns_422_and_stores_nothing() {
    let model = good();
    let mut wrong = model.manifest.clone();
    wrong.onnx_sha256 = Some(sha256_hex(b"another file"));
    refused_upload(
        &[
            ("model", &model.bytes),
            (
                "manifest",
                serde_json::to_string(&wrong).unwrap().as_bytes(),
            ),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "checksum_mismatch",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_manifest_that_disagrees_with_the_embedded_one_returns_422_and_stores_nothing()
{
    let model = good();
    let mut other_seed = model.manifest.clone();
    other_seed.seed = 12345;
    let reply = refused_upload(
        &[
            ("model", &model.bytes),
            (
                "manifest",
                serde_json::to_string(&other_seed).unwrap().as_bytes(),
            ),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "manifest_mismatch",
    )
    .await;
    assert!(reply.json()["detail"].as_str().unwrap().contains("seed"));
}

#[tokio::test]
async fn uploading_a_graph_that_is_not_the_network_its_manifest_describes_returns_422_and_stores_nothing()
 {
    // The manifest (also the embedded copy) says α = 0.5; the graph computes α = 1, so it is
    // not the canonical graph of its weights and never reaches ONNX Runtime.
    let mut leaky = manifest(TaskKind::GoNogo, 8, 1);
    leaky.alpha = 0.5;
    let model = TestModel::build(leaky, 1.0);
    refused_upload(
        &[
            ("model", &model.bytes),
            ("manifest", model.manifest_json().as_bytes()),
        ],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "graph_not_canonical",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_file_without_an_embedded_manifest_and_no_manifest_part_returns_422() {
    refused_upload(
        // An ONNX ModelProto with ir_version = 8 and an empty graph, and no metadata.
        &[("model", b"\x08\x08\x3a\x00")],
        None,
        |_| {},
        StatusCode::UNPROCESSABLE_ENTITY,
        "manifest_missing",
    )
    .await;
}

#[tokio::test]
async fn uploading_without_a_model_part_returns_400_and_stores_nothing() {
    let model = good();
    refused_upload(
        &[("manifest", model.manifest_json().as_bytes())],
        None,
        |_| {},
        StatusCode::BAD_REQUEST,
        "missing_part",
    )
    .await;
}

#[tokio::test]
async fn uploading_a_misspelt_part_returns_400_and_stores_nothing() {
    let model = good();
    refused_upload(
        &[
            ("model", &model.bytes),
            ("manifset", model.manifest_json().as_bytes()),
        ],
        None,
        |_| {},
        StatusCode::BAD_REQUEST,
        "unexpected_part",
    )
    .await;
}

#[tokio::test]
async fn uploading_without_the_configured_token_returns_401_and_stores_nothing() {
    let model = good();
    let reply = refused_upload(
        &[
            ("model", &model.bytes),
            ("manifest", model.manifest_json().as_bytes()),
        ],
        None,
        |config| config.token = Some("s3cret".into()),
        StatusCode::UNAUTHORIZED,
        "missing_token",
    )
    .await;
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
}

#[tokio::test]
async fn uploading_with_a_wrong_token_returns_401_and_stores_nothing() {
    let model = good();
    refused_upload(
        &[
            ("model", &model.bytes),
            ("manifest", model.manifest_json().as_bytes()),
        ],
        Some("guess"),
        |config| config.token = Some("s3cret".into()),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn deleting_without_the_configured_token_returns_401_and_keeps_the_model() {
    let app = TestApp::with(|config| config.token = Some("s3cret".into())).await;
    let model = good();
    let stored = app
        .upload(
            &[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ],
            Some("s3cret"),
        )
        .await;
    let id = stored.json()["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/models/{id}"), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    assert_eq!(app.model_count().await, 1);
}

#[tokio::test]
async fn uploading_more_than_the_size_limit_returns_413_and_stores_nothing() {
    let model = good();
    let padding = vec![b' '; 64 * 1024];
    let manifest = format!(
        "{}{}",
        model.manifest_json(),
        String::from_utf8(padding).unwrap()
    );
    refused_upload(
        &[("model", &model.bytes), ("manifest", manifest.as_bytes())],
        None,
        |config| config.max_upload_bytes = 32 * 1024,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}

/// Evaluates model 1 of a fresh app with `body`, asserts the problem, and asserts that no
/// model changed and no evaluation was cached.
async fn refused_evaluation(body: &str, status: StatusCode, code: &str) {
    let app = TestApp::with(|config| config.max_eval_trials = 100).await;
    let id = app.register(&good()).await;
    app.post_json(&format!("/api/v1/models/{id}/evaluate"), body)
        .await
        .assert_problem(status, code);
    assert_eq!(app.model_count().await, 1);
    let cached: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(cached, 0);
}

#[tokio::test]
async fn evaluating_zero_trials_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 0, "seed": 7}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "n_trials_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn evaluating_more_trials_than_the_cap_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 101, "seed": 7}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "n_trials_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn evaluating_with_malformed_json_returns_400_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 10, "seed": "#,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
}

#[tokio::test]
async fn evaluating_with_a_misspelt_field_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"ntrials": 10, "seed": 7}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
}

#[tokio::test]
async fn evaluating_with_negative_input_noise_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 10, "seed": 7, "input_noise": -0.1}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input_noise",
    )
    .await;
}

#[tokio::test]
async fn evaluating_on_a_task_of_other_sizes_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 10, "seed": 7, "task": "one-choice-inference"}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "task_incompatible",
    )
    .await;
}

#[tokio::test]
async fn evaluating_on_an_unknown_task_returns_422_and_changes_nothing() {
    refused_evaluation(
        r#"{"n_trials": 10, "seed": 7, "task": "maze"}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
}

#[tokio::test]
async fn evaluating_on_the_training_trials_seed_returns_422_unless_allowed() {
    // The test model's master seed is 1; the trainer drew its training trials from this seed.
    let training = derived_seed(1, SeedStream::TrainTrials);
    refused_evaluation(
        &format!(r#"{{"n_trials": 10, "seed": {training}}}"#),
        StatusCode::UNPROCESSABLE_ENTITY,
        "training_seed",
    )
    .await;
    let app = TestApp::new().await;
    let id = app.register(&good()).await;
    let allowed = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            &format!(r#"{{"n_trials": 10, "seed": {training}, "allow_training_seed": true}}"#),
        )
        .await;
    assert_eq!(allowed.status, StatusCode::OK);
    // The master seed itself generates other trials and is allowed.
    let master = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 10, "seed": 1}"#,
        )
        .await;
    assert_eq!(master.status, StatusCode::OK);
}

#[tokio::test]
async fn evaluating_without_a_json_content_type_returns_415() {
    let app = TestApp::new().await;
    let id = app.register(&good()).await;
    app.send(
        axum::http::Request::post(format!("/api/v1/models/{id}/evaluate"))
            .body(axum::body::Body::from(r#"{"n_trials": 10, "seed": 7}"#))
            .unwrap(),
    )
    .await
    .assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
}

#[tokio::test]
async fn evaluating_a_missing_model_returns_404() {
    let app = TestApp::new().await;
    app.post_json(
        "/api/v1/models/9/evaluate",
        r#"{"n_trials": 10, "seed": 7}"#,
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
}
