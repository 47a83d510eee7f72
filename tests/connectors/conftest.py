"""A shop's database on each backend, and the declaration that describes it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shop
from shop import SHOP_URL_VARIABLE, with_shop

from company_databases import company_database
from gardien.declaration import Declaration, load

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(params=BACKENDS)
def shop_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a freshly created shop database (SQLite file, or a PostgreSQL schema)."""
    postgresql = request.param == "postgresql"
    with company_database(
        shop.create, postgresql=postgresql, directory=tmp_path, name="shop"
    ) as url:
        yield url


@pytest.fixture
def shop_declaration(
    write_declaration: Callable[..., Path], shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> Declaration:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    return load(write_declaration(with_shop))
