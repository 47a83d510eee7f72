"""The privacy notice: ``render_notice`` and the version it carries.

The notice is rendered from Jinja2 templates shipped in ``templates/``; a
company may give its own directory, searched first, as datasette does with
``select_template``: ``notice.<lang>.<fmt>.j2`` if it exists there, else the
format's layout ``notice.<fmt>.j2``, whose prose lives in ``sections.<lang>.j2``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import get_args

from jinja2 import TemplateError

from gardien.declaration import declaration_version
from gardien.declaration.jurisdiction_rules import declared_texts
from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.notice.environment import Format, make_environment
from gardien.notice.view import build_view
from gardien.notice.vocabulary import Lang

_BLANK_LINES = re.compile(r"\n{3,}")


def notice_version(declaration: Declaration) -> str:
    """The declared notice version, else the first 12 digits of the declaration's version.

    That version changes whenever what the company declared changes, and is
    the one every consent and request records, so the notice in force can be
    matched to them.
    """
    if declaration.notice.version:
        return declaration.notice.version
    return declaration_version(declaration)[:12]


def notice_date(declaration: Declaration) -> dt.date | None:
    """The declared effective date of the notice; None when none is declared (the notice
    then states no date rather than the day it happened to be generated)."""
    return declaration.notice.effective_date


def published_language(declaration: Declaration, lang: str) -> Lang:
    """``lang`` when the notice is published in it, else the published language a reader
    of ``lang`` is likeliest to read: English first, then the first one declared. gardien's
    own pages (in French or English) show the notice through this."""
    languages = declaration.notice.languages
    if lang in languages:
        return lang
    return "en" if "en" in languages else languages[0]


def template_names(lang: Lang, fmt: Format) -> list[str]:
    """The templates tried, most specific first."""
    return [f"notice.{lang}.{fmt}.j2", f"notice.{fmt}.j2"]


def render_notice(
    declaration: Declaration,
    lang: Lang,
    fmt: Format,
    *,
    version: str | None = None,
    date: dt.date | None = None,
    template_dir: Path | None = None,
) -> str:
    """The complete privacy notice (GDPR Art. 13 and 14) in ``lang``, as Markdown or HTML."""
    return render(declaration, lang, fmt, version=version, date=date, template_dir=template_dir)


def render(
    declaration: Declaration,
    lang: Lang,
    fmt: Format,
    *,
    version: str | None = None,
    date: dt.date | None = None,
    template_dir: Path | None = None,
    provenance: bool = False,
) -> str:
    """``render_notice``, and with ``provenance`` each block marked with its sources.

    The marks (``⟦purposes.x.retention⟧ … ⟦/⟧``) are for tests only
    (``gardien.notice.provenance``): a published notice never carries them.
    """
    if lang not in get_args(Lang):
        raise RenderError(f'no notice in language "{lang}": choose "fr", "en" or "de"')
    languages = declaration.notice.languages
    if lang not in languages:
        raise RenderError(
            f'this declaration does not publish its notice in "{lang}" (notice.languages: '
            f"[{', '.join(languages)}]): choose one of {', '.join(languages)}, or add {lang} "
            "to notice.languages and write every text in it"
        )
    missing = [
        ".".join(str(p) for p in path)
        for path, text in declared_texts(declaration)
        if not text.has(lang)
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise RenderError(
            f'no notice in "{lang}": {len(missing)} declared text(s) have no {lang} version '
            f"({shown}); run `gardien validate` and add {lang}: … to each"
        )
    if fmt not in get_args(Format):
        raise RenderError(f'no notice format "{fmt}": choose "md" or "html"')
    if template_dir is not None and not template_dir.is_dir():
        raise RenderError(f"template directory {template_dir} does not exist: create it or omit it")
    view = build_view(
        declaration,
        lang,
        version or notice_version(declaration),
        date or notice_date(declaration),
        version_declared=bool(version or declaration.notice.version),
    )
    env = make_environment(fmt, template_dir)
    try:
        template = env.select_template(template_names(lang, fmt))
        text = template.render(view=view, lang=lang, fmt=fmt, provenance=provenance)
    except TemplateError as error:
        raise RenderError(
            f"the notice template could not be rendered: {error}; "
            "check the templates in your template directory"
        ) from error
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"
