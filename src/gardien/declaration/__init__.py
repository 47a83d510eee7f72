"""The declaration room: ``privacy.yaml`` models, vocabulary, loading and GDPR/CNIL rules.

Everything else in gardien reads the company's processing from here:

    >>> from gardien.declaration import load, validate
    >>> report = validate("privacy.yaml")       # every problem, errors and warnings
    >>> declaration = load("privacy.yaml")      # a valid, immutable Declaration
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gardien.declaration.loader import LoadedDeclaration, load, load_with_positions
from gardien.declaration.models import Declaration
from gardien.declaration.rules import RULES, check_rules

# Registers the notice's rules in RULES beside the others.
from gardien.declaration import notice_rules  # noqa: F401  # isort: skip
from gardien.declaration import jurisdiction_rules  # noqa: F401  # isort: skip

# Registers the rules on contradictions inside a declaration (issue 17).
from gardien.declaration import contradiction_rules  # noqa: F401  # isort: skip

# Registers the rules of the shapes real policies need (operations, company events…).
from gardien.declaration import shape_rules  # noqa: F401  # isort: skip
from gardien.declaration.taxonomy import fides_taxonomy, transfer_rules
from gardien.errors import DeclarationError, Problem


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of ``validate``: the declaration if it could be read, and every problem."""

    declaration: Declaration | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(path: str | Path) -> ValidationReport:
    """Load ``path`` and check every GDPR/CNIL rule; never raises for an invalid file."""
    try:
        loaded = load_with_positions(path)
    except DeclarationError as exc:
        return ValidationReport(None, exc.problems)
    return ValidationReport(loaded.declaration, tuple(check_rules(loaded)))


def declared_content(declaration: Declaration) -> dict[str, Any]:
    """What the company declared, as JSON values: the fields it set, not gardien's defaults.

    A gardien upgrade that adds a field with a default therefore changes
    neither this content nor the version computed from it; stored and loaded
    again, it is the same declaration with the same version.
    """
    # By alias: a secret given by reference is declared `{$env: NAME}`, and stays so.
    content: dict[str, Any] = declaration.model_dump(mode="json", exclude_unset=True, by_alias=True)
    return content


def declaration_version(declaration: Declaration) -> str:
    """SHA-256 of what the company declared, as canonical JSON: the one version of a declaration.

    Consents, checks, audit entries and the notice (unless it declares a
    version of its own) all carry it. Canonical means keys sorted, so
    reordering entries in the YAML file does not change the version, while
    any change of what was declared does; defaults gardien fills in do not
    count (``declared_content``).
    """
    canonical = json.dumps(declared_content(declaration), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_valid(path: str | Path) -> Declaration:
    """Load ``path`` and raise ``DeclarationError`` if any rule reports an error."""
    report = validate(path)
    if report.declaration is None or not report.ok:
        raise DeclarationError(report.errors)
    return report.declaration


__all__ = [
    "RULES",
    "Declaration",
    "LoadedDeclaration",
    "ValidationReport",
    "declaration_version",
    "declared_content",
    "fides_taxonomy",
    "load",
    "load_valid",
    "load_with_positions",
    "transfer_rules",
    "validate",
]
