"""Dates in French and English: numeric (day first, or month first in
English), ISO 8601, and written forms such as "3 janvier 2024", "le 1er mars",
"March 3, 2024" or "3rd of March 2024"; a bare year or a weekday only where a
word makes it a date ("founded in 1977", "depuis 2019", "on Saturday", "ce
lundi"), since "2019 rooms" and "Sunday roast" are not, nor "fermé le samedi"
(every Saturday).
"""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import DATE

_FR_MONTHS = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
    r"|d[ée]cembre|janv\.|f[ée]vr?\.|avr\.|juil\.|sept\.|oct\.|nov\.|d[ée]c\.)"
)
_EN_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
# The months as words, for the patterns' pre-filter (``Pattern.needs``): each
# form above begins with the first three letters of one of them.
_FR_MONTH_WORDS = (
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
    "septembre", "octobre", "novembre", "décembre", "decembre",
)  # fmt: skip
_EN_MONTH_WORDS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_FR_WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
_EN_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_EN_ORD = r"(?:st|nd|rd|th)?"
_NOT_NUM = r"(?![\d/.\-]\d)"
_NUM_START = r"(?<![\d/.\-])"
_FR = frozenset({"fr"})
_EN = frozenset({"en"})


class DateRecognizer(PatternRecognizer):
    """Calendar dates (not times, not durations)."""

    name = "date"
    LABEL = DATE
    # A digit, or the end of a weekday's name ("Saturday", "lundi", "dimanche").
    TRIGGER = r"\d|(?i:day|di|dimanche)\b"
    PATTERNS = (
        Pattern(
            "dmy-numeric",
            rf"{_NUM_START}{_DAY}([/.\-]){_MONTH}\1{_YEAR}{_NOT_NUM}",
            0.75,
            trigger=r"\d[/.\-]\d",
        ),
        Pattern(
            "mdy-numeric",
            rf"{_NUM_START}{_MONTH}/{_DAY}/{_YEAR}{_NOT_NUM}",
            0.7,
            languages=_EN,
            trigger=r"\d/\d",
        ),
        Pattern(
            "dmy-short-year",
            rf"{_NUM_START}{_DAY}/{_MONTH}/\d\d{_NOT_NUM}",
            0.4,
            trigger=r"\d/\d",
        ),
        Pattern(
            "iso",
            rf"{_NUM_START}{_YEAR}-(?:1[0-2]|0[1-9])-(?:3[01]|[12]\d|0[1-9])"
            r"(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?\b",
            0.8,
            trigger=r"\d-\d",
        ),
        Pattern(
            "fr-written",
            rf"\b{_FR_WEEKDAY}(?:1er|{_DAY})\s+{_FR_MONTHS}(?:\s+{_YEAR})?(?![\w])",
            0.85,
            languages=_FR,
            ignore_case=True,
            needs=_FR_MONTH_WORDS,
        ),
        Pattern(
            "fr-month-year",
            rf"\b{_FR_MONTHS}\s+{_YEAR}\b",
            0.6,
            languages=_FR,
            ignore_case=True,
            needs=_FR_MONTH_WORDS,
        ),
        Pattern(
            "en-month-first",
            rf"\b{_EN_WEEKDAY}{_EN_MONTHS}\s+{_DAY}{_EN_ORD}(?:,?\s+{_YEAR})?\b",
            0.85,
            languages=_EN,
            needs=_EN_MONTH_WORDS,
        ),
        Pattern(
            "en-day-first",
            rf"\b{_DAY}{_EN_ORD}\s+(?:of\s+)?{_EN_MONTHS},?\s+{_YEAR}\b",
            0.85,
            languages=_EN,
            needs=_EN_MONTH_WORDS,
        ),
        Pattern(
            "en-month-year",
            rf"\b{_EN_MONTHS},?\s+{_YEAR}\b",
            0.6,
            languages=_EN,
            needs=_EN_MONTH_WORDS,
        ),
        Pattern(
            "en-year",
            rf"(?i:\b(?:in|since|during|of|until|till|by|before|after|circa|year))\s+"
            rf"(?P<v>{_YEAR}){_NOT_NUM}\b",
            0.6,
            languages=_EN,
            needs=("18", "19", "20"),
        ),
        Pattern(
            "fr-year",
            rf"(?i:\b(?:en|depuis|dès|jusqu'en|jusqu’en|année|avant|après|fin|début))\s+"
            rf"(?P<v>{_YEAR}){_NOT_NUM}\b",
            0.6,
            languages=_FR,
            needs=("18", "19", "20"),
        ),
        Pattern(
            "en-weekday",
            r"(?i:\b(?:on|last|next|this|every|until|since|by))\s+"
            r"(?P<v>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
            0.6,
            languages=_EN,
            needs=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        ),
        Pattern(
            "fr-weekday",
            r"(?i:\b(?:ce|dès|depuis|jusqu'à|jusqu’à)\s+"
            r"(?P<v>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))\b",
            0.6,
            languages=_FR,
            needs=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("né", "née", "naissance", "date", "le", "depuis", "jusqu'au", "du", "au"),
        "en": ("born", "birth", "dob", "date", "on", "since", "until", "from", "dated"),
    }
    VALID_SCORE = None
