"""Keyed-hash pseudonyms: ``<PERSON_3fa94c1b2e>`` is HMAC-SHA256(key, value).

The same value gives the same pseudonym in every document processed with the
same key, so an AI provider can still count and link mentions; without the
key the pseudonym cannot be recomputed from a guessed value (unlike a plain
hash). It is one-way: use the ``reversible`` operator to get values back.
"""

from __future__ import annotations

import hashlib
import hmac

from gardien.redact.operators.base import Operator, check_key, normalize

# 40 bits: collisions stay unlikely below about a million distinct values per
# label, and the token stays short in prompts.
DIGEST_HEX_CHARS = 10


class PseudonymizeOperator(Operator):
    """Replaces a value with a label and a keyed hash of its normal form."""

    name = "pseudonymize"

    def __init__(self, key: bytes | str | None = None) -> None:
        super().__init__(key)
        self._key = check_key(key, self.name)

    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        message = f"{label}\x00{normalize(same_as or value, label)}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).hexdigest()
        return f"<{label}_{digest[:DIGEST_HEX_CHARS]}>"
