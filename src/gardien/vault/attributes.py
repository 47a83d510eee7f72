"""A subject's attributes: JSON values, checked strictly, encoded to the bytes that are sealed.

``json.dumps`` alone would silently turn ``{1: "x"}`` into ``{"1": "x"}`` and
write ``NaN``, which no other JSON reader accepts; attributes are checked
first so what is read back is exactly what was given.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from gardien.errors import AttributesError

JSONValue: TypeAlias = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None
"""A JSON value as the vault returns it."""

JSONInput: TypeAlias = (
    bool | int | float | str | Sequence["JSONInput"] | Mapping[str, "JSONInput"] | None
)
"""A JSON value as the vault accepts it (tuples and any mapping are fine)."""

MAX_DEPTH = 64


def check_attributes(attributes: object) -> dict[str, JSONValue]:
    """``attributes`` as a plain JSON object, or :class:`AttributesError` naming the path."""
    if not isinstance(attributes, Mapping):
        raise AttributesError("attributes must be a JSON object (a mapping of names to values)")
    checked = _check(attributes, "attributes", 0)
    assert isinstance(checked, dict)
    # Encoding can still fail (lone surrogates, huge integers): find out now,
    # before the caller writes anything, not halfway through a registration.
    encode(checked)
    return checked


_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _check(value: object, path: str, depth: int) -> JSONValue:
    if depth > MAX_DEPTH:
        raise AttributesError(f"{path}: nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AttributesError(f"{path}: NaN and infinities are not JSON numbers")
        return value
    if isinstance(value, Mapping):
        result: dict[str, JSONValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AttributesError(f"{path}: every key must be text")
            # Names are the caller's choice, and may be data (e.g. {"bob@example.com":
            # …}, {"contacts": {"Hortense": …}}): a name is echoed only when it reads
            # as a plain name, at the top level.
            child = f"{path}.{key}" if depth == 0 and _PLAIN_NAME.fullmatch(key) else f"{path}.*"
            result[key] = _check(item, child, depth + 1)
        return result
    if isinstance(value, list | tuple):
        return [_check(item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value)]
    raise AttributesError(
        f"{path}: a {type(value).__name__} is not a JSON value; use text, numbers, "
        "booleans, null, lists or objects"
    )


def encode(attributes: Mapping[str, JSONValue]) -> bytes:
    try:
        text = json.dumps(attributes, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:
        # e.g. an integer beyond Python's int-to-text limit (4300 digits).
        raise AttributesError("attributes: a number is too large to store") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise AttributesError(
            "attributes: text holds a lone surrogate, which is not valid Unicode"
        ) from None


def decode(data: bytes) -> dict[str, JSONValue]:
    value = json.loads(data.decode("utf-8"))
    assert isinstance(value, dict)
    return value
