"""Policy lint: check a hand-written privacy policy against Art. 13/14 GDPR and a declaration.

Owns: reading a policy file (Markdown, HTML, text) into the text that
offsets refer to, cutting it into lines and sentences, the patterns and rules
that decide whether each Art. 13/14 item is present, the defects of a text
(duplicated passages, unfinished sentences, lost subjects), the
contradictions between a text and a declaration (``--against``), and the
report with its evidence (text and JSON). It writes nothing and needs no
store; the ``gardien lint-policy`` command is its edge (``commands/lint_policy_command.py``).

    >>> from gardien.policylint import lint_policy, read_policy
    >>> report = lint_policy(read_policy("privacy.md").text, lang="auto")
    >>> report.missing, [d.kind for d in report.defects]

Offsets in reports are offsets in the text as read (``read_policy``): the
file itself for Markdown and plain text, the converted text for HTML.
"""

from __future__ import annotations

from gardien.policylint.engine import lint_policy
from gardien.policylint.reader import PolicyText, read_policy
from gardien.policylint.report import (
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
