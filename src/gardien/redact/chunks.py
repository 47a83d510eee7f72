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


def iter_paragraphs(pieces: Iterable[str], max_chars: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Regroup text arriving in arbitrary ``pieces`` (lines, or blocks cut
    anywhere) into paragraphs of at most ``max_chars``.

    A paragraph ends after a blank line; a longer run of text is cut at its
    last line break or space before the limit. Joining what is yielded gives
    back the input exactly, and no more than ``max_chars`` plus one piece is
    ever held in memory.
    """
    buffer = ""
    for piece in pieces:
        buffer += piece
        end = buffer.rfind("\n\n")
        if end != -1 and len(buffer) <= max_chars:
            yield buffer[: end + 2]
            buffer = buffer[end + 2 :]
        while len(buffer) > max_chars:
            cut = _cut_point(buffer[:max_chars], max_chars)
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer:
        yield buffer
