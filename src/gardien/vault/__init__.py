"""The vault room: the registry of data subjects and their encrypted personal data.

    >>> vault = Vault(store, load_master_key(settings))
    >>> with store.engine.begin() as conn:
    ...     registration = vault.register(conn, {"email": "alice@example.com"}, {"plan": "pro"})
    ...     record = vault.read(conn, registration.subject_id)
    ...     vault.erase(conn, registration.subject_id)    # crypto-shredding

Identities are found through blind indexes (keyed hashes), never stored in
clear; identity values and attributes are sealed with AES-256-GCM under a
per-subject data key, itself wrapped by the master key and kept in the
separate key store. Erasing a subject destroys its data key. See
``docs/vault.md`` for the key hierarchy and the threat model.
"""

from __future__ import annotations

from gardien.errors import (
    AttributesError,
    DataKeyMissingError,
    DecryptionError,
    IdentityConflictError,
    IdentityError,
    MasterKeyError,
    SubjectErasedError,
    SubjectNotFound,
    VaultError,
)
from gardien.vault.attributes import JSONInput, JSONValue
from gardien.vault.identities import Identity, normalise
from gardien.vault.masterkey import MasterKey, create_master_key_file, load_master_key
from gardien.vault.orphans import purge_orphan_keys
from gardien.vault.records import Registration, SubjectRecord
from gardien.vault.rotation import rotate_master_key
from gardien.vault.vault import Vault

__all__ = [
    "AttributesError",
    "DataKeyMissingError",
    "DecryptionError",
    "Identity",
    "IdentityConflictError",
    "IdentityError",
    "JSONInput",
    "JSONValue",
    "MasterKey",
    "MasterKeyError",
    "Registration",
    "SubjectErasedError",
    "SubjectNotFound",
    "SubjectRecord",
    "Vault",
    "VaultError",
    "create_master_key_file",
    "load_master_key",
    "normalise",
    "purge_orphan_keys",
    "rotate_master_key",
]
