"""Who acts: what every room's write function takes so that it records its own audit entry.

An ``Actor`` names the one acting as the trail records them (an API key's
prefix, a CLI user, the worker, a data subject through a signed link), their
role, and the declaration version in force. It also knows how the trail
names a data subject: by a blind id, a keyed hash the vault computes, so a
room that only holds opaque subject ids can still say whom its entry is
about without ever holding the vault's key.

    >>> actor = Actor("key:Ab12Cd34", "service", version, blind=vault.blind_id)
    >>> with store.engine.begin() as conn:
    ...     record_consent(conn, declaration, subject_id, "newsletter", "given",
    ...                    channel="web", proof=proof, actor=actor)

Rooms call ``actor.record(conn, event)`` in the caller's transaction, right
before it commits (``append`` holds the audit lock until then), so an entry
commits with the change it records or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from gardien.audit.chain import AuditEntry
from gardien.audit.events import AuditEvent
from gardien.audit.log import append
from gardien.errors import AuditError

BlindId = Callable[[str], str]


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role, under which declaration version."""

    name: str
    role: str
    declaration_version: str | None
    blind: BlindId | None = field(default=None, repr=False, compare=False)

    def subject(self, subject_id: str) -> str:
        """The blind id the trail names ``subject_id`` by."""
        if self.blind is None:
            raise AuditError(
                f"actor {self.name} cannot name data subjects in the trail: build it with "
                "blind=vault.blind_id"
            )
        return self.blind(subject_id)

    def record(
        self, conn: Connection, event: AuditEvent, *, now: dt.datetime | None = None
    ) -> AuditEntry:
        """Append ``event`` to the trail in ``conn``'s transaction."""
        return append(
            conn,
            event,
            actor=self.name,
            role=self.role,
            declaration_version=self.declaration_version,
            now=now,
        )

    def under(self, declaration_version: str | None) -> Actor:
        """The same actor, acting under another declaration version."""
        return replace(self, declaration_version=declaration_version)


#: The background worker, as the trail names it.
WORKER_NAME = "worker"
#: A data subject acting through a link gardien signed (unsubscribe), as the trail names them.
SUBJECT_NAME = "subject"
