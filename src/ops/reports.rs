//! Reports as wholes: a new one, a deleted one, and the sample a new library starts with.

use uuid::Uuid;

use crate::interchange;
use crate::media;
use crate::model::{Report, StoredReport};
use crate::settings::Settings;
use crate::store::{Store, StoreError};

/// A new, empty draft (with `title` when given) marked with the library's default TLP.
///
/// Settings that cannot be read do not stop the analyst from starting a report: the new one
/// then carries the built-in default marking, and the problem is logged.
pub fn create(store: &mut Store, title: Option<&str>) -> Result<StoredReport, StoreError> {
    let settings = Settings::load(store.data_dir()).unwrap_or_else(|error| {
        tracing::warn!(%error, "the settings cannot be read; the new report gets the default TLP");
        Settings::default()
    });
    let mut report = Report::default();
    report.handling.tlp = settings.default_tlp;
    report.title = title.map(str::trim).unwrap_or_default().to_string();
    store.create(report, "created")
}

/// Deletes a report with its history, then collects the images only it used (after the grace
/// period, see [`media::gc`]). Returns what was deleted, so a front end can name it.
///
/// A failed collection leaves files for a later one and does not make the delete fail.
pub fn delete(store: &mut Store, id: Uuid) -> Result<StoredReport, StoreError> {
    let deleted = store.delete(id)?;
    if let Err(error) = media::gc(store, media::GC_GRACE) {
        tracing::warn!(%error, "collecting unused images after a delete failed");
    }
    Ok(deleted)
}

/// Marks a library the app has opened before (the CLI may have created the library earlier).
const APP_MARKER: &str = ".app-started";

/// At the desktop app's first start in a data folder, an empty library gets the sample report,
/// so the analyst sees what a report looks like; a library the app opened before never gets it
/// again (even when emptied). Returns whether this is that first start. Failures are logged,
/// never fatal: the app opens either way.
pub fn first_app_start(store: &mut Store) -> bool {
    let marker = store.data_dir().root().join(APP_MARKER);
    if marker.exists() {
        return false;
    }
    if store.count().unwrap_or(1) == 0 {
        add_sample(store);
    }
    if let Err(error) = crate::fsutil::write_atomic(&marker, b"") {
        tracing::warn!(%error, "could not mark the library as opened by the app");
    }
    true
}

fn add_sample(store: &mut Store) {
    let added = interchange::import_bytes(interchange::SAMPLE_REPORT.as_bytes())
        .map_err(|e| e.to_string())
        .and_then(|imported| store.create(imported.report, "sample report").map_err(|e| e.to_string()));
    match added {
        Ok(stored) => tracing::info!(number = %stored.number, "added the sample report to the new library"),
        Err(error) => tracing::warn!(%error, "could not add the sample report"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tlp;
    use crate::paths::DataDir;
    use crate::Env;

    fn store(dir: &std::path::Path) -> Store {
        Store::open(&DataDir::new(dir), Env::system()).unwrap()
    }

    #[test]
    fn a_new_report_carries_the_default_tlp_of_the_settings() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = store(tmp.path());
        assert_eq!(create(&mut store, None).unwrap().report.handling.tlp, Settings::default().default_tlp);
        crate::settings::update(store.data_dir(), |s| {
            s.default_tlp = Tlp::Red;
            Ok(())
        })
        .unwrap();
        let made = create(&mut store, Some("  Grid outage  ")).unwrap();
        assert_eq!(made.report.handling.tlp, Tlp::Red);
        assert_eq!(made.report.title, "Grid outage");
        // Damaged settings do not block a new report.
        std::fs::write(store.data_dir().settings(), b"{ not json").unwrap();
        assert_eq!(create(&mut store, None).unwrap().report.handling.tlp, Settings::default().default_tlp);
    }

    #[test]
    fn a_new_library_starts_with_the_sample_report_once() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = store(tmp.path());
        assert!(first_app_start(&mut store));
        let rows = store.search(&Default::default()).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].title.contains("Canal"), "{}", rows[0].title);
        // Deleted, it does not come back at the next start.
        delete(&mut store, rows[0].id).unwrap();
        assert!(!first_app_start(&mut store));
        assert_eq!(store.count().unwrap(), 0);
    }

    #[test]
    fn a_library_the_cli_filled_gets_no_sample() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = store(tmp.path());
        create(&mut store, Some("Mine")).unwrap();
        assert!(first_app_start(&mut store));
        assert_eq!(store.count().unwrap(), 1);
    }
}
