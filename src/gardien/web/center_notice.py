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

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gardien.web.branding import BRAND_PATH, brand_css, brand_version
from gardien.web.pages import page_language, render
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
_SKIP = re.compile(r'<a class="skip"[^>]*>.*?</a>\s*')


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

    from gardien.notice import published_language, render_notice

    lang = page_language(request)
    runtime = runtime_of(request)
    # A notice not published in the page's language is shown in one it is published in,
    # marked with its own language.
    notice_lang = published_language(runtime.declaration, lang)
    html = render_notice(runtime.declaration, notice_lang, "html")
    body = notice_body(html)
    if notice_lang != lang:
        body = f'<div lang="{notice_lang}">{body}</div>'
    return render(
        request, "center_notice.html.j2", lang,
        company=runtime.declaration.controller.name,
        branding=runtime.declaration.branding,
        notice=Markup(body),
        # Said above a notice shown in another language than the page's.
        shown_in=notice_lang if notice_lang != lang else None,
        published=list(runtime.declaration.notice.languages),
    )  # fmt: skip
