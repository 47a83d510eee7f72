"""A fresh company database for a test: a SQLite file, or a PostgreSQL schema of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, text

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")


@contextmanager
def company_database(
    create: Callable[[Engine], None], *, postgresql: bool, directory: Path, name: str
) -> Iterator[str]:
    """The URL of a database ``create`` filled: ``directory/<name>.db``, or a new schema of
    the test PostgreSQL database, dropped afterwards."""
    if not postgresql:
        url = f"sqlite:///{directory / f'{name}.db'}"
        engine = create_engine(url)
        create(engine)
        engine.dispose()
        yield url
        return
    assert POSTGRES_URL is not None, "GARDIEN_TEST_POSTGRES_URL is not set"
    schema = f"{name}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    engine = create_engine(url)
    try:
        create(engine)
        engine.dispose()
        yield url
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
