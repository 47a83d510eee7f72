"""Fixtures of the redaction tests: the analyzer (and its spaCy pipelines)
is built once per session, since loading both models takes seconds."""

from __future__ import annotations

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
