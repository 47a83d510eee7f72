"""Policy lint: check a hand-written privacy policy against Art. 13/14 GDPR and a declaration.

    >>> from gardien.notice.lint import lint_policy, read_policy
    >>> report = lint_policy(read_policy("privacy.md").text, lang="auto")
    >>> report.missing, [d.kind for d in report.defects]

Offsets in reports are offsets in the text as read (``read_policy``): the
file itself for Markdown and plain text, the converted text for HTML.
"""

from __future__ import annotations

from gardien.notice.lint.engine import lint_policy
from gardien.notice.lint.reader import PolicyText, read_policy
from gardien.notice.lint.report import (
    CONTRADICTION_KINDS,
    DEFECT_KINDS,
    ITEM_KEYS,
    TEXT_DEFECT_KINDS,
    Defect,
    Evidence,
    ItemResult,
    LintReport,
)

__all__ = [
    "CONTRADICTION_KINDS",
    "DEFECT_KINDS",
    "ITEM_KEYS",
    "TEXT_DEFECT_KINDS",
    "Defect",
    "Evidence",
    "ItemResult",
    "LintReport",
    "PolicyText",
    "lint_policy",
    "read_policy",
]
