"""United Kingdom National Insurance numbers ("QQ 12 34 56 C").

Two prefix letters, six digits, a suffix A-D. The prefix letters exclude D,
F, I, Q, U and V (and O in second place), and a few pairs are never issued
(BG, GB, KN, NK, NT, TN, ZZ): the shape alone is specific enough to report.
"""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import ID_NUMBER

_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


class UkNinoRecognizer(PatternRecognizer):
    """UK National Insurance numbers, compact or in groups."""

    name = "uk_nino"
    LABEL = ID_NUMBER
    TRIGGER = r"\d\d"
    PATTERNS = (
        Pattern(
            "nino",
            r"(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])",
            0.5,
            trigger=r"[A-Z][A-Z] ?\d\d",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": ("national insurance", "ni number", "nino", "ni no"),
        "fr": ("national insurance", "nino", "assurance nationale"),
    }
    VALIDATION = "nino prefix"
    VALID_SCORE = None

    def validate_result(self, value: str) -> bool | None:
        return value[:2] not in _NEVER_ISSUED
