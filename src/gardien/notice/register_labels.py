"""The register's own words in French, English and German: column headings and phrases.

The register (``register``) is written in one of the languages the notice is
published in. Its column headings follow, per language, the model its reader
knows: the CNIL's "modèle de registre" in French, the Art. 30(1) items as the
EDPB and the ICO's record template name them in English, and the headings of a
German "Verzeichnis von Verarbeitungstätigkeiten" (as the German supervisory
authorities' models lay it out) in German. The legal vocabulary itself (legal
bases, roles, safeguards, retention sentences) is the notice's (``vocabulary``,
``vocabulary_de``, ``wording_de``): only what a register says and a notice does not
is here. The French words are those the register always had, so a French register
is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gardien.declaration.models import Art9Condition, DataSourceKind, RecipientRole
from gardien.notice.vocabulary import Lang

# Each phrase in French, English and German.
Phrases = Mapping[Lang, str]


@dataclass(frozen=True)
class Column:
    """One column of the register: its stable key (JSON), its French heading (the CNIL's
    model), what it holds (in English), and its English and German headings."""

    key: str
    header: str
    meaning: str
    english: str
    german: str

    def header_in(self, lang: Lang) -> str:
        """The column's heading in ``lang``."""
        if lang == "de":
            return self.german
        return self.english if lang == "en" else self.header


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "Nom / sigle du traitement",
        "Name of the processing activity",
        "Name of the processing activity",
        "Bezeichnung der Verarbeitungstätigkeit",
    ),
    Column(
        "reference",
        "N° / référence",
        "Reference (the purpose key in privacy.yaml)",
        "Reference",
        "Nr. / Referenz",
    ),
    Column(
        "updated",
        "Date de création / mise à jour",
        "Date of creation or last update",
        "Date created or last updated",
        "Datum der Anlage / letzten Änderung",
    ),
    Column(
        "controller",
        "Responsable du traitement",
        "Controller: name, address, contact",
        "Name and contact details of the controller",
        "Verantwortlicher",
    ),
    Column(
        "joint_controllers",
        "Responsable(s) conjoint(s)",
        "Joint controllers",
        "Joint controllers (Art. 26)",
        "Gemeinsam Verantwortliche (Art. 26 DSGVO)",
    ),
    Column(
        "representative",
        "Représentant",
        "EU representative (Art. 27)",
        "Name and contact details of the representative (Art. 27)",
        "Vertreter (Art. 27 DSGVO)",
    ),
    Column(
        "dpo",
        "Délégué à la protection des données",
        "Data protection officer",
        "Name and contact details of the data protection officer",
        "Datenschutzbeauftragter",
    ),
    Column(
        "purposes",
        "Finalité principale et sous-finalités",
        "Main purpose and sub-purposes",
        "Purposes of the processing",
        "Zwecke der Verarbeitung",
    ),
    Column(
        "legal_basis",
        "Base légale",
        "Legal basis (Art. 6, and Art. 9 condition)",
        "Lawful basis (Art. 6, and Art. 9 condition)",
        "Rechtsgrundlage",
    ),
    Column(
        "data_subjects",
        "Catégories de personnes concernées",
        "Categories of data subjects",
        "Categories of data subjects",
        "Kategorien betroffener Personen",
    ),
    Column(
        "data_categories",
        "Catégories de données personnelles",
        "Categories of personal data",
        "Categories of personal data",
        "Kategorien personenbezogener Daten",
    ),
    Column(
        "sensitive_data",
        "Données sensibles (art. 9 et 10)",
        "Special categories (Art. 9 and 10)",
        "Special categories and criminal offence data (Art. 9 and 10)",
        "Besondere Kategorien personenbezogener Daten (Art. 9 und 10 DSGVO)",
    ),
    Column(
        "retention",
        "Durées de conservation",
        "Retention periods",
        "Time limits for erasure",
        "Löschfristen",
    ),
    Column(
        "recipients",
        "Catégories de destinataires",
        "Recipients: internal, processors, third parties",
        "Categories of recipients",
        "Kategorien von Empfängern",
    ),
    Column(
        "transfers",
        "Transferts hors UE",
        "Transfers outside the EEA: recipient, country, safeguard",
        "Transfers to third countries and safeguards",
        "Übermittlungen in Drittländer und geeignete Garantien",
    ),
    Column(
        "security_measures",
        "Mesures de sécurité",
        "Security measures",
        "Technical and organisational security measures (Art. 32)",
        "Technische und organisatorische Maßnahmen (Art. 32 DSGVO)",
    ),
    Column(
        "sources",
        "Source des données",
        "Source of the data",
        "Source of the personal data",
        "Herkunft der Daten",
    ),
)

#: "Name : text" inside a cell: French puts a space before the colon.
COLON: Phrases = {"fr": " : ", "en": ": ", "de": ": "}
#: Between the parts of one entry.
SEMICOLON: Phrases = {"fr": " ; ", "en": "; ", "de": "; "}
#: Opens the Art. 9(2) condition after the legal basis, and its own line under operations.
SPECIAL_INLINE: Phrases = {
    "fr": " ; données sensibles : ",
    "en": "; special categories: ",
    "de": "; besondere Kategorien: ",
}
SPECIAL_LINE: Phrases = {
    "fr": "Données sensibles : ",
    "en": "Special categories: ",
    "de": "Besondere Kategorien: ",
}
SUB_PURPOSE: Phrases = {"fr": "Sous-finalité : ", "en": "Sub-purpose: ", "de": "Teilzweck: "}
RECEIVED: Phrases = {
    "fr": "données reçues : ",
    "en": "data received: ",
    "de": "empfangene Daten: ",
}
NO_SAFEGUARD: Phrases = {
    "fr": "aucune garantie déclarée",
    "en": "no safeguard declared",
    "de": "keine geeigneten Garantien angegeben",
}
NO_TRANSFER: Phrases = {"fr": "Aucun", "en": "None", "de": "Keine"}
NO_SPECIAL: Phrases = {"fr": "Non", "en": "No", "de": "Nein"}
SPECIAL_FOUND: Phrases = {"fr": "Oui : ", "en": "Yes: ", "de": "Ja: "}
COLLECTED_DIRECTLY: Phrases = {
    "fr": "Collecte directe auprès de la personne concernée",
    "en": "Collected directly from the data subject",
    "de": "Direkterhebung bei der betroffenen Person",
}

# A recipient's role after its name, where the group it is listed under ("Dritte",
# "Third parties") already says it is a third party; other roles are the notice's.
ROLES: Mapping[Lang, Mapping[str, str]] = {
    "en": {RecipientRole.INDEPENDENT_CONTROLLER: "independent controller"},
    "de": {
        RecipientRole.INDEPENDENT_CONTROLLER: "eigenständig Verantwortlicher",
        RecipientRole.JOINT_CONTROLLER: "gemeinsam Verantwortlicher (Art. 26 DSGVO)",
    },
}

# The register speaks of the person in the third person, where the notice says "you":
# each language has its own words here for the values the notice addresses to the
# person, and falls back to the notice's for the others.
SOURCE_KINDS: Mapping[Lang, Mapping[str, str]] = {
    "fr": {DataSourceKind.DATA_SUBJECT: "auprès de la personne concernée"},
    "en": {
        DataSourceKind.DATA_SUBJECT: "from the data subject",
        DataSourceKind.THIRD_PARTY: "from third parties",
        DataSourceKind.PUBLIC_SOURCES: "from publicly accessible sources",
    },
    "de": {
        DataSourceKind.DATA_SUBJECT: "bei der betroffenen Person",
        DataSourceKind.THIRD_PARTY: "bei Dritten",
        DataSourceKind.PUBLIC_SOURCES: "aus öffentlich zugänglichen Quellen",
    },
}

ART9_CONDITIONS: Mapping[Lang, Mapping[str, str]] = {
    "fr": {
        Art9Condition.EXPLICIT_CONSENT: (
            "consentement explicite de la personne concernée (article 9.2.a du RGPD)"
        ),
        Art9Condition.EMPLOYMENT_SOCIAL_SECURITY: (
            "obligations du responsable du traitement en matière de droit du travail et de la "
            "sécurité sociale (article 9.2.b du RGPD)"
        ),
        Art9Condition.VITAL_INTERESTS: (
            "sauvegarde des intérêts vitaux de la personne concernée, dans l'incapacité de "
            "consentir (article 9.2.c du RGPD)"
        ),
        Art9Condition.MADE_PUBLIC: (
            "données manifestement rendues publiques par la personne concernée "
            "(article 9.2.e du RGPD)"
        ),
    },
    "en": {
        Art9Condition.EXPLICIT_CONSENT: "explicit consent of the data subject (Art. 9(2)(a))",
        Art9Condition.EMPLOYMENT_SOCIAL_SECURITY: (
            "obligations under employment and social security law (Art. 9(2)(b))"
        ),
        Art9Condition.VITAL_INTERESTS: (
            "vital interests of a data subject incapable of giving consent (Art. 9(2)(c))"
        ),
        Art9Condition.NOT_FOR_PROFIT_BODY: (
            "legitimate activities of a not-for-profit body (Art. 9(2)(d))"
        ),
        Art9Condition.MADE_PUBLIC: (
            "data manifestly made public by the data subject (Art. 9(2)(e))"
        ),
        Art9Condition.LEGAL_CLAIMS: (
            "establishment, exercise or defence of legal claims (Art. 9(2)(f))"
        ),
        Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST: (
            "reasons of substantial public interest (Art. 9(2)(g))"
        ),
        Art9Condition.HEALTH_OR_SOCIAL_CARE: (
            "preventive or occupational medicine, health or social care (Art. 9(2)(h))"
        ),
        Art9Condition.PUBLIC_HEALTH: "public interest in the area of public health (Art. 9(2)(i))",
        Art9Condition.ARCHIVING_RESEARCH_STATISTICS: (
            "archiving in the public interest, scientific or historical research or "
            "statistical purposes (Art. 9(2)(j))"
        ),
    },
    "de": {
        Art9Condition.EXPLICIT_CONSENT: (
            "ausdrückliche Einwilligung der betroffenen Person (Art. 9 Abs. 2 lit. a DSGVO)"
        ),
        Art9Condition.EMPLOYMENT_SOCIAL_SECURITY: (
            "Pflichten aus dem Arbeitsrecht und dem Recht der sozialen Sicherheit "
            "(Art. 9 Abs. 2 lit. b DSGVO)"
        ),
        Art9Condition.VITAL_INTERESTS: (
            "Schutz lebenswichtiger Interessen einer zur Einwilligung außerstande "
            "betroffenen Person (Art. 9 Abs. 2 lit. c DSGVO)"
        ),
        Art9Condition.NOT_FOR_PROFIT_BODY: (
            "rechtmäßige Tätigkeiten einer Organisation ohne Gewinnerzielungsabsicht "
            "(Art. 9 Abs. 2 lit. d DSGVO)"
        ),
        Art9Condition.MADE_PUBLIC: (
            "von der betroffenen Person offensichtlich öffentlich gemachte Daten "
            "(Art. 9 Abs. 2 lit. e DSGVO)"
        ),
        Art9Condition.LEGAL_CLAIMS: (
            "Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen "
            "(Art. 9 Abs. 2 lit. f DSGVO)"
        ),
        Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST: (
            "Gründe eines erheblichen öffentlichen Interesses (Art. 9 Abs. 2 lit. g DSGVO)"
        ),
        Art9Condition.HEALTH_OR_SOCIAL_CARE: (
            "Gesundheitsvorsorge, Arbeitsmedizin oder Versorgung im Gesundheits- oder "
            "Sozialbereich (Art. 9 Abs. 2 lit. h DSGVO)"
        ),
        Art9Condition.PUBLIC_HEALTH: (
            "öffentliches Interesse im Bereich der öffentlichen Gesundheit "
            "(Art. 9 Abs. 2 lit. i DSGVO)"
        ),
        Art9Condition.ARCHIVING_RESEARCH_STATISTICS: (
            "im öffentlichen Interesse liegende Archivzwecke, wissenschaftliche oder "
            "historische Forschungszwecke oder statistische Zwecke (Art. 9 Abs. 2 lit. j DSGVO)"
        ),
    },
}

#: The Markdown title and the sentence under it: {controller} and {date} filled in.
TITLE: Phrases = {
    "fr": "Registre des activités de traitement",
    "en": "Record of processing activities",
    "de": "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 Abs. 1 DSGVO)",
}
INTRO: Phrases = {
    "fr": "Responsable du traitement : {controller} — registre établi au {date} "
    "(article 30.1 du RGPD).",
    "en": "Controller: {controller} — record as at {date} (Article 30(1) GDPR).",
    "de": "Verantwortlicher: {controller} — Stand: {date}.",
}
#: The XLSX sheet's name.
SHEET: Phrases = {"fr": "Registre", "en": "Record", "de": "Verzeichnis"}
