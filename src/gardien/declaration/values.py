"""Small value types of the declaration: durations, bilingual text, secrets by reference.

These are the leaves every model of ``privacy.yaml`` is built from. Each one
parses a human-written YAML value and says precisely what it accepts when it
cannot.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

_DURATION = re.compile(r"^\s*(\d+)\s*(day|days|week|weeks|month|months|year|years)\s*$")


class DurationUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, order=True)
class Duration:
    """A period written as ``"3 years"``, ``"13 months"``, ``"30 days"``."""

    amount: int
    unit: DurationUnit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text.lower())
        if match is None:
            raise ValueError(
                f"{text!r} is not a duration: write a whole number and a unit, "
                'such as "30 days", "13 months" or "3 years"'
            )
        unit = match.group(2)
        return cls(int(match.group(1)), DurationUnit(unit if unit.endswith("s") else unit + "s"))

    def in_days(self) -> float:
        """Length in days, months and years taken at their average length."""
        per_unit = {
            DurationUnit.DAYS: 1.0,
            DurationUnit.WEEKS: 7.0,
            DurationUnit.MONTHS: 365.25 / 12,
            DurationUnit.YEARS: 365.25,
        }
        return self.amount * per_unit[self.unit]

    def in_months(self) -> float:
        return self.in_days() / (365.25 / 12)

    def after(self, start: dt.date) -> dt.date:
        """The calendar date this period after ``start``: months and years by the
        calendar (31 January + 1 month is the last day of February, as GDPR Art. 12(3)
        and Regulation 1182/71 count), days and weeks exactly."""
        if self.unit is DurationUnit.DAYS:
            return start + dt.timedelta(days=self.amount)
        if self.unit is DurationUnit.WEEKS:
            return start + dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit is DurationUnit.YEARS else 1)
        index = start.year * 12 + (start.month - 1) + months
        year, month = divmod(index, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(start.day, last_day))

    def before(self, end: dt.date) -> dt.date:
        """The calendar date this period before ``end`` (31 March - 1 month is the last day
        of February): ``after(before(end))`` is never later than ``end``."""
        if self.unit is DurationUnit.DAYS:
            return end - dt.timedelta(days=self.amount)
        if self.unit is DurationUnit.WEEKS:
            return end - dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit is DurationUnit.YEARS else 1)
        index = end.year * 12 + (end.month - 1) - months
        year, month = divmod(index, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(end.day, last_day))

    def __str__(self) -> str:
        unit = self.unit.value[:-1] if self.amount == 1 else self.unit.value
        return f"{self.amount} {unit}"


def _parse_duration(value: Any) -> Any:
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration.parse(value)
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(
            f'{value} has no unit: write "{value} days", "{value} months" or "{value} years"'
        )
    raise ValueError('a duration is a string such as "13 months" or "3 years"')


DurationField = Annotated[
    Duration,
    BeforeValidator(_parse_duration),
    PlainSerializer(str, return_type=str),
]


class StrictModel(BaseModel):
    """Base of every declaration model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


#: The languages a declared text may be written in, in the order a page falls back on.
TEXT_LANGUAGES: tuple[str, ...] = ("en", "fr", "de")


class Text(StrictModel):
    """A text the notice shows, in each language the notice is published in.

    A declaration publishing in French and English (the default ``notice.languages``)
    writes ``{fr: …, en: …}``; one publishing in English and German writes
    ``{en: …, de: …}``. ``validate`` reports a text missing in a published language
    (rule ``notice-languages``); reading one (``text[lang]``) never fails: gardien's own
    pages, in French or English, fall back to a language the text is written in.
    """

    fr: str | None = Field(default=None, min_length=1)
    en: str | None = Field(default=None, min_length=1)
    de: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _some_language(self) -> Self:
        if self.fr is None and self.en is None and self.de is None:
            raise ValueError(
                "a text needs at least one language: write {en: …}, {fr: …, en: …} or "
                "{en: …, de: …}, one key per language the notice is published in"
            )
        return self

    def has(self, lang: str) -> bool:
        """Whether the text is written in ``lang``."""
        return lang in TEXT_LANGUAGES and getattr(self, lang) is not None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the text is written in."""
        return tuple(lang for lang in ("fr", "en", "de") if getattr(self, lang) is not None)

    def __getitem__(self, lang: str) -> str:
        """The text in ``lang``, else in the first of English, French, German it has."""
        for candidate in (lang, *TEXT_LANGUAGES):
            if candidate in TEXT_LANGUAGES:
                value = getattr(self, candidate)
                if value is not None:
                    return str(value)
        raise KeyError(lang)  # unreachable: the validator requires one language


#: A name the notice prints: a plain string for a proper name, shown as is in
#: every language, or ``{fr, en}`` when it is a description that needs translating.
Name = Annotated[Text | Annotated[str, Field(min_length=1)], Field(union_mode="left_to_right")]


def in_lang(value: Text | str, lang: str) -> str:
    """``value`` in ``lang``: a proper name as is, a ``Text`` in that language."""
    return value if isinstance(value, str) else value[lang]


class EnvRef(StrictModel):
    """A secret given by reference: ``{$env: CRM_DATABASE_URL}``, never by value."""

    env: str = Field(alias="$env", pattern=r"^[A-Z_][A-Z0-9_]*$")

    def __repr__(self) -> str:
        return f"EnvRef(${self.env})"


_CREDENTIALS_IN_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]*:[^/@\s]*@", re.IGNORECASE)


def _reject_inline_credentials(value: Any) -> Any:
    if isinstance(value, str) and _CREDENTIALS_IN_URL.match(value):
        raise ValueError(
            "this URL carries a password: keep secrets out of privacy.yaml and write "
            "{$env: VARIABLE_NAME} instead, then set that environment variable"
        )
    return value


SecretOrLiteral = Annotated[EnvRef | str, BeforeValidator(_reject_inline_credentials)]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(value: Any) -> Any:
    if isinstance(value, str) and not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


Email = Annotated[str, BeforeValidator(_check_email)]


class Contact(StrictModel):
    """A person or office that can be reached: DPO, EU representative."""

    name: str | None = None
    email: Email | None = None
    address: str | None = None
    phone: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if not (self.email or self.address or self.url or self.phone):
            raise ValueError("give at least one way to reach this contact: email, address, url")
        return self
