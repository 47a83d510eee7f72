"""The pages in a real browser (Debian's Chromium, driven by Playwright) against `gardien serve`.

Each page is read as a visitor gets it: no console error (a resource the
Content-Security-Policy refused would be one), no serious or critical
accessibility violation found by axe-core, keyboard use with a visible
focus. Screenshots go to ``GARDIEN_SCREENSHOTS`` when it names a directory
(``docs/screenshots`` holds the ones the README shows).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_browser import chromium, screenshot, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _open(browser: Any, server: Any, path: str, locale: str) -> tuple[Any, list[str]]:
    # The policy forbids inline scripts: axe is injected by the test only, past it.
    context = browser.new_context(locale=locale, bypass_csp=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(f"http://127.0.0.1:{server.base_port}{path}")
    assert response is not None and response.status == 200
    return page, errors


def _serious_violations(browser: Any, url: str, locale: str) -> list[str]:
    context = browser.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    found = serious_violations(page)
    context.close()
    return found


@pytest.mark.parametrize(("locale", "heading"), [("fr-FR", "protection des données"),
                                                  ("en-GB", "Data protection at")])  # fmt: skip
def test_the_front_door_in_a_browser(browser: Any, server: Any, locale: str, heading: str) -> None:
    page, errors = _open(browser, server, "/", locale)
    assert heading in page.locator("h1").inner_text()
    screenshot(page, f"front-door-{locale[:2]}")
    # The stylesheet was allowed and applied: the skip link sits off screen until focused.
    skip = page.locator("a.skip")
    assert skip.bounding_box()["x"] < 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.bounding_box()["x"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # The language switch leads to the same page in the other language.
    with page.expect_navigation():  # read the new page, not the one being left
        page.get_by_role("navigation").get_by_role("link").click()
    other = "en" if locale.startswith("fr") else "fr"
    assert page.evaluate("document.documentElement.lang") == other
    assert errors == []
    url = f"http://127.0.0.1:{server.base_port}/"
    assert _serious_violations(browser, url, locale) == []


def test_the_notice_is_styled_under_the_pages_policy(browser: Any, server: Any) -> None:
    page, errors = _open(browser, server, "/notice/fr", "fr-FR")
    assert errors == []  # the inline stylesheet was allowed by its hash
    assert page.evaluate("document.styleSheets.length") >= 1
    url = f"http://127.0.0.1:{server.base_port}/notice/fr"
    assert _serious_violations(browser, url, "fr-FR") == []


@pytest.fixture
def worker(server: Any) -> Iterator[None]:
    """A `gardien worker` on the server's store: it sends the e-mails to the outbox."""
    env = {**server.env, "GARDIEN_WORKER_POLL_SECONDS": "0.2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gardien", "worker"], env=env, cwd=server.directory,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    yield
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _code_for(server: Any, address: str) -> str:
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


def test_a_person_asks_for_their_data_and_verifies_in_a_browser(
    browser: Any, server: Any, worker: None
) -> None:
    page, errors = _open(browser, server, "/privacy-center", "fr-FR")
    screenshot(page, "privacy-center-fr")
    page.get_by_label("Obtenir une copie de mes données").check()
    page.get_by_label("Votre adresse e-mail").fill("alice@example.com")
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.locator("#state").inner_text() == "En attente du code envoyé par e-mail"
    page.get_by_label("Le code à 6 chiffres reçu par e-mail").fill(
        _code_for(server, "alice@example.com")
    )
    page.get_by_role("button", name="Vérifier").click()
    assert page.locator("#state").inner_text().startswith("Vérifiée")
    screenshot(page, "request-status-fr")
    assert errors == []
    base = f"http://127.0.0.1:{server.base_port}"
    assert _serious_violations(browser, f"{base}/privacy-center", "fr-FR") == []
    assert _serious_violations(browser, f"{base}/privacy-center?lang=en", "en-GB") == []
    # The page of a request, as its browser sees it (axe needs the policy bypassed).
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    other = context.new_page()
    other.goto(f"{base}/privacy-center")
    other.get_by_label("Faire effacer mes données").check()
    other.get_by_label("Votre adresse e-mail").fill("bob@example.com")
    other.get_by_role("button", name="Envoyer ma demande").click()
    found = serious_violations(other)
    context.close()
    assert found == []


def test_the_form_shows_the_chosen_requests_part_and_works_without_script(
    browser: Any, server: Any
) -> None:
    page, errors = _open(browser, server, "/privacy-center?lang=en", "en-GB")
    restriction = page.locator('fieldset[data-for="restriction"]')
    post_mortem = page.locator('fieldset[data-for="post_mortem"]')
    assert not restriction.is_visible() and not post_mortem.is_visible()
    page.get_by_label("Have the use of my data restricted").check()
    assert restriction.is_visible() and not post_mortem.is_visible()
    page.get_by_label("Leave directives on my data after my death").check()
    assert post_mortem.is_visible() and not restriction.is_visible()
    assert errors == []  # the script was allowed by the policy: it is gardien's own file
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"http://127.0.0.1:{server.base_port}/privacy-center?lang=en")
    assert plain.locator('fieldset[data-for="restriction"]').is_visible()
    assert plain.locator('fieldset[data-for="post_mortem"]').is_visible()
    context.close()


def test_the_one_click_unsubscribe_page_passes_axe(browser: Any, server: Any) -> None:
    """The page a marketing e-mail's link opens (GET shows it, changes nothing)."""
    service = {"Authorization": f"Bearer {server.new_key('service')}"}
    alice = {"email": "alice@example.com"}
    given = server.request(
        "POST", "/api/v1/consents",
        {"identity": alice, "purpose": "newsletter", "status": "given", "channel": "web"},
        service,
    )  # fmt: skip
    assert given.status == 201, given.body
    link = server.request(
        "POST", "/api/v1/unsubscribe-links", {"identity": alice, "purpose": "newsletter"}, service
    )
    assert link.status == 200, link.body
    path = "/" + link.json()["url"].split("://", 1)[1].split("/", 1)[1]
    url = f"http://127.0.0.1:{server.base_port}{path}"
    page, errors = _open(browser, server, path, "fr-FR")
    assert page.locator("form").count() == 1 and errors == []
    screenshot(page, "unsubscribe-fr")
    assert _serious_violations(browser, url, "fr-FR") == []
