"""Opening the store and bringing its schema up to date with Alembic."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from gardien.errors import StoreError
from gardien.settings import Settings
from gardien.store.engine import make_engine


@dataclass(frozen=True)
class Store:
    """gardien's two databases: the store, and the key store of data keys."""

    engine: Engine
    keystore: Engine

    def dispose(self) -> None:
        self.engine.dispose()
        self.keystore.dispose()


def open_store(settings: Settings) -> Store:
    return Store(
        engine=make_engine(settings.resolved_database_url),
        keystore=make_engine(settings.resolved_keystore_url),
    )


def upgrade(store: Store) -> None:
    """Apply every migration not yet applied, to both databases."""
    _run(store.engine, "main")
    _run(store.keystore, "keystore")


def require_current(store: Store) -> None:
    """``StoreError`` unless both databases are at the schema this gardien expects.

    For commands that only read: they must not migrate a store behind the
    back of the servers using it, nor read one whose tables are missing.
    """
    for engine, environment, table in (
        (store.engine, "main", "alembic_version"),
        (store.keystore, "keystore", "keystore_version"),
    ):
        heads = set(ScriptDirectory.from_config(_config(environment)).get_heads())
        try:
            with engine.connect() as connection:
                current = set(
                    MigrationContext.configure(
                        connection, opts={"version_table": table}
                    ).get_current_heads()
                )
        except OperationalError as exc:
            raise _unreachable(engine, exc) from None
        if current != heads:
            state = "has no schema yet" if not current else "has an older schema"
            raise StoreError(
                f"the {'key store' if environment == 'keystore' else 'store'} at "
                f"{engine.url.render_as_string(hide_password=True)} {state}: run "
                "`gardien db upgrade` (with the same --config) first"
            )


def _config(environment: str) -> Config:
    location = resources.files("gardien.store").joinpath("migrations", environment)
    config = Config()
    config.set_main_option("script_location", str(Path(str(location))))
    return config


def _unreachable(engine: Engine, exc: OperationalError) -> StoreError:
    return StoreError(
        f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: "
        f"{exc.orig}; check GARDIEN_DATABASE_URL and that the server is running"
    )


def _run(engine: Engine, environment: str) -> None:
    config = _config(environment)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise _unreachable(engine, exc) from None
