"""User handles: "@marie_dlt", "@JohnnyK", "merci @sophie.b".

A handle names an account, and an account names its holder as surely as a
name does (and is easier to look up): it is personal data whatever its
letters. A handle starts with "@" that no letter, digit or dot comes before
(so the "@" of an e-mail address is not one) and runs over letters, digits,
underscores and inner dots, as the common social networks allow; the "@" is
redacted with it.
"""

from __future__ import annotations

from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.span import PERSON


class HandleRecognizer(PatternRecognizer):
    """ "@name" mentions of an account."""

    name = "handle"
    LABEL = PERSON
    TRIGGER = "@"
    PATTERNS = (
        Pattern(
            "at-handle",
            # Not after a word character or a dot (e-mail addresses, "a@b"), and
            # not followed by one that would make it part of an address.
            r"(?<![\w.@+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@]|\.[A-Za-z])",
            0.8,
        ),
    )
    VALID_SCORE = None
