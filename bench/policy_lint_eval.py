"""How well the policy linter finds Art. 13/14 items: on real policies, and on the project's own.

Two sets, scored apart:

- **real text** (the dev set): 31 privacy policies from public GitHub
  repositories, 17 French and 14 English, labelled item by item
  (bench/data/policies/, see bench/policy_devset.py). Five are in the
  repository; the others are read from ``--data DIR`` (fill it once with
  ``python -m bench.fetch_policy_devset --out DIR``). Scored per language as
  *missing-item* precision and recall: a true positive is an item the linter
  reports missing that the labels say is absent. A "present" verdict whose
  quoted evidence lies on none of the labelled lines is counted apart
  (evidence off the labelled lines).
- **the project's own texts**: the five seeds (tests/policylint/data/seed_labels.yaml),
  complete_en.md, complete_fr.md and their one-item-removed variants
  (tests/policylint/data/variants.yaml), scored as before (present-item
  precision and recall per item), plus their missing-item figures.

    .venv/bin/python -m bench.policy_lint_eval --data DIR            # print the tables
    .venv/bin/python -m bench.policy_lint_eval --data DIR --write    # and update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.policy_devset import LabelledPolicy, load
from gardien.policylint import ITEM_KEYS, LintReport, lint_policy, read_policy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "policylint" / "data"
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Policy lint"
COMMAND = ".venv/bin/python -m bench.policy_lint_eval --data DIR --write"

Labelled = tuple[str, str, dict[str, bool]]
#: The same measure on the same labels with the linter as it was before issue 16's fixes,
#: measured once by running this script with PYTHONPATH set to the src/ of commit 34b400e.
BEFORE = (
    "Before the fixes of issue 16 (the linter at commit 34b400e, same texts and labels):"
    " French missing-item precision 0.79, recall 0.98 (50 items falsely reported missing);"
    " English 0.77, 0.95 (44 falsely missing)."
    " Before issue 17's reading fixes (HTML in Markdown, abbreviations, negation, the"
    " Art. 15 list; the linter at commit 982ff2b, measured 2026-12-06):"
    " French 0.97, 1.00 (5 falsely missing, evidence off 4/142); English 0.98, 0.99"
    " (3 falsely missing, 2 falsely present, evidence off 4/123)."
)


@dataclass
class Scores:
    """Verdict counts per item: present-item outcomes (tp/fp/fn/tn) and evidence checks."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {key: Counter() for key in ITEM_KEYS}
    )
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, key: str, found: bool, truth: bool) -> None:
        outcome = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get(
            (found, truth), "tn"
        )
        self.counts[key][outcome] += 1
        if outcome in ("fp", "fn"):
            # fn: reported missing but there; fp: reported present but absent.
            self.errors.append(
                f"{name}: {key} {'falsely missing' if outcome == 'fn' else 'falsely present'}"
            )

    def total(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counter in self.counts.values():
            total.update(counter)
        return total


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "n/a"


def missing_precision_recall(c: Counter[str]) -> tuple[str, str]:
    """Precision and recall of "missing" verdicts: a hit is an absent item reported missing."""
    return _ratio(c["tn"], c["tn"] + c["fn"]), _ratio(c["tn"], c["tn"] + c["fp"])


# --- the project's own texts ----------------------------------------------------------------


def labelled_policies() -> list[Labelled]:
    """(name, text, {item: present}) for every policy written or labelled by the project."""
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


def evaluate(policies: list[Labelled]) -> Scores:
    scores = Scores()
    for name, text, labels in policies:
        report = lint_policy(text)
        for key in ITEM_KEYS:
            scores.add(name, key, report.items[key].present, labels[key])
    return scores


def own_table(scores: Scores, policies: int) -> list[str]:
    lines = [
        "### The project's own texts",
        "",
        f"{policies} policies: the five seeds (tests/policylint/data/seed_labels.yaml, labelled by",
        "the linter's author), complete_en.md, complete_fr.md and their one-item-removed",
        "variants (tests/policylint/data/variants.yaml). Precision and recall of *present*",
        "verdicts; support = policies where the item is present / absent by the labels.",
        "",
        "| item | precision | recall | TP | FP | FN | TN | support +/- |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in ITEM_KEYS:
        c = scores.counts[key]
        precision, recall = _ratio(c["tp"], c["tp"] + c["fp"]), _ratio(c["tp"], c["tp"] + c["fn"])
        support = f"{c['tp'] + c['fn']}/{c['fp'] + c['tn']}"
        cells = [key, precision, recall, c["tp"], c["fp"], c["fn"], c["tn"], support]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    total = scores.total()
    cells = ["**all items (micro)**", _ratio(total["tp"], total["tp"] + total["fp"])]
    cells += [_ratio(total["tp"], total["tp"] + total["fn"]), total["tp"], total["fp"]]
    cells += [total["fn"], total["tn"], ""]
    lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    mp, mr = missing_precision_recall(total)
    lines += [
        "",
        f"Missing-item precision {mp}, recall {mr} on these texts. The labels were made by the",
        "linter's author and the written policies were written with the patterns in mind: these",
        "figures show agreement with the definitions in docs/policy-lint.md, not accuracy on",
        "policies in the wild (see the real-text figures above).",
    ]
    return lines


# --- the real-text dev set ------------------------------------------------------------------


def on_labelled_lines(report: LintReport, key: str, lines: tuple[int, ...]) -> bool:
    """True when one quoted evidence of ``key`` overlaps one of the labelled lines."""
    wanted = set(lines)
    for evidence in report.items[key].evidence:
        first, _ = report.line_col(evidence.start)
        last, _ = report.line_col(max(evidence.start, evidence.end - 1))
        if wanted & set(range(first, last + 1)):
            return True
    return False


def evaluate_devset(policies: list[LabelledPolicy]) -> dict[str, tuple[Scores, Counter[str]]]:
    """Scores per language, and per language the evidence checks of true "present" verdicts."""
    results: dict[str, tuple[Scores, Counter[str]]] = {}
    for policy in policies:
        lang = policy.source.lang
        scores, evidence = results.setdefault(lang, (Scores(), Counter()))
        report = lint_policy(policy.text)
        if report.language != lang:
            scores.errors.append(f"{policy.source.id}: read as {report.language!r}")
        for key in ITEM_KEYS:
            truth = key in policy.present
            found = report.items[key].present
            scores.add(policy.source.id, key, found, truth)
            if found and truth:
                supported = on_labelled_lines(report, key, policy.present[key])
                evidence["on" if supported else "off"] += 1
                if not supported:
                    scores.errors.append(
                        f"{policy.source.id}: {key} evidence off the labelled lines"
                    )
    return results


def devset_table(
    results: dict[str, tuple[Scores, Counter[str]]], policies: list[LabelledPolicy], missing: int
) -> list[str]:
    per_lang = Counter(p.source.lang for p in policies)
    lines = [
        "### Real text: the policy dev set",
        "",
        BEFORE,
        "",
        f"{len(policies)} real privacy policies from public GitHub repositories "
        f"({per_lang['fr']} French, {per_lang['en']} English; sources, commits and licences in",
        "bench/data/policies/sources.yaml), labelled item by item with the line(s) that carry",
        "each present item (bench/data/policies/labels.yaml; see docs/policy-lint.md for how to",
        "fetch the texts not in the repository)."
        + (f" **{missing} policies were not at hand and are not scored.**" if missing else ""),
        "A *missing* verdict is right when the labels say the item is absent. *Evidence off*:",
        'true "present" verdicts none of whose quoted sentences is on a labelled line.',
        "These are development figures: the rules were written while reading these policies,",
        "so unseen policies will do worse (issue 16 keeps 14 other repositories for an",
        "independent evaluation).",
        "",
        "| language | policies | missing-item precision | missing-item recall | "
        "falsely missing | falsely present | evidence off / true present |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang in ("fr", "en"):
        if lang not in results:
            continue
        scores, evidence = results[lang]
        total = scores.total()
        mp, mr = missing_precision_recall(total)
        off = f"{evidence['off']}/{evidence['on'] + evidence['off']}"
        cells = [lang, per_lang[lang], mp, mr, total["fn"], total["fp"], off]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines += [
        "",
        "Per item (both languages): how often each is falsely reported missing (FM) or",
        "falsely present (FP), out of the policies that have it / lack it.",
        "",
        "| item | FM | has it | FP | lacks it | missing-item precision | missing-item recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in ITEM_KEYS:
        c: Counter[str] = Counter()
        for scores, _ in results.values():
            c.update(scores.counts[key])
        mp, mr = missing_precision_recall(c)
        cells = [key, c["fn"], c["tp"] + c["fn"], c["fp"], c["fp"] + c["tn"], mp, mr]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return lines


def table(
    own: Scores,
    own_count: int,
    devset: dict[str, tuple[Scores, Counter[str]]],
    dev_policies: list[LabelledPolicy],
    missing: int,
    seconds: float,
) -> str:
    lines = [
        SECTION,
        "",
        f"Made by `{COMMAND}` ({seconds:.1f} s in all) on {_stamp()}, where DIR holds the "
        "dev-set texts",
        "fetched by `python -m bench.fetch_policy_devset --out DIR`. The real-text figures come",
        "from policies nobody on the project wrote; the others from the project's own texts.",
        "",
        *devset_table(devset, dev_policies, missing),
        "",
        *own_table(own, own_count),
    ]
    return "\n".join(lines) + "\n"


def _stamp() -> str:
    """When and at which commit the figures were measured."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return f"{when}, commit {commit}"


def write_section(section: str) -> None:
    """Replace (or append) the Policy lint section of docs/benchmarks.md, leaving others alone."""
    current = BENCHMARKS.read_text("utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        # The rest of the file is left byte for byte as it was (its last blank line too).
        updated = pattern.sub(lambda _: section + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(updated, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, help="directory of the fetched dev-set texts")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    dev_policies, to_fetch = load(args.data)
    if args.write and to_fetch:
        parser.error(f"{len(to_fetch)} dev-set texts are missing: give --data DIR to write figures")
    devset = evaluate_devset(dev_policies)
    own_policies = labelled_policies()
    own = evaluate(own_policies)
    section = table(
        own, len(own_policies), devset, dev_policies, len(to_fetch), time.perf_counter() - started
    )
    print(section)
    for scores, _ in devset.values():
        for error in scores.errors:
            print(error, file=sys.stderr)
    for error in own.errors:
        print(error, file=sys.stderr)
    if args.write:
        write_section(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
