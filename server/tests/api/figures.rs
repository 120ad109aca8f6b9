//! The history that travels with a model, and the figures: learning curve, psychometric curve,
//! per-condition accuracy, `W_rec` heatmap and comparison figures, with their ETags, caching,
//! access rules and refusals. Trained demo models (`demo/models`) give real curves.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{TestApp, TestModel, variant_model};
use blueprint_core::network::Variant;
use blueprint_core::task::TaskKind;

/// A trained demo run: its ONNX bytes, manifest and history text.
fn demo_run(name: &str) -> (Vec<u8>, String, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../demo/models")
        .join(name);
    let read = |file: &str| std::fs::read(dir.join(file)).unwrap();
    (
        read("model.onnx"),
        String::from_utf8(read("manifest.json")).unwrap(),
        String::from_utf8(read("history.jsonl")).unwrap(),
    )
}

const PDM_RUN: &str = "5_3_4-perceptual-dm-WDstarC-s3";
const GO_NOGO_RUN: &str = "5_3_4-go-nogo-WstarDstarC-s1";

async fn register_demo(app: &TestApp, name: &str, with_history: bool) -> i64 {
    let (bytes, manifest, history) = demo_run(name);
    let mut parts: Vec<(&str, &[u8])> = vec![("model", &bytes), ("manifest", manifest.as_bytes())];
    if with_history {
        parts.push(("history", history.as_bytes()));
    }
    let reply = app.upload(&parts, None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.json());
    reply.json()["id"].as_i64().unwrap()
}

fn svg_of(reply: &crate::support::Reply) -> String {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.headers[header::CONTENT_TYPE], "image/svg+xml");
    let svg = String::from_utf8(reply.body.to_vec()).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
    let etag = reply.headers[header::ETAG].to_str().unwrap();
    assert_eq!(
        etag,
        format!(
            "\"{}\"",
            blueprint_core::manifest::sha256_hex(svg.as_bytes())
        )
    );
    svg
}

#[tokio::test]
async fn a_history_travels_with_its_model_and_draws_its_learning_curve() {
    let app = TestApp::new().await;
    let id = register_demo(&app, PDM_RUN, true).await;
    let (_, manifest, history) = demo_run(PDM_RUN);
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let lines: Vec<Value> = history
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();

    let model = app.get(&format!("/api/v1/models/{id}")).await.json();
    let summary = &model["history"];
    assert_eq!(summary["epochs"], lines.len());
    assert_eq!(summary["epochs"], manifest["outcome"]["epochs_run"]);
    for (index, line) in lines.iter().enumerate() {
        assert_eq!(summary["val_accuracy"][index], line["val_accuracy"]);
        assert_eq!(summary["train_loss"][index], line["train_loss"]);
    }
    let best = lines
        .iter()
        .map(|l| l["val_accuracy"].as_f64().unwrap())
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(summary["best_val_accuracy"].as_f64().unwrap(), best);

    let full = app.get(&format!("/api/v1/models/{id}/history")).await;
    assert_eq!(full.status, StatusCode::OK);
    assert_eq!(full.json()["epochs"], Value::Array(lines));

    let uri = format!("/api/v1/models/{id}/figures/learning-curve.svg");
    let reply = app.get(&uri).await;
    let svg = svg_of(&reply);
    assert!(svg.contains("epoch") && svg.contains("cross-entropy (nats)"));
    assert!(svg.contains("held-out (after the epoch)"));
    // Two panels (accuracy, loss), each with both curves in its legend.
    assert_eq!(svg.matches("training (mean over batches)").count(), 2);
    assert_eq!(svg.matches("held-out (after the epoch)").count(), 2);
    assert!(svg.contains("accuracy (fraction correct)"));
    let etag = reply.headers[header::ETAG].clone();
    let again = app
        .send(
            Request::get(&uri)
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers[header::ETAG], etag);
}

#[tokio::test]
async fn a_malformed_history_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let (bytes, manifest, history) = demo_run(PDM_RUN);
    let mut lines: Vec<&str> = history.lines().collect();
    let cases: Vec<(String, &str)> = vec![
        ("not json".to_owned(), "not an epoch record"),
        (
            lines[..lines.len() - 1].join("\n"),
            "epochs but the manifest",
        ),
        (
            history.replacen("\"epoch\":1,", "\"epoch\":2,", 1),
            "in order",
        ),
        (
            history.replacen("\"val_loss\":", "\"val_loss\":-", 1),
            "finite number",
        ),
        (
            {
                lines.swap(0, 1);
                lines.join("\n")
            },
            "in order",
        ),
    ];
    for (text, needle) in cases {
        let reply = app
            .upload(
                &[
                    ("model", &bytes),
                    ("manifest", manifest.as_bytes()),
                    ("history", text.as_bytes()),
                ],
                None,
            )
            .await;
        reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "history_invalid");
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(needle), "`{needle}` not in {detail}");
        assert_eq!(app.model_count().await, 0);
    }
    // A duplicate history part is a malformed form.
    app.upload(
        &[
            ("model", &bytes),
            ("history", history.as_bytes()),
            ("history", history.as_bytes()),
        ],
        None,
    )
    .await
    .assert_problem(StatusCode::BAD_REQUEST, "duplicate_part");
    assert_eq!(app.model_count().await, 0);
}

#[tokio::test]
async fn a_history_sent_again_with_stored_bytes_is_added_once() {
    let app = TestApp::new().await;
    let id = register_demo(&app, GO_NOGO_RUN, false).await;
    app.get(&format!("/api/v1/models/{id}/history"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "history_not_stored");
    app.get(&format!("/api/v1/models/{id}/figures/learning-curve.svg"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "history_not_stored");
    assert!(app.get(&format!("/api/v1/models/{id}")).await.json()["history"].is_null());

    let (bytes, manifest, history) = demo_run(GO_NOGO_RUN);
    let reply = app
        .upload(
            &[
                ("model", &bytes),
                ("manifest", manifest.as_bytes()),
                ("history", history.as_bytes()),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    assert_eq!(reply.json()["id"], id);
    assert_eq!(reply.json()["history"]["epochs"], history.lines().count());
    assert_eq!(app.model_count().await, 1);
}

#[tokio::test]
async fn a_perceptual_dm_evaluation_has_a_psychometric_curve_consistent_with_its_counts() {
    let app = TestApp::new().await;
    let id = register_demo(&app, PDM_RUN, false).await;
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            &json!({"n_trials": 2000, "seed": 5}).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    let evaluation = reply.json();
    let curve = &evaluation["psychometric"];
    let points = curve["points"].as_array().unwrap();
    let total: u64 = points.iter().map(|p| p["n_trials"].as_u64().unwrap()).sum();
    assert_eq!(total, 2000);
    // Trials answered θ = 0 are column 0 of the confusion matrix.
    let chose_0: u64 = points
        .iter()
        .map(|p| p["n_chose_theta_0"].as_u64().unwrap())
        .sum();
    let column_0: u64 = evaluation["confusion_matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row[0].as_u64().unwrap())
        .sum();
    assert_eq!(chose_0, column_0);
    let xs: Vec<f64> = points
        .iter()
        .map(|p| p["signed_coherence"].as_f64().unwrap())
        .collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    for point in points {
        let p = point["p_theta_0"].as_f64().unwrap();
        assert!(point["low"].as_f64().unwrap() <= p && p <= point["high"].as_f64().unwrap());
    }
    // A network at 0.90 held-out accuracy chooses θ = 0 more often the stronger the motion
    // toward θ = 0: a positive slope, the PSE within the coherence range.
    let fit = &curve["fit"];
    assert!(fit["slope"].as_f64().unwrap() > 0.0, "{curve:#}");
    let pse = fit["pse"].as_f64().unwrap();
    assert!(pse.abs() < xs[xs.len() - 1], "{curve:#}");
    // A go/no-go evaluation has none.
    let other = variant_model(TaskKind::GoNogo, Variant::W, 8, 1);
    let other_id = app.register(&other).await;
    let go = app
        .post_json(
            &format!("/api/v1/models/{other_id}/evaluate"),
            &json!({"n_trials": 10, "seed": 5}).to_string(),
        )
        .await
        .json();
    assert!(go.get("psychometric").is_none(), "{go:#}");
}

#[tokio::test]
async fn every_model_figure_renders_and_is_served_from_the_cache_the_second_time() {
    let app = TestApp::new().await;
    let pdm = register_demo(&app, PDM_RUN, true).await;
    let go = register_demo(&app, GO_NOGO_RUN, true).await;

    let svg = svg_of(
        &app.get(&format!(
            "/api/v1/models/{pdm}/figures/psychometric.svg?n_trials=1000&seed=3"
        ))
        .await,
    );
    assert!(svg.contains("signed coherence (%"), "{svg}");
    assert!(svg.contains("logistic fit: PSE"));
    assert!(svg.contains("P(choose θ = 0)"));

    for id in [pdm, go] {
        let svg = svg_of(
            &app.get(&format!("/api/v1/models/{id}/figures/conditions.svg"))
                .await,
        );
        assert!(svg.contains("chance") && svg.contains("n="), "{svg}");
        let svg = svg_of(
            &app.get(&format!("/api/v1/models/{id}/figures/weights.svg"))
                .await,
        );
        assert!(svg.contains("data:image/png;base64,"));
        assert!(svg.contains("Louvain communities") || svg.contains("unit order"));
    }
    let svg = svg_of(
        &app.get(&format!("/api/v1/models/{go}/figures/conditions.svg"))
            .await,
    );
    assert!(svg.contains("no-go") || svg.contains("nogo"), "{svg}");

    // The second request is the cached drawing: same bytes, one row per figure in the store.
    let first = app
        .get(&format!("/api/v1/models/{go}/figures/weights.svg"))
        .await;
    let second = app
        .get(&format!("/api/v1/models/{go}/figures/weights.svg"))
        .await;
    assert_eq!(first.body, second.body);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_figures WHERE model_id = $1")
        .bind(go)
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 2, "conditions and weights of model {go}");
    // Deleting the model deletes its figures.
    assert_eq!(
        app.delete(&format!("/api/v1/models/{go}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_figures WHERE model_id = $1")
        .bind(go)
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn figure_requests_that_cannot_be_drawn_are_refused_with_a_code() {
    let app = TestApp::new().await;
    let go = register_demo(&app, GO_NOGO_RUN, false).await;
    app.get(&format!("/api/v1/models/{go}/figures/psychometric.svg"))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "figure_not_available");
    app.get("/api/v1/models/999/figures/weights.svg")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    app.get(&format!(
        "/api/v1/models/{go}/figures/conditions.svg?n_trials=0"
    ))
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "n_trials_out_of_range");
    app.get(&format!(
        "/api/v1/models/{go}/figures/conditions.svg?n_trials=999999"
    ))
    .await
    .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "n_trials_out_of_range");
    let reply = app
        .get(&format!(
            "/api/v1/models/{go}/figures/conditions.svg?color=red"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:#}", reply.json());
    app.get("/api/v1/comparisons/5/figures/accuracy.svg")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "comparison_not_found");
    app.get("/api/v1/comparisons/5/figures/accuracy.png")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "figure_not_available");
}

#[tokio::test]
async fn with_a_token_readers_get_cached_figures_and_only_writers_compute_new_ones() {
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
    let uri = format!("/api/v1/models/{id}/figures/weights.svg");
    app.get(&uri)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "missing_token");
    let with_token = app
        .send(
            Request::get(&uri)
                .header(header::AUTHORIZATION, "Bearer s3cret")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let drawn = svg_of(&with_token);
    assert_eq!(svg_of(&app.get(&uri).await), drawn);
}

#[tokio::test]
async fn a_finished_comparison_draws_each_of_its_measures() {
    let app = TestApp::new().await;
    // Distinct seeds: the test networks' weights come from the seed alone, and the same
    // weights under two variants would count once.
    for (variant, seeds) in [(Variant::W, 1..=3), (Variant::WD, 11..=13)] {
        for seed in seeds {
            app.register(&variant_model(TaskKind::GoNogo, variant, 10, seed))
                .await;
        }
    }
    let request = json!({
        "task": "go-nogo",
        "filter": {},
        "group_by": "variant",
        "measures": ["accuracy", "entropy"],
        "n_trials": 100,
        "seed": 42,
    });
    let reply = app
        .post_json("/api/v1/comparisons", &request.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{:#}", reply.json());
    let job_id = reply.json()["job_id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let status = app
            .get(&format!("/api/v1/comparisons/{job_id}"))
            .await
            .json();
        if status["status"] == "done" {
            break;
        }
        assert_ne!(status["status"], "failed", "{status:#}");
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let svg = svg_of(
        &app.get(&format!("/api/v1/comparisons/{job_id}/figures/entropy.svg"))
            .await,
    );
    // Six models, one point each.
    assert_eq!(svg.matches("<circle").count(), 6, "{svg}");
    assert!(svg.contains("WD") && svg.contains("entropy"));
    app.get(&format!(
        "/api/v1/comparisons/{job_id}/figures/modularity.svg"
    ))
    .await
    .assert_problem(StatusCode::NOT_FOUND, "unknown_measure");

    // Tidy CSV: one row per model and measure, the JSON's numbers unformatted.
    let job = app
        .get(&format!("/api/v1/comparisons/{job_id}"))
        .await
        .json();
    for request in [
        Request::get(format!("/api/v1/comparisons/{job_id}?format=csv")),
        Request::get(format!("/api/v1/comparisons/{job_id}")).header(header::ACCEPT, "text/csv"),
    ] {
        let reply = app.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = String::from_utf8(reply.body.to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("model_id,name,variant,seed,measure,value")
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 12, "6 models × 2 measures");
        for model in job["result"]["models"].as_array().unwrap() {
            let value = model["values"]["entropy"].as_f64().unwrap();
            let row = format!("{},", model["model_id"]);
            let line = rows
                .iter()
                .find(|r| r.starts_with(&row) && r.contains(",entropy,"))
                .unwrap();
            let parsed: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            assert_eq!(parsed, value);
        }
    }
    app.get(&format!("/api/v1/comparisons/{job_id}?format=xml"))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_query_parameter");
    let listing = app.get("/api/v1/comparisons").await.json();
    assert_eq!(listing["total"], 1);
    assert_eq!(listing["items"][0]["job_id"], job_id);
    assert!(listing["items"][0].get("result").is_none());
}

async fn listed(app: &TestApp, query: &str) -> Vec<(i64, Option<f64>)> {
    let reply = app.get(&format!("/api/v1/models?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {:#}", reply.json());
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_i64().unwrap(), m["val_accuracy"].as_f64()))
        .collect()
}

#[tokio::test]
async fn models_are_sorted_and_filtered_by_seed_name_and_held_out_accuracy() {
    let app = TestApp::new().await;
    let mut ids = Vec::new();
    for run in [PDM_RUN, GO_NOGO_RUN, "5_3_4-go-nogo-W-s2"] {
        ids.push(register_demo(&app, run, false).await);
    }
    let by_accuracy = listed(&app, "sort=-val_accuracy").await;
    let values: Vec<f64> = by_accuracy.iter().map(|(_, a)| a.unwrap()).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    let ascending = listed(&app, "sort=val_accuracy").await;
    let reversed: Vec<f64> = ascending.iter().rev().map(|(_, a)| a.unwrap()).collect();
    assert_eq!(reversed, values);
    assert_eq!(listed(&app, "sort=-id").await[0].0, ids[2]);
    assert_eq!(listed(&app, "name_prefix=5_3_4-go-nogo-").await.len(), 2);
    assert_eq!(
        listed(&app, "name_prefix=5_3_4-go-nogo-%25").await.len(),
        0,
        "no LIKE wildcards"
    );
    let seed_2 = listed(&app, "seed=2").await;
    assert_eq!(seed_2.len(), 1);
    assert_eq!(seed_2[0].0, ids[2]);
    let high = listed(&app, "min_val_accuracy=0.85").await;
    assert!(high.iter().all(|(_, a)| a.unwrap() >= 0.85));
    assert!(
        high.iter().any(|(id, _)| *id == ids[0]),
        "the 0.90 perceptual-dm model"
    );
    let low = listed(&app, "max_val_accuracy=0.85").await;
    assert!(low.iter().all(|(_, a)| a.unwrap() <= 0.85));
    assert_eq!(low.len() + high.len(), 3);
    let reply = app.get("/api/v1/models?sort=accuracy").await;
    reply.assert_problem(StatusCode::BAD_REQUEST, "invalid_sort");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("val_accuracy")
    );
    app.get("/api/v1/models?min_val_accuracy=1.5")
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_query_parameter");
    // ASCII variant names are accepted where labels are.
    let star = app.get("/api/v1/models?variant=WstarDstarC").await.json();
    let label = app.get("/api/v1/models?variant=W%2AD%2AC").await.json();
    assert_eq!(star["total"], 1);
    assert_eq!(star, label);
}

/// Trials from `GET /tasks/{task}/trials`, run through the model downloaded from
/// `GET /models/{id}/onnx` in a session of its own and scored here (arg-max of the final
/// logits), give exactly the evaluate endpoint's accuracy; the `.npy` arrays are the JSON's.
#[tokio::test]
async fn trials_from_the_api_reproduce_the_evaluate_endpoints_accuracy_exactly() {
    let app = TestApp::new().await;
    for (run, noise) in [(PDM_RUN, 0.0), (GO_NOGO_RUN, 0.1)] {
        let id = register_demo(&app, run, false).await;
        let evaluation = app
            .post_json(
                &format!("/api/v1/models/{id}/evaluate"),
                &json!({"n_trials": 300, "seed": 9, "input_noise": noise}).to_string(),
            )
            .await
            .json();
        let task = evaluation["task"].as_str().unwrap().to_owned();
        let trials = app
            .get(&format!(
                "/api/v1/tasks/{task}/trials?n=300&seed=9&input_noise={noise}&model_id={id}"
            ))
            .await;
        assert_eq!(trials.status, StatusCode::OK, "{:#}", trials.json());
        let trials = trials.json();
        let (n, steps, inputs) = (
            300,
            trials["n_steps"].as_u64().unwrap() as usize,
            trials["n_inputs"].as_u64().unwrap() as usize,
        );
        assert_eq!(trials["scored_step"], steps - 1);
        let flat: Vec<f32> = trials["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|trial| trial.as_array().unwrap().iter())
            .flat_map(|step| step.as_array().unwrap().iter())
            .map(|value| value.as_f64().unwrap() as f32)
            .collect();
        let array = ndarray::Array3::from_shape_vec((n, steps, inputs), flat).unwrap();

        // The .npy arrays are the JSON's, bit for bit.
        let npy = app
            .get(&format!(
                "/api/v1/tasks/{task}/trials?n=300&seed=9&input_noise={noise}&model_id={id}&format=npy"
            ))
            .await;
        assert_eq!(npy.status, StatusCode::OK);
        let from_npy: ndarray::Array3<f32> =
            ndarray_npy::ReadNpyExt::read_npy(std::io::Cursor::new(npy.body.to_vec())).unwrap();
        assert_eq!(from_npy, array);
        let labels_npy = app
            .get(&format!(
                "/api/v1/tasks/{task}/trials?n=300&seed=9&model_id={id}&format=npy&array=labels"
            ))
            .await;
        let labels_npy: ndarray::Array1<i64> =
            ndarray_npy::ReadNpyExt::read_npy(std::io::Cursor::new(labels_npy.body.to_vec()))
                .unwrap();
        let labels: Vec<i64> = trials["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_i64().unwrap())
            .collect();
        assert_eq!(labels_npy.to_vec(), labels);

        let onnx = app.get(&format!("/api/v1/models/{id}/onnx")).await;
        let model = app.get(&format!("/api/v1/models/{id}")).await.json();
        let input_name = model["manifest"]["onnx"]["input"].as_str().unwrap();
        let logits_name = model["manifest"]["onnx"]["logits"].as_str().unwrap();
        let mut session = app.state.inference.build_cpu_session(&onnx.body).unwrap();
        let outputs = session
            .run(ort::inputs![input_name => ort::value::TensorRef::from_array_view(array.view()).unwrap()])
            .unwrap();
        let logits = outputs[logits_name].try_extract_array::<f32>().unwrap();
        let correct = (0..n)
            .filter(|&trial| {
                let row = logits.index_axis(ndarray::Axis(0), trial);
                // First maximum on ties, as the evaluator.
                let choice =
                    (0..row.len()).fold(0, |best, k| if row[k] > row[best] { k } else { best });
                choice as i64 == labels[trial]
            })
            .count();
        assert_eq!(
            correct as f64 / n as f64,
            evaluation["accuracy"].as_f64().unwrap(),
            "{run}"
        );
    }
}

#[tokio::test]
async fn trial_requests_out_of_bounds_are_refused_with_the_limit() {
    let app = TestApp::new().await;
    app.get("/api/v1/tasks/go-nogo/trials?n=0")
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "n_out_of_range");
    let reply = app.get("/api/v1/tasks/go-nogo/trials?n=999999").await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "n_out_of_range");
    assert!(reply.json()["detail"].as_str().unwrap().contains("2048"));
    app.get("/api/v1/tasks/chess/trials")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "task_not_found");
    app.get("/api/v1/tasks/go-nogo/trials?model_id=4")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "model_not_found");
    app.get("/api/v1/tasks/go-nogo/trials?input_noise=-1")
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input_noise");
    // Noise beyond float32's range would overflow the inputs (schemathesis found this).
    app.get("/api/v1/tasks/one-choice-inference/trials?n=3&input_noise=3.9e307")
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input_noise");
    for bad in ["format=csv", "array=targets", "n=abc", "nn=3"] {
        let reply = app
            .get(&format!("/api/v1/tasks/go-nogo/trials?{bad}"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {:#}",
            reply.json()
        );
    }
}

#[tokio::test]
async fn trials_beyond_the_value_limit_are_refused_naming_how_many_fit() {
    // A server whose trial cap is high enough for the value limit to bind.
    let app = TestApp::with(|config| config.max_eval_trials = 1_000_000).await;
    let reply = app
        .get("/api/v1/tasks/go-nogo/trials?n=1000000&format=npy")
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "trials_too_large");
    let detail = reply.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("at most 4194304"), "{detail}");
    // JSON holds fewer, and says how many fit.
    let reply = app.get("/api/v1/tasks/go-nogo/trials?n=100000").await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "trials_too_large");
    let detail = reply.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("at most 524288") && detail.contains("format=npy"),
        "{detail}"
    );
}

/// `per_trial` lists every trial: its label and condition are the trials endpoint's, and the
/// correct ones make up the accuracy; without it there is no list.
#[tokio::test]
async fn per_trial_outcomes_agree_with_the_trials_and_the_accuracy() {
    let app = TestApp::new().await;
    let id = register_demo(&app, GO_NOGO_RUN, false).await;
    let evaluate = |per_trial: bool| {
        let app = &app;
        async move {
            let reply = app
                .post_json(
                    &format!("/api/v1/models/{id}/evaluate"),
                    &json!({"n_trials": 120, "seed": 4, "per_trial": per_trial}).to_string(),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
            reply.json()
        }
    };
    let listed = evaluate(true).await;
    let trials = listed["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 120);
    let generated = app
        .get(&format!(
            "/api/v1/tasks/go-nogo/trials?n=120&seed=4&model_id={id}"
        ))
        .await
        .json();
    let mut correct = 0;
    for (index, trial) in trials.iter().enumerate() {
        assert_eq!(trial["trial"], index);
        assert_eq!(trial["label"], generated["labels"][index]);
        assert_eq!(trial["condition"], generated["conditions"][index]);
        assert_eq!(trial["correct"], trial["label"] == trial["choice"]);
        correct += usize::from(trial["correct"].as_bool().unwrap());
    }
    assert_eq!(correct as f64 / 120.0, listed["accuracy"].as_f64().unwrap());
    let plain = evaluate(false).await;
    assert!(plain.get("trials").is_none());
    assert_eq!(plain["accuracy"], listed["accuracy"]);
}
