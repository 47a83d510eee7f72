"""The notice's facts for the shapes real policies have: operations on their own legal
basis inside one purpose, retention per kind of person, recipients by region or the
public, the data each recipient receives, several contact channels and the ways
identity is checked.

``view.py`` calls these functions and stores their results in its dataclasses; the
templates arrange them. Everything is worded here in French and English, as data, so
that another language's template only has to arrange the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from gardien.declaration.models import (
    ChannelKind,
    Declaration,
    HostingRegion,
    LegalBasis,
    Purpose,
    Recipient,
    RecipientRole,
    Rights,
    VerificationMethod,
)
from gardien.errors import RenderError
from gardien.notice import vocabulary as v
from gardien.notice.environment import lower_first
from gardien.notice.labels import category_label, subject_label
from gardien.notice.vocabulary import Lang, Terms
from gardien.notice.wording import country_name, retention_sentence

#: Where a category of recipients is, when the declaration gives a region, not a country.
REGIONS: Terms = {
    HostingRegion.EU: ("Union européenne", "European Union"),
    HostingRegion.EEA: ("Espace économique européen", "European Economic Area"),
}

#: How the notice introduces a contact channel: « par e-mail à … », "by phone on …".
CHANNEL_LEADS: Terms = {
    ChannelKind.EMAIL: ("par e-mail à", "by e-mail to"),
    ChannelKind.WEBSITE: ("en ligne sur", "online at"),
    ChannelKind.FORM: ("au moyen du formulaire disponible sur", "using the form at"),
    ChannelKind.POST: ("par courrier à :", "by post to:"),
    ChannelKind.PHONE: ("par téléphone au", "by phone on"),
}


@dataclass(frozen=True)
class OperationView:
    """One operation of a purpose, with its own legal basis."""

    purpose_key: str
    index: int
    name: str
    basis: str
    basis_key: str
    legitimate_interest: str | None
    legal_reference: str | None
    # The labels of the categories it uses; empty: all the purpose's.
    categories: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"purposes.{self.purpose_key}.operations.{self.index}"


@dataclass(frozen=True)
class ChannelView:
    """A further way to send a request (``rights.channels``)."""

    index: int
    kind: str
    lead: str
    value: str
    note: str | None

    @property
    def path(self) -> str:
        return f"rights.channels.{self.index}"


def operation_views(
    declaration: Declaration, key: str, purpose: Purpose, lang: Lang
) -> tuple[OperationView, ...]:
    return tuple(
        OperationView(
            purpose_key=key,
            index=index,
            name=operation.name[lang],
            basis=v.term(v.LEGAL_BASES, operation.legal_basis, lang),
            basis_key=str(operation.legal_basis),
            legitimate_interest=operation.legitimate_interest[lang]
            if operation.legitimate_interest
            else None,
            legal_reference=operation.legal_reference[lang] if operation.legal_reference else None,
            categories=tuple(category_label(c, lang, declaration) for c in operation.categories),
        )
        for index, operation in enumerate(purpose.operations)
    )


def bases(purpose: Purpose) -> set[LegalBasis]:
    """The purpose's legal bases: its own and its operations'."""
    return {purpose.legal_basis, *(o.legal_basis for o in purpose.operations)}


def objectable_operations(purpose: Purpose, lang: Lang) -> tuple[str, ...]:
    """The operations an Art. 21(1) objection applies to: legitimate interest, public task."""
    open_to = (LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK)
    return tuple(o.name[lang] for o in purpose.operations if o.legal_basis in open_to)


def basis_summary(purpose: Purpose, lang: Lang) -> str:
    """The purpose's legal basis for the summary table: its operations' bases, each once,
    when it declares operations."""
    if not purpose.operations:
        return v.term(v.LEGAL_BASES, purpose.legal_basis, lang)
    bases = dict.fromkeys(o.legal_basis for o in purpose.operations)
    separator = " ; " if lang == "fr" else "; "
    return separator.join(v.term(v.LEGAL_BASES, b, lang) for b in bases)


def _rule_sentence(declaration: Declaration, key: str, rule_key: str, lang: Lang) -> str:
    rule = declaration.retention.get(rule_key)
    if rule is None:
        raise RenderError(
            f'purpose "{key}" names retention rule "{rule_key}", which is not '
            "declared: add it under `retention:` or fix the name"
        )
    return retention_sentence(rule, lang, declaration.retention_events)


def retention_text(declaration: Declaration, key: str, purpose: Purpose, lang: Lang) -> str:
    """The purpose's retention as the notice writes it: one rule's sentence, or one
    sentence per kind of person ("Prospects: 3 years after the last contact, …")."""
    if not purpose.retention_by_subject:
        assert purpose.retention is not None
        return _rule_sentence(declaration, key, purpose.retention, lang)
    parts = []
    for subject, rule_key in purpose.retention_by_subject.items():
        label = lower_first(subject_label(subject, lang, declaration))
        lead = f"Pour les {label} : " if lang == "fr" else f"For {label}: "
        sentence = _rule_sentence(declaration, key, rule_key, lang)
        parts.append(f"{lead}{sentence[0].lower()}{sentence[1:]}")
    if purpose.retention is not None:
        lead = "Pour les autres personnes : " if lang == "fr" else "For other people: "
        sentence = _rule_sentence(declaration, key, purpose.retention, lang)
        parts.append(f"{lead}{sentence[0].lower()}{sentence[1:]}")
    return " ".join(parts)


def retention_keys(purpose: Purpose) -> tuple[str, ...]:
    """The retention rules a purpose names, for the provenance of its retention sentence."""
    keys = [*purpose.retention_by_subject.values()]
    if purpose.retention is not None:
        keys.append(purpose.retention)
    return tuple(dict.fromkeys(keys))


def recipient_place(recipient: Recipient, lang: Lang) -> str:
    """The recipient's country, its region, or a dash for the public."""
    if recipient.country is not None:
        return country_name(recipient.country, lang)
    if recipient.region is not None:
        return v.term(REGIONS, recipient.region, lang)
    return "—"


#: What the recipients table says of a recipient that does not list the data it receives.
AS_PURPOSES: Terms = {
    "as_purposes": ("Données des finalités concernées", "Data of the purposes concerned")
}


def recipient_categories(declaration: Declaration, recipient: Recipient, lang: Lang) -> str:
    """The data categories a recipient receives ("Nom et prénom, adresse postale"), or,
    when it declares none, the data of the purposes it serves."""
    if not recipient.categories:
        return v.term(AS_PURPOSES, "as_purposes", lang)
    labels = [category_label(c, lang, declaration) for c in recipient.categories]
    return ", ".join([labels[0], *(lower_first(label) for label in labels[1:])])


def is_public(recipient: Recipient) -> bool:
    return recipient.role is RecipientRole.PUBLIC


def verification_on_doubt(rights: Rights) -> bool:
    return VerificationMethod.ON_DOUBT in rights.verification_methods


def verification_methods(rights: Rights, lang: Lang) -> str | None:
    """The declared methods, but ``on_doubt``, joined with « ou » / "or"."""
    methods = [m for m in rights.verification_methods if m is not VerificationMethod.ON_DOUBT]
    if not methods:
        return None
    return {"fr": " ou ", "en": " or ", "de": " oder "}[lang].join(
        v.term(v.VERIFICATION, m, lang) for m in methods
    )


def channel_views(rights: Rights, lang: Lang) -> tuple[ChannelView, ...]:
    return tuple(
        ChannelView(
            index=index,
            kind=str(channel.kind),
            lead=v.term(CHANNEL_LEADS, channel.kind, lang),
            value=channel.value,
            note=channel.note[lang] if channel.note else None,
        )
        for index, channel in enumerate(rights.channels)
    )
