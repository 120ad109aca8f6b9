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
            "delete_model",
            "evaluate_model",
            "get_health",
            "get_model",
            "get_model_onnx",
            "get_readiness",
            "get_task",
            "list_models",
            "list_tasks",
            "register_model",
        ]
    );
}
