"""How NER entities are cleaned before they become spans: field names and
codes that a model takes for names are not reported, titles are cut off.

The ``Doc`` is built by hand with the entities under test, so these tests do
not depend on what a statistical model happens to predict."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from gardien.redact.recognizers.ner import SpacyNerRecognizer

_NLP = {lang: spacy.blank(lang) for lang in ("fr", "en")}


def _doc(text: str, lang: str, entity: str, label: str) -> Doc:
    doc = _NLP[lang](text)
    start = text.index(entity)
    ent = doc.char_span(start, start + len(entity), label=label)
    assert isinstance(ent, SpacySpan), f"{entity!r} is not on token boundaries"
    doc.ents = [ent]
    return doc


def _found(text: str, lang: str, entity: str, label: str) -> list[tuple[str, str]]:
    spans = SpacyNerRecognizer().analyze(text, lang, _doc(text, lang, entity, label))
    return [(text[s.start : s.end], s.label) for s in spans]


@pytest.mark.parametrize(
    ("lang", "text", "entity", "label", "expected"),
    [
        ("fr", "Passeport français 30YS25677, délivré à Lyon.", "Passeport", "ORG", []),
        ("fr", "Numéro SIRET à indiquer : 532 930 468 00162.", "Numéro SIRET", "ORG", []),
        ("fr", "Téléphone : +33 2 56 08 07 77.", "Téléphone", "LOC", []),
        ("fr", "Livraison Marie Curie demain.", "Livraison Marie Curie", "PER",
         [("Marie Curie", "PERSON")]),
        ("fr", "Entreprise Guérin Brun.", "Entreprise", "ORG", []),
        ("fr", "Mon colis 6A12345678901 est bloqué.", "6A12345678901", "LOC", []),
        ("fr", "Ma carte d'identité n° IK4FIRIR9.", "IK4FIRIR9", "ORG", []),
        ("en", "Call Mr. John Smith today.", "Mr. John Smith", "PERSON",
         [("John Smith", "PERSON")]),
        ("en", "Ask Zoe Area about it.", "Zoe Area", "PERSON", [("Zoe Area", "PERSON")]),
        ("en", "The Area 51 visitors.", "Area 51", "GPE", [("Area 51", "LOCATION")]),
        ("fr", "Je travaille chez Société Générale.", "Société Générale", "ORG",
         [("Société Générale", "ORGANIZATION")]),
        ("fr", "Cordialement, Roland Alves — Responsable Achats", "Roland Alves — Responsable Achats",
         "PER", [("Roland Alves", "PERSON")]),
        ("en", "Name: Shaw / First name: Eddie", "Shaw / First", "ORG", [("Shaw", "ORGANIZATION")]),
        ("fr", "Voir avec la Direction Financière.", "Direction Financière", "ORG", []),
        ("en", "Ask the Finance Department.", "Finance Department", "ORG", []),
        ("fr", "Le VIP attend son code.", "VIP", "ORG", []),
        ("fr", "J'ai appelé Michèle du SAV hier.", "Michèle du SAV", "PER", [("Michèle", "PERSON")]),
        ("fr", "Lettre de Joachim du Bellay.", "Joachim du Bellay", "PER",
         [("Joachim du Bellay", "PERSON")]),
        # No name runs across a line break: each line is its own candidate.
        ("en", "Please refund. Priya\n\nThe app crashes on my Pixel", "Priya\n\nThe app crashes on my Pixel",
         "PER", [("Priya", "PERSON")]),
        ("en", "Thanks, Priya\n\nGrace Miller wrote", "Priya\n\nGrace Miller", "PER",
         [("Priya", "PERSON"), ("Grace Miller", "PERSON")]),
        ("fr", "Adresse : Lyon\nMerci", "Lyon\nMerci", "LOC", [("Lyon", "LOCATION")]),
        # A stretch of sentence is not a name; particles are.
        ("en", "Then The app crashes every time.", "The app crashes every time", "PER", []),
        ("fr", "Signé Marie de la Tour.", "Marie de la Tour", "PER", [("Marie de la Tour", "PERSON")]),
        ("en", "Ask Ludwig van Beethoven.", "Ludwig van Beethoven", "PER",
         [("Ludwig van Beethoven", "PERSON")]),
    ],
)  # fmt: skip
def test_entity_cleanup(
    lang: str, text: str, entity: str, label: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text, lang, entity, label) == expected
