//! Writing a backup: a consistent snapshot of the database, then every file of the data
//! folder that belongs in a backup, then the manifest, into a temporary archive that is synced
//! and renamed into place.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::manifest::{classify_path, hex, Part};
use super::temp::{split, TempPath};
use super::{BackupError, BackupSummary, Counts, FileEntry, Manifest, DATABASE, FORMAT, MANIFEST, SETTINGS, VERSION};
use crate::env::Env;
use crate::fsutil;
use crate::paths::DataDir;
use crate::store::{self, Store, StoreError};

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
    let mut archive = Writer::new(file, out, created, items.len() + 1, taken.reports);
    archive.add_database(&db, snapshot.path())?;
    for (rel, part) in items {
        archive.add_file(dir.root(), rel, part)?;
    }
    let (file, counts, present) = archive.finish(created, taken.schema)?;
    file.sync_all().map_err(write_err)?;
    let bytes = file.metadata().map_err(write_err)?.len();
    drop(file);
    fs::rename(tmp.path(), out).map_err(write_err)?;
    tmp.keep();
    fsutil::sync_dir(&parent).map_err(write_err)?;
    let missing_images = taken.referenced.difference(&present).cloned().collect();
    Ok(BackupSummary { path: out.to_path_buf(), bytes, counts, missing_images })
}

/// An archive being written: a gzip-compressed tar, with the manifest's list of files and
/// counts so far.
struct Writer<'a> {
    tar: tar::Builder<GzEncoder<BufWriter<File>>>,
    /// Where the archive is going (for messages).
    out: &'a Path,
    /// Every entry's modification time: when the backup was made.
    mtime: u64,
    files: Vec<FileEntry>,
    counts: Counts,
    /// The SHA-256 of every image archived (lower-case hex).
    present: BTreeSet<String>,
}

impl<'a> Writer<'a> {
    /// Starts an archive of about `entries` files in `file`; the database holds `reports` reports.
    fn new(file: File, out: &'a Path, created: OffsetDateTime, entries: usize, reports: u64) -> Writer<'a> {
        Writer {
            tar: tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::default())),
            out,
            mtime: created.unix_timestamp().max(0) as u64,
            files: Vec::with_capacity(entries),
            counts: Counts { reports, ..Counts::default() },
            present: BTreeSet::new(),
        }
    }

    /// Archives the database snapshot as `library.sqlite3`, hashing it as it is read.
    fn add_database(&mut self, db: &Path, snapshot: &Path) -> Result<(), BackupError> {
        let write_err = |source| BackupError::Write { path: self.out.to_path_buf(), source };
        let snap = File::open(snapshot).map_err(|source| BackupError::Read { path: db.to_path_buf(), source })?;
        let size = snap.metadata().map_err(|source| BackupError::Read { path: db.to_path_buf(), source })?.len();
        let mut reader = Hashing { inner: snap, hasher: Sha256::new() };
        self.tar.append_data(&mut header(size, 0o600, self.mtime), DATABASE, &mut reader).map_err(write_err)?;
        self.files.push(FileEntry { path: DATABASE.into(), size, sha256: hex(&reader.hasher.finalize()) });
        Ok(())
    }

    /// Archives the file `rel` of the data folder `root` and counts it.
    fn add_file(&mut self, root: &Path, rel: String, part: Part) -> Result<(), BackupError> {
        let write_err = |source| BackupError::Write { path: self.out.to_path_buf(), source };
        let src = root.join(&rel);
        let bytes = match read_file(&src, part.limit()) {
            Ok(b) => b,
            // Removed since it was listed (a collected image, a deleted identity): not part of this backup.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                let size = fs::metadata(&src).map(|m| m.len()).unwrap_or(0);
                return Err(BackupError::TooLarge { path: rel, size, limit: part.limit() });
            }
            Err(source) => return Err(BackupError::Read { path: src, source }),
        };
        let mode = if part == Part::Identity { 0o600 } else { 0o644 };
        self.tar
            .append_data(&mut header(bytes.len() as u64, mode, self.mtime), &rel, bytes.as_slice())
            .map_err(write_err)?;
        match part {
            Part::Image => {
                self.counts.images += 1;
                self.present.insert(rel.trim_start_matches("images/").split('.').next().unwrap_or("").to_string());
            }
            Part::Identity if rel.ends_with(".cert.pem") => self.counts.identities += 1,
            Part::Trusted => self.counts.trusted += 1,
            _ => {}
        }
        self.files.push(FileEntry { path: rel, size: bytes.len() as u64, sha256: hex(&Sha256::digest(&bytes)) });
        Ok(())
    }

    /// Adds the manifest as the last entry and finishes the compressed stream. Returns the
    /// archive's file (not yet synced), the counts and the images archived.
    fn finish(
        self,
        created: OffsetDateTime,
        schema_version: i64,
    ) -> Result<(File, Counts, BTreeSet<String>), BackupError> {
        let Writer { mut tar, out, mtime, files, counts, present } = self;
        let write_err = |source| BackupError::Write { path: out.to_path_buf(), source };
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            created,
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
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
        Ok((file, counts, present))
    }
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

/// A tar header for a plain file, owned by root, with the backup's time.
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
