"""The notice inside the privacy center, and the company's colours as a versioned stylesheet."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app


def _brand_href(html: str) -> str:
    found = re.search(r'href="(/privacy-center/brand\.css\?v=[0-9a-f]{16})"', html)
    assert found is not None, html
    return found.group(1)


def test_the_notice_follows_the_browsers_language_with_a_switch(client: TestClient) -> None:
    french = client.get("/privacy-center/notice", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    english = client.get("/privacy-center/notice", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert french.headers["content-language"] == "fr" and '<html lang="fr">' in french.text
    assert english.headers["content-language"] == "en"
    assert "Politique de confidentialité" in french.text
    assert 'href="/privacy-center/notice?lang=en" lang="en" hreflang="en"' in french.text
    # The notice's own standalone stylesheet stays out: the page's policy has no hash for it.
    policy = french.headers["content-security-policy"]
    assert "<style>" not in french.text and "'unsafe-inline'" not in policy
    assert "style-src 'self'" in policy
    assert french.text.count('class="skip"') == 1


def test_without_branding_the_stylesheet_says_so_and_is_cached_by_version(
    client: TestClient,
) -> None:
    href = _brand_href(client.get("/privacy-center/notice").text)
    sheet = client.get(href)
    assert sheet.headers["content-type"].startswith("text/css")
    assert "no branding declared" in sheet.text and "background" not in sheet.text
    assert sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/privacy-center/brand.css").headers["cache-control"] == (
        "public, max-age=300"
    )
    again = client.get(href, headers={"If-None-Match": sheet.headers["etag"]})
    assert again.status_code == 304


def test_declared_colours_reach_every_page_through_the_stylesheet(
    tmp_path: Path, store_urls: object, write_declaration: Callable[..., Path], store: Store
) -> None:
    def branded(data: dict[str, object]) -> None:
        data["branding"] = {"primary_colour": "#0B5", "text_colour": "#000", "logo_text": "ACME"}

    settings = Settings(
        config=write_declaration(branded),
        database_url=store_urls.database_url,  # type: ignore[attr-defined]
        keystore_url=store_urls.keystore_url,  # type: ignore[attr-defined]
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
    )
    with TestClient(create_app(settings, build_runtime(settings, store))) as client:
        paths = ("/", "/privacy-center", "/privacy-center/notice", "/privacy-center/consents")
        every = [client.get(path) for path in paths]
        hrefs = {_brand_href(page.text) for page in every}
        assert len(hrefs) == 1
        sheet = client.get(hrefs.pop()).text
    pages = every[2:]
    assert "header.site { background: #00bb55; color: #000000; }" in sheet
    assert "button { background: #00bb55; border-color: #00bb55; color: #000000; }" in sheet
    for page in pages:
        assert '<p class="brand">ACME</p>' in page.text
    for page in every:
        assert "style=" not in page.text and "<style" not in page.text
