use time::macros::{date, datetime};

use std::path::Path;

use super::*;
use crate::error::ErrorCode;
use crate::model::*;

fn open(dir: &Path) -> Store {
    Store::open(&DataDir::new(dir), Env::fixed(datetime!(2026-11-26 10:00 UTC))).unwrap()
}

fn report(title: &str, tags: &[&str], entities: &[&str], tlp: Tlp, published: Option<time::Date>) -> Report {
    Report {
        title: title.into(),
        bluf: format!("Bottom line about {title}."),
        handling: Handling { tlp, banner: String::new() },
        source: Source { published, ..Source::default() },
        tags: tags.iter().map(|t| t.to_string()).collect(),
        entities: entities.iter().map(|n| Entity { name: n.to_string(), ..Entity::default() }).collect(),
        ..Report::default()
    }
}

#[test]
fn create_numbers_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let a = store.create(report("Canal drought", &["climate"], &[], Tlp::Green, None), "created").unwrap();
    let b = store.create(report("Grid intrusion", &[], &[], Tlp::Red, None), "created").unwrap();
    assert_eq!((a.number.as_str(), b.number.as_str()), ("BW-2026-0001", "BW-2026-0002"));
    assert_eq!(a.revision, 1);
    assert_eq!(store.get(a.id).unwrap(), a);
    assert_eq!(store.resolve("bw-2026-0002").unwrap(), b.id);
    assert_eq!(store.resolve(&a.id.to_string()).unwrap(), a.id);
    assert!(matches!(store.resolve("BW-2026-0099"), Err(StoreError::NotFound(_))));
    assert_eq!(store.count().unwrap(), 2);
    store.check().unwrap();
}

#[test]
fn saves_keep_revisions_and_refuse_stale_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let r1 = store.create(report("First", &[], &[], Tlp::Amber, None), "created").unwrap();
    let mut edit = r1.report.clone();
    edit.bluf = "Changed.".into();
    let r2 = store.save(r1.id, 1, edit.clone()).unwrap();
    assert_eq!(r2.revision, 2);
    // Saving the same content again makes no new revision.
    assert_eq!(store.save(r1.id, 2, edit.clone()).unwrap().revision, 2);
    // An edit based on revision 1 is refused: someone saved revision 2 meanwhile.
    let err = store.save(r1.id, 1, r1.report.clone()).unwrap_err();
    assert!(matches!(err, StoreError::Stale { current: 2, base: 1, .. }), "{err}");
    assert_eq!(store.get(r1.id).unwrap().report.bluf, "Changed.");

    let history = store.revisions(r1.id).unwrap();
    assert_eq!(history.iter().map(|h| h.revision).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(history[1].note, "created");
    assert_eq!(store.revision(r1.id, 1).unwrap(), r1.report);

    let r3 = store.restore(r1.id, 1, 2).unwrap();
    assert_eq!((r3.revision, &r3.report), (3, &r1.report));
    assert_eq!(store.revisions(r1.id).unwrap()[0].note, "restored revision 1");
    assert!(matches!(store.revision(r1.id, 9), Err(StoreError::NoRevision { revision: 9, .. })));

    let r4 = store.set_status(r1.id, 3, Status::Final).unwrap();
    assert_eq!((r4.revision, r4.status), (4, Status::Final));
    store.check().unwrap();
}

#[test]
fn search_finds_words_and_applies_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let canal = store
        .create(
            report(
                "Canal drought cuts transits",
                &["Climate Risk", "maritime"],
                &["Elena Ruiz Castillo"],
                Tlp::Green,
                Some(date!(2026 - 03 - 14)),
            ),
            "",
        )
        .unwrap();
    let grid = store
        .create(
            report("Grid intrusion", &["cybersecurity"], &["Олена Коваль"], Tlp::Red, Some(date!(2026 - 09 - 02))),
            "",
        )
        .unwrap();
    let ids = |q: Query| store.search(&q).unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>();

    assert_eq!(ids(Query::default()).len(), 2);
    assert_eq!(ids(Query { text: "drou".into(), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { text: "коваль".into(), ..Query::default() }), vec![grid.id]);
    assert_eq!(ids(Query { text: "castillo".into(), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { text: "\"cuts transits\"".into(), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { text: "bottom -canal".into(), ..Query::default() }), vec![grid.id]);
    assert!(ids(Query { text: "NEAR( \" OR AND *".into(), ..Query::default() }).is_empty());
    assert_eq!(ids(Query { tag: Some("climate risk".into()), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { entity: Some("олена".into()), ..Query::default() }), vec![grid.id]);
    assert_eq!(ids(Query { tlp: Some(Tlp::Red), ..Query::default() }), vec![grid.id]);
    assert_eq!(ids(Query { from: Some(date!(2026 - 06 - 01)), ..Query::default() }), vec![grid.id]);
    assert_eq!(ids(Query { to: Some(date!(2026 - 06 - 01)), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { text: "bottom".into(), tlp: Some(Tlp::Green), ..Query::default() }), vec![canal.id]);
    assert_eq!(ids(Query { sort: Sort::Title, ..Query::default() }), vec![canal.id, grid.id]);

    let hit = &store.search(&Query { text: "drought".into(), ..Query::default() }).unwrap()[0];
    assert_eq!(hit.tags, vec!["Climate Risk", "maritime"]);
    assert!(hit.snippet.as_deref().unwrap_or_default().contains("drought"), "{:?}", hit.snippet);
    assert_eq!(store.tags().unwrap()[0].count, 1);
}

#[test]
fn edits_and_deletes_update_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let r = store.create(report("Alpha", &["one"], &[], Tlp::Amber, None), "").unwrap();
    let mut edit = r.report.clone();
    edit.title = "Bravo".into();
    edit.bluf = "Rewritten.".into();
    edit.tags = vec!["two".into()];
    store.save(r.id, 1, edit).unwrap();
    let find =
        |store: &Store, text: &str| store.search(&Query { text: text.into(), ..Query::default() }).unwrap().len();
    assert_eq!((find(&store, "alpha"), find(&store, "bravo")), (0, 1));
    assert!(store.search(&Query { tag: Some("one".into()), ..Query::default() }).unwrap().is_empty());

    let copy = store.duplicate(r.id).unwrap();
    assert_eq!(copy.report.title, "Bravo (copy)");
    store.delete(r.id).unwrap();
    assert_eq!(find(&store, "bravo"), 1);
    assert!(matches!(store.get(r.id), Err(StoreError::NotFound(_))));
    store.check().unwrap();
    let orphans: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM revisions WHERE report_seq NOT IN (SELECT seq FROM reports)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn opening_twice_keeps_the_schema_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let id = open(dir.path()).create(report("Kept", &[], &[], Tlp::Amber, None), "").unwrap().id;
    let store = open(dir.path());
    assert_eq!(store.get(id).unwrap().report.title, "Kept");
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: bool = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert!(fk);
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    open(dir.path()).create(report("Kept", &[], &[], Tlp::Amber, None), "").unwrap();
    let db = DataDir::new(dir.path()).database();
    Connection::open(&db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer version of Briefwright"), "{err}");
    let version: i64 = Connection::open(&db).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 99);
}

#[test]
fn foreign_and_damaged_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = DataDir::new(dir.path()).database();
    Connection::open(&db).unwrap().execute_batch("CREATE TABLE other (x)").unwrap();
    assert!(matches!(Store::open(&DataDir::new(dir.path()), Env::system()), Err(StoreError::Foreign)));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(DataDir::new(dir.path()).database(), b"this is not a database file at all, just text".repeat(100))
        .unwrap();
    let err = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
}

#[test]
fn create_all_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store.create(report("Existing", &[], &[], Tlp::Amber, None), "").unwrap();
    // A unique-constraint failure half-way through (same id twice) must roll back the batch.
    let mut bad = Store::open(
        &DataDir::new(dir.path()),
        Env { clock: Arc::new(crate::env::FixedClock(datetime!(2026-11-26 10:00 UTC))), ids: Arc::new(SameId) },
    )
    .unwrap();
    let err =
        bad.create_all(vec![report("A", &[], &[], Tlp::Amber, None), report("B", &[], &[], Tlp::Amber, None)], "");
    assert!(err.is_err());
    assert_eq!(store.count().unwrap(), 1);
    store.check().unwrap();
}

use std::sync::Arc;
struct SameId;
impl crate::env::IdSource for SameId {
    fn new_id(&self) -> Uuid {
        Uuid::from_u128(42)
    }
}

#[test]
fn relevance_puts_title_hits_first_and_snippets_show_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut body_only = report("Port congestion", &[], &[], Tlp::Amber, None);
    body_only.implications = "Later the reservoir question returns, among many other matters of shipping.".into();
    let body_only = store.create(body_only, "").unwrap();
    let in_title = store.create(report("Reservoir levels fall", &[], &[], Tlp::Amber, None), "").unwrap();
    let rows = store.search(&Query { text: "reservoir".into(), ..Query::default() }).unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![in_title.id, body_only.id]);
    assert!(rows[1].snippet.as_deref().unwrap().contains("reservoir question"), "{:?}", rows[1].snippet);
    // Other orders ignore relevance.
    let by_number = store.search(&Query { text: "reservoir".into(), sort: Sort::Number, ..Query::default() }).unwrap();
    assert_eq!(by_number.iter().map(|r| r.id).collect::<Vec<_>>(), vec![in_title.id, body_only.id]);
    let by_title = store.search(&Query { text: "reservoir".into(), sort: Sort::Title, ..Query::default() }).unwrap();
    assert_eq!(by_title.iter().map(|r| r.id).collect::<Vec<_>>(), vec![body_only.id, in_title.id]);
}

#[test]
fn a_refused_file_is_not_written_to() {
    // A newer library still in rollback-journal mode, and a foreign database: opening them
    // must not switch them to WAL (a header change) or touch them in any other way.
    let dir = tempfile::tempdir().unwrap();
    let db = DataDir::new(dir.path()).database();
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);").unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the newer library was changed");

    let dir = tempfile::tempdir().unwrap();
    let db = DataDir::new(dir.path()).database();
    Connection::open(&db).unwrap().execute_batch("CREATE TABLE other (x); INSERT INTO other VALUES (1);").unwrap();
    let before = std::fs::read(&db).unwrap();
    assert!(matches!(Store::open(&DataDir::new(dir.path()), Env::system()), Err(StoreError::Foreign)));
    assert_eq!(std::fs::read(&db).unwrap(), before, "the foreign database was changed");
}

#[test]
fn an_empty_database_file_is_refused_not_replaced_by_a_new_library() {
    let dir = tempfile::tempdir().unwrap();
    let db = DataDir::new(dir.path()).database();
    std::fs::write(&db, b"").unwrap();
    let err = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LibraryEmpty);
    assert!(err.to_string().contains("is empty (0 bytes)"), "{err}");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["library.sqlite3"], "nothing else was created");
}

#[test]
fn a_new_library_appears_whole_even_when_many_open_it_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let root = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut store = Store::open(&DataDir::new(root), Env::system()).unwrap();
                store.create(report(&format!("Report {i}"), &[], &[], Tlp::Amber, None), "").unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.count().unwrap(), 8);
    store.check().unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.retain(|n| !n.starts_with("library.sqlite3"));
    assert!(names.is_empty(), "temporary files left behind: {names:?}");
}

#[test]
fn a_writer_waits_for_another_processs_write_instead_of_failing_busy() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let s = store.create(report("Shared", &[], &[], Tlp::Amber, None), "").unwrap();
    // Another connection (as another process would) holds the write lock for a while.
    let other = Connection::open(DataDir::new(dir.path()).database()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE reports SET title = title;").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        other.execute_batch("COMMIT").unwrap();
    });
    // Reads go on meanwhile (WAL) …
    assert_eq!(store.get(s.id).unwrap().revision, 1);
    // … and a save waits for the lock (busy_timeout), then succeeds.
    let t = std::time::Instant::now();
    let mut edited = s.report.clone();
    edited.bluf = "Changed while another writer held the lock.".into();
    let saved = store.save(s.id, 1, edited).unwrap();
    assert_eq!(saved.revision, 2);
    assert!(t.elapsed() >= Duration::from_millis(300), "the save did not wait: {:?}", t.elapsed());
    release.join().unwrap();
    let mut more = saved.report.clone();
    more.bluf = "Again.".into();
    assert_eq!(store.save(s.id, 2, more).unwrap().revision, 3);
}

#[test]
fn opening_while_others_close_the_library_never_falls_back_to_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let id = open(dir.path()).create(report("Shared", &[], &[], Tlp::Amber, None), "").unwrap().id;
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let root = dir.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..40 {
                    // Each open is a fresh connection, closed at the end of the iteration (the last
                    // one to close removes the -wal and -shm while the others open).
                    let mut store = Store::open(&DataDir::new(&root), Env::system()).unwrap();
                    assert!(!store.read_only(), "thread {t}, open {i}: opened read-only");
                    let current = store.get(id).unwrap();
                    let mut edited = current.report.clone();
                    edited.bluf = format!("thread {t}, edit {i}");
                    match store.save(id, current.revision, edited) {
                        Ok(_) | Err(StoreError::Stale { .. }) => {}
                        Err(e) => panic!("thread {t}, edit {i}: {e}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    open(dir.path()).check().unwrap();
}

/// Names inside sentences of scripts written without spaces are found as a reader expects.
#[test]
fn search_finds_names_in_every_script() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let texts = [
        ("zh", "外交部发言人表示，习近平将于下周访问莫斯科。"),
        ("ja", "岸田文雄首相は東京で記者会見を開いた。"),
        ("ko", "김정은이 평양에서 연설했다."),
        ("th", "นายกรัฐมนตรีเศรษฐา ทวีสินเดินทางถึงกรุงเทพฯ"),
        ("hi", "प्रधानमंत्री नरेंद्र मोदी ने कहा"),
        ("ar", "قال محمد بن سلمان إن المفاوضات مستمرة"),
    ];
    for (lang, text) in texts {
        let mut r = report(lang, &[], &[], Tlp::Green, None);
        r.bluf = text.into();
        store.create(r, "").unwrap();
    }
    let found = |text: &str| -> Vec<String> {
        let rows = store.search(&Query { text: text.into(), ..Query::default() }).unwrap();
        rows.into_iter().map(|r| r.title).collect()
    };
    for (term, lang) in [
        ("习近平", "zh"),
        ("近平", "zh"),
        ("莫斯科", "zh"),
        ("习近", "zh"),
        ("文雄", "ja"),
        ("記者会見", "ja"),
        ("김정은", "ko"),
        ("평양", "ko"),
        ("เศรษฐา", "th"),
        ("กรุงเทพ", "th"),
        ("ทวีสิน", "th"),
        ("سلمان", "ar"),
    ] {
        assert_eq!(found(term), [lang], "searching for {term}");
    }
    for absent in ["习近东", "平习", "ชลบุรี", "김정일"] {
        assert_eq!(found(&format!("{absent} ")), Vec::<String>::new(), "searching for {absent}");
    }
    // The snippet shows the sentence as written.
    let rows = store.search(&Query { text: "习近平".into(), ..Query::default() }).unwrap();
    let snippet = rows[0].snippet.as_deref().unwrap();
    assert!(snippet.contains("习近平将于") && !snippet.contains('\u{200B}'), "{snippet}");
}

/// A library indexed before migration 3 (one token per CJK sentence, marks splitting words)
/// is reindexed when opened, in the migration's transaction.
#[test]
fn opening_an_older_library_reindexes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut r = report("Visit", &[], &[], Tlp::Green, None);
    r.bluf = "习近平将于下周访问莫斯科。".into();
    store.create(r, "").unwrap();
    drop(store);
    {
        let conn = Connection::open(dir.path().join("library.sqlite3")).unwrap();
        conn.execute_batch(
            "DROP TABLE report_fts;
             CREATE VIRTUAL TABLE report_fts USING fts5 (
                 title, source, bluf, analysis, implications, recommendations, entities, tags, captions, notes,
                 tokenize = 'unicode61 remove_diacritics 2');
             INSERT INTO report_fts (rowid, title, bluf) SELECT seq, title, '习近平将于下周访问莫斯科。' FROM reports;
             PRAGMA user_version = 2;",
        )
        .unwrap();
        let rows: i64 = conn.query_row("SELECT count(*) FROM report_fts('\"近平\"')", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 0, "the old index does not find a name inside a sentence");
    }
    let store = open(dir.path());
    let rows = store.search(&Query { text: "近平".into(), ..Query::default() }).unwrap();
    assert_eq!(rows.len(), 1);
    let version: i64 = Connection::open(dir.path().join("library.sqlite3"))
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, super::schema_version());
}
