"""Compiled forms of very large regular expressions, kept on disk between processes.

spaCy's French language data builds one token-match expression of about
1.4 million characters (hyphenated and elided words that must stay one
token) and compiles it when ``spacy.lang.fr`` is imported, then again from
the model's files. Python's compiler spends about four seconds of CPU on it,
in every process that redacts or lints French: each server, each worker,
each ``gardien redact``. The compiled program (a list of integers that the
``_sre`` engine runs) is the same every time for the same expression and
Python, so this module keeps it in a cache directory and rebuilds the
pattern from it in about ten milliseconds.

``kept_compiles()`` wraps a block (a model load, an import of spaCy's
language data) in which ``re.compile`` of an expression of at least
``LARGE`` characters goes through the cache; every other expression, and
every call outside such a block, is compiled by ``re`` as usual. The pattern
built from the cache is the one ``re`` would build: same expression text,
flags, groups and program; only the compiling is skipped.

Where the cache cannot be used, nothing fails: a directory that cannot be
created or written, a Python without these internals, a file that is
truncated or does not load, a file that another user owns or can write
(its program would run inside this process). The expression is then compiled
as usual, and the file rewritten when possible. The cache lives in
``GARDIEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/gardien``, else
``~/.cache/gardien``, under ``regex/``; deleting it is always safe.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import re
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: Expressions at least this long go through the cache (spaCy's French one is ~1.4M).
LARGE = 64 * 1024
_MAGIC = b"GARDSRE1"
_HEADER = struct.Struct("<8sI")

try:  # CPython's own compiler: present on the Pythons gardien supports, private all the same.
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _TAG = (
        f"{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}"
        f"-{_sre.MAGIC}-{_sre.CODESIZE}"
    )
    _CODE_TYPE = {2: "H", 4: "I"}.get(_sre.CODESIZE)
except (ImportError, AttributeError):  # pragma: no cover - another Python
    _TAG, _CODE_TYPE = "", None

_original_compile: Callable[..., re.Pattern[Any]] = re.compile
_kept: dict[tuple[str, int], re.Pattern[str]] = {}
_lock = threading.Lock()
_depth = 0


def cache_directory() -> Path:
    """Where compiled expressions are kept (see the module docstring)."""
    configured = os.environ.get("GARDIEN_CACHE_DIR")
    if configured:
        return Path(configured) / "regex"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gardien" / "regex"


@contextlib.contextmanager
def kept_compiles() -> Iterator[None]:
    """Within this block, large expressions are compiled through the cache."""
    global _depth
    with _lock:
        if _depth == 0:
            re.compile = _compile
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                re.compile = _original_compile


def _compile(pattern: Any, flags: Any = 0) -> re.Pattern[Any]:
    if (
        not isinstance(pattern, str)
        or len(pattern) < LARGE
        or _CODE_TYPE is None
        or not isinstance(flags, int)  # RegexFlag is an int too
    ):
        return _original_compile(pattern, flags)
    key = (pattern, int(flags))
    with _lock:
        found = _kept.get(key)
    if found is None:
        found = _load_or_build(pattern, int(flags))
        with _lock:
            _kept[key] = found
    return found


def _load_or_build(pattern: str, flags: int) -> re.Pattern[str]:
    path = cache_directory() / f"{_digest(pattern, flags)}-{_TAG}.sre"
    loaded = _read(path, pattern)
    if loaded is not None:
        return loaded
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    header = {
        "flags": flags | parsed.state.flags,
        "groups": parsed.state.groups - 1,
        "groupindex": groupindex,
        "indexgroup": indexgroup,
    }
    compiled = _build(pattern, header, list(code))
    if compiled is None:  # pragma: no cover - the engine refused its own compiler's program
        return _original_compile(pattern, flags)
    _write(path, header, code, len(pattern))
    return compiled


def _build(pattern: str, header: dict[str, Any], code: list[int]) -> re.Pattern[str] | None:
    try:
        built: re.Pattern[str] = _sre.compile(
            pattern,
            header["flags"],
            code,
            header["groups"],
            header["groupindex"],
            tuple(header["indexgroup"]),
        )
    except (RuntimeError, TypeError, ValueError, KeyError, OverflowError):
        return None
    return built


def _read(path: Path, pattern: str) -> re.Pattern[str] | None:
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            # A program someone else could have written must not run here.
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
            data = stream.read()
        magic, header_size = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            return None
        start = _HEADER.size
        header = json.loads(data[start : start + header_size])
        code = array.array(_CODE_TYPE or "I")
        code.frombytes(data[start + header_size :])
        if header.get("length") != len(pattern) or len(code) != header.get("code_length"):
            return None
    except (OSError, ValueError, struct.error):
        return None
    return _build(pattern, header, code.tolist())


def _write(path: Path, header: dict[str, Any], code: list[int], length: int) -> None:
    body = array.array(_CODE_TYPE or "I", code).tobytes()
    described = json.dumps({**header, "length": length, "code_length": len(code)}).encode()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(_HEADER.pack(_MAGIC, len(described)) + described + body)
            os.replace(temporary, path)  # readers see a whole file or none
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return


def _digest(pattern: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
