"""``gardien audit verify`` and ``gardien audit export``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from gardien.commands.common import ConfigOption, settings_for, stderr, stdout
from gardien.errors import GardienError
from gardien.store import current_declaration, open_store, upgrade

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


def cli_actor() -> str:
    """Who runs a CLI command, as the audit trail names them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    safe = "".join(c for c in user if c.isalnum() or c in "-_.")[:40] or "unknown"
    return f"cli:{safe}"


@audit_app.command("verify")
def audit_verify(config: ConfigOption = None) -> None:
    """Check the hash chain: exit 0 when intact, 1 naming the first entry tampered with."""
    from gardien.audit import verify

    store = open_store(settings_for(config))
    try:
        upgrade(store)
        result = verify(store)
    finally:
        store.dispose()
    if result.ok:
        stdout.print(f"audit trail intact: {result.entries_checked} entries", markup=False)
        return
    stderr.print(
        f"audit trail broken at entry {result.first_bad_seq} ({result.fault}): {result.problem}",
        markup=False,
    )
    raise typer.Exit(1)


@audit_app.command("export")
def audit_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL file (default: stdout).")
    ] = None,
    since: Annotated[
        int | None, typer.Option("--since", min=0, help="Only entries after this seq.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write the trail as JSON lines; the export itself is recorded in the trail."""
    from gardien.audit import AuditExported, append, export_jsonl

    store = open_store(settings_for(config))
    try:
        upgrade(store)
        declaration = current_declaration(store)
        try:
            handle = output.open("x", encoding="utf-8") if output else sys.stdout
        except FileExistsError:
            raise GardienError(f"{output} already exists: choose a new file name") from None
        except OSError as exc:
            raise GardienError(f"cannot write {output}: {exc.strerror}") from None
        try:
            with store.engine.begin() as conn:
                count = export_jsonl(conn, handle, since_seq=since)
                append(
                    conn,
                    AuditExported(since_seq=since, entries=count),
                    actor=cli_actor(),
                    role="admin",
                    declaration_version=declaration.version if declaration else None,
                )
        finally:
            if output:
                handle.close()
    finally:
        store.dispose()
    stderr.print(f"exported {count} entries", markup=False)
