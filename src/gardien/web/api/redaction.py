"""/api/v1/redact: anonymise free text before it leaves for an AI provider, and restore answers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from gardien.audit import TextRedacted, TextRestored
from gardien.auth import Permission
from gardien.errors import RedactionError
from gardien.redact import LABELS, MAX_BATCH, RedactionResult, redact, redact_batch, restore
from gardien.redact.disclosure import Disclosure, check_disclosure
from gardien.web.api.common import Body, RuntimeDep, audit, audited_transaction, threaded
from gardien.web.runtime import Runtime
from gardien.web.security import Principal, require

router = APIRouter(prefix="/redact", tags=["redaction"])
Operator = Literal["placeholder", "mask", "redact", "pseudonymize", "reversible"]
_KEY_NAME = "redaction"
_NAME = r"^[A-Za-z0-9_.-]{1,64}$"
_RECIPIENT = Field(
    default=None,
    pattern=_NAME,
    description="The declared recipient the text is for (e.g. the AI provider). gardien "
    "refuses an operator that gives it more than its declared form (`receives`), and the "
    "audit entry names it.",
)
_KEEP = Field(
    default=None,
    max_length=1000,
    description="Product, service and brand names never redacted, besides those "
    "privacy.yaml declares under redaction.keep; refused for a recipient declared to "
    "receive anonymised or pseudonymised data.",
)
_PURPOSE = Field(
    default=None,
    pattern=_NAME,
    description="With recipient: the declared purpose the text is sent under; it must "
    "list the recipient.",
)


class RedactIn(Body):
    text: str = Field(max_length=200_000)
    lang: Literal["auto", "fr", "en"] = "auto"
    operator: Operator = "placeholder"
    labels: list[Literal[LABELS]] | None = Field(  # type: ignore[valid-type]
        default=None, description="Only these labels; all by default."
    )
    mapping: str | None = Field(
        default=None,
        max_length=2_000_000,
        description="With operator reversible: the mapping of an earlier call, so that the "
        "same values get the same placeholders across a conversation.",
    )
    recipient: str | None = _RECIPIENT
    purpose: str | None = _PURPOSE
    keep: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = _KEEP


class Entity(BaseModel):
    start: int
    end: int
    label: str


class RedactOut(BaseModel):
    text: str
    entities: list[Entity]
    mapping: str | None = Field(
        description="operator reversible only: sealed with a key that never leaves gardien; "
        "send it back to /redact/restore with the provider's answer."
    )


class RedactBatchIn(Body):
    texts: list[Annotated[str, Field(max_length=200_000)]] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description="Independent texts (rows, feedback entries): each is its own document.",
    )
    lang: Literal["auto", "fr", "en"] = Field(
        default="auto", description="The language of every text; auto: each its own."
    )
    operator: Operator = "placeholder"
    labels: list[Literal[LABELS]] | None = Field(  # type: ignore[valid-type]
        default=None, description="Only these labels; all by default."
    )
    recipient: str | None = _RECIPIENT
    purpose: str | None = _PURPOSE
    keep: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = _KEEP


class RedactBatchOut(BaseModel):
    results: list[RedactOut]


class RestoreIn(Body):
    text: str = Field(max_length=200_000)
    mapping: str = Field(min_length=1, max_length=2_000_000)


class RestoreOut(BaseModel):
    text: str


@router.post("")
@threaded
def redact_text(
    body: RedactIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REDACT))],
) -> RedactOut:
    """Replace names, e-mails, phones, addresses, IBANs, card and ID numbers… in ``text``.

    The keyed operators (pseudonymize, reversible) use a key kept in gardien's
    vault: pseudonyms are stable across calls, and only gardien can restore.
    """
    disclosure = _disclosure(runtime, body)
    keyed = body.operator in ("pseudonymize", "reversible")
    key = runtime.vault.derived_secret(_KEY_NAME) if keyed else None
    result = redact(
        body.text, lang=body.lang, operator=body.operator, key=key,
        labels=body.labels, mapping=body.mapping, keep=_keep(runtime, body),
    )  # fmt: skip
    found = tuple(sorted({span.label for span in result.spans}))
    with audited_transaction(runtime) as conn:
        event = _redacted_event(found, len(result.spans), 1, body.operator, disclosure)
        audit(conn, runtime, principal, event)
    return _out(result, body.operator)


@router.post("/batch")
@threaded
def redact_texts(
    body: RedactBatchIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REDACT))],
) -> RedactBatchOut:
    """Redact up to 1,000 independent texts in one call, several times faster
    than one call each (the NER model runs them in batches).

    Placeholders are numbered per text and each ``reversible`` result has its
    own mapping; ``pseudonymize`` gives a value the same pseudonym everywhere.
    """
    disclosure = _disclosure(runtime, body)
    keyed = body.operator in ("pseudonymize", "reversible")
    key = runtime.vault.derived_secret(_KEY_NAME) if keyed else None
    results = redact_batch(
        body.texts, lang=body.lang, operator=body.operator, key=key,
        labels=body.labels, keep=_keep(runtime, body),
    )  # fmt: skip
    found = tuple(sorted({span.label for r in results for span in r.spans}))
    count = sum(len(r.spans) for r in results)
    with audited_transaction(runtime) as conn:
        event = _redacted_event(found, count, len(results), body.operator, disclosure)
        audit(conn, runtime, principal, event)
    return RedactBatchOut(results=[_out(r, body.operator) for r in results])


def _disclosure(runtime: Runtime, body: RedactIn | RedactBatchIn) -> Disclosure | None:
    if body.recipient is None:
        if body.purpose is not None:
            raise RedactionError(
                "purpose is checked against a recipient: give `recipient` as well, "
                "or drop `purpose`"
            )
        return None
    return check_disclosure(
        runtime.declaration, body.recipient, body.purpose, body.operator, body.labels,
        body.keep or (),
    )  # fmt: skip


def _keep(runtime: Runtime, body: RedactIn | RedactBatchIn) -> tuple[str, ...]:
    """The declaration's terms to keep, plus the call's own."""
    return runtime.declaration.redaction.keep + tuple(body.keep or ())


def _redacted_event(
    labels: tuple[str, ...],
    count: int,
    texts: int,
    operator: str,
    disclosure: Disclosure | None,
) -> TextRedacted:
    if disclosure is None:
        return TextRedacted(labels=labels, count=count, texts=texts, operator=operator)
    return TextRedacted(
        labels=labels,
        count=count,
        texts=texts,
        operator=operator,
        recipient=disclosure.recipient,
        purpose=disclosure.purpose,
        recipient_receives=disclosure.form.value,
    )


def _out(result: RedactionResult, operator: str) -> RedactOut:
    return RedactOut(
        text=result.text,
        entities=[Entity(start=s.start, end=s.end, label=s.label) for s in result.spans],
        mapping=result.mapping if operator == "reversible" else None,
    )


@router.post("/restore")
@threaded
def restore_text(
    body: RestoreIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REDACT))],
) -> RestoreOut:
    """Put the original values back into an AI provider's answer."""
    text = restore(body.text, body.mapping, runtime.vault.derived_secret(_KEY_NAME))
    with audited_transaction(runtime) as conn:
        audit(conn, runtime, principal, TextRestored())
    return RestoreOut(text=text)
