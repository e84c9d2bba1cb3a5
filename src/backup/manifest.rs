//! The manifest (`briefwright-backup.json`, the archive's last entry), the paths an archive
//! may hold, and the checks of what an archive held against its manifest.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{
    BackupError, DATABASE, FORMAT, MANIFEST, MAX_DATABASE_BYTES, MAX_MANIFEST_BYTES, MAX_SMALL_FILE_BYTES, SETTINGS,
    VERSION,
};
use crate::media::files::{classify, Entry};
use crate::sign::keystore;
use crate::store;

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
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// The kinds of file a backup may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Manifest,
    Database,
    Settings,
    Image,
    Identity,
    Trusted,
    Logo,
}

impl Part {
    /// The largest file of this kind an archive may hold.
    pub(super) fn limit(self) -> u64 {
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
pub(super) fn classify_path(path: &str) -> Option<Part> {
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

/// Reads the manifest: JSON of this format and version, naming a schema this version knows.
pub(super) fn parse_manifest(bytes: &[u8], archive: &Path) -> Result<Manifest, BackupError> {
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

impl Manifest {
    /// Checks that an archive held exactly the files the manifest lists, each with the size
    /// and SHA-256 listed, the database among them. `found` maps each file's archive path to
    /// its size and SHA-256.
    pub(super) fn check_files(&self, found: &BTreeMap<String, (u64, String)>) -> Result<(), BackupError> {
        let mut listed = BTreeMap::new();
        for f in &self.files {
            if listed.insert(f.path.as_str(), (f.size, f.sha256.as_str())).is_some() {
                return Err(BackupError::Damaged(format!("the manifest lists {} twice", shown(&f.path))));
            }
        }
        for (path, (size, sha)) in found {
            match listed.remove(path.as_str()) {
                Some((s, h)) if s == *size && h.eq_ignore_ascii_case(sha) => {}
                Some(_) => return Err(BackupError::Damaged(format!("{} does not match its checksum", shown(path)))),
                None => return Err(BackupError::Damaged(format!("{} is not in the manifest", shown(path)))),
            }
        }
        if let Some(path) = listed.keys().next() {
            return Err(BackupError::Damaged(format!("{} is missing", shown(path))));
        }
        if !found.contains_key(DATABASE) {
            return Err(BackupError::Damaged(format!("{DATABASE} is missing")));
        }
        Ok(())
    }
}

/// A name from an archive, safe to print: control characters escaped, at most 80 characters.
pub(super) fn shown(path: &str) -> String {
    let escaped: String = path.chars().flat_map(char::escape_default).collect();
    match escaped.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &escaped[..i]),
        None => escaped,
    }
}

/// Lower-case hexadecimal, as the manifest writes checksums.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
