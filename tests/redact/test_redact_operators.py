"""Operators: placeholders numbered per document, keyed pseudonyms stable
across documents, and reversible pseudonymisation restored from an AI
provider's (modified) answer."""

from __future__ import annotations

import pytest

from gardien.errors import RedactionError
from gardien.redact import Analyzer, redact, restore
from gardien.redact.operators import OPERATORS
from gardien.redact.operators.basic import MaskOperator, PlaceholderOperator

FR_TEXT = (
    "Bonjour, je suis Claire Dubois, joignable au 06 12 34 56 78 ou à claire.dubois@example.fr. "
    "Mon IBAN est FR76 3000 6000 0112 3456 7890 189. Claire Dubois habite à Lyon."
)
EN_TEXT = "Hi, I'm John Miller, call me at +44 20 7946 0958 or write to john@example.com."


def test_registry_lists_every_operator_by_name() -> None:
    assert set(OPERATORS) == {"redact", "mask", "placeholder", "pseudonymize", "reversible"}
    assert all(name == cls.name for name, cls in OPERATORS.items())


def test_placeholder_numbers_values_consistently_within_a_document(analyzer: Analyzer) -> None:
    result = redact(FR_TEXT, lang="fr")
    assert result.text.count("<PERSON_1>") == 2
    assert "<PHONE_1>" in result.text and "<EMAIL_1>" in result.text
    assert "<IBAN_1>" in result.text and "<LOCATION_1>" in result.text
    assert "Claire" not in result.text


def test_placeholder_treats_two_writings_of_a_value_as_one() -> None:
    op = PlaceholderOperator()
    assert op.replace("06 12 34 56 78", "PHONE") == op.replace("06.12.34.56.78", "PHONE")
    assert op.replace("Jean Dupont", "PERSON") == "<PERSON_1>"
    assert op.replace("Marie Curie", "PERSON") == "<PERSON_2>"


def test_mask_keeps_the_shape_and_redact_removes(analyzer: Analyzer) -> None:
    assert MaskOperator().replace("06 12 34", "PHONE") == "** ** **"
    assert redact("write to john@example.com.", "en", "redact").text == "write to ."


def test_keyed_pseudonyms_are_stable_across_documents_and_keys(key: bytes) -> None:
    first = redact("Écrire à claire.dubois@example.fr", "fr", "pseudonymize", key).text
    second = redact("Autre message : claire.dubois@example.fr.", "fr", "pseudonymize", key).text
    token = first.removeprefix("Écrire à ")
    assert token.startswith("<EMAIL_") and token in second
    other = redact("Écrire à claire.dubois@example.fr", "fr", "pseudonymize", b"k" * 32).text
    assert other != first


@pytest.mark.parametrize("operator", ["pseudonymize", "reversible"])
def test_keyed_operators_refuse_a_missing_or_short_key(operator: str) -> None:
    with pytest.raises(RedactionError, match="needs a secret key"):
        redact(EN_TEXT, "en", operator)
    with pytest.raises(RedactionError, match="at least 16"):
        redact(EN_TEXT, "en", operator, key=b"short")


def test_unknown_operator_names_the_choices() -> None:
    with pytest.raises(RedactionError, match="placeholder"):
        redact(EN_TEXT, "en", "shred")


@pytest.mark.parametrize(("text", "lang"), [(FR_TEXT, "fr"), (EN_TEXT, "en")])
def test_reversible_round_trip(text: str, lang: str, key: bytes) -> None:
    result = redact(text, lang, "reversible", key)
    assert result.mapping is not None
    assert "Miller" not in result.text and "Dubois" not in result.text
    assert result.mapping.isascii() and "Dubois" not in result.mapping
    assert restore(result.text, result.mapping, key) == text


def test_restore_in_a_modified_ai_answer(key: bytes) -> None:
    result = redact(EN_TEXT, "en", "reversible", key)
    assert result.mapping is not None
    answer = (
        "Summary: [PERSON_1] asked to be called back on { PHONE_1 }. "
        "Reply to <EMAIL_1>. <PERSON_7> is unknown and stays."
    )
    restored = restore(answer, result.mapping, key)
    assert restored == (
        "Summary: John Miller asked to be called back on +44 20 7946 0958. "
        "Reply to john@example.com. <PERSON_7> is unknown and stays."
    )


def test_restore_refuses_a_wrong_key_or_a_tampered_mapping(key: bytes) -> None:
    result = redact(EN_TEXT, "en", "reversible", key)
    assert result.mapping is not None
    with pytest.raises(RedactionError, match="cannot be opened with this key"):
        restore(result.text, result.mapping, b"x" * 32)
    tampered = (
        result.mapping[:-6] + ("A" if result.mapping[-6] != "A" else "B") + result.mapping[-5:]
    )
    with pytest.raises(RedactionError):
        restore(result.text, tampered, key)
    with pytest.raises(RedactionError, match="not one gardien sealed"):
        restore(result.text, "not a mapping", key)


def test_a_mapping_can_be_continued_in_the_next_turn(key: bytes) -> None:
    first = redact("I'm John Miller.", "en", "reversible", key)
    second = redact(
        "Also tell Sarah Connor and John Miller.", "en", "reversible", key, mapping=first.mapping
    )
    assert "<PERSON_1>" in second.text and "<PERSON_2>" in second.text
    assert second.mapping is not None
    assert restore("<PERSON_2> met <PERSON_1>", second.mapping, key) == (
        "Sarah Connor met John Miller"
    )
