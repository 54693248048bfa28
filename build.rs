//! With the feature `embed-app`, `gridledger serve` carries the built app: every file of
//! `dist/` (or of `$GRIDLEDGER_DIST`) is included in the program. Without it the list is empty,
//! so `cargo test` and `cargo clippy` on a fresh clone never need the app built first.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-env-changed=GRIDLEDGER_DIST");
    println!("cargo:rerun-if-changed=build.rs");
    let mut code = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    if std::env::var_os("CARGO_FEATURE_EMBED_APP").is_some() {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
        let dist = std::env::var_os("GRIDLEDGER_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| manifest.join("dist"));
        if !dist.join("index.html").is_file() {
            panic!(
                "feature embed-app: {} has no index.html; build the app first \
                 (`trunk build --release`, or `bash scripts/build-serve.sh`)",
                dist.display()
            );
        }
        println!("cargo:rerun-if-changed={}", dist.display());
        let mut files = Vec::new();
        collect(&dist, &dist, &mut files);
        files.sort();
        for (url, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(
                code,
                "    ({url:?}, include_bytes!({:?})),",
                path.display().to_string()
            );
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("embedded_app.rs"), code).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable dist/").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under dist/");
            let url: String = rel
                .components()
                .map(|c| format!("/{}", c.as_os_str().to_string_lossy()))
                .collect();
            out.push((url, path.canonicalize().unwrap_or(path.clone())));
        }
    }
}
