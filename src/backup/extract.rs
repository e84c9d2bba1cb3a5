//! Reading a backup archive into a staging folder: every entry is checked (a plain file at a
//! path Briefwright writes, within its size limit, not twice, nothing after the manifest) as it
//! is written, then what was written is checked against the manifest.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};

use super::manifest::{classify_path, hex, parse_manifest, shown, Part};
use super::{BackupError, Counts, Manifest, MANIFEST, MAX_ENTRIES};
use crate::fsutil;

/// Reads the whole archive into the empty folder `to`, checking every entry, then the manifest.
/// Returns the manifest and the counts of images, identities and trusted certificates.
pub(super) fn extract(archive: &Path, to: &Path) -> Result<(Manifest, Counts), BackupError> {
    let not_backup = |why: &str| BackupError::NotABackup { path: archive.to_path_buf(), why: why.into() };
    let mut tar = tar::Archive::new(open(archive)?);
    let mut read = Extracted::default();
    for entry in tar.entries().map_err(damaged)? {
        let mut entry = entry.map_err(|e| match read.files.is_empty() && read.manifest.is_none() {
            true => not_backup(&format!("not a tar archive: {e}")),
            false => damaged(e),
        })?;
        read.add(&mut entry, to)?;
    }
    // Read to the end of the stream before trusting the manifest: gzip checks its CRC only
    // there, and the manifest is the last entry, so a damaged stream is damage, not "not a backup".
    io::copy(&mut tar.into_inner(), &mut io::sink()).map_err(damaged)?;
    let manifest = read.manifest.ok_or_else(|| not_backup(&format!("it holds no {MANIFEST}")))?;
    let manifest = parse_manifest(&manifest, archive)?;
    manifest.check_files(&read.files)?;
    sync_folders(to)?;
    Ok((manifest, counts(&read.files)))
}

fn damaged(e: io::Error) -> BackupError {
    BackupError::Damaged(e.to_string())
}

/// Opens the archive for reading, through a gzip decoder when it starts like gzip.
fn open(archive: &Path) -> Result<Box<dyn Read>, BackupError> {
    let file = File::open(archive).map_err(|source| BackupError::Read { path: archive.to_path_buf(), source })?;
    let mut reader = BufReader::new(file);
    let head = reader.fill_buf().map_err(|source| BackupError::Read { path: archive.to_path_buf(), source })?;
    if head.is_empty() {
        return Err(BackupError::NotABackup { path: archive.to_path_buf(), why: "the file is empty".into() });
    }
    let input: Box<dyn Read> =
        if head.starts_with(&[0x1f, 0x8b]) { Box::new(GzDecoder::new(reader)) } else { Box::new(reader) };
    Ok(input)
}

/// What has been read from an archive so far.
#[derive(Default)]
struct Extracted {
    /// Every file written to the staging folder: its size and SHA-256, by archive path.
    files: BTreeMap<String, (u64, String)>,
    /// The manifest's bytes, once read (it must be the last entry).
    manifest: Option<Vec<u8>>,
}

impl Extracted {
    /// Checks one entry, then writes it into the folder `to`, or keeps it when it is the manifest.
    fn add<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>, to: &Path) -> Result<(), BackupError> {
        if self.manifest.is_some() {
            return Err(BackupError::Unsafe("an entry after the manifest".into()));
        }
        if self.files.len() >= MAX_ENTRIES {
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
        if self.files.contains_key(&path) {
            return Err(BackupError::Unsafe(format!("'{shown}' twice")));
        }
        if part == Part::Manifest {
            self.manifest = Some(read_manifest(entry, size)?);
            return Ok(());
        }
        let sha256 = write_entry(entry, &to.join(&path), part, size, &shown)?;
        self.files.insert(path, (size, sha256));
        Ok(())
    }
}

/// The manifest entry's bytes (`size` of them).
fn read_manifest<R: Read>(entry: &mut tar::Entry<'_, R>, size: u64) -> Result<Vec<u8>, BackupError> {
    let mut bytes = Vec::new();
    entry.take(size).read_to_end(&mut bytes).map_err(damaged)?;
    if bytes.len() as u64 != size {
        return Err(BackupError::Damaged(format!("{MANIFEST} is cut short")));
    }
    Ok(bytes)
}

/// Writes an entry of `size` bytes to the new file `dest` and syncs it; returns its SHA-256.
/// `shown` names the entry in messages.
fn write_entry<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    dest: &Path,
    part: Part,
    size: u64,
    shown: &str,
) -> Result<String, BackupError> {
    let write_err = |source| BackupError::Write { path: dest.to_path_buf(), source };
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
    #[cfg(not(unix))]
    let _ = part;
    let mut out = options.open(dest).map_err(write_err)?;
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
    Ok(hex(&hasher.finalize()))
}

/// Syncs the folders that entries were written into, so that their new names are on disk.
fn sync_folders(to: &Path) -> Result<(), BackupError> {
    for folder in ["images", "identities", "trust", "branding"] {
        let path = to.join(folder);
        if path.is_dir() {
            fsutil::sync_dir(&path).map_err(|source| BackupError::Write { path, source })?;
        }
    }
    Ok(())
}

/// The counts of images, identities and trusted certificates among the files read (reports
/// are counted in the restored database).
fn counts(files: &BTreeMap<String, (u64, String)>) -> Counts {
    let count = |prefix: &str, suffix: &str| {
        files.keys().filter(|p| p.starts_with(prefix) && p.ends_with(suffix)).count() as u64
    };
    Counts {
        reports: 0,
        images: count("images/", ""),
        identities: count("identities/", ".cert.pem"),
        trusted: count("trust/", ""),
    }
}
