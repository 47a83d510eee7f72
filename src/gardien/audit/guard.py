"""Refusing values that look personal before they reach the audit trail.

The caller is responsible for putting only non-personal values in an event;
this is the safety net for the obvious mistakes: an e-mail address, a phone,
card or identity number. Hashes and ISO dates are allowed although they hold
digits, since the trail needs them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from gardien.errors import AuditError

DetailValue = str | int | float | bool | None
Details = Mapping[str, DetailValue | tuple[DetailValue, ...] | list[DetailValue]]

MAX_DETAILS = 32
MAX_TEXT = 200
# Seven digits or more, possibly grouped by spaces, dots or dashes: a phone
# number, a card, an IBAN's body, a social security number.
_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d){6,}")
# A hexadecimal token with at least one letter: a hash or a declaration version.
_HEX_TOKEN = re.compile(r"(?=[0-9a-f]*[a-f])[0-9a-f]{16,}")
# ISO dates and times are set aside before looking for digit runs.
_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PUBLIC_ID = re.compile(r"[A-Za-z0-9]{4,64}")


class PublicId(str):
    """An id gardien generated at random or derived from a key, never from a person.

    An API key's prefix or a master key's id may hold a run of digits by
    chance; typed this way, an event's field is exempt from the digit-run check
    (it must still be 4 to 64 letters and digits).
    """

    __slots__ = ()


_TOKEN = re.compile(r"[A-Za-z0-9_.:\-]{1,128}")


def personal_reason(value: str) -> str | None:
    """Why ``value`` looks personal, or None if it does not."""
    if "@" in value:
        return "it contains '@' (an e-mail address?)"
    if _HEX_TOKEN.fullmatch(value):
        return None
    if _DIGIT_RUN.search(_ISO_TIME.sub(" ", value)):
        return "it contains a long run of digits (a phone, card or identity number?)"
    return None


def check_token(name: str, value: str, max_length: int) -> str:
    """An actor, role, purpose or blind id: short, no spaces, nothing personal."""
    if "@" in value or (value.isdigit() and len(value) >= 7):
        raise AuditError(
            f"audit {name} looks personal: give a blind id or a key prefix, never an e-mail "
            "address or a phone number"
        )
    if not _TOKEN.fullmatch(value) or len(value) > max_length:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise AuditError(
            f"audit {name} {shown!r} is not an identifier: use at most {max_length} "
            "letters, digits or '_.:-'"
        )
    return value


def check_details(details: Details) -> dict[str, DetailValue | list[DetailValue]]:
    """A copy of ``details`` as plain JSON values, or AuditError naming the bad key."""
    if len(details) > MAX_DETAILS:
        raise AuditError(f"audit details have {len(details)} keys: keep at most {MAX_DETAILS}")
    clean: dict[str, DetailValue | list[DetailValue]] = {}
    for key, value in details.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise AuditError(
                f"audit detail key {key!r} is not a name: use lower-case letters, digits, '_'"
            )
        if isinstance(value, list | tuple):
            clean[key] = [_check_scalar(key, item) for item in value][:MAX_DETAILS]
            if len(value) > MAX_DETAILS:
                raise AuditError(f"audit detail {key!r} lists more than {MAX_DETAILS} values")
        else:
            clean[key] = _check_scalar(key, value)
    return clean


def _check_scalar(key: str, value: object) -> DetailValue:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AuditError(f"audit detail {key!r} is not a finite number")
        return value
    if isinstance(value, PublicId):
        if not _PUBLIC_ID.fullmatch(value):
            raise AuditError(f"audit detail {key!r} is not a public id: 4 to 64 letters or digits")
        return str(value)
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise AuditError(
                f"audit detail {key!r} is {len(value)} characters long: keep at most "
                f"{MAX_TEXT}; free text belongs in the vault, not in the audit trail"
            )
        reason = personal_reason(value)
        if reason is not None:
            raise AuditError(
                f"audit detail {key!r} looks personal: {reason}; record a blind id or a "
                "count instead"
            )
        return value
    raise AuditError(
        f"audit detail {key!r} is a {type(value).__name__}: use text, a number, true/false "
        "or null (or a list of them)"
    )
