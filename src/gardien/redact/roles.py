"""The position a named person holds, written next to the name.

"Mme Julie Bertrand, Directrice Qualité", "M. Kevin Zhang (Lead Developer)",
"Directeur Commercial : M. Thomas Weber": once the name is replaced, the
position is still there, and in a document about one company a position held
by one person ("the quality director", "the head of customer success") names
that person as surely as the name did (an indirect identifier, GDPR Recital
26). So a position written right next to a person's name, as an apposition
after it or before it ("notre VP Customer Success, M. Ahmed Mansour"), or as
the label of the line the name is on, is redacted with it, under a label
of its own (``ROLE``): the AI provider reads ``<PERSON_1>, <ROLE_1>``, one
person and their position, not two people, and ``restore`` gives the
position back.

A position is recognised by its head word, a job word of either language
("directrice", "responsable", "lead", "manager", "head", "CEO"…), first or
last in a run of at most six words that ends at punctuation, a line break or
the next span. Only positions attached to a detected person are taken:
"la directrice qualité a validé" with no name next to it stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gardien.redact.span import PERSON, ROLE, Explanation, Span


def _wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


#: Job words that head a position, case-folded, both languages (French names
#: of positions turn up in English text and back).
ROLE_HEADS = _wordset(
    """
    directeur directrice responsable chef cheffe président présidente vice-président
    vice-présidente gérant gérante assistant assistante architecte ingénieur ingénieure
    développeur développeuse consultant consultante associé associée coordinateur
    coordinatrice correspondant correspondante délégué déléguée secrétaire trésorier
    trésorière analyste avocat avocate juriste comptable chargé chargée conseiller
    conseillère administrateur administratrice fondateur fondatrice cofondateur
    cofondatrice co-fondateur co-fondatrice directeur-général
    director president vice-president manager lead head chief officer engineer developer
    architect consultant partner coordinator analyst founder co-founder cofounder owner
    counsel secretary treasurer administrator vp svp evp
    ceo cto cfo coo cso ciso cio cmo cpo dpo rssi dsi drh daf dg pdg
    """
)
# A word of a position: letters (any script), inner hyphens, apostrophes, "&".
_WORD = r"[^\W\d_][\w'’&\-]*"
# At most six words on one line, separated by single spaces.
_PHRASE = rf"{_WORD}(?: {_WORD}){{0,5}}"
# Between a name and the position after it: ", ", " - ", " – ", " — ", " (".
_AFTER = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+[-–—][ \t]+|[ \t]*\([ \t]*)(?P<role>{_PHRASE})")
# A position heading the line the name is on: "- Directeur Commercial: M. Thomas Weber".
_BEFORE = re.compile(
    rf"(?:^|\n)[ \t]*(?:[-*•✓][ \t]*)?(?P<role>{_PHRASE})[ \t]*:[ \t]*"
    r"(?:(?:M|MM|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms)\.?[ \t]+|(?:Madame|Monsieur|Maître|Docteur)[ \t]+)?$"
)
# A position written before the name as an apposition: "notre VP Customer
# Success, M. Ahmed Mansour", "the head of sales, Dana Holt".
_APPOSED = re.compile(
    rf"(?P<words>{_PHRASE})[ \t]*,[ \t]*"
    r"(?:(?:M|MM|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms)\.?[ \t]+|(?:Madame|Monsieur|Maître|Docteur)[ \t]+)?$"
)
SCORE = 0.5


# Words that may come before a position in an apposition: "Sophie Laurent,
# notre lead développeuse", "Paul Roy, former CFO".
_DETERMINERS = _wordset(
    "le la l' l’ notre votre leur son sa ancien ancienne our their his her the former"
)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_position(words: list[str]) -> bool:
    """A head word first ("Directrice Qualité", "Head of Sales", "notre
    architecte"), or a run of capitalised words ending in one ("Backend Lead",
    "Senior Product Manager"); not a clause that ends in one ("a géré avec
    notre avocat")."""
    while words and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    if not words:
        return False
    if words[0].casefold() in ROLE_HEADS:
        return True
    return words[-1].casefold() in ROLE_HEADS and all(_capitalised(w) for w in words)


# Words that link a position to what follows it ("Partner chez Deloitte",
# "CEO of Acme"): not part of the position when nothing follows them.
# Nor is the civility title of the next person's name ("la DRH Mme Blanc").
_LINKS = _wordset(
    "de du des d' d’ la le les l' l’ chez à au aux en et of at for the and in m mm mme mlle"
    " me dr pr mr mrs ms madame monsieur maître docteur"
)


def _trim(text: str, start: int, end: int, limit: int) -> tuple[int, int] | None:
    """The position's words in ``text[start:end]``, cut before ``limit`` (the
    next span), or ``None`` when what is left is not a position."""
    end = min(end, limit)
    words = text[start:end].split()
    while words and (words[-1].casefold() in _LINKS or not _is_position(words)):
        words.pop()
    if not words:
        return None
    value_end = start + len(" ".join(words))
    if text[start:value_end] != " ".join(words):
        return None
    return start, value_end


def _span(text: str, start: int, end: int, where: str) -> Span:
    explanation = Explanation(
        recognizer="role",
        pattern=f"position {where} a person's name",
        original_score=SCORE,
        score=SCORE,
    )
    return Span(start, end, ROLE, SCORE, explanation, text[start:end])


def _apposed(text: str, previous: int, start: int) -> tuple[int, int] | None:
    """A position ending in a comma right before a name: the words from its
    head word on ("notre VP Customer Success, " gives "VP Customer Success")."""
    match = _APPOSED.search(text, previous, start)
    if match is None:
        return None
    words = match.group("words").split()
    for at, word in enumerate(words):
        if word.casefold() in ROLE_HEADS:
            offset = text.index(word, match.start("words") + len(" ".join(words[:at])))
            return offset, match.end("words")
    return None


def role_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Positions written right after or before a person's name among
    ``spans`` (ordered, not overlapping), in no span's way."""
    found: list[Span] = []
    for index, span in enumerate(spans):
        if span.label != PERSON:
            continue
        following = spans[index + 1].start if index + 1 < len(spans) else len(text)
        after = _AFTER.match(text, span.end, following)
        if after is not None:
            kept = _trim(text, after.start("role"), after.end("role"), following)
            if kept is not None:
                found.append(_span(text, *kept, "after"))
        previous = spans[index - 1].end if index > 0 else 0
        before = _BEFORE.search(text, previous, span.start)
        if before is not None and _is_position(before.group("role").split()):
            start, end = before.span("role")
            if not found or found[-1].end <= start:
                found.append(_span(text, start, end, "before"))
            continue
        apposed = _apposed(text, previous, span.start)
        if apposed is not None and (not found or found[-1].end <= apposed[0]):
            found.append(_span(text, *apposed, "before"))
    return found


def with_roles(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` (ordered, not overlapping) and the positions of the people
    among them, in text order."""
    roles = role_spans(text, spans)
    if not roles:
        return list(spans)
    return sorted([*spans, *roles], key=lambda s: s.start)
