//! The committed spec is the generated one.

use std::path::Path;

#[test]
fn the_committed_openapi_json_is_the_generated_spec() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let generated = format!(
        "{}\n",
        blueprint_server::openapi().to_pretty_json().unwrap()
    );
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is not the spec the routes generate; regenerate it with\n\n    \
         cargo run -p blueprint-server -- openapi > openapi/openapi.json\n"
    );
}

#[test]
fn every_operation_is_named_after_its_handler_and_documents_its_errors() {
    let spec = serde_json::to_value(blueprint_server::openapi()).unwrap();
    let mut operation_ids = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            operation_ids.push(operation["operationId"].as_str().unwrap().to_owned());
            let responses = operation["responses"].as_object().unwrap();
            if path.contains("{id}") {
                assert!(
                    responses.contains_key("404"),
                    "{method} {path} documents its 404"
                );
            }
        }
    }
    operation_ids.sort();
    assert_eq!(
        operation_ids,
        [
            "comparison_svg",
            "conditions_svg",
            "create_comparison",
            "delete_model",
            "evaluate_model",
            "get_comparison",
            "get_health",
            "get_model",
            "get_model_history",
            "get_model_metrics",
            "get_model_onnx",
            "get_readiness",
            "get_task",
            "get_trials",
            "learning_curve_svg",
            "list_comparisons",
            "list_models",
            "list_tasks",
            "patch_model",
            "psychometric_svg",
            "register_model",
            "weights_svg",
        ]
    );
}

/// Every documented error shows an example of its own status, never another's.
#[test]
fn every_problem_response_has_an_example_of_its_own_status() {
    let spec = serde_json::to_value(blueprint_server::openapi()).unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(problem) = response["content"].get("application/problem+json") else {
                    continue;
                };
                let example = &problem["example"];
                assert_eq!(
                    example["status"].as_u64().map(|s| s.to_string()).as_deref(),
                    Some(status.as_str()),
                    "{method} {path} {status}: {example}"
                );
                let code = example["code"].as_str().unwrap();
                assert_eq!(example["type"], format!("urn:blueprint:problem:{code}"));
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked} problem responses");
    // The evaluate example never disables the held-out guard, and its seed has a default.
    let request = &spec["components"]["schemas"]["EvaluateRequest"];
    assert_eq!(
        request["properties"]["allow_training_seed"]["example"],
        false
    );
    assert_eq!(request["properties"]["seed"]["default"], 1);
}

#[test]
fn the_metrics_and_comparison_endpoints_document_examples_and_their_errors() {
    let spec = serde_json::to_value(blueprint_server::openapi()).unwrap();
    let metrics = &spec["paths"]["/api/v1/models/{id}/metrics"]["get"];
    for parameter in ["threshold_quantile", "n_nulls", "seed", "metrics"] {
        let documented = metrics["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == parameter)
            .unwrap_or_else(|| panic!("{parameter} is documented"));
        assert!(
            documented.get("example").is_some(),
            "{parameter} has an example"
        );
    }
    let comparisons = &spec["paths"]["/api/v1/comparisons"]["post"];
    let job = &spec["paths"]["/api/v1/comparisons/{job_id}"]["get"];
    for (operation, codes) in [
        (metrics, &["200", "400", "404", "422", "503"][..]),
        (comparisons, &["202", "400", "422", "503"][..]),
        (job, &["200", "400", "404"][..]),
    ] {
        for code in codes {
            assert!(operation["responses"].get(*code).is_some(), "{code}");
        }
    }
    assert_eq!(
        comparisons["responses"]["202"]["headers"]["Location"]["schema"]["type"],
        "string"
    );
    let schemas = &spec["components"]["schemas"];
    for schema in [
        "ComparisonRequest",
        "ComparisonJob",
        "ModelMetrics",
        "Table",
    ] {
        assert!(
            schemas[schema].get("example").is_some(),
            "{schema} has an example"
        );
    }
}
