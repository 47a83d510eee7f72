"""Country codes: every country a declaration names is an ISO 3166-1 alpha-2 code.

The codes are data (``data/iso3166.json``, with its source and the date it was
checked). A value that is not one is refused with what to write instead:
``UK`` → ``GB``, ``EL`` → ``GR``, ``fr`` → ``FR``, ``Germany`` → ``DE``; ``EU``
and ``XX`` are not countries, and the message says which country to give. Use
``CountryCode`` for every field that holds a country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import BeforeValidator


@dataclass(frozen=True)
class CountryCodes:
    """The officially assigned codes, their English names, and known look-alikes."""

    source: str
    checked: str
    names: dict[str, str]
    not_codes: dict[str, dict[str, str | None]]


@cache
def country_codes() -> CountryCodes:
    raw = json.loads(
        resources.files("gardien.declaration").joinpath("data", "iso3166.json").read_text("utf-8")
    )
    return CountryCodes(raw["source"], raw["checked"], raw["codes"], raw["not_codes"])


def is_country_code(value: str) -> bool:
    return value in country_codes().names


def country_problem(value: str) -> str | None:
    """Why ``value`` is not a country code and what to write instead, or None if it is one."""
    codes = country_codes()
    if value in codes.names:
        return None
    shown = repr(value)
    known = codes.not_codes.get(value.strip().upper())
    if known is not None:
        fix = f'write "{known["write"]}"' if known["write"] else str(known["hint"])
        return f"{shown} is not an ISO 3166-1 alpha-2 country code: {known['why']}; {fix}"
    upper = value.strip().upper()
    if upper in codes.names:
        return f'{shown} is not an ISO 3166-1 alpha-2 country code: write "{upper}" (capitals)'
    by_name = {name.lower(): code for code, name in codes.names.items()}
    code = by_name.get(value.strip().lower())
    if code is not None:
        return f'{shown} is a country name: write its ISO 3166-1 alpha-2 code, "{code}"'
    return (
        f"{shown} is not a country code: write its ISO 3166 two-letter code (ISO 3166-1 "
        "alpha-2), such as FR, DE or US"
    )


def _check_country(value: Any) -> Any:
    if isinstance(value, str):
        problem = country_problem(value)
        if problem is not None:
            raise ValueError(problem)
    return value


#: A field holding a country: an ISO 3166-1 alpha-2 code, refused with a suggestion otherwise.
CountryCode = Annotated[str, BeforeValidator(_check_country)]
