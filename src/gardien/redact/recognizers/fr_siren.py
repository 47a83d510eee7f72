"""French company numbers: SIREN (9 digits) and SIRET (SIREN + 5-digit
establishment number), both carrying a Luhn check digit.

One random 9-digit number in ten passes Luhn, so a SIREN is reported only
near a context word ("SIREN", "RCS", "immatriculée", "registered").
"""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import NUMBER_END, NUMBER_START, Pattern, PatternRecognizer
from gardien.redact.recognizers.checksums import digits_only, luhn_valid
from gardien.redact.span import ID_NUMBER

_START = NUMBER_START
_END = NUMBER_END


class FrSirenRecognizer(PatternRecognizer):
    """SIREN and SIRET numbers."""

    name = "fr_siren"
    LABEL = ID_NUMBER
    TRIGGER = r"\d{3}"
    PATTERNS = (
        Pattern(
            "siret-grouped",
            _START + r"\d{3}[ .]\d{3}[ .]\d{3}[ .]?\d{5}" + _END,
            0.6,
            trigger=r"\d\d\d[ .]\d{3}[ .]\d{3}",
        ),
        Pattern(
            "siret-compact",
            _START + r"\d{14}" + _END,
            0.3,
            trigger=r"\d\d{13}",
        ),
        Pattern(
            "siren-grouped",
            _START + r"\d{3}[ .]\d{3}[ .]\d{3}" + _END,
            0.35,
            trigger=r"\d\d\d[ .]\d{3}[ .]\d{3}",
        ),
        Pattern(
            "siren-compact",
            _START + r"\d{9}" + _END,
            0.3,
            trigger=r"\d\d{8}",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("siren", "siret", "rcs", "registre", "immatricul", "sous le numéro", "société"),
        "en": ("siren", "siret", "rcs", "register", "registered", "company number", "under number"),
    }
    VALIDATION = "luhn"
    VALID_SCORE = None

    def validate_result(self, value: str) -> bool | None:
        number = digits_only(value)
        return len(number) in (9, 14) and luhn_valid(number)
