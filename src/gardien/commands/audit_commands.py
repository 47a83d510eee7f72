"""``gardien audit verify`` and ``gardien audit export``."""

from __future__ import annotations

import sys
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
from gardien.errors import GardienError

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="SEQ:HASH",
            help="A checkpoint an earlier run printed: fail if the trail no longer reaches "
            "it or no longer has its hash (entries cut off the end).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Check the hash chain: exit 0 when intact, 1 naming the first entry tampered with.

    Prints the last entry's checkpoint (SEQ:HASH): record it where the store's
    administrators cannot write, and pass it back with --expect next time.
    """
    from gardien.audit import Checkpoint, verify
    from gardien.errors import AuditError

    try:
        checkpoint = Checkpoint.parse(expect) if expect is not None else None
    except AuditError as exc:
        raise typer.BadParameter(exc.message, param_hint="--expect") from None
    with command_store(settings_for(config), writes=False) as store:
        result = verify(store, checkpoint)
    if result.ok:
        stdout.print(f"audit trail intact: {result.entries_checked} entries", markup=False)
        if checkpoint is not None:
            stdout.print(f"checkpoint {checkpoint.seq} matches", markup=False)
        stdout.print(
            f"last entry (record it, pass it to --expect next time): "
            f"{result.last_seq}:{result.last_hash}",
            markup=False,
        )
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
    from gardien.audit import export

    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        try:
            handle = output.open("x", encoding="utf-8") if output else sys.stdout
        except FileExistsError:
            raise GardienError(f"{output} already exists: choose a new file name") from None
        except OSError as exc:
            raise GardienError(f"cannot write {output}: {exc.strerror}") from None
        try:
            with store.engine.begin() as conn:
                count = export(conn, handle, actor=actor, since_seq=since)
        finally:
            if output:
                handle.close()
    stderr.print(f"exported {count} entries", markup=False)
