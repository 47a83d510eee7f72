"""One person, one placeholder: a surname or a first name alone stands for the
full name it belongs to.

"Margaux Vidal a signé. Vidal rappellera." names one person twice; numbering
each writing apart would give ``<PERSON_1>`` then ``<PERSON_2>``, and the AI
provider would read two people. ``Mentions`` remembers the full names (two
name words or more) a document has shown so far, in this piece and earlier
ones, and gives each shorter mention of a person the full name it is part
of, which the operators then number, hash or map as that full name.

A mention that fits two different full names ("Vidal" after "Margaux Vidal"
and "Paul Vidal") cannot be told apart: it keeps its own placeholder rather
than be given the wrong person.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardien.redact.propagation import MAX_REMEMBERED, name_parts
from gardien.redact.span import PERSON, Span


def _words(value: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in value.split())


class Mentions:
    """The full names of one document, and which full name a mention stands for."""

    def __init__(self) -> None:
        # Each name part (case-folded) → the full names it is part of.
        self._by_part: dict[str, set[str]] = {}
        self._full: dict[tuple[str, ...], str] = {}

    def add(self, spans: Sequence[Span]) -> None:
        """Remember the full names among ``spans``."""
        for span in spans:
            if span.label != PERSON:
                continue
            parts = name_parts(span.text)
            key = _words(span.text)
            # Memory stays bounded on a huge file, as the document's name index does.
            if not parts or (key not in self._full and len(self._full) >= MAX_REMEMBERED):
                continue
            full = self._full.setdefault(key, span.text)
            for part in parts:
                self._by_part.setdefault(part.casefold(), set()).add(full)

    def referent(self, span: Span) -> str | None:
        """The full name ``span`` stands for, or ``None`` when it is one itself,
        is not a person, or could be more than one known person."""
        if span.label != PERSON:
            return None
        words = _words(span.text)
        if words in self._full:
            return None
        candidates: set[str] | None = None
        for word in words:
            owners = self._by_part.get(word, set())
            candidates = set(owners) if candidates is None else candidates & owners
        if candidates is None or len(candidates) != 1:
            return None
        return next(iter(candidates))

    def referents(self, spans: Sequence[Span]) -> list[str | None]:
        """``referent`` of each span, after remembering the full names among them
        (a surname may come before the full name in the same piece)."""
        self.add(spans)
        return [self.referent(s) for s in spans]
