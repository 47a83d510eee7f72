"""The readable page of an access package: ``summary.html``, from the Art. 15 document.

``render_summary(information, language)`` turns what ``article15_information``
returned into one self-contained HTML page (no external stylesheet, script,
font or image: the person may open it offline, years later) in French, English
or German: in the request's language (French or English, those of gardien's pages)
when the notice is published in it, else in a language it is published in
(``summary_language``), so that declared texts are never set in another language's
sentences. It shows what was found, per datastore and collection, with the row
counts and the names of the files in the package, then one section per Art. 15
item. A person with no records is told so plainly, and still gets the
Art. 15 information.

Every value is escaped by Jinja2's autoescape: a category label or a
collection name holding ``<script>`` is shown as text. The prose lives in
``templates/summary.<lang>.j2`` (one macro per section), the page in
``templates/summary.html.j2``; a company may give a directory searched
first, file by file, as for the notice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
)

from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.notice.environment import lower_first, sentence
from gardien.notice.notice import published_language
from gardien.notice.vocabulary import NOTICE_LANGS, Lang
from gardien.notice.wording import de, format_date
from gardien.requests.article15 import FORMAT, Art15Item

#: The sections of the page, in order: what was found first, then Art. 15(1)(a)-(h), 15(2).
SECTIONS: tuple[Art15Item, ...] = (
    Art15Item.FOUND,
    Art15Item.PURPOSES,
    Art15Item.CATEGORIES,
    Art15Item.SOURCES,
    Art15Item.RECIPIENTS,
    Art15Item.TRANSFERS,
    Art15Item.RETENTION,
    Art15Item.AUTOMATED_DECISIONS,
    Art15Item.CONSENTS,
    Art15Item.RIGHTS,
    Art15Item.COMPLAINT,
)


_POINT = re.compile(r"\((\w+)\)")


def day(value: str | None, lang: Lang) -> str:
    """An ISO date or time as a reader writes the day: ``1er mars 2025``, ``1 March 2025``."""
    if not value:
        return "—"
    return format_date(dt.datetime.fromisoformat(value).date(), lang)


def upper_first(text: str) -> str:
    """``l'exécution du contrat`` → ``L'exécution du contrat`` at the head of a cell."""
    return text[:1].upper() + text[1:]


def article(number: str, lang: Lang) -> str:
    """A GDPR provision as each language cites it: ``7(3)`` in English, ``7.3`` in French,
    ``7 Abs. 3`` in German (``21(2)(a)`` → ``21 Abs. 2 lit. a``)."""
    if lang == "de":
        points = _POINT.findall(number)
        head = _POINT.sub("", number)
        if not points:
            return head
        return " ".join([head, f"Abs. {points[0]}", *(f"lit. {p}" for p in points[1:])])
    return _POINT.sub(r".\1", number) if lang == "fr" else number


def summary_language(declaration: Declaration, requested: str) -> Lang:
    """The language of a person's access summary: the request's (French or English, the
    languages of gardien's pages) when the notice is published in it, else English when
    it is, else the first language it is published in (German for a declaration that
    publishes in German only). Never a language whose declared texts are missing."""
    return published_language(declaration, requested)


@lru_cache(maxsize=8)
def _environment(template_dir: Path | None) -> Environment:
    loaders: list[FileSystemLoader | PackageLoader] = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(template_dir))
    loaders.append(PackageLoader("gardien.requests", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        sentence=sentence,
        lower_first=lower_first,
        upper_first=upper_first,
        de=de,
        day=day,
        article=article,
    )
    return env


def render_summary(
    information: Mapping[str, Any], language: Lang, *, template_dir: Path | None = None
) -> str:
    """The access package's readable page, in ``language``, from ``article15_information``.

    ``RenderError`` for a language other than fr or en, a document of another
    shape (its ``format``), a template directory that does not exist, or a
    template that fails.
    """
    if language not in NOTICE_LANGS:
        raise RenderError(f'no access summary in language "{language}": choose "fr", "en" or "de"')
    if information.get("language", language) != language:
        raise RenderError(
            f'the Art. 15 document is in "{information.get("language")}", not "{language}": '
            "render it in its own language, or build it again in this one"
        )
    if information.get("format") != FORMAT:
        raise RenderError(
            f"the information given is not an Art. 15 document of format {FORMAT}: build it "
            "with gardien.requests.article15.article15_information"
        )
    if template_dir is not None and not template_dir.is_dir():
        raise RenderError(f"template directory {template_dir} does not exist: create it or omit it")
    env = _environment(template_dir)
    try:
        template = env.select_template([f"summary.{language}.html.j2", "summary.html.j2"])
        page = template.render(
            info=information, lang=language, sections=[s.value for s in SECTIONS]
        )
    except (TemplateError, KeyError, TypeError, ValueError) as error:
        raise RenderError(
            f"the access summary could not be rendered: {error}; check the templates in your "
            "template directory and that the document comes from article15_information"
        ) from error
    return "\n".join(line.rstrip() for line in page.splitlines() if line.strip()) + "\n"
