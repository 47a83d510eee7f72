"""Running recognizers over a text and resolving their overlaps.

Candidates below ``min_score`` are dropped; among overlapping candidates the
highest score wins, then the longest span, so a checksum-validated IBAN beats
the phone-looking digits inside it and a full address beats the city NER
found inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from gardien.errors import RedactionError
from gardien.redact.chunks import MAX_CHUNK_CHARS, split_text
from gardien.redact.language import SUPPORTED, detect_language
from gardien.redact.nlp import load_pipeline
from gardien.redact.registry import RecognizerRegistry, default_registry
from gardien.redact.span import LABELS, LOCATION, ORGANIZATION, PERSON, Explanation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Spans scoring below this are not reported (weak patterns need context).
MIN_SCORE = 0.5


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, preferring higher scores then longer spans,
    returned in text order."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start)):
        if not any(span.overlaps(k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


#: Labels found by a statistical model, which may tag one occurrence of a name
#: and miss the next: every occurrence of a value found once is reported.
PROPAGATED = frozenset({PERSON, ORGANIZATION, LOCATION})
_PROPAGATION_DISCOUNT = 0.95


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_word_occurrences(text: str, value: str) -> Iterator[int]:
    """Where ``value`` occurs in ``text`` not glued to a letter or digit.

    A plain search, not a regular expression: every value is new, so a
    compiled pattern would never be reused and compiling costs more than
    the search."""
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            yield start
            start = text.find(value, end)
        else:
            start = text.find(value, start + 1)


def propagate(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` plus every other whole-word occurrence of a name, place or
    organisation already found in ``text``: redaction must not leave the second
    "Jean Dupont" behind because the model only recognised the first."""
    found = list(spans)
    seen: set[tuple[str, str]] = set()
    for span in spans:
        value = text[span.start : span.end]
        if span.label not in PROPAGATED or len(value.strip()) < 3 or (span.label, value) in seen:
            continue
        seen.add((span.label, value))
        for start in _whole_word_occurrences(text, value):
            if start == span.start:
                continue
            found.append(
                Span(
                    start=start,
                    end=start + len(value),
                    label=span.label,
                    score=span.score * _PROPAGATION_DISCOUNT,
                    explanation=Explanation(
                        recognizer="propagation",
                        pattern=f"same value as {span.label} at {span.start}",
                        original_score=span.score,
                        score=span.score * _PROPAGATION_DISCOUNT,
                        validation=f"found by {span.explanation.recognizer}",
                    ),
                    text=value,
                )
            )
    return found


def resolve_lang(text: str, lang: str) -> str:
    """``lang`` checked, or the detected language when it is ``"auto"``."""
    if lang == "auto":
        return detect_language(text)
    if lang not in SUPPORTED:
        raise RedactionError(f"unsupported language {lang!r}: use 'fr', 'en' or 'auto'")
    return lang


class Analyzer:
    """Finds personal data in French and English text."""

    def __init__(
        self,
        registry: RecognizerRegistry | None = None,
        min_score: float = MIN_SCORE,
    ) -> None:
        self.registry = registry if registry is not None else default_registry()
        self.min_score = min_score

    def _uses_nlp(self) -> bool:
        return any(r.uses_nlp for r in self.registry.recognizers())

    def analyze(
        self, text: str, lang: str = "auto", labels: Sequence[str] | None = None
    ) -> list[Span]:
        """Spans of personal data in ``text``, in order, not overlapping."""
        if not isinstance(text, str):
            raise RedactionError(f"text must be a str, not {type(text).__name__}")
        lang = resolve_lang(text, lang)
        spans: list[Span] = []
        for offset, piece in split_text(text, MAX_CHUNK_CHARS):
            doc = load_pipeline(lang)(piece) if self._uses_nlp() and piece.strip() else None
            spans.extend(s.shifted(offset) for s in self._analyze_piece(piece, lang, doc))
        return self._filter(text, spans, labels)

    def analyze_batch(
        self, texts: Sequence[str], langs: Sequence[str], labels: Sequence[str] | None = None
    ) -> list[list[Span]]:
        """``analyze`` for many short texts at once; spaCy batches them, which
        is about twice as fast as one call per text."""
        resolved = [resolve_lang(t, lg) for t, lg in zip(texts, langs, strict=True)]
        # Long texts go through ``analyze``, which cuts them into chunks.
        short = [len(t) <= MAX_CHUNK_CHARS for t in texts]
        docs: list[Doc | None] = [None] * len(texts)
        if self._uses_nlp():
            for lang in set(resolved):
                idx = [i for i, lg in enumerate(resolved) if lg == lang and short[i]]
                pipe = load_pipeline(lang).pipe(texts[i] for i in idx)
                for i, doc in zip(idx, pipe, strict=True):
                    docs[i] = doc
        return [
            self._filter(t, self._analyze_piece(t, lg, d), labels)
            if ok
            else self.analyze(t, lg, labels)
            for t, lg, d, ok in zip(texts, resolved, docs, short, strict=True)
        ]

    def _analyze_piece(self, text: str, lang: str, doc: Doc | None) -> list[Span]:
        candidates: list[Span] = []
        for recognizer in self.registry.recognizers():
            candidates.extend(recognizer.analyze(text, lang, doc))
        return [s for s in candidates if s.score >= self.min_score]

    @staticmethod
    def _filter(text: str, spans: list[Span], labels: Sequence[str] | None) -> list[Span]:
        if labels is not None:
            unknown = set(labels) - set(LABELS)
            if unknown:
                raise RedactionError(
                    f"unknown label(s) {sorted(unknown)}: choose from {', '.join(LABELS)}"
                )
            spans = [s for s in spans if s.label in labels]
        # Resolve first, so that only values that won their place are propagated.
        return resolve(propagate(text, resolve(spans)))
