"""The runtime commands: db, declaration, keys, audit; on both backends."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from gardien.cli import main
from gardien.store import Store


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, store_urls: Any, write_declaration: Callable[..., Path]
) -> Path:
    config = write_declaration()
    monkeypatch.setenv("GARDIEN_CONFIG", str(config))
    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)
    monkeypatch.setenv("GARDIEN_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    return config


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def test_keys_create_prints_the_key_last_then_list_and_revoke(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "keys", "create", "--role", "dpo", "--label", "privacy team")
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("gdn_") and "not shown again" in err
    prefix = token.split("_")[1]
    code, out, _ = run(capsys, "keys", "list")
    assert prefix in out and "dpo" in out and "privacy team" in out and token not in out
    assert run(capsys, "keys", "revoke", prefix)[0] == 0
    assert "revoked" in run(capsys, "keys", "list")[1]


def test_keys_create_refuses_an_unknown_role(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keys", "create", "--role", "root")
    assert code == 2 and "'root' is not one of" in err


def test_db_upgrade_and_declaration_apply(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    code, out, _ = run(capsys, "declaration", "apply", str(env))
    assert code == 0 and "in force since" in out


def test_declaration_apply_refuses_an_invalid_file(
    env: Path, capsys: pytest.CaptureFixture[str], write_declaration: Callable[..., Path]
) -> None:
    bad = write_declaration(
        lambda d: d["cookies"]["session"].update(lifetime="2 years"), name="bad.yaml"
    )
    code, _, err = run(capsys, "declaration", "apply", str(bad))
    assert code == 1 and "exceeds the CNIL maximum" in err


@pytest.mark.parametrize(
    ("tamper", "fault"),
    [
        ("UPDATE audit_log SET purpose = 'other' WHERE seq = 2", "edited"),
        ("DELETE FROM audit_log WHERE seq = 2", "removed"),
    ],
)
def test_audit_verify_names_the_tampered_entry(
    env: Path, store: Store, capsys: pytest.CaptureFixture[str], tamper: str, fault: str
) -> None:
    from gardien.audit import AuditRead, append

    with store.engine.begin() as conn:
        for _ in range(3):
            append(conn, AuditRead(), actor="cli:test", role="admin", declaration_version=None)
    assert run(capsys, "audit", "verify")[0] == 0
    with store.engine.begin() as conn:
        conn.execute(text(tamper))
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert f"broken at entry 2 ({fault})" in err


def test_audit_export_writes_jsonl_and_is_itself_audited(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trail.jsonl"
    assert run(capsys, "audit", "export", "-o", str(out))[0] == 0
    assert out.read_text("utf-8") == ""
    second = tmp_path / "trail2.jsonl"
    run(capsys, "audit", "export", "-o", str(second))
    assert '"action": "audit.export"' in second.read_text("utf-8")
    code, _, err = run(capsys, "audit", "export", "-o", str(second))
    assert code == 1 and "already exists" in err


def test_rotate_master_key(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keys", "create", "--role", "service")
    new_file = tmp_path / "new.key"
    code, out, err = run(capsys, "keys", "rotate-master", "--new-key-file", str(new_file))
    assert code == 0, err
    assert "re-wrapped" in out
    assert oct(new_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("command", [("keys", "list"), ("audit", "verify")])
def test_read_only_commands_never_migrate_a_store(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    write_declaration: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
) -> None:
    """A command that only reads must not create or change a schema behind the servers' back."""
    monkeypatch.setenv("GARDIEN_CONFIG", str(write_declaration()))
    monkeypatch.setenv("GARDIEN_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    database = tmp_path / "fresh.db"
    monkeypatch.setenv("GARDIEN_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", f"sqlite:///{tmp_path / 'fresh-keys.db'}")
    code, _, err = run(capsys, *command)
    assert code == 1
    assert "has no schema yet: run `gardien db upgrade`" in err
    engine = create_engine(f"sqlite:///{database}")
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, *command)[0] == 0


def test_audit_verify_prints_a_checkpoint_and_detects_a_cut_tail(
    env: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from gardien.audit import AuditRead, append

    with store.engine.begin() as conn:
        for _ in range(5):
            append(conn, AuditRead(), actor="cli:test", role="admin", declaration_version=None)
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    checkpoint = out.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    seq, digest = checkpoint.split(":")
    assert seq == "5" and len(digest) == 64
    code, out, _ = run(capsys, "audit", "verify", "--expect", checkpoint)
    assert code == 0 and "checkpoint 5 matches" in out
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= 4"))  # the tail, cut cleanly
    assert run(capsys, "audit", "verify")[0] == 0  # the chain alone cannot tell
    code, _, err = run(capsys, "audit", "verify", "--expect", checkpoint)
    assert code == 1 and "(cut)" in err and "ends at entry 3" in err


@pytest.mark.parametrize("checkpoint", ["5", "x:abc", "0:" + "a" * 64, "5:" + "g" * 64])
def test_a_malformed_checkpoint_is_a_usage_error(
    env: Path, capsys: pytest.CaptureFixture[str], checkpoint: str
) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    code, _, err = run(capsys, "audit", "verify", "--expect", checkpoint)
    assert code == 2 and "SEQ:HASH" in err
