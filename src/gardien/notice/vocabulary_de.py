"""The notice's fixed legal vocabulary in German, as a German data-protection lawyer writes it.

Each table mirrors one of ``vocabulary`` (legal bases, Art. 9 conditions, recipient
roles, transfer safeguards…), keyed by the same enumeration values; ``vocabulary.term``
reads them for ``lang="de"``. Citations follow German usage: ``Art. 6 Abs. 1 lit. f
DSGVO``. A test walks every French/English table and fails on a value missing here.
"""

from __future__ import annotations

from collections.abc import Mapping

from gardien.declaration.models import (
    Art9Condition,
    Art22Exception,
    ChannelKind,
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

GermanTerms = Mapping[str, str]


def citation(basis: LegalBasis) -> str:
    """``Art. 6 Abs. 1 lit. a DSGVO``."""
    return f"Art. 6 Abs. 1 lit. {basis.point} DSGVO"


_LEGAL_BASIS_WORDS: Mapping[LegalBasis, str] = {
    LegalBasis.CONSENT: "Ihre Einwilligung",
    LegalBasis.CONTRACT: (
        "die Erfüllung eines Vertrags mit Ihnen oder die Durchführung vorvertraglicher "
        "Maßnahmen auf Ihre Anfrage"
    ),
    LegalBasis.LEGAL_OBLIGATION: (
        "die Erfüllung einer rechtlichen Verpflichtung, der wir unterliegen"
    ),
    LegalBasis.VITAL_INTEREST: (
        "der Schutz lebenswichtiger Interessen von Ihnen oder einer anderen Person"
    ),
    LegalBasis.PUBLIC_TASK: "die Wahrnehmung einer Aufgabe, die im öffentlichen Interesse liegt",
    LegalBasis.LEGITIMATE_INTEREST: "unsere berechtigten Interessen",
}
# The register's short forms, as a German Verzeichnis von Verarbeitungstätigkeiten
# names them: "Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)".
_LEGAL_BASIS_SHORT: Mapping[LegalBasis, str] = {
    LegalBasis.CONSENT: "Einwilligung",
    LegalBasis.CONTRACT: "Vertragserfüllung",
    LegalBasis.LEGAL_OBLIGATION: "Rechtliche Verpflichtung",
    LegalBasis.VITAL_INTEREST: "Schutz lebenswichtiger Interessen",
    LegalBasis.PUBLIC_TASK: "Wahrnehmung einer Aufgabe im öffentlichen Interesse",
    LegalBasis.LEGITIMATE_INTEREST: "Berechtigte Interessen",
}

LEGAL_BASES: GermanTerms = {
    basis: f"{words} ({citation(basis)})" for basis, words in _LEGAL_BASIS_WORDS.items()
}
LEGAL_BASES_SHORT: GermanTerms = {
    basis: f"{words} ({citation(basis)})" for basis, words in _LEGAL_BASIS_SHORT.items()
}

ART9_CONDITIONS: GermanTerms = {
    Art9Condition.EXPLICIT_CONSENT: "Ihre ausdrückliche Einwilligung (Art. 9 Abs. 2 lit. a DSGVO)",
    Art9Condition.EMPLOYMENT_SOCIAL_SECURITY: (
        "unsere Pflichten aus dem Arbeitsrecht und dem Recht der sozialen Sicherheit "
        "(Art. 9 Abs. 2 lit. b DSGVO)"
    ),
    Art9Condition.VITAL_INTERESTS: (
        "der Schutz Ihrer lebenswichtigen Interessen, wenn Sie außerstande sind, Ihre "
        "Einwilligung zu geben (Art. 9 Abs. 2 lit. c DSGVO)"
    ),
    Art9Condition.NOT_FOR_PROFIT_BODY: (
        "die rechtmäßigen Tätigkeiten einer Organisation ohne Gewinnerzielungsabsicht "
        "(Art. 9 Abs. 2 lit. d DSGVO)"
    ),
    Art9Condition.MADE_PUBLIC: (
        "Daten, die Sie offensichtlich öffentlich gemacht haben (Art. 9 Abs. 2 lit. e DSGVO)"
    ),
    Art9Condition.LEGAL_CLAIMS: (
        "die Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen "
        "(Art. 9 Abs. 2 lit. f DSGVO)"
    ),
    Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST: (
        "Gründe eines erheblichen öffentlichen Interesses (Art. 9 Abs. 2 lit. g DSGVO)"
    ),
    Art9Condition.HEALTH_OR_SOCIAL_CARE: (
        "Zwecke der Gesundheitsvorsorge, der Arbeitsmedizin oder der Versorgung im Gesundheits- "
        "oder Sozialbereich (Art. 9 Abs. 2 lit. h DSGVO)"
    ),
    Art9Condition.PUBLIC_HEALTH: (
        "Gründe des öffentlichen Interesses im Bereich der öffentlichen Gesundheit "
        "(Art. 9 Abs. 2 lit. i DSGVO)"
    ),
    Art9Condition.ARCHIVING_RESEARCH_STATISTICS: (
        "im öffentlichen Interesse liegende Archivzwecke, wissenschaftliche oder historische "
        "Forschungszwecke oder statistische Zwecke (Art. 9 Abs. 2 lit. j DSGVO)"
    ),
}

SPECIAL_CATEGORIES: GermanTerms = {
    SpecialCategory.RACIAL_ETHNIC_ORIGIN: "rassische oder ethnische Herkunft",
    SpecialCategory.POLITICAL_OPINIONS: "politische Meinungen",
    SpecialCategory.RELIGIOUS_BELIEFS: "religiöse oder weltanschauliche Überzeugungen",
    SpecialCategory.TRADE_UNION: "Gewerkschaftszugehörigkeit",
    SpecialCategory.GENETIC: "genetische Daten",
    SpecialCategory.BIOMETRIC: "biometrische Daten zur eindeutigen Identifizierung",
    SpecialCategory.HEALTH: "Gesundheitsdaten",
    SpecialCategory.SEX_LIFE_ORIENTATION: "Sexualleben oder sexuelle Orientierung",
    SpecialCategory.CRIMINAL: "strafrechtliche Verurteilungen und Straftaten (Art. 10 DSGVO)",
}

ROLES: GermanTerms = {
    RecipientRole.PROCESSOR: "Auftragsverarbeiter",
    RecipientRole.JOINT_CONTROLLER: "gemeinsam mit uns Verantwortlicher",
    RecipientRole.INDEPENDENT_CONTROLLER: "Dritter, eigenständig Verantwortlicher",
    RecipientRole.INTERNAL: "interne Stelle",
    RecipientRole.PUBLIC_AUTHORITY: "Behörde",
    RecipientRole.PUBLIC: "veröffentlichte Inhalte",
}

REGISTER_ROLE_GROUPS: GermanTerms = {
    RecipientRole.INTERNAL: "Interne Empfänger",
    RecipientRole.PROCESSOR: "Auftragsverarbeiter",
    RecipientRole.JOINT_CONTROLLER: "Dritte",
    RecipientRole.INDEPENDENT_CONTROLLER: "Dritte",
    RecipientRole.PUBLIC_AUTHORITY: "Dritte",
    RecipientRole.PUBLIC: "Die Öffentlichkeit",
}

SAFEGUARDS: GermanTerms = {
    TransferSafeguard.ADEQUACY_DECISION: (
        "Angemessenheitsbeschluss der Europäischen Kommission (Art. 45 DSGVO)"
    ),
    TransferSafeguard.STANDARD_CONTRACTUAL_CLAUSES: (
        "von der Europäischen Kommission erlassene Standarddatenschutzklauseln "
        "(Art. 46 Abs. 2 lit. c DSGVO)"
    ),
    TransferSafeguard.BINDING_CORPORATE_RULES: (
        "verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)"
    ),
    TransferSafeguard.CODE_OF_CONDUCT: "genehmigte Verhaltensregeln (Art. 46 Abs. 2 lit. e DSGVO)",
    TransferSafeguard.CERTIFICATION: (
        "genehmigter Zertifizierungsmechanismus (Art. 46 Abs. 2 lit. f DSGVO)"
    ),
    TransferSafeguard.DEROGATION: "Ausnahme für bestimmte Fälle (Art. 49 DSGVO)",
}

VERIFICATION: GermanTerms = {
    VerificationMethod.EMAIL_CODE: (
        "Sie geben dazu einen Einmalcode ein, den wir an die uns bekannte E-Mail-Adresse senden"
    ),
    VerificationMethod.ACCOUNT_LOGIN: "Sie melden sich dazu in Ihrem Konto an",
    VerificationMethod.SMS_CODE: (
        "Sie geben dazu einen Einmalcode ein, den wir per SMS an die uns bekannte Nummer senden"
    ),
    VerificationMethod.ID_DOCUMENT: (
        "Sie fügen Ihrem Antrag dazu die Kopie eines Identitätsnachweises bei"
    ),
    VerificationMethod.KNOWN_DETAILS: (
        "Sie beantworten dazu Fragen zu Angaben, die uns bereits über Sie vorliegen"
    ),
    VerificationMethod.EMAIL_ADDRESS_ON_FILE: (
        "Ihr Antrag muss uns dazu von der E-Mail-Adresse erreichen, die uns bekannt ist"
    ),
    # Art. 12(6): the template writes its own sentence; this is its short form.
    VerificationMethod.ON_DOUBT: "nur bei begründeten Zweifeln an Ihrer Identität",
}

REQUIREMENTS: GermanTerms = {
    DataRequirement.STATUTORY: "Die Bereitstellung dieser Daten ist gesetzlich vorgeschrieben.",
    DataRequirement.CONTRACTUAL: "Die Bereitstellung dieser Daten ist vertraglich vorgeschrieben.",
    DataRequirement.CONTRACT_PREREQUISITE: (
        "Die Bereitstellung dieser Daten ist für einen Vertragsabschluss erforderlich."
    ),
    DataRequirement.VOLUNTARY: "Die Bereitstellung dieser Daten ist freiwillig.",
}

HOSTING: GermanTerms = {
    HostingRegion.EU: "der Europäischen Union",
    HostingRegion.EEA: "dem Europäischen Wirtschaftsraum",
}

SOURCE_KINDS: GermanTerms = {
    DataSourceKind.DATA_SUBJECT: "bei Ihnen",
    DataSourceKind.THIRD_PARTY: "bei Dritten",
    DataSourceKind.PUBLIC_SOURCES: "aus öffentlich zugänglichen Quellen",
}

# Each event in the dative with its article, after "nach" or "bis zu": "nach dem letzten
# Kontakt", "bis zur Löschung des Kontos" (``wording_de`` contracts "zu der" and "zu dem").
EVENTS: GermanTerms = {
    RetentionEvent.COLLECTION: "der Erhebung",
    RetentionEvent.DEPOSIT: "dem Setzen des Cookies",
    RetentionEvent.LAST_CONTACT: "dem letzten Kontakt",
    RetentionEvent.LAST_ACTIVITY: "der letzten Aktivität",
    RetentionEvent.ACCOUNT_DELETION: "der Löschung des Kontos",
    RetentionEvent.CONTRACT_END: "dem Ende des Vertrags",
    RetentionEvent.END_OF_RELATIONSHIP: "dem Ende unserer Beziehung zu Ihnen",
    RetentionEvent.CONSENT_WITHDRAWAL: "dem Widerruf der Einwilligung",
    RetentionEvent.TRANSACTION: "dem Geschäftsvorfall",
    RetentionEvent.FISCAL_YEAR_END: "dem Ende des Geschäftsjahres",
    RetentionEvent.REQUEST_CLOSED: "dem Abschluss der Anfrage",
    RetentionEvent.APPLICATION_CLOSED: "dem Abschluss des Bewerbungsverfahrens",
    RetentionEvent.EMPLOYMENT_END: "dem Ende des Beschäftigungsverhältnisses",
    RetentionEvent.APP_UNINSTALL: "der Deinstallation der App",
    RetentionEvent.DISPUTE_CLOSED: "dem rechtskräftigen Abschluss des Rechtsstreits",
}

DATA_FORMS: GermanTerms = {
    DataForm.PSEUDONYMISED: "erhält nur pseudonymisierte Daten",
    DataForm.ANONYMISED: "erhält nur Daten, die vor der Übermittlung anonymisiert werden",
}

ART22_EXCEPTIONS: GermanTerms = {
    Art22Exception.CONTRACT: (
        "sie für den Abschluss oder die Erfüllung eines Vertrags zwischen Ihnen und uns "
        "erforderlich ist (Art. 22 Abs. 2 lit. a DSGVO)"
    ),
    Art22Exception.LAW: (
        "sie aufgrund von Rechtsvorschriften der Union oder der Mitgliedstaaten, denen wir "
        "unterliegen, zulässig ist; diese Rechtsvorschriften enthalten angemessene Maßnahmen "
        "zur Wahrung Ihrer Rechte und Freiheiten sowie Ihrer berechtigten Interessen "
        "(Art. 22 Abs. 2 lit. b DSGVO)"
    ),
    Art22Exception.EXPLICIT_CONSENT: (
        "sie mit Ihrer ausdrücklichen Einwilligung erfolgt (Art. 22 Abs. 2 lit. c DSGVO)"
    ),
}


# The shapes real policies have (``shapes``): where a category of recipients is, how a
# contact channel is introduced, what a recipient receives when it lists no categories.
REGIONS: GermanTerms = {
    HostingRegion.EU: "Europäische Union",
    HostingRegion.EEA: "Europäischer Wirtschaftsraum",
}

# After "Sie können Ihre Rechte wie folgt geltend machen:", one item per channel.
CHANNEL_LEADS: GermanTerms = {
    ChannelKind.EMAIL: "per E-Mail an",
    ChannelKind.WEBSITE: "online unter",
    ChannelKind.FORM: "über das Formular unter",
    ChannelKind.POST: "per Post an:",
    ChannelKind.PHONE: "telefonisch unter",
}

AS_PURPOSES: GermanTerms = {"as_purposes": "Daten der jeweiligen Verarbeitungen"}
