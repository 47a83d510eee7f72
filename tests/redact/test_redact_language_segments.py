"""With lang="auto", each paragraph is analysed in its own language: a
French ticket quoting an English reply gets the English model and English
context words for that reply, short paragraphs take the text's language."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.redact import Analyzer, analyze, analyze_batch
from gardien.redact.language import language_segments

FRENCH = "Bonjour, je vous écris car ma commande n'est toujours pas arrivée depuis le mois dernier."
ENGLISH = "Hi, this is Priya Raman from Northwind. The invoice was charged twice to my account."


def test_paragraphs_get_their_own_language_and_join_back() -> None:
    text = f"{FRENCH}\n\n{ENGLISH}\n\nCordialement,\nNathalie\n"
    segments = language_segments(text)
    assert [lang for _, _, lang in segments] == ["fr", "en", "fr"]
    assert "".join(piece for _, piece, _ in segments) == text
    for offset, piece, _ in segments:
        assert text[offset : offset + len(piece)] == piece


def test_a_paragraph_without_clear_evidence_takes_the_text_language() -> None:
    # "Priya" alone says nothing; the text around it is English.
    text = f"{ENGLISH}\n\nPriya\n\n{ENGLISH}"
    assert [lang for _, _, lang in language_segments(text)] == ["en"]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from([FRENCH, ENGLISH, "Priya", "", "\n", "\n\n", " \n \n", "Merci !"]),
        max_size=8,
    ).map("\n\n".join)
    | st.text(alphabet="ab é\n.", max_size=60)
)
def test_segments_cover_the_text_exactly(text: str) -> None:
    segments = language_segments(text)
    assert "".join(piece for _, piece, _ in segments) == text
    position = 0
    for offset, piece, lang in segments:
        assert offset == position and lang in ("fr", "en")
        position += len(piece)
    for before, after in itertools.pairwise(segments):
        assert before[2] != after[2]  # runs of one language are merged


def test_english_reply_inside_a_french_ticket_is_analysed_in_english(analyzer: Analyzer) -> None:
    text = f"{FRENCH}\n\n{ENGLISH}\n\nPlease refund. Priya"
    people = [text[s.start : s.end] for s in analyze(text) if s.label == "PERSON"]
    assert people == ["Priya Raman", "Priya"]
    # The batch path gives the same spans as one call.
    assert analyze_batch([text, FRENCH]) == [analyze(text), analyze(FRENCH)]


def test_the_english_paragraph_is_found_as_if_it_were_alone(analyzer: Analyzer) -> None:
    text = f"{FRENCH}\n\n{ENGLISH}"
    assert analyzer.analyze(ENGLISH, "en") == [
        s.shifted(-len(FRENCH) - 2) for s in analyzer.analyze(text, "auto") if s.start > len(FRENCH)
    ]
