"""The audit events of the privacy center's sign-in (declared here, as a room may).

None carries an e-mail or a code: a sign-in is named by its random id, a
session by nothing but the subject's blind id when the person is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from gardien.audit.events import AuditEvent
from gardien.audit.guard import PublicId


@dataclass(frozen=True, kw_only=True)
class SignInCodeSent(AuditEvent):
    """A code was e-mailed to the address a person typed (known to the vault or not)."""

    action: ClassVar[str] = "person.signin_code"
    signin_id: PublicId


@dataclass(frozen=True, kw_only=True)
class SignInFailed(AuditEvent):
    """A code typed was wrong, expired or spent."""

    action: ClassVar[str] = "person.signin_failed"
    signin_id: PublicId
    why: str
    attempts: int


@dataclass(frozen=True, kw_only=True)
class SignedIn(AuditEvent):
    """A right code opened a session."""

    action: ClassVar[str] = "person.sign_in"
    signin_id: PublicId


@dataclass(frozen=True, kw_only=True)
class SignedOut(AuditEvent):
    """The person ended their session."""

    action: ClassVar[str] = "person.sign_out"
