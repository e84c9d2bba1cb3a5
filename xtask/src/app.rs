//! Building and starting the app: `cargo xtask run` (the window, or `--headless`: the
//! command-line tool on a demo library), and the check that the built app opens its window.

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::setup::setup;
use crate::{root, sh, sh_env, step, target_dir, Result};

pub fn run(headless: bool) -> Result {
    let display = env::var_os("DISPLAY").is_some() || env::var_os("WAYLAND_DISPLAY").is_some();
    if headless {
        return run_headless();
    }
    if cfg!(target_os = "linux") && !display {
        eprintln!(
            "xtask: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window.\n\
             To try Briefwright without a display, run:  cargo xtask run --headless\n\
             (it builds the command-line tool, imports the sample reports into a demo library and exports them)."
        );
        return Err("no display".into());
    }
    setup()?;
    build_ui()?;
    build_app()?;
    step("start Briefwright");
    sh(&root(), app_exe().to_str().expect("UTF-8 path"), &[])
}

/// The desktop app with the built UI embedded (ui/dist must be built first).
pub fn build_app() -> Result {
    step("build the desktop app");
    sh(&root(), "cargo", &["build", "-p", "briefwright-desktop", "--features", "custom-protocol"])
}

pub fn app_exe() -> PathBuf {
    target_dir().join("debug").join(format!("briefwright-desktop{}", env::consts::EXE_SUFFIX))
}

pub fn build_ui() -> Result {
    step("build the UI");
    sh(&root().join("ui"), "npm", &["run", "build"])
}

fn run_headless() -> Result {
    step("build the command-line tool");
    sh(&root(), "cargo", &["build", "-p", "briefwright", "--bin", "briefwright"])?;
    let exe = target_dir().join("debug").join(format!("briefwright{}", env::consts::EXE_SUFFIX));
    let demo = target_dir().join("briefwright-demo");
    let _ = std::fs::remove_dir_all(&demo);
    let library = demo.join("library");
    let exe = exe.to_str().expect("UTF-8 path");
    let lib = library.to_str().expect("UTF-8 path");
    step("import the sample reports into a demo library");
    let fixtures = root().join("tests/fixtures/reports");
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("cannot read {}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    samples.sort();
    let mut args = vec!["--data-dir", lib, "import"];
    args.extend(samples.iter().map(|p| p.to_str().expect("UTF-8 path")));
    let out = Command::new(exe)
        .args(&args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start {exe}: {e}"))?;
    if !out.status.success() {
        return Err("importing the sample reports failed".into());
    }
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    sh(&root(), exe, &["--data-dir", lib, "list"])?;
    step("export the samples (PDF brief, Markdown, text, JSON)");
    for (i, id) in ids.iter().enumerate() {
        for ext in ["pdf", "md", "txt", "json"] {
            let file = demo.join(format!("sample-{}.{ext}", i + 1));
            sh(&root(), exe, &["--data-dir", lib, "export", id, "--out", file.to_str().expect("UTF-8 path")])?;
        }
    }
    step("create a demo signing identity and sign the first sample's brief");
    // A throwaway key for the demo library only; real identities get a passphrase from a prompt.
    let demo_env = [("BRIEFWRIGHT_PASSPHRASE", "demo passphrase")];
    sh_env(
        &root(),
        exe,
        &["--data-dir", lib, "identity", "new", "--name", "demo", "--org", "Briefwright demo"],
        &demo_env,
    )?;
    let signed = demo.join("sample-1-signed.pdf");
    let signed = signed.to_str().expect("UTF-8 path");
    sh_env(
        &root(),
        exe,
        &["--data-dir", lib, "export", &ids[0], "--out", signed, "--sign", "--identity", "demo"],
        &demo_env,
    )?;
    step("verify the signed brief");
    sh(&root(), exe, &["--data-dir", lib, "verify", signed])?;
    eprintln!(
        "\nDemo library:     {}\nExports:          {}\nSigned PDF brief: {signed}\nTry:              {exe} --data-dir {lib} search drought",
        library.display(),
        demo.display()
    );
    Ok(())
}

/// Starts the built app under Xvfb with an empty library, checks it stays up and
/// shows a window, and keeps a screenshot under target/.
pub fn smoke_app() -> Result {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the window check runs on Linux under Xvfb");
        return Ok(());
    }
    let exe = target_dir().join("debug/briefwright-desktop");
    let data = target_dir().join("smoke-data");
    let _ = std::fs::remove_dir_all(&data);
    let shot = target_dir().join("smoke-window.png");
    let _ = std::fs::remove_file(&shot);
    let script = format!(
        r#"set -u
BRIEFWRIGHT_DATA_DIR='{data}' '{exe}' & app=$!
for i in $(seq 1 60); do
  if xwininfo -root -tree 2>/dev/null | grep -q '"Briefwright"'; then break; fi
  if ! kill -0 $app 2>/dev/null; then echo "the app exited early" >&2; exit 1; fi
  sleep 0.5
done
sleep 3
if ! kill -0 $app 2>/dev/null; then echo "the app exited" >&2; exit 1; fi
xwininfo -root -tree | grep -q '"Briefwright"' || {{ echo "no Briefwright window appeared" >&2; kill $app; exit 1; }}
import -window root '{shot}'
kill $app; wait $app 2>/dev/null
test -s '{data}/library.sqlite3' || {{ echo "the app did not create its library" >&2; exit 1; }}
echo "window up; screenshot: {shot}""#,
        data = data.display(),
        exe = exe.display(),
        shot = shot.display()
    );
    sh(&root(), "xvfb-run", &["-a", "-s", "-screen 0 1280x800x24", "bash", "-c", &script])
}
