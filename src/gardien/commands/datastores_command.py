"""``gardien datastores check``: the declaration's datastores against the live databases."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from gardien.commands.common import ConfigOption, settings_for, stderr, stdout

datastores_app = typer.Typer(
    help="The company's own databases, as privacy.yaml describes them.", no_args_is_help=True
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@datastores_app.command("check")
def datastores_check(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="A table, or JSON lines.")
    ] = OutputFormat.text,
    config: ConfigOption = None,
) -> None:
    """Compare each declared datastore with its live schema: exit 1 on any error.

    Errors: a declared table or column missing, a legal hold anchored on a
    column that is not a date, a datastore that cannot be reached. Warnings:
    a reference or identity column without an index, a foreign key the
    declaration does not name, a column that looks personal and is not covered.
    """
    from gardien.connectors import Severity, check_datastores, close_all, open_datastores
    from gardien.declaration import load_valid

    declaration = load_valid(settings_for(config).config)
    if not declaration.datastores:
        stderr.print("the declaration has no datastores: nothing to check", markup=False)
        return
    connectors = open_datastores(declaration)
    try:
        findings = check_datastores(declaration, connectors)
    finally:
        close_all(connectors)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    if fmt is OutputFormat.json:
        for finding in findings:
            stdout.print(
                json.dumps(
                    {"severity": finding.severity.value, "datastore": finding.datastore,
                     "collection": finding.collection, "column": finding.column,
                     "message": finding.message},
                    ensure_ascii=False,
                ),
                markup=False, soft_wrap=True,
            )  # fmt: skip
    elif findings:
        table = Table("", "where", "finding", show_lines=False, expand=False)
        for finding in findings:
            mark = "[red]error[/red]" if finding.severity is Severity.ERROR else "[yellow]warning"
            table.add_row(mark, finding.where, finding.message)
        stdout.print(table)
    summary = (
        f"{len(declaration.datastores)} datastore(s): {errors} error(s), "
        f"{len(findings) - errors} warning(s)"
    )
    stderr.print(summary, markup=False)
    if errors:
        raise typer.Exit(1)
