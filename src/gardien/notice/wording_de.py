"""Dates, durations, countries and retention rules written out in German.

German needs its cases where French needs its contractions: a period is in the
accusative after "um" or as a subject ("3 Jahre nach der Erhebung"), in the dative
after "innerhalb von" ("innerhalb von einem Monat"); an event is in the dative after
"nach" and "bis zu", whose article contracts ("bis zur Löschung des Kontos", "bis zum
Ende des Vertrags"). ``wording`` calls these for ``lang="de"``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

from gardien.declaration.models import (
    CompanyEvent,
    RetentionAction,
    RetentionEvent,
    RetentionRule,
)
from gardien.declaration.values import Duration, DurationUnit
from gardien.notice.vocabulary_de import EVENTS

Case = Literal["acc", "dat"]

_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]

# (singular, plural, dative plural) and the gender of the noun, for "ein"/"eine".
_UNITS: dict[DurationUnit, tuple[str, str, str, str]] = {
    DurationUnit.DAYS: ("Tag", "Tage", "Tagen", "m"),
    DurationUnit.WEEKS: ("Woche", "Wochen", "Wochen", "f"),
    DurationUnit.MONTHS: ("Monat", "Monate", "Monaten", "m"),
    DurationUnit.YEARS: ("Jahr", "Jahre", "Jahren", "n"),
}
_ONE = {
    ("acc", "m"): "einen",
    ("acc", "f"): "eine",
    ("acc", "n"): "ein",
    ("dat", "m"): "einem",
    ("dat", "f"): "einer",
    ("dat", "n"): "einem",
}
_WORDS = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")


def format_date(date: dt.date) -> str:
    """``1. März 2025``."""
    return f"{date.day}. {_MONTHS[date.month - 1]} {date.year}"


def format_duration(duration: Duration, *, words: bool = False, case: Case = "acc") -> str:
    """``3 Jahre``; with ``words`` small amounts spelled out, in ``case``: ``einen Monat``
    (accusative), ``einem Monat`` / ``zwei Monaten`` (dative)."""
    singular, plural, dative_plural, gender = _UNITS[duration.unit]
    if duration.amount == 1:
        amount = _ONE[(case, gender)] if words else "1"
        return f"{amount} {singular}"
    unit = dative_plural if case == "dat" else plural
    amount = str(duration.amount)
    if words and duration.amount < len(_WORDS):
        amount = _WORDS[duration.amount]
    return f"{amount} {unit}"


def within(duration: Duration) -> str:
    """The period after "innerhalb": ``eines Monats`` (genitive), ``von zwei Monaten``."""
    singular, _, _, gender = _UNITS[duration.unit]
    if duration.amount == 1:
        article = "einer" if gender == "f" else "eines"
        ending = {"Tag": "Tages", "Monat": "Monats", "Jahr": "Jahres"}.get(singular, singular)
        return f"{article} {ending}"
    return "von " + format_duration(duration, words=True, case="dat")


#: Words that open a German noun phrase and take a small letter inside a sentence
#: ("unsere Hausbank", "das zuständige Finanzamt"); a noun keeps its capital.
_DETERMINERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "unser",
        "unsere",
        "unserem",
        "unseren",
        "unserer",
        "unseres",
        "alle",
        "sonstige",
        "weitere",
    ]
)


def inline(name: str) -> str:
    """A described name inside a German sentence: its determiner in lower case, the
    noun as written (``Unsere Hausbank`` → ``unsere Hausbank``)."""
    first, _, rest = name.partition(" ")
    if first.lower() in _DETERMINERS and rest:
        return f"{first.lower()} {rest}"
    return name


#: The words gardien's own German retention sentences open with.
_OPENERS = frozenset(["Bis", "Ohne", "Für"])


def after_colon(text: str) -> str:
    """A retention sentence after "Speicherdauer:": its opening word in lower case when it
    is one of gardien's own ("bis zum Ende …", "für Gäste unserer Lesungen: …"); a noun
    keeps its capital, which ``lower_first`` cannot tell when a noun follows ("Für Gäste")."""
    first, _, rest = text.partition(" ")
    if first in _OPENERS:
        return f"{first.lower()} {rest}"
    return text


@cache
def _countries() -> dict[str, str]:
    text = (
        resources.files("gardien.notice").joinpath("data", "countries.de.json").read_text("utf-8")
    )
    data: dict[str, str] = json.loads(text)
    return data


def country_name(code: str) -> str:
    """The country's German name; an unknown code is shown as is."""
    return _countries().get(code, code)


def bis_zu(phrase: str) -> str:
    """German "bis zu" before a dative phrase: "bis zum", "bis zur" or "bis zu"."""
    if phrase.startswith("dem "):
        return "bis zum " + phrase[4:]
    if phrase.startswith("der "):
        return "bis zur " + phrase[4:]
    return "bis zu " + phrase


def event(value: RetentionEvent | str, events: Mapping[str, CompanyEvent] | None = None) -> str:
    """A built-in event in the dative (``dem letzten Kontakt``), or the German label of an
    event the company declares, written in the dative since it follows "nach" or "bis zu"."""
    declared = (events or {}).get(str(value))
    if declared is not None and not isinstance(value, RetentionEvent):
        return declared.label["de"].strip().rstrip(".")
    return EVENTS.get(str(value), str(value).replace("_", " "))


def indefinitely(reason: str) -> str:
    """Data kept without a time limit, with the declared reason as a sentence of its own:
    "Ohne zeitliche Begrenzung. Grund: Die Chronik dokumentiert …". The reason keeps its
    capitals (German nouns; a sentence after a colon starts with a capital)."""
    text = reason.strip()
    text = text[:1].upper() + text[1:]
    return f"Ohne zeitliche Begrenzung. Grund: {text}" + ("" if text.endswith(".") else ".")


def retention_sentence(
    rule: RetentionRule,
    reason: str | None,
    criterion: str | None,
    events: Mapping[str, CompanyEvent] | None = None,
) -> str:
    """The rule as one German sentence: "3 Jahre nach dem letzten Kontakt, danach Löschung".

    ``reason`` is the archive phase's declared reason, ``criterion`` the rule's, in German.
    """
    after = event(rule.after, events)
    anonymised = rule.then == RetentionAction.ANONYMISE
    parts: list[str] = []
    if rule.until is not None:
        parts.append(bis_zu(event(rule.until, events)))
        if rule.duration is not None:
            parts.append(f"längstens jedoch {format_duration(rule.duration)} nach {after}")
    elif rule.duration is not None:
        parts.append(f"{format_duration(rule.duration)} nach {after}")
    if rule.archive is not None:
        archive = format_duration(rule.archive.duration)
        detail = f" (Grund: {reason.strip().rstrip('.')})" if reason else ""
        parts.append(f"anschließend {archive} Aufbewahrung mit eingeschränktem Zugriff{detail}")
    ending = "danach Anonymisierung" if anonymised else "danach Löschung"
    sentence = ", ".join(parts if rule.deleted_with_the_account else [*parts, ending])
    sentence = sentence[0].upper() + sentence[1:] + "."
    if criterion is not None:
        text = criterion.strip()
        sentence += f" Kriterium: {text}" + ("" if text.endswith(".") else ".")
    return sentence
