"""Which law and which supervisory authority a controller answers to, from where it is.

The controller's country decides the jurisdiction a notice speaks in:

- the lead supervisory authority (GDPR Art. 51, 56): ``controller.supervisory_authority``
  when declared, else the authority of ``controller.country``; in Germany the authority
  competent for a private body is that of its Land (BDSG § 40), so ``controller.region``
  (``DE-BY``) chooses it. Every EEA authority is data, in ``data/authorities.json``, each
  with where and when its entry was checked;
- the national law the notice cites beside the GDPR (``NationalLaw``): France (loi
  n° 78-17, its art. 82 on cookies and art. 85 on post-mortem directives) and Germany
  (BDSG; TDDDG § 25 on cookies). Elsewhere the notice cites the GDPR only, and the
  ePrivacy Directive's Art. 5(3) "as transposed", never another country's law;
- the national items that exist only in some countries: post-mortem directives are a
  right under French law alone (loi 78-17, art. 85).

``validate`` reports what is wrong here (``jurisdiction_rules``); the notice reads it
through ``lead_authority`` and ``national_law``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from gardien.declaration.models import Controller, Declaration
from gardien.declaration.taxonomy import transfer_rules


@dataclass(frozen=True)
class Checked:
    """What of an authority's entry was confirmed on a stored page, which page, and when."""

    on: str
    against: str
    what: str


@dataclass(frozen=True)
class Authority:
    """A supervisory authority of the EEA, as ``data/authorities.json`` records it."""

    key: str
    country: str
    # ISO 3166-2 region it is competent for (German Länder); None: the whole country.
    region: str | None
    # The language of ``name`` (ISO 639-1).
    language: str
    name: str
    name_en: str
    abbreviation: str
    address: str
    website: str
    complaint_url: str | None
    # The complaint page in English, when the authority has one apart.
    complaint_url_en: str | None
    # The language ``complaint_url`` is written in (ISO 639-1): ``language`` unless the
    # entry records another (an English page kept as the only one).
    complaint_language: str
    # Whom it supervises, when not every controller of its country or region.
    competence: str
    checked: Checked | None
    note: str | None

    def title(self, lang: str) -> str:
        """How a notice in ``lang`` names it: its own name (and abbreviation), described in
        English for an English reader when its name is in another language."""
        name = f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name
        if lang == "en" and self.language != "en":
            return f"{name}, the {self.name_en}"
        return name

    @property
    def host(self) -> str:
        """The website without its scheme, as a notice prints it: ``www.cnil.fr``."""
        return self.website.split("://", 1)[-1].rstrip("/")


class NationalLaw(StrEnum):
    """The national data-protection law a notice cites beside the GDPR."""

    #: France: loi n° 78-17 du 6 janvier 1978 (Informatique et Libertés).
    FRANCE = "fr"
    #: Germany: Bundesdatenschutzgesetz (BDSG) and TDDDG.
    GERMANY = "de"
    #: Elsewhere: the GDPR only (and the ePrivacy Directive as transposed).
    GDPR_ONLY = "eu"


_LAWS: Mapping[str, NationalLaw] = {"FR": NationalLaw.FRANCE, "DE": NationalLaw.GERMANY}


@cache
def _data() -> Mapping[str, Any]:
    text = (
        resources.files("gardien.declaration")
        .joinpath("data", "authorities.json")
        .read_text("utf-8")
    )
    data: Mapping[str, Any] = json.loads(text)
    return data


@cache
def authorities() -> Mapping[str, Authority]:
    """Every EEA supervisory authority, by key (``cnil``, ``de-by``, ``ie-dpc``…)."""
    found: dict[str, Authority] = {}
    for key, entry in _data()["authorities"].items():
        checked = entry.get("checked")
        found[key] = Authority(
            key=key,
            country=entry["country"],
            region=entry.get("region"),
            language=entry["language"],
            name=entry["name"],
            name_en=entry["name_en"],
            abbreviation=entry.get("abbreviation") or "",
            address=entry["address"],
            website=entry["website"],
            complaint_url=entry.get("complaint_url"),
            complaint_url_en=entry.get("complaint_url_en"),
            complaint_language=entry.get("complaint_language") or entry["language"],
            competence=entry.get("competence") or "all",
            checked=Checked(**checked) if checked else None,
            note=entry.get("note"),
        )
    return found


def regional_countries() -> frozenset[str]:
    """Countries whose authority for private bodies depends on the region (Germany)."""
    countries = _data().get("countries", {})
    return frozenset(code for code, rule in countries.items() if rule.get("by_region"))


def authority_for(country: str, region: str | None = None) -> Authority | None:
    """The authority competent by default for a controller of ``country`` (and ``region``),
    None when there is none to choose (outside the EEA, or in Germany without a Land)."""
    if country in regional_countries():
        matches = [a for a in authorities().values() if a.region is not None and a.region == region]
        return matches[0] if len(matches) == 1 else None
    matches = [a for a in authorities().values() if a.country == country and a.region is None]
    return matches[0] if len(matches) == 1 else None


def lead_authority(controller: Controller) -> Authority | None:
    """The authority the notice names: the declared key, else the default for the
    controller's country and region; None when neither resolves (``validate`` says why)."""
    if controller.supervisory_authority is not None:
        return authorities().get(controller.supervisory_authority)
    return authority_for(controller.country, controller.region)


def national_law(controller: Controller) -> NationalLaw:
    """The national law the notice cites: the controller's country's, or the GDPR only."""
    return _LAWS.get(controller.country, NationalLaw.GDPR_ONLY)


def in_eea(country: str) -> bool:
    return country in transfer_rules().eea


def authority_reference(declaration: Declaration) -> str:
    """The lead authority in a short message: ``CNIL, www.cnil.fr``; the name of the
    supervisory authority in general when none resolves (``validate`` reports it)."""
    found = lead_authority(declaration.controller)
    if found is None:
        return "see our privacy notice"
    return f"{found.abbreviation or found.name}, {found.host}"


def takes_post_mortem_directives(declaration: Declaration) -> bool:
    """Whether people may leave post-mortem directives (loi 78-17, art. 85): a right of
    French law only, offered when the declaration does not switch it off."""
    return (
        national_law(declaration.controller) is NationalLaw.FRANCE
        and declaration.rights.post_mortem_directives
    )
