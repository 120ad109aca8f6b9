//! Liveness, readiness, the tasks, the docs, and problem bodies for unknown routes.

use axum::http::{StatusCode, header};
use blueprint_core::task::{Task, TaskKind};

use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}

#[tokio::test]
async fn readyz_reports_the_database_and_onnx_runtime_usable() {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/readyz").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["onnx_runtime"], "ok");
    assert_eq!(body["execution_provider"], "cpu");
}

#[tokio::test]
async fn readyz_is_a_503_problem_once_the_database_is_closed() {
    let app = TestApp::new().await;
    app.state.store.close().await;
    app.get("/api/v1/readyz")
        .await
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable");
}

#[tokio::test]
async fn the_three_tasks_are_listed_with_their_sizes_chance_ceiling_and_timeline() {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/tasks").await;
    assert_eq!(reply.status, StatusCode::OK);
    let tasks = reply.json();
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    for (listed, kind) in tasks.iter().zip(TaskKind::ALL) {
        let task = Task::default_for(kind);
        assert_eq!(listed["task"], kind.as_str());
        assert_eq!(listed["n_inputs"], task.n_inputs());
        assert_eq!(listed["n_outputs"], task.n_outputs());
        assert_eq!(listed["n_steps"], task.n_steps());
        assert_eq!(listed["chance"], task.chance());
        assert_eq!(listed["ceiling"], task.ceiling());
        assert_eq!(
            listed["timeline"].as_array().unwrap().len(),
            task.timeline().len()
        );
        assert_eq!(
            listed["conditions"].as_array().unwrap().len(),
            task.conditions().len()
        );
        assert_eq!(listed["config"]["task"], kind.as_str());
    }
}

#[tokio::test]
async fn one_task_is_served_by_name_and_an_unknown_one_is_a_404_problem() {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/tasks/perceptual-dm").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["output_names"].as_array().unwrap().len(), 2);
    app.get("/api/v1/tasks/maze")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "task_not_found");
}

#[tokio::test]
async fn an_unknown_route_gets_a_404_problem_body() {
    let app = TestApp::new().await;
    app.get("/api/v1/nothing-here")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "route_not_found");
}

#[tokio::test]
async fn a_method_the_route_does_not_have_gets_a_405_problem_body() {
    let app = TestApp::new().await;
    app.delete("/api/v1/tasks", None)
        .await
        .assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn the_docs_and_the_spec_are_served_offline() {
    let app = TestApp::new().await;
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(
        docs.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(&docs.body).contains("swagger"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status, StatusCode::OK);
    assert!(
        bundle.body.len() > 100_000,
        "the Swagger UI bundle is embedded"
    );

    let spec = app.get("/api/openapi.json").await;
    assert_eq!(spec.status, StatusCode::OK);
    let spec = spec.json();
    assert!(spec["paths"]["/api/v1/models/{id}/evaluate"]["post"].is_object());
    assert_eq!(
        spec,
        serde_json::to_value(blueprint_server::openapi()).unwrap()
    );
}

#[tokio::test]
async fn asking_for_cuda_from_a_cpu_only_onnx_runtime_falls_back_to_the_cpu() {
    let app = TestApp::with(|config| {
        config.inference.execution_provider = blueprint_server::config::ExecutionProvider::Cuda;
    })
    .await;
    let ready = app.get("/api/v1/readyz").await.json();
    assert_eq!(ready["execution_provider"], "cpu");
    assert_eq!(ready["execution_provider_requested"], "cuda");
    assert_eq!(ready["device"], serde_json::Value::Null);
    let reason = ready["fallback_reason"].as_str().unwrap();
    assert!(reason.contains("no CUDA execution provider"), "{reason}");
    assert!(!reason.contains('\n'), "one line: {reason}");
    let id = app
        .register(&crate::support::TestModel::new(TaskKind::GoNogo, 8, 1))
        .await;
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 20, "seed": 4}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}
