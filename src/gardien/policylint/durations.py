"""Periods written in a policy ("3 years", "thirteen months", "un mois", "2 ans").

Each period found is turned into the declaration's own ``Duration`` so that
a text and a ``privacy.yaml`` can be compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gardien.declaration.values import Duration, DurationUnit

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fifteen": 15, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "thirty-six": 36, "sixty": 60, "ninety": 90,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quinze": 15, "dix-huit": 18, "vingt": 20, "vingt-quatre": 24, "trente": 30,
    "trente-six": 36, "soixante": 60, "quatre-vingt-dix": 90,
}  # fmt: skip
UNIT_WORDS: dict[str, DurationUnit] = {
    "day": DurationUnit.DAYS, "days": DurationUnit.DAYS, "jour": DurationUnit.DAYS,
    "jours": DurationUnit.DAYS, "week": DurationUnit.WEEKS, "weeks": DurationUnit.WEEKS,
    "semaine": DurationUnit.WEEKS, "semaines": DurationUnit.WEEKS,
    "month": DurationUnit.MONTHS, "months": DurationUnit.MONTHS, "mois": DurationUnit.MONTHS,
    "year": DurationUnit.YEARS, "years": DurationUnit.YEARS, "an": DurationUnit.YEARS,
    "ans": DurationUnit.YEARS, "année": DurationUnit.YEARS, "années": DurationUnit.YEARS,
}  # fmt: skip
# "six" is both English and French; longest words first so "twenty-four" wins over "twenty".
_NUMBER = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(w) for w in UNIT_WORDS), key=len, reverse=True))
PERIOD = re.compile(
    rf"\b(?P<number>\d{{1,3}}|{_NUMBER})\s*(?:\(\d{{1,3}}\)\s*)?(?P<unit>{_UNIT})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundPeriod:
    """A period found in a text, with its offsets in that text."""

    duration: Duration
    start: int
    end: int


def find_periods(text: str) -> list[FoundPeriod]:
    """Every period written in ``text``, in order."""
    found: list[FoundPeriod] = []
    for match in PERIOD.finditer(text):
        number = match.group("number").lower()
        amount = int(number) if number.isdigit() else NUMBER_WORDS[number]
        unit = UNIT_WORDS[match.group("unit").lower()]
        found.append(FoundPeriod(Duration(amount, unit), match.start(), match.end()))
    return found


def same_length(a: Duration, b: Duration) -> bool:
    """True when two periods are the same length (12 months is 1 year)."""
    return abs(a.in_days() - b.in_days()) < 1.0
