//! Backup and restore of the whole library as one `.tar.gz` archive.
//!
//! The archive holds what the data folder holds — `library.sqlite3`, `images/<sha256>.jpg|png`,
//! `identities/` (keys stay encrypted), `trust/`, `settings.json`, `branding/` — and, last,
//! `briefwright-backup.json`: the format, the time, the app and schema versions, counts and the
//! size and SHA-256 of every other entry. Thumbnails are left out (they are made again on demand).
//!
//! Invariants:
//! - The database is copied with SQLite's online backup API in one step from a read
//!   transaction: a backup taken while another process saves is a consistent snapshot.
//! - The archive is written to a temporary file beside the target, synced, then renamed:
//!   a failed backup leaves no file and never a half-written one.
//! - A restore checks every entry (a plain file at a path Briefwright writes, within its size
//!   limit, matching the manifest's checksum) and the restored database (integrity) in a staging
//!   folder beside the data folder before anything in the data folder changes. A library already
//!   there is refused unless replacing was asked for, and then it is moved aside
//!   (`<data folder>.before-restore-<time>`), never deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::env::Env;
use crate::fsutil;
use crate::media::files::{classify, Entry};
use crate::paths::DataDir;
use crate::sign::keystore;
use crate::store::{self, Store, StoreError};

/// The manifest's `format`.
pub const FORMAT: &str = "briefwright-backup";
/// The archive layout this version writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's name in the archive (its last entry).
pub const MANIFEST: &str = "briefwright-backup.json";

const DATABASE: &str = "library.sqlite3";
const SETTINGS: &str = "settings.json";

/// The largest database a restore accepts.
pub const MAX_DATABASE_BYTES: u64 = 16 << 30;
/// The largest key, certificate, settings or manifest file a restore accepts.
pub const MAX_SMALL_FILE_BYTES: u64 = 1 << 20;
/// The largest manifest a restore reads (it lists every image).
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;
/// The most entries an archive may hold.
pub const MAX_ENTRIES: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no library in {} to back up", path.display())]
    NoLibrary { path: PathBuf },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the backed-up library does not open: {0}")]
    Restored(StoreError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} is not a Briefwright backup ({why}); nothing was changed", path.display())]
    NotABackup { path: PathBuf, why: String },
    #[error("the backup was made by a newer Briefwright (backup format {found}; this version reads {VERSION}); update Briefwright to restore it")]
    UnknownVersion { found: u64 },
    #[error("the backup holds a library from a newer Briefwright (schema {found}; this version knows up to {known}); update Briefwright to restore it")]
    TooNew { found: i64, known: i64 },
    #[error("the backup is damaged ({0}); nothing was changed")]
    Damaged(String),
    #[error("the backup holds an entry Briefwright never writes ({0}); nothing was changed")]
    Unsafe(String),
    #[error("{path} is too large to be part of a library ({size} bytes, at most {limit}); nothing was changed")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{} already holds a library; replace it (its contents are moved aside, not deleted) or restore into another folder", path.display())]
    NotEmpty { path: PathBuf },
    #[error("cannot restore into {}: it is not a folder path", path.display())]
    BadTarget { path: PathBuf },
    #[error("cannot write the backup to {}: it is inside the library folder; choose a place outside it", path.display())]
    InsideLibrary { path: PathBuf },
    #[error("cannot put the restored library in place at {}: {source}; nothing was changed", path.display())]
    Swap { path: PathBuf, source: io::Error },
}

impl BackupError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::NoLibrary { .. } => "no_library",
            BackupError::Store(e) => e.code(),
            BackupError::Restored(_) => "backup_library_broken",
            BackupError::Read { .. } => "read",
            BackupError::Write { .. } => "write",
            BackupError::NotABackup { .. } => "not_a_backup",
            BackupError::UnknownVersion { .. } => "backup_version",
            BackupError::TooNew { .. } => "backup_too_new",
            BackupError::Damaged(_) => "backup_damaged",
            BackupError::Unsafe(_) => "backup_unsafe",
            BackupError::TooLarge { .. } => "backup_too_large",
            BackupError::NotEmpty { .. } => "library_not_empty",
            BackupError::BadTarget { .. } => "bad_target",
            BackupError::InsideLibrary { .. } => "inside_library",
            BackupError::Swap { .. } => "restore_swap",
        }
    }
}

/// `briefwright-backup.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    pub app_version: String,
    pub schema_version: i64,
    pub counts: Counts,
    pub files: Vec<FileEntry>,
}

/// What a backup holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counts {
    pub reports: u64,
    pub images: u64,
    pub identities: u64,
    pub trusted: u64,
}

/// One archived file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// What [`backup`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupSummary {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    /// The archive's size.
    pub bytes: u64,
    pub counts: Counts,
    /// Images some report or revision refers to that were not in the image folder (lower-case SHA-256).
    pub missing_images: Vec<String>,
}

/// What [`restore`] put in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestoreSummary {
    pub counts: Counts,
    /// When the backup was made.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created: OffsetDateTime,
    /// Where the data folder's previous contents went, if it had any.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub moved_aside: Option<PathBuf>,
}

/// The kinds of file a backup may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Manifest,
    Database,
    Settings,
    Image,
    Identity,
    Trusted,
    Logo,
}

impl Part {
    fn limit(self) -> u64 {
        match self {
            Part::Manifest => MAX_MANIFEST_BYTES,
            Part::Database => MAX_DATABASE_BYTES,
            Part::Image => crate::media::MAX_FILE_BYTES,
            Part::Logo => crate::settings::MAX_LOGO_BYTES as u64,
            Part::Settings | Part::Identity | Part::Trusted => MAX_SMALL_FILE_BYTES,
        }
    }
}

/// The part a relative archive path names, or `None` for a path Briefwright never writes.
/// Only `/`-separated paths of one or two plain components pass: no absolute path, no `..`.
fn classify_path(path: &str) -> Option<Part> {
    match path {
        MANIFEST => return Some(Part::Manifest),
        DATABASE => return Some(Part::Database),
        SETTINGS => return Some(Part::Settings),
        _ => {}
    }
    let (folder, name) = path.split_once('/')?;
    match folder {
        "images" => matches!(classify(name, false), Some(Entry::Image(_))).then_some(Part::Image),
        "identities" => {
            let stem = name.strip_suffix(".key.p8").or_else(|| name.strip_suffix(".cert.pem"))?;
            keystore::check_name(stem).is_ok().then_some(Part::Identity)
        }
        "trust" => {
            let stem = name.strip_suffix(".pem")?;
            let plain = !stem.is_empty()
                && stem.len() <= 128
                && !stem.starts_with(['.', '-'])
                && stem.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            plain.then_some(Part::Trusted)
        }
        "branding" => matches!(name, "logo.png" | "logo.jpg").then_some(Part::Logo),
        _ => None,
    }
}

/// Writes a backup of the library in `dir` to `out` (replacing it whole, or leaving it as it was).
pub fn backup(dir: &DataDir, out: &Path, env: &Env) -> Result<BackupSummary, BackupError> {
    if dir.holds(out) {
        return Err(BackupError::InsideLibrary { path: out.to_path_buf() });
    }
    let db = dir.database();
    if !db.is_file() {
        return Err(BackupError::NoLibrary { path: dir.root().to_path_buf() });
    }
    // Proves the file is a Briefwright library and brings its schema up to date. Its connection
    // reads the snapshot, so a library in a read-only folder can be backed up too.
    let store = Store::open(dir, env.clone())?;
    let created = env.clock.now();
    let write_err = |source| BackupError::Write { path: out.to_path_buf(), source };
    let (parent, name) = split(out).ok_or_else(|| write_err(io::Error::other("not a file name")))?;

    let snapshot = TempPath::new(&parent, &name, "db");
    let taken = take_snapshot(store.connection(), snapshot.path())?;
    drop(store);
    let items = collect(dir)?;

    let tmp = TempPath::new(&parent, &name, "tmp");
    let file = File::options().write(true).create_new(true).open(tmp.path()).map_err(write_err)?;
    let mut tar = tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::default()));
    let mtime = created.unix_timestamp().max(0) as u64;
    let mut files = Vec::with_capacity(items.len() + 1);
    let mut counts = Counts { reports: taken.reports, ..Counts::default() };
    let mut present = BTreeSet::new();

    let snap = File::open(snapshot.path()).map_err(|source| BackupError::Read { path: db.clone(), source })?;
    let size = snap.metadata().map_err(|source| BackupError::Read { path: db.clone(), source })?.len();
    let mut reader = Hashing { inner: snap, hasher: Sha256::new() };
    tar.append_data(&mut header(size, 0o600, mtime), DATABASE, &mut reader).map_err(write_err)?;
    files.push(FileEntry { path: DATABASE.into(), size, sha256: hex(&reader.hasher.finalize()) });

    for (rel, part) in items {
        let src = dir.root().join(&rel);
        let bytes = match read_file(&src, part.limit()) {
            Ok(b) => b,
            // Removed since it was listed (a collected image, a deleted identity): not part of this backup.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                let size = fs::metadata(&src).map(|m| m.len()).unwrap_or(0);
                return Err(BackupError::TooLarge { path: rel, size, limit: part.limit() });
            }
            Err(source) => return Err(BackupError::Read { path: src, source }),
        };
        let mode = if part == Part::Identity { 0o600 } else { 0o644 };
        tar.append_data(&mut header(bytes.len() as u64, mode, mtime), &rel, bytes.as_slice()).map_err(write_err)?;
        match part {
            Part::Image => {
                counts.images += 1;
                present.insert(rel.trim_start_matches("images/").split('.').next().unwrap_or("").to_string());
            }
            Part::Identity if rel.ends_with(".cert.pem") => counts.identities += 1,
            Part::Trusted => counts.trusted += 1,
            _ => {}
        }
        files.push(FileEntry { path: rel, size: bytes.len() as u64, sha256: hex(&Sha256::digest(&bytes)) });
    }

    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        created,
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: taken.schema,
        counts,
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| write_err(io::Error::other(e)))?;
    tar.append_data(&mut header(json.len() as u64, 0o644, mtime), MANIFEST, json.as_slice()).map_err(write_err)?;
    let file = tar
        .into_inner()
        .and_then(GzEncoder::finish)
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .map_err(write_err)?;
    file.sync_all().map_err(write_err)?;
    let bytes = file.metadata().map_err(write_err)?.len();
    drop(file);
    fs::rename(tmp.path(), out).map_err(write_err)?;
    tmp.keep();
    fsutil::sync_dir(&parent).map_err(write_err)?;
    let missing_images = taken.referenced.difference(&present).cloned().collect();
    Ok(BackupSummary { path: out.to_path_buf(), bytes, counts, missing_images })
}

/// What the database snapshot holds.
struct Snapshot {
    schema: i64,
    reports: u64,
    referenced: BTreeSet<String>,
}

/// Copies the live database to `to` in one backup step (one read transaction: a consistent
/// snapshot even while another process writes), then checks the copy.
fn take_snapshot(src: &Connection, to: &Path) -> Result<Snapshot, BackupError> {
    let mut dst = Connection::open(to).map_err(StoreError::from)?;
    {
        let copy = Backup::new(src, &mut dst).map_err(StoreError::from)?;
        let deadline = Instant::now() + store::BUSY_TIMEOUT;
        loop {
            match copy.step(-1).map_err(StoreError::from)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => return Err(StoreError::Busy.into()),
            }
        }
    }
    // The copy is one plain file: no write-ahead log beside it (a restore turns WAL back on).
    let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).map_err(StoreError::from)?;
    let check: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(StoreError::from)?;
    if check != "ok" {
        return Err(StoreError::Corrupt(check).into());
    }
    let schema: i64 = dst.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(StoreError::from)?;
    if schema > store::schema_version() {
        return Err(StoreError::TooNew { found: schema, known: store::schema_version() }.into());
    }
    let reports: u64 = dst.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).map_err(StoreError::from)?;
    let referenced = store::image_references_in(&dst)?;
    Ok(Snapshot { schema, reports, referenced })
}

/// Every file of the data folder that belongs in a backup (but the database), as archive paths,
/// sorted. Symbolic links, folders and names Briefwright never writes are left out.
fn collect(dir: &DataDir) -> Result<Vec<(String, Part)>, BackupError> {
    let mut out = Vec::new();
    if is_plain_file(&dir.settings()) {
        out.push((SETTINGS.to_string(), Part::Settings));
    }
    for folder in ["images", "identities", "trust", "branding"] {
        let path = dir.root().join(folder);
        let entries = match fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(source) => return Err(BackupError::Read { path, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| BackupError::Read { path: path.clone(), source })?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
            let rel = format!("{folder}/{name}");
            match classify_path(&rel) {
                Some(part) if is_plain_file(&entry.path()) => out.push((rel, part)),
                _ => tracing::debug!(path = %rel, "not part of a backup"),
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn is_plain_file(path: &Path) -> bool {
    fs::symlink_metadata(path).map(|m| m.file_type().is_file()).unwrap_or(false)
}

/// Reads a whole file of at most `limit` bytes (`FileTooLarge` beyond).
fn read_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::from(io::ErrorKind::FileTooLarge));
    }
    Ok(bytes)
}

fn header(size: u64, mode: u32, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    h
}

/// Restores the backup `archive` into `dir`. A library already in `dir` is refused unless
/// `replace`; then the folder is moved aside to `<dir>.before-restore-<time>` first.
pub fn restore(archive: &Path, dir: &DataDir, replace: bool, env: &Env) -> Result<RestoreSummary, BackupError> {
    let root = dir.root();
    let (parent, name) = split(root).ok_or_else(|| BackupError::BadTarget { path: root.to_path_buf() })?;
    // Refuse early, before reading a large archive for nothing (checked again before the swap).
    if !replace && holds_library(root)? {
        return Err(BackupError::NotEmpty { path: root.to_path_buf() });
    }
    fs::create_dir_all(&parent).map_err(|source| BackupError::Write { path: parent.clone(), source })?;
    let staging = TempPath::new(&parent, &name, "restoring");
    fs::create_dir(staging.path()).map_err(|source| BackupError::Write { path: staging.path().into(), source })?;

    let (manifest, mut counts) = extract(archive, staging.path())?;
    let store = Store::open(&DataDir::new(staging.path()), env.clone()).map_err(BackupError::Restored)?;
    store.check().map_err(BackupError::Restored)?;
    counts.reports = store.count().map_err(BackupError::Restored)?;
    drop(store);
    fsutil::sync_dir(staging.path()).map_err(|source| BackupError::Write { path: staging.path().into(), source })?;

    let moved_aside = swap(staging.path(), root, &parent, &name, replace, env)?;
    staging.keep();
    Ok(RestoreSummary { counts, created: manifest.created, moved_aside })
}

/// Reads the whole archive into the empty folder `to`, checking every entry, then the manifest.
/// Returns the manifest and the counts of images, identities and trusted certificates.
fn extract(archive: &Path, to: &Path) -> Result<(Manifest, Counts), BackupError> {
    let not_backup = |why: &str| BackupError::NotABackup { path: archive.to_path_buf(), why: why.into() };
    let file = File::open(archive).map_err(|source| BackupError::Read { path: archive.to_path_buf(), source })?;
    let mut reader = BufReader::new(file);
    let head = reader.fill_buf().map_err(|source| BackupError::Read { path: archive.to_path_buf(), source })?;
    if head.is_empty() {
        return Err(not_backup("the file is empty"));
    }
    let input: Box<dyn Read> =
        if head.starts_with(&[0x1f, 0x8b]) { Box::new(GzDecoder::new(reader)) } else { Box::new(reader) };
    let mut tar = tar::Archive::new(input);
    let damaged = |e: io::Error| BackupError::Damaged(e.to_string());
    let mut seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut manifest: Option<Vec<u8>> = None;
    for entry in tar.entries().map_err(damaged)? {
        let mut entry = entry.map_err(|e| match seen.is_empty() && manifest.is_none() {
            true => not_backup(&format!("not a tar archive: {e}")),
            false => damaged(e),
        })?;
        if manifest.is_some() {
            return Err(BackupError::Unsafe("an entry after the manifest".into()));
        }
        if seen.len() >= MAX_ENTRIES {
            return Err(BackupError::Unsafe(format!("more than {MAX_ENTRIES} entries")));
        }
        let raw = entry.path_bytes();
        let path = std::str::from_utf8(&raw).map_err(|_| BackupError::Unsafe("a name that is not UTF-8".into()))?;
        let path = path.to_string();
        let shown = shown(&path);
        let part = classify_path(&path).ok_or_else(|| BackupError::Unsafe(format!("'{shown}'")))?;
        if !entry.header().entry_type().is_file() {
            return Err(BackupError::Unsafe(format!("'{shown}' is not a plain file")));
        }
        let size = entry.header().size().map_err(damaged)?;
        if size > part.limit() {
            return Err(BackupError::TooLarge { path: shown, size, limit: part.limit() });
        }
        if seen.contains_key(&path) {
            return Err(BackupError::Unsafe(format!("'{shown}' twice")));
        }
        if part == Part::Manifest {
            let mut bytes = Vec::new();
            (&mut entry).take(size).read_to_end(&mut bytes).map_err(damaged)?;
            if bytes.len() as u64 != size {
                return Err(BackupError::Damaged(format!("{MANIFEST} is cut short")));
            }
            manifest = Some(bytes);
            continue;
        }
        let dest = to.join(&path);
        let write_err = |source| BackupError::Write { path: dest.clone(), source };
        if let Some(folder) = dest.parent() {
            fs::create_dir_all(folder).map_err(write_err)?;
        }
        let mut options = File::options();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if part == Part::Identity {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut out = options.open(&dest).map_err(write_err)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut written = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(damaged)?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > size {
                return Err(BackupError::Damaged(format!("{shown} is longer than its header says")));
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(write_err)?;
        }
        if written != size {
            return Err(BackupError::Damaged(format!("{shown} is cut short")));
        }
        out.sync_all().map_err(write_err)?;
        seen.insert(path, (size, hex(&hasher.finalize())));
    }
    // Read to the end of the stream before trusting the manifest: gzip checks its CRC only
    // there, and the manifest is the last entry, so a damaged stream is damage, not "not a backup".
    io::copy(&mut tar.into_inner(), &mut io::sink()).map_err(damaged)?;
    let manifest = manifest.ok_or_else(|| not_backup(&format!("it holds no {MANIFEST}")))?;
    let manifest = parse_manifest(&manifest, archive)?;

    let mut listed = BTreeMap::new();
    for f in &manifest.files {
        if listed.insert(f.path.as_str(), (f.size, f.sha256.as_str())).is_some() {
            return Err(BackupError::Damaged(format!("the manifest lists {} twice", shown(&f.path))));
        }
    }
    for (path, (size, sha)) in &seen {
        match listed.remove(path.as_str()) {
            Some((s, h)) if s == *size && h.eq_ignore_ascii_case(sha) => {}
            Some(_) => return Err(BackupError::Damaged(format!("{} does not match its checksum", shown(path)))),
            None => return Err(BackupError::Damaged(format!("{} is not in the manifest", shown(path)))),
        }
    }
    if let Some(path) = listed.keys().next() {
        return Err(BackupError::Damaged(format!("{} is missing", shown(path))));
    }
    if !seen.contains_key(DATABASE) {
        return Err(BackupError::Damaged(format!("{DATABASE} is missing")));
    }
    for folder in ["images", "identities", "trust", "branding"] {
        let path = to.join(folder);
        if path.is_dir() {
            fsutil::sync_dir(&path).map_err(|source| BackupError::Write { path, source })?;
        }
    }
    let count = |prefix: &str, suffix: &str| {
        seen.keys().filter(|p| p.starts_with(prefix) && p.ends_with(suffix)).count() as u64
    };
    let counts = Counts {
        reports: 0,
        images: count("images/", ""),
        identities: count("identities/", ".cert.pem"),
        trusted: count("trust/", ""),
    };
    Ok((manifest, counts))
}

fn parse_manifest(bytes: &[u8], archive: &Path) -> Result<Manifest, BackupError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| BackupError::NotABackup { path: archive.to_path_buf(), why: format!("{MANIFEST} is not JSON") })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(BackupError::NotABackup { path: archive.to_path_buf(), why: "unknown format".into() });
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == VERSION as u64 => {}
        Some(found) => return Err(BackupError::UnknownVersion { found }),
        None => return Err(BackupError::Damaged(format!("{MANIFEST} has no version"))),
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| BackupError::Damaged(format!("{MANIFEST} cannot be read: {e}")))?;
    if manifest.schema_version > store::schema_version() {
        return Err(BackupError::TooNew { found: manifest.schema_version, known: store::schema_version() });
    }
    if manifest.schema_version < 1 {
        return Err(BackupError::Damaged(format!("{MANIFEST} names schema {}", manifest.schema_version)));
    }
    Ok(manifest)
}

/// Whether the data folder holds anything a restore would lose: a report or signed-export
/// record, an image, an identity, a trusted certificate, settings or branding.
fn holds_library(root: &Path) -> Result<bool, BackupError> {
    match fs::symlink_metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(BackupError::Read { path: root.to_path_buf(), source }),
        Ok(_) if !root.is_dir() => return Err(BackupError::BadTarget { path: root.to_path_buf() }),
        Ok(_) => {}
    }
    let dir = DataDir::new(root);
    if dir.settings().exists() {
        return Ok(true);
    }
    for folder in [dir.images(), dir.identities(), dir.trust(), dir.branding()] {
        if let Ok(mut entries) = fs::read_dir(&folder) {
            let has_file =
                entries.any(|e| e.map(|e| e.file_type().map(|t| !t.is_dir()).unwrap_or(true)).unwrap_or(true));
            if has_file {
                return Ok(true);
            }
        }
    }
    if !dir.database().exists() {
        return Ok(false);
    }
    // Anything that cannot be read counts as a library: never guess that data is not there.
    let count = || -> rusqlite::Result<i64> {
        let conn = Connection::open_with_flags(
            dir.database(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(store::BUSY_TIMEOUT)?;
        let reports: i64 = conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))?;
        let has_exports: Option<i64> =
            conn.query_row("SELECT 1 FROM sqlite_schema WHERE name = 'signed_exports'", [], |r| r.get(0)).optional()?;
        let exports: i64 = match has_exports {
            Some(_) => conn.query_row("SELECT count(*) FROM signed_exports", [], |r| r.get(0))?,
            None => 0,
        };
        Ok(reports + exports)
    };
    Ok(count().map(|n| n > 0).unwrap_or(true))
}

/// Puts the staged folder at `root`, moving what is there aside first. Returns where it went.
fn swap(
    staged: &Path,
    root: &Path,
    parent: &Path,
    name: &str,
    replace: bool,
    env: &Env,
) -> Result<Option<PathBuf>, BackupError> {
    let swap_err = |source| BackupError::Swap { path: root.to_path_buf(), source };
    if !replace && holds_library(root)? {
        return Err(BackupError::NotEmpty { path: root.to_path_buf() });
    }
    let mut moved_aside = None;
    if fs::symlink_metadata(root).is_ok() {
        let empty = fs::read_dir(root).map_err(swap_err)?.next().is_none();
        if empty {
            fs::remove_dir(root).map_err(swap_err)?;
        } else {
            let stamp = env.clock.now().format(&STAMP).map_err(|e| swap_err(io::Error::other(e)))?;
            let mut aside = parent.join(format!("{name}.before-restore-{stamp}"));
            let mut n = 1;
            while fs::symlink_metadata(&aside).is_ok() {
                n += 1;
                aside = parent.join(format!("{name}.before-restore-{stamp}-{n}"));
            }
            fs::rename(root, &aside).map_err(swap_err)?;
            moved_aside = Some(aside);
        }
    }
    if let Err(source) = fs::rename(staged, root) {
        if let Some(aside) = &moved_aside {
            if let Err(e) = fs::rename(aside, root) {
                tracing::error!(aside = %aside.display(), "could not move the library back: {e}");
            }
        }
        return Err(swap_err(source));
    }
    fsutil::sync_dir(parent).map_err(swap_err)?;
    Ok(moved_aside)
}

const STAMP: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// The folder and file name of a path ("." for a bare name).
fn split(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_str()?.to_string();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((parent, name))
}

/// A name from an archive, safe to print: control characters escaped, at most 80 characters.
fn shown(path: &str) -> String {
    let escaped: String = path.chars().flat_map(char::escape_default).collect();
    match escaped.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &escaped[..i]),
        None => escaped,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads through, hashing what passes.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A temporary file or folder beside a target, removed when dropped unless kept.
struct TempPath(Option<PathBuf>);

impl TempPath {
    fn new(parent: &Path, name: &str, what: &str) -> TempPath {
        TempPath(Some(crate::fsutil::temp_sibling(parent, name, &format!("{what}.tmp"))))
    }

    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    /// The path was renamed into place: nothing to clean up.
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => {
                    let _ = fs::remove_dir_all(&p);
                }
                Ok(_) => {
                    let _ = fs::remove_file(&p);
                }
                Err(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
