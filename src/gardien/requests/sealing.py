"""What the requests room keeps secret: sealed values, blind indexes, code and token hashes.

At intake nobody knows yet whether the person is a vault subject (and the
room must not look: an unknown person is answered exactly like a known one),
so a request's identities cannot be sealed under a subject's data key. They
are sealed under a secret of the vault's own (``derived_secret``), bound to
the request id and the field, with the vault's AES-GCM: a sealed value copied
onto another request does not open. Shredding a request drops the sealed
columns. Codes are stored as HMACs under another vault secret, compared in
constant time; status tokens (256 random bits) as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from gardien.vault import Vault
from gardien.vault.crypto import keyed_digest, open_field, seal_field

IDENTITIES_FIELD = "request.identities"
DETAILS_FIELD = "request.details"
NOTE_FIELD = "request.verification_note"
RETRIEVAL_EMAIL_FIELD = "directive.retrieval_email"
DIRECTIVE_FIELD = "directive.content"

_SEALING_SECRET = "request_identities"
_INDEX_SECRET = "request_index"
_CODE_SECRET = "request_codes"
_DIRECTIVE_SECRET = "directives"
CODE_DIGITS = 6


class Sealer:
    """The request room's keys, derived from the vault once and kept for the process."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def __repr__(self) -> str:
        return "Sealer([secure])"

    def seal(self, owner_id: str, field: str, value: Any) -> bytes:
        """``value`` (JSON) sealed, bound to ``owner_id`` (a request or directive) and ``field``."""
        data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return seal_field(self._key(field), owner_id, field, data)

    def open(self, owner_id: str, field: str, sealed: bytes) -> Any:
        return json.loads(open_field(self._key(field), owner_id, field, bytes(sealed)))

    def email_index(self, normalised_email: str) -> bytes:
        """A blind index of an e-mail address: equal addresses match, the address is not kept."""
        key = self._vault.derived_secret(_INDEX_SECRET)
        return keyed_digest(key, "gardien.requests.email-index.v1", normalised_email)

    def code_hash(self, owner_id: str, code: str) -> str:
        key = self._vault.derived_secret(_CODE_SECRET)
        return keyed_digest(key, "gardien.requests.code.v1", f"{owner_id}:{code}").hex()

    def code_matches(self, owner_id: str, code: str, stored: str | None) -> bool:
        """Constant-time: how much of a code is right never shows in the time taken."""
        expected = self.code_hash(owner_id, code)
        return stored is not None and hmac.compare_digest(expected, stored)

    def _key(self, field: str) -> bytes:
        secret = _DIRECTIVE_SECRET if field == DIRECTIVE_FIELD else _SEALING_SECRET
        return self._vault.derived_secret(secret)


def new_public_id() -> str:
    """A random id of 128 bits, 32 hex digits: never sequential, never guessable."""
    return secrets.token_hex(16)


def new_token() -> str:
    """A status token for the person: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(token_hash(token), stored)


def new_code() -> str:
    """Six random digits, leading zeros kept."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
