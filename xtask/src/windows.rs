//! The Windows pass of `cargo xtask test`: the whole workspace, every target, must compile for
//! Windows without a clippy warning.

use std::process::Command;

use crate::{root, sh, Result};

/// Code that would not compile on Windows fails the tests: the workspace is checked for this target.
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

/// `cargo clippy --all-targets` of every crate for Windows, with the features of the test build
/// and its lints. Only a failure to *install* the target
/// (no way to download it on this machine) skips the check, loudly; a compile error fails.
pub fn windows_check(features: &[&str]) -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WINDOWS_TARGET))
        .unwrap_or(false);
    if !installed && sh(&root(), "rustup", &["target", "add", WINDOWS_TARGET]).is_err() {
        eprintln!(
            "\n!!! WARNING: the Rust target {WINDOWS_TARGET} could not be installed on this machine, so the \
             Windows build check was SKIPPED. It has NOT passed.\n"
        );
        return Ok(());
    }
    let mut args = vec!["clippy", "--workspace", "--all-targets", "--target", WINDOWS_TARGET];
    args.extend(features);
    args.push("--");
    args.extend(crate::test::LINTS);
    sh(&root(), "cargo", &args)
}
