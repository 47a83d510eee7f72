"""United States Social Security numbers (AAA-GG-SSSS), in English text.

The number has no check digit, only rules of issue: the area is never 000,
666 or 900-999, the group never 00, the serial never 0000. Any nine digits
can look like one, so a number is reported only near a word that names it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from gardien.redact.recognizers.base import NUMBER_END, NUMBER_START, Pattern, PatternRecognizer
from gardien.redact.recognizers.checksums import digits_only
from gardien.redact.span import ID_NUMBER

_START = NUMBER_START
_END = NUMBER_END
_ISSUED = re.compile(r"(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}")


class UsSsnRecognizer(PatternRecognizer):
    """US Social Security numbers near "SSN" or "social security"."""

    name = "us_ssn"
    LABEL = ID_NUMBER
    TRIGGER = r"\d{3}"
    PATTERNS = (
        Pattern(
            "ssn-grouped",
            _START + r"\d{3}([- ])\d{2}\1\d{4}" + _END,
            0.4,
            trigger=r"\d\d\d[- ]\d\d[- ]\d{4}",
        ),
        Pattern(
            "ssn-compact",
            _START + r"\d{9}" + _END,
            0.2,
            trigger=r"\d\d{8}",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": ("ssn", "social security", "ss#", "taxpayer"),
        "fr": ("ssn", "social security", "sécurité sociale américaine"),
    }
    VALIDATION = "ssn issue rules"
    VALID_SCORE = None

    def validate_result(self, value: str) -> bool | None:
        return bool(_ISSUED.fullmatch(digits_only(value)))
