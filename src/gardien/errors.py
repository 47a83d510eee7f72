"""Every error gardien raises on purpose, as one tree, and the problem each one is.

Rooms raise these; only the edges translate them: the CLI prints the message
and exits with ``exit_code``, the web app answers the RFC 9457 problem
document of ``problem`` (its type, title and HTTP status). Each class says
both itself, so no edge keeps a table of class names, and a test walks every
subclass to check that it does. Each message says what was wrong and what
to change; no message carries personal data.

    GardienError                        (500) a fault of gardien itself
    ├── DeclarationError                (500) privacy.yaml cannot be read or is invalid
    │   └── DeclarationFileError        (500) the file is missing, unreadable or not YAML
    ├── RenderError                     (500) a notice or register cannot be produced
    ├── PolicyLintError                 (422) a privacy policy text cannot be read (exit 2)
    ├── SettingsError                   (500) a GARDIEN_* variable has a bad value
    ├── StoreError                      (503) the database cannot be reached or used
    ├── AuthError                       (401) an API key is missing, malformed, unknown or revoked
    │   └── StaffAccountError           (422) a staff account cannot be created or changed as asked
    │       └── PasswordRejectedError   (422) a staff password is too short, common or guessable
    ├── RedactionError                  (422) free text cannot be analysed or anonymised as asked
    │   ├── UnknownRecipientError       (422) the recipient named is not declared
    │   ├── UnknownDisclosurePurposeError (422) the purpose named is not declared
    │   ├── UndeclaredDisclosureError   (422) the purpose does not list the recipient
    │   └── OperatorNotAllowedError     (422) more than the recipient's declared form
    ├── VaultError                      (422) the vault cannot do what was asked
    │   ├── MasterKeyError              (500) the master key is missing or the wrong one
    │   ├── IdentityError               (422) an identity given is not valid
    │   ├── AttributesError             (422) attributes given are not a JSON object
    │   ├── IdentityConflictError       (409) identities belong to different subjects
    │   ├── SubjectNotFound             (404) no subject has this id or these identities
    │   ├── SubjectErasedError          (409) the subject was erased
    │   ├── DataKeyMissingError         (409) the subject's data key is gone (crypto-shredded)
    │   └── DecryptionError             (500) a ciphertext does not authenticate
    ├── ConsentError                    (422) a consent, limit or check cannot be done as asked
    │   ├── UnknownPurpose              (422) the purpose is not declared
    │   ├── NotConsentBasedError        (422) a consent choice for a purpose not based on consent
    │   ├── NotDirectMarketingError     (422) an unsubscribe link for a non-marketing purpose
    │   ├── ProofError                  (422) the proof of a choice is not acceptable
    │   ├── UnknownEventError           (404) no consent event has this id
    │   └── UnsubscribeTokenError       (422) an unsubscribe token does not verify
    ├── ConnectorError                  (500) a company datastore cannot be used as declared
    │   ├── DatastoreUnavailableError   (503) a company datastore cannot be reached (retried)
    │   └── SchemaMismatchError         (500) the live schema differs from the declaration
    ├── DemoError                       (422) gardien demo cannot build a sample company as asked
    ├── RequestError                    (422) a data-subject request cannot be made as asked
    │   ├── RequestNotFoundError        (404) no request has this id (or its token does not open it)
    │   ├── IllegalTransitionError      (409) the request's state does not allow this step
    │   ├── VerificationFailedError     (403) a wrong, expired or spent code
    │   └── RequestGoneError            (410) the request expired unverified or was withdrawn
    ├── RetentionEventError             (422) an event retention runs from cannot be recorded
    ├── AuditError                      (500) an audit entry cannot be written or read as asked
    └── JobError                        (500) a job cannot be queued, claimed or finished
        ├── PermanentJobError           (500) retrying cannot help (bad payload)
        └── LeaseLostError              (500) another worker took the job

A 5xx problem never carries the message: it may name a file, a host or a
key id that a client has no business seeing. The server logs it instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")


def shown(value: str) -> str:
    """``value`` quoted for a message when it is a plain name, else a neutral phrase.

    Messages name what the client sent so it can fix it, but a value that is not
    a name (an e-mail address put where a purpose goes) may be personal data:
    it is never echoed back, logged or stored.
    """
    if _NAME.fullmatch(value) and not re.search(r"\d{5}", value):
        return repr(value)
    return "given"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem document: its URI slug, title, HTTP status, and when it is used."""

    slug: str
    title: str
    status: int
    when: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"

    @property
    def reveals_detail(self) -> bool:
        """Whether the error's message may go to the client (never for a server fault)."""
        return self.status < 500


def _types(*kinds: ProblemType) -> dict[str, ProblemType]:
    return {kind.slug: kind for kind in kinds}


MALFORMED_REQUEST = ProblemType(
    "malformed-request",
    "The request is not well-formed",
    400,
    "the request is not HTTP/1.1 or its line and headers exceed 64 KiB; the body is not UTF-8 "
    "JSON (RFC 8259: no `NaN`, no unpaired surrogate escape) or is nested deeper than 64 levels",
)
UNAUTHENTICATED = ProblemType(
    "unauthenticated",
    "An API key is required",
    401,
    "no key, a malformed, unknown or revoked key",
)
FORBIDDEN = ProblemType(
    "forbidden",
    "This API key's role may not do this",
    403,
    "the key's role may not use this endpoint (the detail names the roles that may)",
)
NOT_FOUND = ProblemType(
    "not-found", "No such resource", 404, "unknown subject, consent event or path"
)
METHOD_NOT_ALLOWED = ProblemType(
    "method-not-allowed", "Method not allowed", 405, "the path exists, not with this method"
)
REQUEST_TIMEOUT = ProblemType(
    "request-timeout",
    "The request body stopped arriving",
    408,
    "no part of the body arrived for `GARDIEN_BODY_TIMEOUT_SECONDS` (the connection is closed)",
)
CONFLICT = ProblemType(
    "conflict",
    "The request conflicts with the current state",
    409,
    "identities that belong to different subjects; a change to an erased subject",
)
PAYLOAD_TOO_LARGE = ProblemType(
    "payload-too-large",
    "The request body is too large",
    413,
    "the body exceeds `GARDIEN_MAX_BODY_BYTES`, with a Content-Length or streamed (chunked)",
)
UNSUPPORTED_MEDIA_TYPE = ProblemType(
    "unsupported-media-type",
    "Send JSON with Content-Type application/json",
    415,
    "a body that is not JSON",
)
INVALID_REQUEST = ProblemType(
    "invalid-request",
    "The request is not valid",
    422,
    "the body does not match the schema (`errors` lists field and message, never the "
    "value sent), or a value the room refuses (the detail says which and why)",
)
UNKNOWN_PURPOSE = ProblemType(
    "unknown-purpose",
    "The purpose is not declared",
    422,
    'the purpose is not in the declaration (a check never answers "no" for it)',
)
NOT_CONSENT_BASED = ProblemType(
    "not-consent-based",
    "The purpose does not rest on consent",
    422,
    "a consent recorded for a purpose that does not rest on consent",
)
NOT_DIRECT_MARKETING = ProblemType(
    "not-direct-marketing",
    "The purpose is not direct marketing",
    422,
    "an unsubscribe link asked for a purpose not declared `direct_marketing: true`",
)
UNKNOWN_RECIPIENT = ProblemType(
    "unknown-recipient",
    "The recipient is not declared",
    422,
    "redaction for a recipient the declaration does not have",
)
UNDECLARED_DISCLOSURE = ProblemType(
    "undeclared-disclosure",
    "The purpose does not list this recipient",
    422,
    "redaction for a recipient under a purpose that does not list it",
)
OPERATOR_NOT_ALLOWED = ProblemType(
    "operator-not-allowed",
    "The operator would give the recipient more than its declared form",
    422,
    "a reversible or keyed operator, a labels filter or extra kept terms for a recipient "
    "declared to receive anonymised data (the attempt is audited)",
)
TOO_MANY_REQUESTS = ProblemType(
    "too-many-requests",
    "Too many failed authentications",
    429,
    "too many failed keys from this address or with this key prefix (`Retry-After`); a valid "
    "key is never refused",
)
VERIFICATION_FAILED = ProblemType(
    "verification-failed",
    "The verification code was not accepted",
    403,
    "a data-subject request's code is wrong, expired or spent (after 5 wrong attempts); the "
    "detail says what to do next (ask for a new code with `resend`), never whether anyone exists",
)
GONE = ProblemType(
    "gone",
    "The request is closed",
    410,
    "a data-subject request that expired unverified, or was withdrawn: make a new request",
)
TOO_MANY_SUBMISSIONS = ProblemType(
    "too-many-submissions",
    "Too many requests from this address",
    429,
    "more data-subject requests or verification attempts from one address than "
    "`GARDIEN_REQUEST_INTAKE_LIMIT` or `GARDIEN_REQUEST_VERIFY_LIMIT` allow per hour "
    "(`Retry-After`); more cookie-banner choices than `GARDIEN_BANNER_CHOICE_LIMIT` allows "
    "per minute",
)
INTERNAL_ERROR = ProblemType(
    "internal-error",
    "Internal error",
    500,
    "a server fault; no exception text is ever returned (the server logs it)",
)
UNAVAILABLE = ProblemType(
    "unavailable",
    "The service is not available",
    503,
    "the store cannot be reached, or `GARDIEN_MAX_CONNECTIONS` connections are open; retry "
    "later (`Retry-After`)",
)
ORIGIN_NOT_ALLOWED = ProblemType(
    "origin-not-allowed",
    "This site may not record cookie choices",
    403,
    "a cookie-banner choice sent from a site that `banner.origins` (else `controller.website`) "
    "does not name, or without an `Origin` header",
)

#: Every problem type the API answers with; ``docs/api.md`` lists them (a test keeps both in step).
PROBLEM_TYPES: dict[str, ProblemType] = _types(
    MALFORMED_REQUEST,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    REQUEST_TIMEOUT,
    CONFLICT,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    INVALID_REQUEST,
    UNKNOWN_PURPOSE,
    NOT_CONSENT_BASED,
    NOT_DIRECT_MARKETING,
    UNKNOWN_RECIPIENT,
    UNDECLARED_DISCLOSURE,
    OPERATOR_NOT_ALLOWED,
    TOO_MANY_REQUESTS,
    VERIFICATION_FAILED,
    GONE,
    TOO_MANY_SUBMISSIONS,
    INTERNAL_ERROR,
    UNAVAILABLE,
    ORIGIN_NOT_ALLOWED,
)


class GardienError(Exception):
    """Base of every error gardien raises on purpose.

    Every subclass sets ``problem`` in its own body (a test checks it): which
    problem document the API answers with when it escapes a room.
    """

    exit_code: ClassVar[int] = 1
    problem: ClassVar[ProblemType] = INTERNAL_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# The declaration -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem found in a declaration, located in its source file."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class DeclarationError(GardienError):
    """The declaration is invalid; ``problems`` lists every error at once.

    A server refuses to start on one, so a client never causes it: 500.
    """

    problem = INTERNAL_ERROR

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DeclarationFileError(DeclarationError):
    """The declaration file is missing, unreadable, or not valid YAML."""

    problem = INTERNAL_ERROR

    def __init__(self, file: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__([Problem(file, line, column, message)])


class RenderError(GardienError):
    """A notice or a register cannot be produced as asked (never the client's fault)."""

    problem = INTERNAL_ERROR


class PolicyLintError(GardienError):
    """A privacy policy text cannot be read."""

    exit_code = 2
    problem = INVALID_REQUEST


class SettingsError(GardienError):
    """A setting has a value gardien cannot use: the operator's to fix, never the client's."""

    problem = INTERNAL_ERROR


class StoreError(GardienError):
    """gardien's store cannot be reached or is not in the expected state."""

    problem = UNAVAILABLE


class AuthError(GardienError):
    """An API key is missing, malformed, unknown or revoked."""

    problem = UNAUTHENTICATED


class StaffAccountError(AuthError):
    """A staff account of the console cannot be created or changed as asked (an e-mail
    taken or not valid, an unknown account, a role staff cannot have)."""

    problem = INVALID_REQUEST


class PasswordRejectedError(StaffAccountError):
    """A staff password is refused: too short, too long, common or guessable."""

    problem = INVALID_REQUEST


# Redaction --------------------------------------------------------------------------


class RedactionError(GardienError):
    """Free text cannot be analysed or anonymised as asked."""

    problem = INVALID_REQUEST


class UnknownRecipientError(RedactionError):
    """The recipient named is not declared."""

    problem = UNKNOWN_RECIPIENT


class UnknownDisclosurePurposeError(RedactionError):
    """The purpose named for a disclosure is not declared."""

    problem = UNKNOWN_PURPOSE


class UndeclaredDisclosureError(RedactionError):
    """The purpose does not list the recipient: the notice does not announce this disclosure."""

    problem = UNDECLARED_DISCLOSURE


class OperatorNotAllowedError(RedactionError):
    """The operator, or a labels filter, would give the recipient more than its declared form."""

    problem = OPERATOR_NOT_ALLOWED


# The vault (messages never carry an identity's value or key material) --------------


class VaultError(GardienError):
    """The vault cannot do what was asked."""

    problem = INVALID_REQUEST


class MasterKeyError(VaultError):
    """The master key is missing, unreadable, badly encoded, or not the one in use.

    The server's misconfiguration, never the client's: 500.
    """

    problem = INTERNAL_ERROR


class IdentityError(VaultError):
    """An identity given to the vault is not valid; nothing was written."""

    problem = INVALID_REQUEST


class AttributesError(VaultError):
    """Attributes given to the vault are not a JSON object; nothing was written."""

    problem = INVALID_REQUEST


class IdentityConflictError(VaultError):
    """Identities given together belong to different subjects."""

    problem = CONFLICT


# The name without "Error" is the one the API layer was promised (the project's issue).
class SubjectNotFound(VaultError):  # noqa: N818
    """No subject has this id, or these identities."""

    problem = NOT_FOUND


class SubjectErasedError(VaultError):
    """The subject was erased: it can be read (as a tombstone) but not changed."""

    problem = CONFLICT


class DataKeyMissingError(VaultError):
    """The subject's data key is not in the key store: its data can never be decrypted.

    This is what crypto-shredding looks like from the reading side: a subject
    restored from a backup taken before its erasure, or whose erasure was
    interrupted after the key was deleted.
    """

    problem = CONFLICT


class DecryptionError(VaultError):
    """A ciphertext does not authenticate: altered, or bound to another subject or field.

    Tampering or a wrong key on the server's side, never the client's: 500.
    """

    problem = INTERNAL_ERROR


# Consent ----------------------------------------------------------------------------


class ConsentError(GardienError):
    """A consent, a processing limit or a check cannot be done as asked."""

    problem = INVALID_REQUEST


class UnknownPurpose(ConsentError):  # noqa: N818 (the name the API contract uses)
    """The purpose asked for is not declared; a caller mistake, never a "no"."""

    problem = UNKNOWN_PURPOSE

    def __init__(self, purpose: str, known: tuple[str, ...]) -> None:
        self.purpose = purpose
        listed = ", ".join(sorted(known)) or "none"
        super().__init__(
            f"the purpose {shown(purpose)} is not in the declaration: use one of "
            f"{listed}, or declare it under `purposes` in privacy.yaml"
        )


class NotConsentBasedError(ConsentError):
    """A consent choice was recorded for a purpose whose legal basis is not consent."""

    problem = NOT_CONSENT_BASED


class NotDirectMarketingError(ConsentError):
    """An unsubscribe link was asked for a purpose that is not direct marketing."""

    problem = NOT_DIRECT_MARKETING


class ProofError(ConsentError):
    """The proof attached to a choice is not acceptable (too large, a raw IP, free text)."""

    problem = INVALID_REQUEST


class UnknownEventError(ConsentError):
    """No consent event has the id asked for."""

    problem = NOT_FOUND


class UnsubscribeTokenError(ConsentError):
    """An unsubscribe token does not verify: altered, truncated, or signed with another secret."""

    problem = INVALID_REQUEST


# The company's datastores ---------------------------------------------------------


class ConnectorError(GardienError):
    """A company datastore cannot be used as the declaration says (the operator's to fix)."""

    problem = INTERNAL_ERROR


class DatastoreUnavailableError(ConnectorError):
    """A company datastore cannot be reached right now: the work waits and is retried."""

    problem = UNAVAILABLE


class SchemaMismatchError(ConnectorError):
    """A table or column the declaration names is not in the live database."""

    problem = INTERNAL_ERROR


# Demo companies ---------------------------------------------------------------------


class DemoError(GardienError):
    """A sample company cannot be built as asked: an unknown company, a directory or a
    database already in use, a database URL that cannot be reached.

    Only ``gardien demo`` raises it, on the operator's input; nothing was written.
    """

    problem = INVALID_REQUEST


# Data-subject requests --------------------------------------------------------------


class RequestError(GardienError):
    """A data-subject request cannot be made or changed as asked (bad type, details,
    identities); nothing was written."""

    problem = INVALID_REQUEST


class RequestNotFoundError(RequestError):
    """No request has this id, or the status token given does not open it.

    Both are answered alike, so that a token cannot be tested against ids.
    """

    problem = NOT_FOUND


class IllegalTransitionError(RequestError):
    """The request's state does not allow this step (e.g. approving one not verified)."""

    problem = CONFLICT


class VerificationFailedError(RequestError):
    """A verification code is wrong, expired, or spent; the message says what to do next.

    ``why`` (``wrong``, ``expired``, ``spent``) and ``attempts_left`` let a page say it
    in the person's language."""

    problem = VERIFICATION_FAILED

    def __init__(self, message: str, *, why: str = "wrong", attempts_left: int = 0) -> None:
        super().__init__(message)
        self.why = why
        self.attempts_left = attempts_left


class RequestGoneError(RequestError):
    """The request expired before it was verified, or was withdrawn: nothing more to do."""

    problem = GONE


# Retention -------------------------------------------------------------------------


class RetentionEventError(GardienError):
    """An event cannot be recorded as asked (an event gardien is not told about, or that
    no binding runs from; no identity a bound collection is searched by; a time in the
    future); nothing was written."""

    problem = INVALID_REQUEST


# Audit and jobs ---------------------------------------------------------------------


class AuditError(GardienError):
    """An audit entry cannot be written or read as asked.

    Raised, for instance, when an event's details look personal (an e-mail
    address, a phone or card number): the audit trail must hold none in clear.
    That is gardien's fault, never the client's: 500.
    """

    problem = INTERNAL_ERROR


class JobError(GardienError):
    """A job cannot be queued, claimed, run or finished as asked."""

    problem = INTERNAL_ERROR


class PermanentJobError(JobError):
    """Raised by a handler when retrying cannot help: the job fails at once."""

    problem = INTERNAL_ERROR


class LeaseLostError(JobError):
    """This worker no longer holds the job: its lease expired and it may run elsewhere."""

    problem = INTERNAL_ERROR
