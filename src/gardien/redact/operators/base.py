"""The operator contract: one instance per document, so that numbering and
mappings are consistent within that document."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar

from gardien.errors import RedactionError
from gardien.redact.span import DATE, EMAIL, IBAN, PHONE

_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s.\-()/]")
#: Smallest key accepted: 128 bits, the strength of AES-128.
MIN_KEY_BYTES = 16


def normalize(value: str, label: str) -> str:
    """The form under which two writings of one value are the same value:
    "06 12 34 56 78" and "06.12.34.56.78", "Jean  DUPONT" and "jean dupont"."""
    if label in (PHONE, IBAN):
        return _SEPARATORS.sub("", value).upper()
    if label in (EMAIL, DATE):
        return _SPACES.sub(" ", value.strip().lower())
    return _SPACES.sub(" ", value.strip()).casefold()


def check_key(key: bytes | str | None, operator: str) -> bytes:
    """``key`` as bytes, refusing a missing or short one."""
    if key is None:
        raise RedactionError(
            f"the {operator!r} operator needs a secret key: pass key=... "
            "(or --key-file on the command line) with at least 16 random bytes"
        )
    raw = key.encode() if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_BYTES:
        raise RedactionError(
            f"the key is {len(raw)} bytes long; use at least {MIN_KEY_BYTES} random bytes "
            "(e.g. `head -c 32 /dev/urandom > redact.key`)"
        )
    return raw


class Operator(ABC):
    """Replaces detected values in one document."""

    name: ClassVar[str]
    #: True when ``restore`` can give the original values back.
    reversible: ClassVar[bool] = False

    def __init__(self, key: bytes | str | None = None) -> None:
        self.key = key

    @abstractmethod
    def replace(self, value: str, label: str, same_as: str | None = None) -> str:
        """What ``value`` (detected as ``label``) becomes in the output.

        ``same_as``: the value this one stands for in the document (the full
        name of a surname written alone); operators that name a value (a
        number, a pseudonym) give both the same name."""
