"""Reading text from files and standard input in bounded memory.

Input is read in blocks of at most :data:`BLOCK_BYTES`, decoded as strict
UTF-8 (a bad byte is reported with its line number, never replaced), and
handed on either as text pieces (for redaction) or as complete lines (for
JSON lines). ``read1`` returns whatever is available, so a producer that
writes one line and waits gets its answer without waiting for more input.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from gardien.errors import RedactionError

BLOCK_BYTES = 1 << 16
#: Longest JSON line accepted in ``--jsonl`` mode (bytes).
MAX_LINE_BYTES = 1 << 20


def _decode_error(name: str, line: int, exc: UnicodeDecodeError) -> RedactionError:
    return RedactionError(
        f"{name}: line {line} is not valid UTF-8 ({exc.reason}): "
        "convert the input to UTF-8 first, e.g. `iconv -f latin1 -t utf-8`"
    )


def _read_block(stream: BinaryIO) -> bytes:
    read1 = getattr(stream, "read1", None)
    block = read1(BLOCK_BYTES) if read1 is not None else stream.read(BLOCK_BYTES)
    return bytes(block)


def iter_text(stream: BinaryIO, name: str) -> Iterator[str]:
    """The decoded text of ``stream``, in pieces of at most one block."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    while True:
        block = _read_block(stream)
        try:
            text = decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            raise _decode_error(name, line + block[: exc.start].count(b"\n"), exc) from None
        line += block.count(b"\n")
        if text:
            yield text
        if not block:
            return


def iter_line_batches(stream: BinaryIO, name: str) -> Iterator[list[tuple[int, str]]]:
    """Complete lines of ``stream`` as ``(line_number, text)``, in batches of
    the lines already available. Lines longer than :data:`MAX_LINE_BYTES`
    are refused; the line end is not included."""
    pending = bytearray()
    number = 0
    while True:
        block = _read_block(stream)
        pending += block
        parts = pending.split(b"\n")
        pending = bytearray(parts.pop()) if block else bytearray()
        if not block and parts[-1:] == [b""]:
            parts.pop()  # the input ended with a line end
        if len(pending) > MAX_LINE_BYTES or any(len(p) > MAX_LINE_BYTES for p in parts):
            bad = (
                number
                + 1
                + next((i for i, p in enumerate(parts) if len(p) > MAX_LINE_BYTES), len(parts))
            )
            raise RedactionError(
                f"{name}: line {bad} is longer than {MAX_LINE_BYTES // (1 << 20)} MiB: "
                "split the text over several lines"
            )
        batch: list[tuple[int, str]] = []
        for raw in parts:
            number += 1
            try:
                batch.append((number, raw.decode("utf-8").rstrip("\r")))
            except UnicodeDecodeError as exc:
                if batch:
                    yield batch
                raise _decode_error(name, number, exc) from None
        if batch:
            yield batch
        if not block:
            return
