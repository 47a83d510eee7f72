"""Files written and read encrypted, in chunks: how a request package rests on disk.

A package holds everything a company knows about a person; it waits on disk
until the person downloads it. ``SealedWriter`` is a write-only stream (the
zip is written straight into it) that cuts what it receives into 64 KiB
chunks and seals each with AES-256-GCM under the file's own random key. The
nonce is the chunk's number (a key seals one file only, so numbers never
repeat under it) and the associated data binds each chunk to the file's id,
its number and whether it is the last: chunks cannot be reordered, swapped
between files, or cut off at the end unnoticed. ``open_sealed`` yields the
plaintext back chunk by chunk, so neither side holds the file in memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gardien.errors import DecryptionError

CHUNK = 64 * 1024
_MAGIC = b"GARDIEN-PACKAGE-1\n"
_HEADER = struct.Struct(">IB")  # sealed length, last-chunk flag
_TAG = 16


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _associated(file_id: str, index: int, last: bool) -> bytes:
    return b"\x00".join(
        [b"gardien.package.v1", file_id.encode(), str(index).encode(), b"%d" % last]
    )


class SealedWriter(io.RawIOBase):
    """A write-only stream sealing what it receives into ``path``; ``close`` seals the end.

    ``tell`` counts the plaintext written; ``seek`` is refused, so ``zipfile``
    writes its streaming form (data descriptors) into it.
    """

    def __init__(self, path: Path, key: bytes, file_id: str) -> None:
        super().__init__()
        self._aead = AESGCM(key)
        self._file_id = file_id
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._out = os.fdopen(descriptor, "wb")
        self._out.write(_MAGIC)
        self._pending = bytearray()
        self._index = 0
        self._written = 0
        self._digest = hashlib.sha256()
        self.sealed_size = len(_MAGIC)

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._written

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = bytes(data)
        self._pending += view
        self._written += len(view)
        self._digest.update(view)
        while len(self._pending) > CHUNK:
            self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]
        return len(view)

    @property
    def sha256(self) -> str:
        """The digest of the plaintext (the zip the person receives)."""
        return self._digest.hexdigest()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._seal(bytes(self._pending), last=True)
            self._out.flush()
            os.fsync(self._out.fileno())
        finally:
            self._out.close()
            super().close()

    def discard(self) -> None:
        """Close without sealing the end: the file will not open."""
        self._out.close()
        super().close()

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(
            _nonce(self._index), chunk, _associated(self._file_id, self._index, last)
        )
        self._out.write(_HEADER.pack(len(sealed), int(last)) + sealed)
        self.sealed_size += _HEADER.size + len(sealed)
        self._index += 1


def open_sealed(path: Path, key: bytes, file_id: str) -> Iterator[bytes]:
    """The plaintext of a file ``SealedWriter`` wrote, chunk by chunk.

    ``DecryptionError`` if a chunk was altered, moved or belongs to another
    file, or if the file ends before its sealed end.
    """
    aead = AESGCM(key)
    with path.open("rb") as handle:
        if handle.read(len(_MAGIC)) != _MAGIC:
            raise DecryptionError("this file is not a package gardien wrote")
        index = 0
        while True:
            header = handle.read(_HEADER.size)
            if len(header) < _HEADER.size:
                raise DecryptionError("the package ends before its last chunk: it was cut")
            length, last = _HEADER.unpack(header)
            if length < _TAG or length > CHUNK + _TAG:
                raise DecryptionError("the package has a chunk of impossible length")
            sealed = handle.read(length)
            try:
                plain = aead.decrypt(_nonce(index), sealed, _associated(file_id, index, bool(last)))
            except InvalidTag:
                raise DecryptionError(
                    "a chunk of the package does not authenticate: it was altered or moved"
                ) from None
            yield plain
            if last:
                if handle.read(1):
                    raise DecryptionError("the package has data after its last chunk")
                return
            index += 1
