"""The audit room: a hash-chained, append-only trail of every access to personal data.

Owns the ``audit_log`` table, the typed events, the chain and its
verification. Entries hold blind ids, purposes and non-personal details,
never personal data in clear.

    >>> with store.engine.begin() as conn:
    ...     change_something(conn)
    ...     append(conn, SubjectRead(subject_blind_id="s_4f2a", purpose="support"),
    ...            actor="gk_1a2b3c", role="support", declaration_version=version)
    >>> verify(store).ok
    True
"""

from __future__ import annotations

from gardien.audit.access import export, read_page
from gardien.audit.actor import SUBJECT_NAME, WORKER_NAME, Actor
from gardien.audit.chain import GENESIS_HASH, AuditEntry, canonical_json
from gardien.audit.events import (
    EVENT_TYPES,
    AuditEvent,
    AuditExported,
    AuditRead,
    ConsentRecorded,
    ConsentsExpired,
    ConsentsRead,
    DeclarationApplied,
    DisclosureRefused,
    EventRecord,
    IdentityChanged,
    KeyCreated,
    KeyRevoked,
    LimitLifted,
    LimitRecorded,
    MasterKeyRotated,
    OrphanKeysPurged,
    PackageDownloaded,
    PackagesPurged,
    ProcessingChecked,
    RecipientNoticeAttempted,
    RequestStepDone,
    RetentionBatchSwept,
    RetentionEventRecorded,
    RetentionSweepHeld,
    SubjectCreated,
    SubjectErased,
    SubjectNotified,
    SubjectRead,
    SubjectUpdated,
    TextRedacted,
    TextRestored,
    UnsubscribeLinkIssued,
    event_record,
)
from gardien.audit.guard import PublicId, personal_reason
from gardien.audit.log import MAX_PAGE, append, entries, export_jsonl, iter_entries
from gardien.audit.tables import audit_log
from gardien.audit.verify import ChainFault, Checkpoint, VerifyResult, verify
from gardien.errors import AuditError

__all__ = [
    "EVENT_TYPES",
    "GENESIS_HASH",
    "MAX_PAGE",
    "SUBJECT_NAME",
    "WORKER_NAME",
    "Actor",
    "AuditEntry",
    "AuditError",
    "AuditEvent",
    "AuditExported",
    "AuditRead",
    "ChainFault",
    "Checkpoint",
    "ConsentRecorded",
    "ConsentsExpired",
    "ConsentsRead",
    "DeclarationApplied",
    "DisclosureRefused",
    "EventRecord",
    "IdentityChanged",
    "KeyCreated",
    "KeyRevoked",
    "LimitLifted",
    "LimitRecorded",
    "MasterKeyRotated",
    "OrphanKeysPurged",
    "PackageDownloaded",
    "PackagesPurged",
    "ProcessingChecked",
    "PublicId",
    "RecipientNoticeAttempted",
    "RequestStepDone",
    "RetentionBatchSwept",
    "RetentionEventRecorded",
    "RetentionSweepHeld",
    "SubjectCreated",
    "SubjectErased",
    "SubjectNotified",
    "SubjectRead",
    "SubjectUpdated",
    "TextRedacted",
    "TextRestored",
    "UnsubscribeLinkIssued",
    "VerifyResult",
    "append",
    "audit_log",
    "canonical_json",
    "entries",
    "event_record",
    "export",
    "export_jsonl",
    "iter_entries",
    "personal_reason",
    "read_page",
    "verify",
]
