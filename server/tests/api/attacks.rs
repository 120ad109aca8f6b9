//! Regression tests of the attacks that once got through (issue 8): each was reproduced
//! against the server before the service layer, and each must now be refused cleanly, with the
//! server still serving.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use blueprint_core::manifest::sha256_hex;
use blueprint_core::onnx::{self, proto};
use blueprint_core::task::{GoNogoConfig, TaskConfig, TaskKind};
use blueprint_server::store::models as model_store;
use ndarray::{Array1, Array2};
use prost::Message;

use crate::support::{TestApp, TestModel, manifest};

const TOKEN: &str = "s3cret-token";

fn with_nodes(model: &TestModel, edit: impl FnOnce(&mut proto::GraphProto)) -> Vec<u8> {
    let mut proto = proto::ModelProto::decode(model.bytes.as_slice()).unwrap();
    edit(proto.graph.as_mut().unwrap());
    proto.encode_to_vec()
}

/// A go/no-go manifest of `hidden` units whose delay period lasts `delay_steps`.
fn go_nogo_with_delay(
    hidden: usize,
    seed: u64,
    delay_steps: usize,
) -> blueprint_core::manifest::ModelManifest {
    let mut manifest = manifest(TaskKind::GoNogo, hidden, seed);
    manifest.task_config = TaskConfig::GoNogo(GoNogoConfig {
        delay_steps,
        ..GoNogoConfig::default()
    });
    manifest
}

/// Stores a model as one registered before today's checks would have been: straight into the
/// store, past the service.
async fn store_directly(
    app: &TestApp,
    manifest: &blueprint_core::manifest::ModelManifest,
    bytes: &[u8],
) -> i64 {
    match model_store::register(&app.state.store, manifest, bytes, None)
        .await
        .unwrap()
    {
        model_store::Registration::Created(record) => record.id,
        other => panic!("{other:?}"),
    }
}

async fn upload(app: &TestApp, bytes: &[u8], manifest_json: &str) -> crate::support::Reply {
    app.upload(
        &[("model", bytes), ("manifest", manifest_json.as_bytes())],
        None,
    )
    .await
}

#[tokio::test]
async fn a_timeline_past_the_limit_is_refused_at_upload() {
    let app = TestApp::new().await;
    let long = go_nogo_with_delay(8, 1, 4_000_000_000);
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let json = serde_json::to_string(&long).unwrap();
    let reply = upload(&app, &model.bytes, &json).await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "manifest_invalid");
    assert!(reply.json()["detail"].as_str().unwrap().contains("10000"));
    assert_eq!(app.model_count().await, 0);
}

#[tokio::test]
async fn a_stored_model_with_a_long_timeline_is_refused_at_evaluation_not_run() {
    let app = TestApp::new().await;
    // A model stored before the limits existed: written to the store directly.
    let long = go_nogo_with_delay(8, 1, 100_000);
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let id = store_directly(&app, &long, &model.bytes).await;
    let started = Instant::now();
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 2048, "seed": 3}"#,
        )
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "model_task_out_of_limits");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(app.get("/api/v1/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_if_trojan_and_a_loop_bomb_never_reach_onnx_runtime() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 2);
    let json = model.manifest_json();
    for op in ["If", "Loop"] {
        let bytes = with_nodes(&model, |graph| {
            let mut extra = graph.node[0].clone();
            extra.op_type = op.into();
            extra.output = vec!["unused".into()];
            graph.node.push(extra);
        });
        let reply = upload(&app, &bytes, &json).await;
        reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "graph_not_canonical");
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(
            detail.contains("extra node") && detail.contains(op),
            "{detail}"
        );
    }
    // A changed Scan body (the honest cell replaced) is named too.
    let bytes = with_nodes(&model, |graph| {
        let scan = graph.node.iter_mut().find(|n| n.op_type == "Scan").unwrap();
        let body = scan.attribute[0].g.as_mut().unwrap();
        body.node[0].op_type = "Neg".into();
    });
    let reply = upload(&app, &bytes, &json).await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "graph_not_canonical");
    assert_eq!(app.model_count().await, 0);
}

#[tokio::test]
async fn non_finite_and_huge_weights_are_refused_with_the_tensor_named() {
    let app = TestApp::new().await;
    let base = TestModel::new(TaskKind::GoNogo, 8, 3);
    for (tensor, value) in [("b_out", f32::NAN), ("W_rec", 3e38)] {
        let mut weights = base.weights.clone();
        match tensor {
            "b_out" => weights.b_out[0] = value,
            _ => weights.w_rec.fill(value),
        }
        let bytes = onnx::export(&weights, &base.manifest).unwrap();
        let reply = upload(&app, &bytes, &base.manifest_json()).await;
        reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "onnx_weights_invalid");
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(&format!("`{tensor}`")), "{detail}");
    }
    assert_eq!(app.model_count().await, 0);
}

#[tokio::test]
async fn stored_bytes_with_another_manifest_are_a_conflict_not_a_success() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 4);
    let id = app.register(&model).await;
    // The same manifest again: idempotent.
    let again = upload(&app, &model.bytes, &model.manifest_json()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["id"], id);
    // Another name: 409 naming the field.
    let mut renamed = model.manifest.clone();
    renamed.name = "another-name".into();
    let reply = upload(
        &app,
        &model.bytes,
        &serde_json::to_string(&renamed).unwrap(),
    )
    .await;
    reply.assert_problem(StatusCode::CONFLICT, "duplicate_manifest_differs");
    assert!(reply.json()["detail"].as_str().unwrap().contains("`name`"));
    // A wrong checksum: refused as for new bytes.
    let mut wrong = model.manifest.clone();
    wrong.onnx_sha256 = Some(sha256_hex(b"something else"));
    let reply = upload(&app, &model.bytes, &serde_json::to_string(&wrong).unwrap()).await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "checksum_mismatch");
    // A hidden size of 10^18: refused by the manifest limits.
    let mut huge = model.manifest.clone();
    huge.hidden_size = 1_000_000_000_000_000_000;
    let reply = upload(&app, &model.bytes, &serde_json::to_string(&huge).unwrap()).await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "manifest_invalid");
    assert_eq!(app.model_count().await, 1);
}

#[tokio::test]
async fn a_megabyte_name_is_refused() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 5);
    let mut named = model.manifest.clone();
    named.name = "n".repeat(1 << 20);
    let reply = upload(&app, &model.bytes, &serde_json::to_string(&named).unwrap()).await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "manifest_invalid");
    assert!(
        reply.body.len() < 4096,
        "the refusal does not echo the name"
    );
    assert_eq!(app.model_count().await, 0);
}

#[tokio::test]
async fn a_logit_that_overflows_is_an_invalid_evaluation_not_class_zero() {
    let app = TestApp::new().await;
    // h grows ×1e4 per step from a bias of 1e4: float32 overflows after ~9 steps, so the
    // logits are infinite.
    let long = go_nogo_with_delay(4, 6, 120);
    let mut model = TestModel::build(long, 1.0);
    let n = 4;
    model.weights.w_rec = Array2::eye(n) * 1e4;
    model.weights.b = Array1::from_elem(n, 1e4);
    model.weights.w_out = Array2::from_elem((n, 2), 1e4);
    model.bytes = onnx::export(&model.weights, &model.manifest).unwrap();
    // The upload's parity check refuses it (float32 overflows where float64 does not yet), so
    // it is stored as a model registered before that check would be: directly.
    let id = store_directly(&app, &model.manifest, &model.bytes).await;
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 64, "seed": 11}"#,
        )
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "model_output_not_finite");
}

#[tokio::test]
async fn anonymous_compute_is_refused_when_the_server_has_a_token() {
    let app = TestApp::with(|config| config.token = Some(TOKEN.into())).await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 7);
    let reply = app
        .upload(
            &[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ],
            Some(TOKEN),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.json()["id"].as_i64().unwrap();
    let evaluate = format!("/api/v1/models/{id}/evaluate");
    let body = r#"{"n_trials": 16, "seed": 3}"#;
    app.post_json(&evaluate, body)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    let metrics = format!("/api/v1/models/{id}/metrics?metrics=entropy");
    app.get(&metrics)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    app.post_json(
        "/api/v1/comparisons",
        r#"{"task": "go-nogo", "measures": ["entropy"], "seed": 1}"#,
    )
    .await
    .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");

    // With the token, in any case of the scheme, they compute; the token is exact.
    let send = |uri: &str, authorization: &str, post: Option<&str>| {
        let request = match post {
            Some(body) => Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, authorization)
                .body(Body::from(body.to_owned())),
            None => Request::get(uri)
                .header(header::AUTHORIZATION, authorization)
                .body(Body::empty()),
        };
        app.send(request.unwrap())
    };
    let ok = send(&evaluate, &format!("bearer {TOKEN}"), Some(body)).await;
    assert_eq!(ok.status, StatusCode::OK, "{:#}", ok.json());
    send(&evaluate, &format!("Bearer {TOKEN} "), Some(body))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "invalid_token");
    let measured = send(&metrics, &format!("BEARER {TOKEN}"), None).await;
    assert_eq!(measured.status, StatusCode::OK);
    // Once cached, the report is a read, open to all.
    assert_eq!(app.get(&metrics).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/models").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_read_token_guards_reads_and_the_write_token_reads_too() {
    let app = TestApp::with(|config| {
        config.token = Some(TOKEN.into());
        config.read_token = Some("reader".into());
    })
    .await;
    app.get("/api/v1/models")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    for token in ["reader", TOKEN] {
        let reply = app
            .send(
                Request::get("/api/v1/models")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{token}");
    }
    assert_eq!(app.get("/api/v1/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_metrics_flood_leaves_evaluations_served_within_the_deadline() {
    let app = TestApp::with(|config| {
        config.inference.inference_concurrency = 2;
        config.request_timeout = 20;
    })
    .await;
    let model = TestModel::new(TaskKind::GoNogo, 60, 8);
    let id = app.register(&model).await;
    // 18 distinct uncached requests for 10,000 nulls each (distinct seeds: no single-flight).
    let floods: Vec<_> = (0..18)
        .map(|seed| {
            let uri = format!(
                "/api/v1/models/{id}/metrics?metrics=small-world&n_nulls=10000&seed={seed}"
            );
            let app = &app;
            async move { app.get(&uri).await.status }
        })
        .collect();
    let evaluation = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        let reply = app
            .post_json(
                &format!("/api/v1/models/{id}/evaluate"),
                r#"{"n_trials": 256, "seed": 12}"#,
            )
            .await;
        (reply.status, started.elapsed())
    };
    let (statuses, (status, waited)) = tokio::join!(futures_join_all(floods), evaluation);
    assert_eq!(status, StatusCode::OK, "evaluation under a metrics flood");
    assert!(waited < Duration::from_secs(20), "{waited:?}");
    // Surplus metrics requests are told to come back, never left to pile up.
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn identical_concurrent_evaluations_are_computed_once() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::PerceptualDm, 40, 9);
    let id = app.register(&model).await;
    let uri = format!("/api/v1/models/{id}/evaluate");
    let requests: Vec<_> = (0..12)
        .map(|_| {
            let (app, uri) = (&app, &uri);
            async move {
                app.post_json(uri, r#"{"n_trials": 2048, "seed": 13}"#)
                    .await
            }
        })
        .collect();
    let replies = futures_join_all(requests).await;
    let first = replies[0].json();
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
        assert_eq!(reply.json(), first);
    }
}

#[tokio::test]
async fn a_request_past_its_deadline_gets_503_deadline_exceeded() {
    let app = TestApp::with(|config| {
        config.request_timeout = 1;
        config.inference.inference_batch = 1;
    })
    .await;
    let long = go_nogo_with_delay(256, 10, 9_000);
    let id = app.register(&TestModel::build(long, 1.0)).await;
    let started = Instant::now();
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 2048, "seed": 3}"#,
        )
        .await;
    reply.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "deadline_exceeded");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn over_long_uris_and_bad_multipart_boundaries_answer_problem_json() {
    let app = TestApp::new().await;
    let long = format!("/api/v1/models?field={}", "x".repeat(10_000));
    app.get(&long)
        .await
        .assert_problem(StatusCode::URI_TOO_LONG, "uri_too_long");
    let reply = app
        .send(
            Request::post("/api/v1/models")
                .header(header::CONTENT_TYPE, "multipart/form-data")
                .body(Body::from("no boundary"))
                .unwrap(),
        )
        .await;
    reply.assert_problem(StatusCode::BAD_REQUEST, "malformed_multipart");
    let reply = app
        .send(
            Request::post("/api/v1/models")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("x"))
                .unwrap(),
        )
        .await;
    reply.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
}

#[tokio::test]
async fn a_changed_evaluator_identity_misses_the_cache() {
    let app = TestApp::new().await;
    let id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 14)).await;
    let uri = format!("/api/v1/models/{id}/evaluate");
    let body = r#"{"n_trials": 32, "seed": 5}"#;
    assert_eq!(app.post_json(&uri, body).await.status, StatusCode::OK);
    assert_eq!(app.post_json(&uri, body).await.status, StatusCode::OK);
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM evaluations WHERE model_id = $1")
            .bind(id)
            .fetch_one(app.state.store.pool())
            .await
            .unwrap()
    };
    assert_eq!(rows().await, 1, "the repeat came from the cache");
    // The same store under another evaluator: a miss, computed and cached beside the first.
    let mut state = app.state.clone();
    let mut identity = (*state.identity).clone();
    identity.evaluator.push_str("-changed");
    state.identity = std::sync::Arc::new(identity);
    let changed = blueprint_server::app(state);
    let reply = tower::ServiceExt::oneshot(
        changed,
        Request::post(&uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(rows().await, 2, "a changed evaluator recomputed");
}

/// Awaits every future, concurrently; outputs in order.
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    futures_util::future::join_all(futures).await
}

#[tokio::test]
async fn metrics_beyond_the_work_cap_are_refused_naming_the_cap_and_nothing_is_cached() {
    let app = TestApp::with(|config| config.max_metrics_work = 100_000).await;
    let id = app
        .register(&TestModel::new(TaskKind::GoNogo, 40, 15))
        .await;
    // 1,000 study nulls × 40² = 1.6e6, over the cap of 1e5.
    let reply = app
        .get(&format!(
            "/api/v1/models/{id}/metrics?metrics=small-world&n_nulls=1000"
        ))
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "metrics_work_too_large");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("--max-metrics-work")
    );
    let cached: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_metrics")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(cached, 0);
    // Within the cap the same request is served.
    let small = app
        .get(&format!(
            "/api/v1/models/{id}/metrics?metrics=small-world&n_nulls=50"
        ))
        .await;
    assert_eq!(small.status, StatusCode::OK, "{:#}", small.json());
}
