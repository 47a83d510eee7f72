"""``gardien keys``: API keys (create, list, revoke) and master key rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gardien.auth import Role, create_key, list_keys, revoke_key
from gardien.commands.common import (
    ConfigOption,
    cli_actor,
    command_store,
    settings_for,
    stderr,
    stdout,
)

keys_app = typer.Typer(help="API keys and the master key.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option("--role", help="What the key may do (docs/roles.md).")],
    label: Annotated[str, typer.Option("--label", help="Who or what uses the key.")] = "",
    config: ConfigOption = None,
) -> None:
    """Create an API key; its secret is printed once, as the last line."""
    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            new = create_key(conn, role, label, actor=actor)
    stderr.print(
        f"created a {role.value} key, prefix {new.key.prefix}; "
        "store it now, it is not shown again:",
        markup=False,
    )
    stdout.print(new.token, markup=False)


@keys_app.command("list")
def keys_list(config: ConfigOption = None) -> None:
    """List API keys by prefix and role (never their secrets)."""
    with command_store(settings_for(config), writes=False) as store, store.engine.connect() as conn:
        keys = list_keys(conn)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        stdout.print(
            f"{key.prefix}  {key.role.value:<8} {state:<18} {key.created_at:%Y-%m-%d}  {key.label}",
            markup=False,
        )


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, from `gardien keys list`.")],
    config: ConfigOption = None,
) -> None:
    """Revoke an API key; servers refuse it within seconds."""
    with command_store(settings_for(config), writes=True) as store:
        actor = cli_actor(store)
        with store.engine.begin() as conn:
            key = revoke_key(conn, prefix, actor=actor)
    stdout.print(f"revoked {key.prefix} ({key.role.value})", markup=False)


@keys_app.command("rotate-master")
def keys_rotate_master(
    new_key_file: Annotated[
        Path,
        typer.Option(
            "--new-key-file",
            help="Where to create the new master key (mode 0600). Point GARDIEN_MASTER_KEY_FILE "
            "at it, or replace the old file with it, once the rotation is done.",
        ),
    ],
    config: ConfigOption = None,
) -> None:
    """Re-wrap every data key with a new master key; re-run to resume if interrupted."""
    from rich.progress import Progress

    from gardien.settings import Settings
    from gardien.vault import create_master_key_file, load_master_key, rotate_master_key

    settings = settings_for(config)
    old = load_master_key(settings)
    if new_key_file.exists():
        # Loaded through the same checks as any key file (mode 0600, format).
        new = load_master_key(Settings(config=settings.config, master_key_file=new_key_file))
    else:
        new = create_master_key_file(new_key_file)
    with command_store(settings, writes=True) as store:
        actor = cli_actor(store)
        with Progress(console=stderr, transient=True) as progress:
            task = progress.add_task("re-wrapping keys", total=None)
            count = rotate_master_key(
                store,
                old,
                new,
                on_batch=lambda done: progress.update(task, completed=done),
                actor=actor,
            )
    stdout.print(
        f"re-wrapped {count} key(s) from master {old.id} to {new.id}; now use {new_key_file} "
        "as the master key file and keep the old one until backups made before today expire",
        markup=False,
    )
