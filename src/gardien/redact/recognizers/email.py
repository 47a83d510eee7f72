"""E-mail addresses: one strict pattern; the domain must end in a letters-only TLD."""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import EMAIL


class EmailRecognizer(PatternRecognizer):
    """RFC 5322 addresses as people write them (no quoted local parts)."""

    name = "email"
    LABEL = EMAIL
    TRIGGER = "@"
    PATTERNS = (
        Pattern(
            "address",
            r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b",
            1.0,
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("mail", "courriel", "adresse", "écrire"),
        "en": ("mail", "email", "address", "write"),
    }

    def validate_result(self, value: str) -> bool | None:
        # Two dots in a row are never valid in a local part or a domain.
        return False if ".." in value else None
