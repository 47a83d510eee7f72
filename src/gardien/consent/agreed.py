"""What a person agreed to: the exact wording of their consent, and whether it changed since.

The ledger keeps the SHA-256 of the wording shown, the declaration version
and the language, never the text. The text is found again in the
declaration stored under that version (``store.stored_declaration``), and
shown only if its hash matches: a wording the company's product passed
through the API (not one of the declaration's) is known by its hash only.
When today's wording in the same language differs, ``changed_at`` is when
the declaration carrying today's wording was first applied to the store.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, select

from gardien.consent.ledger import ConsentEvent
from gardien.consent.policy import wording_hash
from gardien.declaration import Declaration
from gardien.store import stored_declaration
from gardien.store.schema import declarations


@dataclass(frozen=True)
class AgreedWording:
    """The wording of one recorded choice, and today's beside it."""

    #: The exact text the choice was made on; None when only its hash is known.
    text: str | None
    language: str
    #: Today's wording in the same language (None: the purpose asks no consent any more).
    current: str | None
    #: When the wording in force today was first applied, if it differs from ``text``.
    changed_at: dt.datetime | None

    @property
    def changed(self) -> bool:
        return self.changed_at is not None or self.current is None


def agreed_wording(conn: Connection, event: ConsentEvent, in_force: Declaration) -> AgreedWording:
    """The wording ``event`` was recorded on, read from the declaration of its version."""
    then = stored_declaration(conn, event.declaration_version) or in_force
    text = _wording(then, event.purpose, event.language)
    if text is not None and wording_hash(text) != event.wording_hash:
        text = None
    current = _wording(in_force, event.purpose, event.language)
    changed_at = None
    if current is not None and wording_hash(current) != event.wording_hash:
        changed_at = _first_applied(conn, event.purpose, event.language, current)
    return AgreedWording(text, event.language, current, changed_at)


def _wording(declaration: Declaration, purpose_id: str, lang: str) -> str | None:
    purpose = declaration.purposes.get(purpose_id)
    if purpose is None or purpose.consent is None:
        return None
    return purpose.consent.wording[lang]


def _first_applied(
    conn: Connection, purpose_id: str, lang: str, wording: str
) -> dt.datetime | None:
    """When a declaration with ``wording`` for the purpose was first applied to the store."""
    rows = conn.execute(
        select(declarations.c.applied_at, declarations.c.content).order_by(
            declarations.c.applied_at
        )
    )
    for applied_at, content in rows:
        consent = json.loads(content).get("purposes", {}).get(purpose_id, {}).get("consent")
        shown = (consent or {}).get("wording", {})
        if isinstance(shown, dict) and shown.get(lang) == wording:
            found: dt.datetime = applied_at
            return found
    return None
