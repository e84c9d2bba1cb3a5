//! ui/src/lib/bindings.ts is exactly what the Rust types generate (see src/bindings.rs).

use std::path::PathBuf;

#[test]
fn bindings_ts_is_generated_from_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let generated = briefwright_desktop::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the Rust types; run `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types` and commit it",
        path.display()
    );
}

#[test]
fn bindings_declare_every_type_the_ui_uses() {
    let generated = briefwright_desktop::bindings::typescript();
    for name in [
        "Report",
        "StoredReport",
        "Summary",
        "Query",
        "RevisionInfo",
        "ImportOutcome",
        "AttachOutcome",
        "IpcError",
        "AppInfo",
    ] {
        assert!(generated.contains(&format!("export type {name} =")), "{name} missing:\n{generated}");
    }
    // Dates cross as strings; byte counts as numbers.
    assert!(!generated.contains("bigint"), "{generated}");
}
