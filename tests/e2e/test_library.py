"""The library: search finds exactly the matching report; import reports parser warnings."""

from __future__ import annotations

import pytest

from bw import FIXTURES, App, tid
from test_editor import create_report, new_id

pytestmark = pytest.mark.contract

# The sample reports, and one with three lines the parser cannot place (kept apart from the
# samples, which the brief tests expect to be complete reports).
REPORTS = sorted((FIXTURES / "reports").glob("*.txt")) + [FIXTURES / "import-warnings" / "port-strike-warnings.txt"]
WARNING_FIXTURE = "port-strike-warnings.txt"


def test_search_shows_exactly_the_matching_report(app: App):
    app.import_directly(REPORTS)
    # Imported behind the window's back: open the library again so it lists them.
    app.restart()
    app.wait_until("the imported reports listed", lambda: len(app.rows()) == len(REPORTS) + 1)
    before = create_report(app)
    app.type_into(tid("field-title"), "Quillfeather dossier on harbour cranes")
    app.wait_saved()
    app.back_to_library()
    report_id = new_id(app, before)
    app.wait_until("every report listed", lambda: len(app.rows()) == len(REPORTS) + 2)

    app.type_into(tid("search-input"), "quillfeather")
    app.wait_until("exactly one row", lambda: [r.get_attribute("data-id") for r in app.rows()] == [report_id])
    assert "Quillfeather dossier" in app.rows()[0].text

    app.type_into(tid("search-input"), "zyzzogeton")
    app.wait_until("no row for a word no report has", lambda: app.rows() == [])

    app.type_into(tid("search-input"), "")
    app.wait_until("every report again", lambda: len(app.rows()) == len(REPORTS) + 2)


def test_import_reports_its_result_and_the_parsers_warnings(app: App):
    assert any(p.name == WARNING_FIXTURE for p in REPORTS)
    start = len(app.rows())
    outcome = app.import_paths(REPORTS)
    result = app.wait_for(tid("import-result"))
    app.wait_until("a warning line", lambda: len(app.find_all(tid("import-warning"))) >= 1)
    warnings = [w.text for w in app.find_all(tid("import-warning"))]
    assert any("PURPLE" in w for w in warnings), f"the TLP warning is shown: {warnings}"
    assert any("YYYY-MM-DD" in w for w in warnings), f"the date warning is shown: {warnings}"
    assert app.find_all(tid("import-error")) == [], "every fixture imports"
    assert "Dockworkers" in result.text or WARNING_FIXTURE in result.text, result.text
    app.wait_until("one new row per file", lambda: len(app.rows()) == start + len(REPORTS))
    if isinstance(outcome, list):
        assert [o["error"] for o in outcome] == [None] * len(REPORTS)


def test_import_refuses_a_file_that_is_not_a_report(app: App, tmp_path):
    junk = tmp_path / "not-a-report.txt"
    junk.write_text("Just a shopping list\n- eggs\n- flour\n", encoding="utf-8")
    start = len(app.rows())
    app.import_paths([junk])
    app.wait_for(tid("import-result"))
    app.wait_until("one refused file", lambda: len(app.find_all(tid("import-error"))) == 1)
    text = app.find(tid("import-error")).text
    assert "not-a-report.txt" in text or "BLUF" in text, f"the error names the file or the reason: {text!r}"
    assert len(app.rows()) == start
