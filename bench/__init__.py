"""gardien's benchmarks, and the labelled redaction sentences they share with the tests.

``bench`` is a package imported from the repository root, by the benchmarks
(run as ``.venv/bin/python -m bench.<name>``) and by the tests (through the
``pythonpath`` that pytest's configuration in ``pyproject.toml`` declares),
so that ``bench.redact_data`` is found the same way by both and no one edits
``sys.path``.
"""
