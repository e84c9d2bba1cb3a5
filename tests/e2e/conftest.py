"""Fixtures: a real Briefwright window per test, on a fresh data folder.

Run through `cargo xtask e2e` (or `cargo xtask test`), which builds the app and starts pytest
under `xvfb-run`. By hand, with the app built (`cargo build -p briefwright-desktop --features
custom-protocol` after `npm run build` in ui/):

    xvfb-run -a -s "-screen 0 1280x800x24" ~/.cache/briefwright/venv/bin/python -m pytest tests/e2e
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from bw import LIBRARY, App, shots_dir


def pytest_configure(config):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.exit(
            "the end-to-end tests open real windows: run them under a display, e.g. "
            'xvfb-run -a -s "-screen 0 1280x800x24" python -m pytest tests/e2e (cargo xtask e2e does)',
            returncode=2,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Remembered on the test item so that fixtures can tell, at teardown, whether the test failed.
    setattr(item, f"rep_{report.when}", report)
    return report


def _failed(request) -> bool:
    return any(getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
               for when in ("setup", "call"))


def safe_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)


class Apps:
    """Starts apps for one test and ends them all afterwards (a screenshot of each on failure)."""

    def __init__(self, request, tmp_path):
        self.request = request
        self.tmp_path = tmp_path
        self.started: list[App] = []

    def new(self, name: str = "app", env: dict[str, str] | None = None, ready: str | None = LIBRARY) -> App:
        """A new app on a new, empty data folder (the app adds its sample report there)."""
        app = App(self.tmp_path / name / "data", self.tmp_path / name / "work", env)
        self.started.append(app)
        app.start(ready)
        return app

    def close(self) -> None:
        failed = _failed(self.request)
        for i, app in enumerate(self.started):
            if failed and app.driver is not None:
                safe = safe_name(self.request)
                try:
                    (shots_dir() / "failures").mkdir(exist_ok=True)
                    path = app.screenshot(f"failures/{safe}-{i}.png")
                    print(f"\nscreenshot of the failed test's window: {path}")
                except Exception as e:  # the window may be gone: the failure itself matters more
                    print(f"\nno screenshot of the failed test's window: {e}")
            app.quit()
            if failed:
                # The app's own log (tracing output) comes through tauri-driver's.
                for log in sorted(app.work_dir.glob("tauri-driver-*.log")):
                    (shots_dir() / "failures").mkdir(exist_ok=True)
                    shutil.copy(log, shots_dir() / "failures" / f"{safe_name(self.request)}-{i}-{log.name}")


@pytest.fixture
def apps(request, tmp_path):
    """For tests that need their own start-up (another theme, no wait for the library)."""
    holder = Apps(request, tmp_path)
    yield holder
    holder.close()


@pytest.fixture
def app(apps) -> App:
    """The app, started on a fresh data folder, showing the library."""
    return apps.new()
