"""Known first names fill in where the model found nobody (issue 16: short
messages name people without title, context or capital)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import Analyzer, RecognizerRegistry
from gardien.redact.gazetteer import common_words, first_names
from gardien.redact.recognizers.first_name import FirstNameRecognizer


def _found(text: str, lang: str = "en") -> list[str]:
    registry = RecognizerRegistry()
    registry.register(FirstNameRecognizer())
    return [s.text for s in Analyzer(registry).analyze(text, lang)]


def test_the_gazetteer_holds_first_names_and_no_everyday_words() -> None:
    names = first_names()
    assert {"kelsey", "océane", "thibault", "giulia", "jakub", "anouk"} <= names
    assert not names & {"will", "grace", "rose", "june", "chase", "pierre", "mark", "france"}
    assert "the" in common_words() and "monday" in common_words()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kelsey you should try the blue one", ["Kelsey"]),
        ("Great trip, Lorenzo Dunbar was there too", ["Lorenzo Dunbar"]),
        # A text with no capital at all writes names in lower case too.
        ("lol giulia and jakub were so funny", ["giulia", "jakub"]),
        # English comments write names in lower case among capitalised words
        # (issue 16): a known first name counts there too, without a surname,
        # since the word after it is as likely a verb.
        ("I told Ben that kelsey is a name", ["Ben", "kelsey"]),
        ("Did you see how giulia wears it? Lol", ["giulia"]),
        # First names that are everyday words in lower case stay words.
        ("She drew a sandy path to the marine park, Ben", ["Ben"]),
        # Everyday words, handles, compounds and e-mail addresses are left alone.
        ("Will you chase the Grace period? @Kelsey kelsey.b@example.org Kelsey-style", []),
        # First names of the lists that are English verbs and adjectives first.
        ("Edit: the German version did no Harm, Peer review is next", []),
    ],
)
def test_known_first_names(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_the_gazetteer_reads_the_wider_lists_without_their_words() -> None:
    names = first_names()
    # The other EU languages and the English- and French-speaking world beyond Europe.
    assert {"kendrick", "hamish", "aarav", "yacine", "benoit", "ioana", "mihai", "radek"} <= names
    # Their long lists hold words of the dictionary, and chat words of three letters.
    assert not names & {"boston", "canyon", "bliss", "vid"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After a first name, a lower-case word that is no word of the
        # language is the surname, in English where names go without capitals.
        ("What a show, Kylie okonjo was great", ["Kylie okonjo"]),
        ("we miss hamish okonjo here", ["hamish okonjo"]),
        # A word of the language after it is as likely a verb.
        ("yeah but conor makes more than anyone", ["conor"]),
        ("so kendrick likes it? Nice", ["kendrick"]),
    ],
)
def test_a_lower_case_surname_is_taken_only_when_it_is_no_word(
    text: str, expected: list[str]
) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # In French, many first names are lower-case words: with capitals
        # elsewhere, a lower-case word stays a word.
        ("J'ai dit à Ben que la marine lance un appel", ["Ben"]),
        ("Océane a vu giulia hier", ["Océane"]),
    ],
)
def test_lower_case_first_names_in_french_text_with_capitals(
    text: str, expected: list[str]
) -> None:
    assert _found(text, "fr") == expected


@given(
    name=st.sampled_from(["Kelsey", "Océane", "Giulia", "Jakub", "Thibault"]),
    before=st.sampled_from(["", "Thanks ", "ok so ", "Hi, "]),
    after=st.sampled_from(["", " said no", ", see you", "!"]),
)
def test_a_known_first_name_is_found_wherever_it_stands(name: str, before: str, after: str) -> None:
    assert _found(f"{before}{name}{after}") == [name]


def test_lower_case_entities_only_count_in_a_text_without_capitals() -> None:
    from gardien.redact.recognizers.ner import SpacyNerRecognizer

    is_a_name = SpacyNerRecognizer._is_a_name
    assert is_a_name("lisbonne", "LOCATION", lower_text=True)
    assert not is_a_name("lisbonne", "LOCATION", lower_text=False)
    # Everyday words stay words even in lower-case writing.
    assert not is_a_name("the app", "PERSON", lower_text=True)
