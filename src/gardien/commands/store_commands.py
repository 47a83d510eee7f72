"""``gardien db upgrade``: bring the store and the key store to this gardien's schema."""

from __future__ import annotations

import typer

from gardien.commands.common import ConfigOption, command_store, settings_for, stdout

db_app = typer.Typer(help="gardien's store: schema migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply every schema migration not yet applied (store and key store)."""
    with command_store(settings_for(config), writes=True):
        pass
    stdout.print("store is up to date", markup=False)
