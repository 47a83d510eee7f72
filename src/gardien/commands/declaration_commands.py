"""The declaration's commands: ``init``, ``validate``, ``notice``, ``register``, and
``declaration apply``.

The first four need no store: they read ``privacy.yaml`` and write files.
``declaration apply`` records the declaration in force in the store.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from gardien.commands.common import (
    ConfigOption,
    cli_actor,
    command_store,
    settings_for,
    stderr,
    stdout,
)
from gardien.commands.output import emit, write_atomically
from gardien.declaration import load_valid, validate
from gardien.errors import GardienError

declaration_app = typer.Typer(help="The declaration in force.", no_args_is_help=True)

DEFAULT_DECLARATION = Path("privacy.yaml")
DeclarationArg = Annotated[
    Path,
    typer.Argument(help="The declaration file.", show_default=True),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output."),
]


class Language(StrEnum):
    fr = "fr"
    en = "en"
    de = "de"


class NoticeFormat(StrEnum):
    md = "md"
    html = "html"


class RegisterFormat(StrEnum):
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    json = "json"


def validate_command(path: DeclarationArg = DEFAULT_DECLARATION) -> None:
    """Check a declaration against the GDPR and CNIL rules.

    Exits 0 when it is valid (warnings are shown) and 1 when it has errors.
    """
    report = validate(path)
    for problem in report.problems:
        style = "red" if problem.severity == "error" else "yellow"
        stderr.print(str(problem), style=style, markup=False)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        stderr.print(f"{path}: {errors} error(s), {warnings} warning(s)", markup=False)
        raise typer.Exit(1)
    stdout.print(f"{path}: valid ({warnings} warning(s))", markup=False)


def notice_command(
    path: DeclarationArg = DEFAULT_DECLARATION,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of the notice, one of notice.languages (default: the first).",
        ),
    ] = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", help="Output format.")] = (
        NoticeFormat.md
    ),
    output: OutputOption = None,
) -> None:
    """Write the privacy notice (GDPR Art. 13 and 14) of a valid declaration."""
    from gardien.notice import render_notice

    declaration = load_valid(path)
    language = lang.value if lang is not None else declaration.notice.languages[0]
    emit(render_notice(declaration, language, fmt.value).encode("utf-8"), output)


def register_command(
    path: DeclarationArg = DEFAULT_DECLARATION,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of the register, one of notice.languages (default: the first).",
        ),
    ] = None,
    fmt: Annotated[RegisterFormat, typer.Option("--format", help="Output format.")] = (
        RegisterFormat.csv
    ),
    output: OutputOption = None,
) -> None:
    """Write the register of processing activities (GDPR Art. 30), one row per purpose."""
    from gardien.notice import export_register

    if fmt is RegisterFormat.xlsx and output is None and sys.stdout.isatty():
        raise GardienError("xlsx is a binary format: give a file name with -o register.xlsx")
    declaration = load_valid(path)
    language = lang.value if lang is not None else None
    emit(export_register(declaration, fmt.value, lang=language), output)


def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Directory to create the declaration in.")
    ] = Path("."),
) -> None:
    """Create a commented starter privacy.yaml that validates, and a master key file."""
    target = directory / "privacy.yaml"
    if target.exists():
        raise GardienError(
            f"{target} already exists: gardien init never overwrites a declaration; "
            "choose another directory or remove the file"
        )
    starter = resources.files("gardien.declaration").joinpath("data", "starter.yaml")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GardienError(f"cannot create {directory}: {exc.strerror}") from None
    write_atomically(target, starter.read_bytes())
    stdout.print(f"wrote {target}: edit it, then run `gardien validate {target}`", markup=False)
    from gardien.vault import create_master_key_file

    key_file = directory / "gardien.key"
    if not key_file.exists():
        create_master_key_file(key_file)
        stdout.print(
            f"wrote {key_file} (mode 0600): the master key of personal data; back it up "
            "apart from the database, never beside it",
            markup=False,
        )


@declaration_app.command("apply")
def declaration_apply(
    path: Annotated[Path | None, typer.Argument(help="Declaration to put in force.")] = None,
    config: ConfigOption = None,
) -> None:
    """Validate a declaration and record it, under its version hash, as the one in force."""
    from gardien.notifications import renewals_on_new_version
    from gardien.store import apply_declaration

    settings = settings_for(path or config)
    declaration = load_valid(settings.config)
    with command_store(settings, writes=True) as store:
        record = apply_declaration(
            store,
            declaration,
            str(settings.config),
            renewals_on_new_version(declaration),
            actor=cli_actor(store),
        )
    since = f"{record.applied_at:%Y-%m-%d %H:%M:%S} UTC"
    stdout.print(f"declaration {record.version[:12]} in force since {since}", markup=False)
