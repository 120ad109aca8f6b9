//! The trainer's build identity: a hash of the sources that decide a run's numbers (`core` and
//! the trainer). A study planned by one build and run by another is refused unless the user
//! says so: the crate version alone never changes.

include!("../build-support/source_hash.rs");

fn main() {
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let id = hash_sources(&root, &["../core/src", "src"]);
    println!("cargo:rustc-env=BLUEPRINT_TRAINER_BUILD_ID={id}");
}
