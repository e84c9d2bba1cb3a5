//! ui/src/lib/bindings.ts is exactly what the Rust commands and types generate (see src/bindings.rs).

use std::path::PathBuf;

/// The generated TypeScript client and types.
fn typescript() -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bindings.ts");
    briefwright_desktop::bindings::export(&path).expect("the TypeScript bindings can be generated");
    std::fs::read_to_string(&path).unwrap()
}

#[test]
fn bindings_ts_is_generated_from_the_rust_commands_and_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let generated = typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the Rust side; run `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types` and commit it",
        path.display()
    );
}

#[test]
fn bindings_declare_every_command_type_and_constant_the_ui_uses() {
    let generated = typescript();
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
        "ErrorCode",
    ] {
        assert!(generated.contains(&format!("export type {name} =")), "{name} missing:\n{generated}");
    }
    for command in briefwright_desktop::commands::COMMANDS {
        assert!(generated.contains(&format!(">(\"{command}\"")), "{command} missing:\n{generated}");
    }
    assert!(generated.contains("export const ERROR_CODES = "), "{generated}");
    // Dates cross as strings; byte counts as numbers.
    assert!(!generated.contains("bigint"), "{generated}");
}
