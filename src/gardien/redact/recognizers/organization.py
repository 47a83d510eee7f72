"""Company names that carry their legal form: "Dupont et Fils", "Martin SARL",
"Acme Inc.", "Smith, Jones and Brown"; and brand-style names written in one
word with inner capitals ("DataNova", "ShopRight", "HelloWork").

NER often cuts such names short or misses them; a legal form is strong,
language-independent evidence that the words before it name a company. A
word joining capitalised parts of two letters or more is how companies and
brands write their names, rarely how a sentence or a person's name is written
("McDonald", "DiCaprio", "LeBlanc" have one-letter-pair prefixes and stay out):
it is weak evidence, only taken where NER found nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gardien.redact.not_names import is_jargon
from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import ORGANIZATION, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# NER labels of things that are not organisations: the English model's
# products, works, events, laws and languages. The French model's MISC is not
# one of them: it also tags companies ("Deloitte", "TechCorp") there.
_NOT_COMPANIES = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})


def _wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


_CAP = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][\w'’&\-]*"
_FORMS = (
    r"(?:SARL|SAS|SASU|SA|S\.A\.R\.L\.|S\.A\.S\.U\.|S\.A\.(?:S\.)?|S\.N\.C\.|SCA|SCI|SCOP|SNC|EURL|GIE|SE|Inc\.?|Incorporated|LLC"
    r"|LLP|L\.L\.C\.|Ltd\.?|Limited|PLC|plc|GmbH|AG|BV|NV|Corp\.?|Corporation|Co\.|Group"
    r"|Groupe|Holding|Holdings|Partners|Associates|et Fils|& Fils|& Co\.?|and Sons|& Sons)"
)
# Capitalised words that start sentences or follow prepositions but never
# begin a company name; they are trimmed from the front of a match.
_LEADING_NOISE = _wordset(
    """Chez Pour Avec Par Le La Les Un Une De Des Du Et Ou Notre Votre Leur Société
    Entreprise Magasin Fournisseur Client The A An At For With By From And Or Our Your
    Their Company Firm Store Supplier Customer Dear Bonjour Hello"""
)


class OrganizationRecognizer(PatternRecognizer):
    """Capitalised names followed by a legal form, and "X, Y and Z" firm names."""

    name = "organization"
    LABEL = ORGANIZATION
    PATTERNS = (
        Pattern(
            "legal-form",
            rf"\b(?:{_CAP}[ \-]){{1,4}}{_FORMS}(?![\w])",
            0.9,
            trigger=rf"[ \-]{_FORMS}",
        ),
        Pattern(
            "legal-form-comma",
            rf"\b(?:{_CAP}[ \-]){{0,3}}{_CAP},\s{_FORMS}(?![\w])",
            0.9,
            trigger=rf",\s{_FORMS}",
        ),
        Pattern(
            "camel-case-brand",
            r"(?<![\w@#/.])[A-Z][a-z]{2,}(?:[A-Z][a-z]+)+(?:\s(?:[A-Z][a-z]+|[A-Z]{2,}))?(?![\w@.]\w)",
            0.6,
        ),
        Pattern(
            "partners",
            rf"\b{_CAP},\s{_CAP}(?:,\s{_CAP})*,?\s(?:and|et|&)\s{_CAP}\b",
            0.75,
            trigger=r",\s",
        ),
    )
    VALID_SCORE = None

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        # A camel-case word the model reads as a product, a work or a language
        # ("PlayStation", "JavaScript") is not taken for a company, nor a word
        # of the trade ("DevOps", "FinTech": ``not_names.JARGON``).
        things = (
            [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in _NOT_COMPANIES]
            if doc is not None
            else []
        )
        return [
            s
            for s in super().analyze(text, lang, doc)
            if s.explanation.pattern != "camel-case-brand"
            or not (
                is_jargon(s.text.split()[0]) or any(a < s.end and s.start < b for a, b in things)
            )
        ]

    def refine(self, text: str, start: int, end: int) -> tuple[int, int]:
        while True:
            space = text.find(" ", start, end)
            if space == -1 or text[start:space] not in _LEADING_NOISE:
                return start, end
            start = space + 1
