"""The Jinja2 environments the notice is rendered with, one per output format.

Both escape every value: HTML with Jinja's autoescape, Markdown through a
``finalize`` hook that backslash-escapes Markdown punctuation and wraps the
result in ``Markup`` so that it is not escaped a second time as HTML. Template
text itself is never escaped. A company's template directory is searched
before the templates shipped with gardien, file by file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from gardien.notice.wording import de
from gardien.notice.wording_de import after_colon

Format = Literal["md", "html"]

# Markdown punctuation that can start emphasis, links, code, HTML or table cells.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_NEWLINES = re.compile(r"\s*\n\s*")
_TERMINAL = (".", "!", "?", "…", ":", ";")


def markdown_escape(text: str) -> str:
    """``text`` shown literally in Markdown: punctuation escaped, lines joined."""
    return _MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text))


def _finalize_markdown(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return Markup(markdown_escape(str(value)))


def slug(text: str) -> str:
    """The anchor Markdown renderers derive from a heading: ``Vos droits`` → ``vos-droits``."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


#: A sentence's full stop right after a declared text that ends with its own (a name
#: such as "Lesekreis Altstadt e. V.", "etc."): one stop, as typeset text has.
_DOUBLED_STOP = re.compile(r"(?<=\w\.)\.(?=\s|$)")


def squash(value: Markup) -> Markup:
    """One line of already-escaped markup: template indentation must not leak into Markdown,
    and a full stop after a text that ends with one is not doubled."""
    return Markup(_DOUBLED_STOP.sub("", " ".join(str(value).split())))


def sentence(text: str, capitalize: bool = True) -> str:
    """``text`` as a sentence: capital letter first, final full stop if it has none."""
    text = text.strip()
    if capitalize:
        text = text[:1].upper() + text[1:]
    return text if text.endswith(_TERMINAL) else text + "."


def lower_first(text: str, keep: Collection[str] = ()) -> str:
    """``Adresse e-mail`` → ``adresse e-mail`` inside a sentence.

    A first word that is a name keeps its capital: an acronym or a brand with a
    capital inside (``IP address``, ``LinkedIn``), a name of several capitalised
    words (``Google Analytics``), or one of ``keep`` (the
    declaration's company, recipient and brand names, lower-cased: ``viky``).
    """
    words = text.split(maxsplit=2)
    if not words or not text[0].isupper():
        return text
    first = words[0]
    if any(c.isupper() for c in first[1:]) or first.strip(".,;:'’").lower() in keep:
        return text
    if len(words) > 1 and words[1][:1].isupper() and not words[1].isupper():
        # A name of several words: "Annuaire Pro SAS", "Google Analytics"; an acronym
        # after a common noun is not one ("Adresse IP" → "adresse IP").
        return text
    return text[0].lower() + text[1:]


def clause(text: str, keep: Collection[str] = ()) -> str:
    """A declared text inside a sentence, after « pour », « À défaut, » or a colon:
    lower-case first letter (unless a name) and no final full stop."""
    return lower_first(text.strip(), keep).rstrip(".").rstrip()


def bare(text: str) -> str:
    """A declared text inside a German sentence: trimmed, no final full stop, its first
    letter kept (German nouns keep their capital)."""
    return text.strip().rstrip(".").rstrip()


def url(value: str) -> Markup:
    """A URL safe inside a Markdown link destination ``<…>``."""
    return Markup(quote(value, safe=":/?#[]@!$&'()*+,;=%~-._"))


def cited(*tokens: Any) -> str:
    """The sources of a block, space-separated: falsy tokens dropped, lists flattened.

    ``cited("controller.name", view.phone and "controller.phone")``.
    """
    flat: list[str] = []

    def add(token: Any) -> None:
        if isinstance(token, list | tuple):
            for inner in token:
                add(inner)
        elif token:
            flat.append(str(token))

    for token in tokens:
        add(token)
    return " ".join(dict.fromkeys(flat))


def suffix(text: str, end: str) -> str:
    """``text`` followed by ``end``: ``purposes.x`` → ``purposes.x.retention``."""
    return f"{text}{end}"


def zip_filter(first: Iterable[Any], *others: Iterable[Any]) -> list[tuple[Any, ...]]:
    return list(zip(first, *others, strict=True))


# Compiling the templates costs far more than rendering them; an environment is
# kept per format and directory. FileSystemLoader still reloads edited files.
@lru_cache(maxsize=32)
def make_environment(fmt: Format, template_dir: Path | None) -> Environment:
    loaders: list[FileSystemLoader | PackageLoader] = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(template_dir))
    loaders.append(PackageLoader("gardien.notice", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        finalize=_finalize_markdown if fmt == "md" else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.globals["cited"] = cited
    env.filters.update(
        slug=slug,
        squash=squash,
        sentence=sentence,
        lower_first=lower_first,
        clause=clause,
        bare=bare,
        after_colon=after_colon,
        de=de,
        url=url,
        zip=zip_filter,
        suffix=suffix,
    )
    return env
