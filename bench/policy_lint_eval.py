"""Precision and recall of the policy linter, per Art. 13/14 item, over every labelled policy.

The labelled policies are the five seeds (labels in
tests/policylint/data/seed_labels.yaml), the two complete policies written
for the tests (every item present) and their variants with one item's
paragraphs removed (tests/policylint/data/variants.yaml). For each item, a
true positive is a policy labelled present that the linter finds present.

    .venv/bin/python bench/policy_lint_eval.py            # print the table
    .venv/bin/python bench/policy_lint_eval.py --write    # and update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from gardien.policylint import ITEM_KEYS, lint_policy, read_policy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "policylint" / "data"
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Policy lint"
COMMAND = ".venv/bin/python bench/policy_lint_eval.py --write"

Labelled = tuple[str, str, dict[str, bool]]


def labelled_policies() -> list[Labelled]:
    """(name, text, {item: present}) for every policy with labels."""
    policies: list[Labelled] = []
    seeds = yaml.safe_load((DATA / "seed_labels.yaml").read_text("utf-8"))["seeds"]
    for name, labels in sorted(seeds.items()):
        text = read_policy(DATA / "seeds" / name).text
        policies.append((name, text, {k: v["present"] for k, v in labels["items"].items()}))
    variants = yaml.safe_load((DATA / "variants.yaml").read_text("utf-8"))
    for lang, passages in variants.items():
        complete = (DATA / f"complete_{lang}.md").read_text("utf-8")
        policies.append((f"complete_{lang}", complete, dict.fromkeys(ITEM_KEYS, True)))
        for key, markers in passages.items():
            paragraphs = complete.split("\n\n")
            text = "\n\n".join(p for p in paragraphs if not any(m in p for m in markers))
            gone = {k for k, m in passages.items() if set(m) <= set(markers)} | {key}
            labels = {k: k not in gone for k in ITEM_KEYS}
            policies.append((f"complete_{lang}-{key}", text, labels))
    return policies


def evaluate(policies: list[Labelled]) -> tuple[dict[str, Counter[str]], list[str]]:
    counts: dict[str, Counter[str]] = {key: Counter() for key in ITEM_KEYS}
    errors: list[str] = []
    for name, text, labels in policies:
        report = lint_policy(text)
        for key in ITEM_KEYS:
            found, truth = report.items[key].present, labels[key]
            outcome = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get(
                (found, truth), "tn"
            )
            counts[key][outcome] += 1
            if outcome in ("fp", "fn"):
                errors.append(f"{name}: {key} {outcome}")
    return counts, errors


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "n/a"


def table(counts: dict[str, Counter[str]], policies: int, seconds: float) -> str:
    lines = [
        SECTION,
        "",
        f"Made by `{COMMAND}` over {policies} labelled policies: the five seeds",
        "(tests/policylint/data/seed_labels.yaml), complete_en.md, complete_fr.md and their",
        f"one-item-removed variants (tests/policylint/data/variants.yaml); {seconds:.1f} s in all.",
        "Support = policies where the item is present / absent by the labels.",
        "",
        "| item | precision | recall | TP | FP | FN | TN | support +/- |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for key in ITEM_KEYS:
        c = counts[key]
        total.update(c)
        precision, recall = _ratio(c["tp"], c["tp"] + c["fp"]), _ratio(c["tp"], c["tp"] + c["fn"])
        support = f"{c['tp'] + c['fn']}/{c['fp'] + c['tn']}"
        cells = [key, precision, recall, c["tp"], c["fp"], c["fn"], c["tn"], support]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    micro_p = _ratio(total["tp"], total["tp"] + total["fp"])
    micro_r = _ratio(total["tp"], total["tp"] + total["fn"])
    cells = ["**all items (micro)**", micro_p, micro_r]
    cells += [total["tp"], total["fp"], total["fn"], total["tn"], ""]
    lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines.append("")
    lines.append(
        "Caveat: the labels were made by the linter's author, and the written policies were "
        "written with the patterns in mind; these numbers show agreement with the definitions "
        "in docs/policy-lint.md, not accuracy on unseen policies in the wild."
    )
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    """Replace (or append) the Policy lint section of docs/benchmarks.md, leaving others alone."""
    current = BENCHMARKS.read_text("utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(updated.rstrip("\n") + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    policies = labelled_policies()
    counts, errors = evaluate(policies)
    section = table(counts, len(policies), time.perf_counter() - started)
    print(section)
    for error in errors:
        print(error, file=sys.stderr)
    if args.write:
        write_section(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
