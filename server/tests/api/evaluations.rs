//! Evaluating models: the scores, their agreement with `core`'s reference forward pass,
//! determinism, other tasks, and saturation of the inference pool.

use std::time::Duration;

use axum::http::{StatusCode, header};
use blueprint_core::network::rnn::cross_entropy;
use blueprint_core::task::{Task, TaskKind};

use crate::support::TestApp;
use crate::support::TestModel;

#[tokio::test]
async fn evaluating_a_model_returns_accuracy_loss_confusion_and_per_condition_scores() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::PerceptualDm, 12, 1);
    let id = app.register(&model).await;
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 300, "seed": 77}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    let body = reply.json();
    let task = Task::default_for(TaskKind::PerceptualDm);
    assert_eq!(body["model_id"], id);
    assert_eq!(body["task"], "perceptual-dm");
    assert_eq!(
        (body["n_trials"].as_u64(), body["seed"].as_u64()),
        (Some(300), Some(77))
    );
    assert_eq!(body["chance"], task.chance());
    assert_eq!(body["ceiling"], task.ceiling());
    let confusion: Vec<Vec<u64>> =
        serde_json::from_value(body["confusion_matrix"].clone()).unwrap();
    assert_eq!(confusion.len(), 2);
    assert_eq!(confusion.iter().flatten().sum::<u64>(), 300);
    let diagonal = (confusion[0][0] + confusion[1][1]) as f64 / 300.0;
    assert_eq!(body["accuracy"].as_f64().unwrap(), diagonal);
    let per_condition = body["per_condition"].as_array().unwrap();
    let keys: Vec<&str> = per_condition
        .iter()
        .map(|c| c["condition"].as_str().unwrap())
        .collect();
    assert_eq!(keys, task.conditions());
    let counted: u64 = per_condition
        .iter()
        .map(|c| c["n_trials"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 300);
    assert!(body["mean_cross_entropy"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn the_servers_scores_equal_the_reference_forward_pass_on_the_same_trials() {
    let app = TestApp::new().await;
    let model = TestModel::new(TaskKind::GoNogo, 16, 3);
    let id = app.register(&model).await;
    let body = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 200, "seed": 11}"#,
        )
        .await
        .json();

    let task = Task::default_for(TaskKind::GoNogo);
    let trials = task.generate(200, 11);
    let reference = model
        .weights
        .cast::<f64>()
        .forward(trials.inputs.mapv(f64::from).view())
        .unwrap();
    let (losses, predictions) = cross_entropy(&reference.logits, &trials.labels);
    let correct = predictions
        .iter()
        .zip(&trials.labels)
        .filter(|(prediction, label)| prediction == label)
        .count();
    assert_eq!(body["accuracy"].as_f64().unwrap(), correct as f64 / 200.0);
    let mean_loss = losses.iter().sum::<f64>() / 200.0;
    let served = body["mean_cross_entropy"].as_f64().unwrap();
    assert!((served - mean_loss).abs() < 1e-4, "{served} vs {mean_loss}");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_evaluation_on_another_server() {
    let model = TestModel::new(TaskKind::OneChoiceInference, 10, 2);
    let request = r#"{"n_trials": 257, "seed": 5, "input_noise": 0.1}"#;
    let mut answers = Vec::new();
    for _ in 0..2 {
        let app = TestApp::with(|config| config.inference.inference_batch = 64).await;
        let id = app.register(&model).await;
        let reply = app
            .post_json(&format!("/api/v1/models/{id}/evaluate"), request)
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        answers.push(reply.json());
        // A repeat is served from the cache and is the same.
        let again = app
            .post_json(&format!("/api/v1/models/{id}/evaluate"), request)
            .await;
        assert_eq!(again.json(), answers[answers.len() - 1]);
    }
    assert_eq!(answers[0], answers[1]);
    let other_seed = TestApp::new().await;
    let id = other_seed.register(&model).await;
    let different = other_seed
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 257, "seed": 6, "input_noise": 0.1}"#,
        )
        .await
        .json();
    assert_ne!(different["per_condition"], answers[0]["per_condition"]);
}

#[tokio::test]
async fn a_model_can_be_evaluated_on_another_task_of_the_same_sizes() {
    let app = TestApp::new().await;
    let id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 1)).await;
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 40, "seed": 3, "task": "perceptual-dm"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    assert_eq!(reply.json()["task"], "perceptual-dm");
    assert_eq!(
        reply.json()["output_names"],
        serde_json::json!(Task::default_for(TaskKind::PerceptualDm).output_names())
    );
}

#[tokio::test]
async fn a_saturated_inference_pool_answers_503_with_retry_after() {
    let app = TestApp::with(|config| {
        config.inference.inference_concurrency = 1;
        config.inference.inference_queue = 0;
    })
    .await;
    let id = app.register(&TestModel::new(TaskKind::GoNogo, 8, 1)).await;
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let inference = app.state.inference.clone();
    let holder = tokio::spawn(async move { inference.run(move || wait.recv()).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 10, "seed": 3}"#,
        )
        .await;
    reply.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "busy");
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");

    release.send(()).unwrap();
    holder.await.unwrap().unwrap().unwrap();
    let reply = app
        .post_json(
            &format!("/api/v1/models/{id}/evaluate"),
            r#"{"n_trials": 10, "seed": 3}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn decision_times_are_read_from_the_hidden_states_as_the_reference_forward_pass_reads_them() {
    let app = TestApp::with(|config| config.inference.inference_batch = 64).await;
    let model = TestModel::new(TaskKind::PerceptualDm, 16, 3);
    let id = app.register(&model).await;
    let uri = format!("/api/v1/models/{id}/evaluate");
    let reply = app
        .post_json(
            &uri,
            r#"{"n_trials": 300, "seed": 11, "per_trial": true, "decision_time": true}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:#}", reply.json());
    let body = reply.json();
    let decision = &body["decision_time"];
    let task = Task::default_for(TaskKind::PerceptualDm);
    let window = task.response_window();
    assert_eq!(decision["window_start"], window.start);
    assert_eq!(decision["window_steps"], window.len());

    // The reference: core's forward pass in f64, the readout at every step of the window.
    let trials = task.generate(300, 11);
    let weights = model.weights.cast::<f64>();
    let reference = weights
        .forward(trials.inputs.mapv(f64::from).view())
        .unwrap();
    let (_, choices) = cross_entropy(&reference.logits, &trials.labels);
    let served: Vec<usize> = body["trials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|trial| trial["decision_step"].as_u64().unwrap() as usize)
        .collect();
    let mut differ = 0;
    for (trial, &choice) in choices.iter().enumerate() {
        let hidden = reference
            .hidden
            .index_axis(ndarray::Axis(0), trial)
            .slice(ndarray::s![window.clone(), ..])
            .to_owned();
        let logits = hidden.dot(&weights.w_out) + &weights.b_out;
        let expected = blueprint_core::network::rnn::decision_step(logits.view(), choice);
        assert!(expected < window.len());
        differ += usize::from(served[trial] != expected);
    }
    // float32 against float64 may flip a near-tie, never more.
    assert!(differ <= 3, "{differ} of 300 trials differ");

    // The summary is the per-trial steps summarised.
    let mean = served.iter().sum::<usize>() as f64 / 300.0;
    assert!((decision["mean_step"].as_f64().unwrap() - mean).abs() < 1e-9);
    let mut sorted = served.clone();
    sorted.sort_unstable();
    assert_eq!(decision["median_step"], sorted[149]);
    let per_condition = decision["per_condition"].as_array().unwrap();
    let counted: u64 = per_condition
        .iter()
        .map(|c| c["n_trials"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 300);
    // Spread over the window, not a constant: the measure has something to say.
    assert!(sorted[0] < sorted[299], "{sorted:?}");

    // Without the flag there is no decision time, and the two answers are cached apart.
    let plain = app
        .post_json(&uri, r#"{"n_trials": 300, "seed": 11}"#)
        .await
        .json();
    assert!(plain.get("decision_time").is_none(), "{plain:#}");
    assert_eq!(plain["accuracy"], body["accuracy"]);
}
