"""The Art. 30(1) register of processing activities: one row per purpose.

The columns follow the CNIL's register model ("modèle de registre", fiche de
traitement) and carry its French headers; each has a stable English key for
JSON. ``register_rows`` builds the rows; ``register_formats`` writes them as
CSV, Markdown, XLSX or JSON. The register is written in French, the language
the CNIL reads it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gardien.declaration.models import DataForm, Declaration, Purpose, RecipientRole
from gardien.declaration.taxonomy import special_category
from gardien.declaration.values import Contact, in_lang
from gardien.notice import shapes
from gardien.notice import vocabulary as v
from gardien.notice.environment import lower_first
from gardien.notice.labels import category_label, subject_label
from gardien.notice.view import outside_eea, recipient_view, retention_of
from gardien.notice.wording import country_name

# A cell is a single text or a list of texts (joined per format).
Cell = str | tuple[str, ...]

LANG: v.Lang = "fr"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("name", "Nom / sigle du traitement", "Name of the processing activity"),
    Column("reference", "N° / référence", "Reference (the purpose key in privacy.yaml)"),
    Column("updated", "Date de création / mise à jour", "Date of creation or last update"),
    Column("controller", "Responsable du traitement", "Controller: name, address, contact"),
    Column("joint_controllers", "Responsable(s) conjoint(s)", "Joint controllers"),
    Column("representative", "Représentant", "EU representative (Art. 27)"),
    Column("dpo", "Délégué à la protection des données", "Data protection officer"),
    Column("purposes", "Finalité principale et sous-finalités", "Main purpose and sub-purposes"),
    Column("legal_basis", "Base légale", "Legal basis (Art. 6, and Art. 9 condition)"),
    Column("data_subjects", "Catégories de personnes concernées", "Categories of data subjects"),
    Column("data_categories", "Catégories de données personnelles", "Categories of personal data"),
    Column(
        "sensitive_data", "Données sensibles (art. 9 et 10)", "Special categories (Art. 9 and 10)"
    ),
    Column("retention", "Durées de conservation", "Retention periods"),
    Column(
        "recipients",
        "Catégories de destinataires",
        "Recipients: internal, processors, third parties",
    ),
    Column(
        "transfers",
        "Transferts hors UE",
        "Transfers outside the EEA: recipient, country, safeguard",
    ),
    Column("security_measures", "Mesures de sécurité", "Security measures"),
    Column("sources", "Source des données", "Source of the data"),
)


def _contact(contact: Contact | None) -> str:
    if contact is None:
        return ""
    parts = [contact.name, contact.email, contact.address, contact.phone, contact.url]
    return ", ".join(p for p in parts if p)


def _legal_basis(purpose: Purpose) -> Cell:
    if purpose.operations:
        return _operation_bases(purpose)
    text = v.term(v.LEGAL_BASES_SHORT, purpose.legal_basis, LANG)
    if purpose.legitimate_interest is not None:
        text += f" : {purpose.legitimate_interest[LANG]}"
    if purpose.legal_reference is not None:
        text += f" ({purpose.legal_reference[LANG]})"
    if purpose.special_category_condition is not None:
        text += " ; données sensibles : " + v.term(
            v.ART9_CONDITIONS, purpose.special_category_condition, LANG
        )
    return text


def _operation_bases(purpose: Purpose) -> tuple[str, ...]:
    """One entry per operation: its name, its basis and what justifies it."""
    lines = []
    for operation in purpose.operations:
        text = f"{operation.name.fr} : " + v.term(v.LEGAL_BASES_SHORT, operation.legal_basis, LANG)
        if operation.legitimate_interest is not None:
            text += f" : {operation.legitimate_interest.fr}"
        if operation.legal_reference is not None:
            text += f" ({operation.legal_reference.fr})"
        lines.append(text)
    if purpose.special_category_condition is not None:
        lines.append(
            "Données sensibles : "
            + v.term(v.ART9_CONDITIONS, purpose.special_category_condition, LANG)
        )
    return tuple(lines)


def _recipients(declaration: Declaration, purpose: Purpose) -> tuple[str, ...]:
    groups: dict[str, list[str]] = {}
    for key in purpose.recipients:
        recipient = declaration.recipients.get(key)
        if recipient is None:
            continue
        group = v.term(v.REGISTER_ROLE_GROUPS, recipient.role, LANG)
        role = (
            ""
            if recipient.role is RecipientRole.PROCESSOR
            else f", {v.term(v.ROLES, recipient.role, LANG)}"
        )
        form = (
            ""
            if recipient.receives is DataForm.IDENTIFIED
            else f" ; {v.term(v.DATA_FORMS, recipient.receives, LANG)}"
        )
        where = f" ; {shapes.recipient_place(recipient, LANG)}" if recipient.region else ""
        received = (
            f" ; données reçues : {shapes.recipient_categories(declaration, recipient, LANG)}"
            if recipient.categories
            else ""
        )
        groups.setdefault(group, []).append(
            f"{in_lang(recipient.name, LANG)} "
            f"({recipient.service[LANG]}{role}{form}{where}{received})"
        )
    return tuple(f"{group} : {', '.join(names)}" for group, names in groups.items())


def _transfers(declaration: Declaration, purpose: Purpose) -> tuple[str, ...]:
    rows: list[str] = []
    for key in purpose.recipients:
        recipient = declaration.recipients.get(key)
        if recipient is None or recipient.country is None or not outside_eea(recipient.country):
            continue
        view = recipient_view(key, recipient, LANG)
        safeguard = view.safeguard or "aucune garantie déclarée"
        reference = f" ({view.safeguard_reference})" if view.safeguard_reference else ""
        name, country = in_lang(recipient.name, LANG), country_name(recipient.country, LANG)
        rows.append(f"{name} — {country} — {safeguard}{reference}")
    return tuple(rows) or ("Aucun",)


def _purposes(purpose: Purpose) -> tuple[str, ...]:
    """The main purpose, then one entry per sub-purpose."""
    main = f"{purpose.name[LANG]} : {purpose.description[LANG]}"
    return (main, *(f"Sous-finalité : {lower_first(s[LANG])}" for s in purpose.sub_purposes))


def _sensitive(declaration: Declaration, purpose: Purpose) -> str:
    found = sorted(
        {
            v.term(v.SPECIAL_CATEGORIES, special, LANG)
            for c in (*purpose.categories, *purpose.optional_categories)
            if (special := special_category(c, declaration.data_categories)) is not None
        }
    )
    if not found:
        return "Non"
    return "Oui : " + ", ".join(found)


def _sources(declaration: Declaration, purpose: Purpose) -> tuple[str, ...]:
    """The purpose's declared sources; collection from the person only when declared so."""
    if not purpose.sources:
        if declaration.notice.collected_directly:
            return ("Collecte directe auprès de la personne concernée",)
        return ()
    return tuple(
        f"{s.description[LANG]} ({v.term(v.SOURCE_KINDS, s.kind, LANG)})" for s in purpose.sources
    )


def _security(declaration: Declaration, purpose: Purpose) -> tuple[str, ...]:
    """The measures protecting every processing, then this purpose's own (Art. 30(1)(g))."""
    measures = [m[LANG] for m in declaration.security_measures]
    if purpose.security_measures is not None:
        measures.append(purpose.security_measures[LANG])
    return tuple(measures)


def register_rows(declaration: Declaration, date: dt.date) -> list[dict[str, Cell]]:
    """One row per purpose, keyed by the columns' English keys, in column order."""
    controller = declaration.controller
    legal_form = in_lang(controller.legal_form, LANG) if controller.legal_form else None
    identity = ", ".join(p for p in (controller.name, legal_form, controller.registration) if p)
    controller_cell = f"{identity}, {controller.address}, {controller.email}"
    rows: list[dict[str, Cell]] = []
    for key, purpose in declaration.purposes.items():
        joint = tuple(
            in_lang(declaration.recipients[r].name, LANG)
            for r in purpose.recipients
            if r in declaration.recipients
            and declaration.recipients[r].role is RecipientRole.JOINT_CONTROLLER
        )
        categories = tuple(
            dict.fromkeys(
                category_label(c, LANG, declaration)
                for c in (*purpose.categories, *purpose.optional_categories)
            )
        )
        row: dict[str, Cell] = {
            "name": purpose.name[LANG],
            "reference": key,
            # The purpose's own date; the export's date would be a claim nobody made.
            "updated": purpose.since.isoformat() if purpose.since else "",
            "controller": controller_cell,
            "joint_controllers": joint,
            "representative": _contact(controller.eu_representative),
            "dpo": _contact(controller.dpo),
            "purposes": _purposes(purpose),
            "legal_basis": _legal_basis(purpose),
            "data_subjects": tuple(subject_label(s, LANG, declaration) for s in purpose.subjects),
            "data_categories": categories,
            "sensitive_data": _sensitive(declaration, purpose),
            "retention": retention_of(declaration, key, purpose, LANG),
            "recipients": _recipients(declaration, purpose),
            "transfers": _transfers(declaration, purpose),
            "security_measures": _security(declaration, purpose),
            "sources": _sources(declaration, purpose),
        }
        rows.append(row)
    return rows
