"""The rules of jurisdiction and notice languages, registered in ``rules.RULES``.

- ``jurisdiction``: the lead supervisory authority resolves (a known key, with "did you
  mean"; a German controller names its Land; a controller outside the EEA names the
  authority of its representative's Member State), and a warning when the authority's
  entry in gardien's data was not checked against a stored page;
- ``post-mortem-directives``: a right of French law only (loi 78-17, art. 85);
- ``notice-languages``: every declared text is written in each language the notice is
  published in (``notice.languages``), reported at the text with the missing language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from gardien.declaration.jurisdiction import (
    NationalLaw,
    authorities,
    in_eea,
    lead_authority,
    national_law,
    regional_countries,
)
from gardien.declaration.rules import RuleContext, rule
from gardien.declaration.source import PathKey
from gardien.declaration.taxonomy import suggestion
from gardien.declaration.values import Text
from gardien.errors import Problem

_WHERE: PathKey = ("controller", "supervisory_authority")


@rule(
    "jurisdiction",
    "Art. 51, 56, 77; BDSG § 40",
    "the lead supervisory authority is known, from the controller's country and region",
)
def _jurisdiction(ctx: RuleContext) -> Iterator[Problem]:
    controller = ctx.loaded.declaration.controller
    known = authorities()
    declared = controller.supervisory_authority
    if declared is not None and declared not in known:
        yield ctx.error(
            _WHERE,
            f'controller.supervisory_authority: "{declared}" is not a supervisory authority '
            f"gardien knows{suggestion(declared, known)}; write the key of an EEA authority "
            "(cnil, de-by, ie-dpc…: docs/declaration.md lists them) or remove it to take "
            "the authority of controller.country",
        )
        return
    country, region = controller.country, controller.region
    if region is not None and not region.startswith(country + "-"):
        yield ctx.error(
            ("controller", "region"),
            f"controller.region {region} is not a region of controller.country {country}: "
            f"write an ISO 3166-2 code that starts with {country}- (e.g. DE-BY for Bavaria)",
        )
        return
    if declared is not None:
        authority = known[declared]
    elif not in_eea(country):
        yield ctx.error(
            ("controller", "country"),
            f"controller.country is {country}, outside the EEA: name the supervisory "
            "authority of the Member State where your EU representative is established "
            "(Art. 27, 56), e.g. supervisory_authority: ie-dpc",
        )
        return
    elif country in regional_countries() and lead_authority(controller) is None:
        regions = sorted(a.region for a in known.values() if a.country == country and a.region)
        if region is None:
            yield ctx.error(
                ("controller", "country"),
                f"controller.country is {country}: the authority competent for a private "
                "body is that of its Land (BDSG § 40); add controller.region, one of "
                f"{', '.join(regions)}, or name the authority (supervisory_authority: "
                f"{regions[0].lower()})",
            )
        else:
            yield ctx.error(
                ("controller", "region"),
                f"controller.region {region} is not a Land gardien knows"
                f"{suggestion(region, regions)}: write one of {', '.join(regions)}",
            )
        return
    else:
        found = lead_authority(controller)
        if found is None:  # every EEA country has one entry; kept for a damaged data file
            yield ctx.error(
                ("controller", "country"),
                f"no supervisory authority of {country} is known: name one under "
                "controller.supervisory_authority",
            )
            return
        authority = found
    if authority.checked is None:
        yield ctx.warning(
            _WHERE if declared is not None else ("controller", "country"),
            f"the notice names {authority.name} at {authority.address}, an entry of "
            "gardien's authorities data that was not checked against a published page; "
            f"check the address on {authority.website} before publishing the notice",
        )


@rule(
    "post-mortem-directives",
    "loi n° 78-17 art. 85",
    "post-mortem directives are offered only under French law",
)
def _post_mortem(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    rights = declaration.rights
    if (
        "post_mortem_directives" in rights.model_fields_set
        and rights.post_mortem_directives
        and national_law(declaration.controller) is not NationalLaw.FRANCE
    ):
        yield ctx.error(
            ("rights", "post_mortem_directives"),
            "rights.post_mortem_directives: directives on one's data after death are a right "
            "of French law (loi n° 78-17, art. 85), and controller.country is "
            f"{declaration.controller.country}; remove the line (the notice of a controller "
            "outside France does not offer them)",
        )


def declared_texts(node: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Text]]:
    """Every ``Text`` of a declaration (or part of one) with its path, in file order."""
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from declared_texts(getattr(node, name), (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from declared_texts(value, (*path, str(key)))
    elif isinstance(node, tuple | list):
        for index, value in enumerate(node):
            yield from declared_texts(value, (*path, index))


@rule(
    "notice-languages",
    "Art. 12(1)",
    "every declared text is written in each language the notice is published in",
)
def _notice_languages(ctx: RuleContext) -> Iterator[Problem]:
    declaration = ctx.loaded.declaration
    languages = declaration.notice.languages
    published = ", ".join(languages)
    for path, text in declared_texts(declaration):
        for lang in languages:
            if not text.has(lang):
                dotted = ".".join(str(p) for p in path)
                yield ctx.error(
                    path,
                    f'{dotted}: no "{lang}" text, and the notice is published in {published} '
                    f"(notice.languages); add {lang}: … to this text, or remove {lang} from "
                    "notice.languages",
                )
