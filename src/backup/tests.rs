use crate::error::ErrorCode;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use time::macros::datetime;

use super::manifest::{classify_path, hex, Part};
use super::{backup, restore, BackupError, Counts, MANIFEST};
use crate::env::Env;
use crate::model::{Figure, ImageRef, Report};
use crate::paths::DataDir;
use crate::sign::keystore;
use crate::sign::KeyKind;
use crate::store::{self, Store};

fn env() -> Env {
    Env::fixed(datetime!(2026-03-04 05:06:07 UTC))
}

/// A library with two reports (one with a figure whose image is stored), a thumbnail,
/// an identity, a trusted certificate, settings and a logo.
fn library(root: &Path) -> DataDir {
    let dir = DataDir::new(root);
    let mut store = Store::open(&dir, env()).unwrap();
    let image = b"\xFF\xD8\xFF not really a jpeg, but content-addressed all the same".to_vec();
    let sha = hex(&Sha256::digest(&image));
    fs::create_dir_all(dir.images().join("thumbs")).unwrap();
    fs::write(dir.images().join(format!("{sha}.jpg")), &image).unwrap();
    fs::write(dir.images().join("thumbs").join(format!("{sha}-256.jpg")), b"thumb").unwrap();
    let figure = Figure {
        caption: "the dam".into(),
        image: Some(ImageRef { sha256: sha, format: "jpeg".into(), width: 1, height: 1, bytes: image.len() as u64 }),
    };
    store.create(Report { title: "First".into(), images: vec![figure], ..Report::default() }, "created").unwrap();
    store.create(Report { title: "Second".into(), ..Report::default() }, "created").unwrap();
    drop(store);
    keystore::create(&dir, "Ann Analyst", None, None, KeyKind::P256, "correct horse", &env()).unwrap();
    fs::create_dir_all(dir.trust()).unwrap();
    fs::write(dir.trust().join("0123456789abcdef.pem"), b"-----BEGIN CERTIFICATE-----\n").unwrap();
    fs::write(dir.settings(), br#"{"page_size":"letter"}"#).unwrap();
    fs::create_dir_all(dir.branding()).unwrap();
    fs::write(dir.branding().join("logo.png"), b"\x89PNG\r\n\x1a\nlogo").unwrap();
    dir
}

/// Every file under `root` (relative path → bytes), but the database and SQLite's side files.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                if !rel.starts_with("library.sqlite3") {
                    out.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn reports(dir: &DataDir) -> Vec<crate::model::StoredReport> {
    let store = Store::open(dir, env()).unwrap();
    let rows = store.search(&Default::default()).unwrap();
    rows.iter().map(|r| store.get(r.id).unwrap()).collect()
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn round_trip_restores_everything_but_thumbnails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = library(&tmp.path().join("data"));
    let out = tmp.path().join("library.tar.gz");
    let summary = backup(&dir, &out, &env()).unwrap();
    assert_eq!(summary.counts, Counts { reports: 2, images: 1, identities: 1, trusted: 1 });
    assert!(summary.missing_images.is_empty());
    assert_eq!(summary.bytes, fs::metadata(&out).unwrap().len());
    assert_eq!(names_in(tmp.path()), ["data", "library.tar.gz"], "no temporary file left behind");

    // Same library, same time: the same bytes.
    let again = tmp.path().join("again.tar.gz");
    backup(&dir, &again, &env()).unwrap();
    assert_eq!(fs::read(&out).unwrap(), fs::read(&again).unwrap());

    let target = DataDir::new(tmp.path().join("restored"));
    let restored = restore(&out, &target, false, &env()).unwrap();
    assert_eq!(restored.counts, summary.counts);
    assert_eq!(restored.created, env().clock.now());
    assert_eq!(restored.moved_aside, None);
    assert_eq!(reports(&target), reports(&dir));
    let mut expected = files(dir.root());
    expected.retain(|path, _| !path.starts_with("images/thumbs/"));
    assert_eq!(files(target.root()), expected);
    assert_eq!(keystore::list(&target).unwrap(), keystore::list(&dir).unwrap());
    let store = Store::open(&target, env()).unwrap();
    store.check().unwrap();
    let refs = store.image_references().unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(names_in(tmp.path()), ["again.tar.gz", "data", "library.tar.gz", "restored"]);
}

#[test]
fn a_missing_image_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = library(&tmp.path().join("data"));
    let image = names_in(&dir.images()).into_iter().find(|n| n.ends_with(".jpg")).unwrap();
    fs::remove_file(dir.images().join(&image)).unwrap();
    let summary = backup(&dir, &tmp.path().join("b.tar.gz"), &env()).unwrap();
    assert_eq!(summary.counts.images, 0);
    assert_eq!(summary.missing_images, [image.trim_end_matches(".jpg").to_string()]);
}

#[test]
fn no_library_no_backup_and_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b.tar.gz");
    let err = backup(&DataDir::new(tmp.path().join("none")), &out, &env()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoLibrary);
    assert!(!out.exists());
}

/// One archive entry as the tests rewrite it: name, type, bytes.
type Raw = (Vec<u8>, tar::EntryType, Vec<u8>);

fn read_raw(archive: &Path) -> Vec<Raw> {
    let mut ar = tar::Archive::new(GzDecoder::new(File::open(archive).unwrap()));
    ar.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path_bytes().into_owned();
            let kind = e.header().entry_type();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (name, kind, bytes)
        })
        .collect()
}

/// Writes entries with their names as given (the tar crate's own checks would refuse `..`).
fn write_raw(archive: &Path, entries: &[Raw]) {
    let mut b = tar::Builder::new(GzEncoder::new(File::create(archive).unwrap(), Compression::fast()));
    for (name, kind, bytes) in entries {
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_entry_type(*kind);
        h.set_size(if kind.is_file() { bytes.len() as u64 } else { 0 });
        h.set_mode(0o644);
        if !kind.is_file() {
            h.set_link_name("/etc/passwd").unwrap();
        }
        h.set_cksum();
        let data: &[u8] = if kind.is_file() { bytes } else { &[] };
        b.append(&h, data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
}

fn edit_manifest(entries: &mut [Raw], edit: impl FnOnce(&mut serde_json::Value)) {
    let last = entries.last_mut().unwrap();
    assert_eq!(last.0, MANIFEST.as_bytes());
    let mut v: serde_json::Value = serde_json::from_slice(&last.2).unwrap();
    edit(&mut v);
    last.2 = serde_json::to_vec(&v).unwrap();
}

/// A backup of the library, a second library at the target, and a way to check that a refused
/// restore changed nothing there and left no staging folder behind.
struct Setup {
    tmp: tempfile::TempDir,
    archive: PathBuf,
    target: DataDir,
    before: BTreeMap<String, Vec<u8>>,
    before_reports: Vec<crate::model::StoredReport>,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let dir = library(&tmp.path().join("data"));
        let archive = tmp.path().join("b.tar.gz");
        backup(&dir, &archive, &env()).unwrap();
        let target = DataDir::new(tmp.path().join("target"));
        let mut store = Store::open(&target, env()).unwrap();
        store.create(Report { title: "Already here".into(), ..Report::default() }, "created").unwrap();
        drop(store);
        let before = files(target.root());
        let before_reports = reports(&target);
        Setup { tmp, archive, target, before, before_reports }
    }

    fn refused(&self, archive: &Path, replace: bool) -> BackupError {
        let err = restore(archive, &self.target, replace, &env()).unwrap_err();
        assert_eq!(files(self.target.root()), self.before, "{err}");
        assert_eq!(reports(&self.target), self.before_reports);
        let leftovers: Vec<String> = names_in(self.tmp.path()).into_iter().filter(|n| n.starts_with('.')).collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        err
    }

    fn rewritten(&self, edit: impl FnOnce(&mut Vec<Raw>)) -> PathBuf {
        let mut entries = read_raw(&self.archive);
        edit(&mut entries);
        let out = self.tmp.path().join("edited.tar.gz");
        write_raw(&out, &entries);
        out
    }
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_changes() {
    let s = Setup::new();
    let tampered = s.rewritten(|entries| {
        let settings = entries.iter_mut().find(|e| e.0 == b"settings.json").unwrap();
        settings.2 = br#"{"page_size":"legal!"}"#.to_vec(); // the same length: only the checksum tells
    });
    let err = s.refused(&tampered, true);
    assert_eq!(err.code(), ErrorCode::BackupDamaged, "{err}");
    assert!(err.to_string().contains("settings.json does not match its checksum"), "{err}");

    // An entry left out, an entry the manifest does not list, no manifest at all.
    let dropped = s.rewritten(|entries| entries.retain(|e| !e.0.starts_with(b"trust/")));
    assert_eq!(s.refused(&dropped, true).code(), ErrorCode::BackupDamaged);
    let added = s.rewritten(|entries| {
        let at = entries.len() - 1;
        entries.insert(at, (b"trust/extra.pem".to_vec(), tar::EntryType::Regular, b"x".to_vec()));
    });
    assert_eq!(s.refused(&added, true).code(), ErrorCode::BackupDamaged);
    let headless = s.rewritten(|entries| {
        entries.pop();
    });
    assert_eq!(s.refused(&headless, true).code(), ErrorCode::NotABackup);

    // A bit flipped in the compressed stream, a truncated file, not an archive at all.
    let mut bytes = fs::read(&s.archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    let flipped = s.tmp.path().join("flipped.tar.gz");
    fs::write(&flipped, &bytes).unwrap();
    let err = s.refused(&flipped, true);
    assert!(matches!(err.code(), ErrorCode::BackupDamaged | ErrorCode::BackupUnsafe), "{err}");
    let cut = s.tmp.path().join("cut.tar.gz");
    fs::write(&cut, &bytes[..mid]).unwrap();
    let err = s.refused(&cut, true);
    assert!(matches!(err.code(), ErrorCode::BackupDamaged | ErrorCode::NotABackup), "{err}");
    let text = s.tmp.path().join("notes.txt");
    fs::write(&text, "just some notes, not an archive at all ".repeat(40)).unwrap();
    assert_eq!(s.refused(&text, true).code(), ErrorCode::NotABackup);
}

#[test]
fn unsafe_entries_are_refused_and_nothing_changes() {
    let s = Setup::new();
    let regular = tar::EntryType::Regular;
    for (name, kind) in [
        (&b"../escaped.txt"[..], regular),
        (b"images/../../escaped.jpg", regular),
        (b"/etc/briefwright.json", regular),
        (b"identities/../settings.json", regular),
        (b"notes.txt", regular),
        (b"images/thumbs/x.jpg", regular),
        (b"trust/link.pem", tar::EntryType::Symlink),
        (b"trust/hard.pem", tar::EntryType::Link),
        (b"trust/dev.pem", tar::EntryType::Char),
        (b"images", tar::EntryType::Directory),
    ] {
        let archive = s.rewritten(|entries| entries.insert(0, (name.to_vec(), kind, b"x".to_vec())));
        let err = s.refused(&archive, true);
        assert_eq!(err.code(), ErrorCode::BackupUnsafe, "{}: {err}", String::from_utf8_lossy(name));
    }
    assert!(!s.tmp.path().join("escaped.txt").exists());
    assert!(!Path::new("/etc/briefwright.json").exists());

    let twice = s.rewritten(|entries| {
        let first = entries[0].clone();
        entries.insert(1, first);
    });
    assert_eq!(s.refused(&twice, true).code(), ErrorCode::BackupUnsafe);
    let trailing = s.rewritten(|entries| entries.push((b"settings.json".to_vec(), regular, b"{}".to_vec())));
    assert_eq!(s.refused(&trailing, true).code(), ErrorCode::BackupUnsafe);
}

#[test]
fn a_newer_schema_or_format_is_refused() {
    let s = Setup::new();
    let newer = s.rewritten(|entries| {
        edit_manifest(entries, |m| m["schema_version"] = (store::schema_version() + 1).into());
    });
    let err = s.refused(&newer, true);
    assert_eq!(err.code(), ErrorCode::BackupTooNew, "{err}");
    assert!(err.to_string().contains("update Briefwright"), "{err}");

    let format = s.rewritten(|entries| edit_manifest(entries, |m| m["version"] = 2.into()));
    assert_eq!(s.refused(&format, true).code(), ErrorCode::BackupVersion);
    let foreign = s.rewritten(|entries| edit_manifest(entries, |m| m["format"] = "zip-of-things".into()));
    assert_eq!(s.refused(&foreign, true).code(), ErrorCode::NotABackup);
}

#[test]
fn an_existing_library_is_kept_unless_replaced_then_moved_aside() {
    let s = Setup::new();
    let err = s.refused(&s.archive, false);
    assert_eq!(err.code(), ErrorCode::LibraryNotEmpty);

    let restored = restore(&s.archive, &s.target, true, &env()).unwrap();
    let aside = restored.moved_aside.unwrap();
    assert_eq!(aside, s.tmp.path().join("target.before-restore-20260304T050607Z"));
    assert_eq!(reports(&DataDir::new(&aside)), s.before_reports, "the old library is all there");
    assert_eq!(files(&aside), s.before);
    assert_eq!(reports(&s.target).len(), 2);

    // A second restore in the same second does not overwrite the first folder moved aside.
    let again = restore(&s.archive, &s.target, true, &env()).unwrap();
    assert_eq!(again.moved_aside.unwrap(), s.tmp.path().join("target.before-restore-20260304T050607Z-2"));
    assert_eq!(reports(&DataDir::new(&aside)), s.before_reports);
}

#[test]
fn an_empty_library_needs_no_replace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = library(&tmp.path().join("data"));
    let archive = tmp.path().join("b.tar.gz");
    backup(&dir, &archive, &env()).unwrap();
    let target = DataDir::new(tmp.path().join("target"));
    drop(Store::open(&target, env()).unwrap());
    let restored = restore(&archive, &target, false, &env()).unwrap();
    assert_eq!(restored.counts.reports, 2);
    assert!(restored.moved_aside.is_some(), "even an empty library is moved aside, never deleted");
    let empty = DataDir::new(tmp.path().join("empty"));
    fs::create_dir(empty.root()).unwrap();
    assert_eq!(restore(&archive, &empty, false, &env()).unwrap().moved_aside, None);
}

#[test]
fn paths_are_classified_strictly() {
    let sha = "0123456789abcdef".repeat(4);
    assert_eq!(classify_path(&format!("images/{sha}.png")), Some(Part::Image));
    assert_eq!(classify_path("identities/Ann Analyst.key.p8"), Some(Part::Identity));
    assert_eq!(classify_path("identities/Ann Analyst.cert.pem"), Some(Part::Identity));
    assert_eq!(classify_path("trust/0123456789abcdef.pem"), Some(Part::Trusted));
    assert_eq!(classify_path("branding/logo.jpg"), Some(Part::Logo));
    for bad in [
        "",
        "/library.sqlite3",
        "./library.sqlite3",
        "library.sqlite3/",
        "images/",
        &format!("images/{sha}.gif"),
        &format!("images//{sha}.jpg"),
        &format!("images/thumbs/{sha}-256.jpg"),
        "identities/../x.key.p8",
        "identities/.hidden.key.p8",
        "identities/a/b.key.p8",
        "identities\\x.key.p8",
        "trust/../x.pem",
        "trust/..pem",
        "branding/other.png",
        ".app-started",
    ] {
        assert_eq!(classify_path(bad), None, "{bad}");
    }
}
