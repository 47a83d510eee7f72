"""Audit entries and their hash chain.

Each entry's ``hash`` is the SHA-256, in lower-case hex, of the canonical
JSON of its fields, ``prev_hash`` included: keys sorted, no spaces, UTF-8,
the time in ISO 8601 UTC with microseconds. ``prev_hash`` is the previous
entry's hash (64 zeros for the first), so editing, removing or moving an
entry breaks the chain from that entry on. ``seq`` is not hashed: an entry's
place is fixed by the hash of the entry before it, which lets ``verify`` tell
a moved entry (intact, wrongly linked) from an edited one (hash mismatch).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gardien.audit.guard import DetailValue

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit trail, as stored."""

    seq: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    subject_blind_id: str | None
    purpose: str | None
    declaration_version: str | None
    details: Mapping[str, DetailValue | list[DetailValue]] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def hashed_fields(self) -> dict[str, Any]:
        """The fields the hash covers, as JSON values."""
        return {
            "action": self.action,
            "actor": self.actor,
            "at": format_time(self.at),
            "declaration_version": self.declaration_version,
            "details": dict(self.details),
            "prev_hash": self.prev_hash,
            "purpose": self.purpose,
            "role": self.role,
            "subject_blind_id": self.subject_blind_id,
        }

    def computed_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.hashed_fields())).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The entry as one JSON object: what the export writes and the API returns."""
        return {"seq": self.seq, **self.hashed_fields(), "hash": self.hash}


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes for the same entry everywhere."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_time(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times are timezone-aware")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")
