"""French social security numbers (NIR, "numéro de sécurité sociale").

Fifteen characters: sex, year, month, department (2A/2B for Corsica),
commune, order number, then a two-digit key equal to 97 minus the first
thirteen digits modulo 97. The key makes a bare match trustworthy.
"""

from __future__ import annotations

import re
from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.recognizers.checksums import digits_only, nir_key
from gardien.redact.span import ID_NUMBER

_NIR_BODY = (
    r"(?<![\w])[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?"
    r"\d{3}[ .]?\d{3}"
)
_NIR = _NIR_BODY + r"[ .]?\d{2}(?![\w])"
_BODY_SHAPE = re.compile(r"[12]\d{4}(?:\d{2}|2[AB])\d{6}")


class FrNirRecognizer(PatternRecognizer):
    """NIR with its key, compact or written in groups."""

    name = "fr_nir"
    LABEL = ID_NUMBER
    TRIGGER = r"\d\d"
    PATTERNS = (
        Pattern(
            "nir",
            _NIR,
            0.4,
            ignore_case=True,
            trigger=r"[12][ .]?\d\d[ .]?\d\d",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("sécurité sociale", "sécu", "nir", "insee", "numéro", "assuré", "vitale"),
        "en": ("social security", "nir", "insee", "number", "french"),
    }
    VALIDATION = "nir key"

    def validate_result(self, value: str) -> bool | None:
        compact = digits_only(value).upper()
        if len(compact) != 15 or not _BODY_SHAPE.fullmatch(compact[:13]):
            return False
        return nir_key(compact[:13]) == int(compact[13:])


class FrNirUncheckedRecognizer(PatternRecognizer):
    """A NIR written without its key, or with a wrong one ("numéro de sécu
    1 78 03 29 232 004"): still a person's number. Without a key to check,
    only the shape is validated, and a word naming the NIR must be near."""

    name = "fr_nir_unchecked"
    LABEL = ID_NUMBER
    TRIGGER = r"\d\d"
    PATTERNS = (
        Pattern(
            "nir-unchecked",
            _NIR_BODY + r"(?:[ .]?\d{2})?(?![\w])",
            0.3,
            ignore_case=True,
            trigger=r"[12][ .]?\d\d[ .]?\d\d",
        ),
    )
    # Words that name the NIR itself: "numéro" alone is every other number.
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("sécurité sociale", "sécu", "nir", "insee", "vitale", "assuré social"),
        "en": ("social security", "nir", "insee"),
    }
    VALID_SCORE = None  # the shape only rules out impossible values
    VALIDATION = "nir shape"

    def validate_result(self, value: str) -> bool | None:
        return bool(_BODY_SHAPE.fullmatch(digits_only(value).upper()[:13]))
