//! `briefwright backup` and `briefwright restore FILE` / `restore-backup` as a black box: a whole library (reports,
//! history, a photo, a signing identity) survives the round trip into a fresh data folder, and a
//! backup taken while another process keeps importing is a consistent snapshot.

mod util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{fixture, Lab};

const PASSPHRASE: &str = "a long and unguessable passphrase";

fn reports() -> Vec<PathBuf> {
    ["reports/canal-drought.txt", "reports/grid-cyberattack.txt", "import-warnings/port-strike-warnings.txt"]
        .iter()
        .map(|n| fixture(n))
        .collect()
}

fn ids(lab: &Lab) -> Vec<String> {
    let list: Vec<Value> = serde_json::from_str(&lab.ok(&["list", "--json"]).stdout).unwrap();
    list.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// What a user can see of a library through the CLI (the data folder's own path written as DATA).
fn view(lab: &Lab) -> String {
    let mut all = lab.ok(&["list", "--json"]).stdout;
    for id in ids(lab) {
        all.push_str(&lab.ok(&["show", &id]).stdout);
        all.push_str(&lab.ok(&["show", &id, "--json"]).stdout);
        all.push_str(&lab.ok(&["history", &id, "--json"]).stdout);
        all.push_str(&lab.ok(&["attachments", &id, "--json"]).stdout);
    }
    all.push_str(&lab.ok(&["identity", "list", "--json"]).stdout);
    all.push_str(&lab.ok(&["settings", "show", "--json"]).stdout);
    all.replace(lab.data().to_str().unwrap(), "DATA")
}

fn with_passphrase(lab: &Lab, args: &[&str]) -> util::Run {
    lab.run_env(args, &[("BRIEFWRIGHT_PASSPHRASE", PASSPHRASE)])
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_library_survives_backup_and_restore_into_a_fresh_folder() {
    let lab = Lab::new();
    let files = reports();
    lab.import(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let first = ids(&lab).pop().unwrap();
    let sha = lab.ok(&["attach", &first, arg(&fixture("images/rocket.jpg")), "--caption", "Launch"]).stdout;
    assert_eq!(sha.trim().len(), 64);
    let figures: Vec<Value> = serde_json::from_str(&lab.ok(&["attachments", &first, "--json"]).stdout).unwrap();
    let figure = figures.len().to_string(); // the new figure comes last
    lab.ok(&["attachments", "thumbnail", &first, &figure]);
    lab.ok(&["settings", "set", "organisation", "Northern Desk"]);
    let r = with_passphrase(&lab, &["identity", "new", "--name", "desk", "--org", "Northern Desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let archive = lab.path("library.tar.gz");
    let r = lab.ok(&["backup", "--out", arg(&archive)]);
    let line = r.stderr.trim();
    assert!(
        line.starts_with(&format!(
            "backed up 3 reports, 1 image, 1 identity, 0 trusted certificates to {}",
            archive.display()
        )),
        "{line}"
    );
    assert!(line.ends_with(" kB)") || line.ends_with(" MB)"), "{line}");
    assert_eq!(r.stdout, "");

    let fresh = Lab::new();
    let r = fresh.ok(&["restore-backup", arg(&archive)]);
    assert!(
        r.stderr.starts_with("restored 3 reports, 1 image, 1 identity, 0 trusted certificates from "),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("moved aside") && !r.stderr.contains("is now in"), "{}", r.stderr);
    let (restored, original) = (view(&fresh), view(&lab));
    assert!(restored.contains("\"file\": \"DATA/images/"), "{restored}");
    assert!(restored == original, "the restored library differs:\n{restored}\n---- original:\n{original}");
    assert!(fresh.data().join("images").join(format!("{}.jpg", sha.trim())).is_file());
    assert!(!fresh.data().join("images/thumbs").exists(), "thumbnails are made again on demand");
    let thumb = fresh.ok(&["attachments", "thumbnail", &first, &figure]).stdout;
    assert!(Path::new(thumb.trim()).is_file());

    // The identity came back still encrypted, and still unlocks and signs.
    let key = std::fs::read_to_string(fresh.data().join("identities/desk.key.p8")).unwrap();
    assert!(key.contains("ENCRYPTED PRIVATE KEY"), "{key}");
    let pdf = fresh.path("x.pdf");
    let r = with_passphrase(&fresh, &["export", &first, "--out", arg(&pdf), "--sign", "--identity", "desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = fresh.run(&["verify", arg(&pdf)]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // …with the very key of the original library: a signature made there verifies here too.
    let original_pdf = lab.path("y.pdf");
    let r = with_passphrase(&lab, &["export", &first, "--out", arg(&original_pdf), "--sign", "--identity", "desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fresh.run(&["verify", arg(&original_pdf)]).code, 0);
}

#[test]
fn restore_keeps_an_existing_library_unless_replaced() {
    let lab = Lab::new();
    lab.import(&[&fixture("reports/canal-drought.txt")]);
    let archive = lab.path("b.tar.gz");
    lab.ok(&["backup", "--out", arg(&archive)]);

    let other = Lab::new();
    other.import(&[&fixture("reports/grid-cyberattack.txt"), &fixture("import-warnings/port-strike-warnings.txt")]);
    let before = other.snapshot();
    let r = other.run(&["restore-backup", arg(&archive)]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "error: {} already holds a library; add --replace to move it aside (nothing is deleted) or choose another --data-dir",
            other.data().display()
        )
    );
    assert_eq!(other.snapshot(), before);

    // `restore ID` without a revision, when ID is no file, says what is missing and changes nothing.
    let r = other.run(&["restore", "BW-2026-0001"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        "error: BW-2026-0001 is not a file: to restore a revision, give its number too (briefwright restore BW-2026-0001 REVISION)"
    );
    assert_eq!(other.snapshot(), before);

    // `restore FILE` is the spelling of restore-backup.
    let r = other.ok(&["restore", arg(&archive), "--replace"]);
    let aside = r.stderr.lines().find_map(|l| l.strip_prefix("the library that was there is now in ")).unwrap();
    assert!(aside.starts_with(&format!("{}.before-restore-", other.data().display())), "{aside}");
    assert_eq!(other.snapshot(), lab.snapshot());
    let old = std::process::Command::new(util::BIN)
        .args(["--data-dir", aside, "list", "--json"])
        .env_remove("BRIEFWRIGHT_DATA_DIR")
        .output()
        .unwrap();
    let old: Vec<Value> = serde_json::from_slice(&old.stdout).unwrap();
    assert_eq!(old.len(), 2, "the replaced library is kept whole");
}

#[test]
fn bad_archives_are_refused_with_one_sentence() {
    let lab = Lab::new();
    lab.import(&[&fixture("reports/canal-drought.txt")]);
    let archive = lab.path("b.tar.gz");
    lab.ok(&["backup", "--out", arg(&archive)]);
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.truncate(bytes.len() / 2);
    let cut = lab.write("cut.tar.gz", &bytes);
    let not = lab.write("notes.txt", "not a backup ".repeat(100));
    let fresh = Lab::new();
    for (file, start) in [
        (&cut, "error: the backup is damaged ("),
        (&not, &*format!("error: {} is not a Briefwright backup (", not.display())),
        (&lab.path("missing.tar.gz"), "error: cannot read "),
    ] {
        let r = fresh.run(&["restore-backup", arg(file)]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.starts_with(start), "{}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
        assert!(!fresh.data().exists(), "nothing created for {}", file.display());
    }
    let r = Lab::new().run(&["backup", "--out", arg(&lab.path("empty.tar.gz"))]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: there is no library in "), "{}", r.stderr);
    assert!(!lab.path("empty.tar.gz").exists());
}

/// Another process imports three reports at a time (one transaction) while backups run: each
/// backup restores to a sound library holding a whole number of those imports.
#[test]
fn a_backup_under_write_load_is_a_consistent_snapshot() {
    let lab = Arc::new(Lab::new());
    lab.import(&[&fixture("reports/canal-drought.txt")]);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (lab, stop) = (lab.clone(), stop.clone());
        std::thread::spawn(move || {
            let files = reports();
            let mut imports = 0u32;
            while !stop.load(Ordering::Relaxed) {
                lab.import(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
                imports += 1;
            }
            imports
        })
    };
    let started = Instant::now();
    let mut archives = Vec::new();
    while archives.len() < 4 || started.elapsed() < Duration::from_millis(1500) {
        let archive = lab.path(&format!("b{}.tar.gz", archives.len()));
        lab.ok(&["backup", "--out", arg(&archive)]);
        archives.push(archive);
        if archives.len() >= 20 {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let imports = writer.join().unwrap();
    assert!(imports >= 1, "the writer never ran alongside the backups");

    let mut counts = BTreeSet::new();
    for archive in &archives {
        let fresh = Lab::new();
        fresh.ok(&["restore-backup", arg(archive)]);
        let conn = rusqlite::Connection::open(fresh.data().join("library.sqlite3")).unwrap();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
        drop(conn);
        let n = ids(&fresh).len() as u32;
        assert!(
            n >= 1 && (n - 1).is_multiple_of(3) && (n - 1) / 3 <= imports,
            "{n} reports: not a state the library was ever in"
        );
        counts.insert(n);
    }
    assert_eq!(ids(&lab).len() as u32, 1 + 3 * imports);
    eprintln!("{} backups during {imports} imports saw report counts {counts:?}", archives.len());

    // Once the writer stops, a backup restores to a library identical to the source.
    let last = lab.path("last.tar.gz");
    lab.ok(&["backup", "--out", arg(&last)]);
    let fresh = Lab::new();
    fresh.ok(&["restore", arg(&last)]);
    assert!(view(&fresh) == view(&lab), "the restored library differs from the one backed up");
    util::record_figures(
        "backup_under_load",
        serde_json::json!({
            "backups_during_writes": archives.len(), "imports_meanwhile": imports,
            "distinct_snapshots": counts.len(), "reports_restored_identical": ids(&fresh).len(),
        }),
    );
}
