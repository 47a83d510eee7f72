"""Reversible pseudonymisation: placeholders plus a sealed mapping.

The text sent to an AI provider holds only ``<PERSON_1>``-style placeholders.
The mapping from placeholders to original values is returned to the caller
encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from the
caller's key. Where the secret lives: with the caller, as that key. The
sealed mapping is ciphertext and may be stored next to the request (e.g. in
the product's database); it reveals nothing without the key, and tampering
with it is detected. Whoever holds both can restore the provider's answer
with :func:`gardien.redact.restore`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gardien.errors import RedactionError
from gardien.redact.operators.base import check_key, normalize
from gardien.redact.operators.basic import PlaceholderOperator

_MAGIC = b"GRDM1"
_NONCE_BYTES = 12
_INFO = b"gardien redact mapping v1"


def _aead(key: bytes | str | None) -> AESGCM:
    raw = check_key(key, ReversibleOperator.name)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(raw)
    return AESGCM(derived)


def seal_mapping(mapping: dict[str, str], key: bytes | str | None) -> str:
    """``mapping`` encrypted and authenticated, as URL-safe base64 text."""
    nonce = os.urandom(_NONCE_BYTES)
    plain = json.dumps({"v": 1, "entries": mapping}, ensure_ascii=False).encode()
    sealed = _MAGIC + nonce + _aead(key).encrypt(nonce, plain, _MAGIC)
    return base64.urlsafe_b64encode(sealed).decode("ascii")


def open_mapping(sealed: str, key: bytes | str | None) -> dict[str, str]:
    """The placeholder → value mapping inside ``sealed``."""
    try:
        raw = base64.urlsafe_b64decode(sealed.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise RedactionError(
            "the mapping is not one gardien sealed: pass the `mapping` string returned "
            "by redact(..., operator='reversible') unchanged"
        ) from None
    if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + _NONCE_BYTES + 16:
        raise RedactionError(
            "the mapping is not one gardien sealed: pass the `mapping` string returned "
            "by redact(..., operator='reversible') unchanged"
        )
    nonce = raw[len(_MAGIC) : len(_MAGIC) + _NONCE_BYTES]
    try:
        plain = _aead(key).decrypt(nonce, raw[len(_MAGIC) + _NONCE_BYTES :], _MAGIC)
    except InvalidTag:
        raise RedactionError(
            "the mapping cannot be opened with this key: use the key it was sealed with "
            "(the mapping may also have been altered)"
        ) from None
    entries = json.loads(plain)["entries"]
    return {str(k): str(v) for k, v in entries.items()}


class ReversibleOperator(PlaceholderOperator):
    """Numbered placeholders whose originals are kept for :meth:`seal`."""

    name = "reversible"
    reversible = True

    def __init__(self, key: bytes | str | None = None, mapping: str | None = None) -> None:
        super().__init__(key)
        check_key(key, self.name)  # fail before any work, not at seal time
        self.entries: dict[str, str] = {}
        if mapping is not None:
            # Continue an earlier conversation: same people, same placeholders.
            for placeholder, value in open_mapping(mapping, key).items():
                label, _, number = placeholder.strip("<>").rpartition("_")
                self.entries[placeholder] = value
                self.numbers[(label, normalize(value, label))] = int(number)
                self.counts[label] = max(self.counts.get(label, 0), int(number))

    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        placeholder = super().replace(value, label, same_as)
        # The first writing of a value is the one restored; a surname alone
        # is restored as the full name it stands for.
        self.entries.setdefault(placeholder, same_as or value)
        return placeholder

    def seal(self) -> str:
        """The sealed mapping of every placeholder produced so far."""
        return seal_mapping(self.entries, self.key)
