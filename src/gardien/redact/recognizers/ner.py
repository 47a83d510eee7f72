"""Names, places and organisations found by a statistical spaCy NER model.

The model's labels are mapped to gardien's (PER/PERSON → PERSON, LOC/GPE/FAC
→ LOCATION, ORG → ORGANIZATION); other labels (MISC, DATE, MONEY…) are
ignored because rules cover the ones that matter. Spans are then cleaned:
civility titles, a leading article and a trailing possessive are cut off,
and one-letter "entities" are dropped, and so are lowercase ones, unless the
whole text is written without capitals (then names are lower case too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from gardien.redact.gazetteer import common_words
from gardien.redact.not_names import not_a_name
from gardien.redact.products import is_product, named_as_company
from gardien.redact.recognizers.base import Recognizer
from gardien.redact.recognizers.titled_person import TITLES
from gardien.redact.span import LOCATION, ORGANIZATION, PERSON, Explanation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Titles of both languages: French names appear in English text and back.
_TITLE_WORDS = sorted({re.escape(t.rstrip(".")) for ts in TITLES.values() for t in ts})
_LEADING = re.compile(r"^(?:(?:" + "|".join(_TITLE_WORDS) + r")\.?\s+)+")
_ARTICLE = re.compile(r"^(?:(?:the|le|la|les)\s+|l['’])", re.IGNORECASE)
# Words NER sometimes takes for a name on their own: identifier acronyms and
# greetings or polite formulas at the start of a sentence.
_NEVER_ALONE = frozenset(
    {
        "rcs", "siren", "siret", "iban", "rib", "bic", "swift", "nir", "tva", "vat", "cni",
        "rgpd", "gdpr", "ip", "url", "sms", "pdf", "cb", "id", "faq", "cgv", "api",
        "veuillez", "merci", "bonjour", "bonsoir", "cordialement", "salut", "madame",
        "monsieur", "hello", "dear", "thanks", "regards", "hi", "please",
        # Abbreviations of support, HR and payment jargon.
        "vip", "kpi", "crm", "erp", "otp", "pin", "puk", "sav", "rh", "drh", "sepa", "rum",
        "cdi", "cdd", "ttc", "ht", "mms", "eta", "asap", "cc", "cci", "nb", "ok", "rdv", "svp",
        "stp", "cv", "ceo", "cfo", "cto", "coo", "dpo", "hr", "qa", "ui", "ux", "vpn", "sla",
        "mfa", "2fa", "sso", "maj", "pj", "cgu", "tpe", "pme", "ssn", "nino", "dob",
        # Parts of a postal address: "Bât. B", "Appt 12", "Esc. 3".
        "bât", "bat", "bâtiment", "appt", "apt", "esc", "escalier", "étage", "résidence",
        "lieu-dit", "bp", "cs", "cedex", "suite", "unit", "flat", "floor",
        # Roles and titles, capitalised at the head of a list item or a heading
        # ("Président: …", "Sponsors", "Partner"): never a name on their own.
        "président", "présidente", "professeur", "docteur", "maître", "présentateur",
        "présentatrice", "associé", "associée", "partner", "partners", "sponsor", "sponsors",
        "auditeur", "auditrice", "interviewer", "consultant", "consultante", "secrétaire",
        "trésorier", "trésorière", "participant", "participants", "invité", "invitée",
        "rapporteur", "rapporteuse", "president", "professor", "doctor", "chairman", "chair",
        "speaker", "host", "guest", "auditor",
        # Words of reports and minutes that head a line: "Budget: …", "Action: …".
        "budget", "action", "actions", "programme", "program", "conseil", "structure", "comex",
        "codir", "agenda", "ordre", "synthèse", "conclusion", "contexte", "objectif",
        "objectifs", "recommandation", "résumé", "summary", "context", "goal", "goals",
        # Abbreviations of roles and business terms in minutes and reports.
        "dg", "pdg", "vp", "bu", "ca", "dsi", "rssi", "daf", "soc", "noc", "pmo", "poc", "mvp",
        "roi", "okr", "si", "dpia", "aipd", "pia", "ciso", "cio",
    }
)  # fmt: skip
# A span that starts with a role or a department names a function, not a
# person or a company: "Responsable Achats", "Direction Financière".
_ROLE_HEADS = frozenset(
    {
        "responsable", "direction", "directeur", "directrice", "service", "département",
        "pôle", "équipe", "chef", "cheffe", "head", "department", "team", "director",
        "manager", "chief", "division", "desk",
    }
)  # fmt: skip
# Separators of "Name — Title" signatures and "Name: X / City: Y" forms, and
# the brackets, colons and quotes of chat logs ("agent (Sophie): Merci"): an
# entity does not run across them.
_SEPARATOR = re.compile(r"\s+[—–/|]\s+|\s*/\s*|\s+-\s+|[()\[\]{}<>:;!?«»\"]")
# Words that introduce a company: a name on their own, never, but the start of
# one sometimes ("Société Générale"), so they are not cut from a longer span.
_COMPANY_WORDS = frozenset(
    {"entreprise", "société", "company", "magasin", "store", "client", "cliente", "customer"}
)
_NOT_A_NAME = _NEVER_ALONE | _COMPANY_WORDS
# Names of fields and documents: capitalised at the start of a sentence or of
# a "Label: value" line, NER takes them for a name ("Passeport", "Téléphone",
# "Numéro SIRET"). They are cut from the front of a span, which is dropped when
# nothing else is left.
_FIELD_WORDS = _NEVER_ALONE | frozenset(
    {
        "passeport", "passport", "téléphone", "telephone", "phone", "tél", "tel", "mobile",
        "portable", "numéro", "number", "no", "n°", "livraison", "delivery", "adresse",
        "address", "facture", "invoice", "commande", "order", "contrat", "contract", "dossier",
        "référence", "reference", "réf", "ref", "compte", "account", "carte", "card", "version",
        "objet", "subject", "nom", "name", "prénom", "email", "e-mail", "mail", "courriel",
        "identifiant", "login", "ticket", "colis", "parcel", "suivi", "tracking", "code",
    }
)  # fmt: skip
_FIELD_HEAD = re.compile(r"([^\s:]+)(?::?\s+|:?$)")
# A word with three digits or more, or six characters or more mixing letters
# and digits, is a code or a reference ("6A12345678901", "IK4FIRIR9"), not a name.
_CODE_LIKE = re.compile(r"\b(?:\w*\d\w*\d\w*\d\w*|(?=\w{6})(?=\w*\d)(?=\w*[^\W\d])\w+)\b")
# "Michèle du SAV": a person's span ends before the team or acronym after it.
_TEAM_TAIL = re.compile(r"\s+(?:du|de\s+la|de\s+l'|des|de|of|from)\s+(?:the\s+)?[A-Z]{2,}\b.*$")
_TRAILING = re.compile(r"(?:'s|’s|'|’|[\s.,;:!?\-–—\"«»()])+$")


# Lower-case words inside a person's name: particles only ("Marie de la Tour",
# "Ludwig van Beethoven"). A "name" holding two other lower-case words is a
# stretch of sentence the model mistook for one ("The app crashes every time").
NAME_PARTICLES = frozenset(
    {
        "de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "ter", "da", "di",
        "do", "dos", "das", "del", "della", "y", "e", "bin", "ben", "ibn", "al", "el", "af",
    }
)  # fmt: skip
_MAX_PLAIN_WORDS = 2


def _is_plain_word(word: str) -> bool:
    folded = word.casefold()
    return word[:1].islower() and folded not in NAME_PARTICLES and not folded.startswith("d'")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` between line breaks: a name, a place
    or a company is written on one line, and the model's span running across
    one ("Priya" and the next paragraph) is two candidates, not one."""
    parts = []
    while (cut := text.find("\n", start, end)) != -1:
        parts.append((start, cut))
        start = cut + 1
    parts.append((start, end))
    return [(a, b) for a, b in parts if text[a:b].strip()]


class SpacyNerRecognizer(Recognizer):
    """Entities of a spaCy ``Doc`` as PERSON, LOCATION and ORGANIZATION spans."""

    name = "spacy_ner"
    labels = (PERSON, LOCATION, ORGANIZATION)
    uses_nlp = True
    LABEL_MAP: ClassVar[dict[str, str]] = {
        "PER": PERSON,
        "PERSON": PERSON,
        "LOC": LOCATION,
        "GPE": LOCATION,
        "FAC": LOCATION,
        "ORG": ORGANIZATION,
    }
    # spaCy's small and medium pipelines do not output probabilities; this is
    # the confidence presidio gives them too.
    SCORE: ClassVar[float] = 0.85

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        if doc is None:
            return []
        spans: list[Span] = []
        # A text written without any capital writes names in lower case too.
        lower_text = not any(c.isupper() for c in text)
        for ent in doc.ents:
            label = self.LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            for line_start, line_end in _lines(text, ent.start_char, ent.end_char):
                start, end = self._clean(text, line_start, line_end, label)
                kind = label
                if kind == PERSON and is_product(text[start:end]):
                    # A product the model took for a person ("the Zendesk
                    # widget") is none; after "at", "chez"… it is the company.
                    if not named_as_company(text, start):
                        continue
                    kind = ORGANIZATION
                if self._is_a_name(text[start:end], kind, lower_text) and not not_a_name(
                    text, start, end, kind, lang
                ):
                    explanation = Explanation(
                        recognizer=self.name,
                        pattern=f"{ent.label_}",
                        original_score=self.SCORE,
                        score=self.SCORE,
                    )
                    spans.append(Span(start, end, kind, self.SCORE, explanation, text[start:end]))
        return spans

    @staticmethod
    def _is_a_name(value: str, label: str, lower_text: bool = False) -> bool:
        if len(value) < 2:
            return False
        if not any(c.isupper() for c in value) and not (
            # In a text with no capital, a lower-case entity may be a name, if
            # one of its words at least is not an everyday word.
            lower_text and any(w not in common_words() for w in value.split())
        ):
            return False
        if value.casefold() in _NOT_A_NAME or _CODE_LIKE.search(value):
            return False
        words = value.split()
        if label == PERSON and sum(_is_plain_word(w) for w in words) >= _MAX_PLAIN_WORDS:
            return False
        folded = value.casefold().split()
        return folded[0] not in _ROLE_HEADS and folded[-1] not in _ROLE_HEADS

    @staticmethod
    def _clean(text: str, start: int, end: int, label: str) -> tuple[int, int]:
        cut = _SEPARATOR.search(text, start, end)
        if cut:
            end = cut.start()
        while start < end and (head := _FIELD_HEAD.match(text, start, end)):
            if head.group(1).casefold().rstrip(".") not in _FIELD_WORDS:
                break
            start = head.end()
        value = text[start:end]
        if label == PERSON:
            head = _LEADING.match(value)
            if head:
                start += head.end()
            team = _TEAM_TAIL.search(text, start, end)
            if team:
                end = team.start()
        elif label == LOCATION:
            head = _ARTICLE.match(text[start:end])
            if head and head.end() < end - start:
                start += head.end()
        tail = _TRAILING.search(text[start:end])
        if tail:
            end = start + tail.start()
        return start, end
