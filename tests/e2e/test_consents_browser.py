"""A person manages their consents in the privacy center, in a real browser (Debian's Chromium).

`gardien serve` and `gardien worker` run on a declaration with the company's
colours. The person asks for a sign-in code, types the one the worker wrote
to the outbox, gives their consent to the newsletter then withdraws it; after
each, the consent check API (`POST /api/v1/checks`, with the product's key)
changes its answer. The receipt of a change downloads as a JSON file. Every
new page passes axe-core with no serious or critical violation, and no page
logs a console error (a resource the Content-Security-Policy refused would
be one). Screenshots go to ``GARDIEN_SCREENSHOTS`` when it names a directory.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_browser import chromium, screenshot, serious_violations

pytestmark = pytest.mark.browser

EMAIL = "claire.martin@example.com"


#: The e2e conftest's ``Server`` (taken through fixtures: importing ``conftest`` by name
#: finds whichever conftest module was loaded first).
Server = Any


@pytest.fixture
def branded(
    server_env: dict[str, str],
    tmp_path: Path,
    write_declaration: Callable[..., Path],
    server_factory: Callable[[dict[str, str], Path], Any],
) -> Iterator[Server]:
    def colours(data: dict[str, Any]) -> None:
        data["branding"] = {"primary_colour": "#0b5d3b", "logo_text": "Example"}

    env = {**server_env, "GARDIEN_CONFIG": str(write_declaration(colours, "branded.yaml"))}
    server = server_factory(env, tmp_path)
    worker = subprocess.Popen(
        [sys.executable, "-m", "gardien", "worker"],
        env={**env, "GARDIEN_WORKER_POLL_SECONDS": "0.2"}, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    yield server
    for process in (worker, server.process):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _code_for(server: Server, address: str) -> str:
    outbox = Path(server.env["GARDIEN_CONFIG"]).parent / "outbox.jsonl"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if outbox.exists():
            for line in reversed(outbox.read_text("utf-8").splitlines()):
                message = json.loads(line)
                found = re.search(r"\b(\d{6})\b", message["subject"])
                if message["to"] == [address] and found:
                    return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no code reached {address} in 30 s")


def _allowed(server: Server, key: str) -> bool:
    answer = server.request(
        "POST", "/api/v1/checks", {"identity": {"email": EMAIL}, "purpose": "newsletter"},
        headers={"Authorization": f"Bearer {key}"},
    )  # fmt: skip
    assert answer.status == 200, answer.body
    allowed: bool = answer.json()["allowed"]
    return allowed


def _serious(context: Any, url: str) -> list[str]:
    """axe-core's serious or critical violations on ``url`` (the context bypasses the CSP,
    only so the test can inject axe)."""
    page = context.new_page()
    page.goto(url)
    found = serious_violations(page)
    page.close()
    return found


def test_a_person_gives_then_withdraws_a_consent_and_the_check_follows(
    branded: Server, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{branded.base_port}"
    key = branded.new_key("service")
    assert _allowed(branded, key) is False
    with chromium() as browser:
        context = browser.new_context(locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/privacy-center/consents")
        screenshot(page, "consents-sign-in-fr")
        page.get_by_label("Votre adresse e-mail").fill(EMAIL)
        page.get_by_role("button", name="Recevoir un code").click()
        assert "un code vient d’y être envoyé" in page.locator("p.notice").inner_text()
        page.get_by_label("Le code à 6 chiffres reçu par e-mail").fill(_code_for(branded, EMAIL))
        page.get_by_role("button", name="Me connecter").click()
        assert page.locator("#state-newsletter").inner_text() == "Aucun consentement enregistré."

        page.get_by_role("button", name="Donner mon consentement").click()
        assert page.locator("#done").inner_text().startswith("C’est fait")
        assert page.locator("#state-newsletter").inner_text().startswith("Consentement donné le")
        assert _allowed(branded, key) is True
        screenshot(page, "consents-fr")

        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("Télécharger le reçu")).first.click()
        receipt = json.loads(Path(download.value.path()).read_text("utf-8"))
        assert receipt["version"] == "KI-CR-v1.1.0" and receipt["gardien"]["kind"] == "given"
        assert receipt["language"] == "fr"

        page.get_by_role("button", name="Retirer mon consentement").click()
        assert page.locator("#state-newsletter").inner_text().startswith("Consentement retiré le")
        assert _allowed(branded, key) is False

        page.goto(f"{base}/privacy-center/notice?lang=en")
        heading = page.locator("h1").first.inner_text()
        assert heading and page.evaluate("document.documentElement.lang") == "en"
        band = page.evaluate(
            "getComputedStyle(document.querySelector('header.site')).backgroundColor"
        )
        assert band == "rgb(11, 93, 59)"  # #0b5d3b, from branding:
        screenshot(page, "notice-branded-en", full_page=False)  # its top: the notice is long
        assert errors == []

        # axe-core on each new page, with this person's session in a context that lets
        # the test inject axe.
        checking = browser.new_context(locale="fr-FR", bypass_csp=True)
        checking.add_cookies(context.cookies())
        for path in ("/privacy-center/consents", "/privacy-center/consents?lang=en",
                     "/privacy-center/notice", "/privacy-center/notice?lang=en"):  # fmt: skip
            assert _serious(checking, base + path) == [], path
        fresh = browser.new_context(locale="en-GB", bypass_csp=True)
        assert _serious(fresh, f"{base}/privacy-center/consents") == []
        # The code's step of the form, with its sign-in cookie.
        asking = fresh.new_page()
        asking.goto(f"{base}/privacy-center/consents")
        asking.get_by_label("Your e-mail address").fill("someone.else@example.com")
        asking.get_by_role("button", name="Send me a code").click()
        assert asking.get_by_label("The 6-digit code we e-mailed").is_visible()
        asking.close()
        assert _serious(fresh, f"{base}/privacy-center/consents") == []
        fresh.close()
        checking.close()
        context.close()
