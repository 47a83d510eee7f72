"""Writing a command's output: to standard output, or to a file whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from gardien.commands.common import stderr
from gardien.errors import GardienError


def emit(content: bytes, output: Path | None) -> None:
    """``content`` to ``output`` (atomically), or to standard output when there is none."""
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, content)
        stderr.print(f"wrote {output}", markup=False)


def write_atomically(target: Path, content: bytes) -> None:
    """Write ``target`` whole or not at all: a crash never leaves half a file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    except OSError as exc:
        raise GardienError(f"cannot write {target}: {exc.strerror}") from None
    try:
        # mkstemp creates 0600; a notice or a declaration is not secret, so give it the
        # mode any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except OSError as exc:
        os.unlink(temporary)
        raise GardienError(f"cannot write {target}: {exc.strerror}") from None
