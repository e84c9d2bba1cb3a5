"""Attaching an image through the gallery's own code path (the test hook replaces the file dialog)."""

from __future__ import annotations

import pytest

from bw import FIXTURES, App, tid
from test_editor import create_report

pytestmark = pytest.mark.contract

ROCKET = FIXTURES / "images" / "rocket.jpg"


def thumb_loaded(app: App, img) -> bool:
    return app.d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)


def test_an_attached_image_shows_as_a_figure_with_a_thumbnail(app: App):
    create_report(app)
    app.wait_for(tid("gallery"))
    assert app.find_all(tid("figure")) == [], "a new report has no figures"
    app.attach_paths([ROCKET])
    app.wait_until("one figure", lambda: len(app.find_all(tid("figure"))) == 1)
    figure = app.find(tid("figure"))
    thumb = app.find(tid("figure-thumb"), figure)
    assert thumb.tag_name.lower() == "img"
    app.wait_until("the thumbnail to load", lambda: thumb_loaded(app, thumb))
    src = thumb.get_attribute("src") or ""
    assert src.startswith("blob:"), f"thumbnails are blob: URLs (CSP img-src 'self' blob:), not {src[:40]!r}"
    assert app.find_all(tid("gallery-error")) == [] or not any(e.is_displayed() for e in app.find_all(tid("gallery-error")))
    app.wait_saved()
