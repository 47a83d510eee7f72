"""The master key: where it is read from, how its file is made, and that it never shows."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import pickle
import stat
from pathlib import Path

import pytest

from gardien.errors import GardienError
from gardien.settings import Settings
from gardien.vault import (
    MasterKey,
    MasterKeyError,
    VaultError,
    create_master_key_file,
    load_master_key,
)

RAW = bytes(range(32))
ENCODED = base64.b64encode(RAW).decode()


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(config=tmp_path / "privacy.yaml", **values)  # type: ignore[arg-type]


def test_repr_is_masked_and_id_is_public(caplog: pytest.LogCaptureFixture) -> None:
    key = MasterKey(RAW)
    expected_id = hashlib.sha256(RAW).hexdigest()[:8]
    assert key.id == expected_id
    assert repr(key) == f"MasterKey(id={expected_id}, [secure])"
    assert str(key) == repr(key) and f"{key}" == repr(key)
    logging.getLogger("test").warning("key %s %r", key, key)
    for text in (repr(key), caplog.text, repr([key]), repr({"k": key})):
        assert ENCODED not in text and RAW.hex() not in text
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(key)


def test_error_tree() -> None:
    assert issubclass(MasterKeyError, VaultError) and issubclass(VaultError, GardienError)


def test_env_var_first(tmp_path: Path) -> None:
    file_key = create_master_key_file(tmp_path / "gardien.key")
    settings = Settings.from_env(
        {"GARDIEN_MASTER_KEY": ENCODED, "GARDIEN_CONFIG": str(tmp_path / "privacy.yaml")}
    )
    assert load_master_key(settings) == MasterKey(RAW)
    assert load_master_key(_settings(tmp_path)) == file_key != MasterKey(RAW)


def test_url_safe_base64_and_whitespace_accepted(tmp_path: Path) -> None:
    raw = b"\xfb\xff" * 16
    text = " " + base64.urlsafe_b64encode(raw).decode() + "\n"
    assert load_master_key(_settings(tmp_path, master_key=text)) == MasterKey(raw)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64 at all!", "GARDIEN_MASTER_KEY is not valid base64"),
        (base64.b64encode(b"short").decode(), "decodes to 5 bytes, not 32"),
        (base64.b64encode(bytes(64)).decode(), "decodes to 64 bytes, not 32"),
        (ENCODED[:-1], "GARDIEN_MASTER_KEY is not valid base64"),
        (ENCODED[:-4], "decodes to 30 bytes, not 32"),
    ],
)
def test_bad_env_key_refused_without_echoing_it(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(MasterKeyError, match=message) as caught:
        load_master_key(_settings(tmp_path, master_key=value))
    assert value not in str(caught.value)
    assert "gardien init" in str(caught.value)


def test_missing_key_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match=r"run `gardien init`.*or set GARDIEN_MASTER_KEY"):
        load_master_key(_settings(tmp_path))


def test_key_file_created_0600_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "gardien.key"
    os.umask(0o000)  # the most permissive umask must still give 0600
    try:
        key = create_master_key_file(path)
    finally:
        os.umask(0o022)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_master_key(_settings(tmp_path)) == key
    assert load_master_key(_settings(tmp_path, master_key_file=path)) == key
    assert [p.name for p in tmp_path.iterdir()] == ["gardien.key"]  # no temporary left


def test_key_file_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "gardien.key"
    key = create_master_key_file(path)
    before = path.read_bytes()
    with pytest.raises(MasterKeyError, match="already exists: gardien never overwrites"):
        create_master_key_file(path)
    assert path.read_bytes() == before and load_master_key(_settings(tmp_path)) == key


def test_key_file_readable_by_others_refused(tmp_path: Path) -> None:
    path = tmp_path / "gardien.key"
    create_master_key_file(path)
    path.chmod(0o644)
    with pytest.raises(MasterKeyError, match=rf"mode 0644\): run `chmod 600 {path}`"):
        load_master_key(_settings(tmp_path))
    path.chmod(0o640)
    with pytest.raises(MasterKeyError, match="chmod 600"):
        load_master_key(_settings(tmp_path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%%%%\n", "is not valid base64"),
        (base64.b64encode(bytes(16)) + b"\n", "decodes to 16 bytes"),
        (b"\xff\xfe", "is not base64 text"),
    ],
)
def test_bad_key_file_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "gardien.key"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(MasterKeyError, match=message):
        load_master_key(_settings(tmp_path))


def test_key_file_in_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match="cannot create"):
        create_master_key_file(tmp_path / "nowhere" / "gardien.key")
