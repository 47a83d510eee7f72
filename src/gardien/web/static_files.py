"""``/static/{name}``: the pages' stylesheet, cached by browsers and proxies.

A request carrying the file's current version (``?v=``, as ``asset_url``
writes it) may be cached for a year: a new version is a new URL. Without it,
for five minutes, revalidated by ``ETag``. Only the files ``STATIC_FILES``
names are served.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from gardien.web.pages import STATIC_FILES, static_bytes, static_version
from gardien.web.problems import ProblemError

router = APIRouter(include_in_schema=False)

_YEAR = "public, max-age=31536000, immutable"
_SHORT = "public, max-age=300"


@router.get("/static/{name}")
def static_file(name: str, request: Request) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise ProblemError("not-found", f"no static file {name!r}")
    return versioned_file(request, static_version(name), lambda: static_bytes(name), media_type)


def versioned_file(
    request: Request, version: str, body: Callable[[], bytes], media_type: str
) -> Response:
    """A file at its versioned URL: a year of cache with the current ``?v=``, else five
    minutes revalidated by ``ETag`` (304 when the browser has it)."""
    etag = f'"{version}"'
    cache = _YEAR if request.query_params.get("v") == version else _SHORT
    headers = {"ETag": etag, "Cache-Control": cache}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body(), media_type=media_type, headers=headers)
