"""The layout rules the suite itself depends on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).parent


def test_test_modules_have_unique_names() -> None:
    # pytest's default import mode imports test modules by file name: two files of
    # the same name in different folders collide on a fresh clone.
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
