"""One person, one placeholder: a surname or first name alone is numbered as
the full name it belongs to (issue 16: "Margaux Vidal" then "Vidal" were two
people for the AI provider)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import (
    Analyzer,
    RecognizerRegistry,
    Redactor,
    redact,
    redact_batch,
    restore,
)
from gardien.redact.mentions import Mentions
from gardien.redact.recognizers.cues import PersonCueRecognizer
from gardien.redact.recognizers.titled_person import TitledPersonRecognizer
from gardien.redact.span import Explanation, Span


def _rules() -> Analyzer:
    """Rules only, so that what is pinned does not hang on the NER model."""
    registry = RecognizerRegistry()
    registry.register(TitledPersonRecognizer())
    registry.register(PersonCueRecognizer())
    return Analyzer(registry)


def _person(text: str, value: str, label: str = "PERSON") -> Span:
    start = text.index(value)
    explanation = Explanation(recognizer="test", pattern="t", original_score=0.9, score=0.9)
    return Span(start, start + len(value), label, 0.9, explanation, value)


def test_surname_and_first_name_alone_share_the_full_names_placeholder() -> None:
    text = "Bonjour, je suis Mme Oriane Castagnet. Castagnet au téléphone ; merci, Oriane"
    redactor = Redactor("placeholder", lang="fr", analyzer=_rules())
    out, _ = redactor.feed(text)
    assert out == "Bonjour, je suis Mme <PERSON_1>. <PERSON_1> au téléphone ; merci, <PERSON_1>"


def test_the_surname_may_come_first_in_the_same_text() -> None:
    text = "Merci à Castagnet. Signé : Mme Oriane Castagnet"
    out, _ = Redactor("placeholder", lang="fr", analyzer=_rules()).feed(text)
    assert out == "Merci à <PERSON_1>. Signé : Mme <PERSON_1>"


def test_a_surname_two_people_share_keeps_its_own_placeholder() -> None:
    text = "Mme Oriane Castagnet et M. Hugo Castagnet. Merci à Castagnet."
    out, _ = Redactor("placeholder", lang="fr", analyzer=_rules()).feed(text)
    # Which Castagnet? Not guessed: a third placeholder rather than the wrong person.
    assert out == "Mme <PERSON_1> et M. <PERSON_2>. Merci à <PERSON_3>."


def test_across_pieces_of_one_document() -> None:
    redactor = Redactor("placeholder", lang="fr", analyzer=_rules())
    first, _ = redactor.feed("Mme Oriane Castagnet a écrit.\n\n")
    second, _ = redactor.feed("M. Castagnet ? Non, Mme Castagnet.\n")
    assert first == "Mme <PERSON_1> a écrit.\n\n"
    assert second == "M. <PERSON_1> ? Non, Mme <PERSON_1>.\n"


def test_pseudonyms_and_reversible_mappings_follow_the_full_name(key: bytes) -> None:
    text = "Mme Oriane Castagnet a appelé. Merci à Castagnet."
    redactor = Redactor("pseudonymize", key=key, lang="fr", analyzer=_rules())
    out, _ = redactor.feed(text)
    pseudonyms = [w.strip(".") for w in out.split() if w.startswith("<PERSON_")]
    assert len(pseudonyms) == 2 and pseudonyms[0] == pseudonyms[1]
    result = redact("M. Hugo Lemarrec puis M. Lemarrec.", lang="fr", operator="reversible", key=key)
    assert result.text == "M. <PERSON_1> puis M. <PERSON_1>."
    assert (
        restore(result.text, result.mapping or "", key) == "M. Hugo Lemarrec puis M. Hugo Lemarrec."
    )


def test_each_text_of_a_batch_is_its_own_document() -> None:
    texts = ["Mme Oriane Castagnet, puis Mme Castagnet.", "Mme Castagnet seule."]
    results = redact_batch(texts, lang="fr")
    assert results[0].text == "Mme <PERSON_1>, puis Mme <PERSON_1>."
    assert results[1].text == "Mme <PERSON_1> seule."


def test_other_labels_and_full_names_have_no_referent() -> None:
    text = "Oriane Castagnet, puis Castagnet, et Lyon"
    spans = [
        _person(text, "Oriane Castagnet"),
        _person(text[17:], "Castagnet").shifted(17),
        _person(text, "Lyon", "LOCATION"),
    ]
    assert Mentions().referents(spans) == [None, "Oriane Castagnet", None]


@given(
    first=st.sampled_from(["Oriane", "Hugo", "Maëlle", "Anne-Lise"]),
    last=st.sampled_from(["Castagnet", "Lemarrec", "Quéré", "Le Goaziou"]),
    alone=st.booleans(),
)
def test_any_part_of_a_full_name_maps_to_it(first: str, last: str, alone: bool) -> None:
    full = f"{first} {last}"
    part = first if alone else last.split()[-1]
    text = f"{full} puis {part}"
    mentions = Mentions()
    spans = [_person(text, full), _person(text[len(full) :], part).shifted(len(full))]
    assert mentions.referents(spans) == [None, full]


def test_the_memory_of_full_names_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from gardien.redact import mentions as module

    monkeypatch.setattr(module, "MAX_REMEMBERED", 1)
    text = "Oriane Castagnet, Hugo Lemarrec, Lemarrec"
    spans = [
        _person(text, "Oriane Castagnet"),
        _person(text, "Hugo Lemarrec"),
        _person(text[33:], "Lemarrec").shifted(33),
    ]
    # The second full name is not remembered: "Lemarrec" keeps its own placeholder.
    assert module.Mentions().referents(spans) == [None, None, None]
