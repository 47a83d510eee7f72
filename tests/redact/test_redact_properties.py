"""Properties over generated texts: spans lie inside the text, do not
overlap, and redaction never leaves a detected value behind."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gardien.redact import Analyzer, Redactor, redact, restore
from gardien.redact.propagation import PROPAGATED, whole_word_occurrences
from gardien.redact.recognizers.checksums import iban_valid

FILLER = st.sampled_from(
    ["bonjour", "merci", "le", "client", "the", "order", "and", "is", "late", ",", ".", "\n"]
)
NAMES = st.sampled_from(["Jean Dupont", "Marie Curie", "John Miller", "Sarah Connor"])
EMAILS = st.from_regex(r"[a-z]{3,8}\.[a-z]{3,8}@[a-z]{3,8}\.(fr|com)", fullmatch=True)
PHONES = st.from_regex(r"0[1-9]( [0-9]{2}){4}", fullmatch=True)


@st.composite
def ibans(draw: st.DrawFn) -> str:
    bban = draw(st.from_regex(r"[0-9]{23}", fullmatch=True))
    check = 98 - int(bban + "152700") % 97  # "FR" = 15 27, then check digits 00
    value = f"FR{check:02d}{bban}"
    assert iban_valid(value)
    return value


FRAGMENTS = st.lists(st.one_of(FILLER, NAMES, EMAILS, PHONES, ibans()), max_size=25)
TEXTS = FRAGMENTS.map(" ".join) | st.text(max_size=200)
# Derandomised: the suite gives the same verdict on every run and machine.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(text=TEXTS, lang=st.sampled_from(["fr", "en", "auto"]))
def test_spans_are_inside_the_text_and_do_not_overlap(
    analyzer: Analyzer, text: str, lang: str
) -> None:
    spans = analyzer.analyze(text, lang)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.text == text[span.start : span.end]
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start


@SETTINGS
@given(text=TEXTS, operator=st.sampled_from(["redact", "mask", "placeholder", "pseudonymize"]))
def test_redaction_leaves_no_detected_value_behind(
    analyzer: Analyzer, text: str, operator: str
) -> None:
    result = redact(text, "fr", operator, key=b"k" * 32)
    # What was not detected stays; a detected value may legitimately remain only
    # where the same characters also occur outside every detected span.
    kept = list(text)
    for span in result.spans:
        kept[span.start : span.end] = ["\0"] * (span.end - span.start)
    untouched = "".join(kept)
    for span in result.spans:
        if span.text.strip() and span.text not in untouched and "<" not in span.text:
            assert span.text not in result.text


@SETTINGS
@given(fragments=st.lists(st.one_of(FILLER, NAMES, EMAILS, PHONES, ibans()), max_size=15))
def test_reversible_round_trip_on_generated_text(analyzer: Analyzer, fragments: list[str]) -> None:
    # Restoring gives back the first writing of each value, so only texts where
    # each value is written once are exact round trips.
    text = " ".join(dict.fromkeys(fragments))
    result = redact(text, "fr", "reversible", key=b"k" * 32)
    assert result.mapping is not None
    assert restore(result.text, result.mapping, b"k" * 32) == text


@SETTINGS
@given(pieces=st.lists(FRAGMENTS.map(" ".join), min_size=2, max_size=4))
def test_a_document_fed_in_pieces_leaves_no_earlier_name_behind(
    analyzer: Analyzer, pieces: list[str]
) -> None:
    """What a piece revealed as a name, a place or an organisation is gone
    from every later piece's output too (the CLI streams files this way)."""
    redactor = Redactor("placeholder", lang="fr", analyzer=analyzer)
    found: set[str] = set()
    for piece in pieces:
        out, spans = redactor.feed(piece + "\n\n")
        for value in found:
            assert list(whole_word_occurrences(out, value)) == [], value
        found |= {s.text for s in spans if s.label in PROPAGATED and len(s.text.strip()) >= 3}
