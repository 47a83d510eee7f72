"""IBANs, validated by country length and the ISO 7064 mod-97 checksum."""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.recognizers.checksums import digits_only, iban_valid
from gardien.redact.span import IBAN

# Lengths of the IBAN of the countries whose accounts French and English
# texts mostly mention (SEPA area and the UK); others only need mod-97.
IBAN_LENGTHS: dict[str, int] = {
    "FR": 27, "MC": 27, "BE": 16, "LU": 20, "CH": 21, "DE": 22, "GB": 22, "IE": 22,
    "ES": 24, "IT": 27, "NL": 18, "PT": 25, "AT": 20, "DK": 18, "FI": 18, "SE": 24,
    "NO": 15, "PL": 28, "GR": 27, "CZ": 24, "SK": 24, "HU": 28, "RO": 24, "BG": 22,
    "HR": 21, "SI": 19, "EE": 20, "LV": 21, "LT": 20, "MT": 31, "CY": 28, "IS": 26,
    "LI": 21, "SM": 27, "AD": 24, "GI": 23,
}  # fmt: skip


class IbanRecognizer(PatternRecognizer):
    """IBANs written compact or in groups of four."""

    name = "iban"
    LABEL = IBAN
    TRIGGER = r"[A-Za-z]{2}\d\d"
    PATTERNS = (
        Pattern(
            "iban",
            r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
            0.5,
            ignore_case=True,
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("iban", "rib", "compte", "virement", "bancaire", "prélèvement"),
        "en": ("iban", "account", "bank", "transfer", "payment", "wire"),
    }
    VALIDATION = "mod-97"

    def refine(self, text: str, start: int, end: int) -> tuple[int, int]:
        # The grouped pattern may run into a following word or number: cut the
        # match at the length the country's IBAN has.
        expected = IBAN_LENGTHS.get(text[start : start + 2].upper())
        if expected is None:
            return start, end
        seen = 0
        for i in range(start, end):
            if text[i].isalnum():
                seen += 1
                if seen == expected:
                    return start, i + 1
        return start, end

    def validate_result(self, value: str) -> bool | None:
        compact = digits_only(value).upper()
        expected = IBAN_LENGTHS.get(compact[:2])
        if expected is not None and len(compact) != expected:
            return False
        return iban_valid(compact)
