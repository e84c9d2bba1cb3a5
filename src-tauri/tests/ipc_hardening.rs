//! Every IPC command, called the way a compromised or buggy page could call it: arguments
//! missing, of the wrong type, oversized, or naming paths that climb out of where they seem to
//! point. Each call must answer (no panic, no hang) with a typed refusal, and the barrage must
//! leave the library sound and nothing written outside the test's folder.
//!
//! The commands and their arguments come from the one list the handler and the TypeScript client
//! are made from (src/commands/list.rs, with the types tauri-specta records), so a new command or
//! argument is covered without editing this file (an argument of a new kind fails the test until
//! it gets a valid baseline value below).
//!
//! Every refusal is the commands' own `{code, message}`, an argument that cannot even be decoded
//! into its Rust type included (`bad_argument`, naming the argument): never a bare string.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefwright_desktop::commands::COMMANDS;
use briefwright_desktop::library::Library;
use serde_json::{json, Value};
use specta::datatype::{DataType, NamedReferenceType, Primitive, Reference};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponse};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The app's own origin (a custom protocol); other origins may not call the app's commands.
#[cfg(windows)]
const LOCAL_URL: &str = "http://tauri.localhost";
#[cfg(not(windows))]
const LOCAL_URL: &str = "tauri://localhost";

/// What a command answered.
#[derive(Debug)]
enum Answer {
    Ok(String),
    Refused { code: String, message: String },
    Undecodable(String),
}

struct Harness {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new(data: PathBuf) -> Harness {
        let app = mock_builder()
            .plugin(tauri_plugin_opener::init())
            .invoke_handler(briefwright_desktop::invoke_handler())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds");
        briefwright_desktop::manage_state(&app, Library::open(data));
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a mock window");
        Harness { _app: app, webview }
    }

    fn call(&self, cmd: &str, body: InvokeBody, headers: &[(&'static str, String)]) -> Answer {
        let mut map = tauri::http::HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: LOCAL_URL.parse().unwrap(),
            body,
            headers: map,
            invoke_key: INVOKE_KEY.to_string(),
        };
        let (tx, rx) = mpsc::sync_channel(1);
        self.webview.as_ref().clone().on_message(
            request,
            Box::new(move |_, _, response, _, _| {
                let _ = tx.send(response);
            }),
        );
        // A panic in a command would leave the call unanswered.
        match rx.recv_timeout(Duration::from_secs(120)).unwrap_or_else(|_| panic!("{cmd} never answered")) {
            InvokeResponse::Ok(body) => Answer::Ok(format!("{body:?}").chars().take(200).collect()),
            InvokeResponse::Err(tauri::ipc::InvokeError(value)) => match value {
                Value::Object(o) => Answer::Refused {
                    code: o.get("code").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    message: o.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
                },
                Value::String(s) => Answer::Undecodable(s),
                other => panic!("{cmd} refused with neither an IpcError nor a string: {other}"),
            },
        }
    }

    fn json(&self, cmd: &str, args: Value) -> Answer {
        self.call(cmd, InvokeBody::Json(args), &[])
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: LOCAL_URL.parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        match tauri::test::get_ipc_response(&self.webview, request) {
            Ok(body) => body.deserialize::<Value>().unwrap(),
            Err(e) => panic!("{cmd} failed: {e}"),
        }
    }
}

/// One argument of one command, as the page sends it.
#[derive(Debug, Clone)]
struct Arg {
    /// The key the page sends (camelCase, as Tauri expects by default).
    key: String,
    kind: Kind,
    optional: bool,
}

/// What an argument is, as far as the hostile values tried go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    TextList,
    Count,
    Scale,
    Flag,
    /// A structure (Report, Query, Settings, ExportRequest) or an enum (Status, PageSize, KeyKind).
    Structure,
}

impl Arg {
    fn of(key: &str, ty: &DataType) -> Arg {
        let (ty, optional) = match resolved(ty) {
            DataType::Nullable(inner) => (resolved(inner), true),
            other => (other, false),
        };
        let kind = match ty {
            DataType::Primitive(Primitive::str) => Kind::Text,
            DataType::Primitive(Primitive::u32) => Kind::Count,
            DataType::Primitive(Primitive::f32) => Kind::Scale,
            DataType::Primitive(Primitive::bool) => Kind::Flag,
            DataType::List(_) => Kind::TextList,
            _ => Kind::Structure,
        };
        Arg { key: camel(key), kind, optional }
    }
}

/// The commands and their page-supplied arguments, from the typed list.
fn signatures() -> BTreeMap<String, Vec<Arg>> {
    let typed = briefwright_desktop::commands::typed::<MockRuntime>();
    let functions = (typed.1)(&mut specta::Types::default()).functions;
    functions
        .iter()
        .map(|f| (f.name().to_string(), f.args().iter().map(|(key, ty)| Arg::of(key, ty)).collect()))
        .collect()
}

/// The type a named reference stands for where specta inlines it (`String` is a named type
/// inlined as `str`).
fn resolved(ty: &DataType) -> &DataType {
    match ty {
        DataType::Reference(Reference::Named(named)) => match &named.inner {
            NamedReferenceType::Inline { dt, .. } => resolved(dt),
            _ => ty,
        },
        other => other,
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The hostile values tried for an argument of this kind, each with whether a refusal is
/// required (false where the value is legitimate text, e.g. a caption that reads "../../etc").
fn hostile(arg: &Arg, tmp: &Path) -> Vec<(&'static str, Value, bool)> {
    let huge = "A".repeat(8 << 20);
    let wrong_types = |except: &str| -> Vec<(&'static str, Value, bool)> {
        let all: [(&'static str, Value); 6] = [
            ("wrong type: number", json!(42)),
            ("wrong type: negative number", json!(-1)),
            ("wrong type: boolean", json!(true)),
            ("wrong type: array", json!(["x"])),
            ("wrong type: object", json!({"unexpected": 1})),
            ("wrong type: string", json!("12")),
        ];
        all.into_iter().filter(|(what, _)| !what.ends_with(except)).map(|(w, v)| (w, v, true)).collect()
    };
    let mut cases = Vec::new();
    if !arg.optional {
        cases.push(("missing", Value::Null, true));
    }
    match arg.kind {
        Kind::Text => {
            cases.extend(wrong_types("string"));
            let path_like = arg.key == "path";
            let short = path_like || ["id", "name", "fingerprint", "sha256", "format"].contains(&arg.key.as_str());
            cases.push(("oversized: 8 MB", json!(huge), short));
            for (what, v) in [
                ("traversal: relative", "../../../../etc/passwd"),
                ("traversal: absolute with ..", "/tmp/../../etc/passwd"),
                ("traversal: NUL byte", "/etc/passwd\u{0}.pdf"),
                ("traversal: empty", ""),
            ] {
                // An id, a path, a name, a fingerprint or a hash can never be one of these;
                // free text (a caption, a passphrase) may legitimately read like one.
                cases.push((what, json!(v), short));
            }
            if path_like {
                // Reading it (to verify, import or trust it) is harmless and fails on its content;
                // writing over it is refused: see WRITES.
                cases.push(("path: the database itself", json!(tmp.join("data/library.sqlite3")), false));
            }
        }
        Kind::TextList => {
            cases.extend(wrong_types("array"));
            cases.push(("wrong type: string", json!("/tmp/x"), true));
            cases.push(("wrong type: numbers", json!([1, 2]), true));
            cases.push(("oversized: 200 000 paths", json!(vec!["/nonexistent/x.txt"; 200_000]), true));
            cases.push(("traversal: relative", json!(["../../../../etc/passwd"]), true));
            cases.push(("traversal: absolute with ..", json!(["/tmp/../../etc/passwd"]), true));
        }
        Kind::Count => {
            cases.extend(wrong_types("number").into_iter().filter(|(w, _, _)| *w != "wrong type: negative number"));
            cases.push(("wrong type: negative number", json!(-1), true));
            cases.push(("oversized: 2^32", json!(4_294_967_296u64), true));
            cases.push(("wrong type: fraction", json!(1.5), true));
            cases.push(("oversized: u32::MAX", json!(u32::MAX), true));
        }
        Kind::Scale => {
            cases.extend(wrong_types("number").into_iter().filter(|(w, _, _)| *w != "wrong type: negative number"));
            cases.push(("out of range: 0", json!(0.0), true));
            cases.push(("out of range: negative", json!(-1.5), true));
            cases.push(("oversized: 1e30", json!(1e30), true));
            cases.push(("oversized: beyond f32", json!(1e300), true));
        }
        Kind::Flag => cases.extend(wrong_types("boolean")),
        Kind::Structure => {
            // A structure (Report, Query, Settings, ExportOptions) or an enum (Status, PageSize, KeyKind).
            // An array may be a structure in serde's positional form (["title", ...]): that encodes
            // an ordinary value, no more powerful than the object form, so it may be accepted.
            cases.extend(
                wrong_types("object")
                    .into_iter()
                    .filter(|(w, _, _)| *w != "wrong type: string")
                    .map(|(w, v, _)| (w, v, w != "wrong type: array")),
            );
            cases.push(("wrong type: unknown variant", json!("../../etc/passwd"), true));
            cases.push(("oversized: 8 MB string", json!(huge), true));
            cases.push(("oversized: nested 120 deep (the JSON parser refuses deeper)", deep(120), true));
        }
    }
    cases
}

/// Arrays nested `levels` deep.
fn deep(levels: usize) -> Value {
    let mut v = json!([]);
    for _ in 0..levels {
        v = json!([v]);
    }
    v
}

/// The commands that write to the path they are given: never into the library folder.
const WRITES: [&str; 3] = ["export_report", "backup_library", "export_certificate"];

/// A valid value for each argument key, so that one hostile argument is tested at a time.
fn baseline(key: &str, fixtures: &Fixtures) -> Value {
    match key {
        "id" => json!(fixtures.id),
        "base" => json!(fixtures.revision),
        "figure" | "from" | "to" | "revision" | "page" => json!(1),
        "token" => json!(fixtures.token.get()),
        "scale" => json!(1.5),
        "size" => json!(256),
        "path" => json!(fixtures.tmp.join("probe-target.bin")),
        "paths" => json!([fixtures.tmp.join("missing.txt")]),
        "query" => {
            json!({"text": "", "tag": null, "entity": null, "tlp": null, "from": null, "to": null, "sort": "auto", "limit": null})
        }
        "report" => fixtures.report.clone(),
        "settings" => fixtures.settings.clone(),
        "options" => json!({"format": "txt", "pageSize": null, "draft": false, "identity": null}),
        "status" => json!("draft"),
        "pageSize" => json!("a4"),
        "draft" => json!(false),
        "kind" => json!("p256"),
        "caption" => json!("a caption"),
        "name" => json!("nobody"),
        "organisation" | "email" => Value::Null,
        "passphrase" | "password" => json!("not the passphrase"),
        "fingerprint" => json!("00".repeat(32)),
        "sha256" => json!("0".repeat(64)),
        "format" => json!("jpeg"),
        // Not an image: a baseline attach is refused, so the probes never change the report.
        "image" => json!("/9j/"),
        other => panic!("no baseline value for the argument `{other}`: add one to this test"),
    }
}

struct Fixtures {
    tmp: PathBuf,
    id: String,
    revision: u64,
    report: Value,
    settings: Value,
    /// A preview of the sample report, opened afresh before `preview_page` is probed.
    token: std::cell::Cell<u64>,
}

fn sha(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
#[test]
fn every_command_refuses_hostile_arguments_with_a_typed_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let h = Harness::new(root.join("data"));
    let listed = h.ok("list_reports", json!({"query": baseline_query()}));
    let id = listed[0]["id"].as_str().expect("the sample report").to_owned();
    let stored = h.ok("get_report", json!({"id": id}));
    let fixtures = Fixtures {
        tmp: root.clone(),
        id: id.clone(),
        revision: stored["revision"].as_u64().unwrap(),
        report: stored["report"].clone(),
        settings: h.ok("get_settings", json!({})),
        token: Default::default(),
    };
    let watched = ["/etc/passwd", "/etc/hostname"].map(|p| (p, sha(Path::new(p))));

    let signatures = signatures();
    let mut listed_commands: Vec<&str> = COMMANDS.to_vec();
    listed_commands.sort();
    assert_eq!(
        signatures.keys().map(String::as_str).collect::<Vec<_>>(),
        listed_commands,
        "commands in the source vs COMMANDS"
    );

    let started = Instant::now();
    let (mut calls, mut refused, mut undecodable, mut accepted) = (0u32, 0u32, 0u32, 0u32);
    let mut failures = Vec::new();
    for (command, args) in &signatures {
        if command == "restore_library" || command == "delete_report" {
            continue; // below: they act on the whole library or the sample report
        }
        if command == "preview_page" {
            // Earlier probes (of preview_close above all) let the fixture's preview go.
            let opened = h.ok("preview_open", json!({"id": id, "pageSize": null, "draft": false, "report": null}));
            fixtures.token.set(opened["token"].as_u64().unwrap());
        }
        for (i, arg) in args.iter().enumerate() {
            for (what, value, must_refuse) in hostile(arg, &root) {
                let mut body = serde_json::Map::new();
                for (j, other) in args.iter().enumerate() {
                    if i == j {
                        if what != "missing" {
                            body.insert(other.key.clone(), value.clone());
                        }
                    } else {
                        body.insert(other.key.clone(), baseline(&other.key, &fixtures));
                    }
                }
                calls += 1;
                let answer = h.json(command, Value::Object(body));
                let label = format!("{command}({}: {what})", arg.key);
                match &answer {
                    Answer::Refused { code, message } => {
                        refused += 1;
                        if code.is_empty() || message.is_empty() || code == "internal" {
                            failures.push(format!("{label}: an untyped refusal {answer:?}"));
                        }
                        let named = message.contains(&format!("`{}`", arg.key));
                        if what.starts_with("wrong type") && code == "bad_argument" && !named {
                            failures.push(format!("{label}: an undecodable argument not named: {message}"));
                        }
                    }
                    Answer::Undecodable(message) => {
                        undecodable += 1;
                        failures.push(format!("{label}: refused with a bare string, not {{code, message}}: {message}"));
                    }
                    Answer::Ok(body) => {
                        accepted += 1;
                        let overwrite = what == "path: the database itself" && WRITES.contains(&command.as_str());
                        if must_refuse || overwrite {
                            failures.push(format!("{label}: accepted ({body})"));
                        }
                    }
                }
            }
        }
    }

    // The two that act on everything: only refusals.
    for (command, key) in [("delete_report", "id"), ("restore_library", "path")] {
        let arg = Arg { key: key.into(), kind: Kind::Text, optional: false };
        for (what, value, _) in hostile(&arg, &root) {
            calls += 1;
            let body = if what == "missing" { json!({}) } else { json!({ key: value }) };
            match h.json(command, body) {
                Answer::Refused { .. } => refused += 1,
                Answer::Undecodable(message) => {
                    undecodable += 1;
                    failures.push(format!("{command}({key}: {what}): refused with a bare string: {message}"));
                }
                Answer::Ok(body) => failures.push(format!("{command}({key}: {what}): accepted ({body})")),
            }
        }
    }
    // A pasted image that is not base64, and one over the image limit.
    let over = "A".repeat((briefwright::media::MAX_FILE_BYTES / 3 * 4 + 8) as usize);
    for (what, image, code) in
        [("not base64", json!("not base64!"), "bad_argument"), ("oversized", json!(over), "file_too_large")]
    {
        calls += 1;
        match h.json("attach_image_data", json!({"id": id, "base": fixtures.revision, "image": image, "figure": null}))
        {
            Answer::Refused { code: got, .. } if got == code => refused += 1,
            other => failures.push(format!("attach_image_data({what}): {other:?}")),
        }
    }
    let seconds = started.elapsed().as_secs_f64();

    let conn = rusqlite_free_integrity(&root.join("data/library.sqlite3"));
    assert_eq!(conn, "ok");

    eprintln!(
        "{calls} hostile calls to {} commands in {seconds:.1} s: {refused} typed refusals, {undecodable} bare-string refusals, {accepted} accepted as legitimate text",
        signatures.len()
    );
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    // The library is still sound and holds the sample report, unchanged in content.
    // (Legitimate saves may have changed it; its first revision is as it was.)
    let first = h.ok("get_revision", json!({"id": id, "revision": 1}));
    assert_eq!(first["title"], fixtures.report["title"]);
    for (path, before) in &watched {
        assert_eq!(&sha(Path::new(path)), before, "{path} changed");
    }
    record(json!({
        "commands": signatures.len(), "calls": calls, "typed_refusals": refused,
        "undecodable_named": undecodable, "accepted_text": accepted, "seconds": (seconds * 10.0).round() / 10.0
    }));
}

fn baseline_query() -> Value {
    json!({"text": "", "tag": null, "entity": null, "tlp": null, "from": null, "to": null, "sort": "auto", "limit": null})
}

/// `PRAGMA integrity_check` through the core's own store check.
fn rusqlite_free_integrity(db: &Path) -> String {
    let dir = briefwright::paths::DataDir::new(db.parent().unwrap());
    match briefwright::store::Store::open(&dir, briefwright::Env::system()).and_then(|s| s.check()) {
        Ok(()) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

/// Appends the figures for docs/reliability.md when `BRIEFWRIGHT_RELIABILITY_LOG` is set.
fn record(figures: Value) {
    let Some(path) = std::env::var_os("BRIEFWRIGHT_RELIABILITY_LOG") else { return };
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(f, "{}", json!({"check": "ipc_hardening", "figures": figures})).unwrap();
}

/// The preview through the real handler: render once, draw pages as PNG, follow unsaved edits,
/// let go.
#[test]
fn the_preview_draws_pages_of_the_brief_as_png() {
    let tmp = tempfile::tempdir().unwrap();
    let h = Harness::new(tmp.path().join("data"));
    let listed = h.ok("list_reports", json!({"query": baseline_query()}));
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let open =
        |report: Value| h.ok("preview_open", json!({"id": id, "pageSize": null, "draft": false, "report": report}));
    let png = |token: &Value, page: u32, scale: f32| -> Vec<u8> {
        let request = InvokeRequest {
            cmd: "preview_page".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: LOCAL_URL.parse().unwrap(),
            body: InvokeBody::Json(json!({"token": token, "page": page, "scale": scale})),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        match tauri::test::get_ipc_response(&h.webview, request) {
            Ok(tauri::ipc::InvokeResponseBody::Raw(bytes)) => bytes,
            other => panic!("preview_page answered {other:?}"),
        }
    };
    /// Width and height from a PNG's IHDR.
    fn size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        (be(16), be(20))
    }

    let saved = open(Value::Null);
    assert_eq!(saved["pages"].as_array().unwrap().len(), 2, "{saved}");
    assert!((saved["pages"][0]["width"].as_f64().unwrap() - 595.28).abs() < 0.1, "{saved}");
    let first = png(&saved["token"], 1, 1.5);
    assert_eq!(size(&first), (892, 1262));
    assert_eq!(size(&png(&saved["token"], 2, 0.5)), (297, 420));

    // Unsaved editor content: a new rendering, drawn differently; the saved one is still kept.
    let stored = h.ok("get_report", json!({"id": id}));
    let mut edited = stored["report"].clone();
    edited["title"] = json!("A different title, long enough to wrap onto a second line of the title block");
    let unsaved = open(edited);
    assert_ne!(unsaved["token"], saved["token"]);
    assert_ne!(png(&unsaved["token"], 1, 1.5), first);
    assert_eq!(png(&saved["token"], 1, 1.5), first, "the same page drawn twice is the same");

    // Closed: gone, and said so in a sentence.
    assert_eq!(h.ok("preview_close", json!({"token": saved["token"]})), json!(true));
    assert_eq!(h.ok("preview_close", json!({"token": saved["token"]})), json!(false));
    match h.json("preview_page", json!({"token": saved["token"], "page": 1, "scale": 1.5})) {
        Answer::Refused { code, message } => {
            assert_eq!(code, "preview_gone");
            assert!(message.contains("no longer kept"), "{message}");
        }
        other => panic!("a closed preview drew: {other:?}"),
    }
    match h.json("preview_page", json!({"token": unsaved["token"], "page": 3, "scale": 1.5})) {
        Answer::Refused { code, message } => {
            assert_eq!((code.as_str(), message.as_str()), ("bad_argument", "the brief has no page 3 (it has 2)"))
        }
        other => panic!("page 3 of 2 drew: {other:?}"),
    }
}
