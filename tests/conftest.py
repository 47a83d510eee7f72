"""Fixtures shared by every room's tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from gardien.declaration.source import parse_yaml

STARTER = resources.files("gardien.declaration").joinpath("data", "starter.yaml").read_text("utf-8")

Mutation = Callable[[dict[str, Any]], None]


def starter_data() -> dict[str, Any]:
    """The starter declaration as plain data, a fresh copy each call."""
    return copy.deepcopy(dict(parse_yaml(STARTER, "starter.yaml").data))


@pytest.fixture
def write_declaration(tmp_path: Path) -> Callable[..., Path]:
    """Write the starter declaration, changed by ``mutate``, and return its path."""

    def write(mutate: Mutation | None = None, name: str = "privacy.yaml") -> Path:
        data = starter_data()
        if mutate is not None:
            mutate(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        return path

    return write
