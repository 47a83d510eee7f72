"""Paths and types shared by the policy-lint tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gardien.policylint import LintReport

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"

Lint = Callable[..., LintReport]
