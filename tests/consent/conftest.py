"""Fixtures of the consent room's tests: the test declaration and its variants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from consent_helpers import extend

from gardien.declaration import Declaration, load


@pytest.fixture
def declaration(write_declaration: Callable[..., Path]) -> Declaration:
    return load(write_declaration(extend))


@pytest.fixture
def variant(
    write_declaration: Callable[..., Path],
) -> Callable[[Callable[[dict[str, Any]], None]], Declaration]:
    """The test declaration changed by ``mutate``, written under another name."""
    counter = iter(range(1000))

    def make(mutate: Callable[[dict[str, Any]], None]) -> Declaration:
        def both(data: dict[str, Any]) -> None:
            extend(data)
            mutate(data)

        return load(write_declaration(both, name=f"variant{next(counter)}.yaml"))

    return make
