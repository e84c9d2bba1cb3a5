//! Keeps the shared build folder bounded. CI builds every clone into one target folder (so that
//! it reuses earlier builds), and every change to a test leaves its old executable behind: the
//! debug folder had grown to 66 GB, most of it superseded test executables (the desktop's
//! IPC test alone is ~1 GB a build). Before the tests run, `prune` deletes, per name, all but
//! the newest few executables in `debug/deps` and incremental caches in `debug/incremental`,
//! and only those untouched for a day. Anything deleted that is still wanted is rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How many builds of one name are kept (a crate has several at once: its library's tests, its
/// binary's tests, with and without features).
const KEEP: usize = 4;
/// Only what has not been touched for this long is deleted.
const MIN_AGE: Duration = Duration::from_secs(24 * 3600);

/// One file or folder that may go.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub path: PathBuf,
    pub modified: SystemTime,
    pub bytes: u64,
}

/// The name a build output is a version of: `cli-f4374620c35a1d2d` → `cli`.
fn stem(name: &str) -> Option<&str> {
    let (stem, hash) = name.rsplit_once('-')?;
    (!stem.is_empty() && hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_alphanumeric())).then_some(stem)
}

/// Of `candidates`, those to delete: beyond the newest `keep` of their name and older than `min_age`.
pub fn superseded(candidates: Vec<Candidate>, keep: usize, min_age: Duration, now: SystemTime) -> Vec<Candidate> {
    let mut by_name: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for c in candidates {
        let Some(name) = c.path.file_name().and_then(|n| n.to_str()).and_then(stem).map(str::to_owned) else {
            continue;
        };
        by_name.entry(name).or_default().push(c);
    }
    let mut out = Vec::new();
    for (_, mut versions) in by_name {
        versions.sort_by_key(|c| std::cmp::Reverse(c.modified));
        out.extend(
            versions.into_iter().skip(keep).filter(|c| now.duration_since(c.modified).is_ok_and(|age| age >= min_age)),
        );
    }
    out
}

fn size_of(path: &Path) -> u64 {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            std::fs::read_dir(path).map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum()).unwrap_or(0)
        }
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// Test executables in `deps` (files with no extension and an execute bit) and incremental caches.
fn candidates(debug: &Path) -> Vec<Candidate> {
    let mut out = Vec::new();
    let list = |dir: &Path| std::fs::read_dir(dir).into_iter().flatten().flatten().collect::<Vec<_>>();
    for entry in list(&debug.join("deps")) {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || path.extension().is_some() || !executable(&meta) {
            continue;
        }
        if let Ok(modified) = meta.modified() {
            out.push(Candidate { path, modified, bytes: meta.len() });
        }
    }
    for entry in list(&debug.join("incremental")) {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if let (true, Ok(modified)) = (meta.is_dir(), meta.modified()) {
            out.push(Candidate { bytes: size_of(&path), path, modified });
        }
    }
    out
}

#[cfg(unix)]
fn executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_: &std::fs::Metadata) -> bool {
    false
}

/// Deletes superseded builds under `target/debug`: (how many, bytes freed).
pub fn prune(target: &Path) -> (usize, u64) {
    let gone = superseded(candidates(&target.join("debug")), KEEP, MIN_AGE, SystemTime::now());
    let mut freed = (0, 0);
    for c in gone {
        let removed = if c.path.is_dir() { std::fs::remove_dir_all(&c.path) } else { std::fs::remove_file(&c.path) };
        if removed.is_ok() {
            freed.0 += 1;
            freed.1 += c.bytes;
        }
    }
    freed
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(24 * 3600);

    fn at(name: &str, days_ago: u64, now: SystemTime) -> Candidate {
        Candidate { path: PathBuf::from("/t/debug/deps").join(name), modified: now - DAY * days_ago as u32, bytes: 1 }
    }

    #[test]
    fn names_are_read_without_their_hash() {
        assert_eq!(stem("cli-f4374620c35a1d2d"), Some("cli"));
        assert_eq!(stem("briefwright_desktop-3g2k5qpv0ylfr"), Some("briefwright_desktop"));
        assert_eq!(stem("verify_attacks-0123456789abcdef"), Some("verify_attacks"));
        assert_eq!(stem("briefwright"), None);
        assert_eq!(stem("-0123456789abcdef"), None);
        assert_eq!(stem("weird-name-x"), None);
    }

    #[test]
    fn keeps_the_newest_builds_of_each_name_and_anything_recent() {
        let now = SystemTime::now();
        let cli: Vec<_> = (0..7).map(|i| at(&format!("cli-{i:016x}"), i * 2, now)).collect();
        let mut all = cli.clone();
        all.push(at("crash-00000000000000aa", 30, now)); // the only build of its name
        all.push(at("notahash", 30, now));
        // Four builds from today: beyond the newest two, yet too recent to go.
        let fresh: Vec<_> = (0..4).map(|i| at(&format!("fuzz-{i:016x}"), 0, now)).collect();
        all.extend(fresh.clone());
        let gone = superseded(all, 4, DAY, now);
        assert_eq!(gone, cli[4..].to_vec(), "the three oldest cli builds, nothing else");
        let gone = superseded(fresh, 2, DAY, now);
        assert!(gone.is_empty(), "builds from today stay, however many");
    }
}
