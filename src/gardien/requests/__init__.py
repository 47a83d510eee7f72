"""The requests room: data-subject requests from intake to decision (GDPR Art. 12, 15–22).

It owns the ``requests`` table and its timeline, the states a request moves
through and the only function that moves it (``states.transition``), the
deadlines of Art. 12(3), intake (public or by an agent) with per-type
details, verification by an e-mailed code, staff decisions, post-mortem
directives, and the contract the executor works to (``records``): an
``ExecutionOrder`` for an approved request, and the marks of its progress.

Nothing personal is stored in clear: identities and details are sealed under
a vault secret bound to the request, the e-mail is a blind index, codes and
status tokens are hashes. An unknown person is answered exactly like a known
one: the vault is asked only after the e-mail is proven.
"""

from __future__ import annotations

from gardien.errors import (
    IllegalTransitionError,
    RequestError,
    RequestGoneError,
    RequestNotFoundError,
    VerificationFailedError,
)
from gardien.requests.answers import Receipt, Status
from gardien.requests.deadlines import (
    QueueEntry,
    due_date,
    due_soon,
    extended_due,
    extension_bound,
    overdue,
    queue,
)
from gardien.requests.decisions import (
    REQUEST_EXECUTE,
    Mailing,
    RequestDetail,
    approve,
    extend,
    list_requests,
    reject,
    request_detail,
)
from gardien.requests.directives import release, retrieve, verify_retrieval
from gardien.requests.identities import RequestIdentities
from gardien.requests.intake import AgentVerification, CodePolicy, Submission, submit
from gardien.requests.mailing import REQUEST_NOTIFY, PersonMessage, notify_handler
from gardien.requests.records import (
    ExecutionOrder,
    execution_order,
    mark_blocked,
    mark_completed,
    mark_in_progress,
    shred_identities,
)
from gardien.requests.states import NEXT_STEP, TRANSITIONS, check_transition, transition
from gardien.requests.verification import (
    Verification,
    expire_unverified,
    resend,
    status,
    verify,
    withdraw,
)
from gardien.requests.vocabulary import (
    FINAL_STATES,
    OPEN_STATES,
    TYPE_ARTICLES,
    Language,
    RequestChannel,
    RequestState,
    RequestType,
    RestrictionGround,
    VerificationMethod,
)

__all__ = [
    "FINAL_STATES",
    "NEXT_STEP",
    "OPEN_STATES",
    "REQUEST_EXECUTE",
    "REQUEST_NOTIFY",
    "TRANSITIONS",
    "TYPE_ARTICLES",
    "AgentVerification",
    "CodePolicy",
    "ExecutionOrder",
    "IllegalTransitionError",
    "Language",
    "Mailing",
    "PersonMessage",
    "QueueEntry",
    "Receipt",
    "RequestChannel",
    "RequestDetail",
    "RequestError",
    "RequestGoneError",
    "RequestIdentities",
    "RequestNotFoundError",
    "RequestState",
    "RequestType",
    "RestrictionGround",
    "Status",
    "Submission",
    "Verification",
    "VerificationFailedError",
    "VerificationMethod",
    "approve",
    "check_transition",
    "due_date",
    "due_soon",
    "execution_order",
    "expire_unverified",
    "extend",
    "extended_due",
    "extension_bound",
    "list_requests",
    "mark_blocked",
    "mark_completed",
    "mark_in_progress",
    "notify_handler",
    "overdue",
    "queue",
    "reject",
    "release",
    "request_detail",
    "resend",
    "retrieve",
    "shred_identities",
    "status",
    "submit",
    "transition",
    "verify",
    "verify_retrieval",
    "withdraw",
]
