"""Time of one NER call per sentence, with the fast tok2vec of
``src/gardien/redact/fast_tok2vec.py`` and with thinc's original forward.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python -m bench.redact_ner_speed

The sentences are the dev set of ``redact_data.py`` (``build("dev",
per_lang=500)``), one call each, as the redaction API makes them. Per
language, three rows, in milliseconds per call:

- ``tok2vec``: the NER model's tok2vec sub-model alone, ``tok2vec([doc],
  is_train=False)`` on a tokenised doc;
- ``ner pipe``: the whole ``ner`` component, ``ner(doc)`` on a fresh
  tokenised doc (the tok2vec, then the transition parser);
- ``analyze``: ``Analyzer.analyze(text, lang)``, tokenisation and every
  recognizer included.

``ratio`` is original / fast. The sentences are timed in slices of
``--slice``; each slice runs ``--repeat`` times in each mode, the two modes
alternating, and its best time per mode is kept: a busy moment of the machine
then costs one repetition of one slice, not a whole pass, and falls on both
modes alike. The mode is switched by swapping the tok2vec node's forward
function, the hook ``install_fast_tok2vec`` uses, so that the switch does not
re-run its load-time check. Single-threaded BLAS on one core (the command
above) is the setting of the figures in the docs. The entities of the two
forwards are compared on every sentence and any difference is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.redact_data import build
from gardien.redact.engine import default_analyzer
from gardien.redact.fast_tok2vec import FastTok2Vec, install_fast_tok2vec
from gardien.redact.nlp import load_pipeline

Entities = list[tuple[str, int, int, str]]
#: Times one slice of sentences (by index) in the current mode, in seconds.
Run = Callable[[range], float]


def _best(
    run: Run, count: int, size: int, repeat: int, mode: Callable[[bool], None]
) -> dict[bool, float]:
    """Seconds for all ``count`` sentences per mode (True: the fast path):
    the sum over slices of each slice's best time."""
    total = {True: 0.0, False: 0.0}
    for start in range(0, count, size):
        piece = range(start, min(start + size, count))
        best = {True: float("inf"), False: float("inf")}
        for _ in range(repeat):
            for fast in (True, False):
                mode(fast)
                best[fast] = min(best[fast], run(piece))
        for fast in (True, False):
            total[fast] += best[fast]
    mode(True)
    return total


def measure(lang: str, texts: list[str], size: int, repeat: int) -> list[tuple[str, float, float]]:
    """(row, original ms per call, fast ms per call) for ``lang``."""
    nlp = load_pipeline(lang)
    if not install_fast_tok2vec(nlp):
        raise SystemExit(f"the fast tok2vec does not install on the {lang} pipeline")
    ner: Any = nlp.get_pipe("ner")
    tok2vec = ner.model.get_ref("tok2vec")
    fast_forward = tok2vec._func
    assert isinstance(fast_forward, FastTok2Vec)
    analyzer = default_analyzer()
    current = [True]

    def mode(fast: bool) -> None:
        tok2vec._func = fast_forward if fast else fast_forward.original
        current[0] = fast

    docs = [[nlp.make_doc(text)] for text in texts]
    found: dict[bool, list[Entities]] = {True: [[]] * len(texts), False: [[]] * len(texts)}

    def run_tok2vec(piece: range) -> float:
        start = time.perf_counter()
        for i in piece:
            tok2vec(docs[i], is_train=False)
        return time.perf_counter() - start

    def run_ner(piece: range) -> float:
        fresh = [nlp.make_doc(texts[i]) for i in piece]  # NER keeps the entities a doc has
        start = time.perf_counter()
        for doc in fresh:
            ner(doc)
        elapsed = time.perf_counter() - start
        for i, doc in zip(piece, fresh, strict=True):
            found[current[0]][i] = [(e.text, e.start_char, e.end_char, e.label_) for e in doc.ents]
        return elapsed

    def run_analyze(piece: range) -> float:
        start = time.perf_counter()
        for i in piece:
            analyzer.analyze(texts[i], lang)
        return time.perf_counter() - start

    rows = [
        (name, _best(run, len(texts), size, repeat, mode))
        for name, run in (("tok2vec", run_tok2vec), ("ner pipe", run_ner), ("analyze", run_analyze))
    ]
    differ = sum(a != b for a, b in zip(found[True], found[False], strict=True))
    print(f"{lang}: entities differ on {differ} of {len(texts)} sentences", file=sys.stderr)
    n = len(texts)
    return [(name, best[False] * 1000 / n, best[True] * 1000 / n) for name, best in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per slice and mode (best kept)")
    parser.add_argument("--slice", type=int, default=20, help="sentences per timed slice")
    parser.add_argument("--per-lang", type=int, default=500, help="sentences per language")
    args = parser.parse_args()
    items = build("dev", per_lang=args.per_lang)
    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')} "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')} cores={affinity} "
        f"repeat={args.repeat} slice={args.slice}"
    )
    print("| lang | sentences | tokens/sentence | per call | original ms | fast ms | ratio |")
    print("|---|---|---|---|---|---|---|")
    for lang in ("fr", "en"):
        texts = [str(item["text"]) for item in items if item["lang"] == lang]
        nlp = load_pipeline(lang)
        tokens = statistics.mean(len(nlp.make_doc(text)) for text in texts)
        for row, original, fast in measure(lang, texts, args.slice, args.repeat):
            print(
                f"| {lang} | {len(texts)} | {tokens:.1f} | {row} | {original:.3f} | {fast:.3f} "
                f"| {original / fast:.2f} |"
            )


if __name__ == "__main__":
    main()
