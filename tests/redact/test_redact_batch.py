"""redact_batch: many independent texts in one call, each exactly as redact() would do it."""

from __future__ import annotations

import pytest

from gardien.errors import RedactionError
from gardien.redact import MAX_BATCH, Analyzer, redact, redact_batch, restore

TEXTS = [
    "Bonjour, je suis Marie Dubois, écrivez-moi à marie.dubois@example.fr.",
    "Call Grace Miller at +1 (212) 555-0198 before noon.",
    "",
    "Rien de personnel ici.",
    "Mon IBAN : FR76 3000 6000 0112 3456 7890 189, merci Marie Dubois.",
]


@pytest.mark.parametrize("operator", ["placeholder", "mask", "redact"])
def test_each_text_is_redacted_as_alone(analyzer: Analyzer, operator: str) -> None:
    batch = redact_batch(TEXTS, operator=operator)
    alone = [redact(text, operator=operator) for text in TEXTS]
    assert [r.text for r in batch] == [r.text for r in alone]
    assert [r.spans for r in batch] == [r.spans for r in alone]


def test_placeholders_restart_per_text_and_mappings_are_per_text(
    analyzer: Analyzer, key: bytes
) -> None:
    first, second = redact_batch(
        ["Écrire à a.b@example.fr.", "Écrire à c.d@example.fr."], lang="fr", operator="reversible",
        key=key,
    )  # fmt: skip
    assert first.text == "Écrire à <EMAIL_1>." and second.text == "Écrire à <EMAIL_1>."
    assert first.mapping and second.mapping and first.mapping != second.mapping
    assert restore("<EMAIL_1>", first.mapping, key) == "a.b@example.fr"
    assert restore("<EMAIL_1>", second.mapping, key) == "c.d@example.fr"


def test_pseudonyms_agree_across_texts(analyzer: Analyzer, key: bytes) -> None:
    texts = ["Mail: a.b@example.fr", "Encore a.b@example.fr"]
    first, second = redact_batch(texts, operator="pseudonymize", key=key)
    assert first.text.split()[-1] == second.text.split()[-1] != "a.b@example.fr"


def test_bad_input_is_refused_before_any_work(analyzer: Analyzer) -> None:
    with pytest.raises(RedactionError, match="at most"):
        redact_batch(["x"] * (MAX_BATCH + 1))
    with pytest.raises(RedactionError, match="text 1 must be a str"):
        redact_batch(["ok", b"bytes"])  # type: ignore[list-item]
    with pytest.raises(RedactionError, match="unknown operator"):
        redact_batch(["x"], operator="shred")
    assert redact_batch([]) == []
