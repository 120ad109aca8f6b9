//! Seeding an empty store with the demo models.

use blueprint_core::task::TaskKind;
use blueprint_server::demo::SeedReport;
use blueprint_server::seed_demo_store;
use tempfile::TempDir;

use crate::support::{TestApp, TestModel};

#[tokio::test]
async fn an_empty_store_is_seeded_with_the_demo_models_once() {
    let demo = TempDir::new().unwrap();
    // A trainer run folder: the file and its manifest beside it.
    let with_manifest = TestModel::new(TaskKind::GoNogo, 6, 1);
    let run = demo.path().join("go-nogo/run-1");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::write(run.join("model.onnx"), &with_manifest.bytes).unwrap();
    std::fs::write(run.join("manifest.json"), with_manifest.manifest_json()).unwrap();
    // A bare file: its embedded manifest is used.
    let bare = TestModel::new(TaskKind::PerceptualDm, 6, 2);
    std::fs::write(demo.path().join("bare.onnx"), &bare.bytes).unwrap();
    // A broken file is refused and logged; the others still go in.
    std::fs::write(demo.path().join("broken.onnx"), &bare.bytes[..40]).unwrap();

    let app = TestApp::new().await;
    let report = seed_demo_store(&app.state, demo.path()).await.unwrap();
    assert_eq!(
        report,
        SeedReport {
            registered: 2,
            refused: 1,
            store_was_populated: false
        }
    );
    assert_eq!(app.model_count().await, 2);

    let again = seed_demo_store(&app.state, demo.path()).await.unwrap();
    assert!(again.store_was_populated);
    assert_eq!(app.model_count().await, 2);
}

#[tokio::test]
async fn seeding_from_a_missing_folder_stores_nothing_and_does_not_fail() {
    let app = TestApp::new().await;
    let report = seed_demo_store(&app.state, std::path::Path::new("/nonexistent/demo"))
        .await
        .unwrap();
    assert_eq!(report, SeedReport::default());
    assert_eq!(app.model_count().await, 0);
}
