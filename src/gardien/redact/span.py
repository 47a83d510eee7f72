"""The result types of analysis: a detected span and the explanation it carries.

Every span says which recognizer found it, with which pattern, at which score
and thanks to which context words, so that a DPO can see why a value was
removed (presidio's ``AnalysisExplanation`` is the model). The detected value
itself is kept out of ``repr`` so spans can be logged without leaking it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

PERSON = "PERSON"
EMAIL = "EMAIL"
PHONE = "PHONE"
LOCATION = "LOCATION"
ORGANIZATION = "ORGANIZATION"
IBAN = "IBAN"
CREDIT_CARD = "CREDIT_CARD"
IP_ADDRESS = "IP_ADDRESS"
DATE = "DATE"
URL = "URL"
ID_NUMBER = "ID_NUMBER"
#: The position a named person holds ("Directrice Qualité"), written next to the name.
ROLE = "ROLE"

#: Every label gardien can put on a span, in a stable order.
LABELS: tuple[str, ...] = (
    PERSON,
    EMAIL,
    PHONE,
    LOCATION,
    ORGANIZATION,
    IBAN,
    CREDIT_CARD,
    IP_ADDRESS,
    DATE,
    URL,
    ID_NUMBER,
    ROLE,
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a span was detected: recognizer, pattern, scores and context."""

    recognizer: str
    pattern: str
    original_score: float
    score: float
    context_words: tuple[str, ...] = ()
    validation: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.recognizer}/{self.pattern} score={self.score:.2f}"]
        if self.score != self.original_score:
            parts.append(f"(pattern {self.original_score:.2f})")
        if self.context_words:
            parts.append("context=" + ",".join(self.context_words))
        if self.validation:
            parts.append(f"validation={self.validation}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Span:
    """One detected value: ``text[start:end]`` carries ``label``.

    Offsets are Python string indices into the analysed text.
    """

    start: int
    end: int
    label: str
    score: float
    explanation: Explanation
    text: str = field(repr=False, compare=False)

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        """The same span in a text where this one starts ``offset`` later."""
        if not offset:
            return self  # spans are frozen: the same span serves (most texts are one piece)
        return replace(self, start=self.start + offset, end=self.end + offset)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form, without the detected value."""
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": round(self.score, 3),
            "explanation": str(self.explanation),
        }
