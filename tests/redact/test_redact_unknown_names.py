"""Capitalised words of no dictionary inside an English sentence are names
(issue 16: WNUT-17 leaked surnames and nicknames alone). The sentences are
written for these tests."""

from __future__ import annotations

import pytest

from gardien.redact import Analyzer, RecognizerRegistry
from gardien.redact.recognizers.unknown_name import UnknownNameRecognizer


def _found(text: str, lang: str = "en") -> list[str]:
    registry = RecognizerRegistry()
    registry.register(UnknownNameRecognizer())
    return [s.text for s in Analyzer(registry).analyze(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("omg did you see what Zaruvek posted", ["Zaruvek"]),
        ("honestly nobody plays like Okonkwo anymore", ["Okonkwo"]),
        # Everyday words, inflected or not, slang, and stop words are not names.
        ("we Ordered pizza and it was Delicious lol", []),
        ("that was Sooooo good, Lmao", []),
        # The start of a sentence gives every word a capital: there a word
        # is a name only as the subject of a verb or someone addressed.
        ("Zaruvek style rules. Okonkwo too", []),
        ("Zaruvek was late. Okonkwo too", ["Zaruvek"]),
        ("lol. Nkechi is the funniest one", ["Nkechi"]),
        ("Obuya, do you have the link?", ["Obuya"]),
        ("Wowza what a match", []),
        ("Okonkwo scores again tonight", ["Okonkwo"]),
        # A text of a few words is not judged to be in title case.
        ("Bye Zaruvek!", ["Zaruvek"]),
        # Handles, hashtags and compounds are not taken here.
        ("follow @Zaruvek and #Okonkwo or Zaruvek-style", []),
        # A text written in title case says nothing with its capitals.
        ("Watch Zaruvek Destroy The Whole Team", []),
    ],
)
def test_unknown_capitalised_words_in_english(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_not_in_french() -> None:
    assert _found("le rapport de Zaruvek est arrivé", "fr") == []


def test_it_only_fills_in(analyzer: Analyzer) -> None:
    # The model's or a rule's span wins where they found the word.
    spans = analyzer.analyze("the invoice from Zaruvek Ltd is late", "en")
    assert [(s.label, s.text) for s in spans] == [("ORGANIZATION", "Zaruvek Ltd")]


def test_without_a_dictionary_it_stands_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # A pipeline without its lemmatizer's word lists: every capitalised word
    # would look unknown, so nothing is reported rather than everything.
    from gardien.redact import lexicon

    monkeypatch.setattr(lexicon, "has_dictionary", lambda lang: False)
    assert _found("omg did you see what Zaruvek posted") == []
