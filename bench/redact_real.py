"""Scoring redaction on real text: the dev set of ``../shared/dev-data/pii/``.

Each line of a dev file is ``{"id", "text", "spans", "lang", "source",
"annotated_labels"}`` (the data's README). The data stays outside the
repository; ``bench/redact_eval.py --data FILE...`` reads it at run time.

Two kinds of figure, per source (sources are scored apart: a model trained on
Wikipedia flatters itself on Wikipedia):

- per label, exact and overlap precision / recall / F1, a label being scored
  only on lines whose ``annotated_labels`` hold it (a detected e-mail in a
  corpus that does not annotate e-mails is neither right nor wrong);
- what redaction leaves readable, whatever the labels: character recall and
  precision of all personal data, the share of entities **leaked** (at least
  one letter or digit of the entity covered by no redaction) and **missed**
  (none covered). Only letters and digits count, so that a span that stops
  before a closing bracket or a space is not a leak.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Span = tuple[int, int, str]
Item = dict[str, Any]

#: A source's short name, by a piece of its ``source`` field; the business
#: documents and interviews of RGPDpseudonymizer are one source, also shown
#: by kind.
SOURCE_NAMES = (
    ("RGPDpseudonymizer/tests/test_corpus/business_documents", "rgpd-business"),
    ("RGPDpseudonymizer/tests/test_corpus/interview_transcripts", "rgpd-interviews"),
    ("wikineural", "wikineural"),
    ("presidio-research", "presidio-research"),
    ("emerging", "wnut17"),
)
#: Groups reported on top of the sources: the whole RGPDpseudonymizer corpus.
GROUPS = {"rgpd (all)": ("rgpd-business", "rgpd-interviews")}


def source_name(source: str) -> str:
    """The short name of a dev line's ``source``."""
    for piece, name in SOURCE_NAMES:
        if piece in source:
            return name
    return source


def document_of(item: Item) -> str | None:
    """The document a line comes from, when lines of the source are lines of
    documents (RGPDpseudonymizer's files), else ``None`` (sampled sentences)."""
    source = str(item.get("source", ""))
    return source if source_name(source).startswith("rgpd-") else None


def load(paths: Sequence[Path]) -> list[Item]:
    """Every line of the dev files, with spans as ``(start, end, label)``."""
    items: list[Item] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                row = json.loads(line)
                row["spans"] = [(s["start"], s["end"], s["label"]) for s in row["spans"]]
                row["group"] = source_name(row["source"])
                items.append(row)
    return items


def _annotated(item: Item, label: str) -> bool:
    return label in item.get("annotated_labels", (label,))


def score_labels(
    items: Sequence[Item], preds: Sequence[Sequence[Span]], overlap: bool
) -> dict[tuple[str, str], list[int]]:
    """[tp, fp, fn] per (source, label), labels scored only where annotated.

    With ``overlap`` a prediction matches a gold span of its label that it
    overlaps, else the boundaries must be equal; each gold span matches once."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for item, pred in zip(items, preds, strict=True):
        group = item["group"]
        gold = list(item["spans"])
        used: set[int] = set()
        for p in pred:
            if not _annotated(item, p[2]):
                continue
            hit = None
            for gi, g in enumerate(gold):
                if gi in used or g[2] != p[2]:
                    continue
                if (p[0], p[1]) == (g[0], g[1]) or (overlap and p[0] < g[1] and g[0] < p[1]):
                    hit = gi
                    break
            if hit is None:
                counts[(group, p[2])][1] += 1
            else:
                used.add(hit)
                counts[(group, p[2])][0] += 1
        for gi, g in enumerate(gold):
            if gi not in used:
                counts[(group, g[2])][2] += 1
    return counts


@dataclass
class Leaks:
    """What one system leaves readable in one source."""

    entities: int = 0
    leaked: int = 0
    missed: int = 0
    gold_chars: int = 0
    gold_chars_covered: int = 0
    pred_chars: int = 0
    pred_chars_in_gold: int = 0

    def add(self, other: Leaks) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def char_recall(self) -> float:
        return self.gold_chars_covered / self.gold_chars if self.gold_chars else 0.0

    @property
    def char_precision(self) -> float:
        return self.pred_chars_in_gold / self.pred_chars if self.pred_chars else 0.0

    @property
    def leaked_share(self) -> float:
        return self.leaked / self.entities if self.entities else 0.0

    @property
    def missed_share(self) -> float:
        return self.missed / self.entities if self.entities else 0.0


def _alnum(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


def line_leaks(item: Item, pred: Sequence[Span]) -> Leaks:
    """The leak counts of one line. Any redaction covers a character whatever
    its label; precision counts only predictions of labels the source annotates."""
    text = item["text"]
    covered: set[int] = set()
    for start, end, _ in pred:
        covered |= _alnum(text, start, end)
    in_gold: set[int] = set()
    leaks = Leaks()
    for start, end, _ in item["spans"]:
        chars = _alnum(text, start, end)
        if not chars:
            continue
        in_gold |= chars
        leaks.entities += 1
        seen = chars & covered
        leaks.leaked += seen != chars
        leaks.missed += not seen
    leaks.gold_chars = len(in_gold)
    leaks.gold_chars_covered = len(in_gold & covered)
    predicted: set[int] = set()
    for start, end, label in pred:
        if _annotated(item, label):
            predicted |= _alnum(text, start, end)
    leaks.pred_chars = len(predicted)
    leaks.pred_chars_in_gold = len(predicted & in_gold)
    return leaks


def leaks_by_source(items: Sequence[Item], preds: Sequence[Sequence[Span]]) -> dict[str, Leaks]:
    """Leak counts per source, and per group of sources (``GROUPS``)."""
    found: dict[str, Leaks] = defaultdict(Leaks)
    for item, pred in zip(items, preds, strict=True):
        found[item["group"]].add(line_leaks(item, pred))
    for group, members in GROUPS.items():
        if any(m in found for m in members):
            total = Leaks()
            for member in members:
                if member in found:
                    total.add(found[member])
            found[group] = total
    return dict(found)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _sources(items: Sequence[Item]) -> list[str]:
    names = [name for _, name in SOURCE_NAMES]
    present = {i["group"] for i in items}
    return [n for n in names if n in present] + sorted(present - set(names))


def _labels(items: Sequence[Item], group: Callable[[Item], bool]) -> list[str]:
    labels: set[str] = set()
    for item in items:
        if group(item):
            labels |= {s[2] for s in item["spans"]}
    return sorted(labels)


def _f1_cells(
    scores: dict[str, dict[tuple[str, str], list[int]]], keys: Sequence[str], label: str
) -> list[str]:
    cells = []
    for counts in scores.values():
        tp = fp = fn = 0
        for key in keys:
            a, b, c = counts.get((key, label), (0, 0, 0))
            tp, fp, fn = tp + a, fp + b, fn + c
        p, r, f = prf(tp, fp, fn)
        # Three decimals on F1: "above Presidio" is read from these tables.
        cells.append(f"{p:.2f} / {r:.2f} / **{f:.3f}**")
    return cells


def table(items: Sequence[Item], preds: dict[str, list[list[Span]]]) -> str:
    """Markdown tables: leaks per source, then per-label F1 per language and per source."""
    names = list(preds)
    lines = ["\n**Real text: what is left readable, per source** (label-blind)\n"]
    lines.append("| source | lines | entities | system | leaked | missed | char P | char R |")
    lines.append("|---|---|---|---|---|---|---|---|")
    leaks = {n: leaks_by_source(items, p) for n, p in preds.items()}
    counts = defaultdict(int)
    for item in items:
        counts[item["group"]] += 1
    for group, members in GROUPS.items():
        counts[group] = sum(counts.get(m, 0) for m in members)
    for source in [*_sources(items), *(g for g in GROUPS if counts[g])]:
        for n in names:
            got = leaks[n][source]
            lines.append(
                f"| {source} | {counts[source]} | {got.entities} | {n} "
                f"| {got.leaked_share:.1%} | {got.missed_share:.1%} "
                f"| {got.char_precision:.3f} | {got.char_recall:.3f} |"
            )
    for mode in ("overlap", "exact"):
        scores = {n: score_labels(items, p, mode == "overlap") for n, p in preds.items()}
        for lang in ("fr", "en"):
            sources = sorted({i["group"] for i in items if i["lang"] == lang})
            if not sources:
                continue
            lines.append(f"\n**Real text, {lang}, {mode} spans, all sources** — P / R / F1\n")
            lines.append("| label | " + " | ".join(names) + " |")
            lines.append("|" + "---|" * (len(names) + 1))
            for label in _labels(items, lambda i, lang=lang: i["lang"] == lang):
                cells = _f1_cells(scores, sources, label)
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
        if mode == "exact":
            continue
        for source in _sources(items):
            lines.append(f"\n**Real text, {source}, {mode} spans** — P / R / F1\n")
            lines.append("| label | gold | " + " | ".join(names) + " |")
            lines.append("|" + "---|" * (len(names) + 2))
            for label in _labels(items, lambda i, s=source: i["group"] == s):
                gold = sum(
                    1 for i in items if i["group"] == source for s in i["spans"] if s[2] == label
                )
                cells = _f1_cells(scores, [source], label)
                lines.append(f"| {label} | {gold} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def leak_report(item: Item, pred: Sequence[Span]) -> Item | None:
    """One line's leaked entities and false hits, for reading errors (never
    written into the repository), or ``None`` when nothing leaked or was wrong."""
    text = item["text"]
    covered: set[int] = set()
    for start, end, _ in pred:
        covered |= _alnum(text, start, end)
    leaked = []
    for start, end, label in item["spans"]:
        chars = _alnum(text, start, end)
        if chars and chars - covered:
            kind = "missed" if not chars & covered else "partly"
            leaked.append((label, text[start:end], kind))
    gold_chars: set[int] = set()
    for start, end, _ in item["spans"]:
        gold_chars |= _alnum(text, start, end)
    extra = [
        (label, text[start:end])
        for start, end, label in pred
        if _annotated(item, label) and not _alnum(text, start, end) & gold_chars
    ]
    if not leaked and not extra:
        return None
    found = [(label, text[start:end]) for start, end, label in pred]
    return {
        "id": item["id"],
        "source": item["group"],
        "text": text,
        "leaked": leaked,
        "extra": extra,
        "found": found,
    }


def false_positive_rows(
    item: Item, spans: Sequence[tuple[int, int, str, str]], context: int = 60
) -> list[Item]:
    """One row per predicted span holding letters or digits of no gold
    entity (what lowers character precision), for reading errors by cause
    (never written into the repository). ``spans`` are ``(start, end, label,
    explanation)``; only labels the source annotates count, as in
    ``line_leaks``."""
    text = item["text"]
    gold_chars: set[int] = set()
    for start, end, _ in item["spans"]:
        gold_chars |= _alnum(text, start, end)
    rows = []
    for start, end, label, explanation in spans:
        if not _annotated(item, label):
            continue
        wrong = sorted(_alnum(text, start, end) - gold_chars)
        if not wrong:
            continue
        gold = [
            (g_label, text[g_start:g_end])
            for g_start, g_end, g_label in item["spans"]
            if g_start < end and start < g_end
        ]
        rows.append(
            {
                "id": item["id"],
                "source": item["group"],
                "label": label,
                "span": text[start:end],
                "fp_chars": len(wrong),
                "whole": len(wrong) == len(_alnum(text, start, end)),
                "recognizer": explanation,
                "gold_overlap": gold,
                "context": text[max(0, start - context) : start]
                + "[["
                + text[start:end]
                + "]]"
                + text[end : end + context],
            }
        )
    return rows
