"""The notice and the register match the reviewed files in ``golden/``.

A change of wording shows up as a diff of these files. To accept it, regenerate
them and review the diff before committing:

    GARDIEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/notice/test_notice_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gardien.declaration.models import Declaration
from gardien.notice import export_register, render_notice

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GARDIEN_UPDATE_GOLDEN") == "1"


def check(name: str, produced: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(produced)
    assert path.exists(), f"{path} is missing: run with GARDIEN_UPDATE_GOLDEN=1"
    assert produced == path.read_bytes(), f"{name} differs: run with GARDIEN_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_notice_matches_golden(declaration: Declaration, lang: str, fmt: str) -> None:
    produced = render_notice(declaration, lang, fmt)  # type: ignore[arg-type]
    check(f"notice.{lang}.{fmt}", produced.encode("utf-8"))


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_register_matches_golden(declaration: Declaration, fmt: str) -> None:
    check(f"register.{fmt}", export_register(declaration, fmt))  # type: ignore[arg-type]
