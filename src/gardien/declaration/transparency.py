"""The transparency checklist: what GDPR Art. 13 and 14 require a privacy notice to tell people.

Owns the one spelling of each item's key (``TransparencyItem``), the
provisions that require it and its label in English and French
(``CHECKLIST``). Two rooms hold a notice against this list, each by its own
means and both by these keys only:

- the notice room writes every item, and keeps per key the phrase its
  shipped templates write for it (``gardien.notice.items``);
- the policy lint reads a hand-written policy, and keeps per key the
  patterns or the rule that find the item (``gardien.policylint.items``,
  ``rights.py``, ``detect.py``); its JSON report is keyed by these keys.

The lint checks fewer items than the notice writes: an entry's
``not_linted`` says why the lint does not look for it. Three are Art. 12
duties on how requests are handled (where to send them, how fast they are
answered, how the requester is identified), not information Art. 13/14
require; three are due only from some companies (categories of data under
Art. 14, a copy of transfer safeguards, objection to direct marketing) and
a text alone does not say whether they apply; the authority's address, the
cookies and the notice's version are not Art. 13/14 items. Tests in both
rooms fail when either names a key that is not here, and when the lint's
report and the entries without ``not_linted`` disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class TransparencyItem(StrEnum):
    """The key of one item of the checklist, as reports and tests spell it."""

    CONTROLLER_IDENTITY = "controller_identity"
    CONTROLLER_CONTACT = "controller_contact"
    DPO_CONTACT = "dpo_contact"
    PURPOSES = "purposes"
    LEGAL_BASIS = "legal_basis"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    DATA_CATEGORIES = "data_categories"
    RECIPIENTS = "recipients"
    INTERNATIONAL_TRANSFERS = "international_transfers"
    TRANSFER_SAFEGUARDS_COPY = "transfer_safeguards_copy"
    RETENTION = "retention"
    RIGHT_ACCESS = "right_access"
    RIGHT_RECTIFICATION = "right_rectification"
    RIGHT_ERASURE = "right_erasure"
    RIGHT_RESTRICTION = "right_restriction"
    RIGHT_PORTABILITY = "right_portability"
    RIGHT_OBJECTION = "right_objection"
    OBJECTION_DIRECT_MARKETING = "objection_direct_marketing"
    WITHDRAW_CONSENT = "withdraw_consent"
    COMPLAINT_AUTHORITY = "complaint_authority"
    SUPERVISORY_AUTHORITY_ADDRESS = "supervisory_authority_address"
    EXERCISE_RIGHTS_CONTACT = "exercise_rights_contact"
    RESPONSE_DEADLINE = "response_deadline"
    IDENTITY_VERIFICATION = "identity_verification"
    STATUTORY_REQUIREMENT = "statutory_requirement"
    AUTOMATED_DECISION_MAKING = "automated_decision_making"
    DATA_SOURCE = "data_source"
    COOKIES = "cookies"
    VERSION = "version"


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """One item: the provisions that require it, what to call it, whether the lint checks it.

    ``article`` lists GDPR articles ("13(1)(a), 14(1)(a)"); a provision of
    another act names the act ("ePrivacy 5(3)"). ``not_linted`` is None when
    the policy lint looks for the item, else the reason it does not.
    """

    item: TransparencyItem
    article: str
    label_en: str
    label_fr: str
    not_linted: str | None = None


_RIGHTS = "13(2)(b), 14(2)(c)"

_ENTRIES: tuple[ChecklistEntry, ...] = (
    ChecklistEntry(
        TransparencyItem.CONTROLLER_IDENTITY,
        "13(1)(a), 14(1)(a)",
        "Identity of the controller",
        "Identité du responsable du traitement",
    ),
    ChecklistEntry(
        TransparencyItem.CONTROLLER_CONTACT,
        "13(1)(a), 14(1)(a)",
        "Contact details of the controller",
        "Coordonnées du responsable du traitement",
    ),
    ChecklistEntry(
        TransparencyItem.DPO_CONTACT,
        "13(1)(b), 14(1)(b)",
        "Contact details of the data protection officer",
        "Coordonnées du délégué à la protection des données",
    ),
    ChecklistEntry(
        TransparencyItem.PURPOSES,
        "13(1)(c), 14(1)(c)",
        "Purposes of the processing",
        "Finalités du traitement",
    ),
    ChecklistEntry(
        TransparencyItem.LEGAL_BASIS,
        "13(1)(c), 14(1)(c)",
        "Legal basis for the processing",
        "Base juridique du traitement",
    ),
    ChecklistEntry(
        TransparencyItem.LEGITIMATE_INTERESTS,
        "13(1)(d), 14(2)(b)",
        "Legitimate interests pursued",
        "Intérêts légitimes poursuivis",
    ),
    ChecklistEntry(
        TransparencyItem.DATA_CATEGORIES,
        "14(1)(d)",
        "Categories of personal data concerned",
        "Catégories de données personnelles concernées",
        not_linted="due under Art. 14 only (data not obtained from the person), which a text "
        "alone does not reveal; and a list of categories has no wording that tells it apart",
    ),
    ChecklistEntry(
        TransparencyItem.RECIPIENTS,
        "13(1)(e), 14(1)(e)",
        "Recipients or categories of recipients",
        "Destinataires ou catégories de destinataires",
    ),
    ChecklistEntry(
        TransparencyItem.INTERNATIONAL_TRANSFERS,
        "13(1)(f), 14(1)(f)",
        "Transfers to a third country or an international organisation",
        "Transferts vers un pays tiers ou une organisation internationale",
    ),
    ChecklistEntry(
        TransparencyItem.TRANSFER_SAFEGUARDS_COPY,
        "13(1)(f), 14(1)(f)",
        "How to obtain a copy of the transfer safeguards",
        "Moyens d'obtenir une copie des garanties de transfert",
        not_linted="due only when data leaves the EEA, which a text may not say; the lint "
        "checks that transfers are addressed (international_transfers) and, with --against, "
        "that the safeguards named are the declared ones",
    ),
    ChecklistEntry(
        TransparencyItem.RETENTION,
        "13(2)(a), 14(2)(a)",
        "Retention period, or the criteria that set it",
        "Durée de conservation, ou critères qui la déterminent",
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_ACCESS, f"{_RIGHTS}, 15", "Right of access", "Droit d'accès"
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_RECTIFICATION,
        f"{_RIGHTS}, 16",
        "Right to rectification",
        "Droit de rectification",
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_ERASURE, f"{_RIGHTS}, 17", "Right to erasure", "Droit à l'effacement"
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_RESTRICTION,
        f"{_RIGHTS}, 18",
        "Right to restriction of processing",
        "Droit à la limitation du traitement",
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_PORTABILITY,
        f"{_RIGHTS}, 20",
        "Right to data portability",
        "Droit à la portabilité",
    ),
    ChecklistEntry(
        TransparencyItem.RIGHT_OBJECTION, f"{_RIGHTS}, 21", "Right to object", "Droit d'opposition"
    ),
    ChecklistEntry(
        TransparencyItem.OBJECTION_DIRECT_MARKETING,
        "21(2)-(4)",
        "Right to object to direct marketing",
        "Droit d'opposition à la prospection commerciale",
        not_linted="due only when data is used for direct marketing, which a text may not "
        "say; the lint's right_objection accepts an opt-out from marketing stated as a right",
    ),
    ChecklistEntry(
        TransparencyItem.WITHDRAW_CONSENT,
        "13(2)(c), 14(2)(d)",
        "Right to withdraw consent at any time",
        "Droit de retirer son consentement à tout moment",
    ),
    ChecklistEntry(
        TransparencyItem.COMPLAINT_AUTHORITY,
        "13(2)(d), 14(2)(e), 77",
        "Right to lodge a complaint with a supervisory authority",
        "Droit d'introduire une réclamation auprès d'une autorité de contrôle",
    ),
    ChecklistEntry(
        TransparencyItem.SUPERVISORY_AUTHORITY_ADDRESS,
        "13(2)(d), 14(2)(e)",
        "Contact details of the supervisory authority",
        "Coordonnées de l'autorité de contrôle",
        not_linted="Art. 13/14 require the right to complain (complaint_authority), not the "
        "authority's address; gardien's notice gives the lead authority's so the right is easy "
        "to use",
    ),
    ChecklistEntry(
        TransparencyItem.EXERCISE_RIGHTS_CONTACT,
        "12(1)-(2)",
        "How to exercise one's rights",
        "Comment exercer ses droits",
        not_linted="an Art. 12 duty on receiving requests, not an Art. 13/14 item; the "
        "contacts a text must give are controller_contact and dpo_contact",
    ),
    ChecklistEntry(
        TransparencyItem.RESPONSE_DEADLINE,
        "12(3)",
        "Time to answer a request",
        "Délai de réponse à une demande",
        not_linted="an Art. 12 duty, not an Art. 13/14 item; with --against, the periods a "
        "text gives for answering are compared with the declared ones (deadline_mismatch)",
    ),
    ChecklistEntry(
        TransparencyItem.IDENTITY_VERIFICATION,
        "12(6)",
        "Verification of the requester's identity",
        "Vérification de l'identité du demandeur",
        not_linted="Art. 12(6) allows the check; Art. 13/14 do not require a text to describe it",
    ),
    ChecklistEntry(
        TransparencyItem.STATUTORY_REQUIREMENT,
        "13(2)(e)",
        "Whether providing the data is required, and what happens if it is not provided",
        "Caractère obligatoire ou facultatif des données, et conséquences d'un refus",
    ),
    ChecklistEntry(
        TransparencyItem.AUTOMATED_DECISION_MAKING,
        "13(2)(f), 14(2)(g), 22",
        "Automated decision-making, including profiling",
        "Décision automatisée, y compris le profilage",
    ),
    ChecklistEntry(
        TransparencyItem.DATA_SOURCE, "14(2)(f)", "Source of the data", "Origine des données"
    ),
    ChecklistEntry(
        TransparencyItem.COOKIES,
        "ePrivacy 5(3)",
        "Cookies and similar technologies",
        "Cookies et autres traceurs",
        not_linted="required by the ePrivacy directive (art. 82 of the French Data Protection "
        "Act), not by Art. 13/14, and often published as a separate cookie policy",
    ),
    ChecklistEntry(
        TransparencyItem.VERSION,
        "12(1)",
        "Version and date of the notice",
        "Version et date de la politique",
        not_linted="good practice under Art. 12(1), not an Art. 13/14 item",
    ),
)

#: Every item's entry, by key, in the order of ``TransparencyItem``.
CHECKLIST: Mapping[TransparencyItem, ChecklistEntry] = MappingProxyType(
    {entry.item: entry for entry in _ENTRIES}
)
