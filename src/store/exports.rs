//! The record of signed exports: which revision of which report was signed, by whom,
//! into which file (by SHA-256), so that a signed brief can be traced back.

use rusqlite::params;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{format_time, parse_time, parse_uuid};
use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignedExport {
    pub report_id: Uuid,
    pub report_revision: u32,
    /// SHA-256 of the signed file, lower-case hex.
    pub file_sha256: String,
    pub signer_name: String,
    /// SHA-256 of the signer's certificate, lower-case hex.
    pub signer_fingerprint: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub signed: OffsetDateTime,
    pub file_name: String,
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Store {
    /// Records one signed export (in its own transaction).
    pub fn record_signed_export(&mut self, e: &SignedExport) -> Result<(), StoreError> {
        if !is_hex64(&e.file_sha256) || !is_hex64(&e.signer_fingerprint) || e.report_revision == 0 {
            return Err(StoreError::BadContent {
                number: e.report_id.to_string(),
                message: "a signed export needs a revision and two SHA-256 values in lower-case hex".into(),
            });
        }
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO signed_exports (report_id, report_revision, file_sha256, signer_name, signer_fingerprint, signed, file_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                e.report_id.to_string(),
                e.report_revision,
                e.file_sha256,
                e.signer_name,
                e.signer_fingerprint,
                format_time(e.signed),
                e.file_name
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The signed exports of one report, oldest first.
    pub fn signed_exports(&self, report_id: Uuid) -> Result<Vec<SignedExport>, StoreError> {
        self.query_exports("WHERE report_id = ?1", report_id.to_string())
    }

    /// The signed exports whose file has this SHA-256 (lower-case hex).
    pub fn signed_exports_by_file(&self, file_sha256: &str) -> Result<Vec<SignedExport>, StoreError> {
        self.query_exports("WHERE file_sha256 = ?1", file_sha256.to_ascii_lowercase())
    }

    fn query_exports(&self, filter: &str, arg: String) -> Result<Vec<SignedExport>, StoreError> {
        let sql = format!(
            "SELECT report_id, report_revision, file_sha256, signer_name, signer_fingerprint, signed, file_name
             FROM signed_exports {filter} ORDER BY seq"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, revision, file_sha256, signer_name, signer_fingerprint, signed, file_name) = row?;
            out.push(SignedExport {
                report_id: parse_uuid(&id)?,
                report_revision: revision,
                file_sha256,
                signer_name,
                signer_fingerprint,
                signed: parse_time(&id, &signed)?,
                file_name,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use crate::error::ErrorCode;
    use crate::paths::DataDir;

    #[test]
    fn records_and_finds_signed_exports() {
        let dir = tempfile::tempdir().unwrap();
        let now = time::macros::datetime!(2026-05-01 10:00 UTC);
        let mut store = Store::open(&DataDir::new(dir.path()), Env::fixed(now)).unwrap();
        let id = Uuid::from_u128(7);
        let e = SignedExport {
            report_id: id,
            report_revision: 3,
            file_sha256: "a".repeat(64),
            signer_name: "Ann".into(),
            signer_fingerprint: "b".repeat(64),
            signed: now,
            file_name: "brief.pdf".into(),
        };
        store.record_signed_export(&e).unwrap();
        assert_eq!(store.signed_exports(id).unwrap(), vec![e.clone()]);
        assert_eq!(store.signed_exports_by_file(&"A".repeat(64)).unwrap(), vec![e.clone()]);
        assert!(store.signed_exports(Uuid::from_u128(8)).unwrap().is_empty());
        let bad = SignedExport { file_sha256: "xyz".into(), ..e };
        assert_eq!(store.record_signed_export(&bad).unwrap_err().code(), ErrorCode::BadContent);
        assert_eq!(store.signed_exports(id).unwrap().len(), 1);
    }
}
