"""Every occurrence of a name found once, in a text and in the rest of its document.

A statistical model may tag one "Jean Dupont" and miss the next, or find
"Priya Raman" and not the "Priya" of the signature; a file read block by
block may name in its last block someone found in its first. Redaction must
leave none of them behind. Names, places and organisations found are put in
a ``NameIndex`` (each value, and each word of a person's full name), and
every whole-word occurrence of an indexed value, or of the value written in
capitals, is reported too, scoring a little below what was found so that
anything detected there on its own wins.

The index is keyed by a value's first word, and a text is scanned word by
word: finding every known value costs one pass over the text, however many
values the document has revealed so far.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from gardien.redact.recognizers.ner import NAME_PARTICLES
from gardien.redact.span import LOCATION, ORGANIZATION, PERSON, Explanation, Span

#: Labels found by a statistical model, which may tag one occurrence and miss the next.
PROPAGATED = frozenset({PERSON, ORGANIZATION, LOCATION})
_WHOLE_DISCOUNT = 0.95
_PART_DISCOUNT = 0.9
#: Most values one document remembers: beyond, values are still redacted
#: where they are detected, but no longer looked for in later pieces.
MAX_REMEMBERED = 200_000
_WORD = re.compile(r"\w+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def whole_word_occurrences(text: str, value: str) -> Iterator[int]:
    """Where ``value`` occurs in ``text`` not glued to a letter or digit."""
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            yield start
            start = text.find(value, end)
        else:
            start = text.find(value, start + 1)


def name_parts(value: str) -> list[str]:
    """The words of a person's full name that stand for the person alone
    later in a text ("Priya Raman" … "Thanks, Priya"): capitalised, three
    letters or more, not a particle."""
    words = value.split()
    if len(words) < 2:
        return []
    return [
        word
        for word in words
        if len(word) >= 3 and word[0].isupper() and word.casefold() not in NAME_PARTICLES
    ]


@dataclass(frozen=True, slots=True)
class _Known:
    """A value to look for, and how to explain finding it."""

    value: str
    label: str
    score: float
    source: Span
    relation: str  # "same value as" or "part of"
    where: str  # "at 27" or "earlier in the document"
    here: bool  # the source span is in the text being scanned


class NameIndex:
    """Values to look for, by first word."""

    def __init__(self) -> None:
        self._by_first_word: dict[str, list[_Known]] = {}
        # Values that do not start with a word character, searched one by one.
        self._others: list[_Known] = []
        self._values: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self._values)

    def add(self, span: Span, here: bool) -> None:
        """Look for ``span``'s value (and, for a person, each word of the
        name) from now on; ``here``: the span is in the text to be scanned."""
        if span.label not in PROPAGATED or len(span.text.strip()) < 3:
            return
        where = f"at {span.start}" if here else "earlier in the document"
        candidates = [(span.text, _WHOLE_DISCOUNT, "same value as")]
        if span.label == PERSON:
            candidates += [(part, _PART_DISCOUNT, "part of") for part in name_parts(span.text)]
        for value, discount, relation in candidates:
            if (span.label, value) in self._values or len(self._values) >= MAX_REMEMBERED:
                continue
            self._values.add((span.label, value))
            score = span.score * discount
            self._look_for(_Known(value, span.label, score, span, relation, where, here))
            # The same value written in capitals, as forms and minutes write
            # surnames ("M. Dupont" … "DUPONT") and comments shout names;
            # never in lower case: "Will" found as a name says nothing of "will".
            capitals = value.upper()
            if capitals != value and (span.label, capitals) not in self._values:
                relation = f"{relation} (in capitals)"
                self._look_for(_Known(capitals, span.label, score, span, relation, where, here))

    def _look_for(self, known: _Known) -> None:
        first = _WORD.match(known.value)
        if first is None:
            self._others.append(known)
        else:
            self._by_first_word.setdefault(first.group(), []).append(known)

    def spans_in(self, text: str) -> list[Span]:
        """A span for every whole-word occurrence of an indexed value in
        ``text``, but the source spans themselves."""
        found: list[Span] = []
        if self._by_first_word:
            for word in _WORD.finditer(text):
                for known in self._by_first_word.get(word.group(), ()):
                    start = word.start()
                    end = start + len(known.value)
                    if text.startswith(known.value, start) and (
                        end == len(text) or not _is_word_char(text[end])
                    ):
                        found.extend(_span(known, start, end))
        for known in self._others:
            for start in whole_word_occurrences(text, known.value):
                found.extend(_span(known, start, start + len(known.value)))
        return found


def _span(known: _Known, start: int, end: int) -> Iterable[Span]:
    source = known.source
    if known.here and source.start <= start < source.end:
        return ()
    explanation = Explanation(
        recognizer="propagation",
        pattern=f"{known.relation} {known.label} {known.where}",
        original_score=source.score,
        score=known.score,
        validation=f"found by {source.explanation.recognizer}",
    )
    return (Span(start, end, known.label, known.score, explanation, known.value),)


def propagate(text: str, spans: Sequence[Span], earlier: NameIndex | None = None) -> list[Span]:
    """``spans`` plus every other whole-word occurrence in ``text`` of the
    names, places and organisations among them, and of those in ``earlier``
    (the rest of the document)."""
    here = NameIndex()
    for span in spans:
        here.add(span, here=True)
    copies = here.spans_in(text)
    if earlier is not None:
        copies += earlier.spans_in(text)
    # A known value inside a longer span detected here is part of that span
    # ("Microsoft" of "Microsoft Azure (M. Niccoli)"): were it to win over a
    # weak rule's longer span, the rest of the name would be left readable.
    inside = _inside(copies, spans)
    return [*spans, *(c for c, within in zip(copies, inside, strict=True) if not within)]


def _inside(copies: Sequence[Span], spans: Sequence[Span]) -> list[bool]:
    """Whether each copy lies within a longer one of ``spans`` (in text order,
    not overlapping, so each copy is checked against one neighbour)."""
    starts = [s.start for s in spans]
    result = []
    for copy in copies:
        at = bisect.bisect_right(starts, copy.start) - 1
        host = spans[at] if at >= 0 else None
        result.append(
            host is not None
            and host.start <= copy.start
            and copy.end <= host.end
            and host.end - host.start > copy.end - copy.start
        )
    return result
