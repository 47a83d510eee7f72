"""The access summary in the language the declaration publishes in, German included.

A request is in French or English (gardien's pages and messages); the summary is in
that language when the notice is published in it, else in a language it is published
in (``summary_language``). So a German association publishing in English and German
answers a French request in English, never in French sentences around English texts;
one publishing in German only answers in German: « Auskunft nach Art. 15 DSGVO », as a
German data-protection lawyer writes it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_summary import SECTIONS, parse

from gardien.declaration.models import Declaration
from gardien.errors import RenderError
from gardien.requests.article15 import ConsentEntry, article15_information
from gardien.requests.summary import article, render_summary, summary_language

VEREIN = Path(__file__).parents[1] / "declaration" / "data" / "verein_de.yaml"
AT = dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC)

# Words of French and English the German page's own text must never show.
FRENCH = ["données", "vous", "votre", "finalité", "destinataire", "conservation", "droit",
          "consentement", "traitement", "les", "nous", "aucun", "pour", "puis"]  # fmt: skip
ENGLISH = ["the", "your", "you", "data", "purpose", "recipient", "retention", "right",
           "consent", "processing", "and", "with", "none", "until", "then"]  # fmt: skip
GERMAN = ["ihre", "daten", "zweck", "empfänger", "speicherdauer", "recht", "einwilligung",
          "verarbeitung", "und", "der", "die", "widerspruchsrecht", "dsgvo"]  # fmt: skip


def _verein(languages: list[str], datastore: bool = False) -> Declaration:
    data: dict[str, Any] = yaml.safe_load(VEREIN.read_text("utf-8"))
    data["notice"]["languages"] = languages
    if datastore:
        data["datastores"] = {
            "mitglieder": {
                "url": {"$env": "VEREIN_DATABASE_URL"},
                "collections": {
                    "members": {
                        "fields": {
                            "id": {"primary_key": True, "identity": "member_id"},
                            "email": {"categories": ["user.contact.email"], "identity": "email"},
                            "name": {"categories": ["user.name"]},
                            "iban": {"categories": ["user.financial.bank_account"]},
                        }
                    }
                },
            }
        }
    return Declaration.model_validate(data)


def _german(found: Any) -> tuple[dict[str, Any], str]:
    declaration = _verein(["de"], datastore=True)
    consents = [ConsentEntry("newsletter", "withdrawn", AT, None, "5e" * 16, channel="web")]
    info = article15_information(
        declaration, "de", datastores_found=found, consents=consents, generated_at=AT
    )
    return info, render_summary(info, "de")


def test_a_german_only_association_answers_in_german() -> None:
    _, document = _german({("mitglieder", "members"): 1})
    page = parse(document)
    assert ("html", {"lang": "de"}) in page.tags
    for section in SECTIONS:
        assert page.ids.get(section.value) == "section" and page.ids.get(f"h-{section}") == "h2"
    text = page.text
    assert "Auskunft von Lesekreis Altstadt e. V. nach Art. 15 DSGVO auf Ihren Antrag" in text
    assert "erstellt am 15. März 2026" in text
    assert "mitglieder / members" in text and "Bankverbindung" in text
    assert "Die Erfüllung eines Vertrags mit Ihnen" in text  # legal basis at the cell's head
    assert "(Art. 6 Abs. 1 lit. b DSGVO)" in text
    assert "Bis zum Ende unserer Beziehung zu Ihnen, anschließend 3 Jahre" in text
    assert "Recht auf Berichtigung (Art. 16 DSGVO)" in text
    assert "Recht auf jederzeitigen Widerruf der Einwilligung (Art. 7 Abs. 3 DSGVO)" in text
    assert "Widerspruch gegen Direktwerbung (Art. 21 Abs. 2 DSGVO)" in text
    assert "innerhalb eines Monats nach Eingang" in text
    assert "um zwei Monate verlängert" in text
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in text
    assert "widerrufen" in text and "5e" * 16 in text  # the consent, its choice in German
    assert "Erstellt am 15. März 2026 von Lesekreis Altstadt e. V." in text


@pytest.mark.parametrize("found", [{("mitglieder", "members"): 2}, []])
def test_no_french_or_english_word_on_the_german_page(found: Any) -> None:
    _, document = _german(found)
    text = parse(document).text
    # Names, addresses and identifiers are as declared.
    for value in ["Lesekreis Altstadt e. V.", "mitglieder / members", "datenschutz@lesekreis"]:
        text = text.replace(value, " ")
    text = re.sub(r"\S+@\S+|https?://\S+|\b\w+\.(json|csv)\b", " ", text)
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    stray = words & set(FRENCH + ENGLISH) - {"records"}
    assert stray == set()
    assert words >= set(GERMAN)  # the list bites
    if not found:
        assert "Wir verarbeiten keine personenbezogenen Daten über Sie." in text


def test_a_french_request_to_an_english_and_german_association_is_answered_in_english() -> None:
    declaration = _verein(["en", "de"])
    assert summary_language(declaration, "fr") == "en"
    assert summary_language(declaration, "en") == "en"
    info = article15_information(declaration, "en", datastores_found=[], generated_at=AT)
    text = parse(render_summary(info, "en")).text
    assert "Until the end of the relationship" in text
    assert "Jusqu'à" not in text and "puis suppression" not in text
    # The French sentences around English texts the summary used to write are refused.
    with pytest.raises(RenderError, match=r'no access summary in "fr": this declaration publishes'):
        article15_information(declaration, "fr", datastores_found=[])


def test_a_document_is_rendered_in_its_own_language_only() -> None:
    info, _ = _german([])
    with pytest.raises(RenderError, match=r'the Art\. 15 document is in "de", not "en"'):
        render_summary(info, "en")
    with pytest.raises(RenderError, match='choose "fr", "en" or "de"'):
        render_summary(info, "es")  # type: ignore[arg-type]


@given(
    languages=st.lists(st.sampled_from(["fr", "en", "de"]), min_size=1, max_size=3, unique=True),
    requested=st.sampled_from(["fr", "en"]),
)
def test_the_summary_is_in_a_published_language_the_request_s_when_it_can(
    languages: list[str], requested: str
) -> None:
    declaration = _verein(languages)
    chosen = summary_language(declaration, requested)
    assert chosen in languages
    if requested in languages:
        assert chosen == requested
    elif "en" in languages:
        assert chosen == "en"


@pytest.mark.parametrize(
    ("number", "german"),
    [("16", "16"), ("7(3)", "7 Abs. 3"), ("21(2)", "21 Abs. 2"), ("6(1)(f)", "6 Abs. 1 lit. f")],
)
def test_articles_are_cited_the_german_way(number: str, german: str) -> None:
    assert article(number, "de") == german
    assert article(number, "en") == number


@pytest.mark.parametrize(
    ("languages", "requested", "expected"),
    [
        (["en", "de"], "fr", "en"),
        (["de"], "fr", "de"),
        (["de"], "en", "de"),
        (["fr", "en"], "fr", "fr"),
    ],
)
def test_the_access_package_s_page_is_in_the_language_chosen(
    languages: list[str], requested: str, expected: str
) -> None:
    from gardien.audit import Actor
    from gardien.requests.handlers import package_members
    from gardien.requests.records import ExecutionOrder
    from gardien.requests.vocabulary import RequestType

    declaration = _verein(languages)
    order = ExecutionOrder("r1", RequestType.ACCESS, None, {}, {}, requested, None, AT)
    members = package_members(declaration, None, Actor("test", "suite", None))(order, None)([])  # type: ignore[arg-type]
    page = members["summary.html"].decode("utf-8")
    assert f'<html lang="{expected}">' in page
    assert f'"language": "{expected}"' in members["article15.json"].decode("utf-8")
