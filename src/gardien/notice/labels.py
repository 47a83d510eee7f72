"""Human labels for data categories, data uses and data subjects, in French and English.

The declaration's own ``label`` wins. Otherwise the label comes from
``data/taxonomy-labels.json``, which names every key of the Fides taxonomy in
both languages. A company's own key without a label (``user.content.feedback``)
is named after its nearest labelled ancestor plus its last segment made
readable: "Contenus de l'utilisateur : feedback".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

from gardien.declaration.models import Declaration
from gardien.declaration.values import Text
from gardien.notice.vocabulary import Lang

Kind = Literal["data_categories", "data_uses", "data_subjects"]
KINDS: tuple[Kind, ...] = ("data_categories", "data_uses", "data_subjects")


@cache
def taxonomy_labels() -> Mapping[Kind, Mapping[str, Text]]:
    """Every shipped label, by kind then key."""
    raw = json.loads(
        resources.files("gardien.notice")
        .joinpath("data", "taxonomy-labels.json")
        .read_text("utf-8")
    )
    return {kind: {key: Text(**pair) for key, pair in raw[kind].items()} for kind in KINDS}


@cache
def german_labels() -> Mapping[Kind, Mapping[str, str]]:
    """The German label of every shipped key (``data/taxonomy-labels.de.json``)."""
    raw = json.loads(
        resources.files("gardien.notice")
        .joinpath("data", "taxonomy-labels.de.json")
        .read_text("utf-8")
    )
    return {kind: dict(raw[kind]) for kind in KINDS}


def shipped_label(key: str, lang: Lang, kind: Kind) -> str | None:
    """The label gardien ships for a taxonomy key in ``lang``, None for a key it does not know."""
    if lang == "de":
        return german_labels()[kind].get(key)
    named = taxonomy_labels()[kind].get(key)
    return named[lang] if named is not None else None


def prettify(segment: str) -> str:
    """``bank_account`` → ``Bank account``: a key segment as a reader would write it."""
    words = segment.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _declared_parent(key: str, declaration: Declaration | None, kind: Kind) -> str | None:
    if kind == "data_categories" and declaration is not None:
        entry = declaration.data_categories.get(key)
        if entry is not None and entry.parent is not None:
            return entry.parent
    return key.rpartition(".")[0] or None


def _declared_label(key: str, declaration: Declaration | None, kind: Kind) -> Text | None:
    if declaration is None:
        return None
    if kind == "data_categories":
        category = declaration.data_categories.get(key)
        return category.label if category is not None else None
    if kind == "data_subjects":
        subject = declaration.subjects.get(key)
        return subject.label if subject is not None else None
    return None


def fallback_label(key: str, lang: Lang, kind: Kind, declaration: Declaration | None = None) -> str:
    """The label of a key nobody named: nearest ancestor's label plus the last segment.

    A key with no labelled ancestor at all is its last segment made readable.
    """
    last = key.rpartition(".")[2]
    seen = {key}
    parent = _declared_parent(key, declaration, kind)
    while parent is not None and parent not in seen:
        seen.add(parent)
        declared = _declared_label(parent, declaration, kind)
        named = declared[lang] if declared is not None else shipped_label(parent, lang, kind)
        if named is not None:
            separator = " : " if lang == "fr" else ": "
            return f"{named}{separator}{prettify(last).lower()}"
        parent = _declared_parent(parent, declaration, kind)
    return prettify(last)


def label(key: str, lang: Lang, kind: Kind, declaration: Declaration | None = None) -> str:
    """How the notice names ``key``: declared label, shipped label, else the fallback."""
    declared = _declared_label(key, declaration, kind)
    if declared is not None:
        return declared[lang]
    return shipped_label(key, lang, kind) or fallback_label(key, lang, kind, declaration)


def category_label(key: str, lang: Lang, declaration: Declaration | None = None) -> str:
    return label(key, lang, "data_categories", declaration)


def subject_label(key: str, lang: Lang, declaration: Declaration | None = None) -> str:
    return label(key, lang, "data_subjects", declaration)


def data_use_label(key: str, lang: Lang) -> str:
    return label(key, lang, "data_uses")
