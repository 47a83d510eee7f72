"""Consent receipts (Kantara Initiative Consent Receipt v1.1) for any ledger event.

A receipt is what the person can keep: who the controller is, which purpose,
which data, who receives it, until when, and how the choice was collected.
The subject id stands for the person (``piiPrincipalId``), never an e-mail:
the receipt itself must not become a copy of personal data.

Fields the Kantara schema has no place for (the kind of event, the wording
hash, the declaration version) go under ``"gardien"``; the schema allows
extra members.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from sqlalchemy import Connection

from gardien.audit import Actor, ConsentsRead
from gardien.consent.ledger import ConsentEvent, EventKind, event_by_public_id, get_event
from gardien.consent.policy import LANGUAGES, wording_hash
from gardien.consent.proof import describe_method
from gardien.declaration import Declaration
from gardien.declaration.models import LegalBasis, Purpose, RecipientRole, RetentionRule
from gardien.declaration.values import in_lang
from gardien.errors import ConsentError
from gardien.store import stored_declaration

RECEIPT_VERSION: Final = "KI-CR-v1.1.0"
_NAMESPACE: Final = uuid.UUID("6f1d8f8e-3c1a-5b7e-9a57-2b0c6a4e9d10")

_TERMINATION = {
    "en": {
        EventKind.GIVEN: "Consent valid until {until}, or until withdrawn",
        EventKind.REFUSED: "Refused; the refusal is remembered until {until}",
        EventKind.WITHDRAWN: "Consent withdrawn on {at}",
        EventKind.EXPIRED: "Consent expired on {at}",
    },
    "fr": {
        EventKind.GIVEN: "Consentement valable jusqu'au {until}, ou jusqu'à son retrait",
        EventKind.REFUSED: "Refusé ; le refus est conservé jusqu'au {until}",
        EventKind.WITHDRAWN: "Consentement retiré le {at}",
        EventKind.EXPIRED: "Consentement expiré le {at}",
    },
}
_RETENTION = {"en": "data kept: {rule}", "fr": "données conservées : {rule}"}
_CONTACT = {"en": "Data protection officer", "fr": "Délégué à la protection des données"}


def purpose_categories(purpose: Purpose) -> list[str]:
    """Kantara purpose category of a purpose, then its Fides data use as declared."""
    use = purpose.data_use or ""
    if purpose.legal_basis is LegalBasis.LEGAL_OBLIGATION:
        category = "12 - Legally Required Data Retention"
    elif use.startswith("marketing.advertising.third_party"):
        category = "7 - Marketing Third Parties"
    elif use.startswith("marketing") or purpose.direct_marketing:
        category = "6 - Marketing"
    elif use.startswith("personalize"):
        category = "5 - Personalize Experience"
    elif use.startswith(("improve", "analytics")):
        category = "16 - Improve Performance"
    elif purpose.legal_basis is LegalBasis.CONTRACT:
        category = "2 - Contracted Service"
    elif purpose.legal_basis is LegalBasis.VITAL_INTEREST:
        category = "14 - Protecting Your Health"
    elif purpose.legal_basis is LegalBasis.LEGITIMATE_INTEREST:
        category = "15 - Protecting Our Interests"
    else:
        category = "1 - Core Function"
    return [category, f"fides:{use}"] if use else [category]


def _retention_text(rule: RetentionRule) -> str:
    if rule.until is not None:
        limit = f"until {str(rule.until).replace('_', ' ')}"
    else:
        limit = f"{rule.duration} after {str(rule.after).replace('_', ' ')}"
    archive = f", archived {rule.archive.duration}" if rule.archive is not None else ""
    return f"{limit}{archive}, then {rule.then.value}"


def _termination(event: ConsentEvent, purpose: Purpose, declaration: Declaration, lang: str) -> str:
    until = event.expires_at.date().isoformat() if event.expires_at else "-"
    text = _TERMINATION[lang][event.kind].format(until=until, at=event.occurred_at.date())
    rule = declaration.retention.get(purpose.retention or "")
    if rule is not None:
        text += "; " + _RETENTION[lang].format(rule=_retention_text(rule))
    return text


def _controller(declaration: Declaration, lang: str) -> dict[str, Any]:
    controller = declaration.controller
    dpo = controller.dpo
    entry: dict[str, Any] = {
        "piiController": controller.name,
        "onBehalf": False,
        "contact": (dpo.name if dpo is not None and dpo.name else None) or _CONTACT[lang],
        "address": {"streetAddress": controller.address, "addressCountry": controller.country},
        "email": (dpo.email if dpo is not None and dpo.email else None) or controller.email,
        # The schema requires a phone; an empty one says none was published.
        "phone": controller.phone or (dpo.phone if dpo is not None and dpo.phone else "") or "",
    }
    if controller.website:
        entry["piiControllerUrl"] = controller.website
    return entry


def _wording_shown(event: ConsentEvent, purpose: Purpose) -> str | None:
    """The text the hash proves, when it is one of the declaration's wordings."""
    if purpose.consent is None:
        return None
    for lang in LANGUAGES:
        text = purpose.consent.wording[lang]
        if wording_hash(text) == event.wording_hash:
            return text
    return None


def receipt_in_force(
    conn: Connection, public_id: str, in_force: Declaration, lang: str = "en", *, actor: Actor
) -> dict[str, Any]:
    """The receipt of the event the API names ``public_id``, under the declaration in
    force when it was recorded.

    That declaration is the one stored under the event's version; ``in_force``
    (today's) stands in when that version was never applied to this store.
    """
    event = event_by_public_id(conn, public_id)
    then = stored_declaration(conn, event.declaration_version) or in_force
    return receipt(conn, event.id, then, lang, actor=actor)


def receipt(
    conn: Connection, event_id: int, declaration: Declaration, lang: str = "en", *, actor: Actor
) -> dict[str, Any]:
    """The Kantara v1.1 receipt of one event, texts in ``lang`` ('fr' or 'en').

    Audited as ``consent.read`` of the event.
    """
    if lang not in LANGUAGES:
        raise ConsentError(f"language {lang!r} is not offered: use 'fr' or 'en'")
    event = get_event(conn, event_id)
    purpose = declaration.purposes.get(event.purpose)
    if purpose is None:
        raise ConsentError(
            f"event {event_id} is about purpose {event.purpose!r}, which this declaration "
            f"no longer has: pass the declaration in force then (version "
            f"{event.declaration_version})"
        )
    recipients = [
        declaration.recipients[key]
        for key in purpose.recipients
        if key in declaration.recipients
        and declaration.recipients[key].role is not RecipientRole.INTERNAL
    ]
    entry: dict[str, Any] = {
        "purpose": purpose.description[lang],
        "purposeCategory": purpose_categories(purpose),
        "consentType": "EXPLICIT",
        "piiCategory": list(purpose.categories) + list(purpose.optional_categories),
        "primaryPurpose": True,
        "termination": _termination(event, purpose, declaration, lang),
        "thirdPartyDisclosure": bool(recipients),
    }
    if recipients:
        entry["thirdPartyName"] = "; ".join(
            in_lang(recipient.name, lang) for recipient in recipients
        )
    special = sorted(
        {
            category.special.value
            for key in entry["piiCategory"]
            if (category := declaration.data_categories.get(key)) is not None
            and category.special is not None
        }
    )
    seed = f"gardien:consent-event:{event.id}:{event.subject_id}:{event.occurred_at.isoformat()}"
    actor.record(
        conn,
        ConsentsRead(
            subject_blind_id=actor.subject(event.subject_id),
            purpose=event.purpose,
            event_id=event.id,
        ),
    )
    return {
        "version": RECEIPT_VERSION,
        "jurisdiction": declaration.controller.country,
        "consentTimestamp": int(event.occurred_at.timestamp()),
        "collectionMethod": f"{describe_method(event.collection_method, lang)} ({event.channel})",
        "consentReceiptID": str(uuid.uuid5(_NAMESPACE, seed)),
        "language": lang,
        "piiPrincipalId": event.subject_id,
        "piiControllers": [_controller(declaration, lang)],
        "policyUrl": declaration.notice.url or declaration.controller.website or "",
        "services": [{"service": purpose.name[lang], "purposes": [entry]}],
        "sensitive": bool(special),
        "spiCat": special,
        "gardien": {
            "eventId": event.id,
            "receiptId": event.public_id,
            "kind": event.kind.value,
            "purposeId": event.purpose,
            "channel": event.channel,
            "wordingHash": event.wording_hash,
            "wording": _wording_shown(event, purpose),
            "declarationVersion": event.declaration_version,
            "expiresAt": event.expires_at.isoformat() if event.expires_at else None,
            "refersTo": event.refers_to,
        },
    }
