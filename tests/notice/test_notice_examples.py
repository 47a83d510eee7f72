"""The five companies' notices hold every Art. 13/14 item; their registers one row per purpose.

Golden files for one of them (komin) show any change of wording as a diff;
regenerate with ``GARDIEN_UPDATE_GOLDEN=1`` and review before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from notice_helpers import visible_text

from gardien.declaration import load_valid
from gardien.notice import ART_13_14_ITEMS, export_register, render_notice

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
# ai-feedback-as-published.yaml is the policy as published, invalid on purpose.
EXAMPLES = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GARDIEN_UPDATE_GOLDEN") == "1"


def test_every_valid_example_is_covered() -> None:
    found = {p.stem for p in EXAMPLES_DIR.glob("*.yaml")} - {"ai-feedback-as-published"}
    assert found == set(EXAMPLES)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_notice_has_every_item(name: str, lang: str, fmt: str) -> None:
    declaration = load_valid(EXAMPLES_DIR / f"{name}.yaml")
    text = visible_text(render_notice(declaration, lang, fmt), fmt)  # type: ignore[arg-type]
    missing = []
    for item in ART_13_14_ITEMS:
        if item.applies(declaration):
            expected: str | None = item.fr if lang == "fr" else item.en
        else:
            expected = item.absent_fr if lang == "fr" else item.absent_en
        if expected is not None and expected not in text:
            missing.append(item.key)
    assert missing == []
    assert declaration.controller.name in text


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_register_has_one_row_per_purpose(name: str) -> None:
    declaration = load_valid(EXAMPLES_DIR / f"{name}.yaml")
    rows = json.loads(export_register(declaration, "json"))
    rows = rows["activities"] if isinstance(rows, dict) else rows
    assert len(rows) == len(declaration.purposes)


def _golden(name: str, produced: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(produced)
    assert path.exists(), f"{path} is missing: run with GARDIEN_UPDATE_GOLDEN=1"
    assert produced == path.read_bytes(), f"{name} differs: run with GARDIEN_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_komin_notice_matches_golden(lang: str, fmt: str) -> None:
    declaration = load_valid(EXAMPLES_DIR / "komin.yaml")
    produced = render_notice(declaration, lang, fmt, version="1.0", date=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    _golden(f"komin.notice.{lang}.{fmt}", produced.encode("utf-8"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_komin_register_matches_golden(fmt: str) -> None:
    declaration = load_valid(EXAMPLES_DIR / "komin.yaml")
    # Pinned: a purpose without a `since` date is dated by the register's date.
    produced = export_register(declaration, fmt, date=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    _golden(f"komin.register.{fmt}", produced)
