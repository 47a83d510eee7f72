"""Staff accounts for the console's tests, one per staff role.

Passwords are hashed with argon2id at a test cost (1 pass, 1 MiB), so that
the many sign-ins of the route matrix take milliseconds; ``tests/auth``
checks that the real parameters are used, and that a hash made under other
ones is remade at the next sign-in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from console_staff import PASSWORD, STAFF

from actors import ACTOR
from gardien.auth import Role, create_user
from gardien.auth import passwords as password_module
from gardien.store import Store


@pytest.fixture
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    password_module.hasher.cache_clear()
    password_module.decoy_hash.cache_clear()
    monkeypatch.setattr(password_module, "hasher", lambda: cheap)
    yield
    password_module.decoy_hash.cache_clear()


@pytest.fixture
def staff_accounts(store: Store, cheap_hashes: None) -> dict[Role, str]:
    """One account per staff role: their e-mails."""
    with store.engine.begin() as conn:
        for role, email in STAFF.items():
            create_user(conn, email, PASSWORD, role, actor=ACTOR)
    return dict(STAFF)
