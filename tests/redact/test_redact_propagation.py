"""A name found once is found everywhere in the text: redaction leaves no copy behind."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gardien.redact import analyze, redact
from gardien.redact.analyzer import _whole_word_occurrences, propagate
from gardien.redact.span import Explanation, Span


def _span(start: int, end: int, label: str, text: str) -> Span:
    explanation = Explanation(
        recognizer="spacy_ner", pattern="PER", original_score=0.85, score=0.85
    )
    return Span(start=start, end=end, label=label, score=0.85, explanation=explanation, text=text)


def test_every_whole_word_occurrence_is_added_with_its_explanation() -> None:
    text = "Jean Dupont a écrit. Merci Jean Dupont. Jean Dupontel n'a rien dit."
    found = propagate(text, [_span(27, 38, "PERSON", "Jean Dupont")])
    starts = sorted(s.start for s in found)
    assert starts == [0, 27]  # not inside "Jean Dupontel"
    added = next(s for s in found if s.start == 0)
    assert added.explanation.recognizer == "propagation"
    assert added.score < 0.85


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
    assert list(_whole_word_occurrences(text, value)) == expected
