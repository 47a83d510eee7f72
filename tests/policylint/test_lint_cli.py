"""``gardien lint-policy``: formats, exit codes and one-line errors for unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from lint_helpers import DATA, SEEDS
from typer.testing import CliRunner

from gardien.commands.lint_policy_command import lint_policy_command
from gardien.policylint import ITEM_KEYS

app = typer.Typer()
app.command("lint-policy")(lint_policy_command)


@app.callback()
def _root() -> None:
    """Test harness: the command under its real name."""


runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint-policy", *args])
    return result.exit_code, result.stdout, result.stderr


def test_complete_policy_exits_0_with_json(pipelines: None) -> None:
    code, out, _ = run(str(DATA / "complete_fr.md"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["language"] == "fr"
    assert list(report["items"]) == list(ITEM_KEYS)
    assert all(item["present"] for item in report["items"].values())
    assert report["defects"] == []
    evidence = report["items"]["retention"]["evidence"][0]
    assert set(evidence) == {"quote", "start", "end"}


def test_against_its_declaration_exits_0(pipelines: None) -> None:
    code, _, _ = run(str(DATA / "complete_en.md"), "--against", str(DATA / "brightmail.yaml"))
    assert code == 0


def test_defective_seed_exits_1_with_a_readable_report(pipelines: None) -> None:
    code, out, _ = run(str(SEEDS / "001_ce8bd86e4dabc272.txt"), "--lang", "en")
    assert code == 1
    assert "✗ controller_identity: missing" in out
    assert "✓ right_access" in out
    assert "001_ce8bd86e4dabc272.txt:150:1: dangling_reference" in out


def test_json_defects_have_the_documented_keys(pipelines: None) -> None:
    code, out, _ = run(str(SEEDS / "004_7698d708ea7afe0f.txt"), "--format", "json")
    assert code == 1
    defects = json.loads(out)["defects"]
    assert {"empty_enumeration", "duplicated_passage"} <= {d["kind"] for d in defects}
    assert all(set(d) == {"kind", "message", "start", "end"} for d in defects)


def _unreadable(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "policy.md"
    if kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    elif kind == "latin-1":
        path.write_bytes("Données collectées".encode("latin-1"))
    elif kind == "empty":
        path.write_text(" \n\n", "utf-8")
    elif kind == "directory":
        path.mkdir()
    return path


@pytest.mark.parametrize("kind", ["missing", "binary", "latin-1", "empty", "directory"])
def test_unreadable_policy_exits_2_with_one_line(tmp_path: Path, kind: str) -> None:
    code, out, err = run(str(_unreadable(tmp_path, kind)))
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_unreadable_declaration_exits_2(tmp_path: Path, pipelines: None) -> None:
    bad = tmp_path / "privacy.yaml"
    bad.write_text("controller: [unclosed\n", "utf-8")
    code, _, err = run(str(DATA / "complete_en.md"), "--against", str(bad))
    assert code == 2
    assert err.startswith("error: cannot read the declaration") and err.count("\n") == 1


def test_unknown_language_is_a_usage_error() -> None:
    code, _, _ = run(str(DATA / "complete_en.md"), "--lang", "de")
    assert code == 2


def test_gardien_cli_registers_the_command(pipelines: None) -> None:
    from gardien.cli import app as gardien_app

    result = runner.invoke(gardien_app, ["lint-policy", str(DATA / "complete_en.md")])
    assert result.exit_code == 0, result.stdout
    assert "20/20 items present, 0 defect(s)" in result.stdout
