"""Server-rendered pages: the Jinja2 environment, the page language, versioned assets.

Every page extends ``templates/base.html.j2`` and is rendered by ``render``:
escaped by default, in French or English (``page_language``: a ``lang``
query parameter, else the browser's ``Accept-Language``, else French), with
its stylesheet linked by a URL that changes with its content (so that it can
be cached for a year). No page carries an inline script or style: the
Content-Security-Policy of ``web/headers.py`` forbids them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from importlib import resources
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from gardien import __version__
from gardien.requests.completion import spoken_date
from gardien.web.branding import brand_url

PageLanguage = Literal["fr", "en"]
LANGUAGES: tuple[PageLanguage, ...] = ("fr", "en")
#: The files under ``/static/``: nothing else in the package is served.
STATIC_FILES = {
    "gardien.css": "text/css; charset=utf-8",
    "privacy-center.js": "text/javascript; charset=utf-8",
}


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("gardien.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["asset"] = asset_url
    environment.globals["gardien_version"] = __version__
    environment.filters["french_date"] = french_date
    environment.filters["english_date"] = english_date
    environment.filters["french_duration"] = french_duration
    return environment


def french_date(day: dt.date) -> str:
    """« 1er mars 2026 », « 6 décembre 2026 »."""
    return spoken_date(day.isoformat(), "fr")


def english_date(day: dt.date) -> str:
    """ "6 December 2026"."""
    return spoken_date(day.isoformat(), "en")


_UNITS_FR = {"day": ("jour", "jours"), "week": ("semaine", "semaines"),
             "month": ("mois", "mois"), "year": ("an", "ans")}  # fmt: skip


def french_duration(duration: str) -> str:
    """A declared period as French prose: "1 month" → « 1 mois », "2 years" → « 2 ans »."""
    amount, _, unit = str(duration).partition(" ")
    forms = _UNITS_FR.get(unit.rstrip("s"))
    if forms is None or not amount.isdigit():
        return str(duration)
    return f"{amount}\u00a0{forms[0] if amount == '1' else forms[1]}"


def static_bytes(name: str) -> bytes:
    return resources.files("gardien.web").joinpath("static", name).read_bytes()


@cache
def static_version(name: str) -> str:
    """A short digest of the file: its URL changes when its content does."""
    return hashlib.sha256(static_bytes(name)).hexdigest()[:16]


def asset_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def page_language(request: Request) -> PageLanguage:
    """``?lang=fr|en`` when given, else the first of French or English the browser
    accepts (by its ``q`` weights), else French."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    ranked: list[tuple[float, int, PageLanguage]] = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        if parameters.strip().startswith("q="):
            try:
                weight = float(parameters.strip()[2:])
            except ValueError:
                continue
        if weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "fr"


def render(
    request: Request, template: str, lang: PageLanguage, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``template`` in ``lang``, with what every page shows."""
    other: PageLanguage = "en" if lang == "fr" else "fr"
    # The company's colours (branding: in the declaration), as a stylesheet of its own.
    brand = brand_url(request.app.state.runtime.declaration.branding)
    html = (
        _environment()
        .get_template(template)
        .render(lang=lang, other_lang=other, path=request.url.path, brand_href=brand, **context)
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Language": lang})
