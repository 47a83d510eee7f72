"""Names end where their words end: a span is never left cut inside a word.

A recognizer may stop short inside a name: at the hyphen of a compound first
name ("Jean-" of "Jean-Luc Moreau"), before a capital inside a surname ("Mc"
of "McDonald"), before a letter its character class did not know ("Mar" of
"Marín"). What is left ("Luc", "Donald", "ín") is readable by whoever gets the
text. A name, a place or an organisation is made of whole words, so their
spans are widened to the edges of the words they touch, hyphenated parts
included.

A stage name's prefix is a word of the name too: "DJ Khaled", "MC Solaar",
"Lil Wayne". A person's span is widened over it, or "DJ" is left to say who
is meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from gardien.redact.span import LOCATION, ORGANIZATION, PERSON, Span

#: Labels whose values are whole words (rules for numbers have their own edges).
WHOLE_WORD_LABELS = frozenset({PERSON, LOCATION, ORGANIZATION})
_STAGE_PREFIX = re.compile(r"(?<![\w'’])(?:DJ|Dj|MC|Lil|lil)['’]?[ \t]+$")


def _in_word(text: str, at: int) -> bool:
    """``text[at]`` belongs to a word: a letter or digit, or a hyphen between two."""
    char = text[at]
    if char.isalnum():
        return True
    return (
        char == "-" and 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum()
    )


def widen(text: str, span: Span) -> Span:
    """``span`` widened to the whole words it starts and ends in (one pass
    over the characters it adds, so a long text costs nothing more)."""
    start, end = span.start, span.end
    if start >= end:
        return span
    # A span ending on a hyphen ("Jean-") ends inside a compound name.
    if text[end - 1] == "-" or text[end - 1].isalnum():
        while end < len(text) and _in_word(text, end):
            end += 1
    if text[start].isalnum():
        while start > 0 and _in_word(text, start - 1):
            start -= 1
    while end > start and text[end - 1] == "-":
        end -= 1
    if span.label == PERSON:
        prefix = _STAGE_PREFIX.search(text, max(0, start - 8), start)
        if prefix is not None:
            start = prefix.start()
    if (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end, text=text[start:end])


def whole_words(text: str, spans: Iterable[Span]) -> list[Span]:
    """Every name, place and organisation span widened to whole words."""
    return [widen(text, s) if s.label in WHOLE_WORD_LABELS else s for s in spans]
