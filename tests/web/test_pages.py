"""The front door and what every page shares: language, headers, cached stylesheet."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from gardien.web.headers import PAGE_POLICY
from gardien.web.pages import asset_url, french_date, page_language


def test_the_front_door_says_what_runs_and_where_to_go(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in page.text and page.headers["content-language"] == "fr"
    assert "Example SAS" in page.text
    version = client.get("/healthz").json()["declaration_version"][:12]
    assert f"<code>{version}</code>" in page.text
    links = set(re.findall(r'href="([^"]+)"', page.text))
    assert {"/notice/fr", "/notice/en", "/api/v1/docs", "/healthz"} <= links
    for link in links - {"#content", "data:,"}:  # every link of the page leads somewhere
        target = link.split("?")[0] if link.startswith("/static/") else link
        assert client.get(target).status_code == 200, link


def test_the_front_door_in_english_and_its_switch(client: TestClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Data protection at" in english.text
    assert 'href="/?lang=fr"' in english.text
    switched = client.get("/?lang=fr", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in switched.text


def test_pages_carry_a_strict_policy_and_the_usual_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["content-security-policy"] == PAGE_POLICY
    assert "'unsafe-inline'" not in PAGE_POLICY and "script-src 'self'" in PAGE_POLICY
    assert "<script" not in page.text and "style=" not in page.text and "<style" not in page.text
    for response in (page, client.get("/healthz"), client.get("/api/v1/nothing")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"


def test_the_notice_allows_its_own_stylesheet_only(client: TestClient) -> None:
    notice = client.get("/notice/fr")
    policy = notice.headers["content-security-policy"]
    assert "style-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy


def test_the_stylesheet_is_cached_for_a_year_at_its_versioned_url(client: TestClient) -> None:
    versioned = client.get(asset_url("gardien.css"))
    assert versioned.status_code == 200 and versioned.headers["content-type"].startswith("text/css")
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/gardien.css")
    assert plain.headers["cache-control"] == "public, max-age=300"
    again = client.get("/static/gardien.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("name", ["nope.css", "..%2Fpages.py", "pages.py"])
def test_only_the_static_files_named_are_served(client: TestClient, name: str) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def _request(accept: str | None = None, query: str = "") -> Request:
    headers = [(b"accept-language", accept.encode())] if accept is not None else []
    return Request({"type": "http", "headers": headers, "query_string": query.encode()})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "fr"),
        ("en", "en"),
        ("de-DE,de;q=0.9", "fr"),
        ("de,en;q=0.5,fr;q=0.4", "en"),
        ("fr;q=0.2,en;q=0.8", "en"),
        ("en;q=0,fr;q=0.1", "fr"),
        ("en-US;q=oops,fr", "fr"),
    ],
)
def test_the_page_language_follows_the_browsers_weights(accept: str | None, expected: str) -> None:
    assert page_language(_request(accept)) == expected


@given(st.text(max_size=60))
def test_any_accept_language_header_gives_french_or_english(header: str) -> None:
    assert page_language(_request(header)) in ("fr", "en")


def test_dates_are_written_as_a_french_reader_expects() -> None:
    import datetime as dt

    assert french_date(dt.date(2026, 3, 1)) == "1er mars 2026"
    assert french_date(dt.date(2026, 12, 6)) == "6 décembre 2026"


def test_the_privacy_centers_script_is_gardiens_own_file(client: TestClient) -> None:
    page = client.get("/privacy-center")
    found = re.search(r'<script src="(/static/privacy-center\.js\?v=[0-9a-f]+)" defer>', page.text)
    assert found, "the form's script is linked, never inline"
    script = client.get(found.group(1))
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert "<script>" not in page.text


def test_the_api_documentation_is_served_from_gardien_under_the_page_policy(
    client: TestClient,
) -> None:
    """No CDN at run time: the page and every file it loads come from gardien itself."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == PAGE_POLICY
    assert "<script>" not in page.text and "style=" not in page.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/api/v1/") for source in sources), sources
    for source in sources:
        served = client.get(source)
        assert served.status_code == 200, source
        if "/assets/" in source:
            assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    (bundle_url,) = [source for source in sources if "swagger-ui-bundle.js" in source]
    bundle = client.get(bundle_url.split("?")[0])
    assert bundle.headers["cache-control"] == "public, max-age=300"
    again = client.get(bundle_url, headers={"If-None-Match": bundle.headers["etag"]})
    assert again.status_code == 304
    unknown = client.get("/api/v1/docs/assets/index.html")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
