"""Cutting text into pieces small enough to analyse, without cutting a value.

Pieces end at a paragraph break when there is one, else at a line break,
else at a space; only a single "word" longer than the limit is cut hard.
Streaming uses the same rule on lines read one at a time, so memory stays
bounded by ``max_chars`` whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

#: Characters per piece: big enough for any paragraph people write, small
#: enough for spaCy to process in bounded memory.
MAX_CHUNK_CHARS = 100_000


def _cut_point(text: str, limit: int) -> int:
    for sep in ("\n\n", "\n", " "):
        cut = text.rfind(sep, 0, limit)
        if cut > 0:
            return cut + len(sep)
    return limit


def split_text(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """``text`` as ``(offset, piece)`` pairs, each piece at most ``max_chars`` long."""
    pieces: list[tuple[int, str]] = []
    offset = 0
    while len(text) - offset > max_chars:
        cut = _cut_point(text[offset : offset + max_chars], max_chars)
        pieces.append((offset, text[offset : offset + cut]))
        offset += cut
    if offset < len(text) or not pieces:
        pieces.append((offset, text[offset:]))
    return pieces


def iter_paragraphs(lines: Iterable[str], max_chars: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Group ``lines`` (with their line ends) into paragraphs, each at most
    ``max_chars`` long; joining what is yielded gives back the input exactly."""
    buffer: list[str] = []
    size = 0
    for line in lines:
        while len(line) > max_chars:
            # One huge line: flush what we hold, then cut the line itself.
            if buffer:
                yield "".join(buffer)
                buffer, size = [], 0
            cut = _cut_point(line[:max_chars], max_chars)
            yield line[:cut]
            line = line[cut:]
        if size + len(line) > max_chars and buffer:
            yield "".join(buffer)
            buffer, size = [], 0
        buffer.append(line)
        size += len(line)
        if not line.strip():  # a blank line ends a paragraph
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
