"""The words of the console for request states, types and verification methods (fr, en)."""

from __future__ import annotations

from collections.abc import Mapping

from gardien.requests.completion import spoken_date

STATES: Mapping[str, tuple[str, str]] = {
    "received": ("Reçue", "Received"),
    "awaiting_verification": ("En attente du code e-mailé", "Awaiting the e-mailed code"),
    "verified": ("Identité vérifiée : à décider", "Identity verified: to decide"),
    "approved": ("Acceptée : exécution prévue", "Approved: execution queued"),
    "in_progress": ("En cours d’exécution", "Being carried out"),
    "blocked": ("Bloquée : nouvel essai prévu", "Blocked: to be retried"),
    "completed": ("Terminée", "Completed"),
    "rejected": ("Refusée", "Rejected"),
    "withdrawn": ("Retirée", "Withdrawn"),
    "expired": ("Expirée faute de vérification", "Expired, never verified"),
}

TYPES: Mapping[str, tuple[str, str]] = {
    "access": ("Accès (art. 15)", "Access (Art. 15)"),
    "rectification": ("Rectification (art. 16)", "Rectification (Art. 16)"),
    "erasure": ("Effacement (art. 17)", "Erasure (Art. 17)"),
    "restriction": ("Limitation (art. 18)", "Restriction (Art. 18)"),
    "portability": ("Portabilité (art. 20)", "Portability (Art. 20)"),
    "objection": ("Opposition (art. 21)", "Objection (Art. 21)"),
    "withdrawal": ("Retrait du consentement (art. 7(3))", "Consent withdrawal (Art. 7(3))"),
    "post_mortem": ("Directives post mortem (loi I&L art. 85)",
                    "Post-mortem directives (French DPA art. 85)"),
}  # fmt: skip

METHODS: Mapping[str, tuple[str, str]] = {
    "email_code": ("Code envoyé par e-mail", "E-mailed code"),
    "id_document": ("Pièce d’identité", "Identity document"),
    "account_login": ("Connexion au compte client", "Signed in to their customer account"),
    "in_person": ("En personne", "In person"),
    "postal_mail": ("Courrier postal", "Postal mail"),
}

CHANNELS: Mapping[str, tuple[str, str]] = {
    "public": ("Espace confidentialité", "Privacy center"),
    "agent": ("Saisie par le personnel", "Entered by staff"),
}


def word(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    """``key``'s word in ``lang`` (the key itself when the table lacks it)."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "fr" else pair[1]


#: The timeline's notes, as the requests room writes them (English, in the store), and
#: their French words; ``{}`` stands for the rest of the note (a method, a day).
_NOTES_FR = (
    ("verified by email_code", "vérifiée par le code e-mailé"),
    ("verified by staff: ", "vérifiée par le personnel : "),
    ("deadline extended to ", "échéance prolongée au "),
    ("withdrawn by the person", "retirée par la personne"),
    ("withdrawn by staff", "retirée par le personnel"),
    ("not verified within 7 days", "non vérifiée sous 7 jours"),
)


def timeline_note(note: str | None, lang: str) -> str:
    """A timeline note in ``lang``: the known phrases in French, the rest as written."""
    if not note or lang != "fr":
        return note or ""
    for english, french in _NOTES_FR:
        if note.startswith(english):
            rest = note[len(english) :]
            if english.startswith("verified by staff"):
                rest = word(METHODS, rest, "fr").lower()
            if english.startswith("deadline") and len(rest) == 10:
                rest = spoken_date(rest, "fr")
            return french + rest
    return note


#: Who acted, for the actors that are not a staff member, a key or a command's user.
ACTORS: Mapping[str, tuple[str, str]] = {
    "subject": ("la personne", "the person"),
    "worker": ("exécution automatique", "automatic execution"),
}
