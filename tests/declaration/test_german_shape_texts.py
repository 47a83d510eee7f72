"""Declared texts the German notice puts in a sentence of its own making: each one that
cannot fit is warned about at its line, with what to write instead.

Starts from the German association with every shape
(``tests/notice/fixtures/verein-de-shapes.yaml``), which validates without such a
warning, and changes one German text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gardien.declaration import validate

VEREIN = Path(__file__).parents[1] / "notice" / "fixtures" / "verein-de-shapes.yaml"


def _warnings(path: Path) -> list[str]:
    return [str(p) for p in validate(path).problems if p.severity == "warning"]


def _with_event_label(tmp_path: Path, german: str) -> Path:
    data = yaml.safe_load(VEREIN.read_text("utf-8"))
    data["retention_events"]["review_withdrawn"]["label"]["de"] = german
    path = tmp_path / "privacy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_the_german_association_has_no_such_warning() -> None:
    assert not [w for w in _warnings(VEREIN) if "German notice" in w]


@pytest.mark.parametrize(
    "german",
    [
        "Sie ziehen die Buchbesprechung zurück",  # a clause, as the English label is
        "Rücknahme der Buchbesprechung",  # no article: "bis zu Rücknahme"
        "Der Rücknahme der Buchbesprechung",  # capital: "bis zu Der Rücknahme"
        "die Rücknahme der Buchbesprechung",  # accusative: "nach die Rücknahme"
    ],
)
def test_a_german_event_label_not_in_the_dative_is_warned_at_its_line(
    tmp_path: Path, german: str
) -> None:
    path = _with_event_label(tmp_path, german)
    line = next(
        number
        for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if german in text
    )
    found = [w for w in _warnings(path) if 'retention event "review_withdrawn"' in w]
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{line}:")
    assert "noun phrase in the dative opening with its article" in found[0]
    assert repr(german) in found[0]


@pytest.mark.parametrize(
    "german",
    ["der Rücknahme der Buchbesprechung", "dem Ende der Mitgliedschaft", "Ihrer Kündigung"],
)
def test_a_dative_label_is_accepted(tmp_path: Path, german: str) -> None:
    path = _with_event_label(tmp_path, german)
    assert not [w for w in _warnings(path) if "review_withdrawn" in w and "German" in w]
