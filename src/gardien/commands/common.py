"""What every command shares: the consoles, the --config option, the store, the actor.

``command_store`` is the one way a command opens gardien's store: a command
that writes brings the schema up to date first (as ``gardien db upgrade``
would); a command that only reads never migrates, and refuses a store whose
schema is missing or older than this gardien, saying which command fixes it.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gardien.audit import Actor
from gardien.settings import Settings
from gardien.store import Store, current_declaration, open_store, require_current, upgrade

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="The declaration file (default: $GARDIEN_CONFIG, else ./privacy.yaml); the store "
        "and key files default to its directory.",
    ),
]


def settings_for(config: Path | None, **overrides: object) -> Settings:
    return Settings.from_env(None, config=config, **overrides)


@contextmanager
def command_store(settings: Settings, *, writes: bool) -> Iterator[Store]:
    """gardien's store for one command, disposed of when the command ends."""
    store = open_store(settings)
    try:
        if writes:
            upgrade(store)
        else:
            require_current(store)
        yield store
    finally:
        store.dispose()


def cli_actor(store: Store | None = None) -> Actor:
    """Who runs a CLI command, as the audit trail names them, under the declaration in force.

    The system user's name (letters, digits and ``-_.`` only) stands for the
    person: whoever can run gardien on the server is an operator of it.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    safe = "".join(c for c in user if c.isalnum() or c in "-_.")[:40] or "unknown"
    record = current_declaration(store) if store is not None else None
    return Actor(f"cli:{safe}", "admin", record.version if record else None)
