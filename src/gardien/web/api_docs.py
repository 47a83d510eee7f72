"""``/api/v1/docs``: the API's interactive documentation, served by gardien itself.

Swagger UI (Apache-2.0) comes from the files the ``fastapi-offline`` package
ships (installed with gardien), not from a CDN: the page works on a machine that reaches no
other site, and falls under the pages' Content-Security-Policy like every
other page, because its start-up script is a file (``api-docs.js``), not an
inline script. The bundle's files may be cached for a year at their
versioned URL.
"""

from __future__ import annotations

import hashlib
from functools import cache
from html import escape
from importlib import resources

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from gardien import __version__
from gardien.web.problems import ProblemError
from gardien.web.static_files import versioned_file

router = APIRouter(include_in_schema=False)

DOCS_PATH = "/api/v1/docs"
OPENAPI_PATH = "/api/v1/openapi.json"
#: What ``/api/v1/docs/assets/{name}`` serves, and from where.
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "api-docs.js": "text/javascript; charset=utf-8",
}


@cache
def asset_bytes(name: str) -> bytes:
    if name == "api-docs.js":
        return resources.files("gardien.web").joinpath("static", name).read_bytes()
    return resources.files("fastapi_offline").joinpath("static", name).read_bytes()


@cache
def asset_version(name: str) -> str:
    return hashlib.sha256(asset_bytes(name)).hexdigest()[:16]


def _asset_url(name: str) -> str:
    return f"{DOCS_PATH}/assets/{name}?v={asset_version(name)}"


@router.get(DOCS_PATH, response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    """Swagger UI over ``/api/v1/openapi.json``; a key is given with its Authorize button."""
    title = escape(f"gardien {__version__}: API")
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f'<link rel="stylesheet" href="{_asset_url("swagger-ui.css")}">\n'
        "</head>\n<body>\n"
        f'<main id="swagger-ui" data-openapi="{OPENAPI_PATH}">'
        "<p>The interactive documentation needs JavaScript; the API's description is "
        f'<a href="{OPENAPI_PATH}">{OPENAPI_PATH}</a>.</p></main>\n'
        f'<script src="{_asset_url("swagger-ui-bundle.js")}"></script>\n'
        f'<script src="{_asset_url("api-docs.js")}"></script>\n'
        "</body>\n</html>\n"
    )
    return HTMLResponse(html)


@router.get(DOCS_PATH + "/assets/{name}")
def docs_asset(name: str, request: Request) -> Response:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise ProblemError("not-found", f"no documentation file {name!r}")
    return versioned_file(request, asset_version(name), lambda: asset_bytes(name), media_type)
