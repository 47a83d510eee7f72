"""The `gardien` command: exit codes, messages without tracebacks, files written whole."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gardien.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_init_writes_a_starter_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", str(tmp_path / "demo"))
    assert code == 0 and "wrote" in out
    code, out, err = run(capsys, "validate", str(tmp_path / "demo" / "privacy.yaml"))
    assert code == 0, err
    assert "valid (0 warning(s))" in out


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "privacy.yaml").write_text("mine", "utf-8")
    code, _, err = run(capsys, "init", str(tmp_path))
    assert code == 1
    assert "already exists: gardien init never overwrites a declaration" in err
    assert (tmp_path / "privacy.yaml").read_text("utf-8") == "mine"


def test_init_into_an_impossible_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    code, _, err = run(capsys, "init", str(blocker / "sub"))
    assert code == 1 and err.startswith("error: cannot create")
    assert "Traceback" not in err


def test_validate_exits_1_naming_file_line_and_column(
    write_declaration: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_declaration(lambda d: d["cookies"]["session"].update(lifetime="2 years"))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    first = err.splitlines()[0]
    file, line, column, message = first.split(":", 3)
    assert file == str(path) and int(line) > 1 and int(column) > 1
    assert "exceeds the CNIL maximum of 13 months" in message
    assert err.splitlines()[-1] == f"{path}: 1 error(s), 0 warning(s)"


def test_validate_shows_warnings_and_exits_0(
    write_declaration: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_declaration(lambda d: d["controller"].pop("dpo"))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0
    assert "warning: controller: no dpo given" in err
    assert "valid (1 warning(s))" in out


def test_validate_defaults_to_privacy_yaml_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "validate")
    assert code == 1
    assert (
        err.splitlines()[0]
        == "privacy.yaml:1:1: no such file: check the path, or create one with `gardien init`"
    )


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "--no-such-option")
    assert code == 2
    assert "No such option" in err


def test_unknown_language_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], write_declaration: Callable[..., Path]
) -> None:
    code, _, err = run(capsys, "notice", str(write_declaration()), "--lang", "es")
    assert code == 2
    assert "'es' is not one of" in err


def test_a_language_the_declaration_does_not_publish_is_refused(
    capsys: pytest.CaptureFixture[str], write_declaration: Callable[..., Path]
) -> None:
    code, out, err = run(capsys, "notice", str(write_declaration()), "--lang", "de")
    assert code == 1 and out == ""
    assert (
        'this declaration does not publish its notice in "de" (notice.languages: [fr, en])' in err
    )


def test_notice_refuses_an_invalid_declaration_and_writes_nothing(
    write_declaration: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_declaration(lambda d: d["purposes"]["security"].pop("retention"))
    out_file = tmp_path / "notice.md"
    code, _, err = run(capsys, "notice", str(path), "-o", str(out_file))
    assert code == 1
    assert 'purpose "security": no retention rule' in err
    assert not out_file.exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("gardien ")


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gardien", "validate", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_command_keeps_blas_single_threaded_unless_told(given: str | None, expected: str) -> None:
    """One sentence's matrices are too small for BLAS threads, which stall
    calls when other cores are busy; a value the operator set is kept."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    probe = "import os, gardien.cli; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected


VEREIN = Path(__file__).parent / "declaration" / "data" / "verein_de.yaml"


def test_register_in_german_on_request_and_in_the_first_language_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "register", str(VEREIN), "--lang", "de", "--format", "md")
    assert code == 0, err
    assert out.startswith("# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 Abs. 1 DSGVO)")
    assert "Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)" in out
    code, out, err = run(capsys, "register", str(VEREIN), "--format", "md")
    assert code == 0, err
    assert out.startswith("# Record of processing activities")  # notice.languages: [en, de]
    target = tmp_path / "verzeichnis.xlsx"
    code, _, err = run(capsys, "register", str(VEREIN), "--lang", "de", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # csv by default, whatever the name


def test_register_refuses_a_language_the_declaration_does_not_publish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "register.csv"
    target.write_text("the register of last year", "utf-8")
    code, out, err = run(capsys, "register", str(VEREIN), "--lang", "fr", "-o", str(target))
    assert code == 1 and out == ""
    assert 'this declaration does not publish in "fr" (notice.languages: [en, de])' in err
    assert "choose one of en, de" in err and "Traceback" not in err
    assert target.read_text("utf-8") == "the register of last year"
    code, _, err = run(capsys, "register", str(VEREIN), "--lang", "es")
    assert code == 2 and "'es' is not one of" in err
