"""API keys: created once and shown once, stored as a hash, checked in constant time.

A key reads ``gdn_<prefix>_<secret>``. The prefix (public, 8 characters)
finds the row and names the key in audit entries; only a SHA-256 of the
secret is stored. A plain hash is enough here, unlike for passwords: the
secret is 192 random bits, so it cannot be guessed offline, and the check
runs on every request where a slow hash such as argon2 would cost ~50 ms.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from gardien.audit import Actor, KeyCreated, KeyRevoked, PublicId
from gardien.auth.roles import Role
from gardien.auth.tables import api_keys
from gardien.errors import AuthError, shown
from gardien.store.types import utcnow

_ALPHABET = string.ascii_letters + string.digits
_PREFIX_LENGTH = 8
_SECRET_LENGTH = 32  # 32 base62 characters: about 190 bits


@dataclass(frozen=True)
class ApiKey:
    """A stored key, without its secret."""

    id: int
    prefix: str
    role: Role
    label: str
    created_at: datetime
    revoked_at: datetime | None

    def __repr__(self) -> str:
        return f"ApiKey(prefix={self.prefix!r}, role={self.role.value}, [secure])"


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    token: str

    def __repr__(self) -> str:
        return f"NewApiKey({self.key!r})"


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("ascii")).digest()


def create_key(conn: Connection, role: Role, label: str = "", *, actor: Actor) -> NewApiKey:
    """Create a key for ``role``; the returned token is the only copy of the secret.

    Audited as ``key.create`` with the new key's prefix and role (never its label:
    free text an admin typed).
    """
    prefix, secret = _random(_PREFIX_LENGTH), _random(_SECRET_LENGTH)
    now = utcnow()
    key_id = conn.execute(
        insert(api_keys)
        .values(
            prefix=prefix,
            secret_hash=_digest(secret),
            role=role.value,
            label=label,
            created_at=now,
        )
        .returning(api_keys.c.id)
    ).scalar_one()
    key = ApiKey(key_id, prefix, role, label, now, None)
    actor.record(conn, KeyCreated(key_prefix=PublicId(prefix), key_role=role.value))
    return NewApiKey(key, f"gdn_{prefix}_{secret}")


def parse_token(token: str) -> tuple[str, str]:
    """Split a token into prefix and secret, or raise ``AuthError``."""
    parts = token.split("_")
    if (
        len(parts) != 3
        or parts[0] != "gdn"
        or len(parts[1]) != _PREFIX_LENGTH
        or len(parts[2]) != _SECRET_LENGTH
        or not all(c in _ALPHABET for c in parts[1] + parts[2])
    ):
        raise AuthError(
            "malformed API key: expected gdn_<prefix>_<secret> as printed by `gardien keys create`"
        )
    return parts[1], parts[2]


def authenticate(conn: Connection, token: str) -> ApiKey:
    """The active key ``token`` names, or ``AuthError``."""
    prefix, secret = parse_token(token)
    row = conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
    # Compare against a dummy digest when the prefix is unknown, so timing does not
    # reveal which prefixes exist.
    expected = row.secret_hash if row is not None else _digest("x" * _SECRET_LENGTH)
    if not hmac.compare_digest(expected, _digest(secret)) or row is None:
        raise AuthError("unknown API key")
    if row.revoked_at is not None:
        raise AuthError("this API key was revoked: ask an admin for a new one")
    return _key(row)


def list_keys(conn: Connection) -> list[ApiKey]:
    return [_key(row) for row in conn.execute(select(api_keys).order_by(api_keys.c.id))]


def revoke_key(conn: Connection, prefix: str, *, actor: Actor) -> ApiKey:
    """Revoke the key with ``prefix``; audited as ``key.revoke`` (even if revoked already)."""
    row = conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
    if row is None:
        raise AuthError(f"no API key with prefix {shown(prefix)}: see `gardien keys list`")
    if row.revoked_at is None:
        conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(revoked_at=utcnow()))
    refreshed = conn.execute(select(api_keys).where(api_keys.c.id == row.id)).one()
    actor.record(
        conn,
        KeyRevoked(
            key_prefix=PublicId(row.prefix), key_role=row.role, changed=row.revoked_at is None
        ),
    )
    return _key(refreshed)


def _key(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        prefix=row.prefix,
        role=Role(row.role),
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
