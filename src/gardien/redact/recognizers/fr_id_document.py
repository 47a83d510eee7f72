"""French passport and national identity card numbers.

Their shapes are weak (nine or twelve characters), so they are reported only
with a context word in the text's language: "passeport", "carte d'identité",
"CNI", "passport", "ID card".
"""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import ID_NUMBER


class FrIdDocumentRecognizer(PatternRecognizer):
    """Passport (2 digits, 2 letters, 5 digits) and identity card numbers
    (12 digits before 2021, 9 letters and digits since)."""

    name = "fr_id_document"
    LABEL = ID_NUMBER
    TRIGGER = r"\d"
    PATTERNS = (
        Pattern(
            "passport",
            r"\b\d{2}[A-Z]{2}\d{5}\b",
            0.4,
            trigger=r"\d\d[A-Z][A-Z]\d{5}",
        ),
        Pattern(
            "cni-1995",
            r"(?<![\w.,/-])\d{12}(?![\w]|[.,/-]\d)",
            0.2,
            trigger=r"\d\d{11}",
        ),
        Pattern(
            "cni-2021",
            r"\b(?=[A-Z0-9]{9}\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{9}\b",
            0.2,
            trigger=r"[A-Z0-9][A-Z0-9]{8}",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": (
            "passeport", "carte d'identité", "carte nationale", "cni", "pièce d'identité",
            "titre de séjour", "identité",
        ),
        "en": ("passport", "identity card", "id card", "national id", "identity", "cni"),
    }  # fmt: skip
    VALID_SCORE = None
