//! The Debian package: `cargo xtask deb` and the step of `cargo xtask test` that builds it,
//! checks what it holds, and checks the bundle icons first.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{root, sh, step, target_dir, Result};

/// Builds the Debian package through the Tauri CLI (ui/scripts/tauri.js points it at
/// src-tauri/) and checks what it holds. Returns how long the build took.
pub fn build_deb() -> Result<Duration> {
    step("Debian package (tauri build --debug --bundles deb)");
    // The CLI runs beforeBuildCommand (npm run build) in ui/ and builds with custom-protocol.
    package(&["build", "--debug", "--bundles", "deb", "--ci"])
}

/// Packages the app the workspace tests built (`tauri bundle`: no second compile of the app with
/// other features) and checks what the package holds. Returns how long the packaging took.
pub fn bundle_deb() -> Result<Duration> {
    step("Debian package of the tested build (tauri bundle --debug --bundles deb)");
    package(&["bundle", "--debug", "--bundles", "deb", "--ci"])
}

/// Runs the Tauri CLI with `args` to make the .deb, keeps only the .deb, and checks it.
fn package(args: &[&str]) -> Result<Duration> {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: .deb packages are built on Linux");
        return Ok(Duration::ZERO);
    }
    check_icons()?;
    ensure_cli_config()?;
    let bundle = target_dir().join("debug/bundle/deb");
    let _ = std::fs::remove_dir_all(&bundle);
    let started = Instant::now();
    let mut cli = vec!["run", "tauri", "--"];
    cli.extend_from_slice(args);
    let built = sh(&root().join("ui"), "npm", &cli);
    let took = started.elapsed();
    // The bundler's staging folder holds another copy of the binary (~700 MB in a debug build):
    // only the .deb is kept, whether or not the build got that far.
    for entry in std::fs::read_dir(&bundle).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    built?;
    let debs: Vec<PathBuf> = std::fs::read_dir(&bundle)
        .map_err(|e| format!("no bundle folder {}: {e}", bundle.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    let [deb] = debs.as_slice() else {
        return Err(format!("expected one .deb in {}, found {debs:?}", bundle.display()));
    };
    check_deb(deb)?;
    eprintln!("packaged in {:.0} s", took.as_secs_f64());
    Ok(took)
}

/// Output of a command, which must succeed.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("cannot start {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The package holds the app, a desktop entry and icons, and says what it depends on.
fn check_deb(deb: &Path) -> Result {
    let path = deb.to_str().ok_or("the package path is not UTF-8")?;
    let info = output("dpkg-deb", &["-I", path])?;
    let files = output("dpkg-deb", &["-c", path])?;
    // "-rwxr-xr-x 0/0 700660800 2026-11-26 11:18 usr/bin/briefwright-desktop" ("./usr/…" in
    // some dpkg versions): the path, from the root.
    let names: Vec<&str> = files
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|n| n.trim_start_matches("./").trim_start_matches('/'))
        .collect();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.trim().strip_prefix(name).and_then(|r| r.strip_prefix(':')).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    if !names.contains(&"usr/bin/briefwright-desktop") {
        problems.push("no usr/bin/briefwright-desktop".to_string());
    }
    let desktop: Vec<&str> =
        names.iter().copied().filter(|n| n.starts_with("usr/share/applications/") && n.ends_with(".desktop")).collect();
    let icons: Vec<&str> =
        names.iter().copied().filter(|n| n.starts_with("usr/share/icons/hicolor/") && n.ends_with(".png")).collect();
    if icons.is_empty() {
        problems.push("no icons under usr/share/icons/hicolor".to_string());
    }
    match desktop.as_slice() {
        [entry] => {
            // The desktop entry starts the packaged binary and names the packaged icon.
            let text = output(
                "sh",
                &[
                    "-c",
                    &format!("dpkg-deb --fsys-tarfile '{path}' | tar -xOf - './{entry}' '{entry}' 2>/dev/null; true"),
                ],
            )?;
            if !text.lines().any(|l| l.trim() == "Exec=briefwright-desktop") {
                problems.push(format!("{entry} does not start briefwright-desktop:\n{text}"));
            }
            let icon = text.lines().find_map(|l| l.trim().strip_prefix("Icon=")).unwrap_or("");
            if icon.is_empty() || !icons.iter().any(|i| i.ends_with(&format!("/apps/{icon}.png"))) {
                problems.push(format!("{entry} names icon {icon:?}, which the package does not hold"));
            }
        }
        _ => problems.push(format!("expected one .desktop file under usr/share/applications, found {desktop:?}")),
    }
    if !field("Depends").contains("libwebkit2gtk-4.1") {
        problems.push(format!("Depends does not name libwebkit2gtk-4.1: {:?}", field("Depends")));
    }
    let size = deb.metadata().map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{}: {:.1} MB; package {} {} ({}), installed size {} KiB, depends on {}\n  desktop entry: {}\n  icons: {}",
        deb.display(),
        size as f64 / 1e6,
        field("Package"),
        field("Version"),
        field("Architecture"),
        field("Installed-Size"),
        field("Depends"),
        desktop.join(", "),
        icons.join(", "),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", deb.display(), problems.join("; ")))
    }
}

/// Every icon the bundle config names exists and is what its name says: PNGs of the size in the
/// name (`@2x` doubles it; icon.png at least 512), a Windows .ico and a macOS .icns.
fn check_icons() -> Result {
    step("bundle icons");
    let config =
        std::fs::read_to_string(root().join("tauri.conf.json")).map_err(|e| format!("tauri.conf.json: {e}"))?;
    let icons = bundle_icons(&config)?;
    let mut kinds = Vec::new();
    for icon in &icons {
        let path = root().join(icon);
        let bytes = std::fs::read(&path).map_err(|e| format!("bundle icon {icon}: {e}"))?;
        let kind = icon_kind(icon, &bytes)?;
        eprintln!("{icon}: {kind}");
        kinds.push(kind);
    }
    for needed in ["ICO", "ICNS", "PNG"] {
        if !kinds.iter().any(|k| k.starts_with(needed)) {
            return Err(format!("the bundle icons have no {needed} file"));
        }
    }
    Ok(())
}

/// The `bundle.icon` list of tauri.conf.json (read without a JSON library: a list of strings).
fn bundle_icons(config: &str) -> Result<Vec<String>> {
    let bundle = config.find("\"bundle\"").ok_or("tauri.conf.json has no bundle section")?;
    let rest = &config[bundle..];
    let start = rest.find("\"icon\"").ok_or("the bundle section names no icons")?;
    let rest = &rest[start..];
    let open = rest.find('[').ok_or("bundle.icon is not a list")?;
    let close = rest.find(']').ok_or("bundle.icon is not a list")?;
    Ok(rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// What an icon file is, checked against its name.
fn icon_kind(name: &str, bytes: &[u8]) -> Result<String> {
    if name.ends_with(".png") {
        if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
            return Err(format!("{name} is not a PNG"));
        }
        let w = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
        let h = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
        let file = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let (size, scale) = file.split_once('@').map_or((file, 1), |(s, x)| (s, if x == "2x" { 2 } else { 1 }));
        let want = size
            .split_once('x')
            .and_then(|(a, b)| Some((a.parse::<u32>().ok()? * scale, b.parse::<u32>().ok()? * scale)));
        match want {
            Some(want) if want != (w, h) => {
                return Err(format!("{name} is {w}x{h}, its name says {}x{}", want.0, want.1))
            }
            None if w != h || w < 512 => {
                return Err(format!("{name} is {w}x{h}: the app icon must be square, 512 or more"))
            }
            _ => {}
        }
        Ok(format!("PNG {w}x{h}"))
    } else if name.ends_with(".ico") {
        if bytes.len() < 6 || bytes[..4] != [0, 0, 1, 0] {
            return Err(format!("{name} is not a Windows icon"));
        }
        Ok(format!("ICO, {} images", u16::from_le_bytes([bytes[4], bytes[5]])))
    } else if name.ends_with(".icns") {
        if bytes.len() < 8
            || &bytes[..4] != b"icns"
            || u32::from_be_bytes(bytes[4..8].try_into().expect("4 bytes")) as usize != bytes.len()
        {
            return Err(format!("{name} is not a macOS icon set"));
        }
        Ok(format!("ICNS, {} bytes", bytes.len()))
    } else {
        Err(format!("{name}: unknown icon type"))
    }
}

/// The Tauri CLI reads src-tauri/tauri.conf.json, a symlink to the root config. A checkout
/// without symlinks (Windows without core.symlinks) has a small text file there instead: put a
/// copy of the root config in its place.
fn ensure_cli_config() -> Result {
    let real = root().join("tauri.conf.json");
    let cli = root().join("src-tauri/tauri.conf.json");
    let want = std::fs::read(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    if std::fs::read(&cli).is_ok_and(|have| have == want) {
        return Ok(());
    }
    eprintln!("{} is not the root config (a checkout without symlinks?): copying it there", cli.display());
    let _ = std::fs::remove_file(&cli);
    std::fs::write(&cli, want).map_err(|e| format!("{}: {e}", cli.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::have;
    use std::env;

    /// A small package laid out as Tauri's bundler does, with or without some parts.
    fn fake_deb(dir: &Path, desktop: bool, icon: bool) -> PathBuf {
        let _ = std::fs::remove_dir_all(dir);
        let tree = dir.join("tree");
        let write = |rel: &str, text: &str| {
            let path = tree.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "DEBIAN/control",
            "Package: briefwright\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: Briefwright\n\
             Depends: libwebkit2gtk-4.1-0, libgtk-3-0\nDescription: test\n",
        );
        write("usr/bin/briefwright-desktop", "#!/bin/sh\n");
        if desktop {
            write(
                "usr/share/applications/Briefwright.desktop",
                "[Desktop Entry]\nExec=briefwright-desktop\nIcon=briefwright-desktop\nName=Briefwright\nType=Application\n",
            );
        }
        if icon {
            write("usr/share/icons/hicolor/32x32/apps/briefwright-desktop.png", "png");
        }
        let deb = dir.join("test.deb");
        sh(dir, "dpkg-deb", &["--build", "--root-owner-group", "tree", "test.deb"]).unwrap();
        deb
    }

    #[test]
    fn checks_the_debian_package() {
        if !have("dpkg-deb") {
            eprintln!("skipped: no dpkg-deb here");
            return;
        }
        let dir = env::temp_dir().join(format!("xtask-deb-check-{}", std::process::id()));
        check_deb(&fake_deb(&dir, true, true)).unwrap();
        let err = check_deb(&fake_deb(&dir, false, true)).unwrap_err();
        assert!(err.contains(".desktop"), "{err}");
        let err = check_deb(&fake_deb(&dir, true, false)).unwrap_err();
        assert!(err.contains("icons") && err.contains("names icon"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn checks_bundle_icons() {
        let config =
            r#"{ "icon": ["x.png"], "bundle": { "active": true, "icon": [ "icons/32x32.png", "icons/icon.ico" ] } }"#;
        assert_eq!(bundle_icons(config).unwrap(), ["icons/32x32.png", "icons/icon.ico"]);
        let png = |w: u32, h: u32| {
            let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
            b.extend(w.to_be_bytes());
            b.extend(h.to_be_bytes());
            b
        };
        assert_eq!(icon_kind("icons/32x32.png", &png(32, 32)).unwrap(), "PNG 32x32");
        assert_eq!(icon_kind("icons/128x128@2x.png", &png(256, 256)).unwrap(), "PNG 256x256");
        assert!(icon_kind("icons/128x128.png", &png(64, 64)).is_err());
        assert!(icon_kind("icons/icon.png", &png(256, 256)).is_err());
        assert_eq!(icon_kind("icons/icon.png", &png(512, 512)).unwrap(), "PNG 512x512");
        assert!(icon_kind("icons/icon.ico", b"\0\0\x01\0\x06\0").unwrap().starts_with("ICO"));
        assert!(icon_kind("icons/icon.ico", &png(16, 16)).is_err());
        assert!(icon_kind("icons/icon.icns", b"icns\0\0\0\x08").is_ok());
        assert!(icon_kind("icons/icon.icns", b"icns\0\0\0\x09").is_err());
        // The repository's own icons pass.
        check_icons().unwrap();
    }
}
