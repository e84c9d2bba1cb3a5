//! What the image store needs from the library: saving a figure edit as a
//! revision with a note, and the set of images any report or revision refers to.

use std::collections::BTreeSet;

use rusqlite::Connection;
use uuid::Uuid;

use super::{Store, StoreError};
use crate::model::{Report, StoredReport};

impl Store {
    /// Saves an edit made on revision `base`, like [`Store::save`], with a note for the history
    /// ("attached figure 2"). Refused as stale when the report has moved on since `base`.
    pub fn save_noted(&mut self, id: Uuid, base: u32, report: Report, note: &str) -> Result<StoredReport, StoreError> {
        self.write_revision(id, base, |current| (report, current.status, note.to_string()))
    }

    /// The SHA-256 of every image that a report or any revision refers to (lower-case hex).
    /// The garbage collector keeps exactly these. A stored content that is not valid JSON
    /// makes this fail, so that nothing is collected on a guess.
    pub fn image_references(&self) -> Result<BTreeSet<String>, StoreError> {
        image_references_in(&self.conn)
    }
}

/// [`Store::image_references`] on any connection to a library (a backup's snapshot, say).
pub fn image_references_in(conn: &Connection) -> Result<BTreeSet<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT lower(json_extract(f.value, '$.image.sha256')) \
         FROM (SELECT content FROM reports UNION ALL SELECT content FROM revisions) c, \
              json_each(c.content, '$.images') f \
         WHERE json_extract(f.value, '$.image.sha256') IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use crate::env::Env;
    use crate::model::{Figure, ImageRef, Report};
    use crate::paths::DataDir;
    use crate::store::{Store, StoreError};

    fn figure(sha: char) -> Figure {
        Figure {
            caption: format!("fig {sha}"),
            image: Some(ImageRef {
                sha256: sha.to_string().repeat(64),
                format: "png".into(),
                width: 1,
                height: 1,
                bytes: 1,
            }),
        }
    }

    #[test]
    fn references_cover_reports_and_revisions() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&DataDir::new(dir.path()), Env::fixed(time::macros::datetime!(2026-01-02 03:04:05 UTC)))
                .unwrap();
        let mut report = Report {
            title: "t".into(),
            images: vec![figure('a'), Figure { caption: "placeholder".into(), image: None }],
            ..Report::default()
        };
        let s = store.create(report.clone(), "created").unwrap();
        report.images = vec![figure('b')];
        let s2 = store.save_noted(s.id, s.revision, report.clone(), "attached figure 1").unwrap();
        assert_eq!(s2.revision, 2);
        assert_eq!(store.revisions(s.id).unwrap()[0].note, "attached figure 1");
        let refs: Vec<String> = store.image_references().unwrap().into_iter().collect();
        assert_eq!(refs, ["a".repeat(64), "b".repeat(64)], "the old revision still holds a");
        let stale = store.save_noted(s.id, 1, report, "late").unwrap_err();
        assert!(matches!(stale, StoreError::Stale { .. }));
        store.delete(s.id).unwrap();
        assert!(store.image_references().unwrap().is_empty());
    }
}
