"""The ``gardien`` command: assembles the commands of ``gardien.commands`` and runs them.

Every command lives in ``commands/`` and only parses arguments, calls a room
and prints. Every error gardien raises on purpose is printed here as a
message (no traceback) and turned into its exit code, and only here.
"""

from __future__ import annotations

import os

# Before anything imports numpy (openpyxl does): the NER model multiplies
# matrices of one sentence, too small for BLAS threads to pay off, and with
# the other cores busy OpenBLAS's threads stalled calls for up to 100 ms.
# Only the ``gardien`` process is changed; a caller may set it otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from typing import Annotated

import typer

from gardien import __version__
from gardien.commands.audit_commands import audit_app
from gardien.commands.common import stderr, stdout
from gardien.commands.datastores_command import datastores_app
from gardien.commands.declaration_commands import (
    declaration_app,
    init_command,
    notice_command,
    register_command,
    validate_command,
)
from gardien.commands.demo_command import demo_command
from gardien.commands.key_commands import keys_app
from gardien.commands.lint_policy_command import lint_policy_command
from gardien.commands.redact_command import redact_command
from gardien.commands.requests_commands import requests_app
from gardien.commands.retention_command import retention_app
from gardien.commands.server import serve
from gardien.commands.store_commands import db_app
from gardien.commands.users_commands import users_app
from gardien.commands.worker import worker
from gardien.errors import DeclarationError, GardienError

app = typer.Typer(
    name="gardien",
    help="gardien: one declaration of your processing drives your privacy notice, "
    "register, consents, requests, retention, redaction and audit trail.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


app.command("validate")(validate_command)
app.command("notice")(notice_command)
app.command("register")(register_command)
app.command("init")(init_command)
app.command("lint-policy")(lint_policy_command)
app.command("redact")(redact_command)
app.add_typer(db_app, name="db")
app.add_typer(declaration_app, name="declaration")
app.add_typer(keys_app, name="keys")
app.add_typer(datastores_app, name="datastores")
app.add_typer(audit_app, name="audit")
app.add_typer(requests_app, name="requests")
app.add_typer(retention_app, name="retention")
app.add_typer(users_app, name="users")
app.command("serve")(serve)
app.command("worker")(worker)
app.command("demo")(demo_command)


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
