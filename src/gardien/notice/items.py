"""Where gardien's notice says each item GDPR Art. 13 and 14 require, and in which words.

``ART_13_14_ITEMS`` maps every item of the checklist
(``gardien.declaration.transparency``: keys, articles, labels) to the notice
section that covers it and a phrase that the shipped templates write for it,
in French and in English, whenever the item applies to the declaration (a
copy of transfer safeguards is offered only when there are transfers; when
there are none, ``absent_fr``/``absent_en`` is what the notice says instead).
Items the notice states only on the company's word (sources, the requirement
to provide data, identity verification, cookies) apply when declared.
Tests use it to prove every item of the checklist is in the notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gardien.declaration.models import Declaration, LegalBasis
from gardien.declaration.taxonomy import transfer_rules
from gardien.declaration.transparency import CHECKLIST, TransparencyItem


def _always(_: Declaration) -> bool:
    return True


def _has_transfers(declaration: Declaration) -> bool:
    eea = transfer_rules().eea
    return any(
        r.transfer_country is not None and r.transfer_country not in eea
        for r in declaration.recipients.values()
    )


def _has_legitimate_interest(declaration: Declaration) -> bool:
    return any(
        p.legal_basis is LegalBasis.LEGITIMATE_INTEREST for p in declaration.purposes.values()
    )


def _has_direct_marketing(declaration: Declaration) -> bool:
    return any(p.direct_marketing for p in declaration.purposes.values())


# The notice states only what is declared: these items are written when the
# declaration says something about them (``validate`` warns when it does not).
def _declares_sources(declaration: Declaration) -> bool:
    return bool(declaration.notice.collected_directly) or any(
        p.sources for p in declaration.purposes.values()
    )


def _declares_requirement(declaration: Declaration) -> bool:
    return any(
        p.requirement is not None or p.legal_basis is LegalBasis.CONSENT
        for p in declaration.purposes.values()
    )


def _declares_verification(declaration: Declaration) -> bool:
    return "verification" in declaration.rights.model_fields_set


def _declares_dpo(declaration: Declaration) -> bool:
    # Art. 13(1)(b): "where applicable". Without a declared DPO the notice says
    # nothing of one (it cannot know none was designated); validate warns.
    return declaration.controller.dpo is not None


def _declares_cookies(declaration: Declaration) -> bool:
    return "cookies" in declaration.model_fields_set


@dataclass(frozen=True)
class NoticeItem:
    """One checklist item: the notice section that covers it and the phrase it always writes."""

    key: TransparencyItem
    section: str
    fr: str
    en: str
    applies: Callable[[Declaration], bool] = _always
    absent_fr: str | None = None
    absent_en: str | None = None

    @property
    def article(self) -> str:
        """The provisions that require the item (from the checklist)."""
        return CHECKLIST[self.key].article


ART_13_14_ITEMS: tuple[NoticeItem, ...] = (
    NoticeItem(
        TransparencyItem.CONTROLLER_IDENTITY,
        "controller",
        "Le responsable du traitement de vos données personnelles est",
        "The data controller responsible for your personal data is",
    ),
    NoticeItem(
        TransparencyItem.CONTROLLER_CONTACT,
        "controller",
        "Vous pouvez nous écrire à",
        "You can write to us at",
    ),
    NoticeItem(
        TransparencyItem.DPO_CONTACT,
        "controller",
        "délégué à la protection des données",
        "data protection officer",
        applies=_declares_dpo,
    ),
    NoticeItem(
        TransparencyItem.PURPOSES,
        "purposes",
        "Synthèse des traitements",
        "Summary of processing",
    ),
    NoticeItem(TransparencyItem.LEGAL_BASIS, "purposes", "Base légale :", "Legal basis:"),
    NoticeItem(
        TransparencyItem.LEGITIMATE_INTERESTS,
        "purposes",
        "Intérêt légitime poursuivi :",
        "Legitimate interest pursued:",
        applies=_has_legitimate_interest,
    ),
    NoticeItem(
        TransparencyItem.DATA_CATEGORIES,
        "categories",
        "Catégories de données personnelles",
        "Categories of personal data",
    ),
    NoticeItem(
        TransparencyItem.RECIPIENTS,
        "recipients",
        "Destinataires et catégories de destinataires",
        "Recipients and categories of recipients",
    ),
    NoticeItem(
        TransparencyItem.INTERNATIONAL_TRANSFERS,
        "transfers",
        "hors de l'Espace économique européen",
        "outside the European Economic Area",
    ),
    NoticeItem(
        TransparencyItem.TRANSFER_SAFEGUARDS_COPY,
        "transfers",
        "Vous pouvez obtenir une copie de ces garanties",
        "You can obtain a copy of these safeguards",
        applies=_has_transfers,
        absent_fr="Vos données ne sont pas transférées hors de l'Espace économique européen.",
        absent_en="Your data is not transferred outside the European Economic Area.",
    ),
    NoticeItem(
        TransparencyItem.RETENTION,
        "retention",
        "Durée de conservation :",
        "Retention period:",
    ),
    NoticeItem(TransparencyItem.RIGHT_ACCESS, "rights", "Droit d'accès", "Right of access"),
    NoticeItem(
        TransparencyItem.RIGHT_RECTIFICATION,
        "rights",
        "Droit de rectification",
        "Right to rectification",
    ),
    NoticeItem(
        TransparencyItem.RIGHT_ERASURE, "rights", "Droit à l'effacement", "Right to erasure"
    ),
    NoticeItem(
        TransparencyItem.RIGHT_RESTRICTION,
        "rights",
        "Droit à la limitation du traitement",
        "Right to restriction of processing",
    ),
    NoticeItem(
        TransparencyItem.RIGHT_PORTABILITY,
        "rights",
        "Droit à la portabilité",
        "Right to data portability",
    ),
    NoticeItem(TransparencyItem.RIGHT_OBJECTION, "rights", "Droit d'opposition", "Right to object"),
    NoticeItem(
        TransparencyItem.OBJECTION_DIRECT_MARKETING,
        "objection",
        "à des fins de prospection commerciale",
        "for direct marketing",
        applies=_has_direct_marketing,
    ),
    NoticeItem(
        TransparencyItem.WITHDRAW_CONSENT,
        "consent",
        "ne remet pas en cause la licéité du traitement effectué avant ce retrait",
        "does not affect the lawfulness of the processing carried out before the withdrawal",
    ),
    NoticeItem(
        TransparencyItem.EXERCISE_RIGHTS_CONTACT,
        "exercise",
        "Vous pouvez exercer vos droits",
        "You can exercise your rights",
    ),
    NoticeItem(
        TransparencyItem.RESPONSE_DEADLINE,
        "exercise",
        "à compter de la réception de votre demande",
        "of receiving your request",
    ),
    NoticeItem(
        TransparencyItem.IDENTITY_VERIFICATION,
        "exercise",
        "nous vérifions votre identité",
        "we verify your identity",
        applies=_declares_verification,
    ),
    NoticeItem(
        TransparencyItem.COMPLAINT_AUTHORITY,
        "complaint",
        "introduire une réclamation auprès de la CNIL",
        "lodge a complaint with the CNIL",
    ),
    NoticeItem(
        TransparencyItem.SUPERVISORY_AUTHORITY_ADDRESS,
        "complaint",
        "3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
        "3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
    ),
    NoticeItem(
        TransparencyItem.STATUTORY_REQUIREMENT,
        "requirement",
        "si la fourniture de vos données est obligatoire",
        "whether you are required to provide your data",
        applies=_declares_requirement,
    ),
    NoticeItem(
        TransparencyItem.AUTOMATED_DECISION_MAKING,
        "automated",
        "Décision automatisée et profilage",
        "Automated decision-making and profiling",
    ),
    NoticeItem(
        TransparencyItem.DATA_SOURCE,
        "sources",
        "Origine des données",
        "Where your data comes from",
        applies=_declares_sources,
    ),
    NoticeItem(
        TransparencyItem.COOKIES,
        "cookies",
        "Cookies et autres traceurs",
        "Cookies and similar technologies",
        applies=_declares_cookies,
    ),
    NoticeItem(TransparencyItem.VERSION, "changes", "Version", "Version"),
)
