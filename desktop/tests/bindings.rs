//! The UI's TypeScript types must be exactly what the Rust wire types generate.

use std::path::PathBuf;

#[test]
fn typescript_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(galla_desktop::bindings::BINDINGS_PATH);
    let generated = galla_desktop::bindings::typescript();
    if std::env::var_os("GALLA_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with desktop/src/wire.rs. Regenerate it with \
         `GALLA_WRITE_BINDINGS=1 cargo test -p galla-desktop --test bindings` and commit it.",
        path.display()
    );
}
