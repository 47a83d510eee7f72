"""Fixtures of the vault's tests: a master key and a vault over the ``store`` fixture."""

from __future__ import annotations

import pytest

from gardien.store import Store
from gardien.vault import MasterKey, Vault


@pytest.fixture
def master_key() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture
def vault(store: Store, master_key: MasterKey) -> Vault:
    return Vault(store, master_key)
