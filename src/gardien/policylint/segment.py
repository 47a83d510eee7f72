"""Cutting a policy text into lines and sentences, each with its offsets and lemmas.

A line (text between two line breaks) is the unit of layout: headings, list
items and paragraphs. Each line is parsed by spaCy and cut into sentences.
Every sentence keeps its offsets in the text as read, its lowercase surface
form and its lowercase lemmas (the two views the item patterns match), and
the parsed span for the checks that need the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_SPACES = re.compile(r"\s+")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s")
_TERMINAL = (".", ";", ":", "!", "?", ",")
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 12


def normalise(text: str) -> str:
    """Lowercase, straight quotes and apostrophes, single spaces: the view patterns match."""
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().lower()


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text, located and in its two matchable views."""

    index: int
    line: int
    start: int
    end: int
    text: str
    low: str
    lemmas: str
    heading: bool
    span: Span


@dataclass(frozen=True)
class Line:
    """One non-blank line of the text and the indexes of its sentences."""

    index: int
    start: int
    end: int
    text: str
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    """A segmented policy: the text as read, its lines and its sentences."""

    text: str
    lang: str
    lines: tuple[Line, ...]
    sentences: tuple[Sentence, ...]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains ``offset``, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def next_line(self, line: int) -> Line | None:
        return self.lines[line + 1] if line + 1 < len(self.lines) else None


def _is_heading(line_text: str) -> bool:
    stripped = line_text.strip()
    if _HEADING_MARK.match(stripped):
        return True
    return (
        len(stripped) <= HEADING_MAX_CHARS
        and len(stripped.split()) <= HEADING_MAX_WORDS
        and not stripped.endswith(_TERMINAL)
        and (stripped[:1].isupper() or stripped[:1].isdigit())
    )


def segment(text: str, lang: str, nlp: Language) -> Document:
    """Cut ``text`` into lines and sentences with ``nlp``'s parser."""
    raw_lines: list[tuple[int, str]] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            raw_lines.append((offset + raw.index(stripped[0]), stripped))
        offset += len(raw) + 1
    lines: list[Line] = []
    sentences: list[Sentence] = []
    docs = nlp.pipe(line_text for _, line_text in raw_lines)
    for line_index, ((line_start, line_text), doc) in enumerate(zip(raw_lines, docs, strict=True)):
        heading = _is_heading(line_text)
        first = len(sentences)
        for span in doc.sents:
            surface = span.text.strip()
            if not surface:
                continue
            start = line_start + span.start_char + (len(span.text) - len(span.text.lstrip()))
            lemmas = " ".join(t.lemma_.lower() for t in span if not t.is_space)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    line=line_index,
                    start=start,
                    end=start + len(surface),
                    text=surface,
                    low=normalise(surface),
                    lemmas=normalise(lemmas),
                    heading=heading,
                    span=span,
                )
            )
        lines.append(
            Line(
                index=line_index,
                start=line_start,
                end=line_start + len(line_text),
                text=line_text,
                sentences=tuple(range(first, len(sentences))),
            )
        )
    return Document(text, lang, tuple(lines), tuple(sentences))
