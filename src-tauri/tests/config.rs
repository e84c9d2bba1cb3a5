//! The Tauri config, its CLI overlays and the capabilities agree with each other and with the core.
//!
//! Cargo (build.rs, `generate_context!`) reads the root tauri.conf.json, so its paths are relative
//! to the repository root. The Tauri CLI reads src-tauri/tauri.conf.json (a symlink, or a copy in a
//! checkout without symlinks) and resolves paths from src-tauri/; it also merges the
//! src-tauri/tauri.<platform>.conf.json overlays, which restate those paths relative to src-tauri/.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn root_dir() -> PathBuf {
    crate_dir().parent().expect("src-tauri has a parent").to_path_buf()
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn root_config() -> Value {
    read_json(&root_dir().join("tauri.conf.json"))
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().expect("an array").iter().map(|v| v.as_str().expect("a string").to_owned()).collect()
}

#[test]
fn identity_matches_the_core() {
    let config = root_config();
    assert_eq!(config["identifier"], briefwright::paths::APP_IDENTIFIER, "the core's data folder is named after it");
    assert_eq!(config["productName"], "Briefwright");
    // No version here: it comes from the workspace's Cargo.toml.
    assert!(config.get("version").is_none());
    let window = &config["app"]["windows"][0];
    assert_eq!(window["label"], "main");
    assert_eq!(window["title"], "Briefwright");
    assert_eq!((window["width"].as_u64(), window["height"].as_u64()), (Some(1200), Some(800)));
}

#[test]
fn root_paths_exist_from_the_root() {
    let config = root_config();
    let root = root_dir();
    for icon in strings(&config["bundle"]["icon"]) {
        assert!(root.join(&icon).is_file(), "bundle icon {icon} is missing under the repository root");
    }
    let dist = config["build"]["frontendDist"].as_str().expect("frontendDist");
    assert_eq!(dist, "ui/dist");
    let ext: BTreeSet<_> = strings(&config["bundle"]["icon"])
        .iter()
        .filter_map(|i| Path::new(i).extension().map(|e| e.to_string_lossy().into_owned()))
        .collect();
    assert!(ext.contains("ico") && ext.contains("icns") && ext.contains("png"), "icons for every platform: {ext:?}");
}

#[test]
fn cli_overlays_restate_the_paths_from_src_tauri() {
    let config = root_config();
    let want_icons: Vec<String> = strings(&config["bundle"]["icon"]).iter().map(|i| format!("../{i}")).collect();
    let want_dist = format!("../{}", config["build"]["frontendDist"].as_str().unwrap());
    for platform in ["linux", "windows", "macos"] {
        let path = crate_dir().join(format!("tauri.{platform}.conf.json"));
        let overlay = read_json(&path);
        assert_eq!(overlay["build"]["frontendDist"], want_dist.as_str(), "{}", path.display());
        assert_eq!(strings(&overlay["bundle"]["icon"]), want_icons, "{}", path.display());
        let keys: Vec<_> = overlay.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["build", "bundle"], "{} only restates paths", path.display());
        for icon in &want_icons {
            assert!(crate_dir().join(icon).is_file(), "{icon} is missing from src-tauri's point of view");
        }
    }
}

#[test]
fn src_tauri_config_is_the_root_config() {
    let link = crate_dir().join("tauri.conf.json");
    let meta = fs::symlink_metadata(&link).expect("src-tauri/tauri.conf.json exists");
    if meta.file_type().is_symlink() {
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("../tauri.conf.json"));
        return;
    }
    let text = fs::read_to_string(&link).unwrap();
    if text.trim() == "../tauri.conf.json" {
        // A checkout without symlinks (Windows, core.symlinks off): cargo does not need it, but the
        // Tauri CLI does; the project's tooling places a copy before calling the CLI.
        eprintln!("src-tauri/tauri.conf.json is git's stand-in for the symlink; the Tauri CLI needs a copy of ../tauri.conf.json there");
        return;
    }
    assert_eq!(
        text,
        fs::read_to_string(root_dir().join("tauri.conf.json")).unwrap(),
        "a stale copy of tauri.conf.json"
    );
}

#[test]
fn csp_is_strict() {
    let config = root_config();
    let security = &config["app"]["security"];
    assert_eq!(security["freezePrototype"], true);
    let csp = security["csp"].as_object().expect("csp as directives");
    assert_eq!(csp["default-src"], "'self'");
    for (directive, sources) in csp {
        let sources = sources.as_str().unwrap();
        assert!(!sources.contains("unsafe-eval"), "{directive}: {sources}");
        assert!(!sources.contains("unsafe-inline"), "{directive}: {sources}");
        assert!(!sources.contains('*'), "{directive}: {sources}");
        for source in sources.split_whitespace() {
            if source.starts_with("http") {
                assert_eq!(source, "http://ipc.localhost", "{directive} allows a remote source");
            }
        }
    }
    // Development only: the Vite dev server's hot reload.
    let dev = security["devCsp"].as_object().expect("devCsp");
    assert!(dev.values().all(|s| !s.as_str().unwrap().contains("unsafe-eval")));
}

#[test]
fn capabilities_grant_only_the_app_commands() {
    let capability = read_json(&crate_dir().join("capabilities/default.json"));
    assert_eq!(strings(&capability["windows"]), ["main"]);
    let mut expected: Vec<String> =
        briefwright_desktop::commands::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    // The native open/save dialogs, and the events that carry dropped files' paths.
    // Nothing else: no fs scope, no shell, no opener, no http.
    expected.extend(
        ["dialog:allow-open", "dialog:allow-save", "core:event:allow-listen", "core:event:allow-unlisten"]
            .map(String::from),
    );
    assert_eq!(strings(&capability["permissions"]), expected);
    let config = root_config();
    assert_eq!(strings(&config["app"]["security"]["capabilities"]), ["default"]);
    let build_rs = fs::read_to_string(crate_dir().join("build.rs")).unwrap();
    assert!(build_rs.contains(r#"include!("src/commands/list.rs")"#), "build.rs declares the same commands");
    // The handler and the TypeScript client are made from the same list.
    let typed = briefwright_desktop::commands::typed::<tauri::test::MockRuntime>();
    let functions = (typed.1)(&mut specta::Types::default()).functions;
    let mut handled: Vec<&str> = functions.iter().map(|f| f.name()).collect();
    let mut listed = briefwright_desktop::commands::COMMANDS.to_vec();
    handled.sort();
    listed.sort();
    assert_eq!(handled, listed);
}
