//! The dependency rules of ARCHITECTURE.md, checked like any other behaviour.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core/ sits in the workspace root")
        .to_owned()
}

/// Every crate in `package`'s normal (non-dev, non-build) dependency graph.
fn dependencies(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(["--format", "{p}", "-p", package])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn assert_free_of(package: &str, forbidden: &[&str]) {
    let deps = dependencies(package);
    assert!(
        deps.iter().any(|d| d == package),
        "cargo tree output for {package} looks wrong: {deps:?}"
    );
    for name in forbidden {
        assert!(
            !deps.iter().any(|d| d == name),
            "{package} must not depend on {name} (ARCHITECTURE.md), but its dependency graph has it"
        );
    }
}

#[test]
fn the_server_never_compiles_sqlite_or_tauri() {
    assert_free_of(
        "galla-sync-server",
        &[
            "rusqlite",
            "libsqlite3-sys",
            "tauri",
            "wry",
            "galla-desktop",
        ],
    );
}

#[test]
fn core_knows_nothing_of_ui_or_http_frameworks() {
    assert_free_of(
        "galla-core",
        &[
            "tauri",
            "wry",
            "axum",
            "sqlx",
            "galla-desktop",
            "galla-sync-server",
            "galla-sync-client",
            "reqwest",
        ],
    );
}

#[test]
fn the_wire_format_is_plain_data() {
    assert_free_of(
        "galla-sync-protocol",
        &[
            "galla-core",
            "rusqlite",
            "tauri",
            "axum",
            "sqlx",
            "reqwest",
            "tokio",
        ],
    );
}

/// Source files under `dir` whose text mentions `needle` as a path (`needle::`).
fn sources_using(dir: &str, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![workspace_root().join(dir)];
    while let Some(path) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if text.contains(&format!("{needle}::")) {
                    found.push(path);
                }
            }
        }
    }
    found
}

#[test]
fn only_desktop_knows_tauri_and_only_the_server_knows_axum() {
    for dir in ["core", "sync-server"] {
        assert_eq!(
            sources_using(dir, "tauri"),
            Vec::<PathBuf>::new(),
            "tauri outside desktop/"
        );
    }
    for dir in ["core", "desktop"] {
        for framework in ["axum", "sqlx"] {
            assert_eq!(
                sources_using(dir, framework),
                Vec::<PathBuf>::new(),
                "{framework} outside sync-server/"
            );
        }
    }
}
