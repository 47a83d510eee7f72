"""Names introduced by a civility title: "M. Martin", "Mme Claire Dubois",
"Dr Watson", "Mrs. Hudson". The title itself is not part of the name."""

from __future__ import annotations

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import PERSON

_UP = r"[A-ZÀ-ÖØ-ÞĀĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŸŹŻŽ]"
# A capitalised word of a name, in any Latin script, with its hyphenated parts and
# inner capitals: "Jean-Luc", "McDonald", "Marín", "O'Brien", "DUPONT"; or an initial.
_NAME_WORD = rf"{_UP}(?:[^\W\d_]|['’](?=[^\W\d_]{{2}}))*(?:-{_UP}?[^\W\d_]+)*(?<!['’])|[A-Z]\."
# Lower-case particles between a first name and a surname: "Isabelle de Silva",
# "Marie de la Tour", "Ludwig van Beethoven"; capitalised ones ("Le Goff", "Van
# Den Berghe") are words of the name like any other.
_PARTICLE = r"(?:de|du|des|la|le|van|von|der|den|ter|da|di|do|dos|das|del|della|ben|ibn|bin|al|el)"
# Either one first name, lower-case particles and one surname, or up to four
# capitalised words: after a particle the name stops, so that "M. Moreau de
# Deloitte" does not take the company in.
_NAME = (
    rf"(?P<v>(?:{_NAME_WORD})(?:\s(?:{_PARTICLE}\s){{1,2}}(?:{_NAME_WORD})"
    rf"|\s(?:{_PARTICLE}\s)?d['’](?:{_NAME_WORD})|(?:\s(?:{_NAME_WORD})){{0,3}}))"
)
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
