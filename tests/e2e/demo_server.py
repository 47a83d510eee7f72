"""A demo company built by `gardien demo` and served as `make run` serves it.

`served_demo` builds AMIKEO (or another company) in a directory of the test,
starts `gardien serve --with-worker` on a free port with the redaction models
off and a fast-polling worker, waits for `/healthz`, and stops the server at
the end. The server's log goes to ``server.log`` beside the demo.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServedDemo:
    base: str
    directory: Path
    #: What `gardien demo` printed (the walkthrough's commands among it).
    printed: str
    env: dict[str, str]
    log: Path

    @property
    def outbox(self) -> Path:
        return self.directory / "outbox.jsonl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served_demo(
    tmp_path: Path, company: str = "amikeo", subjects: int = 30
) -> Iterator[ServedDemo]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARDIEN_")}
    env |= {"GARDIEN_PORT": str(port), "GARDIEN_REDACT_PRELOAD": "false",
            "GARDIEN_WORKER_POLL_SECONDS": "0.2"}  # fmt: skip
    directory = tmp_path / "demo"
    built = subprocess.run(
        [sys.executable, "-m", "gardien", "demo", "--dir", str(directory),
         "--company", company, "--subjects", str(subjects), "--no-serve"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gardien", "serve", "--with-worker",
             "--config", str(directory / "privacy.yaml")],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    demo = ServedDemo(f"http://127.0.0.1:{port}", directory, built.stdout, env, log)
    try:
        _wait_until_serving(demo)
        yield demo
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_serving(demo: ServedDemo) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{demo.base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(demo.log.read_text("utf-8", errors="replace")[-4000:])
