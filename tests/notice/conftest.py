"""Fixtures of the notice tests: the rich fixture declaration and an HTML text extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardien.declaration import load
from gardien.declaration.models import Declaration

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session")
def declaration() -> Declaration:
    return load(FIXTURES / "privacy.yaml")
