//! Black-box tests of the `briefwright` command-line tool.

mod util;

use serde_json::Value;
use util::{fixture, Lab};

fn samples() -> [std::path::PathBuf; 2] {
    [fixture("reports/canal-drought.txt"), fixture("reports/grid-cyberattack.txt")]
}

#[test]
fn samples_import_with_every_part_in_place() {
    let lab = Lab::new();
    let [canal, grid] = samples();
    let ids = lab.import(&[&canal, &grid]);
    assert_eq!(ids.len(), 2);

    let c = lab.show_json(&ids[0]);
    let r = &c["report"];
    assert_eq!(c["format"], "briefwright-report");
    assert_eq!(c["meta"]["number"].as_str().unwrap().len(), "BW-2026-0001".len());
    assert_eq!(r["source"]["outlet"], "Harbor Ledger");
    assert_eq!(
        r["source"]["headline"],
        "Canal authority cuts daily transits as drought deepens What it means for shipping"
    );
    assert_eq!(r["source"]["published"], "2026-03-14");
    assert_eq!(r["title"], "Canal Authority Cuts Daily Transits as Drought Deepens – What’s Next for Global Shipping");
    assert_eq!(r["handling"]["tlp"], "AMBER");
    let names: Vec<&str> =
        r["analysis"]["techniques"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Key Assumptions Check", "Cross-Impact Simulation", "Scenario Generation", "Indicators and Warnings"]
    );
    let scenarios = &r["analysis"]["techniques"][2]["scenarios"];
    assert!(scenarios["best"].as_str().unwrap().starts_with("Seasonal rains arrive early"));
    assert!(scenarios["worst"].as_str().unwrap().starts_with("Drought persists"));
    assert!(scenarios["most_likely"].as_str().unwrap().starts_with("Restrictions ease gradually"));
    assert_eq!(r["recommendations"].as_array().unwrap().len(), 3);
    assert_eq!(r["entities"].as_array().unwrap().len(), 4);
    assert_eq!(
        r["tags"],
        serde_json::json!(["supply chain security", "climate risk", "maritime trade", "regional focus"])
    );
    assert_eq!(r["images"].as_array().unwrap().len(), 2);
    assert!(r["images"][1]["caption"].as_str().unwrap().ends_with("Harbor Ledger - Image 2"));
    assert_eq!(r["notes"], "");

    let g = &lab.show_json(&ids[1])["report"];
    let entities: Vec<&str> = g["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(entities, ["Олена Коваль", "Jānis Bērziņš", "Baltic Regional Transmission Operator", "ENISA"]);
    assert_eq!(g["source"]["outlet"], "Baltic Wire");
    assert_eq!(g["analysis"]["techniques"].as_array().unwrap().len(), 4);
}

#[test]
fn text_export_reimports_to_the_same_report() {
    let lab = Lab::new();
    for sample in samples() {
        let id = lab.import(&[&sample]).remove(0);
        let out = lab.path("round.txt");
        lab.ok(&["export", &id, "--out", out.to_str().unwrap()]);
        let again = lab.import(&[&out]).remove(0);
        assert_eq!(lab.show_json(&id)["report"], lab.show_json(&again)["report"], "{}", sample.display());
    }
}

#[test]
fn json_export_is_lossless_and_reimports() {
    let lab = Lab::new();
    let id = lab.import(&[&samples()[1]]).remove(0);
    let out = lab.path("r.json");
    lab.ok(&["export", &id, "--out", out.to_str().unwrap()]);
    let exported: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(exported, lab.show_json(&id));
    let again = lab.import(&[&out]).remove(0);
    assert_ne!(again, id, "an imported report is a new report");
    assert_eq!(lab.show_json(&again)["report"], exported["report"]);
    // show --json is what import reads back, too.
    let shown = lab.write("shown.json", lab.ok(&["show", &id, "--json"]).stdout);
    assert_eq!(lab.show_json(&lab.import(&[&shown])[0])["report"], exported["report"]);
}

#[test]
fn markdown_export_has_every_section() {
    let lab = Lab::new();
    let id = lab.import(&[&samples()[0]]).remove(0);
    lab.ok(&["export", &id, "--out", "brief.md"]);
    let md = std::fs::read_to_string(lab.path("brief.md")).unwrap();
    let mut at = 0;
    for heading in ["BLUF", "Detailed Analysis", "Implications", "Recommendations", "Key Individuals", "Thematic Tags"]
    {
        let found = md[at..].find(heading).unwrap_or_else(|| panic!("{heading} missing or out of order:\n{md}"));
        at += found;
    }
    assert!(md.contains("Elena Ruiz Castillo"));
    // --format wins over the extension; "-" is standard output.
    let out = lab.ok(&["export", &id, "--out", "-", "--format", "json"]).stdout;
    assert!(out.starts_with('{'));
}

#[test]
fn list_and_search_with_filters() {
    let lab = Lab::new();
    let [canal, grid] = samples();
    let ids = lab.import(&[&canal, &grid]);
    let found = |args: &[&str]| -> Vec<String> {
        let mut a = args.to_vec();
        a.push("--json");
        let rows: Vec<Value> = serde_json::from_str(&lab.ok(&a).stdout).unwrap();
        rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(found(&["list"]).len(), 2);
    assert_eq!(found(&["search", "drought"]), [ids[0].clone()]);
    assert_eq!(found(&["search", "substation"]), [ids[1].clone()]);
    assert_eq!(found(&["search", "Коваль"]), [ids[1].clone()]);
    assert_eq!(found(&["search", "berzins"]), [ids[1].clone()], "diacritics are folded");
    assert!(found(&["search", "nonexistentword"]).is_empty());
    assert_eq!(found(&["list", "--tag", "Climate Risk"]), [ids[0].clone()]);
    assert_eq!(found(&["list", "--entity", "enisa"]), [ids[1].clone()]);
    assert_eq!(found(&["list", "--from", "2026-06-01"]), [ids[1].clone()]);
    assert_eq!(found(&["list", "--to", "2026-06-01"]), [ids[0].clone()]);
    assert_eq!(found(&["list", "--tlp", "amber"]).len(), 2);
    assert!(found(&["list", "--tlp", "red"]).is_empty());
    assert_eq!(found(&["search", "\"intrusion attempt\"", "--tag", "cybersecurity"]), [ids[1].clone()]);
    // Search syntax from the user never breaks the query.
    assert!(found(&["search", "NEAR(\"x OR *"]).is_empty());
    let table = lab.ok(&["list"]).stdout;
    assert!(table.contains("TLP:AMBER") && table.contains("Intrusion Attempt"), "{table}");
}

#[test]
fn history_restore_and_delete() {
    let lab = Lab::new();
    let id = lab.import(&[&samples()[0]]).remove(0);
    let history: Vec<Value> = serde_json::from_str(&lab.ok(&["history", &id, "--json"]).stdout).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["note"], "imported");
    lab.ok(&["restore", &id, "1"]); // restoring the current content makes no new revision
    let r = lab.run(&["restore", &id, "7"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("has no revision 7"), "{}", r.stderr);
    lab.ok(&["delete", &id]);
    let r = lab.run(&["show", &id]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), format!("error: no report matches '{id}'"));
}

#[test]
fn exports_and_backups_never_land_in_the_library_folder() {
    let lab = Lab::new();
    let id = lab.import(&[&samples()[0]]).remove(0);
    let db = lab.data().join("library.sqlite3");
    let before = std::fs::read(&db).unwrap();
    let sneaky = lab.data().join("images/../library.sqlite3");
    for args in [
        vec!["export", &id, "--out", db.to_str().unwrap(), "--format", "json"],
        vec!["export", &id, "--out", sneaky.to_str().unwrap(), "--format", "txt"],
    ] {
        let r = lab.run(&args);
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        assert!(r.stderr.starts_with("error: ") && r.stderr.contains("is inside the library folder"), "{}", r.stderr);
    }
    let r = lab.run(&["backup", "--out", lab.data().join("b.tar.gz").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("inside the library folder"), "{}", r.stderr);
    assert!(!lab.data().join("b.tar.gz").exists());
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database was touched");
}

/// One clear sentence on stderr, exit status 1, and an unchanged library.
fn refused(lab: &Lab, name: &str, bytes: &[u8], expect: &str) {
    let before = lab.snapshot();
    let file = lab.write(name, bytes);
    let r = lab.run(&["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{name}: {r:?}");
    assert!(r.stdout.is_empty(), "{name}: printed ids for a refused file: {}", r.stdout);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{name}: expected one line, got:\n{}", r.stderr);
    assert!(lines[0].starts_with("error: ") && lines[0].contains(name), "{name}: {}", lines[0]);
    assert!(lines[0].contains(expect), "{name}: expected '{expect}' in: {}", lines[0]);
    assert_eq!(lab.snapshot(), before, "{name} changed the library");
}

#[test]
fn bad_input_is_refused_with_one_sentence() {
    let lab = Lab::new();
    lab.import(&[&samples()[0]]);
    refused(&lab, "empty.txt", b"", "the file is empty");
    refused(&lab, "blank.txt", b"\n \n\t\n", "the file is empty");
    refused(&lab, "binary.txt", &(0u8..=255).cycle().take(4096).collect::<Vec<_>>(), "binary");
    refused(&lab, "brief.txt", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", "is a PDF");
    refused(&lab, "latin1.txt", b"Headline \x96 Outlet\n\n1. BLUF\n\nCaf\xE9 cr\xE8me.\n", "not valid UTF-8");
    refused(
        &lab,
        "nobluf.txt",
        b"Headline - Outlet\n\nPublished on: 2026-01-01\n\n2. Detailed Analysis\n\nText.\n",
        "BLUF",
    );
    let mut big = std::fs::read(&samples()[0]).unwrap();
    big.resize(50 * 1024 * 1024, b' ');
    refused(&lab, "huge.txt", &big, "too large");
    refused(&lab, "newer.json", br#"{"format":"briefwright-report","version":9,"report":{}}"#, "newer");
    refused(
        &lab,
        "wrong.json",
        br#"{"format":"briefwright-report","version":1,"report":{"bluff":"x"}}"#,
        "does not match",
    );
    refused(&lab, "other.json", br#"{"name":"not a report"}"#, "not a Briefwright report");
    refused(&lab, "broken.json", br#"{"format": "briefwright-report", "#, "malformed");
}

#[test]
fn import_is_all_or_nothing() {
    let lab = Lab::new();
    let [canal, grid] = samples();
    lab.import(&[&canal]);
    let before = lab.snapshot();
    let bad = lab.write("bad.txt", "no heading here\n");
    let r = lab.run(&["import", grid.to_str().unwrap(), bad.to_str().unwrap(), canal.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty());
    assert_eq!(lab.snapshot(), before);
    let missing = lab.run(&["import", grid.to_str().unwrap(), "does-not-exist.txt"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.starts_with("error: cannot read does-not-exist.txt"), "{}", missing.stderr);
    assert_eq!(lab.snapshot(), before);
}

#[test]
fn unplaced_text_is_a_warning_and_kept() {
    let lab = Lab::new();
    let mut text = std::fs::read_to_string(&samples()[0]).unwrap();
    text = text.replace("Published on: 2026-03-14\n", "Published on: 2026-03-14\nFiled by desk 7\n");
    let file = lab.write("odd.txt", text);
    let r = lab.ok(&["import", file.to_str().unwrap()]);
    assert!(r.stderr.contains("odd.txt:5: warning:"), "{}", r.stderr);
    let id = r.stdout.trim();
    assert!(lab.show_json(id)["report"]["notes"].as_str().unwrap().contains("Filed by desk 7"));
}

#[test]
fn usage_errors_exit_2_and_lookups_exit_1() {
    let lab = Lab::new();
    assert_eq!(lab.run(&[]).code, 2);
    assert_eq!(lab.run(&["frobnicate"]).code, 2);
    assert_eq!(lab.run(&["import"]).code, 2);
    assert_eq!(lab.run(&["list", "--tlp", "purple"]).code, 2);
    assert_eq!(lab.run(&["list", "--from", "March"]).code, 2);
    assert_eq!(lab.run(&["--help"]).code, 0);
    let r = lab.run(&["show", "BW-1999-0001"]);
    assert_eq!((r.code, r.stderr.trim()), (1, "error: no report matches 'BW-1999-0001'"));
    let id = lab.import(&[&samples()[0]]).remove(0);
    let r = lab.run(&["export", &id, "--out", "brief.docx"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("cannot tell the export format"), "{}", r.stderr);
    assert!(!lab.path("brief.docx").exists());
}

#[test]
fn a_library_from_a_newer_version_is_refused() {
    let lab = Lab::new();
    lab.import(&[&samples()[0]]);
    let db = lab.data().join("library.sqlite3");
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 42).unwrap();
    for args in [&["list"][..], &["import", samples()[1].to_str().unwrap()]] {
        let r = lab.run(args);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("newer version of Briefwright"), "{}", r.stderr);
    }
    let v: i64 =
        rusqlite::Connection::open(&db).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, 42);
}

#[test]
fn the_data_folder_comes_from_the_environment_too() {
    let lab = Lab::new();
    let r = util::finish(
        std::process::Command::new(util::BIN)
            .args(["import", samples()[0].to_str().unwrap()])
            .env("BRIEFWRIGHT_DATA_DIR", lab.data())
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(lab.data().join("library.sqlite3").exists());
    assert_eq!(lab.ok(&["list", "--json"]).stdout.matches("\"id\"").count(), 1);
}

#[test]
fn an_unusable_data_folder_is_one_clear_error() {
    let lab = Lab::new();
    let file = lab.write("not-a-folder", "x");
    let r = util::finish(
        std::process::Command::new(util::BIN)
            .args(["--data-dir", file.to_str().unwrap(), "import", samples()[0].to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: cannot use the data folder"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn settings_are_shared_kept_and_validated() {
    let lab = Lab::new();
    assert!(lab.ok(&["settings"]).stdout.contains("page-size     a4"));
    lab.ok(&["settings", "set", "page-size", "letter"]);
    lab.ok(&["settings", "set", "accent", "#1f4e79"]);
    lab.ok(&["settings", "set", "organisation", "Northern Desk"]);
    let logo = util::fixture("../../icons/32x32.png");
    lab.ok(&["settings", "set", "logo", logo.to_str().unwrap()]);
    let shown: serde_json::Value = serde_json::from_str(&lab.ok(&["settings", "show", "--json"]).stdout).unwrap();
    assert_eq!(shown["page_size"], "letter");
    assert_eq!(shown["accent"], "#1F4E79");
    assert_eq!(shown["organisation"], "Northern Desk");
    assert_eq!(shown["logo"], "logo.png");
    assert_eq!(std::fs::read(lab.data().join("branding/logo.png")).unwrap(), std::fs::read(&logo).unwrap());

    // Exports take the page size and branding from the settings.
    lab.ok(&["import", samples()[0].to_str().unwrap()]);
    let pdf = lab.path("brief.pdf");
    lab.ok(&["export", "BW-2026-0001", "--out", pdf.to_str().unwrap()]);
    if let Some(text) = util::pdftotext_all(&pdf) {
        assert!(text.contains("Northern Desk"), "{text}");
    }
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output();
    if let Ok(info) = info {
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    }

    // Bad values: one sentence, exit 1, nothing changed.
    let before = std::fs::read(lab.data().join("settings.json")).unwrap();
    let readme = lab.write("logo.png", "not an image");
    for (args, says) in [
        (vec!["settings", "set", "page-size", "folio"], "is not a page size"),
        (vec!["settings", "set", "accent", "red"], "is not a colour"),
        (vec!["settings", "set", "tlp", "purple"], "is not a TLP label"),
        (vec!["settings", "set", "logo", readme.to_str().unwrap()], "is not a PNG or JPEG image"),
    ] {
        let r = lab.run(&args);
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }
    assert_eq!(std::fs::read(lab.data().join("settings.json")).unwrap(), before);
    assert_eq!(lab.run(&["settings", "set", "colour", "x"]).code, 2);

    lab.ok(&["settings", "unset", "logo"]);
    assert!(!lab.data().join("branding/logo.png").exists());
}
