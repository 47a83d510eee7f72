"""Redaction: analyse a text, then replace each span through an operator.

A :class:`Redactor` is one document's session. Feed it the document whole or
piece by piece (the CLI streams paragraphs); numbering and the reversible
mapping run across the pieces, so ``<PERSON_1>`` is the same person from the
first line of a file to the last, whether named in full, by surname or by
first name (``mentions.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from gardien.errors import RedactionError
from gardien.redact.analyzer import Analyzer
from gardien.redact.keep import check_terms
from gardien.redact.mentions import Mentions
from gardien.redact.operators import OPERATORS, Operator, ReversibleOperator
from gardien.redact.propagation import NameIndex
from gardien.redact.span import Span


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """A redacted text, what was found in the original, and, for the
    reversible operator, the sealed mapping needed to restore it."""

    text: str
    spans: tuple[Span, ...]
    operator: str
    mapping: str | None = None


@functools.cache
def default_analyzer() -> Analyzer:
    """The process-wide analyzer with every built-in recognizer (built lazily)."""
    return Analyzer()


def make_operator(name: str, key: bytes | str | None, mapping: str | None = None) -> Operator:
    """A fresh operator for one document."""
    cls = OPERATORS.get(name)
    if cls is None:
        raise RedactionError(f"unknown operator {name!r}: choose one of {', '.join(OPERATORS)}")
    if mapping is not None:
        if cls is not ReversibleOperator:
            raise RedactionError("a previous mapping can only be continued by 'reversible'")
        return ReversibleOperator(key, mapping)
    return cls(key)


def apply_spans(
    text: str, spans: Sequence[Span], operator: Operator, mentions: Mentions | None = None
) -> str:
    """``text`` with each (non-overlapping, ordered) span replaced; with
    ``mentions``, a surname or first name alone is replaced as the full name
    it stands for."""
    referents = (mentions or Mentions()).referents(spans)
    out: list[str] = []
    last = 0
    for span, same_as in zip(spans, referents, strict=True):
        out.append(text[last : span.start])
        out.append(operator.replace(text[span.start : span.end], span.label, same_as))
        last = span.end
    out.append(text[last:])
    return "".join(out)


class Redactor:
    """Redacts one document, possibly fed in several pieces."""

    def __init__(
        self,
        operator: str = "placeholder",
        key: bytes | str | None = None,
        lang: str = "auto",
        labels: Sequence[str] | None = None,
        mapping: str | None = None,
        analyzer: Analyzer | None = None,
        keep: Sequence[str] = (),
    ) -> None:
        self.operator = make_operator(operator, key, mapping)
        self.lang = lang
        self.labels = labels
        self.keep = check_terms(keep)
        self.analyzer = analyzer if analyzer is not None else default_analyzer()
        # Names, places and organisations found so far: a name found in the
        # first block of a file is redacted in the last one too, where the
        # model may not recognise it.
        self._found = NameIndex()
        # Full names seen so far: "Vidal" later is the same placeholder as "Margaux Vidal".
        self._mentions = Mentions()

    def detect(self, text: str) -> list[Span]:
        """The spans of the next piece, values found in earlier pieces included."""
        spans = self.analyzer.analyze(text, self.lang, self.labels, self._found, self.keep)
        for span in spans:
            if span.explanation.recognizer != "propagation":
                self._found.add(span, here=False)
        return spans

    def feed(self, text: str) -> tuple[str, list[Span]]:
        """The redacted form of the next piece, and the spans found in it."""
        spans = self.detect(text)
        return apply_spans(text, spans, self.operator, self._mentions), spans

    def mapping(self) -> str | None:
        """The sealed mapping so far (reversible operator only)."""
        if isinstance(self.operator, ReversibleOperator):
            return self.operator.seal()
        return None


def redact(
    text: str,
    lang: str = "auto",
    operator: str = "placeholder",
    key: bytes | str | None = None,
    labels: Sequence[str] | None = None,
    mapping: str | None = None,
    keep: Sequence[str] = (),
) -> RedactionResult:
    """Replace the personal data in ``text``.

    ``operator`` is one of ``redact`` (remove), ``mask``, ``placeholder``,
    ``pseudonymize`` (keyed hash, needs ``key``) or ``reversible`` (needs
    ``key``; the result's ``mapping`` lets :func:`restore` undo it). Pass an
    earlier result's ``mapping`` to keep the same placeholders across turns.
    ``keep``: product, service and brand names never redacted.
    """
    redactor = Redactor(operator, key, lang, labels, mapping, keep=keep)
    redacted, spans = redactor.feed(text)
    return RedactionResult(redacted, tuple(spans), operator, redactor.mapping())


#: Most texts one batch call accepts: beyond, memory grows with no gain in speed.
MAX_BATCH = 1000


def redact_batch(
    texts: Sequence[str],
    lang: str = "auto",
    operator: str = "placeholder",
    key: bytes | str | None = None,
    labels: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> list[RedactionResult]:
    """:func:`redact` for many independent texts (rows of a table, feedback
    entries) at once: the NER model processes them in batches, several times
    faster than one call per text.

    Each text is its own document: placeholder numbers start again at 1 and
    each ``reversible`` result carries its own mapping. ``pseudonymize`` is
    keyed, so the same value gets the same pseudonym in every text.
    """
    if len(texts) > MAX_BATCH:
        raise RedactionError(
            f"{len(texts)} texts in one batch: at most {MAX_BATCH}, split the batch"
        )
    make_operator(operator, key)  # a bad operator or a missing key fails before any work
    for number, text in enumerate(texts):
        if not isinstance(text, str):
            raise RedactionError(f"text {number} must be a str, not {type(text).__name__}")
    found = default_analyzer().analyze_batch(texts, [lang] * len(texts), labels, keep)
    results: list[RedactionResult] = []
    for text, spans in zip(texts, found, strict=True):
        document = make_operator(operator, key)
        redacted = apply_spans(text, spans, document)
        mapping = document.seal() if isinstance(document, ReversibleOperator) else None
        results.append(RedactionResult(redacted, tuple(spans), operator, mapping))
    return results
