"""How dates, durations, countries, languages and retention rules are written out in French
and English.

A retention rule is data (``3 years`` after ``last_contact``, then archive);
the notice must spell it out as a sentence a reader understands: "3 ans à
compter du dernier contact". French needs its contractions (« de le » →
« du », « à le » → « au »), which is why the events carry their article.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources

from gardien.declaration.models import CompanyEvent, RetentionAction, RetentionEvent, RetentionRule
from gardien.declaration.values import Duration, DurationUnit
from gardien.notice import wording_de
from gardien.notice.vocabulary import EVENTS, Lang, term

_MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Amounts spelled out in running text ("un mois", "deux mois"); gender matters
# in French for "une semaine".
_WORDS_FR = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
_WORDS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_UNITS_FR = {
    DurationUnit.DAYS: ("jour", "jours"),
    DurationUnit.WEEKS: ("semaine", "semaines"),
    DurationUnit.MONTHS: ("mois", "mois"),
    DurationUnit.YEARS: ("an", "ans"),
}
_UNITS_EN = {
    DurationUnit.DAYS: ("day", "days"),
    DurationUnit.WEEKS: ("week", "weeks"),
    DurationUnit.MONTHS: ("month", "months"),
    DurationUnit.YEARS: ("year", "years"),
}

_VOWELS = tuple("aeiouyéèêàâîôûh")


def format_date(date: dt.date, lang: Lang) -> str:
    """``1er mars 2025`` / ``1 March 2025`` / ``1. März 2025``."""
    if lang == "de":
        return wording_de.format_date(date)
    if lang == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {_MONTHS_FR[date.month - 1]} {date.year}"
    return f"{date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


def format_duration(duration: Duration, lang: Lang, *, words: bool = False) -> str:
    """``3 ans`` / ``3 years``; with ``words``, small amounts are spelled out."""
    if lang == "de":
        return wording_de.format_duration(duration, words=words)
    units = _UNITS_FR if lang == "fr" else _UNITS_EN
    unit = units[duration.unit][0 if duration.amount == 1 else 1]
    amount = str(duration.amount)
    if words and duration.amount < len(_WORDS_FR):
        amount = (_WORDS_FR if lang == "fr" else _WORDS_EN)[duration.amount]
        if lang == "fr" and duration.amount == 1 and duration.unit is DurationUnit.WEEKS:
            amount = "une"
    return f"{amount} {unit}"


def de(phrase: str) -> str:
    """French « de » before ``phrase``: « du », « des », « d' » or « de »."""
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    if phrase.lower().startswith(_VOWELS):
        return "d'" + phrase
    return "de " + phrase


def jusqua(phrase: str) -> str:
    """French « jusqu'à » before ``phrase``: « jusqu'au », « jusqu'aux » or « jusqu'à »."""
    if phrase.startswith("le "):
        return "jusqu'au " + phrase[3:]
    if phrase.startswith("les "):
        return "jusqu'aux " + phrase[4:]
    return "jusqu'à " + phrase


@cache
def _countries() -> dict[str, list[str]]:
    text = resources.files("gardien.notice").joinpath("data", "countries.json").read_text("utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return data


def country_name(code: str, lang: Lang) -> str:
    """The country's name in ``lang``; an unknown code is shown as is."""
    if lang == "de":
        return wording_de.country_name(code)
    names = _countries().get(code)
    if names is None:
        return code
    return names[0] if lang == "fr" else names[1]


@cache
def _languages() -> dict[str, dict[str, str]]:
    text = resources.files("gardien.notice").joinpath("data", "languages.json").read_text("utf-8")
    names: dict[str, dict[str, str]] = json.loads(text)["names"]
    return names


def language_name(code: str, lang: Lang) -> str:
    """The name of language ``code`` (ISO 639-1) in ``lang``, as written after « en »,
    "in" or „auf“: ``allemand``, ``German``, ``Deutsch``. An unknown code is an error: every
    language an authority writes in has its name (a test checks the data)."""
    return _languages()[code][lang]


def _clause(text: str) -> str:
    """A declared reason after « pour » / "to": no capital (unless a name), no final stop."""
    text = text.strip().rstrip(".").rstrip()
    first = text.split(maxsplit=1)[0] if text else ""
    if first[:1].isupper() and not any(c.isupper() for c in first[1:]):
        return text[0].lower() + text[1:]
    return text


def event_phrase(
    event: RetentionEvent | str, lang: Lang, events: Mapping[str, CompanyEvent] | None = None
) -> str:
    """A built-in event's words, or the label of an event the company declares."""
    declared = (events or {}).get(str(event))
    if declared is not None and not isinstance(event, RetentionEvent):
        return declared.label[lang].strip().rstrip(".")
    return term(EVENTS, event, lang)


def retention_sentence(
    rule: RetentionRule, lang: Lang, events: Mapping[str, CompanyEvent] | None = None
) -> str:
    """The rule as one sentence: "3 ans à compter du dernier contact, puis suppression"."""
    if rule.indefinitely is not None:
        reason = rule.indefinitely[lang].strip()
        if lang == "de":
            return wording_de.indefinitely(reason)
        lead = {
            "fr": "Sans limitation de durée, pour la raison suivante : ",
            "en": "Without time limit, for the following reason: ",
        }[lang]
        return f"{lead}{_clause(reason)}."
    if lang == "de":
        return wording_de.retention_sentence(
            rule,
            rule.archive.reason[lang] if rule.archive is not None else None,
            rule.criterion[lang] if rule.criterion is not None else None,
            events,
        )
    after = event_phrase(rule.after, lang, events)
    anonymised = rule.then == RetentionAction.ANONYMISE
    parts: list[str] = []
    if lang == "fr":
        if rule.until is not None:
            parts.append(jusqua(event_phrase(rule.until, lang, events)))
            if rule.duration is not None:
                parts.append(
                    f"dans la limite de {format_duration(rule.duration, lang)} "
                    f"à compter {de(after)}"
                )
        elif rule.duration is not None:
            parts.append(f"{format_duration(rule.duration, lang)} à compter {de(after)}")
        if rule.archive is not None:
            archive = format_duration(rule.archive.duration, lang)
            reason = _clause(rule.archive.reason["fr"])
            parts.append(f"puis archivage intermédiaire pendant {archive} pour {reason}")
        ending = "puis anonymisation" if anonymised else "puis suppression"
    else:
        if rule.until is not None:
            parts.append(f"until {event_phrase(rule.until, lang, events)}")
            if rule.duration is not None:
                parts.append(
                    f"for no longer than {format_duration(rule.duration, lang)} after {after}"
                )
        elif rule.duration is not None:
            parts.append(f"{format_duration(rule.duration, lang)} after {after}")
        if rule.archive is not None:
            archive = format_duration(rule.archive.duration, lang)
            reason = _clause(rule.archive.reason["en"])
            parts.append(f"then kept in intermediate archives for {archive} to {reason}")
        ending = "then anonymised" if anonymised else "then deleted"
    sentence = ", ".join(parts if rule.deleted_with_the_account else [*parts, ending])
    sentence = sentence[0].upper() + sentence[1:] + "."
    if rule.criterion is not None:
        label = "Critère :" if lang == "fr" else "Criterion:"
        criterion = rule.criterion[lang].strip()
        sentence += f" {label} {criterion}" + ("" if criterion.endswith(".") else ".")
    return sentence
