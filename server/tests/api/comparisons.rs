//! `/comparisons`: a comparison job's numbers are `core::stats` on the models' accuracies and
//! metrics, its table has the layout of the study's Table 2, its result survives a restart,
//! a job whose replica died is taken over and finished (and failed after three deaths), a
//! busy pool delays it without failing it; one test per rule of its request.

use std::time::{Duration, Instant};

use axum::http::{StatusCode, header};
use blueprint_core::metrics::entropy::weight_entropy;
use blueprint_core::network::Variant;
use blueprint_core::seed::{SeedStream, derived_seed};
use blueprint_core::stats::{
    MannWhitneyMethod, SummaryConfig, cliffs_delta, holm, kruskal_wallis, mann_whitney_u, summarize,
};
use blueprint_core::task::TaskKind;
use blueprint_server::service::comparison::MAX_PENDING;
use blueprint_server::store::comparisons as job_store;
use serde_json::{Value, json};

use crate::support::{TestApp, TestModel, assert_json_close, variant_model};

const N_UNITS: usize = 12;

/// Registers `seeds.len()` go/no-go models of each variant; returns (variant, id, model).
async fn register_groups(
    app: &TestApp,
    groups: &[(Variant, &[u64])],
) -> Vec<(Variant, i64, TestModel)> {
    register_task_groups(app, TaskKind::GoNogo, N_UNITS, groups).await
}

/// Registers `seeds.len()` `task` models of `hidden_size` units of each variant.
async fn register_task_groups(
    app: &TestApp,
    task: TaskKind,
    hidden_size: usize,
    groups: &[(Variant, &[u64])],
) -> Vec<(Variant, i64, TestModel)> {
    let mut registered = Vec::new();
    for (variant, seeds) in groups {
        for seed in *seeds {
            let model = variant_model(task, *variant, hidden_size, *seed);
            let id = app.register(&model).await;
            registered.push((*variant, id, model));
        }
    }
    registered
}

/// Polls a job until it is done or failed.
async fn finished(app: &TestApp, status_url: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let reply = app.get(status_url).await;
        assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
        let job = reply.json();
        match job["status"].as_str().unwrap() {
            "done" | "failed" => return job,
            "queued" | "running" => {}
            other => panic!("unknown status {other}"),
        }
        assert!(Instant::now() < deadline, "the job did not finish: {job:#}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Submits `request`, asserts 202 with a Location, and returns the finished job.
async fn run(app: &TestApp, request: &Value) -> Value {
    let reply = app
        .post_json("/api/v1/comparisons", &request.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{:#}", reply.json());
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(reply.json()["status_url"], location);
    finished(app, &location).await
}

/// The value of a summary field as f64.
fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn close(found: &Value, expected: f64, what: &str) {
    let found = number(found);
    assert!(
        (found - expected).abs() <= 1e-12 * expected.abs().max(1e-300),
        "{what}: {found} != {expected}"
    );
}

#[tokio::test]
async fn a_comparison_of_three_variants_is_core_stats_on_the_same_values_as_a_table_2() {
    let app = TestApp::new().await;
    // Table 2 order: WDC, WD, W. Untrained go/no-go and perceptual-dm networks answer one
    // class whatever the input, so their accuracies tie; maze networks of 32 units differ.
    let groups = [Variant::WDC, Variant::WD, Variant::W];
    let registered = register_task_groups(
        &app,
        TaskKind::OneChoiceInference,
        32,
        &[
            (Variant::W, &[1, 2, 3, 4]),
            (Variant::WD, &[11, 12, 13]),
            (Variant::WDC, &[21, 22, 23]),
        ],
    )
    .await;
    let request = json!({
        "task": "one-choice-inference",
        "filter": {"field": "5_3_4", "dataset": "synthetic", "positive": false},
        "group_by": "variant",
        "measures": ["accuracy", "entropy", "accuracy"],
        "n_trials": 300,
        "seed": 42,
    });
    let reply = app
        .post_json("/api/v1/comparisons", &request.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{:#}", reply.json());
    let accepted = reply.json();
    assert!(matches!(
        accepted["status"].as_str(),
        Some("queued" | "running")
    ));
    assert_eq!(accepted["progress"]["total"], 10);
    assert_eq!(
        accepted["request"]["measures"],
        json!(["accuracy", "entropy"]),
        "normalised"
    );
    assert_eq!(accepted["request"]["n_nulls"], 1000);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/api/v1/comparisons/{}", accepted["job_id"])
    );
    let job = finished(&app, &location).await;
    assert_eq!(job["status"], "done", "{job:#}");
    assert_eq!(job["progress"], json!({"done": 10, "total": 10}));
    let result = &job["result"];
    assert_eq!(result["groups"], json!(["WDC", "WD", "W"]));
    assert_eq!(result["measures"], json!(["accuracy", "entropy"]));
    assert_eq!(result["n_models"], 10);
    assert_eq!(result["excluded"], json!([]));

    // The same values, from the server's evaluation path and from core directly.
    let evaluations_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(
        evaluations_before, 10,
        "every evaluation is in the shared cache"
    );
    let mut accuracy = vec![Vec::new(); groups.len()];
    let mut entropy = vec![Vec::new(); groups.len()];
    for (variant, id, model) in &registered {
        let evaluation = app
            .post_json(
                &format!("/api/v1/models/{id}/evaluate"),
                r#"{"n_trials": 300, "seed": 42}"#,
            )
            .await
            .json();
        let group = groups.iter().position(|g| g == variant).unwrap();
        let served = number(&evaluation["accuracy"]);
        accuracy[group].push(served);
        let w_rec = model.weights.w_rec.mapv(f64::from);
        entropy[group].push(weight_entropy(w_rec.view()).unwrap());
        let listed = result["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["model_id"] == *id)
            .unwrap();
        assert_eq!(listed["variant"], variant.label());
        close(&listed["values"]["accuracy"], served, "accuracy");
        close(
            &listed["values"]["entropy"],
            *entropy[group].last().unwrap(),
            "entropy",
        );
    }
    let evaluations_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(
        evaluations_after, 10,
        "the endpoint reused the comparison's evaluations"
    );

    let config = SummaryConfig::with_seed(42);
    for (measure, samples) in [("accuracy", &accuracy), ("entropy", &entropy)] {
        let comparison = result["by_measure"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["measure"] == measure)
            .unwrap();
        for (index, sample) in samples.iter().enumerate() {
            let group = &comparison["groups"][index];
            assert_eq!(group["group"], groups[index].label());
            let expected = serde_json::to_value(summarize(sample, &config).unwrap()).unwrap();
            assert_json_close(&group["summary"], &expected, measure);
        }
        match kruskal_wallis(samples) {
            Ok(test) => assert_json_close(
                &comparison["kruskal_wallis"],
                &serde_json::to_value(test).unwrap(),
                measure,
            ),
            Err(error) => {
                assert!(comparison["kruskal_wallis"].is_null());
                assert_eq!(comparison["kruskal_wallis_undefined"], error.to_string());
            }
        }
        let pairs = [(0, 1), (0, 2), (1, 2)];
        let tests: Vec<_> = pairs
            .iter()
            .map(|&(i, j)| mann_whitney_u(&samples[i], &samples[j], MannWhitneyMethod::Auto))
            .collect();
        let p_values: Vec<f64> = tests.iter().flatten().map(|t| t.p_value).collect();
        let mut adjusted = holm(&p_values).unwrap().into_iter();
        let pairwise = comparison["pairwise"].as_array().unwrap();
        assert_eq!(pairwise.len(), 3);
        for ((pair, &(i, j)), test) in pairwise.iter().zip(&pairs).zip(&tests) {
            assert_eq!(pair["a"], groups[i].label());
            assert_eq!(pair["b"], groups[j].label());
            match test {
                Ok(test) => {
                    assert_json_close(
                        &pair["mann_whitney"],
                        &serde_json::to_value(test).unwrap(),
                        measure,
                    );
                    close(&pair["p_holm"], adjusted.next().unwrap(), "holm");
                    close(
                        &pair["cliffs_delta"],
                        cliffs_delta(&samples[i], &samples[j]).unwrap(),
                        "delta",
                    );
                }
                Err(error) => {
                    assert!(pair["p_holm"].is_null());
                    assert_eq!(pair["undefined"], error.to_string());
                }
            }
        }
    }
    // Entropies are continuous: their tests are defined.
    let entropy_tests = &result["by_measure"][1];
    assert!(entropy_tests["kruskal_wallis"]["p_value"].is_f64());

    // Table 2: variants as rows, measures as columns, "mean (low, high)" of the t-interval.
    let cell = |sample: &[f64]| {
        let summary = summarize(sample, &config).unwrap();
        format!(
            "{:.3} ({:.3}, {:.3})",
            summary.mean, summary.t_interval.low, summary.t_interval.high
        )
    };
    let table = &result["table"];
    assert_eq!(table["interval"], "t");
    let mut reader = csv::Reader::from_reader(table["csv"].as_str().unwrap().as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["variant", "accuracy", "entropy"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let markdown: Vec<&str> = table["markdown"].as_str().unwrap().lines().collect();
    assert_eq!(markdown.len(), 5);
    assert_eq!(markdown[0], "| variant | accuracy | entropy |");
    assert_eq!(markdown[1], "|---|---|---|");
    for (index, group) in groups.iter().enumerate() {
        let (accuracy_cell, entropy_cell) = (cell(&accuracy[index]), cell(&entropy[index]));
        assert_eq!(
            rows[index],
            vec![group.label(), &accuracy_cell, &entropy_cell]
        );
        assert_eq!(
            markdown[2 + index],
            format!("| `{group}` | {accuracy_cell} | {entropy_cell} |")
        );
    }
}

#[tokio::test]
async fn a_metric_undefined_for_some_models_excludes_them_with_the_reason() {
    let app = TestApp::new().await;
    let registered = register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let job = run(
        &app,
        &json!({"task": "go-nogo", "measures": ["wiring-cost"], "seed": 5, "n_nulls": 10}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job:#}");
    let result = &job["result"];
    assert_eq!(result["n_trials"], Value::Null, "no accuracy, no trials");
    let excluded = result["excluded"].as_array().unwrap();
    let w_ids: Vec<i64> = registered
        .iter()
        .filter(|(variant, ..)| *variant == Variant::W)
        .map(|(_, id, _)| *id)
        .collect();
    assert_eq!(
        excluded
            .iter()
            .map(|e| e["model_id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        w_ids
    );
    assert!(
        excluded.iter().all(|e| e["measure"] == "wiring-cost"
            && e["reason"].as_str().unwrap().contains("no distances"))
    );
    let wiring = &result["by_measure"][0];
    assert!(
        wiring["groups"][0]["summary"]["mean"].is_f64(),
        "WD has values"
    );
    assert!(wiring["groups"][1]["summary"].is_null());
    assert!(wiring["groups"][1]["undefined"].is_string());
    assert!(wiring["kruskal_wallis"].is_null());
    assert!(wiring["pairwise"][0]["undefined"].is_string());
    let csv = result["table"]["csv"].as_str().unwrap();
    assert!(csv.ends_with("W,n/a\n"), "{csv}");
}

#[tokio::test]
async fn a_finished_comparison_survives_a_restart() {
    let app = TestApp::new().await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let job = run(
        &app,
        &json!({"task": "go-nogo", "measures": ["accuracy"], "n_trials": 50, "seed": 9}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job:#}");
    let url = job["status_url"].as_str().unwrap().to_owned();
    let app = app.restart().await;
    let after = app.get(&url).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_json_close(&after.json(), &job, "job");
}

/// Posts `request` on an app whose worker is stopped; returns the job's status URL and id.
async fn queue_without_running(app: &mut TestApp, request: &Value) -> (String, i64) {
    app.stop_jobs();
    let reply = app
        .post_json("/api/v1/comparisons", &request.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{:#}", reply.json());
    let job = reply.json();
    assert_eq!(job["status"], "queued", "{job:#}");
    (
        job["status_url"].as_str().unwrap().to_owned(),
        job["job_id"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_job_whose_replica_died_is_taken_over_after_its_lease_and_finished() {
    let mut app = TestApp::new().await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let request = json!({"task": "go-nogo", "measures": ["accuracy"], "n_trials": 50, "seed": 9});
    let (url, id) = queue_without_running(&mut app, &request).await;
    // A replica claims it, measures one model and dies.
    let store = app.state.store.clone();
    let claimed = job_store::claim(&store, "dead-replica:1:0", 30_000, 3)
        .await
        .unwrap()
        .expect("the queued job is claimed");
    assert_eq!((claimed.id, claimed.attempts), (id, 1));
    job_store::set_progress(&store, id, "dead-replica:1:0", 1)
        .await
        .unwrap();
    assert!(
        job_store::claim(&store, "another:2:0", 30_000, 3)
            .await
            .unwrap()
            .is_none(),
        "a job under a live lease is not claimed twice"
    );
    let running = app.get(&url).await.json();
    assert_eq!(running["status"], "running", "{running:#}");
    assert_eq!(running["progress"], json!({"done": 1, "total": 4}));

    // Its lease runs out (as 30 s after its last heartbeat).
    sqlx::query("UPDATE comparison_jobs SET lease_until = 0 WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
    // The restarted server changes nothing at start, then takes the job over.
    let app = app.restart().await;
    let job = finished(&app, &url).await;
    assert_eq!(job["status"], "done", "{job:#}");
    assert_eq!(job["attempts"], 2, "{job:#}");
    assert_eq!(job["progress"], json!({"done": 4, "total": 4}));
    // The dead replica's late writes change nothing.
    assert!(
        !job_store::finish(&app.state.store, id, "dead-replica:1:0", "{}")
            .await
            .unwrap()
    );
    let fresh = run(&app, &request).await;
    assert_json_close(&job["result"], &fresh["result"], "the taken-over result");
}

#[tokio::test]
async fn a_job_whose_runners_died_three_times_is_failed_not_retried_forever() {
    let mut app = TestApp::new().await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let request = json!({"task": "go-nogo", "measures": ["accuracy"], "n_trials": 10, "seed": 9});
    let (url, id) = queue_without_running(&mut app, &request).await;
    let store = app.state.store.clone();
    for attempt in 1..=3 {
        // Each claim's lease runs out at once, as if its replica died.
        tokio::time::sleep(Duration::from_millis(5)).await;
        let claimed = job_store::claim(&store, &format!("replica-{attempt}"), 0, 3)
            .await
            .unwrap()
            .expect("the job is claimable again");
        assert_eq!((claimed.id, claimed.attempts), (id, attempt));
    }
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert!(
        job_store::claim(&store, "replica-4", 0, 3)
            .await
            .unwrap()
            .is_none(),
        "a job is not claimed a fourth time"
    );
    let app = app.restart().await;
    let job = finished(&app, &url).await;
    assert_eq!(job["status"], "failed", "{job:#}");
    assert_eq!(job["problem"]["code"], "job_interrupted");
    assert_eq!(job["problem"]["status"], 503);
    assert_eq!(job["attempts"], 3);
    assert!(job.get("result").is_none());
}

#[tokio::test]
async fn a_comparison_waits_for_a_saturated_inference_pool_instead_of_failing() {
    let app = TestApp::with(|config| {
        config.inference.inference_concurrency = 1;
        config.inference.inference_queue = 0;
    })
    .await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let inference = app.state.inference.clone();
    let holder = tokio::spawn(async move { inference.run(move || wait.recv()).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let reply = app
        .post_json(
            "/api/v1/comparisons",
            r#"{"task": "go-nogo", "measures": ["accuracy"], "n_trials": 20, "seed": 3}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waiting = app.get(&location).await.json();
    assert_eq!(waiting["status"], "running", "{waiting:#}");
    assert_eq!(waiting["progress"]["done"], 0);

    release.send(()).unwrap();
    holder.await.unwrap().unwrap().unwrap();
    let job = finished(&app, &location).await;
    assert_eq!(job["status"], "done", "{job:#}");
}

#[tokio::test]
async fn more_pending_comparisons_than_the_cap_get_503_with_retry_after() {
    let app = TestApp::with(|config| {
        config.inference.inference_concurrency = 1;
        config.inference.inference_queue = 0;
    })
    .await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let inference = app.state.inference.clone();
    let holder = tokio::spawn(async move { inference.run(move || wait.recv()).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let request = r#"{"task": "go-nogo", "measures": ["accuracy"], "n_trials": 20, "seed": 3}"#;
    let mut locations = Vec::new();
    for _ in 0..MAX_PENDING {
        let reply = app.post_json("/api/v1/comparisons", request).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        locations.push(reply.headers[header::LOCATION].to_str().unwrap().to_owned());
    }
    let refused = app.post_json("/api/v1/comparisons", request).await;
    refused.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "busy");
    assert_eq!(refused.headers[header::RETRY_AFTER], "10");
    let second = app.get(&locations[1]).await.json();
    assert_eq!(second["status"], "queued", "one comparison runs at a time");

    release.send(()).unwrap();
    holder.await.unwrap().unwrap().unwrap();
    let first = finished(&app, &locations[0]).await;
    let last = finished(&app, &locations[MAX_PENDING as usize - 1]).await;
    assert_eq!(last["status"], "done");
    assert_json_close(
        &last["result"],
        &first["result"],
        "the same request, the same result",
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while job_store::count_pending(&app.state.store).await.unwrap() > 0 {
        assert!(Instant::now() < deadline, "every job ends");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// On an app holding two go/no-go models of each of WD and W (plus one perceptual-dm model),
/// posts `body` and asserts the refusal; also asserts that no job was stored.
async fn refused(body: Value, status: StatusCode, code: &str) -> Value {
    let app = TestApp::new().await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3, 4])]).await;
    app.register(&variant_model(
        TaskKind::PerceptualDm,
        Variant::W,
        N_UNITS,
        5,
    ))
    .await;
    let reply = app
        .post_json("/api/v1/comparisons", &body.to_string())
        .await;
    reply.assert_problem(status, code);
    app.get("/api/v1/comparisons/1")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "comparison_not_found");
    reply.json()
}

fn request(changes: Value) -> Value {
    let mut body = json!({
        "task": "go-nogo",
        "measures": ["accuracy", "entropy"],
        "n_trials": 50,
        "seed": 7,
    });
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body
}

#[tokio::test]
async fn an_unknown_measure_returns_422_naming_the_known_ones() {
    let body = refused(
        request(json!({"measures": ["accuracy", "sigma"]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_measure",
    )
    .await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("`sigma`") && detail.contains("small-world"),
        "{detail}"
    );
}

#[tokio::test]
async fn no_measures_return_422() {
    refused(
        request(json!({"measures": []})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_measures",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_task_returns_422() {
    refused(
        request(json!({"task": "maze"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_task",
    )
    .await;
}

#[tokio::test]
async fn zero_trials_return_422() {
    refused(
        request(json!({"n_trials": 0})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "n_trials_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn more_trials_than_the_cap_return_422() {
    // The test servers' cap is 2048.
    refused(
        request(json!({"n_trials": 2049})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "n_trials_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn accuracy_without_n_trials_returns_422() {
    refused(
        request(json!({"n_trials": null})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_n_trials",
    )
    .await;
}

#[tokio::test]
async fn a_threshold_outside_0_1_returns_422() {
    refused(
        request(json!({"threshold_quantile": 1.0})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "threshold_out_of_range",
    )
    .await;
}

#[tokio::test]
async fn too_many_nulls_return_422() {
    refused(
        request(json!({"n_nulls": 20000})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_nulls",
    )
    .await;
}

#[tokio::test]
async fn a_filter_that_matches_nothing_returns_422() {
    refused(
        request(json!({"filter": {"field": "6_6_2"}})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_models_match",
    )
    .await;
}

#[tokio::test]
async fn models_of_a_single_variant_return_422() {
    // The only perceptual-dm model is a W.
    refused(
        request(json!({"task": "perceptual-dm"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_few_groups",
    )
    .await;
}

#[tokio::test]
async fn a_group_of_one_model_returns_422_naming_it() {
    let app = TestApp::new().await;
    register_groups(&app, &[(Variant::WD, &[1, 2]), (Variant::W, &[3])]).await;
    let reply = app
        .post_json("/api/v1/comparisons", &request(json!({})).to_string())
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "group_too_small");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("variant W has 1 model")
    );
}

#[tokio::test]
async fn the_seed_of_a_models_training_trials_returns_422() {
    // Model seeds 1–4: seed 3's training trials.
    let seed = derived_seed(3, SeedStream::TrainTrials);
    let body = refused(
        request(json!({"seed": seed})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "training_seed",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("[3]"), "{body:#}");
}

#[tokio::test]
async fn an_unknown_field_or_grouping_returns_422() {
    refused(
        request(json!({"group_by": "field"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    refused(
        request(json!({"filter": {"variant": "W"}})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_job_returns_404() {
    let app = TestApp::new().await;
    app.get("/api/v1/comparisons/99")
        .await
        .assert_problem(StatusCode::NOT_FOUND, "comparison_not_found");
    app.get("/api/v1/comparisons/first")
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_path_parameter");
}

/// Two names for the same weights count once; a group trained under two protocols is refused
/// unless allowed; the filters narrow by variant, seed range, epochs and ids.
#[tokio::test]
async fn duplicates_count_once_mixed_protocols_are_refused_and_filters_narrow() {
    let app = TestApp::new().await;
    let mut ids = Vec::new();
    for (variant, seed) in [
        (Variant::W, 1),
        (Variant::W, 2),
        (Variant::WD, 3),
        (Variant::WD, 4),
        (Variant::WDC, 5),
        (Variant::WDC, 6),
    ] {
        ids.push(
            app.register(&variant_model(TaskKind::GoNogo, variant, N_UNITS, seed))
                .await,
        );
    }
    // The W network of seed 1 again, under another name: other bytes, the same W_rec.
    let mut copy = variant_model(TaskKind::GoNogo, Variant::W, N_UNITS, 1);
    copy.manifest.name = "the same network, renamed".into();
    let copy = TestModel::build(copy.manifest, 1.0);
    let copy_id = app.register(&copy).await;

    let request = |filter: Value, allow: bool| {
        json!({
            "task": "go-nogo",
            "filter": filter,
            "measures": ["entropy"],
            "seed": 42,
            "allow_mixed_protocols": allow,
        })
    };
    let job = run(&app, &request(json!({"variants": ["W", "WD"]}), false)).await;
    assert_eq!(job["status"], "done", "{job:#}");
    let result = &job["result"];
    assert_eq!(result["n_models"], 4);
    assert_eq!(
        result["duplicates"],
        json!([{"model_id": copy_id, "same_weights_as": ids[0]}])
    );
    assert_eq!(result["groups"], json!(["WD", "W"]));

    let job = run(
        &app,
        &request(json!({"seed_min": 3, "seed_max": 6, "epochs": 10}), false),
    )
    .await;
    assert_eq!(job["result"]["n_models"], 4, "{job:#}");
    let job = run(
        &app,
        &request(
            json!({"model_ids": [ids[0], ids[1], ids[4], ids[5]]}),
            false,
        ),
    )
    .await;
    assert_eq!(job["result"]["groups"], json!(["WDC", "W"]));
    refused(
        request(json!({"epochs": 3}), false),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_models_match",
    )
    .await;

    // Another W model trained for 3 epochs: the W group now mixes protocols.
    let mut other = variant_model(TaskKind::GoNogo, Variant::W, N_UNITS, 9);
    other.manifest.training.epochs = 3;
    let other = TestModel::build(other.manifest, 1.0);
    app.register(&other).await;
    let reply = app
        .post_json(
            "/api/v1/comparisons",
            &request(json!({}), false).to_string(),
        )
        .await;
    reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "mixed_protocols");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("allow_mixed_protocols")
    );
    let job = run(&app, &request(json!({}), true)).await;
    assert_eq!(job["status"], "done", "{job:#}");
    assert_eq!(job["result"]["n_models"], 7);
    let job = run(&app, &request(json!({"epochs": 10}), false)).await;
    assert_eq!(job["result"]["n_models"], 6);
}
