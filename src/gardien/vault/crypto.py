"""The vault's cryptography: AES-256-GCM sealing with AAD, key wrapping, blind indexes.

Every ciphertext is bound, through its associated data, to what it is: the
subject it belongs to and the field it holds (``attributes``,
``identity:email``…), or for a wrapped key, the subject or vault-key name it
wraps. A ciphertext copied onto another subject's row, or another field, then
fails to authenticate instead of decrypting as someone else's data.

Format of a sealed value: version byte ``0x01`` ‖ 12-byte random nonce ‖
ciphertext with its 16-byte tag.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gardien.errors import DecryptionError
from gardien.vault.masterkey import MasterKey

KEY_BYTES = 32
_VERSION = b"\x01"
_NONCE_BYTES = 12
_TAG_BYTES = 16
_DATA_DOMAIN = b"gardien.vault.data.v1"
_DATA_KEY_DOMAIN = b"gardien.vault.data-key.v1"
_VAULT_KEY_DOMAIN = b"gardien.vault.vault-key.v1"
_BLIND_INDEX_DOMAIN = b"gardien.vault.blind-index.v1"


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def _associated(domain: bytes, *parts: str) -> bytes:
    # NUL separators: no part can contain one (ids are hex, field names are
    # validated), so ("ab", "c") and ("a", "bc") never give the same AAD.
    return b"\x00".join([domain, *(part.encode("utf-8") for part in parts)])


def _seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _open(key: bytes, sealed: bytes, associated: bytes, what: str) -> bytes:
    if len(sealed) < 1 + _NONCE_BYTES + _TAG_BYTES or sealed[:1] != _VERSION:
        raise DecryptionError(f"the {what} is not a ciphertext the vault wrote")
    nonce = sealed[1 : 1 + _NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[1 + _NONCE_BYTES :], associated)
    except InvalidTag:
        raise DecryptionError(
            f"the {what} does not authenticate: it was altered, encrypted under another "
            "key, or copied from another subject or field"
        ) from None


def seal_field(data_key: bytes, subject_id: str, field: str, plaintext: bytes) -> bytes:
    """``plaintext`` encrypted under the subject's data key, bound to (subject, field)."""
    return _seal(data_key, plaintext, _associated(_DATA_DOMAIN, subject_id, field))


def open_field(data_key: bytes, subject_id: str, field: str, sealed: bytes) -> bytes:
    """The plaintext of :func:`seal_field`; :class:`DecryptionError` if it does not match."""
    return _open(
        data_key, sealed, _associated(_DATA_DOMAIN, subject_id, field), f"ciphertext of {field}"
    )


def wrap_data_key(master: MasterKey, subject_id: str, data_key: bytes) -> bytes:
    return _seal(master.reveal(), data_key, _associated(_DATA_KEY_DOMAIN, subject_id))


def unwrap_data_key(master: MasterKey, subject_id: str, wrapped: bytes) -> bytes:
    return _open(
        master.reveal(), wrapped, _associated(_DATA_KEY_DOMAIN, subject_id), "wrapped data key"
    )


def wrap_vault_key(master: MasterKey, name: str, key: bytes) -> bytes:
    return _seal(master.reveal(), key, _associated(_VAULT_KEY_DOMAIN, name))


def unwrap_vault_key(master: MasterKey, name: str, wrapped: bytes) -> bytes:
    return _open(
        master.reveal(), wrapped, _associated(_VAULT_KEY_DOMAIN, name), "wrapped vault key"
    )


def blind_index(index_key: bytes, kind: str, normalised_value: str) -> bytes:
    """HMAC-SHA256 over kind and value: equal identities match, the value is not stored."""
    message = _associated(_BLIND_INDEX_DOMAIN, kind, normalised_value)
    return hmac.new(index_key, message, hashlib.sha256).digest()


def keyed_digest(key: bytes, domain: str, value: str) -> bytes:
    """HMAC-SHA256 of ``value`` under ``key``, separated by ``domain``."""
    return hmac.new(key, _associated(domain.encode("ascii"), value), hashlib.sha256).digest()
