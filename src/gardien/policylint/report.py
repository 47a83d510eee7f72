"""The outcome of linting a privacy policy: items found or missing, and defects.

Every verdict carries its evidence: the quoted sentence and its character
offsets in the text as read (see ``reader.py``). ``LintReport.to_dict`` is the
JSON shape of ``gardien lint-policy --format json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gardien.declaration.transparency import TransparencyItem

#: The checklist items the linter looks for, in the order reports list them; the
#: others, and why the lint does not look for them, are in the checklist.
ITEM_KEYS: tuple[TransparencyItem, ...] = (
    TransparencyItem.CONTROLLER_IDENTITY,
    TransparencyItem.CONTROLLER_CONTACT,
    TransparencyItem.DPO_CONTACT,
    TransparencyItem.PURPOSES,
    TransparencyItem.LEGAL_BASIS,
    TransparencyItem.LEGITIMATE_INTERESTS,
    TransparencyItem.RECIPIENTS,
    TransparencyItem.INTERNATIONAL_TRANSFERS,
    TransparencyItem.RETENTION,
    TransparencyItem.RIGHT_ACCESS,
    TransparencyItem.RIGHT_RECTIFICATION,
    TransparencyItem.RIGHT_ERASURE,
    TransparencyItem.RIGHT_RESTRICTION,
    TransparencyItem.RIGHT_PORTABILITY,
    TransparencyItem.RIGHT_OBJECTION,
    TransparencyItem.WITHDRAW_CONSENT,
    TransparencyItem.COMPLAINT_AUTHORITY,
    TransparencyItem.STATUTORY_REQUIREMENT,
    TransparencyItem.AUTOMATED_DECISION_MAKING,
    TransparencyItem.DATA_SOURCE,
)

#: Defects of the text itself.
TEXT_DEFECT_KINDS: tuple[str, ...] = (
    "duplicated_passage",
    "empty_enumeration",
    "missing_subject",
    "dangling_reference",
    "contact_promised_not_given",
    "retention_without_period",
)

#: Contradictions between the text and the declaration (``--against``).
CONTRADICTION_KINDS: tuple[str, ...] = (
    "retention_mismatch",
    "recipient_not_named",
    "recipient_not_declared",
    "purpose_mismatch",
    "legal_basis_mismatch",
    "transfer_mismatch",
    "deadline_mismatch",
)

DEFECT_KINDS: tuple[str, ...] = TEXT_DEFECT_KINDS + CONTRADICTION_KINDS


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted passage of the text and where it is: ``text[start:end] == quote``."""

    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class ItemResult:
    """Whether one Art. 13/14 item is in the text, and the passages that say so."""

    key: TransparencyItem
    present: bool
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"present": self.present, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Defect:
    """Something broken in the text, or a contradiction with the declaration."""

    kind: str
    message: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class LintReport:
    """Everything the linter found in one policy text."""

    language: str
    text: str
    items: dict[TransparencyItem, ItemResult]
    defects: tuple[Defect, ...] = field(default=())

    @property
    def missing(self) -> tuple[TransparencyItem, ...]:
        """Keys of the items the text does not contain, in report order."""
        return tuple(key for key in ITEM_KEYS if not self.items[key].present)

    @property
    def complete(self) -> bool:
        """True when every item is present and nothing is broken or contradictory."""
        return not self.missing and not self.defects

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "items": {key: self.items[key].to_dict() for key in ITEM_KEYS},
            "defects": [d.to_dict() for d in self.defects],
        }

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` in the text."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column
