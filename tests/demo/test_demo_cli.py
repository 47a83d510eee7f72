"""``gardien demo`` end to end, and its refusals: a clear message, an exit code, nothing written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from demo_helpers import BACKENDS, postgres_schema

from gardien.cli import main
from gardien.demo import COMPANIES
from gardien.errors import GardienError

GARDIEN = Path(sys.executable).with_name("gardien")


@pytest.fixture(autouse=True)
def no_gardien_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store goes beside the demo's declaration, whatever the shell running the tests set."""
    for name in list(os.environ):
        if name.startswith("GARDIEN_") and not name.startswith("GARDIEN_TEST_"):
            monkeypatch.delenv(name)


def _run(*args: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_demo_then_validate_as_a_user_runs_them(tmp_path: Path) -> None:
    directory = tmp_path / "komin-demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARDIEN_")}
    command = ["demo", "--dir", str(directory), "--company", "komin", "--subjects", "40"]
    built = subprocess.run(
        [str(GARDIEN), *command, "--seed", "3", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    known = COMPANIES["komin"].known
    for value in known.identities.values():
        assert value in built.stdout
    assert f'"identities": {{"email": "{known.email}"}}' in built.stdout
    assert "curl -s -X POST http://127.0.0.1:8000/api/v1/requests " in built.stdout
    assert _files(directory) == [
        "admin.key",
        "console-login.txt",
        "gardien-keys.db",
        "gardien.db",
        "gardien.key",
        "getting-started.txt",
        "komin.db",
        "privacy.yaml",
    ]
    for secret in ("admin.key", "console-login.txt", "gardien.key", "getting-started.txt",
                   "komin.db"):  # fmt: skip
        assert stat.S_IMODE((directory / secret).stat().st_mode) == 0o600, secret
    token = (directory / "admin.key").read_text().strip()
    assert token in built.stdout and token in (directory / "getting-started.txt").read_text()
    # The DPO's account of the console, its password printed once and kept in the file.
    email, password = (directory / "console-login.txt").read_text().split()
    assert email == "dpo@demo.example" and len(password) >= 12
    assert f"http://127.0.0.1:8000/console, sign in as {email} with the password {password}" in (
        built.stdout
    )
    validated = subprocess.run(
        [str(GARDIEN), "validate", str(directory / "privacy.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert validated.returncode == 0, validated.stderr
    keys = subprocess.run(
        [str(GARDIEN), "keys", "list", "--config", str(directory / "privacy.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert keys.returncode == 0 and "admin" in keys.stdout


def test_an_existing_declaration_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "demo"
    assert _run("demo", "--dir", str(directory), "--subjects", "5", "--no-serve") == 0
    before = {name: (directory / name).read_bytes() for name in _files(directory)}
    capsys.readouterr()
    assert _run("demo", "--dir", str(directory), "--subjects", "5", "--no-serve") == 1
    assert "already exists: gardien demo never overwrites" in capsys.readouterr().err
    assert {name: (directory / name).read_bytes() for name in _files(directory)} == before


def test_an_unknown_company_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("demo", "--dir", str(tmp_path / "demo"), "--company", "acme", "--no-serve") == 2
    assert "acme" in capsys.readouterr().err
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--url", "mysql+pymysql://demo@localhost/company"], 1),
        (["--url", "postgresql+psycopg://demo@127.0.0.1:1/company"], 1),
        (["--url", "::"], 1),
        (["--subjects", "0"], 2),
        (["--known-person-rows", "0"], 2),
    ],
)
def test_bad_input_writes_nothing(tmp_path: Path, args: list[str], code: int) -> None:
    assert _run("demo", "--dir", str(tmp_path / "demo"), "--no-serve", *args) == code
    assert not (tmp_path / "demo").exists()


def test_a_failure_after_the_build_removes_what_the_command_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object) -> tuple[str, str]:
        raise GardienError("the store cannot be reached")

    monkeypatch.setattr("gardien.commands.demo_command._store_and_key", broken)
    directory = tmp_path / "demo"
    assert _run("demo", "--dir", str(directory), "--subjects", "5", "--no-serve") == 1
    assert "the store cannot be reached" in capsys.readouterr().err
    assert not directory.exists()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs GARDIEN_TEST_POSTGRES_URL")
def test_a_postgresql_demo_keeps_its_password_out_of_the_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "demo"
    with postgres_schema() as url:
        args = ["demo", "--dir", str(directory), "--company", "activeviam", "--url", url]
        assert _run(*args, "--subjects", "30", "--no-serve") == 0
    out = capsys.readouterr().out
    assert "export DEMO_DATABASE_URL=" in out
    credentials = url.split("://", 1)[1].split("@", 1)[0] + "@"  # user:password@
    assert ":" in credentials
    assert credentials not in (directory / "privacy.yaml").read_text()
    assert credentials not in out
    assert "url: {$env: DEMO_DATABASE_URL}" in (directory / "privacy.yaml").read_text()
    assert _files(directory) == [
        "admin.key",
        "console-login.txt",
        "gardien-keys.db",
        "gardien.db",
        "gardien.key",
        "getting-started.txt",
        "privacy.yaml",
    ]
