"""The consent room: append-only consent ledger, current state, limits, and the check.

    >>> event = record_consent(conn, declaration, subject_id, "newsletter", "given",
    ...                        channel="web", proof=Proof.collect("checkbox"))
    >>> check(conn, declaration, subject_id, "newsletter", gpc=False).allowed
    True

It owns ``consent_events`` (the ledger, insert-only), ``consent_state`` (the
latest event per subject and purpose, upserted in the same transaction) and
``processing_limits`` (Art. 18 restrictions, Art. 21 objections). Every
function that writes takes a ``Connection`` in a transaction the caller
controls, so the caller's audit entry commits or rolls back with it.
Subjects are the vault's opaque ids; this room never sees personal data.
"""

from __future__ import annotations

from gardien.consent.agreed import AgreedWording, agreed_wording
from gardien.consent.decision import Decision, Explanation, Operation, check, decide
from gardien.consent.expiry import expire_due
from gardien.consent.ledger import (
    CheckedChoice,
    ConsentEvent,
    ConsentState,
    EventKind,
    check_choice,
    current_state,
    event_by_public_id,
    get_event,
    history,
    record_consent,
    states,
)
from gardien.consent.lifetime import (
    COOKIE_CONSENT_CAP,
    DEFAULT_CHOICE_LIFETIME,
    choice_expires_at,
    choice_lifetime,
)
from gardien.consent.limits import (
    LimitKind,
    ProcessingLimit,
    active_limits,
    lift_limit,
    lift_restriction,
    record_objection,
    record_restriction,
)
from gardien.consent.overview import Choice, ConsentOverview, consent_overview, needs_renewal
from gardien.consent.policy import ConsentPolicy, PurposePolicy, policy_for, wording_hash
from gardien.consent.proof import Channel, CollectionMethod, Proof
from gardien.consent.receipt import receipt, receipt_in_force
from gardien.consent.renewal import (
    RENEWAL_JOB,
    Enqueue,
    consents_needing_renewal,
    queue_renewals,
)
from gardien.consent.unsubscribe import (
    UnsubscribeClaim,
    UnsubscribeLink,
    object_to_marketing,
    read_unsubscribe_token,
    unsubscribe,
    unsubscribe_headers,
    unsubscribe_link,
    unsubscribe_token,
)
from gardien.errors import (
    ConsentError,
    NotConsentBasedError,
    NotDirectMarketingError,
    ProofError,
    UnknownEventError,
    UnknownPurpose,
    UnsubscribeTokenError,
)

__all__ = [
    "COOKIE_CONSENT_CAP",
    "DEFAULT_CHOICE_LIFETIME",
    "RENEWAL_JOB",
    "AgreedWording",
    "Channel",
    "CheckedChoice",
    "Choice",
    "CollectionMethod",
    "ConsentError",
    "ConsentEvent",
    "ConsentOverview",
    "ConsentPolicy",
    "ConsentState",
    "Decision",
    "Enqueue",
    "EventKind",
    "Explanation",
    "LimitKind",
    "NotConsentBasedError",
    "NotDirectMarketingError",
    "Operation",
    "ProcessingLimit",
    "Proof",
    "ProofError",
    "PurposePolicy",
    "UnknownEventError",
    "UnknownPurpose",
    "UnsubscribeClaim",
    "UnsubscribeLink",
    "UnsubscribeTokenError",
    "active_limits",
    "agreed_wording",
    "check",
    "check_choice",
    "choice_expires_at",
    "choice_lifetime",
    "consent_overview",
    "consents_needing_renewal",
    "current_state",
    "decide",
    "event_by_public_id",
    "expire_due",
    "get_event",
    "history",
    "lift_limit",
    "lift_restriction",
    "needs_renewal",
    "object_to_marketing",
    "policy_for",
    "queue_renewals",
    "read_unsubscribe_token",
    "receipt",
    "receipt_in_force",
    "record_consent",
    "record_objection",
    "record_restriction",
    "states",
    "unsubscribe",
    "unsubscribe_headers",
    "unsubscribe_link",
    "unsubscribe_token",
    "wording_hash",
]
