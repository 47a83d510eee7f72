"""Debian's Chromium, driven by Playwright, for the tests that open pages (no browser download).

A module that imports this is skipped where Playwright or ``/usr/bin/chromium``
is missing (`.ci/run` installs both).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
#: Without the background-networking flags Chromium keeps trying hosts it cannot reach.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

playwright_api = pytest.importorskip("playwright.sync_api")
if shutil.which(CHROMIUM) is None:  # pragma: no cover - CI installs it
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
axe_package = pytest.importorskip("axe_playwright_python")
#: axe-core, from the axe-playwright-python package: injected by the tests only.
AXE = resources.files(axe_package).joinpath("axe.min.js").read_text("utf-8")


@contextmanager
def chromium() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """``name``.png in ``GARDIEN_SCREENSHOTS`` when it names a directory (docs/screenshots
    holds the ones the README shows); nothing otherwise."""
    directory = os.environ.get("GARDIEN_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=full_page)


def serious_violations(page: Any, root: str = "document") -> list[str]:
    """axe-core's serious or critical violations on ``page`` (under ``root``, a JavaScript
    expression): axe is injected here, so the page's context must bypass its CSP."""
    page.add_script_tag(content=AXE)
    result = page.evaluate(f"() => axe.run({root}, {{resultTypes: ['violations']}})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
