"""Payment card numbers: issuer prefix, length, and the Luhn check digit."""

from __future__ import annotations

import re
from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.recognizers.checksums import digits_only, luhn_valid
from gardien.redact.span import CREDIT_CARD

# Issuer identification prefixes and the lengths their numbers have: a
# Luhn-valid number with neither is not a card (1 in 10 random numbers is
# Luhn-valid). Order matters: the first prefix that matches decides.
_ISSUERS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"4"), frozenset({13, 16, 19})),  # Visa
    (re.compile(r"5[1-5]|2[2-7]"), frozenset({16})),  # Mastercard
    (re.compile(r"3[47]"), frozenset({15})),  # American Express
    (re.compile(r"3[068]"), frozenset({14, 16})),  # Diners Club
    (re.compile(r"35|2131|1800"), frozenset(range(15, 20))),  # JCB
    (re.compile(r"6011|65|64[4-9]|62"), frozenset(range(16, 20))),  # Discover, UnionPay
    (re.compile(r"5[06-8]|6"), frozenset(range(12, 20))),  # Maestro
)


class CreditCardRecognizer(PatternRecognizer):
    """Card numbers written compact, in groups of four, or Amex 4-6-5."""

    name = "credit_card"
    LABEL = CREDIT_CARD
    TRIGGER = r"\d{4}"
    PATTERNS = (
        Pattern(
            "compact",
            r"(?<![\d-])\d{12,19}(?![\d-])",
            0.5,
            trigger=r"\d\d{11}",
        ),
        Pattern(
            "grouped-4",
            r"(?<![\d-])\d{4}(?:([ -])\d{4})(?:\1\d{4}){1,2}(?:\1\d{1,3})?(?![\d-])",
            0.6,
            trigger=r"\d\d{3}[ -]\d{4}",
        ),
        Pattern(
            "amex",
            r"(?<![\d-])3[47]\d{2}([ -])\d{6}\1\d{5}(?![\d-])",
            0.6,
            trigger=r"3[47]\d\d[ -]\d{6}",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("carte", "cb", "crédit", "bancaire", "visa", "mastercard", "paiement", "payé"),
        "en": ("card", "credit", "visa", "mastercard", "amex", "payment", "paid", "charged"),
    }
    VALIDATION = "luhn"
    VALID_SCORE = 0.9

    def validate_result(self, value: str) -> bool | None:
        number = digits_only(value)
        for prefix, lengths in _ISSUERS:
            if prefix.match(number):
                return len(number) in lengths and luhn_valid(number)
        return False
