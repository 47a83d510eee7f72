"""Every error gardien raises on purpose, as one tree.

Rooms raise these; only the edges (the CLI, the web app) translate them into
an exit code or a problem document. Each message says what was wrong and what
to change.

    GardienError
    ├── DeclarationError        privacy.yaml cannot be read or is invalid
    │   └── DeclarationFileError    the file is missing, unreadable or not YAML
    ├── RenderError             a notice or register cannot be produced
    ├── RedactionError          free text cannot be analysed or anonymised
    ├── PolicyLintError         a privacy policy text cannot be read
    ├── SettingsError           (settings.py) a GARDIEN_* variable has a bad value
    ├── StoreError              (store/) the database cannot be reached or used
    ├── AuthError               (auth/) an API key is missing, malformed, unknown or revoked
    ├── VaultError              (vault/) master key, identities, subjects, decryption
    ├── ConsentError            (consent/) unknown purpose, bad proof, bad unsubscribe token
    ├── AuditError              (audit/) personal data in an entry, bad page request
    └── JobError                (jobs/) a job cannot run; PermanentJobError is not retried

Rooms define their own subclasses beside their code so that this module does
not depend on them; the web layer maps each to an HTTP status by class name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class GardienError(Exception):
    """Base of every error gardien raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One problem found in a declaration, located in its source file."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class DeclarationError(GardienError):
    """The declaration is invalid; ``problems`` lists every error at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DeclarationFileError(DeclarationError):
    """The declaration file is missing, unreadable, or not valid YAML."""

    def __init__(self, file: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__([Problem(file, line, column, message)])


class RenderError(GardienError):
    """A notice or a register cannot be produced as asked."""


class RedactionError(GardienError):
    """Free text cannot be analysed or anonymised as asked."""


class PolicyLintError(GardienError):
    """A privacy policy text cannot be read."""

    exit_code = 2
