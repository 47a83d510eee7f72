"""Names are redacted whole: no span stops inside a word, and titled names keep
their compound first names, particles, inner capitals and accents (issue 16)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import Analyzer, RecognizerRegistry, analyze, redact
from gardien.redact.boundaries import whole_words, widen
from gardien.redact.recognizers.titled_person import TitledPersonRecognizer
from gardien.redact.span import Explanation, Span


def _span(text: str, start: int, end: int, label: str = "PERSON") -> Span:
    explanation = Explanation(recognizer="test", pattern="t", original_score=0.9, score=0.9)
    return Span(start, end, label, 0.9, explanation, text[start:end])


def _titled(text: str, lang: str = "fr") -> list[str]:
    registry = RecognizerRegistry()
    registry.register(TitledPersonRecognizer())
    return [s.text for s in Analyzer(registry).analyze(text, lang)]


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Signé par Anne-Sophie Garnier.", 10, 15, "Anne-Sophie"),  # "Anne-" cut at the hyphen
        ("Contact : Ewan MacLeod, Inverness", 10, 17, "Ewan MacLeod"),  # "Ewan Mac"
        ("Called Tomás Ibáñez today", 7, 17, "Tomás Ibáñez"),  # cut before an accent
        ("Vu à Saint-Brieuc hier", 11, 17, "Saint-Brieuc"),  # starts after the hyphen
        ("Merci Anne- et Paul", 6, 11, "Anne"),  # a dangling hyphen is not kept
        ("Merci Anne et Paul", 6, 10, "Anne"),  # a whole word is left alone
    ],
)
def test_a_name_span_is_widened_to_whole_words(
    text: str, start: int, end: int, expected: str
) -> None:
    widened = widen(text, _span(text, start, end))
    assert text[widened.start : widened.end] == expected == widened.text


def test_numbers_keep_their_own_edges() -> None:
    text = "Tel 0612345678x"
    phone = _span(text, 4, 14, "PHONE")
    assert whole_words(text, [phone]) == [phone]


@given(
    before=st.text(alphabet="abcé -.,", max_size=8),
    word=st.from_regex(r"[A-Z][a-zé]{2,6}(-[A-Z][a-z]{2,5})?", fullmatch=True),
    after=st.text(alphabet="abc -.,", max_size=8),
    cut=st.integers(min_value=1, max_value=30),
)
def test_a_widened_span_never_leaves_part_of_its_word(
    before: str, word: str, after: str, cut: int
) -> None:
    text = f"{before} {word} {after}"
    start = len(before) + 1
    end = start + min(cut, len(word))
    widened = widen(text, _span(text, start, end))
    # Every letter of the word is inside the span, and nothing across a space.
    assert widened.start == start and widened.end >= start + len(word.split("-")[0])
    assert " " not in text[widened.start : widened.end]
    if end > start + len(word.split("-")[0]) or text[end - 1] == "-":
        assert widened.end == start + len(word)


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("Rendez-vous avec M. Jean-Baptiste Kerlévéo demain.", "fr", "Jean-Baptiste Kerlévéo"),
        ("Réponse de Mme Louise de Kervennic, hier.", "fr", "Louise de Kervennic"),
        ("Avis de M. Yann Le Bihan sur le devis.", "fr", "Yann Le Bihan"),
        ("Visite de M. Pieter Van Der Aa lundi.", "fr", "Pieter Van Der Aa"),
        ("Note de M. Hugo d'Arvor jointe.", "fr", "Hugo d'Arvor"),
        ("Call Dr. Ewan MacLeod back.", "en", "Ewan MacLeod"),
        ("Please ask Mr. Tomás Ibáñez.", "en", "Tomás Ibáñez"),
        ("Mrs. O'Hara's file", "en", "O'Hara"),
    ],
)
def test_titled_names_with_particles_hyphens_and_accents(text: str, lang: str, name: str) -> None:
    assert _titled(text, lang) == [name]


def test_after_a_particle_the_titled_name_stops() -> None:
    # "de" + one word is a surname; the company after the full name is not taken in.
    assert _titled("M. Paul Garnier de Transports Lebrun a signé.") == ["Paul Garnier"]


def test_no_part_of_a_compound_first_name_is_left_readable() -> None:
    text = "Compte rendu validé par M. Jean-Baptiste Kerlévéo (direction)."
    redacted = redact(text, lang="fr").text
    assert "Baptiste" not in redacted and "Kerlévéo" not in redacted
    assert [s.text for s in analyze(text, lang="fr") if s.label == "PERSON"] == [
        "Jean-Baptiste Kerlévéo"
    ]


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Shout-out to DJ Kwabena tonight", "Kwabena", "DJ Kwabena"),
        ("new track by Lil Zaria", "Zaria", "Lil Zaria"),
        ("MC Okonkwo on the mic", "Okonkwo", "MC Okonkwo"),
        # Only the prefix written as a word of its own, right before the name.
        ("the DJ, Kwabena, was late", "Kwabena", "Kwabena"),
        ("IDJ Kwabena", "Kwabena", "Kwabena"),
    ],
)
def test_a_stage_name_keeps_its_prefix(text: str, name: str, expected: str) -> None:
    start = text.index(name)
    widened = widen(text, _span(text, start, start + len(name)))
    assert widened.text == expected == text[widened.start : widened.end]


def test_only_a_person_takes_a_stage_prefix() -> None:
    text = "Live at MC Arena"
    place = _span(text, 11, 16, "LOCATION")
    assert widen(text, place) == place
