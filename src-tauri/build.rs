//! Build script of the desktop shell.
//!
//! Where the Tauri config lives, and why paths look the way they do:
//! - The real config is `../tauri.conf.json` (repository root). This script and
//!   `generate_context!("../tauri.conf.json")` in src/lib.rs read it there, so cargo never depends
//!   on `src-tauri/tauri.conf.json` — a symlink that a Windows checkout without `core.symlinks`
//!   turns into a small text file. Paths inside it (frontendDist, icons) are relative to the root.
//! - The Tauri CLI insists on reading `src-tauri/tauri.conf.json` (the symlink, or a copy placed
//!   by our tooling) and resolves paths from src-tauri/. It also merges
//!   `src-tauri/tauri.<linux|windows|macos>.conf.json`, which restate those same paths relative to
//!   src-tauri/. Cargo's readers look for platform files beside the root config only, so they never
//!   see these. tests/config.rs keeps the two sets of paths in step.
//!
//! It also declares the app's own commands, so that each must be granted in capabilities/.

include!("src/commands/names.rs");

fn main() {
    // Keep in step with src/lib.rs (`generate_context!`, `generate_handler!`).
    println!("cargo:rerun-if-changed=src/commands/names.rs");
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed: see the message above");
}
