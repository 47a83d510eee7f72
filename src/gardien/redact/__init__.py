"""PII detection and anonymisation of free text, in French and English.

Owns: the recognizers (rules with checksums and context words, plus spaCy
NER for names, places and organisations), the analyzer that resolves their
overlaps, the operators (remove, mask, placeholder, keyed pseudonym,
reversible pseudonym) and the restore step. NER pipelines are loaded on
first use, never at import.

    >>> from gardien.redact import redact
    >>> redact("Écrire à jean.dupont@example.fr", lang="fr").text
    'Écrire à <EMAIL_1>'
"""

from __future__ import annotations

from collections.abc import Sequence

from gardien.redact.analyzer import MIN_SCORE, Analyzer, resolve
from gardien.redact.engine import (
    MAX_BATCH,
    RedactionResult,
    Redactor,
    default_analyzer,
    redact,
    redact_batch,
)
from gardien.redact.language import LanguageGuess, detect_language, guess_language
from gardien.redact.nlp import MODELS, load_pipeline
from gardien.redact.operators import OPERATORS, Operator
from gardien.redact.recognizers.base import Pattern, PatternRecognizer, Recognizer
from gardien.redact.registry import RecognizerRegistry, default_registry
from gardien.redact.restore import restore
from gardien.redact.span import LABELS, Explanation, Span


def analyze(
    text: str,
    lang: str = "auto",
    labels: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> list[Span]:
    """The personal data found in ``text``: ordered, non-overlapping spans,
    each with its explanation. ``lang`` is ``"fr"``, ``"en"`` or ``"auto"``
    (each paragraph its own); ``keep``: terms never reported (product names)."""
    return default_analyzer().analyze(text, lang, labels, keep=keep)


def analyze_batch(
    texts: Sequence[str],
    lang: str = "auto",
    labels: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> list[list[Span]]:
    """``analyze`` for many texts (rows of a table, lines of a file) at once:
    the NER model processes them in batches, about three times faster than
    one call per text. ``lang`` applies to every text (``"auto"``: each its own)."""
    return default_analyzer().analyze_batch(texts, [lang] * len(texts), labels, keep)


def preload(langs: Sequence[str] = tuple(MODELS)) -> None:
    """Load the NER pipelines of ``langs`` now (seconds, about 200 MiB each)
    rather than on the first ``analyze``; a server calls it at start-up."""
    for lang in langs:
        load_pipeline(lang)


__all__ = [
    "LABELS",
    "MAX_BATCH",
    "MIN_SCORE",
    "OPERATORS",
    "Analyzer",
    "Explanation",
    "LanguageGuess",
    "Operator",
    "Pattern",
    "PatternRecognizer",
    "Recognizer",
    "RecognizerRegistry",
    "RedactionResult",
    "Redactor",
    "Span",
    "analyze",
    "analyze_batch",
    "default_registry",
    "detect_language",
    "guess_language",
    "preload",
    "redact",
    "redact_batch",
    "resolve",
    "restore",
]
