"""The key store: each subject's data key and the vault's named keys, wrapped by the master key.

Every write here is its own committed transaction on the key store, separate
from the caller's transaction on the main store: the two databases cannot
commit atomically together, so the vault orders the writes instead (see
``docs/vault.md``). Unwrapped data keys are kept in a bounded, expiring
in-memory LRU so that hot paths (consent checks) do not unwrap on every call.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from gardien.errors import DataKeyMissingError, MasterKeyError
from gardien.store.types import utcnow
from gardien.vault import crypto
from gardien.vault.masterkey import MasterKey
from gardien.vault.tables import data_keys, vault_keys


class KeyCache:
    """A thread-safe LRU of unwrapped keys, bounded in size and in time held."""

    def __init__(self, max_size: int, ttl_seconds: float) -> None:
        if max_size < 0 or ttl_seconds < 0:
            raise ValueError("cache size and lifetime cannot be negative")
        self._max_size = max_size
        self._ttl = ttl_seconds
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(name)
            if entry is None:
                return None
            expires, key = entry
            if time.monotonic() >= expires:
                # Bounded lifetime: a key erased by another process leaves this one's
                # memory within the TTL even if the subject is never touched again.
                del self._entries[name]
                return None
            self._entries.move_to_end(name)
            return key

    def put(self, name: str, key: bytes) -> None:
        if self._max_size == 0:
            return
        with self._lock:
            self._entries[name] = (time.monotonic() + self._ttl, key)
            self._entries.move_to_end(name)
            while len(self._entries) > self._max_size:
                self._entries.popitem(last=False)

    def evict(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __repr__(self) -> str:
        return f"KeyCache(size={len(self)}, max_size={self._max_size})"


class KeyStore:
    """Reads and writes wrapped keys in the key store database."""

    def __init__(
        self, engine: Engine, master: MasterKey, cache_size: int, cache_ttl: float
    ) -> None:
        self._engine = engine
        self._master = master
        self.cache = KeyCache(cache_size, cache_ttl)
        self._vault_keys: dict[str, bytes] = {}
        self._vault_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeyStore(master={self._master!r})"

    def create_data_key(self, subject_id: str) -> bytes:
        """A new data key for ``subject_id``, committed to the key store before it is used."""
        key = crypto.new_key()
        with self._engine.begin() as connection:
            connection.execute(
                insert(data_keys).values(
                    subject_id=subject_id,
                    wrapped=crypto.wrap_data_key(self._master, subject_id, key),
                    master_key_id=self._master.id,
                    created_at=utcnow(),
                )
            )
        self.cache.put(subject_id, key)
        return key

    def data_key(self, subject_id: str) -> bytes:
        """The subject's data key, or :class:`DataKeyMissingError` if it was destroyed."""
        cached = self.cache.get(subject_id)
        if cached is not None:
            return cached
        with self._engine.connect() as connection:
            row = connection.execute(
                select(data_keys.c.wrapped, data_keys.c.master_key_id).where(
                    data_keys.c.subject_id == subject_id
                )
            ).first()
        if row is None:
            raise DataKeyMissingError(
                "the subject's data key is not in the key store: its data was crypto-shredded "
                "(erased) and can never be decrypted; if the subject is not marked erased, its "
                "erasure was interrupted: erase it again"
            )
        self._check_wrapper(row.master_key_id)
        key = crypto.unwrap_data_key(self._master, subject_id, row.wrapped)
        self.cache.put(subject_id, key)
        return key

    def delete_data_key(self, subject_id: str) -> None:
        """Destroy the subject's data key (committed at once) and forget it in this process."""
        self.cache.evict(subject_id)
        with self._engine.begin() as connection:
            connection.execute(delete(data_keys).where(data_keys.c.subject_id == subject_id))

    def vault_key(self, name: str) -> bytes:
        """The vault's key called ``name``, created at random on first use."""
        with self._vault_lock:
            known = self._vault_keys.get(name)
        if known is not None:
            return known
        key = self._read_vault_key(name)
        if key is None:
            try:
                with self._engine.begin() as connection:
                    fresh = crypto.new_key()
                    connection.execute(
                        insert(vault_keys).values(
                            name=name,
                            wrapped=crypto.wrap_vault_key(self._master, name, fresh),
                            master_key_id=self._master.id,
                            created_at=utcnow(),
                        )
                    )
                key = fresh
            except IntegrityError:
                # Another process created it first: everyone must use that one.
                key = self._read_vault_key(name)
                assert key is not None
        with self._vault_lock:
            self._vault_keys[name] = key
        return key

    def _read_vault_key(self, name: str) -> bytes | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(vault_keys.c.wrapped, vault_keys.c.master_key_id).where(
                    vault_keys.c.name == name
                )
            ).first()
        if row is None:
            return None
        self._check_wrapper(row.master_key_id)
        return crypto.unwrap_vault_key(self._master, name, row.wrapped)

    def _check_wrapper(self, master_key_id: str) -> None:
        if master_key_id != self._master.id:
            raise MasterKeyError(
                f"the key store holds keys wrapped by master key {master_key_id}, but this "
                f"process has master key {self._master.id}: set GARDIEN_MASTER_KEY (or the "
                "key file) to the current master key, or finish `gardien keys rotate-master`"
            )
