//! The content-addressed image folder: `images/<sha256>.jpg|png` and
//! `images/thumbs/<sha256>-<size>.jpg`.
//!
//! Files are written whole or not at all (temporary file in the same folder,
//! fsync, rename, fsync of the folder) and are never named by the user.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::fsutil;
use crate::interchange::markdown;
use crate::model::ImageRef;
use crate::paths::DataDir;

/// Thumbnail sizes (longest side, pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThumbSize {
    Small,
    Large,
}

impl ThumbSize {
    pub const ALL: [ThumbSize; 2] = [ThumbSize::Large, ThumbSize::Small];

    pub fn pixels(self) -> u32 {
        match self {
            ThumbSize::Small => 256,
            ThumbSize::Large => 1024,
        }
    }

    pub fn from_pixels(px: u32) -> Option<ThumbSize> {
        match px {
            256 => Some(ThumbSize::Small),
            1024 => Some(ThumbSize::Large),
            _ => None,
        }
    }
}

/// The image folder of a library.
#[derive(Debug, Clone)]
pub struct ImageFiles {
    root: PathBuf,
    images: PathBuf,
}

impl ImageFiles {
    pub fn new(dir: &DataDir) -> ImageFiles {
        ImageFiles { root: dir.root().to_path_buf(), images: dir.images() }
    }

    pub fn dir(&self) -> &Path {
        &self.images
    }

    pub fn thumbs_dir(&self) -> PathBuf {
        self.images.join("thumbs")
    }

    /// Where a stored image lives (the same path the Markdown export writes);
    /// `None` for a reference that is not a well-formed content address.
    pub fn path(&self, image: &ImageRef) -> Option<PathBuf> {
        markdown::image_path(image).map(|rel| self.root.join(rel))
    }

    pub fn thumb_path(&self, sha256: &str, size: ThumbSize) -> PathBuf {
        self.thumbs_dir().join(format!("{sha256}-{}.jpg", size.pixels()))
    }

    /// Stores the bytes at `path` unless an identical file is already there. An existing
    /// file's time is refreshed, so a garbage collection running meanwhile treats it as new.
    /// Returns whether the file was already present.
    pub fn put(&self, path: &Path, bytes: &[u8]) -> io::Result<bool> {
        if let Ok(meta) = fs::metadata(path) {
            if meta.is_file() && meta.len() == bytes.len() as u64 {
                fs::File::options().write(true).open(path)?.set_modified(SystemTime::now())?;
                return Ok(true);
            }
        }
        write_atomic(path, bytes)?;
        Ok(false)
    }
}

/// Creates the folder if needed, then writes the file atomically ([`fsutil::write_atomic`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().ok_or_else(|| io::Error::other("no parent folder"))?;
    fs::create_dir_all(dir)?;
    fsutil::write_atomic(path, bytes)
}

/// What a name in the image folder is.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    Image(String),
    Thumb(String),
    Temp,
}

/// Classifies a file name: only names we write are ever touched by the collector.
pub fn classify(name: &str, in_thumbs: bool) -> Option<Entry> {
    if name.starts_with('.') && name.ends_with(".tmp") {
        return Some(Entry::Temp);
    }
    let is_sha = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if in_thumbs {
        let (sha, rest) = name.split_once('-')?;
        (is_sha(sha) && (rest == "256.jpg" || rest == "1024.jpg")).then(|| Entry::Thumb(sha.to_string()))
    } else {
        let (sha, ext) = name.split_once('.')?;
        (is_sha(sha) && (ext == "jpg" || ext == "png")).then(|| Entry::Image(sha.to_string()))
    }
}

/// How long ago a file was last modified (zero for a time in the future).
pub fn age(meta: &fs::Metadata) -> Duration {
    meta.modified().ok().and_then(|m| SystemTime::now().duration_since(m).ok()).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified_strictly() {
        let sha = "0123456789abcdef".repeat(4);
        assert_eq!(classify(&format!("{sha}.jpg"), false), Some(Entry::Image(sha.clone())));
        assert_eq!(classify(&format!("{sha}.png"), false), Some(Entry::Image(sha.clone())));
        assert_eq!(classify(&format!("{sha}-256.jpg"), true), Some(Entry::Thumb(sha.clone())));
        assert_eq!(classify(".x.jpg.1.2.tmp", false), Some(Entry::Temp));
        for other in [format!("{sha}.gif"), "notes.txt".into(), format!("{}.jpg", sha.to_uppercase())] {
            assert_eq!(classify(&other, false), None, "{other}");
        }
        assert_eq!(classify(&format!("{sha}-300.jpg"), true), None);
    }

    #[test]
    fn put_is_atomic_and_deduplicates() {
        let dir = tempfile::tempdir().unwrap();
        let files = ImageFiles::new(&DataDir::new(dir.path()));
        let p = files.dir().join("a.jpg");
        assert!(!files.put(&p, b"one").unwrap());
        assert!(files.put(&p, b"one").unwrap());
        assert_eq!(fs::read(&p).unwrap(), b"one");
        let names: Vec<_> = fs::read_dir(files.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.jpg"], "no temporary file left behind");
    }
}
