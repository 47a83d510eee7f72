"""``gardien users``: accounts made, listed, disabled, given a new password from the command
line; a weak password is refused with its reason and nothing is written."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from gardien.audit import audit_log
from gardien.auth.tables import staff_users
from gardien.cli import main
from gardien.store import Store


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    store_urls: object,
    write_declaration: Callable[..., Path],
) -> Store:
    monkeypatch.setenv("GARDIEN_CONFIG", str(write_declaration()))
    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("GARDIEN_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    return store


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def test_an_account_is_created_listed_disabled_and_given_a_new_password(
    env: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(monkeypatch, "users", "create", "DPO@example.fr", "--role", "dpo",
                "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    assert code == 0 and "created dpo account dpo@example.fr" in capsys.readouterr().out
    assert _run(monkeypatch, "users", "list") == 0
    listed = capsys.readouterr().out
    assert "dpo@example.fr" in listed and "active" in listed and "$argon2" not in listed
    assert _run(monkeypatch, "users", "reset-password", "dpo@example.fr", "--password-stdin",
                stdin="another long passphrase\n") == 0  # fmt: skip
    assert _run(monkeypatch, "users", "disable", "dpo@example.fr") == 0
    assert _run(monkeypatch, "users", "list") == 0
    assert "disabled" in capsys.readouterr().out
    with env.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars()
        assert [a for a in actions if a.startswith("user.")] == [
            "user.create", "user.reset_password", "user.disable",
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (["--role", "dpo"], "short\n", "at least 12"),
        (["--role", "dpo"], "\n", "no password"),
        (["--role", "service"], "a long enough passphrase\n", "admin, dpo or agent"),
    ],
)
def test_a_refused_account_writes_nothing(
    env: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    said: str,
) -> None:
    code = _run(monkeypatch, "users", "create", "a@example.fr", *args, "--password-stdin",
                stdin=stdin)  # fmt: skip
    assert code == 1 and said in capsys.readouterr().err
    with env.engine.connect() as conn:
        assert conn.execute(select(staff_users)).first() is None


def test_an_unknown_account_is_said(env: Store, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert _run(monkeypatch, "users", "disable", "ghost@example.fr") == 1
    assert "no staff account has this e-mail" in capsys.readouterr().err
