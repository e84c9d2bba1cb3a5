"""Driving the real Briefwright window: tauri-driver + WebKitWebDriver + selenium.

One `App` is one tauri-driver process (with the environment the app must see: its data folder
and the test hooks) and one WebDriver session, i.e. one running app. `restart()` ends both and
starts them again on the same data folder, which is how tests check what survived a restart.

Configuration (environment; `cargo xtask e2e` sets all of them):
  BRIEFWRIGHT_APP      the built app (default: $CARGO_TARGET_DIR/debug/briefwright-desktop)
  TAURI_DRIVER         tauri-driver (default: from PATH, else ~/.cargo/bin/tauri-driver)
  WEBKIT_DRIVER        the native driver (default: /usr/bin/WebKitWebDriver)
  BRIEFWRIGHT_E2E_SHOTS  where screenshots go (default: $CARGO_TARGET_DIR/e2e-shots)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

# How long the app may take to show its first view (a debug build under Xvfb on 2 busy cores).
START_TIMEOUT = 30
# Ordinary waits for the UI to react.
WAIT = 15


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def app_binary() -> Path:
    return Path(os.environ.get("BRIEFWRIGHT_APP", target_dir() / "debug" / "briefwright-desktop"))


def tauri_driver() -> str:
    explicit = os.environ.get("TAURI_DRIVER")
    if explicit:
        return explicit
    found = shutil.which("tauri-driver")
    if found:
        return found
    return str(Path.home() / ".cargo" / "bin" / "tauri-driver")


def webkit_driver() -> str:
    return os.environ.get("WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")


def shots_dir() -> Path:
    path = Path(os.environ.get("BRIEFWRIGHT_E2E_SHOTS", target_dir() / "e2e-shots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tid(name: str) -> str:
    """CSS selector for a data-testid."""
    return f'[data-testid="{name}"]'


# The app is ready once the library view is shown.
LIBRARY = tid("library")


class App:
    """One running Briefwright (through its own tauri-driver) on a given data folder."""

    def __init__(self, data_dir: Path, work_dir: Path, extra_env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.work_dir = work_dir
        self.extra_env = dict(extra_env or {})
        self.driver: webdriver.Remote | None = None
        self._proc: subprocess.Popen | None = None
        self._starts = 0
        data_dir.mkdir(parents=True, exist_ok=True)
        work_dir.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------ lifecycle

    def start(self, ready: str | None = LIBRARY) -> App:
        binary = app_binary()
        if not binary.is_file():
            raise RuntimeError(f"the app is not built: {binary} (cargo xtask e2e builds it)")
        self._starts += 1
        port = free_port()
        native_port = free_port()
        while native_port == port:
            native_port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "BRIEFWRIGHT_DATA_DIR": str(self.data_dir),
                "BRIEFWRIGHT_TEST_HOOKS": "1",
                # Keep the window-state plugin's file and WebKit's storage out of the user's home.
                "XDG_CONFIG_HOME": str(self.work_dir / "config"),
                "XDG_DATA_HOME": str(self.work_dir / "share"),
            }
        )
        env.update(self.extra_env)
        log = open(self.work_dir / f"tauri-driver-{self._starts}.log", "wb")
        self._proc = subprocess.Popen(
            [
                tauri_driver(),
                "--port",
                str(port),
                "--native-port",
                str(native_port),
                "--native-driver",
                webkit_driver(),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: tauri-driver, WebKitWebDriver and the app end together.
            start_new_session=True,
        )
        log.close()
        # tauri-driver listens at once but starts WebKitWebDriver in the background: a session
        # asked for before the native driver listens fails ("client error (Connect)").
        deadline = time.monotonic() + 20
        for p in (port, native_port):
            while True:
                if self._proc.poll() is not None:
                    raise RuntimeError(f"tauri-driver exited ({self._proc.returncode}); see {log.name}")
                try:
                    socket.create_connection(("127.0.0.1", p), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        self._kill()
                        raise RuntimeError(f"tauri-driver or WebKitWebDriver did not listen on {p}; see {log.name}")
                    time.sleep(0.1)
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(binary)})
        connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=f"http://127.0.0.1:{port}"))
        self.driver = webdriver.Remote(command_executor=connection, options=options)
        self.driver.set_script_timeout(60)
        if ready:
            self.wait_for(ready, timeout=START_TIMEOUT)
        return self

    def quit(self) -> None:
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass
            self.driver = None
        self._kill()

    def restart(self, ready: str | None = LIBRARY) -> App:
        self.quit()
        return self.start(ready)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                proc.poll()
                try:
                    os.killpg(pgid, 0)
                except ProcessLookupError:
                    proc.wait()
                    return
                time.sleep(0.1)
        proc.wait()

    # ------------------------------------------------------------ finding

    @property
    def d(self) -> webdriver.Remote:
        assert self.driver is not None, "the app is not running"
        return self.driver

    def find(self, selector: str, root: WebElement | None = None) -> WebElement:
        return (root or self.d).find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector: str, root: WebElement | None = None) -> list[WebElement]:
        return (root or self.d).find_elements(By.CSS_SELECTOR, selector)

    def wait_for(self, selector: str, timeout: float = WAIT, visible: bool = True) -> WebElement:
        """The first element matching `selector`, once it exists (and is displayed)."""

        def found(_):
            for el in self.find_all(selector):
                try:
                    if not visible or el.is_displayed():
                        return el
                except StaleElementReferenceException:
                    pass
            return False

        try:
            return WebDriverWait(self.d, timeout).until(found)
        except TimeoutException:
            raise AssertionError(f"no {'visible ' if visible else ''}element matches {selector} after {timeout} s")

    def wait_gone(self, selector: str, timeout: float = WAIT) -> None:
        try:
            WebDriverWait(self.d, timeout).until(lambda _: not any(e.is_displayed() for e in self.find_all(selector)))
        except TimeoutException:
            raise AssertionError(f"{selector} is still shown after {timeout} s")

    def wait_until(self, what: str, condition, timeout: float = WAIT):
        """Polls `condition()` until it is truthy; fails with `what` (a description) otherwise."""
        last = None

        def check(_):
            nonlocal last
            try:
                last = condition()
            except StaleElementReferenceException:
                return False
            return last

        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.2).until(check)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")

    def click(self, selector: str, root: WebElement | None = None) -> None:
        el = self.find(selector, root) if root is not None else self.wait_for(selector)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()

    # ------------------------------------------------------------ fields

    def type_into(self, target: str | WebElement, text: str) -> WebElement:
        """Replaces a field's text the way a person would: clear it, then type.

        Measured with WebKitWebDriver: a "\n" character is dropped (the Enter key makes the line
        break, so "\n" is sent as Enter), "\t" is the Tab key (focus moves on), and characters
        outside the Basic Multilingual Plane are dropped silently; those are refused here (use
        `paste_into`)."""
        el = self.wait_for(target) if isinstance(target, str) else target
        untypable = sorted({c for c in text if ord(c) > 0xFFFF or 0xE000 <= ord(c) <= 0xF8FF or c in "\t\r"})
        if untypable:
            raise ValueError(f"WebDriver cannot type {untypable!r}: use paste_into")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        # Select-all + delete is what a person does and fires the input event the UI listens to;
        # clear() afterwards (it does not tell the framework) only for what keys cannot remove.
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.DELETE)
        el.clear()
        if text:
            el.send_keys(text.replace("\n", Keys.ENTER))
        return el

    def paste_into(self, target: str | WebElement, text: str) -> WebElement:
        """Puts text into a field as a paste would (one input event). For strings WebDriver cannot
        type: characters outside the Basic Multilingual Plane and the private-use code points that
        WebDriver reads as key codes (U+E000..U+F8FF)."""
        el = self.wait_for(target) if isinstance(target, str) else target
        self.d.execute_script(
            """
            const [el, text] = arguments;
            el.scrollIntoView({block: 'center'});
            el.focus();
            const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
            Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, text);
            el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
            """,
            el,
            text,
        )
        return el

    def choose(self, target: str | WebElement, wanted: str) -> WebElement:
        """Selects the option of a <select> whose value or label is `wanted` (case-insensitive)."""
        el = self.wait_for(target) if isinstance(target, str) else target
        select = Select(el)

        def norm(s: str) -> str:
            return s.strip().lower().removeprefix("tlp:").strip()

        w = norm(wanted)
        for option in select.options:
            if norm(option.get_attribute("value") or "") == w or norm(option.text) == w:
                select.select_by_value(option.get_attribute("value"))
                return el
        raise AssertionError(f"no option {wanted!r} in {[o.text for o in select.options]}")

    def set_field(self, target: str | WebElement, value: str) -> WebElement:
        """Types into an input/textarea, chooses in a select, fills a date input."""
        el = self.wait_for(target) if isinstance(target, str) else target
        tag = el.tag_name.lower()
        if tag == "select":
            return self.choose(el, value)
        if (el.get_attribute("type") or "").lower() == "date":
            # WebKitGTK has no date picker to type into; set it as the picker would.
            return self.paste_into(el, value)
        return self.type_into(el, value)

    def value(self, target: str | WebElement) -> str:
        el = self.wait_for(target, visible=False) if isinstance(target, str) else target
        return self.d.execute_script("return arguments[0].value", el)

    def text(self, target: str | WebElement) -> str:
        el = self.wait_for(target) if isinstance(target, str) else target
        return el.text

    # ------------------------------------------------------------ test hooks (window.__briefwrightTest)

    def hook(self, name: str, *args):
        """Calls `window.__briefwrightTest[name](...args)` and returns what its promise resolves to."""
        self.wait_until(
            "the test hooks (window.__briefwrightTest)",
            lambda: self.d.execute_script("return typeof window.__briefwrightTest === 'object' && window.__briefwrightTest !== null"),
            timeout=START_TIMEOUT,
        )
        result = self.d.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const [name, args] = arguments;
            Promise.resolve()
              .then(() => window.__briefwrightTest[name](...args))
              .then((value) => done({ok: value === undefined ? null : value}),
                    (e) => done({error: String((e && (e.message || e.code)) || e)}));
            """,
            name,
            list(args),
        )
        if "error" in result:
            raise AssertionError(f"__briefwrightTest.{name} failed: {result['error']}")
        return result["ok"]

    def import_directly(self, paths: list[Path | str]) -> list[dict]:
        """Imports files over IPC (setting up a library, not testing import); the library view
        shows them after a restart or a refresh."""
        outcomes = self.invoke("import_files", {"paths": [str(p) for p in paths]})
        refused = [o for o in outcomes if o["error"]]
        assert not refused, refused
        return outcomes

    def import_paths(self, paths: list[Path | str]):
        return self.hook("importPaths", [str(p) for p in paths])

    def attach_paths(self, paths: list[Path | str], figure: int | None = None):
        args = [[str(p) for p in paths]]
        if figure is not None:
            args.append(figure)
        return self.hook("attachPaths", *args)

    def invoke(self, command: str, args: dict | None = None):
        """Calls an app command directly over IPC (what the UI's backend does). For reading state
        the UI does not show, never for driving the UI."""
        result = self.d.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
              .then((v) => done({ok: v === undefined ? null : v}), (e) => done({error: e}));
            """,
            command,
            args or {},
        )
        if "error" in result:
            raise AssertionError(f"{command} failed: {result['error']}")
        return result["ok"]

    # ------------------------------------------------------------ app-level steps

    def wait_saved(self, timeout: float = 30) -> None:
        """Waits until the editor says everything is stored, and stays so for a moment."""
        time.sleep(0.3)
        stable = {"since": None}

        def saved():
            text = self.find(tid("save-state")).text
            if "Saved" not in text:
                stable["since"] = None
                return False
            stable["since"] = stable["since"] or time.monotonic()
            return time.monotonic() - stable["since"] >= 0.6

        self.wait_until('save-state to say "Saved"', saved, timeout=timeout)

    def rows(self) -> list[WebElement]:
        return self.find_all(tid("report-row"))

    def row_for(self, report_id: str) -> WebElement:
        return self.wait_for(f'{tid("report-row")}[data-id="{report_id}"]')

    def open_report(self, report_id: str) -> WebElement:
        """Opens a report from its library row: a click, else Enter on the focused row."""
        row = self.row_for(report_id)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        row.click()
        try:
            return self.wait_for(tid("editor"), timeout=5)
        except AssertionError:
            row = self.row_for(report_id)
            target = (row.find_elements(By.CSS_SELECTOR, "a, button:not([data-testid])") or [row])[0]
            target.send_keys(Keys.ENTER)
            return self.wait_for(tid("editor"))

    def back_to_library(self) -> None:
        self.click(tid("back-to-library"))
        self.wait_for(tid("library"))

    def screenshot(self, name: str) -> Path:
        path = shots_dir() / name
        self.d.get_screenshot_as_file(str(path))
        return path
