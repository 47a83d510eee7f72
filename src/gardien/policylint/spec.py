"""The shape of an item definition: sentence patterns per language, and their vetoes.

An item is present when one sentence of body text (not a bare heading)
matches one of its patterns. A pattern is a regular expression tried on the
sentence's lowercase surface form and on its lowercase lemmas; ``requires``
must also match the same sentence, and ``veto`` must not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gardien.declaration.transparency import TransparencyItem

RIGHTS_CONTEXT = {
    "en": r"\b(right|entitle\w*|can|may|able|request|ask|obtain|exercise|have)\b",
    "fr": r"\b(droits?|pouvez|peuvent|pouvoir|demander|obtenir|exercer|disposez|bénéficiez)\b",
}


@dataclass(frozen=True, slots=True)
class Pattern:
    """A sentence pattern: ``regex`` matches, ``requires`` too, ``veto`` does not."""

    regex: str
    requires: str | None = None
    veto: str | None = None


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One checklist item (its provisions are in the checklist) and its patterns per language."""

    key: TransparencyItem
    patterns: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)
    veto: dict[str, str] = field(default_factory=dict)
