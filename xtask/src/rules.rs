//! The size rules the tree keeps, checked on every test run (`cargo test -p xtask`, part of
//! `cargo xtask test`):
//!
//! - no source file over [`MAX_FILE_LINES`] lines, tests and generated files aside: a file past
//!   that mixes concerns and can no longer be held in mind;
//! - no desktop command over [`MAX_COMMAND_LINES`] lines, from `#[tauri::command]` to its closing
//!   brace: a command converts its arguments, calls one core function on a blocking thread and
//!   converts the result; anything longer is logic that belongs in the core, where the CLI and
//!   the core's tests reach it too.
//!
//! Functions over 80 lines are clippy's `too_many_lines` (clippy.toml), denied by the lint step.

use std::path::Path;
use std::process::Command;

/// The most lines a source file may have.
pub const MAX_FILE_LINES: usize = 700;
/// The most lines a Tauri command may have.
pub const MAX_COMMAND_LINES: usize = 15;

/// Source files, by their endings.
const SOURCE: &[&str] = &[".rs", ".ts", ".svelte", ".js", ".py", ".css"];

/// Whether `path` (relative to the root, with `/`) is a source file the file rule applies to.
fn counts_as_source(path: &str) -> bool {
    let test = path.starts_with("tests/")
        || path.contains("/tests/")
        || path.ends_with("/tests.rs")
        || path.ends_with(".test.ts")
        || path.contains("/benches/")
        || path.starts_with("benches/");
    let generated = path == "ui/src/lib/bindings.ts" || path.contains("/fixtures/");
    SOURCE.iter().any(|ending| path.ends_with(ending)) && !test && !generated
}

/// Every breach of the rules in the files git knows below `root`, one sentence each.
pub fn violations(root: &Path) -> Result<Vec<String>, String> {
    let listed = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    let mut found = Vec::new();
    for path in String::from_utf8_lossy(&listed.stdout).lines().filter(|p| counts_as_source(p)) {
        let Ok(text) = std::fs::read_to_string(root.join(path)) else { continue };
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            found.push(format!("{path} has {lines} lines (at most {MAX_FILE_LINES}): split it by concern"));
        }
        if path.starts_with("src-tauri/src/commands/") {
            found.extend(long_commands(&text).into_iter().map(|(name, n)| {
                format!("the command {name} ({path}) has {n} lines (at most {MAX_COMMAND_LINES}): move its logic into the core")
            }));
        }
    }
    Ok(found)
}

/// The commands in `source` longer than [`MAX_COMMAND_LINES`], with their lengths.
fn long_commands(source: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut long = Vec::new();
    for (start, _) in lines.iter().enumerate().filter(|(_, l)| l.trim() == "#[tauri::command]") {
        let Some((name, end)) = command_end(&lines[start..]) else { continue };
        let length = end + 1;
        if length > MAX_COMMAND_LINES {
            long.push((name, length));
        }
    }
    long
}

/// The name of the function after a `#[tauri::command]` at `lines[0]`, and the index of the line
/// that closes its body.
fn command_end(lines: &[&str]) -> Option<(String, usize)> {
    let fn_line = lines.iter().position(|l| l.contains("fn "))?;
    let after = lines[fn_line].split_once("fn ")?.1;
    let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let mut depth = 0i32;
    let mut opened = false;
    for (i, line) in lines.iter().enumerate().skip(fn_line) {
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some((name, i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_keeps_the_size_rules() {
        let found = violations(&crate::root()).unwrap();
        assert!(found.is_empty(), "{} breaches of the size rules:\n{}", found.len(), found.join("\n"));
    }

    #[test]
    fn the_core_does_not_depend_on_the_window() {
        let root = crate::root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
        for line in deps.lines() {
            let name = line.split(['=', ' ', '.']).next().unwrap_or_default();
            assert!(!["tauri", "wry", "tao", "webkit2gtk", "gtk"].iter().any(|w| name.starts_with(w)), "{line}");
        }
        let listed = Command::new("git").args(["ls-files", "src"]).current_dir(&root).output().unwrap();
        for path in String::from_utf8_lossy(&listed.stdout).lines().filter(|p| p.ends_with(".rs")) {
            let text = std::fs::read_to_string(root.join(path)).unwrap();
            assert!(!text.contains("tauri::") && !text.contains("use tauri"), "{path} reaches into Tauri");
        }
    }

    #[test]
    fn measures_commands_from_the_attribute_to_the_closing_brace() {
        let source = "\
/// Short.
#[tauri::command]
#[specta::specta]
pub async fn short(id: ReportId) -> Result<(), IpcError> {
    library.with_store(move |s| s.get(id.0)).await
}

#[tauri::command]
pub fn long(a: Arg<u32>) -> u32 {
    let mut n = *a;
    if n > 1 {
        n += 1;
    }
"
        .to_string()
            + &"    n += 1;\n".repeat(12)
            + "    n\n}\n";
        assert_eq!(long_commands(&source), vec![("long".to_string(), 20)]);
    }

    #[test]
    fn tests_and_generated_files_are_not_held_to_the_file_rule() {
        for path in ["src/store/mod.rs", "ui/src/lib/backend.ts", "src-tauri/src/lib.rs", "xtask/src/main.rs"] {
            assert!(counts_as_source(path), "{path}");
        }
        for path in [
            "tests/crash.rs",
            "src/store/tests.rs",
            "src/interchange/text/tests/arb.rs",
            "ui/src/lib/backend.test.ts",
            "ui/src/lib/bindings.ts",
            "benches/search.rs",
            "README.md",
            "Cargo.lock",
        ] {
            assert!(!counts_as_source(path), "{path}");
        }
    }
}
