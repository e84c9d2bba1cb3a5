"""Screenshots of the library, the editor and the gallery, light and dark, for people to look at
(into $CARGO_TARGET_DIR/e2e-shots/, or BRIEFWRIGHT_E2E_SHOTS). GTK_THEME=Adwaita:dark makes
WebKitGTK report `prefers-color-scheme: dark`."""

from __future__ import annotations

import pytest

from bw import FIXTURES, App, tid

pytestmark = pytest.mark.contract

THEMES = {"light": {"GTK_THEME": "Adwaita"}, "dark": {"GTK_THEME": "Adwaita:dark"}}


@pytest.mark.parametrize("theme", THEMES)
def test_screenshots(apps, theme):
    app: App = apps.new(theme, env=THEMES[theme])
    suffix = "" if theme == "light" else "-dark"
    dark = app.d.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (theme == "dark"), "the window follows the system theme"

    app.import_directly(sorted((FIXTURES / "reports").glob("*.txt")))
    app.restart()
    app.wait_until("the imported reports", lambda: len(app.rows()) >= 3)
    app.screenshot(f"library{suffix}.png")

    canal = next(r.get_attribute("data-id") for r in app.rows() if "Canal Authority" in r.text)
    app.open_report(canal)
    app.screenshot(f"editor{suffix}.png")

    gallery = app.wait_for(tid("gallery"))
    app.attach_paths([FIXTURES / "images" / "rocket.jpg", FIXTURES / "images" / "chelsea.png"])
    app.wait_until(
        "two loaded thumbnails",
        lambda: app.d.execute_script(
            """return [...document.querySelectorAll('[data-testid="figure-thumb"]')]
                 .filter((i) => i.complete && i.naturalWidth > 0).length >= 2"""
        ),
    )
    app.d.execute_script("arguments[0].scrollIntoView({block: 'start'})", gallery)
    app.screenshot(f"gallery{suffix}.png")
