"""The cookie banner on a company's page, in a real browser, against a real `gardien serve`.

The company's page is served by the test on another host and port
(``localhost``, while gardien answers on ``127.0.0.1``: another site, so the
browser applies CORS and keeps each host's cookies apart). It includes the
script with one tag, and two trackers held back as ``type="text/plain"``: one
for audience measurement, one for advertising. After each choice the test reads
the cookies the browser holds (``context.cookies()``), whether each tracker
ran, and the ledger in gardien's store.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from e2e_browser import chromium, screenshot, serious_violations
from sqlalchemy import create_engine, select

from banner_declaration import with_banner
from gardien.consent.tables import consent_events

pytestmark = pytest.mark.browser

SIX_MONTHS = 180 * 86_400
#: A shop and a gardien served over HTTPS by the browser's own routing (no certificate).
HTTPS_SHOP = "https://shop.example.test"
HTTPS_GARDIEN = "https://privacy.example.test"
#: Playwright's stand-in for a browser that sends Global Privacy Control.
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Boutique Example</title>
<script src="{gardien}/privacy-center/consent.js" defer></script>
<script type="text/plain" data-gardien-purpose="analytics">
  window.audienceRan = (window.audienceRan || 0) + 1;
  document.cookie = "audience=1; Max-Age=3600; Path=/; SameSite=Lax";
</script>
<script type="text/plain" data-gardien-purpose="advertising">window.adsRan = 1;</script>
<script>document.addEventListener("gardien:consent", (e) => {{ window.lastConsent = e.detail; }});</script>
</head><body><main><h1>Boutique Example</h1>
<p>{text}</p>
<button type="button" data-gardien-open>{manage}</button>
</main></body></html>
"""
TEXTS = {
    "fr": ("Bienvenue dans notre boutique.", "Gérer mes cookies"),
    "en": ("Welcome to our shop.", "Manage my cookies"),
}


class _Page(http.server.BaseHTTPRequestHandler):
    gardien = ""

    def do_GET(self) -> None:
        lang = "en" if self.path.startswith("/en") else "fr"
        text, manage = TEXTS[lang]
        body = PAGE.format(lang=lang, gardien=self.gardien, text=text, manage=manage).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    def __init__(self, server: Any, port: int, store_url: str) -> None:
        self.server = server
        self.url = f"http://localhost:{port}"
        self.gardien = f"http://127.0.0.1:{server.base_port}"
        self.engine = create_engine(store_url)

    def events(self) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(consent_events).order_by(consent_events.c.id)))


@pytest.fixture
def site(
    tmp_path: Path,
    store_urls: Any,
    write_declaration: Callable[..., Path],
    server_factory: Callable[[dict[str, str], Path], Any],
) -> Iterator[Site]:
    page_port = _free_port()
    config = write_declaration(
        lambda data: with_banner(data, origins=(f"http://localhost:{page_port}", HTTPS_SHOP))
    )
    env = {
        **os.environ,
        "GARDIEN_CONFIG": str(config),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "GARDIEN_REDACT_PRELOAD": "false",
    }
    server = server_factory(env, tmp_path)
    handler = type("Handler", (_Page,), {"gardien": f"http://127.0.0.1:{server.base_port}"})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", page_port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    made = Site(server, page_port, store_urls.database_url)
    yield made
    httpd.shutdown()
    httpd.server_close()
    made.engine.dispose()
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _visit(browser: Any, site: Site, lang: str = "fr", gpc: bool = False) -> tuple[Any, Any]:
    context = browser.new_context(
        locale="fr-FR" if lang == "fr" else "en-GB", viewport={"width": 1280, "height": 1000}
    )
    if gpc:
        context.add_init_script(GPC_ON)
        # The header a GPC browser sends with every request, on the recording call here.
        context.route(
            "**/privacy-center/consent-choices",
            lambda route: route.continue_(headers={**route.request.headers, "sec-gpc": "1"}),
        )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    page.goto(f"{site.url}/{lang}")
    return context, page


def _choice_cookie(context: Any) -> dict[str, Any]:
    cookies = {c["name"]: c for c in context.cookies()}
    return cookies["gardien_consent"]


def _remembered(cookie: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(unquote(cookie["value"]))
    return value


def _axe(page: Any) -> list[str]:
    return serious_violations(page, "document.querySelector('.gardien-banner')")


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within 10 s: {what}")


def test_nothing_is_set_before_a_choice_and_the_banner_is_accessible(
    browser: Any, site: Site
) -> None:
    context, page = _visit(browser, site)
    banner = page.get_by_role("dialog", name="Vos choix sur les cookies")
    banner.wait_for()
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("window.audienceRan === undefined && window.adsRan === undefined")
    assert site.events() == []
    # Accepting and refusing: same level, same look.
    accept = page.get_by_role("button", name="Tout accepter")
    refuse = page.get_by_role("button", name="Tout refuser")
    look = "(b) => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, " \
        "s.fontSize, s.fontWeight, b.offsetHeight, b.offsetWidth >= 160]; }"  # fmt: skip
    assert accept.evaluate(look) == refuse.evaluate(look)
    assert accept.bounding_box()["y"] == refuse.bounding_box()["y"]
    # The notice is gardien's, wherever the script was loaded from.
    link = page.get_by_role("link", name="En savoir plus dans notre politique de confidentialité")
    assert link.get_attribute("href") == f"{site.gardien}/notice/fr"
    screenshot(page, "banner-fr")
    # The keyboard reaches every control, with a visible focus, and goes on to the page.
    reached = []
    for _ in range(5):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent"))
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), reached[-1]
    assert reached == [
        "En savoir plus dans notre politique de confidentialité",
        "Tout accepter",
        "Tout refuser",
        "Choisir",
        "Gérer mes cookies",
    ]
    assert _axe(page) == []
    page.get_by_role("button", name="Choisir").click()
    assert page.get_by_role("switch", name="Mesure d'audience").is_visible()
    screenshot(page, "banner-choices-fr")
    assert _axe(page) == []
    assert context.cookies() == []  # opening the choices sets nothing either
    assert page.errors == []
    context.close()


def test_accept_all_runs_the_trackers_and_is_recorded(browser: Any, site: Site) -> None:
    context, page = _visit(browser, site)
    page.get_by_role("button", name="Tout accepter").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: page.evaluate("window.audienceRan === 1"), "the audience tracker ran")
    assert page.evaluate("window.adsRan") == 1
    cookies = {c["name"]: c for c in context.cookies()}
    assert set(cookies) == {"gardien_consent", "audience"}
    choice = cookies["gardien_consent"]
    assert abs(choice["expires"] - (time.time() + SIX_MONTHS)) < 60
    assert choice["sameSite"] == "Lax" and choice["secure"] is False  # served over http here
    assert choice["domain"] == "localhost"  # first-party: the company's site
    remembered = _remembered(choice)
    assert remembered["c"] == {"analytics": 1, "advertising": 1}
    events = site.events()
    assert [(e.purpose, e.kind, e.collection_method) for e in events] == [
        ("analytics", "given", "button"),
        ("advertising", "given", "button"),
    ]
    assert all(e.channel == "cookie_banner" and e.ip_prefix == "127.0.0.0/24" for e in events)
    assert page.evaluate("window.lastConsent.given") == ["analytics", "advertising"]
    # A second page of the site: no banner, the trackers run at once.
    page.reload()
    _wait(lambda: page.evaluate("window.audienceRan === 1"), "the tracker ran on reload")
    assert page.locator(".gardien-banner").count() == 0
    assert len(site.events()) == 2
    assert page.errors == []
    context.close()


def test_refuse_all_keeps_only_the_choice_cookie(browser: Any, site: Site) -> None:
    context, page = _visit(browser, site)
    page.get_by_role("button", name="Tout refuser").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: len(context.cookies()) == 1, "the choice cookie")
    choice = _choice_cookie(context)
    assert [c["name"] for c in context.cookies()] == ["gardien_consent"]
    assert abs(choice["expires"] - (time.time() + SIX_MONTHS)) < 60
    assert _remembered(choice)["c"] == {"analytics": 0, "advertising": 0}
    assert page.evaluate("window.audienceRan === undefined && window.adsRan === undefined")
    assert [(e.purpose, e.kind) for e in site.events()] == [
        ("analytics", "refused"),
        ("advertising", "refused"),
    ]
    page.reload()  # the refusal is remembered: not asked again
    page.wait_for_function("window.lastConsent !== undefined")
    assert page.locator(".gardien-banner").count() == 0
    assert page.evaluate("window.audienceRan === undefined")
    context.close()


def test_gpc_refuses_advertising_without_a_click(browser: Any, site: Site) -> None:
    context, page = _visit(browser, site, gpc=True)
    page.get_by_role("dialog").wait_for()
    notice = page.locator(".gardien-banner .gardien-gpc")
    assert "Global Privacy Control" in notice.inner_text()
    assert "Publicité ciblée" in notice.inner_text()
    _wait(lambda: len(site.events()) == 1, "the GPC refusal recorded")
    [event] = site.events()
    assert (event.purpose, event.kind, event.collection_method) == (
        "advertising", "refused", "browser_signal",
    )  # fmt: skip
    assert json.loads(event.proof)["gpc"] is True
    assert _remembered(_choice_cookie(context))["c"] == {"advertising": 0}
    screenshot(page, "banner-gpc-fr")
    # Accepting the rest does not accept what GPC refused.
    page.get_by_role("button", name="Tout accepter").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: page.evaluate("window.audienceRan === 1"), "the audience tracker ran")
    assert page.evaluate("window.adsRan === undefined")
    assert {c["name"] for c in context.cookies()} == {"gardien_consent", "audience"}
    assert _remembered(_choice_cookie(context))["c"] == {"analytics": 1, "advertising": 0}
    kinds = [(e.purpose, e.kind, e.collection_method) for e in site.events()]
    assert kinds[1:] == [
        ("analytics", "given", "button"),
        ("advertising", "refused", "browser_signal"),
    ]
    assert page.errors == []
    context.close()


def test_reopen_and_change_the_choices(browser: Any, site: Site) -> None:
    context, page = _visit(browser, site, lang="en")
    page.get_by_role("button", name="Accept all").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: "audience" in {c["name"] for c in context.cookies()}, "the tracker's cookie")
    page.get_by_role("button", name="Manage my cookies").click()
    analytics = page.get_by_role("switch", name="Audience measurement")
    assert analytics.is_checked()  # the person's own earlier choice, not a pre-ticked box
    screenshot(page, "banner-choices-en")
    assert _axe(page) == []
    analytics.uncheck()
    page.get_by_role("button", name="Save my choices").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: _remembered(_choice_cookie(context))["c"]["analytics"] == 0, "the new choice")
    # The withdrawn purpose's cookie is deleted; the choice cookie is all that is left of it.
    assert {c["name"] for c in context.cookies()} == {"gardien_consent"}
    # The panel records every purpose as its switch stands: one event each.
    saved = [(e.purpose, e.kind, e.collection_method, e.language) for e in site.events()[-2:]]
    assert saved == [
        ("analytics", "refused", "toggle", "en"),
        ("advertising", "given", "toggle", "en"),
    ]
    assert len({e.subject_id for e in site.events()}) == 1  # one visitor throughout
    assert page.errors == []
    context.close()


def test_over_https_the_choice_cookie_is_secure(browser: Any, site: Site) -> None:
    """The shop's page and gardien answer over HTTPS here: Playwright serves the page and
    passes gardien's answers through from the real server."""
    context = browser.new_context(locale="fr-FR")
    text, manage = TEXTS["fr"]
    page_html = PAGE.format(lang="fr", gardien=HTTPS_GARDIEN, text=text, manage=manage)
    context.route(
        f"{HTTPS_SHOP}/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=page_html
        ),
    )

    def to_gardien(route: Any) -> None:
        real = route.request.url.replace(HTTPS_GARDIEN, site.gardien)
        route.fulfill(response=route.fetch(url=real))

    context.route(f"{HTTPS_GARDIEN}/**", to_gardien)
    page = context.new_page()
    page.goto(f"{HTTPS_SHOP}/fr")
    assert page.evaluate("location.protocol") == "https:"
    page.get_by_role("button", name="Tout refuser").click()
    page.locator(".gardien-banner").wait_for(state="detached")
    _wait(lambda: len(context.cookies()) == 1, "the choice cookie")
    choice = _choice_cookie(context)
    assert choice["secure"] is True and choice["sameSite"] == "Lax"
    assert choice["domain"] == "shop.example.test"
    [origin] = {json.loads(e.proof)["origin"] for e in site.events()}
    assert origin == HTTPS_SHOP
    context.close()
