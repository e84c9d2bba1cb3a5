"""Filling and reading the whole report editor through the selector contract.

A report form's content is a plain dict (see `FULL_REPORT`); `fill()` writes it into the editor
field by field the way a person would, `read()` reads the same shape back, so a test compares
dicts. `put` chooses how text gets into a field: `App.type_into` (keystrokes) or `App.paste_into`.
"""

from __future__ import annotations

import copy

from selenium.webdriver.common.keys import Keys

from bw import App, tid

SCENARIO_TECHNIQUE = "Scenario Generation"

# Single fields: contract selector -> value. Selects are compared case-insensitively.
SIMPLE_FIELDS = [
    "field-title",
    "field-headline",
    "field-outlet",
    "field-url",
    "field-published",
    "field-author",
    "field-tlp",
    "field-banner",
    "field-confidence",
    "field-bluf",
    "field-intro",
    "field-implications",
    "field-outlook",
    "field-notes",
]
SELECTS = {"field-tlp", "field-confidence", "entity-kind"}

FULL_REPORT = {
    "field-title": "Intelligence Report: Harbour Cranes Idle After a Software Fault",
    "field-headline": "Harbour cranes idle after software fault",
    "field-outlet": "Port Gazette",
    "field-url": "https://example.org/news/cranes-idle",
    "field-published": "2026-05-04",
    "field-author": "J. Okafor",
    "field-tlp": "GREEN",
    "field-banner": "UNCLASSIFIED // EXERCISE",
    "field-confidence": "moderate",
    "field-bluf": "**Cranes** at the northern terminal stopped for *nine hours*.\n\nA second paragraph.",
    "field-intro": "Two techniques were applied to the **operator's** statement.",
    "techniques": [
        {
            "technique-name": "Key Assumptions Check",
            "technique-body": "- The fault was **accidental**.\n- No data was taken.",
        },
        {
            "technique-name": SCENARIO_TECHNIQUE,
            "technique-body": "Three **cases** were drawn up.",
            "scenario-best": "The patch holds and traffic recovers within a day.",
            "scenario-worst": "The fault recurs during the harvest export peak.",
            "scenario-likely": "Short stoppages continue for two weeks.",
        },
    ],
    "field-implications": "Shippers may **reroute** to the southern port.",
    "recommendations": ["Audit the crane control firmware.", "Brief the port authority."],
    "field-outlook": "Normal operations are **likely** within a fortnight.",
    "entities": [
        {"entity-name": "Northport Terminals", "entity-kind": "organization", "entity-role": "terminal operator"},
        {"entity-name": "Ada Brenner", "entity-kind": "person", "entity-role": "harbour master"},
    ],
    "tags": ["ports", "software fault"],
    "field-notes": "Source: the operator's **press office**, called back on 5 May.",
}

TECHNIQUE_FIELDS = ["technique-name", "technique-body"]
SCENARIO_FIELDS = ["scenario-best", "scenario-worst", "scenario-likely"]
ENTITY_FIELDS = ["entity-name", "entity-kind", "entity-role"]


def _set(app: App, el, value: str, put) -> None:
    if el.tag_name.lower() == "select" or (el.get_attribute("type") or "").lower() == "date":
        app.set_field(el, value)
    else:
        put(el, value)


def _add(app: App, button: str, item: str):
    """Clicks an add-button and returns the item it added (the new last one)."""
    before = len(app.find_all(tid(item)))
    app.click(tid(button))
    app.wait_until(f"a new {item}", lambda: len(app.find_all(tid(item))) == before + 1)
    return app.find_all(tid(item))[-1]


def fill(app: App, form: dict, put=None) -> None:
    """Writes `form` into the open editor. Lists (techniques, recommendations, entities, tags)
    are added after whatever the report already has."""
    put = put or app.type_into
    for name in SIMPLE_FIELDS:
        if name in form:
            _set(app, app.wait_for(tid(name)), form[name], put)
    for tech in form.get("techniques", []):
        el = _add(app, "add-technique", "technique")
        _set(app, app.find(tid("technique-name"), el), tech["technique-name"], put)
        # The name decides the section's shape (scenarios): find the section again after it.
        el = app.find_all(tid("technique"))[-1]
        _set(app, app.find(tid("technique-body"), el), tech["technique-body"], put)
        if any(k in tech for k in SCENARIO_FIELDS):
            app.wait_until("the scenario fields", lambda: app.find_all(tid("scenario-best"), app.find_all(tid("technique"))[-1]))
            el = app.find_all(tid("technique"))[-1]
            for k in SCENARIO_FIELDS:
                _set(app, app.find(tid(k), el), tech[k], put)
    for rec in form.get("recommendations", []):
        _set(app, _add(app, "add-recommendation", "recommendation"), rec, put)
    for ent in form.get("entities", []):
        el = _add(app, "add-entity", "entity")
        for k in ENTITY_FIELDS:
            _set(app, app.find(tid(k), el), ent[k], put)
    for tag in form.get("tags", []):
        before = len(app.find_all(tid("tag")))
        field = app.wait_for(tid("tag-input"))
        put(field, tag)
        field.send_keys(Keys.ENTER)
        app.wait_until(f"the tag chip {tag!r}", lambda: len(app.find_all(tid("tag"))) == before + 1)


def _read(app: App, el, name: str) -> str:
    value = app.value(el)
    return value.lower() if name in SELECTS else value


def read(app: App, shape: dict = FULL_REPORT) -> dict:
    """Reads the open editor into a dict of the same shape as `shape` (the keys it has)."""
    out: dict = {}
    for name in SIMPLE_FIELDS:
        if name in shape:
            out[name] = _read(app, app.wait_for(tid(name), visible=False), name)
    if "techniques" in shape:
        out["techniques"] = []
        for el in app.find_all(tid("technique")):
            tech = {k: _read(app, app.find(tid(k), el), k) for k in TECHNIQUE_FIELDS}
            if app.find_all(tid("scenario-best"), el):
                tech.update({k: _read(app, app.find(tid(k), el), k) for k in SCENARIO_FIELDS})
            out["techniques"].append(tech)
    if "recommendations" in shape:
        out["recommendations"] = [app.value(el) for el in app.find_all(tid("recommendation"))]
    if "entities" in shape:
        out["entities"] = [
            {k: _read(app, app.find(tid(k), el), k) for k in ENTITY_FIELDS} for el in app.find_all(tid("entity"))
        ]
    if "tags" in shape:
        out["tags"] = [chip_text(el.text) for el in app.find_all(tid("tag"))]
    return out


def chip_text(text: str) -> str:
    """A tag chip's label without its remove control's glyph."""
    return text.strip().removesuffix("×").removesuffix("✕").strip()


def expected(form: dict, before: dict | None = None) -> dict:
    """What `read()` should give after `fill(form)` on an editor that showed `before`."""
    want = copy.deepcopy(form)
    for name in SELECTS:
        if name in want:
            want[name] = want[name].lower()
    for tech in want.get("techniques", []):
        for k in SELECTS & tech.keys():
            tech[k] = tech[k].lower()
    for ent in want.get("entities", []):
        ent["entity-kind"] = ent["entity-kind"].lower()
    if before:
        for key in ("techniques", "recommendations", "entities", "tags"):
            if key in want:
                want[key] = before.get(key, []) + want[key]
    return want
