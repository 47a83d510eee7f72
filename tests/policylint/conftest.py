"""Fixtures of the policy-lint tests: pipelines loaded once, reports cached per text."""

from __future__ import annotations

import pytest
from lint_helpers import Lint

from gardien.policylint import LintReport, lint_policy
from gardien.policylint.engine import grammar_pipeline


@pytest.fixture(scope="session")
def pipelines() -> None:
    """Load both spaCy pipelines once for the whole session."""
    grammar_pipeline("fr")
    grammar_pipeline("en")


@pytest.fixture(scope="session")
def lint(pipelines: None) -> Lint:
    """``lint_policy`` with its reports cached, so each text is parsed once per session."""
    cache: dict[tuple[str, str], LintReport] = {}

    def run(text: str, lang: str = "auto") -> LintReport:
        key = (text, lang)
        if key not in cache:
            cache[key] = lint_policy(text, lang=lang)
        return cache[key]

    return run
