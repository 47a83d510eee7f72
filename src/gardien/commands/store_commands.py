"""``gardien db upgrade`` and ``gardien declaration apply``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gardien.commands.common import ConfigOption, settings_for, stdout
from gardien.declaration import load_valid
from gardien.notifications import renewals_on_new_version
from gardien.store import apply_declaration, open_store, upgrade

db_app = typer.Typer(help="gardien's store: schema migrations.", no_args_is_help=True)
declaration_app = typer.Typer(help="The declaration in force.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply every schema migration not yet applied (store and key store)."""
    settings = settings_for(config)
    store = open_store(settings)
    try:
        upgrade(store)
    finally:
        store.dispose()
    stdout.print("store is up to date", markup=False)


@declaration_app.command("apply")
def declaration_apply(
    path: Annotated[Path | None, typer.Argument(help="Declaration to put in force.")] = None,
    config: ConfigOption = None,
) -> None:
    """Validate a declaration and record it, under its version hash, as the one in force."""
    settings = settings_for(path or config)
    declaration = load_valid(settings.config)
    store = open_store(settings)
    try:
        upgrade(store)
        record = apply_declaration(
            store, declaration, str(settings.config), renewals_on_new_version(declaration)
        )
    finally:
        store.dispose()
    since = f"{record.applied_at:%Y-%m-%d %H:%M:%S} UTC"
    stdout.print(f"declaration {record.version[:12]} in force since {since}", markup=False)
