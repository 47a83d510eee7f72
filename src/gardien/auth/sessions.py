"""Console sessions, kept server-side: opened by a sign-in, ended by time or by logout.

The browser holds a random value (256 bits) in a cookie; the store holds only
its SHA-256, so a copy of the store opens no session. A session ends when it
has been idle for ``SessionPolicy.idle`` (30 minutes), at the end of its
absolute ``lifetime`` (12 hours) whatever its use, at logout, and when its
user is disabled or given a new password. Each use moves ``last_seen_at``
forward (at most once a minute: a page of the console costs no write when
the last one was less than a minute ago).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from gardien.audit import Actor, PublicId
from gardien.audit.events import StaffSignedOut
from gardien.auth.tables import staff_sessions, staff_users
from gardien.auth.users import StaffUser, staff_user_of
from gardien.store.types import utcnow

#: A session's last use is written again only when older than this.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    lifetime: dt.timedelta = dt.timedelta(hours=12)


@dataclass(frozen=True)
class StaffSession:
    """A live session and its user (the cookie's value is not kept here)."""

    user: StaffUser
    created_at: dt.datetime
    expires_at: dt.datetime

    def __repr__(self) -> str:
        return f"StaffSession(user={self.user!r}, expires_at={self.expires_at.isoformat()})"


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "replace")).digest()


def open_session(
    conn: Connection,
    user: StaffUser,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A new session for ``user``: the value for the cookie (the only copy of it)."""
    policy = policy or SessionPolicy()
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(staff_sessions).values(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.lifetime,
        )
    )
    return token


def current_session(
    conn: Connection,
    token: str,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> StaffSession | None:
    """The live session ``token`` opens, its last use moved to ``now``; None if there is none
    (unknown, ended, idle too long, past its lifetime, or its user disabled)."""
    policy = policy or SessionPolicy()
    now = now or utcnow()
    if not token or len(token) > 100:
        return None
    found = conn.execute(
        select(
            staff_users,
            staff_sessions.c.created_at.label("opened_at"),
            staff_sessions.c.last_seen_at,
            staff_sessions.c.expires_at,
            staff_sessions.c.ended_at,
        )
        .join(staff_users, staff_users.c.id == staff_sessions.c.user_id)
        .where(staff_sessions.c.token_hash == _digest(token))
    ).first()
    if found is None:
        return None
    if (
        found.ended_at is not None
        or found.expires_at <= now
        or found.last_seen_at + policy.idle <= now
        or found.disabled_at is not None
    ):
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        conn.execute(
            update(staff_sessions)
            .where(staff_sessions.c.token_hash == _digest(token))
            .values(last_seen_at=now)
        )
    return StaffSession(staff_user_of(found), found.opened_at, found.expires_at)


def end_session(
    conn: Connection, token: str, *, actor: Actor, now: dt.datetime | None = None
) -> bool:
    """End the session ``token`` opens (logout); audited as ``user.logout``. False when it
    had ended already or never existed (nothing is recorded then)."""
    now = now or utcnow()
    row = conn.execute(
        select(staff_sessions).where(staff_sessions.c.token_hash == _digest(token))
    ).first()
    if row is None or row.ended_at is not None:
        return False
    conn.execute(
        update(staff_sessions)
        .where(staff_sessions.c.token_hash == row.token_hash)
        .values(ended_at=now)
    )
    actor.record(conn, StaffSignedOut(user_id=PublicId(row.user_id)), now=now)
    return True


def end_sessions_of(conn: Connection, user_id: str, *, now: dt.datetime | None = None) -> int:
    """End every open session of ``user_id``; how many were open."""
    now = now or utcnow()
    result = conn.execute(
        update(staff_sessions)
        .where(staff_sessions.c.user_id == user_id, staff_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    )
    return int(result.rowcount or 0)
