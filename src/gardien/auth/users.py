"""Staff accounts of the console: create, list, disable, give a new password, sign in.

An account is an e-mail (what its owner signs in with), an argon2id hash of
its password (``passwords``), a role of the matrix (``roles``: admin, dpo or
agent; a ``service`` role is for the product's API keys, not for people) and
a random public id, which is how the audit trail names its owner
(``user:<id>``): never by their e-mail.

Signing in (``sign_in``) answers the same, and takes about the same time,
for an unknown e-mail, a wrong password, a disabled account and a locked
one: one argon2 verification each time (against a decoy hash when no account
has the e-mail), and one outcome the page turns into one sentence. Failures
are counted per account: ``SignInPolicy.max_failures`` within ``window``
lock it for ``lock_for``, even against the right password. Every sign-in is
audited (``user.login``), its failures too, so the caller commits the
result before answering.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from gardien.audit import Actor, PublicId
from gardien.audit.events import (
    StaffPasswordReset,
    StaffSignedIn,
    StaffUserCreated,
    StaffUserDisabled,
)
from gardien.auth.passwords import (
    check_password,
    decoy_hash,
    hash_password,
    needs_rehash,
    password_matches,
)
from gardien.auth.roles import Role
from gardien.auth.tables import staff_users
from gardien.errors import StaffAccountError
from gardien.store.types import utcnow

#: The roles a person may hold in the console.
STAFF_ROLES = (Role.ADMIN, Role.DPO, Role.AGENT)
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class StaffUser:
    """A staff account, without its password hash."""

    id: str
    email: str
    role: Role
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    locked_until: dt.datetime | None

    @property
    def actor_name(self) -> str:
        """How the audit trail names this staff member."""
        return f"user:{self.id}"

    def __repr__(self) -> str:
        return f"StaffUser(id={self.id!r}, role={self.role.value}, [secure])"


@dataclass(frozen=True)
class SignInPolicy:
    """How many failed sign-ins within ``window`` lock an account, and for how long."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock_for: dt.timedelta = dt.timedelta(minutes=15)


class SignInOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    """What a sign-in did: the account on success (else None, whatever the reason)."""

    outcome: SignInOutcome
    user: StaffUser | None = None


def normalised_email(email: str) -> str:
    """``email`` as accounts are keyed (trimmed, lower-case), or ``StaffAccountError``."""
    text = email.strip().lower() if isinstance(email, str) else ""
    if len(text) > 320 or not _EMAIL.fullmatch(text):
        raise StaffAccountError("give the staff member's e-mail address, as name@domain.tld")
    return text


def staff_role(role: Role | str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in STAFF_ROLES:
        raise StaffAccountError(
            "a staff account's role is admin, dpo or agent (service is for API keys only)"
        )
    return chosen


def create_user(
    conn: Connection,
    email: str,
    password: str,
    role: Role | str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> StaffUser:
    """A new account (``StaffAccountError`` if the e-mail is taken, the password weak);
    audited as ``user.create`` with its id and role."""
    now = now or utcnow()
    address = normalised_email(email)
    chosen = staff_role(role)
    check_password(password, address)
    taken = conn.execute(select(staff_users.c.id).where(staff_users.c.email == address)).first()
    if taken is not None:
        raise StaffAccountError(
            "an account already has this e-mail: see `gardien users list`, or give it a new "
            "password with `gardien users reset-password`"
        )
    user_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))
    conn.execute(
        insert(staff_users).values(
            id=user_id,
            email=address,
            password_hash=hash_password(password),
            role=chosen.value,
            created_at=now,
            password_changed_at=now,
            failed_logins=0,
        )
    )
    actor.record(conn, StaffUserCreated(user_id=PublicId(user_id), user_role=chosen.value), now=now)
    return StaffUser(user_id, address, chosen, now, None, None)


def list_users(conn: Connection) -> list[StaffUser]:
    rows = conn.execute(select(staff_users).order_by(staff_users.c.email))
    return [staff_user_of(row) for row in rows]


def find_user(conn: Connection, user_id: str) -> StaffUser | None:
    row = conn.execute(select(staff_users).where(staff_users.c.id == user_id)).first()
    return staff_user_of(row) if row is not None else None


def _by_email(conn: Connection, email: str) -> Row[Any]:
    address = normalised_email(email)
    row = conn.execute(
        select(staff_users).where(staff_users.c.email == address).with_for_update()
    ).first()
    if row is None:
        raise StaffAccountError("no staff account has this e-mail: see `gardien users list`")
    return row


def disable_user(
    conn: Connection, email: str, *, actor: Actor, now: dt.datetime | None = None
) -> StaffUser:
    """Disable the account and end its sessions; audited as ``user.disable``."""
    from gardien.auth.sessions import end_sessions_of

    now = now or utcnow()
    row = _by_email(conn, email)
    changed = row.disabled_at is None
    if changed:
        conn.execute(update(staff_users).where(staff_users.c.id == row.id).values(disabled_at=now))
    ended = end_sessions_of(conn, row.id, now=now)
    actor.record(
        conn,
        StaffUserDisabled(user_id=PublicId(row.id), changed=changed, sessions_ended=ended),
        now=now,
    )
    return staff_user_of(conn.execute(select(staff_users).where(staff_users.c.id == row.id)).one())


def reset_password(
    conn: Connection, email: str, password: str, *, actor: Actor, now: dt.datetime | None = None
) -> StaffUser:
    """A new password (checked like a first one): the account's sessions end and its lock is
    lifted; audited as ``user.reset_password``. A disabled account stays disabled."""
    from gardien.auth.sessions import end_sessions_of

    now = now or utcnow()
    row = _by_email(conn, email)
    check_password(password, row.email)
    conn.execute(
        update(staff_users)
        .where(staff_users.c.id == row.id)
        .values(
            password_hash=hash_password(password),
            password_changed_at=now,
            failed_logins=0,
            failures_since=None,
            locked_until=None,
        )
    )
    ended = end_sessions_of(conn, row.id, now=now)
    actor.record(conn, StaffPasswordReset(user_id=PublicId(row.id), sessions_ended=ended), now=now)
    return staff_user_of(conn.execute(select(staff_users).where(staff_users.c.id == row.id)).one())


def sign_in(
    conn: Connection,
    email: str,
    password: str,
    *,
    actor_for: Callable[[StaffUser | None], Actor],
    policy: SignInPolicy | None = None,
    now: dt.datetime | None = None,
) -> SignIn:
    """Check ``email`` and ``password``; audited (``user.login``) whatever the outcome.

    ``actor_for(user)`` is who the entry names: the staff member on success,
    someone not yet known (``actor_for(None)``) otherwise. Commit before
    answering: a failure's count must stay.
    """
    policy = policy or SignInPolicy()
    now = now or utcnow()
    try:
        address = normalised_email(email)
    except StaffAccountError:
        address = ""
    row = None
    if address:
        row = conn.execute(
            select(staff_users).where(staff_users.c.email == address).with_for_update()
        ).first()
    if row is None:
        password_matches(decoy_hash(), password)  # the same work as for a wrong password
        actor_for(None).record(conn, StaffSignedIn(outcome=SignInOutcome.FAILURE.value), now=now)
        return SignIn(SignInOutcome.FAILURE)
    matches = password_matches(row.password_hash, password)
    user_id = PublicId(row.id)
    if row.locked_until is not None and row.locked_until > now:
        actor_for(None).record(
            conn, StaffSignedIn(outcome=SignInOutcome.LOCKED.value, user_id=user_id), now=now
        )
        return SignIn(SignInOutcome.LOCKED)
    if matches and row.disabled_at is None:
        values: dict[str, Any] = {"failed_logins": 0, "failures_since": None, "locked_until": None}
        rehashed = needs_rehash(row.password_hash)
        if rehashed:
            values["password_hash"] = hash_password(password)
        conn.execute(update(staff_users).where(staff_users.c.id == row.id).values(**values))
        user = staff_user_of(row)
        actor_for(user).record(
            conn,
            StaffSignedIn(outcome=SignInOutcome.SUCCESS.value, user_id=user_id, rehashed=rehashed),
            now=now,
        )
        return SignIn(SignInOutcome.SUCCESS, user)
    counting = row.failures_since is not None and row.failures_since > now - policy.window
    failures = (row.failed_logins if counting else 0) + 1
    since = row.failures_since if counting else now
    locked = failures >= policy.max_failures
    values = (
        {"failed_logins": 0, "failures_since": None, "locked_until": now + policy.lock_for}
        if locked
        else {"failed_logins": failures, "failures_since": since}
    )
    conn.execute(update(staff_users).where(staff_users.c.id == row.id).values(**values))
    outcome = SignInOutcome.LOCKED if locked else SignInOutcome.FAILURE
    actor_for(None).record(
        conn, StaffSignedIn(outcome=outcome.value, user_id=user_id, locked_now=locked), now=now
    )
    return SignIn(outcome)


def staff_user_of(row: Row[Any]) -> StaffUser:
    return StaffUser(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        locked_until=row.locked_until,
    )
