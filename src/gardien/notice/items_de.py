"""Where the German notice says each Art. 13/14 item, and in which words.

The German twin of ``items.ART_13_14_ITEMS``: for every item of the checklist, the
phrase ``sections.de.j2`` writes whenever the item applies (the same ``applies`` as
the French and English item), and, for the copy of transfer safeguards, what it
writes when there is no transfer. Kept apart so that the French and English items
stay as they are; a test fails on an item of the checklist missing here.
"""

from __future__ import annotations

from collections.abc import Mapping

from gardien.declaration.transparency import TransparencyItem as T

#: Per item: the phrase the German notice writes, and what it writes when the item does
#: not apply (None: it writes nothing).
GERMAN_PHRASES: Mapping[T, tuple[str, str | None]] = {
    T.CONTROLLER_IDENTITY: ("Verantwortlicher im Sinne der DSGVO ist", None),
    T.CONTROLLER_CONTACT: ("Sie erreichen uns per E-Mail unter", None),
    T.DPO_CONTACT: ("unseren Datenschutzbeauftragten", None),
    T.PURPOSES: ("Übersicht der Verarbeitungen", None),
    T.LEGAL_BASIS: ("Rechtsgrundlage:", None),
    T.LEGITIMATE_INTERESTS: ("Berechtigtes Interesse:", None),
    T.DATA_CATEGORIES: ("Kategorien personenbezogener Daten", None),
    T.RECIPIENTS: ("Empfänger und Kategorien von Empfängern", None),
    T.INTERNATIONAL_TRANSFERS: ("außerhalb des Europäischen Wirtschaftsraums", None),
    T.TRANSFER_SAFEGUARDS_COPY: (
        "Eine Kopie dieser Garantien",
        "Wir übermitteln Ihre Daten nicht in Länder außerhalb des Europäischen Wirtschaftsraums.",
    ),
    T.RETENTION: ("Speicherdauer:", None),
    T.RIGHT_ACCESS: ("Auskunftsrecht", None),
    T.RIGHT_RECTIFICATION: ("Recht auf Berichtigung", None),
    T.RIGHT_ERASURE: ("Recht auf Löschung", None),
    T.RIGHT_RESTRICTION: ("Recht auf Einschränkung der Verarbeitung", None),
    T.RIGHT_PORTABILITY: ("Recht auf Datenübertragbarkeit", None),
    T.RIGHT_OBJECTION: ("Ihr Widerspruchsrecht nach Art. 21 DSGVO", None),
    T.OBJECTION_DIRECT_MARKETING: ("Widerspruch gegen Direktwerbung", None),
    T.WITHDRAW_CONSENT: (
        "Die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung bleibt davon unberührt",
        None,
    ),
    T.EXERCISE_RIGHTS_CONTACT: ("Sie können Ihre Rechte wie folgt geltend machen", None),
    T.RESPONSE_DEADLINE: ("Wir beantworten Ihren Antrag innerhalb", None),
    T.IDENTITY_VERIFICATION: ("prüfen wir vor der Bearbeitung Ihres Antrags Ihre Identität", None),
    T.COMPLAINT_AUTHORITY: ("sich bei einer Aufsichtsbehörde zu beschweren (Art. 77 DSGVO)", None),
    T.SUPERVISORY_AUTHORITY_ADDRESS: ("Für uns zuständig ist:", None),
    T.STATUTORY_REQUIREMENT: ("ob Sie zur Bereitstellung Ihrer Daten verpflichtet sind", None),
    T.AUTOMATED_DECISION_MAKING: ("Automatisierte Entscheidungsfindung und Profiling", None),
    T.DATA_SOURCE: ("Herkunft der Daten", None),
    T.COOKIES: ("Cookies und ähnliche Technologien", None),
    T.VERSION: ("Fassung", None),
}
