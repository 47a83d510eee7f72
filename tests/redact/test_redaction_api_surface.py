"""The public API of gardien.redact: what it exports, that it loads nothing
at import, language detection, and NER-backed labels with their explanations."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import gardien.redact
from gardien.errors import RedactionError
from gardien.redact import (
    LABELS,
    Analyzer,
    RecognizerRegistry,
    analyze,
    analyze_batch,
    guess_language,
)
from gardien.redact.recognizers.email import EmailRecognizer


def test_exported_members() -> None:
    assert sorted(gardien.redact.__all__) == sorted(
        [
            "LABELS", "MAX_BATCH", "MIN_SCORE", "OPERATORS", "Analyzer", "Explanation",
            "LanguageGuess", "Operator", "Pattern", "PatternRecognizer", "Recognizer",
            "RecognizerRegistry", "RedactionResult", "Redactor", "Span", "analyze",
            "analyze_batch", "default_registry", "detect_language", "guess_language", "preload",
            "redact", "redact_batch", "resolve", "restore",
        ]
    )  # fmt: skip
    for name in gardien.redact.__all__:
        assert hasattr(gardien.redact, name)


def test_import_loads_no_pipeline() -> None:
    code = "import sys, gardien.redact; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bonjour, je voudrais résilier mon abonnement s'il vous plaît.", "fr"),
        ("L'équipe a été très réactive.", "fr"),
        ("Hello, I would like to cancel my subscription please.", "en"),
        ("The team was very responsive.", "en"),
        ("", "en"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    guess = guess_language(text)
    assert guess.lang == lang
    assert lang in guess.reason


def test_registry_is_explicit_and_refuses_duplicates() -> None:
    registry = RecognizerRegistry()
    registry.register(EmailRecognizer())
    with pytest.raises(RedactionError, match="already registered"):
        registry.register(EmailRecognizer())
    only_email = Analyzer(registry)
    spans = only_email.analyze("Jean Dupont, jean@example.fr", "fr")
    assert [s.label for s in spans] == ["EMAIL"]


def test_unknown_language_and_label_are_refused() -> None:
    with pytest.raises(RedactionError, match="'fr', 'en' or 'auto'"):
        analyze("text", "de")
    with pytest.raises(RedactionError, match="unknown label"):
        analyze("text", "en", labels=["SSN"])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("M. Jean Dupont habite à Marseille.", "fr", [("PERSON", "Jean Dupont"), ("LOCATION", "Marseille")]),
        ("Mme Claire Martin travaille chez Renault.", "fr", [("PERSON", "Claire Martin"), ("ORGANIZATION", "Renault")]),
        ("Mrs. Sarah Connor lives in Los Angeles.", "en", [("PERSON", "Sarah Connor"), ("LOCATION", "Los Angeles")]),
        ("Dr John Watson works at Barclays.", "en", [("PERSON", "John Watson"), ("ORGANIZATION", "Barclays")]),
        ("Madame Sophie Bernard a appelé hier.", "fr", [("PERSON", "Sophie Bernard")]),
    ],
)  # fmt: skip
def test_names_places_organisations_without_titles(
    analyzer: Analyzer, text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert [(s.label, s.text) for s in analyzer.analyze(text, lang)] == expected


def test_batch_finds_what_single_calls_find(analyzer: Analyzer) -> None:
    texts = ["Appelez Jean Martin au 06 12 34 56 78.", "Mr. John Smith lives in Boston.", ""]
    assert analyze_batch(texts) == [analyze(t) for t in texts]


def test_auto_language_uses_the_english_model(analyzer: Analyzer) -> None:
    spans = analyzer.analyze("Yesterday Michael Johnson called from Chicago about the invoice.")
    assert ("PERSON", "Michael Johnson") in [(s.label, s.text) for s in spans]


def test_every_span_carries_its_explanation(analyzer: Analyzer) -> None:
    spans = analyzer.analyze("Appelez Jean Martin au 06 12 34 56 78.", "fr")
    assert {s.label for s in spans} == {"PERSON", "PHONE"}
    for span in spans:
        assert span.label in LABELS
        assert span.explanation.recognizer and span.explanation.pattern
        assert span.score == span.explanation.score
    phone = next(s for s in spans if s.label == "PHONE")
    assert "appelez" in phone.explanation.context_words


def test_dev_set_quality_does_not_regress(
    analyzer: Analyzer, build_eval_set: Callable[..., list[dict[str, Any]]]
) -> None:
    """F1 on 100 sentences per language of the *dev* templates (the held-out
    ones are for bench/redact_eval.py only)."""
    items = build_eval_set("dev", per_lang=100, seed=7)
    tp = fp = fn = 0
    for item in items:
        gold = {tuple(s) for s in item["spans"]}
        found = {(s.start, s.end, s.label) for s in analyzer.analyze(item["text"], item["lang"])}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 > 0.9, f"exact-span F1 on the dev set fell to {f1:.3f}"
