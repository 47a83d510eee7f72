"""Redaction as a declared disclosure: the declaration's rules before the work, the audit after.

Both edges ask the same questions before any text is read: are the terms to
keep acceptable, is a purpose named without its recipient, may this
recipient receive what this operator gives (``disclosure.py``)? ``plan``
answers them once, for the CLI and the API alike. ``redact_texts`` is the
API's whole call: the plan, the redaction, and the audit entry (a
``text.redact`` naming operator, recipient and purpose; or, when the
declaration refuses the disclosure, a ``text.disclosure_refused`` that the
DPO can look for, committed even though the call fails). ``restore_text``
puts values back and records ``text.restore``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from gardien.audit import Actor, DisclosureRefused, TextRedacted, TextRestored
from gardien.declaration.models import Declaration
from gardien.errors import (
    OperatorNotAllowedError,
    RedactionError,
    UndeclaredDisclosureError,
    UnknownDisclosurePurposeError,
    UnknownRecipientError,
)
from gardien.redact.disclosure import Disclosure, check_disclosure
from gardien.redact.engine import RedactionResult, redact, redact_batch
from gardien.redact.keep import check_terms
from gardien.redact.restore import restore

#: The refusals of a disclosure the declaration does not allow: each is audited as an attempt.
DISCLOSURE_REFUSALS = (
    UnknownRecipientError,
    UnknownDisclosurePurposeError,
    UndeclaredDisclosureError,
    OperatorNotAllowedError,
)
#: Operators that need the vault's key (stable pseudonyms, restorable placeholders).
KEYED_OPERATORS = frozenset({"pseudonymize", "reversible"})


@dataclass(frozen=True)
class RedactionAsk:
    """What a caller asks for, besides the text itself."""

    operator: str = "placeholder"
    lang: str = "auto"
    labels: tuple[str, ...] | None = None
    recipient: str | None = None
    purpose: str | None = None
    #: Terms the caller adds to the declaration's ``redaction.keep``.
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedactionPlan:
    """A redaction the declaration allows: the terms kept, and the disclosure if any."""

    keep: tuple[str, ...]
    disclosure: Disclosure | None


def plan(declaration: Declaration | None, ask: RedactionAsk) -> RedactionPlan:
    """Refuse, before any text is read, a redaction the declaration does not allow.

    ``declaration`` may be None only when no recipient is named (the CLI
    redacting a file for nobody in particular).
    """
    check_terms(ask.keep)
    if ask.recipient is None:
        if ask.purpose is not None:
            raise RedactionError(
                "a purpose is checked against a recipient: name the recipient as well "
                "(recipient, --recipient), or leave the purpose out"
            )
        declared = declaration.redaction.keep if declaration is not None else ()
        return RedactionPlan(keep=declared + ask.keep, disclosure=None)
    if declaration is None:
        raise RedactionError("a recipient is checked against a declaration: give one")
    disclosure = check_disclosure(
        declaration, ask.recipient, ask.purpose, ask.operator, ask.labels, ask.keep
    )
    return RedactionPlan(keep=declaration.redaction.keep + ask.keep, disclosure=disclosure)


def redact_texts(
    engine: Engine,
    declaration: Declaration,
    texts: Sequence[str],
    ask: RedactionAsk,
    *,
    key: Callable[[], bytes],
    actor: Actor,
    mapping: str | None = None,
    batch: bool = False,
) -> list[RedactionResult]:
    """Redact ``texts`` as ``ask`` says, if the declaration allows it; audited either way.

    ``key`` gives the vault's redaction key, asked for only by a keyed
    operator. ``batch`` treats each text as its own document (numbered and
    mapped apart); otherwise ``texts`` holds one text, continuing ``mapping``.
    """
    try:
        allowed = plan(declaration, ask)
    except DISCLOSURE_REFUSALS as refusal:
        with engine.begin() as conn:
            actor.record(conn, _refused(declaration, ask, refusal))
        raise
    secret = key() if ask.operator in KEYED_OPERATORS else None
    if batch:
        results = redact_batch(
            list(texts), lang=ask.lang, operator=ask.operator, key=secret,
            labels=ask.labels, keep=allowed.keep,
        )  # fmt: skip
    else:
        [text] = texts
        results = [
            redact(
                text, lang=ask.lang, operator=ask.operator, key=secret,
                labels=ask.labels, mapping=mapping, keep=allowed.keep,
            )
        ]  # fmt: skip
    labels = tuple(sorted({span.label for result in results for span in result.spans}))
    count = sum(len(result.spans) for result in results)
    disclosure = allowed.disclosure
    with engine.begin() as conn:
        actor.record(
            conn,
            TextRedacted(
                labels=labels,
                count=count,
                texts=len(results),
                operator=ask.operator,
                recipient=disclosure.recipient if disclosure else None,
                purpose=disclosure.purpose if disclosure else None,
                recipient_receives=disclosure.form.value if disclosure else None,
            ),
        )
    return results


def _refused(
    declaration: Declaration, ask: RedactionAsk, refusal: RedactionError
) -> DisclosureRefused:
    """The audit event of a refused disclosure: only names the declaration has.

    A recipient or purpose that is not declared is not recorded (it could be
    anything a client typed, an e-mail address included): the refusal's type
    says it was unknown.
    """
    recipient = declaration.recipients.get(ask.recipient or "")
    purpose_known = ask.purpose is not None and ask.purpose in declaration.purposes
    return DisclosureRefused(
        recipient=None
        if isinstance(refusal, UnknownRecipientError) or recipient is None
        else ask.recipient,
        purpose=None
        if isinstance(refusal, UnknownDisclosurePurposeError) or not purpose_known
        else ask.purpose,
        operator=ask.operator,
        refusal=refusal.problem.slug,
        recipient_receives=recipient.receives.value if recipient is not None else None,
    )


def restore_text(engine: Engine, text: str, mapping: str, key: bytes, *, actor: Actor) -> str:
    """Put the original values back into an AI provider's answer; audited as ``text.restore``."""
    restored = restore(text, mapping, key)
    with engine.begin() as conn:
        actor.record(conn, TextRestored())
    return restored
