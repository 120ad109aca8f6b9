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
            "create_comparison",
            "delete_model",
            "evaluate_model",
            "get_comparison",
            "get_health",
            "get_model",
            "get_model_metrics",
            "get_model_onnx",
            "get_readiness",
            "get_task",
            "list_models",
            "list_tasks",
            "register_model",
        ]
    );
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
