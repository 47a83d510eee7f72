"""What an identity is: its kind, and the normal form its value is matched under.

Two spellings of one identity (``Alice@Example.COM `` and ``alice@example.com``)
must give the same blind index, so every value is normalised per kind before
it is hashed or sealed. Built-in kinds: ``email``, ``phone``, ``device_id``,
``user_id``; any other kind matching ``[a-z][a-z0-9_]*`` is kept as given.
Errors name the kind, never the value: the value is personal data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gardien.errors import IdentityError

MAX_KIND_LENGTH = 40
MAX_VALUE_LENGTH = 1000

_KIND = re.compile(r"[a-z][a-z0-9_]*")
# Deliberately loose: one @, something before it, a dotted domain after it, no
# spaces. Deliverability is the caller's business; this catches swapped fields.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


@dataclass(frozen=True)
class Identity:
    """One normalised identity. Its repr masks the value (personal data)."""

    kind: str
    value: str

    def __repr__(self) -> str:
        return f"Identity(kind={self.kind!r}, value=[secure])"


def _email(value: str) -> str:
    normal = value.strip().lower()
    if len(normal) > 254 or not _EMAIL.fullmatch(normal):
        raise IdentityError("identity 'email' is not an e-mail address: expected name@domain.tld")
    return normal


def _phone(value: str) -> str:
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isascii() or not digits.isdigit() or not 4 <= len(digits) <= 15:
        raise IdentityError(
            "identity 'phone' is not a phone number: expected 4 to 15 digits, optionally "
            "after a leading + (spaces, dots, dashes and brackets are ignored)"
        )
    return compact


def _device_id(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise IdentityError(
            "identity 'device_id' is not a UUID: expected e.g. 123e4567-e89b-12d3-a456-426614174000"
        ) from None


def _as_given(value: str) -> str:
    return value


NORMALISERS: Mapping[str, Callable[[str], str]] = {
    "email": _email,
    "phone": _phone,
    "device_id": _device_id,
    "user_id": _as_given,
}


def check_kind(kind: object) -> str:
    """``kind`` if it is a valid identity kind, else :class:`IdentityError`."""
    if not isinstance(kind, str) or not _KIND.fullmatch(kind) or len(kind) > MAX_KIND_LENGTH:
        raise IdentityError(
            "an identity kind must be lower-case letters, digits and underscores, starting "
            f"with a letter, at most {MAX_KIND_LENGTH} characters (e.g. email, crm_id)"
        )
    return kind


def normalise(kind: object, value: object) -> Identity:
    """The identity ``(kind, value)`` in normal form, or :class:`IdentityError`."""
    checked = check_kind(kind)
    if not isinstance(value, str):
        raise IdentityError(f"identity {checked!r} must be text")
    if not value.strip():
        raise IdentityError(f"identity {checked!r} is empty")
    if len(value) > MAX_VALUE_LENGTH:
        raise IdentityError(f"identity {checked!r} is longer than {MAX_VALUE_LENGTH} characters")
    if "\x00" in value:
        raise IdentityError(f"identity {checked!r} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise IdentityError(f"identity {checked!r} is not valid Unicode text") from None
    return Identity(checked, NORMALISERS.get(checked, _as_given)(value))


def normalise_all(identities: Mapping[str, str]) -> list[Identity]:
    """Every identity normalised, duplicates merged; the first error stops everything."""
    if not isinstance(identities, Mapping):
        raise IdentityError("identities must be a mapping of kind to value")
    seen: dict[tuple[str, str], Identity] = {}
    for kind, value in identities.items():
        identity = normalise(kind, value)
        seen.setdefault((identity.kind, identity.value), identity)
    return list(seen.values())
