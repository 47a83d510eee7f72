"""The master key: its value type, loading it from settings, creating its file.

The master key wraps every subject's data key and the vault's own keys (see
``docs/vault.md``). It never reaches a repr, a log or an error message: the
type shows only its public id, the first 8 hex digits of SHA-256(key), which
is also what each wrapped row records to say which master key wraps it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import stat
from pathlib import Path

from gardien.errors import MasterKeyError
from gardien.settings import Settings

KEY_BYTES = 32


class MasterKey:
    """A 32-byte master key; its repr is ``MasterKey(id=ab12cd34, [secure])``."""

    __slots__ = ("_id", "_material")

    def __init__(self, material: bytes) -> None:
        if len(material) != KEY_BYTES:
            raise MasterKeyError(
                f"a master key is {KEY_BYTES} bytes; this one is {len(material)}: "
                "generate one with `gardien init`"
            )
        self._material = bytes(material)
        self._id = hashlib.sha256(self._material).hexdigest()[:8]

    @classmethod
    def generate(cls) -> MasterKey:
        """A new random master key."""
        return cls(os.urandom(KEY_BYTES))

    @classmethod
    def from_base64(cls, text: str, source: str = "GARDIEN_MASTER_KEY") -> MasterKey:
        """The key encoded in ``text`` (standard or URL-safe base64 of 32 bytes).

        ``source`` names where the text came from, for the error message only.
        """
        # URL-safe letters are mapped to the standard ones so that one strict decoder
        # (validate=True: no character silently dropped) reads both alphabets.
        compact = "".join(text.split()).replace("-", "+").replace("_", "/")
        try:
            material = base64.b64decode(compact.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise MasterKeyError(
                f"{source} is not valid base64: it must hold {KEY_BYTES} random bytes in base64 "
                "(44 characters); create a key with `gardien init`"
            ) from None
        if len(material) != KEY_BYTES:
            raise MasterKeyError(
                f"{source} decodes to {len(material)} bytes, not {KEY_BYTES}: it must hold "
                f"{KEY_BYTES} random bytes in base64 (44 characters); create a key with "
                "`gardien init`"
            )
        return cls(material)

    @property
    def id(self) -> str:
        """Public identifier: first 8 hex digits of SHA-256(key). Safe to show and store."""
        return self._id

    def reveal(self) -> bytes:
        """The raw key. Only the vault's key wrapping and the key file writer call this."""
        return self._material

    def to_base64(self) -> str:
        """The key as base64 text, as a key file or GARDIEN_MASTER_KEY holds it."""
        return base64.b64encode(self._material).decode("ascii")

    def __repr__(self) -> str:
        return f"MasterKey(id={self._id}, [secure])"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MasterKey):
            return NotImplemented
        return hmac.compare_digest(self._material, other._material)

    def __hash__(self) -> int:
        return hash(self._id)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would copy the key into task queues or caches: refuse it.
        raise TypeError("a MasterKey cannot be pickled")


def load_master_key(settings: Settings) -> MasterKey:
    """The master key from ``GARDIEN_MASTER_KEY``, else from the key file."""
    if settings.master_key is not None:
        return MasterKey.from_base64(settings.master_key.get_secret_value())
    path = settings.resolved_master_key_file
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MasterKeyError(
            f"no master key: {path} does not exist; run `gardien init` to create it, "
            "or set GARDIEN_MASTER_KEY (32 random bytes in base64)"
        ) from None
    except OSError as exc:
        raise MasterKeyError(f"cannot read the master key file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise MasterKeyError(f"the master key file {path} is not a regular file")
    if os.name == "posix" and mode & 0o077:
        raise MasterKeyError(
            f"the master key file {path} is readable by other users (mode "
            f"{stat.S_IMODE(mode):04o}): run `chmod 600 {path}`"
        )
    try:
        text = path.read_text("ascii")
    except UnicodeDecodeError:
        raise MasterKeyError(
            f"the master key file {path} is not base64 text: restore it from your key backup"
        ) from None
    except OSError as exc:
        raise MasterKeyError(f"cannot read the master key file {path}: {exc.strerror}") from None
    return MasterKey.from_base64(text, source=f"the master key file {path}")


def create_master_key_file(path: Path) -> MasterKey:
    """Create ``path`` holding a new random master key, mode 0600, whole or not at all.

    Refuses to overwrite: replacing a master key would make every data key
    unreadable.
    """
    if path.exists():
        raise MasterKeyError(
            f"{path} already exists: gardien never overwrites a master key (that would make "
            "every subject's data unreadable); remove it only if the store is empty"
        )
    key = MasterKey.generate()
    directory = path.parent
    temporary = directory / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        # O_EXCL and mode 0600 from the first byte: the key is never readable by others,
        # not even for the instant between creation and a chmod.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise MasterKeyError(f"cannot create {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(key.to_base64() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # link() fails if the target exists: the no-overwrite check is atomic, unlike
        # rename(), which would replace a key created meanwhile.
        os.link(temporary, path)
    except FileExistsError:
        raise MasterKeyError(
            f"{path} already exists: gardien never overwrites a master key"
        ) from None
    except OSError as exc:
        raise MasterKeyError(f"cannot create {path}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_directory(directory)
    return key


def _fsync_directory(directory: Path) -> None:
    # Makes the new directory entry durable; some filesystems refuse, which is harmless.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
