"""The ``gardien`` command: parse arguments, call a room, print the outcome.

Every error gardien raises on purpose is printed as a message (no traceback)
and turned into an exit code here, and only here.
"""

from __future__ import annotations

import os

# Before anything imports numpy (openpyxl does): the NER model multiplies
# matrices of one sentence, too small for BLAS threads to pay off, and with
# the other cores busy OpenBLAS's threads stalled calls for up to 100 ms.
# Only the ``gardien`` process is changed; a caller may set it otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import tempfile
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gardien import __version__
from gardien.declaration import load_valid, validate
from gardien.errors import DeclarationError, GardienError
from gardien.policylint.cli_command import lint_policy_command
from gardien.redact.cli_command import redact_command

app = typer.Typer(
    name="gardien",
    help="gardien: one declaration of your processing drives your privacy notice, "
    "register, consents, requests, retention, redaction and audit trail.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)

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


class NoticeFormat(StrEnum):
    md = "md"
    html = "html"


class RegisterFormat(StrEnum):
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    json = "json"


def _version_callback(value: bool) -> None:
    if value:
        stdout.print(f"gardien {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """gardien: a privacy engine driven by one declaration of processing."""


@app.command("validate")
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


@app.command("notice")
def notice_command(
    path: DeclarationArg = DEFAULT_DECLARATION,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the notice.")] = (
        Language.fr
    ),
    fmt: Annotated[NoticeFormat, typer.Option("--format", help="Output format.")] = (
        NoticeFormat.md
    ),
    output: OutputOption = None,
) -> None:
    """Write the privacy notice (GDPR Art. 13 and 14) of a valid declaration."""
    from gardien.notice import render_notice

    declaration = load_valid(path)
    _emit(render_notice(declaration, lang.value, fmt.value).encode("utf-8"), output)


@app.command("register")
def register_command(
    path: DeclarationArg = DEFAULT_DECLARATION,
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
    _emit(export_register(declaration, fmt.value), output)


@app.command("init")
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
    _write_atomically(target, starter.read_bytes())
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


def _register_groups() -> None:
    from gardien.commands.audit_commands import audit_app
    from gardien.commands.key_commands import keys_app
    from gardien.commands.server import serve
    from gardien.commands.store_commands import db_app, declaration_app
    from gardien.commands.worker import worker

    app.add_typer(db_app, name="db")
    app.add_typer(declaration_app, name="declaration")
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.command("serve")(serve)
    app.command("worker")(worker)


_register_groups()


def _emit(content: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        _write_atomically(output, content)
        stderr.print(f"wrote {output}", markup=False)


def _write_atomically(target: Path, content: bytes) -> None:
    """Write ``target`` whole or not at all: a crash never leaves half a file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    except OSError as exc:
        raise GardienError(f"cannot write {target}: {exc.strerror}") from None
    try:
        # mkstemp creates 0600; a notice or a declaration is not secret, so give it the
        # mode any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except OSError as exc:
        os.unlink(temporary)
        raise GardienError(f"cannot write {target}: {exc.strerror}") from None


app.command("lint-policy")(lint_policy_command)
app.command("redact")(redact_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``gardien`` console script; always ends in ``SystemExit``."""
    try:
        # Standalone mode: click prints usage errors itself and exits 2.
        app(args=argv, prog_name="gardien")
    except DeclarationError as exc:
        for problem in exc.problems:
            stderr.print(str(problem), style="red", markup=False)
        sys.exit(exc.exit_code)
    except GardienError as exc:
        stderr.print(f"error: {exc.message}", style="red", markup=False)
        sys.exit(exc.exit_code)
