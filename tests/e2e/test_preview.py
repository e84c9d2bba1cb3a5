"""The live preview: the sample report's brief drawn beside the editor, following unsaved typing,
with page turning and zoom."""

from __future__ import annotations

import pytest

from bw import App, tid

pytestmark = pytest.mark.contract

# The share of the canvas's pixels that carry ink (not near-white), and its drawn size.
INK = """
const c = document.querySelector('[data-testid=preview-page]');
// Not drawn yet: the canvas stays hidden (and blank) until its first page is on it.
if (!c || c.classList.contains('hidden') || c.width < 2) return null;
const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let ink = 0;
for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255 && data[i] < 160 && data[i + 1] < 160 && data[i + 2] < 160) ink++;
return {ink: ink / (data.length / 4), width: c.width, height: c.height,
        cssWidth: c.getBoundingClientRect().width, revision: Number(c.closest('[data-testid=preview]').dataset.revision || 0),
        signature: Array.from(data.filter((_, i) => i % 4093 === 0)).join(',')};
"""


def preview_state(app: App) -> str | None:
    return app.d.execute_script("return document.querySelector('[data-testid=preview]')?.dataset.state")


def painted(app: App) -> dict:
    return app.wait_until("a painted page", lambda: (s := app.d.execute_script(INK)) and s["ink"] > 0 and s)


def test_preview_shows_the_brief_and_follows_typing(app: App):
    app.open_report(app.rows()[0].get_attribute("data-id"))
    app.click(tid("preview-button"))
    app.wait_until("the preview ready", lambda: preview_state(app) == "ready", timeout=60)
    assert app.text(tid("preview-page-label")) == "Page 1 of 2"
    first = painted(app)
    # Text on a white page: a few percent of the pixels carry ink, most are paper.
    assert 0.01 < first["ink"] < 0.3, first
    app.screenshot("preview.png")  # docs/screenshots/app-preview.png

    # Typing into the BLUF (not yet saved) redraws the page with the new words.
    bluf = app.wait_for(tid("field-bluf"))
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", bluf)
    bluf.send_keys(" The harbourmaster expects queues of forty vessels by the end of the month.")
    after = app.wait_until(
        "the page redrawn with the typed words",
        lambda: (s := app.d.execute_script(INK)) and s["signature"] != first["signature"] and s,
        timeout=30,
    )
    assert after["ink"] > first["ink"], "more words, more ink"
    refresh = app.d.execute_script("return Number(document.querySelector('[data-testid=preview]').dataset.refreshMs)")
    assert refresh > 0

    # Page 2, and back.
    app.click(tid("preview-next"))
    app.wait_until("page 2", lambda: app.text(tid("preview-page-label")) == "Page 2 of 2")
    second = app.wait_until(
        "page 2 drawn", lambda: (s := app.d.execute_script(INK)) and s["signature"] != after["signature"] and s
    )
    assert second["ink"] > 0.001
    assert app.find(tid("preview-next")).get_attribute("disabled") is not None
    app.click(tid("preview-prev"))
    app.wait_until("page 1 again", lambda: app.text(tid("preview-page-label")) == "Page 1 of 2")

    # Zoom in: the page is drawn larger, in both CSS and device pixels.
    before = painted(app)
    app.click(tid("preview-zoom-in"))
    zoomed = app.wait_until(
        "a larger page", lambda: (s := app.d.execute_script(INK)) and s["width"] > before["width"] * 1.2 and s
    )
    assert zoomed["cssWidth"] > before["cssWidth"] * 1.2
    assert zoomed["height"] / zoomed["width"] == pytest.approx(841.89 / 595.28, rel=0.01), "A4 proportions"
    app.screenshot("preview-zoomed.png")
