"""Product, software and brand names are not people (issue 16: support
tickets name their tools, and the model took "Zendesk" for a person). The
list is simple-icons' (CC0), less every title that could be a name or a
word. The sentences are written for these tests."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from gardien.redact import Analyzer
from gardien.redact.products import is_product, known_products


def _values(analyzer: Analyzer, text: str, lang: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in analyzer.analyze(text, lang)]


def test_the_list_says_where_it_comes_from() -> None:
    path = resources.files("gardien.redact").joinpath("data/products.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["licence"].startswith("CC0-1.0") and "simple-icons" in data["source"]
    assert len(data["names"]) > 3000


@pytest.mark.parametrize("name", ["Zendesk", "Grafana", "jira", "KUBERNETES", "Xiaomi"])
def test_well_known_software_is_a_product(name: str) -> None:
    assert is_product(name)


@pytest.mark.parametrize(
    "name",
    # First names, surnames, everyday words and short titles of the source
    # list are left out: "Jasmine" and "Notion" are brands there.
    ["Jasmine", "Notion", "Ford", "Signal", "Orange", "Ada", "Zendesk Dupont"],
)
def test_names_and_words_are_never_products(name: str) -> None:
    assert not is_product(name)
    assert name.casefold() not in known_products()


def test_a_ticket_keeps_its_tools_and_loses_its_people(analyzer: Analyzer) -> None:
    text = (
        "Hi, since the update the Zendesk widget shows a blank page and our Grafana "
        "dashboard is empty. Jira says nothing either. Regards, Maëlle Ortiz"
    )
    found = _values(analyzer, text, "en")
    assert ("PERSON", "Maëlle Ortiz") in found
    assert not any(value in ("Zendesk", "Grafana", "Jira") for _, value in found)


def test_a_product_named_as_an_employer_is_a_company(analyzer: Analyzer) -> None:
    found = _values(analyzer, "Before that, Maëlle spent four years at Grafana.", "en")
    assert ("PERSON", "Maëlle") in found
    assert any(value == "Grafana" and label != "PERSON" for label, value in found)


def test_a_person_with_a_brands_first_name_is_still_a_person(analyzer: Analyzer) -> None:
    found = _values(analyzer, "I asked Jasmine Okoro to check it.", "en")
    assert any(label == "PERSON" and "Jasmine" in value for label, value in found)
