"""The CRM on the store's own backend, its declaration, and a sweeper on a clock tests set."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import crm
from company_databases import company_database
from gardien.declaration import Declaration, load_valid
from gardien.store import Store
from gardien.vault import MasterKey, Vault
from retention_sweeper import Sweeper

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
LEASE = dt.timedelta(seconds=60)


@pytest.fixture
def crm_url(store: Store, tmp_path: Path) -> Iterator[str]:
    """The CRM, filled, on the backend of the store under test."""
    postgresql = store.engine.dialect.name == "postgresql"
    with company_database(crm.create, postgresql=postgresql, directory=tmp_path, name="crm") as url:
        yield url


@pytest.fixture
def write_crm(
    write_declaration: Callable[..., Path], crm_url: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Declaration]:
    monkeypatch.setenv(crm.URL_VARIABLE, crm_url)

    def write(change: Callable[[dict[str, Any]], None] | None = None) -> Declaration:
        def mutate(data: dict[str, Any]) -> None:
            crm.with_crm(data)
            if change is not None:
                change(data)

        return load_valid(write_declaration(mutate, name="crm.yaml"))

    return write


@pytest.fixture
def declared(write_crm: Callable[..., Declaration]) -> Declaration:
    return write_crm()


@pytest.fixture
def vault(store: Store) -> Vault:
    return Vault(store, MasterKey.generate())


@pytest.fixture
def sweeper(store: Store, vault: Vault, crm_url: str) -> Sweeper:
    return Sweeper(store, vault, crm_url)
