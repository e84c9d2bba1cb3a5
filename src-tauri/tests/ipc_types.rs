//! The TypeScript types in ui/src/lib/types.ts match what actually crosses the IPC boundary.
//!
//! The core's types carry no TypeScript derive, so this test serialises real values from a real
//! store and compares their field names and enum values with the ones declared in types.ts.

use std::collections::BTreeSet;
use std::path::PathBuf;

use briefwright::model::{Report, Status, Tlp};
use briefwright::paths::DataDir;
use briefwright::store::{Query, Sort, Store};
use briefwright::Env;
use briefwright_desktop::error::IpcError;
use serde::Serialize;
use serde_json::Value;

fn types_ts() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/types.ts");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Field names of `export interface NAME { … }`.
fn ts_fields(ts: &str, name: &str) -> BTreeSet<String> {
    let start = ts.find(&format!("export interface {name} {{")).unwrap_or_else(|| panic!("no interface {name}"));
    let body = &ts[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("/*") && !l.starts_with('*') && !l.starts_with("//"))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim_end_matches('?').trim().to_owned()))
        .filter(|k| !k.is_empty())
        .collect()
}

/// The string literals of `export type NAME = 'a' | 'b';`.
fn ts_union(ts: &str, name: &str) -> BTreeSet<String> {
    let start = ts.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no type {name}"));
    let decl = &ts[start..];
    let decl = &decl[..decl.find(';').unwrap()];
    decl.split('\'').skip(1).step_by(2).map(str::to_owned).collect()
}

fn keys(value: &impl Serialize) -> BTreeSet<String> {
    match serde_json::to_value(value).unwrap() {
        Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

fn names<T: Serialize>(values: impl IntoIterator<Item = T>) -> BTreeSet<String> {
    values.into_iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
}

#[test]
fn summary_fields_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap();
    let report = Report {
        title: "Intelligence Report: Canal drought".into(),
        bluf: "Shipping through the canal is falling.".into(),
        tags: vec!["water".into()],
        ..Report::default()
    };
    store.create(report, "test").unwrap();
    let rows = store.search(&Query { text: "canal".into(), ..Query::default() }).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(keys(&rows[0]), ts_fields(&types_ts(), "Summary"));
}

#[test]
fn query_fields_match() {
    assert_eq!(keys(&Query::default()), ts_fields(&types_ts(), "Query"));
}

#[test]
fn ipc_error_fields_match() {
    assert_eq!(keys(&IpcError::new("busy", "busy")), ts_fields(&types_ts(), "IpcError"));
}

#[test]
fn enum_values_match() {
    let ts = types_ts();
    assert_eq!(names(Tlp::ALL), ts_union(&ts, "Tlp"));

    let statuses = [Status::Draft, Status::Final, Status::Signed];
    for s in statuses {
        // A new variant fails to compile here: add it to the list and to types.ts.
        match s {
            Status::Draft | Status::Final | Status::Signed => {}
        }
    }
    assert_eq!(names(statuses), ts_union(&ts, "Status"));

    let sorts = [Sort::Auto, Sort::Relevance, Sort::Updated, Sort::Created, Sort::Published, Sort::Title, Sort::Number];
    for s in sorts {
        match s {
            Sort::Auto
            | Sort::Relevance
            | Sort::Updated
            | Sort::Created
            | Sort::Published
            | Sort::Title
            | Sort::Number => {}
        }
    }
    assert_eq!(names(sorts), ts_union(&ts, "Sort"));
}
