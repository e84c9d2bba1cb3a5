//! Resource faults through the CLI: a read-only data folder, a full disk, a library from a
//! newer version, and damaged database files. Each gives exit status 1 and one sentence
//! `error: …` (never a panic), and loses nothing already saved.
//!
//! Unix only: it changes users, mounts a small tmpfs (as root) and relies on Unix permissions.
#![cfg(unix)]

mod util;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rusqlite::Connection;
use sha2::{Digest, Sha256};
use util::{finish, fixture, record_figures, Lab, Run};

fn sha_file(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under a folder, relative, with its size, sorted.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, u64)>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push((name, meta.len()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// Whether this process runs as root (a file it creates belongs to uid 0).
fn is_root() -> bool {
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().uid() == 0
}

/// A failed command: exit status 1, exactly one line on stderr, "error: …", no panic.
fn assert_clear_failure(r: &Run, what: &str, expect: &[&str]) {
    assert_eq!(r.code, 1, "{what}: exit status {} (stderr: {})", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{what} panicked: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one sentence expected, got:\n{}", r.stderr);
    assert!(lines[0].starts_with("error: "), "{what}: {}", lines[0]);
    assert!(
        expect.iter().any(|e| lines[0].contains(e)),
        "{what}: the message names no cause ({expect:?}): {}",
        lines[0]
    );
}

// ---------------------------------------------------------------------------------------
// A read-only data folder.

/// Runs the CLI as an unprivileged user when we are root (root ignores permissions), else as ourselves.
struct Reader {
    bin: PathBuf,
    data: PathBuf,
    cwd: PathBuf,
    as_nobody: bool,
}

impl Reader {
    fn run(&self, args: &[&str]) -> Run {
        let mut c = Command::new(&self.bin);
        c.arg("--data-dir").arg(&self.data).args(args).current_dir(&self.cwd);
        c.env_remove("BRIEFWRIGHT_DATA_DIR").env_remove("SOURCE_DATE_EPOCH").stdin(Stdio::null());
        if self.as_nobody {
            c.uid(65534).gid(65534).env("HOME", &self.cwd);
        }
        finish(c.output().unwrap())
    }
}

/// Makes a folder tree read-only for its owner (restored on drop) — used when not root.
struct ReadOnlyTree(PathBuf);
impl ReadOnlyTree {
    fn set(root: &Path, mode_dir: u32, mode_file: u32) {
        for entry in std::fs::read_dir(root).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                ReadOnlyTree::set(&entry.path(), mode_dir, mode_file);
            } else {
                std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode_file)).unwrap();
            }
        }
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(mode_dir)).unwrap();
    }
}
impl Drop for ReadOnlyTree {
    fn drop(&mut self) {
        ReadOnlyTree::set(&self.0, 0o755, 0o644);
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
#[test]
fn a_read_only_data_folder_can_be_read_and_refuses_writes_with_one_sentence() {
    let started = Instant::now();
    let lab = Lab::new();
    let ids = lab.import(&[&fixture("reports/grid-cyberattack.txt"), &fixture("reports/canal-drought.txt")]);
    lab.ok(&["attach", &ids[0], fixture("images/rocket.jpg").to_str().unwrap(), "--caption", "Rocket"]);
    lab.ok(&["attachments", "caption", &ids[0], "1", "Launch pad"]);
    let snapshot = lab.snapshot();
    let data = lab.data();
    let db = data.join("library.sqlite3");
    let (db_sha, files) = (sha_file(&db), listing(&data));
    assert!(!data.join("library.sqlite3-wal").exists(), "the last writer leaves no journal behind");

    // The unprivileged user needs to reach the binary and a writable folder for exports.
    let root = is_root();
    std::fs::set_permissions(lab.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = lab.path("briefwright");
    if std::fs::hard_link(util::BIN, &bin).is_err() {
        std::fs::copy(util::BIN, &bin).unwrap();
    }
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = lab.path("out");
    std::fs::create_dir(&out).unwrap();
    let _guard = if root {
        std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
        None
    } else {
        Some(ReadOnlyTree(data.clone()))
    };
    if !root {
        ReadOnlyTree::set(&data, 0o555, 0o444);
    }
    let reader = Reader { bin, data: data.clone(), cwd: out.clone(), as_nobody: root };
    eprintln!(
        "reading as {}",
        if root { "uid 65534 (we are root)" } else { "ourselves, with the folder made read-only" }
    );

    // Reading works, and shows exactly what is stored.
    let list = reader.run(&["list", "--json"]);
    assert_eq!(list.code, 0, "list on a read-only library: {}", list.stderr);
    assert!(list.stderr.is_empty(), "no warning expected: {}", list.stderr);
    let mut seen = list.stdout.clone();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&list.stdout).unwrap();
    for row in &rows {
        let id = row["id"].as_str().unwrap();
        for args in [vec!["show", id, "--json"], vec!["history", id, "--json"]] {
            let r = reader.run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            seen.push_str(&r.stdout);
        }
    }
    assert_eq!(seen, snapshot, "a read-only library reads back differently");
    let mut reads = 1 + 2 * rows.len();
    for args in [
        vec!["search", "substation", "--json"],
        vec!["attachments", &ids[0], "--json"],
        vec!["export", &ids[0], "--out", "brief.md"],
        vec!["export", &ids[0], "--out", "brief.json"],
        vec!["export", &ids[0], "--out", "brief.pdf"],
        vec!["settings", "show"],
        vec!["backup", "--out", "library-backup.tar.gz"],
    ] {
        let r = reader.run(&args);
        assert_eq!(r.code, 0, "{args:?} on a read-only library: {}", r.stderr);
        reads += 1;
    }
    assert!(reader.run(&["search", "substation", "--json"]).stdout.contains(&ids[0]));
    assert!(std::fs::metadata(out.join("brief.pdf")).unwrap().len() > 1000);

    // Writing is refused in one sentence naming the cause, and changes nothing.
    let sample = fixture("reports/canal-drought.txt");
    let photo = fixture("images/chelsea.png");
    let mut writes = 0;
    for args in [
        vec!["import", sample.to_str().unwrap()],
        vec!["attach", &ids[1], photo.to_str().unwrap()],
        vec!["attachments", "caption", &ids[0], "1", "New caption"],
        vec!["attachments", "remove", &ids[0], "1"],
        vec!["restore", &ids[0], "1"],
        vec!["delete", &ids[1]],
    ] {
        let r = reader.run(&args);
        assert_clear_failure(&r, &format!("{args:?}"), &["read-only"]);
        writes += 1;
    }
    assert_eq!(sha_file(&db), db_sha, "the database file changed");
    assert_eq!(listing(&data), files, "files in the data folder changed");

    // A library another process has open (changes still in its -wal journal) reads up to date.
    drop(_guard);
    let holder = Connection::open(&db).unwrap();
    holder.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let _: i64 = holder.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    let fresh = lab.import(&[&sample]).remove(0);
    assert!(std::fs::metadata(data.join("library.sqlite3-wal")).unwrap().len() > 0, "the import sits in the journal");
    let _guard = if root { None } else { Some(ReadOnlyTree(data.clone())) };
    if !root {
        ReadOnlyTree::set(&data, 0o555, 0o444);
    }
    let r = reader.run(&["show", &fresh, "--json"]);
    let journal = if r.code == 0 {
        assert!(r.stdout.contains("Canal"), "{}", r.stdout);
        "read"
    } else {
        // Without write access to its index (-shm), SQLite cannot read the journal: say so.
        assert_clear_failure(&r, "show with a pending journal", &["read-only", "recent changes"]);
        "refused clearly"
    };
    eprintln!("a library with a pending journal: {journal}");
    drop(holder);

    record_figures(
        "fault_read_only_folder",
        serde_json::json!({
            "as_unprivileged_user": root, "reads_ok": reads, "writes_refused": writes,
            "db_unchanged": true, "pending_journal": journal, "seconds": started.elapsed().as_secs_f64(),
        }),
    );
}

// ---------------------------------------------------------------------------------------
// A full disk.

/// A small tmpfs, unmounted on drop.
struct Mount(PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system at `dir` until at most `leave` bytes are free; returns the filler files.
fn fill(dir: &Path, leave: u64) -> Vec<PathBuf> {
    use std::io::Write;
    let mut made = Vec::new();
    let chunk = vec![0x5Au8; 16 * 1024];
    for size in [1024 * 1024, 16 * 1024, 4096, 512] {
        loop {
            let free = free_bytes(dir);
            if free <= leave {
                return made;
            }
            let path = dir.join(format!("filler-{}", made.len()));
            let mut f = std::fs::File::create(&path).unwrap();
            let want = (free - leave).min(size as u64);
            let mut written = 0u64;
            while written < want {
                let n = (want - written).min(chunk.len() as u64) as usize;
                if f.write_all(&chunk[..n]).is_err() {
                    break;
                }
                written += n as u64;
            }
            let _ = f.sync_all();
            made.push(path);
            if free_bytes(dir) == free {
                break; // this size no longer fits
            }
        }
    }
    made
}

fn free_bytes(dir: &Path) -> u64 {
    let out = Command::new("df").args(["-B1", "--output=avail"]).arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().trim().parse().unwrap()
}

#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
#[test]
fn a_full_disk_gives_one_sentence_half_writes_nothing_and_works_again_once_freed() {
    let started = Instant::now();
    let lab = Lab::new();
    if !is_root() {
        eprintln!(
            "SKIPPED: the full-disk check mounts a small tmpfs, which needs root (run the tests as root, as CI does)"
        );
        record_figures("fault_full_disk", serde_json::json!({ "skipped": "not root" }));
        return;
    }
    let disk = lab.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=6m", "tmpfs"]).arg(&disk).status().unwrap();
    assert!(status.success(), "mount -t tmpfs failed although we are root");
    let _mount = Mount(disk.clone());
    let data = disk.join("data");
    let out = disk.join("out");
    std::fs::create_dir(&out).unwrap();
    let run = |args: &[&str]| -> Run {
        let mut c = Command::new(util::BIN);
        c.arg("--data-dir").arg(&data).args(args).current_dir(lab.dir.path()).stdin(Stdio::null());
        c.env_remove("BRIEFWRIGHT_DATA_DIR").env_remove("SOURCE_DATE_EPOCH");
        finish(c.output().unwrap())
    };
    let ok = |args: &[&str]| -> Run {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        r
    };
    let samples = [fixture("reports/grid-cyberattack.txt"), fixture("reports/canal-drought.txt")];
    let id = ok(&["import", samples[0].to_str().unwrap()]).stdout.trim().to_string();
    ok(&["attach", &id, fixture("images/rocket.jpg").to_str().unwrap()]);
    let show = |id: &str| ok(&["show", id, "--json"]).stdout;
    let before = (ok(&["list", "--json"]).stdout, show(&id), ok(&["history", &id, "--json"]).stdout);
    let db = data.join("library.sqlite3");
    let db_sha = sha_file(&db);

    let sample = samples[1].to_str().unwrap().to_string();
    let photo = fixture("images/chelsea.png").to_str().unwrap().to_string();
    let ops: Vec<(&str, Vec<String>)> = vec![
        ("import", vec!["import".into(), sample.clone()]),
        ("attach", vec!["attach".into(), id.clone(), photo.clone()]),
        (
            "export pdf",
            vec!["export".into(), id.clone(), "--out".into(), out.join("brief.pdf").to_str().unwrap().into()],
        ),
        ("export md", vec!["export".into(), id.clone(), "--out".into(), out.join("brief.md").to_str().unwrap().into()]),
    ];
    let mut outcomes = serde_json::Map::new();
    let mut injected = 0;
    let mut reads_while_full = 0;
    // Completely full, then nearly full (some room, not enough for everything).
    for leave in [0u64, 48 * 1024, 160 * 1024] {
        for (name, args) in &ops {
            let state = (ok(&["list", "--json"]).stdout, show(&id));
            let fillers = fill(&disk, leave);
            let images_before = listing(&data.join("images"));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&args);
            injected += 1;
            let key = format!("{name} with {} KiB free", leave / 1024);
            let succeeded = r.code == 0;
            if succeeded {
                // Enough room after all: then it must be whole.
                assert!(leave > 0, "{key} succeeded on a full disk");
                outcomes.insert(key.clone(), "succeeded whole".into());
            } else {
                assert_clear_failure(&r, &key, &["disk is full", "No space left on device"]);
                // Nothing half-written: no output file, no temporary file, no new or torn image.
                let leftovers: Vec<_> = listing(&out);
                assert!(leftovers.is_empty(), "{key} left files behind: {leftovers:?}");
                let images_now = listing(&data.join("images"));
                for (f, _) in &images_now {
                    assert!(!f.ends_with(".tmp"), "{key} left a temporary file images/{f}");
                    if let Some((sha, _)) = f.split_once('.').filter(|_| !f.contains('/')) {
                        assert_eq!(sha_file(&data.join("images").join(f)), sha, "{key}: torn image {f}");
                    }
                }
                assert!(images_now.len() >= images_before.len());
                outcomes.insert(key.clone(), r.stderr.trim().into());
            }
            if leave == 0 {
                // Reading still works on the full disk.
                let l = run(&["list", "--json"]);
                assert_eq!((l.code, l.stdout.as_str()), (0, state.0.as_str()), "list on a full disk: {}", l.stderr);
                reads_while_full += 1;
            }
            for f in fillers {
                std::fs::remove_file(f).unwrap();
            }
            if !succeeded {
                // Failed: the library is exactly as it was.
                assert_eq!((ok(&["list", "--json"]).stdout, show(&id)), state, "{key} changed the library");
            }
            for f in listing(&out) {
                std::fs::remove_file(out.join(f.0)).unwrap();
            }
        }
        if leave == 0 {
            // Everything refused on the full disk: the library is as before, byte for byte.
            assert_eq!((ok(&["list", "--json"]).stdout, show(&id), ok(&["history", &id, "--json"]).stdout), before);
            assert_eq!(sha_file(&db), db_sha, "the database file changed on a full disk");
        }
    }
    // With the space back, the same operations succeed.
    for (name, args) in &ops {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        assert_eq!(r.code, 0, "{name} after freeing space: {}", r.stderr);
    }
    assert!(std::fs::metadata(out.join("brief.pdf")).unwrap().len() > 1000);
    let conn = Connection::open(&db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    let gc = ok(&["gc", "--grace", "0"]);
    assert!(gc.stderr.contains("removed"), "{}", gc.stderr);
    eprintln!("{injected} full-disk faults: {outcomes:#?}");
    record_figures(
        "fault_full_disk",
        serde_json::json!({
            "faults_injected": injected, "outcomes": outcomes, "reads_while_full": reads_while_full, "tmpfs": "6 MiB",
            "seconds": started.elapsed().as_secs_f64(),
        }),
    );
}

// ---------------------------------------------------------------------------------------
// A newer library and damaged files.

/// A library with some reports, one with an image; returns (lab, ids).
fn library(copies: usize) -> (Lab, Vec<String>) {
    let lab = Lab::new();
    let samples = [fixture("reports/grid-cyberattack.txt"), fixture("reports/canal-drought.txt")];
    let files: Vec<&Path> = (0..copies).map(|i| samples[i % 2].as_path()).collect();
    let ids = lab.import(&files);
    lab.ok(&["attach", &ids[0], fixture("images/rocket.jpg").to_str().unwrap()]);
    (lab, ids)
}

/// The commands tried on a faulty library: reads, then writes.
fn commands<'a>(id: &'a str, sample: &'a str, out: &'a str) -> Vec<Vec<&'a str>> {
    vec![
        vec!["list", "--json"],
        vec!["search", "grid"],
        vec!["show", id, "--json"],
        vec!["history", id],
        vec!["export", id, "--out", out],
        // Reads every page (and checks the copy): damage anywhere shows here.
        vec!["backup", "--out", "library-backup.tar.gz"],
        vec!["import", sample],
        vec!["restore", id, "1"],
        vec!["delete", id],
    ]
}

#[test]
fn a_library_from_a_newer_version_is_refused_by_every_command_and_left_alone() {
    let (lab, ids) = library(2);
    let db = lab.data().join("library.sqlite3");
    Connection::open(&db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let (sha, files) = (sha_file(&db), listing(&lab.data()));
    let sample = fixture("reports/canal-drought.txt");
    let mut refused = 0;
    for args in commands(&ids[0], sample.to_str().unwrap(), "brief.md") {
        let r = lab.run(&args);
        assert_clear_failure(&r, &format!("{args:?}"), &["created by a newer version of Briefwright (schema 99"]);
        refused += 1;
    }
    assert_eq!(sha_file(&db), sha);
    assert_eq!(listing(&lab.data()), files);
    assert!(!lab.path("brief.md").exists() && !lab.path("library-backup.tar.gz").exists());
    record_figures("fault_newer_version", serde_json::json!({ "commands_refused": refused, "file_unchanged": true }));
}

/// How a damaged file is made.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// Random bytes over a few whole pages in the middle of the file.
    MiddlePages,
    /// The file cut to half its length.
    Truncated,
    /// The first 100 bytes (the SQLite header) overwritten.
    Header,
    /// Some other file (text) named library.sqlite3.
    NotSqlite,
    /// A zero-length file.
    Empty,
}

#[test]
fn a_damaged_library_gives_one_sentence_no_panic_and_is_never_rewritten_or_replaced() {
    let started = Instant::now();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("seed {seed}");
    let mut rng = seed;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let sample = fixture("reports/canal-drought.txt");
    let mut figures = serde_json::Map::new();
    for damage in [Damage::MiddlePages, Damage::Truncated, Damage::Header, Damage::NotSqlite, Damage::Empty] {
        let (lab, ids) = library(40);
        let db = lab.data().join("library.sqlite3");
        let mut bytes = std::fs::read(&db).unwrap();
        let page = 4096;
        let pages = bytes.len() / page;
        match damage {
            Damage::MiddlePages => {
                for _ in 0..3 {
                    let p = pages / 4 + (next() as usize) % (pages / 2).max(1);
                    for b in &mut bytes[p * page..(p + 1) * page] {
                        *b = next() as u8;
                    }
                }
            }
            Damage::Truncated => bytes.truncate(bytes.len() / 2),
            Damage::Header => {
                for b in &mut bytes[..100] {
                    *b = next() as u8;
                }
            }
            Damage::NotSqlite => bytes = b"Quarterly notes\nnot a database at all\n".repeat(200),
            Damage::Empty => bytes.clear(),
        }
        std::fs::write(&db, &bytes).unwrap();
        let files = listing(&lab.data());
        let (mut failed, mut succeeded) = (0, 0);
        for args in commands(&ids[0], sample.to_str().unwrap(), "brief.md") {
            let r = lab.run(&args);
            let what = format!("{args:?} on a library with {damage:?}");
            assert!(!r.stderr.contains("panicked"), "{what} panicked: {}", r.stderr);
            match damage {
                // Damage inside: a command that reads a damaged page says so; one that reads only
                // sound pages works.
                Damage::MiddlePages | Damage::Truncated if r.code == 0 => succeeded += 1,
                Damage::MiddlePages | Damage::Truncated => {
                    assert_clear_failure(&r, &what, &["damaged", "could not be read"]);
                    failed += 1;
                }
                Damage::Header | Damage::NotSqlite => {
                    assert_clear_failure(&r, &what, &["damaged or is not a database file"]);
                    failed += 1;
                }
                Damage::Empty => {
                    assert_clear_failure(&r, &what, &["is empty (0 bytes)"]);
                    failed += 1;
                }
            }
            if args[0] != "import" && args[0] != "restore" && args[0] != "delete" {
                assert_eq!(std::fs::read(&db).unwrap(), bytes, "{what} changed the file");
            }
        }
        if matches!(damage, Damage::Header | Damage::NotSqlite | Damage::Empty) {
            // Refused outright: not a byte changed, nothing created beside it.
            assert_eq!(std::fs::read(&db).unwrap(), bytes, "{damage:?}: the file was changed");
            assert_eq!(listing(&lab.data()), files, "{damage:?}: files appeared or changed");
        } else {
            assert!(failed > 0, "{damage:?}: no command noticed the damage");
            // Never repaired or replaced behind the user's back: SQLite still finds the damage.
            let conn = Connection::open(&db).unwrap();
            let check: String =
                conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap_or_else(|e| e.to_string());
            assert_ne!(check, "ok", "{damage:?}: the damage is gone");
        }
        figures.insert(format!("{damage:?}"), serde_json::json!({ "refused": failed, "worked": succeeded }));
    }
    record_figures(
        "fault_damaged_library",
        serde_json::json!({ "variants": figures, "seconds": started.elapsed().as_secs_f64(), "seed": seed }),
    );
}
