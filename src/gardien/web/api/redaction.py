"""/api/v1/redact: anonymise free text before it leaves for an AI provider, and restore answers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from gardien.auth import Permission
from gardien.redact import LABELS, MAX_BATCH, RedactionResult, service
from gardien.web.api.common import Body, RuntimeDep, threaded
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
    [result] = service.redact_texts(
        runtime.store.engine, runtime.declaration, [body.text], _ask(body),
        key=lambda: runtime.vault.derived_secret(_KEY_NAME),
        actor=runtime.actor(principal), mapping=body.mapping,
    )  # fmt: skip
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
    results = service.redact_texts(
        runtime.store.engine, runtime.declaration, body.texts, _ask(body),
        key=lambda: runtime.vault.derived_secret(_KEY_NAME),
        actor=runtime.actor(principal), batch=True,
    )  # fmt: skip
    return RedactBatchOut(results=[_out(r, body.operator) for r in results])


def _ask(body: RedactIn | RedactBatchIn) -> service.RedactionAsk:
    return service.RedactionAsk(
        operator=body.operator,
        lang=body.lang,
        labels=tuple(body.labels) if body.labels is not None else None,
        recipient=body.recipient,
        purpose=body.purpose,
        keep=tuple(body.keep or ()),
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
    text = service.restore_text(
        runtime.store.engine,
        body.text,
        body.mapping,
        runtime.vault.derived_secret(_KEY_NAME),
        actor=runtime.actor(principal),
    )
    return RestoreOut(text=text)
