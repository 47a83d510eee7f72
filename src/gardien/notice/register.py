"""The Art. 30(1) register of processing activities: one row per purpose.

The register is written in one language the notice is published in
(``notice.languages``), by default the first: French with the headings of the
CNIL's register model ("modèle de registre", fiche de traitement), English with
the Art. 30(1) items as the EDPB and the ICO name them, German as a
"Verzeichnis von Verarbeitungstätigkeiten" (``register_labels``). Every value is in
that language: the legal vocabulary is the notice's (``vocabulary``, with its German
twin), the declared texts are taken in that language. Each column has a stable
English key for JSON. ``register_rows`` builds the rows; ``register_formats`` writes
them as CSV, Markdown, XLSX or JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

from gardien.declaration.models import DataForm, Declaration, Purpose, RecipientRole
from gardien.declaration.taxonomy import special_category
from gardien.declaration.values import Contact, Text, in_lang
from gardien.errors import RenderError
from gardien.notice import register_labels as rl
from gardien.notice import shapes, wording_de
from gardien.notice import vocabulary as v
from gardien.notice.environment import lower_first
from gardien.notice.labels import category_label, subject_label
from gardien.notice.register_labels import COLUMNS, Column
from gardien.notice.view import legal_form_in, outside_eea, recipient_view, retention_of
from gardien.notice.vocabulary import Lang
from gardien.notice.wording import country_name

__all__ = ["COLUMNS", "Cell", "Column", "register_language", "register_rows"]

# A cell is a single text or a list of texts (joined per format).
Cell = str | tuple[str, ...]

# The notice's German speaks to the person ("Ihnen"); the register speaks of them.
_THIRD_PERSON: dict[Lang, dict[str, str]] = {
    "de": {"Ende unserer Beziehung zu Ihnen": "Ende der Beziehung zur betroffenen Person"},
}


def register_language(declaration: Declaration, lang: str | None = None) -> Lang:
    """The language the register is written in: ``lang`` when the notice is published
    in it, the first of ``notice.languages`` when ``lang`` is None; any other language
    is a ``RenderError`` saying which ones the declaration offers."""
    languages = declaration.notice.languages
    if lang is None:
        return languages[0]
    if lang not in get_args(Lang):
        raise RenderError(f'no register in language "{lang}": choose "fr", "en" or "de"')
    if lang not in languages:
        raise RenderError(
            f'this declaration does not publish in "{lang}" (notice.languages: '
            f"[{', '.join(languages)}]), so its texts are not written in it: choose one of "
            f"{', '.join(languages)}, or add {lang} to notice.languages and write every text "
            "in it"
        )
    return lang


def _legal_form(declaration: Declaration, lang: Lang) -> str | None:
    """The controller's legal form as the notice gives it: a French form described in
    English ("SAS (simplified joint-stock company) with a share capital of €50,000",
    without the notice's article "an"), else as declared."""
    controller = declaration.controller
    form = legal_form_in(controller.legal_form, lang, controller.name)
    if form is not None and lang == "en":
        for article in ("an ", "a "):
            form = form.removeprefix(article)
    return form


def _contact(contact: Contact | None) -> str:
    if contact is None:
        return ""
    parts = [contact.name, contact.email, contact.address, contact.phone, contact.url]
    return ", ".join(p for p in parts if p)


def _art9(purpose: Purpose, lang: Lang) -> str:
    """The purpose's Art. 9(2) condition, of the person in the third person in English
    and German; French keeps the notice's words (its register is unchanged)."""
    condition = purpose.special_category_condition
    assert condition is not None
    own = rl.ART9_CONDITIONS.get(lang, {})
    return own.get(str(condition)) or v.term(v.ART9_CONDITIONS, condition, lang)


def _with_reference(basis: str, reference: str, lang: Lang) -> str:
    """The basis with the law that imposes the obligation: "Obligation légale (art. 6.1.c)
    (article L. 123-22 du Code de commerce)", "Legal obligation (Art. 6(1)(c) GDPR)
    under Section 147 …", "Rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO i. V. m.
    § 147 AO)" — German cites the two together, "in Verbindung mit"."""
    if lang == "de" and basis.endswith(")"):
        return f"{basis[:-1]} i. V. m. {reference})"
    if lang == "en":
        return f"{basis} under {reference}"
    return f"{basis} ({reference})"


def _recipient_name(name: Text | str, lang: Lang) -> str:
    """A recipient's name after its group ("Dritte: unsere Hausbank (…), das zuständige
    Finanzamt (…)"): a described name ({en: …, de: …}) is a common noun phrase, its
    determiner in lower case, in English and German; a proper name as declared. French
    keeps the declared capital (its register is unchanged)."""
    text = in_lang(name, lang)
    if not isinstance(name, Text) or lang == "fr":
        return text
    return wording_de.inline(text) if lang == "de" else lower_first(text)


def _role(role: RecipientRole, lang: Lang) -> str:
    own = rl.ROLES.get(lang, {})
    return own.get(str(role)) or v.term(v.ROLES, role, lang)


def _legal_basis(purpose: Purpose, lang: Lang) -> Cell:
    if purpose.operations:
        return _operation_bases(purpose, lang)
    text = v.term(v.LEGAL_BASES_SHORT, purpose.legal_basis, lang)
    if purpose.legitimate_interest is not None:
        text += f"{rl.COLON[lang]}{purpose.legitimate_interest[lang]}"
    if purpose.legal_reference is not None:
        text = _with_reference(text, purpose.legal_reference[lang], lang)
    if purpose.special_category_condition is not None:
        text += rl.SPECIAL_INLINE[lang] + _art9(purpose, lang)
    return text


def _operation_bases(purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    """One entry per operation: its name, its basis and what justifies it."""
    colon = rl.COLON[lang]
    lines = []
    for operation in purpose.operations:
        text = f"{operation.name[lang]}{colon}" + v.term(
            v.LEGAL_BASES_SHORT, operation.legal_basis, lang
        )
        if operation.legitimate_interest is not None:
            text += f"{colon}{operation.legitimate_interest[lang]}"
        if operation.legal_reference is not None:
            text = _with_reference(text, operation.legal_reference[lang], lang)
        lines.append(text)
    if purpose.special_category_condition is not None:
        lines.append(rl.SPECIAL_LINE[lang] + _art9(purpose, lang))
    return tuple(lines)


def _recipients(declaration: Declaration, purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    semicolon = rl.SEMICOLON[lang]
    groups: dict[str, list[str]] = {}
    for key in purpose.recipients:
        recipient = declaration.recipients.get(key)
        if recipient is None:
            continue
        group = v.term(v.REGISTER_ROLE_GROUPS, recipient.role, lang)
        role = (
            "" if recipient.role is RecipientRole.PROCESSOR else f", {_role(recipient.role, lang)}"
        )
        form = (
            ""
            if recipient.receives is DataForm.IDENTIFIED
            else f"{semicolon}{v.term(v.DATA_FORMS, recipient.receives, lang)}"
        )
        where = f"{semicolon}{shapes.recipient_place(recipient, lang)}" if recipient.region else ""
        received = (
            f"{semicolon}{rl.RECEIVED[lang]}"
            f"{shapes.recipient_categories(declaration, recipient, lang)}"
            if recipient.categories
            else ""
        )
        groups.setdefault(group, []).append(
            f"{_recipient_name(recipient.name, lang)} "
            f"({recipient.service[lang]}{role}{form}{where}{received})"
        )
    return tuple(f"{group}{rl.COLON[lang]}{', '.join(names)}" for group, names in groups.items())


def _transfers(declaration: Declaration, purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    rows: list[str] = []
    for key in purpose.recipients:
        recipient = declaration.recipients.get(key)
        if recipient is None or recipient.country is None or not outside_eea(recipient.country):
            continue
        view = recipient_view(key, recipient, lang)
        safeguard = view.safeguard or rl.NO_SAFEGUARD[lang]
        reference = f" ({view.safeguard_reference})" if view.safeguard_reference else ""
        name, country = in_lang(recipient.name, lang), country_name(recipient.country, lang)
        rows.append(f"{name} — {country} — {safeguard}{reference}")
    return tuple(rows) or (rl.NO_TRANSFER[lang],)


def _purposes(purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    """The main purpose, then one entry per sub-purpose."""
    main = f"{purpose.name[lang]}{rl.COLON[lang]}{purpose.description[lang]}"
    # German nouns keep their capital.
    subs = (s[lang] if lang == "de" else lower_first(s[lang]) for s in purpose.sub_purposes)
    return (main, *(f"{rl.SUB_PURPOSE[lang]}{sub}" for sub in subs))


def _sensitive(declaration: Declaration, purpose: Purpose, lang: Lang) -> str:
    found = sorted(
        {
            v.term(v.SPECIAL_CATEGORIES, special, lang)
            for c in (*purpose.categories, *purpose.optional_categories)
            if (special := special_category(c, declaration.data_categories)) is not None
        }
    )
    if not found:
        return rl.NO_SPECIAL[lang]
    return rl.SPECIAL_FOUND[lang] + ", ".join(found)


def _source_kind(kind: str, lang: Lang) -> str:
    own = rl.SOURCE_KINDS.get(lang, {})
    return own.get(kind) or v.term(v.SOURCE_KINDS, kind, lang)


def _sources(declaration: Declaration, purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    """The purpose's declared sources; collection from the person only when declared so."""
    if not purpose.sources:
        if declaration.notice.collected_directly:
            return (rl.COLLECTED_DIRECTLY[lang],)
        return ()
    return tuple(f"{s.description[lang]} ({_source_kind(s.kind, lang)})" for s in purpose.sources)


def _security(declaration: Declaration, purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    """The measures protecting every processing, then this purpose's own (Art. 30(1)(g))."""
    measures = [m[lang] for m in declaration.security_measures]
    if purpose.security_measures is not None:
        measures.append(purpose.security_measures[lang])
    return tuple(measures)


def _retention(declaration: Declaration, key: str, purpose: Purpose, lang: Lang) -> str:
    """The notice's retention sentence, of the person in the third person."""
    text = retention_of(declaration, key, purpose, lang)
    for said, meant in _THIRD_PERSON.get(lang, {}).items():
        text = text.replace(said, meant)
    return text


def register_rows(
    declaration: Declaration, date: dt.date, lang: Lang | None = None
) -> list[dict[str, Cell]]:
    """One row per purpose, keyed by the columns' English keys, in column order, written
    in ``lang`` (default: the first language of ``notice.languages``; one the notice is
    not published in is a ``RenderError``)."""
    lang = register_language(declaration, lang)
    controller = declaration.controller
    legal_form = _legal_form(declaration, lang)
    identity = ", ".join(p for p in (controller.name, legal_form, controller.registration) if p)
    controller_cell = f"{identity}, {controller.address}, {controller.email}"
    rows: list[dict[str, Cell]] = []
    for key, purpose in declaration.purposes.items():
        joint = tuple(
            in_lang(declaration.recipients[r].name, lang)
            for r in purpose.recipients
            if r in declaration.recipients
            and declaration.recipients[r].role is RecipientRole.JOINT_CONTROLLER
        )
        categories = tuple(
            dict.fromkeys(
                category_label(c, lang, declaration)
                for c in (*purpose.categories, *purpose.optional_categories)
            )
        )
        row: dict[str, Cell] = {
            "name": purpose.name[lang],
            "reference": key,
            # The purpose's own date; the export's date would be a claim nobody made.
            "updated": purpose.since.isoformat() if purpose.since else "",
            "controller": controller_cell,
            "joint_controllers": joint,
            "representative": _contact(controller.eu_representative),
            "dpo": _contact(controller.dpo),
            "purposes": _purposes(purpose, lang),
            "legal_basis": _legal_basis(purpose, lang),
            "data_subjects": tuple(subject_label(s, lang, declaration) for s in purpose.subjects),
            "data_categories": categories,
            "sensitive_data": _sensitive(declaration, purpose, lang),
            "retention": _retention(declaration, key, purpose, lang),
            "recipients": _recipients(declaration, purpose, lang),
            "transfers": _transfers(declaration, purpose, lang),
            "security_measures": _security(declaration, purpose, lang),
            "sources": _sources(declaration, purpose, lang),
        }
        rows.append(row)
    return rows
