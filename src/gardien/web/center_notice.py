"""``/privacy-center/notice`` and ``brand.css``: the notice in the company's colours.

The notice of the declaration in force (``notice.render_notice``, the same
text as ``/notice/{lang}``) is shown inside the pages' layout, in French or
English as every page chooses (``page_language``), with the switch. Its own
standalone stylesheet is left out: the layout's applies.

The company's colours (``branding:`` in the declaration) reach the
privacy center's pages as a small stylesheet written from the declaration,
served at ``/privacy-center/brand.css?v=<digest>``: no inline style, so the
strict Content-Security-Policy holds. Its URL changes with its content, so
it may be cached for a year. Without ``branding`` the stylesheet is empty.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gardien.declaration.branding import Branding, long_form
from gardien.web.pages import page_language, render
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

BRAND_PATH = "/privacy-center/brand.css"
_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
_SKIP = re.compile(r'<a class="skip"[^>]*>.*?</a>\s*')


@cache
def brand_css(branding: Branding | None) -> str:
    """The stylesheet of ``branding``: the header band and the buttons in its colours."""
    if branding is None:
        return "/* no branding declared: gardien's own colours */\n"
    primary, text = long_form(branding.primary_colour), long_form(branding.text_colour)
    return (
        "/* the company's colours, from branding: in privacy.yaml */\n"
        f"header.site {{ background: {primary}; color: {text}; }}\n"
        f"header.site a, header.site .brand {{ color: {text}; }}\n"
        f"header.site a:focus-visible {{ outline-color: {text}; }}\n"
        f"button {{ background: {primary}; border-color: {primary}; color: {text}; }}\n"
        f"button.secondary {{ background: #ffffff; border-color: {primary}; color: #1b1f24; }}\n"
        f".notice {{ border-left-color: {primary}; }}\n"
        f"main h1 {{ border-bottom: 4px solid {primary}; padding-bottom: 0.25rem; }}\n"
    )


def brand_version(branding: Branding | None) -> str:
    return hashlib.sha256(brand_css(branding).encode()).hexdigest()[:16]


def brand_url(branding: Branding | None) -> str:
    return f"{BRAND_PATH}?v={brand_version(branding)}"


@router.get(BRAND_PATH)
def brand_stylesheet(request: Request) -> Response:
    branding = runtime_of(request).declaration.branding
    version = brand_version(branding)
    etag = f'"{version}"'
    fresh = request.query_params.get("v") == version
    cache_control = "public, max-age=31536000, immutable" if fresh else "public, max-age=300"
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(brand_css(branding), media_type="text/css; charset=utf-8", headers=headers)


def notice_body(html: str) -> str:
    """The notice's body, without its own skip link (the layout has one)."""
    found = _BODY.search(html)
    body = found.group(1) if found else html
    return _SKIP.sub("", body, count=1)


@router.get("/privacy-center/notice", response_class=HTMLResponse)
def center_notice(request: Request) -> HTMLResponse:
    """The privacy notice in force, inside the privacy center, in the person's language."""
    from markupsafe import Markup

    from gardien.notice import render_notice

    lang = page_language(request)
    runtime = runtime_of(request)
    html = render_notice(runtime.declaration, lang, "html")
    return render(
        request, "center_notice.html.j2", lang,
        company=runtime.declaration.controller.name,
        branding=runtime.declaration.branding,
        brand_href=brand_url(runtime.declaration.branding),
        notice=Markup(notice_body(html)),
    )  # fmt: skip
