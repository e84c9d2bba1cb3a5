"""The structured editor: every part of a report is stored, survives reopening and a restart,
and the revision history restores an earlier state."""

from __future__ import annotations

import re

import pytest

import report_form
from bw import App, tid

pytestmark = pytest.mark.contract


def library_ids(app: App) -> set[str]:
    return {row.get_attribute("data-id") for row in app.rows()}


def create_report(app: App) -> set[str]:
    """Opens a new report in the editor; returns the ids the library had before."""
    app.wait_for(tid("library"))
    before = library_ids(app)
    app.click(tid("new-report"))
    app.wait_for(tid("editor"))
    return before


def new_id(app: App, before: set[str]) -> str:
    """Back in the library: the id of the one report that was not there before."""
    added = app.wait_until("the new report's row", lambda: library_ids(app) - before)
    assert len(added) == 1, f"one new report, not {added}"
    return added.pop()


def test_every_part_of_a_report_is_stored(app: App):
    before = create_report(app)
    initial = report_form.read(app)
    report_form.fill(app, report_form.FULL_REPORT)
    want = report_form.expected(report_form.FULL_REPORT, initial)
    assert report_form.read(app) == want, "the editor shows what was typed"
    app.wait_saved()

    # The Markdown preview formats the BLUF's bold and italic text (as elements, not markup).
    previews = app.find_all(tid("markdown-preview"))
    if previews:
        app.wait_until(
            "bold text in the Markdown preview",
            lambda: any(p.find_elements("css selector", "strong") for p in app.find_all(tid("markdown-preview"))),
        )

    app.back_to_library()
    report_id = new_id(app, before)
    row = app.row_for(report_id)
    assert report_form.FULL_REPORT["field-title"] in row.text
    assert "BW-" in row.text, f"the row shows the report number: {row.text!r}"

    app.open_report(report_id)
    assert report_form.read(app) == want, "reopened, the report shows every value"

    app.restart()
    app.open_report(report_id)
    assert report_form.read(app) == want, "after a restart, the report shows every value"
    stored = app.invoke("get_report", {"id": report_id})
    assert stored["report"]["title"] == report_form.FULL_REPORT["field-title"]
    assert stored["report"]["recommendations"][-2:] == report_form.FULL_REPORT["recommendations"]


def test_history_restores_an_earlier_title(app: App):
    first, second = "Ledger of the first title", "Ledger of the second title"
    before = create_report(app)
    app.type_into(tid("field-title"), first)
    app.wait_saved()
    app.type_into(tid("field-title"), second)
    app.wait_saved()
    app.back_to_library()
    report_id = new_id(app, before)
    app.open_report(report_id)
    assert app.value(tid("field-title")) == second

    # Which stored revision holds the first title (newest first, as the app lists them).
    revisions = app.invoke("list_revisions", {"id": report_id})
    numbers = [r["revision"] for r in revisions]
    titles = {n: app.invoke("get_revision", {"id": report_id, "revision": n})["title"] for n in numbers}
    wanted = next(n for n in numbers if titles[n] == first)
    assert titles[numbers[0]] == second

    app.click(tid("history-button"))
    app.wait_until("the revision rows", lambda: len(app.find_all(tid("revision"))) >= 2)
    row = revision_row(app, wanted, numbers)
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    inside = app.find_all(tid("restore-revision"), row)
    if inside:
        inside[0].click()
    else:
        row.click()
        app.click(tid("restore-revision"))
    app.wait_until("the restored title", lambda: app.value(tid("field-title")) == first)
    app.wait_saved()
    app.wait_until(
        "the restore stored as a new revision",
        lambda: app.invoke("get_report", {"id": report_id})["report"]["title"] == first,
    )


def revision_row(app: App, wanted: int, numbers: list[int]):
    """The history row of revision `wanted`: by a data-revision attribute, else by the number in
    its text ("revision 2", "r2", "#2"), else by position when the list shows every revision in
    the app's order (newest first)."""
    rows = app.find_all(tid("revision"))
    marked = [r for r in rows if r.get_attribute("data-revision") == str(wanted)]
    if marked:
        return marked[0]
    pattern = re.compile(rf"(?:revision|rev\.?|\br|#)\s*{wanted}\b", re.IGNORECASE)
    named = [r for r in rows if pattern.search(r.text)]
    if len(named) == 1:
        return named[0]
    assert len(rows) == len(numbers), f"cannot tell revision {wanted} among rows {[r.text for r in rows]}"
    return rows[numbers.index(wanted)]


# Does a field show its text right to left? Its resolved direction, by :dir() where the engine
# knows it, else by the computed style.
DIRECTION = """
const el = arguments[0];
try { if (el.matches(':dir(rtl)')) return 'rtl'; if (el.matches(':dir(ltr)')) return 'ltr'; } catch (e) {}
return getComputedStyle(el).direction;
"""


def test_right_to_left_text_is_typed_and_shown_right_to_left(app: App):
    before = create_report(app)
    title = app.type_into(tid("field-title"), "Port congestion")
    assert app.d.execute_script(DIRECTION, title) == "ltr"
    # Arabic with a number and a Latin name inside: typed as a person would.
    arabic = "قال المتحدث إن 40 سفينة تنتظر في ميناء Jebel Ali منذ أمس."
    bluf = app.type_into(tid("field-bluf"), arabic)
    app.wait_until("the BLUF shown right to left", lambda: app.d.execute_script(DIRECTION, bluf) == "rtl")
    hebrew = app.type_into(tid("field-outlet"), "הארץ")
    app.wait_until("the outlet shown right to left", lambda: app.d.execute_script(DIRECTION, hebrew) == "rtl")
    app.wait_saved()
    app.back_to_library()
    report_id = new_id(app, before)
    assert app.invoke("get_report", {"id": report_id})["report"]["bluf"] == arabic
