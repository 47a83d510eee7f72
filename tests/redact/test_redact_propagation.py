"""A name found once is found everywhere in the text: redaction leaves no copy behind."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import Analyzer, RecognizerRegistry, Redactor, analyze, propagation, redact
from gardien.redact.analyzer import resolve
from gardien.redact.propagation import NameIndex, propagate, whole_word_occurrences
from gardien.redact.recognizers.cues import PersonCueRecognizer
from gardien.redact.span import Explanation, Span


def _span(start: int, end: int, label: str, text: str) -> Span:
    explanation = Explanation(
        recognizer="spacy_ner", pattern="PER", original_score=0.85, score=0.85
    )
    return Span(start=start, end=end, label=label, score=0.85, explanation=explanation, text=text)


def test_every_whole_word_occurrence_is_added_with_its_explanation() -> None:
    text = "Jean Dupont a écrit. Merci Jean Dupont. Jean Dupontel n'a rien dit."
    found = propagate(text, [_span(27, 38, "PERSON", "Jean Dupont")])
    whole = sorted(s.start for s in found if s.text == "Jean Dupont")
    assert whole == [0, 27]  # not inside "Jean Dupontel"
    added = next(s for s in found if s.start == 0 and s.text == "Jean Dupont")
    assert added.explanation.recognizer == "propagation"
    assert added.explanation.pattern == "same value as PERSON at 27"
    assert added.score < 0.85
    # Each part of the name, outside the name itself, scoring below the whole value.
    parts = sorted((s.start, s.text) for s in found if s.text in ("Jean", "Dupont"))
    assert parts == [(0, "Jean"), (5, "Dupont"), (40, "Jean")]
    assert all(s.score < added.score for s in found if s.text in ("Jean", "Dupont"))
    # Resolved, the whole value wins over its parts.
    assert [(s.start, s.end) for s in resolve(found)] == [(0, 11), (27, 38), (40, 44)]


def test_a_first_name_alone_after_the_full_name_is_found() -> None:
    text = "Hi, this is Priya Raman from accounting. Please refund me. Thanks, Priya"
    spans = analyze(text, lang="en")
    assert [text[s.start : s.end] for s in spans if s.label == "PERSON"] == ["Priya Raman", "Priya"]
    assert "Priya" not in redact(text, lang="en").text


def test_particles_and_short_words_of_a_name_are_not_propagated() -> None:
    text = "Marie De La Tour et Li Wu. De La Tour a dit. La Tour aussi."
    found = propagate(
        text, [_span(0, 17, "PERSON", "Marie De La Tour"), _span(20, 25, "PERSON", "Li Wu")]
    )
    # "De" and "La" are particles, "Li" and "Wu" too short: only "Tour" is
    # found again, twice.
    assert sorted(s.text for s in found) == ["Li Wu", "Marie De La Tour", "Tour", "Tour"]


def test_rules_labels_are_not_propagated() -> None:
    text = "06 12 34 56 78 puis 06 12 34 56 78"
    assert len(propagate(text, [_span(0, 14, "PHONE", "06 12 34 56 78")])) == 1


def test_redaction_removes_the_occurrence_the_model_missed() -> None:
    text = "Jean Dupont aaa.aaa@aaa.fr bonjour Jean Dupont"
    assert "Dupont" not in redact(text, lang="fr", operator="redact").text
    labels = [s.label for s in analyze(text, lang="fr")]
    assert labels.count("PERSON") == 2


@given(
    text=st.text(alphabet="ab_é -.1", max_size=40),
    value=st.text(alphabet="ab_é -.1", min_size=1, max_size=4),
)
def test_occurrences_are_those_of_a_whole_word_regex(text: str, value: str) -> None:
    """The plain search finds exactly what ``(?<!\\w)value(?!\\w)`` finds."""
    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
    expected = [m.start() for m in pattern.finditer(text)]
    assert list(whole_word_occurrences(text, value)) == expected


def test_a_value_found_in_one_piece_is_redacted_in_the_later_ones() -> None:
    """A file is redacted block by block: the name the signature cue found in
    the first block must not stay in the third, where nothing points at it
    (no NER here, so only the memory of the document can find it)."""
    registry = RecognizerRegistry()
    registry.register(PersonCueRecognizer())
    redactor = Redactor("placeholder", lang="fr", analyzer=Analyzer(registry))
    first, _ = redactor.feed("Cordialement, Margaux Vidal\n\n")
    second, _ = redactor.feed("Rien à signaler.\n\n")
    third, spans = redactor.feed("Vidal a rappelé ; Margaux Vidal aussi.\n")
    assert first == "Cordialement, <PERSON_1>\n\n" and second == "Rien à signaler.\n\n"
    # "Vidal" alone is the person named in full before: one placeholder (issue 16).
    assert third == "<PERSON_1> a rappelé ; <PERSON_1> aussi.\n"
    assert {s.explanation.pattern for s in spans} == {
        "part of PERSON earlier in the document",
        "same value as PERSON earlier in the document",
    }
    # Each document has its own memory.
    fresh = Redactor("placeholder", lang="fr", analyzer=Analyzer(registry))
    assert fresh.feed("Vidal a rappelé.")[0] == "Vidal a rappelé."


@given(
    text=st.text(alphabet="ab_é -.1", max_size=60),
    value=st.text(alphabet="ab_é -.1", min_size=3, max_size=6),
)
def test_the_index_finds_what_the_plain_search_finds(text: str, value: str) -> None:
    """Scanning the text word by word gives the occurrences one search per value gives."""
    index = NameIndex()
    index.add(_span(0, len(value), "LOCATION", value), here=False)
    found = sorted(s.start for s in index.spans_in(text))
    # Values shorter than three characters once stripped are not indexed.
    expected = list(whole_word_occurrences(text, value)) if len(value.strip()) >= 3 else []
    assert found == expected


def test_the_index_of_a_long_document_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(propagation, "MAX_REMEMBERED", 3)
    index = NameIndex()
    for number, name in enumerate(["Alpha", "Bravo", "Charlie", "Delta"]):
        index.add(_span(number * 10, number * 10 + len(name), "LOCATION", name), here=False)
    assert len(index) == 3
    assert [s.text for s in index.spans_in("Alpha Delta Charlie")] == ["Alpha", "Charlie"]


def _resolve_by_comparing_all(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start)):
        if not any(span.overlaps(k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 60), st.integers(1, 12), st.sampled_from([0.5, 0.6, 0.85, 0.9, 1.0])
        ),
        max_size=40,
    )
)
def test_resolve_keeps_what_comparing_every_pair_keeps(raw: list[tuple[int, int, float]]) -> None:
    spans = [
        Span(start, start + length, "PERSON", score, _span(0, 1, "PERSON", "x").explanation, "x")
        for start, length, score in raw
    ]
    assert resolve(spans) == _resolve_by_comparing_all(spans)


def _scored(text: str, value: str, label: str, score: float) -> Span:
    start = text.index(value)
    explanation = Explanation(recognizer="t", pattern="t", original_score=score, score=score)
    return Span(start, start + len(value), label, score, explanation, value)


def test_a_known_value_inside_a_longer_span_found_here_does_not_cut_it_short() -> None:
    # "Brumaire" was found alone earlier in the document (by the model, 0.85);
    # here a weak rule (0.6) found the longer "Brumaire Cloud". The copy of the
    # earlier value used to win and leave "Cloud" readable.
    earlier = NameIndex()
    first = "Devis signé avec Brumaire."
    earlier.add(_scored(first, "Brumaire", "ORGANIZATION", 0.85), here=False)
    text = "- Brumaire Cloud (M. Loïc Brunel)"
    longer = _scored(text, "Brumaire Cloud", "ORGANIZATION", 0.6)
    found = resolve(propagate(text, [longer], earlier))
    assert [(s.text, s.score) for s in found] == [("Brumaire Cloud", 0.6)]
    # Outside the longer span, the earlier value is still found.
    other = "Brumaire rappelle. - Brumaire Cloud (M. Loïc Brunel)"
    longer = _scored(other, "Brumaire Cloud", "ORGANIZATION", 0.6)
    found = resolve(propagate(other, [longer], earlier))
    assert [s.text for s in found] == ["Brumaire", "Brumaire Cloud"]


def _with_score(text: str, name: str, score: float, label: str = "PERSON") -> Span:
    start = text.index(name)
    explanation = Explanation(
        recognizer=f"r{score}", pattern="t", original_score=score, score=score
    )
    return Span(start, start + len(name), label, score, explanation, name)


def test_a_weaker_span_with_the_surname_completes_the_stronger_one() -> None:
    text = "What a show, Kylie okonjo was great"
    model = _with_score(text, "Kylie", 0.85)
    rule = _with_score(text, "Kylie okonjo", 0.6)
    [found] = resolve([rule, model])
    assert (found.text, found.score, found.explanation) == ("Kylie okonjo", 0.85, model.explanation)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    ("text", "longer", "label"),
    [
        ("Ms. Rennie flew to Lyon", "Rennie flew", "PERSON"),  # a word of the language
        ("You sound like Kylie lol", "Kylie lol", "PERSON"),  # a chat word
        ("Kylie okonjo Vega Ltd", "Kylie okonjo Vega", "PERSON"),  # more than one word
        ("What a show, Kylie okonjo", "Kylie okonjo", "ORGANIZATION"),  # another label
    ],
)
def test_a_weaker_span_adds_no_word_of_the_language_nor_another_label(
    text: str, longer: str, label: str
) -> None:
    model = _with_score(text, longer.split()[0], 0.85)
    [found] = resolve([_with_score(text, longer, 0.6, label), model])
    assert found == model


@pytest.mark.parametrize(
    ("found", "text", "expected"),
    [
        # Minutes write surnames in capitals; comments shout names.
        ("Claire Dupont", "Signé : DUPONT. Copie à CLAIRE DUPONT.", ["DUPONT", "CLAIRE DUPONT"]),
        ("Jinx", "THANK YOU JINX", ["JINX"]),
        # Never in lower case: a name that is also a word stays a word there.
        ("Will", "I will call Will", ["Will"]),
    ],
)
def test_a_name_found_is_found_again_in_capitals(
    found: str, text: str, expected: list[str]
) -> None:
    index = NameIndex()
    index.add(_span(0, len(found), "PERSON", found), here=False)
    assert [s.text for s in resolve(index.spans_in(text))] == expected
    assert all(text[s.start : s.end] == s.text for s in index.spans_in(text))
