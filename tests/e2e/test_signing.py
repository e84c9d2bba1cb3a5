"""Part 2 of the app: create an identity, export the sample report as a signed PDF (checked by
poppler's pdfsig), verify it in the verify view (valid and trusted), a tampered copy (not valid),
and a wrong passphrase (a clear message, nothing written).

The native save/open dialogs are answered through `window.__briefwrightTest.nextDialogPath`
(WebDriver cannot drive native dialogs); everything else is the UI's own path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bw import FIXTURES, App, tid

pytestmark = pytest.mark.contract

NAME = "Ann Analyst"
PASSPHRASE = "correct horse battery staple"


def queue_dialog_answer(app: App, path: Path) -> None:
    app.d.execute_script("window.__briefwrightTest.nextDialogPath = arguments[0]", str(path))


def create_identity(app: App) -> None:
    app.click(tid("nav-settings"))
    app.wait_for(tid("settings-view"))
    app.click(tid("identity-create"))
    app.type_into(tid("identity-name"), NAME)
    app.type_into(tid("identity-passphrase"), PASSPHRASE)
    app.type_into(tid("identity-passphrase2"), PASSPHRASE)
    app.click(tid("identity-submit"))
    app.wait_until("the new identity listed", lambda: any(NAME in r.text for r in app.find_all(tid("identity-row"))))
    app.click(tid("back-to-library"))
    app.wait_for(tid("library"))


def open_export_dialog(app: App) -> None:
    rows = app.rows()
    assert rows, "the sample report is in the library"
    app.open_report(rows[0].get_attribute("data-id"))
    app.wait_saved()
    app.click(tid("export-button"))
    app.wait_for(tid("export-dialog"))


def sign_export(app: App, out: Path, passphrase: str) -> None:
    open_export_dialog(app)
    app.choose(tid("export-identity"), NAME)
    app.type_into(tid("export-passphrase"), passphrase)
    queue_dialog_answer(app, out)
    app.click(tid("export-submit"))


def verify_in_app(app: App, pdf: Path) -> str:
    """Opens the verify view on `pdf`; returns the verdict the view shows."""
    if not app.find_all(tid("verify-view")):
        app.click(tid("nav-verify"))
        app.wait_for(tid("verify-view"))
    queue_dialog_answer(app, pdf)
    app.click(tid("verify-pick"))
    verdict = app.wait_for(tid("verify-verdict"))
    app.wait_until("the verdict for this file", lambda: pdf.name in app.text(tid("verify-view")))
    return verdict.get_attribute("data-verdict")


LIST_ALL = {"query": {"text": "", "tag": None, "entity": None, "tlp": None, "from": None, "to": None, "sort": "auto", "limit": None}}


def test_signed_export_is_valid_for_pdfsig_and_the_verify_view(app: App, tmp_path: Path):
    create_identity(app)
    out = tmp_path / "brief-signed.pdf"
    sign_export(app, out, PASSPHRASE)
    result = app.wait_for(tid("export-result"), timeout=60)
    assert out.exists() and out.stat().st_size > 10_000, "the signed brief was written"
    assert NAME in result.text, result.text

    pdfsig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True)
    assert "Signature is Valid." in pdfsig.stdout, pdfsig.stdout + pdfsig.stderr
    assert "Total document signed" in pdfsig.stdout, pdfsig.stdout

    # The signed export is in the report's record, and the report is marked signed.
    stored = app.invoke("list_reports", LIST_ALL)
    assert stored[0]["status"] == "signed", stored[0]
    exports = app.invoke("list_signed_exports", {"id": stored[0]["id"]})
    assert exports and exports[0]["file_name"] == out.name, exports

    app.d.execute_script("document.querySelector('dialog[open]')?.close()")
    # The signed export is in the report's history, with the signer's certificate fingerprint.
    app.click(tid("history-button"))
    record = app.wait_for(tid("signed-export"))
    assert out.name in record.text and NAME in record.text, record.text
    fingerprint = exports[0]["signer_fingerprint"].upper()
    assert fingerprint[:4] in record.text.upper(), record.text
    app.click(tid("back-to-library"))
    app.wait_for(tid("library"))
    assert verify_in_app(app, out) == "valid"
    app.screenshot("verify-valid.png")

    # One byte changed inside the signed range: the signature no longer holds.
    tampered = tmp_path / "brief-tampered.pdf"
    data = bytearray(out.read_bytes())
    at = data.find(b"/Producer")
    assert at > 0
    data[at + 1] ^= 0x20  # /Producer -> /producer
    tampered.write_bytes(bytes(data))
    verdict = verify_in_app(app, tampered)
    assert verdict != "valid", verdict
    assert verdict in ("invalid", "modified_after_signing"), verdict
    app.screenshot("verify-tampered.png")


def test_a_wrong_passphrase_says_so_and_writes_nothing(app: App, tmp_path: Path):
    create_identity(app)
    out = tmp_path / "never.pdf"
    sign_export(app, out, "not the passphrase")
    error = app.wait_for(tid("export-error"), timeout=30)
    assert "passphrase" in error.text.lower(), error.text
    assert not out.exists(), "nothing is written after a wrong passphrase"
    assert app.find_all(tid("export-result")) == []
    # Nothing was recorded either.
    stored = app.invoke("list_reports", LIST_ALL)
    assert all(r["status"] != "signed" for r in stored)


def test_settings_back_up_and_restore_the_whole_library(app: App, tmp_path: Path):
    import json
    import tarfile

    create_identity(app)
    app.click(tid("nav-settings"))
    app.wait_for(tid("settings-view"))
    out = tmp_path / "library-backup.tar.gz"
    queue_dialog_answer(app, out)
    app.click(tid("backup-library"))
    result = app.wait_for(tid("backup-result"), timeout=60)
    assert "1 report" in result.text and "1 identity" in result.text, result.text
    with tarfile.open(out, "r:gz") as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("briefwright-backup.json"))
    assert "library.sqlite3" in names, names
    assert any(n.startswith("identities/") for n in names), names
    assert manifest["counts"]["reports"] == 1 and manifest["counts"]["identities"] == 1, manifest

    # The library changes after the backup: the sample report is deleted, the grid report imported.
    app.click(tid("back-to-library"))
    app.wait_for(tid("library"))
    sample = app.rows()[0].get_attribute("data-id")
    app.invoke("delete_report", {"id": sample})
    app.import_directly([FIXTURES / "reports" / "grid-cyberattack.txt"])

    # Restore from the window: pick the archive, confirm, and the library is the backed-up one again.
    app.click(tid("nav-settings"))
    app.wait_for(tid("settings-view"))
    queue_dialog_answer(app, out)
    app.click(tid("restore-library"))
    app.click(tid("confirm-restore"))
    restored = app.wait_for(tid("restore-result"), timeout=60)
    assert "1 report" in restored.text and "1 identity" in restored.text, restored.text
    assert "before-restore" in restored.text, restored.text
    app.wait_until("the identity listed again", lambda: any(NAME in r.text for r in app.find_all(tid("identity-row"))))
    app.click(tid("back-to-library"))
    app.wait_for(tid("library"))
    app.wait_until("only the sample report listed", lambda: [r.get_attribute("data-id") for r in app.rows()] == [sample])

    # The library that was replaced is kept beside the data folder, whole.
    aside = [p for p in app.data_dir.parent.iterdir() if p.name.startswith(app.data_dir.name + ".before-restore-")]
    assert len(aside) == 1 and (aside[0] / "library.sqlite3").exists(), aside

    # A file that is not a backup is refused with a clear sentence, and nothing changes.
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a backup")
    app.click(tid("nav-settings"))
    app.wait_for(tid("settings-view"))
    queue_dialog_answer(app, junk)
    app.click(tid("restore-library"))
    app.click(tid("confirm-restore"))
    error = app.wait_for(tid("backup-error"), timeout=60)
    assert "backup" in error.text.lower(), error.text
    assert [r["id"] for r in app.invoke("list_reports", LIST_ALL)] == [sample]
