"""The position a named person holds, written next to the name, is redacted
with it as a ROLE (issue 16: "<PERSON_1>, Directrice Qualité" still named the
quality director of the company). The sentences are written for these tests."""

from __future__ import annotations

import pytest

from gardien.redact import LABELS, Analyzer, RecognizerRegistry, redact, restore
from gardien.redact.recognizers.titled_person import TitledPersonRecognizer
from gardien.redact.roles import role_spans
from gardien.redact.span import Explanation, Span


def _rules() -> Analyzer:
    """Titled names only, so that what is pinned does not hang on the NER model."""
    registry = RecognizerRegistry()
    registry.register(TitledPersonRecognizer())
    return Analyzer(registry)


def _roles(text: str, lang: str = "fr") -> list[str]:
    return [s.text for s in _rules().analyze(text, lang) if s.label == "ROLE"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Mme Odile Vasseur, Responsable Achats (intérim)", "fr", ["Responsable Achats"]),
        ("- Chef de Projet : M. Loïc Brunel", "fr", ["Chef de Projet"]),
        ("Validé par M. Hugo Sarda (Architecte Réseau) hier.", "fr", ["Architecte Réseau"]),
        ("M. Yves Carmin - Head of Field Sales", "fr", ["Head of Field Sales"]),
        ("Dr. Ines Ward, Senior Data Manager, joined.", "en", ["Senior Data Manager"]),
        ("Mr. Tom Abbot, CFO of Larkspur Inc, signed.", "en", ["CFO of Larkspur Inc"]),
        (
            "Avec Mme Léa Pic, notre directrice juridique, et d'autres.",
            "fr",
            ["notre directrice juridique"],
        ),
        # What follows the name is not a position: left as it is.
        ("Mme Odile Vasseur, notre voisine, a appelé.", "fr", []),
        ("Mme Odile Vasseur, a validé avec notre avocat la clause.", "fr", []),
        ("M. Loïc Brunel (intérim) arrive lundi.", "fr", []),
        # A position with no name next to it names nobody in particular.
        ("La Responsable Achats a validé la commande.", "fr", []),
    ],
)
def test_positions_next_to_a_name(text: str, lang: str, expected: list[str]) -> None:
    assert _roles(text, lang) == expected


def test_a_position_stops_at_the_next_span_and_the_next_title() -> None:
    text = "M. Paul Rey, directeur de la DRH Mme Anne Sol, arrive."
    found = _rules().analyze(text, "fr")
    assert [(s.label, s.text) for s in found] == [
        ("PERSON", "Paul Rey"),
        ("ROLE", "directeur de la DRH"),
        ("PERSON", "Anne Sol"),
    ]


def test_the_provider_reads_one_person_and_their_position_and_restore_gives_it_back(
    key: bytes,
) -> None:
    text = "Mme Odile Vasseur, Responsable Achats, a signé. Vasseur rappellera."
    result = redact(text, lang="fr", operator="reversible", key=key)
    assert result.text == "Mme <PERSON_1>, <ROLE_1>, a signé. <PERSON_1> rappellera."
    assert restore(result.text, result.mapping or "", key) == (
        "Mme Odile Vasseur, Responsable Achats, a signé. Odile Vasseur rappellera."
    )


def test_role_is_a_label_that_a_filter_can_leave_out() -> None:
    assert "ROLE" in LABELS
    text = "Mme Odile Vasseur, Responsable Achats"
    kept = _rules().analyze(text, "fr", labels=["PERSON"])
    assert [s.label for s in kept] == ["PERSON"]


def test_roles_never_overlap_the_spans_they_are_found_among() -> None:
    text = "Mme Odile Vasseur, Responsable Achats Nord"
    explanation = Explanation(recognizer="t", pattern="t", original_score=0.9, score=0.9)
    person = Span(4, 17, "PERSON", 0.9, explanation, "Odile Vasseur")
    place = Span(38, 42, "LOCATION", 0.9, explanation, "Nord")
    (role,) = role_spans(text, [person, place])
    assert (role.start, role.end, role.text) == (19, 37, "Responsable Achats")
