"""Web addresses: with a scheme, starting with www., or a bare domain on a known TLD."""

from __future__ import annotations

from typing import ClassVar

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import URL

# Characters a URL may contain, and those it may not end with (sentence punctuation).
_BODY = r"[^\s<>\"'«»]*[^\s<>\"'«».,;:!?)\]]"
# Common top-level domains for bare domains ("example.fr/contact"); a closed list
# keeps "fin.Le" or "M.Dupont" out.
_TLDS = "com|fr|org|net|io|eu|be|ch|ca|de|uk|co|info|biz|app|dev|ai|gouv|us|es|it|nl|lu"


class UrlRecognizer(PatternRecognizer):
    """URLs as they appear in prose and messages."""

    name = "url"
    LABEL = URL
    TRIGGER = r"\w\.\w|://"
    PATTERNS = (
        Pattern("scheme", r"\b(?:https?|ftp)://" + _BODY, 0.95, ignore_case=True),
        Pattern("www", r"(?<![\w@.])www\.[a-z0-9-]+(?:\." + _BODY + ")", 0.9, ignore_case=True),
        Pattern(
            "bare-domain",
            r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b"
            r"(?!@|\.\w)(?:/" + _BODY + ")?",
            0.5,
            ignore_case=True,
        ),
    )
    CONTEXT: ClassVar[dict[str, tuple[str, ...]]] = {
        "fr": ("site", "lien", "page", "url", "adresse", "web"),
        "en": ("site", "link", "page", "url", "website", "web", "visit"),
    }
    VALID_SCORE = None
