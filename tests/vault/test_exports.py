"""The vault's public API, pinned: what other rooms may import from ``gardien.vault``."""

from __future__ import annotations

import gardien.vault
from gardien.errors import GardienError


def test_exported_members() -> None:
    assert gardien.vault.__all__ == [
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
    for name in gardien.vault.__all__:
        member = getattr(gardien.vault, name)
        if isinstance(member, type) and issubclass(member, Exception):
            assert issubclass(member, gardien.vault.VaultError) and issubclass(member, GardienError)
