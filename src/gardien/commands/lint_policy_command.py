"""``gardien lint-policy FILE``: the command-line edge of the policy linter.

It reads the file and the optional declaration, runs ``lint_policy`` and
prints the report as text or JSON. Exit codes: 0 when every item is present
and nothing is broken or contradictory, 1 when items are missing or defects
are found, 2 when the policy (or the declaration) cannot be read; errors are
one line on standard error, never a traceback.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gardien.errors import DeclarationError, GardienError, PolicyLintError
from gardien.policylint.engine import lint_policy
from gardien.policylint.reader import read_policy
from gardien.policylint.render import print_report

EXIT_COMPLETE = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = PolicyLintError.exit_code


class LintLanguage(StrEnum):
    auto = "auto"
    fr = "fr"
    en = "en"


class LintFormat(StrEnum):
    text = "text"
    json = "json"


def lint_policy_command(
    file: Annotated[Path, typer.Argument(help="The privacy policy: Markdown, HTML or text.")],
    lang: Annotated[
        LintLanguage, typer.Option("--lang", help="Language of the policy; auto detects it.")
    ] = LintLanguage.auto,
    output_format: Annotated[
        LintFormat, typer.Option("--format", help="text for people, json for tools.")
    ] = LintFormat.text,
    against: Annotated[
        Path | None,
        typer.Option("--against", help="A privacy.yaml to compare the policy with."),
    ] = None,
) -> None:
    """Check a privacy policy against GDPR Art. 13/14 (and a declaration, with --against)."""
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        policy = read_policy(file)
        declaration = None
        if against is not None:
            from gardien.declaration import load

            declaration = load(against)
        report = lint_policy(policy.text, lang=lang.value, declaration=declaration)
    except DeclarationError as exc:
        first = exc.problems[0] if exc.problems else exc.message
        stderr.print(f"error: cannot read the declaration: {first}", markup=False)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except GardienError as exc:
        stderr.print(f"error: {exc.message}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    if output_format is LintFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, Console(highlight=False, soft_wrap=True), str(file))
    raise typer.Exit(EXIT_COMPLETE if report.complete else EXIT_FINDINGS)
