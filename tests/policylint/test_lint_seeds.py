"""The linter agrees with every hand-made label of the five seed policies."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from lint_helpers import DATA, SEEDS, Lint

from gardien.policylint import DEFECT_KINDS, ITEM_KEYS, read_policy

LABELS: dict[str, Any] = yaml.safe_load((DATA / "seed_labels.yaml").read_text("utf-8"))["seeds"]
CASES = [(seed, key) for seed in sorted(LABELS) for key in ITEM_KEYS]


def test_every_seed_is_labelled_on_every_item() -> None:
    assert sorted(LABELS) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for seed, labels in LABELS.items():
        assert set(labels["items"]) == set(ITEM_KEYS), seed
        assert all(label["why"] for label in labels["items"].values()), seed
        assert set(labels["defects"]) <= set(DEFECT_KINDS), seed


@pytest.mark.parametrize(("seed", "key"), CASES)
def test_item_matches_label(lint: Lint, seed: str, key: str) -> None:
    report = lint(read_policy(SEEDS / seed).text)
    label = LABELS[seed]["items"][key]
    result = report.items[key]
    assert result.present == label["present"], f"{seed} {key}: {label['why']}"
    if result.present:
        assert result.evidence
        for evidence in result.evidence:
            assert report.text[evidence.start : evidence.end] == evidence.quote


@pytest.mark.parametrize("seed", sorted(LABELS))
def test_defect_kinds_match_label(lint: Lint, seed: str) -> None:
    report = lint(read_policy(SEEDS / seed).text)
    assert {d.kind for d in report.defects} == set(LABELS[seed]["defects"])
    for defect in report.defects:
        assert 0 <= defect.start < defect.end <= len(report.text)


@pytest.mark.parametrize("seed", sorted(LABELS))
def test_seeds_are_read_as_english(lint: Lint, seed: str) -> None:
    assert lint(read_policy(SEEDS / seed).text).language == "en"
