"""Opening the store and bringing its schema up to date with Alembic."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from gardien.settings import Settings
from gardien.store.engine import StoreError, make_engine


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


def _run(engine: Engine, environment: str) -> None:
    location = resources.files("gardien.store").joinpath("migrations", environment)
    config = Config()
    config.set_main_option("script_location", str(Path(str(location))))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.orig}; check GARDIEN_DATABASE_URL and that the server is running"
        ) from None
