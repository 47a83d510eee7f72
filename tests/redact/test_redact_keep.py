"""Terms never redacted: the company's product and brand names stay, in any
case and spacing, while a span reaching beyond them is still redacted."""

from __future__ import annotations

import pytest

from gardien.errors import RedactionError
from gardien.redact import (
    Analyzer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    Redactor,
    analyze,
    analyze_batch,
    redact,
    redact_batch,
)
from gardien.redact.keep import MAX_TERM_CHARS, MAX_TERMS, kept_regions

SHIPPED = "Commande expédiée via Colissimo vers rue Brigitte Renault, 75718 Sainte Zoé."


class CapitalisedWords(PatternRecognizer):
    """Every run of capitalised words is a "person": a stand-in model whose
    mistakes are known, so that only the keep logic is under test."""

    name = "capitalised_words"
    LABEL = "PERSON"
    PATTERNS = (Pattern("caps", r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\b", 0.9),)


@pytest.fixture
def caps() -> Analyzer:
    registry = RecognizerRegistry()
    registry.register(CapitalisedWords())
    return Analyzer(registry)


def test_the_model_takes_the_carrier_for_a_person_unless_it_is_kept(analyzer: Analyzer) -> None:
    assert [s.text for s in analyze(SHIPPED, "fr") if s.label == "PERSON"] == ["Colissimo"]
    kept = redact(SHIPPED, "fr", keep=["colissimo"]).text
    assert kept.startswith("Commande expédiée via Colissimo vers <LOCATION_1>")
    assert analyze_batch([SHIPPED], "fr", keep=["Colissimo"]) == [
        analyze(SHIPPED, "fr", keep=["Colissimo"])
    ]


@pytest.mark.parametrize(
    ("text", "keep", "reported"),
    [
        ("ask Gift Card about it", ["gift  card"], []),  # any case, any spacing
        ("ask Gift Card Dupont about it", ["Gift Card"], ["Gift Card Dupont"]),  # reaches beyond
        ("ask Giftcard about it", ["Gift"], ["Giftcard"]),  # whole words only
        ("Gift Card Plus and Gift Card", ["Gift Card", "Gift Card Plus"], []),
        ("hello Dupont", [], ["Dupont"]),
    ],
)
def test_kept_terms_and_what_still_counts(
    caps: Analyzer, text: str, keep: list[str], reported: list[str]
) -> None:
    assert [s.text for s in caps.analyze(text, "en", keep=keep)] == reported


def test_a_kept_term_is_not_propagated_into_a_longer_name(caps: Analyzer) -> None:
    # "Marie" found on its own would be propagated into "Marie Claire" (a
    # magazine the company keeps), and must not be.
    text = "Marie wrote. then Marie Claire published it."
    spans = caps.analyze(text, "en", keep=["Marie Claire"])
    assert [(s.text, s.start) for s in spans] == [("Marie", 0)]


def test_a_streamed_document_keeps_the_terms_in_every_piece(caps: Analyzer) -> None:
    redactor = Redactor("placeholder", lang="en", analyzer=caps, keep=["Colissimo"])
    assert (
        redactor.feed("sent by Colissimo to Dupont.\n\n")[0]
        == "sent by Colissimo to <PERSON_1>.\n\n"
    )
    assert redactor.feed("then Colissimo lost it.")[0] == "then Colissimo lost it."


def test_batch_applies_the_terms_to_every_text(analyzer: Analyzer) -> None:
    texts = [SHIPPED, SHIPPED.replace("Brigitte Renault", "Victor Hugo")]
    assert all("Colissimo" in r.text for r in redact_batch(texts, "fr", keep=["Colissimo"]))


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        ("Colissimo", "a list of terms, not one string"),
        (["x" * (MAX_TERM_CHARS + 1)], f"at most {MAX_TERM_CHARS} characters"),
        (["  "], "non-empty"),
        (["a"] * (MAX_TERMS + 1), f"at most {MAX_TERMS}"),
    ],
)
def test_bad_terms_are_refused(keep: object, message: str) -> None:
    with pytest.raises(RedactionError, match=message):
        redact("Bonjour", "fr", keep=keep)  # type: ignore[arg-type]


def test_terms_with_regex_characters_are_literal() -> None:
    assert kept_regions("a C++ (beta) b", ["C++ (beta)"]) == [(2, 12)]
    assert kept_regions("a Cxx beta b", ["C++ (beta)"]) == []
