"""The pages in a real browser (Debian's Chromium, driven by Playwright) against `gardien serve`.

Each page is read as a visitor gets it: no console error (a resource the
Content-Security-Policy refused would be one), no serious or critical
accessibility violation found by axe-core, keyboard use with a visible
focus. Screenshots go to ``GARDIEN_SCREENSHOTS`` when it names a directory
(``docs/screenshots`` holds the ones the README shows).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
if shutil.which(CHROMIUM) is None:  # pragma: no cover - CI installs it
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

AXE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


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
    page.add_script_tag(content=AXE)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _screenshot(page: Any, name: str) -> None:
    directory = os.environ.get("GARDIEN_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("locale", "heading"), [("fr-FR", "protection des données"),
                                                  ("en-GB", "Data protection at")])  # fmt: skip
def test_the_front_door_in_a_browser(browser: Any, server: Any, locale: str, heading: str) -> None:
    page, errors = _open(browser, server, "/", locale)
    assert heading in page.locator("h1").inner_text()
    _screenshot(page, f"front-door-{locale[:2]}")
    # The stylesheet was allowed and applied: the skip link sits off screen until focused.
    skip = page.locator("a.skip")
    assert skip.bounding_box()["x"] < 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.bounding_box()["x"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # The language switch leads to the same page in the other language.
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
