"""The recognizer contract and the pattern recognizer every rule builds on.

A rule recognizer is data (``PATTERNS``, ``CONTEXT``) plus, where a value has a
checksum, one ``validate_result`` method: presidio's ``uk_nhs_recognizer.py``
is the model. Context words are looked up in the text's own language, in a
few words around the match, and raise the score of weak patterns above the
reporting threshold.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from gardien.redact.language import SUPPORTED
from gardien.redact.span import Explanation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# The first three characters of each word of a text (``needs``).
_WORD_RUN = re.compile(r"\w+")
_NEED_KEY = re.compile(r"\w{1,3}")
# The letters a need may be written with: under ``(?i)`` each of them matches
# exactly the characters whose ``str.lower()`` is that letter, except for the
# three of ``_CASE_ODD`` (a test checks both over every code point).
NEED_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789àâäçéèêëîïôöùûüÿœæ")
_CASE_ODD = ("\u0130", "\u0131", "\u017f")  # İ (lowers to two characters), ı, ſ
# The last text's word starts: every recognizer of one call reads the same text.
_last_starts: tuple[str, AbstractSet[str] | None] = ("", frozenset())


def word_starts(text: str) -> AbstractSet[str] | None:
    """The first one, two and three characters, lower-cased, of every word of
    ``text``; ``None`` when a character of ``_CASE_ODD`` makes that unreliable
    (every pattern then runs)."""
    global _last_starts
    last = _last_starts
    if last[0] is text:
        return last[1]
    starts: set[str] | None = None
    if not any(odd in text for odd in _CASE_ODD):
        words = _WORD_RUN.findall(text.lower())
        starts = {w[:3] for w in words}
        starts.update([w[:2] for w in words])
        starts.update([w[:1] for w in words])
    _last_starts = (text, starts)
    return starts


@functools.cache
def _context_split(wanted: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The single words of a ``CONTEXT`` list, and its phrases (with a space or
    an apostrophe, looked for as they are written)."""
    phrases = tuple(w for w in wanted if " " in w or "'" in w)
    return tuple(w for w in wanted if w not in phrases), phrases


def need_keys(needs: tuple[str, ...]) -> frozenset[str]:
    """What ``word_starts`` must hold one of for a pattern with these ``needs``."""
    keys = set()
    for word in needs:
        key = _NEED_KEY.match(word)
        if key is None or not set(key.group()) <= NEED_LETTERS:
            raise ValueError(
                f"need {word!r} must start with lower-case letters or digits of NEED_LETTERS"
            )
        keys.add(key.group())
    return frozenset(keys)


#: Where a number made of digit groups may start and end: not inside a word,
#: a decimal, a date or an IP address.
NUMBER_START = r"(?<![\w.,/-])"
NUMBER_END = r"(?![\w]|[.,/-]\d)"


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression and the score a bare match of it deserves.

    When the expression has a group named ``v``, only that group is the
    value (the rest is anchoring text such as a title or "né le").
    """

    name: str
    regex: str
    score: float
    languages: frozenset[str] = field(default=frozenset(SUPPORTED))
    ignore_case: bool = False
    #: Pre-filters, so that the expression runs only on texts it can match
    #: (most of a short text's rule time is spent scanning texts with no
    #: match). ``needs``: lower-case words one of which begins a word of
    #: every match (after a ``\b``, a space or an apostrophe); only their
    #: first three letters are compared, so a stem ("habit", "né") covers
    #: its forms. ``trigger``: a cheap expression every match contains
    #: (compiled with the same flags as ``regex``).
    needs: tuple[str, ...] = ()
    trigger: str | None = None


def _flags(pattern: Pattern) -> int:
    return re.IGNORECASE if pattern.ignore_case else 0


_Compiled = tuple[Pattern, re.Pattern[str], frozenset[str], re.Pattern[str] | None]


class Recognizer(ABC):
    """Finds spans of one or more labels in a text of a given language."""

    name: ClassVar[str]
    labels: ClassVar[tuple[str, ...]]
    #: True when the recognizer reads the spaCy ``Doc`` (NER); the analyzer
    #: only runs the pipeline when one such recognizer is enabled.
    uses_nlp: ClassVar[bool] = False

    @abstractmethod
    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        """Every candidate span in ``text``; overlaps are resolved later."""


class PatternRecognizer(Recognizer):
    """A recognizer made of regular expressions, context words and a validator."""

    LABEL: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    #: Words (per language) whose presence near a match raises its score.
    CONTEXT: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    CONTEXT_BOOST: ClassVar[float] = 0.35
    #: Score given to a value whose checksum holds; ``None`` keeps the
    #: pattern's score (validation then only removes impossible values).
    VALID_SCORE: ClassVar[float | None] = 1.0
    VALIDATION: ClassVar[str] = "checksum"
    #: A cheap expression every match needs (e.g. a digit, an "@"): when the
    #: text has none, the patterns are not run at all.
    TRIGGER: ClassVar[str | None] = None
    # Context is looked for in this many characters before and after a match.
    WINDOW_BEFORE: ClassVar[int] = 48
    WINDOW_AFTER: ClassVar[int] = 24

    def __init__(self) -> None:
        self.labels = (self.LABEL,)  # type: ignore[misc]
        self._trigger = re.compile(self.TRIGGER) if self.TRIGGER else None
        # Each pattern with its compiled expression and its pre-filters (the
        # keys of its needs, its trigger), for each language it applies to.
        self._compiled: dict[str, list[_Compiled]] = {}
        for lang in SUPPORTED:
            self._compiled[lang] = [
                (
                    p,
                    re.compile(p.regex, _flags(p)),
                    need_keys(p.needs),
                    re.compile(p.trigger, _flags(p)) if p.trigger else None,
                )
                for p in self.PATTERNS
                if lang in p.languages
            ]

    def validate_result(self, value: str) -> bool | None:
        """``False`` drops the match, ``True`` confirms it, ``None``: no check."""
        return None

    def refine(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Adjust a match's boundaries (default: unchanged)."""
        return start, end

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        spans: list[Span] = []
        if self._trigger is not None and self._trigger.search(text) is None:
            return spans
        for pattern, regex, keys, trigger in self._compiled.get(lang, ()):
            if keys:
                starts = word_starts(text)
                if starts is not None and keys.isdisjoint(starts):
                    continue
            if trigger is not None and trigger.search(text) is None:
                continue
            for match in regex.finditer(text):
                start, end = match.span("v") if "v" in regex.groupindex else match.span()
                start, end = self.refine(text, start, end)
                if end <= start:
                    continue
                span = self._score(text, lang, pattern, start, end)
                if span is not None:
                    spans.append(span)
        return spans

    def _score(self, text: str, lang: str, pattern: Pattern, start: int, end: int) -> Span | None:
        value = text[start:end]
        valid = self.validate_result(value)
        if valid is False:
            return None
        score = pattern.score
        if valid and self.VALID_SCORE is not None:
            score = max(score, self.VALID_SCORE)
        words = self.context_words(text, lang, start, end)
        final = min(1.0, score + self.CONTEXT_BOOST) if words else score
        explanation = Explanation(
            recognizer=self.name,
            pattern=pattern.name,
            original_score=pattern.score,
            score=final,
            context_words=words,
            validation=f"{self.VALIDATION} ok" if valid else None,
        )
        return Span(start, end, self.LABEL, final, explanation, value)

    def context_words(self, text: str, lang: str, start: int, end: int) -> tuple[str, ...]:
        """The context words of ``lang`` found around ``text[start:end]``."""
        wanted = self.CONTEXT.get(lang, ())
        if not wanted:
            return ()
        before = text[max(0, start - self.WINDOW_BEFORE) : start].lower()
        after = text[end : end + self.WINDOW_AFTER].lower()
        window = set(_WORD.findall(before + " " + after))
        plain, phrases = _context_split(tuple(wanted))
        # Most matches have no context word near them: one pass finds that out.
        if not any(w.startswith(plain) for w in window) and not any(
            p in before or p in after for p in phrases
        ):
            return ()
        found: list[str] = []
        for word in wanted:
            if " " in word or "'" in word:
                if word in before or word in after:
                    found.append(word)
            # A prefix match lets "téléphone" cover "téléphoner", "phone" "phones".
            elif word in window or (len(word) >= 4 and any(w.startswith(word) for w in window)):
                found.append(word)
        return tuple(found)
