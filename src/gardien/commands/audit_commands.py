"""``gardien audit verify`` and ``gardien audit export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from gardien.settings import Settings
    from gardien.store import Store

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
    signed_by: Annotated[
        str | None,
        typer.Option(
            "--signed-by",
            metavar="KEY",
            help="The public key retention's checkpoints are signed with, as an earlier run "
            "printed it (default: the vault's, which needs the master key).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Check the hash chain: exit 0 when intact, 1 naming the first entry tampered with.

    Prints the last entry's checkpoint (SEQ:HASH): record it where the store's
    administrators cannot write, and pass it back with --expect next time.
    Once retention removed the oldest entries, the chain is checked from the
    signed checkpoint of the last one removed.
    """
    from gardien.audit import Checkpoint, verify
    from gardien.audit.checkpoints import parse_public_key, public_key_hex
    from gardien.errors import AuditError

    try:
        checkpoint = Checkpoint.parse(expect) if expect is not None else None
    except AuditError as exc:
        raise typer.BadParameter(exc.message, param_hint="--expect") from None
    try:
        key = parse_public_key(signed_by) if signed_by is not None else None
    except AuditError as exc:
        raise typer.BadParameter(exc.message, param_hint="--signed-by") from None
    settings = settings_for(config)
    with command_store(settings, writes=False) as store:
        if key is None:
            key = _vault_checkpoint_key(store, settings)
        result = verify(store, checkpoint, key)
    if result.ok:
        stdout.print(f"audit trail intact: {result.entries_checked} entries", markup=False)
        if result.checkpoint is not None and key is not None:
            stdout.print(
                f"entries 1 to {result.checkpoint.seq} were removed by retention on "
                f"{result.checkpoint.removed_at:%Y-%m-%d}; the checkpoint of entry "
                f"{result.checkpoint.seq} is signed by {public_key_hex(key)}",
                markup=False,
            )
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


def _vault_checkpoint_key(store: Store, settings: Settings) -> Ed25519PublicKey | None:
    """The vault's checkpoint key, once retention made one; None without the master key
    (the verification then says how to give the key)."""
    from gardien.audit.checkpoints import CHECKPOINT_SECRET, latest_checkpoint, signing_key
    from gardien.vault import Vault, load_master_key

    with store.engine.connect() as conn:
        if latest_checkpoint(conn) is None:
            return None  # nothing signed: no key needed, and none is made by a read
    try:
        vault = Vault(store, load_master_key(settings))
        return signing_key(vault.derived_secret(CHECKPOINT_SECRET)).public_key()
    except GardienError:
        return None


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
