"""A person's requests on the demo company, from the privacy center to the DPO's console,
in a real browser.

`gardien demo` builds AMIKEO's company (with the DPO's console account it prints);
`gardien serve --with-worker` (what `make run` starts) serves it. In Chromium the known
person fills the form and types the code the outbox received; the DPO signs in to the
console, finds the request in the queue, opens it and approves it; the worker carries it
out. For access, the person opens the e-mailed link, presses the button and finds their
own account in the zip. For erasure, the company's database no longer holds the person's
rows, except the invoices the declaration keeps under a legal hold, and the console's
request page says what was deleted and what was kept. Every console page passes axe-core,
and the sign-in form is used with the keyboard alone. Screenshots of the console go to
``GARDIEN_SCREENSHOTS`` when it names a directory.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo_server import ServedDemo, served_demo
from e2e_browser import chromium, screenshot, serious_violations
from sqlalchemy import create_engine, text

from gardien.demo import COMPANIES

pytestmark = pytest.mark.browser

EMAIL = COMPANIES["amikeo"].known.email
ADMIN = ("admin@demo.example", "a long enough passphrase for the boss")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDemo]:
    with served_demo(tmp_path_factory.mktemp("console-demo")) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


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


def _mails(outbox: Path) -> int:
    return len(outbox.read_text("utf-8").splitlines()) if outbox.exists() else 0


def _ask(page: Any, demo: ServedDemo, kind_label: str) -> tuple[str, int]:
    """The known person asks from the privacy center and types the code: the request's id
    and the e-mails seen so far."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    seen = _mails(demo.outbox)
    page.goto(f"{demo.base}/")
    page.get_by_role("link", name="Espace confidentialité").click()
    page.get_by_label(kind_label).check()
    page.get_by_label("Votre adresse e-mail").fill(EMAIL)
    page.get_by_role("button", name="Envoyer ma demande").click()
    request_id = page.url.split("?")[0].rsplit("/", 1)[1]
    code, seen = _from_outbox(demo.outbox, r"\b(\d{6})\b", after=seen)
    page.get_by_label("Le code à 6 chiffres reçu par e-mail").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    assert page.locator("#state").inner_text().startswith("Vérifiée")
    assert errors == [], errors
    return request_id, seen


def _console_sign_in(page: Any, demo: ServedDemo, email: str, password: str) -> None:
    page.goto(f"{demo.base}/console/login?lang=fr")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    assert page.locator("h1").inner_text() == "Demandes des personnes"


def _approve_in_console(browser: Any, demo: ServedDemo, request_id: str, shots: str) -> Any:
    """The DPO signs in, finds the request in the queue, opens it, approves it: the page."""
    email, password = (demo.directory / "console-login.txt").read_text("utf-8").split()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{demo.base}/console")  # not signed in: sent to the sign-in page
    assert page.url.startswith(f"{demo.base}/console/login")
    if shots:
        screenshot(page, "console-login-fr")
    _console_sign_in(page, demo, email, password)
    row = page.locator("tr", has=page.get_by_role("link", name=f"Ouvrir {request_id[:8]}"))
    assert "Identité vérifiée : à décider" in row.inner_text()
    if shots:
        screenshot(page, "console-queue-fr")
    page.get_by_role("link", name=f"Ouvrir {request_id[:8]}").click()
    assert page.locator("#state").inner_text() == "Identité vérifiée : à décider"
    page.get_by_role("button", name="Accepter la demande").click()
    assert "Demande acceptée" in page.get_by_role("status").inner_text()
    assert errors == [], errors
    return page


def _wait_completed(page: Any) -> None:
    deadline = time.monotonic() + 90
    while page.locator("#state").inner_text() != "Terminée" and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    assert page.locator("#state").inner_text() == "Terminée"


def test_a_person_downloads_their_data_once_the_dpo_approved_in_the_console(
    demo: ServedDemo, browser: Any
) -> None:
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    request_id, seen = _ask(page, demo, "Obtenir une copie de mes données")
    _approve_in_console(browser, demo, request_id, shots="")
    link, _ = _from_outbox(demo.outbox, r"(http://\S+/downloads/\S+)", after=seen)
    page.reload()
    _wait_completed(page)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Vos données"
    # axe-core on the download page (GET never spends the link), in a context that lets
    # the test inject it past the page's policy.
    checking = browser.new_context(locale="fr-FR", bypass_csp=True)
    checked = checking.new_page()
    checked.goto(link)
    assert serious_violations(checked) == []
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Télécharger l’archive").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    assert "summary.html" in archive.namelist()
    accounts = json.loads(archive.read("records/amikeo_app.accounts.json"))
    assert [row["email"] for row in accounts["rows"]] == [EMAIL]
    page.goto(link)  # a link works once (410: the browser logs it)
    assert "déjà utilisé" in page.locator("h1").inner_text()
    checked.goto(link)
    assert serious_violations(checked) == []  # the page that says so, too
    checking.close()
    context.close()


def _company_counts(demo: ServedDemo) -> dict[str, int]:
    """The known person's rows in the demo company's database, by table, and the invoices
    of the last ten years (what the legal hold keeps)."""
    engine = create_engine(f"sqlite:///{demo.directory / 'amikeo.db'}")
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3652)).strftime("%Y-%m-%d")
    queries = {
        "accounts": "SELECT count(*) FROM accounts WHERE email = :e",
        "children": "SELECT count(*) FROM child_profiles WHERE account_id IN "
        "(SELECT id FROM accounts WHERE email = :e)",
        "payments": "SELECT count(*) FROM payments WHERE billing_email = :e",
        "payments_held": "SELECT count(*) FROM payments WHERE billing_email = :e "
        "AND paid_at >= :since",
        "archive": "SELECT count(*) FROM payments_archive WHERE billing_email = :e",
    }
    with engine.connect() as conn:
        counts = {
            name: int(conn.execute(text(sql), {"e": EMAIL, "since": since}).scalar_one())
            for name, sql in queries.items()
        }
        counts["people"] = int(conn.execute(text("SELECT count(*) FROM accounts")).scalar_one())
    engine.dispose()
    return counts


def test_an_erasure_approved_in_the_console_leaves_only_what_the_law_keeps(
    demo: ServedDemo, browser: Any
) -> None:
    before = _company_counts(demo)
    assert before["accounts"] == 1 and before["payments_held"] >= 1
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    request_id, _ = _ask(page, demo, "Faire effacer mes données")
    console = _approve_in_console(browser, demo, request_id, shots="yes")
    _wait_completed(page)
    after = _company_counts(demo)
    assert after["accounts"] == 0 and after["children"] == 0
    # The invoices stay (ten years, Code de commerce L123-22), in the table or its archive.
    assert after["payments"] + after["archive"] >= before["payments_held"]
    assert after["people"] == before["people"] - 1  # nobody else's account went
    console.reload()
    assert console.locator("#state").inner_text() == "Terminée"
    records = console.locator("table", has_text="Lignes trouvées").inner_text()
    assert "amikeo_app.accounts" in records
    assert "Conservé au titre d’une obligation légale" in console.content()
    assert EMAIL not in records  # counts, never the values
    screenshot(console, "console-request-fr")
    context.close()


def test_every_console_page_passes_axe_and_signing_in_needs_only_the_keyboard(
    demo: ServedDemo, browser: Any
) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "gardien", "users", "create", ADMIN[0], "--role", "admin",
         "--password-stdin", "--config", str(demo.directory / "privacy.yaml")],
        input=ADMIN[1] + "\n", env=demo.env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # The keyboard alone: Tab to the e-mail field, type, Tab, type, Enter.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{demo.base}/console/login")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("document.activeElement.id") == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.type(ADMIN[0])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(ADMIN[1])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo.base}/console?lang=en")
    context.close()
    # axe-core on each page, signed in as the admin (every section is theirs).
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{demo.base}/console/login")
    found = {"/console/login": serious_violations(page)}
    _console_sign_in(page, demo, *ADMIN)
    request_link = page.locator("a[href^='/console/requests/']").first
    paths = ["/console", "/console/register", "/console/notice", "/console/retention",
             "/console/audit", "/console/keys"]  # fmt: skip
    if request_link.count():
        paths.append(request_link.get_attribute("href").split("?")[0])
    else:  # the queue is empty once the other tests' requests are done: open the last one
        page.goto(f"{demo.base}/console?state=completed")
        paths.append(page.locator("a[href^='/console/requests/']").first.get_attribute(
            "href").split("?")[0])  # fmt: skip
    for path in paths:
        for lang in ("fr", "en"):
            response = page.goto(f"{demo.base}{path}?lang={lang}")
            assert response is not None and response.status == 200, path
            found[f"{path}?lang={lang}"] = serious_violations(page)
    page.goto(f"{demo.base}/console/audit?lang=fr")
    page.get_by_role("button", name="Vérifier la chaîne").click()
    assert "Chaîne intacte" in page.locator("#chain-result").inner_text()
    found["/console/audit/verify"] = serious_violations(page)
    page.goto(f"{demo.base}/console/audit?lang=fr&action=request.transition")
    screenshot(page, "console-audit-fr")
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
