"""The server analyses texts in several request threads at once with one
analyzer and one pipeline per language: the spans must be those of one call
at a time (no buffer of the fast tok2vec or of the recognizers shared)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gardien.redact import Analyzer


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    # Hand the GIL over every 10 µs, so that the threads interleave inside calls.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("frequent_switches")
def test_concurrent_calls_give_the_spans_of_sequential_ones(
    analyzer: Analyzer, build_eval_set: Callable[..., list[dict[str, Any]]]
) -> None:
    items = build_eval_set("dev", per_lang=60, seed=11)
    expected = [analyzer.analyze(item["text"], item["lang"]) for item in items]
    got: list[object] = [None] * len(items)

    def work(first: int) -> None:
        for index in range(first, len(items), 4):
            got[index] = analyzer.analyze(items[index]["text"], items[index]["lang"])

    threads = [threading.Thread(target=work, args=(first,)) for first in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b] == []
