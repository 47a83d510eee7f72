"""The standards artifacts in tests/standards are the originals, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent / "standards"
SHARED = Path(__file__).parents[2] / "shared" / "standards"
FILES = sorted(p.name for p in HERE.glob("*.json"))


def test_the_copies_exist() -> None:
    assert FILES == [
        "kantara-consent-receipt-v1_1-example.json",
        "kantara-consent-receipt-v1_1-schema.json",
    ]


@pytest.mark.parametrize("name", FILES)
def test_copy_matches_the_shared_original_when_present(name: str) -> None:
    original = SHARED / name
    if original.exists():
        assert (HERE / name).read_bytes() == original.read_bytes()
    else:
        # A checkout without the shared folder beside it: nothing to compare with.
        assert (HERE / name).stat().st_size > 0
