"""What the vault hands back: a registration's outcome and a subject's decrypted record.

Both are safe to log: the record's repr names how many identities and
attributes it holds, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardien.vault.attributes import JSONValue


@dataclass(frozen=True)
class Registration:
    """The subject an identity set belongs to, and whether this call created it."""

    subject_id: str
    created: bool


@dataclass(frozen=True, repr=False)
class SubjectRecord:
    """A subject's decrypted data; an erased subject has ``erased_at`` set and no data."""

    subject_id: str
    created_at: datetime
    erased_at: datetime | None = None
    identities: dict[str, list[str]] = field(default_factory=dict)
    attributes: dict[str, JSONValue] = field(default_factory=dict)

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    def __repr__(self) -> str:
        count = sum(len(values) for values in self.identities.values())
        return (
            f"SubjectRecord(subject_id={self.subject_id!r}, erased={self.erased}, "
            f"identities=[secure: {count}], attributes=[secure: {len(self.attributes)}])"
        )
