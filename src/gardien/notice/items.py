"""What GDPR Art. 13 and 14 require a notice to say, and where gardien's notice says it.

``ART_13_14_ITEMS`` is the checklist: each item names its article, the notice
section that covers it, and a phrase that the shipped templates write for it,
in French and in English, whenever the item applies to the declaration (a
copy of transfer safeguards is offered only when there are transfers; when
there are none, ``absent_fr``/``absent_en`` is what the notice says instead).
Tests use it to prove every item is present; the policy lint can use it to
know what to look for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gardien.declaration.models import Declaration, LegalBasis
from gardien.declaration.taxonomy import transfer_rules


def _always(_: Declaration) -> bool:
    return True


def _has_transfers(declaration: Declaration) -> bool:
    eea = transfer_rules().eea
    return any(r.country not in eea for r in declaration.recipients.values())


def _has_legitimate_interest(declaration: Declaration) -> bool:
    return any(
        p.legal_basis is LegalBasis.LEGITIMATE_INTEREST for p in declaration.purposes.values()
    )


def _has_direct_marketing(declaration: Declaration) -> bool:
    return any(p.direct_marketing for p in declaration.purposes.values())


@dataclass(frozen=True)
class NoticeItem:
    key: str
    article: str
    section: str
    fr: str
    en: str
    applies: Callable[[Declaration], bool] = _always
    absent_fr: str | None = None
    absent_en: str | None = None


ART_13_14_ITEMS: tuple[NoticeItem, ...] = (
    NoticeItem(
        "controller_identity",
        "13(1)(a), 14(1)(a)",
        "controller",
        "Le responsable du traitement de vos données personnelles est",
        "The data controller responsible for your personal data is",
    ),
    NoticeItem(
        "dpo_contact",
        "13(1)(b), 14(1)(b)",
        "controller",
        "délégué à la protection des données",
        "data protection officer",
    ),
    NoticeItem(
        "purposes",
        "13(1)(c), 14(1)(c)",
        "purposes",
        "Synthèse des traitements",
        "Summary of processing",
    ),
    NoticeItem("legal_basis", "13(1)(c), 14(1)(c)", "purposes", "Base légale :", "Legal basis:"),
    NoticeItem(
        "legitimate_interests",
        "13(1)(d), 14(2)(b)",
        "purposes",
        "Intérêt légitime poursuivi :",
        "Legitimate interest pursued:",
        applies=_has_legitimate_interest,
    ),
    NoticeItem(
        "data_categories",
        "14(1)(d)",
        "categories",
        "Catégories de données personnelles",
        "Categories of personal data",
    ),
    NoticeItem(
        "recipients",
        "13(1)(e), 14(1)(e)",
        "recipients",
        "Destinataires et catégories de destinataires",
        "Recipients and categories of recipients",
    ),
    NoticeItem(
        "transfers",
        "13(1)(f), 14(1)(f)",
        "transfers",
        "hors de l'Espace économique européen",
        "outside the European Economic Area",
    ),
    NoticeItem(
        "transfer_safeguards_copy",
        "13(1)(f), 14(1)(f)",
        "transfers",
        "Vous pouvez obtenir une copie de ces garanties",
        "You can obtain a copy of these safeguards",
        applies=_has_transfers,
        absent_fr="Vos données ne sont pas transférées hors de l'Espace économique européen.",
        absent_en="Your data is not transferred outside the European Economic Area.",
    ),
    NoticeItem(
        "retention",
        "13(2)(a), 14(2)(a)",
        "retention",
        "Durée de conservation :",
        "Retention period:",
    ),
    NoticeItem("right_access", "13(2)(b), 15", "rights", "Droit d'accès", "Right of access"),
    NoticeItem(
        "right_rectification",
        "13(2)(b), 16",
        "rights",
        "Droit de rectification",
        "Right to rectification",
    ),
    NoticeItem(
        "right_erasure", "13(2)(b), 17", "rights", "Droit à l'effacement", "Right to erasure"
    ),
    NoticeItem(
        "right_restriction",
        "13(2)(b), 18",
        "rights",
        "Droit à la limitation du traitement",
        "Right to restriction of processing",
    ),
    NoticeItem(
        "right_portability",
        "13(2)(b), 20",
        "rights",
        "Droit à la portabilité",
        "Right to data portability",
    ),
    NoticeItem(
        "right_objection", "13(2)(b), 21(1)", "rights", "Droit d'opposition", "Right to object"
    ),
    NoticeItem(
        "objection_direct_marketing",
        "21(2)-(4)",
        "rights",
        "à des fins de prospection commerciale",
        "for direct marketing",
        applies=_has_direct_marketing,
    ),
    NoticeItem(
        "consent_withdrawal",
        "13(2)(c), 14(2)(d)",
        "consent",
        "ne remet pas en cause la licéité du traitement effectué avant ce retrait",
        "does not affect the lawfulness of the processing carried out before the withdrawal",
    ),
    NoticeItem(
        "exercise_rights_contact",
        "12(1)-(2)",
        "exercise",
        "Vous pouvez exercer vos droits",
        "You can exercise your rights",
    ),
    NoticeItem(
        "response_deadline",
        "12(3)",
        "exercise",
        "à compter de la réception de votre demande",
        "of receiving your request",
    ),
    NoticeItem(
        "identity_verification",
        "12(6)",
        "exercise",
        "nous vérifions votre identité",
        "we verify your identity",
    ),
    NoticeItem(
        "complaint",
        "13(2)(d), 14(2)(e), 77",
        "complaint",
        "introduire une réclamation auprès de la CNIL",
        "lodge a complaint with the CNIL",
    ),
    NoticeItem(
        "supervisory_authority_address",
        "13(2)(d), 14(2)(e)",
        "complaint",
        "3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
        "3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
    ),
    NoticeItem(
        "requirement",
        "13(2)(e)",
        "requirement",
        "si la fourniture de vos données est obligatoire",
        "whether you are required to provide your data",
    ),
    NoticeItem(
        "automated_decision",
        "13(2)(f), 14(2)(g), 22",
        "automated",
        "Décision automatisée et profilage",
        "Automated decision-making and profiling",
    ),
    NoticeItem(
        "source", "14(2)(f)", "sources", "Origine des données", "Where your data comes from"
    ),
    NoticeItem(
        "cookies",
        "ePrivacy 5(3)",
        "cookies",
        "Cookies et autres traceurs",
        "Cookies and similar technologies",
    ),
    NoticeItem("version", "12(1)", "changes", "Version", "Version"),
)
