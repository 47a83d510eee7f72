"""The fixed legal vocabulary of the notice and the register, in French and English.

Each enumeration of the declaration (legal bases, Art. 9 conditions, recipient
roles, transfer safeguards…) is named here the way a French or an English
privacy lawyer would write it. Keeping these words as data, away from the
templates, lets the notice and the register say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from gardien.declaration.models import (
    Art9Condition,
    Art22Exception,
    DataForm,
    DataRequirement,
    DataSourceKind,
    HostingRegion,
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    SpecialCategory,
    TransferSafeguard,
    VerificationMethod,
)
from gardien.notice import vocabulary_de as de

Lang = Literal["fr", "en", "de"]
#: The languages of gardien's own pages and of the register (French and English).
LANGS: tuple[Lang, ...] = ("fr", "en")
#: The languages a notice may be published in (``notice.languages``).
NOTICE_LANGS: tuple[Lang, ...] = ("fr", "en", "de")

# (French, English) for each value; ``term`` picks the language.
Terms = Mapping[str, tuple[str, str]]

# What each legal basis is, in words; its article comes from ``LegalBasis`` itself.
_LEGAL_BASIS_WORDS: Mapping[LegalBasis, tuple[str, str]] = {
    LegalBasis.CONSENT: ("votre consentement", "your consent"),
    LegalBasis.CONTRACT: (
        "l'exécution du contrat conclu avec vous ou de mesures précontractuelles prises "
        "à votre demande",
        "the performance of a contract with you, or steps taken at your request before "
        "entering into one",
    ),
    LegalBasis.LEGAL_OBLIGATION: (
        "le respect d'une obligation légale à laquelle nous sommes soumis",
        "compliance with a legal obligation to which we are subject",
    ),
    LegalBasis.VITAL_INTEREST: (
        "la sauvegarde de vos intérêts vitaux ou de ceux d'une autre personne",
        "the protection of your vital interests or those of another person",
    ),
    LegalBasis.PUBLIC_TASK: (
        "l'exécution d'une mission d'intérêt public",
        "the performance of a task carried out in the public interest",
    ),
    LegalBasis.LEGITIMATE_INTEREST: ("notre intérêt légitime", "our legitimate interests"),
}
# Short forms for the register, where a cell must stay readable.
_LEGAL_BASIS_SHORT_WORDS: Mapping[LegalBasis, tuple[str, str]] = {
    LegalBasis.CONSENT: ("Consentement", "Consent"),
    LegalBasis.CONTRACT: ("Exécution d'un contrat", "Contract"),
    LegalBasis.LEGAL_OBLIGATION: ("Obligation légale", "Legal obligation"),
    LegalBasis.VITAL_INTEREST: ("Intérêts vitaux", "Vital interests"),
    LegalBasis.PUBLIC_TASK: ("Mission d'intérêt public", "Public task"),
    LegalBasis.LEGITIMATE_INTEREST: ("Intérêt légitime", "Legitimate interests"),
}

LEGAL_BASES: Terms = {
    basis: (f"{fr} ({basis.citation('fr')})", f"{en} ({basis.citation('en')})")
    for basis, (fr, en) in _LEGAL_BASIS_WORDS.items()
}
LEGAL_BASES_SHORT: Terms = {
    basis: (f"{fr} (art. 6.1.{basis.point})", f"{en} (Art. 6(1)({basis.point}) GDPR)")
    for basis, (fr, en) in _LEGAL_BASIS_SHORT_WORDS.items()
}

ART9_CONDITIONS: Terms = {
    Art9Condition.EXPLICIT_CONSENT: (
        "votre consentement explicite (article 9.2.a du RGPD)",
        "your explicit consent (Article 9(2)(a) GDPR)",
    ),
    Art9Condition.EMPLOYMENT_SOCIAL_SECURITY: (
        "nos obligations en matière de droit du travail et de la sécurité sociale "
        "(article 9.2.b du RGPD)",
        "our obligations under employment and social security law (Article 9(2)(b) GDPR)",
    ),
    Art9Condition.VITAL_INTERESTS: (
        "la sauvegarde de vos intérêts vitaux lorsque vous êtes dans l'incapacité de consentir "
        "(article 9.2.c du RGPD)",
        "the protection of your vital interests where you cannot give consent "
        "(Article 9(2)(c) GDPR)",
    ),
    Art9Condition.NOT_FOR_PROFIT_BODY: (
        "les activités légitimes d'un organisme à but non lucratif (article 9.2.d du RGPD)",
        "the legitimate activities of a not-for-profit body (Article 9(2)(d) GDPR)",
    ),
    Art9Condition.MADE_PUBLIC: (
        "des données que vous avez manifestement rendues publiques (article 9.2.e du RGPD)",
        "data you have manifestly made public (Article 9(2)(e) GDPR)",
    ),
    Art9Condition.LEGAL_CLAIMS: (
        "la constatation, l'exercice ou la défense de droits en justice (article 9.2.f du RGPD)",
        "the establishment, exercise or defence of legal claims (Article 9(2)(f) GDPR)",
    ),
    Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST: (
        "un motif d'intérêt public important (article 9.2.g du RGPD)",
        "reasons of substantial public interest (Article 9(2)(g) GDPR)",
    ),
    Art9Condition.HEALTH_OR_SOCIAL_CARE: (
        "la médecine préventive, la médecine du travail ou la prise en charge sanitaire ou "
        "sociale (article 9.2.h du RGPD)",
        "preventive or occupational medicine, or health or social care (Article 9(2)(h) GDPR)",
    ),
    Art9Condition.PUBLIC_HEALTH: (
        "un motif d'intérêt public dans le domaine de la santé publique (article 9.2.i du RGPD)",
        "reasons of public interest in the area of public health (Article 9(2)(i) GDPR)",
    ),
    Art9Condition.ARCHIVING_RESEARCH_STATISTICS: (
        "des fins archivistiques dans l'intérêt public, de recherche scientifique ou historique "
        "ou des fins statistiques (article 9.2.j du RGPD)",
        "archiving in the public interest, scientific or historical research or statistical "
        "purposes (Article 9(2)(j) GDPR)",
    ),
}

SPECIAL_CATEGORIES: Terms = {
    SpecialCategory.RACIAL_ETHNIC_ORIGIN: (
        "origine raciale ou ethnique",
        "racial or ethnic origin",
    ),
    SpecialCategory.POLITICAL_OPINIONS: ("opinions politiques", "political opinions"),
    SpecialCategory.RELIGIOUS_BELIEFS: (
        "convictions religieuses ou philosophiques",
        "religious or philosophical beliefs",
    ),
    SpecialCategory.TRADE_UNION: ("appartenance syndicale", "trade union membership"),
    SpecialCategory.GENETIC: ("données génétiques", "genetic data"),
    SpecialCategory.BIOMETRIC: (
        "données biométriques aux fins d'identification",
        "biometric data used for identification",
    ),
    SpecialCategory.HEALTH: ("données de santé", "health data"),
    SpecialCategory.SEX_LIFE_ORIENTATION: (
        "vie sexuelle ou orientation sexuelle",
        "sex life or sexual orientation",
    ),
    SpecialCategory.CRIMINAL: (
        "condamnations pénales et infractions (article 10 du RGPD)",
        "criminal convictions and offences (Article 10 GDPR)",
    ),
}

ROLES: Terms = {
    RecipientRole.PROCESSOR: ("sous-traitant", "processor"),
    RecipientRole.JOINT_CONTROLLER: ("responsable conjoint du traitement", "joint controller"),
    RecipientRole.INDEPENDENT_CONTROLLER: (
        "destinataire tiers, responsable de son propre traitement",
        "third party acting as an independent controller",
    ),
    RecipientRole.INTERNAL: ("service interne", "internal department"),
    RecipientRole.PUBLIC_AUTHORITY: ("autorité publique", "public authority"),
    RecipientRole.PUBLIC: ("contenu rendu public", "published content"),
}

# The three kinds of recipients the CNIL's register model distinguishes.
REGISTER_ROLE_GROUPS: Terms = {
    RecipientRole.INTERNAL: ("Destinataires internes", "Internal recipients"),
    RecipientRole.PROCESSOR: ("Sous-traitants", "Processors"),
    RecipientRole.JOINT_CONTROLLER: ("Destinataires tiers", "Third parties"),
    RecipientRole.INDEPENDENT_CONTROLLER: ("Destinataires tiers", "Third parties"),
    RecipientRole.PUBLIC_AUTHORITY: ("Destinataires tiers", "Third parties"),
    RecipientRole.PUBLIC: ("Public", "The public"),
}

SAFEGUARDS: Terms = {
    TransferSafeguard.ADEQUACY_DECISION: (
        "décision d'adéquation de la Commission européenne (article 45 du RGPD)",
        "European Commission adequacy decision (Article 45 GDPR)",
    ),
    TransferSafeguard.STANDARD_CONTRACTUAL_CLAUSES: (
        "clauses contractuelles types adoptées par la Commission européenne "
        "(article 46.2.c du RGPD)",
        "standard contractual clauses adopted by the European Commission (Article 46(2)(c) GDPR)",
    ),
    TransferSafeguard.BINDING_CORPORATE_RULES: (
        "règles d'entreprise contraignantes (article 47 du RGPD)",
        "binding corporate rules (Article 47 GDPR)",
    ),
    TransferSafeguard.CODE_OF_CONDUCT: (
        "code de conduite approuvé (article 46.2.e du RGPD)",
        "approved code of conduct (Article 46(2)(e) GDPR)",
    ),
    TransferSafeguard.CERTIFICATION: (
        "mécanisme de certification approuvé (article 46.2.f du RGPD)",
        "approved certification mechanism (Article 46(2)(f) GDPR)",
    ),
    TransferSafeguard.DEROGATION: (
        "dérogation pour une situation particulière (article 49 du RGPD)",
        "derogation for a specific situation (Article 49 GDPR)",
    ),
}

VERIFICATION: Terms = {
    VerificationMethod.EMAIL_CODE: (
        "vous devrez saisir un code à usage unique envoyé à l'adresse e-mail que nous connaissons",
        "you will be asked to enter a one-time code sent to the e-mail address we hold for you",
    ),
    VerificationMethod.ACCOUNT_LOGIN: (
        "vous devrez vous connecter à votre compte",
        "you will be asked to sign in to your account",
    ),
    VerificationMethod.SMS_CODE: (
        "vous devrez saisir un code à usage unique envoyé par SMS au numéro que nous connaissons",
        "you will be asked to enter a one-time code sent by text message to the number we "
        "hold for you",
    ),
    VerificationMethod.ID_DOCUMENT: (
        "vous devrez joindre à votre demande la copie d'un justificatif d'identité",
        "you will be asked to enclose a copy of a proof of identity with your request",
    ),
    VerificationMethod.KNOWN_DETAILS: (
        "vous devrez répondre à des questions portant sur des informations que nous "
        "détenons déjà à votre sujet",
        "you will be asked to answer questions about information we already hold about you",
    ),
    VerificationMethod.EMAIL_ADDRESS_ON_FILE: (
        "votre demande devra nous parvenir depuis l'adresse e-mail que nous connaissons",
        "your request will need to come from the e-mail address we hold for you",
    ),
    # Art. 12(6): the template writes its own sentence; this is its short form.
    VerificationMethod.ON_DOUBT: (
        "uniquement en cas de doute raisonnable sur votre identité",
        "only where we have reasonable doubts about your identity",
    ),
}

REQUIREMENTS: Terms = {
    DataRequirement.STATUTORY: (
        "La fourniture de ces données répond à une exigence légale ou réglementaire.",
        "Providing this data is a statutory requirement.",
    ),
    DataRequirement.CONTRACTUAL: (
        "La fourniture de ces données répond à une exigence contractuelle.",
        "Providing this data is a contractual requirement.",
    ),
    DataRequirement.CONTRACT_PREREQUISITE: (
        "La fourniture de ces données conditionne la conclusion du contrat.",
        "Providing this data is a requirement to enter into a contract.",
    ),
    DataRequirement.VOLUNTARY: (
        "La fourniture de ces données est facultative.",
        "Providing this data is voluntary.",
    ),
}

HOSTING: Terms = {
    HostingRegion.EU: ("l'Union européenne", "the European Union"),
    HostingRegion.EEA: ("l'Espace économique européen", "the European Economic Area"),
}

SOURCE_KINDS: Terms = {
    DataSourceKind.DATA_SUBJECT: ("auprès de vous", "from you"),
    DataSourceKind.THIRD_PARTY: ("auprès de tiers", "from third parties"),
    DataSourceKind.PUBLIC_SOURCES: (
        "dans des sources accessibles au public",
        "from publicly accessible sources",
    ),
}

# Retention events, each with its French article so that "à compter de" and
# "jusqu'à" contract correctly ("du dernier contact", "jusqu'au dépôt").
# Every value of ``RetentionEvent`` has its wording: a test walks the enumeration.
EVENTS: Terms = {
    RetentionEvent.COLLECTION: ("la collecte", "collection"),
    RetentionEvent.DEPOSIT: ("le dépôt du traceur", "the tracker is set"),
    RetentionEvent.LAST_CONTACT: ("le dernier contact", "the last contact"),
    RetentionEvent.LAST_ACTIVITY: ("la dernière activité", "the last activity"),
    RetentionEvent.ACCOUNT_DELETION: ("la suppression du compte", "the account is deleted"),
    RetentionEvent.CONTRACT_END: ("la fin du contrat", "the end of the contract"),
    RetentionEvent.END_OF_RELATIONSHIP: (
        "la fin de la relation commerciale",
        "the end of the relationship",
    ),
    RetentionEvent.CONSENT_WITHDRAWAL: ("le retrait du consentement", "consent is withdrawn"),
    RetentionEvent.TRANSACTION: ("la transaction", "the transaction"),
    RetentionEvent.FISCAL_YEAR_END: ("la clôture de l'exercice", "the end of the financial year"),
    RetentionEvent.REQUEST_CLOSED: ("la clôture de la demande", "the request is closed"),
    RetentionEvent.APPLICATION_CLOSED: (
        "la clôture du processus de recrutement",
        "the recruitment process closes",
    ),
    RetentionEvent.EMPLOYMENT_END: ("le départ du salarié", "the employee leaves"),
    RetentionEvent.APP_UNINSTALL: (
        "la désinstallation de l'application",
        "the app is uninstalled",
    ),
    # Settlement, limitation of the action or final decision: the dispute is over.
    RetentionEvent.DISPUTE_CLOSED: (
        "la clôture définitive du litige",
        "the dispute is finally resolved",
    ),
}

# What a recipient receives when it is not identifiable data; identified data
# is the ordinary case and goes unsaid.
DATA_FORMS: Terms = {
    DataForm.PSEUDONYMISED: (
        "reçoit uniquement des données pseudonymisées",
        "receives pseudonymised data only",
    ),
    DataForm.ANONYMISED: (
        "reçoit uniquement des données anonymisées avant leur transmission",
        "receives only data anonymised before it is sent",
    ),
}

# Art. 22(2): why a decision based solely on automated processing is allowed,
# as a clause after "Cette décision est permise car" / "This decision is allowed because".
ART22_EXCEPTIONS: Terms = {
    Art22Exception.CONTRACT: (
        "elle est nécessaire à la conclusion ou à l'exécution d'un contrat entre vous et nous "
        "(article 22.2.a du RGPD)",
        "it is necessary for entering into, or performing, a contract between you and us "
        "(Article 22(2)(a) GDPR)",
    ),
    Art22Exception.LAW: (
        "elle est autorisée par le droit de l'Union européenne ou le droit français, qui prévoit "
        "des mesures appropriées pour la sauvegarde de vos droits et libertés et de vos intérêts "
        "légitimes (article 22.2.b du RGPD)",
        "it is authorised by EU or French law, which lays down suitable measures to safeguard "
        "your rights, freedoms and legitimate interests (Article 22(2)(b) GDPR)",
    ),
    Art22Exception.EXPLICIT_CONSENT: (
        "elle repose sur votre consentement explicite (article 22.2.c du RGPD)",
        "it is based on your explicit consent (Article 22(2)(c) GDPR)",
    ),
}


# The German table of each table above (``vocabulary_de``), by identity; tables defined
# elsewhere (``shapes``) add theirs with ``register_german``.
_GERMAN: list[tuple[Terms, Mapping[str, str]]] = [
    (LEGAL_BASES, de.LEGAL_BASES),
    (LEGAL_BASES_SHORT, de.LEGAL_BASES_SHORT),
    (ART9_CONDITIONS, de.ART9_CONDITIONS),
    (SPECIAL_CATEGORIES, de.SPECIAL_CATEGORIES),
    (ROLES, de.ROLES),
    (REGISTER_ROLE_GROUPS, de.REGISTER_ROLE_GROUPS),
    (SAFEGUARDS, de.SAFEGUARDS),
    (VERIFICATION, de.VERIFICATION),
    (REQUIREMENTS, de.REQUIREMENTS),
    (HOSTING, de.HOSTING),
    (SOURCE_KINDS, de.SOURCE_KINDS),
    (EVENTS, de.EVENTS),
    (DATA_FORMS, de.DATA_FORMS),
    (ART22_EXCEPTIONS, de.ART22_EXCEPTIONS),
]


def register_german(terms: Terms, german: Mapping[str, str]) -> None:
    """Give a French/English table defined outside this module its German twin, so that
    ``term(terms, value, "de")`` finds it (a test fails on a table without one)."""
    if german_table(terms) is None:
        _GERMAN.append((terms, german))


def german_table(terms: Terms) -> Mapping[str, str] | None:
    """The German twin of a French/English table, None for a table that has none."""
    return next((german for table, german in _GERMAN if table is terms), None)


def term(terms: Terms, value: str | StrEnum, lang: Lang) -> str:
    """The ``lang`` wording of ``value``, or the raw value when the table lacks it."""
    if lang == "de":
        german = german_table(terms)
        if german is not None and str(value) in german:
            return german[str(value)]
        return str(value).replace("_", " ")
    pair = terms.get(str(value))
    if pair is None:
        return str(value).replace("_", " ")
    return pair[0] if lang == "fr" else pair[1]
