fn main() {
    // The Tauri config lives at the repository root, beside the other top-level parts.
    let attributes = tauri_build::Attributes::new().config_path("../tauri.conf.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script has no caller to return to; this message is what cargo shows.
        eprintln!("galla-desktop build failed: {error:#}");
        std::process::exit(1);
    }
}
