"""Fixtures of the redaction tests: the analyzer (and its spaCy pipelines)
is built once per session, since loading both models takes seconds."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gardien.redact import Analyzer
from gardien.redact.engine import default_analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    shared = default_analyzer()
    shared.analyze("Bonjour Jean", "fr")  # load both pipelines here, not in a test
    shared.analyze("Hello John", "en")
    return shared


@pytest.fixture(scope="session")
def key() -> bytes:
    return bytes(range(32))


@pytest.fixture(scope="session")
def build_eval_set() -> Callable[..., list[dict[str, Any]]]:
    """``bench/redact_data.build``: the labelled sentences of the benchmark
    (tests use the development templates only)."""
    bench = str(Path(__file__).resolve().parents[2] / "bench")
    sys.path.insert(0, bench)
    try:
        from redact_data import build  # type: ignore[import-not-found]
    finally:
        sys.path.remove(bench)
    built: Callable[..., list[dict[str, Any]]] = build
    return built
