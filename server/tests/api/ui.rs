//! The results browser's pages: served as HTML, escaped, linked to the figures, and the
//! evaluate form works without JavaScript.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{TestApp, TestModel};
use blueprint_core::task::TaskKind;

fn html_of(reply: &crate::support::Reply) -> String {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    String::from_utf8(reply.body.to_vec()).unwrap()
}

#[tokio::test]
async fn the_pages_list_models_escape_their_names_and_link_their_figures() {
    let app = TestApp::new().await;
    let root = app.get("/").await;
    assert_eq!(root.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(root.headers[header::LOCATION], "/ui/");

    let mut hostile = TestModel::new(TaskKind::PerceptualDm, 8, 3);
    hostile.manifest.name = "<script>alert(1)</script>".into();
    let hostile = TestModel::build(hostile.manifest, 1.0);
    let hostile_id = app.register(&hostile).await;
    let plain_id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 4)).await;

    let listing = html_of(&app.get("/ui/").await);
    assert!(!listing.contains("<script>alert"), "unescaped name");
    assert!(listing.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(listing.contains(&format!("href=\"/ui/models/{plain_id}\"")));
    assert!(listing.contains("2 models match"));

    let filtered = html_of(&app.get("/ui/?task=go-nogo&sort=-val_accuracy").await);
    assert!(filtered.contains("1 models match"), "{filtered}");
    app.get("/ui/?sort=colour")
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_sort");

    let model = html_of(&app.get(&format!("/ui/models/{hostile_id}")).await);
    assert!(!model.contains("<script>alert"));
    for figure in ["psychometric.svg", "conditions.svg", "weights.svg"] {
        assert!(
            model.contains(&format!("/api/v1/models/{hostile_id}/figures/{figure}")),
            "{figure}"
        );
    }
    // No history was registered: no learning-curve image, and the page says why.
    assert!(!model.contains("learning-curve.svg"));
    assert!(model.contains("without its history.jsonl"));
    let plain = html_of(&app.get(&format!("/ui/models/{plain_id}")).await);
    assert!(
        !plain.contains("psychometric.svg"),
        "go-nogo has no psychometric curve"
    );
    app.get("/ui/models/999")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");

    // The evaluate form, posted as a browser posts it.
    let reply = app
        .send(
            Request::post(format!("/ui/models/{plain_id}/evaluate"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("n_trials=200&seed=7"))
                .unwrap(),
        )
        .await;
    let evaluated = html_of(&reply);
    let api = app
        .post_json(
            &format!("/api/v1/models/{plain_id}/evaluate"),
            r#"{"n_trials": 200, "seed": 7}"#,
        )
        .await
        .json();
    let accuracy = format!(
        "Accuracy {:.4} on 200 trials",
        api["accuracy"].as_f64().unwrap()
    );
    assert!(evaluated.contains(&accuracy), "{accuracy} not in the page");

    let bad = app
        .send(
            Request::post(format!("/ui/models/{plain_id}/evaluate"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("n_trials=many&seed=7"))
                .unwrap(),
        )
        .await;
    bad.assert_problem(StatusCode::BAD_REQUEST, "invalid_form");
    let bad = app
        .send(
            Request::post(format!("/ui/models/{plain_id}/evaluate"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("n_trials=0&seed=7"))
                .unwrap(),
        )
        .await;
    bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "n_trials_out_of_range");

    let comparisons = html_of(&app.get("/ui/comparisons").await);
    assert!(comparisons.contains("0 comparison jobs"));
    app.get("/ui/comparisons/3")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "comparison_not_found");
}

/// PATCH sets tags (all of them) and a note; both are stored, searchable and shown; bad
/// values are refused with nothing changed; writing needs the token.
#[tokio::test]
async fn tags_and_notes_are_set_searched_and_shown() {
    let app = TestApp::with(|config| config.token = Some("w".into())).await;
    let mut ids = Vec::new();
    for seed in [1, 2] {
        let model = TestModel::new(TaskKind::GoNogo, 8, seed);
        let reply = app
            .upload(
                &[
                    ("model", &model.bytes),
                    ("manifest", model.manifest_json().as_bytes()),
                ],
                Some("w"),
            )
            .await;
        ids.push(reply.json()["id"].as_i64().unwrap());
    }
    let patch = |id: i64, body: serde_json::Value, token: Option<&str>| {
        let mut request = Request::builder()
            .method("PATCH")
            .uri(format!("/api/v1/models/{id}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let app = &app;
        async move {
            app.send(request.body(Body::from(body.to_string())).unwrap())
                .await
        }
    };
    patch(ids[0], serde_json::json!({"tags": ["x"]}), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    let reply = patch(
        ids[0],
        serde_json::json!({"tags": ["corrected", "paper-main", "corrected"], "note": "first <b>look</b>"}),
        Some("w"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    assert_eq!(
        reply.json()["tags"],
        serde_json::json!(["corrected", "paper-main"])
    );
    assert_eq!(reply.json()["note"], "first <b>look</b>");
    // The note alone leaves the tags.
    let reply = patch(
        ids[0],
        serde_json::json!({"note": "second look"}),
        Some("w"),
    )
    .await;
    assert_eq!(
        reply.json()["tags"],
        serde_json::json!(["corrected", "paper-main"])
    );
    for (body, code) in [
        (serde_json::json!({"tags": ["has space"]}), "invalid_tags"),
        (
            serde_json::json!({"tags": vec!["t"; 33].iter().enumerate().map(|(i, _)| format!("t{i}")).collect::<Vec<_>>()}),
            "invalid_tags",
        ),
        (
            serde_json::json!({"note": "x".repeat(10_001)}),
            "invalid_note",
        ),
        (serde_json::json!({"note": "bell\u{7}"}), "invalid_note"),
        (serde_json::json!({"colour": "red"}), "invalid_body"),
        // serde would read a struct from an array (schemathesis found this).
        (serde_json::json!([null, null]), "invalid_body"),
    ] {
        patch(ids[0], body, Some("w"))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    patch(999, serde_json::json!({"note": "n"}), Some("w"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    let model = app.get(&format!("/api/v1/models/{}", ids[0])).await.json();
    assert_eq!(model["note"], "second look");
    assert_eq!(
        model["tags"],
        serde_json::json!(["corrected", "paper-main"])
    );

    let tagged = app.get("/api/v1/models?tag=paper-main").await.json();
    assert_eq!(tagged["total"], 1);
    assert_eq!(tagged["items"][0]["id"], ids[0]);
    assert_eq!(
        app.get("/api/v1/models?tag=nothing").await.json()["total"],
        0
    );
    app.get(&format!("/api/v1/models?tag={}", "t".repeat(65)))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_query_parameter");
    let all = app.get("/api/v1/models").await.json();
    assert_eq!(all["items"][1]["tags"], serde_json::json!([]));

    let page = html_of(&app.get("/ui/?tag=corrected").await);
    assert!(page.contains("1 models match") && page.contains("<code>paper-main</code>"));
    let model_page = html_of(&app.get(&format!("/ui/models/{}", ids[0])).await);
    assert!(model_page.contains("second look"));
    // Replacing the tags with none clears them.
    let reply = patch(ids[0], serde_json::json!({"tags": []}), Some("w")).await;
    assert_eq!(reply.json()["tags"], serde_json::json!([]));
}

/// Models registered under one name get versions 1, 2, 3, …; a deleted model's version is
/// never given again.
#[tokio::test]
async fn models_under_one_name_get_increasing_versions_never_reused() {
    let app = TestApp::new().await;
    let named = |seed: u64, name: &str| {
        let mut model = TestModel::new(TaskKind::GoNogo, 8, seed);
        model.manifest.name = name.into();
        TestModel::build(model.manifest, 1.0)
    };
    let first = app.register(&named(1, "gng-W")).await;
    let other = app.register(&named(2, "pdm-W")).await;
    let second = app.register(&named(3, "gng-W")).await;
    let version = |id: i64| {
        let app = &app;
        async move { app.get(&format!("/api/v1/models/{id}")).await.json()["version"].clone() }
    };
    assert_eq!(version(first).await, 1);
    assert_eq!(version(other).await, 1);
    assert_eq!(version(second).await, 2);
    assert_eq!(
        app.delete(&format!("/api/v1/models/{second}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let third = app.register(&named(4, "gng-W")).await;
    assert_eq!(version(third).await, 3, "version 2 is not given again");
    let listed = app.get("/api/v1/models?name_prefix=gng-W").await.json();
    let versions: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 3]);
    // Registering the same bytes again is the same model and the same version.
    let again = app
        .upload(
            &[
                ("model", &named(4, "gng-W").bytes),
                ("manifest", named(4, "gng-W").manifest_json().as_bytes()),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["version"], 3);
}
