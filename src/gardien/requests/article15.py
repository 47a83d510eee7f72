"""The information GDPR Art. 15(1)-(2) owes a person who asks for access, as one JSON document.

An access package holds the person's records (``connectors.RowsExport``) and
this document, ``article15.json``, from which ``summary.render_summary``
writes the readable page. ``article15_information`` draws it from the
declaration, worded as the privacy notice words it (``notice.view``: labels
of categories, legal bases, recipients, retention sentences, the lead authority), and
from what was found about the person:

- ``found``: per datastore and collection, the rows found, the files of the
  package and the declared categories of each field exported (Art. 15(1)(b)
  asks for the categories *concerned*: those of this person's data);
- the purposes and their legal bases (a), the recipients (c) and transfers
  outside the EEA with their safeguards (15(2)), the retention period per
  purpose and the legal holds of the collections found (d), the rights (e),
  the complaint to the lead supervisory authority (f), the sources of data not collected from the
  person (g), automated decisions and their logic (h);
- ``consents``: the person's choices from the consent ledger, each with its
  receipt id, from ``consent_overview`` or a sequence of ``ConsentEntry``.

Every value is a string, number, boolean, list, dict or None; the keys of
``ART15_ITEMS`` are the document's sections, each with the provision that
requires it. Nothing here holds a row: counts, file names and declared
names only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gardien.connectors.export import ExportedCollection
from gardien.connectors.plan import Place
from gardien.consent.overview import ConsentOverview
from gardien.declaration.models import Declaration
from gardien.declaration.taxonomy import ancestry
from gardien.declaration.transparency import CHECKLIST, TransparencyItem
from gardien.errors import RenderError
from gardien.notice.labels import category_label
from gardien.notice.notice import notice_date, notice_version
from gardien.notice.view import ContactView, NoticeView, PurposeView, RecipientView, build_view
from gardien.notice.vocabulary import NOTICE_LANGS, Lang
from gardien.notice.wording import format_duration

#: The version of this document's shape; a reader checks it before anything else.
FORMAT = "gardien.article15/1"
#: Where the package puts each collection's files (``requests.package``).
RECORDS_FOLDER = "records"

Json = dict[str, Any]


class Art15Item(StrEnum):
    """One thing Art. 15 requires the answer to give: a section of the document and the page."""

    FOUND = "found"
    PURPOSES = "purposes"
    CATEGORIES = "categories"
    RECIPIENTS = "recipients"
    RETENTION = "retention"
    RIGHTS = "rights"
    COMPLAINT = "complaint"
    SOURCES = "sources"
    AUTOMATED_DECISIONS = "automated_decisions"
    TRANSFERS = "transfers"
    CONSENTS = "consents"


#: The provision behind each section (consents: the ledger is the controller's proof, Art. 7(1)).
ART15_ITEMS: Mapping[Art15Item, str] = {
    Art15Item.FOUND: "15(1), 15(3)",
    Art15Item.PURPOSES: "15(1)(a)",
    Art15Item.CATEGORIES: "15(1)(b)",
    Art15Item.RECIPIENTS: "15(1)(c)",
    Art15Item.RETENTION: "15(1)(d)",
    Art15Item.RIGHTS: "15(1)(e)",
    Art15Item.COMPLAINT: "15(1)(f)",
    Art15Item.SOURCES: "15(1)(g)",
    Art15Item.AUTOMATED_DECISIONS: "15(1)(h), 22",
    Art15Item.TRANSFERS: "15(2), 46",
    Art15Item.CONSENTS: "7(1), 15(1)",
}

# The rights Art. 15(1)(e) names, then those the person may also use; labels from the
# transparency checklist the notice and the lint share.
#: The rights' names in German, as the DSGVO's headings name them (the checklist has
#: French and English only).
_GERMAN_RIGHTS: Mapping[str, str] = {
    "rectification": "Recht auf Berichtigung",
    "erasure": "Recht auf Löschung",
    "restriction": "Recht auf Einschränkung der Verarbeitung",
    "objection": "Widerspruchsrecht",
    "portability": "Recht auf Datenübertragbarkeit",
    "withdraw_consent": "Recht auf jederzeitigen Widerruf der Einwilligung",
}

_RIGHTS: tuple[tuple[str, TransparencyItem, str], ...] = (
    ("rectification", TransparencyItem.RIGHT_RECTIFICATION, "16"),
    ("erasure", TransparencyItem.RIGHT_ERASURE, "17"),
    ("restriction", TransparencyItem.RIGHT_RESTRICTION, "18"),
    ("objection", TransparencyItem.RIGHT_OBJECTION, "21"),
    ("portability", TransparencyItem.RIGHT_PORTABILITY, "20"),
    ("withdraw_consent", TransparencyItem.WITHDRAW_CONSENT, "7(3)"),
)


@dataclass(frozen=True)
class ConsentEntry:
    """One consent choice as the person is shown it: purpose, status, dates and receipt id."""

    purpose: str
    #: given, refused, withdrawn or expired.
    status: str
    at: dt.datetime
    expires_at: dt.datetime | None = None
    #: The id the API names the event's receipt by (``/api/v1/consents/<id>/receipt``).
    receipt_id: str | None = None
    needs_renewal: bool = False
    channel: str | None = None


#: What was found: the files ``RowsExport.finish`` wrote, or rows per (datastore, collection).
Found = Sequence[ExportedCollection] | Mapping[Place, int]
Consents = ConsentOverview | Sequence[ConsentEntry]


def article15_information(
    declaration: Declaration,
    language: Lang,
    *,
    datastores_found: Found,
    consents: Consents = (),
    generated_at: dt.datetime | None = None,
) -> Json:
    """The Art. 15(1)-(2) information for one person, in ``language``, JSON-serialisable.

    ``RenderError`` for a language the notice is not published in, a collection found
    that the declaration does not have, or a purpose without a retention
    rule (the answer must state one, as the notice must).
    """
    # In a language the notice is published in: the declared texts are written in it.
    if language not in NOTICE_LANGS:
        raise RenderError(f'no access summary in language "{language}": choose "fr", "en" or "de"')
    languages = declaration.notice.languages
    if language not in languages:
        raise RenderError(
            f'no access summary in "{language}": this declaration publishes in '
            f"{', '.join(languages)} only, and its texts are written in those; answer in "
            "summary_language(declaration, the request's language)"
        )
    view = build_view(declaration, language, notice_version(declaration), notice_date(declaration))
    found = _found(declaration, language, datastores_found, view.purposes)
    current, history = _consents(consents)
    moment = generated_at or dt.datetime.now(dt.UTC)
    sections: dict[Art15Item, Any] = {
        Art15Item.FOUND: {"any": bool(found), "collections": found},
        Art15Item.PURPOSES: [_purpose(p) for p in view.purposes],
        Art15Item.CATEGORIES: _categories(declaration, language, found, view),
        Art15Item.RECIPIENTS: [_recipient(r) for r in view.recipients],
        Art15Item.TRANSFERS: {
            "recipients": [_recipient(r) for r in view.transfers],
            "copy_from": view.rights_email,
        },
        Art15Item.RETENTION: {
            "purposes": [
                {"purpose": p.key, "name": p.name, "period": p.retention} for p in view.purposes
            ],
            "legal_holds": list(view.legal_holds),
        },
        Art15Item.RIGHTS: _rights(view, declaration),
        Art15Item.COMPLAINT: {
            "authority": view.authority.name,
            "address": view.authority.address,
            "website": view.authority.website,
            "complaint_url": view.authority.complaint_url,
            # The page's language when it is not the answer's ("German"), else None.
            "complaint_language": view.authority.complaint_language,
            "key": view.authority.key,
        },
        Art15Item.SOURCES: {
            "all_from_you": not any(p.sources for p in view.purposes),
            "sources": [
                {"purpose": p.key, "name": p.name, "kind": s.kind, "description": s.description}
                for p in view.purposes
                for s in p.sources
            ],
        },
        Art15Item.AUTOMATED_DECISIONS: [
            {
                "purpose": p.key,
                "name": p.name,
                "logic": p.automated.logic,
                "significance": p.automated.significance,
                "profiling": p.automated.profiling,
                "exception": p.automated.exception,
                "human_review": p.automated.human_review,
            }
            for p in view.purposes
            if p.automated is not None
        ],
        Art15Item.CONSENTS: {
            "current": [_consent(declaration, language, c) for c in current],
            "history": [_consent(declaration, language, c) for c in history],
        },
    }
    return {
        "format": FORMAT,
        "language": language,
        "generated_at": moment.isoformat(timespec="seconds"),
        "notice_version": view.version,
        "articles": {item.value: article for item, article in ART15_ITEMS.items()},
        "controller": _controller(view),
        **{item.value: section for item, section in sections.items()},
    }


def consent_entries(overview: ConsentOverview) -> tuple[ConsentEntry, ...]:
    """The standing choice per purpose of ``consent_overview``, each with its receipt id."""
    public_ids = {event.id: event.public_id for event in overview.events}
    channels = {event.id: event.channel for event in overview.events}
    return tuple(
        ConsentEntry(
            purpose=choice.purpose,
            status=str(choice.status),
            at=choice.occurred_at,
            expires_at=choice.expires_at,
            receipt_id=public_ids.get(choice.event_id),
            needs_renewal=choice.needs_renewal,
            channel=channels.get(choice.event_id),
        )
        for choice in overview.choices
    )


def _consents(consents: Consents) -> tuple[Sequence[ConsentEntry], Sequence[ConsentEntry]]:
    if not isinstance(consents, ConsentOverview):
        return consents, ()
    history = tuple(
        ConsentEntry(
            purpose=event.purpose,
            status=str(event.kind),
            at=event.occurred_at,
            expires_at=event.expires_at,
            receipt_id=event.public_id,
            channel=event.channel,
        )
        # Oldest first, as the ledger recorded them.
        for event in sorted(consents.events, key=lambda event: (event.occurred_at, event.id))
    )
    return consent_entries(consents), history


def _consent(declaration: Declaration, language: Lang, entry: ConsentEntry) -> Json:
    purpose = declaration.purposes.get(entry.purpose)
    return {
        "purpose": entry.purpose,
        # A purpose the declaration no longer has keeps its key: the choice still happened.
        "name": purpose.name[language] if purpose is not None else entry.purpose,
        "status": entry.status,
        "at": entry.at.isoformat(timespec="seconds"),
        "expires_at": entry.expires_at.isoformat(timespec="seconds") if entry.expires_at else None,
        "receipt_id": entry.receipt_id,
        "needs_renewal": entry.needs_renewal,
        "channel": entry.channel,
    }


def _found(
    declaration: Declaration, language: Lang, found: Found, purposes: Sequence[PurposeView]
) -> list[Json]:
    if isinstance(found, Mapping):
        counts = [(datastore, collection, rows) for (datastore, collection), rows in found.items()]
        files = {
            (d, c): [f"{RECORDS_FOLDER}/{d}.{c}.json", f"{RECORDS_FOLDER}/{d}.{c}.csv"]
            for d, c, _ in counts
        }
    else:
        counts = [(e.datastore, e.collection, e.rows) for e in found]
        files = {
            (e.datastore, e.collection): [
                f"{RECORDS_FOLDER}/{e.json_path.name}",
                f"{RECORDS_FOLDER}/{e.csv_path.name}",
            ]
            for e in found
        }
    out = []
    for datastore, collection, rows in counts:
        if rows <= 0:
            continue
        declared = declaration.datastores.get(datastore)
        if declared is None or collection not in declared.collections:
            raise RenderError(
                f'collection "{datastore}.{collection}" was exported but is not declared under '
                "`datastores`: export with the declaration the package is built under"
            )
        # Fields without categories are keys and references: not data about the person.
        described = {
            name: field.categories
            for name, field in declared.collections[collection].fields.items()
            if field.categories
        }
        fields = [
            {"name": name, "categories": [_category(declaration, language, c) for c in keys]}
            for name, keys in described.items()
        ]
        keys = list(dict.fromkeys(c for categories in described.values() for c in categories))
        hold = declared.collections[collection].legal_hold
        out.append(
            {
                "datastore": datastore,
                "collection": collection,
                "rows": rows,
                "files": files[(datastore, collection)],
                "fields": fields,
                "categories": [_category(declaration, language, c) for c in keys],
                "purposes": _purposes_of(declaration, keys, purposes),
                # Kept past the purposes' periods (and past an erasure) while the law says so.
                "legal_hold": None
                if hold is None
                else {
                    "reason": hold.reason[language],
                    "duration": format_duration(hold.duration, language),
                    "from_field": hold.anchor,
                },
            }
        )
    return out


def _purposes_of(
    declaration: Declaration, categories: Sequence[str], purposes: Sequence[PurposeView]
) -> list[Json]:
    """The declared purposes whose categories cover any of ``categories`` (or a parent)."""
    covered = {a for c in categories for a in ancestry(c, declaration.data_categories)}
    used = []
    for view in purposes:
        purpose = declaration.purposes[view.key]
        if covered & {*purpose.categories, *purpose.optional_categories}:
            used.append({"key": view.key, "name": view.name})
    return used


def _category(declaration: Declaration, language: Lang, key: str) -> Json:
    return {"key": key, "label": category_label(key, language, declaration)}


def _categories(
    declaration: Declaration, language: Lang, found: Sequence[Json], view: NoticeView
) -> Json:
    concerned = list(dict.fromkeys(c["key"] for f in found for c in f["categories"]))
    specials = {c.key: c.special for c in view.categories}
    return {
        "concerned": [
            {**_category(declaration, language, key), "special": specials.get(key)}
            for key in concerned
        ],
        "declared": [
            {"key": c.key, "label": c.label, "special": c.special} for c in view.categories
        ],
    }


def _contact(contact: ContactView | None) -> Json | None:
    if contact is None:
        return None
    return {
        "name": contact.name,
        "email": contact.email,
        "address": contact.address,
        "phone": contact.phone,
        "url": contact.url,
    }


def _controller(view: NoticeView) -> Json:
    return {
        "name": view.controller_name,
        "registration": view.registration,
        "address": view.address,
        "email": view.email,
        "phone": view.phone,
        "website": view.website,
        "dpo": _contact(view.dpo),
        "representative": _contact(view.representative),
    }


def _purpose(purpose: PurposeView) -> Json:
    return {
        "key": purpose.key,
        "name": purpose.name,
        "description": purpose.description,
        "sub_purposes": list(purpose.sub_purposes),
        "legal_basis": purpose.basis_key,
        "legal_basis_label": purpose.basis,
        "legitimate_interest": purpose.legitimate_interest,
        "legal_reference": purpose.legal_reference,
        "special_condition": purpose.special_condition,
        "categories": list(purpose.categories),
        "recipients": [r.key for r in purpose.recipients],
        "retention": purpose.retention,
        "consent": purpose.consent_wording,
        "objection": purpose.objection,
        "direct_marketing": purpose.direct_marketing,
        "operations": [
            {
                "name": o.name,
                "legal_basis": o.basis_key,
                "legal_basis_label": o.basis,
                "legitimate_interest": o.legitimate_interest,
                "legal_reference": o.legal_reference,
            }
            for o in purpose.operations
        ],
    }


def _recipient(recipient: RecipientView) -> Json:
    return {
        "key": recipient.key,
        "name": recipient.name,
        "role": recipient.role,
        "service": recipient.service_detail,
        "country": recipient.country,
        "outside_eea": recipient.outside_eea,
        "safeguard": recipient.safeguard,
        "safeguard_reference": recipient.safeguard_reference,
    }


def _right_label(key: str, item: TransparencyItem, lang: Lang) -> str:
    if lang == "de":
        return _GERMAN_RIGHTS[key]
    return CHECKLIST[item].label_fr if lang == "fr" else CHECKLIST[item].label_en


def _rights(view: NoticeView, declaration: Declaration) -> Json:
    lang = view.lang
    rights, controller = declaration.rights, declaration.controller
    applies = {
        "objection": [p.name for p in view.purposes if p.objection],
        "portability": [p.name for p in view.purposes if p.portability],
        "withdraw_consent": [p.name for p in view.purposes if p.consent_wording],
    }
    return {
        "rights": [
            {
                "right": key,
                "label": _right_label(key, item, lang),
                "article": article,
                # None: the right applies to every purpose (within its conditions).
                "purposes": applies.get(key),
            }
            for key, item, article in _RIGHTS
            if key not in applies or applies[key]
        ],
        "marketing": [p.name for p in view.purposes if p.direct_marketing],
        "contact": {
            "email": view.rights_email,
            "url": view.rights_url,
            # The notice prints only declared channels; this answer keeps its fallbacks.
            "postal": view.rights_postal or f"{controller.name}, {controller.address}",
        },
        "deadline": view.deadline,
        "extension": view.extension or format_duration(rights.extension, lang, words=True),
    }
