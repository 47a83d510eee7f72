"""The API's interactive documentation in Chromium: it runs under the pages' policy and
asks nothing of any other site (gardien runs where no CDN is reachable)."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_browser import chromium

pytestmark = pytest.mark.browser


def test_the_api_documentation_runs_with_no_other_site(server: Any) -> None:
    base = f"http://127.0.0.1:{server.base_port}"
    with chromium() as browser:
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        elsewhere: list[str] = []
        errors: list[str] = []

        def only_gardien(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", only_gardien)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/requests" in {path.replace("\u200b", "") for path in paths}
        assert page.locator("button.authorize").count() == 1  # a key can be given
        context.close()
    assert elsewhere == []
    assert errors == []
