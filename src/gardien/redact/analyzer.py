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
from gardien.redact.keep import check_terms, kept_regions, outside
from gardien.redact.language import SUPPORTED, detect_language, language_segments
from gardien.redact.nlp import load_pipeline
from gardien.redact.recognizers.ner import NAME_PARTICLES
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
_PART_DISCOUNT = 0.9


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


def _name_parts(value: str) -> list[str]:
    """The words of a person's full name that stand for the person alone
    later in a text ("Priya Raman" … "Thanks, Priya"): capitalised, three
    letters or more, not a particle."""
    words = value.split()
    if len(words) < 2:
        return []
    return [
        word
        for word in words
        if len(word) >= 3 and word[0].isupper() and word.casefold() not in NAME_PARTICLES
    ]


def propagate(text: str, spans: Sequence[Span], earlier: Sequence[Span] = ()) -> list[Span]:
    """``spans`` plus every other whole-word occurrence of a name, place or
    organisation already found in ``text``, or in ``earlier`` pieces of the same
    document: redaction must not leave the second "Jean Dupont" behind because
    the model only recognised the first, nor the "Jean" of the signature. A
    whole value found again scores a little below the original, a part of a
    name a little lower still, so that anything detected on its own there wins."""
    found = list(spans)
    seen: set[tuple[str, str]] = set()
    sources = [(span, True) for span in spans] + [(span, False) for span in earlier]
    for span, here in sources:
        if span.label not in PROPAGATED or len(span.text.strip()) < 3:
            continue
        candidates = [(span.text, _PROPAGATION_DISCOUNT, "same value as")]
        if span.label == PERSON:
            candidates += [(part, _PART_DISCOUNT, "part of") for part in _name_parts(span.text)]
        where = f"at {span.start}" if here else "earlier in the document"
        for candidate, discount, relation in candidates:
            if (span.label, candidate) in seen:
                continue
            seen.add((span.label, candidate))
            score = span.score * discount
            for start in _whole_word_occurrences(text, candidate):
                if here and span.start <= start < span.end:
                    continue
                explanation = Explanation(
                    recognizer="propagation",
                    pattern=f"{relation} {span.label} {where}",
                    original_score=span.score,
                    score=score,
                    validation=f"found by {span.explanation.recognizer}",
                )
                end = start + len(candidate)
                found.append(Span(start, end, span.label, score, explanation, candidate))
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
        self,
        text: str,
        lang: str = "auto",
        labels: Sequence[str] | None = None,
        earlier: Sequence[Span] = (),
        keep: Sequence[str] = (),
    ) -> list[Span]:
        """Spans of personal data in ``text``, in order, not overlapping.

        ``earlier``: spans found in earlier pieces of the same document (a
        file read block by block); the names, places and organisations among
        them are looked for in ``text`` too. ``keep``: terms never redacted
        (product and brand names, see ``gardien.redact.keep``)."""
        if not isinstance(text, str):
            raise RedactionError(f"text must be a str, not {type(text).__name__}")
        spans: list[Span] = []
        for start, segment, segment_lang in self._segments(text, lang):
            for offset, piece in split_text(segment, MAX_CHUNK_CHARS):
                doc = self._doc(piece, segment_lang)
                found = self._analyze_piece(piece, segment_lang, doc)
                spans.extend(s.shifted(start + offset) for s in found)
        return self._filter(text, spans, labels, earlier, keep)

    @staticmethod
    def _segments(text: str, lang: str) -> list[tuple[int, str, str]]:
        """The runs of ``text`` to analyse and their language: with ``"auto"``,
        each paragraph in the language it is written in."""
        if lang == "auto":
            return language_segments(text)
        return [(0, text, resolve_lang(text, lang))]

    def _doc(self, piece: str, lang: str) -> Doc | None:
        if not self._uses_nlp() or not piece.strip():
            return None
        return load_pipeline(lang)(piece)

    def analyze_batch(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        labels: Sequence[str] | None = None,
        keep: Sequence[str] = (),
    ) -> list[list[Span]]:
        """``analyze`` for many short texts at once; spaCy batches them, which
        is about twice as fast as one call per text."""
        segments = [self._segments(t, lg) for t, lg in zip(texts, langs, strict=True)]
        resolved = [parts[0][2] for parts in segments]
        # Long texts, and texts in more than one language, go through
        # ``analyze``, which cuts them into pieces.
        short = [
            len(t) <= MAX_CHUNK_CHARS and len(parts) == 1
            for t, parts in zip(texts, segments, strict=True)
        ]
        docs: list[Doc | None] = [None] * len(texts)
        if self._uses_nlp():
            for lang in set(resolved):
                idx = [i for i, lg in enumerate(resolved) if lg == lang and short[i]]
                pipe = load_pipeline(lang).pipe(texts[i] for i in idx)
                for i, doc in zip(idx, pipe, strict=True):
                    docs[i] = doc
        return [
            self._filter(t, self._analyze_piece(t, lg, d), labels, (), keep)
            if ok
            else self.analyze(t, asked, labels, (), keep)
            for t, lg, asked, d, ok in zip(texts, resolved, langs, docs, short, strict=True)
        ]

    def _analyze_piece(self, text: str, lang: str, doc: Doc | None) -> list[Span]:
        candidates: list[Span] = []
        for recognizer in self.registry.recognizers():
            candidates.extend(recognizer.analyze(text, lang, doc))
        return [s for s in candidates if s.score >= self.min_score]

    @staticmethod
    def _filter(
        text: str,
        spans: list[Span],
        labels: Sequence[str] | None,
        earlier: Sequence[Span] = (),
        keep: Sequence[str] = (),
    ) -> list[Span]:
        if labels is not None:
            unknown = set(labels) - set(LABELS)
            if unknown:
                raise RedactionError(
                    f"unknown label(s) {sorted(unknown)}: choose from {', '.join(LABELS)}"
                )
            spans = [s for s in spans if s.label in labels]
        kept = kept_regions(text, check_terms(keep))
        # Resolve first, so that only values that won their place are propagated;
        # a kept term is neither reported nor propagated.
        found = resolve(propagate(text, resolve(outside(spans, kept)), earlier))
        return outside(found, kept)
