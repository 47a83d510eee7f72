"""A shop's database on each backend, and the declaration that describes it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import shop
from shop import SHOP_URL_VARIABLE, with_shop
from sqlalchemy import create_engine, text

from gardien.declaration import Declaration, load

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(params=BACKENDS)
def shop_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a freshly created shop database (SQLite file, or a PostgreSQL schema)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shop.db'}"
        engine = create_engine(url)
        shop.create(engine)
        engine.dispose()
        yield url
        return
    assert POSTGRES_URL is not None
    schema = f"shop_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    engine = create_engine(url)
    shop.create(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def shop_declaration(
    write_declaration: Callable[..., Path], shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> Declaration:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    return load(write_declaration(with_shop))
