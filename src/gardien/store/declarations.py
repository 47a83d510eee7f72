"""The declarations applied to the store, each under its version hash.

Every consent, check, request and sweep records the version it acted under;
this table keeps the content of each version so the DPO can show which text
was in force when.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from gardien.declaration import Declaration, declaration_version, declared_content
from gardien.store.migrate import Store
from gardien.store.schema import declarations
from gardien.store.types import utcnow

if TYPE_CHECKING:
    from gardien.audit import Actor


@dataclass(frozen=True)
class DeclarationRecord:
    version: str
    applied_at: datetime
    source: str


#: What a new version sets off, in its transaction; returns how many jobs it queued.
OnNewVersion = Callable[[Connection, "DeclarationRecord"], int]


def apply_declaration(
    store: Store,
    declaration: Declaration,
    source: str,
    on_new: OnNewVersion | None = None,
    *,
    actor: Actor,
) -> DeclarationRecord:
    """Record ``declaration`` as the one in force; applying the same content twice is a no-op.

    ``on_new`` runs in the same transaction when this version is new, so that
    what a new version sets off (consent renewals) happens exactly once. A new
    version is audited as ``declaration.apply``, under that version.
    """
    version = declaration_version(declaration)
    with store.engine.begin() as connection:
        row = connection.execute(
            select(declarations.c.applied_at, declarations.c.source).where(
                declarations.c.version == version
            )
        ).first()
        if row is not None:
            return DeclarationRecord(version, row.applied_at, row.source)
        now = utcnow()
        connection.execute(
            insert(declarations).values(
                version=version,
                applied_at=now,
                source=source,
                content=json.dumps(declared_content(declaration), ensure_ascii=False),
            )
        )
        record = DeclarationRecord(version, now, source)
        queued = on_new(connection, record) if on_new is not None else 0
        # Imported here: the audit room's table is declared on this room's metadata.
        from gardien.audit import DeclarationApplied

        actor.under(version).record(connection, DeclarationApplied(renewals_queued=queued))
        return record


def stored_declaration(conn: Connection, version: str) -> Declaration | None:
    """The declaration that was in force under ``version``, as it was applied."""
    content = conn.execute(
        select(declarations.c.content).where(declarations.c.version == version)
    ).scalar_one_or_none()
    return None if content is None else Declaration.model_validate(json.loads(content))


def current_declaration(store: Store) -> DeclarationRecord | None:
    """The declaration applied last, if any."""
    with store.engine.connect() as connection:
        row = connection.execute(
            select(declarations.c.version, declarations.c.applied_at, declarations.c.source)
            .order_by(declarations.c.applied_at.desc())
            .limit(1)
        ).first()
    return DeclarationRecord(row.version, row.applied_at, row.source) if row else None
