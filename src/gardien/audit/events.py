"""Typed audit events: one small frozen dataclass per thing that happened.

Each event class names what happened and carries its ``action`` (the name
stored in the trail, e.g. ``consent.record``). ``subject_blind_id`` and
``purpose`` have columns of their own; every other field of the event goes
to the entry's ``details``, after the checks of ``guard``. One function,
``event_record``, turns any event into what a row holds, so a room can add
an event of its own by declaring a dataclass like these.

    >>> event_record(ConsentRecorded(subject_blind_id="s_4f2a", purpose="newsletter",
    ...                              granted=True, source="signup_form")).details
    {'granted': True, 'source': 'signup_form'}
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from gardien.audit.guard import DetailValue, PublicId, check_details, check_token
from gardien.errors import AuditError

_ACTION = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)*")
_COLUMNS = frozenset({"subject_blind_id", "purpose"})


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Base of every event: who it concerns (by blind id) and under which purpose."""

    action: ClassVar[str]
    subject_blind_id: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubjectCreated(AuditEvent):
    action: ClassVar[str] = "subject.create"
    subject_blind_id: str
    subject_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubjectRead(AuditEvent):
    action: ClassVar[str] = "subject.read"
    subject_blind_id: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SubjectUpdated(AuditEvent):
    action: ClassVar[str] = "subject.update"
    subject_blind_id: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SubjectErased(AuditEvent):
    action: ClassVar[str] = "subject.erase"
    subject_blind_id: str
    request_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class IdentityChanged(AuditEvent):
    """An identity of a subject was replaced or removed (rectification, Art. 16).

    The entry names the kind (``email``, ``crm_id``), never a value, old or new.
    """

    action: ClassVar[str] = "subject.identity_change"
    subject_blind_id: str
    kind: str
    #: ``replaced`` or ``removed``.
    change: str
    #: How many identities of that kind the subject lost (a replacement may drop several).
    removed: int


@dataclass(frozen=True, kw_only=True)
class SubjectNotified(AuditEvent):
    """A message was sent to the person (e.g. asking to renew a consent)."""

    action: ClassVar[str] = "subject.notify"
    subject_blind_id: str
    #: Why they were written to, e.g. consent_renewal.
    reason: str
    channel: str = "email"


@dataclass(frozen=True, kw_only=True)
class ConsentRecorded(AuditEvent):
    action: ClassVar[str] = "consent.record"
    subject_blind_id: str
    purpose: str
    granted: bool
    source: str | None = None
    #: given, refused or withdrawn (``granted`` alone does not tell the last two apart).
    status: str | None = None
    event_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ProcessingChecked(AuditEvent):
    """A consent or processing check, with its explanation: which rule decided, and why."""

    action: ClassVar[str] = "check"
    # None when the person is not registered: the check still happened.
    subject_blind_id: str | None = None
    purpose: str
    allowed: bool
    rule: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ConsentsRead(AuditEvent):
    """A subject's consent states or history, or a receipt, was read."""

    action: ClassVar[str] = "consent.read"
    subject_blind_id: str
    event_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class LimitRecorded(AuditEvent):
    """An objection (Art. 21) or a restriction (Art. 18) was recorded."""

    action: ClassVar[str] = "limit.record"
    subject_blind_id: str
    kind: str
    channel: str


@dataclass(frozen=True, kw_only=True)
class LimitLifted(AuditEvent):
    action: ClassVar[str] = "limit.lift"
    subject_blind_id: str
    kind: str
    count: int


@dataclass(frozen=True, kw_only=True)
class TextRedacted(AuditEvent):
    action: ClassVar[str] = "text.redact"
    labels: tuple[str, ...] = ()
    count: int = 0
    #: How many texts one call redacted (``/redact/batch`` sends many).
    texts: int = 1
    #: The operator applied (placeholder, mask, redact, pseudonymize, reversible).
    operator: str | None = None
    #: The declared recipient the text was redacted for, and the form it is
    #: declared to receive (``purpose`` holds the purpose named with it).
    recipient: str | None = None
    recipient_receives: str | None = None


@dataclass(frozen=True, kw_only=True)
class TextRestored(AuditEvent):
    """Original values were put back into a text redacted with the reversible operator."""

    action: ClassVar[str] = "text.restore"


@dataclass(frozen=True, kw_only=True)
class ConsentsExpired(AuditEvent):
    """The expiry sweep appended ``expired`` events for choices past their lifetime."""

    action: ClassVar[str] = "consent.expire"
    count: int


@dataclass(frozen=True, kw_only=True)
class UnsubscribeLinkIssued(AuditEvent):
    """A one-click unsubscribe link was signed for a person and a marketing purpose."""

    action: ClassVar[str] = "consent.unsubscribe_link"
    subject_blind_id: str
    purpose: str


@dataclass(frozen=True, kw_only=True)
class DisclosureRefused(AuditEvent):
    """Text was about to leave for a recipient in a form its declaration does not allow."""

    action: ClassVar[str] = "text.disclosure_refused"
    recipient: str | None
    operator: str
    #: The problem type of the refusal (e.g. operator-not-allowed, unknown-recipient).
    refusal: str
    recipient_receives: str | None = None


@dataclass(frozen=True, kw_only=True)
class KeyCreated(AuditEvent):
    action: ClassVar[str] = "key.create"
    key_prefix: PublicId
    key_role: str


@dataclass(frozen=True, kw_only=True)
class KeyRevoked(AuditEvent):
    action: ClassVar[str] = "key.revoke"
    key_prefix: PublicId
    key_role: str
    #: False when the key was already revoked: the request is recorded all the same.
    changed: bool


@dataclass(frozen=True, kw_only=True)
class MasterKeyRotated(AuditEvent):
    """Every data key was re-wrapped from one master key to another (ids are public)."""

    action: ClassVar[str] = "key.rotate_master"
    old_master_id: PublicId
    new_master_id: PublicId
    rewrapped: int


@dataclass(frozen=True, kw_only=True)
class OrphanKeysPurged(AuditEvent):
    """Data keys that opened nothing (their subject was never stored) were deleted."""

    action: ClassVar[str] = "key.purge_orphans"
    count: int


@dataclass(frozen=True, kw_only=True)
class DeclarationApplied(AuditEvent):
    """A new declaration version was put in force (the entry's version is the new one)."""

    action: ClassVar[str] = "declaration.apply"
    renewals_queued: int = 0


@dataclass(frozen=True, kw_only=True)
class AuditRead(AuditEvent):
    action: ClassVar[str] = "audit.read"
    filter_action: str | None = None


@dataclass(frozen=True, kw_only=True)
class AuditExported(AuditEvent):
    action: ClassVar[str] = "audit.export"
    since_seq: int | None = None
    entries: int | None = None


@dataclass(frozen=True, kw_only=True)
class RequestReceived(AuditEvent):
    """A data-subject request was received (``subject_blind_id`` is never known yet)."""

    action: ClassVar[str] = "request.receive"
    request_id: PublicId
    request_type: str
    channel: str
    state: str
    #: True when the answer was an open request's (a double submission): nothing new stored.
    duplicate: bool = False


@dataclass(frozen=True, kw_only=True)
class RequestTransitioned(AuditEvent):
    """A request moved from one state to another (the timeline has the same step)."""

    action: ClassVar[str] = "request.transition"
    request_id: PublicId
    from_state: str
    to_state: str


@dataclass(frozen=True, kw_only=True)
class RequestCodeSent(AuditEvent):
    """A verification code was queued for the e-mail of a request or a directive retrieval."""

    action: ClassVar[str] = "request.code_send"
    request_id: PublicId
    sends: int


@dataclass(frozen=True, kw_only=True)
class RequestVerificationFailed(AuditEvent):
    """A code was refused: wrong, expired, or spent (never the code given)."""

    action: ClassVar[str] = "request.verify_fail"
    request_id: PublicId
    why: str
    attempts: int


@dataclass(frozen=True, kw_only=True)
class RequestRead(AuditEvent):
    """A request was read: its status by the person, or its detail by staff."""

    action: ClassVar[str] = "request.read"
    request_id: PublicId
    #: Whether the decrypted identities and details were shown.
    identities: bool = False


@dataclass(frozen=True, kw_only=True)
class RequestsListed(AuditEvent):
    action: ClassVar[str] = "request.list"
    count: int
    state_filter: str | None = None


@dataclass(frozen=True, kw_only=True)
class RequestExtended(AuditEvent):
    """The deadline was extended (Art. 12(3)); the reason is on the request, told the person."""

    action: ClassVar[str] = "request.extend"
    request_id: PublicId
    until: str


@dataclass(frozen=True, kw_only=True)
class RequestShredded(AuditEvent):
    """A request's sealed identities and details were dropped after an erasure."""

    action: ClassVar[str] = "request.shred"
    request_id: PublicId


@dataclass(frozen=True, kw_only=True)
class DirectiveStored(AuditEvent):
    """A post-mortem directive was stored, sealed, with its trustees' blind indexes."""

    action: ClassVar[str] = "directive.store"
    directive_id: PublicId
    request_id: PublicId
    trustees: int


@dataclass(frozen=True, kw_only=True)
class DirectiveReleased(AuditEvent):
    """Staff recorded the person's death: the directive may go to its verified trustees."""

    action: ClassVar[str] = "directive.release"
    directive_id: PublicId
    sent: int


@dataclass(frozen=True, kw_only=True)
class DirectiveRetrieval(AuditEvent):
    """A trustee asked for a directive, or proved their address with the code."""

    action: ClassVar[str] = "directive.retrieve"
    retrieval_id: PublicId
    step: str
    sent: int = 0


@dataclass(frozen=True, kw_only=True)
class RequestStepDone(AuditEvent):
    """A step of a request's execution: which datastore, collections, fields, row counts."""

    action: ClassVar[str] = "request.step"
    request_id: PublicId
    step: str
    #: ``collection=rows`` for each collection the step read or changed.
    collections: tuple[str, ...] = ()
    #: The declared fields the step changed (erasure, rectification): names, never values.
    fields: tuple[str, ...] = ()
    rows: int = 0


@dataclass(frozen=True, kw_only=True)
class PackageDownloaded(AuditEvent):
    """A person took their access or portability package (the link now works no more)."""

    action: ClassVar[str] = "request.package_download"
    request_id: PublicId
    package_id: PublicId
    size: int


@dataclass(frozen=True, kw_only=True)
class PackagesPurged(AuditEvent):
    """Package files deleted once taken or expired (or abandoned by a dead worker)."""

    action: ClassVar[str] = "request.packages_purge"
    count: int


@dataclass(frozen=True, kw_only=True)
class RecipientNoticeAttempted(AuditEvent):
    """An Art. 19 notice to a recipient: delivered, or why not (retried while it may)."""

    action: ClassVar[str] = "request.recipient_notice"
    request_id: PublicId
    recipient: str
    kind: str
    attempt: int
    delivered: bool
    status: int | None = None


@dataclass(frozen=True, kw_only=True)
class RetentionBatchSwept(AuditEvent):
    """One batch of a retention sweep: which rule, where, what was done, how many rows
    (never a value, never a key)."""

    action: ClassVar[str] = "retention.batch"
    sweep: str
    rule: str
    batch: int
    claimed: int
    deleted: int = 0
    changed: int = 0
    archived: int = 0
    #: Rows of other collections deleted with them (their references followed down).
    cascaded: int = 0
    #: Claimed rows no longer there (a sweep killed after it acted, before it recorded).
    gone: int = 0
    #: Claimed rows kept because an open access or portability request needs them.
    kept_for_requests: int = 0
    #: For a sweep that runs from recorded events: the events whose period ran out in
    #: this batch, and the rows found kept by their collection's legal hold.
    events: int = 0
    held: int = 0


@dataclass(frozen=True, kw_only=True)
class RetentionEventRecorded(AuditEvent):
    """The company's systems told gardien that an event a retention rule runs from
    happened for a person (an account deletion): the event's id, which event, and the
    kinds of identity given (never a value; the identities are sealed)."""

    action: ClassVar[str] = "retention.event"
    event_id: PublicId
    event: str
    kinds: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class RetentionSweepHeld(AuditEvent):
    """A sweep not run because a declared legal hold covers its data."""

    action: ClassVar[str] = "retention.held"
    sweep: str
    rule: str
    holds: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class StaffUserCreated(AuditEvent):
    """A staff account of the console was created (named by its public id, never its e-mail)."""

    action: ClassVar[str] = "user.create"
    user_id: PublicId
    user_role: str


@dataclass(frozen=True, kw_only=True)
class StaffUserDisabled(AuditEvent):
    """A staff account was disabled; its open sessions ended with it."""

    action: ClassVar[str] = "user.disable"
    user_id: PublicId
    #: False when the account was disabled already: the request is recorded all the same.
    changed: bool
    sessions_ended: int


@dataclass(frozen=True, kw_only=True)
class StaffPasswordReset(AuditEvent):
    """A staff account was given a new password (never recorded); its sessions ended and its
    lock was lifted."""

    action: ClassVar[str] = "user.reset_password"
    user_id: PublicId
    sessions_ended: int


@dataclass(frozen=True, kw_only=True)
class StaffSignedIn(AuditEvent):
    """A sign-in to the console: ``success``, ``failure`` (wrong password, unknown e-mail,
    disabled account), ``locked`` (the account is locked, or this failure locked it).
    ``user_id`` is null when the e-mail names no account; the e-mail is never recorded."""

    action: ClassVar[str] = "user.login"
    outcome: str
    user_id: PublicId | None = None
    #: The failure that locked the account (``outcome`` is then ``locked``).
    locked_now: bool = False
    #: The password hash was recomputed under the current argon2 parameters.
    rehashed: bool = False


@dataclass(frozen=True, kw_only=True)
class StaffSignedOut(AuditEvent):
    """A console session ended at its user's request."""

    action: ClassVar[str] = "user.logout"
    user_id: PublicId


@dataclass(frozen=True, kw_only=True)
class AuditChainVerified(AuditEvent):
    """Someone ran the verification of the trail's hash chain from the console: its result."""

    action: ClassVar[str] = "audit.verify"
    ok: bool
    entries: int


# An explicit registry of the built-in events, keyed by action: the API checks
# an ``action`` filter against it, and docs/audit.md lists it.
EVENT_TYPES: Mapping[str, type[AuditEvent]] = {
    cls.action: cls
    for cls in (
        RetentionBatchSwept,
        RetentionSweepHeld,
        SubjectCreated,
        SubjectRead,
        SubjectUpdated,
        SubjectErased,
        IdentityChanged,
        SubjectNotified,
        ConsentRecorded,
        ProcessingChecked,
        ConsentsRead,
        LimitRecorded,
        LimitLifted,
        TextRedacted,
        TextRestored,
        ConsentsExpired,
        UnsubscribeLinkIssued,
        DisclosureRefused,
        KeyCreated,
        KeyRevoked,
        MasterKeyRotated,
        OrphanKeysPurged,
        DeclarationApplied,
        AuditRead,
        AuditExported,
        RequestReceived,
        RequestTransitioned,
        RequestCodeSent,
        RequestVerificationFailed,
        RequestRead,
        RequestsListed,
        RequestExtended,
        RequestShredded,
        DirectiveStored,
        DirectiveReleased,
        DirectiveRetrieval,
        RequestStepDone,
        PackageDownloaded,
        PackagesPurged,
        RecipientNoticeAttempted,
        StaffUserCreated,
        StaffUserDisabled,
        StaffPasswordReset,
        StaffSignedIn,
        StaffSignedOut,
        AuditChainVerified,
    )
}


@dataclass(frozen=True)
class EventRecord:
    """What an event puts in a row, checked: nothing personal in clear."""

    action: str
    subject_blind_id: str | None
    purpose: str | None
    details: dict[str, DetailValue | list[DetailValue]]


def event_record(event: AuditEvent) -> EventRecord:
    """The columns of ``event``'s row; AuditError if anything looks personal."""
    if not isinstance(event, AuditEvent) or not dataclasses.is_dataclass(event):
        raise AuditError(f"{type(event).__name__} is not an audit event dataclass")
    action = getattr(type(event), "action", None)
    if not isinstance(action, str) or not _ACTION.fullmatch(action) or len(action) > 64:
        raise AuditError(
            f"{type(event).__name__} has no valid action: set action: ClassVar[str] = "
            "'room.verb' (lower-case words joined by dots)"
        )
    subject = event.subject_blind_id
    if subject is not None:
        check_token("subject blind id", subject, 128)
    if event.purpose is not None:
        check_token("purpose", event.purpose, 64)
    details = check_details(
        {
            field.name: getattr(event, field.name)
            for field in dataclasses.fields(event)
            if field.name not in _COLUMNS
        }
    )
    return EventRecord(action, subject, event.purpose, details)
