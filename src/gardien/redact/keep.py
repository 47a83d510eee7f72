"""Terms never redacted: the company's own product, service and brand names.

A statistical model takes "Colissimo" or "Gift Card" for a person or a place,
and an AI provider then reads "<PERSON_3> a perdu mon colis". The company
lists such names (``redaction.keep`` in privacy.yaml, or per call); a span
that lies wholly inside an occurrence of one (any case, whole words) is not
reported. A span reaching beyond it is ("Colissimo Dupont" stays a name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from gardien.errors import RedactionError
from gardien.redact.span import Span

#: Longest accepted term and most terms per call, so that one request cannot
#: build a pathological expression.
MAX_TERM_CHARS = 100
MAX_TERMS = 1000


@functools.lru_cache(maxsize=64)
def _expression(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so that "Gift Card Plus" wins over "Gift Card".
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def check_terms(terms: Sequence[str]) -> tuple[str, ...]:
    """``terms`` as a tuple, refused if they are too many or too long."""
    if isinstance(terms, str):
        raise RedactionError('keep is a list of terms, not one string: write ["Colissimo"]')
    if len(terms) > MAX_TERMS:
        raise RedactionError(f"{len(terms)} terms to keep: at most {MAX_TERMS}")
    for term in terms:
        if not isinstance(term, str) or not term.strip() or len(term) > MAX_TERM_CHARS:
            raise RedactionError(
                f"each term to keep is a non-empty text of at most {MAX_TERM_CHARS} characters"
            )
    return tuple(terms)


def kept_regions(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` as whole words, any case."""
    if not terms:
        return []
    return [m.span() for m in _expression(tuple(terms)).finditer(text)]


def outside(spans: Sequence[Span], regions: Sequence[tuple[int, int]]) -> list[Span]:
    """``spans`` without those lying wholly inside a kept region."""
    if not regions:
        return list(spans)
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in regions)]
