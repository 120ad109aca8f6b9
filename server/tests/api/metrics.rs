//! `GET /models/{id}/metrics`: the report is `core::metrics` of the model's W_rec, cached per
//! (model, parameters) and deleted with the model; one test per rule of its parameters.

use std::time::Duration;

use axum::http::{StatusCode, header};
use blueprint_core::metrics::{MetricKind, MetricsConfig, compute_all};
use blueprint_core::network::Variant;
use blueprint_core::network::distance::{cube_like_shape, grid_distance};
use blueprint_core::task::TaskKind;
use serde_json::{Value, json};

use crate::support::{TestApp, assert_json_close, variant_model};

async fn cached_reports(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM model_metrics")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_metrics_of_a_model_are_core_metrics_of_its_w_rec_and_a_repeat_is_served_from_the_cache()
 {
    let app = TestApp::new().await;
    let model = variant_model(TaskKind::GoNogo, Variant::WD, 16, 4);
    let id = app.register(&model).await;
    let uri = format!("/api/v1/models/{id}/metrics?n_nulls=40&seed=3");
    let reply = app.get(&uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());

    let w_rec = model.weights.w_rec.mapv(f64::from);
    let distances = grid_distance(16, cube_like_shape(16)).unwrap();
    let config = MetricsConfig {
        n_nulls: 40,
        seed: 3,
        threads: 1,
        ..MetricsConfig::default()
    };
    let report = compute_all(w_rec.view(), Some(distances.view()), &config).unwrap();
    let mut expected = serde_json::to_value(&report).unwrap();
    expected["model_id"] = json!(id);
    assert_json_close(&reply.json(), &expected, "metrics");
    for metric in MetricKind::ALL {
        // Every metric was asked for: each has a value or a reason.
        let listed = report.undefined.iter().any(|u| u.metric == metric);
        assert!(report.value(metric).is_some() != listed, "{metric}");
    }
    assert!(report.wiring_cost.is_some(), "a grid model has distances");
    assert_eq!(cached_reports(&app).await, 1);

    let again = app.get(&uri).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_json_close(&again.json(), &reply.json(), "cached");
    assert_eq!(cached_reports(&app).await, 1, "served from the cache");
    // Other parameters are another report.
    let other = app
        .get(&format!(
            "/api/v1/models/{id}/metrics?n_nulls=40&seed=4&metrics=small-world"
        ))
        .await
        .json();
    assert_eq!(cached_reports(&app).await, 2);
    assert_ne!(other["small_world"], reply.json()["small_world"]);
}

#[tokio::test]
async fn only_the_named_metrics_are_computed_with_the_study_defaults() {
    let app = TestApp::new().await;
    let model = variant_model(TaskKind::PerceptualDm, Variant::W, 12, 2);
    let id = app.register(&model).await;
    let body = app
        .get(&format!(
            "/api/v1/models/{id}/metrics?metrics=modularity,%20entropy,modularity"
        ))
        .await
        .json();
    assert_eq!(body["config"]["metrics"], json!(["entropy", "modularity"]));
    assert_eq!(body["config"]["threshold_quantile"], 0.9);
    assert_eq!(body["config"]["n_nulls"], 1000);
    assert_eq!(body["config"]["seed"], 0);
    assert!(body["entropy"].is_f64());
    assert!(body["modularity"]["modularity"].is_f64());
    for absent in ["assortativity", "small_world", "spectral_radius"] {
        assert!(body.get(absent).is_none(), "{absent}: {body:#}");
    }
}

#[tokio::test]
async fn wiring_cost_of_a_model_without_distances_is_undefined_with_the_reason() {
    let app = TestApp::new().await;
    let id = app
        .register(&variant_model(TaskKind::GoNogo, Variant::W, 10, 1))
        .await;
    let body = app
        .get(&format!(
            "/api/v1/models/{id}/metrics?metrics=wiring-cost,sparsity"
        ))
        .await
        .json();
    assert!(body.get("wiring_cost").is_none(), "{body:#}");
    assert!(body["sparsity"].is_f64());
    let undefined = body["undefined"].as_array().unwrap();
    assert_eq!(undefined.len(), 1, "{body:#}");
    assert_eq!(undefined[0]["metric"], "wiring-cost");
    assert!(
        undefined[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no distances"),
        "{body:#}"
    );
}

#[tokio::test]
async fn deleting_a_model_deletes_its_cached_metrics() {
    let app = TestApp::new().await;
    let id = app
        .register(&variant_model(TaskKind::GoNogo, Variant::W, 8, 1))
        .await;
    let reply = app
        .get(&format!("/api/v1/models/{id}/metrics?metrics=entropy"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(cached_reports(&app).await, 1);
    assert_eq!(
        app.delete(&format!("/api/v1/models/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(cached_reports(&app).await, 0);
    app.get(&format!("/api/v1/models/{id}/metrics"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
}

/// Asserts that `query` on a stored model is refused with `status` and `code`, and that
/// nothing was cached.
async fn refused(query: &str, status: StatusCode, code: &str) -> Value {
    let app = TestApp::new().await;
    let id = app
        .register(&variant_model(TaskKind::GoNogo, Variant::W, 8, 1))
        .await;
    let reply = app
        .get(&format!("/api/v1/models/{id}/metrics?{query}"))
        .await;
    reply.assert_problem(status, code);
    assert_eq!(cached_reports(&app).await, 0);
    reply.json()
}

#[tokio::test]
async fn an_unknown_metric_returns_422_naming_the_known_ones() {
    let body = refused(
        "metrics=entropy,smallworld",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_metric",
    )
    .await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("`smallworld`") && detail.contains("small-world"),
        "{detail}"
    );
}

#[tokio::test]
async fn an_empty_metric_list_returns_422() {
    refused(
        "metrics=,",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_metric",
    )
    .await;
}

#[tokio::test]
async fn a_threshold_outside_0_1_returns_422() {
    for threshold in ["0", "1", "1.5", "-0.2", "NaN"] {
        refused(
            &format!("threshold_quantile={threshold}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "threshold_out_of_range",
        )
        .await;
    }
}

#[tokio::test]
async fn too_many_nulls_return_422() {
    let body = refused(
        "n_nulls=10001",
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_nulls",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("10000"));
}

#[tokio::test]
async fn zero_nulls_return_422() {
    refused(
        "n_nulls=0",
        StatusCode::UNPROCESSABLE_ENTITY,
        "n_nulls_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_or_malformed_parameter_returns_400() {
    refused(
        "nulls=10",
        StatusCode::BAD_REQUEST,
        "invalid_query_parameter",
    )
    .await;
    refused(
        "n_nulls=many",
        StatusCode::BAD_REQUEST,
        "invalid_query_parameter",
    )
    .await;
}

#[tokio::test]
async fn the_metrics_of_an_unknown_model_return_404() {
    let app = TestApp::new().await;
    app.get("/api/v1/models/41/metrics")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
}

#[tokio::test]
async fn metrics_run_on_the_inference_pool_and_a_saturated_pool_answers_503() {
    let app = TestApp::with(|config| {
        config.inference.inference_concurrency = 1;
        config.inference.inference_queue = 0;
    })
    .await;
    let id = app
        .register(&variant_model(TaskKind::GoNogo, Variant::W, 8, 1))
        .await;
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let inference = app.state.inference.clone();
    let holder = tokio::spawn(async move { inference.run(move || wait.recv()).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let uri = format!("/api/v1/models/{id}/metrics?metrics=entropy");
    let reply = app.get(&uri).await;
    reply.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "busy");
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");
    release.send(()).unwrap();
    holder.await.unwrap().unwrap().unwrap();
    assert_eq!(app.get(&uri).await.status, StatusCode::OK);
}
