"""Names introduced by a civility title: "M. Martin", "Mme Claire Dubois",
"Dr Watson", "Mrs. Hudson". The title itself is not part of the name."""

from __future__ import annotations

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import PERSON

_NAME_WORD = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][a-zàâäçéèêëîïôöùûüÿ'’\-]+|[A-Z]\."
_NAME = rf"(?P<v>(?:{_NAME_WORD})(?:\s(?:{_NAME_WORD})){{0,2}}|[A-Z]{{2,}}(?:[ \-][A-Z]{{2,}})?\b)"
_FR = frozenset({"fr"})
_EN = frozenset({"en"})

#: Titles, per language, that PERSON spans never include.
TITLES: dict[str, tuple[str, ...]] = {
    "fr": ("M.", "Mme", "Mlle", "Mr", "Madame", "Monsieur", "Mademoiselle", "Me", "Maître",
           "Dr", "Docteur", "Pr", "Professeur"),
    "en": ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Madam", "Lady",
           "Lord"),
}  # fmt: skip


class TitledPersonRecognizer(PatternRecognizer):
    """A capitalised name right after a civility title."""

    name = "titled_person"
    LABEL = PERSON
    PATTERNS = (
        Pattern(
            "fr-title",
            r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Madame|Monsieur|Mademoiselle|Ma[îi]tre|Me|Dr\.?|Docteur"
            r"|Pr\.?|Professeur)\s+" + _NAME,
            0.9,
            languages=_FR,
        ),
        Pattern(
            "en-title",
            r"\b(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?|Miss|Professor|Sir|Madam|Lady|Lord)\s+" + _NAME,
            0.9,
        ),
        # French names turn up in English text with their French titles.
        Pattern(
            "fr-title-in-en",
            r"\b(?:Mme|Mlle|Madame|Monsieur|Mademoiselle)\s+" + _NAME,
            0.9,
            languages=_EN,
        ),
    )
    VALID_SCORE = None
