"""The controller's country decides its supervisory authority; `validate` says what is wrong.

The authorities data holds every EEA authority (a name, an address, a website, and where
its entry was checked or a note that it was not); the default for every EEA country
resolves (Germany by Land); and each jurisdiction problem is an error or a warning at
its line, with what to write instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.declaration import load_valid, validate
from gardien.declaration.jurisdiction import (
    NationalLaw,
    authorities,
    authority_for,
    lead_authority,
    national_law,
    takes_post_mortem_directives,
)
from gardien.declaration.taxonomy import transfer_rules
from gardien.declaration.values import Text

Data = dict[str, Any]
VEREIN = Path(__file__).parent / "data" / "verein_de.yaml"
LAENDER = {
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
}  # fmt: skip


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip().startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _messages(path: Path, severity: str = "error") -> list[str]:
    return [str(p) for p in validate(path).problems if p.severity == severity]


# The data file -------------------------------------------------------------------------


def test_keys_are_unique_in_the_file() -> None:
    text = (
        resources.files("gardien.declaration")
        .joinpath("data", "authorities.json")
        .read_text("utf-8")
    )
    seen: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if any(isinstance(v, dict) and "address" in v for _, v in items):
            seen.extend(k for k, _ in items)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    assert len(seen) == len(set(seen)) == len(authorities())


@pytest.mark.parametrize("key", sorted(authorities()))
def test_each_authority_has_a_name_an_address_and_a_url(key: str) -> None:
    authority = authorities()[key]
    assert authority.name.strip() and authority.name_en.strip()
    assert len(authority.address) > 10 and any(c.isdigit() for c in authority.address)
    assert authority.website.startswith("https://")
    assert authority.country in transfer_rules().eea
    # Either what was checked, against which page and when, or a note that it was not.
    if authority.checked is not None:
        assert authority.checked.against and authority.checked.what
    else:
        assert authority.note and authority.note.startswith("Not checked: ")


# A complaint page the notice prints must be the authority's. Where it is elsewhere, the
# exception is listed here, with why, and the entry's note says so too.
ELSEWHERE = {
    ("at-dsb", "www.formularservice.gv.at"): "the Austrian federal online form service",
    ("be-apd", "www.dataprotectionauthority.be"): "the authority's English-language domain",
}
URL = re.compile(r"https?://[^\s;]+")


def _host(url: str) -> str:
    parsed = urlsplit(url)
    assert parsed.scheme and parsed.netloc and not parsed.username, url
    return parsed.netloc.lower()


def _own_site(host: str, website: str) -> bool:
    """The website's host or one of its subdomains, with or without 'www.'."""
    site = _host(website).removeprefix("www.")
    return host.removeprefix("www.") == site or host.endswith("." + site)


@pytest.mark.parametrize("key", sorted(authorities()))
def test_each_complaint_page_is_https_on_the_authoritys_own_website(key: str) -> None:
    authority = authorities()[key]
    for url in (authority.complaint_url, authority.complaint_url_en):
        if url is None:
            continue
        assert url.startswith("https://") and " " not in url, url
        host = _host(url)
        if _own_site(host, authority.website):
            continue
        assert (key, host) in ELSEWHERE, f"{key}: {url} is not on {authority.website}"
        assert authority.note and host.removeprefix("www.") in authority.note
    if authority.complaint_url is None:
        # No English page without a page at all: the notice would print it in no language.
        assert authority.complaint_url_en is None
    assert authority.complaint_url_en != authority.complaint_url or authority.complaint_url is None


def test_the_exceptions_listed_are_still_used() -> None:
    used = {
        (key, _host(url))
        for key, a in authorities().items()
        for url in (a.complaint_url, a.complaint_url_en)
        if url is not None
    }
    assert set(ELSEWHERE) <= used


@pytest.mark.parametrize("key", sorted(authorities()))
def test_each_check_has_a_date_and_names_the_pages_it_was_made_against(key: str) -> None:
    checked = authorities()[key].checked
    if checked is None:
        return
    on = dt.date.fromisoformat(checked.on)
    assert dt.date(2026, 1, 1) <= on <= dt.date.today()
    pages = URL.findall(checked.against)
    assert pages, f"{key}: 'against' names no page: {checked.against!r}"
    for page in pages:
        _host(page.rstrip(").,"))
    # What was confirmed is said in words a reader understands, from a fixed vocabulary.
    words = {w.strip() for w in re.sub(r"\([^)]*\)", "", checked.what).split(",")}
    assert words <= {"name", "address", "postal address", "complaint page"}, words


def test_a_check_against_a_second_hand_page_says_so() -> None:
    """A third-party list or wiki confirms only second-hand: 'what' says which part."""
    for key, a in authorities().items():
        if a.checked is None:
            continue
        own = [p for p in URL.findall(a.checked.against) if _own_site(_host(p), a.website)]
        if not own and "second-hand" not in a.checked.what:
            # The authority's page on another of its own domains, or an official one.
            said = a.checked.against
            assert "the authority's own" in said or "official" in said, key


def test_the_check_covers_most_authorities_and_the_rest_say_why() -> None:
    """Of the 46 entries, those not checked say what was tried and what the pages said."""
    unchecked = [k for k, a in authorities().items() if a.checked is None]
    assert len(authorities()) == 46
    # Second pass (6 December 2026): only where the authority's own page disagrees.
    assert sorted(unchecked) == ["ie-dpc", "li-dss"], unchecked
    for key in unchecked:
        note = authorities()[key].note or ""
        assert "before publishing" in note, key


def test_every_eea_country_has_its_authority_and_germany_its_laender() -> None:
    countries = {a.country for a in authorities().values()}
    assert countries == set(transfer_rules().eea)
    assert len(transfer_rules().eea) == 30
    assert {a.region for a in authorities().values() if a.region} == LAENDER
    assert "de-bfdi" in authorities()


@pytest.mark.parametrize("country", sorted(set(transfer_rules().eea) - {"DE"}))
def test_the_default_for_each_country_resolves(country: str) -> None:
    found = authority_for(country)
    assert found is not None and found.country == country and found.region is None


@pytest.mark.parametrize("region", sorted(LAENDER))
def test_the_default_for_each_land_resolves(region: str) -> None:
    found = authority_for("DE", region)
    assert found is not None and found.region == region
    assert authority_for("DE") is None  # no Land: no default, validate asks for one


def test_a_french_controller_keeps_the_cnil_and_french_law() -> None:
    assert authority_for("FR") is authorities()["cnil"]
    declaration = load_valid(Path(__file__).parents[2] / "examples" / "komin.yaml")
    assert lead_authority(declaration.controller) is authorities()["cnil"]
    assert national_law(declaration.controller) is NationalLaw.FRANCE


def test_the_german_association_answers_to_the_bavarian_authority() -> None:
    declaration = load_valid(VEREIN)
    assert lead_authority(declaration.controller) is authorities()["de-by"]
    assert national_law(declaration.controller) is NationalLaw.GERMANY
    assert not takes_post_mortem_directives(declaration)


# validate -------------------------------------------------------------------------------


def _to(country: str, **controller: Any) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        d["controller"].pop("supervisory_authority", None)
        d["controller"]["country"] = country
        d["controller"].update(controller)

    return mutate


def test_an_unknown_authority_is_refused_with_did_you_mean(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d["controller"].update({"supervisory_authority": "cnl"}))
    line = _line_of(path, "supervisory_authority:")
    assert _messages(path) == [
        f'{path}:{line}:26: controller.supervisory_authority: "cnl" is not a supervisory '
        'authority gardien knows (did you mean "cnil"?); write the key of an EEA authority '
        "(cnil, de-by, ie-dpc…: docs/declaration.md lists them) or remove it to take the "
        "authority of controller.country"
    ]


def test_a_german_controller_without_its_land_is_refused(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(_to("DE"))
    line = _line_of(path, "country:")
    [message] = [m for m in _messages(path) if "Land" in m]
    assert message.startswith(f"{path}:{line}:")
    assert "controller.country is DE: the authority competent for a private body is that" in message
    assert "add controller.region, one of DE-BB, DE-BE, DE-BW, DE-BY" in message


def test_a_region_of_another_country_or_unknown_is_refused(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(_to("DE", region="FR-IDF"))
    assert any(
        "controller.region FR-IDF is not a region of controller.country DE" in m
        for m in _messages(path)
    )
    path = write_declaration(_to("DE", region="DE-XY"), name="unknown.yaml")
    assert any("controller.region DE-XY is not a Land gardien knows" in m for m in _messages(path))


def test_a_controller_outside_the_eea_names_its_representatives_authority(
    write_declaration: Callable[..., Path],
) -> None:
    representative = {"name": "Rep Ltd", "email": "rep@example.ie"}
    path = write_declaration(_to("US", eu_representative=representative))
    assert any(
        "controller.country is US, outside the EEA: name the supervisory authority of the "
        "Member State where your EU representative is established" in m
        for m in _messages(path)
    )
    path = write_declaration(
        _to("US", eu_representative=representative, supervisory_authority="ie-dpc"),
        name="named.yaml",
    )
    assert not any("supervisory" in m for m in _messages(path))


def test_an_unchecked_authority_is_a_warning_a_checked_one_is_not(
    write_declaration: Callable[..., Path],
) -> None:
    # Liechtenstein's entry is not checked: the authority's own page and the others disagree.
    path = write_declaration(_to("LI"))
    [warning] = [m for m in _messages(path, "warning") if "was not checked" in m]
    assert "Datenschutzstelle Liechtenstein at Städtle 38, 9490 Vaduz" in warning
    assert "check the address on https://www.datenschutzstelle.li before publishing" in warning
    assert _messages(path) == []  # valid: a warning only
    # Checked on the authority's page (FR, IT) or only second-hand (ES): no warning.
    for checked in ("FR", "IT", "ES"):
        other = write_declaration(_to(checked), name=f"{checked}.yaml")
        assert not any("was not checked" in m for m in _messages(other, "warning"))


def test_post_mortem_directives_outside_france_are_an_error_at_their_line(
    write_declaration: Callable[..., Path],
) -> None:
    def mutate(d: Data) -> None:
        _to("DE", region="DE-HH")(d)
        d["rights"]["post_mortem_directives"] = True

    path = write_declaration(mutate)
    line = _line_of(path, "post_mortem_directives:")
    assert _messages(path) == [
        f"{path}:{line}:27: rights.post_mortem_directives: directives on one's data after "
        "death are a right of French law (loi n° 78-17, art. 85), and controller.country is "
        "DE; remove the line (the notice of a controller outside France does not offer them)"
    ]
    # Left to its default, nothing is offered and nothing is said.
    path = write_declaration(_to("DE", region="DE-HH"), name="default.yaml")
    assert _messages(path) == []
    assert not takes_post_mortem_directives(load_valid(path))


def test_post_mortem_directives_stay_for_a_french_controller(
    write_declaration: Callable[..., Path],
) -> None:
    assert takes_post_mortem_directives(load_valid(write_declaration()))


# notice.languages -----------------------------------------------------------------------


def _english_only(d: Data) -> None:
    """Every {fr, en} text of the starter reduced to its English, published in English."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"fr", "en"}:
                return {"en": node["en"]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    d.update(walk(d))
    d["notice"]["languages"] = ["en"]


def test_a_declaration_in_english_only_needs_no_french(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(_english_only)
    assert "fr:" not in path.read_text("utf-8")
    assert _messages(path) == []


def test_a_text_missing_in_a_published_language_is_an_error_naming_path_and_language(
    write_declaration: Callable[..., Path],
) -> None:
    def mutate(d: Data) -> None:
        _english_only(d)
        d["notice"]["languages"] = ["en", "de"]

    path = write_declaration(mutate)
    errors = _messages(path)
    assert errors and all('no "de" text' in e for e in errors)
    line = _line_of(path, "en: Providing the service") - 1
    assert (
        f'{path}:{line}:5: purposes.service.name: no "de" text, and the notice is published '
        "in en, de (notice.languages); add de: … to this text, or remove de from "
        "notice.languages"
    ) in errors


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        ([], "notice.languages: list at least one language the notice is published in"),
        (["en", "en"], "a language is listed twice"),
        (["es"], "notice.languages[0]: Input should be 'fr', 'en' or 'de'"),
    ],
)
def test_notice_languages_are_checked(
    write_declaration: Callable[..., Path], languages: list[str], expected: str
) -> None:
    from gardien.errors import DeclarationError

    path = write_declaration(lambda d: d["notice"].update({"languages": languages}))
    with pytest.raises(DeclarationError) as caught:
        load_valid(path)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems


# Reading a text never fails ---------------------------------------------------------------

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéè ", min_size=1, max_size=20).filter(
    lambda s: s.strip() != ""
)


@given(
    written=st.dictionaries(st.sampled_from(["fr", "en", "de"]), _WORDS, min_size=1),
    asked=st.sampled_from(["fr", "en", "de", "es"]),
)
def test_a_text_is_read_in_the_language_asked_or_one_it_is_written_in(
    written: dict[str, str], asked: str
) -> None:
    text = Text(**written)
    value = text[asked]
    assert value in written.values()
    if asked in written:
        assert value == written[asked]
    else:
        # English first, then French, then German: gardien's pages are in fr and en.
        fallback = next(lang for lang in ("en", "fr", "de") if lang in written)
        assert value == written[fallback]
    assert set(text.languages) == set(written)
    assert all(text.has(lang) is (lang in written) for lang in ("fr", "en", "de", "es"))


def test_every_authority_is_listed_in_the_docs_as_the_data_has_it() -> None:
    """The table in docs/declaration.md says what each entry's check confirmed, and when."""
    docs = (Path(__file__).parents[2] / "docs" / "declaration.md").read_text("utf-8")
    for key, a in authorities().items():
        name = f"{a.name} ({a.abbreviation})" if a.abbreviation else a.name
        checked = f"{a.checked.what}, {a.checked.on}" if a.checked else "not checked"
        page = "yes, and in English" if a.complaint_url_en else "yes" if a.complaint_url else "—"
        row = f"| `{key}` | {a.country} | {a.region or ''} | {name} | {checked} | {page} |"
        assert row in docs, row
