//! Registering, listing, reading, downloading and deleting models.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use blueprint_core::manifest::sha256_hex;
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;
use blueprint_server::store::models::{self as model_store, Registration};

use crate::support::{TestApp, TestModel, manifest};

#[tokio::test]
async fn registering_a_model_stores_it_and_returns_201_with_its_location() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let reply = app
        .upload(
            &[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.json());
    let body = reply.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        reply.headers[header::LOCATION],
        format!("/api/v1/models/{id}")
    );
    assert_eq!(body["task"], "go-nogo");
    assert_eq!(body["variant"], "W");
    assert_eq!(body["hidden_size"], 8);
    assert_eq!(body["field"], "5_3_4");
    assert_eq!(body["sha256"], sha256_hex(&model.bytes));
    assert_eq!(body["size_bytes"], model.bytes.len());
    assert_eq!(body["manifest"]["onnx_sha256"], sha256_hex(&model.bytes));
    assert_eq!(app.model_count().await, 1);

    let fetched = app.get(&format!("/api/v1/models/{id}")).await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.json(), body);
}

#[tokio::test]
async fn registering_identical_bytes_again_returns_200_with_the_existing_model() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let first = app.register(&model).await;
    let again = app
        .upload(
            &[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["id"], first);
    assert!(again.headers.get(header::LOCATION).is_none());
    assert_eq!(app.model_count().await, 1);
}

#[tokio::test]
async fn concurrent_registrations_of_the_same_bytes_store_one_model() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let store = &app.state.store;
    let (left, right) = tokio::join!(
        model_store::register(store, &model.manifest, &model.bytes, None),
        model_store::register(store, &model.manifest, &model.bytes, None),
    );
    let outcomes = [left.unwrap(), right.unwrap()];
    let created = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Registration::Created(_)))
        .count();
    assert_eq!(created, 1);
    assert_eq!(app.model_count().await, 1);
}

#[tokio::test]
async fn a_model_uploaded_without_a_manifest_part_uses_the_manifest_embedded_in_the_file() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::PerceptualDm, 6, 3);
    let reply = app.upload(&[("model", &model.bytes)], None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.json());
    assert_eq!(reply.json()["task"], "perceptual-dm");
    assert_eq!(reply.json()["name"], model.manifest.name);
}

#[tokio::test]
async fn a_manifest_with_the_files_checksum_is_accepted() {
    let app = TestApp::new().await;
    let mut model = TestModel::new(TaskKind::GoNogo, 8, 1);
    model.manifest.onnx_sha256 = Some(sha256_hex(&model.bytes).to_uppercase());
    app.register(&model).await;
}

#[tokio::test]
async fn listing_filters_by_task_variant_positive_dataset_and_field_and_paginates() {
    let app = TestApp::new().await;
    for seed in 1..=3 {
        app.register(&TestModel::new(TaskKind::GoNogo, 6, seed))
            .await;
    }
    app.register(&TestModel::new(TaskKind::PerceptualDm, 6, 4))
        .await;
    let mut other_field = manifest(TaskKind::OneChoiceInference, 6, 5);
    other_field.dataset.field = "6_6_2".into();
    other_field.positive = true;
    app.register(&TestModel::build(other_field, 1.0)).await;

    let all = app.get("/api/v1/models").await.json();
    assert_eq!(all["total"], 5);
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert!(
        all["items"][0].get("manifest").is_none(),
        "lists carry summaries"
    );

    let go_nogo = app.get("/api/v1/models?task=go-nogo").await.json();
    assert_eq!(go_nogo["total"], 3);
    let page = app
        .get("/api/v1/models?task=go-nogo&limit=2&offset=2")
        .await
        .json();
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    assert_eq!(page["items"][0]["seed"], 3);

    let positive = app.get("/api/v1/models?positive=true").await.json();
    assert_eq!(positive["total"], 1);
    let field = app
        .get("/api/v1/models?field=6_6_2&dataset=synthetic")
        .await
        .json();
    assert_eq!(field["total"], 1);
    let variant = format!("/api/v1/models?variant={}", "W%2AD%2AC");
    assert_eq!(app.get(&variant).await.json()["total"], 0);
    assert_eq!(Variant::W.label(), "W");
    assert_eq!(app.get("/api/v1/models?variant=W").await.json()["total"], 5);
}

#[tokio::test]
async fn listing_with_an_unknown_filter_value_or_page_size_is_a_400_problem() {
    let app = TestApp::new().await;
    for query in [
        "task=maze",
        "variant=Q",
        "limit=0",
        "limit=501",
        "positive=maybe",
        "colour=red",
    ] {
        app.get(&format!("/api/v1/models?{query}"))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_query_parameter");
    }
}

#[tokio::test]
async fn downloading_returns_the_exact_bytes_with_the_sha256_as_etag() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let id = app.register(&model).await;
    let reply = app.get(&format!("/api/v1/models/{id}/onnx")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.as_ref(), model.bytes.as_slice());
    let etag = format!("\"{}\"", sha256_hex(&model.bytes));
    assert_eq!(reply.headers[header::ETAG], etag.as_str());
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/octet-stream"
    );

    let cached = app
        .send(
            Request::get(format!("/api/v1/models/{id}/onnx"))
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.body.is_empty());
}

#[tokio::test]
async fn deleting_a_model_removes_it_its_bytes_and_its_evaluations() {
    let app = TestApp::new().await;
    let id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 1)).await;
    let evaluation = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 16, "seed": 100}"#,
        )
        .await;
    assert_eq!(evaluation.status, StatusCode::OK);

    let reply = app.delete(&format!("/api/v1/models/{id}"), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(app.model_count().await, 0);
    app.get(&format!("/api/v1/models/{id}"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    app.get(&format!("/api/v1/models/{id}/onnx"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    app.delete(&format!("/api/v1/models/{id}"), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    let pool = app.state.store.pool();
    let leftovers: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM model_files) + (SELECT COUNT(*) FROM evaluations)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(leftovers, 0);
}

#[tokio::test]
async fn a_missing_model_is_a_404_problem_and_a_non_integer_id_a_400_problem() {
    let app = TestApp::new().await;
    app.get("/api/v1/models/42")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    app.get("/api/v1/models/forty-two")
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_path_parameter");
}

#[tokio::test]
async fn with_a_token_configured_the_right_bearer_token_may_write() {
    let app = TestApp::with(|config| config.token = Some("s3cret".into())).await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 1);
    let reply = app
        .upload(
            &[
                ("model", &model.bytes),
                ("manifest", model.manifest_json().as_bytes()),
            ],
            Some("s3cret"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.json()["id"].as_i64().unwrap();
    // Reads stay open.
    assert_eq!(
        app.get(&format!("/api/v1/models/{id}")).await.status,
        StatusCode::OK
    );
    let deleted = app
        .delete(&format!("/api/v1/models/{id}"), Some("s3cret"))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bytes_changed_in_the_database_are_never_served_or_run() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 8, 21);
    let id = app.register(&model).await;
    let mut tampered = model.bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x01;
    sqlx::query("UPDATE model_files SET bytes = $1 WHERE model_id = $2")
        .bind(tampered.clone())
        .bind(id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    // A new process: no session built from the good bytes is cached.
    let app = app.restart().await;
    let download = app.get(&format!("/api/v1/models/{id}/onnx")).await;
    download.assert_problem(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert!(
        !download
            .body
            .windows(16)
            .any(|window| window == &tampered[last - 15..]),
        "no byte of the model is sent"
    );
    let evaluate = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 16}"#,
        )
        .await;
    evaluate.assert_problem(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    let error = model_store::onnx_bytes(&app.state.store, id)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no longer hash to"), "{error}");
}

#[tokio::test]
async fn both_engines_sort_names_byte_wise_and_seeds_as_unsigned_and_a_nul_filter_matches_nothing()
{
    let app = TestApp::new().await;
    let mut ids = std::collections::HashMap::new();
    for (name, seed) in [
        ("beta", 1u64),
        ("Zeta", (1 << 63) + 5),
        ("alpha", 0),
        ("Beta", 2),
    ] {
        let mut manifest = manifest(TaskKind::GoNogo, 8, seed);
        manifest.name = name.to_owned();
        ids.insert(app.register(&TestModel::build(manifest, 1.0)).await, name);
    }
    let names = |query: &'static str| {
        let app = &app;
        let ids = &ids;
        async move {
            let page = app.get(&format!("/api/v1/models?{query}")).await.json();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| ids[&item["id"].as_i64().unwrap()])
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names("sort=name").await, ["Beta", "Zeta", "alpha", "beta"]);
    assert_eq!(names("sort=-name").await, ["beta", "alpha", "Zeta", "Beta"]);
    // 2^63 + 5 is the largest seed as a u64 (stored bit-cast, it is negative as an i64).
    assert_eq!(names("sort=seed").await, ["alpha", "beta", "Beta", "Zeta"]);
    assert_eq!(names("sort=-seed").await, ["Zeta", "Beta", "beta", "alpha"]);
    for query in [
        "name_prefix=%00",
        "field=5_3_4%00",
        "dataset=a%00b",
        "tag=x%00",
    ] {
        let reply = app.get(&format!("/api/v1/models?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:#}", reply.json());
        assert_eq!(reply.json()["total"], 0, "{query}");
    }
}

#[tokio::test]
async fn page_tokens_walk_every_page_once_and_belong_to_their_query() {
    let app = TestApp::new().await;
    let mut registered = Vec::new();
    for seed in 1..=5 {
        registered.push(
            app.register(&TestModel::new(TaskKind::GoNogo, 8, seed))
                .await,
        );
    }
    let mut seen = Vec::new();
    let mut uri = "/api/v1/models?limit=2&sort=-id".to_owned();
    loop {
        let page = app.get(&uri).await.json();
        assert_eq!(page["total"], 5, "{page:#}");
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["id"].as_i64().unwrap()),
        );
        match page["next_page_token"].as_str() {
            Some(token) => uri = format!("/api/v1/models?limit=2&sort=-id&page_token={token}"),
            None => break,
        }
    }
    registered.reverse();
    assert_eq!(seen, registered, "every model once, in the query's order");

    let first = app.get("/api/v1/models?limit=2&sort=-id").await.json();
    let token = first["next_page_token"].as_str().unwrap().to_owned();
    // Another page size is fine; another sort or filter is not.
    let wider = app
        .get(&format!(
            "/api/v1/models?limit=10&sort=-id&page_token={token}"
        ))
        .await;
    assert_eq!(wider.status, StatusCode::OK);
    assert_eq!(wider.json()["items"].as_array().unwrap().len(), 3);
    for uri in [
        format!("/api/v1/models?limit=2&page_token={token}"),
        format!("/api/v1/models?limit=2&sort=-id&task=go-nogo&page_token={token}"),
        format!("/api/v1/models?limit=2&sort=-id&offset=2&page_token={token}"),
        "/api/v1/models?page_token=not-a-token".to_owned(),
        "/api/v1/models?page_token=6d312e".to_owned(),
    ] {
        app.get(&uri)
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_page_token");
    }
}
