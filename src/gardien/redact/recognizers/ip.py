"""IP addresses, v4 and v6, confirmed by the standard library's parser."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import IP_ADDRESS, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_H = r"[0-9a-f]{1,4}"
# Four dotted numbers right after one of these words are a version number.
_VERSION_BEFORE = re.compile(
    r"(?i:\b(?:version|ver\.?|v\.?|release|build|firmware|révision|revision|logiciel"
    r"|software|patch|mise à jour)\s*)$"
)


class IpRecognizer(PatternRecognizer):
    """IPv4 dotted quads and IPv6 in full or compressed form."""

    name = "ip_address"
    LABEL = IP_ADDRESS
    TRIGGER = r"\d[.:]|:[0-9a-fA-F]"
    PATTERNS = (
        Pattern(
            "ipv4",
            rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]\d)",
            0.6,
            trigger=r"\d\.\d{1,3}\.\d",
        ),
        Pattern(
            "ipv6",
            rf"(?<![\w:])(?:(?:{_H}:){{7}}{_H}|(?:{_H}:){{1,7}}:(?:{_H}(?::{_H}){{0,6}})?"
            rf"|::(?:{_H}(?::{_H}){{0,6}})?)(?![\w:])",
            0.7,
            ignore_case=True,
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("ip", "adresse", "serveur", "connexion", "connecté", "routeur"),
        "en": ("ip", "address", "server", "login", "connected", "router", "host"),
    }
    VALID_SCORE = None
    VALIDATION = "ip syntax"

    def validate_result(self, value: str) -> bool | None:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        # "::" alone or a bare "1:" is syntax, not an address someone wrote.
        return len(value) >= 7

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        return [
            span
            for span in super().analyze(text, lang, doc)
            if ":" in span.text or not _VERSION_BEFORE.search(text, 0, span.start)
        ]
