"""The errors the vault raises, as one tree under :class:`gardien.errors.GardienError`.

Messages never carry personal data or key material: an identity's kind may be
named, its value never; keys are named by their public id only.

    VaultError                  the vault cannot do what was asked
    ├── MasterKeyError          the master key is missing, unreadable or the wrong one
    ├── IdentityError           an identity given is not valid
    ├── AttributesError         attributes given are not a JSON object
    ├── IdentityConflictError   identities given belong to different subjects
    ├── SubjectNotFound         no subject has this id
    ├── SubjectErasedError      the subject was erased: its data no longer exists
    ├── DataKeyMissingError     the subject's data key is gone (crypto-shredded)
    └── DecryptionError         a ciphertext does not authenticate under its key
"""

from __future__ import annotations

from gardien.errors import GardienError


class VaultError(GardienError):
    """The vault cannot do what was asked."""


class MasterKeyError(VaultError):
    """The master key is missing, unreadable, badly encoded, or not the one in use."""


class IdentityError(VaultError):
    """An identity given to the vault is not valid; nothing was written."""


class AttributesError(VaultError):
    """Attributes given to the vault are not a JSON object; nothing was written."""


class IdentityConflictError(VaultError):
    """Identities given together belong to different subjects."""


# The name without "Error" is the one the API layer was promised (the project's issue).
class SubjectNotFound(VaultError):  # noqa: N818
    """No subject has this id."""


class SubjectErasedError(VaultError):
    """The subject was erased: it can be read (as a tombstone) but not changed."""


class DataKeyMissingError(VaultError):
    """The subject's data key is not in the key store: its data can never be decrypted.

    This is what crypto-shredding looks like from the reading side: a subject
    restored from a backup taken before its erasure, or whose erasure was
    interrupted after the key was deleted.
    """


class DecryptionError(VaultError):
    """A ciphertext does not authenticate: altered, or bound to another subject or field."""
