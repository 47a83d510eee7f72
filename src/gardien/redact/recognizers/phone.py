"""Telephone numbers: French national and +33 forms, other international
numbers written with their country code, and North American numbers.

Ten digits starting with 0 are a French phone number often enough to be
reported alone; a run of digits that merely could be a North American phone
(ten digits, no separators) is reported only with a context word such as
"call".
"""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import PHONE

_SEP = r"[ .\-]?"
_EXT = r"(?:\s?(?:x|ext\.?|poste)\s?\d{1,5})?"
# Phones never continue into more digits, a decimal, or a date/IP separator.
_END = r"(?![\d]|[.,/-]\d)"
_START = r"(?<![\w+.,/-])"


class PhoneRecognizer(PatternRecognizer):
    """Phone numbers in French and international notations."""

    name = "phone"
    LABEL = PHONE
    TRIGGER = r"\d\d"
    PATTERNS = (
        Pattern(
            "fr-national",
            _START + r"0[1-9](?:[ .\-]\d{2}){4}" + _END,
            0.75,
            trigger=r"0[1-9][ .\-]\d\d",
        ),
        Pattern(
            "fr-national-compact",
            _START + r"0[1-9]\d{8}" + _END,
            0.5,
            trigger=r"0[1-9]\d{8}",
        ),
        Pattern(
            "fr-international",
            r"(?<![\w+])(?:\+|00)33[ .\-]?(?:\(0\)[ .\-]?)?[1-9](?:" + _SEP + r"\d{2}){4}" + _END,
            0.95,
            trigger=r"(?:\+|00)33",
        ),
        Pattern(
            "international",
            r"(?<![\w+])(?:\+|00(?!33))[1-9]\d{0,2}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{1,4}"
            r"(?:[ .\-]?\d{2,4}){1,4}" + _EXT + _END,
            0.8,
            trigger=r"(?:\+|00)[1-9]",
        ),
        Pattern(
            "north-american",
            r"(?<![\w+(])(?:(?:\+?1|001)[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
            + _EXT
            + _END,
            0.7,
            trigger=r"\d\d\d[ .\-]\d{4}",
        ),
        Pattern(
            "north-american-compact",
            _START + r"[2-9]\d{9}" + _EXT + _END,
            0.3,
            trigger=r"[2-9]\d{9}",
        ),
        # Other national notations ("0490 75 40 81", "60-56-85-91", "78 651 450"):
        # groups of two to four digits, reported only near a word about phoning.
        Pattern(
            "grouped",
            r"(?<![\w+.,/(-])(?:\(\d{2,4}\)|\d{2,4})(?:[ .\-]\d{2,3}){2,4}" + _END,
            0.3,
            trigger=r"[ .\-]\d\d\d?[ .\-]\d\d",
        ),
        # A local number without its area code: "450 0840".
        Pattern(
            "local",
            _START + r"\d{3}[ .\-]\d{4}" + _END,
            0.3,
            trigger=r"\d\d\d[ .\-]\d{4}",
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": (
            "tél", "tel", "téléphone", "telephone", "portable", "mobile", "fixe", "appeler",
            "appelez", "rappeler", "joindre", "contact", "numéro", "fax", "standard", "sms",
            "whatsapp", "messages", "répondeur",
        ),
        "en": (
            "tel", "phone", "telephone", "mobile", "cell", "call", "reach", "number", "fax",
            "text", "sms", "whatsapp", "dial", "contact", "messages", "answering", "desk",
        ),
    }  # fmt: skip
    VALIDATION = "digit count"
    VALID_SCORE = None

    def validate_result(self, value: str) -> bool | None:
        main = value.lower().split("x")[0].split("ext")[0].split("poste")[0]
        digits = sum(c.isdigit() for c in main)
        # E.164 numbers have at most 15 digits; fewer than 7 (a local number
        # without its area code, "450 0840") is an extension or a short code,
        # not a number that identifies a person.
        return 7 <= digits <= 16
