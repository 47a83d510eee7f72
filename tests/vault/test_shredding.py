"""Nothing personal in clear at rest; erasure makes even old copies of the store unreadable."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from actors import ACTOR
from gardien.store import Store, make_engine
from gardien.vault import DataKeyMissingError, DecryptionError, MasterKey, Vault, crypto
from gardien.vault.tables import data_keys, subject_identities, subjects, vault_keys

IDENTITIES = {
    "email": "alice.martin@example.org",
    "user_id": "u-secret-4242",
    "phone": "+33612345678",
    "crm_id": "CRM-ZX-998877",
}
ATTRIBUTES = {
    "full_name": "Alice Martin-Dupont",
    "street": "12 rue des Lilas",
    "iban": "FR7630006000011234567890189",
}
SECRETS = [*IDENTITIES.values(), *(str(v) for v in ATTRIBUTES.values())]


def _register(store: Store, vault: Vault) -> str:
    with store.engine.begin() as conn:
        return vault.register(conn, IDENTITIES, ATTRIBUTES, actor=ACTOR).subject_id


def _sqlite_files(engine_url: Any) -> list[Path]:
    path = Path(str(engine_url.database))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def _all_bytes(store: Store) -> bytes:
    """Every byte of every column of the vault's tables, from both databases."""
    chunks: list[bytes] = []
    for engine, tables in (
        (store.engine, (subjects, subject_identities)),
        (store.keystore, (data_keys, vault_keys)),
    ):
        with engine.connect() as conn:
            for table in tables:
                for row in conn.execute(select(table)):
                    chunks.extend(v if isinstance(v, bytes) else str(v).encode() for v in row)
    return b"\n".join(chunks)


def test_no_personal_data_in_clear_in_any_column(store: Store, vault: Vault) -> None:
    _register(store, vault)
    everything = _all_bytes(store)
    for secret in SECRETS:
        assert secret.encode() not in everything
        assert secret.lower().encode() not in everything


def test_no_personal_data_in_the_sqlite_files(store: Store, vault: Vault) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("raw database files are read on SQLite")
    _register(store, vault)
    with store.engine.connect() as conn:
        # Read while a connection is open: the rows are still in the -wal file.
        assert conn.execute(select(subjects.c.id)).first() is not None
        files = _sqlite_files(store.engine.url) + _sqlite_files(store.keystore.url)
        assert any(p.name.endswith("-wal") for p in files)
        raw = b"".join(p.read_bytes() for p in files)
    for secret in SECRETS:
        assert secret.encode() not in raw
    store.dispose()  # checkpoint: the rows move into the .db file itself
    raw = b"".join(
        p.read_bytes() for p in _sqlite_files(store.engine.url) + _sqlite_files(store.keystore.url)
    )
    for secret in SECRETS:
        assert secret.encode() not in raw


def test_copy_of_sqlite_store_taken_before_erasure_cannot_be_decrypted(
    store: Store, vault: Vault, master_key: MasterKey, tmp_path: Path
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("copies the SQLite files; the logical-backup test covers PostgreSQL")
    subject = _register(store, vault)
    store.engine.dispose()
    backup = tmp_path / "backup"
    backup.mkdir()
    for path in _sqlite_files(store.engine.url):
        shutil.copy2(path, backup / path.name.replace("gardien", "restored"))
    with store.engine.begin() as conn:
        assert vault.erase(conn, subject, actor=ACTOR)

    restored = Store(make_engine(f"sqlite:///{backup / 'restored.db'}"), store.keystore)
    try:
        for reader in (vault, Vault(restored, master_key)):
            with restored.engine.connect() as conn:
                with pytest.raises(DataKeyMissingError, match="crypto-shredded"):
                    reader.read(conn, subject, actor=ACTOR)
                # The backup's rows are all there, and still mean nothing without the key.
                row = conn.execute(
                    select(subjects.c.attributes).where(subjects.c.id == subject)
                ).one()
                assert row.attributes is not None
    finally:
        restored.dispose()


def test_backup_restored_after_erasure_cannot_be_decrypted(
    store: Store, vault: Vault, master_key: MasterKey
) -> None:
    subject = _register(store, vault)
    with store.engine.connect() as conn:
        backup_subject = (
            conn.execute(select(subjects).where(subjects.c.id == subject)).one()._asdict()
        )
        backup_identities = [r._asdict() for r in conn.execute(select(subject_identities))]
    with store.engine.begin() as conn:
        assert vault.erase(conn, subject, actor=ACTOR)
    with store.engine.connect() as conn:
        assert conn.execute(select(subject_identities)).first() is None
    # Restore the old rows over the live store, as an operator restoring a backup would.
    with store.engine.begin() as conn:
        conn.execute(delete(subjects).where(subjects.c.id == subject))
        conn.execute(insert(subjects).values(backup_subject))
        conn.execute(insert(subject_identities), backup_identities)
    with store.engine.connect() as conn:
        for reader in (vault, Vault(store, master_key)):
            with pytest.raises(DataKeyMissingError):
                reader.read(conn, subject, actor=ACTOR)
        with pytest.raises(DataKeyMissingError):
            vault.update_attributes(conn, subject, {"a": 1}, actor=ACTOR)


def test_ciphertext_swapped_between_subjects_does_not_decrypt(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        alice = vault.register(
            conn, {"email": "alice@example.com"}, {"name": "Alice"}, actor=ACTOR
        ).subject_id
        bob = vault.register(
            conn, {"email": "bob@example.com"}, {"name": "Bob"}, actor=ACTOR
        ).subject_id
        bob_attributes = conn.execute(
            select(subjects.c.attributes).where(subjects.c.id == bob)
        ).scalar_one()
        conn.execute(
            update(subjects).where(subjects.c.id == alice).values(attributes=bob_attributes)
        )
        with pytest.raises(DecryptionError, match="ciphertext of attributes does not authenticate"):
            vault.read(conn, alice, actor=ACTOR)


def test_ciphertext_moved_between_fields_does_not_decrypt(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        alice = vault.register(
            conn, {"email": "alice@example.com"}, {"name": "Alice"}, actor=ACTOR
        ).subject_id
        sealed_email = conn.execute(select(subject_identities.c.value)).scalar_one()
        conn.execute(update(subjects).where(subjects.c.id == alice).values(attributes=sealed_email))
        with pytest.raises(DecryptionError, match="does not authenticate"):
            vault.read(conn, alice, actor=ACTOR)


def test_aad_binds_subject_and_field_under_the_same_key() -> None:
    key = crypto.new_key()
    alice, bob = "a" * 32, "b" * 32
    sealed = crypto.seal_field(key, alice, "attributes", b'{"name":"Alice"}')
    assert crypto.open_field(key, alice, "attributes", sealed) == b'{"name":"Alice"}'
    with pytest.raises(DecryptionError):
        crypto.open_field(key, bob, "attributes", sealed)
    with pytest.raises(DecryptionError):
        crypto.open_field(key, alice, "identity:email", sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(DecryptionError):
        crypto.open_field(key, alice, "attributes", tampered)
    with pytest.raises(DecryptionError, match="not a ciphertext the vault wrote"):
        crypto.open_field(key, alice, "attributes", b"plain")


def test_wrapped_data_key_cannot_be_moved_to_another_subject() -> None:
    master = MasterKey.generate()
    wrapped = crypto.wrap_data_key(master, "a" * 32, crypto.new_key())
    with pytest.raises(DecryptionError, match="wrapped data key"):
        crypto.unwrap_data_key(master, "b" * 32, wrapped)


def test_erasure_evicts_the_cached_key(store: Store, vault: Vault) -> None:
    subject = _register(store, vault)
    assert vault._keys.cache.get(subject) is not None
    with store.engine.begin() as conn:
        vault.erase(conn, subject, actor=ACTOR)
    assert vault._keys.cache.get(subject) is None
