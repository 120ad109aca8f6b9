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
