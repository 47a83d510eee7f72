"""Cross-site request forgery protection of the pages' forms (double-submit, signed).

A page with a form sets the cookie ``gardien_csrf`` (random, ``HttpOnly``,
``SameSite=Strict``; ``Secure`` over HTTPS) and writes in the form a hidden
field holding its HMAC under a vault secret. A POST is taken only when both
arrive and match: another site can make the browser send the cookie (not
with ``SameSite=Strict``, and not at all from older browsers' forms), but it
can neither read it nor compute the field.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from gardien.web.runtime import runtime_of

COOKIE = "gardien_csrf"
FIELD = "csrf"
#: The vault secret the field is keyed with.
SECRET = "csrf"


class CsrfRefusedError(Exception):
    """The form did not come from one of gardien's pages in this browser."""


def _field_for(request: Request, cookie: str) -> str:
    key = runtime_of(request).vault.derived_secret(SECRET)
    return hmac.new(key, cookie.encode(), hashlib.sha256).hexdigest()


def issue(request: Request) -> tuple[str, str | None]:
    """The field a form of this page carries, and the cookie to set (None: the browser
    has one already)."""
    cookie = request.cookies.get(COOKIE)
    fresh = None
    if not cookie or len(cookie) != 43:
        cookie = fresh = secrets.token_urlsafe(32)
    return _field_for(request, cookie), fresh


def set_cookie(request: Request, response: Response, cookie: str | None) -> None:
    if cookie is not None:
        response.set_cookie(
            COOKIE, cookie, httponly=True, samesite="strict", secure=is_https(request), path="/"
        )


def check(request: Request, field: str | None) -> None:
    """Raise ``CsrfRefusedError`` unless ``field`` matches this browser's cookie."""
    cookie = request.cookies.get(COOKIE)
    if not cookie or not field:
        raise CsrfRefusedError
    if not hmac.compare_digest(_field_for(request, cookie), field):
        raise CsrfRefusedError


def is_https(request: Request) -> bool:
    public = runtime_of(request).settings.public_url or ""
    return request.url.scheme == "https" or public.startswith("https://")
