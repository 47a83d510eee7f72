"""The lint's items are the checklist's: same keys, one spelling, the docs in step."""

from __future__ import annotations

import re
from pathlib import Path

from gardien.declaration.transparency import CHECKLIST, TransparencyItem
from gardien.policylint import ITEM_KEYS
from gardien.policylint.items import ITEM_SPECS

DOCS = Path(__file__).parents[2] / "docs" / "policy-lint.md"


def test_report_keys_are_checklist_keys_once_each() -> None:
    assert [key for key in ITEM_KEYS if not isinstance(key, TransparencyItem)] == []
    assert len(ITEM_KEYS) == len(set(ITEM_KEYS))


def test_pattern_items_are_report_items() -> None:
    keys = [spec.key for spec in ITEM_SPECS]
    assert len(keys) == len(set(keys))
    assert [key for key in keys if key not in ITEM_KEYS] == []


def test_the_checklist_says_why_each_item_the_lint_skips_is_skipped() -> None:
    unchecked = {key for key, entry in CHECKLIST.items() if entry.not_linted is not None}
    assert set(ITEM_KEYS) == set(CHECKLIST) - unchecked


def test_docs_list_every_item_in_report_order_with_its_articles() -> None:
    section = DOCS.read_text("utf-8").split("## Items: what counts as present")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", section, re.MULTILINE)
    assert [key for key, _ in rows] == list(ITEM_KEYS)
    for key, articles in rows:
        assert articles.strip().startswith(CHECKLIST[TransparencyItem(key)].article), key
    skipped = [key for key, entry in CHECKLIST.items() if entry.not_linted is not None]
    assert [key for key in skipped if f"`{key}`" not in section] == []
