"""Names, places and organisations found by a statistical spaCy NER model.

The model's labels are mapped to gardien's (PER/PERSON → PERSON, LOC/GPE/FAC
→ LOCATION, ORG → ORGANIZATION); other labels (MISC, DATE, MONEY…) are
ignored because rules cover the ones that matter. Spans are then cleaned:
civility titles, a leading article and a trailing possessive are cut off,
and lowercase or one-letter "entities" are dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

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
    }
)  # fmt: skip
_TRAILING = re.compile(r"(?:'s|’s|'|’|[\s.,;:!?\-–—\"«»()])+$")


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
        for ent in doc.ents:
            label = self.LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            start, end = self._clean(text, ent.start_char, ent.end_char, label)
            value = text[start:end]
            if end - start < 2 or not any(c.isupper() for c in value):
                continue
            if value.casefold() in _NEVER_ALONE:
                continue
            explanation = Explanation(
                recognizer=self.name,
                pattern=f"{ent.label_}",
                original_score=self.SCORE,
                score=self.SCORE,
            )
            spans.append(Span(start, end, label, self.SCORE, explanation, value))
        return spans

    @staticmethod
    def _clean(text: str, start: int, end: int, label: str) -> tuple[int, int]:
        value = text[start:end]
        if label == PERSON:
            head = _LEADING.match(value)
            if head:
                start += head.end()
        elif label == LOCATION:
            head = _ARTICLE.match(text[start:end])
            if head and head.end() < end - start:
                start += head.end()
        tail = _TRAILING.search(text[start:end])
        if tail:
            end = start + tail.start()
        return start, end
