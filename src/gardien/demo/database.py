"""The company database a demo is built in: reaching it, refusing one in use, its schema.

A demo database is SQLite (a file) or PostgreSQL. ``connect`` refuses any
other URL, and one it cannot reach, before anything is written;
``require_empty`` refuses a database that already has tables. The schema is
created in two steps around the load: tables first (on PostgreSQL without
their foreign keys), then, once every row is in, the foreign keys (each one
checked by PostgreSQL as it is added: one join rather than a check per row),
the indexes and the sequences. SQLite keeps its foreign keys in the tables
and is checked with ``PRAGMA foreign_key_check``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable, ForeignKeyConstraint

from gardien.errors import DemoError
from gardien.settings import mask_url

_URL_FORMS = "sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/database"


def parse(url: str) -> URL:
    """``url`` as SQLAlchemy reads it, if it names SQLite or PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DemoError(f"the database URL is not valid: write {_URL_FORMS}") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise DemoError(
            f"gardien demo builds SQLite or PostgreSQL databases, not {backend!r}: "
            f"write {_URL_FORMS}"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise DemoError("a SQLite demo database is a file: write sqlite:///path/to/file.db")
    return parsed


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def connect(url: str) -> Engine:
    """An engine on the demo database, once it is known to be reachable (nothing is created)."""
    parsed = parse(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.parent.is_dir():
            raise DemoError(f"cannot create {path}: its directory does not exist")
        return create_engine(parsed)
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError as exc:
        raise DemoError(f"cannot use the demo database {mask_url(url)}: {exc}") from None
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DemoError(
            f"cannot reach the demo database {mask_url(url)}: {reason}; check the URL, "
            "that the server runs and that the user may create tables"
        ) from None
    return engine


def require_empty(engine: Engine, shown: str) -> None:
    """Refuse a database that already has tables: a demo never writes over data."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        if not path.exists() or path.stat().st_size == 0:
            return
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DemoError(f"cannot read the demo database {shown}: {reason}") from None
    if tables:
        raise DemoError(
            f"the database {shown} is not empty (it has {len(tables)} table(s), e.g. "
            f"{sorted(tables)[0]!r}): gardien demo never writes over data; give an empty "
            "database or another directory"
        )


def create_tables(connection: Connection, metadata: MetaData) -> None:
    """The tables, without their indexes; on PostgreSQL without their foreign keys too."""
    postgresql = connection.dialect.name == "postgresql"
    for table in metadata.sorted_tables:
        connection.execute(
            CreateTable(table, include_foreign_key_constraints=[] if postgresql else None)
        )


def finish(connection: Connection, metadata: MetaData) -> None:
    """Foreign keys (checked), indexes and sequences, once every row is in."""
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        for table in metadata.sorted_tables:
            for constraint in table.constraints:
                if isinstance(constraint, ForeignKeyConstraint):
                    # Not isolated: the table objects are shared, and a SQLite build made
                    # after this one must still create its foreign keys inline.
                    connection.execute(AddConstraint(constraint, isolate_from_table=False))
    for table in metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            connection.execute(CreateIndex(index))
    if postgresql:
        for table in metadata.sorted_tables:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )
            connection.execute(text(f'ANALYZE "{table.name}"'))
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise DemoError(
            f"the generated rows break {len(broken)} foreign key(s), e.g. {table} row {rowid} "
            f"points at a missing {parent} row: this is a bug of gardien demo, please report it"
        )


def drop_tables(engine: Engine, metadata: MetaData) -> None:
    """Remove what a build created (on PostgreSQL; a SQLite file is removed whole)."""
    with engine.begin() as connection:
        metadata.drop_all(connection, checkfirst=True)


def content_digest(connection: Connection, metadata: MetaData) -> str:
    """SHA-256 of every row of every table, in primary-key order: equal for equal databases."""
    digest = hashlib.sha256()
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        digest.update(f"\x1e{table.name}\x1f".encode())
        ordered = select(table).order_by(*table.primary_key.columns)
        for row in connection.execute(ordered):
            digest.update("\x1f".join(_canonical(value) for value in row).encode())
            digest.update(b"\x1e")
    return digest.hexdigest()


def _canonical(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
