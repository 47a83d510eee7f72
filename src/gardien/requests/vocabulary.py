"""The words of the requests room: request types, states, channels, verification methods.

Closed lists as ``StrEnum``s, shared by the tables (check constraints), the
API (schemas), the CLI and the executor. ``TYPE_ARTICLES`` says which article
of the GDPR (or of the French loi Informatique et Libertés) each type
exercises; ``docs/requests.md`` lists them and a test keeps both in step.
"""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    ACCESS = "access"
    PORTABILITY = "portability"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    WITHDRAWAL = "withdrawal"
    POST_MORTEM = "post_mortem"


class RequestState(StrEnum):
    RECEIVED = "received"
    AWAITING_VERIFICATION = "awaiting_verification"
    VERIFIED = "verified"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class RequestChannel(StrEnum):
    """How a request arrived: the person themself (no key), or staff with an API key."""

    PUBLIC = "public"
    AGENT = "agent"


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class VerificationMethod(StrEnum):
    """How the person's identity was verified; all but ``email_code`` are staff's record."""

    EMAIL_CODE = "email_code"
    ID_DOCUMENT = "id_document"
    ACCOUNT_LOGIN = "account_login"
    IN_PERSON = "in_person"
    POSTAL_MAIL = "postal_mail"


class RestrictionGround(StrEnum):
    """Art. 18(1) (a) to (d): why processing is to be restricted."""

    ACCURACY_CONTESTED = "accuracy_contested"  # (a) while the accuracy is checked
    UNLAWFUL_PROCESSING = "unlawful_processing"  # (b) erasure opposed, restriction asked
    NEEDED_FOR_CLAIMS = "needed_for_claims"  # (c) the person needs the data for a claim
    OBJECTION_PENDING = "objection_pending"  # (d) while an objection is weighed


#: The article each type of request exercises.
TYPE_ARTICLES: dict[RequestType, str] = {
    RequestType.ACCESS: "GDPR Art. 15",
    RequestType.RECTIFICATION: "GDPR Art. 16",
    RequestType.ERASURE: "GDPR Art. 17",
    RequestType.RESTRICTION: "GDPR Art. 18",
    RequestType.PORTABILITY: "GDPR Art. 20",
    RequestType.OBJECTION: "GDPR Art. 21",
    RequestType.WITHDRAWAL: "GDPR Art. 7(3)",
    RequestType.POST_MORTEM: "loi Informatique et Libertés art. 85",
}

#: States a request never leaves.
FINAL_STATES = frozenset(
    {
        RequestState.COMPLETED,
        RequestState.REJECTED,
        RequestState.WITHDRAWN,
        RequestState.EXPIRED,
    }
)
#: States in which a request is still to be answered (the deadline runs).
OPEN_STATES = frozenset(RequestState) - FINAL_STATES
