"""Hostile text: the Big List of Naughty Strings and script-injection probes in every text field.

What is checked: every string comes back exactly (after a save and a restart, in the editor and in
the stored report), no probe runs (`window.__pwned` stays undefined), and the editor holds no
<script>, <img> or <svg> element beyond those it has for a harmless report of the same shape.

How the strings get in:
- All 488 strings of tests/fixtures/naughty/blns.txt (its comment lines left out) are spread over
  the text fields, about 25 per field, each field's share preceded by the XSS probes. They are
  pasted (one input event per field, `App.paste_into`): WebDriver cannot type characters outside
  the Basic Multilingual Plane nor the private-use code points it reads as keys, and typing
  17,000 characters one key at a time would take minutes.
- The title and the notes get the XSS probes by real keystrokes (`send_keys`).

Known normalisations, all the browser's (the core stores text exactly as given: src/model.rs
and src/store/ neither trim nor normalise Unicode): a single-line <input> drops CR and LF, and a
<input type=url> also drops leading and trailing whitespace; a <textarea> turns CRLF and CR into
LF. No naughty line holds CR or LF, and every field's text starts and ends with a marker, so the
expected value of every field is exactly the text put in. Strings in a single-line field are
joined with " ¦ ", in a multi-line field with line breaks.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from bw import FIXTURES, App, tid
from test_editor import create_report, new_id

pytestmark = pytest.mark.contract

PROBES = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    '"><svg onload=window.__pwned=1>',
]


def naughty_strings() -> list[str]:
    text = (FIXTURES / "naughty" / "blns.txt").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#")]


# Single fields that take text (selects and the date are left alone).
TEXT_FIELDS = [
    "field-headline",
    "field-outlet",
    "field-url",
    "field-author",
    "field-banner",
    "field-bluf",
    "field-intro",
    "field-implications",
    "field-outlook",
]
TYPED_FIELDS = ["field-title", "field-notes"]
# Inside list items: (add button, item, its text fields).
ITEMS = [
    ("add-technique", "technique", ["technique-name", "technique-body"]),
    ("add-technique", "technique", ["technique-body", "scenario-best", "scenario-worst", "scenario-likely"]),
    ("add-recommendation", "recommendation", [None]),
    ("add-recommendation", "recommendation", [None]),
    ("add-entity", "entity", ["entity-name", "entity-role"]),
]
TAGS = ["<script>window.__pwned=1</script>", "Ω≈ç√∫ 田中さん 👾 ﷽"]
SCENARIO = "Scenario Generation"


def is_multiline(app: App, el) -> bool:
    return el.tag_name.lower() == "textarea" or app.d.execute_script("return arguments[0].isContentEditable", el)


def compose(app: App, el, label: str, strings: list[str]) -> str:
    parts = PROBES + strings
    if is_multiline(app, el):
        return f"⟦{label}⟧\n" + "\n".join(parts) + "\n⟦end⟧"
    return f"⟦{label}⟧ " + " ¦ ".join(parts) + " ⟦end⟧"


def add_item(app: App, button: str, item: str):
    before = len(app.find_all(tid(item)))
    app.click(tid(button))
    app.wait_until(f"a new {item}", lambda: len(app.find_all(tid(item))) == before + 1)
    return app.find_all(tid(item))[-1]


def text_targets(app: App, benign: bool) -> list[tuple[str, object]]:
    """Builds the report's structure and returns every text field to fill, with a label."""
    targets = [(name, app.wait_for(tid(name))) for name in TEXT_FIELDS]
    for i, (button, item, fields) in enumerate(ITEMS):
        el = add_item(app, button, item)
        if "scenario-best" in fields:
            app.set_field(app.find(tid("technique-name"), el), SCENARIO)
            el = app.find_all(tid(item))[-1]
            app.wait_until("the scenario fields", lambda: app.find_all(tid("scenario-best"), el))
        for field in fields:
            target = el if field is None else app.find(tid(field), el)
            if field == "technique-name" and target.tag_name.lower() == "select":
                app.choose(target, "Key Assumptions Check")  # a list of names: nothing to type
                continue
            targets.append((f"{item}{i}:{field or item}", target))
    return targets


def hostile_dom(app: App) -> dict:
    """Counts what must not come from report text, in the editor and the whole document."""
    return app.d.execute_script(
        """
        const editor = document.querySelector('[data-testid="editor"]') || document.body;
        const all = [...document.querySelectorAll('*')];
        return {
          pwned: typeof window.__pwned,
          script: editor.querySelectorAll('script').length,
          img: editor.querySelectorAll('img').length,
          svg: editor.querySelectorAll('svg').length,
          iframe: document.querySelectorAll('iframe, object, embed').length,
          handlers: all.filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
          jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => !/^(https?:|mailto:|#)/i.test(a.getAttribute('href'))).length,
          imgSources: [...editor.querySelectorAll('img')].map((i) => i.getAttribute('src') || '').filter((s) => !s.startsWith('blob:')),
        };
        """
    )


def fill_report(app: App, benign: bool) -> dict[str, str]:
    """Fills a new report; returns label -> expected value."""
    targets = text_targets(app, benign)
    strings = naughty_strings()
    share = -(-len(strings) // len(targets))
    want: dict[str, str] = {}
    for i, (label, el) in enumerate(targets):
        chunk = strings[i * share : (i + 1) * share]
        value = f"plain text for {label}" if benign else compose(app, el, label, chunk)
        app.paste_into(el, value)
        want[label] = value
    for name in TYPED_FIELDS:
        value = f"plain {name}" if benign else "⟦typed⟧ " + " ".join(PROBES) + " ⟦end⟧"
        app.type_into(tid(name), value)
        want[name] = value
    for tag in TAGS:
        value = tag if not benign else "plain tag " + str(TAGS.index(tag))
        field = app.wait_for(tid("tag-input"))
        app.paste_into(field, value)
        field.send_keys(Keys.ENTER)
        want[f"tag:{value}"] = value
    return want


def read_back(app: App, want: dict[str, str]) -> dict[str, str]:
    """Reads the same labels back from the open editor."""
    got = {name: app.value(tid(name)) for name in TEXT_FIELDS + TYPED_FIELDS}
    items = {"technique": app.find_all(tid("technique")), "recommendation": app.find_all(tid("recommendation")),
             "entity": app.find_all(tid("entity"))}
    for label in want:
        if ":" not in label or label.startswith("tag:"):
            continue
        head, field = label.split(":", 1)
        item = head.rstrip("0123456789")
        index = int(head[len(item):])
        # Index among items of the same kind, in the order ITEMS added them.
        nth = [k for k, (_, it, _) in enumerate(ITEMS) if it == item].index(index)
        el = items[item][nth]
        got[label] = app.value(el if field == item else app.find(tid(field), el))
    chips = [el.text.strip().removesuffix("×").removesuffix("✕").strip() for el in app.find_all(tid("tag"))]
    for label, value in want.items():
        if label.startswith("tag:"):
            got[label] = value if value in chips else f"(missing; chips: {chips})"
    return got


def test_naughty_strings_survive_and_never_run(app: App):
    # A harmless report of the same shape: what the editor's own elements are.
    before = create_report(app)
    fill_report(app, benign=True)
    app.wait_saved()
    baseline = hostile_dom(app)
    app.back_to_library()
    benign_id = new_id(app, before)

    before |= {benign_id}
    create_report(app)
    want = fill_report(app, benign=False)
    app.wait_saved()
    assert read_back(app, want) == want, "the editor holds every string as put in"
    assert hostile_dom(app) == baseline, "nothing from the report text became markup"

    app.back_to_library()
    report_id = new_id(app, before)
    assert app.d.execute_script("return typeof window.__pwned") == "undefined"

    app.restart()
    assert app.d.execute_script("return typeof window.__pwned") == "undefined", "the library view ran a probe"
    app.open_report(report_id)
    got = read_back(app, want)
    lost = {k: (want[k], got.get(k)) for k in want if got.get(k) != want[k]}
    assert not lost, f"{len(lost)} fields changed after a restart: {lost}"
    assert hostile_dom(app) == baseline, "nothing from the report text became markup after a restart"

    stored = app.invoke("get_report", {"id": report_id})["report"]
    assert stored["title"] == want["field-title"]
    assert stored["notes"] == want["field-notes"]
    assert stored["source"]["headline"] == want["field-headline"]
    assert stored["bluf"] == want["field-bluf"]
    assert stored["recommendations"] == [want["recommendation2:recommendation"], want["recommendation3:recommendation"]]
    assert [e["name"] for e in stored["entities"]] == [want["entity4:entity-name"]]
    assert stored["tags"] == TAGS
    stored_text = "\n".join(strings_in(stored))
    missing = [s for s in naughty_strings() if s not in stored_text]
    assert not missing, f"{len(missing)} naughty strings are not in the stored report: {missing[:5]}"


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []
