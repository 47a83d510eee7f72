"""A person gets a copy of their data through the privacy center, in a real browser.

`gardien demo` builds AMIKEO's company; `gardien serve --with-worker` (what
`make run` starts) serves it. In Chromium the known person fills the form,
types the code the outbox received, the DPO approves (through the API: the
console is not built yet), the worker carries the request out, and the
person opens the e-mailed link, presses the button and gets a zip in which
they find their own account.
"""

from __future__ import annotations

import io
import json
import re
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from demo_server import served_demo
from e2e_browser import chromium

from gardien.demo import COMPANIES

pytestmark = pytest.mark.browser


def _from_outbox(outbox: Path, pattern: str, after: int = 0) -> tuple[str, int]:
    """The first match of ``pattern`` in the e-mails after the ``after`` first ones."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if outbox.exists():
            lines = outbox.read_text("utf-8").splitlines()
            for number, line in enumerate(lines[after:], start=after):
                message = json.loads(line)
                found = re.search(pattern, message.get("subject", "") + message.get("body", ""))
                if found:
                    return found.group(1), number + 1
        time.sleep(0.2)
    raise AssertionError(f"nothing matching {pattern} was e-mailed to {outbox}")


def test_a_person_downloads_their_data_from_the_privacy_center(tmp_path: Path) -> None:
    with served_demo(tmp_path) as demo, chromium() as browser:
        admin_key = (demo.directory / "admin.key").read_text("utf-8").strip()
        email = COMPANIES["amikeo"].known.email
        _walk(browser, demo.base, demo.outbox, email, admin_key)


def _walk(browser: Any, base: str, outbox: Path, email: str, admin_key: str) -> None:
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Espace confidentialité").click()
    page.get_by_label("Obtenir une copie de mes données").check()
    page.get_by_label("Votre adresse e-mail").fill(email)
    page.get_by_role("button", name="Envoyer ma demande").click()
    request_id = page.url.split("?")[0].rsplit("/", 1)[1]
    code, seen = _from_outbox(outbox, r"\b(\d{6})\b")
    page.get_by_label("Le code à 6 chiffres reçu par e-mail").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    assert page.locator("#state").inner_text().startswith("Vérifiée")
    approval = urllib.request.Request(
        f"{base}/api/v1/requests/{request_id}/approve", data=b"{}", method="POST",
        headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(approval, timeout=30) as answer:
        assert json.loads(answer.read())["state"] in ("approved", "in_progress", "completed")
    link, _ = _from_outbox(outbox, r"(http://\S+/downloads/\S+)", after=seen)
    page.reload()
    deadline = time.monotonic() + 60
    while page.locator("#state").inner_text() != "Terminée" and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    assert page.locator("#state").inner_text() == "Terminée"
    page.goto(link)
    assert page.locator("h1").inner_text() == "Vos données"
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Télécharger l’archive").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    assert "summary.html" in archive.namelist()
    accounts = json.loads(archive.read("records/amikeo_app.accounts.json"))
    assert [row["email"] for row in accounts["rows"]] == [email]
    assert errors == [], errors
    page.goto(link)  # a link works once (410: the browser logs it)
    assert "déjà utilisé" in page.locator("h1").inner_text()
    context.close()
