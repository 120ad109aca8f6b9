// Shared by the build scripts of `blueprint-server` and `blueprint-trainer` (through
// `include!`): a SHA-256 prefix of every `.rs` file under some source folders, so a build can
// name the code that decides its numbers. Each folder is also registered with
// `cargo:rerun-if-changed`.

/// 16 hex digits of the SHA-256 of every `.rs` file under `sources` (relative to `root`), in
/// path order, each with its relative path.
fn hash_sources(root: &std::path::Path, sources: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    fn collect(path: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).expect("a source folder is readable") {
                collect(&entry.expect("a folder entry").path(), files);
            }
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path.to_path_buf());
        }
    }
    let mut files = Vec::new();
    for source in sources {
        let path = root.join(source);
        println!("cargo:rerun-if-changed={}", path.display());
        collect(&path, &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(file).expect("a source file is readable"));
        hasher.update([0]);
    }
    hasher.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
