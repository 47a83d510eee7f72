"""Turning placeholders in an AI provider's answer back into the original values.

Providers do not always copy a placeholder verbatim: ``<PERSON_1>`` may come
back as ``[PERSON_1]``, ``{PERSON_1}`` or ``< PERSON_1 >``. All of these are
restored; a placeholder that is not in the mapping is left as it is.
"""

from __future__ import annotations

import re

from gardien.redact.operators.reversible import open_mapping
from gardien.redact.span import LABELS

_PLACEHOLDER = re.compile(r"[<\[{]\s*(?P<label>" + "|".join(LABELS) + r")_(?P<number>\d+)\s*[>\]}]")


def restore(text: str, mapping: str, key: bytes | str) -> str:
    """``text`` with every known placeholder replaced by its original value.

    ``mapping`` is the sealed string from ``redact(..., operator="reversible")``
    and ``key`` the key given then.
    """
    entries = open_mapping(mapping, key)

    def original(match: re.Match[str]) -> str:
        placeholder = f"<{match['label']}_{int(match['number'])}>"
        return entries.get(placeholder, match.group())

    return _PLACEHOLDER.sub(original, text)
