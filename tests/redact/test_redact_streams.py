"""Reading and chunking in bounded memory, on inputs far larger than a chunk,
without running any model."""

from __future__ import annotations

import io

from gardien.redact.chunks import MAX_CHUNK_CHARS, iter_paragraphs, split_text
from gardien.redact.streams import BLOCK_BYTES, iter_line_batches, iter_text


class EndlessText(io.RawIOBase):
    """``size`` bytes of French text, produced on demand (never held whole)."""

    LINE = "Écrire à claire.dubois@example.fr, merci.\n".encode()

    def __init__(self, size: int) -> None:
        self.left = size
        self.pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        for i in range(n):
            buffer[i] = self.LINE[(self.pos + i) % len(self.LINE)]
        self.pos += n
        self.left -= n
        return n


def test_paragraphs_of_a_large_stream_stay_under_the_limit() -> None:
    size = 3 * 1024 * 1024 // len(EndlessText.LINE) * len(EndlessText.LINE)
    stream = io.BufferedReader(EndlessText(size), buffer_size=BLOCK_BYTES)
    total = longest = 0
    for paragraph in iter_paragraphs(iter_text(stream, "big")):
        total += len(paragraph.encode())
        longest = max(longest, len(paragraph))
    assert total == size
    assert longest <= MAX_CHUNK_CHARS


def test_multibyte_characters_split_across_blocks_are_decoded() -> None:
    data = ("é" * (BLOCK_BYTES + 1)).encode()
    assert "".join(iter_text(io.BytesIO(data), "x")) == "é" * (BLOCK_BYTES + 1)


def test_split_text_keeps_offsets() -> None:
    text = "mot " * 100
    pieces = split_text(text, 37)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert all(len(p) <= 37 for _, p in pieces)


def test_line_batches_number_lines_and_drop_line_ends() -> None:
    data = b'{"a": 1}\r\n\n{"b": 2}'
    batches = list(iter_line_batches(io.BytesIO(data), "x"))
    assert [line for batch in batches for line in batch] == [
        (1, '{"a": 1}'),
        (2, ""),
        (3, '{"b": 2}'),
    ]
