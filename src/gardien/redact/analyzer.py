"""Running recognizers over a text and resolving their overlaps.

Candidates below ``min_score`` are dropped; among overlapping candidates the
highest score wins, then the longest span, so a checksum-validated IBAN beats
the phone-looking digits inside it and a full address beats the city NER
found inside it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from gardien.errors import RedactionError
from gardien.redact.boundaries import whole_words
from gardien.redact.chunks import MAX_CHUNK_CHARS, split_text
from gardien.redact.gazetteer import common_words
from gardien.redact.keep import check_terms, kept_regions, outside
from gardien.redact.language import SUPPORTED, detect_language, language_segments
from gardien.redact.lexicon import is_everyday
from gardien.redact.nlp import load_pipeline
from gardien.redact.not_names import is_chat_word
from gardien.redact.propagation import NameIndex, propagate
from gardien.redact.registry import RecognizerRegistry, default_registry
from gardien.redact.roles import with_roles
from gardien.redact.span import LABELS, PERSON, ROLE, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Spans scoring below this are not reported (weak patterns need context).
MIN_SCORE = 0.5
_ONE_MORE_WORD = re.compile(r"[ \t]+([^\W\d_]{3,})")


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, preferring higher scores then longer spans,
    returned in text order.

    The spans kept so far never overlap, so they are held in text order and
    a candidate is checked against its two neighbours only: a long file's
    piece has thousands of spans, and checking each against all kept ones
    made resolving the slowest step of redaction."""
    starts: list[int] = []
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start)):
        at = bisect.bisect_right(starts, span.start)
        before = kept[at - 1] if at > 0 and kept[at - 1].end > span.start else None
        after = kept[at] if at < len(kept) and kept[at].start < span.end else None
        if before is None and after is None:
            starts.insert(at, span.start)
            kept.insert(at, span)
        elif before is not None and after is None and _completes(span, before):
            # Same start, so the neighbour after ``before`` is clear of it too.
            kept[at - 1] = replace(before, end=span.end, text=span.text)
    return kept


def _completes(weaker: Span, kept: Span) -> bool:
    """``weaker`` is the person of ``kept`` with the surname the model left
    out: the same start and one more word, which is no everyday word of
    either language, no stop word and no chat word ("Kylie" and "Kylie
    minogue", not "Rennie" and "Rennie flew"). The kept span keeps its score
    and explanation and takes the whole name, since what is not covered is
    read by the AI provider."""
    if not (weaker.label == kept.label == PERSON and weaker.start == kept.start):
        return False
    extra = _ONE_MORE_WORD.fullmatch(weaker.text, kept.end - kept.start)
    if extra is None:
        return False
    word = extra.group(1)
    return (
        word.casefold() not in common_words()
        and not is_chat_word(word)
        and not any(is_everyday(word, lang) for lang in SUPPORTED)
    )


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
        earlier: NameIndex | None = None,
        keep: Sequence[str] = (),
    ) -> list[Span]:
        """Spans of personal data in ``text``, in order, not overlapping.

        ``earlier``: the names, places and organisations found in earlier
        pieces of the same document (a file read block by block), looked for
        in ``text`` too. ``keep``: terms never redacted
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
            self._filter(t, self._analyze_piece(t, lg, d), labels, None, keep)
            if ok
            else self.analyze(t, asked, labels, None, keep)
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
        earlier: NameIndex | None = None,
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
        # Names are widened to whole words before they are resolved and
        # propagated, so that "Jean-" of "Jean-Luc" neither wins nor spreads.
        found = resolve(propagate(text, resolve(whole_words(text, outside(spans, kept))), earlier))
        # The position written next to a person's name names the person too.
        if labels is None or ROLE in labels:
            found = with_roles(text, found)
        return outside(found, kept)
