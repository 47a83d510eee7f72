"""Negation, in French and English: what a sentence says does not happen.

"Nous ne transférons pas vos données hors de l'UE", « aucun transfert »,
« vos données ne sont jamais vendues », "we do not sell", "we don't share your
data with Facebook" each say that something does *not* happen. A pattern that
finds "transfer … outside the EU" or a proper noun in a sharing sentence must
not read them as the affirmation, nor report them as a contradiction with the
declaration.

Negation is read clause by clause: a sentence is cut at ``;``, ``:`` and at
words that turn it ("but", « mais », "except", « sauf »…), so that "we do not
sell your data, but we share it with Stripe" still names Stripe as a recipient.
The cues are words, not grammar: « ne … pas / jamais / plus / aucun / rien /
personne / nullement », « aucun(e) », « jamais », « ni »; "not", "n't", "cannot",
"never", "no" (not "no later than", "no longer than"), "none", "nothing",
"nobody", "nowhere", "neither", "nor". « ne … que » (only) is not a negation.
"""

from __future__ import annotations

import re

from gardien.policylint.segment import normalise

#: Words where a sentence turns: each side is a clause of its own.
CLAUSE_BREAK = re.compile(
    r"[;:]|\b(but|however|except|excepting|unless|whereas|although|apart from|other than|"
    r"mais|cependant|toutefois|sauf|excepté|hormis|à l'exception d|à moins qu|tandis qu|"
    r"en revanche)\b",
    re.IGNORECASE,
)
NEGATION = {
    "en": re.compile(
        r"\b(not|cannot|never|none|nothing|nobody|nowhere|neither|nor|no one)\b|n't\b"
        r"|\bno\b(?!\s+(later|longer|more|less|fewer|sooner)\s+than)(?!\s*\.)"
    ),
    "fr": re.compile(
        r"\b(ne|n')\s*(\S+\s+){0,4}?(pas|jamais|plus|aucun|aucune|rien|nullement|point|guère|"
        r"personne)\b|\b(aucun|aucune|jamais|nullement)\b|\bni\b"
        r"|\bn'\S+\s+(pas|jamais|plus|aucun|aucune|rien|nullement)\b"
    ),
}


_STRAIGHT = str.maketrans("’‘«»", "''\"\"")


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of ``text``."""
    bounds, start = [], 0
    for match in CLAUSE_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def is_negated(clause: str, lang: str) -> bool:
    """True when ``clause`` says that something does not happen."""
    return bool(NEGATION[lang].search(normalise(clause)))


def negated_at(text: str, index: int, lang: str) -> bool:
    """True when the clause of ``text`` holding character ``index`` is negated."""
    for start, end in _clauses(text):
        if start <= index <= end:
            return is_negated(text[start:end], lang)
    return False


def negated_where(text: str, cue: str, lang: str) -> bool:
    """True when every clause of ``text`` in which ``cue`` (a regular expression, matched
    on the lowercase text) occurs is negated, and there is at least one."""
    low = normalise_keep_length(text)
    found = [m.start() for m in re.finditer(cue, low)]
    return bool(found) and all(negated_at(text, index, lang) for index in found)


def normalise_keep_length(text: str) -> str:
    """Lowercase with straight apostrophes and quotes, character for character."""
    return text.lower().translate(_STRAIGHT)
