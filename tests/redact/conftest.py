"""Fixtures of the redaction tests: the analyzer (and its spaCy pipelines)
is built once per session, since loading both models takes seconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bench.redact_data import build
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
    """``bench.redact_data.build``: the labelled sentences of the benchmark
    (tests use the development templates only)."""
    return build
