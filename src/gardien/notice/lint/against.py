"""Contradictions between a policy text and the company's declaration (``--against``)."""

from __future__ import annotations

from gardien.declaration.models import Declaration
from gardien.notice.lint.report import Defect, ItemResult
from gardien.notice.lint.segment import Document


def find_contradictions(
    doc: Document, items: dict[str, ItemResult], declaration: Declaration
) -> list[Defect]:
    return []
